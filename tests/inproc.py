"""Run the ``bilingual`` CLI in the test process: the same ``main()`` (exit codes, one-line
errors) as the console script, without a new interpreter and spaCy start-up per call.

Use it where a test makes many calls; ``run_cli`` (a real subprocess) stays the way to test
the installed command itself.
"""

from __future__ import annotations

import os
from types import SimpleNamespace


def run_inprocess(args, env: dict[str, str | None] | None = None, cwd=None) -> SimpleNamespace:
    """``main(args)`` with ``env`` added to the environment; returns returncode, stdout, stderr."""
    from click.testing import CliRunner

    from bilingual import fileio
    from bilingual.cli import main

    fileio.forget_inputs()  # the inputs of this command only, as in a new process
    previous = os.getcwd()
    runner = CliRunner()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with runner.isolation(env=env) as (out, err, _):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # a command's own sys.exit(1) (check findings), as in a process
                code = exc.code if isinstance(exc.code, int) else 1
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    finally:
        os.chdir(previous)
    return SimpleNamespace(returncode=code, stdout=stdout, stderr=stderr)
