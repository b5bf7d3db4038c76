"""Glossary vocabulary: the CSV columns and kinds, lookup keys, terms and validation problems."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Match, Term
from ..zhnorm import to_simplified

COLUMNS = ("zh", "en", "kind", "full_form", "en_abbr", "note", "source", "evidence_url", "checked", "variants")
#: The header before the evidence columns existed; files with it are read with empty evidence.
LEGACY_COLUMNS = COLUMNS[:7]
REQUIRED = ("zh", "en", "kind", "note", "source")
KINDS = ("organisation", "regime", "code", "place", "slogan", "phrase", "title")
# Kinds replaced by placeholders before MT. Recurring policy *phrases* (优化营商环境,
# 专项行动…) are not: a sentence of 20 placeholders leaves the engine nothing to
# translate fluently. Phrases still appear as hints in the PO comments and
# ``bilingual check`` still holds reviewed translations to them.
PROTECTED_KINDS = frozenset(KINDS) - {"phrase"}

PLACEHOLDER_PREFIX = "QXZ"
_PLACEHOLDER_RE = re.compile(r"Q\s*X\s*Z\s*(\d+)", re.IGNORECASE)

# Quote characters that may sit inside a term (optional when matching) and the
# opening → closing pairs that protect() swallows around a match.
QUOTE_CHARS = "“”\"「」『』‘’"
QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"', "‘": "’", "〈": "〉"}
_QUOTE_CLASS = "[" + re.escape(QUOTE_CHARS) + "]"
_PAREN_VARIANTS = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KEY_DROP = re.compile(r"[\s" + re.escape(QUOTE_CHARS) + "《》]")


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@functools.lru_cache(maxsize=1 << 18)
def term_key(zh: str) -> str:
    """Normalised lookup key of a zh form: NFKC, Simplified, no whitespace, no quote marks.

    Cached: matching looks the same few hundred forms up again and again, and loading
    asks for every row's key five times (reading, layers, validation, index, scope).
    Sized for two folders at the row bound (:mod:`bilingual.glossary.bounds`): a cache
    smaller than the glossary misses every time and made a 100,000-row load 2× slower.
    """
    return _KEY_DROP.sub("", to_simplified(unicodedata.normalize("NFKC", zh)))


def is_punctuation_only(text: str) -> bool:
    """True when ``text`` has no letter, digit or CJK character."""
    return not any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class GlossaryTerm(Term):
    """A :class:`~bilingual.model.Term` plus the English abbreviation and the evidence for its English."""

    en_abbr: str = ""
    evidence_url: str = ""  # URL where the English was seen, or "coined"
    checked: str = ""  # ISO date the URL was checked, or "unverified"
    variants: tuple[str, ...] = ()  # other English names official sources use (not approved)


@dataclass(frozen=True)
class Problem:
    """One finding of glossary validation, pointing at file:line."""

    file: str
    line: int
    severity: str  # "error" | "warning"
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Slot:
    """One protected occurrence: ``placeholder`` stands for ``match`` in the text.

    ``start``/``end`` is the replaced span of the source, including the quote
    pair when ``quoted`` (then the English is restored inside "…").
    """

    placeholder: str
    match: Match
    quoted: bool
    start: int
    end: int

    @property
    def term(self) -> Term:
        return self.match.term


@dataclass
class Protected:
    """Result of :func:`protect`: the text to send to MT and what it hides."""

    source: str
    text: str
    matches: list[Match] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)

