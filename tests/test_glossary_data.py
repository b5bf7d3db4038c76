"""The shipped glossary covers the shipped document: agencies, cover notice, quoted terms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilingual.glossary import KINDS, load_glossary, load_left_to_mt, render_terms_only, term_key
from bilingual.termbase import closest_names, coverage, quoted_terms

REPO = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = REPO / "glossary"
SOURCE = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"
CJK = re.compile(r"[\u3400-\u9fff]")
MEASURE_START = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
EXTRACTION_ERROR = "上海市海归会"  # the masthead's 上海海关, damaged by PDF extraction


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY_DIR)


def _lines() -> list[str]:
    return [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def measures() -> list[str]:
    """Each measure as one string (page breaks inside a measure joined)."""
    out: list[str] = []
    current = ""
    for line in _lines():
        if MEASURE_START.match(line):
            if current:
                out.append(current)
            current = line
        elif current and not current.endswith(("）", ")")):
            current += line
        elif current:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def lead_agency_lists() -> list[str]:
    lists = []
    for measure in measures():
        match = re.search(r"[（(]([^（）()]+)[)）]$", measure)
        assert match, measure
        lists.append(match.group(0))
    return lists


def masthead() -> list[str]:
    lines = _lines()
    return lines[:lines.index("文件")]


def signatories() -> list[str]:
    lines = _lines()
    body_end = next(i for i, line in enumerate(lines) if line.endswith("组织实施工作。"))
    date = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line))
    return lines[body_end + 1:date]


def test_document_shape_assumed_by_these_tests():
    assert len(measures()) == 31
    assert len(masthead()) == 10 and EXTRACTION_ERROR in masthead()
    assert len(signatories()) == 10 and "上海海关" in signatories()


@pytest.mark.parametrize("agencies", lead_agency_lists())
def test_every_lead_agency_list_renders_without_chinese(g, agencies):
    english = render_terms_only(agencies, g)
    assert english is not None, agencies
    assert not CJK.search(english), english
    assert english.startswith("(") and english.endswith(")")
    names = re.split(r"[、，,]", agencies.strip("（）()"))
    assert english.count("; ") == len(names) - 1
    for name in names:
        name = re.sub(r"\s+", "", name)
        term = g.lookup(name)
        assert term is not None and term.kind == "organisation", name


@pytest.mark.parametrize("name", [n for n in masthead() if n != EXTRACTION_ERROR] + signatories())
def test_cover_notice_bodies_render(g, name):
    english = render_terms_only(name, g)
    assert english and not CJK.search(english), name
    assert g.lookup(name).kind == "organisation"


def test_masthead_and_signatories_agree(g):
    mast = {g.english(g.lookup(n)) for n in masthead() if n != EXTRACTION_ERROR}
    sign = {g.english(g.lookup(n)) for n in signatories()}
    assert mast < sign and sign - mast == {"Shanghai Customs"}


def test_extraction_error_is_not_in_the_glossary(g):
    assert g.lookup(EXTRACTION_ERROR) is None
    assert EXTRACTION_ERROR not in GLOSSARY_DIR.joinpath("shanghai-organisations.csv").read_text(encoding="utf-8")
    assert closest_names(EXTRACTION_ERROR, g)[0][0] == "上海海关"


def test_every_quoted_term_is_in_glossary_or_left_to_mt(g):
    left = {term_key(t) for t in load_left_to_mt(GLOSSARY_DIR)}
    missing = []
    for term in quoted_terms(SOURCE.read_text(encoding="utf-8")):
        if g.lookup(term) is None and term_key(term) not in left:
            missing.append(term)
    assert missing == []


def test_left_to_mt_entries_are_used_and_reasoned():
    text = re.sub(r"\s+", "", SOURCE.read_text(encoding="utf-8"))
    for term, reason in load_left_to_mt(GLOSSARY_DIR).items():
        assert re.sub(r"\s+", "", term) in text, term
        assert len(reason) > 10


def test_coverage_of_shipped_document(g):
    report = coverage(SOURCE.read_text(encoding="utf-8"), g)
    assert report.unknown_quoted == []
    names = {o.text: o for o in report.organisations}
    assert EXTRACTION_ERROR in names
    assert names[EXTRACTION_ERROR].closest[0][:2] == ("上海海关", "Shanghai Customs")


def test_every_row_is_documented(g):
    for term in g.terms:
        assert term.kind in KINDS
        assert term.note and term.source, term.zh
    assert len(g.terms) >= 200
    files = {Path(t.file).name for t in g.terms}
    assert {"general.csv", "shanghai-organisations.csv", "trade-regimes.csv", "places.csv",
            "shanghai-port-2025.csv"} <= files


def test_codes_stay_numbers(g):
    for code in ("9610", "9710", "9810", "1210"):
        term = g.lookup(code)
        assert term.kind == "code" and g.english(term) == code
    assert g.english(g.lookup("沪商自贸")) == "Hu Shang Zi Mao"


def test_slogans_are_plain_english(g):
    for term in g.terms:
        if term.kind in ("slogan", "title"):
            assert not term.en.startswith(('"', "“")), term.zh
            assert not term.zh.startswith(("“", "《")), term.zh
