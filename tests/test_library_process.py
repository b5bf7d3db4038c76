"""A library run as a process (issue 15): what loads when, the exit, the progress bars.

The fixed cost of a run is start-up, spaCy, the model and the interpreter's teardown. These
tests check the behaviour behind the savings, not their size (that is ``make bench``'s):
spaCy and the model load only when a document needs them, the model starts loading before
the documents are read, the teardown is skipped only after every output is complete, the
progress bars go to a terminal's stderr and never into ``--format json``, and a large
document enters the MT stream a few engine calls at a time.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from test_library import REPO, make_library, po_of

ENTRY = ("import atexit, sys\n"
         "atexit.register(lambda: print('interpreter teardown ran', file=sys.stderr))\n"
         "from bilingual.cli import entry\n"
         "entry()\n")


def bilingual_process(config: Path, *args, script: str = ENTRY, **kwargs) -> subprocess.CompletedProcess:
    """The console script's ``entry()`` in a fresh interpreter, with an atexit hook that says
    whether the interpreter's normal way out (teardown) ran."""
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(config.parent / "cache"))
    env.pop("PYTHONUNBUFFERED", None)  # stdout on a pipe block-buffered, as in CI: the exit must flush it
    return subprocess.run([sys.executable, "-c", script, "translate", "--config", str(config), *args],
                          cwd=config.parent, env=env, capture_output=True, text=True, timeout=600, check=False,
                          **kwargs)


def loaded(config: Path) -> str:
    """Exit code, and whether spaCy (in the run or in its helper process, bilingual/segproc.py)
    and CTranslate2 were imported by the run."""
    script = ("import sys\nfrom bilingual import segproc\nreal, started = segproc.start, []\n"
              "segproc.start = lambda: started.append(real()) or started[-1]\n"
              "from bilingual.cli import main\ncode = main(sys.argv[1:])\n"
              "print(code, 'spacy' in sys.modules or any(started), 'ctranslate2' in sys.modules, file=sys.stderr)")
    done = bilingual_process(config, "-q", script=script)
    return done.stderr.strip().splitlines()[-1]


def test_spacy_and_the_model_load_only_when_a_document_needs_them(tmp_path, argos_packages_dir):
    config = make_library(tmp_path / "lib", 2, engine="argos")
    assert loaded(config) == "0 True True"
    assert loaded(config) == "0 False False"  # everything skipped: nothing to segment, nothing to translate
    # A changed source whose sentences are all in the PO file already: segmented, nothing to translate.
    source = config.parent / "doc1.zh.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert loaded(config) == "0 True False"
    # A changed sentence: the model is loaded for it.
    source.write_text(source.read_text(encoding="utf-8").replace("推进", "推动", 1), encoding="utf-8")
    assert loaded(config) == "0 True True"


class PreloadingEngine:
    """An engine that copies its input and logs when it is asked to start loading."""

    name = "preloading"

    def __init__(self, events: list[str]):
        self.events = events

    def identity(self) -> str:
        return "preloading/1"

    def preload(self) -> None:
        self.events.append("preload")

    def translate(self, texts):
        return list(texts)


def test_the_model_starts_loading_before_the_documents_are_read_when_mt_is_certain(tmp_path, monkeypatch):
    """A new PO file means machine translation: the model loads while spaCy imports and the
    documents are read. With every PO file present, nothing is loaded ahead (the run may need no MT)."""
    import bilingual.library
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    root = tmp_path / "lib"
    make_library(root, 2)
    jobs = [Job(f"doc{n}", root / f"doc{n}.zh.txt", po_of(root, n)) for n in range(2)]
    events: list[str] = []
    real_prepare = bilingual.library.prepare

    def logged_prepare(job, **options):
        events.append(f"prepare {job.name}")
        return real_prepare(job, **options)

    monkeypatch.setattr(bilingual.library, "prepare", logged_prepare)
    glossary = load_glossary(REPO / "glossary")
    run(jobs, PreloadingEngine(events), glossary)
    assert events[0] == "preload" and events.count("preload") == 1 and "prepare doc0" in events
    events.clear()
    jobs[1].source.write_text(jobs[1].source.read_text(encoding="utf-8").replace("推进", "推动", 1), encoding="utf-8")
    run(jobs, PreloadingEngine(events), glossary)
    assert "preload" not in events and events.count("prepare doc1") == 1


def strip_dates(po: Path) -> list[str]:
    return [line for line in po.read_text(encoding="utf-8").splitlines() if "-Date:" not in line]


def test_a_successful_run_skips_the_teardown_only_after_every_output_is_complete(tmp_path, argos_packages_dir):
    """Exit 0 leaves by ``os._exit`` (no atexit, no teardown) — after the JSON summary on a pipe
    (block-buffered) is flushed, the PO files, the run state and the MT cache are written and
    closed: each is complete and the same as an in-process run's. A failing run takes the normal way out."""
    from inproc import run_inprocess

    config = make_library(tmp_path / "lib", 2, engine="argos")
    done = bilingual_process(config, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "interpreter teardown ran" not in done.stderr  # os._exit: the teardown was skipped
    stats = json.loads(done.stdout)  # the whole summary, flushed before the exit
    assert [st["document"] for st in stats] == ["doc0", "doc1"] and all(st["written"] for st in stats)
    machine = sum(st["machine"] for st in stats)
    assert machine > 150
    # Every PO file complete: valid for msgfmt, and what the same run in this process writes.
    twin = make_library(tmp_path / "twin", 2, engine="argos")
    inside = run_inprocess(["translate", "--config", twin, "--format", "json"],
                           env={"XDG_CACHE_HOME": str(twin.parent / "cache")}, cwd=twin.parent)
    assert inside.returncode == 0, inside.stderr
    for number in range(2):
        po = po_of(config.parent, number)
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], check=True)
        entries = [e for e in polib.pofile(str(po)) if not e.obsolete]
        assert len(entries) == stats[number]["segments"]
        assert sum(not e.msgstr for e in entries) == stats[number]["untranslated"]
        assert strip_dates(po) == strip_dates(po_of(twin.parent, number))
    # The run state was written: the next run skips all three.
    state = json.loads((config.parent / ".bilingual-state.json").read_text(encoding="utf-8"))
    assert len(state["documents"]) == 2
    # The MT cache was committed and closed: without the PO files, every segment comes from it.
    for number in range(2):
        po_of(config.parent, number).unlink()
    again = bilingual_process(config, "--format", "json")
    assert again.returncode == 0, again.stderr
    again_stats = json.loads(again.stdout)
    assert sum(st["machine"] for st in again_stats) == 0 and sum(st["cached"] for st in again_stats) == machine
    # A failing run (exit 2: a broken PO file) leaves the normal way, atexit and all.
    po_of(config.parent, 0).write_text("msgid broken\n", encoding="utf-8")
    failed = bilingual_process(config, "-q")
    assert failed.returncode == 2 and "interpreter teardown ran" in failed.stderr


def read_all(fd: int) -> bytes:
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side of the terminal is closed
            return output
        if not chunk:
            return output
        output += chunk


def test_the_bars_go_to_a_terminals_stderr_and_never_into_the_summary(tmp_path):
    """stderr a terminal: documents done/total, MT segments and the time left are drawn there;
    stdout (a pipe) holds exactly the JSON summary. Both piped, or --quiet: no bars at all."""
    config = make_library(tmp_path / "lib", 3)
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(tmp_path / "cache"), COLUMNS="160",
               TERM="xterm")
    for name in ("CI", "GITHUB_ACTIONS"):  # this suite runs in CI: the bars are drawn only outside it
        env.pop(name, None)
    command = [sys.executable, "-m", "bilingual", "translate", "--config", str(config)]
    master, slave = pty.openpty()
    with subprocess.Popen([*command, "--format", "json"], cwd=config.parent, env=env, stdout=subprocess.PIPE,
                          stderr=slave) as process:
        os.close(slave)
        screen = read_all(master).decode("utf-8", "replace")
        stdout = process.stdout.read()
    os.close(master)
    assert process.returncode == 0, screen
    assert "documents" in screen and "3/3" in screen and "MT segments" in screen and "ETA" in screen
    assert [st["document"] for st in json.loads(stdout)] == ["doc0", "doc1", "doc2"]

    master, slave = pty.openpty()
    with subprocess.Popen([*command, "--no-state", "-q"], cwd=config.parent, env=env, stdout=subprocess.PIPE,
                          stderr=slave) as process:
        os.close(slave)
        screen = read_all(master).decode("utf-8", "replace")
        stdout = process.stdout.read().decode()
    os.close(master)
    assert process.returncode == 0 and "ETA" not in screen and "documents" not in screen
    assert stdout.splitlines()[0].startswith("document\tsegments")

    piped = subprocess.run([*command, "--no-state"], cwd=config.parent, env=env, capture_output=True, text=True,
                           timeout=300, check=False)
    assert piped.returncode == 0
    assert piped.stdout.splitlines()[0].startswith("document\tsegments") and "ETA" not in piped.stdout
    assert "documents" not in piped.stderr and "ETA" not in piped.stderr


class CountingEngine:
    """Copies its input; remembers how many pieces the stream held when each call was made."""

    name = "counting"

    def __init__(self):
        self.waiting: list[int] = []
        self.stream = None

    def identity(self) -> str:
        return "counting/1"

    def translate(self, texts):
        self.waiting.append(self.stream.pending if self.stream is not None else 0)
        return list(texts)


def test_a_large_documents_segments_enter_the_mt_stream_a_few_calls_at_a_time(tmp_path, monkeypatch):
    """Memory of one large document: its MT segments are handed to the stream SUBMIT_CALLS
    calls' worth at a time, full calls sent in between — never all of them at once."""
    sys.path.insert(0, str(REPO / "bench"))
    import workload

    import bilingual.library
    import bilingual.mtstream
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    source = workload.large_document(tmp_path / "large.zh.txt", 400_000)
    engine = CountingEngine()
    real_stream = bilingual.mtstream.MTStream

    def watched_stream(*args, **kwargs):
        engine.stream = real_stream(*args, **kwargs)
        return engine.stream

    monkeypatch.setattr(bilingual.mtstream, "MTStream", watched_stream)
    batch = 16
    [stats] = run([Job("large", source, tmp_path / "large.en.po")], engine, load_glossary(REPO / "glossary"),
                  term_strategy="placeholder", batch_size=batch)
    assert stats.written and stats.machine > 1500
    step = bilingual.library.SUBMIT_CALLS * batch
    assert max(engine.waiting) <= 2 * (step + batch)  # pieces: a segment may be cut in two
    assert max(engine.waiting) < stats.machine / 5


def on_a_terminal(command: list[str], cwd: Path, env: dict) -> tuple[int, str]:
    """Run ``command`` with stderr on a pty (stdout a pipe): its exit code and what the pty showed."""
    master, slave = pty.openpty()
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave) as process:
        os.close(slave)
        screen = read_all(master).decode("utf-8", "replace")
        process.stdout.read()
    os.close(master)
    return process.returncode, screen


def test_no_bars_in_ci_even_on_a_terminal(tmp_path):
    """A CI runner that allocates a pty (``docker run -t``): CI=true or GITHUB_ACTIONS=true draws no
    bars; CI=false is no CI."""
    from bilingual.cli.output import in_ci

    config = make_library(tmp_path / "lib", 2)
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(tmp_path / "cache"), COLUMNS="160",
               TERM="xterm")
    command = [sys.executable, "-m", "bilingual", "translate", "--config", str(config), "--no-state",
               "--no-cache", "--format", "json"]
    for ci in ({"CI": "true"}, {"GITHUB_ACTIONS": "true"}):
        clean = {k: v for k, v in env.items() if k not in ("CI", "GITHUB_ACTIONS")}
        code, screen = on_a_terminal(command, config.parent, {**clean, **ci})
        assert code == 0 and "ETA" not in screen and "MT segments" not in screen, (ci, screen)
    for variables, expected in (({"CI": "false"}, False), ({"CI": "1"}, True), ({}, False),
                                ({"GITHUB_ACTIONS": "true", "CI": "false"}, True)):
        with pytest.MonkeyPatch.context() as patch:
            for name in ("CI", "GITHUB_ACTIONS"):
                patch.delenv(name, raising=False)
            for name, value in variables.items():
                patch.setenv(name, value)
            assert in_ci() is expected, variables
