"""``mutmut run GLOBS…`` with ``only_mutate`` and the test selection narrowed to the files given
first and second (comma-separated; an empty test list keeps pyproject's).

mutmut reads both from pyproject.toml, which lists every module ``make mutation`` covers and
all their tests; generating mutants for every module and running every test for the statistics
takes minutes, so a run of one module narrows them to that module's files and tests (run.py's
TESTS_BY_MODULE). Everything else is mutmut's own ``run`` command.
"""

from __future__ import annotations

import sys

from mutmut.configuration import config


def main(argv: list[str]) -> None:
    files, tests, globs = argv[0].split(","), [t for t in argv[1].split(",") if t], argv[2:]
    config().only_mutate = files
    if tests:
        config().pytest_add_cli_args_test_selection = tests
    from mutmut.__main__ import cli

    cli(["run", *globs])


if __name__ == "__main__":
    main(sys.argv[1:])
