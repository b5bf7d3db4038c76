"""Structure of Chinese official documents beyond the first one: the fixture layouts and the rules.

tests/fixtures/*.zh.txt are documents of the genre written for these tests, one layout each:

* opinion-headings     — 国务院办公厅…的意见: title, document number after it, a long addressee,
                          一、/（一）/1./（1） with prose, a heading-only （二）, unlabelled paragraphs;
* articles-numbered    — …管理办法: 第一条 … 第十条 with （一）（二） items, no headings;
* measures-responsibility — Tianjin-style notice + 若干措施: masthead, 附件： note, 附件 label,
                          1. 2. 3. measures under 一、 with 责任单位： / 配合单位： / 完成时限： lines;
* measures-table       — a 重点任务清单: a table of measures (序号 / 领域 / 重点任务 / 具体措施 /
                          牵头单位 / 配合单位 / 完成时限);
* gacc-announcement    — 海关总署公告2025年第18号: 一、二、 numbered paragraphs, 特此公告, 附件 list.
"""

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
    DISCLOSURE,
    DOC_NUMBER,
    ISSUER,
    MEASURE,
    PARAGRAPH,
    PREAMBLE,
    SECTION_TITLE,
    SIGNATORY,
    TITLE,
)
from bilingual.segment import segment_document
from bilingual.structure import (
    ATTACHMENT_LABEL,
    ATTACHMENT_NOTE,
    CHAPTER_TITLE,
    COPY_TO,
    DEADLINE,
    MEASURE_TITLE,
    NO_STRUCTURE_WARNING,
    PRINTED,
    TABLE_CELL,
    TABLE_HEADER,
    chinese_numeral_to_int,
    english_label,
    key_label,
    parse,
    split_agencies,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _doc(name: str):
    return parse(read_source(FIXTURES / name))


def _parse(text: str):
    return parse(clean_text(text))


def _keys(doc, kind=None) -> list[str]:
    return [b.key for b in doc.blocks if kind is None or b.kind == kind]


def _by_key(doc) -> dict:
    return {b.key: b for b in doc.blocks if b.kind not in (BODY, PREAMBLE)}


# --------------------------------------------------------------------------- the fixture layouts


def test_opinion_with_headings():
    doc = _doc("opinion-headings.zh.txt")
    assert doc.title == "国务院办公厅关于加快推进跨境贸易便利化促进外贸稳规模优结构的意见"
    assert doc.doc_number == "国办发〔2025〕9号"
    assert doc.date == "2025年3月10日"
    assert doc.warnings == ()
    keys = _by_key(doc)
    assert [b.kind for b in doc.blocks[:4]] == [TITLE, DOC_NUMBER, ADDRESSEE, BODY]
    assert keys["notice.addressee"].text == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    assert doc.section_titles == {
        1: "总体要求",
        2: "深化通关监管改革",
        3: "降低进出口环节成本",
        4: "强化组织保障",
    }
    assert _keys(doc, MEASURE) == [f"measure-{n}" for n in range(1, 8)]
    assert [b.section for b in doc.blocks_of(MEASURE)] == [2, 2, 2, 3, 3, 4, 4]
    assert doc.measure_titles[2] == "优化查验作业流程"  # a heading-only measure: one sentence
    items = [b for b in doc.blocks if ".item-" in b.key]
    assert [(b.key, b.label, b.measure) for b in items] == [
        ("measure-2.item-1", "1.", 2), ("measure-2.item-2", "2.", 2), ("measure-2.item-3", "3.", 2),
        ("measure-2.item-3.sub-1", "（1）", 2), ("measure-2.item-3.sub-2", "（2）", 2),
        ("measure-2.item-3.sub-3", "（3）", 2),
    ]  # fmt: skip
    assert all(b.kind == PARAGRAPH for b in items)
    paragraphs = [b for b in doc.blocks if b.key.startswith("paragraph-")]
    assert [(b.key, b.section, b.measure) for b in paragraphs] == [
        ("paragraph-1", 1, None), ("paragraph-2", 3, 5), ("paragraph-3", 3, 5),
    ]  # fmt: skip
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["国务院办公厅"]
    assert keys["notice.disclosure"].text == "（此件公开发布）"
    assert not doc.blocks_of(AGENCIES)


def test_numbered_articles_without_headings():
    doc = _doc("articles-numbered.zh.txt")
    assert doc.title == "上海市跨境贸易便利化专项资金管理办法"
    assert _keys(doc, ATTACHMENT_TITLE) == ["attachment.title"]
    articles = [b for b in doc.blocks if b.key.startswith("article-") and ".item-" not in b.key]
    assert [(b.key, b.number) for b in articles] == [(f"article-{n}", n) for n in range(1, 11)]
    assert articles[0].label == "第一条" and articles[0].text.startswith("为规范上海市跨境贸易便利化专项资金")
    assert [b.key for b in doc.blocks if ".item-" in b.key] == [
        *(f"article-4.item-{k}" for k in range(1, 5)), *(f"article-5.item-{k}" for k in range(1, 4)),
    ]  # fmt: skip
    assert not doc.blocks_of(MEASURE) and not doc.blocks_of(SECTION_TITLE)
    assert doc.warnings == ()
    assert key_label("article-4.item-2.s1") == "(b)"


def test_measures_with_responsibility_lines():
    doc = _doc("measures-responsibility.zh.txt")
    assert doc.doc_number == "津商口岸〔2025〕12号"
    assert doc.date == "2025年4月18日"
    assert doc.title.endswith("若干措施》的通知")
    assert doc.warnings == ()
    assert [b.text for b in doc.blocks_of(ISSUER)] == [b.text for b in doc.blocks_of(SIGNATORY)]
    keys = _by_key(doc)
    note = keys["notice.attachment-1"]
    assert (note.kind, note.label, note.text) == (
        ATTACHMENT_NOTE,
        "附件：",
        "天津口岸进一步优化营商环境促进跨境贸易便利化若干措施",
    )
    assert keys["notice.disclosure"].text == "（此件主动公开）"
    assert keys["attachment.label"].kind == ATTACHMENT_LABEL
    assert keys["attachment.title"].text == note.text
    assert doc.section_titles == {1: "提升通关效率", 2: "降低口岸成本", 3: "强化服务保障"}
    measures = doc.blocks_of(MEASURE)
    assert [(b.key, b.label, b.section) for b in measures] == [
        ("measure-1", "1.", 1), ("measure-2", "2.", 1), ("measure-3", "3.", 1), ("measure-4", "4.", 2),
        ("measure-5", "5.", 2), ("measure-6", "6.", 3), ("measure-7", "7.", 3),
    ]  # fmt: skip
    agencies = {b.key: b for b in doc.blocks_of(AGENCIES)}
    assert agencies["measure-1.agencies"].label == "责任单位："
    assert agencies["measure-1.agencies"].agencies == ("天津海关", "市交通运输委", "天津港集团")
    assert (agencies["measure-2.partners"].text, agencies["measure-2.partners"].agencies) == (
        "市交通运输委",
        (),
    )
    assert agencies["measure-3.agencies"].agencies == ("天津海关", "市农业农村委")  # （责任单位：…）
    assert agencies["measure-4.agencies"].label == "牵头单位："
    assert split_agencies(agencies["measure-4.partners"].text) == ("市市场监管委", "市交通运输委", "天津海关")
    assert agencies["measure-5.agencies"].text == "（市交通运输委、天津港集团）"  # a final parenthesis
    assert keys["measure-4.deadline"].kind == DEADLINE
    assert (keys["measure-4.deadline"].label, keys["measure-4.deadline"].text) == (
        "完成时限：",
        "2025年12月底前",
    )
    assert all(m.agencies == agencies[f"{m.key}.agencies"].agencies for m in measures)
    assert (keys["paragraph-1"].section, keys["paragraph-1"].measure) == (
        2,
        4,
    )  # measure 4's second paragraph


def test_table_of_measures():
    doc = _doc("measures-table.zh.txt")
    assert doc.title == "2025年上海口岸跨境贸易便利化重点任务清单"
    assert doc.warnings == ()
    assert [b.text for b in doc.blocks_of(TABLE_HEADER)] == [
        "序号", "领域", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限",
    ]  # fmt: skip
    assert _keys(doc, TABLE_HEADER) == [f"table-1.head.c{c}" for c in range(1, 8)]
    assert doc.section_titles == {1: "通关监管", 2: "物流服务", 3: "企业服务"}
    measures = doc.blocks_of(MEASURE)
    assert [(b.key, b.label, b.number, b.section) for b in measures] == [
        (f"measure-{n}", str(n), n, (n + 1) // 2) for n in range(1, 7)
    ]
    assert measures[2].text == "鼓励船公司在长三角区域增设异地提还箱点，推动提还箱预约全程线上办理。"
    assert [b.text for b in doc.blocks_of(MEASURE_TITLE)][:2] == ["推广“两步申报”模式", "推进智能审图"]
    assert doc.measure_titles[1] == "推广“两步申报”模式"
    keys = _by_key(doc)
    assert keys["measure-4.agencies"].agencies == ("民航华东地区管理局",)
    assert split_agencies(keys["measure-4.partners"].text) == ("机场集团", "东航物流")
    assert keys["measure-5.deadline"].text == "长期坚持"
    assert measures[3].agencies == ("民航华东地区管理局",)
    assert not doc.blocks_of(TABLE_CELL)
    assert _keys(doc, PARAGRAPH) == ["paragraph-1"]


def test_gacc_announcement():
    doc = _doc("gacc-announcement.zh.txt")
    assert doc.doc_number == "海关总署公告2025年第18号"
    assert doc.title == "关于进一步优化跨境电子商务出口海外仓监管有关事项的公告"
    assert doc.date == "2025年2月18日"
    assert doc.warnings == ()
    sections = [b for b in doc.blocks if b.key.startswith("section-")]
    assert [(b.key, b.kind, b.label) for b in sections] == [
        (f"section-{n}", PARAGRAPH, f"{'一二三四'[n - 1]}、") for n in range(1, 5)
    ]
    assert doc.section_titles[4] == "本公告自2025年3月1日起施行。"
    assert [b.text for b in doc.blocks_of(BODY)][-1] == "特此公告。"
    notes = doc.blocks_of(ATTACHMENT_NOTE)
    assert [(b.key, b.label, b.text) for b in notes] == [
        ("notice.attachment-1", "附件：1.", "跨境电子商务出口海外仓业务模式备案表"),
        ("notice.attachment-2", "2.", "跨境电子商务出口海外仓业务模式备案变更表"),
    ]
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["海关总署"]
    ids = [s.ctx for s in segment_document(doc)]
    assert "section-2.s2" in ids and "notice.s2" in ids


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.zh.txt")))
def test_fixture_blocks_are_source_text_with_unique_ids(name):
    clean = read_source(FIXTURES / name)
    doc = parse(clean)
    for block in doc.blocks:
        assert block.text and is_source_text(block, clean), block.key
        assert block.line in clean.line_numbers
    segments = segment_document(doc)  # raises on a duplicate id
    assert len({s.ctx for s in segments}) == len(segments)


# --------------------------------------------------------------------------- fallback


def test_unknown_layout_falls_back_to_paragraphs_with_a_warning():
    text = (
        "关于口岸营商环境情况的说明\n\n"
        "今年以来，口岸各单位围绕压缩通关时间开展了大量工作，一是优化流程，二是加强服务。\n\n"
        "下一步，我们将继续深化改革，进一步提升企业获得感。\n"
    )
    doc = _parse(text)
    assert [b.kind for b in doc.blocks] == [PARAGRAPH] * 3
    assert _keys(doc) == ["paragraph-1", "paragraph-2", "paragraph-3"]
    assert doc.warnings == (NO_STRUCTURE_WARNING,)


# --------------------------------------------------------------------------- general rules


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("（一）", "measure"), ("(一)", "measure"), ("( 二 )", "measure"), ("（十五）", "measure"),
        ("1.", "item"), ("1．", "item"), ("１．", "item"), ("1、", "item"),
        ("（1）", "item"), ("(1)", "item"), ("（１）", "item"), ("①", "item"),
    ],
)  # fmt: skip
def test_label_forms_under_a_measure(label, level):
    doc = _parse(f"一、总体要求\n\n（一）加强领导。各单位要落实责任。\n\n{label}细化措施。明确分工。\n")
    block = doc.blocks[-1]
    number = chinese_numeral_to_int(label.strip("（）() ")) if level == "measure" else 0
    # ids carry the printed number; a number printed twice falls back to the position
    expected = f"measure-{number if number != 1 else 2}" if level == "measure" else "measure-1.item-1"
    assert block.key == expected
    assert block.text == "细化措施。明确分工。"


def test_skipped_levels_and_restarts():
    text = (
        "一、提升通关效率\n\n1.推进提前申报。内容。\n\n（1）加强宣传。\n\n（2）优化系统。\n\n2.推广船边直提。内容。\n\n"
        "二、降低成本\n\n3.规范收费。内容。\n\n①清理收费。\n"
    )
    doc = _parse(text)
    assert _keys(doc) == [
        "section-1.title", "measure-1", "measure-1.item-1", "measure-1.item-2", "measure-2",
        "section-2.title", "measure-3", "measure-3.item-1",
    ]  # fmt: skip
    assert doc.warnings == ()


def test_out_of_sequence_labels_are_reported():
    doc = _parse("一、总体要求\n\n（一）第一项。\n\n1.甲。\n\n3.乙。\n\n三、保障\n")
    assert any("item label 3. out of sequence (item 2)" in w for w in doc.warnings)
    assert any("section label 三、 out of sequence (section 2)" in w for w in doc.warnings)


def test_chapters_articles_and_their_items():
    text = (
        "上海市口岸收费管理办法\n\n第一章 总则\n\n第一条 为规范口岸收费，制定本办法。\n\n"
        "第二条 本办法适用于本市口岸。\n\n第二章 收费管理\n\n第三条 收费主体应当遵守下列规定：\n\n"
        "（一）公示收费标准；\n\n1.在“单一窗口”公示；\n\n（二）不得强制服务。\n\n第四条 本办法自发布之日起施行。\n"
    )
    doc = _parse(text)
    assert _keys(doc) == [
        "attachment.title", "chapter-1.title", "article-1", "article-2", "chapter-2.title", "article-3",
        "article-3.item-1", "article-3.item-1.sub-1", "article-3.item-2", "article-4",
    ]  # fmt: skip
    chapter = doc.blocks_of(CHAPTER_TITLE)[1]
    assert (chapter.label, chapter.text, chapter.number) == ("第二章", "收费管理", 2)
    assert key_label("chapter-2.title") == "Chapter 2" and key_label("article-3.item-1.sub-1.s1") == "(i)"


def test_item_agencies_and_paragraph_closing_a_measure():
    text = (
        "一、总体要求\n\n（一）加强口岸建设。\n\n1.推进智慧口岸。内容。（市商务委）\n\n2.推进单一窗口。内容。\n\n"
        "（二）优化服务。内容。\n\n继续推进相关工作。（上海海关、市交通委）\n\n补充说明。\n"
    )
    doc = _parse(text)
    keys = _by_key(doc)
    assert keys["measure-1.item-1.agencies"].agencies == ("市商务委",)
    assert keys["measure-1.item-1"].agencies == ("市商务委",)
    assert keys["measure-2.agencies"].agencies == ("上海海关", "市交通委")
    assert keys["measure-2"].agencies == ("上海海关", "市交通委")
    assert keys["paragraph-1"].text == "继续推进相关工作。"
    assert (keys["paragraph-2"].measure, keys["paragraph-2"].text) == (2, "补充说明。")
    assert any("measure 1 has no final lead-agency parenthesis" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "number",
    ["沪商自贸〔2025〕181号", "国办发[2024]12号", "沪府规（2023）5号", "署税发［2025］3号", "津政发【2025】1号",
     "商务部公告〔2025〕第12号", "海关总署公告2025年第18号"],
)  # fmt: skip
def test_document_number_forms(number):
    doc = _parse(f"{number}\n\n关于开展试点工作的通知\n\n各有关单位：\n\n现将有关事项通知如下。\n")
    assert doc.doc_number == number
    assert doc.title == "关于开展试点工作的通知"


def test_dates_and_disclosure_forms():
    doc = _parse(
        "关于开展试点工作的通知\n\n各有关单位：\n\n请认真落实。\n\n上海海关\n\n二〇二五年六月二十七日\n\n（此件不予公开）\n"
    )
    assert doc.date == "二〇二五年六月二十七日"
    assert doc.blocks_of(DISCLOSURE)[0].text == "（此件不予公开）"


def test_several_attachments_and_trailer():
    text = (
        "关于印发两项措施的通知\n\n各有关单位：\n\n现将两项措施印发给你们。\n\n附件：\n\n1.通关便利化措施\n\n2.物流降本措施\n\n"
        "上海市商务委员会\n\n2025年5月6日\n\n附件1\n\n通关便利化措施\n\n为提升通关效率，制定本措施。\n\n"
        "一、优化流程\n\n（一）推广提前申报。内容。（上海海关）\n\n附件2\n\n物流降本措施\n\n为降低物流成本，制定本措施。\n\n"
        "一、规范收费\n\n（一）清理收费项目。内容。（市发展改革委）\n\n抄送：市人民政府办公厅。\n\n上海市商务委员会办公室 2025年5月6日印发\n"
    )
    doc = _parse(text)
    keys = _by_key(doc)
    assert [(b.key, b.label, b.text) for b in doc.blocks_of(ATTACHMENT_NOTE)] == [
        ("notice.attachment-1", "附件：1.", "通关便利化措施"),
        ("notice.attachment-2", "2.", "物流降本措施"),
    ]
    assert [b.key for b in doc.blocks_of(ATTACHMENT_LABEL)] == ["attachment.label", "attachment-2.label"]
    assert keys["attachment.title"].text == "通关便利化措施"
    assert keys["attachment-2.title"].text == "物流降本措施"
    assert [b.key for b in doc.blocks_of(PREAMBLE)] == ["preamble", "attachment-2.preamble"]
    assert _keys(doc, SECTION_TITLE) == ["section-1.title", "section-2.title"]
    assert _keys(doc, MEASURE) == ["section-1.measure-1", "section-2.measure-1"]  # restarts: ids by section
    assert doc.warnings == ()  # numbering restarts in each attachment
    assert (keys["notice.copy-to"].kind, keys["notice.copy-to"].text) == (COPY_TO, "市人民政府办公厅。")
    assert keys["notice.printed"].kind == PRINTED
    assert doc.date == "2025年5月6日"


def test_closing_signature_without_a_notice():
    text = (
        "关于加强口岸工作的意见\n\n一、总体要求\n\n（一）加强领导。内容。\n\n上海市人民政府\n\n2025年1月2日\n"
    )
    doc = _parse(text)
    assert _keys(doc)[-2:] == ["notice.signatory-1", "notice.date"]
    assert doc.date == "2025年1月2日"


def test_generic_table_is_cells():
    doc = _parse("口岸收费公示表\n\n| 项目 | 标准 |\n| 查验服务费 | 每箱100元 |\n| 吊装移位费 | 每箱80元 |\n")
    assert _keys(doc, TABLE_HEADER) == ["table-1.head.c1", "table-1.head.c2"]
    assert _keys(doc, TABLE_CELL) == ["table-1.r1.c1", "table-1.r1.c2", "table-1.r2.c1", "table-1.r2.c2"]
    assert doc.blocks_of(TABLE_CELL)[1].text == "每箱100元"
    doc = _parse("| 甲 | 乙 |\n| 丙 | 丁 |\n")
    assert _keys(doc) == ["table-1.r1.c1", "table-1.r1.c2", "table-1.r2.c1", "table-1.r2.c2"]


def test_english_labels():
    assert [english_label("section", n) for n in (1, 4, 9, 14)] == ["I.", "IV.", "IX.", "XIV."]
    assert english_label("measure", 15) == "(15)"
    assert [english_label("item", n) for n in (1, 2, 26, 27)] == ["(a)", "(b)", "(z)", "(aa)"]
    assert [english_label("sub", n) for n in (1, 4)] == ["(i)", "(iv)"]
    assert english_label("article", 7) == "Article 7" and english_label("attachment", 2) == "Attachment 2"
    assert key_label("section-2.title") == "II."
    assert key_label("measure-15.agencies") == "(15)"
    assert key_label("measure-3.item-2.sub-4.s1") == "(iv)"
    assert key_label("paragraph-3.s1") == "" and key_label("notice.title") == ""
    with pytest.raises(ValueError):
        english_label("paragraph", 1)


# --------------------------------------------------------------------------- properties

_LINES = st.sampled_from(
    [
        "上海市商务委员会", "文件", "海关总署公告2025年第18号", "关于印发若干措施的通知", "各有关单位：",
        "为贯彻落实有关要求，现印发给你们。", "上海海关", "2025年6月27日", "（此件公开发布）", "附件", "附件2",
        "附件：1.通关措施", "2.物流措施", "一、总体要求", "一、加强领导。各单位要落实。", "（一）第一项。内容。（市商务委）",
        "（二）第二项", "1.细化措施。", "（1）子项；", "①再细分。", "第一章 总则", "第三条 本办法自发布之日起施行。",
        "责任单位：市商务委、上海海关", "配合单位：市财政局", "完成时限：2025年底前", "特此通知。", "补充说明。",
        "| 序号 | 具体措施 | 牵头单位 |", "| 1 | 推进改革。 | 上海海关 |", "| 甲 | 乙 |", "抄送：市政府办公厅。",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=25))
def test_parse_never_fails_and_ids_are_unique(lines):
    assume(any("\u4e00" <= ch <= "\u9fff" for ch in "".join(lines)))
    clean = clean_text("\n\n".join(lines))
    doc = parse(clean)
    for block in doc.blocks:
        assert block.text
        assert is_source_text(block, clean)
        assert block.line in clean.line_numbers
    segments = segment_document(doc)
    assert len({s.ctx for s in segments}) == len(segments)
