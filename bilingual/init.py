"""``bilingual init``: set up a translation project the way this repository is set up.

A project is a folder with:

* ``bilingual.toml`` — the commented project file (documents, engine, glossary);
* ``glossary/`` — the project's own terms, on top of the built-in termbase: one CSV
  file with the header only, and a README on the columns and the evidence rule;
* ``translations/`` — one folder per document (source, PO file, publications);
* ``.gitignore`` — lock files and temporary files of writes in progress, caches;
* ``.github/workflows/translate.yml`` — the CI job: translate, build, QA gate.

The texts are package data (``bilingual/project_template/``). Nothing that exists is
ever replaced — not a file, not a link (even a dangling one): it is kept and reported
as kept. Every file is written through :mod:`bilingual.fileio` (atomic, never over a
device or an input).
"""

from __future__ import annotations

import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import BilingualError

#: (path in the project, template file or None for generated content)
FILES = (
    ("bilingual.toml", "bilingual.toml"),
    ("glossary/terms.csv", None),
    ("glossary/README.md", "glossary-README.md"),
    ("translations/.gitkeep", None),
    (".gitignore", "gitignore"),
    (".github/workflows/translate.yml", "translate.yml"),
)


@dataclass(frozen=True)
class Outcome:
    path: Path
    action: str  # "written" | "kept"

    def as_dict(self) -> dict:
        return {"path": str(self.path), "action": self.action}


def template_text(name: str) -> str:
    """The text a project file starts with (a template of the package, filled in)."""
    from .glossary import COLUMNS

    if name == "glossary/terms.csv":
        return ",".join(COLUMNS) + "\n"
    if name == "translations/.gitkeep":
        return ""
    template = dict(FILES)[name]
    text = (importlib.resources.files("bilingual") / "project_template" / template).read_text(encoding="utf-8")
    return text.replace("@VERSION@", __version__).replace("@HEADER@", ",".join(COLUMNS))


def init_project(directory: str | Path = ".") -> list[Outcome]:
    """Create the project files missing in ``directory`` (created if needed); keep the rest."""
    from .fileio import atomic_write_text, check_outputs

    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise BilingualError("is not a folder; bilingual init sets up a project folder", root)
    outcomes: list[Outcome] = []
    todo: list[Path] = []
    for name, _ in FILES:
        path = root / name
        if os.path.lexists(path):  # a file, a folder or a link (even dangling): never replaced
            outcomes.append(Outcome(path, "kept"))
        else:
            todo.append(path)
            outcomes.append(Outcome(path, "written"))
    check_outputs(todo)  # a folder in the way, a path under a file: one line before anything is written
    for outcome in outcomes:
        if outcome.action == "written":
            atomic_write_text(outcome.path, template_text(outcome.path.relative_to(root).as_posix()))
    return outcomes
