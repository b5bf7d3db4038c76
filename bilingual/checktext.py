"""Character and terminology rules of ``bilingual check`` (documented in
:mod:`bilingual.check`): Chinese left in the English, control characters, unbalanced brackets and quotes, and
glossary terms whose approved English the translation does not use. Shared with the
review page and the MT safety net, so all three see the same terms the same way."""

from __future__ import annotations

import re

from .invisible import BIDI, FORMAT, SEPARATORS

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
FULLWIDTH_PUNCTUATION = "，。；：“”（）、《》〔〕【】！？「」『』〈〉﹁﹂"
_FULLWIDTH_RE = re.compile("[" + re.escape(FULLWIDTH_PUNCTUATION) + "\u3000-\u303f\uff01-\uff60]")


def chinese_left(text: str) -> list[str]:
    """CJK runs and full-width punctuation found in ``text`` (in order, distinct)."""
    found: list[str] = []
    for match in sorted([*_CJK_RE.finditer(text), *_FULLWIDTH_RE.finditer(text)], key=lambda m: m.start()):
        if match.group() not in found:
            found.append(match.group())
    return found


_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”"}
_SOURCE_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "（": "）", "《": "》", "〔": "〕", "【": "】",
                 "「": "」", "『": "』", "［": "］", "〈": "〉"}


def unbalanced(text: str, pairs: dict[str, str] = _PAIRS) -> str:
    """A description of the first bracket problem in ``text``, or ``""``."""
    closers = {close: open_ for open_, close in pairs.items()}
    stack: list[str] = []
    for char in text:
        if char in pairs:
            stack.append(char)
        elif char in closers:
            if not stack or stack[-1] != closers[char]:
                return f"unexpected {char!r}"
            stack.pop()
    if stack:
        return f"{stack[-1]!r} is never closed"
    if text.count('"') % 2:
        return 'odd number of "'
    return ""


# C0 controls but tab and newline, DEL and C1: invisible in an editor, and not text. A paste from a
# terminal or a word processor brings them; the HTML build copies them and XML (TMX) forbids them.
# With them the other characters no reader sees (bilingual/invisible.py): a bidi control (an RLO
# prints the published English reversed), a line separator, a zero-width space or soft hyphen.
_CONTROL_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}{SEPARATORS}{FORMAT}]")


def control_characters(source: str, target: str) -> list[str]:
    """The control characters of ``target`` the source does not have, as ``U+000B`` (distinct, in order)."""
    found: list[str] = []
    for match in _CONTROL_RE.finditer(target):
        name = f"U+{ord(match.group()):04X}"
        if match.group() not in source and name not in found:
            found.append(name)
    return found


# --------------------------------------------------------------------------- stubs

#: Words people type where the translation should be (matched whole, in capitals).
PLACEHOLDER_WORDS = ("TODO", "FIXME", "XXX", "TBD")
_PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(PLACEHOLDER_WORDS) + r")(?![A-Za-z0-9])|\?{3,}")


def stub(source: str, target: str) -> str:
    """Why ``target`` is a stub, not a translation of ``source``, or ``""``.

    A msgstr of "." or "-" (no letter or digit) for a source with text, or one holding a
    placeholder word (TODO, FIXME, XXX, TBD, ???) the source does not have itself (a form
    template's 某某/XXX stays XXX): it passes every other rule when the sentence has no
    numbers and no glossary terms, so it needs its own.
    """
    if any(c.isalnum() for c in source) and not any(c.isalnum() for c in target):
        return f"the translation {target.strip()!r} has no letters or digits"
    for match in _PLACEHOLDER_RE.finditer(target):
        if match.group() not in source:
            return f"the translation holds the placeholder {match.group()!r}"
    from .mtcheck import placeholder_left

    # An engine's QXZ<n> the glossary could not put back ("Q X Z 7"): signing the entry off
    # drops its mt-check line, so without this the term's place would be published as "QXZ7".
    for left in placeholder_left(target):
        if left not in source:
            return f"the translation holds {left!r}, a glossary placeholder left by machine translation"
    return ""


# --------------------------------------------------------------------------- glossary

_QUOTES = "\"'“”‘’"
# The quote marks and the letter/digit boundary as the compiled patterns write them. Each set is
# compiled case-sensitively (``(?-i:…)``: its members have no case) and the curly quotes apart
# from the straight ones (two runs of code points each): one set of all six, or a set compiled
# under IGNORECASE, makes ``re`` build a 64K-entry Unicode bitmap, ~0.1 ms per set — two thirds
# of the compile time of the ~160 patterns a run's checks compile (bench/README.md).
_QUOTE = "(?:(?-i:[\"'])|(?-i:[‘’“”]))"
_NOT_AFTER_WORD = "(?<!(?-i:[A-Za-z0-9]))"
_NOT_BEFORE_WORD = "(?!(?-i:[A-Za-z0-9]))"


def english_pattern(english: str) -> re.Pattern:
    """Where an approved English term occurs in a translation.

    Lenient where style legitimately differs: any letter case (headings are
    title-cased), a plural ``s``, and quote marks (the glossary writes
    上海国际贸易“单一窗口” as "Shanghai International Trade Single Window"; a
    translation may quote "Single Window"; straight or curly quotes alike).
    The name stands alone: no ASCII letter or digit right before or after it.
    """
    quote = "[" + re.escape(_QUOTES) + "]"
    parts = []
    for token in re.findall(rf"\s+|{quote}|[^\s{re.escape(_QUOTES)}]+", english):
        if token.isspace():
            parts.append(rf"(?:\s|{_QUOTE})+")
        elif token in _QUOTES:
            parts.append(f"{_QUOTE}?")
        else:
            parts.append(re.escape(token))
    pattern = "".join(parts)
    left = _NOT_AFTER_WORD if english[:1].isalnum() else ""
    right = rf"(?:s|es)?{_NOT_BEFORE_WORD}" if english[-1:].isalnum() else ""
    return re.compile(left + pattern + right, re.IGNORECASE)


def _has_english(target: str, english: str) -> bool:
    return english_pattern(english).search(target) is not None


def missing_terms(source: str, target: str, glossary) -> list[tuple[str, str, str]]:
    """(zh, approved English, kind) of glossary terms in ``source`` whose English ``target`` lacks."""
    missing: list[tuple[str, str, str]] = []
    for match in glossary.match(source):
        english = glossary.english(match.term)
        pair = (source[match.start:match.end], english, match.term.kind)
        if english and not _has_english(target, english) and pair not in missing:
            missing.append(pair)
    return missing


def _variant_note(target: str, glossary, zh: str) -> str:
    """Say so when the translation uses a known variant of the name (glossary ``variants``):
    official sources use it too, so it is not a mistranslation, only not the approved term."""
    term = glossary.lookup(zh) if hasattr(glossary, "variants") else None
    for variant in glossary.variants(term) if term is not None else ():
        if _has_english(target, variant):
            return f" (it has {variant!r}, a known variant in official sources, not the approved name)"
    return ""


# --------------------------------------------------------------------------- the checks
