"""Reading and validating glossary folders: ``*.csv`` rows, cross-row rules, ``left-to-mt.txt``."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from ..csvsafe import character_problem, row_problem
from ..errors import BilingualError
from ..fileio import read_bytes
from . import bounds
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


def csv_files(directory: str | Path) -> list[Path]:
    """The glossary files of ``directory``, in the order they are read: every ``*.csv``."""
    return sorted(Path(directory).glob("*.csv"))


def read_glossary_files(directory: str | Path = "glossary") -> tuple[list[GlossaryTerm], list[Problem]]:
    """Parse every ``*.csv`` in ``directory``; return terms and structural problems.

    Rows with a wrong column count or empty required fields are reported and
    skipped; cross-row consistency is checked by :func:`validate_terms`. A folder past
    the bounds of :mod:`bilingual.glossary.bounds` is refused (:class:`GlossaryTooLarge`).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise BilingualError("glossary directory not found", directory)
    terms: list[GlossaryTerm] = []
    problems: list[Problem] = []
    paths = csv_files(directory)
    bounds.check_folder_bytes(paths)
    rows = [0]  # data rows of the folder so far
    for path in paths:
        data = read_bytes(path)
        kept = len(terms), len(problems), rows[0]
        try:
            _read_file(path, data, rows, terms, problems)
        except UnicodeDecodeError:
            del terms[kept[0]:], problems[kept[1]:]  # a file that is not UTF-8 is one finding, as a whole
            rows[0] = kept[2]
            try:
                data.decode("utf-8-sig")  # the exact offset for the message (the stream saw one chunk)
            except UnicodeDecodeError as exc:
                problems.append(Problem(str(path), 0, "error", "encoding", f"not UTF-8: {exc}"))
    return terms, problems


def _csv_rows(data: bytes):
    """A ``csv.reader`` over ``data`` decoded as it is read, lines ending at LF, CR or CRLF only.

    Neither the whole text nor a list of its lines is ever made (a file at the byte bound
    would cost ten times its size), and ``str.splitlines`` would also cut a row at U+0085,
    U+2028 or U+2029: such a character stays in its cell, which is then refused naming it.
    """
    return csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))


def _read_file(path: Path, data: bytes, rows: list[int], terms: list[GlossaryTerm],
               problems: list[Problem]) -> None:
    """The rows of one glossary file into ``terms`` and ``problems``; ``rows[0]`` counts the folder's rows."""
    name = str(path)
    reader = _csv_rows(data)
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
        rows[0] += 1
        if rows[0] > bounds.MAX_ROWS:
            raise bounds.too_many_rows(path, line)
        if len(row) != len(columns):
            problems.append(Problem(name, line, "error", "columns",
                                    f"malformed row: {len(row)} columns, expected {len(columns)}"))
            continue
        term = _row_term(dict.fromkeys(COLUMNS, "") | dict(zip(columns, row, strict=True)), name, line, problems)
        if term is not None:
            terms.append(term)
    if not header_seen:
        problems.append(Problem(name, 1, "error", "header", "empty file: no header row"))


def _row_term(values: dict[str, str], name: str, line: int, problems: list[Problem]) -> GlossaryTerm | None:
    """The term of one row of ``name`` (its cells by column), or ``None`` after reporting why not."""
    unsafe = row_problem(values)
    if unsafe:
        problems.append(Problem(name, line, "error", "unsafe-cell", " ".join(unsafe)))
        return None
    stripped = {column: value.strip() for column, value in values.items()}
    if stripped != values:
        problems.extend(Problem(name, line, "warning", "whitespace", f"{column} has leading/trailing whitespace")
                        for column, value in values.items() if value != stripped[column])
    values = stripped
    missing = [c for c in REQUIRED if not values[c]]
    if missing:
        problems.append(Problem(name, line, "error", "empty", f"empty required field(s): {', '.join(missing)}"))
        return None
    if values["kind"] not in KINDS:
        problems.append(Problem(name, line, "error", "kind",
                                f"unknown kind {values['kind']!r}; use one of {', '.join(KINDS)}"))
        return None
    if is_punctuation_only(values["zh"]) or not term_key(values["zh"]):
        problems.append(Problem(name, line, "error", "term", f"term {values['zh']!r} is only punctuation"))
        return None
    if _CJK.search(values["en"]) or _CJK.search(values["en_abbr"]):
        problems.append(Problem(name, line, "error", "english",
                                f"English of {values['zh']} contains Chinese characters"))
    if _PLACEHOLDER_RE.search(values["en"]):
        problems.append(Problem(name, line, "error", "english",
                                f"English of {values['zh']} looks like a placeholder"))
    variants = tuple(v.strip() for v in values["variants"].split("|") if v.strip())
    shared = sys.intern  # cells most rows repeat: one string each, not one per row
    return GlossaryTerm(
        zh=values["zh"], en=values["en"], kind=shared(values["kind"]), note=values["note"],
        source=shared(values["source"]), abbreviation_of=shared(values["full_form"]), file=name, line=line,
        en_abbr=values["en_abbr"], evidence_url=values["evidence_url"], checked=shared(values["checked"]),
        variants=variants,
    )


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
_LINE_END = re.compile(r"\r\n?|\n")


def read_left_to_mt(directory: str | Path = "glossary") -> tuple[dict[str, str], list[Problem]]:
    """Quoted terms deliberately left to MT: ``term | reason`` per line, ``#`` comments.

    Returns ({term: reason}, problems); a missing file is an empty list.
    """
    path = Path(directory) / LEFT_TO_MT
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    if not path.is_file():
        return entries, problems
    # lines end at LF, CRLF or CR only: str.splitlines would cut a term at U+2028 or U+0085
    for number, raw in enumerate(_LINE_END.split(read_bytes(path).decode("utf-8-sig")), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        why = character_problem(raw)
        if why:
            problems.append(Problem(str(path), number, "error", "unsafe-cell", f"the line {why}"))
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

