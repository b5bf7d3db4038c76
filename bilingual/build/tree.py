"""The document tree shared by every output: PO entries → containers, units, tables.

A PO file is flat (one entry per sentence, in document order); the publications are
not. :func:`document_tree` rebuilds the structure from the ``msgctxt`` ids (every key
:mod:`bilingual.structure` emits, in document order), once, for all builders:

* containers (``notice``, ``attachment``, ``text``) hold leaves (issuers, masthead,
  document number, title, addressee, body paragraphs — sentences sharing a ``#:``
  line number form one paragraph —, the attachment list, signatories, date,
  disclosure note, copy-to and imprint lines; per attachment its label, title and
  preamble) and units;
* units (chapter, section, measure, article, item, sub) nest, with their English
  label (:func:`bilingual.structure.key_label`: ``I.``, ``(1)``, ``(a)``, ``(i)``,
  ``Chapter 1``, ``Article 1``; the number printed where a key names the unit by its place
  and the document prints another, as its ``numbered: N`` line says), heading, text and
  roles (lead agencies, partner agencies, deadline);
* tables: ``table-T.head.cC`` / ``table-T.rR.cC`` cells form a grid. A *table of
  measures* (structure gives each row ``measure-N`` keys and category rows
  ``section-N.title``) keeps its measures as rows; entries belong to the table
  while they follow on the next source line (``#:``) — table rows are consecutive
  lines — so a list of measures after a table is not swallowed by it.

Unlabelled paragraphs (``paragraph-N``) belong to the innermost open unit (a
measure, item, article or prose section) — structure keys them apart but places
them there — else they are paragraphs of the section, chapter or document. A closing
provision (``本措施自印发之日起施行…``, :func:`bilingual.structure.builder.is_closing_provision`)
closes every unit: it is the document's.

Each entry becomes a :class:`Piece` with its review state: reviewed, unreviewed MT
(fuzzy) or untranslated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..po import active_entries, is_reviewed, printed_number
from ..structure import english_label, key_label
from ..structure.builder import is_closing_provision

REVIEWED, MT, UNTRANSLATED = "reviewed", "mt", "untranslated"

# msgctxt grammar (bilingual/structure/, bilingual/segment.py); a measure where numbering restarts is
# named by its section: section-2.measure-1 (bilingual/structure/ids.py)
_UNIT_KEY = r"(?:(?:section-\d+\.)?measure|chapter-\d+\.division|chapter|section|article)-\d+(?:\.(?:item|sub)-\d+)*"
CTX_UNIT = re.compile(rf"^(?P<unit>{_UNIT_KEY})\.(?P<part>title|s\d+|agencies|partners|deadline|c\d+)$")
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
MASTHEAD_KINDS = ("issuers", "masthead", "doc-number")
SIGNATURE_KINDS = ("signatories", "date")
IMPRINT_KINDS = ("copy-to", "printed")  # 版记: the document's last lines
_JOINED_KINDS = ("issuers", "signatories", "attachment-notes", "title")  # one part for consecutive entries
_PARAGRAPH_KINDS = ("body", "preamble", "paragraph")  # one paragraph per source line
UNIT_KINDS = ("chapter", "division", "section", "measure", "article", "item", "sub")  # division: 第一节 of a chapter
LIST_KINDS = ("measure", "article", "item", "sub")
ROLES = ("agencies", "partners", "deadline")


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
    from ..structure import column_role  # the stage's own reading of header cells

    roles: dict[int, str] = {}
    for column in sorted(head):
        role = column_role(head[column])
        if role and role not in roles.values():
            roles[column] = role
    if "measure" not in roles.values() and "title" in roles.values():
        roles = {c: ("measure" if r == "title" else r) for c, r in roles.items()}
    if "measure" not in roles.values() or not set(roles.values()) - {"measure", "title", "category"}:
        return {}
    return roles


class _Tree:
    """Builds the document tree from the pieces, in order (see :func:`document_tree`)."""

    def __init__(self, printed: dict[str, int] | None = None) -> None:
        self.printed = printed or {}  # unit key → the number printed, where the key names another
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
        if is_closing_provision(piece.zh):  # 本措施自印发之日起施行: the document's, not the last measure's
            self.stack = []
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind not in ("chapter", "division") and not (top.kind == "section" and top.heading):
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
            keep = {"chapter": (), "division": ("chapter",), "section": ("chapter", "division")}.get(
                kind, ("chapter", "division", "section"))
            while self.stack and self.stack[-1].kind not in keep:
                self.stack.pop()
            parent = self.stack[-1] if self.stack else self.current()
        if node is None:
            node = self.units[key] = Node(kind, key=key, label=key_label(key, self.printed.get(key)))
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
        elif part in ROLES:
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
            node = self.units[unit] = Node(_unit_kind(unit), key=unit, label=key_label(unit, self.printed.get(unit)))
            t.rows.append(node)
            if len([r for r in t.rows if r.kind == "measure"]) == 1 and node.kind == "measure":
                self.settle_table(t)
        self.fill(node, part, piece)
        t.last_line = max(t.last_line, piece.line)

    def settle_table(self, t: Node) -> None:
        """A table of measures closes the open measures: it belongs to the section or chapter."""
        parent = self.stack[-1] if self.stack else None
        if parent is None or parent.kind in ("chapter", "division", "section"):
            return
        parent.children.remove(t)
        while self.stack and self.stack[-1].kind not in ("chapter", "division", "section"):
            self.stack.pop()
        (self.stack[-1] if self.stack else self.current()).children.append(t)

    # ------------------------------------------------------------------ dispatch

    def add(self, piece: Piece) -> None:
        ctx = piece.ctx
        m = CTX_UNIT.match(ctx)
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
    tree = _Tree(printed_numbers(po))
    for piece in pieces(po):
        tree.add(piece)
    return tree.containers


def printed_numbers(po) -> dict[str, int]:
    """Unit key → the number the document prints for it, where the key names the unit by its place
    and the print another number (a table's 一、 is ``section-5``): its entries' ``numbered: N`` line."""
    out: dict[str, int] = {}
    for entry in active_entries(po):
        m = CTX_UNIT.match(entry.msgctxt or "")
        number = printed_number(entry.comment) if m else None
        if number is not None:
            out.setdefault(m["unit"], number)
    return out
