"""Reviewed PO files → the English publication (md, html), a review page, a TMX memory.

One module per output, beside one shared document tree (the way Translate Toolkit
keeps one converter per file format):

* :mod:`.tree` — PO entries → the document's structure, rebuilt from the ``msgctxt``
  ids (containers, units, tables), each entry a :class:`Piece` with its review state;
* :mod:`.layout` — presentation rules both publications share (labels, role lines,
  heading levels, the grid of a table of measures);
* :mod:`.markdown` — CommonMark (``[MT]`` / ``[ZH]`` markers);
* :mod:`.html` — the English page; :mod:`.review` — the side-by-side review page;
  both rendered by Jinja2 templates (``templates/``, package data) that a
  publications team can restyle without touching Python (:mod:`.templating`);
* :mod:`.tmx` — a TMX 1.4b memory of the reviewed pairs (``tuid`` = ``<document>/<msgctxt>``).

Every builder is a pure function from a ``polib.POFile`` to text; only
:func:`build_file` touches the disk (through :func:`atomic_write_text`). Reviewed
entries are used as they are; unreviewed MT (fuzzy) is used with a visible marker
and untranslated entries appear in Chinese; ``reviewed_only=True`` refuses to build
while any entry is unreviewed. All HTML is escaped (text and attributes); pages are
standalone: inline CSS, no external resource.

Output files (without ``-o``) go next to the PO file, named after the document id
(``X-Bilingual-Document``, else the PO name without ``.en.po``): ``<doc>.en.md``,
``<doc>.en.html``, ``<doc>.zh-en.html`` (review page), ``<doc>.zh-en.tmx``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BilingualError
from ..fileio import atomic_write_text
from .html import build_html
from .markdown import build_markdown
from .review import build_bilingual_html, review_groups
from .status import document_id, ensure_reviewed, review_counts
from .tmx import build_tmx
from .tree import (
    MT,
    REVIEWED,
    UNTRANSLATED,
    Node,
    Piece,
    document_tree,
    pieces,
    roman,
    table_columns,
)

FORMATS = ("md", "html", "bilingual-html", "tmx")
SUFFIXES = {"md": ".en.md", "html": ".en.html", "bilingual-html": ".zh-en.html", "tmx": ".zh-en.tmx"}
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def build(po, fmt: str, *, reviewed_only: bool = False, glossary=None, templates: str | Path | None = None) -> str:
    """Dispatch to the builder of ``fmt`` (one of :data:`FORMATS`); ``templates`` overrides HTML templates."""
    if fmt == "md":
        return build_markdown(po, reviewed_only=reviewed_only)
    if fmt == "html":
        return build_html(po, reviewed_only=reviewed_only, templates=templates)
    if fmt == "bilingual-html":
        return build_bilingual_html(po, glossary, reviewed_only=reviewed_only, templates=templates)
    if fmt == "tmx":
        return build_tmx(po, reviewed_only=reviewed_only)
    raise BilingualError(f"unknown build format {fmt!r}; use one of {', '.join(FORMATS)}")


def default_output(po_path: str | Path, fmt: str, po=None) -> Path:
    """Where ``fmt`` goes without ``-o``: next to the PO, named after the document id."""
    po_path = Path(po_path)
    name = document_id(po) if po is not None else ""
    if not _SAFE_NAME.fullmatch(name or ""):
        name = po_path.name
        for suffix in (".po", ".en"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
    return po_path.with_name(name + SUFFIXES[fmt])


def build_file(po_path: str | Path, fmt: str, output: str | Path | None = None, *,
               reviewed_only: bool = False, glossary=None, templates: str | Path | None = None) -> Path:
    """Read a PO file, build ``fmt`` and write it atomically; returns the path written."""
    from ..check import load_po

    po = load_po(po_path)
    try:
        text = build(po, fmt, reviewed_only=reviewed_only, glossary=glossary, templates=templates)
    except BilingualError as exc:
        if exc.path is None:
            raise BilingualError(exc.message, po_path) from None
        raise
    target = Path(output) if output is not None else default_output(po_path, fmt, po)
    atomic_write_text(target, text)
    return target


__all__ = [
    "FORMATS", "MT", "REVIEWED", "SUFFIXES", "UNTRANSLATED", "Node", "Piece", "build", "build_bilingual_html",
    "build_file", "build_html", "build_markdown", "build_tmx", "default_output", "document_id", "document_tree",
    "ensure_reviewed", "pieces", "review_counts", "review_groups", "roman", "table_columns",
]
