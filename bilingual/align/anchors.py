"""Anchors: what a Chinese sentence and its translation must share.

Lengths alone cannot tell a 1–1 pair from a shifted one when neighbouring
sentences are alike; policy text is full of things that survive translation
unchanged or through the glossary:

* **numbers and dates** — Arabic digits on both sides (width-normalised:
  ``２０２５`` is 2025); English month names count as their number next to a
  day or year (``June 21, 2023`` = 2023, 6, 21 = ``2023年6月21日``); ordinals
  (``20th``) and Chinese numerals (二十大) are left out on both sides, since one
  side writes them in words as often as not; ``7×24`` and ``24/7`` both give 7
  and 24. A number on each side that the other lacks is a **conflict**: the bead
  is not kept, whatever its lengths say.
* **glossary terms** — each organisation, place, regime, code, slogan or title
  of the glossary found in the Chinese, with its approved English, the English
  of its full form, its English abbreviation, its known variants and the names
  this document pair's own issuer lists taught us (上海海关 → "Shanghai Customs
  District"): found in the English (as a substring, or by three or more content
  words for names) it counts for the pair, missing it counts a little against
  (a translator may write "the Commission").
* **codes** — Latin words inside the Chinese (AEO, MaaS, RCEP) appear as they
  are in the English: found they count like a number, missing heavily against.
* **quoted titles** — 《…》 and “…” on the Chinese side against "…" / “…” on
  the English side (official translations often drop the quotes of a title,
  so this weighs little).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..glossary import Glossary, term_key

ANCHOR_KINDS = frozenset({"organisation", "place", "regime", "code", "slogan", "title"})
MONTHS = {m: n for n, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], start=1)}
_ZH_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_LATIN_CODE_RE = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9&]+(?![A-Za-z])")
_EN_NUMBER_RE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?!\d)(?!st\b|nd\b|rd\b|th\b)")
_MONTH_RE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                       r"\b(?=\.?\s+\d{1,2}\b)|(?<=\d\s)(January|February|March|April|May|June|July|August|"
                       r"September|October|November|December)\b")
_STOP = frozenset(["of", "the", "and", "for", "in", "on", "at", "to", "&", "a", "an", "with", "by"])
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")

# weights
NUMBER_MATCH, NUMBER_MISS = 1.5, 1.0
TERM_MATCH, TERM_MISS = 1.0, 0.3
CODE_MISS = 2.0  # codes (AEO, 9610) and document numbers survive translation letter for letter
QUOTE_MATCH, QUOTE_MISS = 0.3, 0.15


def zh_numbers(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text)
    return Counter(_canonical(n) for n in _ZH_NUMBER_RE.findall(text))


def zh_codes(text: str) -> list[str]:
    """Latin words in a Chinese sentence (AEO, MaaS, RCEP): codes the translation keeps as they are."""
    return _LATIN_CODE_RE.findall(unicodedata.normalize("NFKC", text))


def en_numbers(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text)
    found = Counter(_canonical(n.replace(",", "")) for n in _EN_NUMBER_RE.findall(text))
    for m in _MONTH_RE.finditer(text):
        found[str(MONTHS[(m.group(1) or m.group(2)).lower()])] += 1
    return found


def _canonical(number: str) -> str:
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number.lstrip("0") or "0"


def content_words(text: str) -> list[str]:
    """Lower-case words without the small words of names ("of", "the", "and", "&" …)."""
    return [w for w in _WORD_RE.findall(text.lower().replace("&", " and ")) if w not in _STOP]


def contains_name(english: str, name: str) -> bool:
    """``name`` appears in ``english``: as a substring, or (names of 3+ content words) word by word."""
    return _has_name(english.lower(), set(content_words(english)), name)


class Anchors:
    """Callable anchor score for :func:`bilingual.align.lengths.align`: ``(score, conflict)``."""

    def __init__(self, glossary: Glossary | None, learned: dict[str, set[str]] | None = None):
        self.glossary = glossary
        self.learned = learned if learned is not None else {}
        self._forms: dict[str, tuple[str, ...]] = {}
        self._zh_cache: dict[str, tuple] = {}
        self._en_cache: dict[str, tuple] = {}

    def forms(self, term) -> tuple[str, ...]:
        """Every English a term may take in an official translation."""
        key = term_key(term.zh)
        if key not in self._forms:
            self._forms[key] = tuple(sorted(set(english_forms(self.glossary, term)), key=len, reverse=True))
        learned = self.learned.get(key) or self.learned.get(term_key(self.glossary.full_form(term).zh), set())
        return tuple(learned) + self._forms[key]

    def terms(self, zh: str) -> list:
        if self.glossary is None:
            return []
        return [m.term for m in self.glossary.match(zh) if m.term.kind in ANCHOR_KINDS]

    def _zh(self, zh: str) -> tuple[Counter, list[str], list, int]:
        """What a Chinese text offers as anchors (cached: the programmes ask for each text many times)."""
        found = self._zh_cache.get(zh)
        if found is None:
            terms = [t for t in self.terms(zh) if not (t.kind == "code" and zh_codes(t.zh))]  # codes: counted as such
            found = (zh_numbers(zh), zh_codes(zh), terms, len(re.findall(r"[《“]", zh)))
            self._zh_cache[zh] = found
        return found

    def _en(self, en: str) -> tuple[Counter, str, set[str], int]:
        found = self._en_cache.get(en)
        if found is None:
            found = (en_numbers(en), en.lower(), set(content_words(en)), len(re.findall(r"“|\"(?=\w)", en)))
            self._en_cache[en] = found
        return found

    def __call__(self, zh: str, en: str) -> tuple[float, bool]:
        zn, codes, terms, zq = self._zh(zh)
        en_n, lower, words, eq = self._en(en)
        common = sum((zn & en_n).values())
        only_zh, only_en = sum((zn - en_n).values()), sum((en_n - zn).values())
        score = NUMBER_MATCH * common - NUMBER_MISS * (only_zh + only_en)
        conflict = only_zh > 0 and only_en > 0
        for code in codes:
            score += NUMBER_MATCH if re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", en) else -CODE_MISS
        for term in terms:
            if any(_has_name(lower, words, form) for form in self.forms(term) if form):
                score += TERM_MATCH
            else:
                score -= CODE_MISS if term.kind == "code" else TERM_MISS
        score += QUOTE_MATCH * min(zq, eq) - QUOTE_MISS * abs(zq - eq)
        return score, conflict


def _has_name(lower: str, words: set[str], name: str) -> bool:
    """:func:`contains_name` on an English text already lower-cased and split into content words."""
    if name.lower() in lower:
        return True
    wanted = content_words(name)
    return len(wanted) >= 3 and sum(1 for w in wanted if w in words) >= max(3, round(0.85 * len(wanted)))


def english_forms(glossary: Glossary | None, term) -> Iterable[str]:
    """The approved English, the full form's, the English abbreviation and the known variants of a term."""
    if glossary is None:
        return
    full = glossary.full_form(term)
    for t in (term, full):
        yield t.en
        abbr = getattr(t, "en_abbr", "")
        if abbr:
            yield abbr
        yield from variants(t)


def variants(term) -> tuple[str, ...]:
    """Known official variants of a term's English (issue "Every name as its body writes it").

    Read from a ``variants`` attribute when the glossary has one (a tuple, or a
    string separated by ``|`` or ``;``); empty otherwise.
    """
    value = getattr(term, "variants", ())
    if isinstance(value, str):
        value = [v.strip() for v in re.split(r"[|;]", value)]
    return tuple(v for v in value if v)
