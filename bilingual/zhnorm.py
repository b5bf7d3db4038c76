"""Traditional → Simplified normalisation for matching only (the text itself is never changed).

Reprints on Hong Kong, Macao and Taiwan sites and some law databases carry the
same documents in Traditional characters (上海海關, 上海市商務委員會), which would
match nothing in a Simplified glossary. :func:`to_simplified` maps them with
OpenCC's Traditional→Simplified character table (the ``opencc`` wheel, the
project's own Python binding), **one character to one character**, so that:

* offsets found in the normalised text are offsets in the original: a match
  replaces exactly the characters as written, and the PO ``msgid`` keeps the
  Traditional text;
* a glossary term and a text are normalised the same way, whatever the context
  (OpenCC's phrase tables could convert a term differently inside a sentence);
  matching then stays longest-first on the normalised text, so 上海市交通委 never
  matches inside 上海市交通委員會.

The converter is created on first use (about 0.07 s: ``bilingual --help`` never
pays it), and each character is converted once per process.
"""

from __future__ import annotations

_TABLE: dict[int, str] = {}  # code point → Simplified character, only where it differs
_SEEN: set[str] = set()  # characters already looked up
_converter = None
_CJK_START = 0x3400


def _convert_char(ch: str) -> str:
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    out = _converter.convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones; same length, same offsets."""
    missing = set(text).difference(_SEEN)
    for ch in missing:
        if ord(ch) >= _CJK_START:
            simple = _convert_char(ch)
            if simple != ch:
                _TABLE[ord(ch)] = simple
        _SEEN.add(ch)
    return text.translate(_TABLE) if _TABLE else text
