"""PDF pages of the corpus, set from a readable recipe (``tests/corpus/NN-name.zh.pdf.toml``).

The corpus keeps no binary files: a PDF document is its recipe — the page's running lines and
its items in order — and this module sets it as the page it is modelled on prints: a law
database's print-out (one column, a ruled table), a government gazette (the head across the
page, the text in two columns). The PDF is built on first use and cached in
``tests/.model-cache/corpus/`` under a hash of the recipe and of this code (``corpusfiles.source``).
Nothing is downloaded: the font is Noto Serif CJK SC from Debian's ``fonts-noto-cjk``, as for
the format tests (:func:`docbuilders.truetype_subset`).

A recipe (TOML)::

    items = [
      ["title", "…"],                  # centred, large; "center" centred at body size
      ["flush", "发布部门：…"],         # no indent; "para" indents its first line 2 em (both justified);
                                       # "right" right-aligned
      ["spaced", "大同市人民政府办公室"],  # centred, large, letter-spaced (a masthead)
      ["table", [12, 88], [["序号", "特别管理措施"], ["一、农、林、牧、渔业", "<"], ["1", "…"]]],
      ["columns", 2],                  # what follows is set in two columns
      ["gap"],                         # an empty line
    ]

    [page]
    header = "CLI.4.5112869"           # small print at the top of every page ({n}, {total} allowed;
    footer = "{n}/{total} 2022/2/25"   # a tab puts what follows on the right); … and at the bottom
    first = 1                          # the number of the first page
    body_size = 10.5                   # points
    gutter = 18                        # between two columns (points)

In a table, the first list gives the relative column widths, ``"<"`` merges a cell with the one on
its left; cells are ruled (what pdfplumber's table finder sees in real print-outs), a row never
breaks across pages.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import docbuilders

A4 = docbuilders.A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 56.0, 64.0, 64.0
LEADING = 1.75  # line pitch / font size
CELL_PAD = 4.0


def recipe_hash(recipe: Path) -> str:
    key = hashlib.sha256()
    for part in (Path(__file__), Path(docbuilders.__file__), recipe):
        key.update(part.read_bytes())
    return key.hexdigest()[:16]


class _Layout:
    """Places lines and table rows on pages, in one or two columns."""

    def __init__(self, pdf, size: float, gutter: float) -> None:
        self.pdf = pdf
        self.size = size
        self.gutter = gutter
        self.pages: list[list[tuple]] = [[]]  # per page: ("text", x, y, size, text, spacing) | ("rect", …)
        self.columns = 1
        self.column = 0
        self.top = MARGIN_TOP  # where the current column band starts on this page
        self.y = MARGIN_TOP

    @property
    def width(self) -> float:
        full = A4[0] - 2 * MARGIN_X
        return full if self.columns == 1 else (full - self.gutter) / 2

    @property
    def left(self) -> float:
        return MARGIN_X + self.column * (self.width + self.gutter)

    def need(self, height: float) -> None:
        """Move to the next column or page when ``height`` does not fit."""
        if self.y + height <= A4[1] - MARGIN_BOTTOM:
            return
        if self.columns == 2 and self.column == 0:
            self.column, self.y = 1, self.top
            return
        self.pages.append([])
        self.column, self.top, self.y = 0, MARGIN_TOP, MARGIN_TOP

    def set_columns(self, n: int) -> None:
        if self.columns == 2 and self.column == 1:  # a band ends: below the longer column
            self.column = 0
        self.columns, self.column, self.top = n, 0, self.y

    def line(self, text: str, size: float, dx: float, spacing: float = 0.0) -> None:
        """A line ``dx`` from the left of the column it lands in."""
        pitch = size * LEADING
        self.need(pitch)
        self.pages[-1].append(("text", self.left + dx, self.y + size, size, text, spacing))
        self.y += pitch

    def paragraph(self, style: str, text: str) -> None:
        pdf, size = self.pdf, self.size
        if style == "gap":
            self.need(size * LEADING)
            self.y += size * LEADING
            return
        if style in ("title", "spaced"):
            size = size * 1.5
        pdf.set_font("serif", size=size)
        if style == "spaced":  # a masthead: the name spread over the line
            w = pdf.get_string_width(text)
            spacing = min(size, (self.width * 0.8 - w) / max(len(text) - 1, 1))
            self.line(text, size, (self.width - w - spacing * (len(text) - 1)) / 2, spacing)
            return
        indent = 2 * size if style == "para" else 0.0
        pieces = docbuilders._wrap(pdf, text, self.width - indent, self.width)
        for k, piece in enumerate(pieces):
            w = pdf.get_string_width(piece)
            spacing = 0.0
            if style in ("para", "flush") and k < len(pieces) - 1 and len(piece) > 1:  # justified
                spacing = max(0.0, (self.width - (indent if k == 0 else 0.0) - w) / (len(piece) - 1))
                spacing = spacing if spacing <= 0.15 * size else 0.0  # a short line stays ragged
            if style in ("title", "center"):
                dx = (self.width - w) / 2
            elif style == "right":
                dx = self.width - w - 2 * size
            else:
                dx = indent if k == 0 else 0.0
            self.line(piece, size, dx, spacing)

    def table(self, widths: list[float], rows: list[list[str]]) -> None:
        pdf, size = self.pdf, self.size
        pdf.set_font("serif", size=size)
        total = sum(widths)
        columns = [self.width * w / total for w in widths]
        pitch = size * LEADING
        for row in rows:
            cells: list[tuple[float, float, list[str]]] = []  # (dx, width, lines)
            x = 0.0
            for c, value in enumerate(row):
                if value == "<" and cells:
                    cx, cw, lines = cells[-1]
                    cells[-1] = (cx, cw + columns[c], lines)
                else:
                    cells.append((x, columns[c], [value]))
                x += columns[c]
            cells = [(cx, cw, docbuilders._wrap(pdf, v[0], cw - 2 * CELL_PAD, cw - 2 * CELL_PAD) if v[0] else [])
                     for cx, cw, v in cells]  # fmt: skip
            height = max(1, *(len(lines) for _, _, lines in cells)) * pitch + 2 * CELL_PAD
            self.need(height)
            page = self.pages[-1]
            for dx, cw, lines in cells:
                cx = self.left + dx
                page.append(("rect", cx, self.y, cw, height))
                for k, piece in enumerate(lines):
                    page.append(("text", cx + CELL_PAD, self.y + CELL_PAD + k * pitch + size, size, piece, 0.0))
            self.y += height


def build(recipe: Path, out: Path) -> Path:
    """The PDF of ``recipe`` (see the module docstring), written to ``out``."""
    from fpdf import FPDF

    spec = tomllib.loads(recipe.read_text(encoding="utf-8"))
    page = spec.get("page", {})
    items = spec["items"]
    texts = [page.get("header", ""), page.get("footer", ""), "0123456789/—"]
    for item in items:
        if item[0] == "table":
            texts += [cell for row in item[2] for cell in row]
        elif len(item) > 1 and isinstance(item[1], str):
            texts.append(item[1])
    font = docbuilders.truetype_subset("".join(texts), out.with_suffix(".ttf"))
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("serif", fname=str(font))
    layout = _Layout(pdf, float(page.get("body_size", 10.5)), float(page.get("gutter", 18)))
    for item in items:
        if item[0] == "columns":
            layout.set_columns(int(item[1]))
        elif item[0] == "table":
            layout.table(item[1], item[2])
        else:
            layout.paragraph(item[0], item[1] if len(item) > 1 else "")
    first = int(page.get("first", 1))
    total = len(layout.pages) + first - 1
    small = 8.0
    for n, placed in enumerate(layout.pages, start=first):
        pdf.add_page()
        pdf.set_line_width(0.6)
        for mark in placed:
            if mark[0] == "rect":
                _, x, y, w, h = mark
                pdf.rect(x, y, w, h)
                continue
            _, x, y, size, text, spacing = mark
            pdf.set_font("serif", size=size)
            pdf.set_char_spacing(spacing)
            pdf.text(x, y, text)
            pdf.set_char_spacing(0)
        pdf.set_font("serif", size=small)
        for key, y in (("header", MARGIN_TOP - 24), ("footer", A4[1] - MARGIN_BOTTOM + 30)):
            text = page.get(key, "").format(n=n, total=total)
            left, _, right = text.partition("\t")  # "left\tright": the right part right-aligned
            if left:
                pdf.text(MARGIN_X, y, left)
            if right:
                pdf.text(A4[0] - MARGIN_X - pdf.get_string_width(right), y, right)
    pdf.output(str(out))
    font.unlink()
    return out
