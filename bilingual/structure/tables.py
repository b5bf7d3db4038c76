"""Tables (``| a | b |`` rows from DOCX, HTML or text): tables of measures, or plain cells.

A table whose header names a measure column (措施 / 任务 / 内容 …) and a lead-agency,
partner, deadline or number column is a *table of measures*: each row is a measure —
``measure-N`` (the measure cell), ``measure-N.title`` (a separate task-name cell),
``measure-N.agencies`` / ``.partners`` / ``.deadline``, ``measure-N.cC`` (any other column
C) — a category column (领域 / 类别 …) or a row with a single cell opens a section
(``section-N.title``), and the header cells are ``table-T.head.cC``. Any other table is cells:
``table-T.head.cC`` and ``table-T.rR.cC`` (R the data row, C the column, from 1). A number
column is the measure's label, not a segment.
"""

from __future__ import annotations

import re

from ..model import MEASURE, SECTION_TITLE
from .agencies import split_agencies
from .builder import Builder, Unit
from .kinds import MEASURE_TITLE, TABLE_CELL, TABLE_HEADER
from .numbering import match_label, numeral
from .recognisers import first_sentence

__all__ = ["column_role", "add_table"]

_COLUMN_ROLES = (
    ("number", re.compile(r"^(?:序号|编号|序|号|No\.?)$", re.IGNORECASE)),
    ("partners", re.compile(r"(?:配合|协办|参与|协同|协助)(?:单位|部门)")),
    ("lead", re.compile(r"(?:牵头|责任|主责|主办|实施)(?:单位|部门|主体|处室)|^牵头$|^责任$")),
    ("deadline", re.compile(r"时限|完成时间|时间节点|进度安排|完成期限|办结时间")),
    ("category", re.compile(r"^(?:类别|领域|方面|板块|分类|类型|重点领域|专项|事项类别|改革领域)$")),
    ("measure", re.compile(r"措施|内容|举措|主要任务|工作任务|任务内容|具体任务")),
    ("title", re.compile(r"任务|事项|名称|项目")),
)


def column_role(cell: str) -> str:
    """The role of a header cell: ``序号`` → ``number``, ``牵头单位`` → ``lead``, ``配合单位`` →
    ``partners``, ``完成时限`` → ``deadline``, ``领域`` → ``category``, ``具体措施`` → ``measure``,
    ``重点任务`` → ``title``; ``""`` for any other."""
    cell = cell.replace(" ", "")
    for role, pattern in _COLUMN_ROLES:
        if pattern.search(cell):
            return role
    return ""


def _table_section(b: Builder, text: str, line: int) -> None:
    found = match_label(text)
    if found is not None and found.rank == 1:
        if found.number == 1:  # a table's category rows number from 一、 again, whatever came before
            b.seq["section"] = 0
        b.section(found, line)
        return
    b.stack = [u for u in b.stack if u.level == "chapter"]
    b.counts["section"] += 1
    n = b.counts["section"]
    b.section_now = n
    unit = Unit("section", 1, f"section-{n}", n, n, None)
    b.stack.append(unit)
    b.register(unit, None, None)
    b.add(SECTION_TITLE, f"section-{n}.title", text, line, section=n)
    b.section_titles[n] = text


def add_table(b: Builder, rows: list[tuple[list[str], int]]) -> None:
    """The blocks of one table (rows of cells with their line numbers)."""
    b.structured = True
    b.counts["table"] += 1
    t = b.counts["table"]
    rows = [(cells, line) for cells, line in rows if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c)]
    if not rows:
        return
    header, header_line = rows[0]
    roles: dict[int, str] = {}
    is_header = any(column_role(c) for c in header) and all(len(c) <= 20 for c in header)
    if is_header:
        for c, cell in enumerate(header):
            role = column_role(cell)
            if role and role not in roles.values():
                roles[c] = role
        if "measure" not in roles.values() and "title" in roles.values():
            roles = {c: ("measure" if r == "title" else r) for c, r in roles.items()}
        for c, cell in enumerate(header, start=1):
            if cell:
                b.add(TABLE_HEADER, f"table-{t}.head.c{c}", cell, header_line, section=b.section_now)
        rows = rows[1:]
    measures = is_header and "measure" in roles.values() and len(set(roles.values()) - {"measure", "title", "category"})
    if not measures:
        for r, (cells, line) in enumerate(rows, start=1):
            for c, cell in enumerate(cells, start=1):
                if cell:
                    b.add(TABLE_CELL, f"table-{t}.r{r}.c{c}", cell, line, section=b.section_now)
        return
    column = {role: c for c, role in roles.items()}
    category = None
    b.stack = [u for u in b.stack if u.level in ("chapter", "section")]
    for r, (cells, line) in enumerate(rows, start=1):
        filled = [c for c in cells if c]
        if len(filled) == 1 and len(cells) > 1:  # a caption row spanning the table: a section
            _table_section(b, filled[0], line)
            continue
        if "category" in column:
            value = cells[column["category"]] if column["category"] < len(cells) else ""
            if value and value != category:
                category = value
                _table_section(b, value, line)
        text = cells[column["measure"]] if column["measure"] < len(cells) else ""
        if not text:
            for c, cell in enumerate(cells, start=1):
                if cell:
                    b.add(TABLE_CELL, f"table-{t}.r{r}.c{c}", cell, line, section=b.section_now)
            continue
        _table_measure(b, cells, roles, column, text, line)


def _table_measure(b: Builder, cells: list[str], roles: dict[int, str], column: dict[str, int], text: str,
                   line: int) -> None:  # fmt: skip
    b.counts["measure"] += 1
    n = b.counts["measure"]
    section = b.section_now
    label = cells[column["number"]] if "number" in column and column["number"] < len(cells) else ""
    number = numeral(label) if label else None
    unit = Unit("measure", 2, f"measure-{n}", n, section, n)
    b.register(unit, number, None)
    if "title" in column and column["title"] < len(cells) and cells[column["title"]]:
        title = cells[column["title"]]
        b.add(MEASURE_TITLE, f"measure-{n}.title", title, line, section=section, measure=n,
              label=label, number=number if number is not None else n)  # fmt: skip
        b.measure_titles[n] = title
    else:
        b.measure_titles[n] = first_sentence(text)
    unit.blocks.append(b.add(MEASURE, unit.key, text, line, section=section, measure=n, label=label,
                             number=number if number is not None else n))  # fmt: skip
    for c, cell in enumerate(cells):
        role = roles.get(c)
        if not cell or role in ("measure", "title", "number", "category"):
            continue
        if role in ("lead", "partners", "deadline"):
            b.close(unit, role, cell, "", split_agencies(cell) if role != "deadline" else (), line)
        else:
            b.add(TABLE_CELL, f"measure-{n}.c{c + 1}", cell, line, section=section, measure=n)
