"""``make bench``: how fast is ``bilingual translate --engine argos``, against what?

Offline, on a random-weight Argos package with the shape of a real zh→en model
(Transformer-base, int8; built by tests/tinymodel.py, cached in bench/.work/),
on the shipped document (1×) and a 10× version of it (bench/workload.py):

  (a) limit    CTranslate2 ``translate_batch`` alone on the pre-tokenised engine
               inputs of the pipeline, length-sorted, best sub-batch size of a sweep
  (b) pipeline ``bilingual translate SOURCE --engine argos --no-cache -o FRESH.po``
               as a subprocess, end to end (start-up, ingest … PO written)
  (c) argos    ``argostranslate.translate.translate()`` one segment at a time, what a
               user would write without this project (subprocess, end to end)
  (d) re-run   the (b) command again on the unchanged source and PO
  (e) help     ``bilingual --help`` and ``bilingual translate --help`` start-up
  (f) half     (a) and (b) on 1× with every decoding bound halved (BILINGUAL_DECODING_SCALE=0.5):
               the output lengths of a trained model, which stops at about half the bound
  (g) library  20 and 200 documents in one run, re-runs unchanged and with one document
               changed, a single-document run; a 50 MB document (bench/library_bench.py)

All three of (a), (b), (c) use the same inputs, beam size, CTranslate2 threads and
decoding bound (bilingual.engines.argos.max_decoding_length). Results go to
bench/results.json (see bench/README.md for what every key means).

    .venv/bin/python bench/run.py            # the full run (make bench), ~6 min on 2 cores
    .venv/bin/python bench/run.py --quick    # 1× only, one batch size; writes bench/.work/
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "results.json"
sys.path.insert(0, str(BENCH))

# The shape of the Argos zh→en packages (OpenNMT-py Transformer-base, SentencePiece 32k, int8).
# eos_bias 0: a random model then never emits </s> and every sub-batch decodes to its
# bound (2 × longest source + 16 pieces): a deterministic workload, the same for (a),
# (b) and (c). See README "Why every hypothesis runs to its bound".
MODEL_PARAMS = {
    "num_layers": 6,
    "d_model": 512,
    "num_heads": 8,
    "ffn": 2048,
    "vocab_size": 32000,
    "quantization": "int8",
    "seed": 0,
    "eos_bias": 0.0,
    "package_version": "0.0.1-base",
}
BEAM_SIZE = 2  # the engine's default (bilingual.engines.argos.DEFAULT_BEAM_SIZE)
SWEEP = (4, 8, 16)
HELP_RUNS = 7

TARGETS = {  # key: (limit, "max" or "min", description)
    "b_over_a": (1.10, "max", "pipeline / CTranslate2 limit, shipped document"),
    "b_over_a_10x": (1.10, "max", "pipeline / CTranslate2 limit, 10× document"),
    "c_over_b": (5.0, "min", "argostranslate one by one / pipeline"),
    "rerun_seconds": (1.0, "max", "re-run on unchanged source and PO, wall s"),
    "rerun_segments_sent": (0, "max", "segments sent to the engine on the re-run"),
    "help_seconds": (0.3, "max", "bilingual --help, median wall s"),
    "translate_help_seconds": (0.3, "max", "bilingual translate --help, median wall s"),
    "linearity_10x": (10.5, "max", "(b) 10× / (b) 1× wall time (the 10× document has > 10× the MT work)"),
    "peak_rss_mb_b": (None, "max", "peak RSS of (b), largest of 1× and 10×, MB (limit: model + 400)"),
    "b_over_a_half": (1.10, "max", "(f) pipeline / CTranslate2 limit, shipped document, bounds halved"),
    "b_minus_a_cpu": (None, "report", "CPU s of (b) beyond (a)'s decoding, shipped document"),
    "b_over_a_floor": (None, "report", "lowest b/a that CPU allows on these cores: (a + overhead ÷ cores) / a"),
    "b_minus_a_cpu_half": (None, "report", "(f) CPU s of (b) beyond (a)'s decoding, bounds halved"),
    "b_over_a_floor_half": (None, "report", "(f) lowest b/a that CPU allows, bounds halved"),
    "library_200_over_20": (10.5, "max", "(g) wall time, 200 documents / 20 documents, one run each"),
    "library_rss_200_over_20": (1.5, "max", "(g) peak RSS, 200 documents / 20 documents"),
    "library_rerun_unchanged_over_single": (3.0, "max", "(g) re-run of the 200, unchanged / one document's run"),
    "library_rerun_one_changed_over_single": (3.0, "max", "(g) re-run of the 200, one changed / one document's run"),
    "large_rerun_seconds": (None, "report", "(g) 50 MB document, unchanged re-run, wall s"),
    "large_rss_over_size": (None, "report", "(g) 50 MB document, peak RSS of the fresh run / its size"),
}


# --------------------------------------------------------------------------- processes


@dataclass
class Timed:
    """One subprocess: wall time, CPU time and peak RSS from ``os.wait4``.

    ``others`` is the share of the machine's CPU time that *other* processes
    used meanwhile (0: we had the machine; 0.5 on 2 cores: someone else kept a
    core busy): the benchmark's noise indicator.
    """

    wall: float
    user: float
    system: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    others: float = 0.0

    @property
    def cpu(self) -> float:
        return self.user + self.system


def run_timed(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> Timed:
    """Run ``cmd``; CPU and peak RSS are the run's own, measured by bench/launch.py (a run started
    straight from this process would report at least this process's RSS: Linux keeps a peak across
    ``exec``, and this process holds the model it built)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json", delete=False) as usage_file:
        busy = busy_seconds()
        start = time.perf_counter()
        launcher = [sys.executable, str(Path(__file__).resolve().parent / "launch.py"), usage_file.name]
        process = subprocess.Popen([*launcher, *cmd], stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, _launcher_usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        busy = busy_seconds() - busy
        process.returncode = os.waitstatus_to_exitcode(status)
        usage = json.loads(Path(usage_file.name).read_text(encoding="utf-8") or "{}")
        os.unlink(usage_file.name)
        out.seek(0)
        err.seek(0)
        user, system = usage.get("user", 0.0), usage.get("system", 0.0)
        cpu = user + system
        others = max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1)) if wall else 0.0
        return Timed(wall, user, system, usage.get("maxrss_kib", 0) / 1024, process.returncode,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), round(others, 3))


def busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (/proc/stat)."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def checked(timed: Timed, what: str) -> Timed:
    if timed.returncode != 0:
        raise SystemExit(f"bench: {what} failed (exit {timed.returncode}):\n{timed.stderr[-3000:]}")
    return timed


def bilingual_command() -> list[str]:
    script = Path(sys.executable).with_name("bilingual")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bilingual"]


def bench_env(packages: Path) -> dict[str, str]:
    """One environment for every child: the bench model and beam size; nothing in $HOME.

    Thread variables are removed: (a) and (b) run the engine's defaults (one
    single-threaded CTranslate2 worker per core); (c) sets its own.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in ("ARGOS_INTRA_THREADS", "ARGOS_INTER_THREADS", "ARGOS_COMPUTE_TYPE", "OMP_NUM_THREADS")}
    xdg = WORK / "xdg"
    env.update({
        "ARGOS_PACKAGES_DIR": str(packages),
        "ARGOS_BEAM_SIZE": str(BEAM_SIZE),
        "ARGOS_DEVICE_TYPE": "cpu",
        "XDG_DATA_HOME": str(xdg / "data"),
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_CACHE_HOME": str(xdg / "cache"),
    })
    return env


# --------------------------------------------------------------------------- model


def model_key() -> str:
    from workload import SOURCE

    digest = hashlib.sha256()
    digest.update((REPO / "tests" / "tinymodel.py").read_bytes())
    digest.update(json.dumps(MODEL_PARAMS, sort_keys=True).encode())
    digest.update(SOURCE.read_bytes())
    return digest.hexdigest()[:16]


def ensure_model(log) -> tuple[Path, Path, dict]:
    """Build (once) the base-shape package and install it in bench/.work/packages."""
    from workload import SOURCE

    key = model_key()
    archive = WORK / "models" / f"translate-zh_en-base-{key}.argosmodel"
    built = 0.0
    if not archive.exists():
        log(f"building the Transformer-base random-weight Argos package ({archive.name}) …")
        sys.path.insert(0, str(REPO / "tests"))
        import tinymodel

        start = time.perf_counter()
        tinymodel.build_argos_package(archive, source_text=SOURCE.read_text(encoding="utf-8"), **MODEL_PARAMS)
        built = time.perf_counter() - start
        for old in archive.parent.glob("translate-zh_en-base-*.argosmodel"):
            if old != archive:
                old.unlink()
    packages = WORK / "packages"
    marker = packages / ".bench-model"
    if not marker.exists() or marker.read_text() != key:
        from bilingual.packages import install_from_file

        if packages.exists():
            shutil.rmtree(packages)
        packages.mkdir(parents=True)
        install_from_file(archive, directory=packages)
        marker.write_text(key)
    from bilingual.packages import list_installed

    package = list_installed(packages)[0]
    size = sum(f.stat().st_size for f in package.path.rglob("*") if f.is_file())
    info = {**MODEL_PARAMS, "key": key, "archive_mb": round(archive.stat().st_size / 2**20, 1),
            "model_size_mb": round(size / 2**20, 1), "build_seconds": round(built, 1) if built else None}
    return packages, package.path, info


# --------------------------------------------------------------------------- workers (subprocesses)


def worker_limit(package: Path, inputs: list[str], sizes: list[int]) -> dict:
    """(a): the engine's own CTranslate2 call on pre-tokenised, length-sorted sub-batches."""
    from bilingual.engines.argos import ArgosEngine, sub_batch_sizes

    engine = ArgosEngine(package)
    start = time.perf_counter()
    engine._load()
    load = time.perf_counter() - start
    encoded = engine.encode(inputs)
    order = sorted(encoded, key=len, reverse=True)
    engine.translate_tokens([[order[-1]], [order[-2]]])  # warm-up (allocations), not timed
    runs = {}
    for size in sizes:
        batches, start = [], 0
        lengths = [len(tokens) for tokens in order]
        for count in sub_batch_sizes(lengths, size, engine.max_batch_tokens, engine.inter_threads):
            batches.append(order[start:start + count])
            start += count
        wall, cpu = time.perf_counter(), time.process_time()
        engine.translate_tokens(batches)  # all sub-batches in flight, as the engine does
        runs[str(size)] = {"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
                           "batches": len(batches)}
    return {"load_seconds": load, "tokens": sum(map(len, encoded)), "runs": runs,
            "intra_threads": engine.intra_threads, "inter_threads": engine.inter_threads,
            "beam_size": engine.beam_size}


def worker_argoslib(inputs: list[str]) -> dict:
    """(c): argostranslate.translate.translate(), one segment per call.

    Offline: its sentence splitter (MiniSBD, which downloads a model on first
    use) is replaced by "the whole segment is one sentence" (our inputs are
    sentences already). Its CTranslate2 Translator gets the engine's decoding
    bound (argostranslate passes none: 256); beam and threads come from
    ARGOS_BEAM_SIZE / ARGOS_INTRA_THREADS like any argostranslate user's.
    """
    import types

    start = time.perf_counter()
    import argostranslate.sbd
    import argostranslate.translate as argos_translate
    import ctranslate2

    from bilingual.engines.argos import max_decoding_length

    argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]

    calls = {"calls": 0, "at_bound": 0}

    class Bounded:
        def __init__(self, translator):
            self.translator = translator

        def translate_batch(self, source, **options):
            bound = max_decoding_length(max(len(tokens) for tokens in source))
            options.setdefault("max_decoding_length", bound + (1 if options.get("target_prefix") else 0))
            results = self.translator.translate_batch(source, **options)
            calls["calls"] += 1
            calls["at_bound"] += sum(len(r.hypotheses[0]) >= bound for r in results)
            return results

    argos_translate.ctranslate2 = types.SimpleNamespace(
        Translator=lambda *args, **kwargs: Bounded(ctranslate2.Translator(*args, **kwargs)))
    imports = time.perf_counter() - start
    loop = time.perf_counter()
    outputs = [argos_translate.translate(text, "zh", "en") for text in inputs]
    loop = time.perf_counter() - loop
    from argostranslate import settings

    return {"import_seconds": imports, "loop_seconds": loop, "outputs": len(outputs), **calls,
            "beam_size": settings.beam_size, "intra_threads": settings.intra_threads,
            "inter_threads": settings.inter_threads}


def run_worker(name: str, env: dict[str, str], **options) -> tuple[dict, Timed]:
    spec = WORK / f"worker-{name}.json"
    spec.write_text(json.dumps(options, ensure_ascii=False), encoding="utf-8")
    timed = checked(run_timed([sys.executable, str(Path(__file__).resolve()), "--worker", name, str(spec)], env),
                    f"worker {name}")
    return json.loads(timed.stdout.strip().splitlines()[-1]), timed


def worker_main(name: str, spec: Path) -> None:
    options = json.loads(spec.read_text(encoding="utf-8"))
    if name == "limit":
        result = worker_limit(Path(options["package"]), options["inputs"], options["sizes"])
    elif name == "argoslib":
        result = worker_argoslib(options["inputs"])
    else:
        raise SystemExit(f"unknown worker {name}")
    print(json.dumps(result))


# --------------------------------------------------------------------------- machine


def machine() -> dict:
    import ctranslate2
    import sentencepiece
    import spacy

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = 0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    from bilingual.engines.argos import usable_cpus

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable_cpus(),
        "ram_gb": round(ram / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ctranslate2": ctranslate2.__version__,
        "sentencepiece": sentencepiece.__version__,
        "spacy": spacy.__version__,
        "date": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def others_share(seconds: float = 3.0) -> float:
    """Share of the machine's CPU used (by other processes) over ``seconds``."""
    busy, start = busy_seconds(), time.perf_counter()
    time.sleep(seconds)
    return (busy_seconds() - busy) / ((time.perf_counter() - start) * (os.cpu_count() or 1))


def wait_quiet(limit: float, log, threshold: float = 0.1) -> float:
    """Wait up to ``limit`` seconds for the machine to be idle; returns the last busy share."""
    deadline = time.perf_counter() + limit
    share = others_share()
    while share > threshold and time.perf_counter() < deadline:
        log(f"machine busy ({share:.0%} of its CPU used by other processes); waiting …")
        time.sleep(10)
        share = others_share()
    return share


# --------------------------------------------------------------------------- the run


class Bench:
    def __init__(self, args):
        self.args = args
        self.started = time.perf_counter()
        from rich.console import Console

        self.console = Console(stderr=True)

    def log(self, message: str) -> None:
        self.console.log(f"[{time.perf_counter() - self.started:5.0f}s] {message}")

    def timed(self, cmd: list[str], env: dict[str, str], cwd: Path, what: str) -> Timed:
        return checked(run_timed(cmd, env, cwd), what)

    def pipeline(self, source: Path, po: Path, env: dict[str, str], fresh: bool) -> tuple[Timed, dict]:
        if fresh:
            po.unlink(missing_ok=True)
        # --term-strategy placeholder: one pass, exactly the inputs (a) decodes. The default, retry,
        # translates again inline every segment whose output lost a placeholder — with random
        # weights ~80 % of them (a trained model: a few): more engine work, not pipeline cost,
        # and inputs (a) cannot know in advance (they depend on the model's outputs).
        cmd = [*bilingual_command(), "translate", str(source), "--engine", "argos", "--no-cache",
               "--term-strategy", "placeholder",
               "-o", str(po), "--format", "json", "-q"]
        timed = checked(run_timed(cmd, env), "bilingual translate")
        return timed, json.loads(timed.stdout)[0]

    def run(self) -> dict:
        import workload

        from bilingual.engines.argos import DEFAULT_MAX_BATCH_SIZE as ENGINE_SUB_BATCH

        args = self.args
        WORK.mkdir(exist_ok=True)
        if args.nice:
            os.setpriority(os.PRIO_PROCESS, 0, args.nice)  # inherited by every child
        if args.wait_quiet:
            wait_quiet(args.wait_quiet, self.log)
        result: dict = {"machine": machine(), "loadavg_start": loadavg(), "nice": os.getpriority(os.PRIO_PROCESS, 0),
                        "bytecode": compile_bytecode()}
        packages, package, model = ensure_model(self.log)
        result["model"] = model
        env = bench_env(packages)

        docs = workload.write_documents(WORK / "docs")
        if args.quick:
            docs = {"1x": docs["1x"]}
        described = {name: workload.describe(path, WORK / "scratch") for name, path in docs.items()}
        result["documents"] = {name: {k: v for k, v in d.items() if k != "engine_inputs"}
                               for name, d in described.items()}
        runs: dict = {"a": {}, "b": {}, "c": {}, "d": {}}
        out = WORK / "out"
        out.mkdir(exist_ok=True)

        for name, path in docs.items():
            inputs = described[name]["engine_inputs"]
            n = len(inputs)
            first = name == "1x"
            sizes = list(args.sizes) if first else [runs["a"]["1x"]["batch_size"]]
            self.log(f"{name}: {n} engine inputs; (a) CTranslate2 limit, sub-batch sizes {sizes} …")
            limit, timed = run_worker("limit", env, package=str(package), inputs=inputs, sizes=sizes)
            best = min(limit["runs"], key=lambda s: limit["runs"][s]["seconds"])
            a = {"seconds": limit["runs"][best]["seconds"], "cpu_seconds": limit["runs"][best]["cpu_seconds"],
                 "batch_size": int(best), "sweep": {s: round(r["seconds"], 2) for s, r in limit["runs"].items()},
                 "tokens": limit["tokens"], "load_seconds": limit["load_seconds"], "rss_mb": timed.rss_mb,
                 "others_cpu": timed.others, "repeats": [limit["runs"][best]["seconds"]],
                 "repeats_cpu": [limit["runs"][best]["cpu_seconds"]]}
            runs["a"][name] = a
            result["settings"] = {"beam_size": limit["beam_size"], "intra_threads": limit["intra_threads"],
                                  "inter_threads": limit["inter_threads"], "engine_sub_batch": ENGINE_SUB_BATCH,
                                  "decoding_bound": "min(256, 2 × longest source piece count of the sub-batch + 16)"}

            po = out / f"{path.stem}.en.po"
            repeats = args.repeat if first else args.repeat_10x
            b_runs = []
            for rep in range(repeats):
                self.log(f"{name}: (b) bilingual translate --engine argos --no-cache, fresh PO "
                         f"(run {rep + 1}/{repeats}) …")
                timed, stats = self.pipeline(path, po, env, fresh=True)
                expected = described[name]["machine_segments"]
                if stats["machine"] != expected:
                    raise SystemExit(f"bench: (b) machine-translated {stats['machine']} segments, expected {expected}")
                b_runs.append((timed, stats))
                if rep + 1 < repeats:  # interleave: the limit again at the best size, against drift
                    self.log(f"{name}: (a) again at sub-batch {a['batch_size']} …")
                    again, _ = run_worker("limit", env, package=str(package), inputs=inputs, sizes=[a["batch_size"]])
                    a["repeats"].append(again["runs"][str(a["batch_size"])]["seconds"])
                    a["repeats_cpu"].append(again["runs"][str(a["batch_size"])]["cpu_seconds"])
            fastest = a["repeats"].index(min(a["repeats"]))
            a["seconds"], a["cpu_seconds"] = a["repeats"][fastest], a["repeats_cpu"][fastest]
            timed, stats = min(b_runs, key=lambda r: r[0].wall)
            runs["b"][name] = {"seconds": timed.wall, "cpu_seconds": timed.cpu, "rss_mb": timed.rss_mb,
                               "others_cpu": timed.others, "repeats": [r[0].wall for r in b_runs],
                               "segments": stats["segments"], "machine": stats["machine"],
                               "rendered": stats["rendered"]}

            self.log(f"{name}: (d) re-run on the unchanged source and PO …")
            d_runs = [self.pipeline(path, po, env, fresh=False) for _ in range(3 if first else 1)]
            timed, stats = min(d_runs, key=lambda r: r[0].wall)
            runs["d"][name] = {"seconds": timed.wall, "cpu_seconds": timed.cpu, "rss_mb": timed.rss_mb,
                               "others_cpu": timed.others, "repeats": [r[0].wall for r in d_runs],
                               "machine": stats["machine"], "cached": stats["cached"], "reused": stats["reused"],
                               "written": stats["written"]}

            if (first or args.full) and not args.skip_c:
                runs["c"][name] = self.argoslib(name, inputs, env)
            for key in ("a", "b", "c", "d"):
                if name in runs[key]:
                    runs[key][name]["engine_inputs"] = n

        self.log(f"(e) --help start-up, median of {HELP_RUNS} …")
        result["help"] = {}
        for key, argv in (("help", ["--help"]), ("translate_help", ["translate", "--help"])):
            walls = [checked(run_timed([*bilingual_command(), *argv], env), "--help").wall for _ in range(HELP_RUNS)]
            result["help"][key] = {"median": statistics.median(walls), "min": min(walls), "runs": walls}

        if "half" in args.parts:
            self.half_bound(runs, package, env, described["1x"], docs["1x"], out)
        if "library" in args.parts:
            import library_bench

            result["library"] = library_bench.run_library(self.timed, bilingual_command(), env, self.log)
        if "large" in args.parts:
            import library_bench

            result["large"] = library_bench.run_large(self.timed, bilingual_command(), env, self.log)

        result["runs"] = runs
        result["loadavg_end"] = loadavg()
        result.update(summary(result))
        result["bench_seconds"] = round(time.perf_counter() - self.started, 1)
        return result

    def half_bound(self, runs: dict, package: Path, env: dict[str, str], described: dict, source: Path,
                   out: Path) -> None:
        """(f): (a) and (b) on 1× with every decoding bound halved, interleaved, best of each."""
        env = {**env, "BILINGUAL_DECODING_SCALE": "0.5"}
        inputs, size = described["engine_inputs"], runs["a"]["1x"]["batch_size"]
        a_runs, b_runs = [], []
        po = out / "half.en.po"
        for rep in range(self.args.repeat):
            self.log(f"1x: (f) bounds halved: (a) then (b), run {rep + 1}/{self.args.repeat} …")
            limit, timed = run_worker("limit", env, package=str(package), inputs=inputs, sizes=[size])
            a_runs.append((limit["runs"][str(size)], timed))
            b_runs.append(self.pipeline(source, po, env, fresh=True))
        a, a_timed = min(a_runs, key=lambda r: r[0]["seconds"])
        b_timed, stats = min(b_runs, key=lambda r: r[0].wall)
        runs["a"]["1x half"] = {"seconds": a["seconds"], "cpu_seconds": a["cpu_seconds"], "batch_size": size,
                                "sweep": {str(size): round(a["seconds"], 2)}, "rss_mb": a_timed.rss_mb,
                                "others_cpu": a_timed.others, "repeats": [r[0]["seconds"] for r in a_runs],
                                "engine_inputs": len(inputs)}
        runs["b"]["1x half"] = {"seconds": b_timed.wall, "cpu_seconds": b_timed.cpu, "rss_mb": b_timed.rss_mb,
                                "others_cpu": b_timed.others, "repeats": [r[0].wall for r in b_runs],
                                "segments": stats["segments"], "machine": stats["machine"],
                                "rendered": stats["rendered"], "engine_inputs": len(inputs)}

    def argoslib(self, name: str, inputs: list[str], env: dict[str, str]) -> dict:
        """(c) with its best thread setting: all cores in one call (intra) or one core.

        argostranslate decodes one call at a time, so only intra-op threads can
        use a second core; whether they help depends on the machine's load, so
        both settings are probed on a quarter of the inputs and the faster one
        translates everything.
        """
        from bilingual.engines.argos import usable_cpus

        probe = sorted(inputs, key=len)[::4]
        settings = sorted({usable_cpus(), 1}, reverse=True)
        probes = {}
        if len(settings) > 1:
            for intra in settings:
                self.log(f"{name}: (c) probe, argostranslate with {intra} intra-op thread(s), {len(probe)} inputs …")
                lib, _ = run_worker("argoslib", {**env, "ARGOS_INTRA_THREADS": str(intra)}, inputs=probe)
                probes[str(intra)] = round(lib["loop_seconds"], 2)
        intra = int(min(probes, key=probes.get)) if probes else settings[0]
        self.log(f"{name}: (c) argostranslate.translate.translate(), one segment at a time, "
                 f"{intra} intra-op thread(s) …")
        lib, timed = run_worker("argoslib", {**env, "ARGOS_INTRA_THREADS": str(intra)}, inputs=inputs)
        return {"seconds": timed.wall, "cpu_seconds": timed.cpu, "rss_mb": timed.rss_mb, "others_cpu": timed.others,
                "loop_seconds": lib["loop_seconds"], "import_seconds": lib["import_seconds"],
                "calls": lib["calls"], "hypotheses_at_bound": lib["at_bound"],
                "beam_size": lib["beam_size"], "intra_threads": lib["intra_threads"],
                "inter_threads": lib["inter_threads"], "probe_loop_seconds": probes}


def summary(result: dict) -> dict:
    """The headline keys of results.json and their targets."""
    runs, model = result["runs"], result["model"]
    a, b, c, d = runs["a"], runs["b"], runs["c"], runs["d"]
    big = "10x" if "10x" in b else None
    out = {
        "b_over_a": b["1x"]["seconds"] / a["1x"]["seconds"],
        "rerun_seconds": d["1x"]["seconds"],
        "rerun_segments_sent": d["1x"]["machine"],
        "help_seconds": result["help"]["help"]["median"],
        "translate_help_seconds": result["help"]["translate_help"]["median"],
        "peak_rss_mb_b": max(r["rss_mb"] for r in b.values()),
        "model_size_mb": model["model_size_mb"],
    }
    if "1x" in c:  # (c) left out with --skip-c
        out["c_over_b"] = c["1x"]["seconds"] / b["1x"]["seconds"]
    if big:
        docs = result["documents"]
        out["b_over_a_10x"] = b[big]["seconds"] / a[big]["seconds"]
        # The 10× document holds more than 10× the MT work (its varied copies add pieces):
        # the raw ratio is the conservative one; the other scales it to exactly 10× the work.
        out["linearity_10x"] = b[big]["seconds"] / b["1x"]["seconds"]
        out["mt_work_ratio_10x"] = a[big]["seconds"] / a["1x"]["seconds"]
        out["linearity_10x_per_mt_work"] = out["linearity_10x"] * 10 / out["mt_work_ratio_10x"]
        out["pieces_ratio_10x"] = a[big]["tokens"] / a["1x"]["tokens"]
        out["chars_ratio_10x"] = docs[big]["engine_input_chars"] / docs["1x"]["engine_input_chars"]
        out["rerun_seconds_10x"] = d[big]["seconds"]
    if "1x half" in b:
        out["b_over_a_half"] = b["1x half"]["seconds"] / a["1x half"]["seconds"]
    cores = result["machine"].get("usable_cores") or 1
    for name, suffix in (("1x", ""), ("1x half", "_half")):
        if name in b and name in a:
            # What (b) spends besides decoding — interpreter, imports, spaCy's helper, the model
            # load, the pipeline — in CPU seconds. While MT keeps every core busy, nothing that
            # overlaps it is free: it adds at least overhead ÷ cores to the wall time, so b/a
            # cannot go below this floor however the work is overlapped (bench/README.md).
            overhead = b[name]["cpu_seconds"] - a[name]["cpu_seconds"]
            out["b_minus_a_cpu" + suffix] = overhead
            out["b_over_a_floor" + suffix] = (a[name]["seconds"] + overhead / cores) / a[name]["seconds"]
    library = result.get("library")
    if library:
        lib = library["runs"]
        out["library_200_over_20"] = lib["200"]["seconds"] / lib["20"]["seconds"]
        out["library_rss_200_over_20"] = lib["200"]["rss_mb"] / lib["20"]["rss_mb"]
        out["library_rerun_unchanged_over_single"] = lib["rerun_unchanged"]["seconds"] / lib["single"]["seconds"]
        out["library_rerun_one_changed_over_single"] = lib["rerun_one_changed"]["seconds"] / lib["single"]["seconds"]
    large = result.get("large")
    if large:
        out["large_rerun_seconds"] = large["runs"]["rerun_unchanged"]["seconds"]
        out["large_peak_rss_mb"] = large["runs"]["fresh"]["rss_mb"]
        out["large_rss_over_size"] = large["runs"]["fresh"]["rss_mb"] * 2**20 / large["bytes"]
    targets = {}
    for key, (limit, kind, text) in TARGETS.items():
        if key not in out:
            continue
        if key == "peak_rss_mb_b":
            limit = model["model_size_mb"] + 400
        value = out[key]
        if kind == "report":
            targets[key] = {"value": round(value, 3), "limit": None, "kind": kind, "met": None, "what": text}
            continue
        met = value <= limit if kind == "max" else value >= limit
        targets[key] = {"value": round(value, 3), "limit": limit, "kind": kind, "met": met, "what": text}
    # Noise: the largest share of the machine other processes used during a timed run.
    out["others_cpu_max"] = max([r.get("others_cpu", 0) for key in "abc" for r in runs[key].values()]
                                + [r.get("others_cpu", 0) for part in (library, large) if part
                                   for r in part["runs"].values()])
    out = {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}
    out["targets"] = targets
    return out


# --------------------------------------------------------------------------- output


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:.1f}" if seconds else "-"


LABELS = {"a": "(a) CTranslate2 limit", "b": "(b) bilingual translate", "c": "(c) argostranslate 1 by 1",
          "d": "(d) re-run, unchanged"}
COLUMNS = ("run", "doc", "wall s", "CPU s", "MT seg", "MT seg/s", "peak RSS MB", "others' CPU", "notes")


def rows(result: dict) -> list[list[str]]:
    """The rows of the results table (rich and Markdown alike)."""
    out = []
    for key in ("a", "b", "c", "d"):
        for doc, r in result["runs"][key].items():
            n = r["engine_inputs"]
            if doc.endswith("half"):
                note = "decoding bounds halved (BILINGUAL_DECODING_SCALE=0.5)"
            elif key == "a":
                note = f"sub-batch {r['batch_size']}; sweep {r['sweep']}"
            elif key == "b":
                note = f"{r['segments']} segments, {r['rendered']} by rule"
            elif key == "c":
                note = (f"loop {r['loop_seconds']:.1f} s, import+load {r['import_seconds']:.1f} s; "
                        f"{r['intra_threads']} intra-op thread(s)")
            else:
                note = f"sent {r['machine']}, reused {r['reused']}, cached {r['cached']}"
            out.append([LABELS[key], doc, f"{r['seconds']:.2f}", f"{r['cpu_seconds']:.2f}",
                        "0" if key == "d" else str(n), "-" if key == "d" else rate(n, r["seconds"]),
                        f"{r['rss_mb']:.0f}", f"{100 * r.get('others_cpu', 0):.0f}%", note])
    for key, label in (("help", "(e) bilingual --help"), ("translate_help", "(e) bilingual translate --help")):
        h = result["help"][key]
        out.append([label, "-", f"{h['median']:.3f}", "", "", "", "", "", f"median of {len(h['runs'])}"])
    library = result.get("library")
    for key, doc, label in (("single", "1 doc", "fresh"), ("20", "20 docs", "fresh"), ("200", "200 docs", "fresh"),
                            ("rerun_unchanged", "200 docs", "re-run, unchanged"),
                            ("rerun_one_changed", "200 docs", "re-run, 1 changed")) if library else ():
        r = library["runs"][key]
        out.append([f"(g) library, {label}", doc, f"{r['seconds']:.2f}", f"{r['cpu_seconds']:.2f}",
                    str(r["machine"]), rate(r["machine"], r["seconds"]) if r["machine"] else "-",
                    f"{r['rss_mb']:.0f}", f"{100 * r.get('others_cpu', 0):.0f}%",
                    f"{r['segments']} segments; {r['written']} written, {r['skipped']} skipped; tiny model"])
    large = result.get("large")
    for key, label in (("fresh", "fresh"), ("rerun_unchanged", "re-run, unchanged")) if large else ():
        r = large["runs"][key]
        out.append([f"(g) 50 MB document, {label}", f"{large['bytes'] / 1e6:.0f} MB", f"{r['seconds']:.2f}",
                    f"{r['cpu_seconds']:.2f}", str(r["machine"]), "-", f"{r['rss_mb']:.0f}",
                    f"{100 * r.get('others_cpu', 0):.0f}%",
                    f"{r['segments']} segments; pseudo engine; {'skipped' if r['skipped'] else 'written'}"])
    return out


def target_rows(result: dict) -> list[list[str]]:
    out = []
    for key, t in result["targets"].items():
        if t["kind"] == "report":
            out.append([key, f"{t['value']:g}", "reported", "-", t["what"]])
            continue
        sign = "≤" if t["kind"] == "max" else "≥"
        out.append([key, f"{t['value']:g}", f"{sign} {t['limit']:g}", "yes" if t["met"] else "NO", t["what"]])
    return out


def title(result: dict) -> str:
    s = result["settings"]
    return (f"bilingual bench: Transformer-base int8, random weights, beam {s['beam_size']}, "
            f"{s['inter_threads']} CTranslate2 worker(s) × {s['intra_threads']} thread(s)")


def tables(result: dict):
    from rich.table import Table

    table = Table(title=title(result))
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("run", "doc", "notes") else "right")
    for row in rows(result):
        table.add_row(*row)
    targets = Table(title="targets")
    for column in ("metric", "value", "target", "met", "what"):
        targets.add_column(column, justify="left" if column in ("metric", "what") else "right")
    for row in target_rows(result):
        targets.add_row(*row)
    return table, targets


def markdown(result: dict) -> str:
    """The README tables: the same rows as the rich tables."""
    lines = [f"{title(result)}.", "", "| " + " | ".join(COLUMNS) + " |",
             "| --- | --- | " + " | ".join("---:" for _ in COLUMNS[2:-1]) + " | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(result)]
    lines += ["", "| metric | value | target | met | what |", "| --- | ---: | ---: | --- | --- |"]
    lines += [f"| `{r[0]}` | {r[1]} | {r[2]} | {r[3] if r[3] in ('yes', '-') else '**no**'} | {r[4]} |"
              for r in target_rows(result)]
    return "\n".join(lines)


def compile_bytecode() -> str:
    """Byte-compile bilingual/ as ``pip install`` does for a package, so that (b) and (d) time
    the product as users run it. An editable install (``make install``) writes no bytecode of
    its own, and with ``PYTHONDONTWRITEBYTECODE`` set — as on the machine these figures come
    from — every run would compile bilingual's modules from source again: 0.1–0.2 s of
    (b) that no installed copy pays. The Makefile's install does the same."""
    import compileall

    ok = compileall.compile_dir(str(REPO / "bilingual"), quiet=1)
    return "compiled" if ok else "compile failed (runs use source)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1× document only, one sub-batch size; no results.json")
    parser.add_argument("--full", action="store_true", help="also run (c) on the 10× document (≈ +10 min)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                        help="sub-batch sizes swept for (a) on the 1× document (default 4,8,16)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="(a)/(b) runs on the 1× document, interleaved, best kept (default 5, --quick 1: the 1× runs move by ±10 %% on a shared 2-core machine)")
    parser.add_argument("--repeat-10x", type=int, default=2, help="(a)/(b) runs on the 10× document, best kept")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="first wait up to SECONDS for other processes to leave the CPU idle")
    parser.add_argument("--nice", type=int, default=0, metavar="N",
                        help="run the benchmark at this niceness (e.g. -10, needs root) on a shared, busy machine")
    parser.add_argument("--parts", type=lambda s: set(s.split(",")), default=None,
                        help="what to run besides (a)–(e): half,library,large (default: all; --quick: none)")
    parser.add_argument("--skip-c", action="store_true",
                        help="leave out (c), argostranslate one by one (the slowest row; c_over_b is then not reported)")
    parser.add_argument("--output", type=Path, default=None, help="JSON file (default bench/results.json)")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "SPEC"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker[0], Path(args.worker[1]))
        return 0
    if args.sizes is None:
        args.sizes = [8] if args.quick else list(SWEEP)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 5
    if args.parts is None:
        args.parts = set() if args.quick else {"half", "library", "large"}
    output = args.output or (WORK / "results-quick.json" if args.quick else RESULTS)
    bench = Bench(args)
    result = bench.run()
    from rich.console import Console

    console = Console()
    for table in tables(result):
        console.print(table)
    if result["others_cpu_max"] > 0.1:
        console.print(f"[yellow]warning: other processes used up to {result['others_cpu_max']:.0%} of the CPU "
                      "during a timed run; wall times and ratios are noisy (see the others' CPU column)[/]")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (WORK / "table.md").write_text(markdown(result) + "\n", encoding="utf-8")
    console.print(f"wrote {output} (and the Markdown table to {WORK / 'table.md'}) in {result['bench_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
