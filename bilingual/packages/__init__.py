"""Argos model packages: find, list and install them, safely and offline by default.

An Argos package (``.argosmodel``) is a zip archive holding one folder with
``metadata.json``, a CTranslate2 model in ``model/`` and ``sentencepiece.model``.
Installed packages are folders in :func:`packages_dir`, the same folder
argostranslate uses, so packages installed by ``argospm`` are found too.

* This module finds installed packages by reading ``metadata.json`` directly: no
  argostranslate import on the translation path (importing
  ``argostranslate.settings`` creates folders in ``$HOME``).
* :mod:`.archive` installs a file (:func:`install_from_file`): every member, the
  folder name and the declared sizes are checked *before* anything is extracted,
  extraction is capped, argostranslate's own ``Package`` loads the result before it
  is renamed into place (see :mod:`.argos_api`).
* :mod:`.index` is the only network use, and only when asked (``bilingual models
  install``): argostranslate's index model (``AvailablePackage``) picks the package,
  the download is streamed with a size cap and goes through :func:`install_from_file`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelMissingError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
# What a newcomer without a model (offline, first run) can do now: the pipeline runs end to end with it.
TRY_WITHOUT = "; to try the pipeline without a model: --engine pseudo (make translate ENGINE=pseudo)"
MISSING_MESSAGE = (
    "no zh→en Argos model is installed; run 'bilingual models install' (downloads from the Argos index) "
    "or 'bilingual models install --from FILE.argosmodel' (offline)" + TRY_WITHOUT
)


@dataclass(frozen=True)
class InstalledPackage:
    """An installed Argos package folder and its ``metadata.json``."""

    path: Path
    from_code: str
    to_code: str
    package_version: str
    metadata: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def target_prefix(self) -> str:
        return str(self.metadata.get("target_prefix") or "")

    @property
    def name(self) -> str:
        """The argospm-style name, e.g. ``translate-zh_en``."""
        return f"{self.metadata.get('type') or 'translate'}-{self.from_code}_{self.to_code}"


# --------------------------------------------------------------------------- locations


def _argos_settings_file() -> Path:
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "argos-translate" / "settings.json"


def _argos_setting(key: str) -> str | None:
    """An argostranslate setting: environment first, then its settings.json (like argostranslate)."""
    if os.environ.get(key):
        return os.environ[key]
    with contextlib.suppress(OSError, ValueError, AttributeError):
        value = json.loads(_argos_settings_file().read_text(encoding="utf-8")).get(key)
        if value:
            return str(value)
    return None


def packages_dir() -> Path:
    """The folder holding installed packages (argostranslate's own; not created here).

    ``ARGOS_PACKAGES_DIR`` wins; else argostranslate's default
    ``$XDG_DATA_HOME/argos-translate/packages`` (``~/.local/share/...``).
    """
    configured = _argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    home = Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ else Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def package_index_url() -> str:
    """URL of the Argos ``index.json`` (``ARGOS_PACKAGE_INDEX`` is its base, as in argostranslate)."""
    base = _argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


# --------------------------------------------------------------------------- installed packages


def read_package(folder: Path) -> InstalledPackage | None:
    """The package in ``folder``, or ``None`` when it has no readable ``metadata.json``."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(metadata, dict):
        return None
    return InstalledPackage(
        path=folder,
        from_code=str(metadata.get("from_code") or ""),
        to_code=str(metadata.get("to_code") or ""),
        package_version=str(metadata.get("package_version") or ""),
        metadata=metadata,
    )


def list_installed(directory: Path | None = None) -> list[InstalledPackage]:
    """Every installed package (folders with a metadata.json), sorted by pair then folder name."""
    directory = packages_dir() if directory is None else Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for folder in sorted(directory.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        package = read_package(folder)
        if package is not None:
            found.append(package)
    return sorted(found, key=lambda p: (p.from_code, p.to_code, p.path.name))


def _version_key(version: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.\-_+]", version))


def find_installed(from_code: str = "zh", to_code: str = "en") -> InstalledPackage | None:
    """The installed ``from_code``→``to_code`` package (the newest if several), or ``None``."""
    candidates = [
        p
        for p in list_installed()
        if p.from_code == from_code and p.to_code == to_code and p.model_dir.is_dir()
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: _version_key(p.package_version))


def missing_model_error() -> ModelMissingError:
    """The one-line error shown when no zh→en package is installed."""
    return ModelMissingError(MISSING_MESSAGE)


def require_installed(from_code: str = "zh", to_code: str = "en") -> InstalledPackage:
    """Like :func:`find_installed` but raises :class:`ModelMissingError` when there is none."""
    package = find_installed(from_code, to_code)
    if package is None:
        raise missing_model_error()
    return package



#: Installing is re-exported here (the public API of this package) but imported on first use: the
#: index pulls in urllib.request, http.client and ssl (~0.03 s), which a translate run — that only
#: finds the installed model — would otherwise import before its model load can start.
_LAZY = {"install_from_file": ".archive", "fetch_index": ".index", "install_from_index": ".index"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "DEFAULT_INDEX", "MISSING_MESSAGE", "InstalledPackage", "fetch_index", "find_installed", "install_from_file",
    "install_from_index", "list_installed", "missing_model_error", "package_index_url", "packages_dir",
    "read_package", "require_installed",
]
