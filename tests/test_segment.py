"""Segmentation: spaCy blank zh + sentencizer + bracket guard, lossless, stable ids."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual import model
from bilingual.model import Block, Document
from bilingual.segment import segment_document, split_sentences


def test_splits_on_full_stops_and_keeps_trailing_quote():
    text = "持续推进改革。便利整车进口提速增效！是否可行？"
    assert split_sentences([text]) == [["持续推进改革。", "便利整车进口提速增效！", "是否可行？"]]


def test_never_splits_inside_brackets_or_quotes():
    text = "落实《关于海事服务保障船舶载运“新三样”货物安全畅通的指导意见。》，推动“新三样。”物流（降本。提质）增效。下一句。"
    assert split_sentences([text]) == [[
        "落实《关于海事服务保障船舶载运“新三样”货物安全畅通的指导意见。》，推动“新三样。”物流（降本。提质）增效。",
        "下一句。",
    ]]


def test_semicolon_does_not_end_a_segment():
    text = "对于食品用途的，按照进口食品实施监管；对于药用用途的，按照进口药材实施监管。"
    assert split_sentences([text]) == [[text]]


def test_text_without_punctuation_is_one_segment():
    text = "无标点" * 700
    assert split_sentences([text]) == [[text]]


def _doc(*blocks):
    return Document(source="x", blocks=tuple(blocks))


def test_ids_single_and_sentence_blocks():
    doc = _doc(
        Block(model.SECTION_TITLE, "section-2.title", "优化物流网络，持续提升物流枢纽能级", 77, section=2),
        Block(model.MEASURE, "measure-15", "第一句。第二句。第三句。", 99, section=3, measure=15),
        Block(model.AGENCIES, "measure-15.agencies", "（上海海关）", 99, section=3, measure=15, agencies=("上海海关",)),
        Block(model.BODY, "notice", "甲。乙。", 24),
        Block(model.BODY, "notice", "丙。", 30),
    )
    segs = segment_document(doc)
    assert [s.ctx for s in segs] == [
        "section-2.title", "measure-15.s1", "measure-15.s2", "measure-15.s3", "measure-15.agencies",
        "notice.s1", "notice.s2", "notice.s3",
    ]
    assert segs[3].source == "第三句。" and segs[3].measure == 15 and segs[3].index == 3
    assert segs[-1].line == 30


zh_chars = st.sampled_from(list("上海口岸贸易便利化措施监管（）《》“”。！？；，、 \n9AEO"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(zh_chars, min_size=0, max_size=80), min_size=1, max_size=5))
def test_segmentation_is_lossless(texts):
    for text, sentences in zip(texts, split_sentences(texts), strict=True):
        assert "".join(sentences) == text
        assert all(sentences)
