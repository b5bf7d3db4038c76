"""TBX-Basic's rules, to validate the TBX that ``bilingual glossary export`` writes.

Written from the TBX-Basic dialect definition (LTAC Global, TBX-Basic dialect 1.2, for
TBX v3 = ISO 30042:2019): its DCA schematron (data categories, the levels they may
appear at, picklist values, targets) and the TBX core structure it integrates (a header
with a file description, a body of concept entries with unique ids, language sections
with xml:lang, term sections holding exactly one term). The same rules are applied to
the TBX-Basic 2008 (``martif``) layout, whose element names differ.

:func:`problems` returns one message per broken rule, ``[]`` for a valid file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
V3 = {"root": "tbx", "header": "tbxHeader", "entry": "conceptEntry", "lang": "langSec", "term": "termSec"}
V2 = {"root": "martif", "header": "martifHeader", "entry": "termEntry", "lang": "langSet", "term": "tig"}

PICKLISTS = {
    "partOfSpeech": {"noun", "verb", "adjective", "adverb", "other"},
    "administrativeStatus": {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                             "supersededTerm-admn-sts"},
    "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
    "grammaticalGender": {"masculine", "feminine", "neuter", "other"},
    "transactionType": {"origination", "modification"},
}
# (element, data category) → the levels it may appear at (a …Grp wrapper counts as its parent)
ALLOWED = {
    ("descrip", "subjectField"): {"entry"},
    ("descrip", "definition"): {"entry", "lang"},
    ("descrip", "context"): {"term"},
    ("admin", "source"): {"entry", "lang", "term"},
    ("admin", "projectSubset"): {"entry", "term"},
    ("admin", "customerSubset"): {"entry", "term"},
    ("termNote", "partOfSpeech"): {"term"},
    ("termNote", "administrativeStatus"): {"term"},
    ("termNote", "termType"): {"term"},
    ("termNote", "grammaticalGender"): {"term"},
    ("termNote", "geographicalUsage"): {"term"},
    ("termNote", "termLocation"): {"term"},
    ("ref", "crossReference"): {"entry", "term"},
    ("xref", "externalCrossReference"): {"entry", "term"},
    ("xref", "xGraphic"): {"entry", "lang"},
    ("transac", "transactionType"): {"entry", "lang", "term"},
}
CONTENT = {"term", "termNote", "descrip", "descripGrp", "admin", "adminGrp", "note", "ref", "xref", "transacGrp",
           "transac", "transacNote", "date", "termNoteGrp"}
HEADER = {"fileDesc", "titleStmt", "title", "sourceDesc", "publicationStmt", "p", "encodingDesc", "revisionDesc",
          "change"}
_URL = re.compile(r"^https?://\S+$")


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def problems(text: str) -> list[str]:
    """Every TBX-Basic rule the document breaks."""
    found: list[str] = []
    root = ET.fromstring(text.encode("utf-8"))
    ns, name = _local(root.tag)
    names = V3 if name == "tbx" else V2
    if name not in ("tbx", "martif"):
        return [f"root element <{name}> is neither <tbx> nor <martif>"]
    if root.get("type") != "TBX-Basic":
        found.append("the root's type must be TBX-Basic")
    if name == "tbx" and root.get("style") != "dca":
        found.append("the root's style must be dca")
    if not root.get(XML_LANG):
        found.append("the root needs xml:lang")
    expected_ns = TBX3_NS if name == "tbx" else ""
    for element in root.iter():
        if _local(element.tag)[0] != expected_ns:
            found.append(f"<{_local(element.tag)[1]}> is not in the namespace {expected_ns!r} (DCT elements "
                         "are not permitted in DCA style)")
    children = [_local(c.tag)[1] for c in root]
    if children != [names["header"], "text"]:
        found.append(f"the root must hold {names['header']} then text, not {children}")
    header = root.find(f"{{{ns}}}{names['header']}" if ns else names["header"])
    if header is None or not any(_local(c.tag)[1] == "fileDesc" for c in header):
        found.append("the header needs a fileDesc")
    else:
        for element in header.iter():
            if element is not header and _local(element.tag)[1] not in HEADER:
                found.append(f"<{_local(element.tag)[1]}> is not a header element")
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        found.append(f"ids must be unique: {duplicates[:5]}")
    known_ids = set(ids)
    entries = [e for e in root.iter() if _local(e.tag)[1] == names["entry"]]
    if not entries:
        found.append("the body holds no entry")
    for entry in entries:
        where = f"{names['entry']} {entry.get('id')}"
        if not entry.get("id"):
            found.append(f"{names['entry']} without an id")
        langs = [c for c in entry if _local(c.tag)[1] == names["lang"]]
        if not langs:
            found.append(f"{where}: no {names['lang']}")
        for lang in langs:
            if not lang.get(XML_LANG):
                found.append(f"{where}: a {names['lang']} without xml:lang")
            terms = [c for c in lang if _local(c.tag)[1] == names["term"]]
            if not terms:
                found.append(f"{where}: {names['lang']} {lang.get(XML_LANG)} holds no {names['term']}")
            for group in terms:
                inner = [_local(c.tag)[1] for c in group]
                if inner.count("term") != 1 or inner[0] != "term":
                    found.append(f"{where}: a {names['term']} must start with exactly one term: {inner}")
                elif not "".join(group[0].itertext()).strip():
                    found.append(f"{where}: an empty term")
        found += _categories(entry, names, where, known_ids)
    return found


def _level(parent, names) -> str:
    name = _local(parent.tag)[1]
    return {names["entry"]: "entry", names["lang"]: "lang", names["term"]: "term"}.get(name, name)


def _categories(entry, names, where: str, known_ids: set[str]) -> list[str]:
    found: list[str] = []

    def visit(node, level: str) -> None:
        for child in node:
            name = _local(child.tag)[1]
            if name in (names["lang"], names["term"]):
                visit(child, _level(child, names))
                continue
            if name not in CONTENT:
                found.append(f"{where}: <{name}> is not a TBX-Basic element")
                continue
            if name.endswith("Grp"):
                visit(child, level)  # a group counts at its parent's level
                continue
            category = child.get("type")
            if category is not None:
                text = "".join(child.itertext()).strip()
                if (name, category) not in ALLOWED:
                    found.append(f"{where}: <{name} type={category!r}> is not a TBX-Basic data category")
                elif level not in ALLOWED[(name, category)]:
                    found.append(f"{where}: {category} is not allowed at the {level} level")
                if category in PICKLISTS and text not in PICKLISTS[category]:
                    found.append(f"{where}: {category} {text!r} is not in TBX-Basic's picklist "
                                 f"({', '.join(sorted(PICKLISTS[category]))})")
                if not text:
                    found.append(f"{where}: empty {category}")
            elif name in ("termNote", "descrip", "admin", "ref", "xref", "transac"):
                found.append(f"{where}: <{name}> without a data category (type)")
            target = child.get("target")
            if target is not None and not (_URL.match(target) or target in known_ids):
                found.append(f"{where}: target {target!r} is neither an id of the file nor an http(s) URL")

    visit(entry, "entry")
    return found
