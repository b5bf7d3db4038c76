"""``make bench``, the library rows: 20 and 200 documents in one run, re-runs, a 50 MB document.

Called by bench/run.py (which times every command as a subprocess: wall time, CPU time,
peak RSS from ``os.wait4``); see bench/README.md "Library" for what each row means.

* **single / 20 / 200 documents**: ``bilingual translate --config … --no-cache`` on fresh
  outputs, documents from bench/workload.py (``library_document``: document *k* is the
  shipped notice with its numbers shifted by *k*, verbs swapped by the bits of *k*, a
  deadline clause in every sentence of its body — no engine input repeats across
  documents, except the notice's boilerplate). Engine: argos with the tiny random model of
  the test suite (tests/tinymodel.py, 2 layers, d 64, stopping like a trained model), so
  that the pipeline's own scaling is measured, not hidden behind the decoder.
* **re-runs of the 200**: unchanged (every document skipped by the run state), and with
  one document replaced by another (document 1000's text).
* **50 MB**: one document of ~50 MB (``large_document``: chapters and articles numbered
  on) translated with ``--engine pseudo`` (a real model would take hours), then run again
  unchanged (``--state``: skipped after hashing).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "library"

# The test suite's tiny model, stopping about where a trained model stops (bench/lt_bench.py).
TINY = {"num_layers": 2, "d_model": 64, "num_heads": 4, "ffn": 128, "quantization": "int8", "seed": 0,
        "eos_bias": 2.25}
COUNTS = (20, 200)
CHANGED = 100  # the document replaced for the "one changed document" re-run
LARGE_BYTES = 50_000_000


def tiny_packages(log) -> Path:
    """The tiny zh→en package installed in its own folder (built once, cached)."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import SHANGHAI_SOURCE, build_cached_package

    from bilingual.packages import install_from_file

    archive = build_cached_package(WORK / "models", source=SHANGHAI_SOURCE, **TINY)
    packages = WORK / "packages"
    marker = packages / ".bench-model"
    if not marker.exists() or marker.read_text() != archive.name:
        log(f"installing the tiny model {archive.name} …")
        shutil.rmtree(packages, ignore_errors=True)
        packages.mkdir(parents=True)
        install_from_file(archive, directory=packages)
        marker.write_text(archive.name)
    return packages


def write_config(folder: Path, sources: list[Path]) -> Path:
    """A ``bilingual.toml`` for ``sources``, its PO files under ``folder/out``; old outputs removed."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lines = ["[defaults]", 'engine = "argos"', f"glossary = {json.dumps(str(REPO / 'glossary'))}", ""]
    for source in sources:
        name = source.name.removesuffix(".zh.txt")
        lines += ["[[document]]", f'name = "{name}"', f"source = {json.dumps(str(source))}",
                  f'po = "out/{name}.en.po"', ""]
    config = folder / "bilingual.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def run_library(timed: Callable, command: list[str], env: dict[str, str], log) -> dict:
    """The single-document run, 20 and 200 documents, and the two re-runs of the 200."""
    import workload

    env = {**env, "ARGOS_PACKAGES_DIR": str(tiny_packages(log))}
    docs = workload.write_library(WORK / "docs", max(COUNTS))
    out: dict = {"engine": "argos, tiny random model (tests/tinymodel.py)", "model": TINY, "runs": {}}

    def translate(config: Path, label: str) -> dict:
        result = timed([*command, "translate", "--config", str(config), "--no-cache", "--format", "json", "-q"],
                       env, config.parent, label)
        stats = json.loads(result.stdout)
        return {"seconds": result.wall, "cpu_seconds": result.cpu, "rss_mb": result.rss_mb,
                "others_cpu": result.others, "documents": len(stats),
                "skipped": sum(st["skipped"] for st in stats), "written": sum(st["written"] for st in stats),
                "segments": sum(st["segments"] for st in stats), "machine": sum(st["machine"] for st in stats)}

    configs = {"single": write_config(WORK / "single", docs[:1])}
    configs.update({str(n): write_config(WORK / f"lib{n}", docs[:n]) for n in COUNTS})
    log("library: one document, fresh …")
    out["runs"]["single"] = translate(configs["single"], "library single document")
    for count in COUNTS:
        log(f"library: {count} documents in one run, fresh …")
        out["runs"][str(count)] = translate(configs[str(count)], f"library {count} documents")
    big = configs[str(max(COUNTS))]
    log(f"library: {max(COUNTS)} documents again, unchanged …")
    out["runs"]["rerun_unchanged"] = translate(big, "library re-run, unchanged")
    changed = docs[CHANGED]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(workload.library_document(workload.SOURCE.read_text(encoding="utf-8"), 1000), encoding="utf-8")
    try:
        log(f"library: {max(COUNTS)} documents again, one of them replaced …")
        out["runs"]["rerun_one_changed"] = translate(big, "library re-run, one document changed")
    finally:
        changed.write_text(original, encoding="utf-8")
    return out


def run_large(timed: Callable, command: list[str], env: dict[str, str], log, target: int = LARGE_BYTES) -> dict:
    """A ~50 MB document: a fresh run (pseudo engine), then an unchanged re-run (run state)."""
    import workload

    folder = WORK / "large"
    log(f"large document: writing ~{target / 1e6:.0f} MB …")
    source = workload.large_document(folder / "large.zh.txt", target)
    po, state = folder / "large.en.po", folder / "state.json"
    base = [*command, "translate", str(source), "-o", str(po), "--engine", "pseudo", "--no-cache",
            "--glossary", str(REPO / "glossary"),
            "--state", str(state), "--max-size", "1G", "--format", "json", "-q"]

    def translate(label: str) -> dict:
        result = timed(base, env, folder, label)
        stats = json.loads(result.stdout)[0]
        return {"seconds": result.wall, "cpu_seconds": result.cpu, "rss_mb": result.rss_mb,
                "others_cpu": result.others, "segments": stats["segments"], "machine": stats["machine"],
                "skipped": stats["skipped"], "written": stats["written"]}

    po.unlink(missing_ok=True)
    state.unlink(missing_ok=True)
    out = {"bytes": source.stat().st_size, "engine": "pseudo", "runs": {}}
    log("large document: fresh run (pseudo engine) …")
    out["runs"]["fresh"] = translate("large document, fresh")
    out["po_bytes"] = po.stat().st_size
    log("large document: again, unchanged …")
    out["runs"]["rerun_unchanged"] = translate("large document, unchanged re-run")
    return out
