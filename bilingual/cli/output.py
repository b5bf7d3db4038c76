"""How commands print: rich for people, plain tab-separated lines for machines.

Output is plain when ``--quiet`` is given or stdout is not a terminal (CI logs,
pipes), so scripts can parse it; ``--format json`` gives one JSON document.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click


def plain_output(quiet: bool) -> bool:
    return quiet or not sys.stdout.isatty()


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

    table = Table(title=title)
    for number, column in enumerate(columns):
        table.add_column(column, justify="left" if number == 0 else "right")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def warn(message: str) -> None:
    click.echo(f"bilingual: warning: {message}", err=True)
