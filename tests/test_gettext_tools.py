"""The gettext way: ``bilingual extract`` writes a template that msgmerge, msginit and Weblate use;
Translate Toolkit (what Weblate parses PO files with) reads every file we write; the pofilter options
shipped for zh→en (``make pofilter``) pass sound work and catch real faults."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from inproc import run_inprocess

pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="needs GNU gettext (msgmerge)")

CHANGED = ("measure-7.s1", "提升海事监管信息化水平。", "进一步提升海事监管信息化水平。")
PERCENT = "measure-31.s2"


@pytest.fixture
def run_cli(repo_root):
    """The CLI in this process (see tests/inproc.py), run from the repository root."""
    return lambda args, env=None: run_inprocess(args, env, cwd=repo_root)


def _gettext(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture
def work(repo_root, tmp_path):
    """A document folder with the shipped source."""
    doc = tmp_path / "doc"
    doc.mkdir()
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", doc / "source.zh.txt")
    return doc


def _env(tmp_path) -> dict:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_extract_writes_a_template_gettext_accepts(run_cli, work, tmp_path):
    pot = work / "doc.pot"
    result = run_cli(["extract", work / "source.zh.txt", "-o", pot, "--format", "json"], env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report[0]["written"] is True and report[0]["segments"] > 100
    checked = _gettext("msgfmt", "--check", "-o", os.devnull, pot)
    assert checked.returncode == 0, checked.stderr
    template = polib.pofile(str(pot))
    assert template.metadata["Language"] == "" and template.metadata_is_fuzzy
    assert all(e.msgstr == "" and e.msgctxt for e in template)
    assert len(template) == report[0]["segments"]
    # the same ids, sources, comments and references as the PO file translate writes
    po_path = work / "doc.en.po"
    assert run_cli(["translate", work / "source.zh.txt", "--engine", "none", "-o", po_path, "-q"],
                   env=_env(tmp_path)).returncode == 0
    po = polib.pofile(str(po_path))
    assert [(e.msgctxt, e.msgid, e.occurrences) for e in template] == \
        [(e.msgctxt, e.msgid, e.occurrences) for e in po if not e.obsolete]
    measure = template.find("measure-15.s2", by="msgctxt")
    assert "lead agencies: " in measure.comment and "glossary: 跨境电商 = cross-border e-commerce" in measure.comment
    assert "no-c-format" in template.find(PERCENT, by="msgctxt").flags
    assert "no-c-format" in po.find(PERCENT, by="msgctxt").flags
    assert not any("no-c-format" in e.flags for e in template if "%" not in e.msgid)
    # extracting again from the same source does not rewrite the template
    before = pot.read_bytes()
    again = run_cli(["extract", work / "source.zh.txt", "-o", pot, "--format", "json"], env=_env(tmp_path))
    assert json.loads(again.stdout)[0]["written"] is False and pot.read_bytes() == before


def test_msgmerge_with_the_template_keeps_reviewed_work(run_cli, work, tmp_path):
    po_path = work / "doc.en.po"
    assert run_cli(["translate", work / "source.zh.txt", "--engine", "pseudo", "-o", po_path, "-q"],
                   env=_env(tmp_path)).returncode == 0
    po = polib.pofile(str(po_path))
    reviewed = {"measure-3.s1": "Optimise the supply of medicines and medical devices to international cruise ships.",
                CHANGED[0]: "Raise the level of IT in maritime supervision."}
    for ctx, english in reviewed.items():
        entry = po.find(ctx, by="msgctxt")
        entry.msgstr, entry.flags = english, [f for f in entry.flags if f != "fuzzy"]
    po.find("measure-3.s1", by="msgctxt").tcomment = "Agreed with the port office."
    po.save(str(po_path))
    # the source changes one sentence; the template is extracted again and merged the gettext way
    source = work / "source.zh.txt"
    text = source.read_text(encoding="utf-8")
    assert text.count(CHANGED[1]) == 1
    source.write_text(text.replace(CHANGED[1], CHANGED[2]), encoding="utf-8")
    pot = work / "doc.pot"
    assert run_cli(["extract", source, "-o", pot, "-q"], env=_env(tmp_path)).returncode == 0
    merged = work / "merged.en.po"
    result = _gettext("msgmerge", "--previous", "--no-wrap", "--quiet", "-o", merged, po_path, pot)
    assert result.returncode == 0, result.stderr
    assert _gettext("msgfmt", "--check", "-o", os.devnull, merged).returncode == 0
    after = polib.pofile(str(merged))
    kept = after.find("measure-3.s1", by="msgctxt")
    assert kept.msgstr == reviewed["measure-3.s1"] and not kept.fuzzy
    assert kept.tcomment == "Agreed with the port office."
    changed = after.find(CHANGED[0], by="msgctxt")
    assert changed.msgid == CHANGED[2] and changed.fuzzy and changed.msgstr == reviewed[CHANGED[0]]
    assert changed.previous_msgid == CHANGED[1]
    # the merged file is ours to continue with: translate keeps all of it
    assert run_cli(["translate", source, "--engine", "none", "-o", merged, "-q"], env=_env(tmp_path)).returncode == 0
    again = polib.pofile(str(merged))
    assert again.find("measure-3.s1", by="msgctxt").msgstr == reviewed["measure-3.s1"]
    assert again.find(CHANGED[0], by="msgctxt").fuzzy


def test_msginit_starts_another_target_language_from_the_template(run_cli, work, tmp_path):
    pot = work / "doc.pot"
    assert run_cli(["extract", work / "source.zh.txt", "-o", pot, "-q"], env=_env(tmp_path)).returncode == 0
    french = work / "doc.fr.po"
    result = _gettext("msginit", "--no-translator", "-l", "fr", "-i", pot, "-o", french)
    assert result.returncode == 0, result.stderr
    assert _gettext("msgfmt", "--check", "-o", os.devnull, french).returncode == 0
    po = polib.pofile(str(french))
    assert po.metadata["Language"] == "fr" and len(po) == len(polib.pofile(str(pot)))
    assert "no-c-format" in po.find(PERCENT, by="msgctxt").flags


def test_translate_toolkit_reads_every_file_we_write(run_cli, work, tmp_path):
    """pypo is the parser Weblate uses for PO files; tmx and tbx its TMX and TBX storage."""
    from translate.storage import pypo, tbx, tmx

    env = _env(tmp_path)
    po_path, pot = work / "doc.en.po", work / "doc.pot"
    source = work / "source.zh.txt"
    assert run_cli(["translate", source, "--engine", "pseudo", "-o", po_path, "-q"], env=env).returncode == 0
    po = polib.pofile(str(po_path))
    entry = po.find("measure-3.s1", by="msgctxt")
    entry.msgstr, entry.flags, entry.tcomment = "Optimise cruise ship supply.", [], "A translator's note."
    po.save(str(po_path))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(CHANGED[1], ""), encoding="utf-8")  # a sentence goes: an obsolete entry
    assert run_cli(["translate", source, "--engine", "pseudo", "-o", po_path, "-q"], env=env).returncode == 0
    assert run_cli(["extract", source, "-o", pot, "-q"], env=env).returncode == 0
    for path in (po_path, pot):
        ours = [e for e in polib.pofile(str(path)) if not e.obsolete]
        store = pypo.pofile.parsefile(str(path))
        units = [u for u in store.units if not u.isheader() and not u.isobsolete()]
        assert [(u.getcontext(), u.source, u.target, u.isfuzzy()) for u in units] == \
            [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in ours]
        assert [u.getlocations() for u in units] == [[f"{f}:{n}" for f, n in e.occurrences] for e in ours]
        assert [u.getnotes("developer") for u in units] == [e.comment for e in ours]
        assert any(u.isobsolete() for u in store.units) == (path == po_path)
        assert store.gettargetlanguage() == ("en" if path == po_path else None)
    note = next(u for u in pypo.pofile.parsefile(str(po_path)).units if u.getcontext() == "measure-3.s1")
    assert note.getnotes("translator") == "A translator's note." and note.istranslated()
    # the TMX and TBX builds
    tmx_path = work / "doc.tmx"
    assert run_cli(["build", po_path, "-f", "tmx", "-o", tmx_path, "-q"], env=env).returncode == 0
    memory = tmx.tmxfile.parsefile(str(tmx_path))
    reviewed = [(e.msgid, e.msgstr) for e in polib.pofile(str(po_path))
                if e.msgstr and not e.fuzzy and not e.obsolete]
    assert [(u.source, u.target) for u in memory.units] == reviewed
    assert ("优化国际邮轮药械供船服务。", "Optimise cruise ship supply.") in reviewed
    tbx_path = work / "glossary.tbx"
    assert run_cli(["glossary", "export", "--format", "tbx", "-o", tbx_path], env=env).returncode == 0
    terms = tbx.tbxfile.parsefile(str(tbx_path)).units
    assert len(terms) > 100 and all(u.source and u.target for u in terms)


# --------------------------------------------------------------------------- pofilter for zh→en

def _make_pofilter(repo_root, po: Path, **variables) -> subprocess.CompletedProcess:
    if not (repo_root / ".venv" / "bin" / ".installed-test").exists():
        pytest.skip("the project's .venv with the test tools is not installed (run through `make test`)")
    args = ["make", "--no-print-directory", "-C", str(repo_root), "pofilter", f"PO={po}"]
    args += [f"{key}={value}" for key, value in variables.items()]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def test_pofilter_options_pass_sound_work_and_catch_real_faults(run_cli, repo_root, work, tmp_path):
    po_path = work / "doc.en.po"
    assert run_cli(["translate", work / "source.zh.txt", "--engine", "none", "-o", po_path, "-q"],
                   env=_env(tmp_path)).returncode == 0
    po = polib.pofile(str(po_path))
    percent = po.find(PERCENT, by="msgctxt")
    assert "70%的" in percent.msgid and "no-c-format" in percent.flags
    percent.msgstr = ('Publish a new list of "Recommended Overseas Trade Fairs for Shanghai Enterprises Exploring '
                      'International Markets" and cover up to 70% of the booth fees of enterprises exhibiting abroad.')
    po.find("measure-3.s1", by="msgctxt").msgstr = "Optimise the supply of medicines to international cruise ships."
    po.save(str(po_path))
    clean = _make_pofilter(repo_root, po_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "(pofilter)" not in clean.stdout
    # without the exclusions pofilter misreads 70%的 as a printf directive (it ignores no-c-format)
    bare = _make_pofilter(repo_root, po_path, POFILTER_OPTS="--language=en --nofuzzy --progress=none")
    assert bare.returncode != 0 and "printf: Missing printf variable: %的" in bare.stdout
    # a real fault in a reviewed entry is reported, with its id
    po.find("measure-3.s1", by="msgctxt").msgstr = "Optimise the the supply of medicines to cruise ships."
    po.save(str(po_path))
    faulty = _make_pofilter(repo_root, po_path)
    assert faulty.returncode != 0
    assert "doublewords" in faulty.stdout and 'msgctxt "measure-3.s1"' in faulty.stdout
    assert faulty.stdout.count("# (pofilter)") == 1


def test_extract_config_writes_each_template_next_to_its_po(run_cli, repo_root, work, tmp_path):
    config = tmp_path / "bilingual.toml"
    config.write_text(f'[defaults]\nglossary = "{repo_root / "glossary"}"\n\n[[document]]\nname = "doc"\n'
                      f'source = "doc/source.zh.txt"\npo = "doc/doc.en.po"\n'
                      f'glossary_files = ["general", "national-organisations"]\n',
                      encoding="utf-8")
    result = run_cli(["extract", "--config", config, "--format", "json"], env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["pot"] == str(work / "doc.pot")
    template = polib.pofile(str(work / "doc.pot"))
    assert template.metadata["X-Bilingual-Document"] == "doc"
    # the document's glossary selection applies: a Shanghai short form is not annotated
    comments = "\n".join(e.comment for e in template)
    assert "glossary: 海关总署 = " in comments and "市商务委 = " not in comments


def test_make_pofilter_passes_the_shipped_reviewed_document(repo_root, tmp_path):
    """The repository's own gate on its own reviewed work: 掌上APP is "mobile app" in English, and
    the acronyms check (kept on: AEO, RCEP) reads APP as an acronym lost unless
    translations/pofilter-words.txt lists it as a word to translate."""
    shipped = repo_root / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po"
    assert "APP" in shipped.read_text(encoding="utf-8")
    done = _make_pofilter(repo_root, shipped)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "none.txt").write_text("", encoding="utf-8")
    bare = _make_pofilter(repo_root, shipped, POFILTER_WORDS=tmp_path / "none.txt")
    assert bare.returncode != 0 and "acronyms" in bare.stdout and "APP" in bare.stdout
