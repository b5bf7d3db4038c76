"""The structure's numbering and agency-clause rules, case by case (fast, in-process).

The forms are those of the documents in ``tests/corpus`` and ``test_recognisers.py`` (公文
numbering 一、 （一） 1. （1） ①, 第一章/第一条; agency clauses with roles in front or after,
groups, notes, Traditional characters); these tests pin each rule's edges: which labels are
labels, what rank and value they have, what a role line is, where a clause starts and ends.
"""

from __future__ import annotations

import pytest

from bilingual.structure import chinese_numeral_to_int, english_label, key_label, parse_clause
from bilingual.structure.agencies import find_final_paren, role_groups, split_inline_clauses, split_unit_text
from bilingual.structure.numbering import Label, is_structure_start, match_label, numeral

# --------------------------------------------------------------------------- numbering labels


@pytest.mark.parametrize(("line", "label"), [
    ("一、总体要求", Label("unit", 1, "一、", 1, "总体要求")),
    ("十二、 保障措施", Label("unit", 1, "十二、", 12, "保障措施")),
    ("（十五）优化口岸服务。", Label("unit", 2, "（十五）", 15, "优化口岸服务。")),
    ("( 三 ) 推进改革", Label("unit", 2, "( 三 )", 3, "推进改革")),
    ("3. 推进改革", Label("unit", 3, "3.", 3, "推进改革")),
    ("３．推进改革", Label("unit", 3, "３．", 3, "推进改革")),
    ("12、推进改革", Label("unit", 3, "12、", 12, "推进改革")),
    ("（1）推进改革", Label("unit", 4, "（1）", 1, "推进改革")),
    ("(２０)推进改革", Label("unit", 4, "(２０)", 20, "推进改革")),
    ("①推进改革", Label("unit", 5, "①", 1, "推进改革")),
    ("⑳ 推进改革", Label("unit", 5, "⑳", 20, "推进改革")),
    ("第一章 总则", Label("chapter", 0, "第一章", 1, "总则")),
    ("第十章", Label("chapter", 0, "第十章", 10, "")),
    ("第 3 章 附则", Label("chapter", 0, "第 3 章", 3, "附则")),
    ("第二十一条 本办法自发布之日起施行。", Label("article", 0, "第二十一条", 21, "本办法自发布之日起施行。")),
    ("第五條 口岸單位應當配合。", Label("article", 0, "第五條", 5, "口岸單位應當配合。")),
])  # fmt: skip
def test_a_label_is_read_with_its_rank_value_and_text(line, label):
    assert match_label(line) == label
    assert is_structure_start(line)


@pytest.mark.parametrize("line", [
    "第一条",  # an article needs its text
    "（一）",  # a unit too
    "一、",
    "1.5倍以上",  # a decimal, not a label
    "2025年6月27日",
    "（一十十）推进",  # no numeral
    "推进改革。",
    "",
])  # fmt: skip
def test_text_that_only_looks_like_a_label_is_none(line):
    assert match_label(line) is None
    assert not is_structure_start(line)


@pytest.mark.parametrize(("text", "value"), [
    ("①", 1), ("⑩", 10), ("⑳", 20), ("一千零一", 1001), ("两千", 2000), ("九千九百九十九", 9999),
    ("一千一百", 1100), ("三百零六", 306), ("〇", 0), ("零五", 5),
])  # fmt: skip
def test_more_numerals(text, value):
    assert chinese_numeral_to_int(text) == value


@pytest.mark.parametrize("text", ["百千", "十百", "零十", "一二十", "千", "  "])
def test_numerals_out_of_order_are_refused(text):
    if text == "千":  # a bare unit is one of it: 千 = 1000, like 十 = 10 and 百 = 100
        assert chinese_numeral_to_int(text) == 1000
        return
    with pytest.raises(ValueError):
        chinese_numeral_to_int(text)


def test_a_label_numeral_may_be_full_width_and_otherwise_is_none():
    assert numeral("１２") == 12 and numeral("十二") == 12 and numeral("①") == 1
    assert numeral("一二三四五六七八九十") is None and numeral("x") is None


# --------------------------------------------------------------------------- English labels


@pytest.mark.parametrize(("unit", "number", "label"), [
    ("item", 52, "(az)"), ("item", 53, "(ba)"), ("item", 702, "(zz)"), ("item", 703, "(aaa)"),
    ("sub", 9, "(ix)"), ("section", 40, "XL."), ("chapter", 12, "Chapter 12"),
    ("division", 3, "Section 3"),  # 第三节 of a chapter, as Chinese laws' English versions number it
])  # fmt: skip
def test_english_labels_beyond_the_first_letters(unit, number, label):
    assert english_label(unit, number) == label


@pytest.mark.parametrize(("key", "label"), [
    ("measure-15", "(15)"),
    ("section-2.measure-1.s1", "(1)"),
    ("attachment-2.s1", "Attachment 2"),
    ("chapter-3.article-12.s2", "Article 12"),
    ("subsection-2.s1", ""),  # "section" inside another word is no unit
    ("notice.issuer-1", ""),
])  # fmt: skip
def test_the_innermost_numbered_unit_names_a_key(key, label):
    assert key_label(key) == label


# --------------------------------------------------------------------------- role lines


@pytest.mark.parametrize(("line", "groups"), [
    ("责任单位：上海海关、市商务委；完成时限：2025年底前",
     [("lead", "责任单位：", "上海海关、市商务委"), ("deadline", "完成时限：", "2025年底前")]),
    ("配合单位: 市财政局", [("partners", "配合单位:", "市财政局")]),
    ("（牵头单位：市商务委）", [("lead", "牵头单位：", "市商务委")]),
    ("牵头部门：市商务委，配合部门：市财政局、市交通委。",
     None),  # a sentence end in a list of names: not a role line
    ("实施主体：各区政府", [("lead", "实施主体：", "各区政府")]),
    ("时间节点：2025年6月", [("deadline", "时间节点：", "2025年6月")]),
    ("协助单位：市公安局；时限要求：长期坚持", [("partners", "协助单位：", "市公安局"), ("deadline", "时限要求：", "长期坚持")]),
    ("完成时限：", None),  # a role with nothing after it
    ("推进口岸改革", None),
    ("各区、市人民政府：", None),  # an addressee line, no role
    ("责任单位：" + "市" * 31, None),  # no body has such a name
])  # fmt: skip
def test_role_lines(line, groups):
    assert role_groups(line) == groups


# --------------------------------------------------------------------------- clauses


@pytest.mark.parametrize(("text", "start"), [
    ("推进改革（上海海关）", 4),
    ("（上海海关（代管））", 0),
    ("推进改革(上海海关)", 4),
    ("推进改革", None),
    ("推进改革上海海关）", None),  # never opened
    ("", None),
])  # fmt: skip
def test_the_final_parenthesis_is_found_across_nesting(text, start):
    assert find_final_paren(text) == start


@pytest.mark.parametrize(("rest", "split"), [
    ("推进改革。（上海海关）", ("推进改革。", "（上海海关）")),
    ("推进改革！ （上海海关、市公安局）", ("推进改革！", "（上海海关、市公安局）")),
    ("（上海海关）", ("（上海海关）", "")),  # nothing before it: the unit is the clause itself
    ("推进改革（上海海关）", ("推进改革（上海海关）", "")),  # not after the end of a sentence
    ("推进改革。（含港澳台，下同）", ("推进改革。（含港澳台，下同）", "")),  # no agency clause
])  # fmt: skip
def test_a_units_final_clause(rest, split):
    assert split_unit_text(rest) == split


def test_a_clause_at_the_end_of_a_text_is_not_cut_inline():
    assert split_inline_clauses("推进改革。（上海海关）") == [("推进改革。（上海海关）", False)]
    assert split_inline_clauses("推进改革。继续推进。") == [("推进改革。继续推进。", False)]
    assert split_inline_clauses("(责任单位:天津海关)港口方面提供服务。") == [("(责任单位:天津海关)港口方面提供服务。", False)]


def test_two_clauses_inside_one_text_are_both_cut():
    text = "优化模式。（责任单位：天津海关）提升效率。（责任单位：天津港集团）继续推进。"
    assert split_inline_clauses(text) == [
        ("优化模式。", False), ("（责任单位：天津海关）", True), ("提升效率。", False),
        ("（责任单位：天津港集团）", True), ("继续推进。", False)]  # fmt: skip


@pytest.mark.parametrize(("text", "lead", "partners", "others", "note", "explicit"), [
    ("（上海海关、市公安局）", ("上海海关", "市公安局"), (), False, "", False),
    ("上海海关、市公安局", ("上海海关", "市公安局"), (), False, "", False),  # without brackets
    ("（上海海关、市公安局等）", ("上海海关", "市公安局"), (), True, "", False),
    ("（上海海关，下同）", ("上海海关",), (), False, "下同", False),
    ("（市商务委牵头负责）", ("市商务委",), (), False, "", True),
    ("（配合单位：市财政局、市交通委）", (), ("市财政局", "市交通委"), False, "", True),
    ("（市商务委以及市财政局）", ("市商务委", "市财政局"), (), False, "", False),
    ("（上海海关及市场监管局）", ("上海海关", "市场监管局"), (), False, "", False),
    ("（市商务委。排名不分先后）", ("市商务委",), (), False, "排名不分先后", False),
])  # fmt: skip
def test_clause_forms(text, lead, partners, others, note, explicit):
    clause = parse_clause(text)
    assert (clause.lead, clause.partners, clause.others, clause.note, clause.explicit) == (
        lead, partners, others, note, explicit)


@pytest.mark.parametrize("text", [
    "（）",
    "（ ）",
    "（市商务委。另行通知）",  # after 。 only a known note
    "（市商务委，市财政局，各高等院校）",  # a list without roles must read as bodies
    "（" + "市" * 31 + "局）",
])  # fmt: skip
def test_what_is_no_clause(text):
    assert parse_clause(text) is None


# --------------------------------------------------------------------------- edges found by mutation testing


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty numeral"), ("百千", "not a numeral: '百千'"), ("二一十", "not a numeral: '二一十'"),
    ("二十三十", "not a numeral: '二十三十'"), ("甲", "not a numeral: '甲'"), ("一百十", "not a numeral: '一百十'"),
    ("零十", "not a numeral: '零十'"),
])  # fmt: skip
def test_a_refused_numeral_is_named(text, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        chinese_numeral_to_int(text)


def test_a_parenthesised_digit_is_no_circled_number():
    with pytest.raises(ValueError):
        chinese_numeral_to_int("⑴")  # U+2474, just after ⑳


@pytest.mark.parametrize(("text", "names"), [
    ("（、上海海关、市公安局）", ("上海海关", "市公安局")),  # a stray 、 first
    ("（省发展改革委和工业和信息化厅）", ("省发展改革委", "工业和信息化厅")),
])  # fmt: skip
def test_more_clause_names(text, names):
    assert parse_clause(text).names == names


@pytest.mark.parametrize(("text", "names"), [
    ("（含港澳台，下同）", ("含港澳台", "下同")),
    ("（详见附件。共3项）", ("详见附件。共3项",)),
    ("(MaaS", ("(MaaS",)),
    ("MaaS）", ("MaaS）",)),
    ("含港澳台；下同", ("含港澳台", "下同")),
])  # fmt: skip
def test_text_that_is_no_clause_is_split_as_it_stands(text, names):
    from bilingual.structure import split_agencies

    assert split_agencies(text) == names


def test_brackets_around_other_text_are_no_final_parenthesis():
    assert find_final_paren("（上海海关）等") is None and find_final_paren("（海关X光机）X") is None
    assert find_final_paren("（海关X光机查验）") == 0
    assert split_unit_text("配备X（上海海关）") == ("配备X（上海海关）", "")


def test_a_parenthesis_that_is_no_clause_does_not_stop_the_search_for_inline_clauses():
    text = "推进改革。（含港澳台，下同）继续推进。 (责任单位:天津海关)提升效率。"
    assert split_inline_clauses(text) == [
        ("推进改革。（含港澳台，下同）继续推进。", False), ("(责任单位:天津海关)", True), ("提升效率。", False)]  # fmt: skip


@pytest.mark.parametrize(("line", "groups"), [
    ("牵头单位：市商务委；配合单位：市财政局；完成时限：2025年底前",
     [("lead", "牵头单位：", "市商务委"), ("partners", "配合单位：", "市财政局"), ("deadline", "完成时限：", "2025年底前")]),
    ("完成时限：2025年底前完成。", [("deadline", "完成时限：", "2025年底前完成。")]),  # a deadline may be a sentence
    ("责任单位：海关X光机检查中心", [("lead", "责任单位：", "海关X光机检查中心")]),
    ("责任单位：" + "市" * 29 + "局", [("lead", "责任单位：", "市" * 29 + "局")]),  # 30 characters: still a name
    ("（责任单位：市商务委）（2025年底前）", None),  # not one bracketed line
])  # fmt: skip
def test_more_role_lines(line, groups):
    assert role_groups(line) == groups
