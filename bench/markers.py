"""Where does (b)'s time go? Markers inside ``bilingual translate``, for one change at a time.

``make bench`` gives end-to-end ratios; a change to start-up moves them by a few per cent,
inside the noise of a shared 2-core machine. This tool runs the (b) command of bench/run.py
(same model, environment and flags) with markers hooked into the run, and reports medians of
interleaved runs of one or more checkouts, so that a before/after of one change is measured in
one sitting:

    .venv/bin/python bench/markers.py                          # this checkout, 6 runs
    .venv/bin/python bench/markers.py --scale 0.5              # bounds halved, as (f)
    .venv/bin/python bench/markers.py ../before . --runs 8     # two checkouts, interleaved
    .venv/bin/python bench/markers.py --format json

Markers (seconds since the process started, read from /proc; CPU of the main process):

  first_batch   wall time when the engine's first ``translate_tokens`` call starts
  cpu_before    the main process's CPU seconds by then (imports, parse, model load …)
  mt_cpu        main-process CPU from the first call's start to the last call's end
  tail          wall time from the last call's end to the exit
  total         wall time of the run; ``cpu_all`` the CPU of the run with its spaCy helper

Each hook is installed when its module is first imported (a meta-path finder), so the
hooks themselves import nothing early and move no cost. The model is bench/run.py's
(built once into bench/.work/). ``--rt`` runs every child under ``chrt -f 10`` (root), as
the figures in bench/README.md were taken. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MARK = "BILINGUAL-MARKERS "
KEYS = ("first_batch", "cpu_before", "mt_cpu", "tail", "total", "cpu_all")


# --------------------------------------------------------------------------- child: the hooked run


def _process_start() -> float:
    """The ``time.time()`` at which this process started (its /proc start time)."""
    import time

    with open("/proc/self/stat", encoding="ascii") as handle:
        started = int(handle.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as handle:
        uptime = float(handle.read().split()[0])
    return time.time() - (uptime - started / os.sysconf("SC_CLK_TCK"))


def child(argv: list[str]) -> None:
    """Run ``bilingual ARGV`` with the engine's ``translate_tokens`` timed; print the markers."""
    import importlib.abc
    import time

    origin, main_pid, marks = _process_start(), os.getpid(), {}

    def hook_engine(module) -> None:
        original = module.ArgosEngine.translate_tokens

        def translate_tokens(self, *args, **kwargs):
            marks.setdefault("first_batch", time.time() - origin)
            marks.setdefault("cpu_before", time.process_time())
            try:
                return original(self, *args, **kwargs)
            finally:
                marks["last_end"] = time.time() - origin
                marks["mt_cpu"] = time.process_time() - marks["cpu_before"]

        module.ArgosEngine.translate_tokens = translate_tokens

    class Hooks(importlib.abc.MetaPathFinder):
        """Run ``hook_engine`` right after bilingual.engines.argos is first executed."""

        def find_spec(self, name, path, target=None):
            if name != "bilingual.engines.argos":
                return None
            sys.meta_path.remove(self)
            from importlib.util import find_spec

            spec = find_spec(name)
            execute = spec.loader.exec_module

            def exec_module(module):
                execute(module)
                hook_engine(module)

            spec.loader.exec_module = exec_module
            return spec

    def report() -> None:
        if os.getpid() != main_pid:
            return
        total = time.time() - origin
        out = {key: marks.get(key) for key in ("first_batch", "cpu_before", "mt_cpu")}
        out["tail"] = total - marks["last_end"] if "last_end" in marks else None
        out["total"] = total
        out["code"] = str(Path(sys.modules["bilingual"].__file__).resolve().parent.parent)
        print(MARK + json.dumps(out), file=sys.stderr, flush=True)

    real_exit = os._exit

    def exit_reporting(code):
        report()
        real_exit(code)

    os._exit = exit_reporting  # the CLI leaves with os._exit(0) once everything is flushed
    import atexit

    atexit.register(report)  # an error path that exits the usual way
    sys.meta_path.insert(0, Hooks())
    sys.argv = ["bilingual", *argv]
    from bilingual.launch import entry

    entry()


# --------------------------------------------------------------------------- parent: runs, medians


def run_once(checkout: Path, source: Path, env: dict[str, str], rt: bool) -> dict:
    """One hooked (b) run of ``checkout``'s code: its markers."""
    with tempfile.TemporaryDirectory(prefix="markers-") as tmp:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "translate", str(source),
               "--engine", "argos", "--no-cache", "--term-strategy", "placeholder",
               "-o", str(Path(tmp) / "fresh.po"), "--format", "json", "-q"]
        if rt and shutil.which("chrt"):
            cmd = ["chrt", "-f", "10", *cmd]
        child_env = {**env, "PYTHONPATH": str(checkout)}
        process = subprocess.Popen(cmd, cwd=checkout, env=child_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        _, err = process.communicate()
    lines = [line for line in err.splitlines() if line.startswith(MARK)]
    if process.returncode != 0 or not lines:
        raise SystemExit(f"markers: the run of {checkout} failed (exit {process.returncode}):\n{err[-2000:]}")
    marks = json.loads(lines[-1][len(MARK):])
    code = Path(marks.pop("code"))
    if code != checkout:  # an installed copy shadowed PYTHONPATH
        raise SystemExit(f"markers: the run meant for {checkout} ran the code in {code}")
    return marks


def children_cpu() -> float:
    """CPU seconds of every waited-for child so far (with their own children)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def medians(runs: list[dict]) -> dict:
    out = {}
    for key in KEYS:
        values = [run[key] for run in runs if run.get(key) is not None]
        out[key] = round(statistics.median(values), 3) if values else None
    out["runs"] = len(runs)
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[REPO],
                        help="checkouts whose bilingual/ to run, interleaved (default: this one)")
    parser.add_argument("--runs", type=int, default=6, help="runs of each checkout (default 6)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="BILINGUAL_DECODING_SCALE (0.5: bounds halved, as bench (f))")
    parser.add_argument("--rt", action="store_true", help="run each child under chrt -f 10 (root)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    from run import bench_env, ensure_model
    from workload import SOURCE

    packages, _, _ = ensure_model(lambda message: print(message, file=sys.stderr))
    env = {**bench_env(packages), "BILINGUAL_DECODING_SCALE": str(args.scale)}
    checkouts = [path.resolve() for path in args.checkouts]
    runs: dict[Path, list[dict]] = {path: [] for path in checkouts}
    for _ in range(args.runs):
        for path in checkouts:
            before = children_cpu()
            marks = run_once(path, SOURCE, env, args.rt)
            marks["cpu_all"] = children_cpu() - before
            runs[path].append(marks)
    result = {str(path): medians(found) for path, found in runs.items()}
    if args.format == "json":
        print(json.dumps({"scale": args.scale, "medians": result}, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"medians of {args.runs} interleaved runs, decoding scale {args.scale}")
    table.add_column("checkout")
    for key in KEYS:
        table.add_column(key, justify="right")
    for path, found in result.items():
        table.add_row(path, *("" if found[key] is None else f"{found[key]:.3f}" for key in KEYS))
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
