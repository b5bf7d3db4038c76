"""``bilingual models``: install and list Argos zh→en model packages."""

from __future__ import annotations

from pathlib import Path

import click

from .. import packages
from .output import FORMAT_OPTION, JSON_OPTION, FullHelpGroup, bars_wanted, json_wanted


@click.group("models", cls=FullHelpGroup)
def models() -> None:
    """Install and list Argos zh→en model packages.

    Packages live in argostranslate's packages folder (the environment variable
    ARGOS_PACKAGES_DIR overrides it), so packages installed with argospm are used
    as well.
    """


@models.command("install")
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.argosmodel",
    help="Install this package file (offline) instead of downloading from the Argos index.",
)
@click.option("--if-missing", is_flag=True, help="Do nothing when a zh→en package is already installed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; print only the installed folder.")
def install(from_file: Path | None, if_missing: bool, quiet: bool) -> None:
    """Install the zh→en model: from the Argos index (download) or --from a local file."""
    if if_missing:
        existing = packages.find_installed("zh", "en")
        if existing is not None:
            if not quiet:
                click.echo(
                    f"zh→en package {existing.package_version or '(unversioned)'} already installed: {existing.path}",
                    err=True,
                )
            return
    if from_file is not None:
        package = packages.install_from_file(from_file)
    else:
        package = packages.install_from_index("zh", "en", progress=bars_wanted(quiet))
    if quiet:
        click.echo(str(package.path))
    else:
        click.echo(f"installed zh→en package {package.package_version or '(unversioned)'} in {package.path}")


@models.command("list")
@FORMAT_OPTION
@JSON_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Plain tab-separated lines, even on a terminal.")
def list_(fmt: str, as_json: bool, quiet: bool) -> None:
    """List installed Argos packages (zh→en is the one bilingual uses).

    With none installed, says how to install the zh→en model (on stderr when the
    output is for machines).
    """
    from .output import emit_json, emit_table, plain_output

    installed = packages.list_installed()
    directory = packages.packages_dir()
    columns = ("pair", "version", "folder", "path")
    rows = [(f"{p.from_code}→{p.to_code}", p.package_version or "", p.path.name, str(p.path)) for p in installed]
    if not installed:
        hint = packages.MISSING_MESSAGE.split("; ", 1)[1]
        hint = f"No Argos packages installed in {directory}. {hint[0].upper()}{hint[1:]}."
        machine = json_wanted(fmt, as_json) or plain_output(quiet)
        click.echo(hint, err=machine)
        if not machine:
            return
    if json_wanted(fmt, as_json):
        emit_json([dict(zip(columns, row, strict=True)) for row in rows])
        return
    emit_table(f"Argos packages in {directory}", columns, rows, quiet=quiet)
