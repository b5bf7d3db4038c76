"""bilingual as a team installs it: the wheel, a fresh virtual environment, an empty folder.

Issue 20's "must show": the wheel is built from the repository, installed into a new
environment (tests/wheelenv.py says how, and why that is honest and fast), and used from an
empty folder — translate the shipped source with the built-in termbase, look a term up,
``bilingual init``, then translate with a project term that overrides a built-in one.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile

import polib
import pytest
from conftest import SHANGHAI_SOURCE
from inproc import run_inprocess
from wheelenv import build_wheel, fresh_venv, venv_env

import bilingual
from bilingual.glossary import COLUMNS

pytestmark = pytest.mark.slow

OVERRIDE = {  # the project's English for a built-in name (a known variant of Shanghai Customs' name)
    "zh": "上海海关", "en": "Shanghai Customs District", "kind": "organisation",
    "note": "Our client's house style names the customs district.", "source": "client style guide",
    "evidence_url": "http://english.customs.gov.cn/", "checked": "2025-06-27",
}


def _csv_row(values: dict[str, str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(column, "") for column in COLUMNS])
    return out.getvalue()


def _agencies(po_path) -> dict[str, str]:
    return {e.msgctxt: e.msgstr for e in polib.pofile(str(po_path)) if e.msgctxt.endswith(".agencies")}


def _by_zh(rows, zh):
    (row,) = [r for r in rows if r["zh"] == zh]
    return row


def test_the_wheel_in_a_fresh_environment_works_from_an_empty_folder(tmp_path, repo_root):
    wheel = build_wheel(repo_root, tmp_path)

    # The wheel: the package with its termbase — the repository's glossary/, byte for byte — and no test data.
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = {n.rsplit("/", 1)[1]: archive.read(n) for n in names if n.startswith("bilingual/termbase_data/")}
    assert all(n.startswith(("bilingual/", f"bilingual-{bilingual.__version__}.dist-info/")) for n in names)
    assert not [n for n in names if "tests" in n.split("/") or n.endswith((".po", ".pot", ".argosmodel", ".tmx"))]
    assert shipped == {p.name: p.read_bytes() for p in (repo_root / "glossary").iterdir() if p.is_file()}
    assert "bilingual/project_template/translate.yml" in names

    venv = fresh_venv(wheel, tmp_path)
    env = venv_env(venv, tmp_path / "home")
    team = tmp_path / "team"
    team.mkdir()

    def run(*args, program=("bilingual",)):
        result = subprocess.run([*program, *map(str, args)], cwd=team, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    # The conventions: --version, python -m bilingual, the package imported from the new environment.
    assert run("--version").stdout.strip() == f"bilingual, version {bilingual.__version__}"
    python = venv / "bin" / "python"
    assert run("-m", "bilingual", "--version", program=(python,)).stdout == run("--version").stdout
    where = run("-c", "import bilingual, bilingual.glossary_layers as g; print(bilingual.__file__); "
                "print(g.builtin_dir())", program=(python,)).stdout.split()
    assert all(line.startswith(str(venv)) for line in where) and where[1].endswith("termbase_data")

    # An empty folder: translate the shipped source with the built-in termbase alone.
    shutil.copy(SHANGHAI_SOURCE, team / "port.zh.txt")
    run("translate", "port.zh.txt", "--engine", "none", "--quiet")
    built_in = _agencies(team / "translations" / "port" / "port.en.po")
    assert len(built_in) == 31 and all(built_in.values())  # measures (一)…(三十一), each with its lead agencies
    assert built_in["measure-2.agencies"] == "(Shanghai Customs; Shanghai Municipal Bureau of Public Security)"
    # … the same English as the checkout renders with the repository's glossary
    here = tmp_path / "checkout-run"
    here.mkdir()
    shutil.copy(SHANGHAI_SOURCE, here / "port.zh.txt")
    assert run_inprocess(["translate", "port.zh.txt", "--engine", "none", "--quiet"], cwd=here).returncode == 0
    assert built_in == _agencies(here / "translations" / "port" / "port.en.po")

    # Look a term up: it comes from the built-in layer, read from the installed package.
    row = _by_zh(json.loads(run("glossary", "lookup", "上海海关", "--format", "json").stdout), "上海海关")
    assert (row["english"], row["layer"], row["overrides"]) == ("Shanghai Customs", "built-in", "")
    assert row["where"].startswith(where[1])

    # bilingual init, then a project term that overrides the built-in one.
    outcomes = json.loads(run("init", "--format", "json").stdout)
    assert {o["path"]: o["action"] for o in outcomes} == {
        "bilingual.toml": "written", "glossary/terms.csv": "written", "glossary/README.md": "written",
        "translations/.gitkeep": "written", ".gitignore": "written", ".github/workflows/translate.yml": "written"}
    with open(team / "glossary" / "terms.csv", "a", encoding="utf-8") as handle:
        handle.write(_csv_row(OVERRIDE))
    report = json.loads(run("glossary", "check", "--format", "json").stdout)
    assert report["passed"] and report["summary"]["overrides"] == 1
    (override,) = [p for p in report["problems"] if p["check"] == "override"]
    assert (override["file"], override["line"]) == ("glossary/terms.csv", 2)
    assert "'Shanghai Customs District'" in override["message"] and "'Shanghai Customs'" in override["message"]
    row = _by_zh(json.loads(run("glossary", "lookup", "上海海关", "--format", "json").stdout), "上海海关")
    assert (row["english"], row["layer"], row["overrides"]) == ("Shanghai Customs District", "project",
                                                                 "Shanghai Customs")

    # the same PO file again: the agency lists the glossary wrote, untouched since, follow the new English
    run("translate", "port.zh.txt", "--engine", "none", "--quiet")
    overridden = _agencies(team / "translations" / "port" / "port.en.po")
    assert overridden["measure-2.agencies"] == "(Shanghai Customs District; Shanghai Municipal Bureau of Public Security)"
    changed = {ctx for ctx in built_in if overridden[ctx] != built_in[ctx]}
    assert changed == {ctx for ctx, en in built_in.items() if "Shanghai Customs" in en}
    assert all(overridden[ctx] == built_in[ctx].replace("Shanghai Customs", "Shanghai Customs District")
               for ctx in changed)
