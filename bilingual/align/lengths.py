"""Sentence alignment by a dynamic programme on lengths (Gale & Church 1993), with anchors.

Gale and Church observed that a sentence and its translation have correlated
lengths: the length of the translation is normally distributed around ``c``
times the source length, with a variance proportional to it. For zh→en we count
Chinese characters and English letters, digits and punctuation (no spaces), and
measure ``c`` on the document pair itself (official translations differ in
verbosity), with a standard deviation of about a quarter of the expected length
on a 40-character sentence — wider on short sentences, narrower on long ones.

A *bead* pairs 0–2 Chinese sentences with 0–2 English ones. The cost of a bead
is ``-log P(bead type) - log P(|δ|)`` where ``δ = (l_en - c·l_zh) / sqrt(l_zh·s²)``,
minus what its **anchors** say (:mod:`bilingual.align.anchors`: numbers, dates,
glossary terms, quoted titles found on both sides lower it; found on one side
only they raise it). The programme finds the sequence of beads of least total
cost. Bead types and their prior probabilities (Gale & Church's, with the
2–2 bead left out — in this genre it is two 1–1 beads — and a 1–3 bead added:
a long Chinese sentence of a notice is often three English ones):

=====  =========
1–1    0.89
1–0    0.005
0–1    0.005
2–1    0.04
1–2    0.045
1–3    0.01
=====  =========

**Confidence.** A bead is kept only when it is not a skip, its length cost is
not extreme (``|δ|`` below :data:`MAX_DELTA` unless anchors agree), its
anchors do not contradict each other (a number on each side that the other
lacks), and — for a bead of three or more sentences — it beats its best reading
as a smaller bead plus skipped sentences by :data:`MIN_MARGIN` (a sentence the translator added,
or one left untranslated, looks like half of such a bead: when the lengths
cannot tell, the pair is left out).
Everything else is reported as left out, never forced into the memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

BEAD_PRIORS: dict[tuple[int, int], float] = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.04,
                                             (1, 2): 0.045, (1, 3): 0.01}
#: A kept bead's length may be this many standard deviations off, unless anchors back it.
MAX_DELTA = 3.0
#: A 2–1, 1–2 or 1–3 bead is kept only when it beats reading it as a smaller bead plus skips by this much
#: (an English sentence the translator added looks like the second half of a 1–2 bead).
MIN_MARGIN = 2.5
#: Relative standard deviation of the English length on a 40-character Chinese sentence.
RELATIVE_SD_AT_40 = 0.25


@dataclass(frozen=True)
class Bead:
    """``zh[i:i+a]`` paired with ``en[j:j+b]``; ``cost`` is the bead's share of the total."""

    i: int
    a: int
    j: int
    b: int
    cost: float
    delta: float
    anchors: float  # anchor score (positive: agreement)
    conflict: bool
    margin: float = math.inf  # 2–1 / 1–2 beads: how much cheaper than a 1–1 bead plus a skip

    @property
    def kind(self) -> str:
        return f"{self.a}-{self.b}"

    @property
    def is_skip(self) -> bool:
        return self.a == 0 or self.b == 0


def text_length(text: str) -> int:
    """Characters that carry content: no whitespace."""
    return sum(1 for ch in text if not ch.isspace())


def _norm_sf(x: float) -> float:
    """Two-sided tail probability of the standard normal distribution."""
    return max(math.erfc(abs(x) / math.sqrt(2.0)), 1e-12)


@dataclass(frozen=True)
class LengthModel:
    """``ratio``: English length per Chinese character; ``variance``: s² of Gale & Church."""

    ratio: float
    variance: float

    @classmethod
    def fit(cls, zh_total: int, en_total: int, relative_sd: float = RELATIVE_SD_AT_40) -> LengthModel:
        ratio = en_total / zh_total if zh_total and en_total else 3.0
        ratio = min(max(ratio, 1.0), 8.0)
        # sd(40) = relative_sd · ratio · 40  and  sd(l)² = l · s²
        variance = (relative_sd * ratio * 40) ** 2 / 40
        return cls(ratio=ratio, variance=variance)

    def delta(self, zh_len: int, en_len: int) -> float:
        zh_len = max(zh_len, 1)
        return (en_len - self.ratio * zh_len) / math.sqrt(zh_len * self.variance)


AnchorScore = Callable[[str, str], tuple[float, bool]]


def align(zh: Sequence[str], en: Sequence[str], model: LengthModel, anchors: AnchorScore | None = None, *,
          joiner_zh: str = "", joiner_en: str = " ") -> list[Bead]:
    """The least-cost bead sequence covering both sentence lists."""
    n, m = len(zh), len(en)
    zl = [text_length(s) for s in zh]
    el = [text_length(s) for s in en]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[Bead | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            base = cost[i][j]
            if base == inf:
                continue
            for (a, b), prior in BEAD_PRIORS.items():
                if i + a > n or j + b > m:
                    continue
                bead = _bead(zh, en, zl, el, i, a, j, b, prior, model, anchors, joiner_zh, joiner_en)
                total = base + bead.cost
                if total < cost[i + a][j + b]:
                    cost[i + a][j + b] = total
                    back[i + a][j + b] = bead
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        bead = back[i][j]
        assert bead is not None
        beads.append(bead)
        i, j = bead.i, bead.j
    beads.reverse()
    return [_with_margin(bead, zh, en, zl, el, model, anchors, joiner_zh, joiner_en) for bead in beads]


def _with_margin(bead: Bead, zh, en, zl, el, model, anchors, joiner_zh, joiner_en) -> Bead:
    """A bead of three or more sentences against its best reading as a smaller bead plus skips."""
    if bead.a + bead.b < 3:
        return bead
    skip = -math.log(BEAD_PRIORS[(1, 0)])
    best = math.inf
    for (a, b), prior in BEAD_PRIORS.items():
        if not a or not b or (a, b) == (bead.a, bead.b) or a > bead.a or b > bead.b:
            continue
        for di in range(bead.a - a + 1):
            for dj in range(bead.b - b + 1):
                option = _bead(zh, en, zl, el, bead.i + di, a, bead.j + dj, b, prior, model, anchors, joiner_zh,
                               joiner_en)
                best = min(best, option.cost + skip * (bead.a + bead.b - a - b))
    return Bead(bead.i, bead.a, bead.j, bead.b, bead.cost, bead.delta, bead.anchors, bead.conflict,
                best - bead.cost)


def _bead(zh, en, zl, el, i, a, j, b, prior, model, anchors, joiner_zh, joiner_en) -> Bead:
    if a == 0 or b == 0:
        return Bead(i, a, j, b, -math.log(prior), 0.0, 0.0, False)
    zh_len = sum(zl[i:i + a])
    en_len = sum(el[j:j + b])
    delta = model.delta(zh_len, en_len)
    score, conflict = anchors(joiner_zh.join(zh[i:i + a]), joiner_en.join(en[j:j + b])) if anchors else (0.0, False)
    cost = -math.log(prior) - math.log(_norm_sf(delta)) - score
    return Bead(i, a, j, b, cost, delta, score, conflict)


def confident(bead: Bead) -> bool:
    """Kept in the memory: a real pair, plausible lengths (or anchors that vouch for it), no conflict."""
    if bead.is_skip or bead.conflict or bead.margin < MIN_MARGIN:
        return False
    return abs(bead.delta) <= MAX_DELTA or (bead.anchors >= 2.0 and abs(bead.delta) <= 2 * MAX_DELTA)
