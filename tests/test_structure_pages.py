"""Layouts an outside tester met on real pages: metadata tables, Traditional reprints, Kangxi
radicals, announcements, contact lines, dates in Chinese numerals.

Each test builds the page the way a user gets it (HTML with a metadata ``<table>``, text copied
from a table one cell per line …) and checks the parts a reader sees: title, number, addressee,
signatories, date, and that nothing of the page becomes a translatable entry.
"""

from __future__ import annotations

from bilingual.ingest import clean_text, read_source
from bilingual.model import ADDRESSEE, DATE, DOC_NUMBER, ISSUER, SIGNATORY, TITLE
from bilingual.segment import segment_document
from bilingual.structure import FURNITURE, TABLE_CELL, parse

_BODY = (
    "国务院办公厅关于优化口岸服务的通知\n"
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
    "为进一步优化口岸服务，经国务院同意，现就有关事项通知如下：\n"
    "一、提升通关效率。各地要压缩整体通关时间。（海关总署牵头）\n"
    "二、降低口岸费用。清理规范口岸收费。（国家发展改革委、交通运输部按职责分工负责）\n"
)
_CLOSING = "国务院办公厅\n2025年3月10日\n（此件公开发布）\n"

_META_ROWS = """
<tr><td><b>索 引 号：</b></td><td>000014349/2025-00031</td><td><b>主题分类：</b></td><td>综合政务\\对外事务</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2025年03月10日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院办公厅关于优化口岸服务的通知</td></tr>
<tr><td><b>发文字号：</b></td><td>国办发〔2025〕9号</td><td><b>发布日期：</b></td><td>2025年03月12日</td></tr>
"""


def _html(body: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in body.splitlines() if line)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div class="pages_content">'
            f"<table>{_META_ROWS}</table>\n{paragraphs}</div></body></html>")  # fmt: skip


def _first(doc, kind) -> str:
    found = doc.blocks_of(kind)
    return found[0].text if found else ""


def _check_head(doc) -> None:
    assert doc.title == "国务院办公厅关于优化口岸服务的通知"
    assert _first(doc, TITLE) == doc.title
    assert doc.doc_number == "国办发〔2025〕9号"
    assert _first(doc, ADDRESSEE).startswith("各省、自治区、直辖市人民政府")
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["国务院办公厅"]
    assert doc.date == "2025年3月10日"
    assert not doc.blocks_of(TABLE_CELL)
    translated = {s.ctx for s in segment_document(doc)}
    assert not any(ctx.startswith(("table-", "paragraph-")) for ctx in translated), sorted(translated)


def test_html_metadata_table_is_page_metadata_not_cells(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_html(_BODY + _CLOSING), encoding="utf-8")
    doc = parse(read_source(page))
    _check_head(doc)
    furniture = [b.text for b in doc.blocks_of(FURNITURE)]
    assert len(furniture) == 4 and furniture[0].startswith("| 索 引 号： |")
    number = doc.blocks_of(DOC_NUMBER)[0]
    assert number.label == "metadata: 发文字号"  # the body prints no number: the table gives it


def test_metadata_table_gives_date_and_issuer_when_the_body_has_none(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(_html(_BODY), encoding="utf-8")  # the page ends after the measures
    doc = parse(read_source(page))
    assert doc.date == "2025年03月10日"  # 成文日期, not 发布日期
    assert doc.blocks_of(DATE)[0].label == "metadata: 成文日期"
    issuer = doc.blocks_of(ISSUER)
    assert [b.text for b in issuer] == ["国务院办公厅"] and issuer[0].label == "metadata: 发文机关"


_ALTERNATE = [("索 引 号", "000014349/2025-00031"), ("主题分类", "综合政务\\对外事务"), ("发文机关", "国务院办公厅"),
              ("成文日期", "2025年03月10日"), ("标 题", "国务院办公厅关于优化口岸服务的通知"),
              ("发文字号", "国办发〔2025〕9号"), ("发布日期", "2025年03月12日")]  # fmt: skip


def test_metadata_on_alternate_lines_with_and_without_colons():
    for colon in ("：", ""):
        table = "".join(f"{label}{colon}\n{value}\n" for label, value in _ALTERNATE)
        doc = parse(clean_text(table + "\n" + _BODY + _CLOSING))
        _check_head(doc)
        assert len(doc.blocks_of(FURNITURE)) == 14, colon
        assert doc.blocks_of(DOC_NUMBER)[0].label == "metadata: 发文字号"


# --------------------------------------------------------------------------- Traditional reprints

_TRADITIONAL = (
    "寧波市人民政府關於降低口岸收費的通知\n"
    "甬政發〔2025〕21號\n"
    "各區縣（市）人民政府，市直各單位：\n"
    "一、降低口岸收費。清理規範口岸收費。（市發展改革委、寧波海關）\n"
    "二、加強領導。各部門要落實責任。（市商務局）\n"
    "\n寧波市人民政府\n2025年4月1日\n"
)


def test_traditional_document_number_and_title():
    for text in (_TRADITIONAL, _TRADITIONAL.replace("各區縣（市）人民政府，市直各單位：\n", "")):
        doc = parse(clean_text(text))
        assert doc.title == "寧波市人民政府關於降低口岸收費的通知"
        assert doc.doc_number == "甬政發〔2025〕21號"
        assert not doc.blocks_of(FURNITURE)  # the title line is the document's, not the page's
        assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["寧波市人民政府"]


def test_traditional_number_forms_render():
    from bilingual.render import render_announcement_number, render_doc_number_rule

    assert render_doc_number_rule("甬政發〔2025〕21號", None).text == "Yong Zheng Fa [2025] No. 21"
    assert render_announcement_number("公告2025年第18號", None) == "Announcement No. 18 of 2025"
    doc = parse(clean_text("寧波海關\n公 告\n2025年第3號\n為便利企業通關，現將有關事項公告如下。\n特此公告。\n寧波海關\n2025年4月1日\n"))
    assert doc.doc_number == "2025年第3號"


# --------------------------------------------------------------------------- look-alike ideographs


def test_kangxi_radicals_are_normalised_in_text_input():
    text = ("关于加强口岸管理的通知\n各区⼈⺠政府，市政府各部门：\n现将有关事项通知如下：\n⼀、优化通关服务\n"
            "（一）压缩通关时间。（上海海关）\n⼆、加强保障\n（二）落实责任。（市商务委）\n\n上海市⼈⺠政府\n2025年3月1日\n")  # fmt: skip
    clean = clean_text(text)
    assert ("look-alike", 2) in {(kind, line) for line, kind in clean.repairs}
    doc = parse(clean)
    assert _first(doc, ADDRESSEE) == "各区人民政府，市政府各部门："
    assert doc.section_titles == {1: "优化通关服务", 2: "加强保障"}
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["上海市人民政府"]
    assert clean_text("（一）上海海关，（AEO）").lines == ("（一）上海海关，（AEO）",)  # no NFKC beyond those blocks


def test_heading_after_a_full_pdf_line_is_not_joined(tmp_path):
    """A measure whose last line ends exactly at the right margin, then a heading set flush left
    (as Chromium prints one): the layout says "continues", the text says "a new section"."""
    import pytest
    from docbuilders import build_pdf, fonts_available

    if not fonts_available():
        pytest.skip("fonts-noto-cjk (Debian), for the test PDF")
    measure = "压缩整体通关时间，推广提前申报和两步申报模式，提高口岸通关效率，降低企业成本并优化服务等。（上海海关）"
    assert len("（一）" + measure) == 26 + 28  # two full lines: the first indented by two characters
    items = [("center-large", "关于加强口岸管理的通知"), ("flush", "各区人民政府，市政府各部门："),
             ("indent", "现将有关事项通知如下："), ("flush", "一、优化通关服务"), ("measure", measure, "（一）"),
             ("flush", "二、加强保障"), ("measure", "落实工作责任。（市商务委）", "（二）"),
             ("right", "上海市人民政府"), ("right", "2025年3月1日")]  # fmt: skip
    doc = parse(read_source(build_pdf(items, tmp_path / "doc.pdf")))
    assert doc.section_titles == {1: "优化通关服务", 2: "加强保障"}
    measures = [b for b in doc.blocks if b.key.startswith("measure-") and "." not in b.key]
    assert [b.text for b in measures] == [measure.removesuffix("（上海海关）"), "落实工作责任。"]


# --------------------------------------------------------------------------- announcements

_ANNOUNCEMENT = (
    "海关总署 商务部公告2025年第18号\n\n关于对部分物项实施出口管制的公告\n\n"
    "根据有关法律规定，经国务院批准，现将有关事项公告如下：\n一、对下列物项实施出口管制。\n"
    "二、本公告自发布之日起实施。\n特此公告。\n\n海关总署 商务部\n2025年4月4日\n"
)


def _check_announcement(doc) -> None:
    assert [b.text for b in doc.blocks_of(ISSUER)] == ["海关总署", "商务部"]
    assert doc.doc_number == "公告2025年第18号"
    assert doc.title == "关于对部分物项实施出口管制的公告"
    assert _first(doc, "body").startswith("根据有关法律规定")  # not glued to the number line
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["海关总署", "商务部"]


def test_joint_announcement_in_text_and_docx(tmp_path):
    from docbuilders import build_docx

    _check_announcement(parse(clean_text(_ANNOUNCEMENT)))
    items = [("center-large", "海关总署 商务部公告2025年第18号"), ("center-large", "关于对部分物项实施出口管制的公告"),
             ("indent", "根据有关法律规定，经国务院批准，现将有关事项公告如下："),
             ("indent", "一、对下列物项实施出口管制。"), ("indent", "二、本公告自发布之日起实施。"),
             ("indent", "特此公告。"), ("right", "海关总署 商务部"), ("right", "2025年4月4日")]  # fmt: skip
    _check_announcement(parse(read_source(build_docx(items, tmp_path / "a.docx"))))


def test_joint_announcement_renders_issuers_and_number(tmp_path):
    from bilingual.cli import main

    source, po = tmp_path / "a.txt", tmp_path / "a.en.po"
    source.write_text(_ANNOUNCEMENT, encoding="utf-8")
    assert main(["translate", str(source), "--engine", "none", "-o", str(po), "--no-cache", "--quiet"]) == 0
    import polib

    catalog = {e.msgctxt: e.msgstr for e in polib.pofile(str(po))}
    assert catalog["notice.doc-number"] == "Announcement No. 18 of 2025"
    assert "(GACC)" in catalog["notice.issuer-1"] and "(MOFCOM)" in catalog["notice.issuer-2"]


# --------------------------------------------------------------------------- contact after the attachment list


def test_contact_line_after_the_attachment_list_is_no_attachment():
    head = "关于加强口岸管理的通知\n各有关单位：\n现将有关事项通知如下：\n一、优化通关。对企业给予奖励。（上海海关）\n\n"
    tail = "\n上海市商务委员会\n2025年3月1日\n"
    for notes, contact in (("附件：1.口岸收费目录清单\n2.企业申报表\n", "联系人：张三，电话：021-12345678"),
                           ("附件：口岸收费目录清单\n", "（联系人：李四，电话：021-87654321）")):  # fmt: skip
        doc = parse(clean_text(head + notes + contact + "\n" + tail))
        assert [b.text for b in doc.blocks_of("attachment-note")] == (
            ["口岸收费目录清单", "企业申报表"] if "2." in notes else ["口岸收费目录清单"]
        )
        assert _first(doc, "contact") == contact
        assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["上海市商务委员会"]


# --------------------------------------------------------------------------- dates in Chinese numerals


def test_dates_in_chinese_numerals_render_and_impossible_ones_do_not():
    from bilingual.render import render_date

    assert render_date("二〇二五年三月十日") == "March 10, 2025"
    assert render_date("二〇二五年十二月三十一日") == "December 31, 2025"
    assert render_date("二零二五年六月二十七日") == "June 27, 2025"
    assert render_date("二〇〇三年三月十日") == "March 10, 2003"
    for impossible in ("二〇二五年二月三十日", "二〇二五年十三月一日", "二千零二十五年三月十日", "2025年2月30日"):
        assert render_date(impossible) is None, impossible


def test_chinese_numeral_date_is_built_in_english(tmp_path):
    import polib

    from bilingual.cli import main

    source, po = tmp_path / "n.txt", tmp_path / "n.en.po"
    source.write_text(_BODY + "国务院办公厅\n二〇二五年三月十日\n", encoding="utf-8")
    assert main(["translate", str(source), "--engine", "none", "-o", str(po), "--no-cache", "--quiet"]) == 0
    date = polib.pofile(str(po)).find("notice.date", by="msgctxt")
    assert (date.msgid, date.msgstr, date.fuzzy) == ("二〇二五年三月十日", "March 10, 2025", False)


# --------------------------------------------------------------------------- agency lists in English


def test_shared_responsibility_has_one_english_phrase_matching_the_glossary():
    from pathlib import Path

    from bilingual.glossary import load_glossary
    from bilingual.render import render_name_list

    glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
    phrase = glossary.english(glossary.lookup("按职责分工负责"))
    assert phrase == "each according to its responsibilities"
    plain = render_name_list("（海关总署、商务部按职责分工负责）", glossary).text
    labelled = render_name_list("(责任单位: 海关总署、商务部按职责分工负责。排名不分先后, 下同)", glossary).text
    for text in (plain, labelled):
        assert f", {phrase}" in text and f"; {phrase}" not in text, text  # a closing phrase, not a listed body
    assert "within its responsibilities" not in plain + labelled


def test_role_words_the_translator_wrote_are_not_doubled():
    from bilingual.build.layout import Piece, role_text

    for role, text in (("agencies", "Lead agency: Shanghai Customs"), ("agencies", "(Responsible units: Shanghai Customs)"),
                       ("agencies", "Lead agencies: Shanghai Customs"), ("partners", "Cooperating departments: Shanghai Customs"),
                       ("deadline", "Time limit: Shanghai Customs")):  # fmt: skip
        assert role_text(Piece("measure-1.agencies", "", text, "reviewed", 1), role) == "Shanghai Customs", text
    assert role_text(Piece("measure-1.agencies", "", "Leading Group Office", "reviewed", 1), "agencies") == (
        "Leading Group Office")  # a name, no role word


def test_masthead_with_several_issuers_on_one_line_is_split():
    text = ("海关总署 发展改革委 财政部\n文件\n署岸发〔2025〕5号\n关于优化口岸服务的通知\n各直属海关：\n"
            "一、提升通关效率。（海关总署、发展改革委按职责分工负责）\n\n海关总署 发展改革委 财政部\n2025年3月1日\n")  # fmt: skip
    doc = parse(clean_text(text))
    assert [b.text for b in doc.blocks_of(ISSUER)] == ["海关总署", "发展改革委", "财政部"]
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["海关总署", "发展改革委", "财政部"]
    assert not [w for w in doc.warnings if "masthead" in w]


def test_closing_provision_is_the_documents_not_the_last_measures(tmp_path):
    from bilingual.build import document_tree
    from bilingual.cli import main

    text = ("关于加强口岸管理的若干措施\n一、优化通关\n（一）压缩通关时间。\n1.推广提前申报。\n2.推广两步申报。\n"
            "（二）降低口岸费用。（上海海关）\n本措施自印发之日起施行，有效期至2027年12月31日。\n")  # fmt: skip
    doc = parse(clean_text(text))
    closing = doc.blocks[-1]
    assert closing.text.startswith("本措施") and (closing.section, closing.measure) == (None, None)
    source, po = tmp_path / "m.txt", tmp_path / "m.en.po"
    source.write_text(text, encoding="utf-8")
    assert main(["translate", str(source), "--engine", "pseudo", "-o", str(po), "--no-cache", "--quiet"]) == 0
    md = tmp_path / "m.en.md"
    assert main(["build", str(po), "--format", "md", "-o", str(md)]) == 0
    built = md.read_text(encoding="utf-8")
    assert built.rindex("2027") > built.index("*Lead agencies:*")  # after the last measure, agencies and all
    import polib

    (container,) = document_tree(polib.pofile(str(po)))
    assert container.children[-1].kind == "paragraph"  # a paragraph of the document, not of measure (2)
