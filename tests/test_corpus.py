"""The corpus of real-world layouts (tests/corpus): the parse against the hand-written structure.

Each document in tests/corpus is modelled on a real page (SOURCES.md); its
``.expected.toml`` says, by hand, what a reader finds in it. Every field is its own test, so a
failure names the document and the part that is wrong.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from corpusfiles import CORPUS, DOCUMENTS, source
from sourcetext import is_source_text

from bilingual.ingest import read_source
from bilingual.model import (
    ADDRESSEE,
    ATTACHMENT_TITLE,
    DISCLOSURE,
    DOC_NUMBER,
    ISSUER,
    MASTHEAD,
    MEASURE,
    PARAGRAPH,
    SECTION_TITLE,
    SIGNATORY,
)
from bilingual.segment import segment_document
from bilingual.structure import ATTACHMENT_NOTE, CHAPTER_TITLE, CONTACT, FURNITURE, parse

_UNIT_RE = re.compile(r"^(?:section-\d+\.)?(?:measure|article)-\d+(?:\.(?:item|sub)-\d+)*$")
_SECTION_RE = re.compile(r"^(section-\d+)(?:\.title)?$")
_CHAPTER_RE = re.compile(r"^(chapter-\d+(?:\.division-\d+)?)\.title$")


@cache
def _parsed(name: str):
    clean = read_source(source(name))
    return clean, parse(clean)


@cache
def _expected(name: str) -> dict:
    with open(CORPUS / f"{name}.expected.toml", "rb") as handle:
        return tomllib.load(handle)


def _text(doc, kind: str) -> str:
    found = doc.blocks_of(kind)
    return found[0].text if found else ""


def _sections(doc) -> list[dict]:
    sections: dict[str, dict] = {}
    for block in doc.blocks:
        match = _SECTION_RE.match(block.key)
        if not match or block.kind not in (SECTION_TITLE, PARAGRAPH):
            continue
        entry = sections.setdefault(match[1], {"id": match[1], "label": block.label, "title": ""})
        if block.kind == SECTION_TITLE:
            entry["title"] = block.text
    return list(sections.values())


def _chapters(doc) -> list[dict]:
    return [{"id": _CHAPTER_RE.match(b.key)[1], "label": b.label, "title": b.text}
            for b in doc.blocks if b.kind == CHAPTER_TITLE and _CHAPTER_RE.match(b.key)]  # fmt: skip


def _units(doc) -> list[dict]:
    units: dict[str, dict] = {}
    for block in doc.blocks:
        if block.kind in (MEASURE, PARAGRAPH) and _UNIT_RE.match(block.key) and block.key not in units:
            entry = {"id": block.key, "label": block.label}
            if block.agencies:
                entry["agencies"] = list(block.agencies)
            if block.partners:
                entry["partners"] = list(block.partners)
            units[block.key] = entry
    return list(units.values())


def _actual(name: str, field: str):
    clean, doc = _parsed(name)
    number = next((b for b in doc.blocks if b.kind == DOC_NUMBER), None)
    getters = {
        "title": lambda: doc.title,
        "doc_number": lambda: doc.doc_number,
        "doc_number_from": lambda: "metadata" if number is not None and number.label.startswith("metadata") else "",
        "addressee": lambda: _text(doc, ADDRESSEE),
        "signatories": lambda: [b.text for b in doc.blocks_of(SIGNATORY)],
        "date": lambda: doc.date,
        "disclosure": lambda: _text(doc, DISCLOSURE),
        "contact": lambda: _text(doc, CONTACT),
        "attachment_title": lambda: _text(doc, ATTACHMENT_TITLE),
        "issuers": lambda: [b.text for b in doc.blocks_of(ISSUER)],
        "masthead": lambda: _text(doc, MASTHEAD),
        "attachment_notes": lambda: [b.text for b in doc.blocks_of(ATTACHMENT_NOTE)],
        "furniture": lambda: [b.text for b in doc.blocks_of(FURNITURE)],
        "sections": lambda: _sections(doc),
        "chapters": lambda: _chapters(doc),
        "units": lambda: _units(doc),
        "mirror_spaces": lambda: sum(1 for _, kind in clean.repairs if kind == "mirror-spaces"),
        "escaped_breaks": lambda: sum(1 for _, kind in clean.repairs if kind == "escaped-break"),
        "emoji": lambda: sum(1 for _, kind in clean.repairs if kind == "emoji"),
    }
    return getters[field]()


_FIELDS = ("title", "doc_number", "doc_number_from", "addressee", "signatories", "date", "disclosure", "contact",
           "attachment_title", "issuers", "masthead", "attachment_notes", "furniture", "sections", "chapters",
           "units", "mirror_spaces", "escaped_breaks", "emoji")  # fmt: skip
_DEFAULTS = {"doc_number_from": "", "disclosure": "", "contact": "", "attachment_title": "", "issuers": [],
             "masthead": "", "attachment_notes": [], "chapters": [], "mirror_spaces": 0, "escaped_breaks": 0,
             "emoji": 0}  # fmt: skip


def _cases() -> list:
    """(document, field) pairs; a field the parser is known to get wrong is named, with the
    reason, in the document's ``[xfail]`` table and runs as a strict xfail (it must still fail)."""
    cases = []
    for name in DOCUMENTS:
        known = _expected(name).get("xfail", {})
        for field in _FIELDS:
            marks = [pytest.mark.xfail(strict=True, reason=known[field])] if field in known else []
            cases.append(pytest.param(name, field, marks=marks, id=f"{name}-{field}"))
    return cases


@pytest.mark.parametrize(("name", "field"), _cases())
def test_corpus_structure(name, field):
    expected = _expected(name)
    want = expected.get(field, _DEFAULTS.get(field))
    assert want is not None, f"{name}.expected.toml has no {field}"
    got = _actual(name, field)
    if field == "units":  # empty agency lists are left out of the expected files
        want = [{k: v for k, v in unit.items() if v} for unit in want]
    assert got == want


def test_corpus_has_at_least_twelve_documents_of_eight_issuers():
    assert len(DOCUMENTS) >= 12
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in sources for name in DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_blocks_are_source_text_and_ids_unique(name):
    clean, doc = _parsed(name)
    for block in doc.blocks:
        assert block.text and is_source_text(block, clean), block.key
    segments = segment_document(doc)
    assert len({s.ctx for s in segments}) == len(segments)
    assert not any(s.kind == FURNITURE for s in segments)  # furniture is not translated


@pytest.mark.parametrize("name", DOCUMENTS)
def test_corpus_furniture_is_listed_in_one_warning(name):
    _, doc = _parsed(name)
    furniture = doc.blocks_of(FURNITURE)
    listed = [w for w in doc.warnings if w.startswith("page furniture")]
    if not furniture:
        assert not listed
        return
    (warning,) = listed
    assert f"({len(furniture)})" in warning
    assert all(f"line {b.line} " in warning for b in furniture)
    positions = [warning.index(f"line {b.line} ") for b in furniture]
    assert positions == sorted(positions)  # in the order of the page


def test_corpus_order_signed_by_its_head_is_no_masthead_mismatch():
    """海关总署令 signed 署 长 牟新生: the signature is the head of the issuing body, not a body
    the masthead should match (no "not a known issuing body" warning)."""
    _, doc = _parsed("16-gacc-order-131")
    assert [b.text for b in doc.blocks_of(SIGNATORY)] == ["署 长 牟新生"]
    assert not [w for w in doc.warnings if "masthead issuer" in w]
