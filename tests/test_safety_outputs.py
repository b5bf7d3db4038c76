"""What a careless ``-o`` or a wrong argument cannot destroy (issue 11, second round).

Each test replays one reproduction of the attack report through the CLI in the test
process (``inproc.run_inprocess``): same ``main()``, exit codes and one-line errors.
"""

from __future__ import annotations

import os

import pytest
from inproc import run_inprocess

NOTICE_PAGE = ('<html><head><meta charset="utf-8"><title>关于加强口岸管理的通知</title></head><body>'
               "<p>关于加强口岸管理的通知</p><p>一、优化通关。对首次进出口的企业给予奖励。（上海海关）</p>"
               "<p>二、加强保障。各单位要落实责任。（上海海关）</p></body></html>")


def bilingual(tmp_path, *args):
    return run_inprocess(args, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, cwd=tmp_path)


@pytest.fixture
def shipped(tmp_path, repo_root):
    """The shipped source, PO file and config, copied into a project folder."""
    folder = repo_root / "translations" / "shanghai-port-2025"
    (tmp_path / "src.txt").write_bytes((folder / "source.zh.txt").read_bytes())
    (tmp_path / "doc.en.po").write_bytes((folder / "shanghai-port-2025.en.po").read_bytes())
    (tmp_path / "bilingual.toml").write_bytes((repo_root / "bilingual.toml").read_bytes())
    return tmp_path


def refused(result, name: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and name in result.stderr, result.stderr


# --------------------------------------------------------------------------- 3: build -o over an input


def test_build_never_writes_over_the_source_the_config_or_a_glossary_file(shipped):
    before = {p.name: p.read_bytes() for p in shipped.iterdir() if p.is_file()}
    (shipped / "link.txt").symlink_to("src.txt")
    for fmt, target in [("md", "src.txt"), ("md", "link.txt"), ("html", "bilingual.toml"), ("tmx", "src.txt")]:
        result = bilingual(shipped, "build", "doc.en.po", "-f", fmt, "-o", target)
        refused(result, target)
        # the config is an input of every command run in the project; src.txt is not a build
        assert ("input" if target == "bilingual.toml" else f"not a {fmt} file built by bilingual") in result.stderr
    glossary = shipped / "glossary"
    glossary.mkdir()
    (glossary / "project.csv").write_text("zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants\n",
                                          encoding="utf-8")
    refused(bilingual(shipped, "build", "doc.en.po", "-f", "md", "-o", "glossary/project.csv"), "project.csv")
    for target in ("src.txt", "bilingual.toml"):  # extract, likewise
        result = bilingual(shipped, "extract", "src.txt", "-o", target)
        refused(result, target)
        assert "input" in result.stderr
    assert {p.name: p.read_bytes() for p in shipped.iterdir() if p.is_file() and p.name in before} == before
    assert (glossary / "project.csv").read_text(encoding="utf-8").startswith("zh,en,kind")

    # a build over an earlier build of bilingual, or a Markdown file, is fine
    assert bilingual(shipped, "build", "doc.en.po", "-f", "html", "-o", "page.html").returncode == 0
    assert bilingual(shipped, "build", "doc.en.po", "-f", "html", "-o", "page.html").returncode == 0
    (shipped / "notes.md").write_text("old\n", encoding="utf-8")
    assert bilingual(shipped, "build", "doc.en.po", "-f", "md", "-o", "notes.md").returncode == 0


def test_build_never_writes_over_the_source_its_po_file_names(tmp_path):
    """The source of a PO file (its ``X-Bilingual-Source`` header) is an input of every build of it,
    by inode: through a symbolic link and ``dir/..`` too."""
    page = tmp_path / "notice.html"
    page.write_text(NOTICE_PAGE, encoding="utf-8")
    assert bilingual(tmp_path, "translate", "notice.html", "-o", "notice.en.po", "--engine", "pseudo").returncode == 0
    (tmp_path / "sub").mkdir()
    os.symlink("notice.html", tmp_path / "page.html")
    for target in ("notice.html", "page.html", "sub/../notice.html"):
        result = bilingual(tmp_path, "build", "notice.en.po", "-f", "html", "-o", target)
        refused(result, target)
        assert "input" in result.stderr
    assert page.read_text(encoding="utf-8") == NOTICE_PAGE
