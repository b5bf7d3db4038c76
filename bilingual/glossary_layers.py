"""Where the glossary comes from: the built-in termbase, then a project's own folder.

The curated termbase ships inside the package (the repository edits it in its
top-level ``glossary/``; ``setup.py`` copies that folder into the wheel as
``bilingual/termbase_data/`` at build time, so git holds one copy). A translation
project adds its own ``glossary/`` on top, in the same CSV layout:

* the **built-in** layer is found from the installed package (``importlib.resources``),
  or, in a source checkout or an editable install, from the repository's ``glossary/``;
* the **project** layer is ``--glossary DIR``, else the config's ``[defaults] glossary``,
  else ``./glossary`` when it exists. A project without one works with the built-in
  termbase alone. Inside this repository both are the same folder: one layer.

A project that wants its own glossary alone sets ``builtin_glossary = false`` in
``[defaults]`` of bilingual.toml (or ``BILINGUAL_BUILTIN_GLOSSARY=0`` in the
environment, for commands run without a config).

A project row **wins** over a built-in row with the same Chinese (:func:`term_key`):
the built-in row is dropped and the override is reported (``glossary check`` lists
each one with both English forms; ``glossary lookup`` names the layer of every row).
When the project overrides a built-in *full form*, the built-in short forms of it
follow the new English (an abbreviation renders its full form's English anyway, and
``glossary check`` requires the two to agree). ``left-to-mt.txt`` entries of both
layers apply; a project term covers a built-in entry.

Everything that loads a glossary goes through :func:`glossary_layers` and
:func:`merge_layers` (``load_glossary``, ``load_scoped``, ``check_directory``), so
per-document ``glossary_files`` patterns select files in every layer and the
issuer-aware scope sees one merged list of terms.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BilingualError

BUILTIN = "built-in"
PROJECT = "project"
#: The folder the wheel carries the termbase in (``bilingual/termbase_data``).
DATA_DIR = "termbase_data"
#: The project folder used when neither ``--glossary`` nor the config names one.
DEFAULT_PROJECT_DIR = Path("glossary")
#: ``0``/``false``/``no``/``off``: no built-in layer (when the config does not say).
BUILTIN_ENV = "BILINGUAL_BUILTIN_GLOSSARY"


@dataclass(frozen=True)
class Layer:
    """One folder of glossary files and its role (:data:`BUILTIN` or :data:`PROJECT`)."""

    name: str
    path: Path


@dataclass(frozen=True)
class Override:
    """A row of a later layer that replaced a row of an earlier one.

    ``follows`` marks a built-in short form whose full form the project overrode:
    ``term`` is the short form with the project's English, ``replaced`` the original.
    """

    term: object
    replaced: object
    follows: bool = False


def builtin_dir() -> Path | None:
    """The built-in termbase folder, or ``None`` when this installation has none.

    An installed wheel carries it as package data; a source checkout (editable
    install, ``python -m bilingual`` from the repository) has the repository's
    ``glossary/`` beside the package instead.
    """
    data = importlib.resources.files("bilingual") / DATA_DIR
    if isinstance(data, Path) and data.is_dir():
        return data
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "glossary").is_dir():
        return root / "glossary"
    return None


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def builtin_wanted(setting: bool | None = None) -> bool:
    """Whether to load the built-in layer: ``setting`` (the config's), else the environment, else yes."""
    if setting is not None:
        return setting
    return os.environ.get(BUILTIN_ENV, "").strip().lower() not in ("0", "false", "no", "off")


def glossary_layers(project: str | Path | None = None, *, builtin: bool | None = None) -> list[Layer]:
    """The layers to load, built-in first: ``[built-in]``, ``[built-in, project]`` or ``[project]``.

    ``project`` is a folder the user named (it must exist) or ``None`` (built-in only);
    ``builtin`` is the config's ``builtin_glossary`` (``None``: :func:`builtin_wanted`).
    """
    builtin = builtin_dir() if builtin_wanted(builtin) else None
    layers = [Layer(BUILTIN, builtin)] if builtin is not None else []
    if project is not None:
        path = Path(project)
        if not path.is_dir():
            raise BilingualError("glossary directory not found", path)
        if builtin is None or not _same_folder(path, builtin):
            layers.append(Layer(PROJECT, path))
    if not layers:
        why = ("this installation has no built-in termbase" if builtin_wanted(builtin)
               else "the built-in termbase is switched off")
        raise BilingualError(f"no glossary: {why} and there is no glossary folder; give one with --glossary DIR")
    return layers


def project_directory(explicit: Path | None, config=None) -> Path | None:
    """The project layer's folder for a command: ``--glossary DIR``, else the config's, else ``./glossary``.

    A folder named by the user (``--glossary``, or ``glossary =`` in the config) must
    exist — :func:`glossary_layers` says so if not; the implicit default is optional.
    """
    if explicit is not None:
        return Path(explicit)
    if config is not None:
        given = "glossary" in (config.extra.get("defaults") or {})
        return config.glossary if given or config.glossary.is_dir() else None
    return DEFAULT_PROJECT_DIR if DEFAULT_PROJECT_DIR.is_dir() else None


def command_settings(explicit: Path | None, config=None) -> tuple[Path | None, bool | None]:
    """(project folder, builtin setting) of a command: ``--glossary``, the config's ``[defaults]``."""
    setting = (config.extra.get("defaults") or {}).get("builtin_glossary") if config is not None else None
    if setting is not None and not isinstance(setting, bool):
        raise BilingualError("[defaults] builtin_glossary must be true or false", config.path)
    return project_directory(explicit, config), setting


def command_glossary(explicit: Path | None, config=None):
    """The glossary a command works with: the built-in termbase and the project's folder."""
    from .glossary import load_glossary

    project, builtin = command_settings(explicit, config)
    return load_glossary(project, builtin=builtin)


def project_config(path: Path = Path("bilingual.toml")):
    """``./bilingual.toml`` when there is one (its ``[defaults]`` choose the glossary), else ``None``."""
    if not path.is_file():
        return None
    from .config import load_config

    return load_config(path, documents_required=False)


def layer_of(term_or_file, layers: Sequence[Layer] | None = None) -> str:
    """:data:`BUILTIN` or :data:`PROJECT`: the layer a term (or a glossary file) belongs to."""
    file = getattr(term_or_file, "file", term_or_file)
    if not file:
        return PROJECT
    folder = Path(file).parent
    if layers is None:
        builtin = builtin_dir()
        return BUILTIN if builtin is not None and _same_folder(folder, builtin) else PROJECT
    for layer in layers:
        if _same_folder(folder, layer.path):
            return layer.name
    return PROJECT


def merge_layers(layered: Sequence[tuple[Layer, Sequence]]) -> tuple[list, list[Override]]:
    """One list of terms from the layers' rows, a later layer's row winning; and the overrides.

    Every row of the last layer is kept, duplicates within a layer included (so
    ``validate_terms`` still reports them); an earlier layer's row goes when a later
    layer has a row with the same key. A short form of an earlier layer whose full
    form a later layer overrode takes the new English (:class:`Override` ``follows``).
    """
    from .glossary import term_key

    merged: list = []
    rank: dict[int, int] = {}  # id(term) -> layer index
    overrides: list[Override] = []
    overridden: dict[str, int] = {}  # key -> index of the layer whose row replaced it
    for index, (_layer, terms) in enumerate(layered):
        firsts: dict[str, object] = {}
        for term in terms:
            firsts.setdefault(term_key(term.zh), term)
            rank[id(term)] = index
        kept = []
        for term in merged:
            key = term_key(term.zh)
            if key in firsts:
                overrides.append(Override(firsts[key], term))
                overridden[key] = index
            else:
                kept.append(term)
        merged = kept + list(terms)
    by_key: dict[str, object] = {}
    for term in merged:
        by_key.setdefault(term_key(term.zh), term)
    for position, term in enumerate(merged):
        full_key = term_key(term.abbreviation_of) if term.abbreviation_of else ""
        full = by_key.get(full_key)
        if full is None or full.en == term.en or overridden.get(full_key, -1) <= rank[id(term)]:
            continue
        follower = dataclasses.replace(term, en=full.en)
        merged[position] = follower
        overrides.append(Override(follower, term, follows=True))
    return merged, overrides


def override_problems(overrides: Sequence[Override]) -> list:
    """``info`` findings naming every override that changes the English, with both forms (``glossary check``).

    A project row that repeats a built-in row's English (a project that started from a
    copy of the termbase) changes nothing a reader sees, so it is not listed.
    """
    from .glossary import Problem

    problems = []
    for o in overrides:
        old, new = o.replaced, o.term
        if (old.en, getattr(old, "en_abbr", "")) == (new.en, getattr(new, "en_abbr", "")):
            continue
        if o.follows:
            message = (f"{old.zh}: built-in short form follows the project's full form "
                       f"{new.abbreviation_of} → {new.en!r} (built-in: {old.en!r})")
            problems.append(Problem(old.file, old.line, "info", "override", message))
            continue
        message = f"{new.zh}: project {new.en!r} overrides built-in {old.en!r} ({old.file}:{old.line})"
        problems.append(Problem(new.file, new.line, "info", "override", message))
    return problems
