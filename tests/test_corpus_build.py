"""The English build (``--engine none``) of every corpus document: title, number, numbering, agencies.

Each document of tests/corpus goes through the real commands — ``bilingual translate SOURCE
--engine none`` (no MT: only rule- and glossary-rendered English) and ``bilingual build --format
md`` — and the build is checked against the hand-written expectation:

* the publication's title is the document's title, and no line of page furniture is translated;
* the document number is there (as the rule renders it, or as printed);
* every section, chapter, measure and item carries the English of its printed number (（一） in
  section 二、 of a notice that restarts is "(1)", 3. under （二） is "(c)", the negative list's
  table category 一、 after four sections of 说明 is "I.", not "V." as its id ``section-5`` says);
* every agency clause is rendered from the glossary, never by MT: each body the glossary knows
  appears in English; a body it does not know is left in Chinese and flagged (fuzzy, with a
  ``not in glossary`` comment) for review — the national termbase fills those in.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import polib
import pytest
from corpusfiles import CORPUS, DOCUMENTS, source

from bilingual.build import document_tree
from bilingual.cli import main
from bilingual.glossary import load_glossary
from bilingual.ingest import read_source
from bilingual.po import comment_lines
from bilingual.structure import FURNITURE, english_label, parse, parse_clause
from bilingual.structure.numbering import match_label

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """name → (PO file, Markdown build), made by the CLI for every corpus document."""
    out = {}
    root = tmp_path_factory.mktemp("corpus-build")
    for name in DOCUMENTS:
        po = root / f"{name}.en.po"
        md = root / f"{name}.en.md"
        assert main(["translate", str(source(name)), "--engine", "none", "-o", str(po), "--no-cache",
                     "--quiet"]) == 0  # fmt: skip
        assert main(["build", str(po), "--format", "md", "-o", str(md)]) == 0
        out[name] = (polib.pofile(str(po)), md.read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def _expected(name: str) -> dict:
    with open(CORPUS / f"{name}.expected.toml", "rb") as handle:
        return tomllib.load(handle)


def _units(nodes, found: dict[str, str]) -> dict[str, str]:
    for node in nodes:
        if node.kind in ("section", "chapter", "division", "measure", "item", "sub", "article"):
            found[node.key] = node.label
        _units([*node.children, *node.rows], found)
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
def test_title_and_no_furniture(built, name):
    po, md = built[name]
    expected = _expected(name)
    title = po.find("notice.title", by="msgctxt")
    if expected["title"]:
        assert title is not None and title.msgid == expected["title"]
        assert re.search(rf"^# .*{re.escape(title.msgstr or title.msgid)}", md, re.MULTILINE)
    else:
        assert title is None
    blocks = parse(read_source(source(name))).blocks
    furniture = {b.line for b in blocks if b.kind == FURNITURE} - {b.line for b in blocks if b.kind != FURNITURE}
    for entry in po:  # nothing of the page is translated (a metadata field may give the number)
        lines = {int(line) for _, line in entry.occurrences}
        assert not lines & furniture or entry.msgctxt == "notice.doc-number", entry.msgctxt


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_number(built, name):
    po, md = built[name]
    number = _expected(name)["doc_number"]
    entry = po.find("notice.doc-number", by="msgctxt")
    if not number:
        assert entry is None
        return
    assert entry is not None and entry.msgid == number
    assert (entry.msgstr or entry.msgid) in md.replace("\\", "")  # Markdown escapes [ ]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_numbering_as_printed(built, name):
    po, _ = built[name]
    labels = _units(document_tree(po), {})
    expected = _expected(name)
    for unit in [*expected["units"], *expected.get("sections", ()), *expected.get("chapters", ())]:
        level = unit["id"].rsplit(".", 1)[-1].split("-")[0]
        label = match_label(unit["label"] + "x")  # a table's number column prints the bare number
        printed = label.number if label is not None else int(unit["label"])
        assert labels.get(unit["id"]) == english_label(level, printed), unit


@pytest.mark.parametrize("name", DOCUMENTS)
def test_numbered_line_only_where_the_print_differs_from_the_id(built, name):
    """The entries of a unit whose id names another number than the printed one (the negative
    list's table category 一、 is ``section-5``) say the printed number (``#. numbered: 1``); no
    other entry of any document has the line, so a document numbered as its ids is unchanged."""
    po, _ = built[name]
    expected = _expected(name)
    differs = {}
    for unit in [*expected["units"], *expected.get("sections", ()), *expected.get("chapters", ())]:
        label = match_label(unit["label"] + "x")
        printed = label.number if label is not None else int(unit["label"])
        if printed != int(unit["id"].rsplit("-", 1)[1]):
            differs[unit["id"]] = f"numbered: {printed}"
    for entry in po:
        lines = [line for line in comment_lines(entry.comment) if line.startswith("numbered:")]
        unit = entry.msgctxt.rsplit(".", 1)[0]
        assert lines == ([differs[unit]] if unit in differs else []), entry.msgctxt
    if name == "20-ndrc-mofcom-order-47":
        assert differs == {f"section-{n + 4}": f"numbered: {n}" for n in range(1, 7)}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_agencies_from_the_glossary_never_mt(built, glossary, name):
    """Every agency clause is rendered from the glossary of the document's issuer (its scope, as
    translate chooses it), or — when a body is unknown there — left empty with a ``suspect name``
    comment naming it: never machine-translated, never guessed."""
    from bilingual.issuer import infer_document
    from bilingual.scope import scoped_glossary

    scoped = scoped_glossary(glossary, infer_document(parse(read_source(source(name)))).place)
    po, md = built[name]
    clauses = [e for e in po if e.msgctxt.endswith((".agencies", ".partners"))
               or (re.search(r"\.s\d+$", e.msgctxt) and e.msgid[:1] in "(（" and parse_clause(e.msgid))]  # inline
    suspect = {e.msgctxt for e in clauses if e.msgstr == "" and "suspect name:" in e.comment}
    for entry in clauses:
        assert entry.msgctxt in suspect or "origin: glossary" in entry.comment, entry.msgctxt
    for unit in _expected(name)["units"]:
        for body in [*unit.get("agencies", ()), *unit.get("partners", ())]:
            mine = [e for e in clauses if body in e.msgid and e.msgctxt.startswith(unit["id"] + ".")]
            assert mine, (unit["id"], body)
            term = scoped.lookup(body)
            for entry in mine:
                if term is None:  # unknown to the issuer's glossary: left to review, visibly
                    assert entry.msgctxt in suspect and f"suspect name: {body} " in entry.comment, (unit["id"], body)
                elif entry.msgctxt not in suspect:  # (a clause with another, unknown body stays empty)
                    assert scoped.english(term) in entry.msgstr, (unit["id"], body)
                    assert scoped.english(term) in re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)  # Markdown escapes


def test_negative_list_table_categories_are_numbered_as_printed(built, tmp_path):
    """The 2021 negative list (corpus 20): the 说明's 一、 … 四、 are "I." … "IV.", and the table's
    categories, 一、农、林、牧、渔业 again, are "I." … "VI." (ids section-5 … section-10), as the
    official English version numbers them; the review page heads their groups so too."""
    po, md = built["20-ndrc-mofcom-order-47"]
    said = [line.split("**")[1] for line in md.splitlines() if re.match(r"^\*\*[IVX]+\.\*\* ", line)]
    assert said == ["I.", "II.", "III.", "IV."]
    categories = re.findall(r"^\| \*\*([IVX]+\.) ", md, flags=re.M)
    assert categories == ["I.", "II.", "III.", "IV.", "V.", "VI."]
    assert re.search(r"^\| \*\*I\. 农、林、牧、渔业", md, flags=re.M)
    path = tmp_path / "list.en.po"
    po.save(str(path))
    assert main(["build", str(path), "--format", "bilingual-html", "-o", str(tmp_path / "review.html")]) == 0
    review = (tmp_path / "review.html").read_text(encoding="utf-8")
    headers = re.findall(r'colspan="3">(Section [IVX]+)</th>', review)
    assert headers == ["Section I", "Section II", "Section III", "Section IV",
                       "Section I", "Section II", "Section III", "Section IV", "Section V", "Section VI"]


def test_review_page_and_html_where_numbering_restarts(built, tmp_path):
    """The review page groups a restarted measure under its section; the HTML prints its printed number."""
    po, md = built["01-guobanfa-2018-123"]
    path = tmp_path / "restart.en.po"
    po.save(str(path))
    for fmt in ("bilingual-html", "html"):
        assert main(["build", str(path), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")]) == 0
    review = (tmp_path / "out.bilingual-html").read_text(encoding="utf-8")
    assert "Section IV, measure (4)" in review and "Section V, measure (3)" in review
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert page.count('<span class="num">(1)</span>') == 4  # （一） of sections I, III, IV and V
    assert "**(4) 监督管理。" in md


@pytest.mark.parametrize("name", [n for n in DOCUMENTS if _expected(n).get("chapters")])
def test_chapters_and_divisions_are_headings(built, name):
    """Every chapter (第一章) and division (第一节) is a heading with its English number, a
    division one level below its chapter; a table of contents listing them makes none."""
    _, md = built[name]
    levels = {}
    for chapter in _expected(name)["chapters"]:
        unit = "division" if ".division-" in chapter["id"] else "chapter"
        english = english_label(unit, int(chapter["id"].rsplit("-", 1)[1]))
        found = [line for line in md.splitlines() if re.match(rf"^#+ {re.escape(english)}\b", line)]
        assert found, f"{english} ({chapter['label']}) is no heading"
        levels[unit] = found[0].split()[0]
    assert len(re.findall(r"^#+ Chapter 1\b", md, flags=re.M)) == 1  # the contents' entry is text
    if "division" in levels:
        assert len(levels["division"]) == len(levels["chapter"]) + 1
