"""Argos model packages: find, list and install them, safely and offline by default.

An Argos package (``.argosmodel``) is a zip archive holding one folder with
``metadata.json``, a CTranslate2 model in ``model/`` and ``sentencepiece.model``.
Installed packages are folders in :func:`packages_dir`, the same folder
argostranslate uses, so packages installed by ``argospm`` are found too.

* Finding installed packages reads ``metadata.json`` directly: no argostranslate
  import (importing ``argostranslate.settings`` creates folders in ``$HOME``).
* :func:`install_from_file` validates the whole archive *before* extracting
  anything (one top folder, zh→en metadata, model files, no absolute / ``..`` /
  symlink members), extracts into a temporary folder inside the packages folder
  and renames it into place, replacing older packages of the same pair.
* Only :func:`install_from_index` uses the network, and only when asked
  (``bilingual models install``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import BilingualError, ModelMissingError
from .fileio import file_lock

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
OFFLINE_HINT = "'bilingual models install --from FILE.argosmodel'"
MISSING_MESSAGE = (
    "no zh→en Argos model is installed; run 'bilingual models install' (downloads from the Argos index) "
    "or 'bilingual models install --from FILE.argosmodel' (offline)"
)
_TMP_PREFIX = ".bilingual-installing-"
_OLD_PREFIX = ".bilingual-replaced-"
_NETWORK_TIMEOUT = 30.0


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


# --------------------------------------------------------------------------- install from a file


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "'..' in path"
    if "\x00" in name:
        return "NUL byte in name"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special file"
    return None


def _validate_archive(archive: zipfile.ZipFile, path: Path, from_code: str, to_code: str) -> tuple[str, dict]:
    """Check every member and the package layout; return (top folder, metadata). Extracts nothing."""
    infos = archive.infolist()
    if not infos:
        raise BilingualError("not an Argos package (empty archive)", path)
    for info in infos:
        reason = _unsafe_reason(info)
        if reason:
            raise BilingualError(
                f"unsafe archive member {info.filename!r} ({reason}); refused before anything is extracted", path
            )
    tops = sorted({PurePosixPath(info.filename).parts[0] for info in infos if PurePosixPath(info.filename).parts})
    loose = [info.filename for info in infos if "/" not in info.filename.rstrip("/") and not info.is_dir()]
    if len(tops) != 1 or loose:
        shown = ", ".join(tops[:5]) + (" …" if len(tops) > 5 else "")
        raise BilingualError(
            f"not an Argos package (expected exactly one top-level folder, found {len(tops)}: {shown})", path
        )
    top = tops[0]
    names = {info.filename for info in infos}
    if f"{top}/metadata.json" not in names:
        raise BilingualError(f"not an Argos package (no {top}/metadata.json)", path)
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BilingualError(f"not an Argos package (metadata.json is not valid JSON: {exc})", path) from None
    if not isinstance(metadata, dict):
        raise BilingualError("not an Argos package (metadata.json is not an object)", path)
    found = (metadata.get("from_code"), metadata.get("to_code"))
    if found != (from_code, to_code):
        raise BilingualError(
            f"this package translates {found[0]}→{found[1]}, but a {from_code}→{to_code} package is needed", path
        )
    if f"{top}/model/model.bin" not in names:
        raise BilingualError(f"not an Argos package (no CTranslate2 model: {top}/model/model.bin missing)", path)
    if f"{top}/sentencepiece.model" not in names:
        raise BilingualError(f"not an Argos package ({top}/sentencepiece.model missing)", path)
    return top, metadata


def _remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def install_from_file(
    path: str | Path, *, from_code: str = "zh", to_code: str = "en", directory: Path | None = None
) -> InstalledPackage:
    """Install the ``.argosmodel`` at ``path`` into :func:`packages_dir` (or ``directory``).

    The archive is fully validated first; nothing is written when it is refused.
    The new folder appears atomically (rename) and replaces any older package of
    the same language pair.
    """
    path = Path(path)
    if not path.is_file():
        raise BilingualError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise BilingualError("not an Argos package (not a zip archive)", path)
    destination = packages_dir() if directory is None else Path(directory)
    try:
        with zipfile.ZipFile(path) as archive:
            top, _metadata = _validate_archive(archive, path, from_code, to_code)
            destination.mkdir(parents=True, exist_ok=True)
            with file_lock(destination / ".bilingual-install", timeout=600):
                for stale in destination.glob(_TMP_PREFIX + "*"):
                    _remove_tree(stale)
                for stale in destination.glob(_OLD_PREFIX + "*"):
                    _remove_tree(stale)
                staging = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=destination))
                try:
                    archive.extractall(staging)
                    _install_staged(staging / top, destination / top, destination, from_code, to_code)
                finally:
                    _remove_tree(staging)
    except zipfile.BadZipFile as exc:
        raise BilingualError(f"not an Argos package (corrupt zip archive: {exc})", path) from None
    except OSError as exc:
        raise BilingualError(f"could not install the package into {destination}: {exc.strerror or exc}", path) from None
    package = read_package(destination / top)
    assert package is not None
    return package


def _install_staged(new: Path, target: Path, destination: Path, from_code: str, to_code: str) -> None:
    """Rename ``new`` to ``target``; move aside the previous ``target`` and other packages of the pair."""
    replaced: list[Path] = []
    others = [
        p.path
        for p in list_installed(destination)
        if p.from_code == from_code and p.to_code == to_code and p.path != target
    ]
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=destination)) / target.name
        os.rename(target, aside)
        replaced.append(aside.parent)
    try:
        os.rename(new, target)
    except OSError:
        if replaced:  # put the previous version back
            os.rename(replaced[0] / target.name, target)
        raise
    for old in others:
        aside = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=destination))
        os.rename(old, aside / old.name)
        replaced.append(aside)
    for folder in replaced:
        _remove_tree(folder)


# --------------------------------------------------------------------------- install from the index


def _network_error(what: str, url: str, exc: BaseException) -> BilingualError:
    reason = getattr(exc, "reason", None) or exc
    return BilingualError(
        f"{what} ({url}: {reason}); run 'bilingual models install' when online, "
        f"or install offline with {OFFLINE_HINT}"
    )


def fetch_index(url: str | None = None) -> list[dict]:
    """Download and parse the Argos package index (a JSON list of package metadata)."""
    url = url or package_index_url()
    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
    try:
        with urllib.request.urlopen(request, timeout=_NETWORK_TIMEOUT) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _network_error("the Argos package index could not be reached", url, exc) from None
    try:
        index = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BilingualError(f"the Argos package index at {url} is not valid JSON; install offline with {OFFLINE_HINT}") from None
    if not isinstance(index, list):
        raise BilingualError(f"the Argos package index at {url} is not a list of packages")
    return [entry for entry in index if isinstance(entry, dict)]


def _download(url: str, target: Path, progress: bool, label: str) -> None:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
    with urllib.request.urlopen(request, timeout=_NETWORK_TIMEOUT) as response, open(target, "wb") as out:
        total = response.headers.get("Content-Length")
        total_bytes = int(total) if total and total.isdigit() else None
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        console = Console(stderr=True)
        with Progress(*columns, console=console, disable=not progress, transient=False) as bar:
            task = bar.add_task(label, total=total_bytes)
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                out.write(chunk)
                bar.advance(task, len(chunk))
        out.flush()
        os.fsync(out.fileno())
        if total_bytes is not None and out.tell() != total_bytes:
            raise OSError(f"download truncated ({out.tell()} of {total_bytes} bytes)")


def install_from_index(from_code: str = "zh", to_code: str = "en", progress: bool = True) -> InstalledPackage:
    """Download the ``from_code``→``to_code`` package from the Argos index and install it.

    The index is ``ARGOS_PACKAGE_INDEX`` (as in argostranslate). The download is
    shown with a progress bar and then goes through :func:`install_from_file`, so
    a downloaded package gets the same safety checks as a local file.
    """
    url = package_index_url()
    entries = [e for e in fetch_index(url) if e.get("from_code") == from_code and e.get("to_code") == to_code]
    if not entries:
        raise BilingualError(f"the Argos package index ({url}) has no {from_code}→{to_code} package")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version") or "")))
    links = [link for link in entry.get("links") or [] if isinstance(link, str)]
    if not links:
        raise BilingualError(f"the Argos package index lists a {from_code}→{to_code} package without download links")
    destination = packages_dir()
    destination.mkdir(parents=True, exist_ok=True)
    version = entry.get("package_version") or "?"
    label = f"translate-{from_code}_{to_code} {version}"
    last_error: BaseException | None = None
    fd, tmp_name = tempfile.mkstemp(prefix=".bilingual-download-", suffix=".argosmodel", dir=destination)
    os.close(fd)
    download = Path(tmp_name)
    try:
        for link in links:
            try:
                _download(link, download, progress, label)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                last_error = exc
                continue
            return install_from_file(download, from_code=from_code, to_code=to_code)
        assert last_error is not None
        raise _network_error(f"the {from_code}→{to_code} package could not be downloaded", links[-1], last_error)
    finally:
        with contextlib.suppress(FileNotFoundError):
            download.unlink()
