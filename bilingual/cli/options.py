"""Options shared by several commands (one definition each)."""

from __future__ import annotations

import click


def _set_max_size(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from ..fileio import DEFAULT_MAX_SIZE, parse_size, set_max_size

    try:
        set_max_size(parse_size(value) if value else DEFAULT_MAX_SIZE)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


#: ``--max-size``: the largest input file read (raw bytes); decompression limits scale with it.
max_size_option = click.option(
    "--max-size", envvar="BILINGUAL_MAX_SIZE", show_envvar=True, default="50M", show_default=True,
    metavar="SIZE", expose_value=False, callback=_set_max_size,
    help="Largest input file to read (K, M, G); a larger file, or a device or pipe that goes on, "
         "is refused with exit 2. PDF and DOCX may expand to 4× this when decompressed.")
