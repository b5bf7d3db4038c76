"""Reviewed PO files → the English publication (md, html), a review page, a TMX memory.

Every builder is a pure function from a ``polib.POFile`` to text; only
:func:`build_file` touches the disk (through :func:`atomic_write_text`).

* ``md`` / ``html`` — the English document with its structure rebuilt from the
  ``msgctxt`` ids (:func:`document_tree`; every key :mod:`bilingual.structure` emits,
  in document order): masthead issuers, "Document", document number, title,
  addressee, body paragraphs (sentences sharing a ``#:`` line number form one
  paragraph), the attachment list, signatories, date, disclosure note, copy-to and
  imprint lines; per attachment its label, title and preamble; chapters and sections
  as headings, sections written as prose as numbered paragraphs, measures,
  articles, items and sub-items as (nested) numbered units with their
  "Lead agencies", "Partner agencies" and "Deadline" lines; tables as tables. The
  English numbering is :func:`bilingual.structure.key_label` of the key (``I.``,
  ``(1)``, ``(a)``, ``(i)``, ``Chapter 1``, ``Article 1``, ``Attachment 1``).
  Reviewed entries are used as they are; unreviewed MT (fuzzy) is used with a
  visible marker (md ``[MT]``, html ``<mark class="mt">``) and untranslated entries
  appear in Chinese, marked ``[ZH]``; a legend at the top explains the markers.
  ``reviewed_only=True`` refuses to build while any entry is unreviewed.
* ``bilingual-html`` — the side-by-side review page: one table row per entry,
  Chinese left and English right, a ``<tbody>`` per measure, article, section,
  table … (a measure's items, unlabelled paragraphs and roles are in its group),
  headed by its lead agencies, fuzzy/untranslated rows marked, glossary terms
  highlighted in both columns, missing approved terms listed.
* ``tmx`` — a TMX 1.4b memory of the REVIEWED pairs only (``tuid`` = msgctxt).

Heading levels: the notice title is ``h1``; an attachment title ``h2`` (``h1`` when
the document has no notice title and it is the first title); inside a notice or
attachment, chapters are one level below its title and sections one level below
that (or below the title when there are no chapters). A document without any
title gets an ``h1`` with the document id.

Tables: ``table-T.head.cC`` / ``table-T.rR.cC`` cells are a grid (``<table>`` in
html, a pipe table in md). A *table of measures* (structure gives each row
``measure-N`` keys: ``.title``, sentences, ``.agencies``, ``.partners``,
``.deadline``, ``.cC``, and category rows ``section-N.title``) is rebuilt as the
same table: the columns are recovered from the header cells with the structure
stage's column roles, the number column shows the measure's label ``(N)``, a
category column shows the section (``I. …``; html ``rowspan``), a caption row
spans the table. Entries belong to the table while they follow on the next source
line (``#:``) — table rows are consecutive lines — so a list of measures after a
table is not swallowed by it.

Unlabelled paragraphs (``paragraph-N``) belong to the innermost open unit (a
measure, item, article or prose section) — structure keys them apart but places
them there — else they are paragraphs of the section, chapter or document.

All HTML is escaped with :func:`html.escape` (text and attributes); term marks
are inserted by offsets computed on the raw text, never by regex over escaped
HTML. Pages are standalone: inline CSS, no script, no external resource.

Output files (without ``-o``) go next to the PO file, named after the
document id (``X-Bilingual-Document``, else the PO name without ``.en.po``):
``<doc>.en.md``, ``<doc>.en.html``, ``<doc>.zh-en.html`` (review page),
``<doc>.zh-en.tmx``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .check import active_entries, english_pattern, is_reviewed, missing_terms
from .errors import BilingualError
from .fileio import atomic_write_text
from .render import DATE_RE, ROLE_LABELS
from .structure import english_label, key_label

FORMATS = ("md", "html", "bilingual-html", "tmx")
SUFFIXES = {"md": ".en.md", "html": ".en.html", "bilingual-html": ".zh-en.html", "tmx": ".zh-en.tmx"}
REVIEWED, MT, UNTRANSLATED = "reviewed", "mt", "untranslated"
MT_TITLE = "machine translation, not reviewed"
ZH_TITLE = "not yet translated: Chinese source"

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# msgctxt grammar (bilingual/structure.py, bilingual/segment.py)
# a measure where numbering restarts is named by its section: section-2.measure-1 (structure/ids.py)
_UNIT_KEY = r"(?:(?:section-\d+\.)?measure|chapter|section|article)-\d+(?:\.(?:item|sub)-\d+)*"
_CTX_UNIT = re.compile(rf"^(?P<unit>{_UNIT_KEY})\.(?P<part>title|s\d+|agencies|partners|deadline|c\d+)$")
_CTX_TABLE = re.compile(r"^table-(?P<table>\d+)\.(?:head|r(?P<row>\d+))\.c(?P<col>\d+)$")
_CTX_PARAGRAPH = re.compile(r"^paragraph-\d+\.s\d+$")
_CTX_NOTICE = re.compile(
    r"^notice\.(?:(?P<many>issuer|signatory|attachment|title)-\d+"
    r"|(?P<one>masthead|doc-number|title|addressee|date|disclosure|contact|copy-to|printed)|(?P<body>s\d+))$")
_CTX_ATTACHMENT = re.compile(
    r"^(?:(?P<prefix>attachment(?:-\d+)?)\.(?:(?P<one>label|title|date|disclosure)|(?P<preamble>preamble)\.s\d+"
    r"|(?P<signatory>signatory)-\d+)|(?P<first>preamble)\.s\d+)$")

_NOTICE_KINDS = {"issuer": "issuers", "signatory": "signatories", "attachment": "attachment-notes",
                 "title": "title"}
_MASTHEAD_KINDS = ("issuers", "masthead", "doc-number")
_SIGNATURE_KINDS = ("signatories", "date")
_IMPRINT_KINDS = ("copy-to", "printed")  # 版记: the document's last lines
_JOINED_KINDS = ("issuers", "signatories", "attachment-notes", "title")  # one part for consecutive entries
_PARAGRAPH_KINDS = ("body", "preamble", "paragraph")  # one paragraph per source line
_UNIT_KINDS = ("chapter", "section", "measure", "article", "item", "sub")
_LIST_KINDS = ("measure", "article", "item", "sub")
_ROLES = ("agencies", "partners", "deadline")


def roman(number: int) -> str:
    """1 → I, 4 → IV (the section numbering of :func:`bilingual.structure.english_label`)."""
    return english_label("section", number)[:-1]


# --------------------------------------------------------------------------- the document model


@dataclass(frozen=True)
class Piece:
    """One entry as the builds see it: the text to show and its review state."""

    ctx: str
    zh: str
    en: str
    state: str
    line: int

    @property
    def text(self) -> str:
        return self.zh if self.state == UNTRANSLATED else self.en


@dataclass(eq=False)
class Node:
    """A part of the document tree.

    ``kind`` is a container (``notice``, ``attachment``, ``text``), a leaf (``issuers``
    ``masthead`` ``doc-number`` ``title`` ``addressee`` ``body`` ``attachment-notes``
    ``signatories`` ``date`` ``disclosure`` ``copy-to`` ``printed`` ``attachment-label``
    ``attachment-title`` ``preamble`` ``paragraph`` ``other``: its ``pieces``), a unit
    (``chapter`` ``section`` ``measure`` ``article`` ``item`` ``sub``) or a ``table``.
    A unit has its English ``label``, an optional ``heading`` (chapter and section
    titles, a table's task-name cell), its sentences grouped by source line in
    ``text``, its ``roles`` (agencies, partners, deadline), its other table ``cells``
    and its ``children`` in document order.
    """

    kind: str
    key: str = ""
    label: str = ""
    pieces: list[Piece] = field(default_factory=list)
    heading: Piece | None = None
    text: list[list[Piece]] = field(default_factory=list)
    roles: dict[str, Piece] = field(default_factory=dict)
    cells: dict[int, Piece] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    # tables
    head: dict[int, Piece] = field(default_factory=dict)
    rows: list[Node] = field(default_factory=list)  # measure / section units, or ``row`` nodes
    last_line: int = 0
    columns: dict[int, str] | None = None  # column → role, for a table of measures

    def all_pieces(self) -> list[Piece]:
        """Every piece of the node and its descendants (any order)."""
        out = list(self.pieces) + list(self.head.values())
        if self.heading is not None:
            out.append(self.heading)
        out += [p for para in self.text for p in para]
        out += list(self.roles.values()) + list(self.cells.values())
        for child in [*self.children, *self.rows]:
            out += child.all_pieces()
        return out

    @property
    def is_measure_table(self) -> bool:
        return self.kind == "table" and bool(self.columns)


def _piece(entry) -> Piece:
    state = REVIEWED if is_reviewed(entry) else (MT if entry.msgstr else UNTRANSLATED)
    line = 0
    if entry.occurrences:
        try:
            line = int(entry.occurrences[0][1])
        except (TypeError, ValueError):
            line = 0
    return Piece(entry.msgctxt or "", entry.msgid, entry.msgstr, state, line)


def pieces(po) -> list[Piece]:
    return [_piece(e) for e in active_entries(po)]


def _unit_kind(key: str) -> str:
    return key.rsplit(".", 1)[-1].split("-", 1)[0]


def _parent_key(key: str) -> str:
    return key.rsplit(".", 1)[0] if "." in key else ""


def table_columns(head: dict[int, str]) -> dict[int, str]:
    """Column → role (``number`` ``category`` ``title`` ``measure`` ``lead`` ``partners`` ``deadline``)
    of a table header (``{column: zh text}``), as the structure stage reads it; ``{}`` unless the
    header makes a table of measures."""
    from .structure import _Parser  # the stage's own reading of header cells (see the report)

    roles: dict[int, str] = {}
    for column in sorted(head):
        role = _Parser._column_role(head[column])
        if role and role not in roles.values():
            roles[column] = role
    if "measure" not in roles.values() and "title" in roles.values():
        roles = {c: ("measure" if r == "title" else r) for c, r in roles.items()}
    if "measure" not in roles.values() or not set(roles.values()) - {"measure", "title", "category"}:
        return {}
    return roles


class _Tree:
    """Builds the document tree from the pieces, in order (see :func:`document_tree`)."""

    def __init__(self) -> None:
        self.containers: list[Node] = []
        self.container: Node | None = None
        self.stack: list[Node] = []  # open units of the current container, outermost first
        self.units: dict[str, Node] = {}
        self.table: Node | None = None

    # ------------------------------------------------------------------ containers and leaves

    def enter(self, kind: str, key: str = "") -> Node:
        self.container = Node(kind, key=key or kind)
        self.containers.append(self.container)
        self.stack = []
        self.table = None
        return self.container

    def current(self) -> Node:
        return self.container if self.container is not None else self.enter("text")

    def leaf(self, kind: str, piece: Piece, *, container: str = "") -> None:
        if container and (self.container is None or self.container.key != container):
            self.enter("notice" if container == "notice" else "attachment", container)
        parent = self.current()
        if kind == "paragraph":
            self.paragraph(piece)
            return
        self.stack = []
        self.table = None
        last = parent.children[-1] if parent.children else None
        if last is not None and last.kind == kind and (
            kind in _JOINED_KINDS or (kind in _PARAGRAPH_KINDS and last.pieces[-1].line == piece.line)
        ):
            last.pieces.append(piece)
        else:
            parent.children.append(Node(kind, pieces=[piece]))

    def paragraph(self, piece: Piece) -> None:
        """An unlabelled paragraph: text of the innermost open unit, else a paragraph where we are."""
        self.table = None
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind != "chapter" and not (top.kind == "section" and top.heading):
            if top.text and not top.children and top.text[-1][-1].line == piece.line:
                top.text[-1].append(piece)
            elif top.children and top.children[-1].kind == "paragraph" and \
                    top.children[-1].pieces[-1].line == piece.line:
                top.children[-1].pieces.append(piece)
            else:
                top.children.append(Node("paragraph", pieces=[piece]))
            return
        parent = top if top is not None else self.current()
        last = parent.children[-1] if parent.children else None
        if last is not None and last.kind == "paragraph" and last.pieces[-1].line == piece.line:
            last.pieces.append(piece)
        else:
            parent.children.append(Node("paragraph", pieces=[piece]))

    # ------------------------------------------------------------------ units

    def open(self, key: str) -> Node:
        """The unit ``key``, made the innermost open unit (created and placed when new)."""
        node = self.units.get(key)
        if node is not None and node in self.stack:
            del self.stack[self.stack.index(node) + 1:]
            return node
        kind = _unit_kind(key)
        if kind in ("item", "sub"):
            parent = self.open(_parent_key(key))
        else:
            keep = {"chapter": (), "section": ("chapter",)}.get(kind, ("chapter", "section"))
            while self.stack and self.stack[-1].kind not in keep:
                self.stack.pop()
            parent = self.stack[-1] if self.stack else self.current()
        if node is None:
            node = self.units[key] = Node(kind, key=key, label=key_label(key))
            parent.children.append(node)
        self.stack.append(node)
        return node

    def unit(self, unit: str, part: str, piece: Piece) -> None:
        if self.table is not None and self.in_table(unit, part, piece):
            self.table_unit(unit, part, piece)
            return
        self.table = None
        node = self.open(unit)
        self.fill(node, part, piece)

    @staticmethod
    def fill(node: Node, part: str, piece: Piece) -> None:
        if part == "title":
            if node.heading is None:
                node.heading = piece
            else:  # a second title: keep it, as text
                node.text.append([piece])
        elif part in _ROLES:
            if part in node.roles:
                node.children.append(Node("paragraph", pieces=[piece]))
            else:
                node.roles[part] = piece
        elif part.startswith("c"):
            node.cells[int(part[1:])] = piece
        elif node.children:  # text after the unit's children: keep the order
            node.children.append(Node("paragraph", pieces=[piece]))
        elif node.text and node.text[-1][-1].line == piece.line:
            node.text[-1].append(piece)
        else:
            node.text.append([piece])

    # ------------------------------------------------------------------ tables

    def table_cell(self, table: int, row: int | None, col: int, piece: Piece) -> None:
        t = self.table
        if t is None or t.key != f"table-{table}":
            parent = self.stack[-1] if self.stack else self.current()
            t = self.table = Node("table", key=f"table-{table}", label=f"Table {table}")
            parent.children.append(t)
        if row is None:
            t.head[col] = piece
        else:
            key = f"r{row}"
            current = next((r for r in t.rows if r.kind == "row" and r.key == key), None)
            if current is None:
                current = Node("row", key=key)
                t.rows.append(current)
            current.cells[col] = piece
        t.last_line = max(t.last_line, piece.line)

    def in_table(self, unit: str, part: str, piece: Piece) -> bool:
        t = self.table
        if t.columns is None:
            t.columns = table_columns({c: p.zh for c, p in t.head.items()})
        if not t.columns:
            return False
        node = self.units.get(unit)
        if node is not None:
            return node in t.rows
        kind = _unit_kind(unit)
        if "." in unit or kind not in ("measure", "section") or (kind == "section" and part != "title"):
            return False
        return piece.line <= t.last_line + 1

    def table_unit(self, unit: str, part: str, piece: Piece) -> None:
        t = self.table
        node = self.units.get(unit)
        if node is None:
            node = self.units[unit] = Node(_unit_kind(unit), key=unit, label=key_label(unit))
            t.rows.append(node)
            if len([r for r in t.rows if r.kind == "measure"]) == 1 and node.kind == "measure":
                self.settle_table(t)
        self.fill(node, part, piece)
        t.last_line = max(t.last_line, piece.line)

    def settle_table(self, t: Node) -> None:
        """A table of measures closes the open measures: it belongs to the section or chapter."""
        parent = self.stack[-1] if self.stack else None
        if parent is None or parent.kind in ("chapter", "section"):
            return
        parent.children.remove(t)
        while self.stack and self.stack[-1].kind not in ("chapter", "section"):
            self.stack.pop()
        (self.stack[-1] if self.stack else self.current()).children.append(t)

    # ------------------------------------------------------------------ dispatch

    def add(self, piece: Piece) -> None:
        ctx = piece.ctx
        m = _CTX_UNIT.match(ctx)
        if m:
            self.unit(m["unit"], m["part"], piece)
            return
        m = _CTX_TABLE.match(ctx)
        if m:
            self.table_cell(int(m["table"]), int(m["row"]) if m["row"] else None, int(m["col"]), piece)
            return
        if _CTX_PARAGRAPH.match(ctx):
            self.leaf("paragraph", piece)
            return
        m = _CTX_NOTICE.match(ctx)
        if m:
            kind = _NOTICE_KINDS[m["many"]] if m["many"] else (m["one"] or "body")
            self.leaf(kind, piece, container="notice" if self.container is None else "")
            return
        m = _CTX_ATTACHMENT.match(ctx)
        if m:
            prefix = m["prefix"] or "attachment"
            if m["signatory"] or m["one"] in ("date", "disclosure"):
                self.leaf("signatories" if m["signatory"] else m["one"], piece)
            else:
                kind = "preamble" if (m["preamble"] or m["first"]) else f"attachment-{m['one']}"
                self.leaf(kind, piece, container=prefix)
            return
        self.leaf("other", piece)


def document_tree(po) -> list[Node]:
    """The document's structure, rebuilt from the active entries in file order: its containers."""
    tree = _Tree()
    for piece in pieces(po):
        tree.add(piece)
    return tree.containers


def review_counts(po) -> dict[str, int]:
    counts = {REVIEWED: 0, MT: 0, UNTRANSLATED: 0}
    for piece in pieces(po):
        counts[piece.state] += 1
    return counts


def ensure_reviewed(po, path: str | Path | None = None) -> None:
    """Raise :class:`BilingualError` unless every entry is reviewed."""
    counts = review_counts(po)
    pending = counts[MT] + counts[UNTRANSLATED]
    if pending:
        total = sum(counts.values())
        raise BilingualError(
            f"refusing to build with --reviewed-only: {pending} of {total} entries are not reviewed "
            f"({counts[MT]} fuzzy, {counts[UNTRANSLATED]} untranslated)", path)


def _document_id(po) -> str:
    return po.metadata.get("X-Bilingual-Document", "").strip()


def _strip_label(text: str, label: str) -> str:
    """Drop a numbering label the translator typed although the build adds it."""
    return text[len(label):].lstrip() if text.startswith(label + " ") else text


def _role_text(piece: Piece, role: str) -> str:
    """A role line's names or deadline, without the brackets or role label the entry may carry."""
    text = piece.text.strip()
    if piece.state == UNTRANSLATED:
        return text
    label = ROLE_LABELS[role] + ":"
    if text[:1] == "(" and text[-1:] == ")" and text[1:].lower().startswith(label.lower()):
        text = text[1:-1].strip()
    if text.lower().startswith(label.lower()):
        text = text[len(label):].strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _with_text(piece: Piece, text: str) -> Piece:
    return Piece(piece.ctx, text, text, piece.state, piece.line)


def _notes_label(count: int, piece: Piece) -> str:
    """``Attachment`` for a notice's only attachment, ``Attachment K`` for one of several."""
    return "Attachment" if count == 1 else key_label(piece.ctx)


@dataclass
class _Levels:
    """Heading levels, per container (see the module docstring)."""

    title: int = 1
    base: dict[int, int] = field(default_factory=dict)  # id(container) → its title's level

    @classmethod
    def of(cls, containers: list[Node]) -> _Levels:
        levels = cls()
        notice_title = any(c.kind == "title" for box in containers for c in box.children)
        seen_title = notice_title
        for box in containers:
            level = 1
            if box.kind == "attachment" and any(c.kind == "attachment-title" for c in box.children):
                level = 2 if seen_title else 1
                seen_title = True
            levels.base[id(box)] = level
        return levels


def _has_title(containers: list[Node]) -> bool:
    return any(c.kind in ("title", "attachment-title") for box in containers for c in box.children)


def _legend_needed(containers: list[Node]) -> tuple[bool, bool]:
    states = {p.state for box in containers for p in box.all_pieces()}
    return MT in states, UNTRANSLATED in states


# --------------------------------------------------------------------------- markdown

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
        text = _strip_label(text, label)
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
    for role in _ROLES:
        piece = node.roles.get(role)
        if piece is not None:
            lines.append(f"*{ROLE_LABELS[role]}:* {_md_piece(_with_text(piece, _role_text(piece, role)))}")
    return "\\\n".join(lines)


class _Markdown:
    def __init__(self, containers: list[Node]) -> None:
        self.containers = containers
        self.levels = _Levels.of(containers)
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
            out.append("\\\n".join(f"{_notes_label(notes, p)}: {_md_piece(p)}" for p in node.pieces))
        elif kind == "copy-to":
            out.append("*Copy to:* " + _md_join(node.pieces))
        elif kind == "chapter":
            title = _md_piece(node.heading, node.label) if node.heading else ""
            self.heading(base + 1, f"{node.label} {title}".strip())
            for child in node.children:
                self.node(child, base + 1)
        elif kind == "section" and node.heading is not None:
            self.heading(base + 1, f"{node.label} {_md_piece(node.heading, node.label)}")
            for child in node.children:
                self.node(child, base + 1)
        elif kind in _UNIT_KINDS:
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
            first = [_with_text(first[0], _strip_label(first[0].text, label)), *first[1:]]
        self.out.append(" ".join(x for x in (lead, _md_join(first)) if x))
        self.out.extend(_md_join(para) for para in paragraphs[1:])
        for cell in node.cells.values():
            self.out.append(_md_piece(cell))
        for child in node.children:
            self.node(child, base)
        roles = _md_roles(node)
        if roles:
            self.out.append(roles)


@dataclass
class _Cell:
    pieces: list[Piece]
    prefix: str = ""  # an English label shown before the text: (3), I.
    rowspan: int = 1  # a category cell spanning its section's rows (html)
    header: bool = False  # a category cell: the rows' header (html ``th scope="rowgroup"``)


@dataclass
class _Row:
    cells: dict[int, _Cell] = field(default_factory=dict)
    span: _Cell | None = None  # a caption row across the table (a section of a table of measures)


def _table_grid(t: Node) -> tuple[list[int], dict[int, str], list[_Row]]:
    """Columns, English headers of added columns, and rows of a table, for both builders.

    A table of measures is laid out by its columns' roles: the number column shows
    the measure's label, the category column the section (on the first row of the
    section, spanning its rows), the title / measure / lead / partners / deadline
    columns the measure's parts, other columns its ``cC`` cells. A part whose column
    cannot be found gets a column of its own at the end (with an English header).
    """
    columns = t.columns or {}
    by_role = {role: c for c, role in columns.items()}
    added: dict[str, int] = {}
    width = max([*t.head, *(c for r in t.rows for c in r.cells), *columns, 0])

    def column(role: str) -> int:
        nonlocal width
        if role in by_role:
            return by_role[role]
        if role not in added:
            width += 1
            added[role] = width
        return added[role]

    rows: list[_Row] = []
    category: _Cell | None = None  # the open category cell
    pending: Node | None = None  # a category section waiting for its first measure row
    for index, r in enumerate(t.rows):
        if r.kind == "row":
            rows.append(_Row({c: _Cell([p]) for c, p in r.cells.items()}))
            category = None
            continue
        if r.kind == "section":
            following = t.rows[index + 1] if index + 1 < len(t.rows) else None
            same_line = (following is not None and following.kind == "measure" and r.heading is not None
                         and any(p.line == r.heading.line for p in following.all_pieces()))
            category = None
            if "category" in by_role and same_line:
                pending = r
            else:
                rows.append(_Row(span=_Cell([r.heading] if r.heading else [], r.label)))
            continue
        row = _Row()
        labelled = "number" in by_role
        if labelled:
            row.cells[by_role["number"]] = _Cell([], r.label)
        if pending is not None:
            category = row.cells[by_role["category"]] = _Cell(
                [pending.heading] if pending.heading else [], pending.label, header=True)
            pending = None
        elif category is not None:
            category.rowspan += 1
        for role, items in (("title", [r.heading] if r.heading else []),
                            ("measure", [p for para in r.text for p in para])):
            if items:
                row.cells[column(role)] = _Cell(items, "" if labelled else r.label)
                labelled = True
        for role, name in (("agencies", "lead"), ("partners", "partners"), ("deadline", "deadline")):
            piece = r.roles.get(role)
            if piece is not None:
                row.cells[column(name)] = _Cell([_with_text(piece, _role_text(piece, role))])
        for c, piece in r.cells.items():
            row.cells[c] = _Cell([piece])
        extra = [p for child in r.children for p in child.pieces]  # a second title or role
        if extra or not labelled:
            cell = row.cells.setdefault(column("measure"), _Cell([], "" if labelled else r.label))
            cell.pieces.extend(extra)
        rows.append(row)
    if pending is not None:
        rows.append(_Row(span=_Cell([pending.heading] if pending.heading else [], pending.label)))
    names = {"lead": ROLE_LABELS["agencies"], "partners": ROLE_LABELS["partners"],
             "deadline": ROLE_LABELS["deadline"], "title": "Task", "measure": "Measure"}
    return list(range(1, width + 1)), {c: names[role] for role, c in added.items()}, rows


def _md_cell(cell: _Cell | None) -> str:
    if cell is None:
        return ""
    return " ".join(x for x in (_md_escape(cell.prefix), _md_join(cell.pieces)) if x)


def _md_table(t: Node) -> str:
    cols, added, rows = _table_grid(t)
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
    has_mt, has_zh = _legend_needed(containers)
    if has_mt or has_zh:
        notes = []
        if has_mt:
            notes.append("text marked [MT] is machine translation that has not been reviewed")
        if has_zh:
            notes.append("text marked [ZH] is the Chinese original, not yet translated")
        out.append("> **Draft:** " + "; ".join(notes) + ".")
    if not _has_title(containers):
        out.append(f"# {_md_escape(_document_id(po) or 'Document')}")
    for index, box in enumerate(containers):
        renderer.container(box, first=index == 0)
    return "\n\n".join(block for block in out if block) + "\n"


# --------------------------------------------------------------------------- html

def esc(text: str) -> str:
    return html.escape(text, quote=True)


_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1b1b1b; font: 1rem/1.6 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main, .colophon { max-width: 48rem; margin: 0 auto; padding: 1rem 1.25rem; }
.skip-link { position: absolute; left: -999px; top: 0; background: #1b1b1b; color: #ffffff;
  padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: 0; }
a { color: #0b4fb3; }
h1 { font-size: 1.6rem; line-height: 1.3; } h2 { font-size: 1.35rem; } h3 { font-size: 1.15rem; }
h4, h5, h6 { font-size: 1rem; }
.masthead { text-align: center; border-bottom: 3px solid #a4161a; margin-bottom: 1.5rem; }
.masthead .issuers { color: #a4161a; font-weight: 600; margin: 0; }
.masthead .document { color: #a4161a; font-size: 1.3rem; font-weight: 700; letter-spacing: .3em; margin: .25rem 0; }
.doc-number { text-align: center; }
.signature { text-align: right; margin-top: 2rem; }
.signature p { margin: 0; }
.disclosure { color: #4a4a4a; }
.imprint { border-top: 1px solid #c8c8c8; margin-top: 2rem; font-size: .9rem; }
.attachment { border-top: 1px solid #c8c8c8; margin-top: 2.5rem; }
.attachment-label { font-weight: 700; }
ol.measures, ol.articles, ol.items, ol.subs { list-style: none; padding: 0; }
ol.items, ol.subs { padding-left: 1.5rem; }
ol.measures > li, ol.articles > li { margin: 0 0 1.25rem; }
.article > p:first-child .num, .section.prose > p:first-child .num { font-weight: 700; }
.agencies, .partners, .deadline { color: #3a3a3a; margin: .25rem 0 0; }
.agencies .label, .partners .label, .deadline .label, .copy-to .label { font-weight: 600; }
table.data { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .9rem; }
table.data th, table.data td { border: 1px solid #c8c8c8; padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
table.data thead th { background: #f4f4f4; }
mark.mt { background: #fff1b8; color: #1b1b1b; border-bottom: 2px dotted #8a6100; }
.untranslated { background: #fde2e1; color: #1b1b1b; }
.tag { font-size: .75em; font-weight: 700; color: #7a1612; margin-right: .25em; }
.legend { background: #f4f4f4; border-left: 4px solid #8a6100; padding: .5rem .75rem; }
.colophon { color: #4a4a4a; font-size: .875rem; border-top: 1px solid #c8c8c8; }
"""


def _html_piece(piece: Piece, label: str = "") -> str:
    text = piece.text
    if label:
        text = _strip_label(text, label)
    if piece.state == MT:
        return f'<mark class="mt" title="{esc(MT_TITLE)}">{esc(text)}</mark>'
    if piece.state == UNTRANSLATED:
        return (f'<span class="untranslated" title="{esc(ZH_TITLE)}"><span class="tag">[ZH]</span>'
                f'<span lang="zh">{esc(text)}</span></span>')
    return esc(text)


def _html_join(items: Iterable[Piece]) -> str:
    return " ".join(_html_piece(p) for p in items)


def _html_roles(node: Node) -> list[str]:
    out = []
    for role in _ROLES:
        piece = node.roles.get(role)
        if piece is not None:
            text = _html_piece(_with_text(piece, _role_text(piece, role)))
            out.append(f'<p class="{role}"><span class="label">{esc(ROLE_LABELS[role])}:</span> {text}</p>')
    return out


def _page(title: str, body: list[str], css: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bilingual {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to main content</a>',
        *body,
        "</body>",
        "</html>",
        "",
    ])


def _title_text(containers: list[Node], fallback: str) -> str:
    for kind in ("title", "attachment-title"):
        for box in containers:
            for child in box.children:
                if child.kind == kind:
                    return " ".join(p.text for p in child.pieces)
    return fallback


def _time(piece: Piece, inner: str) -> str:
    m = DATE_RE.match(piece.zh)
    if not m:
        return inner
    year, month, day = (int(g) for g in m.groups())
    return f'<time datetime="{year:04d}-{month:02d}-{day:02d}">{inner}</time>'


def _html_id(key: str) -> str:
    return key.replace(".", "-")


class _Html:
    def __init__(self, containers: list[Node]) -> None:
        self.containers = containers
        self.levels = _Levels.of(containers)
        self.out: list[str] = []

    def container(self, box: Node) -> None:
        title_id = {"notice": "notice-title", "attachment": f"{box.key}-title"}.get(box.kind, "")
        has_title = any(c.kind in ("title", "attachment-title") for c in box.children)
        attrs = f' aria-labelledby="{title_id}"' if has_title and title_id else ""
        self.out.append(f'<article class="{box.kind}"{attrs}>')
        notes = sum(len(c.pieces) for c in box.children if c.kind == "attachment-notes")
        self.children(box.children, self.levels.base[id(box)], box, notes)
        self.out.append("</article>")

    def children(self, nodes: list[Node], base: int, box: Node, notes: int = 0) -> None:
        """Render siblings, grouping masthead and signature parts and runs of list units."""
        out = self.out
        group = ""  # "masthead" | "signature" | "imprint" | a list kind
        closers = {"masthead": "</header>", "signature": "</footer>", "imprint": "</footer>"}
        for node in nodes:
            want = ("masthead" if node.kind in _MASTHEAD_KINDS else
                    "signature" if node.kind in _SIGNATURE_KINDS else
                    "imprint" if node.kind in _IMPRINT_KINDS else
                    node.kind if node.kind in _LIST_KINDS else "")
            if want != group:
                if group:
                    out.append(closers.get(group, "</ol>"))
                if want == "masthead":
                    out.append('<header class="masthead">')
                elif want in ("signature", "imprint"):
                    out.append(f'<footer class="{want}">')
                elif want:
                    out.append(f'<ol class="{want}s">')
                group = want
            self.node(node, base, box, notes)
        if group:
            out.append(closers.get(group, "</ol>"))

    def node(self, node: Node, base: int, box: Node, notes: int = 0) -> None:
        kind = node.kind
        out = self.out
        if kind in ("issuers", "signatories"):
            out.append(f'<p class="{kind}">' + "<br>".join(_html_piece(p) for p in node.pieces) + "</p>")
        elif kind == "masthead":
            out.append(f'<p class="document">{_html_join(node.pieces)}</p>')
        elif kind == "title":
            out.append(f'<h1 id="notice-title">{_html_join(node.pieces)}</h1>')
        elif kind == "attachment-title":
            out.append(f'<h{base} id="{box.key}-title">{_html_join(node.pieces)}</h{base}>')
        elif kind == "date":
            out.append(f'<p class="date">{_time(node.pieces[0], _html_join(node.pieces))}</p>')
        elif kind == "attachment-notes":
            lines = [f'<span class="label">{esc(_notes_label(notes, p))}:</span> {_html_piece(p)}'
                     for p in node.pieces]
            out.append('<p class="attachment-notes">' + "<br>".join(lines) + "</p>")
        elif kind == "copy-to":
            out.append(f'<p class="copy-to"><span class="label">Copy to:</span> {_html_join(node.pieces)}</p>')
        elif kind in ("chapter", "section") and (node.heading is not None or kind == "chapter"):
            level = min(base + 1, 6)
            ident = _html_id(node.key)
            title = _html_piece(node.heading, node.label) if node.heading is not None else ""
            out.append(f'<section class="{kind}" id="{ident}" aria-labelledby="{ident}-title">')
            out.append(f'<h{level} id="{ident}-title"><span class="num">{esc(node.label)}</span>'
                       f"{' ' + title if title else ''}</h{level}>")
            self.children(node.children, base + 1, box)
            out.append("</section>")
        elif kind in _UNIT_KINDS:
            self.unit(node, base, box)
        elif kind == "table":
            out.extend(_html_table(node))
        else:
            out.append(f'<p class="{kind}">{_html_join(node.pieces)}</p>')

    def unit(self, node: Node, base: int, box: Node) -> None:
        out = self.out
        label = node.label
        ident = _html_id(node.key)
        paragraphs = [list(p) for p in node.text] or [[]]
        num = f'<span class="num">{esc(label)}</span>'
        if node.kind == "measure":
            title_piece = node.heading if node.heading is not None else (
                paragraphs[0].pop(0) if paragraphs[0] else None)
            title = _html_piece(title_piece, label) if title_piece is not None else ""
            first = f'{num} <strong class="measure-title">{title}</strong>'
        else:
            if paragraphs[0]:
                head = paragraphs[0][0]
                paragraphs[0][0] = _with_text(head, _strip_label(head.text, label)) if \
                    head.state != UNTRANSLATED else head
            first = num
        body = _html_join(paragraphs[0])
        if node.kind == "section":
            out.append(f'<section class="section prose" id="{ident}">')
        else:
            out.append(f'<li class="{node.kind}" id="{ident}">')
        out.append(f"<p>{first}{' ' + body if body else ''}</p>")
        out.extend(f"<p>{_html_join(para)}</p>" for para in paragraphs[1:])
        out.extend(f'<p class="cell">{_html_piece(cell)}</p>' for cell in node.cells.values())
        self.children(node.children, base, box)
        out.extend(_html_roles(node))
        out.append("</section>" if node.kind == "section" else "</li>")


def _html_cell(cell: _Cell) -> str:
    return " ".join(x for x in (esc(cell.prefix), _html_join(cell.pieces)) if x)


def _html_table(t: Node) -> list[str]:
    cols, added, rows = _table_grid(t)
    out = [f'<table class="data" id="{_html_id(t.key)}">']
    if t.head or added:
        cells = [_html_piece(t.head[c]) if c in t.head else esc(added.get(c, "")) for c in cols]
        out.append("<thead><tr>" + "".join(f'<th scope="col">{c}</th>' for c in cells) + "</tr></thead>")
    out.append("<tbody>")
    covered: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for row in rows:
        if row.span is not None:
            out.append(f'<tr class="section-row"><th scope="rowgroup" colspan="{len(cols)}">'
                       f"{_html_cell(row.span)}</th></tr>")
            covered.clear()
            continue
        cells = []
        for c in cols:
            if covered.get(c, 0) > 0:
                covered[c] -= 1
                continue
            cell = row.cells.get(c)
            if cell is None:
                cells.append("<td></td>")
            elif cell.header:
                covered[c] = cell.rowspan - 1
                span = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
                cells.append(f'<th scope="rowgroup"{span}>{_html_cell(cell)}</th>')
            else:
                cells.append(f"<td>{_html_cell(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return out


def build_html(po, *, reviewed_only: bool = False) -> str:
    """The English publication as a standalone, accessible HTML page."""
    if reviewed_only:
        ensure_reviewed(po)
    containers = document_tree(po)
    doc_id = _document_id(po) or "document"
    out: list[str] = ['<main id="main" tabindex="-1">']
    has_mt, has_zh = _legend_needed(containers)
    if has_mt or has_zh:
        notes = []
        if has_mt:
            notes.append(f'<mark class="mt" title="{esc(MT_TITLE)}">highlighted text</mark> is machine '
                         "translation that has not been reviewed")
        if has_zh:
            notes.append('<span class="untranslated"><span class="tag">[ZH]</span>marked text</span> is the '
                         "Chinese original, not yet translated")
        out.append('<p class="legend" role="note"><strong>Draft:</strong> ' + "; ".join(notes) + ".</p>")
    if not _has_title(containers):
        out.append(f"<h1>{esc(doc_id)}</h1>")
    renderer = _Html(containers)
    for box in containers:
        renderer.container(box)
    out.extend(renderer.out)
    out.append("</main>")
    out.append('<footer class="colophon" role="contentinfo"><p>English translation of '
               f"{esc(doc_id)}, built by bilingual {esc(__version__)} from the reviewed translation file. "
               "The Chinese original is the authoritative text.</p></footer>")
    return _page(_title_text(containers, doc_id), out, _CSS)


# --------------------------------------------------------------------------- bilingual review page

_REVIEW_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1b1b1b; font: .95rem/1.55 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main { padding: 1rem 1.25rem; }
.skip-link { position: absolute; left: -999px; top: 0; background: #1b1b1b; color: #ffffff; padding: .5rem 1rem; }
.skip-link:focus { left: 0; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
.summary, .legend { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
caption { text-align: left; font-weight: 600; padding: .5rem 0; }
thead th { position: sticky; top: 0; background: #24292f; color: #ffffff; text-align: left; padding: .4rem .5rem; }
col.c-ctx { width: 12rem; } col.c-zh, col.c-en { width: calc(50% - 6rem); }
th.ctx { font-weight: 400; vertical-align: top; text-align: left; padding: .4rem .5rem;
  color: #3a3a3a; font-size: .8rem; overflow-wrap: anywhere; }
td { vertical-align: top; padding: .4rem .5rem; border-top: 1px solid #d0d7de; overflow-wrap: anywhere; }
td.zh { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
tr.group-header th { background: #eef1f4; color: #1b1b1b; text-align: left; padding: .45rem .5rem;
  border-top: 2px solid #57606a; }
tr.fuzzy td.en { background: #fff8d6; }
tr.untranslated td.en { background: #fde2e1; }
.status { display: block; font-weight: 700; color: #7a4b00; }
tr.untranslated .status { color: #7a1612; }
mark.term { background: #dbeafe; color: #0b2a5b; border-bottom: 2px solid #1d4ed8; }
.missing-term { display: block; color: #7a1612; font-size: .85rem; margin-top: .25rem; }
"""

_STATUS_LABEL = {MT: "MT, not reviewed", UNTRANSLATED: "untranslated"}
_ROW_CLASS = {REVIEWED: "reviewed", MT: "fuzzy", UNTRANSLATED: "untranslated"}
_GROUP_UNITS = ("measure", "article", "section", "chapter")


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap the [start, end) spans in ``<mark class="term" title=…>``."""
    out: list[str] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end <= start:
            continue  # overlapping or empty: the first one wins
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="term" title="{esc(title)}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _group_label(key: str) -> str:
    if key == "notice":
        return "Notice"
    if key == "paragraphs":
        return "Text"
    if key == "other":
        return "Other entries"
    if key.startswith("attachment"):
        label = key_label(key) or "Attachment"
        return f"{label}: title and preamble"
    kind, _, number = key.partition("-")
    if kind == "section" and _unit_kind(key) == "measure":  # section-2.measure-1: numbering restarts
        return f"Section {roman(int(number.split('.')[0]))}, measure {key_label(key)}"
    if kind == "section":
        return f"Section {roman(int(number))}"
    if kind in ("measure", "table"):
        return f"{kind.capitalize()} {key_label(key) or number}"
    return key_label(key) or key


def review_groups(po) -> dict[str, str]:
    """msgctxt → the review page's group: the measure, article, section, chapter, table …

    A measure's items, sub-items, roles, table cells and unlabelled paragraphs are in
    the measure's group (an article's in the article's); unlabelled paragraphs outside
    any unit are in their section's or chapter's group, else in "paragraphs".
    """
    groups: dict[str, str] = {}

    def walk(node: Node, group: str) -> None:
        in_unit = _unit_kind(group) in ("measure", "article")  # (section-2.)measure-1, article-3
        if node.kind in ("section", "chapter") or (node.kind in ("measure", "article") and not in_unit):
            group = node.key
        elif node.kind == "table":  # its own group, unless it is part of a measure or article
            own = group if in_unit else node.key
            for piece in node.head.values():
                groups[piece.ctx] = own
            for row in node.rows:
                walk(row, own if row.kind == "row" else group)
            return
        for piece in [*node.pieces, *([node.heading] if node.heading else []), *(p for t in node.text for p in t),
                      *node.roles.values(), *node.cells.values()]:
            groups[piece.ctx] = group
        for child in node.children:
            walk(child, group)

    for box in document_tree(po):
        own = {"notice": "notice", "attachment": box.key}.get(box.kind, "paragraphs")
        for child in box.children:
            walk(child, {"paragraph": "paragraphs", "other": "other"}.get(child.kind, own))
    return groups


def build_bilingual_html(po, glossary=None, *, reviewed_only: bool = False) -> str:
    """The side-by-side review page (Chinese | English), one row per entry."""
    if reviewed_only:
        ensure_reviewed(po)
    items = pieces(po)
    doc_id = _document_id(po) or "document"
    counts = review_counts(po)
    groups = review_groups(po)
    agencies = {}
    for piece in items:
        m = _CTX_UNIT.match(piece.ctx)
        if m and m["part"] == "agencies" and _unit_kind(m["unit"]) not in ("item", "sub"):
            agencies[m["unit"]] = piece
    out = ['<main id="main" tabindex="-1">',
           f"<h1>Review: {esc(doc_id)}</h1>",
           f'<p class="summary">{len(items)} entries: {counts[REVIEWED]} reviewed, {counts[MT]} machine '
           f"translation not reviewed, {counts[UNTRANSLATED]} untranslated.</p>",
           '<p class="legend">Rows marked <strong>MT, not reviewed</strong> are unreviewed machine '
           "translation (fuzzy); <strong>untranslated</strong> rows have no English yet. "
           + ('<mark class="term">Highlighted</mark> words are glossary terms; hover for the approved '
              "English." if glossary is not None else "")
           + "</p>",
           "<table>",
           f"<caption>{esc(doc_id)}: Chinese source and English translation, in document order</caption>",
           '<colgroup><col class="c-ctx"><col class="c-zh"><col class="c-en"></colgroup>',
           '<thead><tr><th scope="col">Segment</th><th scope="col">Chinese (source)</th>'
           '<th scope="col">English (translation)</th></tr></thead>']
    current = None
    used: dict[str, int] = {}
    for piece in items:
        group = groups.get(piece.ctx, "other")
        if group != current:
            if current is not None:
                out.append("</tbody>")
            current = group
            used[group] = used.get(group, 0) + 1
            key = group if used[group] == 1 else f"{group}-part-{used[group]}"
            header = _group_label(group) + ("" if used[group] == 1 else " (continued)")
            if group in agencies:
                header += " · lead agencies: " + _role_text(agencies[group], "agencies")
            out.append(f'<tbody class="group" data-group="{esc(key)}">')
            out.append(f'<tr class="group-header"><th scope="rowgroup" colspan="3">{esc(header)}</th></tr>')
        zh_spans: list[tuple[int, int, str]] = []
        en_spans: list[tuple[int, int, str]] = []
        missing: list[tuple[str, str]] = []
        if glossary is not None:
            seen = set()
            for match in glossary.match(piece.zh):
                english = glossary.english(match.term)
                zh_spans.append((match.start, match.end, english))
                if english and english not in seen and piece.en:
                    seen.add(english)
                    zh_text = piece.zh[match.start:match.end]
                    for m in english_pattern(english).finditer(piece.en):
                        en_spans.append((m.start(), m.end(), f"glossary: {zh_text} = {english}"))
            if piece.en:
                missing = missing_terms(piece.zh, piece.en, glossary)
        status = _STATUS_LABEL.get(piece.state)
        status_html = f'<span class="status">{esc(status)}</span>' if status else ""
        en_html = _marked(piece.en, en_spans)
        en_html += "".join(f'<span class="missing-term">missing term: {esc(zh)} = {esc(en)}</span>'
                           for zh, en, _kind in missing)
        out.append(
            f'<tr class="{_ROW_CLASS[piece.state]}" data-ctx="{esc(piece.ctx)}">'
            f'<th scope="row" class="ctx"><code>{esc(piece.ctx)}</code>{status_html}</th>'
            f'<td class="zh" lang="zh">{_marked(piece.zh, zh_spans)}</td>'
            f'<td class="en" lang="en">{en_html}</td></tr>')
    if current is not None:
        out.append("</tbody>")
    out.append("</table>")
    out.append("</main>")
    return _page(f"Review: {doc_id}", out, _REVIEW_CSS)


# --------------------------------------------------------------------------- tmx

def _xml_text(text: str) -> str:
    return _XML_BAD.sub("", text)


def _tmx_date(po) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})", po.metadata.get("PO-Revision-Date", ""))
    return f"{m.group(1)}{m.group(2)}{m.group(3)}T{m.group(4)}{m.group(5)}00Z" if m else ""


def build_tmx(po, *, reviewed_only: bool = False) -> str:
    """A TMX 1.4b memory of the reviewed zh→en pairs (``tuid`` = msgctxt)."""
    if reviewed_only:
        ensure_reviewed(po)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "bilingual",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "PO",
        "adminlang": "en",
        "srclang": "zh",
        "datatype": "plaintext",
    })
    date = _tmx_date(po)
    if date:
        header.set("creationdate", date)
    doc_id = _document_id(po)
    if doc_id:
        ET.SubElement(header, "prop", type="x-bilingual-document").text = _xml_text(doc_id)
    body = ET.SubElement(root, "body")
    for entry in active_entries(po):
        if not is_reviewed(entry):
            continue
        tu = ET.SubElement(body, "tu")
        if entry.msgctxt:
            tu.set("tuid", _xml_text(entry.msgctxt))
            # Translate Toolkit reads the PO context back from this prop (as its po2tmx writes it).
            ET.SubElement(tu, "prop", type="x-context").text = _xml_text(entry.msgctxt)
        for lang, text in (("zh", entry.msgid), ("en", entry.msgstr)):
            tuv = ET.SubElement(tu, "tuv", {xml_lang: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(text)
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")


# --------------------------------------------------------------------------- files

def build(po, fmt: str, *, reviewed_only: bool = False, glossary=None) -> str:
    """Dispatch to the builder of ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "md":
        return build_markdown(po, reviewed_only=reviewed_only)
    if fmt == "html":
        return build_html(po, reviewed_only=reviewed_only)
    if fmt == "bilingual-html":
        return build_bilingual_html(po, glossary, reviewed_only=reviewed_only)
    if fmt == "tmx":
        return build_tmx(po, reviewed_only=reviewed_only)
    raise BilingualError(f"unknown build format {fmt!r}; use one of {', '.join(FORMATS)}")


def default_output(po_path: str | Path, fmt: str, po=None) -> Path:
    """Where ``fmt`` goes without ``-o``: next to the PO, named after the document id."""
    po_path = Path(po_path)
    name = _document_id(po) if po is not None else ""
    if not _SAFE_NAME.fullmatch(name or ""):
        name = po_path.name
        for suffix in (".po", ".en"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
    return po_path.with_name(name + SUFFIXES[fmt])


def build_file(po_path: str | Path, fmt: str, output: str | Path | None = None, *,
               reviewed_only: bool = False, glossary=None) -> Path:
    """Read a PO file, build ``fmt`` and write it atomically; returns the path written."""
    from .check import load_po

    po = load_po(po_path)
    try:
        text = build(po, fmt, reviewed_only=reviewed_only, glossary=glossary)
    except BilingualError as exc:
        if exc.path is None:
            raise BilingualError(exc.message, po_path) from None
        raise
    target = Path(output) if output is not None else default_output(po_path, fmt, po)
    atomic_write_text(target, text)
    return target
