"""HTML elements → lines, as a browser lays them out (the reader's rule 5, :mod:`.html`).

Every block element and ``<br>`` ends a line; whitespace collapses as a browser does, and a
line break of the source between two Chinese characters disappears (CSS segment-break rules).
``<ol>`` items get their printed number; tables with two or more columns become ``| cell |
cell |`` rows (``rowspan`` repeats the text, ``colspan`` adds empty cells); one-column layout
tables are read as blocks. Split from :mod:`.html`, which decides *what* on a page is read.
"""

from __future__ import annotations

import re

from .limits import bounded_int

__all__ = ["BLOCK_TAGS", "Lines", "table_lines", "walk"]

BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "menu",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
    "body", "html",
))  # fmt: skip
_WS_RE = re.compile(r"[ \t\r\n\f]+")
_CJK_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
_SEGMENT_BREAK_RE = re.compile(rf"(?<={_CJK_CHAR})[ \t\r\f]*\n[ \t\r\n\f]*(?={_CJK_CHAR})")


def _collapse(text: str) -> str:
    text = _SEGMENT_BREAK_RE.sub("", text)
    return _WS_RE.sub(" ", text).strip()


_OL_STYLE_RE = re.compile(r"list-style(?:-type)?\s*:\s*([a-z\-]+)", re.IGNORECASE)


def _ol_label(ol, n: int) -> str:
    from .docx import format_number

    kind = (ol.get("type") or "").strip()
    match = _OL_STYLE_RE.search(ol.get("style") or "")
    style = match.group(1).lower() if match else ""
    if style in ("none",):
        return ""
    if style in ("cjk-ideographic", "simp-chinese-informal", "trad-chinese-informal", "cjk-decimal"):
        return format_number(n, "ideographDigital" if style == "cjk-decimal" else "chineseCounting") + "、"
    fmt = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(kind)
    fmt = fmt or {"lower-alpha": "lowerLetter", "lower-latin": "lowerLetter", "upper-alpha": "upperLetter",
                  "upper-latin": "upperLetter", "lower-roman": "lowerRoman", "upper-roman": "upperRoman"}.get(style, "decimal")  # fmt: skip
    return format_number(n, fmt) + "."


class Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def text(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self) -> None:
        line = _collapse("".join(self.buffer))
        self.buffer = []
        if line:
            self.lines.append(line)


def _cell_text(cell) -> str:
    out = Lines()
    walk(cell, out)
    out.flush()
    return " ".join(out.lines).replace("|", "｜")


def table_lines(table, out: Lines) -> None:
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text) from a rowspan
    for tr in rows:
        cells = [c for c in tr.find_all(["td", "th"], recursive=False)]
        row: list[str] = []
        column = 0
        queue = list(cells)
        while queue or column in pending:
            if column in pending:
                left, text = pending[column]
                row.append(text)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column] = (left - 1, text)
                column += 1
                continue
            cell = queue.pop(0)
            text = _cell_text(cell)
            span = bounded_int(cell.get("colspan"), 1, 1, MAX_COLSPAN)
            rowspan = bounded_int(cell.get("rowspan"), 1, 1, MAX_ROWSPAN)
            row.append(text)
            if rowspan > 1:
                pending[column] = (rowspan - 1, text)
            row.extend([""] * (span - 1))
            column += span
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    if width <= 1:  # a layout table: its cells are blocks
        for tr in rows:
            for cell in tr.find_all(["td", "th"], recursive=False):
                out.flush()
                walk(cell, out)
                out.flush()
        return
    out.flush()
    for row in grid:
        if any(cell.strip() for cell in row):
            out.lines.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")


#: The HTML standard's bounds on ``colspan`` and ``rowspan``, what browsers clamp a larger value to
#: (a hostile ``colspan="999999999"`` would otherwise be a list of a billion empty cells).
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534


def walk(node, out: Lines) -> None:
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    for child in node.children:
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.text(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.flush()
            continue
        if name == "table":
            out.flush()
            table_lines(child, out)
            continue
        if name == "ol":
            out.flush()
            n = bounded_int(child.get("start"), 1, 1) - 1 if child.get("start") else 0
            for item in child.find_all("li", recursive=False):
                n = bounded_int(item.get("value"), n + 1, 1) if item.get("value") else n + 1
                out.flush()
                out.text(_ol_label(child, n))
                walk(item, out)
                out.flush()
            continue
        if name in ("img", "hr"):
            if name == "hr":
                out.flush()
            continue
        block = name in BLOCK_TAGS
        if block:
            out.flush()
        walk(child, out)
        if block:
            out.flush()
