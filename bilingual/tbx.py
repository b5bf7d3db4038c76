"""The glossary as TBX that terminology tools accept, and TBX back into glossary rows.

Layout: **one concept entry per concept**. A glossary row with a ``full_form`` is a
short form of that row's concept, so 上海市商务委员会 and 市商务委 are two Chinese
terms of one entry, and "Shanghai Municipal Commission of Commerce" with its
acronym, if any, the English terms. Data categories are TBX-Basic's only, with its
picklist values (``tests/tbxbasic.py`` checks every rule of the TBX-Basic 1.2 DCA
schematron on both versions):

* entry: ``descrip type="subjectField"`` = kind;
* en language section: ``descrip type="definition"`` = the full form's note (Weblate
  and Translate Toolkit show it as the term's explanation); the approved English,
  preferred, with ``admin type="source"`` (where the English comes from) and the
  evidence — a ``note`` ``evidence: URL; checked: DATE`` and an
  ``xref type="externalCrossReference"`` to the URL; the English abbreviations
  (termType ``acronym``) and the variants official sources use (termType
  ``variant``), admitted;
* zh language section (``xml:lang="zh-Hans"``): the full form (termType
  ``fullForm``, preferred), then each short form (``abbreviation``, or ``variant``
  when it is not shorter; admitted), each with ``admin type="projectSubset"`` = its
  CSV file and, for a short form, its own note, source and evidence;
* partOfSpeech from TBX-Basic's picklist (noun, verb, adjective, adverb, other):
  names of bodies, places, regimes and titles are ``noun``, codes, slogans and
  phrases ``other`` — there is no ``properNoun`` in TBX-Basic;
* the per-row English abbreviation is a ``note`` ``English abbreviation: X`` on its
  zh term, and each zh term's ``id`` is ``<file>-row-<n>`` (its row in the CSV), so
  :func:`read_tbx` gives back every CSV row, field and file split, in order.

``version=2`` writes TBX-Basic 2008 (``martif``: termEntry/langSet/tig; what
Translate Toolkit, and so Weblate, read); ``version=3`` TBX v3 (ISO 30042:2019)
TBX-Basic DCA (``tbx``/conceptEntry/langSec/termSec).

:func:`read_tbx` also reads TBX from elsewhere — a Weblate glossary export has no
kind, note or source: those get defaults (kind ``phrase``, which is never
protected from MT; a note and a source naming the file) listed in ``warnings``, not
errors — and the one-entry-per-row layout of earlier versions.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BilingualError
from .fileio import read_bytes
from .glossary import COLUMNS, term_key

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
ZH, EN = "zh-Hans", "en"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
PART_OF_SPEECH = {"organisation": "noun", "place": "noun", "title": "noun", "regime": "noun",
                  "code": "other", "slogan": "other", "phrase": "other"}
DEFAULT_KIND = "phrase"  # a term of unknown kind is a hint, never hidden from MT
ABBR_NOTE = "English abbreviation: "
_EVIDENCE_NOTE = re.compile(r"^evidence: (?P<url>\S+)(?:; checked: (?P<checked>\S+))?$")
_ROW_ID = re.compile(r"^(?P<stem>.+)-row-(?P<row>\d+)$")
# the optional evidence columns (glossary CSVs that have them); read with getattr
EXTRA_COLUMNS = ("evidence_url", "checked", "variants")


def _stem(term) -> str:
    return Path(term.file).stem if term.file else "glossary"


@dataclass
class Concept:
    """A full-form row and the rows that are its short forms (glossary order)."""

    head: object
    members: list = field(default_factory=list)

    @property
    def rows(self) -> list:
        return [self.head, *self.members]


def concepts(glossary) -> list[Concept]:
    """The glossary's concepts, in the order of their full forms (a short form whose
    full form is missing is a concept of its own)."""
    by_key: dict[str, Concept] = {}
    out: list[Concept] = []
    for term in glossary.terms:
        if not term.abbreviation_of:
            concept = by_key.setdefault(term_key(term.zh), Concept(term))
            if concept.head is term:
                out.append(concept)
    for term in glossary.terms:
        if term.abbreviation_of:
            concept = by_key.get(term_key(term.abbreviation_of))
            if concept is None:
                concept = Concept(term)
                by_key[term_key(term.zh)] = concept
                out.append(concept)
            else:
                concept.members.append(term)
    return out


class _Names:
    """Element names of TBX-Basic 2008 (martif) or TBX v3."""

    def __init__(self, version: int):
        ns = f"{{{TBX3_NS}}}" if version == 3 else ""
        self.ns = ns
        self.root = ns + ("tbx" if version == 3 else "martif")
        self.header = ns + ("tbxHeader" if version == 3 else "martifHeader")
        self.entry = ns + ("conceptEntry" if version == 3 else "termEntry")
        self.lang = ns + ("langSec" if version == 3 else "langSet")
        self.term_group = ns + ("termSec" if version == 3 else "tig")

    def __call__(self, local: str) -> str:
        return self.ns + local


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _evidence(group, term, n: _Names) -> None:
    url = getattr(term, "evidence_url", "")
    if not url:
        return
    checked = getattr(term, "checked", "")
    _sub(group, n("note"), f"evidence: {url}" + (f"; checked: {checked}" if checked else ""))
    if url.startswith(("http://", "https://")):
        _sub(group, n("xref"), "evidence", type="externalCrossReference", target=url)


def export_tbx(glossary, *, version: int = 2) -> str:
    """The glossary as TBX-Basic (``version=2``, martif) or TBX v3 TBX-Basic DCA (``version=3``)."""
    if version not in (2, 3):
        raise BilingualError(f"unknown TBX version {version}; use 2 (TBX-Basic martif) or 3")
    n = _Names(version)
    if version == 3:
        ET.register_namespace("", TBX3_NS)
        root = ET.Element(n.root, {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
    else:
        root = ET.Element(n.root, {"type": "TBX-Basic", XML_LANG: "en"})
    header = _sub(root, n.header)
    file_desc = _sub(header, n("fileDesc"))
    _sub(_sub(file_desc, n("titleStmt")), n("title"), "bilingual zh→en terminology glossary")
    _sub(_sub(file_desc, n("sourceDesc")), n("p"),
         f"Exported from {glossary.directory or 'glossary'}/*.csv, version {glossary.version}")
    if version == 2:
        _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, n("text")), n("body"))
    rows_in_file: dict[int, str] = {}
    counters: dict[str, int] = {}
    for term in glossary.terms:
        counters[_stem(term)] = counters.get(_stem(term), 0) + 1
        rows_in_file[id(term)] = f"{_stem(term)}-row-{counters[_stem(term)]}"
    concept_numbers: dict[str, int] = {}
    for concept in concepts(glossary):
        head = concept.head
        stem = _stem(head)
        concept_numbers[stem] = concept_numbers.get(stem, 0) + 1
        entry = _sub(body, n.entry, id=f"{stem}-{concept_numbers[stem]}")
        _sub(entry, n("descrip"), head.kind, type="subjectField")
        pos = PART_OF_SPEECH.get(head.kind, "other")
        short_forms = bool(concept.members) or any(getattr(t, "en_abbr", "") for t in concept.rows)

        zh = _sub(entry, n.lang, **{XML_LANG: ZH})
        for term in concept.rows:
            group = _sub(zh, n.term_group, id=rows_in_file[id(term)])
            _sub(group, n("term"), term.zh)
            _sub(group, n("termNote"), pos, type="partOfSpeech")
            if term is head:
                term_type = "abbreviation" if term.abbreviation_of else ("fullForm" if short_forms else None)
                status = ADMITTED if term.abbreviation_of else PREFERRED
            else:
                term_type = "abbreviation" if len(term_key(term.zh)) < len(term_key(head.zh)) else "variant"
                status = ADMITTED
            if term_type:
                _sub(group, n("termNote"), term_type, type="termType")
            _sub(group, n("termNote"), status, type="administrativeStatus")
            _sub(group, n("admin"), _stem(term), type="projectSubset")
            if term is not head or term.abbreviation_of:  # a short form's own note, source, evidence
                if term.abbreviation_of and term is head:  # its full form is missing: keep the link
                    _sub(group, n("note"), f"short form of: {term.abbreviation_of}")
                if term.note:
                    _sub(group, n("note"), term.note)
                if term.source:
                    _sub(group, n("admin"), term.source, type="source")
                _evidence(group, term, n)
            if getattr(term, "en_abbr", ""):
                _sub(group, n("note"), ABBR_NOTE + term.en_abbr)

        en = _sub(entry, n.lang, **{XML_LANG: EN})
        if head.note and not head.abbreviation_of:
            _sub(en, n("descrip"), head.note, type="definition")
        group = _sub(en, n.term_group)
        _sub(group, n("term"), head.en)
        _sub(group, n("termNote"), pos, type="partOfSpeech")
        if short_forms:
            _sub(group, n("termNote"), "fullForm", type="termType")
        _sub(group, n("termNote"), PREFERRED, type="administrativeStatus")
        if head.source and not head.abbreviation_of:
            _sub(group, n("admin"), head.source, type="source")
        if not head.abbreviation_of:
            _evidence(group, head, n)
        others = [(a, "acronym") for t in concept.rows if (a := getattr(t, "en_abbr", ""))]
        others += [(v, "variant") for t in concept.rows for v in getattr(t, "variants", ())]
        seen = {head.en}
        for text, term_type in others:  # admitted English terms: acronyms, then variants
            if text not in seen:
                seen.add(text)
                other = _sub(en, n.term_group)
                _sub(other, n("term"), text)
                _sub(other, n("termNote"), pos, type="partOfSpeech")
                _sub(other, n("termNote"), term_type, type="termType")
                _sub(other, n("termNote"), ADMITTED, type="administrativeStatus")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- import


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _typed(element, name: str, type_: str) -> str:
    """Text of the first ``<name type=type_>`` child (also inside a ``…Grp``)."""
    for child in element:
        if _local(child.tag) == name and child.get("type") == type_:
            return "".join(child.itertext()).strip()
        if _local(child.tag).endswith("Grp"):
            found = _typed(child, name, type_)
            if found:
                return found
    return ""


def _notes(element) -> list[str]:
    return ["".join(n.itertext()).strip() for n in element if _local(n.tag) == "note"]


def _term_groups(lang) -> list:
    return [g for g in lang if _local(g.tag) in ("tig", "termSec", "ntig")]


def _term_text(group) -> str:
    for child in group.iter():
        if _local(child.tag) == "term":
            return "".join(child.itertext()).strip()
    return ""


def _apply_notes(row: dict, notes: list[str]) -> list[str]:
    """Take the structured notes (English abbreviation, evidence, short form of) into the row;
    return the others."""
    rest = []
    for text in notes:
        evidence = _EVIDENCE_NOTE.match(text)
        if text.startswith(ABBR_NOTE):
            row["en_abbr"] = text[len(ABBR_NOTE):].strip()
        elif evidence:
            row["evidence_url"], row["checked"] = evidence["url"], evidence["checked"] or ""
        elif text.startswith("short form of: "):
            row["full_form"] = text[len("short form of: "):].strip()
        elif text:
            rest.append(text)
    return rest


def _row() -> dict[str, str]:
    return dict.fromkeys((*COLUMNS, *EXTRA_COLUMNS, "file"), "")


def _entry_rows(entry, name: str) -> list[tuple[dict[str, str], int | None]]:
    """The rows of one concept entry (with their CSV row number when the TBX carries it)."""
    langs = [lang for lang in entry if _local(lang.tag) in ("langSet", "langSec")]
    code = lambda lang: (lang.get(XML_LANG) or lang.get("lang") or "").lower()  # noqa: E731
    zh_langs = [lang for lang in langs if code(lang).startswith("zh")]
    en_langs = [lang for lang in langs if code(lang).startswith("en")]
    zh_groups = [g for lang in zh_langs for g in _term_groups(lang)]
    en_groups = [g for lang in en_langs for g in _term_groups(lang)]
    if not zh_groups or not en_groups:
        raise BilingualError(f"TBX entry {entry.get('id', '?')} lacks a zh or en term", name)
    kind = _typed(entry, "descrip", "subjectField")
    concept_notes = _notes(entry) + [t for lang in en_langs for t in _notes(lang)]
    definition = _typed(entry, "descrip", "definition") or next(
        (_typed(lang, "descrip", "definition") for lang in en_langs if _typed(lang, "descrip", "definition")), "")
    english, source, variants, acronyms = "", "", [], []
    evidence_row = _row()
    for group in en_groups:
        term_type = _typed(group, "termNote", "termType")
        text = _term_text(group)
        if not english and term_type not in ("acronym", "abbreviation", "shortForm", "variant"):
            english, source = text, _typed(group, "admin", "source")
            concept_notes += _apply_notes(evidence_row, _notes(group))
        elif term_type == "variant":
            variants.append(text)
        elif term_type in ("acronym", "abbreviation", "shortForm"):
            acronyms.append(text)
    if not english:
        english = _term_text(en_groups[0])
    rows: list[tuple[dict[str, str], int | None]] = []
    head_zh = ""
    for index, group in enumerate(zh_groups):
        row = _row()
        row["zh"], row["en"] = _term_text(group), english
        row["kind"] = kind
        row["file"] = _typed(group, "admin", "projectSubset") or _typed(entry, "admin", "projectSubset")
        own_notes = _apply_notes(row, _notes(group))
        for ref in group.iter():  # the earlier one-row-per-entry layout
            if _local(ref.tag) == "ref" and ref.get("type") == "crossReference":
                row["full_form"] = "".join(ref.itertext()).strip()
        if index == 0:
            head_zh = row["zh"]
            row["note"] = " ".join(own_notes) or definition or " ".join(concept_notes)
            row["source"] = source or _typed(group, "admin", "source")
            for key in ("evidence_url", "checked"):
                row[key] = row[key] or evidence_row[key]
            row["variants"] = "|".join(variants)
        else:
            row["full_form"] = row["full_form"] or head_zh
            row["note"] = " ".join(own_notes)
            row["source"] = _typed(group, "admin", "source") or source
        number = _ROW_ID.match(group.get("id") or "")
        rows.append((row, int(number["row"]) if number and number["stem"] == row["file"] else None))
    if acronyms and not any(row["en_abbr"] for row, _ in rows):
        rows[0][0]["en_abbr"] = acronyms[0]  # a TBX from elsewhere: the acronym belongs to the full form
    return rows


def read_tbx(path_or_text: str | Path, warnings: list[str] | None = None) -> list[dict[str, str]]:
    """Rows (COLUMNS, the evidence columns and ``file``) from a TBX-Basic (martif) or TBX v3 file.

    Missing kind, note or source get defaults, each said once in ``warnings``.
    """
    is_path = isinstance(path_or_text, Path) or not str(path_or_text).lstrip().startswith("<")
    name = Path(path_or_text).name if is_path else "TBX"
    try:
        root = ET.fromstring(read_bytes(path_or_text)) if is_path else ET.fromstring(path_or_text)  # bounded
    except ET.ParseError as exc:
        raise BilingualError(f"not well-formed TBX: {exc}", path_or_text if is_path else None) from None
    except OSError as exc:
        raise BilingualError(f"cannot read: {exc.strerror or exc}", path_or_text) from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise BilingualError(f"not a TBX file (root element <{_local(root.tag)}>)",
                             path_or_text if is_path else None)
    numbered: list[tuple[dict[str, str], int | None]] = []
    for entry in root.iter():
        if _local(entry.tag) in ("termEntry", "conceptEntry"):
            numbered += _entry_rows(entry, name)
    defaults = {"kind": 0, "note": 0, "source": 0}
    for row, _ in numbered:
        if row["kind"] not in PART_OF_SPEECH:
            defaults["kind"] += 1
            row["kind"] = DEFAULT_KIND
        if not row["note"]:
            defaults["note"] += 1
            row["note"] = f"Imported from {name}; no note was given."
        if not row["source"]:
            defaults["source"] += 1
            row["source"] = f"imported from {name}"
    if warnings is not None:
        for column, count in defaults.items():
            if count:
                value = DEFAULT_KIND if column == "kind" else f"'imported from {name}'"
                warnings.append(f"{count} term(s) had no {column}: set to {value}; review them")
    if numbered and all(number is not None for _, number in numbered):
        numbered.sort(key=lambda item: (item[0]["file"], item[1]))
    return [row for row, _ in numbered]
