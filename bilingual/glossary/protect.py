"""Keeping terms away from MT: placeholders in, approved English back; terms-only rendering."""

from __future__ import annotations

import re

from ..model import Match, Term
from .core import Glossary
from .terms import PLACEHOLDER_PREFIX, PROTECTED_KINDS, QUOTE_CHARS, QUOTE_PAIRS, Protected, Slot

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

