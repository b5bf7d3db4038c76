"""The ``bilingual`` command line: a thin Click layer over the library.

Sub-commands live in their own modules (``translate``, ``review``, ``glossary``,
``models``) and are imported only when invoked, so ``bilingual --help`` does not
pay for spaCy, CTranslate2 or argostranslate. Every :class:`BilingualError`
becomes one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__

# command name -> (module, attribute, one-line help shown by --help without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "translate": ("bilingual.cli.translate", "translate", "Translate source documents into aligned PO files."),
    "extract": ("bilingual.cli.extract", "extract", "Write the gettext template (POT) of a source document."),
    "build": ("bilingual.cli.review", "build", "Build the English publication (md, html, bilingual-html, tmx) from a PO file."),
    "check": ("bilingual.cli.review", "check", "QA reviewed PO files; non-zero exit on errors (the CI gate)."),
    "glossary": ("bilingual.cli.glossary", "glossary", "Check, look up, export and import the terminology glossary."),
    "models": ("bilingual.cli.models", "models", "Install and list Argos zh→en model packages."),
    "init": ("bilingual.cli.init", "init", "Set up a translation project: bilingual.toml, glossary/, CI job."),
    "align": ("bilingual.cli.align", "align", "Align a document with its official English: a memory and a term report."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use (fast start-up)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bilingual")
def app() -> None:
    """Chinese trade-policy documents → reviewed English publications.

    Pipeline: ingest → structure → segment → glossary → translate → PO → check / build.
    """


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: one-line errors, documented exit codes."""
    from ..errors import BilingualError

    try:
        code = app.main(args=argv, prog_name="bilingual", standalone_mode=False)
    except BilingualError as exc:
        click.echo(f"bilingual: error: {exc}", err=True)
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Click turns Ctrl-C into Abort; SIGTERM/SIGHUP are turned into KeyboardInterrupt by translate.
        click.echo(f"bilingual: interrupted; {_what_was_written()}", err=True)
        return 130
    except OSError as exc:
        # Every read and write goes through bilingual.fileio, which raises BilingualError; this is the
        # safety net for the environment failing elsewhere (a full disk under a library): one line, exit 2.
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        click.echo(f"bilingual: error: {where}{exc.strerror or exc}", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return code if isinstance(code, int) else 0


def entry() -> None:
    """The console script (and ``python -m bilingual``): :func:`main`, then the exit.

    On success the process leaves with ``os._exit(0)`` once stdout and stderr are
    flushed: every file of the run was written atomically and closed, locks released,
    the MT cache closed — what is left is the interpreter's teardown of spaCy's,
    CTranslate2's and NumPy's modules and objects, 0.1–0.2 s of nothing (bench/README.md).
    Any other exit code, and a flush that fails (a closed pipe), take the normal way
    out, with ``atexit`` handlers and all.
    """
    import os

    code = main()
    if code == 0:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(code)
        os._exit(0)
    sys.exit(code)


def _what_was_written() -> str:
    """The truth about the files on disk after an interruption (every write is atomic)."""
    fileio = sys.modules.get("bilingual.fileio")  # not imported: nothing was written
    written = fileio.written_files() if fileio is not None else []
    partial = fileio.partially_written() if fileio is not None else []
    if not written and not partial:
        return "files on disk are unchanged"
    parts = []
    if written:
        parts.append(f"already written (complete): {', '.join(dict.fromkeys(written))}")
    if partial:
        parts.append(f"partly written (a device or pipe): {', '.join(partial)}")
    return "; ".join(parts) + "; every other file is unchanged"


if __name__ == "__main__":  # pragma: no cover
    entry()
