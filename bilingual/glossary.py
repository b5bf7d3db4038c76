"""The terminology glossary: load, match, protect from MT, restore, render.

Glossary files
--------------
``glossary/*.csv`` (UTF-8, one row per zh form) with the header::

    zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants

(the older seven-column header without the last three columns is still read).

* ``kind`` is one of :data:`KINDS`.
* ``full_form`` is the zh full form when the row is an abbreviation or variant
  (市商务委 → 上海市商务委员会); the row's ``en`` must then equal the full
  form's ``en`` (``bilingual glossary check`` enforces it).
* ``en_abbr`` is an optional English short form (GACC, SIPG).
* ``note`` and ``source`` are required: ``source`` says where the English comes
  from (the body's own English website, GACC English pages, a standard, or
  ``coined`` by the team).
* ``evidence_url``, ``checked``, ``variants``: where the English was seen, when,
  and the other English names official sources use; see :mod:`bilingual.evidence`
  (``bilingual glossary check`` enforces the evidence rule on organisations).

Rendering (:meth:`Glossary.english`)
------------------------------------
A full-form row renders its ``en``. An abbreviation row renders the English of
its FULL form (a foreign reader cannot decode "Municipal Commerce Commission"
shorthand), followed by `` (EN_ABBR)`` only when the abbreviation row has an
``en_abbr``: 上港集团 → "Shanghai International Port (Group) Co., Ltd. (SIPG)".
``en_abbr`` on a full-form row is informational (lookup, TBX) and never
rendered, because zh sources that use the full form usually give the Latin
abbreviation themselves (“经认证的经营者”（AEO）).

Quotes and titles
-----------------
The CSV holds slogans and titles bare, without “ ” or 《 》 (两证合一, not
“两证合一”), and their English without quotes. When a match is wrapped in a
pair of Chinese quotes or title marks in the source (“…”, 《…》, 「…」, "…"),
:func:`protect` swallows the pair into the placeholder and :func:`restore`
renders the English in straight double quotes: “两证合一” → "…". Quote marks
*inside* a term (上海国际贸易“单一窗口”) are optional when matching, and the
English of such a row is written as the name should read.

Matching (:meth:`Glossary.match`)
---------------------------------
Terms and text are compared in Simplified characters (Traditional reprints
match; :mod:`bilingual.zhnorm`). One compiled regex alternation, longest term first, scanned left to right: at
each position the longest term wins and matches never overlap, so a term never
matches as part of a longer glossary term starting at the same or an earlier
position (上海国际贸易“单一窗口” beats 单一窗口). PDF extraction inserts
spaces and line breaks between characters, so ``\\s*`` is allowed between any
two characters (上海口岸 2025 年 matches 上海口岸2025年), except between two
ASCII letters/digits. A term that starts or ends with an ASCII letter/digit
(AEO, 9610) needs a non-alphanumeric neighbour on that side: 9610 does not
match inside 196100. Full-width and ASCII parentheses are interchangeable.

Placeholders
------------
:func:`protect` replaces each matched term by ``QXZ<n>`` (n = 1, 2, … per
occurrence), with a space on each side unless the neighbour is already
whitespace or the string edge. The format is ASCII letters + digits only:
SentencePiece/Argos decoding turns ``_`` into spaces and many models mangle
brackets, while "QXZ" is no English or pinyin word, so engines copy it through
untranslated. :func:`restore` accepts what engines do to such tokens (spaces
inside, case changes: ``Qxz 1``, ``qxz1``), fills every placeholder with the
approved English and reports the terms whose placeholder the engine dropped.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .csvsafe import cell_problem
from .errors import BilingualError
from .fileio import read_bytes
from .model import Match, Term
from .zhnorm import to_simplified

COLUMNS = ("zh", "en", "kind", "full_form", "en_abbr", "note", "source", "evidence_url", "checked", "variants")
#: The header before the evidence columns existed; files with it are read with empty evidence.
LEGACY_COLUMNS = COLUMNS[:7]
REQUIRED = ("zh", "en", "kind", "note", "source")
KINDS = ("organisation", "regime", "code", "place", "slogan", "phrase", "title")
# Kinds replaced by placeholders before MT. Recurring policy *phrases* (优化营商环境,
# 专项行动…) are not: a sentence of 20 placeholders leaves the engine nothing to
# translate fluently. Phrases still appear as hints in the PO comments and
# ``bilingual check`` still holds reviewed translations to them.
PROTECTED_KINDS = frozenset(KINDS) - {"phrase"}

PLACEHOLDER_PREFIX = "QXZ"
_PLACEHOLDER_RE = re.compile(r"Q\s*X\s*Z\s*(\d+)", re.IGNORECASE)

# Quote characters that may sit inside a term (optional when matching) and the
# opening → closing pairs that protect() swallows around a match.
QUOTE_CHARS = "“”\"「」『』‘’"
QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"', "‘": "’", "〈": "〉"}
_QUOTE_CLASS = "[" + re.escape(QUOTE_CHARS) + "]"
_PAREN_VARIANTS = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KEY_DROP = re.compile(r"[\s" + re.escape(QUOTE_CHARS) + "《》]")


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@functools.lru_cache(maxsize=65536)
def term_key(zh: str) -> str:
    """Normalised lookup key of a zh form: NFKC, Simplified, no whitespace, no quote marks.

    Cached: matching looks the same few hundred forms up again and again.
    """
    return _KEY_DROP.sub("", to_simplified(unicodedata.normalize("NFKC", zh)))


def is_punctuation_only(text: str) -> bool:
    """True when ``text`` has no letter, digit or CJK character."""
    return not any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class GlossaryTerm(Term):
    """A :class:`~bilingual.model.Term` plus the English abbreviation and the evidence for its English."""

    en_abbr: str = ""
    evidence_url: str = ""  # URL where the English was seen, or "coined"
    checked: str = ""  # ISO date the URL was checked, or "unverified"
    variants: tuple[str, ...] = ()  # other English names official sources use (not approved)


@dataclass(frozen=True)
class Problem:
    """One finding of glossary validation, pointing at file:line."""

    file: str
    line: int
    severity: str  # "error" | "warning"
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Slot:
    """One protected occurrence: ``placeholder`` stands for ``match`` in the text.

    ``start``/``end`` is the replaced span of the source, including the quote
    pair when ``quoted`` (then the English is restored inside "…").
    """

    placeholder: str
    match: Match
    quoted: bool
    start: int
    end: int

    @property
    def term(self) -> Term:
        return self.match.term


@dataclass
class Protected:
    """Result of :func:`protect`: the text to send to MT and what it hides."""

    source: str
    text: str
    matches: list[Match] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


# --------------------------------------------------------------------------- parsing


def _term_pattern(zh: str) -> str:
    """Regex for one zh form: ``\\s*`` between characters, optional inner quotes."""
    chars = [ch for ch in zh if not ch.isspace()]
    # A term written wrapped in quotes is the bare term (protect handles the pair).
    while len(chars) >= 2 and QUOTE_PAIRS.get(chars[0]) == chars[-1]:
        chars = chars[1:-1]
    parts: list[str] = []
    prev = ""
    for ch in chars:
        if ch in QUOTE_CHARS:
            parts.append(rf"(?:\s*{_QUOTE_CLASS})?" if parts else rf"(?:{_QUOTE_CLASS}\s*)?")
            continue
        piece = _PAREN_VARIANTS.get(ch) or re.escape(ch)
        real_before = any(not p.startswith("(?:") for p in parts)
        if real_before and not (_is_ascii_alnum(prev) and _is_ascii_alnum(ch)):
            piece = r"\s*" + piece
        parts.append(piece)
        prev = ch
    real = [ch for ch in chars if ch not in QUOTE_CHARS]
    if not real:
        return ""
    pattern = "".join(parts)
    if _is_ascii_alnum(real[0]):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _is_ascii_alnum(real[-1]):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


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
        for row in reader:
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


def load_left_to_mt(glossary: Glossary | str | Path | None = None, *,
                    builtin: bool | None = None) -> dict[str, str]:
    """The ``left-to-mt.txt`` entries of every glossary layer (malformed lines skipped).

    ``glossary`` is a loaded glossary (its layers) or the project folder (``None``:
    the built-in termbase alone); a project entry's reason wins over the built-in one.
    """
    from .glossary_layers import glossary_layers

    if isinstance(glossary, Glossary) and glossary.layers:
        layers = glossary.layers
    else:
        layers = glossary_layers(getattr(glossary, "directory", glossary) or None, builtin=builtin)
    entries: dict[str, str] = {}
    for layer in layers:
        entries.update(read_left_to_mt(layer.path)[0])
    return entries


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
    from .evidence import evidence_problems
    from .glossary_layers import PROJECT, glossary_layers, layer_of, merge_layers, override_problems

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


# --------------------------------------------------------------------------- the glossary


class Glossary:
    """A loaded glossary: terms, lookup, matcher and renderer.

    ``layers``, ``layered`` (each layer's own rows) and ``overrides`` are set by
    :func:`load_glossary` (:mod:`bilingual.glossary_layers`); a glossary built
    from a list of terms has none.
    """

    layers: tuple = ()
    layered: tuple = ()
    overrides: tuple = ()

    def __init__(self, terms: list[GlossaryTerm], version: str = "", directory: str = ""):
        self.terms: list[Term] = list(terms)
        self.directory = directory
        self._by_key: dict[str, Term] = {}
        for term in self.terms:
            self._by_key.setdefault(term_key(term.zh), term)
        if not version:
            digest = hashlib.sha256()
            for term in self.terms:
                digest.update("\x1f".join(_term_fields(term)).encode() + b"\x1e")
            version = digest.hexdigest()[:12]
        self.version = version
        # Alternatives grouped by their first character (a one-level trie): at each position
        # the engine tries only the terms that start with the character there. Within a group,
        # and among the other alternatives, the order stays longest-first.
        others: list[str] = []
        groups: dict[str, list[str]] = {}
        for _key, term in sorted(self._by_key.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            pattern = _term_pattern(to_simplified(term.zh))
            if not pattern:
                continue
            if pattern[0] in "(\\[":  # lookbehind of a Latin/digit start, escaped or bracket char
                others.append(pattern)
            else:
                groups.setdefault(pattern[0], []).append(pattern[1:])
        alternatives = others + [first + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()]
        # A lookahead on the possible first characters fails most positions at once.
        starts = "".join(re.escape(ch) for ch in groups) + ("\\x00-\\x7f（" if others else "")
        self._regex = re.compile(f"(?=[{starts}])(?:{'|'.join(alternatives)})") if alternatives else None

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __repr__(self) -> str:
        return f"<Glossary {self.directory or '(memory)'} {len(self.terms)} terms v{self.version}>"

    def lookup(self, zh: str) -> Term | None:
        """The term for a zh form (whitespace, quotes and paren width ignored)."""
        return self._by_key.get(term_key(zh))

    def full_form(self, term: Term) -> Term:
        """The full-form term of an abbreviation (the term itself otherwise)."""
        if term.abbreviation_of:
            full = self.lookup(term.abbreviation_of)
            if full is not None:
                return full
        return term

    def abbreviations_of(self, term: Term) -> list[Term]:
        key = term_key(term.zh)
        return [t for t in self.terms if t.abbreviation_of and term_key(t.abbreviation_of) == key]

    def variants(self, term: Term) -> tuple[str, ...]:
        """Other English names of the term's concept seen in official sources (its full form's too)."""
        seen: dict[str, None] = {}
        for t in (term, self.full_form(term)):
            for variant in getattr(t, "variants", ()):
                seen.setdefault(variant, None)
        return tuple(seen)

    def evidence(self, term: Term) -> tuple[str, str]:
        """(evidence_url, checked) of the term, inherited from its full form when the row has none."""
        for t in (term, self.full_form(term)):
            url = getattr(t, "evidence_url", "")
            if url:
                return url, getattr(t, "checked", "")
        return "", ""

    def english(self, term: Term) -> str:
        """The English to render (see the module docstring, "Rendering")."""
        if not term.abbreviation_of:
            return term.en
        en = self.full_form(term).en
        abbr = getattr(term, "en_abbr", "")
        return f"{en} ({abbr})" if abbr else en

    def match(self, text: str) -> list[Match]:
        """Glossary terms in ``text``: longest-first, non-overlapping, left to right.

        Matching runs on the Simplified form of ``text`` (:mod:`bilingual.zhnorm`), whose
        offsets are those of ``text``: a Traditional reprint matches, and is replaced, as written.
        """
        if self._regex is None or not text:
            return []
        found: list[Match] = []
        for m in self._regex.finditer(to_simplified(text)):
            term = self.lookup(m.group())
            if term is not None and m.end() > m.start():
                found.append(Match(term=term, start=m.start(), end=m.end()))
        return found


def _term_fields(term: Term) -> tuple[str, ...]:
    return (term.zh, term.en, term.kind, term.abbreviation_of, getattr(term, "en_abbr", ""),
            term.note, term.source, getattr(term, "evidence_url", ""), getattr(term, "checked", ""),
            "|".join(getattr(term, "variants", ())))


_CACHE: dict[tuple[str, ...], tuple[tuple, Glossary]] = {}


def load_glossary(directory: str | Path | None = None, *, builtin: bool | None = None) -> Glossary:
    """Load and validate the glossary layers (cached per folders + file mtimes).

    ``directory`` is the project folder, on top of the built-in termbase
    (:mod:`bilingual.glossary_layers`; ``builtin=False``: without it); ``None``
    loads the built-in one alone.
    Raises :class:`BilingualError` when the glossary has errors (run
    ``bilingual glossary check`` for the full list); warnings are ignored.
    """
    from .glossary_layers import glossary_layers, merge_layers

    layers = glossary_layers(directory, builtin=builtin)
    files = [f for layer in layers for f in sorted(Path(layer.path).glob("*.csv"))]
    signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    cache_key = tuple(str(Path(layer.path).resolve()) for layer in layers)
    cached = _CACHE.get(cache_key)
    if cached and cached[0] == signature:
        return cached[1]
    layered = [(layer, read_glossary_files(layer.path)) for layer in layers]
    problems = [p for _, (_, found) in layered for p in found]
    terms, overrides = merge_layers([(layer, found_terms) for layer, (found_terms, _) in layered])
    problems += validate_terms(terms)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more; run `bilingual glossary check`)" if len(errors) > 1 else ""
        raise BilingualError(f"glossary has errors: {errors[0]}{more}", layers[-1].path)
    digest = hashlib.sha256()
    for layer in layers:
        digest.update(layer.name.encode() + b"\0")
        for f in sorted(Path(layer.path).glob("*.csv")):
            digest.update(f.name.encode() + b"\0" + read_bytes(f) + b"\0")
    glossary = Glossary(terms, version=digest.hexdigest()[:12], directory=str(layers[-1].path))
    glossary.layers = tuple(layers)
    glossary.layered = tuple((layer, tuple(found_terms)) for layer, (found_terms, _) in layered)
    glossary.overrides = tuple(overrides)
    _CACHE[cache_key] = (signature, glossary)
    return glossary


def load_scoped(glossary: Glossary | str | Path | None = None, files: Sequence[str] | None = None) -> Glossary:
    """The glossary restricted to some of its files (``[[document]] glossary_files`` in bilingual.toml).

    Short forms assume a city: 市商务委 is Shanghai's commission in a Shanghai
    document and Tianjin's in a Tianjin one. A document lists the files that
    apply to it as file-name patterns (``["general", "trade-regimes", "places",
    "shanghai-*"]``); ``None`` means every file. The patterns select files in every
    layer, and a project row overrides a built-in one only when its file is selected.
    Validation always covers every file, so a scoped glossary is never less checked.
    ``glossary`` is a loaded glossary, or the project folder to load.
    """
    if not isinstance(glossary, Glossary):
        glossary = load_glossary(glossary)
    if not files:
        return glossary
    import fnmatch

    from .glossary_layers import merge_layers

    def selected(term) -> bool:
        return any(fnmatch.fnmatch(Path(term.file).stem, Path(p).stem) for p in files)

    names = sorted({Path(t.file).stem for _, terms in glossary.layered for t in terms})
    unmatched = [p for p in files if not any(fnmatch.fnmatch(n, Path(p).stem) for n in names)]
    if unmatched:
        raise BilingualError(f"glossary_files {unmatched} match no file of the glossary", glossary.directory)
    chosen, overrides = merge_layers([(layer, [t for t in terms if selected(t)]) for layer, terms in glossary.layered])
    version = hashlib.sha256((glossary.version + "\0" + "\0".join(sorted(files))).encode()).hexdigest()[:12]
    scoped = Glossary(chosen, version=version, directory=glossary.directory)
    scoped.layers, scoped.layered, scoped.overrides = glossary.layers, glossary.layered, tuple(overrides)
    return scoped


# --------------------------------------------------------------------------- protect / restore


def _slots(text: str, matches: list[Match]) -> list[tuple[Match, bool, int, int]]:
    """Extend each match over a quote pair that wraps exactly it."""
    out = []
    for m in matches:
        start, end, quoted = m.start, m.end, False
        if start > 0 and end < len(text):
            opener, closer = text[start - 1], text[end]
            if QUOTE_PAIRS.get(opener) == closer:
                start, end, quoted = start - 1, end + 1, True
        out.append((m, quoted, start, end))
    return out


def protect(text: str, glossary: Glossary) -> Protected:
    """Replace every glossary term of a protected kind by a ``QXZ<n>`` placeholder."""
    matches = [m for m in glossary.match(text) if m.term.kind in PROTECTED_KINDS]
    pieces: list[str] = []
    slots: list[Slot] = []
    pos = 0
    for n, (m, quoted, start, end) in enumerate(_slots(text, matches), start=1):
        placeholder = f"{PLACEHOLDER_PREFIX}{n}"
        pieces.append(text[pos:start])
        before = "".join(pieces)
        lead = " " if before and not before[-1].isspace() else ""
        trail = " " if end < len(text) and not text[end].isspace() else ""
        pieces.append(f"{lead}{placeholder}{trail}")
        slots.append(Slot(placeholder=placeholder, match=m, quoted=quoted, start=start, end=end))
        pos = end
    pieces.append(text[pos:])
    return Protected(source=text, text="".join(pieces), matches=matches, slots=slots)


def _quote(en: str) -> str:
    return f'"{en}"'


def restore(translated: str, protected: Protected, glossary: Glossary) -> tuple[str, list[Term]]:
    """Fill placeholders in ``translated`` with approved English.

    Returns the English and the terms whose placeholder the engine dropped (in
    source order). Placeholders may come back spaced or re-cased (``Qxz 1``);
    a quoted slot is rendered in straight double quotes, without doubling any
    quotes the engine put around the placeholder itself.
    """
    by_number = {int(s.placeholder[len(PLACEHOLDER_PREFIX):]): s for s in protected.slots}
    seen: set[int] = set()
    pattern = re.compile(r"([\"“”]\s*)?Q\s*X\s*Z\s*(\d+)(\s*[\"“”])?", re.IGNORECASE)

    def replace(m: re.Match) -> str:
        digits = m.group(2)
        # Engines sometimes glue a following number on: take the longest known prefix.
        for cut in range(len(digits), 0, -1):
            number = int(digits[:cut])
            if number in by_number:
                break
        else:
            return m.group()
        rest = digits[cut:]
        slot = by_number[number]
        seen.add(number)
        en = glossary.english(slot.term)
        opener, closer = m.group(1) or "", m.group(3) or ""
        if slot.quoted:
            if opener and closer and not rest:
                return _quote(en)
            return opener + _quote(en) + (f" {rest}" if rest else "") + closer
        return opener + en + (f" {rest}" if rest else "") + closer

    english = pattern.sub(replace, translated)
    dropped = [by_number[n].term for n in sorted(by_number) if n not in seen]
    return english, dropped


# --------------------------------------------------------------------------- terms-only rendering

_SEPARATORS = {
    "、": "; ", "，": "; ", ",": "; ", "；": "; ", ";": "; ", "：": ": ", ":": ": ",
    "（": " (", "(": " (", "）": ")", ")": ")", "【": " [", "[": " [", "】": "]", "]": "]",
    "。": ".", "/": "/", "·": " ", "—": " – ", "-": "-",
}


def render_terms_only(text: str, glossary: Glossary) -> str | None:
    """English for text made only of glossary terms and separators, else ``None``.

    List separators (、，,；;) become "; " because agency names may contain
    commas: （上海海关、市公安局） → (Shanghai Customs; Shanghai Municipal
    Public Security Bureau). Terms separated only by whitespace are list items too.
    """
    matches = glossary.match(text)
    if not matches:
        return None
    out: list[str] = []
    pos = 0
    for m, quoted, start, end in _slots(text, matches) + [(None, False, len(text), len(text))]:
        segment = text[pos:start]
        rendered = []
        for ch in segment:
            if ch.isspace():
                rendered.append(" ")
            elif ch in _SEPARATORS:
                rendered.append(_SEPARATORS[ch])
            elif ch in QUOTE_CHARS or ch in "《》〈〉":
                rendered.append('"')
            else:
                return None
        between = "".join(rendered)
        if out and m is not None and not between.strip():
            between = "; "  # two terms separated only by whitespace: two list items
        out.append(between)
        if m is not None:
            en = glossary.english(m.term)
            out.append(_quote(en) if quoted else en)
            pos = end
    result = re.sub(r"\s+", " ", "".join(out))
    result = re.sub(r"\(\s+", "(", result)
    result = re.sub(r"\s+([);:.\]])", r"\1", result)
    result = re.sub(r"(?:;\s*)+", "; ", result)
    result = re.sub(r"\(\s*;\s*", "(", result)
    result = re.sub(r";\s*\)", ")", result)
    return result.strip(" ;") or None
