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


# --------------------------------------------------------------------------- 21: templates, own builds, memories


def test_translate_never_writes_translations_into_a_template(tmp_path):
    (tmp_path / "notice.html").write_text(NOTICE_PAGE, encoding="utf-8")
    assert bilingual(tmp_path, "extract", "notice.html", "-o", "notice.pot").returncode == 0
    template = (tmp_path / "notice.pot").read_bytes()
    for target in ("notice.pot", "new.POT"):
        refused(bilingual(tmp_path, "translate", "notice.html", "-o", target, "--engine", "pseudo"), target)
    assert (tmp_path / "notice.pot").read_bytes() == template and not (tmp_path / "new.POT").exists()


def test_bilinguals_own_builds_are_refused_as_sources(tmp_path):
    (tmp_path / "notice.html").write_text(NOTICE_PAGE, encoding="utf-8")
    assert bilingual(tmp_path, "translate", "notice.html", "-o", "notice.en.po", "--engine", "pseudo").returncode == 0
    for fmt in ("bilingual-html", "html", "md"):
        assert bilingual(tmp_path, "build", "notice.en.po", "-f", fmt).returncode == 0
    (tmp_path / "renamed.html").write_bytes((tmp_path / "notice.zh-en.html").read_bytes())  # found by its mark
    for built in ("notice.zh-en.html", "notice.en.html", "notice.en.md", "renamed.html"):
        result = bilingual(tmp_path, "translate", built, "-o", "again.en.po", "--engine", "pseudo")
        refused(result, built)
        assert "bilingual built" in result.stderr
    assert not (tmp_path / "again.en.po").exists()


def notice(number: str, issuer: str, sentence: str) -> str:
    """A cover notice modelled on the port-city notices: document number, title, one measure, signature."""
    return (f"{number}\n关于进一步优化口岸营商环境的通知\n各有关单位：\n"
            f"一、提升通关效率。{sentence}（{issuer}）\n{issuer}\n2025年3月10日\n")


def test_a_memory_from_another_issuers_document_is_only_a_proposal(tmp_path):
    """The same sentence at the same place (section-1.s2) of a Tianjin notice: a Ningbo notice gets
    its English fuzzy, a Tianjin notice of the next year reviewed."""
    sentence, english = "推进“提前申报”模式。", "Advance the advance-declaration model."
    (tmp_path / "tj-2025.txt").write_text(notice("津商务发〔2025〕12号", "天津市商务局", sentence), encoding="utf-8")
    assert bilingual(tmp_path, "translate", "tj-2025.txt", "-o", "tj-2025.en.po", "--engine", "pseudo").returncode == 0
    po = tmp_path / "tj-2025.en.po"
    text = po.read_text(encoding="utf-8")
    block = next(b for b in text.split("\n\n") if 'msgctxt "section-1.s2"' in b)
    reviewed = block.replace("#, fuzzy\n", "").rsplit("msgstr ", 1)[0] + f'msgstr "{english}"'
    po.write_text(text.replace(block, reviewed), encoding="utf-8")
    assert bilingual(tmp_path, "build", "tj-2025.en.po", "-f", "tmx", "-o", "tj.tmx").returncode == 0

    (tmp_path / "nb.txt").write_text(notice("甬商务发〔2025〕3号", "宁波市商务局", sentence), encoding="utf-8")
    (tmp_path / "tj-2026.txt").write_text(notice("津商务发〔2026〕4号", "天津市商务局", sentence), encoding="utf-8")
    for name, fuzzy in (("nb", True), ("tj-2026", False)):
        result = bilingual(tmp_path, "translate", f"{name}.txt", "-o", f"{name}.en.po", "--engine", "pseudo",
                           "--tm", "tj.tmx")
        assert result.returncode == 0, result.stderr
        got = entry_of(tmp_path / f"{name}.en.po", "section-1.s2")
        assert got.msgstr == english and got.fuzzy is fuzzy, (name, got)
    assert "issuer Tianjin, not Ningbo" in entry_of(tmp_path / "nb.en.po", "section-1.s2").comment


def entry_of(po, ctx: str):
    import polib

    return polib.pofile(str(po), wrapwidth=0).find(ctx, by="msgctxt")
