"""Ingest of PDF, DOCX and HTML: the same segments as the text, whatever the format.

The fixture files are rendered by the tests (tests/docbuilders.py) from the shipped
text and from tests/fixtures/*.zh.txt, and cached in tests/.model-cache/formats/.
The PDF needs Debian's fonts-noto-cjk; without it the PDF cases are skipped.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import IN_CI, need

from bilingual.errors import BilingualError
from bilingual.ingest import detect_format, extract_text, read_source
from bilingual.ingest.docx import format_number
from bilingual.ingest.pdf import fix_radicals, is_page_number
from bilingual.segment import segment_document
from bilingual.structure import parse

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docbuilders  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CACHE = Path(__file__).resolve().parent / ".model-cache" / "formats"
FORMATS = ("pdf", "docx", "html")
needs_fonts = pytest.mark.skipif(not docbuilders.fonts_available() and not IN_CI,
                                 reason="needs fonts-noto-cjk (Debian); CI installs it and never skips")


def _segments(path: Path) -> list[tuple[str, str]]:
    return [(s.ctx, s.source) for s in segment_document(parse(read_source(path)))]


def _render(source: Path) -> dict[str, Path]:
    clean = read_source(source)
    document = parse(clean)
    table = any(line.startswith("|") for line in clean.lines)
    items = docbuilders.items_from_text(clean, document, merge_column=1 if table else None)
    return docbuilders.build_all(
        items, CACHE, name=source.name.split(".")[0], title=document.title, pdf=not table
    )


@pytest.fixture(scope="session")
def shipped() -> dict[str, Path]:
    """PDF, DOCX and HTML renderings of the shipped Shanghai document."""
    return _render(SOURCE)


@pytest.fixture(scope="session")
def rendered() -> dict[str, dict[str, Path]]:
    """Renderings of every fixture document (tables: DOCX and HTML only)."""
    return {path.name: _render(path) for path in sorted(FIXTURES.glob("*.zh.txt"))}


# --------------------------------------------------------------------------- same segments


@pytest.mark.parametrize("fmt", FORMATS)
def test_shipped_document_same_segments_in_every_format(shipped, fmt):
    need(fmt in shipped, "fonts-noto-cjk (Debian), for the test PDF")
    expected = _segments(SOURCE)
    assert len(expected) == 159
    assert _segments(shipped[fmt]) == expected


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.zh.txt")))
def test_fixture_documents_same_segments_in_every_format(rendered, name):
    expected = _segments(FIXTURES / name)
    for fmt, path in rendered[name].items():
        assert _segments(path) == expected, fmt


def test_format_is_detected_from_content_not_name(shipped, tmp_path):
    for fmt, path in shipped.items():
        disguised = tmp_path / f"source-{fmt}.txt"
        disguised.write_bytes(path.read_bytes())
        assert detect_format(disguised.read_bytes()) == fmt
        assert read_source(disguised).lines == read_source(path).lines
    text_as_pdf = tmp_path / "source.pdf"
    text_as_pdf.write_bytes(SOURCE.read_bytes())
    assert read_source(text_as_pdf).lines == read_source(SOURCE).lines


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\n  %PDF-1.4\n", "pdf"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"<!doctype HTML>", "html"),
        (b"\xef\xbb\xbf<html lang='zh'>", "html"),
        (b"<?xml version='1.0'?>\n<!-- cms -->\n<html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
        ("上海海关<html>".encode(), "text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "text"),  # a broken archive: the text reader names it
        ("一、总体要求".encode("gb18030"), "text"),
    ],
)
def test_detect_format(data, fmt):
    assert detect_format(data) == fmt


def test_zip_that_is_not_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "book.xlsx"
    path.write_bytes(buffer.getvalue())
    assert detect_format(path.read_bytes()) == "text"
    with pytest.raises(BilingualError, match="looks like a ZIP archive"):
        read_source(path)


# --------------------------------------------------------------------------- PDF


@needs_fonts
def test_pdf_furniture_dropped_and_breaks_repaired(shipped):
    raw, encoding, joins = extract_text(shipped["pdf"])
    clean = read_source(shipped["pdf"])
    assert encoding == clean.encoding == "pdf"
    pages = raw.split("\f")
    assert len(pages) >= 10
    text = clean.text
    for noise in ("— 1 —", "- 2 -", "第3页", "页 共"):
        assert noise not in text, noise
    assert not any(line.isdigit() for line in clean.lines)
    assert text.count("沪商自贸〔2025〕181号") == 1  # the running header is gone, the document number stays
    kinds = [kind for _, kind in clean.repairs]
    assert kinds.count("page-break") >= 8  # paragraphs broken by the page end, mid-word
    assert kinds.count("wrap") > 100
    # a full line ending with 。 inside a paragraph is joined from the layout, not the text rules
    lines = raw.split("\n")
    assert any(lines[n - 2].endswith("。") for n in joins if n >= 2 and lines[n - 2])


@pytest.mark.parametrize(
    "line",
    [
        "— 3 —",
        "- 3 -",
        "－3－",
        "第3页",
        "第 3 页 共 12 页",
        "3",
        "12/40",
        "Page 3 of 12",
        "共12页 第3页",
        "·5·",
    ],
)
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize(
    "line", ["2025年6月27日", "3.优化流程", "（三）", "第三条", "一、", "12345", "上海海关"]
)
def test_not_page_numbers(line):
    assert not is_page_number(line)


def test_fix_radicals():
    assert fix_radicals("中国⺠⽤航空⻋辆⻔户⼗") == "中国民用航空车辆门户十"
    assert fix_radicals("上海海关（AEO）") == "上海海关（AEO）"


@needs_fonts
def test_pdf_errors(tmp_path, shipped):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(shipped["pdf"].read_bytes()[:2000])
    with pytest.raises(BilingualError, match="PDF") as info:
        read_source(truncated)
    assert "\n" not in str(info.value) and str(truncated) in str(info.value)

    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 100, style="F")  # an image-only page
    path = tmp_path / "scan.pdf"
    scan.output(str(path))
    with pytest.raises(BilingualError, match="without a text layer"):
        read_source(path)

    locked = FPDF()
    locked.set_encryption(owner_password="owner", user_password="user")
    locked.add_page()
    locked.set_font("helvetica", size=12)
    locked.text(20, 20, "locked")
    path = tmp_path / "locked.pdf"
    locked.output(str(path))
    with pytest.raises(BilingualError, match="encrypted"):
        read_source(path)


# --------------------------------------------------------------------------- DOCX


def test_docx_numbering_header_footer_and_page_break(shipped):
    raw, encoding, _ = extract_text(shipped["docx"])
    assert encoding == "docx"
    lines = [line for line in raw.split("\n") if line]
    assert "一、优化监管模式，提升货物贸易便利化水平" in lines  # Word numbering, chineseCounting "%1、"
    assert any(line.startswith("（三十一）支持企业") for line in lines)  # level 2 never restarts
    assert any(line.startswith("（八）优化上海港") for line in lines)
    assert raw.count("沪商自贸〔2025〕181号") == 1  # the header part is not read
    assert not any(line.strip().isdigit() for line in lines)  # nor the footer's PAGE field
    measure = next(line for line in lines if line.startswith("（十五）"))
    assert "允许相关退货商品跨直属关区退货" in measure  # the page break inside it does not split it


def _docx_with(body_xml: str) -> bytes:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for element in parse_xml(
        f'<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{body_xml}</w:body>'
    ):
        body.insert(len(body) - 1, element)  # before sectPr
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_tracked_changes_fields_and_merged_cells(tmp_path):
    data = _docx_with(
        "<w:p><w:r><w:t>上海海关</w:t></w:r><w:del><w:r><w:delText>删除的字</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>和市商务委</w:t></w:r></w:ins>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>负责。</w:t></w:r></w:p>'
        "<w:tbl>"
        "<w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>领域</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>措施</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>一、通关</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
        "<w:p><w:r><w:t>物流</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>甲|乙</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>丙</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        "<w:tc><w:p><w:r><w:t>丁</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"
    )
    path = tmp_path / "changes.docx"
    path.write_bytes(data)
    raw, _, _ = extract_text(path)
    lines = [line for line in raw.split("\n") if line]
    assert lines == [
        "上海海关和市商务委负责。",
        "| 序号 | 领域 | 措施 |",
        "| 一、通关 |  |  |",
        "| 1 | 物流 | 甲｜乙 丙 |",
        "| 2 | 物流 | 丁 |",
    ]


@pytest.mark.parametrize(
    ("number", "fmt", "text"),
    [
        (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"), (31, "chineseCounting", "三十一"), (105, "chineseCounting", "一百零五"),
        (110, "chineseCountingThousand", "一百一十"), (12, "ideographDigital", "一二"), (3, "decimal", "3"),
        (3, "decimalFullWidth", "３"), (3, "decimalEnclosedCircle", "③"), (3, "decimalEnclosedCircleChinese", "③"),
        (2, "ideographTraditional", "乙"), (28, "lowerLetter", "bb"), (4, "upperRoman", "IV"), (1, "bullet", ""),
    ],
)  # fmt: skip
def test_word_number_formats(number, fmt, text):
    assert format_number(number, fmt) == text


def test_broken_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    path = tmp_path / "broken.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(BilingualError, match="not a readable Word document"):
        read_source(path)


# --------------------------------------------------------------------------- HTML


def test_html_article_body_only(shipped):
    raw, encoding, _ = extract_text(shipped["html"])
    assert encoding == "html:utf-8"
    for noise in ("首页", "当前位置", "政务公开", "发布时间", "字号", "分享到", "相关链接", "版权所有", "ICP", "统计",
                  "隐藏"):  # fmt: skip
        assert noise not in raw, noise
    lines = raw.split("\n")
    assert lines[0] == "上海市商务委员会" and "（市商务委）" in lines[-2]
    assert "上海市商务委等十部门和单位关于印发" in lines  # the <br> in the title is a line break …
    assert read_source(shipped["html"]).lines[12].endswith("的通知")  # … that the text rules repair


def test_html_gb2312_heuristic_body_and_title(tmp_path):
    items = [
        ("indent", "为进一步优化口岸营商环境，现将有关事项通知如下。"),
        ("section", "优化通关流程", "一、"),
        ("indent", "（一）推广“两步申报”。扩大适用范围，压缩通关时间。（上海海关）"),
        (
            "table",
            [["序号", "措施", "牵头单位"], ["1", "推进智能审图。", "上海海关"], ["2", "规范口岸收费。", "<"]],
        ),
    ]
    title = "关于进一步优化口岸营商环境的通知"
    path = docbuilders.build_html(items, tmp_path / "page.html", title=title, charset="gb2312",
                                  container="wz_zoom", wrapper="bd")  # fmt: skip
    assert b"charset=gb2312" in path.read_bytes()
    clean = read_source(path)
    assert clean.encoding == "html:gb18030"
    assert clean.lines[0] == title  # the body lacks the title: the page heading is put first
    assert clean.lines[1] == "为进一步优化口岸营商环境，现将有关事项通知如下。"
    assert clean.lines[-3:] == (
        "| 序号 | 措施 | 牵头单位 |",
        "| 1 | 推进智能审图。 | 上海海关 |",
        "| 2 | 规范口岸收费。 | |",  # whitespace collapsed by clean_text
    )
    assert not any("首页" in line or "版权" in line for line in clean.lines)


def test_html_lists_rowspan_and_segment_breaks(tmp_path):
    page = (
        "<html><head><meta charset='utf-8'></head><body><nav>首页 政务公开</nav><div id='zoom'>"
        "<p>上海口岸\n  跨境贸易 AEO\n 企业</p>"
        "<ol><li>推进单一窗口建设。</li><li>规范收费。</li></ol>"
        "<ol style='list-style-type: cjk-ideographic'><li>总体要求</li><li>主要任务</li></ol>"
        "<table><tr><th>领域</th><th>措施</th></tr><tr><td rowspan='2'>通关</td><td>甲</td></tr>"
        "<tr><td>乙</td></tr></table>"
        "<table><tr><td><p>版式表格里的正文。</p></td></tr></table>"
        "</div><footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    raw, _, _ = extract_text(path)
    assert raw.split("\n")[:-1] == [
        "上海口岸跨境贸易 AEO 企业",
        "1.推进单一窗口建设。",
        "2.规范收费。",
        "一、总体要求",
        "二、主要任务",
        "| 领域 | 措施 |",
        "| 通关 | 甲 |",
        "| 通关 | 乙 |",
        "版式表格里的正文。",
    ]


def test_html_without_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<!DOCTYPE html><html><body><nav>首页</nav><script>x()</script></body></html>")
    with pytest.raises(BilingualError):
        read_source(path)
