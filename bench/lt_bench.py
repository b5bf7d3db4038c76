"""In-process Argos versus LibreTranslate on loopback, on many documents; and ``--jobs``.

    .venv/bin/python bench/lt_bench.py                 # 20 documents, tiny model, ~2 min on 2 cores
    .venv/bin/python bench/lt_bench.py --model base    # Transformer-base shape (slow: ~10+ min)
    .venv/bin/python bench/lt_bench.py --documents 5 --quick

Prints one JSON document on stdout (progress goes to stderr). ``bench/run.py`` can
call :func:`run_benchmark` and store the dict.

Workload: ``--documents`` variants of the shipped Shanghai document
(tests/ltserver.py ``document_variants``: rotated verbs and nouns, new document
numbers; the structure stays), all in one ``bilingual.toml``, translated by ONE
``bilingual translate --config … --no-cache`` run per configuration (wall time of
the whole command, start-up and PO writing included):

* ``in_process``   ``--engine argos`` (CTranslate2 in the bilingual process, its defaults:
  one intra-op thread per usable core); ``in_process_1_thread`` with ``ARGOS_INTRA_THREADS=1``
* ``lt_threads_N`` ``--engine libretranslate`` against ``libretranslate --threads N``
  (waitress threads of one server process) on 127.0.0.1, ``--max-in-flight 4``

The model is a random-weight Argos package from tests/tinymodel.py, with an
``eos_bias`` so that hypotheses stop after about as many pieces as the source has
(like a trained model) instead of running to the decoding bound: bilingual bounds
decoding at 2 × source + 16 pieces, LibreTranslate (argostranslate) at 256, so
without it the two engines would do very different amounts of work. The mean
output length of each configuration is reported to show they are comparable.

Both engines decode with beam 2 and one CTranslate2 thread per translation on the
server (``ARGOS_INTRA_THREADS=1``); the in-process engine uses its defaults (one
thread per usable core, length-sorted sub-batches of 8). LibreTranslate translates
the texts of a request one by one (no batching inside a request).

``jobs``: the same documents with ``--engine pseudo`` (no MT), ``--jobs 1`` vs ``2``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "lt"
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

MODELS = {
    # eos_bias measured with tests/tinymodel.py on 24-60 Shanghai segments, bilingual's engine:
    #   tiny: 2.25 → ~31 output pieces for 24.5 source pieces (0 → runs to the bound, 2.5 → ~11)
    #   base: 3.5 → ~15 output pieces for 10.2 source pieces (3.0 → 45, 3.75 → 4)
    "tiny": {"num_layers": 2, "d_model": 64, "num_heads": 4, "ffn": 128, "quantization": "int8", "seed": 0,
             "eos_bias": 2.25},
    "base": {"num_layers": 6, "d_model": 512, "num_heads": 8, "ffn": 2048, "vocab_size": 32000,
             "quantization": "int8", "seed": 0, "eos_bias": 3.5},
}


def log(message: str) -> None:
    print(f"[lt_bench] {message}", file=sys.stderr, flush=True)


def build_packages(model: str, eos_bias: float | None) -> tuple[Path, Path, Path, Path]:
    """(zh→en .argosmodel, en→zh .argosmodel, bilingual packages dir, LibreTranslate packages dir)."""
    from conftest import SHANGHAI_SOURCE, build_cached_package
    from ltserver import install_lt_packages

    from bilingual.packages import install_from_file

    params = dict(MODELS[model])
    if eos_bias is not None:
        params["eos_bias"] = eos_bias
    cache = WORK / "models"
    zh_en = build_cached_package(cache, source=SHANGHAI_SOURCE, **params)
    en_zh = build_cached_package(cache, source=SHANGHAI_SOURCE, from_code="en", to_code="zh", **params)
    own = WORK / f"packages-{zh_en.stem}"
    lt = WORK / f"lt-packages-{zh_en.stem}"
    for folder in (own, lt):
        shutil.rmtree(folder, ignore_errors=True)
    install_from_file(zh_en, directory=own)
    install_lt_packages(lt, zh_en, en_zh)
    return zh_en, en_zh, own, lt


def make_corpus(count: int) -> Path:
    from ltserver import document_variants

    corpus = WORK / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    (corpus / "docs").mkdir(parents=True)
    text = (REPO / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    lines = ["[defaults]", 'engine = "pseudo"', f"glossary = {json.dumps(str(REPO / 'glossary'))}", ""]
    for number, variant in enumerate(document_variants(text, count)):
        name = f"doc{number:02d}"
        (corpus / "docs" / f"{name}.zh.txt").write_text(variant, encoding="utf-8")
        lines += ["[[document]]", f'name = "{name}"', f'source = "docs/{name}.zh.txt"',
                  f'po = "out/{name}/{name}.en.po"', ""]
    config = corpus / "bilingual.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def translate(config: Path, *args: str, env: dict | None = None) -> dict:
    """One ``bilingual translate --config`` run on fresh outputs, no cache; wall time and counts."""
    shutil.rmtree(config.parent / "out", ignore_errors=True)
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(WORK / "xdg-cache"), **(env or {})}
    command = [sys.executable, "-m", "bilingual", "translate", "--config", str(config), "--no-cache",
               "--format", "json", "-q", *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=full_env, cwd=config.parent, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}")
    stats = json.loads(done.stdout)
    import polib

    lengths = []
    for st in stats:
        for entry in polib.pofile(st["po"]):
            if "origin: machine translation" in entry.comment and entry.msgstr:
                lengths.append(len(entry.msgstr))
    segments = sum(st["segments"] for st in stats)
    machine = sum(st["machine"] for st in stats)
    return {
        "seconds": round(seconds, 2),
        "documents": len(stats),
        "segments": segments,
        "machine_segments": machine,
        "segments_per_s": round(segments / seconds, 1),
        "machine_segments_per_s": round(machine / seconds, 1),
        "mean_output_chars": round(statistics.fmean(lengths), 1) if lengths else 0,
    }


def best_of(repeat: int, function, *args, **kwargs) -> dict:
    runs = [function(*args, **kwargs) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "all_seconds": [r["seconds"] for r in runs]}


def run_benchmark(documents: int = 20, model: str = "tiny", eos_bias: float | None = None,
                  threads: tuple[int, ...] = (1, 2), repeat: int = 2, max_in_flight: int = 4,
                  batch_size: int = 16, jobs: bool = True) -> dict:
    from ltserver import LT_REQUIREMENT, LTServer, ensure_lt_venv, lt_venv

    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    had_venv = (lt_venv() / ".bilingual-installed").is_file()
    bin_dir = ensure_lt_venv()
    venv_seconds = None if had_venv else round(time.perf_counter() - started, 1)
    log(f"LibreTranslate venv ready ({'reused' if had_venv else f'{venv_seconds} s'})")
    zh_en, _en_zh, own_packages, lt_packages = build_packages(model, eos_bias)
    config = make_corpus(documents)
    result: dict = {
        "documents": documents,
        "model": {"kind": model, **MODELS[model], **({"eos_bias": eos_bias} if eos_bias is not None else {}),
                  "package": zh_en.name},
        "libretranslate": LT_REQUIREMENT,
        "lt_venv_install_seconds": venv_seconds,
        "cpus": len(os.sched_getaffinity(0)),
        "runs": {},
    }
    log(f"in-process argos, {documents} documents")
    env = {"ARGOS_PACKAGES_DIR": str(own_packages)}
    result["runs"]["in_process"] = best_of(repeat, translate, config, "--engine", "argos",
                                           env={**env, "ARGOS_INTRA_THREADS": ""})
    result["runs"]["in_process_1_thread"] = best_of(repeat, translate, config, "--engine", "argos",
                                                    env={**env, "ARGOS_INTRA_THREADS": "1"})
    for count in threads:
        state = WORK / f"lt-state-{count}"
        shutil.rmtree(state, ignore_errors=True)
        with LTServer(bin_dir, lt_packages, state, threads=count) as server:
            t0 = time.perf_counter()
            server.start()
            startup = time.perf_counter() - t0
            from bilingual.engines.libretranslate import LibreTranslateEngine

            with LibreTranslateEngine(server.url) as warm:  # loads the model in the server
                warm.check_ready()
            log(f"LibreTranslate --threads {count} (started in {startup:.1f} s)")
            run = best_of(repeat, translate, config, "--engine", "libretranslate", "--url", server.url,
                          "--max-in-flight", str(max_in_flight), "--batch-size", str(batch_size))
            result["runs"][f"lt_threads_{count}"] = {**run, "server_startup_seconds": round(startup, 2)}
    # > 1: LibreTranslate finishes the same run faster than the in-process engine.
    result["ratios"] = {
        f"{name}_vs_{reference}_speed": round(result["runs"][reference]["seconds"] / run["seconds"], 2)
        for reference in ("in_process", "in_process_1_thread")
        for name, run in result["runs"].items() if name.startswith("lt_")
    }
    if jobs:
        log("--jobs 1 vs 2 (pseudo engine)")
        one = best_of(max(repeat, 3), translate, config, "--engine", "pseudo", "--jobs", "1")
        two = best_of(max(repeat, 3), translate, config, "--engine", "pseudo", "--jobs", "2")
        result["jobs"] = {"engine": "pseudo", "jobs_1": one, "jobs_2": two,
                          "speedup_jobs_2": round(one["seconds"] / two["seconds"], 2)}
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--model", choices=sorted(MODELS), default="tiny")
    parser.add_argument("--eos-bias", type=float, default=None, help="override the model's eos_bias")
    parser.add_argument("--threads", default="1,2", help="LibreTranslate --threads values, comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per configuration (best is kept)")
    parser.add_argument("--max-in-flight", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs measurement")
    parser.add_argument("--quick", action="store_true", help="one run per configuration")
    args = parser.parse_args(argv)
    result = run_benchmark(
        documents=args.documents, model=args.model, eos_bias=args.eos_bias,
        threads=tuple(int(t) for t in args.threads.split(",") if t.strip()),
        repeat=1 if args.quick else args.repeat, max_in_flight=args.max_in_flight,
        batch_size=args.batch_size, jobs=not args.no_jobs,
    )
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
