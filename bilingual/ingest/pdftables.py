"""Ruled tables of a PDF page, as the ``| cell | cell |`` rows every other reader writes.

Lists of measures, negative lists and task tables are printed as ruled tables (a law
database's print-out of 外商投资准入特别管理措施: ``序号 | 特别管理措施``, category rows spanning
both columns). Read as lines, a row's cells run into one line (``1 小麦新品种…``) and a cell's
wrapped lines into the next row's; the structure stage cannot tell the number column from the
text. So the PDF reader asks pdfplumber's table finder (ruling lines and rectangles) for the
page's tables and writes each row as one line, as the DOCX and HTML readers do:

* each cell's text is read from the characters inside it, with the reader's own line grouping
  and spacing (:func:`.pdf._page_lines`), its wrapped lines joined as cleaning joins a paragraph;
* a cell merged with its neighbours (pdfplumber gives ``None`` for the cells it covers) is one
  cell followed by empty ones: ``| 一、农、林、牧、渔业 | |``, as ``colspan`` is read in HTML;
* a ``|`` inside a cell becomes ``｜``;
* a "table" of one column — a frame around a paragraph, a page border — is not a table: its
  characters stay with the page's lines.

A table that continues on the next page is found again there; the reader writes its rows
straight after the previous page's (no page-break line between them), so the two pages' rows are
one table. A row the print broke across two pages is two rows (not repaired).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .lines import join_lines

__all__ = ["TableRow", "find_table_rows", "outside"]


@dataclass
class TableRow:
    """One row: its ``| … |`` line, where it stands, its characters' median size."""

    text: str
    x0: float
    x1: float
    top: float
    size: float


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters not inside any of ``boxes`` (the tables' areas)."""
    return [c for c in chars if not any(_inside(c, box) for box in boxes)]


def _cell_text(chars: list[dict], box, read_lines: Callable) -> str:
    pieces = [line.text for line in read_lines([c for c in chars if _inside(c, box)])]
    text = ""
    for piece in pieces:
        text = join_lines(text, piece) if text else piece
    return text.replace("|", "｜")


def find_table_rows(page, chars: list[dict], read_lines: Callable) -> tuple[list[TableRow], list[tuple]]:
    """The rows of ``page``'s ruled tables of two or more columns, and the tables' areas.

    ``chars`` are the page's characters; ``read_lines`` groups characters into lines (the PDF
    reader's own function, so cells read as the rest of the page does).
    """
    rows: list[TableRow] = []
    boxes: list[tuple] = []
    for table in page.find_tables():
        if max((sum(1 for cell in row.cells if cell is not None) for row in table.rows), default=0) < 2:
            continue  # a frame, not a table
        boxes.append(table.bbox)
        for row in table.rows:
            cells = [_cell_text(chars, cell, read_lines) if cell is not None else "" for cell in row.cells]
            if not any(cells):
                continue
            inside = [c["size"] for c in chars if _inside(c, row.bbox) and not c["text"].isspace()]
            size = sorted(inside)[len(inside) // 2] if inside else 0.0
            rows.append(TableRow("| " + " | ".join(cells) + " |", row.bbox[0], row.bbox[2], row.bbox[1], size))
    return rows, boxes
