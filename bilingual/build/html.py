"""The English publication as a standalone, accessible HTML page.

Python walks nothing here: it hands the document tree (:mod:`.tree`) and a few
layout helpers (:mod:`.layout`) to the templates ``english.html`` and
``english-parts.html`` (one macro per kind of node), so the markup and the CSS
(``english.css``) can be restyled without touching code. Reviewed entries appear
as they are; unreviewed MT in ``<mark class="mt">`` and untranslated Chinese in
``<span class="untranslated">``, with a legend when either occurs.
"""

from __future__ import annotations

from pathlib import Path

from ..render import DATE_RE, ROLE_LABELS
from .layout import (
    Levels,
    has_title,
    legend_needed,
    notes_label,
    role_text,
    strip_label,
    table_grid,
    title_text,
    with_text,
)
from .status import document_id, ensure_reviewed
from .templating import render
from .tree import (
    IMPRINT_KINDS,
    LIST_KINDS,
    MASTHEAD_KINDS,
    ROLES,
    SIGNATURE_KINDS,
    UNIT_KINDS,
    UNTRANSLATED,
    Node,
    Piece,
    document_tree,
)

MT_TITLE = "machine translation, not reviewed"
ZH_TITLE = "not yet translated: Chinese source"


def html_id(key: str) -> str:
    """An element id from a structure key (``measure-15`` → ``measure-15``, ``a.b`` → ``a-b``)."""
    return key.replace(".", "-")


def iso_date(piece: Piece) -> str:
    """``YYYY-MM-DD`` of a Chinese date entry (for ``<time datetime>``), or ""."""
    m = DATE_RE.match(piece.zh)
    if not m:
        return ""
    year, month, day = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def runs(nodes: list[Node]) -> list[tuple[str, list[Node]]]:
    """Siblings in runs that share a wrapper: ``masthead`` ``signature`` ``imprint``, a list kind, or ""."""
    out: list[tuple[str, list[Node]]] = []
    for node in nodes:
        want = ("masthead" if node.kind in MASTHEAD_KINDS else
                "signature" if node.kind in SIGNATURE_KINDS else
                "imprint" if node.kind in IMPRINT_KINDS else
                node.kind if node.kind in LIST_KINDS else "")
        if out and out[-1][0] == want and want:
            out[-1][1].append(node)
        else:
            out.append((want, [node]))
    return out


def unit_view(node: Node) -> dict:
    """A unit's title (measures: its heading, else its first sentence), first paragraph and the rest.

    The numbering label a translator typed although the build adds it is dropped from
    the first sentence of an article, item or prose section.
    """
    paragraphs = [list(p) for p in node.text] or [[]]
    title = None
    if node.kind == "measure":
        title = node.heading if node.heading is not None else (paragraphs[0].pop(0) if paragraphs[0] else None)
    elif paragraphs[0]:
        head = paragraphs[0][0]
        if head.state != UNTRANSLATED:
            paragraphs[0][0] = with_text(head, strip_label(head.text, node.label))
    return {"title": title, "first": paragraphs[0], "rest": paragraphs[1:]}


def html_grid(t: Node) -> dict:
    """A table's header cells (pieces, or English names of added columns) and its rows, each
    either a caption ``span`` or the cells not covered by a category cell's rowspan."""
    cols, added, rows = table_grid(t)
    header = [t.head[c] if c in t.head else added.get(c, "") for c in cols] if (t.head or added) else []
    out = []
    covered: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for row in rows:
        if row.span is not None:
            out.append({"span": row.span, "cells": []})
            covered.clear()
            continue
        cells = []
        for c in cols:
            if covered.get(c, 0) > 0:
                covered[c] -= 1
                continue
            cell = row.cells.get(c)
            if cell is not None and cell.header:
                covered[c] = cell.rowspan - 1
            cells.append(cell)
        out.append({"span": None, "cells": cells})
    return {"width": len(cols), "header": header, "rows": out}


def helpers(containers: list[Node]) -> dict:
    """What the English templates may call: layout rules, labels and constants."""
    levels = Levels.of(containers)
    return {
        "MT_TITLE": MT_TITLE, "ZH_TITLE": ZH_TITLE, "ROLES": ROLES, "ROLE_LABELS": ROLE_LABELS,
        "UNIT_KINDS": UNIT_KINDS,
        "strip_label": strip_label, "notes_label": notes_label, "html_id": html_id, "iso_date": iso_date,
        "runs": runs, "unit_view": unit_view, "html_grid": html_grid,
        "role_piece": lambda node, role: with_text(node.roles[role], role_text(node.roles[role], role)),
        "base_level": lambda box: levels.base[id(box)],
        "notes_count": lambda box: sum(len(c.pieces) for c in box.children if c.kind == "attachment-notes"),
        "has_own_title": lambda box: any(c.kind in ("title", "attachment-title") for c in box.children),
    }


def build_html(po, *, reviewed_only: bool = False, templates: str | Path | None = None) -> str:
    """The English publication as a standalone, accessible HTML page."""
    if reviewed_only:
        ensure_reviewed(po)
    containers = document_tree(po)
    doc_id = document_id(po) or "document"
    has_mt, has_zh = legend_needed(containers)
    return render("english.html", templates, title=title_text(containers, doc_id), doc_id=doc_id,
                  containers=containers, has_mt=has_mt, has_zh=has_zh, has_title=has_title(containers),
                  **helpers(containers))
