"""Deterministic English for what MT garbles: numbers, dates, document numbers, names.

These segments are never sent to an engine. Their English is a pure function
of the source and the curated glossary, so it is identical on every run and
every machine:

* the masthead, signatories and lead-agency lists: every name from the
  glossary (``（上海海关、市公安局）`` → ``(Shanghai Customs; Shanghai Municipal
  Public Security Bureau)``); a name missing from the glossary stays in Chinese
  and the entry is flagged fuzzy, so ``check`` and the translator see it;
* dates: ``2025年6月27日`` → ``June 27, 2025``;
* document numbers: ``沪商自贸〔2025〕181号`` → ``Hu Shang Zi Mao [2025] No. 181``
  (the issuer prefix from the glossary, kind ``code``);
* the masthead's ``文件`` → ``Document``.

Headings' numbering (``一、`` → ``I.``, ``（十五）`` → ``(15)``) is added by the
build stage, since the PO ``msgid`` holds the heading text without its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import model
from .model import Segment

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DATE_RE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
DOC_NUMBER_RE = re.compile(r"^\s*(?P<prefix>[^\s〔［\[]*)\s*[〔［\[](?P<year>\d{4})[〕］\]]\s*(?P<num>\d+)\s*号\s*$")
NAME_LIST_KINDS = frozenset({model.ISSUER, model.SIGNATORY, model.AGENCIES})
LIST_SPLIT_RE = re.compile(r"[、，,；;]")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass
class Rendered:
    """English decided by rule; ``fuzzy`` when part of it could not be rendered."""

    text: str
    origin: str
    fuzzy: bool = False
    comments: list[str] = field(default_factory=list)


def roman(number: int) -> str:
    """Section numbering in English: 1 → I, 4 → IV."""
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def render_date(text: str) -> str | None:
    match = DATE_RE.match(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return f"{MONTHS[month - 1]} {day}, {year}"


def render_doc_number(text: str, glossary) -> str | None:
    match = DOC_NUMBER_RE.match(text)
    if not match:
        return None
    prefix = match.group("prefix")
    english_prefix = ""
    if prefix:
        term = glossary.lookup(prefix) if glossary is not None else None
        if term is None:
            return None
        english_prefix = glossary.english(term) + " "
    return f"{english_prefix}[{match.group('year')}] No. {int(match.group('num'))}"


def render_name_list(text: str, glossary) -> Rendered:
    """Agency lists and single names: every name from the glossary, never MT."""
    from .glossary import render_terms_only

    english = render_terms_only(text, glossary) if glossary is not None else None
    if english is not None:
        return Rendered(english, "glossary")
    inner = text.strip().strip("（）()")
    wrapped = inner != text.strip()
    parts, missing = [], []
    for name in (p.strip() for p in LIST_SPLIT_RE.split(inner)):
        if not name:
            continue
        term = glossary.lookup(name) if glossary is not None else None
        if term is None:
            missing.append(name)
            parts.append(name)
        else:
            parts.append(glossary.english(term))
    joined = "; ".join(parts)
    comments = [f"not in glossary: {name} (add it to glossary/ and re-run)" for name in missing]
    return Rendered(f"({joined})" if wrapped else joined, "glossary", fuzzy=bool(missing), comments=comments)


def render_segment(segment: Segment, glossary) -> Rendered | None:
    """English for a segment decided by rule, or None when it needs translation."""
    text = segment.source
    if segment.kind == model.DATE or DATE_RE.match(text):
        date = render_date(text)
        if date:
            return Rendered(date, "rule (date)")
    if segment.kind == model.DOC_NUMBER:
        number = render_doc_number(text, glossary)
        if number:
            return Rendered(number, "rule (document number)")
    if segment.kind == model.MASTHEAD and text.strip() == "文件":
        return Rendered("Document", "rule (masthead)")
    if segment.kind == model.AGENCIES:
        return render_name_list(text, glossary)
    if glossary is not None:
        from .glossary import render_terms_only

        english = render_terms_only(text, glossary)
        if english is not None:
            return Rendered(english, "glossary")
    return None
