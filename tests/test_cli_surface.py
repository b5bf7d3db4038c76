"""The CLI speaks one language: --format json everywhere a command reports (--json as alias), the
same names in tables and JSON, help text that is whole and plain, errors that say what to run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from inproc import run_inprocess

from bilingual.cli import COMMANDS, app

SOURCE = "translations/shanghai-port-2025/source.zh.txt"
PO = "translations/shanghai-port-2025/shanghai-port-2025.en.po"


@pytest.fixture
def run_cli(repo_root):
    """The CLI in this process (see tests/inproc.py), run from the repository root."""
    return lambda args, env=None: run_inprocess(args, env, cwd=repo_root)


def _help_texts() -> dict[str, str]:
    """``--help`` of the top group and of every command and sub-command, as Click renders it."""
    from click.testing import CliRunner

    runner = CliRunner()
    texts = {"bilingual": runner.invoke(app, ["--help"], terminal_width=80).output}
    for name in COMMANDS:
        texts[name] = runner.invoke(app, [name, "--help"], terminal_width=80).output
        command = app.get_command(None, name)
        for sub in getattr(command, "commands", {}):
            texts[f"{name} {sub}"] = runner.invoke(app, [name, sub, "--help"], terminal_width=80).output
    return texts


def test_help_is_whole_and_plain():
    texts = _help_texts()
    assert {"glossary lookup", "glossary coverage", "models install", "extract"} <= set(texts)
    for name, text in texts.items():
        assert text.startswith("Usage: "), name
        # no reST or Markdown markup reaches a terminal
        assert not re.search(r"``|`[^`]+`|:(func|mod|class|meth):", text), (name, text)
        # a group lists each sub-command's whole first help line: nothing cut with "..."
        assert not re.search(r"\w\.\.\.$", text, re.M), (name, text)
    assert "Entries whose zh, English or known variant contains TERM (an\n" in texts["glossary"]


def _json(run_cli, args, **kwargs):
    result = run_cli(args, **kwargs)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout), result


@pytest.mark.parametrize("args", [
    ["check", PO],
    ["glossary", "check"],
    ["glossary", "lookup", "海关"],
    ["glossary", "coverage", SOURCE],
    ["models", "list"],
])
def test_format_json_and_its_json_alias_agree(run_cli, tmp_path, args):
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "argos")}
    as_format, _ = _json(run_cli, [*args, "--format", "json"], env=env)
    as_alias, _ = _json(run_cli, [*args, "--json"], env=env)
    assert as_format == as_alias


def _tsv(run_cli, args, **kwargs) -> list[str]:
    """The header of a command's plain (piped) table."""
    result = run_cli(args, **kwargs)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()[0].split("\t")


def test_table_columns_are_the_json_keys(run_cli, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "ARGOS_PACKAGES_DIR": str(tmp_path / "argos")}
    source = tmp_path / "doc" / "source.zh.txt"
    source.parent.mkdir()
    shutil.copy(SOURCE, source)
    po = tmp_path / "doc.en.po"
    header = _tsv(run_cli, ["translate", source, "--engine", "none", "-o", po], env=env)
    stats, _ = _json(run_cli, ["translate", source, "--engine", "none", "-o", po, "--format", "json"], env=env)
    assert header[-1] == "po" and set(header) <= set(stats[0])
    assert header[1:-1] == ["segments", "reused", "rendered", "memory", "cached", "machine", "fuzzy", "flagged",
                              "untranslated"]
    assert stats[0]["reused"] + stats[0]["untranslated"] == stats[0]["segments"]  # the second run kept all

    lookup, _ = _json(run_cli, ["glossary", "lookup", "上海海关", "--format", "json"])
    assert set(_tsv(run_cli, ["glossary", "lookup", "上海海关"])) <= set(lookup[0])
    coverage, result = _json(run_cli, ["glossary", "coverage", SOURCE, "--format", "json"])
    plain = run_cli(["glossary", "coverage", SOURCE]).stdout.splitlines()
    assert "term\tcount\tstatus" in plain and "name\tcount\tclosest" in plain and "ngram\tcount" in plain
    assert set(coverage["quoted"][0]) == {"term", "count", "status"}
    assert set(coverage["organisations"][0]) == {"name", "count", "closest"}
    checked, _ = _json(run_cli, ["glossary", "check", "--format", "json"])
    assert checked["passed"] is True and checked["summary"]["terms"] > 300
    assert [p for p in checked["problems"] if p["severity"] != "info"] == []  # info: evidence not yet verified
    extracted, _ = _json(run_cli, ["extract", source, "-o", tmp_path / "doc.pot", "--format", "json"], env=env)
    assert _tsv(run_cli, ["extract", source, "-o", tmp_path / "doc.pot"], env=env) == ["document", "segments", "pot"]
    assert {"document", "segments", "pot"} <= set(extracted[0])


def test_models_list_with_nothing_installed_says_how_to_install(run_cli, tmp_path):
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "argos")}
    result = run_cli(["models", "list"], env=env)
    assert result.returncode == 0
    assert "bilingual models install" in result.stderr and "--from FILE.argosmodel" in result.stderr
    assert result.stdout == "pair\tversion\tfolder\tpath\n"  # machines still get the (empty) table
    listed = run_cli(["models", "list", "--format", "json"], env=env)
    assert json.loads(listed.stdout) == [] and "bilingual models install" in listed.stderr


def test_build_on_a_source_document_says_what_to_run(run_cli, tmp_path):
    result = run_cli(["build", SOURCE, "-f", "md", "-o", tmp_path / "out.md"])
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "build takes a PO file" in result.stderr and f"bilingual translate {SOURCE}" in result.stderr
    assert not (tmp_path / "out.md").exists()
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n", encoding="utf-8")
    result = run_cli(["build", other])
    assert result.returncode == 2 and "build takes a PO file (.po)" in result.stderr


def test_offline_translate_without_a_model_exits_3(run_cli, repo_root, tmp_path):
    """What the README promises: no zh→en model, no way to download one → exit 3, one line naming both ways."""
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "argos"), "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    po = tmp_path / "doc.en.po"
    result = run_cli(["translate", SOURCE, "--engine", "argos", "--install-model", "-o", po, "-q"], env=env)
    assert result.returncode == 3, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("bilingual: error:")]
    assert len(error) == 1 and "bilingual models install" in error[0] and "--from FILE.argosmodel" in error[0]
    assert error[0].endswith("to try the pipeline without a model: --engine pseudo (make translate ENGINE=pseudo)")
    assert not po.exists()
    if not (repo_root / ".venv" / "bin" / ".installed").exists():
        pytest.skip("the project's .venv is not installed (run through `make test`)")
    config = tmp_path / "bilingual.toml"
    config.write_text(f'[defaults]\nglossary = "{repo_root / "glossary"}"\n\n'
                      f'[[document]]\nname = "doc"\nsource = "{repo_root / SOURCE}"\npo = "{po}"\n', encoding="utf-8")
    import os

    made = subprocess.run(["make", "--no-print-directory", "-C", str(repo_root), "translate", f"CONFIG={config}",
                           "QUIET=--quiet"], capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    # make reports the command's status in its last line ("Error 3") and exits 2 itself, as make always does
    assert made.returncode == 2 and "] Error 3" in made.stderr
    assert "bilingual models install" in made.stderr and not po.exists()
