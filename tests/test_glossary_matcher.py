"""The glossary matcher on text with extraction spaces: same matches as ``\\s*`` between characters.

The matcher takes whitespace out of the text before matching (bilingual/glossary/core.py,
``_without_spaces``) instead of compiling ``\\s*`` between the characters of every form. The
reference below is the matcher as it was written before: each form's pattern with ``\\s*``
between its characters (but not between two Latin letters or digits), run on the text as it is.
Both must find the same terms at the same offsets in the original text — with one deliberate
difference, for forms with a quote mark between two Latin letters or digits (A“B, none in the
shipped glossary): the former patterns allowed a space before that quote and not after it, the
matcher allows both (:func:`test_a_quote_between_latin_letters_takes_spaces_on_both_sides`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.glossary import Glossary, core, load_glossary
from bilingual.glossary.terms import _PAREN_VARIANTS, _QUOTE_CLASS, QUOTE_CHARS, QUOTE_PAIRS
from bilingual.zhnorm import to_simplified

REPO = Path(__file__).resolve().parent.parent


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _reference_pattern(zh: str) -> str:
    """One form's pattern with ``\\s*`` written in, as the matcher compiled it before."""
    chars = [ch for ch in zh if not ch.isspace()]
    while len(chars) >= 2 and QUOTE_PAIRS.get(chars[0]) == chars[-1]:
        chars = chars[1:-1]
    parts: list[str] = []
    prev = ""
    for ch in chars:
        if ch in QUOTE_CHARS:
            parts.append(rf"(?:\s*{_QUOTE_CLASS})?" if parts else rf"(?:{_QUOTE_CLASS}\s*)?")
            continue
        piece = _PAREN_VARIANTS.get(ch) or re.escape(ch)
        if any(not p.startswith("(?:") for p in parts) and not (_alnum(prev) and _alnum(ch)):
            piece = r"\s*" + piece
        parts.append(piece)
        prev = ch
    real = [ch for ch in chars if ch not in QUOTE_CHARS]
    if not real:
        return ""
    pattern = "".join(parts)
    if _alnum(real[0]):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _alnum(real[-1]):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


@pytest.fixture(scope="module")
def glossaries():
    """The shipped glossary's matcher, and the same glossary matching the reference way."""
    shipped = load_glossary(REPO / "glossary")
    reference = Glossary(list(shipped.terms))
    saved = core._term_pattern
    core._term_pattern = _reference_pattern
    try:
        reference._regex_cache, reference._compiled = reference._build_regex(), True
    finally:
        core._term_pattern = saved
    return shipped, reference


def _reference_match(reference: Glossary, text: str) -> list[tuple[str, int, int]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core, "_without_spaces", lambda s: (s, None))  # the text as it is
        return [(m.term.zh, m.start, m.end) for m in reference.match(text)]


def _found(glossary: Glossary, text: str) -> list[tuple[str, int, int]]:
    return [(m.term.zh, m.start, m.end) for m in glossary.match(text)]


_FORMS = sorted({to_simplified(t.zh) for t in load_glossary(REPO / "glossary").terms})
_SPACES = [" ", "  ", "\u3000", "\n", "\t", "\xa0"]
_FILLER = ["，", "、", "。", "的", "和", "市", "区", "推进", "2025", "A", "x", "9", "“", "”", "（", "(", "）", ")", "《"]


@st.composite
def _spaced(draw) -> str:
    """A glossary form with whitespace drawn into it (between any two characters), or a filler."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_FILLER + _SPACES))
    form = draw(st.sampled_from(_FORMS))
    out = []
    for ch in form:
        if out and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(_SPACES)))
        out.append(ch)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_spaced(), max_size=10))
def test_the_matcher_finds_what_spaces_between_characters_found(glossaries, pieces):
    shipped, reference = glossaries
    text = "".join(pieces)
    assert _found(shipped, text) == _reference_match(reference, text)


@pytest.mark.parametrize("text, expected", [
    # a name broken by extraction spaces is found, with the offsets of the text as written
    ("由上海 海关负责", [("上海海关", 1, 6)]),
    ("由上海\u3000海\n关负责", [("上海海关", 1, 7)]),
    # Latin letters or digits apart are two words, not the term
    ("通过A EO认证", []),
    ("AEO认证", [("AEO", 0, 3)]),
    ("X AEO认证", [("AEO", 2, 5)]),
    ("XAEO认证", []),
    ("9 610模式", []),
    ("按照 9610 模式", [("9610", 3, 7)]),
    ("无空格的句子。", []),
])
def test_spaces_in_names_and_between_latin_words(glossaries, text, expected):
    shipped, reference = glossaries
    assert [(zh, s, e) for zh, s, e in _found(shipped, text)
            if zh in {"上海海关", "AEO", "9610"} or not expected] == expected
    assert _found(shipped, text) == _reference_match(reference, text)


def test_a_quote_between_latin_letters_takes_spaces_on_both_sides():
    from bilingual.glossary import GlossaryTerm

    glossary = Glossary([GlossaryTerm(zh="A“B", en="x", kind="code", abbreviation_of="", note="", source="x")])
    assert [(m.start, m.end) for m in glossary.match("A “B")] == [(0, 4)]
    assert [(m.start, m.end) for m in glossary.match("A“ B")] == [(0, 4)]  # the former patterns: no match
    assert [(m.start, m.end) for m in glossary.match("A B")] == []  # two Latin words stay apart
