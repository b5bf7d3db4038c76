"""A sentence cut into pieces the MT engine handles well, and the pieces' English joined again.

Split from mtstream.py, which queues, caches and batches the pieces: how a segment is
cut is a text rule of its own (pure functions of the text), and the cut is for the engine
only — the PO file keeps the whole sentence. A segment longer than :data:`MAX_ENGINE_CHARS`
(a length the model handles well) is cut at the best clause boundary (；, 。, ，, 、, a
space), never inside a placeholder, a number or the approved English written inline
(``keep`` spans); each piece is then cached and translated on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_ENGINE_CHARS = 120  # a piece the model handles well (≈ 100–150 SentencePiece tokens)
_CUT_POINTS = ("；", "。", "，", "、", " ")


def split_for_engine(text: str, limit: int = MAX_ENGINE_CHARS, keep: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` chars at the best clause boundary.

    ``"".join(pieces) == text``. Placeholders (ASCII runs) are never cut, nor the
    ``keep`` spans (the approved English written inline, which may contain spaces and
    commas): a piece grows past ``limit`` only when a kept span alone is longer.
    """
    if len(text) <= limit:
        return [text]
    inside = bytearray(len(text) + 1)  # inside[i]: cutting before index i would split a kept span
    for start, end in keep:
        inside[start + 1:end] = b"\1" * max(0, end - start - 1)
    pieces: list[str] = []
    rest, offset = text, 0
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for mark in _CUT_POINTS:
            cut = window.rfind(mark)
            while cut >= 0 and inside[offset + cut + 1]:
                cut = window.rfind(mark, 0, cut)
            if cut >= limit // 3:
                break
        if cut < limit // 3:
            cut = limit - 1
            while cut > 0 and rest[cut].isascii() and rest[cut].isalnum() and rest[cut + 1:cut + 2].isalnum():
                cut -= 1  # don't split a placeholder or a number
            while cut > 0 and inside[offset + cut + 1]:
                cut -= 1
            if cut <= 0:
                cut = limit - 1
                while inside[offset + cut + 1] and offset + cut + 1 < len(text):
                    cut += 1  # a kept span longer than the budget: the piece ends after it
        pieces.append(rest[:cut + 1])
        rest, offset = rest[cut + 1:], offset + cut + 1
    if rest:
        pieces.append(rest)
    return pieces


def join_english(pieces: Sequence[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p.strip() for p in pieces)).strip()

