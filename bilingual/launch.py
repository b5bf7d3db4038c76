"""The console script (and ``python -m bilingual``): the spaCy helper forked before the CLI loads.

A ``translate`` run on SOURCE files splits sentences in a helper process that imports spaCy
on the second core (bilingual/segproc.py); that import is the longest chain before the first
MT batch of a small document, so the earlier it starts the better. Forked from
``bilingual translate`` itself it starts after the command line (click, the CLI's modules)
is imported and parsed, ~0.05 s into the run; forked here it starts right after the
interpreter, before any of that.

Which runs get it early is read from ``sys.argv`` by a rough test — the ``translate``
command without ``--config`` (a config run starts it only when its run state says some
document needs work) and without ``--jobs`` (no helper beside worker processes) or
``--help``. A wrong guess costs nothing but the early start: the command decides as before
(bilingual/cli/translate.py) and stops a helper it does not want; every way out of the
process stops it (:func:`entry`).
"""

from __future__ import annotations

import sys

_NO_EARLY_HELPER = ("--config", "--jobs", "--help", "-h", "--version")


def wants_early_helper(args: list[str]) -> bool:
    """True for ``translate …`` without the options that make a helper unwanted or late."""
    if not args or args[0] != "translate":
        return False
    return not any(arg.split("=", 1)[0] in _NO_EARLY_HELPER for arg in args[1:])


def entry() -> None:
    """Fork the helper if this is a SOURCE ``translate`` run, then run the CLI
    (:func:`bilingual.cli.entry`, which leaves with ``os._exit(0)`` on success once the
    command has stopped the helper)."""
    early = wants_early_helper(sys.argv[1:])  # other commands import nothing here (--help stays quick)
    if early:
        from . import segproc

        segproc.start()
    try:
        from .cli import entry as cli_entry

        cli_entry()
    finally:  # an error before the command ran (a usage error, an import error): no helper left behind
        if early:
            segproc.stop()
