"""The shipped English of 沪商自贸〔2025〕181号 is a reviewed translation, and the tool keeps it so.

The reviewed PO file is the project's first publication: re-running the pipeline must
leave it byte for byte (a translator's work is never touched), it must pass the
publication gate (`check --strict`), and the English built from it must read as a
finished document (no draft banner, no Chinese left).
"""

import json
import re
import shutil

import polib
import pytest

DOC = "shanghai-port-2025"


@pytest.fixture
def shipped(repo_root, tmp_path):
    """The shipped source, reviewed PO file and glossary, copied into a project in tmp_path."""
    folder = tmp_path / "translations" / DOC
    folder.mkdir(parents=True)
    for name in ("source.zh.txt", f"{DOC}.en.po"):
        shutil.copy(repo_root / "translations" / DOC / name, folder / name)
    shutil.copytree(repo_root / "glossary", tmp_path / "glossary")
    shutil.copy(repo_root / "bilingual.toml", tmp_path / "bilingual.toml")
    return tmp_path


DERIVED = (f"{DOC}.pot", f"{DOC}.en.md", f"{DOC}.en.html", f"{DOC}.zh-en.html")


def test_make_translate_is_a_fixed_point_of_the_committed_files(shipped, repo_root, run_cli):
    """`make translate ENGINE=none` (translate, then build) and `make pot` on a clean copy reproduce
    the committed PO, template and builds byte for byte: the shipped files are what the tool writes,
    so a fresh clone stays clean (no comment the tool would add, no build it would redo)."""
    folder = shipped / "translations" / DOC
    committed = repo_root / "translations" / DOC
    # As in a clone, the template is there: extract keeps its POT-Creation-Date while its entries stand.
    shutil.copy(committed / f"{DOC}.pot", folder / f"{DOC}.pot")
    config = shipped / "bilingual.toml"
    env = {"XDG_CACHE_HOME": str(shipped / "cache")}
    for args in (["translate", "--config", config, "--engine", "none", "--quiet"],
                 ["build", "--config", config, "--quiet"],
                 ["extract", "--config", config, "--quiet"]):
        result = run_cli(args, cwd=shipped, env=env)
        assert result.returncode == 0, result.stderr
    for name in (f"{DOC}.en.po", *DERIVED):
        assert (folder / name).read_bytes() == (committed / name).read_bytes(), f"{name} differs from the tool's output"


def test_shipped_po_is_fully_reviewed(repo_root):
    po = polib.pofile(str(repo_root / "translations" / DOC / f"{DOC}.en.po"))
    active = [e for e in po if not e.obsolete]
    assert len(active) == 159
    assert [e.msgctxt for e in active if not e.msgstr or "fuzzy" in e.flags] == []
    assert not [e for e in po if e.obsolete]
    # The masthead's extraction error (上海市海归会) is translated as the real body, with the reason.
    masthead = po.find("notice.issuer-2", by="msgctxt")
    assert masthead.msgid == "上海市海归会"
    assert masthead.msgstr == po.find("notice.signatory-2", by="msgctxt").msgstr
    assert "suspect name: 上海市海归会 (closest known: 上海海关" in masthead.comment  # the tool's proposal
    assert "上海海关" in masthead.tcomment  # the reviewer's answer


def test_shipped_po_passes_the_publication_gate(shipped, run_cli):
    result = run_cli(["check", "--strict", "--config", shipped / "bilingual.toml", "--format", "json"],
                     cwd=shipped)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["passed"] and report["strict"] and report["findings"] == []


def test_gate_fails_when_a_reviewed_entry_is_reopened(shipped, run_cli):
    """The gate is real: one entry back to fuzzy, or one number changed, and it fails."""
    path = shipped / "translations" / DOC / f"{DOC}.en.po"
    po = polib.pofile(str(path), wrapwidth=0)
    po.find("measure-31.s2", by="msgctxt").msgstr = po.find("measure-31.s2", by="msgctxt").msgstr.replace(
        "70%", "60%")
    po.find("measure-5.s1", by="msgctxt").flags.append("fuzzy")
    po.save(str(path))
    result = run_cli(["check", "--strict", "--config", shipped / "bilingual.toml", "-q"], cwd=shipped)
    assert result.returncode == 1
    assert re.search(r"numbers\tmeasure-31\.s2\t.*70%", result.stdout)
    assert re.search(r"fuzzy\tmeasure-5\.s1\t", result.stdout)


def test_mt_safety_net_is_quiet_on_the_reviewed_english(repo_root):
    """The reviewer's English is what a good translation looks like, so the MT pathology flags
    (bilingual/mtcheck.py) must not fire on it: its false-positive count. One entry is flagged
    and rightly: the masthead's misread 上海市海归会 is printed "Shanghai Customs" — the reviewer's
    correction, a name an engine must never invent."""
    from bilingual import mtcheck
    from bilingual.glossary import load_glossary

    glossary = load_glossary(repo_root / "glossary")
    po = polib.pofile(str(repo_root / "translations" / DOC / f"{DOC}.en.po"))
    reviewed = [e for e in po if e.msgstr and not e.fuzzy and not e.obsolete]
    flagged = {e.msgctxt: [r.code for r in mtcheck.check_output(e.msgid, e.msgstr, glossary)] for e in reviewed}
    assert len(reviewed) == 159
    assert {ctx: codes for ctx, codes in flagged.items() if codes} == {"notice.issuer-2": ["unlicensed-name"]}


@pytest.mark.parametrize("fmt", ["md", "html", "bilingual-html"])
def test_publication_reads_as_a_finished_document(shipped, run_cli, fmt):
    po = shipped / "translations" / DOC / f"{DOC}.en.po"
    out = shipped / f"out.{fmt}"
    result = run_cli(["build", po, "--format", fmt, "--reviewed-only", "-o", out,
                      "--glossary", shipped / "glossary", "--quiet"], cwd=shipped)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "[ZH]" not in text and "Draft" not in text
    assert re.search(r"\\?\[2025\\?\] No\. 181", text)
    if fmt != "bilingual-html":  # the review page shows the Chinese beside the English on purpose
        assert not re.search(r"[\u4e00-\u9fff]", text)
