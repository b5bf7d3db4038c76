"""Structure: the shipped notice + measures, and the general rules on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sourcetext import is_source_text

from bilingual.ingest import clean_text, read_source
from bilingual.model import (
    ADDRESSEE,
    AGENCIES,
    ATTACHMENT_TITLE,
    BODY,
    DATE,
    DISCLOSURE,
    DOC_NUMBER,
    ISSUER,
    MASTHEAD,
    MEASURE,
    PARAGRAPH,
    PREAMBLE,
    SECTION_TITLE,
    SIGNATORY,
    TITLE,
)
from bilingual.structure import NO_STRUCTURE_WARNING, chinese_numeral_to_int, parse, split_agencies
from bilingual.structure.numbering import match_label

SOURCE = Path(__file__).resolve().parent.parent / "translations" / "shanghai-port-2025" / "source.zh.txt"


@pytest.fixture(scope="module")
def doc():
    return parse(read_source(SOURCE))


def _by_key(doc):
    return {b.key: b for b in doc.blocks if b.kind not in (BODY, PREAMBLE)}


# --------------------------------------------------------------------------- the shipped file


def test_notice_fields(doc):
    assert doc.source == str(SOURCE)
    assert doc.doc_number == "沪商自贸〔2025〕181号"
    assert (
        doc.title
        == "上海市商务委等十部门和单位关于印发《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》的通知"
    )
    assert doc.date == "2025年6月27日"
    keys = _by_key(doc)
    assert keys["notice.masthead"].text == "文件"
    assert keys["notice.masthead"].line == 14
    assert keys["notice.doc-number"].kind == DOC_NUMBER
    assert keys["notice.title"].kind == TITLE
    assert keys["notice.title"].line == 18
    assert keys["notice.addressee"].text == "各相关单位："
    assert keys["notice.date"].kind == DATE
    assert keys["notice.disclosure"].text == "(此件主动公开发布)"
    assert keys["notice.disclosure"].kind == DISCLOSURE
    assert keys["attachment.title"].text == "上海口岸 2025 年促进跨境贸易便利化 专项行动若干措施"
    assert keys["attachment.title"].kind == ATTACHMENT_TITLE
    assert keys["attachment.title"].line == 53


def test_block_order(doc):
    kinds = [b.kind for b in doc.blocks]
    assert kinds[:15] == [ISSUER] * 10 + [MASTHEAD, DOC_NUMBER, TITLE, ADDRESSEE, BODY]
    assert kinds[15:29] == [SIGNATORY] * 10 + [DATE, DISCLOSURE, ATTACHMENT_TITLE, PREAMBLE]
    assert kinds[29] == SECTION_TITLE
    assert PARAGRAPH not in kinds
    assert len(doc.blocks) == 29 + 5 + 31 * 2


def test_issuers_and_signatories(doc):
    issuers = doc.blocks_of(ISSUER)
    signatories = doc.blocks_of(SIGNATORY)
    assert [b.key for b in issuers] == [f"notice.issuer-{k}" for k in range(1, 11)]
    assert [b.line for b in issuers] == list(range(3, 13))
    assert issuers[1].text == "上海市海归会"  # kept as written
    assert [b.key for b in signatories] == [f"notice.signatory-{k}" for k in range(1, 11)]
    assert [b.line for b in signatories] == list(range(29, 48, 2))
    assert signatories[1].text == "上海海关"


def test_masthead_warning(doc):
    assert len(doc.warnings) == 1
    warning = doc.warnings[0]
    assert "line 4" in warning and "上海市海归会" in warning and "上海海关" in warning
    assert "not a known issuing body" in warning
    assert "\n" not in warning
    assert "上海市海事局" not in warning  # same body as signatory 上海海事局


def test_body_and_preamble(doc):
    (body,) = doc.blocks_of(BODY)
    assert body.key == "notice"
    assert body.line == 24
    assert "认真落实党中央" in body.text and "决策部署" in body.text
    (preamble,) = doc.blocks_of(PREAMBLE)
    assert preamble.key == "preamble"
    assert preamble.line == 55


def test_sections(doc):
    sections = doc.blocks_of(SECTION_TITLE)
    assert [b.key for b in sections] == [f"section-{n}.title" for n in range(1, 6)]
    assert [b.label for b in sections] == ["一、", "二、", "三、", "四、", "五、"]
    assert [(b.number, b.section) for b in sections] == [(n, n) for n in range(1, 6)]
    assert [b.line for b in sections] == [57, 77, 91, 105, 121]
    assert doc.section_titles == {
        1: "优化监管模式，提升货物贸易便利化水平",
        2: "优化物流网络，持续提升物流枢纽能级",
        3: "加大政策支持，促进贸易新模式新业态发展",
        4: "推进互联互通，强化智慧口岸贸易赋能",
        5: "加强企业服务，进一步促进降本增效",
    }


def test_measures(doc):
    measures = doc.blocks_of(MEASURE)
    assert [b.number for b in measures] == list(range(1, 32))
    assert [b.measure for b in measures] == list(range(1, 32))
    assert [b.key for b in measures] == [f"measure-{n}" for n in range(1, 32)]
    per_section = [sum(1 for b in measures if b.section == s) for s in range(1, 6)]
    assert per_section == [7, 5, 4, 6, 9]
    labels = {b.number: b.label for b in measures}
    assert labels[1] == "(一)" and labels[4] == "（四）" and labels[15] == "（十五）"
    assert labels[17] == "(十七)" and labels[31] == "(三十一)"
    for b in measures:
        assert not b.text.startswith(("(", "（")), b.key
        assert b.text.endswith("。"), b.key
        assert not b.text.endswith("）"), b.key
    m3 = measures[2]
    assert m3.line == 63
    assert "根据国际邮轮实际需求" in m3.text
    assert m3.text.startswith("优化国际邮轮药械供船服务。")
    assert "（免于办理进口药品通关单）" in measures[5].text
    assert "《货物进口证明书（汽车、摩托车）》" in measures[1].text


def test_measure_titles(doc):
    titles = doc.measure_titles
    assert sorted(titles) == list(range(1, 32))
    assert titles[1] == "持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。"
    assert titles[23] == "加大“经认证的经营者”（AEO）企业联合激励。"
    assert titles[31] == "支持企业提升海外市场开拓能力。"
    assert all(t.endswith("。") and t.count("。") == 1 for t in titles.values())


def test_agencies(doc):
    measures = {b.number: b for b in doc.blocks_of(MEASURE)}
    agencies = {b.measure: b for b in doc.blocks_of(AGENCIES)}
    assert sorted(agencies) == list(range(1, 32))
    assert agencies[6].text == "（上海海关、市市场监管局、市药品监管局、市公安局）"
    assert agencies[6].agencies == ("上海海关", "市市场监管局", "市药品监管局", "市公安局")
    assert agencies[10].agencies == (
        "市交通委", "民航华东地区管理局", "上海海关", "市商务委", "市生态环境局", "机场集团",
    )  # fmt: skip
    assert agencies[15].agencies == (
        "上海海关", "上海海事局", "民航华东地区管理局", "市商务委", "市交通委", "市税务局", "上港集团", "机场集团",
    )  # fmt: skip
    assert agencies[23].agencies == ("市商务委", "人行上海总部", "上海金融监管局", "上海海关", "各区人民政府")
    assert agencies[29].agencies == (
        "市交通委", "市商务委", "上海海关", "上海海事局", "上海边检总站", "市市场监管局", "上港集团",
        "机场集团", "上海港口协会",
    )  # fmt: skip
    assert agencies[1].agencies == ("上海海关",)
    assert agencies[2].agencies == ("上海海关", "市公安局")
    for n, block in agencies.items():
        assert block.key == f"measure-{n}.agencies"
        assert block.agencies and block.agencies == measures[n].agencies
        assert block.section == measures[n].section and block.line == measures[n].line
        assert block.text.startswith("（") and block.text.endswith("）")
        for name in block.agencies:
            assert not any(
                term in name for term in ("MaaS", "AEO", "9610", "9810", "汽车", "免于", "(", "（")
            )
    # the measure text and its agencies rebuild the source line (after the label)
    for n, measure in measures.items():
        assert measure.text + agencies[n].text in {line[len(measure.label) :] for line in _source_lines()}


def _source_lines():
    return read_source(SOURCE).lines


def test_every_block_line_is_in_the_source(doc):
    clean = read_source(SOURCE)
    starts = set(clean.line_numbers)
    for block in doc.blocks:
        assert block.line in starts
        assert block.text


# --------------------------------------------------------------------------- general rules


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("十", 10), ("十一", 11), ("十九", 19), ("二十", 20), ("二十一", 21), ("三十一", 31),
        ("九十九", 99), ("一百", 100), ("百", 100), ("一百零五", 105), ("一百一十", 110), ("两百", 200),
        ("二〇二五", 2025), ("零", 0), ("15", 15), ("１５", 15),
    ],
)  # fmt: skip
def test_chinese_numerals(text, value):
    assert chinese_numeral_to_int(text) == value


@pytest.mark.parametrize("text", ["", "十十", "二三十", "abc", "一百十", "三十一x", "一二", "⑴", "²"])
def test_chinese_numerals_reject(text):
    with pytest.raises(ValueError, match=r"numeral"):
        chinese_numeral_to_int(text)


def test_a_list_of_numbers_is_no_label():
    """一二、三类 counts classes 1, 2 and 3: no unit numbered 12."""
    assert match_label("一二、三类口岸对外开放。") is None
    assert match_label("十二、三类口岸对外开放。").number == 12


def test_split_agencies():
    assert split_agencies("（上海海关、市公安局）") == ("上海海关", "市公安局")
    assert split_agencies("（牵头单位：市商务委；配合单位：市财政局、上海海关）") == (
        "市商务委",
        "市财政局",
        "上海海关",
    )


def test_no_structure_gives_paragraphs():
    doc = parse(clean_text("这是一段说明文字。\n\n另一段文字。\n"))
    assert [b.kind for b in doc.blocks] == [PARAGRAPH, PARAGRAPH]
    assert [b.key for b in doc.blocks] == ["paragraph-1", "paragraph-2"]
    assert doc.warnings == (NO_STRUCTURE_WARNING,)


def test_measures_without_notice_arabic_and_restart():
    text = (
        "上海市促进贸易便利化若干措施\n\n为落实有关要求，提出如下措施。\n\n"
        "一、总体要求\n\n（1）第一项。内容（MaaS）。（市商务委）\n\n(2)第二项。内容。\n\n"
        "二、保障措施\n\n（一）第三项。内容。（市财政局、上海海关）\n\n补充说明。\n"
    )
    doc = parse(clean_text(text))
    assert doc.title == "上海市促进贸易便利化若干措施"
    assert doc.blocks_of(ATTACHMENT_TITLE)[0].key == "attachment.title"
    measures = doc.blocks_of(MEASURE)
    assert [(b.key, b.label, b.number, b.section) for b in measures] == [  # numbering restarts: ids by section
        ("section-1.measure-1", "（1）", 1, 1),
        ("section-1.measure-2", "(2)", 2, 1),
        ("section-2.measure-1", "（一）", 1, 2),
    ]
    assert measures[0].text == "第一项。内容（MaaS）。"
    assert measures[0].agencies == ("市商务委",)
    assert measures[1].agencies == ()
    assert measures[2].agencies == ("市财政局", "上海海关")
    (paragraph,) = doc.blocks_of(PARAGRAPH)
    assert (paragraph.key, paragraph.section) == ("paragraph-1", 2)
    assert any("measure 2 has no final lead-agency parenthesis" in w for w in doc.warnings)
    assert not any("out of sequence" in w for w in doc.warnings)  # restart per section is fine


def test_inner_parenthesis_at_end_is_not_agencies():
    doc = parse(clean_text("一、总体要求\n\n（一）推进平台建设。依托国际集装箱运输服务平台（MaaS）\n"))
    (measure,) = doc.blocks_of(MEASURE)
    assert measure.agencies == ()
    assert measure.text.endswith("（MaaS）")
    assert not doc.blocks_of(AGENCIES)


def test_single_line_masthead():
    doc = parse(
        clean_text(
            "上海市商务委员会文件\n\n沪商规〔2024〕3号\n\n关于开展试点的通知\n\n各区商务主管部门：\n\n现将有关事项通知如下。\n\n上海市商务委员会\n\n2024年1月5日\n"
        )
    )
    assert [b.text for b in doc.blocks_of(ISSUER)] == ["上海市商务委员会"]
    assert doc.blocks_of(MASTHEAD)[0].text == "文件"
    assert doc.doc_number == "沪商规〔2024〕3号"
    assert doc.title == "关于开展试点的通知"
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["上海市商务委员会"]
    assert doc.date == "2024年1月5日"
    assert NO_STRUCTURE_WARNING in doc.warnings


def test_numbered_items_inside_notice_body():
    text = (
        "关于做好口岸工作的通知\n\n各区人民政府：\n\n现将有关事项通知如下：\n\n一、总体要求\n\n"
        "（一）加强领导。各单位要落实责任。\n\n上海市商务委员会\n\n上海海关\n\n2025年1月2日\n"
    )
    doc = parse(clean_text(text))
    assert doc.title == "关于做好口岸工作的通知"
    # Issue 7: the numbered parts of a notice body are structure (a State Council opinion or a
    # GACC announcement *is* such a body); they used to be flattened into notice.sN.
    assert [b.kind for b in doc.blocks] == [
        TITLE, ADDRESSEE, BODY, SECTION_TITLE, MEASURE, SIGNATORY, SIGNATORY, DATE,
    ]  # fmt: skip
    assert [b.key for b in doc.blocks][2:5] == ["notice", "section-1.title", "measure-1"]
    assert all(b.key == "notice" for b in doc.blocks_of(BODY))
    assert doc.date == "2025年1月2日"
    assert NO_STRUCTURE_WARNING not in doc.warnings


def test_invalid_numeral_label_is_a_paragraph():
    doc = parse(clean_text("一、总体要求\n\n（一）第一项。内容。（市商务委）\n\n十十、说明\n"))
    assert [b.kind for b in doc.blocks] == [SECTION_TITLE, MEASURE, AGENCIES, PARAGRAPH]


_LINES = st.sampled_from(
    [
        "上海市商务委员会", "文件", "沪商自贸〔2025〕181号", "关于印发若干措施的通知", "各相关单位：",
        "为贯彻落实有关要求，现印发给你们。", "上海海关", "2025年6月27日", "(此件主动公开发布)", "附件",
        "一、总体要求", "十十、说明", "（一）第一项。内容（AEO）。（市商务委、上海海关）", "(二)第二项。内容。",
        "（三十一）第三项", "（1）", "补充说明。", "（上海海关）",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=25))
def test_parse_never_fails_and_keeps_text(lines):
    assume(any("\u4e00" <= ch <= "\u9fff" for ch in "".join(lines)))
    clean = clean_text("\n\n".join(lines))
    doc = parse(clean)
    for block in doc.blocks:
        assert block.text
        assert is_source_text(block, clean)
        assert block.line in clean.line_numbers
    keys = [b.key for b in doc.blocks if b.kind not in (BODY, PREAMBLE, TITLE)]
    assert len(keys) == len(set(keys))


def test_masthead_line_naming_several_issuers():
    # A joint 红头 printed on one line (the three bodies, then 文件): one issuer entry each, in
    # the order printed, as the signatories below the text are split.
    doc = parse(
        clean_text(
            "上海市商务委员会 上海海关 上海市交通委员会文件\n\n沪商自贸〔2025〕7号\n\n关于优化口岸服务的通知\n\n"
            "各有关单位：\n\n一、优化服务。各单位要优化服务。（上海海关）\n\n"
            "上海市商务委员会  上海海关  上海市交通委员会\n\n2025年3月1日\n"
        )
    )
    issuers = doc.blocks_of(ISSUER)
    assert [(b.key, b.text) for b in issuers] == [
        ("notice.issuer-1", "上海市商务委员会"), ("notice.issuer-2", "上海海关"), ("notice.issuer-3", "上海市交通委员会"),
    ]  # fmt: skip
    assert {b.line for b in issuers} == {1}
    assert doc.blocks_of(MASTHEAD)[0].text == "文件"
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == [b.text for b in issuers]
    assert not any("masthead" in w for w in doc.warnings), doc.warnings


# --------------------------------------------------------------------------- English numbering
# The one convention for headings in English (README "The PO files translators review"): the
# build, the review page and the check all label a unit from its key with these rules.


@pytest.mark.parametrize(("unit", "number", "label"), [
    ("section", 1, "I."), ("section", 4, "IV."), ("section", 14, "XIV."),
    ("measure", 1, "(1)"), ("measure", 15, "(15)"),
    ("item", 1, "(a)"), ("item", 2, "(b)"), ("item", 26, "(z)"), ("item", 27, "(aa)"), ("item", 28, "(ab)"),
    ("item", 52, "(az)"), ("item", 53, "(ba)"), ("item", 702, "(zz)"), ("item", 703, "(aaa)"),
    ("sub", 1, "(i)"), ("sub", 9, "(ix)"),
    ("chapter", 3, "Chapter 3"), ("article", 12, "Article 12"), ("attachment", 2, "Attachment 2"),
])
def test_units_are_numbered_in_english_by_one_convention(unit, number, label):
    from bilingual.structure import english_label

    assert english_label(unit, number) == label


def test_an_unknown_unit_has_no_english_label():
    from bilingual.structure import english_label

    with pytest.raises(ValueError, match="unknown unit 'paragraph'"):
        english_label("paragraph", 1)


@pytest.mark.parametrize(("key", "label"), [
    ("section-2.title", "II."), ("measure-15.s3", "(15)"), ("measure-3.item-2.s1", "(b)"),
    ("section-1.measure-3.item-2.sub-4.s1", "(iv)"), ("article-7", "Article 7"), ("chapter-2.article-12.s1", "Article 12"),
    ("attachment-2.title", "Attachment 2"), ("notice.s1", ""), ("", ""), ("premeasure-3.s1", ""),
    ("xmeasure-3.item-1", "(a)"),
])
def test_a_key_is_labelled_by_its_innermost_numbered_unit(key, label):
    from bilingual.structure import key_label

    assert key_label(key) == label
