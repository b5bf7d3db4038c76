"""What a user's CI runs: `make translate` then `make check`, on the shipped document, with the real
Argos code path (the tiny test model) — exactly the Makefile targets the README documents."""

import shutil
import subprocess

import polib
import pytest
from conftest import need


@pytest.fixture
def project(repo_root, tmp_path):
    """A config whose document and outputs live in tmp_path (the repo's own files stay untouched)."""
    doc = tmp_path / "translations" / "shanghai-port-2025"
    doc.mkdir(parents=True)
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", doc / "source.zh.txt")
    shutil.copytree(repo_root / "glossary", tmp_path / "glossary")
    config = tmp_path / "bilingual.toml"
    config.write_text(
        '[defaults]\nengine = "argos"\nglossary = "glossary"\n\n[[document]]\nname = "shanghai-port-2025"\n'
        'source = "translations/shanghai-port-2025/source.zh.txt"\n'
        'po = "translations/shanghai-port-2025/shanghai-port-2025.en.po"\nbuild = ["md", "html", "tmx"]\n',
        encoding="utf-8",
    )
    return config


def make(repo_root, target, config, env, **variables):
    need((repo_root / ".venv" / "bin" / ".installed").exists(), "the project's .venv (run through `make test`)")
    args = ["make", "--no-print-directory", "-C", str(repo_root), target, f"CONFIG={config}", "QUIET=--quiet"]
    args += [f"{key}={value}" for key, value in variables.items()]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)


def test_make_translate_then_make_check(repo_root, project, tmp_path, argos_packages_dir):
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    translated = make(repo_root, "translate", project, env)
    assert translated.returncode == 0, translated.stderr
    po_path = tmp_path / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po"
    po = polib.pofile(str(po_path))
    assert any("origin: machine translation (argos/" in e.comment for e in po)
    for built in ("shanghai-port-2025.en.md", "shanghai-port-2025.en.html", "shanghai-port-2025.zh-en.tmx"):
        assert (po_path.parent / built).stat().st_size > 0
    checked = make(repo_root, "check", project, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # MT is fuzzy: warnings, no errors

    # A reviewer accepts an agency line but writes the wrong agency: the CI gate must fail.
    entry = po.find("measure-1.agencies", by="msgctxt")
    entry.msgstr = "(Shanghai Municipal Commission of Commerce)"
    po.save(str(po_path))
    failed = make(repo_root, "check", project, env)
    assert failed.returncode != 0
    assert "measure-1.agencies" in failed.stdout and "Shanghai Customs" in failed.stdout

    # Re-running `make translate` keeps the reviewer's (wrong but reviewed) line: never lose work.
    again = make(repo_root, "translate", project, env)
    assert again.returncode == 0, again.stderr
    assert polib.pofile(str(po_path)).find("measure-1.agencies", by="msgctxt").msgstr == entry.msgstr
