"""The English publication as CommonMark.

Reviewed entries are used as they are; unreviewed MT (fuzzy) is marked ``[MT]`` and
untranslated entries appear in Chinese, marked ``[ZH]``; a blockquote at the top
explains the markers. Every markup character of the text is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..render import ROLE_LABELS
from .layout import (
    Cell,
    Levels,
    has_title,
    legend_needed,
    notes_label,
    role_text,
    strip_label,
    table_grid,
    with_text,
)
from .status import document_id, ensure_reviewed
from .tree import (
    MT,
    ROLES,
    UNIT_KINDS,
    UNTRANSLATED,
    Node,
    Piece,
    document_tree,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _md_line_start(m: re.Match) -> str:
    indent, marker = m.group(1), m.group(2)
    if marker[0].isdigit():  # "2025. " would start an ordered list: escape the dot
        return indent + marker + "\\"
    return indent + "\\" + marker  # "# ", "> ", "- " … would start a heading, quote, list


def _md_escape(text: str) -> str:
    """Inline-safe CommonMark: every markup character backslash-escaped, whitespace collapsed."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_md_line_start, text)


def _md_piece(piece: Piece, label: str = "") -> str:
    text = piece.text
    if label:
        text = strip_label(text, label)
    text = _md_escape(text)
    if piece.state == MT:
        return f"{text} [MT]"
    if piece.state == UNTRANSLATED:
        return f"{text} [ZH]"
    return text


def _md_join(items: Iterable[Piece]) -> str:
    return " ".join(_md_piece(p) for p in items)


def _md_roles(node: Node) -> str:
    lines = []
    for role in ROLES:
        piece = node.roles.get(role)
        if piece is not None:
            lines.append(f"*{ROLE_LABELS[role]}:* {_md_piece(with_text(piece, role_text(piece, role)))}")
    return "\\\n".join(lines)


class _Markdown:
    def __init__(self, containers: list[Node]) -> None:
        self.containers = containers
        self.levels = Levels.of(containers)
        self.out: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self.out.append("#" * min(level, 6) + " " + text)

    def container(self, box: Node, first: bool) -> None:
        if box.kind == "attachment" and not first:
            self.out.append("---")
        base = self.levels.base[id(box)]
        notes = sum(len(c.pieces) for c in box.children if c.kind == "attachment-notes")
        for child in box.children:
            self.node(child, base, notes)

    def node(self, node: Node, base: int, notes: int = 0) -> None:
        kind = node.kind
        out = self.out
        if kind in ("issuers", "signatories"):
            out.append("\\\n".join(_md_piece(p) for p in node.pieces))
        elif kind == "masthead":
            out.append(f"**{_md_join(node.pieces)}**")
        elif kind == "title":
            self.heading(1, _md_join(node.pieces))
        elif kind == "attachment-title":
            self.heading(base, _md_join(node.pieces))
        elif kind == "attachment-label":
            out.append(f"**{_md_join(node.pieces)}**")
        elif kind == "attachment-notes":
            out.append("\\\n".join(f"{notes_label(notes, p)}: {_md_piece(p)}" for p in node.pieces))
        elif kind == "copy-to":
            out.append("*Copy to:* " + _md_join(node.pieces))
        elif kind in ("chapter", "division"):  # a division (第一节) one level below its chapter
            title = _md_piece(node.heading, node.label) if node.heading else ""
            self.heading(base + 1, f"{node.label} {title}".strip())
            for child in node.children:
                self.node(child, base + 1)
        elif kind == "section" and node.heading is not None:
            self.heading(base + 1, f"{node.label} {_md_piece(node.heading, node.label)}")
            for child in node.children:
                self.node(child, base + 1)
        elif kind in UNIT_KINDS:
            self.unit(node, base)
        elif kind == "table":
            out.append(_md_table(node))
        else:
            out.append(_md_join(node.pieces))

    def unit(self, node: Node, base: int) -> None:
        label = node.label
        paragraphs = [list(p) for p in node.text] or [[]]
        if node.kind == "measure":
            if node.heading is not None:
                lead = f"**{label} {_md_piece(node.heading, label)}**"
            elif paragraphs[0]:
                lead = f"**{label} {_md_piece(paragraphs[0].pop(0), label)}**"
            else:
                lead = f"**{label}**"
        elif node.kind in ("item", "sub"):
            lead = label
        else:  # article, prose section
            lead = f"**{label}**"
        first = paragraphs[0]
        if first and node.kind != "measure":
            first = [with_text(first[0], strip_label(first[0].text, label)), *first[1:]]
        self.out.append(" ".join(x for x in (lead, _md_join(first)) if x))
        self.out.extend(_md_join(para) for para in paragraphs[1:])
        for cell in node.cells.values():
            self.out.append(_md_piece(cell))
        for child in node.children:
            self.node(child, base)
        roles = _md_roles(node)
        if roles:
            self.out.append(roles)


def _md_cell(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return " ".join(x for x in (_md_escape(cell.prefix), _md_join(cell.pieces)) if x)


def _md_table(t: Node) -> str:
    cols, added, rows = table_grid(t)
    header = [_md_piece(t.head[c]) if c in t.head else _md_escape(added.get(c, "")) for c in cols]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
    for row in rows:
        if row.span is not None:
            cells = [f"**{_md_cell(row.span)}**"] + [""] * (len(cols) - 1)
        else:
            cells = [_md_cell(row.cells.get(c)) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build_markdown(po, *, reviewed_only: bool = False) -> str:
    """The English publication as CommonMark."""
    if reviewed_only:
        ensure_reviewed(po)
    containers = document_tree(po)
    renderer = _Markdown(containers)
    out = renderer.out
    has_mt, has_zh = legend_needed(containers)
    if has_mt or has_zh:
        notes = []
        if has_mt:
            notes.append("text marked [MT] is machine translation that has not been reviewed")
        if has_zh:
            notes.append("text marked [ZH] is the Chinese original, not yet translated")
        out.append("> **Draft:** " + "; ".join(notes) + ".")
    if not has_title(containers):
        out.append(f"# {_md_escape(document_id(po) or 'Document')}")
    for index, box in enumerate(containers):
        renderer.container(box, first=index == 0)
    return "\n\n".join(block for block in out if block) + "\n"

