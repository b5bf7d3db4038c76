"""English sentence splitting for official translations (rules, no model).

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets)
followed by a space and a capital letter, a digit, a quote or an opening
bracket — except:

* after the abbreviations of this genre: ``No.`` (document numbers), ``Co.``,
  ``Ltd.`` (company names), ``e.g.``, ``i.e.``, ``etc.`` before a lowercase
  word, ``Art.``, ``para.``, ``Jan.`` … ``Dec.``, ``St.``, ``Mr.``/``Ms.``/``Dr.``,
  ``Inc.``, ``Corp.``, ``Dept.``, ``approx.``, ``vs.``, ``U.S.``/``P.R.C.``-style
  initials and single capital letters;
* inside brackets or double quotes (a quoted title with a full stop in it stays
  in its sentence, as the Chinese side's bracket guard does).

The split is lossless: ``" ".join(split_sentences(t))`` rebuilds ``t`` with
its whitespace normalised, so the English stored in a memory is the official
text as printed.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(["no", "nos", "co", "ltd", "inc", "corp", "dept", "art", "arts", "para", "paras", "approx", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "st", "mr", "mrs", "ms", "dr", "prof", "fig", "figs", "vol", "cf"])
_END_RE = re.compile(r"[.!?]['\"”’)\]]*(?=\s+['\"“‘(\[]?[A-Z0-9])")
_OPEN = {"(": ")", "[": "]", "“": "”"}


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "([“\"":
        start -= 1
    return text[start:end]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _word_before(text, dot + 1).rstrip(".").lower()
    if word in _ABBREVIATIONS:
        return word != "etc" or not text[dot + 1:].lstrip()[:1].isupper()
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # u.s. / p.r.c.
        return True
    return len(word) == 1 and word.isalpha()  # an initial


def _depth_ok(text: str, end: int) -> bool:
    """True when position ``end`` is outside every bracket and double-quote pair."""
    stack: list[str] = []
    straight = 0
    for ch in text[:end]:
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch == '"':
            straight ^= 1
    return not stack and not straight


def split_sentences(text: str) -> list[str]:
    """The sentences of one English paragraph."""
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _END_RE.finditer(text):
        dot = m.start()
        if text[dot] == "." and _is_abbreviation(text, dot):
            continue
        if not _depth_ok(text, m.end()):
            continue
        sentence = text[start:m.end()].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
