"""Jinja2 for the HTML outputs: the markup lives in ``templates/``, not in Python.

The templates (and their CSS and JavaScript, included inline so that every page
stays one standalone file) are package data. A publications team restyles the
pages by copying the ones it wants to change into a folder and passing it as
``build --templates DIR``: a template found there wins over the shipped one of
the same name.

Every ``{{ value }}`` is escaped the way :func:`html.escape` does (text and
attributes alike); only values the builders mark safe — a rendered macro, a
:class:`markupsafe.Markup` holding text they escaped themselves — pass unescaped.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from .. import __version__


def esc(text: str) -> str:
    """HTML-escape text and attribute values (quotes included)."""
    return html.escape(text, quote=True)


def _finalize(value):
    from markupsafe import Markup

    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(esc(str(value)))


@lru_cache(maxsize=8)
def environment(folder: str | None = None):
    """The Jinja2 environment: templates from ``folder`` first (if given), then the shipped ones."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if folder:
        loaders.append(jinja2.FileSystemLoader(folder))
    loaders.append(jinja2.PackageLoader("bilingual.build", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["version"] = __version__
    return env


def render(name: str, templates: str | Path | None = None, **context) -> str:
    """Render template ``name`` (``templates``: an optional folder of overriding templates).

    A missing folder or a broken template is a :class:`BilingualError` naming it.
    """
    from ..errors import BilingualError

    folder = str(templates) if templates is not None else None
    if folder is not None and not Path(folder).is_dir():
        raise BilingualError("templates folder not found", folder)
    import jinja2

    try:
        return environment(folder).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise BilingualError(f"template {name}: {where}{exc.message or exc}", folder) from None
