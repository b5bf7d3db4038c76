"""Glossary core: matching, rendering, placeholder protection, loading and validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.errors import BilingualError
from bilingual.glossary import (
    LEGACY_COLUMNS,
    Glossary,
    GlossaryTerm,
    check_directory,
    load_glossary,
    protect,
    read_left_to_mt,
    render_terms_only,
    restore,
)

REPO = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = REPO / "glossary"
SOURCE = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"
CJK = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"q\s*x\s*z\s*\d", re.IGNORECASE)


@pytest.fixture(scope="module")
def g() -> Glossary:
    return load_glossary(GLOSSARY_DIR)


def _zh(glossary, text):
    return [text[m.start:m.end] for m in glossary.match(text)]


def _terms(glossary, text):
    return [m.term.zh for m in glossary.match(text)]


# --------------------------------------------------------------------------- matching


def test_longest_first_single_window(g):
    assert _terms(g, "依托上海国际贸易“单一窗口”，实现") == ["上海国际贸易“单一窗口”"]
    assert _terms(g, "深入推进国际贸易“单一窗口”互联互通") == ["国际贸易“单一窗口”"]
    assert _terms(g, "依托中国国际贸易“单一窗口”推进") == ["中国国际贸易“单一窗口”"]
    assert _terms(g, "通过“单一窗口”办理") == ["单一窗口"]
    # quotes inside a term are optional
    assert _terms(g, "上海国际贸易单一窗口") == ["上海国际贸易“单一窗口”"]


def test_term_inside_longer_term_does_not_match(g):
    assert _terms(g, "上海海关学院举办培训") == ["上海海关学院"]
    assert _terms(g, "上海海关和上海海关学院") == ["上海海关", "上海海关学院"]
    assert _terms(g, "上海市商务委员会") == ["上海市商务委员会"]
    assert _terms(g, "市委网信办") == ["市委网信办"]


def test_latin_and_digit_terms_need_boundaries(g):
    assert _zh(g, "跨境电商 9610、9710 和 9810 清单模式")[1:4] == ["9610", "9710", "9810"]
    assert "9610" not in _terms(g, "编号196100的货物")
    assert "9610" not in _terms(g, "代码96101")
    assert _terms(g, "跨境电商零售出口（9610）") == ["跨境电商零售出口", "9610"]
    assert "AEO" not in _terms(g, "XAEO 和 AEOS")
    assert _terms(g, "（AEO）企业") == ["AEO"]


def test_tolerates_pdf_spacing(g):
    spaced = "《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》"
    tight = "《上海口岸2025年促进跨境贸易便利化专项行动若干措施》"
    wrapped = "《上海口岸 2025 年促进跨境贸易便利化\n专项行动若干措施》"
    for text in (spaced, tight, wrapped):
        (match,) = g.match(text)
        assert match.term.kind == "title"
    assert _terms(g, "上 海 海 关") == ["上海海关"]
    assert _terms(g, "（上\n\n海海关、市公安局）") == ["上海海关", "市公安局"]


def test_paren_width_is_ignored(g):
    assert _terms(g, "中国(上海)自由贸易试验区") == ["中国（上海）自由贸易试验区"]
    assert g.lookup("中国(上海)自由贸易试验区") is g.lookup("中国（上海）自由贸易试验区")


def test_matches_are_ordered_and_disjoint(g):
    text = SOURCE.read_text(encoding="utf-8")
    matches = g.match(text)
    assert len(matches) > 300
    for a, b in zip(matches, matches[1:], strict=False):
        assert a.end <= b.start


def test_masthead_error_is_not_a_term(g):
    assert g.lookup("上海市海归会") is None
    assert g.match("上海市海归会") == []


# --------------------------------------------------------------------------- english()


def test_english_of_abbreviations(g):
    assert g.english(g.lookup("市商务委")) == "Shanghai Municipal Commission of Commerce"
    assert g.english(g.lookup("上港集团")) == "Shanghai International Port (Group) Co., Ltd. (SIPG)"
    assert g.english(g.lookup("上海国际港务（集团）股份有限公司")) == "Shanghai International Port (Group) Co., Ltd."
    assert g.english(g.lookup("海关总署")).endswith("(GACC)")
    # en_abbr on a full-form row is not rendered: the source gives （AEO） itself
    assert g.english(g.lookup("经认证的经营者")) == "Authorized Economic Operator"
    # the masthead variant and the signatory form render alike
    assert g.english(g.lookup("上海市海事局")) == g.english(g.lookup("上海海事局")) == "Shanghai Maritime Safety Administration"


def test_english_falls_back_for_plain_terms():
    term = GlossaryTerm(zh="甲", en="A", kind="phrase", note="n", source="s")
    glossary = Glossary([term])
    assert glossary.english(term) == "A"
    assert glossary.english(GlossaryTerm(zh="乙", en="B", kind="phrase", abbreviation_of="丙")) == "B"


# --------------------------------------------------------------------------- render_terms_only


def test_render_terms_only_lists(g):
    assert render_terms_only("（上海海关、市公安局）", g) == (
        "(Shanghai Customs; Shanghai Municipal Bureau of Public Security)")
    assert render_terms_only("上海市商务委员会", g) == "Shanghai Municipal Commission of Commerce"
    assert render_terms_only("各相关单位：", g) == "All relevant units:"
    assert render_terms_only("(此件主动公开发布)", g) == "(This document is released for public disclosure)"
    assert render_terms_only("（市交通委、上港集团）", g) == (
        "(Shanghai Municipal Commission of Transport; Shanghai International Port (Group) Co., Ltd. (SIPG))")
    assert render_terms_only("上海海关 市公安局", g) == "Shanghai Customs; Shanghai Municipal Bureau of Public Security"
    rendered = render_terms_only("市税务局、上港集团", g)  # the STA name has a comma: items split by "; "
    assert rendered == ("Shanghai Municipal Tax Service, State Taxation Administration; "
                        "Shanghai International Port (Group) Co., Ltd. (SIPG)")


def test_render_terms_only_refuses_prose(g):
    assert render_terms_only("上海市商务委等十部门", g) is None
    assert render_terms_only("上海海关对目录内的供船药械设置报关专用编码", g) is None
    assert render_terms_only("（）", g) is None
    assert render_terms_only("", g) is None
    assert render_terms_only("上海市海归会", g) is None


def test_render_terms_only_quotes(g):
    assert render_terms_only("“两证合一”", g) == '"two certificates merged into one"'


# --------------------------------------------------------------------------- protect / restore


def test_identity_engine_round_trip_whole_document(g):
    text = SOURCE.read_text(encoding="utf-8")
    protected = protect(text, g)
    assert len(protected.slots) == len(protected.matches) > 300
    assert protected.text.count("QXZ") == len(protected.slots)
    for slot in protected.slots:
        assert slot.placeholder.isalnum() and slot.placeholder.isascii() and "_" not in slot.placeholder
    english, dropped = restore(protected.text, protected, g)
    assert dropped == []
    assert not PLACEHOLDER.search(english)
    for slot in protected.slots:
        assert g.english(slot.term) in english


def test_placeholders_are_space_separated(g):
    protected = protect("持续推进“两证合一”改革。", g)
    assert protected.text == "持续推进 QXZ1 改革。"
    assert protected.slots[0].quoted
    english, dropped = restore("Continue to promote the QXZ1 reform.", protected, g)
    assert english == 'Continue to promote the "two certificates merged into one" reform.'
    assert dropped == []
    protected = protect("进口机动车“两证合一”", g)
    assert protected.text == "QXZ1 QXZ2"
    assert [s.quoted for s in protected.slots] == [False, True]


def test_dropped_placeholder_is_reported(g):
    protected = protect("（上海海关、市公安局）", g)
    assert protected.text == "（ QXZ1 、 QXZ2 ）"
    english, dropped = restore("(QXZ1)", protected, g)
    assert english == "(Shanghai Customs)"
    assert [t.zh for t in dropped] == ["市公安局"]


def test_spaced_and_recased_placeholders_are_restored(g):
    protected = protect("上海海关与上港集团合作", g)
    english, dropped = restore("Qxz 1 cooperates with q X z2.", protected, g)
    assert english == "Shanghai Customs cooperates with Shanghai International Port (Group) Co., Ltd. (SIPG)."
    assert dropped == []


def test_quotes_added_by_engine_are_not_doubled(g):
    protected = protect("推进“一单制”发展", g)
    english, _ = restore('promote the "QXZ1" development', protected, g)
    assert english == 'promote the "single through document" development'
    english, _ = restore("promote the “QXZ1” development", protected, g)
    assert english == 'promote the "single through document" development'


def test_number_glued_to_placeholder(g):
    protected = protect("上海海关2025年", g)
    english, dropped = restore("QXZ12025", protected, g)
    assert english == "Shanghai Customs 2025" and dropped == []


def test_text_without_terms_is_unchanged(g):
    protected = protect("没有术语的一句话。", g)
    assert protected.text == "没有术语的一句话。" and protected.slots == []
    assert restore("A sentence.", protected, g) == ("A sentence.", [])


_names = ["上海海关", "市公安局", "上港集团", "两证合一", "9610", "AEO", "上海国际贸易“单一窗口”", "临港新片区"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_names), st.sampled_from(["，", "、", "的", "和", " ", "“", "”", "推进", "2025"])),
                max_size=12))
def test_protect_restore_property(pieces):
    glossary = load_glossary(GLOSSARY_DIR)
    text = "".join(pieces)
    protected = protect(text, glossary)
    english, dropped = restore(protected.text, protected, glossary)
    assert dropped == []
    assert not PLACEHOLDER.search(english)
    for slot in protected.slots:
        assert glossary.english(slot.term) in english
    # a placeholder never touches an ASCII letter or digit
    for m in re.finditer(r"QXZ\d+", protected.text):
        before = protected.text[m.start() - 1:m.start()]
        after = protected.text[m.end():m.end() + 1]
        assert not (before.isascii() and before.isalnum())
        assert not (after.isascii() and after.isalnum())


# --------------------------------------------------------------------------- loading


HEADER = ",".join(LEGACY_COLUMNS) + "\n"  # the seven-column header is still read


def _write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_load_caches_and_versions(tmp_path):
    _write(tmp_path, "a.csv", "上海海关,Shanghai Customs,organisation,,,n,s\n")
    first = load_glossary(tmp_path)
    assert load_glossary(tmp_path) is first
    assert re.fullmatch(r"[0-9a-f]{12}", first.version)
    _write(tmp_path, "a.csv", "上海海关,Shanghai Customs,organisation,,,changed note,s\n")
    second = load_glossary(tmp_path)
    assert second is not first and second.version != first.version


def test_load_refuses_broken_glossary(tmp_path):
    _write(tmp_path, "a.csv", "上海海关,Shanghai Customs,agency,,,n,s\n")
    with pytest.raises(BilingualError, match="unknown kind"):
        load_glossary(tmp_path)
    with pytest.raises(BilingualError, match="not found"):
        load_glossary(tmp_path / "missing")


def _problems(directory):
    _, problems = check_directory(directory, builtin=False)  # the folder alone (layers: test_glossary_layers)
    return [(Path(p.file).name, p.line, p.severity, p.code) for p in problems]


def test_validation_reports_file_and_line(tmp_path):
    _write(tmp_path, "a.csv", (
        "上海海关,Shanghai Customs,organisation,,,n,s\n"           # 2 ok
        "市公安局,Shanghai Police,organisation,,,n\n"               # 3 wrong column count
        "市财政局,,organisation,,,n,s\n"                           # 4 empty en
        "上港集团,SIPG,company,,,n,s\n"                            # 5 unknown kind
        "“、”,Nothing,phrase,,,n,s\n"                             # 6 punctuation only
        "市商务委,Commerce,organisation,上海市商务委员会,,n,s\n"      # 7 full form missing
        "海关,Customs,organisation,上海海关,,n,s\n"                  # 8 abbreviation maps elsewhere
        "临港,Lingang 临港,place,,,n,s\n"                          # 9 Chinese in English
        "上海海关 ,Shanghai Customs,organisation,,,n,s\n"          # 10 duplicate (+ whitespace warning)
    ))
    _write(tmp_path, "b.csv", "上海海关,Shanghai Customs House,organisation,,,n,s\n")  # conflict across files
    problems = _problems(tmp_path)
    assert ("a.csv", 3, "error", "columns") in problems
    assert ("a.csv", 4, "error", "empty") in problems
    assert ("a.csv", 5, "error", "kind") in problems
    assert ("a.csv", 6, "error", "term") in problems
    assert ("a.csv", 7, "error", "abbreviation") in problems
    assert ("a.csv", 8, "error", "abbreviation") in problems
    assert ("a.csv", 9, "error", "english") in problems
    assert ("a.csv", 10, "warning", "duplicate") in problems
    assert ("a.csv", 10, "warning", "whitespace") in problems
    assert ("b.csv", 2, "error", "conflict") in problems
    assert ("a.csv", 2, "error", "columns") not in problems


def test_validation_header_and_abbreviation_chain(tmp_path):
    (tmp_path / "bad.csv").write_text("zh,en,kind\n上海海关,Shanghai Customs,organisation\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    _write(tmp_path, "c.csv", (
        "上海市商务委员会,Shanghai Municipal Commission of Commerce,organisation,,,n,s\n"
        "市商务委,Shanghai Municipal Commission of Commerce,organisation,上海市商务委员会,,n,s\n"
        "商务委,Shanghai Municipal Commission of Commerce,organisation,市商务委,,n,s\n"
        "自己,Self,phrase,自己,,n,s\n"
    ))
    problems = _problems(tmp_path)
    assert ("bad.csv", 1, "error", "header") in problems
    assert ("empty.csv", 1, "error", "header") in problems
    assert ("c.csv", 4, "error", "abbreviation") in problems  # chain
    assert ("c.csv", 5, "error", "abbreviation") in problems  # names itself
    assert not [p for p in problems if p[0] == "c.csv" and p[1] in (2, 3) and p[3] != "evidence"]


def test_left_to_mt_format(tmp_path):
    _write(tmp_path, "a.csv", "上海海关,Shanghai Customs,organisation,,,n,s\n")
    (tmp_path / "left-to-mt.txt").write_text(
        "# comment\n一个从句 | a clause\n没有理由\n上海海关 | also in the glossary\n", encoding="utf-8")
    entries, problems = read_left_to_mt(tmp_path)
    assert entries == {"一个从句": "a clause", "上海海关": "also in the glossary"}
    assert [(p.line, p.code) for p in problems] == [(3, "left-to-mt")]
    codes = {(Path(p.file).name, p.severity, p.code) for p in check_directory(tmp_path)[1]}
    assert ("left-to-mt.txt", "warning", "left-to-mt") in codes
    assert ("left-to-mt.txt", "error", "left-to-mt") in codes


def test_shipped_glossary_is_clean():
    terms, problems = check_directory(GLOSSARY_DIR)
    assert [str(p) for p in problems if p.severity != "info"] == []
    assert len(terms) >= 200


def test_abbreviations_of_a_term_in_glossary_order_and_after_terms_are_added():
    """The short forms of a body (市商务委 for 上海市商务委员会) license its English in the MT safety net
    and pair names in the aligner; the index behind this must follow terms added later."""
    from bilingual.glossary import Glossary, GlossaryTerm

    full = GlossaryTerm("上海市商务委员会", "Shanghai Municipal Commission of Commerce", "organisation")
    short = GlossaryTerm("市商务委", "Shanghai Municipal Commission of Commerce", "organisation",
                         abbreviation_of="上海市商务委员会")
    other = GlossaryTerm("上海海关", "Shanghai Customs", "organisation")
    g = Glossary([full, other, short])
    assert g.abbreviations_of(full) == [short]
    assert g.abbreviations_of(other) == []
    later = GlossaryTerm("商务委", "Shanghai Municipal Commission of Commerce", "organisation",
                         abbreviation_of="上海市商务委员会")
    g.terms.append(later)
    assert g.abbreviations_of(full) == [short, later]
