"""The loaded glossary: one compiled longest-first matcher, rendering, loading and scoping of layers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import BilingualError
from ..fileio import read_bytes
from ..model import Match, Term
from ..zhnorm import to_simplified
from .files import read_glossary_files, read_left_to_mt, validate_terms
from .terms import (
    _PAREN_VARIANTS,
    _QUOTE_CLASS,
    QUOTE_CHARS,
    QUOTE_PAIRS,
    GlossaryTerm,
    _is_ascii_alnum,
    term_key,
)


def _term_pattern(zh: str) -> str:
    """Regex for one zh form, optional inner quotes; matched against text whose whitespace is
    taken out (:func:`_without_spaces`), so a form split by extraction spaces (海关 总署) matches
    as if ``\\s*`` stood between its characters — except between two Latin letters or digits,
    where the space stays (A EO is not AEO)."""
    if zh and _PLAIN_FORM.search(zh) is None:  # most forms: no space, quote or bracket, the literal itself
        return _bounded(re.escape(zh), zh[0], zh[-1])
    chars = [ch for ch in zh if not ch.isspace()]
    # A term written wrapped in quotes is the bare term (protect handles the pair).
    while len(chars) >= 2 and QUOTE_PAIRS.get(chars[0]) == chars[-1]:
        chars = chars[1:-1]
    parts: list[str] = []
    for ch in chars:
        if ch in QUOTE_CHARS:
            parts.append(rf"(?:{_QUOTE_CLASS})?")
            continue
        parts.append(_PAREN_VARIANTS.get(ch) or re.escape(ch))
    real = [ch for ch in chars if ch not in QUOTE_CHARS]
    if not real:
        return ""
    return _bounded("".join(parts), real[0], real[-1])


#: What makes a form more than its literal characters in :func:`_term_pattern`.
_PLAIN_FORM = re.compile(r"[\s" + re.escape("".join(sorted({*QUOTE_CHARS, *QUOTE_PAIRS, *QUOTE_PAIRS.values(),
                                                             *_PAREN_VARIANTS}))) + "]")


def _bounded(pattern: str, first: str, last: str) -> str:
    """A Latin letter or digit at either end needs a neighbour that is none (9610 is not in 196100)."""
    if _is_ascii_alnum(first):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _is_ascii_alnum(last):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


_SPACES = re.compile(r"\s+")


def _without_spaces(text: str) -> tuple[str, list[int] | None]:
    """``text`` without its whitespace runs, except a run between two ASCII letters or digits,
    and, when something was taken out, the index in ``text`` of every character kept.

    The matcher then needs no ``\\s*`` between the characters of its ~800 forms, which was two
    thirds of its compile time (~0.05 s of a run's start, before the first MT batch)."""
    if _SPACES.search(text) is None:
        return text, None
    kept: list[str] = []
    where: list[int] = []
    last = 0
    for run in _SPACES.finditer(text):
        start, end = run.span()
        if start > 0 and end < len(text) and _is_ascii_alnum(text[start - 1]) and _is_ascii_alnum(text[end]):
            continue  # Latin words or numbers apart: the space is kept with them
        kept.append(text[last:start])
        where.extend(range(last, start))
        last = end
    kept.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(kept), where


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
        self._compiled = False
        self._regex_cache: re.Pattern | None = None

    @property
    def _regex(self) -> re.Pattern | None:
        """The matcher, compiled on first use: a run matches with its documents' scoped
        glossaries only, so the whole glossary's matcher (~0.1 s to build) is rarely needed."""
        if not self._compiled:
            self._regex_cache = self._build_regex()
            self._compiled = True
        return self._regex_cache

    def _build_regex(self) -> re.Pattern | None:
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
        return re.compile(f"(?=[{starts}])(?:{'|'.join(alternatives)})") if alternatives else None

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
        """The terms that abbreviate ``term``, in glossary order. Indexed once per glossary: the MT
        safety net asks this for every organisation of every scoped glossary (a scan per call made
        a 20-document run 5× slower)."""
        index = self.__dict__.get("_abbreviations")
        if index is None or index[0] != len(self.terms):  # terms appended since: index again
            by_full: dict[str, list[Term]] = {}
            for t in self.terms:
                if t.abbreviation_of:
                    by_full.setdefault(term_key(t.abbreviation_of), []).append(t)
            index = self._abbreviations = (len(self.terms), by_full)
        return list(index[1].get(term_key(term.zh), ()))

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
        simplified = to_simplified(text)
        haystack, where = _without_spaces(simplified)
        found: list[Match] = []
        for m in self._regex.finditer(haystack):
            start, end = m.span()
            if end <= start:
                continue
            if where is not None:
                start, end = where[start], where[end - 1] + 1
            term = self.lookup(simplified[start:end])
            if term is None:
                continue
            if term.kind == "organisation" and _after_level(simplified, start, found):
                continue  # 市发展改革委: a city's commission, not the national 发展改革委 inside it
            found.append(Match(term=term, start=start, end=end))
        return found


#: Administrative-level characters that begin a local body's short form (市商务委, 省财政厅, 区政府, 县委).
LEVEL_PREFIXES = frozenset("市省区县")


def _after_level(text: str, start: int, found: list[Match]) -> bool:
    """An organisation match right after a 市/省/区/县 that is not the end of an earlier match.

    There the level character is part of the name: 市发展改革委 is the issuer's own city's
    commission, 省财政厅 its province's department — the national 发展改革委 or a bare 财政厅 inside
    them is not the body meant. (After a matched name — 临港新片区 then 管委会 — the character
    belongs to that name.) The issuer's scope (scope.py) carries 市发展改革委 itself where the
    city is known; elsewhere the whole short form stays unmatched and goes to review.
    """
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k < 0 or text[k] not in LEVEL_PREFIXES:
        return False
    return not (found and found[-1].end > k)


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
    from ..glossary_layers import glossary_layers, merge_layers

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

    from ..glossary_layers import merge_layers

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


def load_left_to_mt(glossary: Glossary | str | Path | None = None, *,
                    builtin: bool | None = None) -> dict[str, str]:
    """The ``left-to-mt.txt`` entries of every glossary layer (malformed lines skipped).

    ``glossary`` is a loaded glossary (its layers) or the project folder (``None``:
    the built-in termbase alone); a project entry's reason wins over the built-in one.
    A line holding a hidden character (``unsafe-cell``: a zero-width space, an RLO …) is
    refused, as a glossary cell is: skipped, its term would silently count as unknown.
    """
    from ..glossary_layers import glossary_layers

    if isinstance(glossary, Glossary) and glossary.layers:
        layers = glossary.layers
    else:
        layers = glossary_layers(getattr(glossary, "directory", glossary) or None, builtin=builtin)
    entries: dict[str, str] = {}
    for layer in layers:
        found, problems = read_left_to_mt(layer.path)
        unsafe = next((p for p in problems if p.code == "unsafe-cell"), None)
        if unsafe is not None:
            raise BilingualError(f"line {unsafe.line}: {unsafe.message}", unsafe.file)
        entries.update(found)
    return entries
