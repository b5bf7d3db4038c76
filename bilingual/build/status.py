"""Where a PO file stands for publishing: how many entries are reviewed, and the document's id.

Split from tree.py (which turns entries into the document's tree): ``--reviewed-only`` builds
and the TMX export ask these questions without building a tree.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BilingualError
from .tree import MT, REVIEWED, UNTRANSLATED, pieces


def review_counts(po) -> dict[str, int]:
    counts = {REVIEWED: 0, MT: 0, UNTRANSLATED: 0}
    for piece in pieces(po):
        counts[piece.state] += 1
    return counts


def ensure_reviewed(po, path: str | Path | None = None) -> None:
    """Raise :class:`BilingualError` unless every entry is reviewed."""
    counts = review_counts(po)
    pending = counts[MT] + counts[UNTRANSLATED]
    if not sum(counts.values()):  # a header alone would publish a title and nothing else
        raise BilingualError("refusing to build with --reviewed-only: the file has no entries", path)
    if pending:
        total = sum(counts.values())
        raise BilingualError(
            f"refusing to build with --reviewed-only: {pending} of {total} entries are not reviewed "
            f"({counts[MT]} fuzzy, {counts[UNTRANSLATED]} untranslated)", path)


def document_id(po) -> str:
    """The document's id from the PO header (``X-Bilingual-Document``), or ""."""
    return po.metadata.get("X-Bilingual-Document", "").strip()
