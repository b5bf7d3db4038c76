"""``bilingual init [DIR]``: a translation project set up the way this repository is (issue 20, item 3)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from cliassert import one_line_error
from conftest import SHANGHAI_SOURCE
from inproc import run_inprocess

from bilingual import __version__
from bilingual.cli import COMMANDS
from bilingual.config import load_config
from bilingual.glossary import COLUMNS

FILES = ["bilingual.toml", "glossary/terms.csv", "glossary/README.md", "translations/.gitkeep", ".gitignore",
         ".github/workflows/translate.yml"]


def _init(*args, cwd):
    result = run_inprocess(["init", *args, "--format", "json"], cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {o["path"]: o["action"] for o in json.loads(result.stdout)}


def test_init_writes_a_project_that_works(tmp_path):
    project = tmp_path / "team"
    assert _init(str(project), cwd=tmp_path) == {str(project / f): "written" for f in FILES}
    assert (project / "glossary" / "terms.csv").read_text(encoding="utf-8") == ",".join(COLUMNS) + "\n"
    readme = (project / "glossary" / "README.md").read_text(encoding="utf-8")
    assert ",".join(COLUMNS) in readme and "## The evidence rule" in readme
    config = load_config(project / "bilingual.toml", documents_required=False)
    assert (config.engine, config.glossary, config.documents) == ("argos", project / "glossary", ())
    # the commented [[document]] example is a working one once uncommented
    text = (project / "bilingual.toml").read_text(encoding="utf-8")
    example = "\n".join(line[2:] for line in text[text.index("# [[document]]"):].splitlines())
    assert tomllib.loads(example)["document"] == [{
        "name": "port-measures-2025", "source": "translations/port-measures-2025/source.zh.txt",
        "po": "translations/port-measures-2025/port-measures-2025.en.po",
        "build": ["md", "html", "bilingual-html"], "glossary_files": ["general", "shanghai-*", "terms"]}]
    # until a document is added, translate says what to do
    one_line_error(run_inprocess(["translate", "--config", "bilingual.toml"], cwd=project), "bilingual.toml",
                   "no [[document]] tables: add one")
    # the empty project glossary checks clean on top of the built-in termbase
    checked = run_inprocess(["glossary", "check", "--format", "json"], cwd=project)
    assert checked.returncode == 0 and json.loads(checked.stdout)["passed"], checked.stdout
    # add a document the way the comment says, and the project translates and builds
    (project / "translations" / "port").mkdir()
    shutil.copy(SHANGHAI_SOURCE, project / "translations" / "port" / "source.zh.txt")
    with open(project / "bilingual.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[[document]]\nsource = "translations/port/source.zh.txt"\n')
    result = run_inprocess(["translate", "--config", "bilingual.toml", "--engine", "none", "--quiet"], cwd=project,
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert (project / "translations" / "port" / "port.en.po").is_file()


def test_init_never_overwrites_and_says_what_it_kept(tmp_path):
    (tmp_path / "bilingual.toml").write_bytes(b"# ours\n[defaults]\nengine = 'none'\n")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "README.md").symlink_to(tmp_path / "elsewhere.md")  # dangling: still kept
    result = run_inprocess(["init", "--quiet"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["path", "action"]
    assert dict(rows[1:]) == {"bilingual.toml": "kept", "glossary/terms.csv": "written",
                              "glossary/README.md": "kept", "translations/.gitkeep": "written",
                              ".gitignore": "written", ".github/workflows/translate.yml": "written"}
    assert "kept (exists, not overwritten): bilingual.toml, glossary/README.md" in result.stderr
    assert (tmp_path / "bilingual.toml").read_bytes() == b"# ours\n[defaults]\nengine = 'none'\n"
    assert (tmp_path / "glossary" / "README.md").is_symlink() and not (tmp_path / "elsewhere.md").exists()
    before = {f: (tmp_path / f).read_bytes() for f in FILES if f != "glossary/README.md"}
    assert set(_init(cwd=tmp_path).values()) == {"kept"}  # a second run changes nothing
    assert before == {f: (tmp_path / f).read_bytes() for f in before}


def test_init_into_a_file_or_under_one_is_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    one_line_error(run_inprocess(["init", "notes.txt"], cwd=tmp_path), "notes.txt", "not a folder")
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "glossary").write_text("a file where the folder goes", encoding="utf-8")
    result = run_inprocess(["init", "proj"], cwd=tmp_path)
    one_line_error(result, "glossary", "is a file, not a folder")
    assert sorted(os.listdir(tmp_path / "proj")) == ["glossary"]  # nothing written before the refusal


def test_gitignore_ignores_what_a_run_leaves_and_keeps_the_work(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is missing")
    _init(cwd=tmp_path)
    po = tmp_path / "translations" / "doc" / "doc.en.po"
    po.parent.mkdir()
    po.write_text("", encoding="utf-8")
    left_behind = [po.with_name("doc.en.po.lock"), po.with_name(".doc.en.po.k2j4_x9a.tmp"),
                   tmp_path / ".cache" / "bilingual" / "mt.sqlite", tmp_path / ".bilingual-state.json"]
    for path in left_behind:  # the names fileio and filelock use (see fileio.atomic_write_bytes, file_lock)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    ignored = subprocess.run([git, "-C", str(tmp_path), "status", "--porcelain", "--ignored", "-uall"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert sorted(line for line in ignored if line.startswith("!!")) == sorted(
        f"!! {p.relative_to(tmp_path)}" for p in left_behind)
    assert f"?? {po.relative_to(tmp_path)}" in ignored and "?? glossary/terms.csv" in ignored


def test_the_ci_workflow_runs_commands_that_exist(tmp_path):
    _init(cwd=tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "translate.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    assert job["env"]["BILINGUAL"] == f"bilingual=={__version__}"
    runs = [step["run"].split(" #")[0].split("||")[0].strip() for step in job["steps"] if "run" in step]
    assert runs[0] == 'pipx install "$BILINGUAL"'
    commands = [shlex.split(run) for run in runs if run.startswith("bilingual ")]
    assert [c[1] for c in commands] == ["glossary", "translate", "build", "check"]
    for command in commands:  # every option exists: Click refuses an unknown one before --help
        assert command[1] in COMMANDS
        result = run_inprocess([*command[1:], "--help"], cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
    cache = [step for step in job["steps"] if step.get("uses", "").startswith("actions/cache")]
    assert "~/.local/share/argos-translate" in cache[0]["with"]["path"]


def state_cache_step(workflow: dict) -> dict:
    (job,) = workflow["jobs"].values()
    [step] = [step for step in job["steps"]
              if step.get("uses", "").startswith("actions/cache@") and step["with"]["path"] == ".bilingual-state.json"]
    return step


@pytest.mark.parametrize("where", ["bilingual init", "README"])
def test_the_ci_workflow_keeps_the_run_state_between_runs(tmp_path, where):
    """Without the run state CI processes every document on every push: the workflow `init` writes and
    the README's "In your CI" example cache it, saved under a new key each run (a cache key is never
    overwritten) and restored from the latest."""
    if where == "bilingual init":
        _init(cwd=tmp_path)
        text = (tmp_path / ".github" / "workflows" / "translate.yml").read_text(encoding="utf-8")
    else:
        readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
        section = readme.split("## In your CI", 1)[1]
        text = section.split("```yaml", 1)[1].split("```", 1)[0]
    step = state_cache_step(yaml.safe_load(text))
    assert "${{ github.run_id }}" in step["with"]["key"]
    assert step["with"]["key"].startswith(step["with"]["restore-keys"])
    (job,) = yaml.safe_load(text)["jobs"].values()
    steps = job["steps"]
    first_translate = next(n for n, s in enumerate(steps) if "translate" in s.get("run", ""))
    assert steps.index(step) < first_translate  # restored before the run that reads it

