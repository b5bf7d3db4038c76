"""Pair the names of issuing bodies and lead agencies across the two versions.

The Chinese names are known to the glossary (with their approved English, the
English of their full form, their abbreviation and known variants); the
official English may write them otherwise ("Shanghai Customs District" for
上海海关), list them in another place (at the top where the Chinese signs at
the end) and, inside a lead-agency parenthesis, run them together with commas
and "and" that also occur inside names ("Shanghai Municipal Tax Service, State
Taxation Administration"; "Development and Reform Commission").

1. **Similarity** of an English name to a Chinese one is the best
   :func:`similarity` of any of the Chinese name's English forms (token-set and
   token-sort ratios, "&" = "and", small words ignored).
2. **Pairing by the glossary**: the most similar pairs (≥ :data:`MATCH`) are
   taken first, best first; a pair that would cross one already taken needs
   :data:`STRONG` (lists are sometimes reordered, but a weak crossing match is
   more likely wrong).
3. **Pairing by order**: between two pairs so found (or the ends of the
   lists), names left over on both sides in equal numbers are paired in order
   — how a body missing from the glossary, or renamed beyond recognition, still
   finds its English; in unequal numbers they are left out.
4. **Splitting** a run-on English list (:func:`split_names`): cut at every
   ``;``, ``,`` and `` and ``, then regroup the pieces into as many names as the
   Chinese list has, choosing the grouping whose names resemble the Chinese
   names' forms most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .anchors import content_words

MATCH = 0.6
STRONG = 0.8
_THE_RE = re.compile(r"^the\s+", re.IGNORECASE)
_SPLIT_RE = re.compile(r"(\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+)")


@dataclass(frozen=True)
class NamePair:
    """One Chinese name and its English in the official version."""

    zh: str
    en: str
    zh_key: str  # where it stands: notice.signatory-2, measure-4.agencies …
    en_key: str
    score: float  # similarity to the glossary's forms (0 when the glossary does not know the name)
    how: str  # "glossary" | "order"


@lru_cache(maxsize=4096)
def similarity(a: str, b: str) -> float:
    """0–1: how alike two English names are (token set and sort ratios, small words ignored)."""
    from rapidfuzz import fuzz

    wa, wb = " ".join(content_words(a)), " ".join(content_words(b))
    if not wa or not wb:
        return 0.0
    return (fuzz.token_set_ratio(wa, wb) + fuzz.token_sort_ratio(wa, wb)) / 200.0


def best_similarity(forms: Sequence[str], english: str) -> float:
    return max((similarity(f, english) for f in forms if f), default=0.0)


def pair_names(zh: Sequence[tuple[str, str]], en: Sequence[tuple[str, str]],
               forms: Sequence[Sequence[str]]) -> list[NamePair]:
    """Pair ``zh`` = [(key, name)] with ``en`` = [(key, name)]; ``forms[i]``: English forms of zh[i]."""
    n, m = len(zh), len(en)
    scores = [[best_similarity(forms[i], en[j][1]) for j in range(m)] for i in range(n)]
    taken: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    candidates = sorted(((scores[i][j], i, j) for i in range(n) for j in range(m) if scores[i][j] >= MATCH),
                        key=lambda c: (-c[0], abs(c[1] / max(n, 1) - c[2] / max(m, 1))))
    for score, i, j in candidates:
        if i in taken or j in used:
            continue
        crosses = any((i < i2) != (j < j2) for i2, (j2, _) in taken.items())
        if crosses and score < STRONG:
            continue
        taken[i] = (j, score)
        used.add(j)
    pairs = {i: NamePair(zh[i][1], en[j][1], zh[i][0], en[j][0], s, "glossary") for i, (j, s) in taken.items()}
    # in order, between anchors
    anchors = sorted((i, j) for i, (j, _) in taken.items() if all(
        (i < i2) == (j < j2) for i2, (j2, _) in taken.items() if i2 != i))
    bounds = [(-1, -1), *anchors, (n, m)]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        free_zh = [i for i in range(i0 + 1, i1) if i not in taken]
        free_en = [j for j in range(j0 + 1, j1) if j not in used]
        if free_zh and len(free_zh) == len(free_en):
            for i, j in zip(free_zh, free_en, strict=True):
                pairs[i] = NamePair(zh[i][1], en[j][1], zh[i][0], en[j][0], scores[i][j], "order")
    return [pairs[i] for i in sorted(pairs)]


def split_names(text: str, count: int, forms: Sequence[Sequence[str]]) -> list[str]:
    """Cut an English list of names into ``count`` names (fewer when it has fewer pieces)."""
    parts = _SPLIT_RE.split(text.strip())
    pieces = [_THE_RE.sub("", p.strip()) for p in parts[0::2]]
    seps = parts[1::2]
    if count <= 1 or len(pieces) <= count:
        return [p for p in pieces if p] if count != 1 else [text.strip()]
    all_forms = [f for fs in forms for f in fs if f]

    def group(a: int, b: int) -> str:
        out = pieces[a]
        for k in range(a + 1, b):
            out += seps[k - 1] + pieces[k]
        return out.strip(" ,;")

    def score(a: int, b: int) -> float:
        return max((similarity(f, group(a, b)) for f in all_forms), default=0.5) if all_forms else 0.5

    n = len(pieces)
    inf = float("-inf")
    best = [[inf] * (count + 1) for _ in range(n + 1)]
    back = [[0] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for end in range(1, n + 1):
        for k in range(1, count + 1):
            for start in range(max(0, end - 5), end):
                if best[start][k - 1] == inf:
                    continue
                value = best[start][k - 1] + score(start, end)
                if value > best[end][k]:
                    best[end][k], back[end][k] = value, start
    names: list[str] = []
    end, k = n, count
    while k:
        start = back[end][k]
        names.append(group(start, end))
        end, k = start, k - 1
    return names[::-1]
