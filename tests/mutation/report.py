"""Write tests/mutation/REPORT.md from the recorded results (results.json) and the hand-written
explanations of the surviving mutants (survivors.toml); ``--collect LABEL…`` first records
mutmut's results (``mutants/``) for those modules.

Per module: mutants tried, killed, survived, score. Every survivor is listed with its change
and, where a person has looked at it, why it survives (an equivalent mutant says why it is
equivalent). A survivor without an explanation is marked so; an explanation whose mutant no
longer survives is listed as stale, so the file stays true as the code and tests change.

Run by ``make mutation`` after mutmut; ``python tests/mutation/report.py`` rewrites the report
(after editing survivors.toml); ``--prune`` first removes the stale explanations from survivors.toml.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
sys.path.insert(0, str(HERE))

from run import modules  # noqa: E402

# mutmut reports a test process that its CPU-time limit ended with SIGKILL (a mutant that makes a
# read loop forever) as "segfault", like a crash: either way the tests did not pass on the mutant.
KILLED = {"killed", "timeout", "segfault", "caught by type check"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def _results() -> dict[str, tuple[str, str]]:
    """mutant name → (status, source path), for every mutant mutmut has a verdict on."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    found: dict[str, tuple[str, str]] = {}
    for path in walk_mutatable_files():
        if not (ROOT / "mutants" / f"{path}.meta").exists():
            continue
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            found[name] = (status_by_exit_code[code], str(path))
    return found


def _change(name: str, path: str) -> tuple[int | None, list[str]]:
    """The source line of the mutation and its ``-``/``+`` lines."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=path).splitlines()
    changed = [line for line in diff if line[:1] in "-+" and not line.startswith(("---", "+++"))]
    hunk = next((line for line in diff if line.startswith("@@")), "")
    match = re.match(r"@@ -(\d+)", hunk)
    offset = int(match.group(1)) if match else 0
    first = next((i for i, line in enumerate(diff[diff.index(hunk) + 1:] if hunk else [])
                  if line[:1] == "-"), 0)
    function = name.split(".")[-1].split("__mutmut_")[0]
    function = function.split("ǁ")[-1] if "ǁ" in function else function.removeprefix("x_")
    source = (ROOT / path).read_text(encoding="utf-8").splitlines()
    start = next((i + 1 for i, line in enumerate(source)
                  if re.match(rf"\s*(?:async\s+)?def {re.escape(function)}\(", line)), None)
    line = start + offset - 1 + first if start and offset else None
    return line, changed


def _explanations() -> dict[str, str]:
    path = HERE / "survivors.toml"
    if not path.exists():
        return {}
    return {name: " ".join(why.split()) for name, why in tomllib.loads(path.read_text(encoding="utf-8")).items()}


def prune() -> list[str]:
    """Remove from survivors.toml the explanations whose mutant no longer survives in results.json
    (killed since, or renumbered by a change of the code); returns their names. Comments and the
    other entries are kept as written."""
    path = HERE / "survivors.toml"
    saved = json.loads(RESULTS.read_text(encoding="utf-8"))
    surviving = {e["mutant"] for data in saved.values() for e in data["survivors"]}
    stale = set(_explanations()) - surviving
    kept: list[str] = []
    skipping = False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if skipping:
            skipping = '"""' not in line
            continue
        name, equals, value = line.partition(" = ")
        if equals and name.strip('"') in stale:
            value = value.strip()
            skipping = value.startswith('"""') and (len(value) < 6 or not value.endswith('"""'))
            continue
        kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "".join(kept))
    left = tomllib.loads(text)
    assert set(left) == set(_explanations()) - stale, "survivors.toml: pruning would lose or keep the wrong entries"
    path.write_text(text, encoding="utf-8")
    return sorted(stale)


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def collect(labels: list[str], again: bool = False) -> None:
    """Replace the results of ``labels`` in results.json with mutmut's (``mutants/``).

    ``again`` (``run.py --again``): mutmut re-ran only the recorded survivors, so the module's
    other verdicts stand: its mutants and killed count are the recorded ones plus the survivors
    killed now, and the date and commit of the re-run are recorded beside the run's."""
    results = _results()
    table = modules()
    saved = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    for label in labels:
        globs = table[label]
        mine = {name: v for name, v in results.items() if any(fnmatch.fnmatch(name, g) for g in globs)}
        if again:
            _collect_again(saved[label], mine)
            continue
        tried = {name: v for name, v in mine.items() if v[0] not in NOT_RUN}
        survivors = sorted((name for name, (status, _) in tried.items() if status not in KILLED),
                           key=lambda n: (n.split("__mutmut_")[0], int(n.rsplit("_", 1)[1])))
        entries = []
        for name in survivors:
            status, path = tried[name]
            line, changed = _change(name, path)
            entries.append({"mutant": name, "status": status, "where": f"{path}:{line}" if line else path,
                            "change": changed})
        saved[label] = {"date": str(date.today()), "commit": _commit(), "mutants": len(tried),
                        "killed": sum(1 for status, _ in tried.values() if status in KILLED),
                        "not_run": len(mine) - len(tried), "survivors": entries}
    RESULTS.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _collect_again(data: dict, verdicts: dict[str, tuple[str, str]]) -> None:
    """Update one module's recorded results with the verdicts of a re-run of its survivors."""
    listed = ROOT / "mutants" / "again.txt"
    asked = set(listed.read_text(encoding="utf-8").split()) if listed.exists() else set(verdicts)
    rerun = [s for s in data["survivors"] if s["mutant"] in asked and s["mutant"] in verdicts
             and verdicts[s["mutant"]][0] not in NOT_RUN]
    killed = [s for s in rerun if verdicts[s["mutant"]][0] in KILLED]
    for entry in rerun:
        entry["status"] = verdicts[entry["mutant"]][0]
    data["survivors"] = [s for s in data["survivors"] if s not in killed]
    data["killed"] += len(killed)
    data.setdefault("again", []).append({"date": str(date.today()), "commit": _commit(), "rerun": len(rerun),
                                         "killed": len(killed)})


def interval(killed: int, tried: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a kill rate measured on a sample (percent)."""
    z, p = 1.96, killed / tried
    centre = (p + z * z / (2 * tried)) / (1 + z * z / tried)
    half = z * ((p * (1 - p) / tried + z * z / (4 * tried * tried)) ** 0.5) / (1 + z * z / tried)
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def build() -> tuple[str, list[tuple[str, int, int, int, float]]]:
    saved = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    why = _explanations()
    table: list[tuple[str, int, int, int, float]] = []
    sections: list[str] = []
    explained: set[str] = set()
    for label, data in saved.items():
        tried, killed, survivors = data["mutants"], data["killed"], data["survivors"]
        if not tried:
            continue
        score = 100.0 * killed / tried
        table.append((label, tried, killed, len(survivors), score))
        generated = tried + data.get("not_run", 0)
        sampled = ""
        if data.get("note"):  # how the run departed from the usual (written by hand in results.json)
            sampled = " " + data["note"]
        elif generated > tried:
            low, high = interval(killed, tried)
            sampled = (f" A uniform sample of {tried} of the module's {generated} mutants (fixed seed, "
                       f"`--sample {tried}`): 95% interval of the module's score {low:.1f}–{high:.1f}%.")
        lines = [f"## {label}", "",
                 f"{tried} mutants, {killed} killed, {len(survivors)} survived: **{score:.1f}%** "
                 f"(run {data['date']}, commit {data['commit']}{_again(data)}).{sampled}", ""]
        for entry in survivors:
            name = entry["mutant"]
            lines += [f"- `{name}` ({entry['status']}, {entry['where']})", "", "  ```diff",
                      *[f"  {c}" for c in entry["change"]], "  ```", ""]
            explanation = why.get(name)
            if explanation:
                explained.add(name)
            lines += [f"  {explanation or '*Not explained yet.*'}", ""]
        sections.append("\n".join(lines))
    stale = sorted(set(why) - explained)
    head = [
        "# Mutation testing report",
        "",
        "Written by `make mutation` (mutmut 3; `tests/mutation/run.py`, `report.py`). A mutant is one "
        "small change to the code (an operator, a constant, a removed argument); it is *killed* when a "
        "test fails on it (or the tests hang: a timeout). The modules are those that carry the README's "
        "promises; the tests run are configured in `[tool.mutmut]` (pyproject.toml) and "
        "`TESTS_BY_MODULE` (run.py). Every survivor is listed with its change and why it survives; an "
        "*equivalent* mutant is one no input can tell from the original.",
        "",
        "| module | mutants (of generated) | killed | survived | score |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[f"| {label} | {n}{_of(saved[label])} | {k} | {s} | {score:.1f}% |" for label, n, k, s, score in table],
        "",
        "Each module's section gives the date and commit it was measured at. To reproduce one: "
        "`make mutation MODULE=bilingual/fileio.py` (every mutant), or for a sampled module "
        "`.venv/bin/python tests/mutation/run.py --sample N MODULE` with its N (the seed is fixed, so the "
        "same mutants are drawn from the same code), then `--again MODULE` to re-run only its survivors "
        "after adding tests (`--unexplained MODULE`: only those survivors survivors.toml does not explain). "
        "Measured with `-j 2` (the render modules `-j 1`) under `nice -n 10` or `nice -n 19` on a shared "
        "two-core machine.",
        "",
        "The explanations are kept in `tests/mutation/survivors.toml`; `python tests/mutation/report.py` "
        "rewrites this file from them and `results.json`.",
        "",
    ]
    promises = HERE / "promises.md"
    if promises.exists():
        head += ["## The issue's eight behaviours", "",
                 "Each change issue 19 found surviving the whole suite, applied by hand to a copy of the code "
                 "(`tests/mutation/promises.py`): the named test must fail on it.", "",
                 promises.read_text(encoding="utf-8").rstrip(), ""]
    if stale:
        head += ["Explanations whose mutant no longer survives (the code or the tests changed): "
                 + ", ".join(f"`{n}`" for n in stale), ""]
    return "\n".join(head + sections).rstrip() + "\n", table


def _again(data: dict) -> str:
    """``; survivors re-run at commit X: 9 of 33 killed`` for each ``--again`` since the run."""
    return "".join(f"; its survivors re-run {a['date']} at commit {a['commit']}: {a['killed']} of {a['rerun']} killed"
                   for a in data.get("again", []))


def _of(data: dict) -> str:
    """`` of 1430`` when a module's mutants were sampled."""
    return f" of {data['mutants'] + data['not_run']}" if data.get("not_run") else ""


def main(argv: list[str]) -> int:
    if argv[:1] == ["--prune"]:
        for name in prune():
            print(f"pruned: {name}")
        argv = argv[1:]
    if argv[:1] == ["--collect"]:
        again = argv[1:2] == ["--again"]
        collect(argv[2:] if again else argv[1:], again)
    text, table = build()
    (HERE / "REPORT.md").write_text(text, encoding="utf-8")
    for label, n, k, s, score in table:
        print(f"{label}: {n} mutants, {k} killed, {s} survived, {score:.1f}%")
    saved, why = json.loads(RESULTS.read_text(encoding="utf-8")), _explanations()
    missing = [e["mutant"] for data in saved.values() for e in data["survivors"] if e["mutant"] not in why]
    print(f"not explained: {len(missing)}" + "".join(f"\n  {name}" for name in missing))
    print(f"written: {(HERE / 'REPORT.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
