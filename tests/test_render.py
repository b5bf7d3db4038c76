"""render.py: the deterministic English of numbers, dates, deadlines, role lines and labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual import model
from bilingual.check import chinese_left, missing_numbers, missing_terms
from bilingual.glossary import load_glossary
from bilingual.model import Segment
from bilingual.render import (
    render_announcement_number,
    render_attachment_label,
    render_date,
    render_deadline,
    render_doc_number,
    render_doc_number_rule,
    render_name_list,
    render_printed,
    render_role_line,
    render_segment,
)

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary"


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY)


def seg(ctx: str, source: str, kind: str) -> Segment:
    return Segment(ctx=ctx, source=source, kind=kind, line=1)


# --------------------------------------------------------------------------- numbers


GACC = "General Administration of Customs of the People's Republic of China"
MOFCOM = "Ministry of Commerce of the People's Republic of China"


@pytest.mark.parametrize(("zh", "en"), [
    ("海关总署公告2025年第18号", f"Announcement No. 18 of 2025 of the {GACC} (GACC)"),
    ("海关总署公告 2025 年第 7 号", f"Announcement No. 7 of 2025 of the {GACC} (GACC)"),
    ("中华人民共和国海关总署公告2024年第103号", f"Announcement No. 103 of 2024 of the {GACC}"),  # full form
    ("商务部公告2025年第10号", f"Announcement No. 10 of 2025 of the {MOFCOM} (MOFCOM)"),
    ("海关总署令第262号", f"Decree No. 262 of the {GACC} (GACC)"),
    ("海关总署通告2025年第2号", f"Public Notice No. 2 of 2025 of the {GACC} (GACC)"),
    ("国务院令第700号", "Decree No. 700 of the State Council"),
    ("公告2025年第3号", "Announcement No. 3 of 2025"),
])
def test_announcement_numbers(g, zh, en):
    assert render_announcement_number(zh, g) == en
    assert missing_numbers(zh, en) == []  # what check asks of a translator: numbers …
    assert missing_terms(zh, en, g) == []  # … and the approved English of the issuer


def test_announcement_with_an_unknown_issuer_is_left_to_mt(g):
    assert render_announcement_number("某某局公告2025年第1号", g) is None
    assert render_segment(seg("notice.doc-number", "某某局公告2025年第1号", model.DOC_NUMBER), g) is None
    rendered = render_segment(seg("notice.doc-number", "海关总署公告2025年第18号", model.DOC_NUMBER), g)
    assert (rendered.text, rendered.origin, rendered.fuzzy) == (
        f"Announcement No. 18 of 2025 of the {GACC} (GACC)", "rule (announcement number)", False)


@pytest.mark.parametrize("zh", ["沪商自贸〔2025〕181号", "沪商自贸[2025]181号", "沪商自贸（2025）181号",
                                "沪商自贸［2025］181号", "沪商自贸(2025)181号", "沪商自贸〔2025〕第181号",
                                "沪商自贸 〔2025〕 181 号"])
def test_document_number_variants(g, zh):
    assert render_doc_number(zh, g) == "Hu Shang Zi Mao [2025] No. 181"
    assert missing_numbers(zh, "Hu Shang Zi Mao [2025] No. 181") == []


def test_document_number_with_an_unknown_prefix_is_in_pinyin(g):
    rendered = render_doc_number_rule("国办发〔2025〕9号", g)
    assert (rendered.text, rendered.fuzzy) == ("Guo Ban Fa [2025] No. 9", False)
    assert rendered.comments == ["document-number prefix in pinyin: 国办发 = Guo Ban Fa"]
    assert render_segment(seg("notice.doc-number", "国办发〔2025〕9号", model.DOC_NUMBER), g).text == (
        "Guo Ban Fa [2025] No. 9")
    # a prefix without Chinese characters is kept as written, fuzzy
    rendered = render_doc_number_rule("ABC〔2025〕9号", g)
    assert (rendered.text, rendered.fuzzy) == ("ABC [2025] No. 9", True)
    assert render_segment(seg("paragraph-1.s1", "ABC〔2025〕9号", model.PARAGRAPH), g) is None


def test_dates():
    assert render_date("2025年6月27日") == "June 27, 2025"
    assert render_date("2025 年 12 月 1 日") == "December 1, 2025"
    assert render_date("2025年13月1日") is None


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(("zh", "en"), [
    ("2025年12月底前", "by the end of December 2025"),
    ("2025年6月底前", "by the end of June 2025"),
    ("2025年底前", "by the end of 2025"),
    ("2025年年底前", "by the end of 2025"),
    ("2025年底", "by the end of 2025"),
    ("2025年12月底", "by the end of December 2025"),
    ("2025年末", "by the end of 2025"),
    ("2025年6月30日前", "by June 30, 2025"),
    ("2025年6月30日", "June 30, 2025"),
    ("2025年6月前", "before June 2025"),
    ("2025年6月", "June 2025"),
    ("2025年", "2025"),
    ("2025年上半年", "in the first half of 2025"),
    ("2025年下半年", "in the second half of 2025"),
    ("2025年第三季度", "in the third quarter of 2025"),
    ("2025年一季度末", "by the end of the first quarter of 2025"),
    ("长期坚持", "ongoing"),
    ("持续推进", "ongoing"),
    ("长期坚持。", "ongoing"),
])
def test_deadlines(zh, en):
    assert render_deadline(zh) == en
    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize("zh", ["2025年6月底前完成试点，12月底前全面推广", "按计划推进", "2025年13月底前", ""])
def test_deadlines_that_need_a_translator(zh):
    assert render_deadline(zh) is None


# --------------------------------------------------------------------------- role lines


def test_lead_agencies_with_the_role_written(g):
    rendered = render_role_line("责任单位：上海海关、市交通委", g)
    assert rendered.text == "Lead agencies: Shanghai Customs; Shanghai Municipal Commission of Transport"
    assert not rendered.fuzzy
    assert render_role_line("牵头单位：市商务委", g).text == "Lead agencies: Shanghai Municipal Commission of Commerce"
    assert render_role_line("（责任单位：上海海关）", g).text == "(Lead agencies: Shanghai Customs)"


def test_partners_and_deadlines_with_the_role_written(g):
    assert render_role_line("配合单位：上港集团、上海海关", g).text == (
        "Partner agencies: Shanghai International Port (Group) Co., Ltd. (SIPG); Shanghai Customs")
    assert render_role_line("完成时限：2025年12月底前", g).text == "Deadline: by the end of December 2025"
    assert render_role_line("完成时间：长期坚持", g).text == "Deadline: ongoing"


def test_role_lines_without_the_role_take_it_from_the_key(g):
    # structure keeps 责任单位： in Block.label: the segment is the names, the build adds the label
    assert render_segment(seg("measure-2.partners", "市交通委、上港集团", model.AGENCIES), g).text == (
        "Shanghai Municipal Commission of Transport; Shanghai International Port (Group) Co., Ltd. (SIPG)")
    deadline = render_segment(seg("measure-4.deadline", "2025年12月底前", "deadline"), g)
    assert (deadline.text, deadline.origin) == ("by the end of December 2025", "rule (deadline)")
    lead = render_segment(seg("measure-1.agencies", "责任单位：上海海关", model.AGENCIES), g)
    assert lead.text == "Lead agencies: Shanghai Customs"
    # a deadline cell the rules do not know goes to MT
    assert render_segment(seg("measure-4.deadline", "2025年6月底前完成试点，12月底前全面推广", "deadline"), g) is None


def test_unknown_names_stay_in_chinese_and_are_fuzzy(g):
    rendered = render_segment(seg("measure-2.partners", "配合单位：市交通委、天津某某物流集团", model.AGENCIES), g)
    assert rendered.text == "Partner agencies: Shanghai Municipal Commission of Transport; 天津某某物流集团"
    assert rendered.fuzzy
    assert rendered.comments == ["not in glossary: 天津某某物流集团 (add it to glossary/ and re-run)"]
    assert chinese_left(rendered.text) == ["天津某某物流集团"]  # check shows it to the translator


def test_an_order_signed_by_its_head_is_one_person_to_write_by_hand(g):
    """``署 长 牟新生`` (corpus 16) is an office and a person's name: one comment saying so, not the
    made-up bodies 署 and 长牟新生 with a closest known body each; and no body for coverage to add."""
    from bilingual.suspects import document_suspects, suspect_comments

    head = seg("notice.signatory-1", "署 长 牟新生", model.SIGNATORY)
    [comment] = suspect_comments(head, g)
    assert comment.startswith("suspect name: 署 长 牟新生 (the office and name of the body's head, a person")
    assert not document_suspects([head], g)
    body = seg("notice.signatory-2", "天津某某物流集团", model.SIGNATORY)
    assert suspect_comments(body, g) and document_suspects([head, body], g) == {"天津某某物流集团": 1}


def test_grouped_roles_in_one_parenthesis(g):
    rendered = render_name_list("（牵头单位：市商务委；配合单位：上海海关）", g)
    assert rendered.text == ("(Lead agencies: Shanghai Municipal Commission of Commerce. "
                             "Partner agencies: Shanghai Customs)")
    assert render_name_list("（上海海关、市公安局）", g).text == (
        "(Shanghai Customs; Shanghai Municipal Bureau of Public Security)")


# --------------------------------------------------------------------------- labels and lines


def test_attachment_labels_and_table_headers(g):
    assert render_attachment_label("附件") == "Attachment"
    assert render_attachment_label("附件2") == "Attachment 2"
    assert render_attachment_label("附件 3：") == "Attachment 3"
    assert render_attachment_label("附件说明") is None
    assert render_segment(seg("attachment-2.label", "附件2", "attachment-label"), g).text == "Attachment 2"
    headers = {zh: render_segment(seg("table-1.head.c1", zh, "table-header"), g)
               for zh in ("序号", "牵头单位", "配合单位", "完成时限", "具体措施")}
    assert {zh: r.text if r else None for zh, r in headers.items()} == {
        "序号": "No.", "牵头单位": "Lead agencies", "配合单位": "Partner agencies", "完成时限": "Deadline",
        "具体措施": None}


def test_imprint_line(g):
    assert render_printed("上海市商务委员会 2025年6月27日印发", g) == (
        "Issued by Shanghai Municipal Commission of Commerce on June 27, 2025")
    assert render_printed("某某办公室 2025年6月27日印发", g) is None
    assert render_segment(seg("notice.printed", "上海市商务委员会 2025年6月27日印发", "printed"), g).origin == (
        "rule (imprint)")


def test_without_a_glossary(g):
    assert render_segment(seg("measure-1.deadline", "2025年底前", "deadline"), None).text == "by the end of 2025"
    rendered = render_segment(seg("measure-1.agencies", "上海海关", model.AGENCIES), None)
    assert (rendered.text, rendered.fuzzy) == ("上海海关", True)
    assert render_segment(seg("notice.doc-number", "海关总署公告2025年第18号", model.DOC_NUMBER), None) is None


# --------------------------------------------------------------------------- agency clauses (issue 12)

GACC_EN = "General Administration of Customs of the People's Republic of China (GACC)"


def test_agency_clause_with_role_shared_responsibility_and_note(g):
    text = "(责任单位: 海关总署、商务部按职责分工负责。排名不分先后, 下同)"
    rendered = render_segment(seg("measure-1.agencies", text, model.AGENCIES), g)
    mofcom = g.english(g.lookup("商务部"))
    assert rendered.text == (f"(Lead agencies: {GACC_EN}; {mofcom}, each according to its responsibilities. "
                             "Listed in no particular order; the same applies below)")  # fmt: skip
    assert rendered.origin == "glossary" and not rendered.fuzzy


def test_agency_clause_with_lead_and_partners_and_others(g):
    assert render_name_list("（海关总署牵头，商务部配合）", g).text == (
        f"(Lead agencies: {GACC_EN}. Partner agencies: {g.english(g.lookup('商务部'))})")
    assert render_name_list("（海关总署、商务部等按职责分工负责）", g).text == (
        f"({GACC_EN}; {g.english(g.lookup('商务部'))} and others, each according to its responsibilities)")


def test_agency_clause_names_missing_from_the_glossary_stay_chinese_and_are_flagged(g):
    rendered = render_name_list("(责任单位: 青岛海关、某某港务集团按职责分工负责。各相关单位按行政序列排序, 下同)", g)
    assert "某某港务集团" in rendered.text and "Listed in administrative order" in rendered.text
    assert rendered.fuzzy and any("某某港务集团" in c for c in rendered.comments)


def test_inline_agency_clause_is_rendered_not_translated(g):
    rendered = render_segment(seg("measure-1.s3", "(责任单位:海关总署)", model.AGENCIES), g)
    assert rendered.text == f"(Lead agencies: {GACC_EN})"


def test_plain_agency_list_keeps_its_english(g):
    assert render_name_list("（上海海关、市公安局）", g).text == (
        "(Shanghai Customs; Shanghai Municipal Bureau of Public Security)")


# --------------------------------------------------------------------------- which rule, said in the PO


@pytest.mark.parametrize(("ctx", "zh", "kind", "expected"), [
    ("notice.date", "2025年6月27日", model.DATE, ("June 27, 2025", "rule (date)")),
    ("measure-3.s2", "2025年6月27日", model.PARAGRAPH, ("June 27, 2025", "rule (date)")),  # a date alone
    ("notice.doc-number", "〔2025〕181号", model.DOC_NUMBER, ("[2025] No. 181", "rule (document number)")),
    ("measure-3.s1", "沪商自贸〔2025〕181号", model.PARAGRAPH, ("Hu Shang Zi Mao [2025] No. 181", "rule (document number)")),
    ("notice.s1", "海关总署公告2025年第18号", model.PARAGRAPH,
     (f"Announcement No. 18 of 2025 of the {GACC} (GACC)", "rule (announcement number)")),
    ("notice.masthead", "文件", model.MASTHEAD, ("Document", "rule (masthead)")),
    ("notice.masthead", "令", model.MASTHEAD, ("Decree", "rule (masthead)")),  # 中华人民共和国海关总署令
    ("notice.masthead", "公 告", model.MASTHEAD, ("Announcement", "rule (masthead)")),
    ("notice.doc-number", "第 131 号", model.DOC_NUMBER, ("No. 131", "rule (document number)")),  # under a 令
    ("notice.doc-number", "〔十四届〕第五十四号", model.DOC_NUMBER, ("[14th] No. 54", "rule (document number)")),
    ("notice.doc-number", "〔十三届〕第 3 号", model.DOC_NUMBER, ("[13th] No. 3", "rule (document number)")),
    ("notice.doc-number", "〔二十一届〕第二十二号", model.DOC_NUMBER, ("[21st] No. 22", "rule (document number)")),
    ("notice.masthead", "上海市商务委员会", model.MASTHEAD, ("Shanghai Municipal Commission of Commerce", "glossary")),
    ("attachment-1.label", "附件1", "attachment-label", ("Attachment 1", "rule (attachment label)")),
    ("table-1.head.c2", "牵头单位", "table-header", ("Lead agencies", "rule (table header)")),
    ("measure-1.deadline", "2025年底前", "deadline", ("by the end of 2025", "rule (deadline)")),
    ("measure-1.deadline", "长期坚持", model.AGENCIES, ("ongoing", "rule (deadline)")),  # the key's role wins
    ("measure-1.partners", "上海海关", model.PARAGRAPH, ("Shanghai Customs", "glossary")),
    ("measure-1.s1", "上海海关、市交通委", model.PARAGRAPH,
     ("Shanghai Customs; Shanghai Municipal Commission of Transport", "glossary")),
])
def test_each_rule_made_entry_says_which_rule_made_it(g, ctx, zh, kind, expected):
    """The origin becomes the entry's ``origin:`` comment: the translator sees which rule wrote it."""
    rendered = render_segment(seg(ctx, zh, kind), g)
    assert (rendered.text, rendered.origin) == expected
    assert not rendered.fuzzy and rendered.comments == []


@pytest.mark.parametrize(("ctx", "zh", "kind"), [
    ("measure-3.s1", "文件", model.PARAGRAPH),  # 文件 is "Document" only closing a masthead
    ("measure-3.s1", "第 131 号", model.PARAGRAPH),  # a bare number only where the number is
    ("measure-3.s1", "〔十四届〕第五十四号", model.PARAGRAPH),
    ("measure-1.s2", "2025年底前", model.PARAGRAPH),  # a deadline only where a deadline is
    ("notice.date", "6月底", model.DATE),
    ("attachment-1.label", "附件说明", "attachment-label"),
    ("table-1.head.c1", "具体措施", "table-header"),
    ("notice.printed", "某某办公室 2025年6月27日印发", "printed"),
    ("measure-1.s1", "优化国际邮轮药械供船服务。", model.PARAGRAPH),
    ("preamble", "2025年底前", model.PREAMBLE),  # a key without a role part
])
def test_what_no_rule_covers_is_left_to_translation(g, ctx, zh, kind):
    assert render_segment(seg(ctx, zh, kind), g) is None


def test_an_impossible_date_is_left_empty_for_review_with_the_reason(g):
    rendered = render_segment(seg("notice.date", "2025年6月32日", model.DATE), g)
    assert (rendered.text, rendered.origin, rendered.fuzzy) == ("", "rule (date)", False)
    assert rendered.comments == ["not a calendar date: 2025年6月32日; check the source"]


@pytest.mark.parametrize(("zh", "en"), [
    ("2025年1月底前", "by the end of January 2025"),
    ("2025年12月底前", "by the end of December 2025"),
    ("2025年6月30日前", "by June 30, 2025"),
    ("2025年6月30日底前", None),  # the end of a day: not a deadline the rules know
    ("2025年上半年前", None),  # before the first half: ambiguous, a translator decides
    ("2025年上半年底前", None),
    ("2025年0月底前", None), ("2025年13月底前", None),
])
def test_deadline_rules_at_their_edges(zh, en):
    assert render_deadline(zh) == en


def test_a_deadline_is_found_by_the_key_or_the_cell_it_sits_in(g):
    # section-scoped keys (numbering restarting per section) end in the same role part
    scoped = render_segment(seg("section-1.measure-2.deadline", "2025年底前", model.PARAGRAPH), g)
    assert (scoped.text, scoped.origin) == ("by the end of 2025", "rule (deadline)")
    cell = render_segment(seg("table-1.r2.c4", "2025年底前", "deadline"), g)  # a table's deadline column
    assert (cell.text, cell.origin) == ("by the end of 2025", "rule (deadline)")


def test_a_name_the_glossary_knows_whole_is_not_split_at_its_commas(g):
    rendered = render_name_list("货物进口证明书（汽车、摩托车）", g)
    assert (rendered.text, rendered.fuzzy) == ("Certificate of Import of Goods (Automobiles and Motorcycles)", False)


def test_name_lists_never_lose_a_name_or_a_character(g):
    rendered = render_name_list("上海海关、、某某港务集团", g)  # an empty place between two 、
    assert (rendered.text, rendered.origin, rendered.fuzzy) == ("Shanghai Customs; 某某港务集团", "glossary", True)
    unbalanced = render_name_list("（上海海关、某某港务集团", g)  # an opening bracket alone does not wrap the list
    assert (unbalanced.text, unbalanced.origin) == ("（上海海关; 某某港务集团", "glossary")


def test_an_imprint_is_rendered_only_with_a_glossary(g):
    text = "上海市商务委员会 2025年6月27日印发"
    assert render_printed(text, None) is None
    rendered = render_segment(seg("notice.printed", text, "printed"), g)
    assert (rendered.text, rendered.origin) == (
        "Issued by Shanghai Municipal Commission of Commerce on June 27, 2025", "rule (imprint)")


@pytest.mark.parametrize(("term", "english"), [
    ("一", "1st"), ("二", "2nd"), ("三", "3rd"), ("四", "4th"), ("十", "10th"), ("十一", "11th"), ("十二", "12th"),
    ("十三", "13th"), ("十四", "14th"), ("二十", "20th"), ("二十一", "21st"), ("二十二", "22nd"),
    ("二十三", "23rd"), ("一百零一", "101st"), ("一百一十一", "111th"), ("一百一十二", "112th"), ("113", "113th"),
])
def test_a_congress_terms_ordinal_is_english(g, term, english):
    """〔N届〕: the congress's term as an English ordinal (11th–13th, not 11st–13rd; 21st, 101st)."""
    rendered = render_segment(seg("notice.doc-number", f"〔{term}届〕第五号", model.DOC_NUMBER), g)
    assert rendered.text == f"[{english}] No. 5"
