"""Emoji noise: pictographs a mirror sprinkles through a copied document, removed.

Some mirror sites defeat copy detection by inserting emoji after words of the text they
copy (``山西省🚍、內蒙古自治區🥃``, ``廣東省👩🏽‍🔧👉🏽``, even an Egyptian hieroglyph ``𓀅``).
No Chinese government document contains a pictograph, and one glued to a name hides the
name from the recognisers (an addressee list stops being one) and from the glossary.

What goes: the emoji blocks (U+1F000–U+1F02F, U+1F0A0–U+1F0FF, the regional indicators
U+1F1E6–U+1F1FF, U+1F300–U+1FAFF: pictographs, emoticons, transport, supplemental symbols,
skin-tone modifiers), Egyptian hieroglyphs (U+13000–U+1345F), and a symbol of the older
blocks (arrows, technical, miscellaneous symbols, dingbats) **only** when it is set as an emoji
— followed by the emoji variation selector U+FE0F (``☢️``) or joined to an emoji before it
(``🙍🏼‍♂️``) — with the joiners, variation selectors, keycap marks and tag characters of the
sequence. Those older blocks hold characters documents do use as they are (★, ✓, ❶ and ➀ as
list labels, ○ for 〇), which stay.
"""

from __future__ import annotations

import re

__all__ = ["strip_pictographs"]

_CORE = "\U0001f000-\U0001f02f\U0001f0a0-\U0001f0ff\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff\U00013000-\U0001345f"
_OLD_SYMBOLS = "\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff"
_MARKS = "\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f"
_START = rf"(?:[{_CORE}]|[{_OLD_SYMBOLS}]\ufe0f)"
_PICTOGRAPH_RE = re.compile(rf"{_START}(?:[{_MARKS}]|\u200d?[{_CORE}]|\u200d?[{_OLD_SYMBOLS}]\ufe0f?|\u200d)*")


def strip_pictographs(line: str) -> str:
    """``line`` without its emoji (see the module docstring); any other character is kept."""
    return _PICTOGRAPH_RE.sub("", line)
