"""Terminology report: where the official English of a name differs from the glossary's.

A terminologist wants to know, for every glossary term the document pair uses,
whether the official translation writes it as the glossary does. Two sources:

* **names paired one to one** (issuing bodies, signatures, lead agencies —
  :mod:`.names`): the official English of the name is known exactly;
* **terms inside aligned sentences**: an organisation, place, regime or title
  of the glossary in the Chinese sentence whose approved English (or full form,
  abbreviation, known variant) is not in the English sentence; the official
  English is the name-like run of capitalised words in the sentence most like
  the glossary's English (similarity ≥ :data:`CANDIDATE`), holding a word that
  names a body or place (Commission, Customs, Port, Zone …), that is not itself
  another glossary name. When none is, the translator paraphrased ("the
  Commission"): nothing is reported.

Names are compared without case, "&"/"and", straight/curly apostrophes or a
leading "the". An official English that is a *known variant* of the term
(issue "Every name as its body writes it") is still listed, marked ``variant``,
so a reviewer sees it is not a mistake; one made of fewer of the glossary's own
words ("Ministry of Commerce" for "Ministry of Commerce of the People's Republic
of China") is marked ``shorter form``. A paired name the glossary does not
know at all is listed as ``not in glossary``.

``--report-csv`` writes the findings in the glossary's CSV layout
(``zh,en,kind,full_form,en_abbr,note,source``): ``en`` the official English,
the note naming the glossary's English and where the official one was seen,
``source`` the official translation — rows a terminologist can take into
``glossary/*.csv`` (or turn down).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..glossary import COLUMNS, Glossary, term_key
from .anchors import contains_name, content_words, english_forms, variants
from .enstructure import NAME_HEADS
from .names import similarity
from .pairing import Alignment

#: A candidate name ends in (or holds) a word that names a body, a place or a system.
_HEAD_RE = re.compile(r"\b(?:Ports?|Zones?|Areas?|Parks?|Window|Platform|Centers?|Centres?|District|Province|City|"
                      r"Municipality|Region)\b|" + NAME_HEADS.pattern)
REPORT_KINDS = frozenset({"organisation", "place", "regime", "title"})
CANDIDATE = 0.6
_NAME_RUN_RE = re.compile(
    r"(?:[A-Z][\w'’.-]*|&)(?:\s+(?:(?:of|and|for|the|in|on|de|&)\s+)*(?:[A-Z][\w'’.-]*|\([A-Z][A-Za-z]+\)))*")


@dataclass
class Finding:
    """One glossary name whose official English differs (or that the glossary lacks)."""

    zh: str
    kind: str
    glossary_en: str  # "" when the glossary does not know the name
    official_en: str
    status: str  # "differs" | "shorter" | "variant" | "not in glossary"
    places: list[str] = field(default_factory=list)
    full_form: str = ""

    def line(self) -> str:
        if self.status == "not in glossary":
            return f"{self.zh}: not in glossary; official: {self.official_en}  [{', '.join(self.places)}]"
        mark = {"variant": " (known variant)", "shorter": " (shorter form)"}.get(self.status, "")
        return (f"{self.zh}: glossary: {self.glossary_en}; official: {self.official_en}{mark}"
                f"  [{', '.join(self.places)}]")

    def as_dict(self) -> dict:
        return {"zh": self.zh, "kind": self.kind, "glossary": self.glossary_en, "official": self.official_en,
                "status": self.status, "places": self.places}


def same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = s.lower().replace("’", "'").replace("&", " and ")
        s = re.sub(r"^the\s+", "", s.strip())
        return " ".join(re.findall(r"[a-z0-9']+", s))
    return norm(a) == norm(b)


class _Collector:
    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self.findings: dict[tuple[str, str], Finding] = {}
        self.known = {t.en.lower() for t in glossary if t.kind in REPORT_KINDS}

    def add(self, zh: str, official: str, place: str) -> None:
        term = self.glossary.lookup(zh)
        if term is None:
            key = (term_key(zh), official.lower())
            finding = self.findings.setdefault(key, Finding(zh, "organisation", "", official, "not in glossary"))
        else:
            full = self.glossary.full_form(term)
            forms = list(english_forms(self.glossary, term))
            if any(same_name(official, form) for form in forms if form not in variants(term)
                   and form not in variants(full)):
                return
            if any(same_name(official, v) for v in (*variants(term), *variants(full))):
                status = "variant"
            elif set(content_words(official)) < set(content_words(full.en)):
                status = "shorter"
            else:
                status = "differs"
            key = (term_key(full.zh), official.lower())
            finding = self.findings.setdefault(
                key, Finding(full.zh, full.kind, full.en, official, status, full_form=term.abbreviation_of))
        if place not in finding.places:
            finding.places.append(place)

    def sentence(self, zh: str, en: str, place: str) -> None:
        for match in self.glossary.match(zh):
            term = match.term
            if term.kind not in REPORT_KINDS:
                continue
            forms = [f for f in english_forms(self.glossary, term) if f]
            if any(contains_name(en, form) for form in forms):
                continue
            official = self.candidate(en, forms)
            if official:
                self.add(match.term.zh, official, place)

    def candidate(self, en: str, forms: list[str]) -> str:
        best, best_score = "", CANDIDATE
        for m in _NAME_RUN_RE.finditer(en):
            # a run may hold two names joined by "and": "… of China and the State Council"
            parts = [p for p in re.split(r"\s+and\s+(?:the\s+)?(?=[A-Z])", m.group().strip()) if p]
            for run in {m.group().strip(), *parts}:
                run = re.sub(r"^The\s+", "", run)
                if len(run.split()) < 2 or run.lower() in self.known or not _HEAD_RE.search(run):
                    continue
                score = max(similarity(form, run) for form in forms)
                if score > best_score or (score == best_score and len(run) < len(best)):
                    best, best_score = run, score
        return best


def terminology(alignment: Alignment, glossary: Glossary | None = None) -> list[Finding]:
    """Every glossary name whose official English in the pair differs from the glossary's.

    ``glossary`` defaults to the one the pair was aligned with (the document's issuer scope).
    """
    glossary = glossary if glossary is not None else alignment.glossary
    if glossary is None:
        return []
    collector = _Collector(glossary)
    for pair in alignment.names:
        collector.add(pair.zh, pair.en, pair.zh_key)
    for pair in alignment.pairs:
        if pair.kind in ("sentence", "field"):
            collector.sentence(pair.zh, pair.en, pair.ctx)
    return sorted(collector.findings.values(), key=lambda f: (f.status == "not in glossary", f.zh))


def report_rows(findings: list[Finding], alignment: Alignment) -> list[dict[str, str]]:
    """The findings as glossary rows (``zh,en,kind,full_form,en_abbr,note,source`` …)."""
    rows = []
    source = f"official translation ({Path(alignment.en_source).name})"
    for f in findings:
        if f.status == "not in glossary":
            note = f"Not in the glossary; the official translation writes it so ({', '.join(f.places)})."
        else:
            known = {"variant": " (a known variant)", "shorter": " (a shorter form)"}.get(f.status, "")
            note = (f"Official English{known} differs from the glossary's '{f.glossary_en}' "
                    f"({', '.join(f.places)}); a terminologist decides.")
        rows.append({"zh": f.zh, "en": f.official_en, "kind": f.kind, "note": note, "source": source})
    return rows


def report_csv(findings: list[Finding], alignment: Alignment) -> str:
    """The findings in the glossary's CSV layout, for ``bilingual glossary import``."""
    from ..termbase import rows_to_csv

    return rows_to_csv(report_rows(findings, alignment))


def read_glossary_csv(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV in the glossary layout (a ``--report-csv`` file), for ``glossary import``."""
    from ..errors import BilingualError

    path = Path(path)
    try:
        from ..fileio import read_bytes

        text = read_bytes(path).decode("utf-8-sig")  # bounded by --max-size
    except (OSError, UnicodeDecodeError) as exc:
        raise BilingualError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path) from None
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    try:
        header = reader.fieldnames or []
        if not {"zh", "en", "kind"} <= set(header) or not set(header) <= set(COLUMNS) | {"file"}:
            raise BilingualError(f"not a glossary CSV: the header must be {','.join(COLUMNS)}", path)
        for number, row in enumerate(reader, start=2):
            if not (row.get("zh") or "").strip() or not (row.get("en") or "").strip():
                raise BilingualError(f"line {number}: a row needs zh and en", path)
            rows.append({c: (row.get(c) or "").strip() for c in (*COLUMNS, "file") if c in row})
    except csv.Error as exc:  # a cell over csv's field limit (128 KB)
        raise BilingualError(f"unreadable CSV: {exc}", path) from None
    return rows
