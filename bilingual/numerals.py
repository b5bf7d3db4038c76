"""Numbering helpers shared by several stages (a leaf module, like model.py).

Roman numerals are the one place where ingest (DOCX list numbering), structure
(the English heading convention) and render agree on how 4 is written.
"""

from __future__ import annotations

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(number: int) -> str:
    """1 → I, 4 → IV, 1994 → MCMXCIV (upper case; ``.lower()`` for (i), (iv))."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


# --------------------------------------------------------------------------- Chinese numerals

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_UNITS, *_CN_BIG])


def parse_chinese_numeral(text: str) -> int | None:
    """二十 → 20, 一百零五 → 105, 三千五百万 → 35000000, 二〇二五 → 2025; None if ``text`` is no numeral."""
    if not text or any(ch not in _CN_CHARS for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text):  # a digit string (二〇二五) or one digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in "零〇○":
            continue  # a gap marker inside a numeral (一百零五)
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                return None
            total = (total + section) * _CN_BIG[ch] if section else total * _CN_BIG[ch]
            section = 0
    return total + section + (digit or 0)


def chinese_numeral_values(text: str) -> set[int]:
    """Values of the Chinese numerals in ``text``: every run of numeral characters, cut
    greedily into the longest parseable pieces (十四五 → 14 and 5).

    Permissive on purpose (一 in 一体化 gives 1): callers use it to *accept* a number an
    English rendering may show (第三条 → Article 3, 二十大 → 20th), never to demand one.
    """
    import re

    values: set[int] = set()
    for run in re.findall(f"[{_CN_CHARS}]+", text):
        start = 0
        while start < len(run):
            for end in range(len(run), start, -1):
                value = parse_chinese_numeral(run[start:end])
                if value is not None:
                    values.add(value)
                    start = end
                    break
            else:
                start += 1
    return values
