"""Segmentation: spaCy's sentencizer (Chinese vocabulary) + bracket guard, lossless, stable ids."""

import functools

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


def test_the_space_after_a_full_stop_belongs_to_no_sentence():
    """A web page's ``。 `` between sentences: each msgid is the sentence alone (a leading space
    made every such entry a whitespace finding, and MT output never mirrors it)."""
    doc = _doc(Block(model.BODY, "notice", "第一句话。 第二句话。\u3000第三句话。", 3))
    assert [s.source for s in segment_document(doc)] == ["第一句话。", "第二句话。", "第三句话。"]


zh_chars = st.sampled_from(list("上海口岸贸易便利化措施监管（）《》“”。！？；，、 \n9AEO"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(zh_chars, min_size=0, max_size=80), min_size=1, max_size=5))
def test_segmentation_is_lossless(texts):
    for text, sentences in zip(texts, split_sentences(texts), strict=True):
        assert "".join(sentences) == text
        assert all(sentences)



@functools.lru_cache(maxsize=1)
def _blank_zh():
    """The reference: spaCy's own blank Chinese ``Language`` with the sentencizer added the usual way."""
    import spacy

    from bilingual.segment import SENTENCE_END

    nlp = spacy.blank("zh")
    nlp.add_pipe("sentencizer", config={"punct_chars": list(SENTENCE_END)})
    return nlp


def _reference_sentences(text: str) -> list[str]:
    """The reference pipeline over the same Doc of characters, then the bracket guard."""
    from spacy.tokens import Doc

    from bilingual.segment import _bracket_guard

    nlp = _blank_zh()
    doc = nlp.get_pipe("sentencizer")(Doc(nlp.vocab, words=list(text), spaces=[False] * len(text)))
    return [span.text_with_ws for span in _bracket_guard(doc).sents] if text else []


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("上海口岸。！？!?“”‘’《》（）()【】「」〔〕，；…—\"' a1\n")), max_size=60))
def test_the_light_pipeline_splits_as_spacys_blank_chinese_pipeline(text):
    """sentence_pipeline() builds no spaCy ``Language`` (resolving its config costs the first split
    ~0.1 s); the sentences are those of ``spacy.blank("zh")`` + ``add_pipe("sentencizer")``."""
    from bilingual.segment import split_here

    assert split_here([text]) == [_reference_sentences(text)]


def test_the_light_pipeline_keeps_spacys_vocabulary_and_limit():
    """The sentencizer reads ``is_punct`` from the vocabulary: with spaCy's Chinese one, a closing
    quote or bracket after 。 is no sentence start (an empty vocabulary would split before ” and
    before （); the paragraph limit is spaCy's ``nlp.max_length``."""
    from bilingual.segment import sentence_pipeline, split_here

    text = "工作完成。”下一步。（附件）说明。"
    assert split_here([text]) == [["工作完成。”", "下一步。（附件）说明。"]] == [_reference_sentences(text)]
    assert sentence_pipeline().max_length == _blank_zh().max_length == 1_000_000
