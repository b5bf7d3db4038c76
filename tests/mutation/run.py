"""``make mutation``: run mutmut on the modules that carry the README's promises, then write REPORT.md.

    python tests/mutation/run.py                       # every module
    python tests/mutation/run.py bilingual/fileio.py   # one module; the other modules' results are kept
    python tests/mutation/run.py -j 1 bilingual/po     # one worker (default: MUTATION_JOBS, else 2)
    python tests/mutation/run.py --again bilingual/po  # only the last run's survivors, against today's tests
    python tests/mutation/run.py --unexplained bilingual/po  # only those survivors not explained in survivors.toml
    python tests/mutation/run.py --sample 300 bilingual/po  # 300 of its mutants, drawn with a fixed seed

Each run starts from a fresh copy (``mutants/``); the results of the modules it ran replace
theirs in ``results.json`` (committed), from which ``report.py`` writes REPORT.md.

mutmut's own output (a progress spinner per mutant) goes to ``mutants/mutmut.log``, never to the
terminal: this prints one line per step and the score table at the end.

What is mutated is configured in ``[tool.mutmut]`` (pyproject.toml); which mutants run is chosen
here by name: ``MODULES`` maps each promise-carrying module to its files. The structure and PO
packages are big; only the modules that hold their promises are mutated (the structure's agency
and numbering rules; the PO merge, alignment, catalogue writing and layout).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


# The modules that carry the README's promises (label → files; a label keeps the name of the module
# its files were split from: check → checkentry/checkfindings/checknumbers/checktext, render →
# render_agencies, fileio → locks). The PO merge and writer are the
# package's merge, alignment, catalogue (header contract, atomic write-if-changed) and layout
# (churn-free writing) modules; the structure's promises are its agency-list and numbering rules.
MODULES = {
    "bilingual/po (merge, align, catalog, layout)": [
        "bilingual/po/merge.py", "bilingual/po/align.py", "bilingual/po/catalog.py", "bilingual/po/layout.py"],
    "bilingual/fileio.py (and locks.py)": ["bilingual/fileio.py", "bilingual/locks.py"],
    "bilingual/check.py": ["bilingual/check.py", "bilingual/checkentry.py", "bilingual/checkfindings.py",
                           "bilingual/checknumbers.py", "bilingual/checktext.py"],
    "bilingual/render.py (and render_agencies.py)": ["bilingual/render.py", "bilingual/render_agencies.py"],
    "bilingual/structure (agencies, numbering)": [
        "bilingual/structure/agencies.py", "bilingual/structure/numbering.py"],
    "bilingual/memory.py": ["bilingual/memory.py"],
}


def _globs(path: str) -> list[str]:
    """``bilingual/po/merge.py`` → ``bilingual.po.merge.x*`` (module-level functions and methods alike)."""
    return [f"{path.removesuffix('.py').replace('/', '.')}.x*"]


# The test files whose tests may kill a module's mutants. mutmut runs, for a mutant, every selected
# test that called the mutated function; a function every command calls (read_bytes, the PO writer)
# is called by the slow merge-property tests too, which cannot tell its mutants apart but cost half
# a minute per surviving mutant. tests/conftest.py keeps only these files' tests for a mutant.
TESTS_BY_MODULE = {
    "bilingual.fileio.": ("test_fileio.py", "test_promises.py"),
    "bilingual.locks.": ("test_fileio.py", "test_promises.py"),
    "bilingual.memory.": ("test_memory.py", "test_promises.py"),
    "bilingual.po.": ("test_po.py", "test_po_rules.py", "test_po_layout.py", "test_po_align.py", "test_po_catalog.py",
                      "test_po_merge.py", "test_po_safety.py", "test_po_gate.py", "test_merge_properties.py",
                      "test_editor_saves7.py", "test_promises.py"),
    "bilingual.checkentry.": ("test_check.py", "test_check_findings.py", "test_po_gate.py", "test_pseudo_dry_run.py",
                                 "test_promises.py"),
    "bilingual.checkfindings.": ("test_check.py", "test_check_findings.py", "test_po_gate.py", "test_pseudo_dry_run.py",
                                 "test_promises.py"),
    "bilingual.checknumbers.": ("test_check.py", "test_check_findings.py", "test_po_gate.py", "test_pseudo_dry_run.py",
                                 "test_promises.py"),
    "bilingual.checktext.": ("test_check.py", "test_check_findings.py", "test_po_gate.py", "test_pseudo_dry_run.py",
                                 "test_promises.py"),
    "bilingual.check.": ("test_check.py", "test_check_findings.py", "test_po_gate.py", "test_pseudo_dry_run.py",
                                 "test_promises.py"),
    "bilingual.render_agencies.": ("test_render.py", "test_render_rules.py", "test_docnumber.py", "test_promises.py"),
    "bilingual.render.": ("test_render.py", "test_render_rules.py", "test_docnumber.py", "test_promises.py"),
    "bilingual.structure.": ("test_structure.py", "test_structure_rules.py", "test_structure_genre.py", "test_recognisers.py", "test_structure_pages.py", "test_corpus.py", "test_promises.py"),
}


def tests_for_mutant(mutant: str) -> tuple[str, ...] | None:
    """The test files for ``mutant`` (a mutmut mutant name), or None: every selected test."""
    for prefix, files in TESTS_BY_MODULE.items():
        if mutant.startswith(prefix):
            return files
    return None


def module_files() -> dict[str, tuple[list[str], list[str]]]:
    """Module label → (files to mutate, mutmut name globs of the mutants to run)."""
    return {label: (files, [g for f in files for g in _globs(f)]) for label, files in MODULES.items()
            if all((ROOT / f).exists() for f in files)}


def modules() -> dict[str, list[str]]:
    """Module label → mutmut name globs, for every module that exists in this checkout."""
    return {label: globs for label, (_, globs) in module_files().items()}


def select(wanted: list[str]) -> dict[str, list[str]]:
    table = modules()
    if not wanted:
        return table
    chosen: dict[str, list[str]] = {}
    for item in wanted:
        item = item.rstrip("/")
        matches = {label: globs for label, globs in table.items()
                   if label.split(" ")[0].rstrip("/") == item or label.startswith(item)}
        if not matches:
            sys.exit(f"mutation: {item}: not one of the mutated modules ({', '.join(table)})")
        chosen.update(matches)
    return chosen


def main(argv: list[str]) -> int:
    jobs, sample, again, unexplained = os.environ.get("MUTATION_JOBS", "2"), [], False, False
    while argv[:1] in (["-j"], ["--sample"], ["--again"], ["--unexplained"]):
        if argv[0] in ("--again", "--unexplained"):
            again, unexplained, argv = True, unexplained or argv[0] == "--unexplained", argv[1:]
        elif len(argv) > 1:
            if argv[0] == "-j":
                jobs = argv[1]
            else:
                sample = ["--sample", argv[1]]
            argv = argv[2:]
        else:
            sys.exit(f"mutation: {argv[0]} needs a number")
    chosen = select(argv)
    mutants = ROOT / "mutants"
    if again:  # the copy of the code stays; mutmut copies the tests again and re-runs these mutants
        recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
        globs = [s["mutant"] for label in chosen for s in recorded.get(label, {}).get("survivors", [])]
        if unexplained:  # an equivalent mutant, explained, would only survive again (at the full test time)
            import tomllib

            explained = tomllib.loads((HERE / "survivors.toml").read_text(encoding="utf-8"))
            globs = [name for name in globs if name not in explained]
        if not globs:
            sys.exit(f"mutation: no survivors recorded for {', '.join(chosen)}")
    else:
        if mutants.exists():  # mutmut copies unmutated modules only once: a stale copy would be tested
            shutil.rmtree(mutants)
        mutants.mkdir()
        globs = [g for gs in chosen.values() for g in gs]
    log = mutants / "mutmut.log"
    if again:  # which survivors this run re-runs (report.py counts them)
        (mutants / "again.txt").write_text("\n".join(globs) + "\n", encoding="utf-8")
    print(f"mutation: {', '.join(chosen)}; mutmut's output goes to {log.relative_to(ROOT)}", flush=True)
    start = time.monotonic()
    files = [f for label in chosen for f in module_files()[label][0]]
    tests = sorted({f"tests/{name}" for label in chosen for g in chosen[label] for name in tests_for_mutant(g) or ()})
    with log.open("a", encoding="utf-8") as out:
        code = subprocess.call([sys.executable, str(HERE / "mutmut_run.py"), ",".join(files), ",".join(tests),
                                *sample, "--max-children", jobs, *globs],
                               cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    print(f"mutation: mutmut finished in {time.monotonic() - start:.0f} s (exit {code})", flush=True)
    if code != 0:
        print(f"mutation: mutmut failed; the end of {log.relative_to(ROOT)}:", file=sys.stderr)
        print("\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]), file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(HERE / "report.py"), "--collect", *(["--again"] if again else []),
                            *chosen], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
