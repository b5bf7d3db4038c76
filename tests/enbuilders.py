"""Render an English text (one paragraph a line) as PDF, DOCX and HTML, for the align format tests.

The PDF is set as an English official translation is printed: A4, Helvetica,
ragged right, words never split, a running header from page 2 and a page number
in the footer (``- 3 -``), paragraphs apart by half a line — no blank text line
between them, so the reader must find paragraph ends from the layout and the
text. The DOCX has one Word paragraph per line, a header and a footer; the HTML
is an English portal page with navigation, a byline and a footer around the text.
Renderings are cached in ``tests/.model-cache/formats`` by a hash of this file
and the text.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

A4 = (595.28, 841.89)
MARGIN = 72.0
SIZE = 11.0
LEADING = 15.0


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _wrap(pdf, words: list[str], width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def build_pdf(text: str, out: Path, *, header: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    width = A4[0] - 2 * MARGIN
    bottom = A4[1] - MARGIN
    pages: list[list[tuple[float, str]]] = [[]]
    y = MARGIN
    pdf.set_font("Helvetica", size=SIZE)
    for paragraph in _paragraphs(text):
        for line in _wrap(pdf, paragraph.split(), width):
            if y + LEADING > bottom:
                pages.append([])
                y = MARGIN
            pages[-1].append((y, line))
            y += LEADING
        y += LEADING / 2
    for n, lines in enumerate(pages, start=1):
        pdf.add_page()
        if n > 1:
            pdf.set_font("Helvetica", size=8)
            pdf.text(MARGIN, MARGIN - 30, header)
        pdf.set_font("Helvetica", size=SIZE)
        for top, line in lines:
            pdf.text(MARGIN, top + SIZE, line)
        pdf.set_font("Helvetica", size=9)
        number = f"- {n} -"
        pdf.text((A4[0] - pdf.get_string_width(number)) / 2, A4[1] - 40, number)
    pdf.output(str(out))
    return out


def build_docx(text: str, out: Path, *, header: str) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "1"
    for paragraph in _paragraphs(text):
        document.add_paragraph(paragraph)
    document.save(str(out))
    return out


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header><a href="/">english.www.gov.cn</a><nav><a href="#">Home</a> <a href="#">Policies</a></nav></header>
<div class="breadcrumb">Home &gt; Policies &gt; Latest Releases</div>
<div class="article">
<h1>{title}</h1>
<div class="info">Updated: July 9, 2021 | Source: State Council</div>
<div class="pages_content" id="UCAP-CONTENT">
{body}
</div>
</div>
<footer><p>Copyright The State Council of the People's Republic of China</p></footer>
</body></html>
"""


def build_html(text: str, out: Path, *, header: str) -> Path:
    paragraphs = _paragraphs(text)
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    out.write_text(_PAGE.format(title=html.escape(paragraphs[0]), body=body), encoding="utf-8")
    return out


BUILDERS = {"pdf": (build_pdf, ".pdf"), "docx": (build_docx, ".docx"), "html": (build_html, ".html")}


def render(text: str, fmt: str, cache_dir: Path, *, name: str, header: str) -> Path:
    """``text`` rendered as ``fmt`` (pdf, docx or html), cached."""
    build, suffix = BUILDERS[fmt]
    key = hashlib.sha256(Path(__file__).read_bytes() + text.encode() + header.encode()).hexdigest()[:16]
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{name}-en-{fmt}-{key}{suffix}"
    if not path.exists():
        tmp = path.with_name(path.name + ".tmp" + suffix)
        build(text, tmp, header=header)
        tmp.replace(path)
    return path
