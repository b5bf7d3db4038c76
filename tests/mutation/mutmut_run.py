"""``mutmut run GLOBS…`` with ``only_mutate`` and the test selection narrowed to the files given
first and second (comma-separated; an empty test list keeps pyproject's).

mutmut reads both from pyproject.toml, which lists every module ``make mutation`` covers and
all their tests; generating mutants for every module and running every test for the statistics
takes minutes, so a run of one module narrows them to that module's files and tests (run.py's
TESTS_BY_MODULE). Everything else is mutmut's own ``run`` command.

``--sample N``: generate the mutants, then run only N of those the globs name, drawn at random
with a fixed seed (the same N mutants on the same code): on a busy machine a module's 1,000+
mutants take hours, and a uniform sample's kill rate estimates the module's.
"""

from __future__ import annotations

import fnmatch
import os
import random
import sys
from pathlib import Path

from mutmut.configuration import config

SEED = 19  # issue 19


def _generated(globs: list[str]) -> list[str]:
    """Every mutant name mutmut generates for the configured files that one of ``globs`` matches."""
    from mutmut.__main__ import create_mutants
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, walk_mutatable_files

    os.makedirs("mutants", exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    create_mutants(1)
    names: list[str] = []
    for path in walk_mutatable_files():
        if not Path("mutants", f"{path}.meta").exists():
            continue
        data = SourceFileMutationData(path=path)
        data.load()
        names += [n for n in data.exit_code_by_key if any(fnmatch.fnmatch(n, g) for g in globs)]
    return sorted(names)


def main(argv: list[str]) -> None:
    files, tests, rest = argv[0].split(","), [t for t in argv[1].split(",") if t], argv[2:]
    sample = None
    if rest[:1] == ["--sample"]:
        sample, rest = int(rest[1]), rest[2:]
    config().only_mutate = files
    if tests:
        config().pytest_add_cli_args_test_selection = tests
    from mutmut.__main__ import cli

    if sample is not None:
        options = [a for a in rest if a.startswith("--") or a.isdigit()]
        globs = [a for a in rest if a not in options]
        names = _generated(globs)
        chosen = sorted(random.Random(SEED).sample(names, min(sample, len(names))))
        print(f"sample: {len(chosen)} of {len(names)} mutants", flush=True)
        rest = [*options, *chosen]
    cli(["run", *rest], standalone_mode=True)


if __name__ == "__main__":
    main(sys.argv[1:])
