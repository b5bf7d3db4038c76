"""``bilingual init [DIR]``: a new translation project (thin layer over bilingual/init.py)."""

from __future__ import annotations

from pathlib import Path

import click

from .output import FORMAT_OPTION, JSON_OPTION, emit_json, emit_table, json_wanted, plain_output


@click.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@FORMAT_OPTION
@JSON_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Plain output.")
def init(directory: Path, fmt: str, as_json: bool, quiet: bool) -> None:
    """Set up a translation project in DIR (default: here).

    Writes a commented bilingual.toml, an empty project glossary (glossary/terms.csv with its
    header, glossary/README.md on the columns and the evidence rule), translations/, a
    .gitignore for locks and caches, and the CI job .github/workflows/translate.yml. A file
    that exists is never overwritten: it is kept, and the table says so.
    """
    from ..init import init_project

    outcomes = init_project(directory)
    if json_wanted(fmt, as_json):
        emit_json([o.as_dict() for o in outcomes])
        return
    emit_table(f"bilingual init {directory}", ("path", "action"),
               [(o.path, o.action) for o in outcomes], quiet=plain_output(quiet))
    kept = [str(o.path) for o in outcomes if o.action == "kept"]
    if kept:
        click.echo(f"kept (exists, not overwritten): {', '.join(kept)}", err=True)
    if any(o.path.name == "bilingual.toml" and o.action == "written" for o in outcomes):
        where = "" if directory == Path(".") else f" (in {directory})"
        click.echo(f"next: add a [[document]] to bilingual.toml, then run{where}: "
                   "bilingual translate --config bilingual.toml", err=True)
