"""Presentation rules shared by the Markdown and HTML builders.

Labels the translator typed although the build adds them are dropped, role lines lose
their brackets and role label, heading levels follow the containers (the notice title is
``h1``; an attachment title ``h2``, or ``h1`` when the document has no notice title and
it is the first title; inside a notice or attachment, chapters are one level below its
title and sections one level below that), and a table is laid out as a grid
(:func:`table_grid`): a *table of measures* is rebuilt by its columns' roles, the number
column showing the measure's label ``(N)``, a category column the section (``I. …``,
spanning its rows), a caption row across the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..render import ROLE_LABELS
from ..structure import key_label
from .tree import MT, UNTRANSLATED, Node, Piece


def strip_label(text: str, label: str) -> str:
    """Drop a numbering label the translator typed although the build adds it."""
    return text[len(label):].lstrip() if text.startswith(label + " ") else text


def role_text(piece: Piece, role: str) -> str:
    """A role line's names or deadline, without the brackets or role label the entry may carry."""
    text = piece.text.strip()
    if piece.state == UNTRANSLATED:
        return text
    words = _ROLE_WORDS[role]
    if text[:1] == "(" and text[-1:] == ")" and words.match(text[1:]):
        text = text[1:-1].strip()
    found = words.match(text)
    if found:
        text = text[found.end():].strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


#: Role words a translator may write in front of the names although the build prints the role
#: (``Lead agencies:``): ``Lead agency:``, ``Responsible units:``, ``Partner agencies:``,
#: ``Cooperating departments:``, ``Deadline:``, ``Time limit:`` — dropped, never doubled.
_BODIES = r"(?:agenc(?:y|ies)|units?|departments?|bod(?:y|ies)|organi[sz]ations?|entities|entity)"
_ROLE_WORDS = {
    "agencies": re.compile(rf"^(?:lead(?:ing)?|responsible|main)\s+{_BODIES}\s*[:：]", re.IGNORECASE),
    "partners": re.compile(rf"^(?:partner(?:ing)?|cooperating|co-operating|supporting|assisting|participating)\s+"
                           rf"{_BODIES}\s*[:：]", re.IGNORECASE),
    "deadline": re.compile(r"^(?:deadlines?|time\s+limits?|completion\s+(?:date|time)|due(?:\s+date)?)\s*[:：]",
                           re.IGNORECASE),
}


def with_text(piece: Piece, text: str) -> Piece:
    return Piece(piece.ctx, text, text, piece.state, piece.line)


def notes_label(count: int, piece: Piece) -> str:
    """``Attachment`` for a notice's only attachment, ``Attachment K`` for one of several."""
    return "Attachment" if count == 1 else key_label(piece.ctx)


@dataclass
class Levels:
    """Heading levels, per container (see the module docstring)."""

    title: int = 1
    base: dict[int, int] = field(default_factory=dict)  # id(container) → its title's level

    @classmethod
    def of(cls, containers: list[Node]) -> Levels:
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


def has_title(containers: list[Node]) -> bool:
    return any(c.kind in ("title", "attachment-title") for box in containers for c in box.children)


def legend_needed(containers: list[Node]) -> tuple[bool, bool]:
    states = {p.state for box in containers for p in box.all_pieces()}
    return MT in states, UNTRANSLATED in states


def title_text(containers: list[Node], fallback: str) -> str:
    for kind in ("title", "attachment-title"):
        for box in containers:
            for child in box.children:
                if child.kind == kind:
                    return " ".join(p.text for p in child.pieces)
    return fallback



@dataclass
class Cell:
    pieces: list[Piece]
    prefix: str = ""  # an English label shown before the text: (3), I.
    rowspan: int = 1  # a category cell spanning its section's rows (html)
    header: bool = False  # a category cell: the rows' header (html ``th scope="rowgroup"``)


@dataclass
class Row:
    cells: dict[int, Cell] = field(default_factory=dict)
    span: Cell | None = None  # a caption row across the table (a section of a table of measures)


def table_grid(t: Node) -> tuple[list[int], dict[int, str], list[Row]]:
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

    rows: list[Row] = []
    category: Cell | None = None  # the open category cell
    pending: Node | None = None  # a category section waiting for its first measure row
    for index, r in enumerate(t.rows):
        if r.kind == "row":
            rows.append(Row({c: Cell([p]) for c, p in r.cells.items()}))
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
                rows.append(Row(span=Cell([r.heading] if r.heading else [], r.label)))
            continue
        row = Row()
        labelled = "number" in by_role
        if labelled:
            row.cells[by_role["number"]] = Cell([], r.label)
        if pending is not None:
            category = row.cells[by_role["category"]] = Cell(
                [pending.heading] if pending.heading else [], pending.label, header=True)
            pending = None
        elif category is not None:
            category.rowspan += 1
        for role, items in (("title", [r.heading] if r.heading else []),
                            ("measure", [p for para in r.text for p in para])):
            if items:
                row.cells[column(role)] = Cell(items, "" if labelled else r.label)
                labelled = True
        for role, name in (("agencies", "lead"), ("partners", "partners"), ("deadline", "deadline")):
            piece = r.roles.get(role)
            if piece is not None:
                row.cells[column(name)] = Cell([with_text(piece, role_text(piece, role))])
        for c, piece in r.cells.items():
            row.cells[c] = Cell([piece])
        extra = [p for child in r.children for p in child.pieces]  # a second title or role
        if extra or not labelled:
            cell = row.cells.setdefault(column("measure"), Cell([], "" if labelled else r.label))
            cell.pieces.extend(extra)
        rows.append(row)
    if pending is not None:
        rows.append(Row(span=Cell([pending.heading] if pending.heading else [], pending.label)))
    names = {"lead": ROLE_LABELS["agencies"], "partners": ROLE_LABELS["partners"],
             "deadline": ROLE_LABELS["deadline"], "title": "Task", "measure": "Measure"}
    return list(range(1, width + 1)), {c: names[role] for role, c in added.items()}, rows

