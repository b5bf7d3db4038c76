"""`bilingual align`: official English versions → translation memory (issue 16).

The document pairs in tests/align/ are modelled on real official translations
(tests/align/SOURCES.md); each has a gold alignment made by hand. These tests hold
the aligner to precision ≥ 0.95 and recall ≥ 0.85 on every pair, in every input
format, and check the names across the page, the terminology report, the memory
files and their use by `translate --tm`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import polib
import pytest
from conftest import need

from bilingual.align import align_files
from bilingual.align.outputs import evaluate, read_gold
from bilingual.align.report import terminology
from bilingual.glossary import COLUMNS, load_glossary

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "align"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
import docbuilders  # noqa: E402
import enbuilders  # noqa: E402

FORMAT_CACHE = TESTS / ".model-cache" / "formats"
SHIPPED = TESTS.parent / "translations" / "shanghai-port-2025"  # the project's reviewed document
PAIRS = {
    "sh-port-2023": "sh-port-2023.en.html",
    "sh-port-2021": "sh-port-2021.en.html",
    "sc-new-forms-2021": "sc-new-forms-2021.en.txt",
    "gacc-2023-196": "gacc-2023-196.en.txt",
    "shanghai-port-2025": SHIPPED / "shanghai-port-2025.en.md",  # built from the reviewed PO file
}
MIN_PRECISION, MIN_RECALL = 0.95, 0.85
STANDALONE = {"BILINGUAL_BUILTIN_GLOSSARY": "0"}  # the fixture glossary without the built-in termbase


@pytest.fixture(scope="module")
def glossary(repo_root):
    return load_glossary(repo_root / "glossary")


@pytest.fixture(scope="module")
def fixture_glossary():
    """A small glossary whose English the report expectations below are written against."""
    return load_glossary(DATA / "glossary", builtin=False)  # alone: not on top of the built-in termbase


#: Chinese sources outside tests/align: the project's own document, beside its reviewed English.
ZH_SOURCES: dict[str, Path] = {"shanghai-port-2025": SHIPPED / "source.zh.txt"}


def _align(name: str, glossary, en: Path | None = None, zh: Path | None = None):
    return align_files(zh or ZH_SOURCES.get(name, DATA / f"{name}.zh.txt"), en or DATA / PAIRS[name], glossary)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_every_pair_meets_precision_and_recall(name, glossary):
    score = evaluate(_align(name, glossary), read_gold(DATA / f"{name}.gold.tsv"))
    assert score.precision >= MIN_PRECISION, score.wrong
    assert score.recall >= MIN_RECALL, score.missed


def test_the_reviewed_publication_aligns_back_to_its_source_completely(glossary):
    """The project's own document: its English (the Markdown built from the reviewed PO file) keeps
    the reviewer's sentence boundaries, so every segment pairs and nothing is left out — the masthead's
    misread body 上海市海归会, unknown to the glossary, by its place among the bodies it knows."""
    result = _align("shanghai-port-2025", glossary)
    score = evaluate(result, read_gold(DATA / "shanghai-port-2025.gold.tsv"))
    assert (score.precision, score.recall) == (1.0, 1.0), (score.wrong, score.missed)
    assert result.left_out == [] and len(result.pairs) == 159
    masthead = next(p for p in result.names if p.zh_key == "notice.issuer-2")
    assert (masthead.zh, masthead.en, masthead.how) == ("上海市海归会", "Shanghai Customs", "order")
    assert next(p for p in result.pairs if p.ctx == "notice.s1").bead == "1-3"  # one Chinese sentence, three English


def test_what_cannot_be_aligned_with_confidence_is_left_out(glossary):
    """2023: the English drops a sentence of measure 3, adds one to measure 5 and splits the notice's
    last sentence in two; the added sentence makes measure 5 ambiguous, so both are left out."""
    result = _align("sh-port-2023", glossary)
    pairs = {p.ctx: p for p in result.pairs}
    assert "measure-3.s3" not in pairs and "measure-3.s2+s3" not in pairs
    assert pairs["measure-3.s2"].en.startswith("Enterprises with advanced certification")
    left = {(x.side, x.ctx) for x in result.left_out}
    assert ("zh", "measure-3.s3") in left and ("zh", "measure-5.s3") in left
    assert any(x.side == "en" and x.text == "The pilot starts with enterprises registered in Shanghai."
               for x in result.left_out)
    assert pairs["measure-2.s2+s3"].bead == "2-1"
    assert pairs["measure-7.s2"].bead == "1-2"
    assert ("zh", "notice.disclosure") in left  # the English has none


def test_cli_reports_precision_and_recall_and_gates_on_them(run_cli, tmp_path):
    zh, en, gold = DATA / "sh-port-2023.zh.txt", DATA / "sh-port-2023.en.html", DATA / "sh-port-2023.gold.tsv"
    done = run_cli(["align", zh, en, "--gold", gold, "--format", "json", "--min-precision", "0.95",
                    "--min-recall", "0.85"])
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["gold"]["correct"] == 47 and report["gold"]["found"] == 47 and report["gold"]["gold"] == 49
    assert report["gold"]["precision"] == 1.0 and report["gold"]["recall"] == round(47 / 49, 4)
    strict = run_cli(["align", zh, en, "--gold", gold, "--min-recall", "0.99", "-q"])
    assert strict.returncode == 1
    assert "gold: precision 1.000 (47/47), recall 0.959 (47/49)" in strict.stdout
    assert "missed: 现印发给你们，请结合实际认真贯彻落实。\tThe Measures are hereby issued to you." in strict.stdout


def test_issuing_bodies_pair_across_the_page(glossary):
    """2023: the Chinese signs at the end, the official English lists the bodies at the top."""
    result = _align("sh-port-2023", glossary)
    names = {p.zh_key: p for p in result.names if p.zh_key.startswith("notice.signatory-")}
    assert len(names) == 10
    assert all(p.en_key.startswith("notice.issuer-") for p in names.values())
    assert (names["notice.signatory-2"].zh, names["notice.signatory-2"].en) == ("上海海关", "Shanghai Customs District")
    assert names["notice.signatory-2"].how == "glossary"
    last = names["notice.signatory-10"]
    assert (last.zh, last.en) == ("中国银保监会上海监管局", "China Banking and Insurance Regulatory Commission Shanghai office")
    # a body the glossary does not know is paired by its place between two bodies it knows
    from bilingual.glossary import Glossary

    unknown = Glossary([t for t in glossary.terms if "银保监" not in t.zh + (t.abbreviation_of or "")])
    assert unknown.match("中国银保监会上海监管局") == []
    by_order = {p.zh_key: p for p in _align("sh-port-2023", unknown).names}["notice.signatory-10"]
    assert (by_order.zh, by_order.en, by_order.how) == (last.zh, last.en, "order")
    pair = next(p for p in result.pairs if p.ctx == "notice.signatory-6")
    assert pair.en == "Shanghai Municipal Tax Service, State Taxation Administration"
    assert pair.en_line < next(p.en_line for p in result.pairs if p.ctx == "notice.title")


def test_masthead_and_signatures_pair_with_the_list_in_the_same_place(glossary):
    """2021: both versions have the list at the top and at the end."""
    result = _align("sh-port-2021", glossary)
    places = {(p.zh_key.split("-")[0], p.en_key.split("-")[0]) for p in result.names
              if p.zh_key.startswith("notice.")}
    assert places == {("notice.issuer", "notice.issuer"), ("notice.signatory", "notice.signatory")}


def test_english_numbering_another_level_still_pairs_by_structure(glossary):
    """GACC: the Chinese sections 一、二、三、 are printed 1. 2. 3. in English, with their paragraphs."""
    pairs = {p.ctx: p.en for p in _align("gacc-2023-196", glossary).pairs}
    assert pairs["section-2.title"] == "Matters concerning certificates of origin"
    assert pairs["paragraph-2.s2"] == ("The way certificates of origin are submitted and what they must contain "
                                       "remain unchanged.")
    assert pairs["notice.s3"] == "It is hereby announced."


def test_a_reordered_english_list_still_pairs_by_the_glossary(glossary, tmp_path):
    page = (DATA / "sh-port-2023.en.html").read_text(encoding="utf-8")
    lines = page.split("\n")
    first = next(k for k, line in enumerate(lines) if line == "<p>Shanghai Municipal Commission of Commerce</p>")
    lines[first:first + 9] = reversed(lines[first:first + 9])  # the unknown tenth body stays last
    reordered = tmp_path / "reordered.en.html"
    reordered.write_text("\n".join(lines), encoding="utf-8")
    names = {p.zh: p.en for p in _align("sh-port-2023", glossary, en=reordered).names
             if p.zh_key.startswith("notice.signatory-")}
    assert names["上海海关"] == "Shanghai Customs District"
    assert names["上海市财政局"] == "Shanghai Municipal Finance Bureau"
    assert names["上海市商务委员会"] == "Shanghai Municipal Commission of Commerce"


def test_a_measure_missing_from_the_english_shifts_nothing(glossary, tmp_path):
    """Drop measure (4) from the English and renumber the rest: (5) is now printed (4)."""
    page = (DATA / "sh-port-2023.en.html").read_text(encoding="utf-8")
    page = re.sub(r"<p>\(4\) Promoting electronic ocean bills.*?</p>\n", "", page)
    for n in range(5, 9):
        page = page.replace(f"<p>({n}) ", f"<p>({n - 1}) ")
    shorter = tmp_path / "shorter.en.html"
    shorter.write_text(page, encoding="utf-8")
    result = _align("sh-port-2023", glossary, en=shorter)
    gold = [(zh, en) for zh, en in read_gold(DATA / "sh-port-2023.gold.tsv")
            if "electronic ocean bill" not in en and "bill of lading" not in en
            and not en.startswith("(Shanghai Municipal Transportation Commission, Shanghai Customs District, People")]
    score = evaluate(result, gold)
    assert score.precision == 1.0, score.wrong
    assert score.recall >= MIN_RECALL
    assert not any(p.ctx.startswith("measure-4.") for p in result.pairs)
    assert next(p.en for p in result.pairs if p.ctx == "measure-5.s1") == "Expanding the use of cross-border e-invoices."


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_english_in_every_format_aligns_as_the_text(fmt, glossary):
    name = "sc-new-forms-2021"
    text = (DATA / PAIRS[name]).read_text(encoding="utf-8")
    path = enbuilders.render(text, fmt, FORMAT_CACHE, name=name,
                             header="No. 24 [2021] of the General Office of the State Council")
    as_text = [(p.ctx, p.zh, p.en) for p in _align(name, glossary).pairs]
    assert [(p.ctx, p.zh, p.en) for p in _align(name, glossary, en=path).pairs] == as_text


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_chinese_in_every_format_aligns_as_the_text(fmt, glossary):
    from bilingual.ingest import read_source
    from bilingual.structure import parse

    name = "sh-port-2021"
    source = DATA / f"{name}.zh.txt"
    clean = read_source(source)
    if fmt == "pdf":
        need(docbuilders.fonts_available(), "fonts-noto-cjk (the CJK font of the test PDFs)")
    rendered = docbuilders.build_all(docbuilders.items_from_text(clean, parse(clean)), FORMAT_CACHE,
                                     name=f"align-{name}", title="2021年上海口岸深化跨境贸易营商环境改革若干措施",
                                     pdf=fmt == "pdf")
    expected = [(p.ctx, p.zh, p.en) for p in _align(name, glossary).pairs]
    got = [(p.ctx, p.zh, p.en) for p in _align(name, glossary, zh=rendered[fmt]).pairs]
    score = evaluate(_align(name, glossary, zh=rendered[fmt]), read_gold(DATA / f"{name}.gold.tsv"))
    assert score.precision >= MIN_PRECISION and score.recall >= MIN_RECALL
    assert got == expected


def test_terminology_report_lists_every_differing_name(fixture_glossary):
    result = _align("sh-port-2023", fixture_glossary)
    found = {(f.zh, f.glossary_en, f.official_en, f.status) for f in terminology(result, fixture_glossary)}
    assert found == {
        ("上海海关", "Shanghai Customs", "Shanghai Customs District", "differs"),
        ("上海市市场监督管理局", "Shanghai Municipal Administration for Market Regulation",
         "Shanghai Administration for Market Regulation", "shorter"),
        ("上海出入境边防检查总站", "Shanghai General Station of Exit and Entry Frontier Inspection",
         "Shanghai General Station of Immigration Inspection", "differs"),
        ("上海市农业农村委员会", "Shanghai Municipal Agriculture and Rural Affairs Commission",
         "Shanghai Municipal Agricultural and Rural Committee", "differs"),
        ("中国银保监会上海监管局", "", "China Banking and Insurance Regulatory Commission Shanghai office",
         "not in glossary"),
        ("上海银保监局", "", "China Banking and Insurance Regulatory Commission Shanghai office", "not in glossary"),
    }
    customs = next(f for f in terminology(result, fixture_glossary) if f.zh == "上海海关")
    assert customs.places == ["notice.signatory-2", "measure-1.agencies", "measure-2.agencies",
                              "measure-3.agencies", "measure-4.agencies", "measure-6.agencies"]


def test_report_lines_and_csv_from_the_command(run_cli, tmp_path):
    csv_path = tmp_path / "report.csv"
    done = run_cli(["align", DATA / "sh-port-2023.zh.txt", DATA / "sh-port-2023.en.html", "--glossary",
                    DATA / "glossary", "--report-csv", csv_path, "-q"], env=STANDALONE)
    assert done.returncode == 0, done.stderr
    assert ("上海海关: glossary: Shanghai Customs; official: Shanghai Customs District  [notice.signatory-2, "
            "measure-1.agencies, measure-2.agencies, measure-3.agencies, measure-4.agencies, measure-6.agencies]"
            ) in done.stdout.splitlines()
    assert "上海市交通委员会" not in done.stdout  # written as the glossary writes it
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(COLUMNS)
    customs = next(r for r in rows if r["zh"] == "上海海关")
    assert customs["en"] == "Shanghai Customs District" and customs["kind"] == "organisation"
    assert "Shanghai Customs" in customs["note"] and customs["source"] == "official translation (sh-port-2023.en.html)"


def test_memory_files_hold_the_pairs(run_cli, tmp_path):
    from lxml import etree

    tmx, po_path = tmp_path / "sh-2023.tmx", tmp_path / "sh-2023.po"
    for out in (tmx, po_path):
        done = run_cli(["align", DATA / "sh-port-2023.zh.txt", DATA / "sh-port-2023.en.html", "-o", out, "-q"])
        assert done.returncode == 0, done.stderr
    tree = etree.parse(str(tmx))
    assert etree.DTD(str(TESTS / "tmx14.dtd")).validate(tree)
    assert tree.find("header/prop[@type='x-bilingual-origin']").text == "official translation sh-port-2023.en.html"
    units = tree.findall("body/tu")
    catalog = polib.pofile(str(po_path))
    assert len(units) == len(catalog) == 47
    entry = catalog.find("推广海运电子提单。", msgctxt="measure-4.s1")
    assert entry.msgstr == "Promoting electronic ocean bills of lading." and not entry.fuzzy
    assert "origin: official translation sh-port-2023.en.html" in entry.comment
    merged = next(e for e in catalog if e.msgctxt == "measure-2.s2+s3")
    assert "alignment: 2-1" in merged.comment
    assert catalog.metadata["X-Bilingual-Origin"] == "official translation sh-port-2023.en.html"


def test_memory_plugs_into_translate(run_cli, tmp_path):
    """Last year's official English comes back in this year's PO file, with its origin."""
    memory = tmp_path / "sh-2023.tmx"
    assert run_cli(["align", DATA / "sh-port-2023.zh.txt", DATA / "sh-port-2023.en.html", "-o", memory,
                    "-q"]).returncode == 0
    po_path = tmp_path / "sh-port-2024.en.po"
    done = run_cli(["translate", DATA / "sh-port-2024.zh.txt", "--engine", "none", "--tm", memory, "-o", po_path,
                    "--no-cache", "-q"])
    assert done.returncode == 0, done.stderr
    catalog = polib.pofile(str(po_path))
    same = catalog.find("依托上海国际贸易“单一窗口”建立口岸整体通关时长监测机制，逐步覆盖进出口各环节。",
                        msgctxt="measure-1.s2")
    assert same.msgstr == ("A mechanism for monitoring the overall clearance time at ports will be set up on the "
                           "Shanghai International Trade Single Window and will gradually cover every stage of "
                           "import and export.")
    assert not same.fuzzy
    assert ("origin: translation memory sh-2023.tmx, official translation sh-port-2023.en.html (exact match)"
            in same.comment.splitlines())
    changed = catalog.find("推动空运货站和分拨仓库公开作业流程和服务时间，鼓励提供全天候服务。", msgctxt="measure-1.s3")
    assert changed.fuzzy and changed.msgstr.startswith("Air cargo terminals")
    new = catalog.find("在浦东国际机场设立鲜活农产品通关“绿色通道”，实行7×24小时预约查验。", msgctxt="measure-2.s2")
    assert "official translation" not in new.comment  # not in last year's text


@pytest.mark.parametrize("args, message", [
    (["missing.zh.txt", "tests/align/sh-port-2023.en.html"], "missing.zh.txt: no such file"),
    (["tests/align/sh-port-2023.zh.txt", "tests/align/sh-port-2023.zh.txt"], "has no English text"),
    (["tests/align/sh-port-2023.zh.txt", "tests/align/sh-port-2023.en.html", "-o", "OUT.txt"],
     "must be a .tmx or a .po file"),
    (["tests/align/sh-port-2023.zh.txt", "tests/align/sh-port-2023.en.html", "--gold", "tests/align/SOURCES.md"],
     "expected 'Chinese<TAB>English'"),
    (["tests/align/sh-port-2023.zh.txt", "tests/align/sh-port-2023.en.html", "--min-recall", "0.9"],
     "need --gold"),
])
def test_bad_input_is_one_line_and_exit_2(run_cli, tmp_path, repo_root, args, message):
    args = [str(repo_root / a) if a.startswith("tests/") else a for a in args]
    args = [str(tmp_path / a) if a in ("OUT.txt", "missing.zh.txt") else a for a in args]
    done = run_cli(["align", *args])
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "OUT.txt").exists()


def test_output_over_an_input_is_refused(run_cli, tmp_path):
    en = tmp_path / "en.po"  # an English "version" named like a memory, to be overwritten by mistake
    en.write_text((DATA / "sc-new-forms-2021.en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = en.read_bytes()
    done = run_cli(["align", DATA / "sc-new-forms-2021.zh.txt", en, "-o", en])
    assert done.returncode == 2 and "is also an input of this command" in done.stderr
    assert en.read_bytes() == before


def test_a_known_variant_is_marked_as_one(fixture_glossary):
    """Issue 18's variants: an official English the glossary records as a variant is listed as such."""
    from dataclasses import asdict, dataclass

    from bilingual.glossary import Glossary, GlossaryTerm

    @dataclass(frozen=True)
    class Row(GlossaryTerm):
        variants: tuple[str, ...] = ()

    terms = [Row(**{**asdict(t), "variants": ("Shanghai Customs District",) if t.zh == "上海海关" else ()})
             for t in fixture_glossary]
    glossary = Glossary(terms)
    found = {f.zh: f for f in terminology(_align("sh-port-2023", glossary), glossary)}
    assert found["上海海关"].status == "variant"
    assert found["上海海关"].line().startswith(
        "上海海关: glossary: Shanghai Customs; official: Shanghai Customs District (known variant)")
    assert found["上海市市场监督管理局"].status == "shorter"


def test_report_csv_reads_back_through_glossary_import(run_cli, tmp_path):
    report, out = tmp_path / "terms.csv", tmp_path / "imported"
    out.mkdir()
    assert run_cli(["align", DATA / "sh-port-2023.zh.txt", DATA / "sh-port-2023.en.html", "--glossary",
                    DATA / "glossary", "--report-csv", report, "-q"], env=STANDALONE).returncode == 0
    done = run_cli(["glossary", "import", report, "-o", out])
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO((out / "imported.csv").read_text(encoding="utf-8"))))
    assert {(r["zh"], r["en"]) for r in rows} == {
        ("上海海关", "Shanghai Customs District"),
        ("上海市市场监督管理局", "Shanghai Administration for Market Regulation"),
        ("上海出入境边防检查总站", "Shanghai General Station of Immigration Inspection"),
        ("上海市农业农村委员会", "Shanghai Municipal Agricultural and Rural Committee"),
        ("中国银保监会上海监管局", "China Banking and Insurance Regulatory Commission Shanghai office"),
        ("上海银保监局", "China Banking and Insurance Regulatory Commission Shanghai office"),
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("name,english\nx,y\n", encoding="utf-8")
    refused = run_cli(["glossary", "import", bad])
    assert refused.returncode == 2 and "not a glossary CSV" in refused.stderr
