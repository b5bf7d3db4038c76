"""Where gettext may break a wrapped PO string, and how wide a character is.

``msgcat``, ``msgmerge`` and Poedit wrap a long string at the page width (79
columns by default) at the line-break opportunities of Unicode's line breaking
algorithm (UAX #14, through libunistring): after a space, between two Chinese
characters, after ，。 but never before them, never next to a quote mark… A PO
file laid out that way keeps its layout only if the entries we rewrite are
wrapped the same way, so this module implements the part of UAX #14 that the
text of this project meets (Latin, digits, ASCII and CJK punctuation,
ideographs) with UAX #14's pair table, and the greedy fill of libunistring's
``u8_width_linebreaks``. ``tests/test_po_layout.py`` compares the result with
``msgcat`` on real entries.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

CLASSES = ("OP", "CL", "CP", "QU", "GL", "NS", "EX", "SY", "IS", "PR", "PO", "NU", "AL", "ID", "IN", "HY", "BA",
           "BB", "B2", "ZW", "CM", "WJ")
# UAX #14's pair table: row = class before the opportunity, column = class after it.
# "_" break, "%" break only after spaces, "^" never, "#"/"@" combining mark (no break).
# Where libunistring (what gettext uses) differs from the textbook table, it wins: no break
# before … (IN) after anything, a break after "." before a letter (e.g. "U." / "S.").
_TABLE = """
OP ^^^^^^^^^^^^^^^^^^^^@^
CL _^^%%^^^^%%___%%%__^#^
CP _^^%%%^^^%%%%_%%%__^#^
QU ^^^%%%^^^%%%%%%%%%%^#^
GL %^^%%%^^^%%%%%%%%%%^#^
NS _^^%%%^^^_____%%%__^#^
EX _^^%%%^^^_____%%%__^#^
SY _^^%%%^^^__%__%%%__^#^
IS _^^%%%^^^__%__%%%__^#^
PR %^^%%%^^^__%%%%%%__^#^
PO %^^%%%^^^__%%_%%%__^#^
NU %^^%%%^^^%%%%_%%%__^#^
AL %^^%%%^^^%%%%_%%%__^#^
ID _^^%%%^^^_%___%%%__^#^
IN _^^%%%^^^_____%%%__^#^
HY _^^%_%^^^__%__%%%__^#^
BA _^^%_%^^^_____%%%__^#^
BB %^^%%%^^^%%%%%%%%%%^#^
B2 _^^%%%^^^_____%%%_^^#^
ZW ___________________^__
CM %^^%%%^^^%%%%_%%%__^#^
WJ %^^%%%^^^%%%%%%%%%%^#^
"""
_PAIRS: dict[str, dict[str, str]] = {}
for _row in _TABLE.strip().splitlines():
    _name, _cells = _row.split()
    assert len(_cells) == len(CLASSES), _name
    _PAIRS[_name] = dict(zip(CLASSES, _cells, strict=True))

_ASCII = {" ": "SP", "!": "EX", '"': "QU", "$": "PR", "%": "PO", "'": "QU", "(": "OP", ")": "CP", "+": "PR",
          ",": "IS", "-": "HY", ".": "IS", "/": "SY", ":": "IS", ";": "IS", "?": "EX", "[": "OP", "\\": "PR",
          "]": "CP", "{": "OP", "|": "BA", "}": "CL", "\t": "BA"}
_SPECIAL = {
    "\u00a0": "GL", "\u00ad": "BA", "\u2010": "BA", "\u2013": "BA", "\u2014": "B2", "\u2026": "IN",
    "\u2018": "QU", "\u2019": "QU", "\u201c": "QU", "\u201d": "QU", "\u200b": "ZW", "\u2060": "WJ", "\ufeff": "WJ",
    "\u2028": "BK", "\u2029": "BK", "\x85": "BK", "\x0b": "BK", "\x0c": "BK", "\u3000": "BA", "\u3001": "CL",
    "\u3002": "CL", "\u3005": "NS", "\u301d": "OP", "\u301e": "CL", "\u301f": "CL", "\u30fb": "NS", "\u30fc": "NS",
    "\uff01": "EX", "\uff04": "PR", "\uff05": "PO", "\uff08": "OP", "\uff09": "CL", "\uff0c": "CL", "\uff0e": "CL",
    "\uff1a": "NS", "\uff1b": "NS", "\uff1f": "EX", "\uff3b": "OP", "\uff3d": "CL", "\uff5b": "OP", "\uff5d": "CL",
}
for _code in range(0x3008, 0x301C):  # 〈〉《》「」『』【】〔〕〖〗〘〙〚〛: opening, closing, alternately
    _SPECIAL[chr(_code)] = "OP" if _code % 2 == 0 else "CL"


@lru_cache(maxsize=4096)
def line_class(char: str) -> str:
    """The UAX #14 class of ``char`` (ambiguous ones resolved as in a UTF-8 locale)."""
    if char in _ASCII:
        return _ASCII[char]
    if char in _SPECIAL:
        return _SPECIAL[char]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Mc", "Cc", "Cf"):
        return "CM"
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "ID"
    if category == "Nd":
        return "NU"
    if category == "Zs":
        return "BA"
    return "AL"


@lru_cache(maxsize=4096)
def width(char: str) -> int:
    """Columns ``char`` takes on a terminal (2 for CJK, 0 for marks and controls)."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    if unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 1


def opportunities(chars: list[str], prohibited: list[bool]) -> list[str]:
    """For each position: "" (no break before it), "possible" or "mandatory" (after a line separator)."""
    result = [""] * len(chars)
    before = None  # class of the last non-space character
    spaces = False
    for index, char in enumerate(chars):
        cls = line_class(char)
        if index and chars[index - 1] and line_class(chars[index - 1]) == "BK":
            result[index] = "mandatory"
            before, spaces = None, False
        if cls == "SP":
            spaces = True
            continue
        if cls == "CM" and before is not None and not spaces:
            continue  # a combining mark takes the class of its base
        if cls == "CM":
            cls = "AL"
        if cls == "BK":
            before, spaces = None, False
            continue
        if before is not None and not result[index] and not prohibited[index]:
            action = _PAIRS[before].get(cls, "%")
            if cls == "OP" and before in ("AL", "NU") and width(char) == 2:
                action = "_"  # UAX #14 LB30 holds only for narrow brackets: "of（" and "1《" may break
            if action == "_" or (action == "%" and spaces):
                result[index] = "possible"
        before, spaces = cls, False
    return result


def fill(chars: list[str], prohibited: list[bool], limit: int, start: int) -> list[bool]:
    """Greedy fill, as libunistring's ``u8_width_linebreaks``: True where a line is broken
    (before that character). ``limit`` is the usable width, ``start`` the first line's column."""
    kinds = opportunities(chars, prohibited)
    breaks = [False] * len(chars)
    last = None  # index where the current piece starts (a break opportunity)
    column = start
    piece = 0
    for index, char in enumerate(chars):
        kind = kinds[index]
        if kind and last is not None and column + piece > limit:
            breaks[last] = True
            column = 0
        if kind == "mandatory":
            last, column, piece = None, 0, 0
        elif kind == "possible":
            last = index
            column += piece
            piece = 0
        piece += width(char)
    if last is not None and column + piece > limit:
        breaks[last] = True
    return breaks
