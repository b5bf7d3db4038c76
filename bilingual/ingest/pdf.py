"""PDF reader: the text layer of a PDF, as lines, without running headers, footers and page numbers.

Library: **pdfplumber** (on pdfminer.six). Measured on two CJK PDFs of the shipped
document (2 cores, pdfplumber 0.11.10 vs pypdf 7.1.1, mean of 3 runs):

====================================  ==========  ==========  ==================================
PDF                                   pypdf       pdfplumber  extracted text
====================================  ==========  ==========  ==================================
fpdf2, embedded TrueType subset,      58 ms       173 ms      both identical and exact (every
Identity-H, 12 pages, ragged right                            character, space and line)
Chromium print-to-PDF (Skia, CFF      637 ms      799 ms      both identical: 99.2 % exact; the
fonts, justified), 11 pages                                   45 differences are the font's
                                                              ToUnicode map (民 → ⺠, 车 → ⻋ …),
                                                              repaired below; 1 户 → 戶 remains
====================================  ==========  ==========  ==================================

(extraction only: ``extract_text()`` per page.) The whole :func:`read_source` of the
11-page test PDF — extraction, furniture, layout joins, cleaning — takes about 320 ms.

Both extract the same characters. pdfplumber is chosen because it gives every
character's box: the paragraph repair needs to know whether a line runs to the
right margin and whether the next starts at the left margin, which pypdf's text
output does not say (its ``layout`` mode pads with spaces, its visitor gives no
widths). The extra cost is small next to translation. (Both failed on fpdf2's
CID-keyed CFF output, an embedded custom CMap: pypdf gave NULs, pdfminer nothing;
real PDFs from Word, WPS and Chromium use Identity-H, as the test PDF does.)

What the reader does:

* characters are grouped into lines by their vertical centre; a space is put
  where the PDF draws one or where the gap between two characters is wider than
  ``SPACE_GAP`` em (PDFs that position words instead of drawing spaces);
* CJK radicals a font's ToUnicode map gives instead of the ideograph
  (Kangxi Radicals U+2F00–U+2FDF by NFKC, the common CJK Radicals Supplement
  forms by a table: :mod:`.radicals`) are replaced by the ideograph: they never occur in running
  text, and ``⺠航`` would defeat the glossary and MT;
* the first and last line of every page are dropped when they are a page number
  (``— 3 —``, ``- 3 -``, ``第3页``, ``第 3 页 共 12 页``, ``3``, ``3/12``) or a
  running header/footer (the same text, digits aside, at the top or bottom of at
  least ``RUNNING_MIN_PAGES`` pages and of ``RUNNING_SHARE`` of them);
* a page set in two columns (a gazette) is read down the left column, then the right
  (:mod:`.pdfcolumns`); what is set across the page (the head, a running header) stays in place,
  and the wrap test below uses each column's own margins;
* ruled tables of two or more columns are read cell by cell and written as ``| cell | cell |``
  rows where they stand on the page (:mod:`.pdftables`), like the DOCX and HTML readers' tables;
* pages are separated by a form feed line, so :func:`clean_text` records joins
  across them as ``"page-break"`` — except between the rows of a table continued on the next
  page, which stay one run of rows (the build takes a table's rows while they are on consecutive
  lines); a table's last row is followed by a blank line;
* a line that runs to the right margin, followed by a line of the same size that
  starts at the left margin (not indented), is a wrapped paragraph: its line number
  goes to ``joins`` and :func:`clean_text` joins it whatever the text rules say
  (the text rules cannot know that ``…试点。`` at the end of a full line goes on).
  Everything else — titles, indented paragraphs, page breaks inside a bracket — is
  left to the same text rules as a ``.txt`` file.

Scanned PDFs (no text layer) and encrypted PDFs are errors naming the problem.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

from ..errors import BilingualError
from .limits import MAX_PAGES, bounded_pdf, find_expansion_error
from .pdfcolumns import one_column_side, read_order
from .pdftables import find_table_rows, outside
from .radicals import unify_ideographs

__all__ = ["extract_pdf", "is_page_number", "fix_radicals", "SPACE_GAP"]

#: A gap between two characters wider than this (in em of the larger) is a space.
SPACE_GAP = 0.2
#: A running header/footer is on at least this many pages and this share of them.
RUNNING_MIN_PAGES = 3
RUNNING_SHARE = 0.4
#: Header/footer by position: set at most this share of the body size, and more than
#: this many line pitches away from the next line.
SMALL_PRINT = 0.8
APART = 1.3
#: A line "runs to the right margin" when it ends within this many em of it.
FULL_LINE_SLACK = 1.2

_DASHES = "-‐‑‒–—―－_~·•*"
_PAGE_NUMBER_RE = re.compile(
    r"^(?:\d{1,4}"
    r"|第\s*(?:\d{1,4}|[一二三四五六七八九十百]+)\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|(?:共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)

#: CJK radicals a font's ToUnicode map gives for ordinary ideographs (``⺠航`` → ``民航``):
#: the one mapping of :mod:`.radicals`, which cleaning applies to every format.
fix_radicals = unify_ideographs


def is_page_number(line: str) -> bool:
    """``— 3 —``, ``- 3 -``, ``第3页``, ``第 3 页 共 12 页``, ``3``, ``3/12``, ``Page 3 of 12``."""
    core = line.strip().strip(_DASHES + " \u3000").strip()
    return bool(core) and bool(_PAGE_NUMBER_RE.match(core))


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    table: bool = False  # a ``| … |`` row of a ruled table (:mod:`.pdftables`)
    column: int = 0  # 1 / 2: a line of a two-column band's left / right column (:mod:`.pdfcolumns`)


def _line_of(chars: list[dict], column: int = 0) -> _Line:
    chars = sorted(chars, key=lambda c: c["x0"])
    parts: list[str] = []
    prev = None
    for c in chars:
        text = c["text"]
        if prev is not None and not text.isspace() and not prev["text"].isspace():
            gap = c["x0"] - prev["x1"]
            if gap > SPACE_GAP * max(c["size"], prev["size"], 1.0):
                parts.append(" ")
        parts.append(text)
        prev = c
    visible = [c for c in chars if not c["text"].isspace()] or chars
    return _Line(
        text=fix_radicals("".join(parts)).strip(),
        x0=visible[0]["x0"],
        x1=visible[-1]["x1"],
        top=min(c["top"] for c in visible),
        size=statistics.median(c["size"] for c in visible),
        column=column,
    )


def _read_page(page) -> tuple[list[_Line], float | None]:
    """A page's lines and table rows in reading order (a two-column band's left column, then its
    right), and the gutter between its columns (None: one column)."""
    chars = page.dedupe_chars().chars
    rows, boxes = find_table_rows(page, chars, _page_lines)
    ordered, gutter = read_order(_rows(outside(chars, boxes) if boxes else chars), float(page.width))
    lines = [line for line in (_line_of(group, column) for column, group in ordered) if line.text]
    for row in rows:  # a table row before the first line read across the page below it
        at = next((k for k, line in enumerate(lines) if line.column == 0 and line.top > row.top), len(lines))
        lines.insert(at, _Line(row.text, row.x0, row.x1, row.top, row.size, table=True))
    return lines, gutter


def _page_lines(chars: list[dict]) -> list[_Line]:
    """Group a page's characters into lines, top to bottom."""
    lines = [_line_of(group) for group in _rows(chars)]
    return [line for line in lines if line.text]


def _rows(chars: list[dict]) -> list[list[dict]]:
    """A page's characters grouped into printed rows by their vertical centre, top to bottom."""
    chars = [c for c in chars if c.get("upright", True) and c["text"]]
    chars.sort(key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    groups: list[list[dict]] = []
    centre = 0.0
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        if groups and abs(mid - centre) <= 0.45 * max(c["size"], 1.0):
            groups[-1].append(c)
            continue
        groups.append([c])
        centre = mid
    return groups


def _running_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text.replace(" ", ""))


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and running headers/footers (first and last lines of pages).

    A first or last line goes when it is a page number, when the same text (digits
    aside) is in that place on enough pages, or when it is set smaller than the text
    (at most ``SMALL_PRINT`` of the body size) and stands apart from it (a gap of more
    than ``APART`` line pitches) — which finds the header of a two-page document too.
    """
    heads = Counter(_running_key(p[0]) for p in pages if p)
    feet = Counter(_running_key(p[-1]) for p in pages if p)
    need = max(RUNNING_MIN_PAGES, RUNNING_SHARE * len(pages))
    sizes = [line.size for lines in pages for line in lines]
    body_size = statistics.median(sizes) if sizes else 0.0
    pitches = [b.top - a.top for lines in pages for a, b in zip(lines, lines[1:], strict=False)
               if 0 < b.top - a.top < 3 * max(a.size, 1.0)]  # fmt: skip
    pitch = statistics.median(pitches) if pitches else 2 * body_size

    def apart(line: _Line, neighbour: _Line | None) -> bool:
        if line.size > SMALL_PRINT * body_size:
            return False
        return neighbour is None or abs(neighbour.top - line.top) > APART * pitch

    out = []
    for lines in pages:
        lines = list(lines)
        for _ in range(2):  # a header above a page number, a footer under a rule …
            if lines and (
                is_page_number(lines[-1].text)
                or feet[_running_key(lines[-1])] >= need
                or apart(lines[-1], lines[-2] if len(lines) > 1 else None)
            ):
                lines.pop()
            if lines and (
                is_page_number(lines[0].text)
                or heads[_running_key(lines[0])] >= need
                or apart(lines[0], lines[1] if len(lines) > 1 else None)
            ):
                lines.pop(0)
        out.append(lines)
    return out


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """(left margin, right margin) of the text block.

    Left: the leftmost line start shared by several lines (paragraph starts are indented,
    continuation lines start at the margin; a lone outdented line does not count).
    Right: the 90th percentile of line ends.
    """
    starts = Counter(round(line.x0) for line in lines)
    common = [x for x, count in starts.items() if count >= max(2, 0.05 * len(lines))]
    left = float(min(common) if common else starts.most_common(1)[0][0])
    ends = sorted(line.x1 for line in lines)
    right = ends[min(len(ends) - 1, int(0.9 * len(ends)))]
    return left, right


def _continues(current: _Line, following: _Line, margins: dict[int, tuple[float, float]]) -> bool:
    """``following`` wraps ``current``: current runs to the right margin, following starts flush left
    (each by the margins of its own column: the left column's last line goes on at the top of the
    right one)."""
    size = max(current.size, 1.0)
    if current.table or following.table or abs(following.size - current.size) > 0.15 * size:
        return False
    left, right = margins[current.column]
    full = current.x1 >= right - FULL_LINE_SLACK * size and current.x0 <= left + 2.6 * size
    return full and abs(following.x0 - margins[following.column][0]) <= 0.5 * size


def extract_pdf(data: bytes, path: str) -> tuple[str, tuple[int, ...]]:
    """The text of a PDF, one line per printed line, pages separated by a form feed line,
    and the line numbers the layout says continue the line before."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a dependency
        raise BilingualError("reading PDF needs pdfplumber (pip install pdfplumber)", path) from None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it logs every odd font descriptor
    pages: list[list[_Line]] = []
    gutters: list[float] = []
    try:
        with bounded_pdf(path), pdfplumber.open(BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise BilingualError(f"is a PDF of {len(pdf.pages)} pages, more than {MAX_PAGES}; "
                                     "split it into documents", path)
            for page in pdf.pages:
                lines, gutter = _read_page(page)
                pages.append(lines)
                gutters += [gutter] if gutter is not None else []
                page.close()  # pdfplumber caches every page's objects: keep one page in memory
    except BilingualError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged, truncated or encrypted files
        bomb = find_expansion_error(exc)
        if bomb is not None:
            raise bomb from None
        causes = [exc, *(a for a in exc.args if isinstance(a, BaseException)), exc.__cause__, exc.__context__]
        names = [type(c).__name__ for c in causes if c is not None]
        if any("Password" in n or "Encrypt" in n for n in names):
            raise BilingualError("is an encrypted PDF; decrypt it first (qpdf --decrypt)", path) from None
        name = type(exc).__name__
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else name
        raise BilingualError(
            f"looks like a PDF file, not text, and cannot be read as one: {name}: {detail}", path
        ) from None
    if not any(pages):
        raise BilingualError(
            "is a PDF without a text layer (a scan?); run OCR on it first and use the text", path
        )
    pages = _drop_furniture(pages)
    if gutters:  # a two-column document: a page of one column's text is read as that column
        gutter = statistics.median(gutters)
        for lines in pages:
            if lines and all(line.column == 0 for line in lines):
                side = one_column_side([(line.x0, line.x1) for line in lines if not line.table], gutter)
                for line in lines:
                    line.column = side if not line.table else 0
    body = [line for lines in pages for line in lines]
    if not body:
        raise BilingualError("is a PDF whose only text is page numbers", path)
    margins = {column: _margins([line for line in body if line.column == column])
               for column in {line.column for line in body}}  # fmt: skip

    out: list[str] = []
    joins: list[int] = []
    previous: _Line | None = None
    for k, lines in enumerate(pages):
        if k and not (previous is not None and previous.table and lines and lines[0].table):
            out.append("\f")  # (a table continued on the next page stays one run of rows)
        for line in lines:
            if previous is not None and previous.table and not line.table and out[-1] != "\f":
                out.append("")  # a table ends: a blank line, as the DOCX reader writes one
            out.append(line.text)
            if previous is not None and _continues(previous, line, margins):
                joins.append(len(out))
            previous = line
    return "\n".join(out) + "\n", tuple(joins)
