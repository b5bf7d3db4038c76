"""Where numbering restarts, the English label is the number the document prints, not its id's.

Ids name units by place (the documented contract): a foreign-investment negative list's table
numbers its categories from 一、 again after the 说明's 一、 二、, so its first category is
``section-3.title`` here (``section-5`` in corpus document 20, which this text is modelled on:
tests/corpus/SOURCES.md). translate writes the printed number as a ``#. numbered: 1`` line on the
entries of such a unit, and only there; the build labels the unit with it ("I.", as the Chinese
prints 一、, not "III."); so are the sections of a second attachment that numbers from 一、 again.
The line is the source's, like the ``section`` line: it is written again
every run, it is in the template, so msgmerge keeps it, and a tool's rewrap does not lose it.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import polib
import pytest
from conftest import need

from bilingual.cli import main
from bilingual.po import comment_lines

SOURCE = """外商投资准入特别管理措施（负面清单）（2021年版）

说明

一、本清单列明外商投资准入方面的特别管理措施。

二、境外投资者不得以个体工商户身份在境内从事投资经营。

| 序号 | 特别管理措施 |
| 一、农、林、牧、渔业 | |
| 1 | 小麦新品种选育须由中方控股。 |
| 2 | 外资不得从事我国管辖海域的水产品捕捞。 |
| 二、采矿业 | |
| 3 | 外资不得进入稀土勘查和开采。 |
"""

# A notice with two attached sets of measures, each numbering its sections from 一、 (the form of
# 沪商自贸〔2025〕181号's notice and attachment, twice): attachment 2's 一、 is section-3.
ATTACHMENTS = """关于印发口岸两项工作措施的通知

各有关单位：

现将两项工作措施印发给你们，请结合实际抓好落实。

附件：1.口岸通关提效措施

2.口岸物流降费措施

上海市商务委员会

2025年5月6日

附件1

口岸通关提效措施

为进一步压缩通关时间，制定本措施。

一、优化申报流程

（一）推广提前申报模式。（上海海关）

二、强化信息共享

（二）完善单一窗口数据交换。（市商务委）

附件2

口岸物流降费措施

为降低进出口物流成本，制定本措施。

一、规范收费行为

（一）公开口岸收费目录清单。（市发展改革委）

二、提升服务效率

（二）压减集装箱提箱等待时间。（市交通委）
"""


@pytest.fixture
def translated(tmp_path):
    """The negative list translated with ``--engine none``: (source, PO file)."""
    source = tmp_path / "list.zh.txt"
    source.write_text(SOURCE, encoding="utf-8")
    po = tmp_path / "list.en.po"
    assert main(["translate", str(source), "--engine", "none", "-o", str(po), "--no-cache", "--quiet"]) == 0
    return source, po


def _md(po, tmp_path) -> str:
    out = tmp_path / "out.md"
    assert main(["build", str(po), "--format", "md", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _numbered(path) -> dict[str, list[str]]:
    return {e.msgctxt: [line for line in comment_lines(e.comment) if line.startswith("numbered:")]
            for e in polib.pofile(str(path))}


def test_the_table_category_is_labelled_as_printed(translated, tmp_path):
    _, po = translated
    md = _md(po, tmp_path)
    assert "**I.** 本清单列明" in md and "**II.** 境外投资者" in md  # the 说明's 一、 二、
    assert "| **I. 农、林、牧、渔业 [ZH]** |" in md and "| **II. 采矿业 [ZH]** |" in md  # the table's 一、 二、
    assert "III." not in md and "IV." not in md
    review = tmp_path / "review.html"
    assert main(["build", str(po), "--format", "bilingual-html", "-o", str(review)]) == 0
    headers = re.findall(r'<th scope="rowgroup" colspan="3">(Section [^<]*)</th>', review.read_text(encoding="utf-8"))
    assert headers == ["Section I", "Section II", "Section I", "Section II"], headers


def test_the_line_is_only_where_the_print_differs_from_the_id(translated):
    _, po = translated
    found = {ctx: lines for ctx, lines in _numbered(po).items() if lines}
    assert found == {"section-3.title": ["numbered: 1"], "section-4.title": ["numbered: 2"]}


def test_a_rerun_and_the_template_keep_it(translated, tmp_path):
    source, po = translated
    before = po.read_bytes()
    assert main(["translate", str(source), "--engine", "none", "-o", str(po), "--no-cache", "--quiet"]) == 0
    assert po.read_bytes() == before  # no churn: the line is written the same every run
    pot = tmp_path / "list.pot"
    assert main(["extract", str(source), "-o", str(pot)]) == 0
    assert _numbered(pot)["section-3.title"] == ["numbered: 1"]
    need(shutil.which("msgmerge") is not None, "GNU gettext (msgmerge)")
    merged = tmp_path / "merged.en.po"
    subprocess.run(["msgmerge", "--previous", "--no-wrap", "--quiet", "-o", str(merged), str(po), str(pot)],
                   check=True)  # fmt: skip
    assert _numbered(merged)["section-3.title"] == ["numbered: 1"]
    assert "| **I. 农、林、牧、渔业 [ZH]** |" in _md(merged, tmp_path)


def test_a_tools_rewrap_keeps_it_and_a_translators_note_is_no_number(translated, tmp_path):
    """A tool that wraps ``#.`` lines (Weblate, Poedit at a narrow width) breaks the section line
    before ``numbered:``; a ``# numbered: 9`` translator comment is a person's note, not the print."""
    _, po = translated
    text = po.read_text(encoding="utf-8")
    wrapped = text.replace("#. section 3: 农、林、牧、渔业\n#. numbered: 1\n",
                           "#. section 3: 农、林、\n#. 牧、渔业\n#. numbered: 1\n")
    wrapped = wrapped.replace('#: list.zh.txt:5\n', '# numbered: 9\n#: list.zh.txt:5\n')
    assert wrapped.count("#. 牧、渔业") == 1 and wrapped.count("# numbered: 9") == 1
    po.write_text(wrapped, encoding="utf-8")
    md = _md(po, tmp_path)
    assert "| **I. 农、林、牧、渔业 [ZH]** |" in md and "**I.** 本清单列明" in md


def test_a_second_attachment_numbers_its_sections_from_one_again(tmp_path):
    source = tmp_path / "two.zh.txt"
    source.write_text(ATTACHMENTS, encoding="utf-8")
    po = tmp_path / "two.en.po"
    assert main(["translate", str(source), "--engine", "none", "-o", str(po), "--no-cache", "--quiet"]) == 0
    assert {ctx: lines for ctx, lines in _numbered(po).items() if lines} == {
        "section-3.title": ["numbered: 1"], "section-4.title": ["numbered: 2"]}
    md = _md(po, tmp_path)
    assert re.findall(r"^### ([IVX]+\.) ", md, flags=re.M) == ["I.", "II.", "I.", "II."]
    assert "### I. 规范收费行为 [ZH]" in md and "**(1) 公开口岸收费目录清单。 [ZH]**" in md
    review = tmp_path / "review.html"
    assert main(["build", str(po), "--format", "bilingual-html", "-o", str(review)]) == 0
    headers = re.findall(r'colspan="3">(Section [^<·]*)', review.read_text(encoding="utf-8"))
    assert [h.strip() for h in headers] == ["Section I", "Section I, measure (1)", "Section II",
                                            "Section II, measure (2)"] * 2, headers
