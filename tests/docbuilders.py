"""Build PDF, DOCX and HTML renderings of a Chinese text, for the format tests.

Nothing is downloaded: the PDF font is Noto Serif CJK SC from Debian's
``fonts-noto-cjk`` (converted here to a TrueType subset, because fpdf2 writes
Noto's CID-keyed CFF with a custom encoding CMap that no extractor reads, while
Word, WPS and Chromium write Identity-H — so does fpdf2 with TrueType).

Every builder takes *items*: ``(style, text)`` pairs in document order, where
``style`` says how the line is set, and ``("table", rows)`` for a table:

* ``center-large`` masthead names, titles; ``center`` document number;
* ``flush`` addressee (no indent); ``indent`` body paragraphs (2-character indent);
* ``right`` signatories and dates;
* ``section`` / ``measure`` — numbered lines: ``text`` is the line *without* its
  label and ``label`` the label (DOCX numbers them with Word's automatic numbering,
  the other formats print the label);
* ``table`` — ``rows`` a list of lists of cell strings (the first row the header);
  a cell ``^`` is merged with the one above, ``<`` with the one on its left.

:func:`items_from_text` makes items from a cleaned text and its parsed document.
"""

from __future__ import annotations

import hashlib
import html
import io
from pathlib import Path

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
NOTO_SC_INDEX = 2  # JP, KR, SC, TC, HK in the collection

A4 = (595.28, 841.89)
LEFT, RIGHT, TOP = 79.4, 73.7, 104.9  # GB/T 9704: 28 mm left, 26 mm right, 37 mm top
BODY_SIZE = 15.75  # 28 characters on the 156 mm line
LINES_PER_PAGE = 22
LINE_HEIGHT = 29.0
NO_LINE_START = set("，。、；：？！）》」』】〕］”’,;:?!)]%％")
PAGE_NUMBER_FORMATS = ("— {n} —", "- {n} -", "第{n}页", "{n}", "第 {n} 页 共 {total} 页")
RUNNING_HEADER = "沪商自贸〔2025〕181号"


def fonts_available() -> bool:
    return NOTO_SERIF.exists()


# --------------------------------------------------------------------------- items


def table_rows(line: str) -> list[str]:
    """The cells of a ``| a | b |`` line."""
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def merge_repeats(rows: list[list[str]], column: int) -> list[list[str]]:
    """Mark a cell equal to the one above as merged with it (``^``), as a category column is set."""
    out = [list(rows[0])]
    for previous, row in zip(rows, rows[1:], strict=False):
        row = list(row)
        if len(row) > column and row[column] and row[column] == previous[column]:
            row[column] = "^"
        out.append(row)
    return out


def items_from_text(clean, document, *, merge_column: int | None = None) -> list[tuple]:
    """Layout items for a cleaned text: the kind of the first block on each line decides the style;
    ``| … |`` lines make a table (``merge_column``: cells repeating the one above are merged)."""
    from bilingual import model
    from bilingual.ingest import is_table_row

    kind_of: dict[int, object] = {}
    for block in document.blocks:
        kind_of.setdefault(block.line, block)
    styles = {
        model.ISSUER: "center-large", model.MASTHEAD: "center-large", model.DOC_NUMBER: "center",
        model.TITLE: "center-large", model.ADDRESSEE: "flush", model.SIGNATORY: "right", model.DATE: "right",
        model.ATTACHMENT_TITLE: "center-large",
    }  # fmt: skip
    items: list[tuple] = []
    for line, number in zip(clean.lines, clean.line_numbers, strict=True):
        if is_table_row(line):
            if items and items[-1][0] == "table":
                items[-1][1].append(table_rows(line))
            else:
                items.append(("table", [table_rows(line)]))
            continue
        block = kind_of.get(number)
        kind = block.kind if block is not None else model.PARAGRAPH
        if kind == model.SECTION_TITLE and line.startswith(block.label):
            items.append(("section", line[len(block.label) :].lstrip(), block.label))
        elif kind == model.MEASURE and block.label and line.startswith(block.label):
            items.append(("measure", line[len(block.label) :], block.label))
        else:
            items.append((styles.get(kind, "indent"), line))
    if merge_column is not None:
        items = [("table", merge_repeats(i[1], merge_column)) if i[0] == "table" else i for i in items]
    return items


def _cache_path(cache_dir: Path, kind: str, items: list[tuple], suffix: str) -> Path:
    key = hashlib.sha256()
    key.update(Path(__file__).read_bytes())
    key.update(repr(items).encode("utf-8"))
    return cache_dir / f"{kind}-{key.hexdigest()[:16]}{suffix}"


# --------------------------------------------------------------------------- PDF


def truetype_subset(chars: str, out: Path) -> Path:
    """A TrueType font with Noto Serif CJK SC's glyphs for ``chars`` (cubic → quadratic outlines)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(NOTO_SERIF), fontNumber=NOTO_SC_INDEX, lazy=True)
    cmap = font.getBestCmap()
    glyph_set = font.getGlyphSet()
    hmtx = font["hmtx"]
    names: dict[str, str] = {}
    mapping: dict[int, str] = {}
    for code in sorted({ord(c) for c in chars} | {0x20}):
        if code in cmap:
            source = cmap[code]
            names.setdefault(source, f"g{len(names) + 1}")
            mapping[code] = names[source]
    glyphs, metrics = {}, {}
    for source, name in [(".notdef", ".notdef"), *names.items()]:
        pen = TTGlyphPen(None)
        glyph_set[source].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
        metrics[name] = hmtx[source]
    hhea = font["hhea"]
    builder = FontBuilder(font["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder([".notdef", *names.values()])
    builder.setupCharacterMap(mapping)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    builder.setupNameTable({"familyName": "Bilingual Test Serif", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=hhea.ascent, sTypoDescender=hhea.descent,
                     usWinAscent=hhea.ascent, usWinDescent=-hhea.descent)  # fmt: skip
    builder.setupPost()
    builder.save(str(out))
    return out


def _item_lines(item: tuple) -> tuple[str, str]:
    style, text = item[0], item[1]
    if style in ("section", "measure"):
        return "indent", item[2] + text
    return style, text


def _wrap(pdf, text: str, first: float, width: float) -> list[str]:
    """Greedy CJK line filling; never breaks next to a space or inside a Latin word or number,
    and never starts a line with closing punctuation (it pulls a character down instead)."""
    widths = [pdf.get_string_width(ch) for ch in text]
    lines: list[str] = []
    start, avail = 0, first
    while start < len(text):
        end, used = start, 0.0
        while end < len(text) and used + widths[end] <= avail + 0.01:
            used += widths[end]
            end += 1
        if end < len(text):

            def bad(b: int) -> bool:
                a, c = text[b - 1], text[b]
                return (a == " " or c == " " or c in NO_LINE_START
                        or (a.isascii() and a.isalnum() and c.isascii() and c.isalnum()))  # fmt: skip

            while end > start + 1 and bad(end):
                end -= 1
        lines.append(text[start:end])
        start, avail = end, width
    return lines


def build_pdf(items: list[tuple], out: Path, *, header: str = RUNNING_HEADER) -> Path:
    """A 公文-like A4 PDF: 28 characters a line, 22 lines a page, justified paragraphs that
    break across pages wherever the page ends, page numbers in rotating styles, a running header."""
    from fpdf import FPDF

    chars = "".join(_item_lines(i)[1] for i in items if i[0] != "table") + header + "—-第页共 0123456789"
    font_file = truetype_subset(chars, out.with_suffix(".ttf"))
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("serif", fname=str(font_file))
    text_width = A4[0] - LEFT - RIGHT
    em = BODY_SIZE

    # lay out: (style, size, text, justified, x) per printed line
    printed: list[tuple[float, str, float, bool]] = []
    for item in items:
        if item[0] == "table":
            raise ValueError("tables are not drawn in the test PDF")
        style, text = _item_lines(item)
        size = 21.0 if style == "center-large" else BODY_SIZE
        pdf.set_font("serif", size=size)
        indent = 2 * em if style == "indent" else 0.0
        right_gap = 4 * em if style == "right" else 0.0
        pieces = _wrap(pdf, text, text_width - indent - right_gap, text_width - right_gap)
        for k, piece in enumerate(pieces):
            w = pdf.get_string_width(piece)
            last = k == len(pieces) - 1
            if style in ("center", "center-large"):
                x = LEFT + (text_width - w) / 2
            elif style == "right":
                x = LEFT + text_width - right_gap - w
            else:
                x = LEFT + (indent if k == 0 else 0.0)
            justified = style in ("indent", "flush") and not last
            printed.append((size, piece, x, justified, text_width - (indent if k == 0 else 0.0)))
    pages = [printed[i : i + LINES_PER_PAGE] for i in range(0, len(printed), LINES_PER_PAGE)]
    total = len(pages)
    for n, lines in enumerate(pages, start=1):
        pdf.add_page()
        if n > 1 and header:
            pdf.set_font("serif", size=10.5)
            pdf.set_char_spacing(0)
            pdf.text(LEFT + text_width - pdf.get_string_width(header), TOP - 40, header)
        for row, (size, piece, x, justified, avail) in enumerate(lines):
            pdf.set_font("serif", size=size)
            spacing = 0.0
            if justified and len(piece) > 1:
                spacing = max(0.0, (avail - pdf.get_string_width(piece)) / (len(piece) - 1))
            pdf.set_char_spacing(spacing)
            pdf.text(x, TOP + row * LINE_HEIGHT + size, piece)
        pdf.set_char_spacing(0)
        pdf.set_font("serif", size=14)
        number = PAGE_NUMBER_FORMATS[(n - 1) % len(PAGE_NUMBER_FORMATS)].format(n=n, total=total)
        x = LEFT + text_width - pdf.get_string_width(number) if n % 2 else LEFT
        pdf.text(x, A4[1] - 60, number)
    pdf.output(str(out))
    font_file.unlink()
    return out


# --------------------------------------------------------------------------- DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"))


def _add_numbering(document) -> str:
    """Add a two-level list (一、 / （一）, the second never restarting) and return its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ('<w:lvlRestart w:val="0"/>' if k else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        for k, (fmt, text) in enumerate(_LEVELS)
    )
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        f"{levels}</w:abstractNum>"
    )
    num = parse_xml(f'<w:num xmlns:w="{_W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(f"{{{_W}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _number(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(
        f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))  # fmt: skip


def build_docx(
    items: list[tuple], out: Path, *, auto_numbering: bool = True, page_break_in: str = ""
) -> Path:
    """A DOCX: styled paragraphs, Word list numbering for ``section``/``measure`` items (when
    ``auto_numbering``), real tables, a header and a footer with a PAGE field; a page break is put
    in the middle of the first paragraph containing ``page_break_in``."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import parse_xml
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(
        f'<w:fldSimple xmlns:w="{_W}" w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    ))  # fmt: skip
    num_id = _add_numbering(document) if auto_numbering else ""
    broke = False
    for item in items:
        style = item[0]
        if style == "table":
            rows = item[1]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            merged_from: dict[int, int] = {}
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value == "^" and r:  # "^": merged with the cell above
                        top = merged_from.get(c, r - 1)
                        table.cell(top, c).merge(table.cell(r, c))
                        continue
                    if value == "<" and c:  # "<": merged with the cell on the left
                        table.cell(r, c - 1).merge(table.cell(r, c))
                        continue
                    merged_from[c] = r
                    cell = table.cell(r, c)
                    paragraphs = value.split("\n")
                    cell.paragraphs[0].text = paragraphs[0]
                    for more in paragraphs[1:]:
                        cell.add_paragraph(more)
            continue
        text = item[1]
        paragraph = document.add_paragraph()
        if style in ("section", "measure") and auto_numbering:
            _number(paragraph, num_id, 0 if style == "section" else 1)
        elif style in ("section", "measure"):
            text = item[2] + text
        if page_break_in and not broke and page_break_in in text:
            half = len(text) // 2
            paragraph.add_run(text[:half]).add_break(WD_BREAK.PAGE)
            paragraph.add_run(text[half:])
            broke = True
        elif style == "measure" and "。" in text:
            head, _, rest = text.partition("。")  # the title sentence in bold, as printed
            paragraph.add_run(head + "。").bold = True
            paragraph.add_run(rest)
        else:
            paragraph.add_run(text)
        if style in ("center", "center-large"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif style in ("indent", "section", "measure"):
            paragraph.paragraph_format.first_line_indent = Pt(32)
        for run in paragraph.runs:
            run.font.size = Pt(22 if style == "center-large" else 16)
    buffer = io.BytesIO()
    document.save(buffer)
    out.write_bytes(buffer.getvalue())
    return out


# --------------------------------------------------------------------------- HTML

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_通知公告_上海市商务委员会</title>
<style>.TRS_Editor p {{ text-indent: 2em; }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<header class="site-header"><div class="logo">上海市商务委员会</div>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></nav></header>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>
<div class="main">
  <div class="{wrapper}">
    <h1 class="article-title">{title}</h1>
    <div class="article-info">发布时间：2025-07-01　来源：上海市商务委员会　【字号：大 中 小】【打印本页】</div>
    <div class="{container}">
{body}
    </div>
    <div class="share">分享到：微信 微博 QQ空间</div>
  </div>
  <div class="sidebar"><h3>相关链接</h3><ul><li><a href="#">中国政府网</a></li><li><a href="#">上海海关</a></li></ul></div>
</div>
<div style="display:none">隐藏的统计信息</div>
<footer><p>主办：上海市商务委员会　版权所有</p><p>沪ICP备12345678号-1　网站标识码3100000000</p></footer>
</body>
</html>
"""


def _html_line(style: str, text: str) -> str:
    escaped = html.escape(text, quote=False)
    if style in ("center", "center-large"):
        return f'<p style="text-align:center"><strong>{escaped}</strong></p>'
    if style == "right":
        return f'<p style="text-align:right">{escaped}</p>'
    if style == "flush":
        return f'<p style="text-indent:0">{escaped}</p>'
    # indent: the CMS keeps the typist's ideographic-space indent, and wraps long source lines
    if len(text) > 60:
        cut = next((k for k in range(40, len(text) - 1) if "\u4e00" <= text[k] <= "\u9fff"
                    and "\u4e00" <= text[k + 1] <= "\u9fff"), None)  # fmt: skip
        if cut is not None:
            escaped = (
                html.escape(text[: cut + 1], quote=False)
                + "\n      "
                + html.escape(text[cut + 1 :], quote=False)
            )
    return f"<p>\u3000\u3000{escaped}</p>"


def build_html(
    items: list[tuple],
    out: Path,
    *,
    title: str,
    charset: str = "utf-8",
    container: str = "TRS_Editor",
    wrapper: str = "article",
    split_title: bool = True,
) -> Path:
    """A government announcement page: site header, navigation, breadcrumb, article meta, share bar,
    sidebar, footer, around the document in ``<div class=container>``."""
    parts: list[str] = []
    for item in items:
        style = item[0]
        if style == "table":
            rows = item[1]
            cells = []
            for r, row in enumerate(rows):
                tag = "th" if r == 0 else "td"
                spans = []
                for c, value in enumerate(row):
                    if value in ("^", "<"):
                        continue
                    rowspan = 1
                    while r + rowspan < len(rows) and rows[r + rowspan][c] == "^":
                        rowspan += 1
                    colspan = 1
                    while c + colspan < len(row) and row[c + colspan] == "<":
                        colspan += 1
                    attr = f' rowspan="{rowspan}"' if rowspan > 1 else ""
                    attr += f' colspan="{colspan}"' if colspan > 1 else ""
                    inner = "<br>".join(html.escape(v, quote=False) for v in value.split("\n"))
                    spans.append(f"<{tag}{attr}>{inner}</{tag}>")
                cells.append("<tr>" + "".join(spans) + "</tr>")
            parts.append('<table border="1" cellspacing="0">' + "\n".join(cells) + "</table>")
            continue
        text = item[1] if style not in ("section", "measure") else item[2] + item[1]
        if style == "center-large" and split_title and "关于印发" in text and len(text) > 30:
            head, _, tail = text.partition("关于印发")
            parts.append(f'<p style="text-align:center"><strong>{html.escape(head)}关于印发<br>'
                         f"{html.escape(tail)}</strong></p>")  # fmt: skip
            continue
        if style == "measure" and "。" in text:
            head, _, rest = text.partition("。")
            parts.append(
                f'<p>\u3000\u3000<span class="bt">{html.escape(head + "。")}</span>{html.escape(rest)}</p>'
            )
            continue
        parts.append(_html_line(style, text))
    page = _PAGE.format(charset=charset, title=html.escape(title), body="\n".join(parts),
                        container=container, wrapper=wrapper)  # fmt: skip
    out.write_bytes(page.encode("gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset))
    return out


def build_all(
    items: list[tuple],
    cache_dir: Path,
    *,
    name: str,
    title: str,
    pdf: bool = True,
    html_charset: str = "utf-8",
) -> dict[str, Path]:
    """PDF (when the font is there), DOCX and HTML of ``items``, cached in ``cache_dir``."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    builders = [
        ("docx", ".docx", lambda p: build_docx(items, p, page_break_in="直属关区退货")),
        ("html", ".html", lambda p: build_html(items, p, title=title, charset=html_charset)),
    ]
    if pdf and fonts_available():
        builders.insert(0, ("pdf", ".pdf", lambda p: build_pdf(items, p)))
    for kind, suffix, build in builders:
        path = _cache_path(cache_dir, f"{name}-{kind}", items, suffix)
        if not path.exists():
            tmp = path.with_name(path.name + ".tmp" + suffix)
            build(tmp)
            tmp.replace(path)
            for stale in cache_dir.glob(f"{name}-{kind}-*{suffix}"):  # renderings by an older builder
                if stale != path:
                    stale.unlink(missing_ok=True)
        out[kind] = path
    return out
