"""The spaCy helper process of a translate run (bilingual/segproc.py): same segments, no leak.

Each run here is the real command in a subprocess, wrapped so that it reports the helper's
pid and whether the helper split the text; the PO file must be the one an in-process
run (``BILINGUAL_SEGMENT_HELPER=0``) writes, and the helper must be gone when the run ends —
after success, an error (exit 2), a helper that died, and Ctrl-C (exit 130).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SHANGHAI_SOURCE

from bilingual import segproc

WRAPPED = """
import os, sys, time
from bilingual import segproc
import bilingual.segment as segment

def say(line):
    sys.stderr.write(line + "\\n"); sys.stderr.flush()

real_start, real_split = segproc.start, segproc.split
helpers = []
def start():
    started = real_start()
    if started:
        helpers.append(segproc._helper.pid)
        say(f"HELPER {helpers[-1]} {'LATE' if 'click' in sys.modules else 'EARLY'}")
    return started
def split(texts):
    found = real_split(texts)
    say("SPLIT BY HELPER" if found is not None else "SPLIT HERE")
    return found
segproc.start, segproc.split = start, split

mode = os.environ.get("TEST_MODE", "")
real_sentences = segment.split_sentences
def split_sentences(texts):
    if mode == "hold":
        say("SEGMENTING")
        time.sleep(120)
    if mode == "kill":
        os.kill(segproc._helper.pid, 9)
        os.waitpid(segproc._helper.pid, 0)
    return real_sentences(texts)
segment.split_sentences = split_sentences
if mode == "stuck":  # the helper never gets spaCy ready: the run must not wait on it for ever
    segproc.HELLO_TIMEOUT = 1.0
    run_pid, real_pipeline = os.getpid(), segment.sentence_pipeline
    def stuck_pipeline():
        if os.getpid() != run_pid:
            time.sleep(600)
        return real_pipeline()
    segment.sentence_pipeline = stuck_pipeline

from bilingual.engines.pseudo import PseudoEngine
real_translate = PseudoEngine.translate
def translate(self, texts):
    alive = [pid for pid in helpers if os.path.exists(f"/proc/{pid}")]
    say(f"AT MT HELPER {'ALIVE' if alive else 'GONE'}")
    return real_translate(self, texts)
PseudoEngine.translate = translate

from bilingual.launch import entry  # the console script's entry point
sys.argv = ["bilingual", *sys.argv[1:]]
entry()
"""
DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.MULTILINE)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BILINGUAL_SEGMENT_HELPER"}
    env.update(PYTHONPATH=str(REPO_ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"), **extra)
    return env


def _command(po: Path, source: Path = SHANGHAI_SOURCE, options: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-c", WRAPPED, "translate", str(source), "--engine", "pseudo", "--no-cache",
            "-o", str(po), "-q", *options]


def _run(tmp_path: Path, po: Path, source: Path = SHANGHAI_SOURCE, options: tuple[str, ...] = (),
         **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(_command(po, source, options), env=_env(tmp_path, **extra), cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)


def _helper_pid(stderr: str, when: str = "EARLY") -> int:
    """The helper's pid; ``when``: forked by the console script before the CLI loaded (EARLY,
    bilingual/launch.py) or by the command (LATE)."""
    found = re.findall(r"^HELPER (\d+) (EARLY|LATE)$", stderr, re.MULTILINE)
    assert len(found) == 1 and found[0][1] == when, stderr
    return int(found[0][0])


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def _po_text(po: Path) -> str:
    return DATES.sub("", po.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def in_process_po(tmp_path_factory) -> str:
    """The PO file of a run that splits in-process (no helper)."""
    tmp_path = tmp_path_factory.mktemp("inprocess")
    po = tmp_path / "doc.en.po"
    result = _run(tmp_path, po, BILINGUAL_SEGMENT_HELPER="0")
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^HELPER ", result.stderr, re.MULTILINE) and "SPLIT BY HELPER" not in result.stderr
    return _po_text(po)


def _run_to_the_in_process_po(tmp_path: Path, in_process_po: str, options: tuple[str, ...] = (), **extra: str) -> str:
    """A run that succeeds, writes the PO file an in-process run writes and leaves no helper (forked
    early, by the console script); its stderr."""
    po = tmp_path / "doc.en.po"
    result = _run(tmp_path, po, options=options, **extra)
    assert result.returncode == 0, result.stderr
    pid = _helper_pid(result.stderr)
    assert _po_text(po) == in_process_po
    assert _gone(pid)
    return result.stderr


def test_the_helper_splits_the_same_segments_and_is_reaped(tmp_path, in_process_po):
    stderr = _run_to_the_in_process_po(tmp_path, in_process_po)
    assert "SPLIT BY HELPER" in stderr and "SPLIT HERE" not in stderr
    assert "AT MT HELPER GONE" in stderr and "ALIVE" not in stderr  # its memory back before MT


def test_a_helper_that_died_leaves_the_run_to_split_in_process(tmp_path, in_process_po):
    stderr = _run_to_the_in_process_po(tmp_path, in_process_po, TEST_MODE="kill")
    assert "SPLIT HERE" in stderr and "SPLIT BY HELPER" not in stderr


def test_a_stuck_helper_is_given_up_and_killed(tmp_path, in_process_po):
    stderr = _run_to_the_in_process_po(tmp_path, in_process_po, TEST_MODE="stuck")
    assert "SPLIT BY HELPER" not in stderr  # given up at the first question (spaCy's max_length)


def test_an_error_is_one_line_exit_2_and_the_helper_is_reaped(tmp_path):
    missing = tmp_path / "missing.zh.txt"
    po = tmp_path / "doc.en.po"
    result = _run(tmp_path, po, source=missing)
    assert result.returncode == 2, result.stderr
    pid = _helper_pid(result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("HELPER")]
    assert len(lines) == 1 and lines[0].startswith("bilingual: error: ") and str(missing) in lines[0], lines
    assert not po.exists()
    assert _gone(pid)


def test_only_source_runs_fork_it_before_the_cli_loads_and_every_exit_reaps_it(tmp_path, in_process_po):
    """The console script forks the helper before click and the CLI are imported for a SOURCE run
    (bilingual/launch.py); a run with --jobs gets none; --no-state still gets it early; a usage
    error (exit 2 from click, before the command runs) leaves no helper behind."""
    assert "SPLIT BY HELPER" in _run_to_the_in_process_po(tmp_path, in_process_po, options=("--no-state",))

    po = tmp_path / "doc.en.po"
    po.unlink()
    jobs = _run(tmp_path, po, options=("--jobs", "2"))
    assert jobs.returncode == 0, jobs.stderr
    assert not re.search(r"^HELPER ", jobs.stderr, re.MULTILINE) and _po_text(po) == in_process_po

    usage = _run(tmp_path, po, options=("--no-such-option",))
    assert usage.returncode == 2 and "No such option" in usage.stderr
    assert _gone(_helper_pid(usage.stderr, "EARLY"))


def test_other_commands_import_nothing_of_the_helper():
    """``bilingual --help`` and every command but a SOURCE ``translate`` run start as before the
    early helper: the console script imports neither the helper's module nor anything it needs."""
    for args in (["--help"], ["check", "--help"], ["translate", "--help"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bilingual", *args], capture_output=True,
                              text=True, timeout=60, cwd=REPO_ROOT, env=_env(Path("/nonexistent")))
        assert done.returncode == 0, done.stderr
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert "bilingual.cli" in imported and "bilingual.segproc" not in imported, args


@pytest.mark.parametrize(("args", "early"), [
    (["translate", "a.zh.txt", "-o", "a.po"], True),
    (["translate", "a.zh.txt", "--state=s.json"], True),
    (["translate", "--config", "bilingual.toml"], False),
    (["translate", "--config=bilingual.toml"], False),
    (["translate", "a.zh.txt", "--jobs", "2"], False),
    (["translate", "--help"], False),
    (["check", "a.po"], False),
    ([], False),
])
def test_which_command_lines_get_the_helper_early(args, early):
    from bilingual.launch import wants_early_helper

    assert wants_early_helper(args) is early


def test_ctrl_c_while_segmenting_exits_130_and_ends_the_helper(tmp_path):
    po = tmp_path / "doc.en.po"
    # Its own process group, signalled as a terminal does on Ctrl-C: the run and its helper both get SIGINT.
    proc = subprocess.Popen(_command(po), env=_env(tmp_path, TEST_MODE="hold"), cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line == "SEGMENTING\n":
            break
    pid = _helper_pid("".join(seen))
    assert not _gone(pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, rest = proc.communicate(timeout=60)  # returns only once every holder of the pipes is gone
    assert proc.returncode == 130, rest
    assert rest.strip().splitlines()[-1] == "bilingual: interrupted; files on disk are unchanged"
    assert not po.exists()
    assert _gone(pid)


def test_no_helper_where_spacy_is_loaded_or_threads_run(monkeypatch):
    from bilingual.segment import sentence_pipeline

    sentence_pipeline()  # this process has spaCy: the helper would gain nothing
    assert not segproc.start() and not segproc.running()
    assert segproc.split(["一。二。"]) is None and segproc.max_length() is None
    monkeypatch.delitem(sys.modules, "spacy")
    monkeypatch.delitem(sys.modules, "numpy", raising=False)
    monkeypatch.setattr("threading.active_count", lambda: 2)  # another thread could hold a lock at fork
    assert not segproc.start() and not segproc.running()


def test_the_helpers_lean_spacy_import_splits_as_a_plain_one():
    """The helper imports spaCy without its command line (typer and the CLI commands are never
    loaded) and splits every paragraph of the shipped document as a plain import does."""
    code = """
import json, sys
lean = sys.argv[1] == "lean"
if lean:
    from bilingual.segproc import import_spacy_without_its_cli
    import_spacy_without_its_cli()
from bilingual.segment import sentence_pipeline, split_here
sentence_pipeline()
text = open(sys.argv[2], encoding="utf-8").read()
print(json.dumps({"typer": "typer" in sys.modules, "cli": "spacy.cli" in sys.modules,
                  "split": split_here([p for p in text.split("\\n") if p.strip()])}))
"""
    runs = {}
    for mode in ("lean", "plain"):
        done = subprocess.run([sys.executable, "-c", code, mode, str(SHANGHAI_SOURCE)], capture_output=True, text=True,
                              timeout=120, check=True, cwd=REPO_ROOT)
        runs[mode] = json.loads(done.stdout)
    assert not runs["lean"]["typer"] and not runs["lean"]["cli"]
    assert runs["plain"]["typer"] and runs["plain"]["cli"]
    assert runs["lean"]["split"] == runs["plain"]["split"] and len(runs["lean"]["split"]) > 30


def test_the_helper_runs_one_thread_numpy_would_start_more():
    """NumPy's OpenBLAS starts a thread per core at import, CPU the run's model load needs; the
    helper never does linear algebra, so it keeps to its one thread (and the run's environment
    is untouched)."""
    code = """
import json, os, sys
from bilingual import segproc
assert segproc.start()
segproc.max_length()  # spaCy (and NumPy) imported in the helper
pid = segproc._helper.pid
helper = len(os.listdir(f"/proc/{pid}/task"))
segproc.stop()
import numpy  # noqa: F401 - here, in the run's own process, as any NumPy user would
print(json.dumps({"helper": helper, "plain": len(os.listdir("/proc/self/task")),
                  "env": os.environ.get("OPENBLAS_NUM_THREADS")}))
"""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS") and k != "BILINGUAL_SEGMENT_HELPER"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                          cwd=REPO_ROOT, env=env)
    threads = json.loads(done.stdout)
    assert threads["helper"] == 1 and threads["env"] is None
    if (os.cpu_count() or 1) > 1:
        assert threads["plain"] > 1  # what the helper would run without its setting


def test_the_collector_is_off_for_spacys_import_and_on_again_with_the_imported_objects_frozen():
    """The helper imports spaCy with the cyclic collector off (bench/README.md), but splits texts
    with it on: a run of many documents must not keep their cyclic garbage."""
    import gc

    from bilingual.leanimport import collector_paused

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]  # what an import leaves behind
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(made)
        gc.disable()  # a caller that had it off keeps it off
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
