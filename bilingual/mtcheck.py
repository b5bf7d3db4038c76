"""MT pathology flags: what a weak engine does to a sentence, caught before a reviewer reads it.

Pure functions from (Chinese source, English output, glossary) to :class:`Reason` s.
``translate`` runs :func:`check_output` on every machine-translated segment and
writes each reason as a ``#. mt-check: <code>: <detail>`` comment on the (fuzzy)
entry; ``check`` warns on them, and turns the ones a reviewer must never sign off
(a loop, Chinese left, numbers that do not match) into errors on reviewed entries.

Codes (the README lists them with their thresholds):

``empty``            the engine returned nothing (or only punctuation).
``repetition``       a loop: a word or n-gram said :data:`LOOP_REPEATS` times in a
                     row (a phrase of :data:`LONG_UNIT` words or more: twice), a run
                     of one letter (:data:`LETTER_RUN`), of one symbol
                     (:data:`SYMBOL_RUN`) or a short unit stuttered inside a word.
``too-short``,       the English is shorter / longer than official translations of
``too-long``         the genre are for a source this long (:func:`length_bounds`,
                     calibrated by ``bench/calibrate_mtcheck.py``).
``numbers``          a number, date, percentage or document number dropped or
                     changed (``checknumbers.missing_numbers``) or added
                     (``checknumbers.added_numbers``): one definition, shared with ``check``.
``chinese-left``     CJK characters or Chinese punctuation in the English (curly
                     quotes are a house-style matter for ``check``, not an MT fault).
``placeholder``      a ``QXZ<n>`` placeholder lost (the term was appended) or left
                     mangled in the output.
``term-lost``        with terms written inline, an approved English term the engine
                     did not carry over (appended).
``unlicensed-name``  an organisation's English name from the glossary in the output
                     although none of its Chinese forms is in the source.

Pseudo output (``--engine pseudo``: ``[zh:N]`` marks each run of Chinese) is checked
with ``pseudo=True``: numbers, names, Chinese and placeholders are read with the markers
taken out (a number is missing only when its digits are: bilingual/checkpseudo.py), loops
only between markers, and length not at all (a marker stands for the Chinese it replaced). What is left is real: the digits, placeholders and approved English
the pipeline put in (README "Dry runs with the pseudo engine").
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

COMMENT_PREFIX = "mt-check:"
CODES = ("empty", "repetition", "too-short", "too-long", "numbers", "chinese-left", "placeholder", "term-lost",
         "unlicensed-name")
#: The codes ``check`` turns into errors when the entry is reviewed (the reviewer accepted broken text).
GATE_CODES = ("repetition", "chinese-left", "numbers")
#: The codes that measure the English itself: on pseudo output an older version read them out of the
#: markers, so ``check`` does not take them from a pseudo draft's comments (it measures them itself).
MARKER_READ_CODES = ("repetition", "too-short", "too-long", "numbers")

# --------------------------------------------------------------------------- thresholds

LOOP_REPEATS = 3  # a unit of 1-3 words said this many times in a row is a loop
LONG_UNIT = 4  # … a unit of this many words or more: twice in a row is already one
MAX_UNIT = 12  # longest unit looked for (words)
LETTER_RUN = 4  # no English word has one letter four times in a row
SYMBOL_RUN = 5  # "-----", "!!!!!" (digits are exempt: 100000)
STUTTER_REPEATS = 4  # "lalalala": a 2-4 letter unit four times inside one word

# Length: log(English / Chinese) of official translations is close to normal around
# LENGTH_CENTRE, with a spread that shrinks as the source grows (short headings vary
# most): sd(n) = sqrt(LENGTH_SD_FLOOR² + LENGTH_SD_SHORT / n), n = Chinese characters.
# A segment is flagged outside LENGTH_K standard deviations. Only letters are counted
# (CJK characters, Latin letters: no digits, punctuation or spaces); glossary terms
# (rendered by rule, whatever the engine does) are taken out of both counts
# (:func:`measure`). Figures: README "MT safety net".
LENGTH_CENTRE = 4.49
LENGTH_SD_FLOOR = 0.14
LENGTH_SD_SHORT = 0.75
LENGTH_K = 3.4
LENGTH_MIN_CHARS = 4  # floor: below this many Chinese letters the length is not judged


@dataclass(frozen=True)
class Reason:
    """One thing wrong with an MT output."""

    code: str
    detail: str

    def comment(self) -> str:
        return f"{COMMENT_PREFIX} {self.code}: {self.detail}"


def parse_comments(comment: str) -> list[Reason]:
    """The reasons written in an entry's ``#.`` comment (see :meth:`Reason.comment`)."""
    found = []
    for line in comment.splitlines():
        if line.startswith(COMMENT_PREFIX):
            code, _, detail = line[len(COMMENT_PREFIX):].strip().partition(": ")
            found.append(Reason(code.strip(), detail.strip()))
    return found


# --------------------------------------------------------------------------- repetition

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_LETTER_RUN = re.compile(rf"([A-Za-z])\1{{{LETTER_RUN - 1},}}")
_SYMBOL_RUN = re.compile(rf"([^\w\s])\1{{{SYMBOL_RUN - 1},}}")
_STUTTER = re.compile(rf"([A-Za-z]{{2,4}})\1{{{STUTTER_REPEATS - 1},}}", re.IGNORECASE)


def repetition(text: str) -> str:
    """A description of the first loop in ``text``, or ``""``."""
    words = [w.lower() for w in _WORD.findall(text)]
    for size in range(1, min(MAX_UNIT, len(words) // 2) + 1):
        needed = 2 if size >= LONG_UNIT else LOOP_REPEATS
        for start in range(len(words) - needed * size + 1):
            if words[start] != words[start + size]:
                continue  # a repeat of a unit of this size starts with a word met again ``size`` later
            unit = words[start:start + size]
            count = 1
            while words[start + count * size:start + (count + 1) * size] == unit:
                count += 1
            if count >= needed:
                return f"{' '.join(unit)!r} {count} times in a row"
    for pattern, what in ((_LETTER_RUN, "letter"), (_SYMBOL_RUN, "symbol"), (_STUTTER, "stutter")):
        match = pattern.search(text)
        if match:
            return f"a run of one {what}: {match.group()[:40]!r}"
    return ""


def pseudo_repetition(text: str) -> str:
    """:func:`repetition` of pseudo output: within each stretch between markers (a marker stands for
    Chinese; ``[zh:4] [zh:4] [zh:4]`` is three different sentences' pieces, not a loop)."""
    from .engines.pseudo import between_markers

    return next(filter(None, map(repetition, between_markers(text))), "")


# --------------------------------------------------------------------------- length

def length_bounds(chars: int) -> tuple[float, float]:
    """(lowest, highest) plausible ratio English / Chinese characters for a source of ``chars``."""
    sd = math.sqrt(LENGTH_SD_FLOOR ** 2 + LENGTH_SD_SHORT / max(chars, 1))
    return LENGTH_CENTRE * math.exp(-LENGTH_K * sd), LENGTH_CENTRE * math.exp(LENGTH_K * sd)


def _chars(text: str) -> int:
    return sum(map(str.isalpha, text))


@functools.lru_cache(maxsize=4096)
def english_pattern(name: str) -> re.Pattern:
    """``check.english_pattern``, compiled once per name (it runs on every MT segment)."""
    from .checktext import english_pattern as build

    return build(name)


def measure(source: str, english: str, glossary=None, matches=None) -> tuple[int, int]:
    """(Chinese, English) letters — CJK characters, Latin letters — with glossary terms taken out.

    Digits, punctuation and whitespace are not counted: a number is the same digits in
    both languages (the ``numbers`` flag watches them), and punctuation and spacing
    differ by convention, not by content. A protected glossary term is rendered from the glossary whatever the engine does, and
    official names are long (市商务委 → Shanghai Municipal Commission of Commerce): counting
    them would hide a truncated rest. Each term of the source leaves the Chinese count,
    and its approved English leaves the English count as often as it is found there.
    """
    zh, en = _chars(source), _chars(english)
    if glossary is None:
        return zh, en
    from .glossary import PROTECTED_KINDS

    spans: dict[str, list[int]] = {}  # approved English → Chinese length of each occurrence
    for match in glossary.match(source) if matches is None else matches:
        if match.term.kind in PROTECTED_KINDS:
            spans.setdefault(glossary.english(match.term), []).append(_chars(source[match.start:match.end]))
    for name, lengths in spans.items():
        pairs = min(len(lengths), len(english_pattern(name).findall(english)))
        zh -= sum(lengths[:pairs])  # only terms found on both sides: a lost term makes the English short
        en -= pairs * _chars(name)
    return max(zh, 0), max(en, 0)


def length_outlier(source: str, english: str, glossary=None, matches=None) -> Reason | None:
    zh, en = measure(source, english, glossary, matches)
    if zh < LENGTH_MIN_CHARS:
        return None
    low, high = length_bounds(zh)
    ratio = en / zh
    if low <= ratio <= high:
        return None
    code = "too-short" if ratio < low else "too-long"
    return Reason(code, f"{en} English characters for {zh} Chinese (ratio {ratio:.2f}; "
                        f"{low:.2f}–{high:.2f} expected at this length)")


# --------------------------------------------------------------------------- the other checks

_PLACEHOLDER_LEFT = re.compile(r"\bQ\s*X\s*Z\s*\d*|\b(?:QZX|XQZ|ZXQ|XZQ|ZQX)\s*\d*\b|\bQXZ\w*", re.IGNORECASE)
_CURLY = "“”‘’"


def chinese_left(english: str) -> list[str]:
    from .checktext import chinese_left as found

    return [piece for piece in found(english) if piece.strip(_CURLY)]


def placeholder_left(english: str) -> list[str]:
    """Placeholder remnants restore() could not map back (``QXZ7`` of a 2-slot segment, ``Q X Z``)."""
    return list(dict.fromkeys(m.group().strip() for m in _PLACEHOLDER_LEFT.finditer(english)))


_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


# One entry per glossary scope a run uses: a library run interleaves documents of many cities in
# one MT stream, so a small cache was emptied between their segments and rebuilt (256 builds for 14
# scopes in a 20-document run).
@functools.lru_cache(maxsize=64)
def _organisation_names(glossary) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """Every organisation's English name with the zh keys that license it (its pattern: _name_pattern),
    indexed by the name's first word (lower case), longest names first."""
    from .glossary import term_key

    family: dict[str, set[str]] = {}
    for term in glossary.terms:
        if term.kind != "organisation":
            continue
        full = glossary.full_form(term)
        keys = {term_key(term.zh), term_key(full.zh), *(term_key(a.zh) for a in glossary.abbreviations_of(full))}
        names = {term.en, full.en, glossary.english(term)}
        abbr = getattr(full, "en_abbr", "") or getattr(term, "en_abbr", "")
        if len(abbr) >= 2:
            names.add(abbr)
        for name in names:
            if name and any(ch.isupper() for ch in name):  # a proper name, not "port inspection agencies"
                family.setdefault(name, set()).update(keys)
    index: dict[str, list] = {}
    for name in sorted(family, key=lambda n: (-len(n), n)):
        first = _NAME_WORD.search(name)
        if first is None:
            continue
        index.setdefault(first.group().lower(), []).append((name, frozenset(family[name])))
    return {word: tuple(entries) for word, entries in index.items()}


@functools.lru_cache(maxsize=4096)
def _ascii_words(name: str) -> tuple[str, ...]:
    """The name's ASCII words, lower case: each must be in an output that names it (a cheap
    test before the pattern is compiled; other words are left to the pattern)."""
    return tuple(w.lower() for w in _NAME_WORD.findall(name) if w.isascii())


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    """An abbreviation (GACC) in its exact case, as a whole word; a name as check finds it.
    Compiled when an output first has the name's first word (hundreds of names: not up front)."""
    if name.isupper():
        return re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])")
    return english_pattern(name)


def _licensed_spans(english: str, glossary, matches) -> list[tuple[int, int]]:
    """Where the output carries the approved English of a term the source contains.

    A name inside such English is the glossary's, not the engine's: 直属关区 is approved as
    "customs districts directly under GACC", so that GACC needs no 海关总署 in the source.
    """
    spans = []
    for english_term in {glossary.english(m.term) for m in matches}:
        if english_term:
            spans.extend(m.span() for m in english_pattern(english_term).finditer(english))
    return spans


def unlicensed_names(source: str, english: str, glossary, matches=None) -> list[tuple[str, str]]:
    """(English name, one of its Chinese forms) of organisations the output names but the source does not.

    Names are read left to right, longest first and without overlap, so the People's Bank of
    China inside "People's Bank of China Shanghai Head Office" is that longer name. A name
    inside the approved English of a term of the source is licensed by that term.
    """
    from .glossary import term_key

    if glossary is None:
        return []
    index = _organisation_names(glossary)
    lowered = english.lower()
    flat = spans = None
    found: list[tuple[str, str]] = []
    end = 0
    for word in _NAME_WORD.finditer(english):
        if word.start() < end or word.group().lower() not in index:
            continue
        for name, keys in index[word.group().lower()]:
            if not all(w in lowered for w in _ascii_words(name)):
                continue
            match = _name_pattern(name).match(english, word.start())
            if match is None:
                continue
            end = match.end()
            flat = term_key(source) if flat is None else flat  # 上海市商务委等 names 市商务委: a substring test
            if any(key in flat for key in keys):
                break
            if spans is None:
                spans = _licensed_spans(english, glossary, glossary.match(source) if matches is None else matches)
            if any(a <= match.start() and match.end() <= b for a, b in spans):
                break
            if (name, min(keys)) not in found:
                found.append((name, min(keys)))
            break
    return found


# --------------------------------------------------------------------------- all together

def check_output(source: str, english: str, glossary=None, *, lost: Sequence[tuple[str, str]] = (),
                 lost_code: str = "placeholder", pseudo: bool = False) -> list[Reason]:
    """Every reason to distrust ``english`` as a translation of ``source``.

    ``english`` is the engine's output after placeholders were restored and before
    lost terms were appended; ``lost`` lists (zh, approved English) of the terms the
    engine lost (reported with ``lost_code``: ``placeholder`` or ``term-lost``).
    ``pseudo``: the pseudo engine's output, whose markers are not English (module doc).
    """
    from .checknumbers import added_numbers, missing_numbers

    matches = glossary.match(source) if glossary is not None else []
    reasons = []
    if lost:
        terms = "; ".join(dict.fromkeys(f"{zh} = {en}" for zh, en in lost))
        reasons.append(Reason(lost_code, f"the engine lost {terms} (appended in brackets)"))
    if not any(ch.isalnum() for ch in _PLACEHOLDER_LEFT.sub("", english)):
        return [Reason("empty", "the engine returned no text"), *reasons]
    loop = pseudo_repetition(english) if pseudo else repetition(english)
    if loop:
        reasons.append(Reason("repetition", loop))
    length = None if pseudo else length_outlier(source, english, glossary, matches)
    if length is not None and not loop:  # a loop is also too long: one reason is enough
        reasons.append(length)
    if pseudo:
        from .engines.pseudo import unmarked

        english = unmarked(english)
    missing = missing_numbers(source, english)
    if pseudo and missing:
        from .checkpseudo import digits_missing

        missing = digits_missing(missing, english)
    added = added_numbers(source, english, glossary, matches)
    if missing or added:
        parts = (["missing " + ", ".join(missing)] if missing else []) + (
            ["not in the source " + ", ".join(added)] if added else [])
        reasons.append(Reason("numbers", "; ".join(parts)))
    left = chinese_left(english)
    if left:
        reasons.append(Reason("chinese-left", " ".join(left)))
    stray = placeholder_left(english)
    if stray:
        reasons.append(Reason("placeholder", "left in the output: " + ", ".join(stray)))
    names = unlicensed_names(source, english, glossary, matches)
    if names:
        reasons.append(Reason("unlicensed-name", "; ".join(f"{en} ({zh} is not in the source)" for en, zh in names)))
    return reasons


def count_codes(reasons: Iterable[Reason]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason.code] = counts.get(reason.code, 0) + 1
    return counts


def flag_counts(entries: Iterable) -> tuple[int, dict[str, int]]:
    """(entries with ``mt-check:`` or ``suspect name:`` comments, their mt-check reasons by code):
    the ``flagged`` and ``mt_flags`` of the translate summary (pass the unreviewed entries)."""
    from .suspects import SUSPECT_PREFIX

    flagged, reasons = 0, []
    for entry in entries:
        found = parse_comments(entry.comment or "")
        if found or any(line.startswith(SUSPECT_PREFIX) for line in (entry.comment or "").splitlines()):
            flagged += 1
            reasons += found
    return flagged, count_codes(reasons)
