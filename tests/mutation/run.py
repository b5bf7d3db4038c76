"""``make mutation``: run mutmut on the modules that carry the README's promises, then write REPORT.md.

    python tests/mutation/run.py                       # every module
    python tests/mutation/run.py bilingual/fileio.py   # one module; the other modules' results are kept

Each run starts from a fresh copy (``mutants/``); the results of the modules it ran replace
theirs in ``results.json`` (committed), from which ``report.py`` writes REPORT.md.

mutmut's own output (a progress spinner per mutant) goes to ``mutants/mutmut.log``, never to the
terminal: this prints one line per step and the score table at the end.

What is mutated is configured in ``[tool.mutmut]`` (pyproject.toml); which mutants run is chosen
here by name: ``MODULES`` maps each promise-carrying module to mutmut name globs. The structure
module is big and mostly layout recognition; only its agency-list and numbering rules carry a
README promise, so only the functions that implement them are selected there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _files(path: str) -> list[str]:
    """mutmut ``only_mutate`` patterns for a module file or package folder."""
    return [f"{path.rstrip('/')}/*"] if (ROOT / path).is_dir() else [path]


def _module_globs(path: str) -> list[str]:
    """``bilingual/po.py`` → ``bilingual.po.x*`` (module-level functions and methods alike);
    a package folder → every module in it."""
    p = ROOT / path
    dotted = path.removesuffix(".py").rstrip("/").replace("/", ".")
    if p.is_dir():
        return [f"{dotted}.*"]
    return [f"{dotted}.x*"]


# The structure's agency and numbering rules: when structure is one module, its functions by name.
STRUCTURE_FUNCTIONS = [
    "split_agencies", "_is_name_list", "_find_final_paren", "_split_measure", "_role_groups",
    "chinese_numeral_to_int", "_numeral", "_match_label", "english_label", "_letters", "key_label",
]


def _structure_globs() -> tuple[str, list[str], list[str]]:
    package = ROOT / "bilingual" / "structure"
    if package.is_dir():
        files = [f"bilingual/structure/{name}" for name in ("agencies.py", "numbering.py")
                 if (package / name).exists()]
        return "bilingual/structure (agencies, numbering)", files, [g for f in files for g in _module_globs(f)]
    return "bilingual/structure.py (agency and numbering functions)", ["bilingual/structure.py"], [
        f"bilingual.structure.x_{name}__mutmut_*" for name in STRUCTURE_FUNCTIONS]


# The test files whose tests may kill a module's mutants. mutmut runs, for a mutant, every selected
# test that called the mutated function; a function every command calls (read_bytes, the PO writer)
# is called by the slow merge-property tests too, which cannot tell its mutants apart but cost half
# a minute per surviving mutant. tests/conftest.py keeps only these files' tests for a mutant.
TESTS_BY_MODULE = {
    "bilingual.fileio.": ("test_fileio.py", "test_promises.py"),
    "bilingual.memory.": ("test_memory.py", "test_promises.py"),
    "bilingual.po.": ("test_po.py", "test_po_layout.py", "test_po_safety.py", "test_po_gate.py",
                      "test_merge_properties.py", "test_promises.py"),
    "bilingual.check.": ("test_check.py", "test_po_gate.py", "test_promises.py"),
    "bilingual.render.": ("test_render.py", "test_docnumber.py", "test_promises.py"),
    "bilingual.structure.": ("test_structure.py", "test_structure_genre.py", "test_recognisers.py", "test_promises.py"),
}


def tests_for_mutant(mutant: str) -> tuple[str, ...] | None:
    """The test files for ``mutant`` (a mutmut mutant name), or None: every selected test."""
    for prefix, files in TESTS_BY_MODULE.items():
        if mutant.startswith(prefix):
            return files
    return None


def module_files() -> dict[str, tuple[list[str], list[str]]]:
    """Module label → (files to mutate, mutmut name globs of the mutants to run)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for path in ("bilingual/po", "bilingual/po.py", "bilingual/fileio.py", "bilingual/check.py",
                 "bilingual/render.py", "bilingual/memory.py"):
        if (ROOT / path).exists():
            found[path] = (_files(path), _module_globs(path))
    label, files, globs = _structure_globs()
    found[label] = (files, globs)
    return found


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
    chosen = select(argv)
    mutants = ROOT / "mutants"
    if mutants.exists():  # mutmut copies unmutated modules only once: a stale copy would be tested
        shutil.rmtree(mutants)
    mutants.mkdir()
    log = mutants / "mutmut.log"
    globs = [g for gs in chosen.values() for g in gs]
    print(f"mutation: {', '.join(chosen)}; mutmut's output goes to {log.relative_to(ROOT)}", flush=True)
    start = time.monotonic()
    files = [f for label in chosen for f in module_files()[label][0]]
    tests = sorted({f"tests/{name}" for g in globs for name in tests_for_mutant(g) or ()})
    with log.open("a", encoding="utf-8") as out:
        code = subprocess.call([sys.executable, str(HERE / "mutmut_run.py"), ",".join(files), ",".join(tests), *globs],
                               cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    print(f"mutation: mutmut finished in {time.monotonic() - start:.0f} s (exit {code})", flush=True)
    if code != 0:
        print(f"mutation: mutmut failed; the end of {log.relative_to(ROOT)}:", file=sys.stderr)
        print("\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]), file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(HERE / "report.py"), "--collect", *chosen], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
