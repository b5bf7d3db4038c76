"""Numbering labels: recognising them (一、 （一） 1. （1） ① 第一章 第一条) and their English.

A label's *rank* orders the levels of a 公文: ``一、`` (1) > ``（一）`` (2) > ``1.`` / ``1、`` /
``１．`` (3) > ``（1）`` (4) > ``①`` (5), in half- and full-width forms; ``第一章`` is a chapter
``第一节`` a division of a chapter (English "Section 1") and ``第一条`` an article. :func:`match_label` reads the label at the start of a line;
:func:`english_label` and :func:`key_label` are the one convention for English headings
(``I.``, ``(1)``, ``(a)``, ``(i)``, ``Chapter 1``, ``Article 1``, ``Attachment 1``), used by
the build and the review page.
"""

from __future__ import annotations

import dataclasses
import re

from ..ingest import CN_NUMERAL, is_table_row
from ..numerals import roman

__all__ = [
    "chinese_numeral_to_int",
    "english_label",
    "key_label",
    "Label",
    "match_label",
    "numeral",
    "is_structure_start",
]

_NUM = f"[{CN_NUMERAL}]+"
_ARABIC = r"[0-9０-９]+"

# Labels, by rank. Each pattern captures label, num, rest.
_LABELS = (
    ("chapter", 0, re.compile(rf"^(?P<label>第\s*(?P<num>{_NUM}|{_ARABIC})\s*章)\s*(?P<rest>.*)$")),
    ("division", 0, re.compile(rf"^(?P<label>第\s*(?P<num>{_NUM}|{_ARABIC})\s*[节節])\s*(?P<rest>.*)$")),
    ("article", 0, re.compile(rf"^(?P<label>第\s*(?P<num>{_NUM}|{_ARABIC})\s*[条條])\s*(?P<rest>.+)$")),
    ("unit", 1, re.compile(rf"^(?P<label>(?P<num>{_NUM})、)\s*(?P<rest>.+)$")),
    ("unit", 2, re.compile(rf"^(?P<label>[(（]\s*(?P<num>{_NUM})\s*[)）])\s*(?P<rest>.+)$")),
    ("unit", 3, re.compile(rf"^(?P<label>(?P<num>{_ARABIC})\s*[.．、](?![0-9０-９]))\s*(?P<rest>.+)$")),
    ("unit", 4, re.compile(rf"^(?P<label>[(（]\s*(?P<num>{_ARABIC})\s*[)）])\s*(?P<rest>.+)$")),
    ("unit", 5, re.compile(r"^(?P<label>(?P<num>[\u2460-\u2473]))\s*(?P<rest>.+)$")),
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_numeral_to_int(text: str) -> int:
    """``一`` → 1, ``十五`` → 15, ``三十一`` → 31, ``一百零五`` → 105, ``15`` → 15, ``③`` → 3.

    Accepts Chinese numerals up to 九千九百九十九 (十, 百, 千 with 零/〇 as a place
    holder, 两 for 2), digit-by-digit forms (``二〇二五`` → 2025), Arabic digits
    (ASCII or full-width) and circled numbers ①–⑳. Raises :class:`ValueError` for
    anything else, with the text in its message: two digits without a unit (``一二``: a list,
    not 12), other Unicode digits (``⑴``).
    """
    s = text.strip()
    if not s:
        raise ValueError("empty numeral")
    if len(s) == 1 and 0x2460 <= ord(s) <= 0x2473:
        return ord(s) - 0x2460 + 1
    if s.isdecimal():  # not isdigit: ⑴ and ² are digits int() refuses
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        raise ValueError(f"not a numeral: {text!r}")
    if not any(ch in _UNITS for ch in s):
        if len(s) == 1:
            return _DIGITS[s]
        if len(s) == 2 and s[0] not in "零〇":  # 一二、三类 lists numbers (零五 is 5); digit by digit: 二〇二五
            raise ValueError(f"not a numeral: {text!r}")
        return int("".join(str(_DIGITS[ch]) for ch in s))  # 二〇二五
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in s:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise ValueError(f"not a numeral: {text!r}")
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a numeral: {text!r}")
            if digit is None:
                if total:  # 一百十 is written 一百一十
                    raise ValueError(f"not a numeral: {text!r}")
                digit = 1  # 十五 = 15
            elif digit == 0:
                raise ValueError(f"not a numeral: {text!r}")
            total += digit * unit
            digit = None
            last_unit = unit
    if digit:
        total += digit
    return total


def numeral(num: str) -> int | None:
    """The value of a label's numeral (full-width digits too), or None (``一二、三类`` is no label)."""
    try:
        return chinese_numeral_to_int(num.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    except ValueError:
        return None


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def english_label(unit: str, number: int) -> str:
    """The English numbering of a unit: the one convention for headings in English.

    ``section`` 1 → ``I.``, ``measure`` 1 → ``(1)``, ``item`` 1 → ``(a)`` (27 → ``(aa)``),
    ``sub`` 1 → ``(i)``, ``chapter`` 1 → ``Chapter 1``, ``division`` 1 → ``Section 1`` (第一节,
    as Chinese laws' English versions number it), ``article`` 1 → ``Article 1``,
    ``attachment`` 1 → ``Attachment 1``.
    """
    if unit == "division":
        return f"Section {number}"
    if unit == "section":
        return f"{roman(number)}."
    if unit == "measure":
        return f"({number})"
    if unit == "item":
        return f"({_letters(number)})"
    if unit == "sub":
        return f"({roman(number).lower()})"
    if unit in ("chapter", "article", "attachment"):
        return f"{unit.capitalize()} {number}"
    raise ValueError(f"unknown unit {unit!r}")


_KEY_UNIT_RE = re.compile(r"(?:^|\.)(?P<unit>section|measure|item|sub|chapter|division|article|attachment)-(?P<n>\d+)")


def key_label(key: str, printed: int | None = None) -> str:
    """The English label of the innermost numbered unit of a block key or msgctxt.

    ``section-2.title`` → ``II.``, ``measure-15.s3`` → ``(15)``, ``section-2.measure-1.s1`` →
    ``(1)`` (the first measure of section II, where numbering restarts), ``measure-3.item-2.s1``
    → ``(b)``, ``article-7`` → ``Article 7``; ``""`` for keys without a numbered unit. The
    number in a key is the number as printed, except where a unit is named by its place and the
    document prints another number (``section-5`` for a table's 一、): ``printed`` is then that
    number (``section-5``, 1 → ``I.``; see :func:`bilingual.structure.ids.printed_numbers`).
    """
    found = list(_KEY_UNIT_RE.finditer(key))
    if not found:
        return ""
    last = found[-1]
    return english_label(last["unit"], printed if printed is not None else int(last["n"]))


@dataclasses.dataclass(frozen=True)
class Label:
    """A numbering label at the start of a line: its kind (``chapter`` | ``division`` | ``article`` | ``unit``),
    rank, the label as printed, its value and the rest of the line."""

    kind: str
    rank: int
    label: str
    number: int
    rest: str


def match_label(text: str) -> Label | None:
    """The label opening ``text``: ``（十五）优化…`` → rank 2, ``（十五）``, 15, ``优化…``; else None."""
    for kind, rank, pattern in _LABELS:
        match = pattern.match(text)
        if match is None:
            continue
        value = numeral(match["num"])
        if value is None:
            return None
        return Label(kind, rank, match["label"], value, match["rest"].strip())
    return None


def is_structure_start(text: str) -> bool:
    """A numbered unit or a table row: where the numbered parts of a document begin."""
    return match_label(text) is not None or is_table_row(text)
