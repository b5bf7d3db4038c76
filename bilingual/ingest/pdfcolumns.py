"""Two-column pages (government gazettes, 政府公报): read down the left column, then the right.

A gazette sets the document's head (the issuing office, the title, the number) across the page
and its text in two columns. Read row by row, as the PDF reader groups characters, each printed
row would join a line of the left column to a line of the right one (``各县 (区) 人民政府…
业共建实训基地…``). So before characters become lines, each page is checked for a **gutter**: a
vertical line near the middle of the page (30–70 % of its width) that a run of rows does not
cross while at least ``MIN_TWO_SIDED`` of them have text on both sides of it. Such a run — rows
of one size about a pitch apart, none crossing the gutter — is a **band**: its characters left of the gutter are
the left column's lines, those right of it the right column's, and the band is read left column
first. Rows that cross the gutter (a title, a masthead) and rows standing apart (a running header,
a page number) are read as they are, in their place; a band starts at its first row with text on
both sides, so a number printed on the right under a title stays before the text.

A single-column page has no band: its full lines cross the middle, and a signature block or a
short last line leaves text on one side only. A page of a two-column document with text in one
column only (the document ends in the left column) is told by the gutter of its other pages
(:func:`one_column_side`).
"""

from __future__ import annotations

import statistics

__all__ = ["MIN_TWO_SIDED", "read_order", "one_column_side"]

#: A band needs this many rows with text on both sides of the gutter.
MIN_TWO_SIDED = 5
#: Rows of a band are at most this many pitches apart.
BAND_GAP = 1.6
_STEP = 2.0  # points between the gutter positions tried


def _visible(chars: list[dict]) -> list[dict]:
    return [c for c in chars if not c["text"].isspace()]


def _intervals(chars: list[dict]) -> list[tuple[float, float]]:
    """The row's text as horizontal spans (characters less than an em apart are one span)."""
    spans: list[list[float]] = []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if spans and c["x0"] - spans[-1][1] < max(c["size"], 1.0):
            spans[-1][1] = max(spans[-1][1], c["x1"])
        else:
            spans.append([c["x0"], c["x1"]])
    return [(a, b) for a, b in spans]


class _Row:
    def __init__(self, chars: list[dict]) -> None:
        self.chars = chars
        visible = _visible(chars) or chars
        self.top = min(c["top"] for c in visible)
        self.size = statistics.median(c["size"] for c in visible)
        self.spans = _intervals(visible)

    def crosses(self, g: float) -> bool:
        return any(a < g - 0.5 and b > g + 0.5 for a, b in self.spans)

    def sides(self, g: float) -> tuple[bool, bool]:
        return any(b <= g for _, b in self.spans), any(a >= g for a, _ in self.spans)


def _goes_on(row: _Row, below: _Row, g: float, pitch: float) -> bool:
    """``below`` belongs to the band ``row`` is in: it does not cross the gutter, follows within
    ``BAND_GAP`` pitches, and is set in the same size (a running header in small print is no text)."""
    return (not below.crosses(g) and below.top - row.top <= BAND_GAP * pitch
            and abs(below.size - row.size) <= 0.15 * max(row.size, 1.0))  # fmt: skip


def _bands(rows: list[_Row], g: float, pitch: float) -> list[tuple[int, int, int]]:
    """``(start, end, two-sided rows)`` of the bands at gutter ``g`` (``end`` exclusive)."""
    bands = []
    k = 0
    while k < len(rows):
        if rows[k].crosses(g):
            k += 1
            continue
        end = k + 1
        while end < len(rows) and _goes_on(rows[end - 1], rows[end], g, pitch):
            end += 1
        two = [j for j in range(k, end) if all(rows[j].sides(g))]
        if len(two) >= MIN_TWO_SIDED:
            bands.append((two[0], end, len(two)))
        k = end
    return bands


def read_order(rows: list[list[dict]], width: float) -> tuple[list[tuple[int, list[dict]]], float | None]:
    """The page's lines in reading order as ``(column, characters)`` — column 0 a row read across
    the page, 1 and 2 the left and right column of a band — and the gutter (None: one column).

    ``rows`` are the page's characters grouped into rows, top to bottom."""
    parsed = [_Row(row) for row in rows]
    tops = [r.top for r in parsed]
    sizes = [c["size"] for r in parsed for c in _visible(r.chars)]
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False) if 0 < b - a < 3 * statistics.median(sizes or [10])]
    pitch = statistics.median(steps) if steps else 2 * statistics.median(sizes or [10])
    scored: dict[float, int] = {}
    g = 0.3 * width
    while g <= 0.7 * width:
        scored[g] = sum(n for _, _, n in _bands(parsed, g, pitch))
        g += _STEP
    best = max(scored.values())
    if not best:
        return [(0, row) for row in rows], None
    gutter = statistics.median([g for g, score in scored.items() if score == best])
    out: list[tuple[int, list[dict]]] = []
    k = 0
    for start, end, _ in _bands(parsed, gutter, pitch):
        out += [(0, row) for row in rows[k:start]]
        for column, left in ((1, True), (2, False)):
            for row in rows[start:end]:
                side = [c for c in row if ((c["x0"] + c["x1"]) / 2 < gutter) == left]
                if _visible(side):
                    out.append((column, side))
        k = end
    out += [(0, row) for row in rows[k:]]
    return out, gutter


def one_column_side(spans: list[tuple[float, float]], gutter: float) -> int:
    """For a page without a band in a two-column document: 1 when all its lines (``(x0, x1)``) lie
    left of the gutter (the text ends in the left column), else 0 (the page is read across)."""
    return 1 if spans and all(x1 <= gutter for _, x1 in spans) else 0
