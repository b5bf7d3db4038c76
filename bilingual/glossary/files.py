"""Reading and validating glossary folders: ``*.csv`` rows, cross-row rules, ``left-to-mt.txt``."""

from __future__ import annotations

import csv
from pathlib import Path

from ..csvsafe import cell_problem
from ..errors import BilingualError
from ..fileio import read_bytes
from .terms import (
    _CJK,
    _PLACEHOLDER_RE,
    COLUMNS,
    KINDS,
    LEGACY_COLUMNS,
    REQUIRED,
    GlossaryTerm,
    Problem,
    is_punctuation_only,
    term_key,
)


def read_glossary_files(directory: str | Path = "glossary") -> tuple[list[GlossaryTerm], list[Problem]]:
    """Parse every ``*.csv`` in ``directory``; return terms and structural problems.

    Rows with a wrong column count or empty required fields are reported and
    skipped; cross-row consistency is checked by :func:`validate_terms`.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise BilingualError("glossary directory not found", directory)
    terms: list[GlossaryTerm] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.csv")):
        name = str(path)
        try:
            text = read_bytes(path).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, 0, "error", "encoding", f"not UTF-8: {exc}"))
            continue
        reader = csv.reader(text.splitlines(keepends=True))
        header_seen = False
        columns = COLUMNS
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # a cell over csv's field limit (128 KB): no term is that long
                problems.append(Problem(name, reader.line_num, "error", "columns", f"unreadable CSV: {exc}"))
                header_seen = True
                break
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if not header_seen:
                header_seen = True
                columns = tuple(cell.strip() for cell in row)
                if columns not in (COLUMNS, LEGACY_COLUMNS):
                    problems.append(Problem(name, line, "error", "header",
                                            f"header must be {','.join(COLUMNS)}; got {','.join(row)}"))
                    break
                continue
            if len(row) != len(columns):
                problems.append(Problem(name, line, "error", "columns",
                                        f"malformed row: {len(row)} columns, expected {len(columns)}"))
                continue
            values = dict.fromkeys(COLUMNS, "") | dict(zip(columns, row, strict=True))
            unsafe = [(column, cell_problem(value)) for column, value in values.items() if cell_problem(value)]
            if unsafe:
                column, why = unsafe[0]
                problems.append(Problem(name, line, "error", "unsafe-cell", f"{column} {why}"))
                continue
            for column, value in values.items():
                if value != value.strip():
                    problems.append(Problem(name, line, "warning", "whitespace",
                                            f"{column} has leading/trailing whitespace"))
            values = {k: v.strip() for k, v in values.items()}
            missing = [c for c in REQUIRED if not values[c]]
            if missing:
                problems.append(Problem(name, line, "error", "empty",
                                        f"empty required field(s): {', '.join(missing)}"))
                continue
            if values["kind"] not in KINDS:
                problems.append(Problem(name, line, "error", "kind",
                                        f"unknown kind {values['kind']!r}; use one of {', '.join(KINDS)}"))
                continue
            if is_punctuation_only(values["zh"]) or not term_key(values["zh"]):
                problems.append(Problem(name, line, "error", "term",
                                        f"term {values['zh']!r} is only punctuation"))
                continue
            if _CJK.search(values["en"]) or _CJK.search(values["en_abbr"]):
                problems.append(Problem(name, line, "error", "english",
                                        f"English of {values['zh']} contains Chinese characters"))
            if _PLACEHOLDER_RE.search(values["en"]):
                problems.append(Problem(name, line, "error", "english",
                                        f"English of {values['zh']} looks like a placeholder"))
            variants = tuple(v.strip() for v in values["variants"].split("|") if v.strip())
            terms.append(GlossaryTerm(
                zh=values["zh"], en=values["en"], kind=values["kind"], note=values["note"],
                source=values["source"], abbreviation_of=values["full_form"], file=name, line=line,
                en_abbr=values["en_abbr"], evidence_url=values["evidence_url"], checked=values["checked"],
                variants=variants,
            ))
        if not header_seen:
            problems.append(Problem(name, 1, "error", "header", "empty file: no header row"))
    return terms, problems


def validate_terms(terms: list[GlossaryTerm]) -> list[Problem]:
    """Cross-row checks: conflicting English, duplicates, abbreviation links."""
    problems: list[Problem] = []
    first: dict[str, GlossaryTerm] = {}
    for term in terms:
        key = term_key(term.zh)
        seen = first.get(key)
        if seen is None:
            first[key] = term
        elif seen.en != term.en:
            problems.append(Problem(term.file, term.line, "error", "conflict",
                                    f"{term.zh} → {term.en!r} conflicts with {seen.file}:{seen.line} "
                                    f"→ {seen.en!r}"))
        else:
            problems.append(Problem(term.file, term.line, "warning", "duplicate",
                                    f"{term.zh} duplicates {seen.file}:{seen.line}"))
    for term in terms:
        if not term.abbreviation_of:
            continue
        full_key = term_key(term.abbreviation_of)
        full = first.get(full_key)
        if full_key == term_key(term.zh):
            problems.append(Problem(term.file, term.line, "error", "abbreviation",
                                    f"{term.zh} names itself as its full form"))
        elif full is None:
            problems.append(Problem(term.file, term.line, "error", "abbreviation",
                                    f"full form {term.abbreviation_of} of {term.zh} is not in the glossary"))
        elif full.abbreviation_of:
            problems.append(Problem(term.file, term.line, "error", "abbreviation",
                                    f"full form {term.abbreviation_of} of {term.zh} is itself an abbreviation "
                                    f"(of {full.abbreviation_of}); point at the full form"))
        elif full.en != term.en:
            problems.append(Problem(term.file, term.line, "error", "abbreviation",
                                    f"{term.zh} → {term.en!r} but its full form {full.zh} maps elsewhere: "
                                    f"{full.en!r} ({full.file}:{full.line})"))
    return problems


LEFT_TO_MT = "left-to-mt.txt"


def read_left_to_mt(directory: str | Path = "glossary") -> tuple[dict[str, str], list[Problem]]:
    """Quoted terms deliberately left to MT: ``term | reason`` per line, ``#`` comments.

    Returns ({term: reason}, problems); a missing file is an empty list.
    """
    path = Path(directory) / LEFT_TO_MT
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    if not path.is_file():
        return entries, problems
    for number, raw in enumerate(read_bytes(path).decode("utf-8-sig").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, reason = (part.strip() for part in line.partition("|"))
        if not sep or not term or not reason:
            problems.append(Problem(str(path), number, "error", "left-to-mt",
                                    "expected 'term | reason' (a reason is required)"))
            continue
        if term in entries:
            problems.append(Problem(str(path), number, "warning", "duplicate", f"{term} listed twice"))
        entries[term] = reason
    return entries, problems


def check_directory(directory: str | Path | None = None, *,
                    builtin: bool | None = None) -> tuple[list[GlossaryTerm], list[Problem]]:
    """Parse and validate the glossary layers: (the merged terms, every problem found).

    ``directory`` is the project folder on top of the built-in termbase
    (:mod:`bilingual.glossary_layers`; ``None``: the built-in one alone). Every
    project row that overrides a built-in row is an ``info`` finding naming both
    English forms. Includes the evidence rule (:func:`bilingual.evidence.evidence_problems`),
    which ``load_glossary`` does not apply: a missing evidence URL is a curation gap that
    ``glossary check`` reports, not a reason to refuse to translate.
    """
    from ..evidence import evidence_problems
    from ..glossary_layers import PROJECT, glossary_layers, layer_of, merge_layers, override_problems

    problems: list[Problem] = []
    layered = []
    left: dict[str, tuple[str, str]] = {}  # term -> (layer, file)
    for layer in glossary_layers(directory, builtin=builtin):
        terms, found = read_glossary_files(layer.path)
        problems += found
        layered.append((layer, terms))
        entries, left_problems = read_left_to_mt(layer.path)
        problems += left_problems
        left.update({term: (layer.name, str(Path(layer.path) / LEFT_TO_MT)) for term in entries})
    terms, overrides = merge_layers(layered)
    problems += validate_terms(terms)
    problems += evidence_problems(terms)
    problems += override_problems(overrides)
    keys = {term_key(t.zh): t for t in terms}
    for term, (layer_name, file) in left.items():
        hit = keys.get(term_key(term))
        # a project term for a built-in left-to-MT entry is the project's decision, not a conflict
        if hit is not None and not (layer_name != PROJECT and layer_of(hit) == PROJECT):
            problems.append(Problem(file, 0, "warning", "left-to-mt",
                                    f"{term} is left to MT but also in {hit.file}:{hit.line}"))
    return terms, problems

