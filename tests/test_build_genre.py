"""bilingual.build on every layout the structure stage knows: the fixture documents, end to end.

Each document of ``tests/fixtures`` (and one written here: a notice with two attachments,
chapters, articles with items and sub-items, a plain table, copy-to and imprint lines) goes
through the real pipeline — ingest → structure → segment → render (rules and glossary) →
pseudo MT for the rest → PO merge → PO text → polib — and is built as md, html and the review
page. The tests check the English labels and headings, in order, and that every active entry
is in the publication exactly once and in document order (each msgstr replaced by a unique
token, so that equal texts — an issuer that also signs — cannot hide a lost entry).
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from pofactory import E, make_catalog

from bilingual.build import (
    build_bilingual_html,
    build_html,
    build_markdown,
    document_tree,
    review_groups,
    table_columns,
)
from bilingual.check import active_entries, check_entry
from bilingual.glossary import load_glossary
from bilingual.ingest import read_source
from bilingual.issuer import infer_catalog, infer_document
from bilingual.po import Translation, catalog_text, merge_catalog
from bilingual.render import render_segment
from bilingual.scope import scoped_glossary
from bilingual.segment import segment_document
from bilingual.structure import parse

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
GLOSSARY = TESTS.parent / "glossary"

REGULATION = """上海市商务委员会文件

沪商自贸〔2025〕200号

上海市商务委员会关于印发《口岸收费目录清单管理办法》的通知

各相关单位：

现将《口岸收费目录清单管理办法》印发给你们，请遵照执行。

附件：1.口岸收费目录清单管理办法

2.口岸收费目录清单样表

上海市商务委员会

2025年7月1日

附件1

口岸收费目录清单管理办法

第一章　总则

第一条　为规范口岸收费行为，制定本办法。

第二条　本办法适用于本市口岸经营服务性收费。

第二章　目录管理

第三条　收费目录清单包括以下内容：

（一）收费项目名称；

（二）收费标准，包括：

1.按箱计收的标准；

2.按票计收的标准。

第四条　收费目录清单实行动态更新。

附件2

口岸收费目录清单样表

| 收费项目 | 收费标准 | 备注 |
| 港口作业包干费 | 按箱计收 | 集装箱 |
| 码头操作费 | 按票计收 | 散货 |

抄送：上海海关、市交通委。

上海市商务委员会办公室 2025年7月1日印发
"""

DOCUMENTS = ["opinion-headings", "articles-numbered", "measures-responsibility", "measures-table",
             "gacc-announcement", "regulation-chapters"]

# The English labels, in document order (md: heading, bold lead or plain lead of a unit; html: .num).
LABELS = {
    "opinion-headings": ["I.", "II.", "(1)", "(2)", "(a)", "(b)", "(c)", "(i)", "(ii)", "(iii)", "(3)",
                         "III.", "(4)", "(5)", "IV.", "(6)", "(7)"],
    "articles-numbered": ["Article 1", "Article 2", "Article 3", "Article 4", "(a)", "(b)", "(c)", "(d)",
                          "Article 5", "(a)", "(b)", "(c)", "Article 6", "Article 7", "Article 8", "Article 9",
                          "Article 10"],
    "measures-responsibility": ["I.", "(1)", "(2)", "(3)", "II.", "(4)", "(5)", "III.", "(6)", "(7)"],
    "measures-table": [],  # the measures are table rows
    "gacc-announcement": ["I.", "II.", "III.", "IV."],
    "regulation-chapters": ["Chapter 1", "Article 1", "Article 2", "Chapter 2", "Article 3", "(a)", "(b)", "(i)",
                            "(ii)", "Article 4"],
}
_MD_LABEL = re.compile(r"^(?:#+ |\*\*)?(Chapter \d+|Article \d+|[IVXLC]+\.|\([a-z]+\)|\(\d+\))(?=[ *]|$)", re.M)
_HTML_NUM = re.compile(r'<span class="num">([^<]*)</span>')


def _pipeline(source: Path, name: str, glossary) -> polib.POFile:
    """The PO file the pipeline writes for ``source``: rules and glossary, a stand-in MT for the rest.

    The stand-in "translates" a segment as ``en <msgctxt>`` (fuzzy), so the assertions below
    can say which entry they expect where.
    """
    document = parse(read_source(source))
    segments = segment_document(document)
    glossary = scoped_glossary(glossary, infer_document(document).place)  # as translate scopes it
    proposals: dict[str, Translation] = {}
    for seg in segments:
        rendered = render_segment(seg, glossary)
        if rendered is not None:
            proposals[seg.ctx] = Translation(rendered.text, rendered.fuzzy, [f"origin: {rendered.origin}"])
        else:
            proposals[seg.ctx] = Translation(f"en {seg.ctx}", True, ["origin: machine translation (stand-in)"])
    catalog = merge_catalog(segments, proposals, None, document=name, source_ref=source.name, comments={})
    return polib.pofile(catalog_text(catalog))


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory) -> dict[str, polib.POFile]:
    glossary = load_glossary(GLOSSARY)
    work = tmp_path_factory.mktemp("genre")
    (work / "regulation-chapters.zh.txt").write_text(REGULATION, encoding="utf-8")
    out = {}
    for name in DOCUMENTS:
        source = FIXTURES / f"{name}.zh.txt"
        out[name] = _pipeline(source if source.exists() else work / f"{name}.zh.txt", name, glossary)
    return out


@pytest.fixture(scope="module")
def builds(catalogs) -> dict[str, dict[str, str]]:
    return {name: {"md": build_markdown(po), "html": build_html(po)} for name, po in catalogs.items()}


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def _tokenised(po: polib.POFile) -> tuple[polib.POFile, list[str]]:
    """A copy with every active msgstr a unique reviewed token, and the tokens in file order."""
    po = copy.deepcopy(po)
    tokens = []
    for n, entry in enumerate(active_entries(po)):
        entry.msgstr = f"Tok{n:04d}x"
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        tokens.append(entry.msgstr)
    return po, tokens


class Nesting(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element; records headings."""

    VOID = {"meta", "br", "col", "img", "hr", "link", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _nesting(page: str) -> Nesting:
    parser = Nesting()
    parser.feed(page)
    parser.close()
    return parser


# --------------------------------------------------------------------------- every document


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_entry_is_published_exactly_once_in_document_order(catalogs, name):
    po, tokens = _tokenised(catalogs[name])
    for text in (build_markdown(po), _main(build_html(po))):
        assert [text.count(t) for t in tokens] == [1] * len(tokens)
        positions = [text.index(t) for t in tokens]
        assert positions == sorted(positions), "entries out of document order"
    rows = re.findall(r'<tr [^>]*data-ctx="([^"]+)"', build_bilingual_html(po))
    assert rows == [e.msgctxt for e in active_entries(po)]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_rule_rendered_entries_pass_the_qa_gate(catalogs, name):
    """Dates, numbers, deadlines, role lines and names the rules fill in reviewed: check finds nothing
    (with the glossary scope `bilingual check` infers from the PO file, as translate did)."""
    glossary = scoped_glossary(load_glossary(GLOSSARY), infer_catalog(catalogs[name]).place)
    reviewed = [e for e in active_entries(catalogs[name]) if e.msgstr and "fuzzy" not in e.flags]
    assert [(e.msgctxt, f.check, f.message) for e in reviewed for f in check_entry(e, glossary)] == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_english_labels_in_order(builds, name):
    md, page = builds[name]["md"], builds[name]["html"]
    assert _MD_LABEL.findall(md) == LABELS[name]
    nums = [n for n in _HTML_NUM.findall(_main(page)) if not n.endswith(":")]
    assert nums == LABELS[name]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pages_are_well_formed_with_one_h1_and_no_skipped_levels(builds, name):
    parsed = _nesting(builds[name]["html"])
    assert parsed.errors == [] and parsed.stack == []
    levels = parsed.headings
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    ids = [a["id"] for _, a in parsed.tags if "id" in a]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_review_page_groups(catalogs, name):
    page = build_bilingual_html(catalogs[name])
    parsed = _nesting(page)
    assert parsed.errors == []
    groups = [a["data-group"] for t, a in parsed.tags if t == "tbody"]
    assert len(groups) == len(set(groups))
    assert not any(g.startswith("other") for g in groups)


# --------------------------------------------------------------------------- the layouts


def test_opinion_sections_measures_items_and_sub_items(builds):
    md, page = builds["opinion-headings"]["md"], builds["opinion-headings"]["html"]
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == ["# en notice.title [MT]", "## I. en section-1.title [MT]", "## II. en section-2.title [MT]",
                        "## III. en section-3.title [MT]", "## IV. en section-4.title [MT]"]
    # a heading-only measure: its one sentence is its title; then its items and sub-items
    assert ("**(2) en measure-2.s1 [MT]**\n\n(a) en measure-2.item-1.s1 [MT] en measure-2.item-1.s2 [MT]\n\n"
            "(b) ") in md
    assert "(c) en measure-2.item-3.s1 [MT] en measure-2.item-3.s2 [MT]\n\n(i) en measure-2.item-3.sub-1.s1" in md
    # the unlabelled paragraphs after (5) are its paragraphs
    assert "**(5) en measure-5.s1 [MT]**\n\nen paragraph-2.s1 [MT]\n\nen paragraph-3.s1 [MT]\n\n## IV." in md
    assert "## I. en section-1.title [MT]\n\nen paragraph-1.s1 [MT] en paragraph-1.s2 [MT]\n\n## II." in md
    # html: items and sub-items are nested lists inside their measure and item
    item3 = page[page.index('<li class="item" id="measure-2-item-3">'):]
    assert item3.index('<ol class="subs">') < item3.index("</li>")
    assert page.index('<li class="measure" id="measure-2">') < page.index('<ol class="items">')
    measure5 = page[page.index('id="measure-5"'):page.index('id="section-4"')]
    assert measure5.count('<p class="paragraph">') == 2
    assert "General Office of the State Council\n\nMarch 10, 2025\n\nen notice.disclosure [MT]\n" in md


def test_articles_with_items(builds):
    md, page = builds["articles-numbered"]["md"], builds["articles-numbered"]["html"]
    assert md.startswith("> **Draft:** text marked [MT] is machine translation that has not been reviewed.\n\n"
                         "# en attachment.title [MT]\n\n**Article 1** en article-1.s1 [MT]\n\n")
    assert ("**Article 4** en article-4.s1 [MT]\n\n(a) en article-4.item-1.s1 [MT]\n\n"
            "(b) en article-4.item-2.s1 [MT]") in md
    assert "**Article 6** en article-6.s1 [MT] en article-6.s2 [MT]\n\n" in md
    parsed = _nesting(page)
    assert [a["id"] for t, a in parsed.tags if t == "li" and a.get("class") == "article"] == [
        f"article-{n}" for n in range(1, 11)]
    assert [a["id"] for t, a in parsed.tags if t == "li" and a.get("class") == "item"] == [
        *(f"article-4-item-{k}" for k in range(1, 5)), *(f"article-5-item-{k}" for k in range(1, 4))]


def test_measures_with_responsibility_lines(builds):
    md, page = builds["measures-responsibility"]["md"], builds["measures-responsibility"]["html"]
    # a Tianjin document: its short forms are Tianjin's bodies (issuer inferred), its number in pinyin
    assert "\n\nJin Shang Kou An \\[2025\\] No. 12\n\n" in md
    assert "\n\nAttachment: en notice.attachment-1 [MT]\n\n" in md  # the notice's attachment list
    assert ("\n---\n\n**Attachment**\n\n## en attachment.title [MT]\n\nen preamble.s1 [MT]\n\n"
            "### I. en section-1.title [MT]\n\n**(1) en measure-1.s1 [MT]** en measure-1.s2 [MT]\n\n"
            "*Lead agencies:* Tianjin Customs; Tianjin Municipal Transportation Commission; "
            "Tianjin Port (Group) Co., Ltd.\n\n") in md
    assert ("*Lead agencies:* Tianjin Customs; Tianjin Port (Group) Co., Ltd.\\\n"
            "*Partner agencies:* Tianjin Municipal Transportation Commission\n\n**(3) ") in md
    assert ("**(4) en measure-4.s1 [MT]** en measure-4.s2 [MT]\n\nen paragraph-1.s1 [MT]\n\n"
            "*Lead agencies:* Tianjin Municipal Development and Reform Commission\\\n"
            "*Partner agencies:* Tianjin Municipal Market Regulation Commission; Tianjin Municipal "
            "Transportation Commission; Tianjin Customs\\\n"
            "*Deadline:* by the end of December 2025\n\n**(5) ") in md
    assert "Shanghai" not in md
    assert ('<p class="deadline"><span class="label">Deadline:</span> by the end of December 2025</p>') in page
    assert page.count('<p class="partners"><span class="label">Partner agencies:</span>') == 2
    assert '<p class="attachment-label">Attachment</p>' in page


def test_table_of_measures_is_a_table(builds):
    md, page = builds["measures-table"]["md"], builds["measures-table"]["html"]
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert rows[0] == ("| No. | en table-1.head.c2 [MT] | en table-1.head.c3 [MT] | en table-1.head.c4 [MT] "
                       "| Lead agencies | Partner agencies | Deadline |")
    assert rows[1] == "| --- | --- | --- | --- | --- | --- | --- |"
    assert len(rows) == 8 and all(r.count(" | ") == 6 for r in rows)
    assert rows[2] == ("| (1) | I. en section-1.title [MT] | en measure-1.title [MT] | en measure-1.s1 [MT] "
                       "| Shanghai Customs | Shanghai Municipal Commission of Commerce | by the end of June 2025 |")
    assert rows[3].startswith("| (2) |  | en measure-2.title [MT] | ")  # the category: once per section
    assert rows[6].startswith("| (5) | III. en section-3.title [MT] | ") and rows[6].endswith("| ongoing |")
    assert md.endswith(" |\n\nen paragraph-1.s1 [MT]\n")  # the paragraph after the table is not in it
    parsed = _nesting(page)
    assert [a.get("scope") for t, a in parsed.tags if t == "th" and a.get("scope") == "col"] == ["col"] * 7
    assert [a.get("rowspan") for t, a in parsed.tags if t == "th" and a.get("scope") == "rowgroup"] == ["2"] * 3
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    cells = [row.count("<td>") + row.count("<th ") for row in body.split("<tr>")[1:]]
    assert cells == [7, 6, 7, 6, 7, 6]  # the category cell spans two rows
    assert page.index("</table>") < page.index('<p class="paragraph">')


def test_announcement_number_prose_sections_and_attachment_list(builds):
    md, page = builds["gacc-announcement"]["md"], builds["gacc-announcement"]["html"]
    gacc = "General Administration of Customs of the People's Republic of China (GACC)"
    assert md.split("\n\n")[1:4] == [f"Announcement No. 18 of 2025 of the {gacc}", "# en notice.title [MT]",
                                      "en notice.s1 [MT]"]
    # prose sections are numbered paragraphs, not headings; 特此公告 and the attachment list follow
    assert ("**I.** en section-1.s1 [MT]\n\n**II.** en section-2.s1 [MT] en section-2.s2 [MT]\n\n") in md
    assert ("**IV.** en section-4.s1 [MT] en section-4.s2 [MT]\n\nen notice.s2 [MT]\n\n"
            "Attachment 1: en notice.attachment-1 [MT]\\\nAttachment 2: en notice.attachment-2 [MT]\n\n"
            "General Administration of Customs of the People's Republic of China (GACC)\n\nFebruary 18, 2025\n") in md
    assert '<section class="section prose" id="section-4">' in page
    assert f'<p class="doc-number">Announcement No. 18 of 2025 of the {gacc}</p>'.replace("'", "&#x27;") in page


def test_chapters_articles_attachments_table_and_imprint(builds):
    md, page = builds["regulation-chapters"]["md"], builds["regulation-chapters"]["html"]
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == ["# en notice.title [MT]", "## en attachment.title [MT]",
                        "### Chapter 1 en chapter-1.title [MT]", "### Chapter 2 en chapter-2.title [MT]",
                        "## en attachment-2.title [MT]"]
    assert md.count("\n---\n") == 2
    assert "\n---\n\n**Attachment 1**\n\n## en attachment.title [MT]\n\n### Chapter 1" in md
    assert "\n---\n\n**Attachment 2**\n\n## en attachment-2.title [MT]\n\n| en table-1.head.c1 [MT] |" in md
    assert ("| en table-1.head.c1 [MT] | en table-1.head.c2 [MT] | en table-1.head.c3 [MT] |\n| --- | --- | --- |\n"
            "| en table-1.r1.c1 [MT] | en table-1.r1.c2 [MT] | en table-1.r1.c3 [MT] |\n") in md
    assert ("(b) en article-3.item-2.s1 [MT]\n\n(i) en article-3.item-2.sub-1.s1 [MT]\n\n"
            "(ii) en article-3.item-2.sub-2.s1 [MT]\n\n**Article 4**") in md
    assert md.endswith("*Copy to:* Shanghai Customs; Shanghai Municipal Commission of Transport.\n\n"
                       "en notice.printed [MT]\n")
    parsed = _nesting(page)
    assert [a.get("class") for t, a in parsed.tags if t == "article"] == ["notice", "attachment", "attachment"]
    assert [a["id"] for t, a in parsed.tags if t == "h2"] == ["attachment-title", "attachment-2-title"]
    assert [a["id"] for t, a in parsed.tags if t == "h3"] == ["chapter-1-title", "chapter-2-title"]
    chapter2 = page[page.index('id="chapter-2"'):]
    assert chapter2.index('id="article-3-item-2-sub-2"') < chapter2.index("</section>")
    assert page.index("</table>") < page.index('<footer class="imprint">') < page.index("</main>")


# --------------------------------------------------------------------------- crafted catalogues


def _po(*entries: E, **kw) -> polib.POFile:
    return make_catalog(entries=list(entries), **kw)


def test_measures_after_a_table_of_measures_are_not_swallowed():
    po = _po(
        E("table-1.head.c1", "具体措施", "Measure", 10), E("table-1.head.c2", "牵头单位", "Lead agencies", 10),
        E("measure-1.s1", "甲。", "First.", 11), E("measure-1.agencies", "上海海关", "Shanghai Customs", 11),
        E("measure-2.s1", "乙。", "Second.", 12),
        E("section-2.title", "丙", "Third section", 14),  # a blank line after the table: a heading
        E("measure-3.s1", "丁。", "Fourth.", 16), E("measure-3.agencies", "（上海海关）", "(Shanghai Customs)", 16))
    md = build_markdown(po)
    assert "| (1) First. | Shanghai Customs |\n| (2) Second. |  |" in md
    assert "## II. Third section\n\n**(3) Fourth.**\n\n*Lead agencies:* Shanghai Customs" in md


def test_table_columns_follow_the_structure_stage():
    assert table_columns({1: "序号", 2: "重点任务", 3: "具体措施", 4: "牵头单位"}) == {
        1: "number", 2: "title", 3: "measure", 4: "lead"}
    assert table_columns({1: "收费项目", 2: "收费标准"}) == {}  # cells, not measures
    assert table_columns({1: "任务", 2: "责任单位"}) == {1: "measure", 2: "lead"}


def test_a_role_without_a_column_gets_one_and_a_table_without_header_keeps_its_grid():
    po = _po(
        E("table-1.head.c1", "工作任务", "Task", 3), E("table-1.head.c2", "牵头单位", "Lead", 3),
        E("measure-1.s1", "甲。", "Do a | b.", 4), E("measure-1.agencies", "上海海关", "Shanghai Customs", 4),
        E("measure-1.deadline", "2025年底前", "by the end of 2025", 4),
        E("table-2.r1.c1", "甲", "A", 8), E("table-2.r1.c2", "乙", "B", 8), E("table-2.r2.c2", "丙", "C", 9))
    md = build_markdown(po)
    assert "| Task | Lead | Deadline |\n| --- | --- | --- |\n| (1) Do a \\| b. | Shanghai Customs | by the end of 2025 |" in md
    assert "|  |  |\n| --- | --- |\n| A | B |\n|  | C |" in md
    page = build_html(po)
    assert '<th scope="col">Deadline</th>' in page and _nesting(page).errors == []


def test_translator_typed_labels_and_roles_are_not_doubled():
    po = _po(
        E("article-3.s1", "内容如下：", "Article 3 The list contains:", 5),
        E("article-3.item-1.s1", "名称；", "(a) the name;", 6),
        E("measure-1.s1", "甲。", "(1) First.", 8),
        E("measure-1.agencies", "责任单位：上海海关", "Lead agencies: Shanghai Customs", 9),
        E("measure-1.partners", "配合单位：市商务委", "Partner agencies: Shanghai Municipal Commission of Commerce", 10),
        E("measure-1.deadline", "完成时限：2025年底前", "Deadline: by the end of 2025", 11))
    md = build_markdown(po)
    assert "**Article 3** The list contains:\n\n(a) the name;" in md
    assert "**(1) First.**" in md
    assert ("*Lead agencies:* Shanghai Customs\\\n*Partner agencies:* Shanghai Municipal Commission of Commerce"
            "\\\n*Deadline:* by the end of 2025") in md
    page = build_html(po)
    assert '<span class="label">Lead agencies:</span> Shanghai Customs</p>' in page


def test_paragraph_between_a_measure_and_its_roles_stays_in_the_measure():
    po = _po(E("section-1.title", "标题", "Heading", 1), E("measure-1.s1", "甲。", "First.", 3),
             E("paragraph-1.s1", "补充。", "More.", 5), E("measure-1.agencies", "上海海关", "Shanghai Customs", 7),
             E("measure-2.s1", "乙。", "Second.", 9))
    tree = document_tree(po)
    measure = tree[0].children[0].children[0]
    assert (measure.key, [c.kind for c in measure.children], list(measure.roles)) == (
        "measure-1", ["paragraph"], ["agencies"])
    assert review_groups(po)["paragraph-1.s1"] == "measure-1"
    page = build_bilingual_html(po)
    assert [g for g in re.findall(r'data-group="([^"]+)"', page)] == ["section-1", "measure-1", "measure-2"]


def test_a_plain_table_inside_a_measure_belongs_to_it():
    po = _po(E("measure-1.s1", "甲：", "First:", 3), E("table-1.head.c1", "项目", "Item", 5),
             E("table-1.r1.c1", "乙", "B", 6), E("measure-1.agencies", "上海海关", "Shanghai Customs", 8),
             E("measure-2.s1", "丙。", "Second.", 10))
    page = build_html(po)
    measure1 = page[page.index('<li class="measure" id="measure-1">'):page.index('id="measure-2"')]
    assert measure1.index('<table class="data" id="table-1">') < measure1.index('<p class="agencies">')
    assert "**(1) First:**\n\n| Item |\n| --- |\n| B |\n\n*Lead agencies:* Shanghai Customs\n\n**(2) Second.**" in (
        build_markdown(po))
    assert set(review_groups(po).values()) == {"measure-1", "measure-2"}
