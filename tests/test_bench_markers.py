"""bench/markers.py: the hooked run reports where the engine's calls began and ended.

The tool's figures are quoted in bench/README.md for changes too small for ``make bench``'s
ratios; this pins that its hooks catch the real engine's calls in a real run (tiny model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[1]


def test_the_hooked_run_times_the_engines_calls_and_writes_the_po(argos_packages_dir, tmp_path):
    po = tmp_path / "fresh.po"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "markers.py"), "--child", "translate",
         str(REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"), "--engine", "argos",
         "--no-cache", "-o", str(po), "--format", "json", "-q"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("BILINGUAL-MARKERS ")]
    marks = json.loads(line.split(" ", 1)[1])
    assert Path(marks["code"]) == REPO
    assert 0 < marks["first_batch"] < marks["total"] - marks["tail"] <= marks["total"]
    assert marks["cpu_before"] > 0 and marks["mt_cpu"] > 0
    assert json.loads(done.stdout)[0]["machine"] > 0  # the run itself was not disturbed
    assert any(entry.msgstr for entry in polib.pofile(str(po)))
