"""``build -o`` judges the file it would replace by where a link leads and what the file holds.

A second outside test found ``build -f md -o X.md`` replaced any file named ``*.md``: a PO
file copied to ``po-as.md``, and ``k2.en.po`` through a link ``k2.en.md``. The rule
(bilingual/inputs.py ``replaceable_build``): never a PO/POT/MO file or a foreign TMX by
content, never a mostly-Chinese source, never a file whose real name is of another kind;
an earlier build of bilingual in that format stays replaceable.
"""

from __future__ import annotations

import os

import pytest
from cliassert import one_line_error
from inproc import run_inprocess

SOURCE = ("关于加强口岸管理的通知\n一、优化通关。对年度进出口额首次超过1亿元的企业给予奖励。（上海海关）\n"
          "二、加强保障。各单位要落实责任。（上海海关）\n")


def bilingual(folder, *args):
    return run_inprocess(args, env={"XDG_CACHE_HOME": str(folder / "cache")}, cwd=folder)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    result = bilingual(tmp_path, "translate", "doc.txt", "-o", "doc.en.po", "--engine", "pseudo")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_a_po_file_behind_a_markdown_name_or_link_is_never_replaced(project):
    po = (project / "doc.en.po").read_bytes()
    (project / "k2.en.po").write_bytes(po)
    os.symlink("k2.en.po", project / "k2.en.md")
    (project / "po-as.md").write_bytes(po)
    assert bilingual(project, "extract", "doc.txt", "-o", "doc.pot").returncode == 0
    (project / "template.md").write_bytes((project / "doc.pot").read_bytes())
    (project / "catalog.md").write_bytes(b"\xde\x12\x04\x95" + bytes(28))  # an MO file's magic number
    for target, what in [("k2.en.md", "is a PO file"), ("po-as.md", "is a PO file"),
                         ("template.md", "is a PO file"), ("catalog.md", "is a MO file")]:
        before = (project / target).resolve()
        kept = before.read_bytes()
        line = one_line_error(bilingual(project, "build", "doc.en.po", "-f", "md", "-o", target), target, what)
        assert "refusing to replace" in line
        assert before.read_bytes() == kept
    assert (project / "k2.en.md").is_symlink() and (project / "k2.en.po").read_bytes() == po


def test_a_chinese_source_a_foreign_memory_and_another_kind_are_refused(project):
    (project / "source.md").write_text(SOURCE, encoding="utf-8")
    (project / "notes.txt").write_text("Notes in English, not a build.\n", encoding="utf-8")
    os.symlink("notes.txt", project / "notes.md")
    (project / "old.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header creationtool="Other"/>'
                                     "<body/></tmx>\n", encoding="utf-8")
    cases = [("md", "source.md", "mostly Chinese"), ("md", "notes.md", "through a link to notes.txt"),
             ("tmx", "old.tmx", "TMX memory")]
    for fmt, target, what in cases:
        kept = (project / target).read_bytes()
        one_line_error(bilingual(project, "build", "doc.en.po", "-f", fmt, "-o", target), target, what)
        assert (project / target).read_bytes() == kept
    assert bilingual(project, "build", "doc.en.po", "-f", "tmx", "-o", "mine.tmx").returncode == 0
    one_line_error(bilingual(project, "build", "doc.en.po", "-f", "html", "-o", "mine.tmx"), "mine.tmx",
                   "is a .tmx file, not a html one")


def test_earlier_builds_stay_replaceable_even_a_draft_still_in_chinese(project):
    assert bilingual(project, "translate", "doc.txt", "-o", "raw.en.po", "--engine", "none").returncode == 0
    for fmt, target in [("md", "raw.md"), ("html", "raw.html"), ("tmx", "raw.tmx"), ("bilingual-html", "raw.htm")]:
        assert bilingual(project, "build", "raw.en.po", "-f", fmt, "-o", target).returncode == 0
        result = bilingual(project, "build", "raw.en.po", "-f", fmt, "-o", target)  # over its own earlier build
        assert result.returncode == 0, result.stderr
    assert "关于加强口岸管理的通知 [ZH]" in (project / "raw.md").read_text(encoding="utf-8")
    os.symlink("raw.md", project / "latest.md")  # a link to an earlier build: written through
    assert bilingual(project, "build", "doc.en.po", "-f", "md", "-o", "latest.md").returncode == 0
    assert (project / "latest.md").is_symlink() and "[MT]" in (project / "raw.md").read_text(encoding="utf-8")
