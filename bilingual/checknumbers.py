"""The numbers rule of ``bilingual check`` (documented in :mod:`bilingual.check`): which
numbers of the Chinese a translation must render, and which numbers of the English the
Chinese does not give. Shared with the MT safety net (:mod:`bilingual.mtcheck`), so a
number the gate accepts is one the safety net accepts."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TIMES = re.compile(r"(?<![\d.])(\d+)\s*[×xX*]\s*(\d+)")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*第?\s*(\d+)\s*号")
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\s*月(?!\s*\d+\s*[日号])")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")
_SCALED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万)")
_SCALES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
_EN_SCALED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion)\b)?", re.IGNORECASE)
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

#: The documented rule table (see the module docstring): name → source pattern.
NUMBER_RULES = {
    "times": _TIMES.pattern,
    "document-number": _DOC_NUMBER.pattern,
    "date": _FULL_DATE.pattern,
    "month": _MONTH.pattern,
    "percent": _PERCENT.pattern,
    "wan-yi": _SCALED.pattern,
    "number": _NUM.pattern,
}


def _has_number(target: str, number: str) -> bool:
    if re.search(rf"(?<!\d)(?<!\d\.){re.escape(number)}(?!\d|\.\d)", target):
        return True
    if number.isdigit() and int(number) <= 10 and number == str(int(number)):
        return re.search(rf"\b{NUMBER_WORDS[int(number)]}\b", target, re.IGNORECASE) is not None
    return False


def _has_month(target: str, month: str) -> bool:
    value = int(month)
    if 1 <= value <= 12 and re.search(rf"\b{MONTHS[value - 1]}\b", target, re.IGNORECASE):
        return True
    return _has_number(target, month)


def _has_times(target: str, a: str, b: str) -> bool:
    for x, y in ((a, b), (b, a)):
        if re.search(rf"(?<!\d){x}\s*[×xX*/]\s*{y}(?!\d)", target):
            return True
    return {a, b} == {"7", "24"} and re.search(
        r"round[- ]the[- ]clock|around the clock|24 hours a day", target, re.IGNORECASE) is not None


def missing_numbers(source: str, target: str) -> list[str]:
    """Numbers of ``source`` (as written there) that ``target`` does not render."""
    src = _GROUPED.sub("", unicodedata.normalize("NFKC", source))
    tgt = _GROUPED.sub("", unicodedata.normalize("NFKC", target))
    missing: list[str] = []

    def blank(match: re.Match) -> str:
        return " " * (match.end() - match.start())

    def rule(pattern: re.Pattern, ok) -> None:
        nonlocal src
        for match in pattern.finditer(src):
            if not ok(match):
                missing.append(match.group().strip())
        src = pattern.sub(blank, src)

    rule(_TIMES, lambda m: _has_times(tgt, m.group(1), m.group(2)))
    rule(_DOC_NUMBER, lambda m: re.search(
        rf"[\[(]\s*{m.group(1)}\s*[\])]\s*(?:No\.?\s*)?{m.group(2)}(?!\d)", tgt, re.IGNORECASE) is not None)
    rule(_FULL_DATE, lambda m: _has_number(tgt, m.group(1)) and _has_month(tgt, m.group(2))
         and _has_number(tgt, str(int(m.group(3)))))
    rule(_MONTH, lambda m: _has_month(tgt, m.group(1)))
    english = _english_numbers(tgt)
    english_values = {value for _, values in english for value in values}
    unscaled = {values[0] for _, values in english if len(values) == 1}
    # 13亿 is 1.3 billion or 1,300 million; "13" alone may stand for it (13 hundred million) but
    # "13 million" names another amount
    rule(_SCALED, lambda m: Decimal(m.group(1)) * _SCALES[m.group(2)] in english_values
         or Decimal(m.group(1)) in unscaled)
    rule(_PERCENT, lambda m: re.search(
        rf"(?<![\d.]){re.escape(m.group(1))}\s*(?:%|percent\b|per cent\b)", tgt, re.IGNORECASE) is not None)
    for match in _NUM.finditer(src):
        if not _has_number(tgt, match.group()) and match.group() not in missing:
            missing.append(match.group())
    return missing


def _english_numbers(target: str) -> list[tuple[str, tuple[Decimal, ...]]]:
    """Every number of an English text with the values it may stand for (66 million: 66 and 66000000)."""
    found = []
    for match in _EN_SCALED.finditer(target):
        value = Decimal(match.group(1))
        scale = _EN_SCALES.get((match.group(2) or "").lower())
        found.append((match.group().strip(), (value, value * scale) if scale else (value,)))
    return found


def added_numbers(source: str, target: str, glossary=None, matches=None) -> list[str]:
    """Numbers of ``target`` that ``source`` does not give (see the module docstring).

    ``matches``: ``glossary.match(source)`` when the caller has it already."""
    from .numerals import chinese_numeral_values

    src = _GROUPED.sub("", unicodedata.normalize("NFKC", source))
    tgt = _GROUPED.sub("", unicodedata.normalize("NFKC", target))
    allowed = {Decimal(n) for n in _NUM.findall(src)}
    allowed |= {Decimal(m.group(1)) * _SCALES[m.group(2)] for m in _SCALED.finditer(src)}
    allowed |= {Decimal(v) for v in chinese_numeral_values(src)}
    if glossary is not None:
        for match in glossary.match(source) if matches is None else matches:
            allowed |= {Decimal(n) for n in _NUM.findall(_GROUPED.sub("", glossary.english(match.term)))}
    added: list[str] = []
    for text, values in _english_numbers(tgt):
        if not allowed.intersection(values) and text not in added:
            added.append(text)
    return added
