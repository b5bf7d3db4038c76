"""The MT stream's progress bar: it counts segments, while the engine reports pieces.

Split from mtstream.py. A person watches segments (the summary's ``machine`` count, plus
the retry pass), but the engine translates pieces of many documents per call and an
engine that reports finished sub-batches (argos: ``engine.on_progress``) reports pieces.
:class:`SegmentProgress` keeps the bar's total and count; :class:`CallProgress` scales
one engine call's finished pieces to the segments that call finishes, so the bar moves
during a long call and reaches exactly its share when the call returns.
"""

from __future__ import annotations

from collections.abc import Callable


class SegmentProgress:
    """``on_progress(advance, total)`` over segments: the total grows as segments are sent to the
    engine (:meth:`grow`), the count as their English comes back (:meth:`advance`). Without a
    callback nothing is counted."""

    def __init__(self, on_progress: Callable[[int, int], None] | None):
        self.on_progress = on_progress
        self.total = self.shown = 0

    def grow(self, count: int) -> None:
        if count and self.on_progress is not None:
            self.total += count
            self.on_progress(0, self.total)

    def advance(self, count: int) -> None:
        if count and self.on_progress is not None:
            self.shown += count
            self.on_progress(count, self.total)


class CallProgress:
    """One engine call's share of the bar: its finished pieces scaled to the segments it finishes."""

    def __init__(self, progress: SegmentProgress, pieces: int, segments: int):
        self.progress, self.pieces, self.segments = progress, pieces, segments
        self.done = self.shown = 0

    def advance(self, pieces_done: int) -> None:
        self.done += pieces_done
        now = min(self.segments, self.done * self.segments // max(1, self.pieces))
        if now > self.shown:
            self.progress.advance(now - self.shown)
            self.shown = now

    def finish(self) -> None:
        self.progress.advance(self.segments - self.shown)
        self.shown = self.segments
