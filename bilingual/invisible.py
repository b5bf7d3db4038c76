"""Characters a reader cannot see that change what a text is: bidi controls, line separators, format characters.

A glossary cell is read by people (in a spreadsheet, in Poedit's comments) and by code that
compares it with documents. Three kinds of character make the two disagree, and none belongs
in a term, an English name, a note or a source:

* **bidirectional controls** (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) reorder the
  text shown around them: an RLO (U+202E) in an English name prints it reversed in the
  publication and in every editor (the "Trojan Source" trick);
* **line and paragraph separators** (U+2028, U+2029; NEL U+0085 is a C1 control, refused with
  the controls): ``str.splitlines`` and line-based tools cut a line there, so a term would be
  cut in two;
* **other format characters** (Unicode category Cf: zero-width space, non-joiner and joiner
  U+200B–U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD, tag characters …):
  ``单一\\u200b窗口`` looks like 单一窗口 and never matches it.

:func:`hidden_problem` names the first one in a text, for :func:`bilingual.csvsafe.cell_problem`.
The classes are written out (every Cf, Zl and Zp character of Unicode 15) rather than built
from :mod:`unicodedata` at import, which would scan 1.1 million code points on every start.
"""

from __future__ import annotations

import re
import unicodedata

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
SEPARATORS = "\u2028\u2029"
FORMAT = ("\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f"
          "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
          "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
HIDDEN_RE = re.compile(f"[{BIDI}{SEPARATORS}{FORMAT}]")
#: Those and the C0/C1 controls and DEL: every character a reader of a cell or a msgstr does not see.
UNSEEN_RE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}{SEPARATORS}{FORMAT}]")
_BIDI_RE = re.compile(f"[{BIDI}]")
#: How much of a long cell a message shows around the character.
_AROUND = 24


def name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()


def shown(text: str, at: int) -> str:
    """``text`` around index ``at``, every hidden or control character written ``<U+XXXX>``: safe to print."""
    start, end = max(0, at - _AROUND), at + _AROUND
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return UNSEEN_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", piece)


def hidden_problem(text: str, effect: str = "never matches it") -> str | None:
    """Why ``text`` is not what it looks like (the first hidden character, named and shown), or ``None``.

    ``effect`` ends the message for an invisible format character: what it does to this text.
    A term is matched against documents, so ``单一\u200b窗口`` never matches 单一窗口; an English
    name is matched against nothing: it is rendered, and the character with it.
    """
    found = HIDDEN_RE.search(text)
    if found is None:
        return None
    ch, where = found.group(), shown(text, found.start())
    if _BIDI_RE.match(ch):
        return f"holds a bidirectional control ({name(ch)}), which reorders the text shown around it: {where}"
    if ch in "\u2028\u2029":
        return f"holds a line separator ({name(ch)}), where line-based tools cut it in two: {where}"
    visible = HIDDEN_RE.sub("", text)
    return (f"holds an invisible character ({name(ch)}): {where} looks like "
            f"{shown(visible, found.start())} but {effect}")


_STRIPPED_RE = re.compile(f"[{BIDI}{FORMAT}]")


def strip_hidden(text: str) -> str:
    """``text`` without its bidi controls and invisible format characters: a source document's
    zero-width spaces, BOMs and soft hyphens (a web page or a word processor leaves them) carry
    nothing in Chinese and hide a term from the glossary (``单一\u200b窗口``). Line separators are
    whitespace, and stay for the whitespace rules."""
    return _STRIPPED_RE.sub("", text)


_SPACE_CONTROL_RE = re.compile("[\x0b-\x0d\x1c-\x1f\x85\u2028\u2029]")  # controls str.split() breaks at
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # the other C0 and C1 controls, DEL


def plain_text(text: str) -> str:
    """``text`` from outside (an MT server's answer, an official English page) as plain text: a
    control character that separates (vertical tab, form feed, NEL, a line separator) is a space,
    any other control, bidi control or invisible format character is removed. Nobody means a NUL,
    an escape sequence or an RLO in a translation; in a msgstr, a memory or a terminal they do
    harm, and a zero-width space inside a word hides it from every comparison."""
    return _STRIPPED_RE.sub("", _CONTROL_RE.sub("", _SPACE_CONTROL_RE.sub(" ", text)))
