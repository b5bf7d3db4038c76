"""The eight changes of issue 19 that once survived the whole suite, applied one at a time.

Each row is a hand-written mutant (the file, the text it replaces, the replacement) and the tests
that pin the behaviour it breaks. The mutant is applied to a copy of the code and the tests run
against that copy: every row must make its tests fail (``killed``). The run writes
``promises.md``, which REPORT.md includes as "The issue's eight behaviours":

    python tests/mutation/promises.py            # every row; exit 1 if one survives
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Promise:
    behaviour: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


PROMISES = (
    Promise("a rewrite replaces the file by rename (temp file + rename)", "bilingual/fileio.py",
            "            os.replace(tmp, target.path)\n",
            "            target.path.write_bytes(Path(tmp).read_bytes()); os.unlink(tmp)\n",
            ("tests/test_promises.py::test_a_rewrite_replaces_the_file_by_rename_not_in_place",)),
    Promise("a rewritten PO keeps its permissions and owner", "bilingual/fileio.py",
            "    os.chmod(tmp, info.st_mode & 0o7777)\n", "    pass\n",
            ("tests/test_promises.py::test_a_rewritten_po_keeps_its_permissions_and_owner",)),
    Promise("reviewed beats fuzzy when a sentence repeats", "bilingual/po/align.py",
            'if reuse is not None and "fuzzy" in reuse.entry.flags and waiting',
            'if False and reuse is not None and "fuzzy" in reuse.entry.flags and waiting',
            ("tests/test_po_safety.py::test_reviewed_beats_fuzzy_for_a_repeated_sentence",)),
    Promise("every flag of a kept entry survives", "bilingual/po/merge.py",
            "    entry.flags = list(old.flags)\n", '    entry.flags = [f for f in old.flags if f == "fuzzy"]\n',
            ("tests/test_promises.py::test_every_flag_of_a_kept_entry_survives_a_rewrite",)),
    Promise("agency lists split at the full-width comma", "bilingual/structure/agencies.py",
            '        for sub in re.split(r"[，,]", group):\n', '        for sub in re.split(r"[,]", group):\n',
            ("tests/test_promises.py::test_agency_lists_split_at_the_full_width_comma",)),
    Promise("an impossible date is left to review", "bilingual/render.py",
            "        _dt.date(year, month, day)\n", "        pass\n",
            ("tests/test_promises.py::test_impossible_dates_are_left_to_review",
             "tests/test_promises.py::test_an_impossible_date_in_a_document_is_neither_rendered_nor_machine_translated")),
    Promise("the memory offers close matches only (threshold 85, not 60)", "bilingual/memory.py",
            "FUZZY_THRESHOLD = 85.0\n", "FUZZY_THRESHOLD = 60.0\n",
            ("tests/test_promises.py::test_memory_offers_close_matches_but_not_distant_ones",)),
    Promise("Argos sends the package's target prefix", "bilingual/engines/argos.py",
            "target_prefix=[[prefix] for _ in batch] if prefix else None,",
            "target_prefix=None,",
            ("tests/test_promises.py::test_argos_sends_the_package_target_prefix",)),
)


def _copy() -> Path:
    where = Path(tempfile.mkdtemp(prefix="bilingual-promises-"))
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for name in ("bilingual", "tests", "translations", "glossary"):
        shutil.copytree(ROOT / name, where / name, ignore=ignore, symlinks=True)
    for name in ("bilingual.toml", "pyproject.toml", "Makefile"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, where / name)
    return where


def check(promise: Promise, copy: Path) -> str:
    """``killed`` when the mutant makes a test fail, ``survived`` when every test passes."""
    path = copy / promise.path
    original = path.read_text(encoding="utf-8")
    if original.count(promise.old) != 1:
        return f"stale (the text to change is not in {promise.path} once)"
    path.write_text(original.replace(promise.old, promise.new), encoding="utf-8")
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *promise.tests],
                             cwd=copy, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return {0: "survived", 1: "killed"}.get(run.returncode, f"error (pytest exit {run.returncode})")


def main() -> int:
    copy = _copy()
    try:
        clean = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                *sorted({t for p in PROMISES for t in p.tests})], cwd=copy, capture_output=True)
        if clean.returncode != 0:
            print("the tests fail on the unchanged code: fix them first", file=sys.stderr)
            return 2
        verdicts = [(p, check(p, copy)) for p in PROMISES]
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    lines = [f"Run {date.today()}, commit {commit.stdout.strip() or 'unknown'} (`python tests/mutation/promises.py`).", "",
             "| behaviour | mutant | test (`tests/…::test`) | verdict |", "| --- | --- | --- | --- |"]
    for p, verdict in verdicts:
        change = f"`{p.path}`: `{p.old.strip()}` → `{p.new.strip()}`"
        tests = "<br>".join(f"`{t.removeprefix('tests/')}`" for t in p.tests)
        lines.append(f"| {p.behaviour} | {change} | {tests} | {verdict} |")
    (Path(__file__).parent / "promises.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if all(v == "killed" for _, v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
