"""bilingual build: md/html publications, the bilingual review page, TMX, files and CLI."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pofactory import E, all_ctx, fake_glossary, make_catalog, write_glossary, write_po

from bilingual.build import (
    build_bilingual_html,
    build_file,
    build_html,
    build_markdown,
    build_tmx,
    default_output,
    ensure_reviewed,
    roman,
)
from bilingual.cli.review import build as build_command
from bilingual.errors import BilingualError

TESTS = Path(__file__).resolve().parent
XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "&amp; 'quoted' </td></tr>"]


class Tags(HTMLParser):
    """Collects start tags with their attributes, and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


# --------------------------------------------------------------------------- markdown

def test_markdown_structure():
    md = build_markdown(make_catalog())
    blocks = md.split("\n\n")
    assert blocks[0].startswith("Shanghai Municipal Commission of Commerce\\\nShanghai Customs\\\n")
    assert "**Document**" in blocks
    assert "Hu Shang Zi Mao \\[2025\\] No. 181" in blocks
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# Notice of the Shanghai Municipal Commission of Commerce")
    assert headings[1] == "## Measures for the 2025 Special Action to Promote Cross-Border Trade Facilitation at Shanghai Ports"
    assert headings[2:] == [
        "### I. Optimise regulatory models and raise the level of facilitation of trade in goods",
        "### II. Optimise the logistics network and keep raising the capacity of logistics hubs",
        "### III. Step up policy support and promote new models and new forms of trade",
        "### IV. Advance connectivity and strengthen smart-port support for trade",
    ]
    assert "[MT]" not in md and "Draft" not in md
    # (15): bold number + title sentence, then the body sentences in the same paragraph, then agencies.
    measure = next(b for b in blocks if b.startswith("**(15) "))
    assert measure.startswith("**(15) Further support the development of cross-border e-commerce.** Through data")
    assert measure.endswith("directly affiliated customs districts.")
    after = blocks[blocks.index(measure) + 1]
    assert after == ("*Lead agencies:* Shanghai Customs; Shanghai Maritime Safety Administration; East China "
                     "Regional Administration of the Civil Aviation Administration of China; Shanghai Municipal "
                     "Commission of Commerce")
    assert "*Lead agencies:* Shanghai Customs; Shanghai Municipal Bureau of Public Security" in blocks
    order = [int(n) for n in re.findall(r"^\*\*\((\d+)\)", md, re.M)]
    assert order == [1, 2, 5, 8, 15, 19, 20]
    # Sentences of one source paragraph are one paragraph; the date and disclosure follow the signatories.
    assert any(b.startswith("To implement the decisions") and b.endswith("hereby put forward.") for b in blocks)
    assert blocks.index("June 27, 2025") < blocks.index("(This document is released to the public.)")


def test_markdown_marks_mt_and_untranslated_with_a_legend():
    md = build_markdown(make_catalog(fuzzy={"measure-15.s2", "measure-2.agencies"},
                                     untranslated={"measure-20.s2"}))
    assert md.startswith("> **Draft:** text marked [MT] is machine translation")
    assert "[ZH] is the Chinese original" in md.splitlines()[0]
    assert "can be handled at the same site. [MT] Expand the pilot" in md
    assert "扩大上海口岸国际航行船舶 24 小时计划动态查询范围，促进船舶进出口岸数据资源共享共用。 [ZH]" in md
    assert "*Lead agencies:* Shanghai Customs; Shanghai Municipal Bureau of Public Security [MT]" in md


def test_markdown_escapes_markup():
    po = make_catalog(override={"measure-8.s2": XSS[0] + " *bold* [link](javascript:x) # _u_"})
    md = build_markdown(po)
    assert "<script>" not in md
    assert "\\<script\\>" in md and "\\*bold\\*" in md and "\\[link\\](javascript:x)" in md


def test_translator_typed_labels_are_not_doubled():
    po = make_catalog(override={"section-2.title": "II. Optimise the logistics network",
                                "measure-8.s1": "(8) Optimise the network of Shanghai Port."})
    md = build_markdown(po)
    assert "### II. Optimise the logistics network\n" in md
    assert "**(8) Optimise the network of Shanghai Port.**" in md


def test_reviewed_only_refuses_while_entries_are_unreviewed():
    po = make_catalog(fuzzy={"measure-15.s2", "measure-19.s1"}, untranslated={"measure-20.s2"})
    total = len(all_ctx())
    for builder in (build_markdown, build_html, build_tmx):
        with pytest.raises(BilingualError) as caught:
            builder(po, reviewed_only=True)
        assert f"3 of {total} entries are not reviewed (2 fuzzy, 1 untranslated)" in str(caught.value)
    ensure_reviewed(make_catalog())  # a reviewed file passes
    assert build_markdown(make_catalog(), reviewed_only=True) == build_markdown(make_catalog())


def test_obsolete_entries_never_reach_a_build():
    po = make_catalog(obsolete=[E("measure-99.s1", "旧句子。", "An obsolete sentence.", 1)])
    assert "obsolete" not in build_markdown(po) + build_html(po) + build_tmx(po)
    assert "measure-99" not in build_bilingual_html(po)


def test_unstructured_documents_fall_back_to_paragraphs():
    entries = [E("paragraph-1.s1", "第一句。", "First sentence.", 3),
               E("paragraph-1.s2", "第二句。", "Second sentence.", 3),
               E("paragraph-2.s1", "第三句。", "Third sentence.", 5)]
    po = make_catalog(entries=entries, doc_id="memo-7")
    assert build_markdown(po) == "# memo-7\n\nFirst sentence. Second sentence.\n\nThird sentence.\n"
    page = build_html(po)
    assert "<h1>memo-7</h1>" in page and '<p class="paragraph">First sentence. Second sentence.</p>' in page


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 5, 9, 14, 40, 90, 400, 1994)] == [
        "I", "IV", "V", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV"]


# --------------------------------------------------------------------------- html

def test_html_is_a_standalone_accessible_page():
    page = build_html(make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"}))
    tags = parse(page)
    names = [t for t, _ in tags.tags]
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert ("meta", {"charset": "utf-8"}) in tags.tags
    assert re.search(r"<title>Notice of the Shanghai Municipal Commission of Commerce .*</title>", page)
    # one h1, and heading levels never skip
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    # landmarks and skip link
    assert ("main", {"id": "main", "tabindex": "-1"}) in tags.tags
    assert ("a", {"class": "skip-link", "href": "#main"}) in tags.tags
    assert any(t == "footer" and a.get("role") == "contentinfo" for t, a in tags.tags)
    assert names.count("article") == 2 and names.count("section") == 4
    # measures: an <ol> per section, one <li> each, with id and the (N) label
    assert [a["id"] for t, a in tags.tags if t == "li"] == [f"measure-{n}" for n in (1, 2, 5, 8, 15, 19, 20)]
    assert '<span class="num">(15)</span> <strong class="measure-title">Further support' in page
    assert '<span class="num">III.</span> Step up policy support' in page
    assert ('<p class="agencies"><span class="label">Lead agencies:</span> Shanghai Customs; Shanghai Municipal '
            "Bureau of Public Security</p>") in page
    assert '<time datetime="2025-06-27">June 27, 2025</time>' in page
    # MT and untranslated markers, and the legend
    assert '<mark class="mt" title="machine translation, not reviewed">Through data exchange' in page
    assert '<span lang="zh">扩大上海口岸国际航行船舶 24 小时' in page
    assert any(t == "p" and a.get("class") == "legend" for t, a in tags.tags)
    # no external resources, no script
    assert "<script" not in page and "<link" not in page and "src=" not in page
    assert not re.search(r"""(?:href|src)=["']?(?:https?:)?//""", page) and "@import" not in page and "url(" not in page


def _contrast(fg: str, bg: str) -> float:
    def lum(color: str) -> float:
        rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("builder", [build_html, build_bilingual_html])
def test_page_colours_meet_wcag_aa(builder):
    """Every CSS rule that sets a text colour has >= 4.5:1 contrast with its background (white by default)."""
    css = re.search(r"<style>(.*)</style>", builder(make_catalog()), re.S).group(1)
    checked = 0
    for decls in re.findall(r"\{([^}]*)\}", css):
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", decls)
        bg = re.search(r"background:\s*(#[0-9a-f]{6})", decls)
        if fg:
            assert _contrast(fg.group(1), bg.group(1) if bg else "#ffffff") >= 4.5, decls
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("builder", [build_html, build_bilingual_html])
def test_every_text_is_escaped(builder):
    po = make_catalog(
        override={"measure-8.s2": XSS[0], "measure-15.s1": XSS[1], "notice.title": XSS[2]},
        extra=[E('paragraph-9.s1"><script>x()</script>', XSS[0] + "单一窗口" + XSS[1], XSS[1] + " Single Window", 1)],
        fuzzy={"measure-15.s1"})
    po.metadata["X-Bilingual-Document"] = XSS[0]
    for entry in po:
        if entry.msgctxt == "measure-19.s2":
            entry.msgid = XSS[0] + entry.msgid
    page = builder(po, fake_glossary()) if builder is build_bilingual_html else builder(po)
    tags = parse(page)
    # the review page has one script of its own (its filter), in the last position; nothing else runs
    own_scripts = 1 if builder is build_bilingual_html else 0
    assert [t for t, _ in tags.tags].count("script") == own_scripts and "img" not in [t for t, _ in tags.tags]
    if own_scripts:
        assert page.rindex("<script>") > page.rindex("</table>") and page.count("<script>") == 1
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    text = "".join(tags.text)
    assert XSS[0] in text and XSS[1] in text  # shown literally, as text


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "a", "main", "article", "header", "footer",
                "section", "h1", "h2", "h3", "p", "br", "ol", "li", "span", "strong", "mark", "time", "table",
                "caption", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "code"}
# the review page's filter form, its one script and the source diff
REVIEW_TOOL_TAGS = {"form", "label", "select", "option", "input", "output", "script", "del", "ins"}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'/=ab 单一窗口script")), min_size=1, max_size=30))
def test_escaping_holds_for_arbitrary_text(text):
    po = make_catalog(override={"measure-8.s2": text, "measure-19.s1": text})
    pages = (build_html(po), build_bilingual_html(po, fake_glossary()))
    for page in pages:
        tags = parse(page)
        assert {t for t, _ in tags.tags} <= ALLOWED_TAGS | REVIEW_TOOL_TAGS
        assert [t for t, _ in tags.tags].count("script") == page.count("<script") == (page is not pages[0])
        assert text in "".join(tags.text)


# --------------------------------------------------------------------------- bilingual review page

def test_review_page_rows_and_groups():
    po = make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"})
    page = build_bilingual_html(po, fake_glossary())
    tags = parse(page)
    rows = [a for t, a in tags.tags if t == "tr" and "data-ctx" in a]
    assert [a["data-ctx"] for a in rows] == all_ctx()  # one row per entry, document order
    assert sum(1 for t, a in tags.tags if t == "td" and a.get("class") == "zh") == len(rows)
    assert sum(1 for t, a in tags.tags if t == "td" and a.get("class") == "en") == len(rows)
    assert [a.get("scope") for t, a in tags.tags if t == "th" and a.get("scope") == "col"] == ["col"] * 3
    assert {a["class"] for a in rows} == {"reviewed", "fuzzy", "untranslated"}
    assert next(a for a in rows if a["data-ctx"] == "measure-15.s2")["class"] == "fuzzy"
    assert '<span class="status">MT, not reviewed</span>' in page
    assert '<span class="status">untranslated</span>' in page
    groups = [a["data-group"] for t, a in tags.tags if t == "tbody"]
    assert groups == ["notice", "attachment", "section-1", "measure-1", "measure-2", "measure-5", "section-2",
                      "measure-8", "section-3", "measure-15", "section-4", "measure-19", "measure-20"]
    assert ('<th scope="rowgroup" colspan="3">Measure (2) · lead agencies: Shanghai Customs; Shanghai '
            "Municipal Bureau of Public Security</th>") in page
    assert page.count("<script>") == 1 and " src=" not in page  # its own filter script, inline


def test_review_page_highlights_terms_in_both_columns():
    po = make_catalog(override={"measure-19.s2": "Relying on the single-window, exchange information."})
    page = build_bilingual_html(po, fake_glossary())
    row = re.search(r'<tr id="measure-19.s1" class="reviewed" data-ctx="measure-19.s1"[^>]*>.*?</tr>', page).group()
    assert '<td class="zh" lang="zh">深入推进国际贸易“<mark class="term" title="Single Window">单一窗口</mark>”互联互通。</td>' in row
    assert '&quot;<mark class="term" title="glossary: 单一窗口 = Single Window">Single Window</mark>&quot;.' in row
    bad = re.search(r'<tr id="measure-19.s2" class="reviewed" data-ctx="measure-19.s2"[^>]*>.*?</tr>', page).group()
    assert '<span class="missing-term">missing term: 单一窗口 = Single Window</span>' in bad
    assert page.count('class="term"') >= 10
    assert "class=\"term\"" not in build_bilingual_html(po)  # no glossary, no marks


def test_review_page_marks_use_raw_offsets_around_escaped_text():
    entry = E("paragraph-1.s1", "<b>单一窗口</b>&amp;", 'a <i>"Single Window"</i> & more', 1)
    page = build_bilingual_html(make_catalog(entries=[entry]), fake_glossary())
    assert ('&lt;b&gt;<mark class="term" title="Single Window">单一窗口</mark>&lt;/b&gt;&amp;amp;' in page)
    assert ('a &lt;i&gt;&quot;<mark class="term" title="glossary: 单一窗口 = Single Window">Single Window</mark>'
            "&quot;&lt;/i&gt; &amp; more") in page


def test_review_page_with_the_real_glossary_loader(tmp_path):
    glossary_module = pytest.importorskip("bilingual.glossary")
    glossary = glossary_module.load_glossary(write_glossary(tmp_path / "glossary"), builtin=False)
    page = build_bilingual_html(make_catalog(), glossary)
    assert '<mark class="term" title="Single Window">单一窗口</mark>' in page


# --------------------------------------------------------------------------- tmx

def _reviewed_pairs(po):
    return [(e.msgctxt, e.msgid, e.msgstr) for e in po
            if e.msgstr and "fuzzy" not in e.flags and not e.obsolete]


@pytest.fixture
def tmx_po():
    po = make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"},
                      override={"measure-8.s2": 'Speed up "single document" <&> transport.'},
                      obsolete=[E("measure-99.s1", "旧句子。", "An old sentence.", 1)])
    return po


def test_tmx_holds_reviewed_pairs_and_validates_against_the_dtd(tmx_po, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    text = build_tmx(tmx_po)
    path = tmp_path / "doc.tmx"
    path.write_text(text, encoding="utf-8")
    dtd = etree.DTD(str(TESTS / "tmx14.dtd"))
    tree = etree.parse(str(path))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.find("header")
    for key, value in {"creationtool": "bilingual", "segtype": "sentence", "o-tmf": "PO", "adminlang": "en",
                       "srclang": "zh", "datatype": "plaintext"}.items():
        assert header.get(key) == value
    assert header.get("creationtoolversion")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    units = [(tu.find("prop[@type='x-context']").text, *(tuv.find("seg").text for tuv in tu.findall("tuv")))
             for tu in tree.iter("tu")]
    assert units == _reviewed_pairs(tmx_po)
    # tuids are unique across documents: <document>/<msgctxt>
    assert [tu.get("tuid") for tu in tree.iter("tu")] == [f"shanghai-port-2025/{ctx}" for ctx, _, _ in units]
    assert all([tuv.get(xml_lang) for tuv in tu.findall("tuv")] == ["zh", "en"] for tu in tree.iter("tu"))
    assert "measure-15.s2" not in text and "measure-20.s2" not in text and "An old sentence" not in text
    assert "&lt;&amp;&gt;" in text


def test_tmx_round_trips_through_translate_toolkit(tmx_po, tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    po_storage = pytest.importorskip("translate.storage.po")
    path = tmp_path / "doc.tmx"
    path.write_text(build_tmx(tmx_po), encoding="utf-8")
    store = tmx.tmxfile.parsefile(str(path))
    # Translate Toolkit 3.x ships po2tmx but no tmx2po script; this is what tmx2po did: TMX units -> PO.
    out = po_storage.pofile()
    for unit in store.units:
        new = out.addsourceunit(unit.source)
        new.target = unit.target
        new.setcontext(unit.getcontext())
    po_path = tmp_path / "roundtrip.po"
    po_path.write_bytes(bytes(out))
    back = polib.pofile(str(po_path))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in back if e.msgid] == _reviewed_pairs(tmx_po)


def test_tmx_is_read_by_our_translation_memory(tmx_po, tmp_path):
    memory = pytest.importorskip("bilingual.memory")
    path = tmp_path / "doc.tmx"
    path.write_text(build_tmx(tmx_po), encoding="utf-8")
    pairs = memory.read_tmx(path)
    assert [(e.context, e.source, e.target) for e in pairs] == _reviewed_pairs(tmx_po)
    assert {e.document for e in pairs} == {"shanghai-port-2025"}


# --------------------------------------------------------------------------- files and CLI

def test_default_output_names(tmp_path):
    po = make_catalog()
    base = tmp_path / "translations" / "x" / "whatever.en.po"
    assert default_output(base, "md", po) == base.with_name("shanghai-port-2025.en.md")
    assert default_output(base, "html", po).name == "shanghai-port-2025.en.html"
    assert default_output(base, "bilingual-html", po).name == "shanghai-port-2025.zh-en.html"
    assert default_output(base, "tmx", po).name == "shanghai-port-2025.zh-en.tmx"
    po.metadata["X-Bilingual-Document"] = "../../etc/evil"
    assert default_output(base, "md", po) == base.with_name("whatever.en.md")
    assert default_output(tmp_path / "doc.po", "md").name == "doc.en.md"


def test_build_file_writes_atomically_next_to_the_po(tmp_path):
    po_path = write_po(tmp_path / "shanghai-port-2025.en.po")
    written = build_file(po_path, "md")
    assert written == tmp_path / "shanghai-port-2025.en.md"
    assert written.read_text(encoding="utf-8") == build_markdown(polib.pofile(str(po_path)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shanghai-port-2025.en.md", "shanghai-port-2025.en.po"]


def test_cli_build_formats_output_and_refusal(tmp_path):
    runner = CliRunner()
    po_path = write_po(tmp_path / "doc.en.po", make_catalog(fuzzy={"measure-15.s2"}))
    result = runner.invoke(build_command, [str(po_path), "-f", "md", "-f", "html", "-f", "bilingual-html",
                                           "-f", "tmx", "--glossary", str(write_glossary(tmp_path / "g"))])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert names == ["doc.en.po", "shanghai-port-2025.en.html", "shanghai-port-2025.en.md",
                     "shanghai-port-2025.zh-en.html", "shanghai-port-2025.zh-en.tmx"]
    out = tmp_path / "custom.md"
    assert runner.invoke(build_command, [str(po_path), "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("> **Draft:**")
    stdout = runner.invoke(build_command, [str(po_path), "-f", "tmx", "-o", "-"])
    assert stdout.output.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    refused = runner.invoke(build_command, [str(po_path), "--reviewed-only", "-o", str(tmp_path / "no.md")])
    assert isinstance(refused.exception, BilingualError)
    assert "1 of" in str(refused.exception) and not (tmp_path / "no.md").exists()


def test_cli_reviewed_only_exit_code(tmp_path, run_cli):
    po_path = write_po(tmp_path / "doc.en.po", make_catalog(untranslated={"measure-20.s2"}))
    refused = run_cli(["build", str(po_path), "--reviewed-only"])
    assert refused.returncode == 2
    assert "refusing to build with --reviewed-only: 1 of" in refused.stderr
    assert not (tmp_path / "shanghai-port-2025.en.md").exists()


def test_cli_build_config_builds_each_documents_formats(tmp_path, run_cli):
    (tmp_path / "a").mkdir()
    write_po(tmp_path / "a" / "a.en.po", make_catalog(doc_id="a"))
    write_po(tmp_path / "b.en.po", make_catalog(doc_id="b"))
    write_glossary(tmp_path / "glossary")
    config = tmp_path / "bilingual.toml"
    config.write_text('[[document]]\nname = "a"\nsource = "a/a.zh.txt"\npo = "a/a.en.po"\n'
                      'build = ["md", "html", "bilingual-html"]\n\n'
                      '[[document]]\nname = "b"\nsource = "b.zh.txt"\npo = "b.en.po"\n', encoding="utf-8")
    result = run_cli(["build", "--config", str(config)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["a.en.html", "a.en.md", "a.en.po", "a.zh-en.html"]
    assert (tmp_path / "b.en.md").exists() and not (tmp_path / "b.en.html").exists()
    assert '<mark class="term"' in (tmp_path / "a" / "a.zh-en.html").read_text(encoding="utf-8")
