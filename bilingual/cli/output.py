"""How commands print: rich for people, plain tab-separated lines for machines.

Output is plain when ``--quiet`` is given or stdout is not a terminal (CI logs,
pipes), so scripts can parse it; ``--format json`` gives one JSON document.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="table: a rich table on a terminal, tab-separated lines otherwise; json: one JSON document.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")


class FullHelpGroup(click.Group):
    """A command group whose --help lists each sub-command's whole first help line (Click cuts
    it at about 45 characters with "...")."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def json_wanted(fmt: str, as_json: bool) -> bool:
    """``--format json`` or its alias ``--json``."""
    return fmt == "json" or as_json


def plain_output(quiet: bool) -> bool:
    return quiet or not sys.stdout.isatty()


def in_ci() -> bool:
    """A CI job (``CI`` set and not false, as GitHub Actions, GitLab CI, Jenkins' plugins and most
    runners set it; ``GITHUB_ACTIONS=true``): its log is no screen even when a pty is allocated
    (``docker run -t``), and redrawn bars would fill it."""
    import os

    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get("GITHUB_ACTIONS", "").lower() == "true"


def bars_wanted(quiet: bool) -> bool:
    """Progress bars: on a terminal's stderr, not with ``--quiet``, not in CI."""
    return not quiet and sys.stderr.isatty() and not in_ci()


def emit_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]], *, quiet: bool) -> None:
    """A rich table on a terminal; a header line + TSV rows otherwise."""
    if plain_output(quiet):
        from ..csvsafe import neutralise_tsv

        click.echo("\t".join(columns))
        for row in rows:  # spreadsheet-safe: a cell never starts a formula (bilingual.csvsafe)
            click.echo("\t".join(neutralise_tsv(cell) for cell in row))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    cells = [[str(cell) for cell in row] for row in rows]
    natural = sum(max([len(c), *(len(r[i]) for r in cells)]) + 3 for i, c in enumerate(columns)) + 1
    table = Table(title=title)
    if natural > console.width and 0 < len(cells) <= 4:
        # too wide for the terminal: one row per column name (the same names as the JSON keys)
        table.add_column(columns[0], justify="left")
        for row in cells:
            table.add_column(row[0], justify="right")
        for number, column in enumerate(columns[1:], start=1):
            table.add_row(column, *(row[number] for row in cells))
    else:
        for number, column in enumerate(columns):
            table.add_column(column, justify="left" if number == 0 else "right")
        for row in cells:
            table.add_row(*row)
    console.print(table)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def warn(message: str) -> None:
    click.echo(f"bilingual: warning: {message}", err=True)
