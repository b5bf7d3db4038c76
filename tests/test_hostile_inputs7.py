"""Hostile and broken source files (attack 7d): one line naming the file and exit 2, or a bounded read.

Every hostile file is built here, in ``tmp_path``: numbers a DOCX or HTML page declares that no
document has (a list level ``x``, a cell spanning a billion columns, a counter starting at 10^10 in
Roman numerals), elements nested thousands deep, a ``<meta charset>`` that lies.
"""

from __future__ import annotations

import io
import zipfile

import polib
from cliassert import one_line_error
from inproc import run_inprocess

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId9" Type="{_REL}/numbering" Target="numbering.xml"/></Relationships>'
)
_BODY = [
    "上海市商务委员会关于促进外贸稳定发展的通知",
    "各区人民政府，市政府各委、办、局：",
    "现将有关措施印发给你们，请认真贯彻执行。",
]


def _p(text: str, num: str = "") -> str:
    return f"<w:p>{num}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _numbered(ilvl: str) -> str:
    return f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'


def _docx(path, body: str, levels: str) -> None:
    numbering = (f'<?xml version="1.0"?><w:numbering {_W}><w:abstractNum w:abstractNumId="0">{levels}'
                 '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                + "".join(_p(line) for line in _BODY) + body + "</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
    path.write_bytes(buffer.getvalue())


def _translate(tmp_path, source):
    out = tmp_path / "out.po"
    result = run_inprocess(["translate", source, "--engine", "pseudo", "--no-cache", "--no-state", "-o", out])
    return result, out


def _msgids(out) -> list[str]:
    return [entry.msgid for entry in polib.pofile(str(out))]


def _list_and_table_docx(folder, *, ilvl: str, start: str, fmt: str, text: str, numbered: str, span: str):
    """A DOCX with one numbered paragraph (its list level as given) and a table row whose first cell
    spans ``span`` columns: the attribute values a hostile file puts where Word writes numbers."""
    source = folder / "notice.docx"
    levels = (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
              f'<w:lvlText w:val="{text}"/></w:lvl>')
    body = (_p("支持企业开拓国际市场。", _numbered(numbered))
            + f'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' + _p("进口")
            + "</w:tc><w:tc>" + _p("出口") + "</w:tc></w:tr></w:tbl>")
    _docx(source, body, levels)
    return source


def test_a_docx_whose_numbers_are_not_numbers_is_read(tmp_path):
    """``w:ilvl="x"``, ``w:start="abc"``, ``w:gridSpan="abc"`` were a ValueError traceback (exit 1)."""
    source = _list_and_table_docx(tmp_path, ilvl="x", start="abc", fmt="chineseCounting", text="%1、",
                                  numbered="q", span="abc")
    result, out = _translate(tmp_path, source)
    assert result.returncode == 0, result.stderr
    msgids = _msgids(out)
    assert "支持企业开拓国际市场。" in msgids and "进口" in msgids and "出口" in msgids, msgids


def test_a_docx_with_a_huge_span_or_counter_is_read_within_bounds(tmp_path):
    """A cell spanning 200,000 columns (999999999 took every byte of memory) and a Roman counter
    starting at five million (5,000 M's; 10^14 hung) are clamped to what Word writes."""
    source = _list_and_table_docx(tmp_path, ilvl="0", start="5000000", fmt="upperRoman", text="%1.",
                                  numbered="0", span="200000")
    result, out = _translate(tmp_path, source)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "MMMM" not in text and "进口" in text and "出口" in text
    assert max(len(line) for line in text.splitlines()) < 1000


def _page(body: str, head: str = "") -> str:
    article = "".join(f"<p>{line}</p>" for line in _BODY)
    return f"<!DOCTYPE html><html><head>{head}</head><body>{article}{body}</body></html>"


def test_an_html_page_nested_thousands_deep_is_one_line(tmp_path):
    """1,500 nested ``<div>`` were a RecursionError traceback; 10,000 took a minute, 100,000 hung."""
    source = tmp_path / "deep.html"
    source.write_text(_page("<div>" * 1500 + "<p>支持企业开拓国际市场。</p>" + "</div>" * 1500), encoding="utf-8")
    result, out = _translate(tmp_path, source)
    one_line_error(result, source, "nest more than 256 deep")
    assert not out.exists()
    source.write_text(_page("<div>" * 200 + "<p>支持企业开拓国际市场。</p>" + "</div>" * 200), encoding="utf-8")
    result, out = _translate(tmp_path, source)
    assert result.returncode == 0, result.stderr
    assert "支持企业开拓国际市场。" in _msgids(out)


def test_an_html_colspan_or_list_start_no_page_has_is_bounded(tmp_path):
    """``colspan="200000"`` (999999999 took every byte of memory) is clamped to the HTML standard's
    1000, as browsers do; ``<ol type="I" start="5000000">`` is numbered in digits, not 5,000 M's."""
    source = tmp_path / "page.html"
    source.write_text(_page('<table><tr><td colspan="200000">进口</td><td>出口</td></tr>'
                            "<tr><td>甲</td><td>乙</td></tr></table>"
                            '<ol type="I" start="5000000"><li>支持企业开拓国际市场。</li></ol>'), encoding="utf-8")
    result, out = _translate(tmp_path, source)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "MMMM" not in text and "进口" in text and "出口" in text
    assert max(len(line) for line in text.splitlines()) < 5000


def test_a_meta_charset_of_utf16_on_an_ascii_page_is_not_believed(tmp_path):
    """A page in UTF-8 saying ``<meta charset="utf-16">`` was decoded as UTF-16: one msgid of
    mojibake, exit 0. The tag was found reading the bytes as ASCII, so it cannot be true (browsers
    read such a page as UTF-8)."""
    source = tmp_path / "page.html"
    data = _page("", '<meta charset="utf-16">').encode("utf-8")
    source.write_bytes(data + b" " * (len(data) % 2))  # an even length: UTF-16 decodes it without complaint
    result, out = _translate(tmp_path, source)
    assert result.returncode == 0, result.stderr
    assert _BODY[1] in _msgids(out)


def test_an_encoding_that_is_no_text_encoding_is_one_line(tmp_path):
    """``--encoding base64`` (or hex, zlib, rot13: codecs that exist but are no text encodings) was a
    LookupError traceback; punycode's own UnicodeError (no byte offset) was one too."""
    source = tmp_path / "notice.txt"
    source.write_text("\n".join(_BODY) + "\n", encoding="utf-8")
    out = tmp_path / "out.po"
    for encoding in ("base64", "zlib_codec", "rot13"):
        result = run_inprocess(["translate", source, "--encoding", encoding, "--engine", "pseudo", "--no-cache",
                                "--no-state", "-o", out])
        one_line_error(result, source, f"{encoding!r} is not a text encoding")
        assert not out.exists()
    source.write_bytes(b"xn--" + b"9" * 30)
    result = run_inprocess(["translate", source, "--encoding", "punycode", "--engine", "pseudo", "--no-cache",
                            "--no-state", "-o", out])
    one_line_error(result, source, "cannot decode as punycode")
    assert not out.exists()


_HEADER = "zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants\n"


def test_a_glossary_cell_over_the_csv_field_limit_is_a_finding_not_a_traceback(tmp_path):
    """A 200 KB cell (over Python csv's 128 KB field limit) was a ``_csv.Error`` traceback from
    every command loading the glossary and from ``glossary import``."""
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    terms = glossary / "terms.csv"
    terms.write_text(_HEADER + "上海市商务委员会," + "A" * 200_000 + ",organisation,,,a note,a source,,,\n",
                     encoding="utf-8")
    source = tmp_path / "notice.txt"
    source.write_text("\n".join(_BODY) + "\n", encoding="utf-8")
    out = tmp_path / "out.po"
    result = run_inprocess(["translate", source, "--glossary", glossary, "--engine", "pseudo", "--no-cache",
                            "--no-state", "-o", out])
    one_line_error(result, terms, "unreadable CSV", "field limit")
    assert not out.exists()
    result = run_inprocess(["glossary", "check", "--glossary", glossary, "--format", "json"])
    assert result.returncode == 1 and "field limit" in result.stdout, (result.stdout, result.stderr)
    result = run_inprocess(["glossary", "import", terms, "-o", tmp_path / "imported.csv"])
    one_line_error(result, terms, "unreadable CSV", "field limit")
    assert not (tmp_path / "imported.csv").exists()


def test_an_official_english_page_nested_thousands_deep_is_one_line_from_align(tmp_path):
    """The English reader of ``align`` walks the page as the Chinese one does: 1,500 nested ``<div>``
    were a RecursionError traceback there too."""
    zh = tmp_path / "notice.txt"
    zh.write_text("\n".join(_BODY) + "\n", encoding="utf-8")
    en = tmp_path / "notice.en.html"
    paragraph = "<p>Notice of the Shanghai Municipal Commission of Commerce on stable foreign trade.</p>"
    en.write_text(f"<!DOCTYPE html><html><body>{'<div>' * 1500}{paragraph}{'</div>' * 1500}</body></html>",
                  encoding="utf-8")
    out = tmp_path / "memory.tmx"
    result = run_inprocess(["align", zh, en, "-o", out])
    one_line_error(result, en, "nest more than 256 deep")
    assert not out.exists()
