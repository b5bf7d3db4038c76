"""Agency clauses with several role groups, rendered from the glossary (fast, in-process).

The forms are those of ``render._render_role_groups``'s docstring and the corpus: a clause whose
groups write different roles keeps each group's label; 责任单位 next to a 牵头 group is
"Responsible agencies" (alone it is "Lead agencies"); 等 is "and others"; 按职责分工负责 is the
glossary's English of that phrase, else the default; a name the glossary lacks stays in Chinese,
fuzzy, with a comment. Expected English written by hand from those rules.
"""

from __future__ import annotations

import pytest
from pofactory import FakeGlossary, fake_glossary

from bilingual.render import render_name_list

SECURITY = "Shanghai Municipal Bureau of Public Security"


@pytest.mark.parametrize(("text", "english"), [
    ("（牵头单位：上海海关；责任单位：市公安局）",
     f"(Lead agencies: Shanghai Customs. Responsible agencies: {SECURITY})"),
    ("（主责部门：上海海关；责任部门：市公安局、跨境电商）",
     f"(Lead agencies: Shanghai Customs. Responsible agencies: {SECURITY}; cross-border e-commerce)"),
    ("（牵头单位：上海海关；配合单位：市公安局）", f"(Lead agencies: Shanghai Customs. Partner agencies: {SECURITY})"),
    ("责任单位：上海海关；配合单位：市公安局", f"Lead agencies: Shanghai Customs. Partner agencies: {SECURITY}"),
    ("（牵头单位：上海海关；责任单位：市公安局等按职责分工负责）",
     f"(Lead agencies: Shanghai Customs. Responsible agencies: {SECURITY} and others, "
     "each according to its responsibilities)"),
])  # fmt: skip
def test_each_role_group_keeps_its_label(text, english):
    rendered = render_name_list(text, fake_glossary())
    assert (rendered.text, rendered.origin, rendered.fuzzy, rendered.comments) == (english, "glossary", False, [])


def test_the_glossarys_english_of_the_shared_responsibility_phrase_wins():
    glossary = FakeGlossary({"上海海关": "Shanghai Customs", "市公安局": "Public Security",
                             "按职责分工负责": "according to their respective duties"})
    rendered = render_name_list("（牵头单位：上海海关；责任单位：市公安局按职责分工负责）", glossary)
    assert rendered.text == ("(Lead agencies: Shanghai Customs. Responsible agencies: Public Security, "
                             "according to their respective duties)")


def test_a_name_the_glossary_lacks_stays_in_chinese_fuzzy_with_a_comment():
    rendered = render_name_list("（主办单位：上海海关；协办单位：市某某局）", fake_glossary())
    assert rendered.text == "(Lead agencies: Shanghai Customs. Partner agencies: 市某某局)"
    assert rendered.fuzzy and rendered.comments == ["not in glossary: 市某某局 (add it to glossary/ and re-run)"]


@pytest.mark.parametrize(("text", "english"), [
    ("（上海海关、市某某局）", "(Shanghai Customs; 市某某局)"),
    ("上海海关、市某某局", "Shanghai Customs; 市某某局"),
    ("(上海海关，市某某局)", "(Shanghai Customs; 市某某局)"),
    ("（上海海关；市某某局）", "(Shanghai Customs; 市某某局)"),
])  # fmt: skip
def test_a_list_with_an_unknown_name_keeps_its_brackets_and_the_known_names(text, english):
    rendered = render_name_list(text, fake_glossary())
    assert (rendered.text, rendered.fuzzy) == (english, True)
    assert rendered.comments == ["not in glossary: 市某某局 (add it to glossary/ and re-run)"]


@pytest.mark.parametrize("glossary", [fake_glossary(), None])
def test_a_document_number_prefix_the_glossary_lacks_is_written_in_pinyin(glossary):
    from bilingual.render import render_doc_number, render_doc_number_rule

    rendered = render_doc_number_rule("沪商自贸〔2025〕181号", glossary)
    assert (rendered.text, rendered.origin, rendered.fuzzy, rendered.comments) == (
        "Hu Shang Zi Mao [2025] No. 181", "rule (document number)", False,
        ["document-number prefix in pinyin: 沪商自贸 = Hu Shang Zi Mao"])
    assert render_doc_number("沪商自贸〔2025〕181号", glossary) == "Hu Shang Zi Mao [2025] No. 181"


def test_a_document_number_prefix_without_chinese_is_left_to_the_reviewer():
    from bilingual.render import render_doc_number, render_doc_number_rule

    rendered = render_doc_number_rule("ABC〔2025〕3号", fake_glossary())
    assert (rendered.text, rendered.origin, rendered.fuzzy, rendered.comments) == (
        "ABC [2025] No. 3", "rule (document number)", True, ["not in glossary: ABC (add it to glossary/ and re-run)"])
    assert render_doc_number("ABC〔2025〕3号", fake_glossary()) is None


@pytest.mark.parametrize(("text", "english"), [
    ("二〇二五年六月二十七日", "June 27, 2025"),
    ("二〇二四年二月二十九日", "February 29, 2024"),
    ("二〇二五年十月十日", "October 10, 2025"),
    ("二○○五年十月二十四日", "October 24, 2005"),  # ○ (U+25CB) for 〇, as pages print it
    ("二〇二五年二月二十九日", None),  # no such day: left to the reviewer
    ("二〇二五年十三月一日", None),
])  # fmt: skip
def test_dates_in_chinese_numerals(text, english):
    from bilingual.render import render_date

    assert render_date(text) == english


M = "not in glossary: {} (add it to glossary/ and re-run)"


@pytest.mark.parametrize(("text", "english", "missing"), [
    ("（上海海关、市公安局。排名不分先后）", f"(Shanghai Customs; {SECURITY}. Listed in no particular order)", []),
    ("（上海海关，下同）", "(Shanghai Customs. The same applies below)", []),
    ("（上海海关、市公安局。按姓氏笔画排序）", f"(Shanghai Customs; {SECURITY}. 按姓氏笔画排序)", ["按姓氏笔画排序"]),
    ("（上海海关等）", "(Shanghai Customs and others)", []),
    ("上海海关等", "Shanghai Customs and others", []),
    ("（上海海关牵头，市公安局配合）", f"(Lead agencies: Shanghai Customs. Partner agencies: {SECURITY})", []),
    ("（牵头单位：上海海关；配合单位：各区，有关企业）", "(Lead agencies: Shanghai Customs. Partner agencies: 各区; 有关企业)",
     ["各区", "有关企业"]),
])  # fmt: skip
def test_agency_clause_forms(text, english, missing):
    from bilingual.render import render_agency_clause

    rendered = render_agency_clause(text, fake_glossary())
    assert (rendered.text, rendered.origin, rendered.fuzzy) == (english, "glossary", bool(missing))
    assert rendered.comments == [M.format(name) for name in missing]


def test_a_plain_list_is_left_to_the_list_rule_and_a_deadline_group_keeps_its_label():
    from bilingual.render import render_agency_clause

    assert render_agency_clause("（上海海关、市公安局）", fake_glossary()) is None
    rendered = render_name_list("（责任单位：上海海关；完成时限：2025年底前）", fake_glossary())
    assert rendered.text == "(Lead agencies: Shanghai Customs. Deadline: 2025年底前)"


def test_more_agency_clauses():
    from bilingual.render import render_agency_clause

    assert render_name_list("（上海海关和市公安局）", fake_glossary()).text == f"(Shanghai Customs; {SECURITY})"
    assert render_agency_clause("责任单位：上海海关、市公安局", fake_glossary()).text == (
        f"Lead agencies: Shanghai Customs; {SECURITY}")
    glossary = FakeGlossary({"上海海关": "Shanghai Customs", "市公安局": "Public Security",
                             "按职责分工负责": "according to their respective duties"})
    assert render_agency_clause("（上海海关、市公安局按职责分工负责）", glossary).text == (
        "(Shanghai Customs; Public Security, according to their respective duties)")
    # a name broken by a space in extraction is one body, not two untranslated halves
    assert render_name_list("（上海 海关、市公安局）", fake_glossary()).text == f"(Shanghai Customs; {SECURITY})"
    assert render_name_list("（上海 海关）", fake_glossary()).text == "(Shanghai Customs)"
    without = render_agency_clause("（上海海关等）", None)  # no glossary: every name is left to the reviewer
    assert (without.text, without.fuzzy) == ("(上海海关 and others)", True)
    shared = render_agency_clause("（海关总署、商务部等按职责分工负责）", None)  # the phrase has its default English
    assert (shared.text, shared.fuzzy) == ("(海关总署; 商务部 and others, each according to its responsibilities)", True)
    # a clause written as a plain final sentence ends as an English sentence; without the full stop, as a phrase
    bodies = FakeGlossary({"海关总署": "General Administration of Customs", "商务部": "Ministry of Commerce"})
    english = "General Administration of Customs; Ministry of Commerce and others, each according to its responsibilities"
    assert render_agency_clause("海关总署、商务部等按职责分工负责。", bodies).text == english + "."
    assert render_agency_clause("海关总署、商务部等按职责分工负责", bodies).text == english


def test_the_agency_names_render_re_exports_are_the_only_lazy_ones():
    """render.py hands its agency names on to render_agencies.py (PEP 562); any other name is the
    usual AttributeError, naming the module and the attribute."""
    import bilingual.render as render
    from bilingual import render_agencies

    assert render.render_agency_clause is render_agencies.render_agency_clause
    with pytest.raises(AttributeError, match=r"^module 'bilingual.render' has no attribute 'render_agencys'$"):
        render.render_agencys  # noqa: B018
