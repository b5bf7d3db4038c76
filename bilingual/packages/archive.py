"""Installing an ``.argosmodel`` file: check everything, extract with a cap, rename into place.

An archive is refused, with one line and nothing written, when

* a member is unsafe: an absolute path, ``..``, a backslash, a NUL or control
  character, a symbolic link or another special file, a name given twice;
* it is not one package: not exactly one top folder, or a top folder whose name
  could not be an installed package (``.hidden`` folders are never listed; a name
  like the install lock would break later installs; only letters, digits and
  ``._+-`` are allowed);
* it would expand too much: more than :data:`MAX_PACKAGE_RATIO` times the archive
  (a real zh→en package expands about 1.3:1: int8 weights do not compress), more
  than :data:`MAX_PACKAGE_BYTES`, or more than the free space of the packages folder;
* it is not a zh→en Argos package (metadata, model, SentencePiece model), or
  argostranslate cannot load what was extracted (:func:`.argos_api.load_package`).

The sizes checked are the declared ones (the central directory), before anything
is extracted; extraction then writes at most the declared size of each member
(Python's ``zipfile`` stops there and a lying header fails its CRC) and stops at
the declared total. Extraction goes to a temporary folder in the packages folder,
under an install lock, and the package appears by one rename, replacing older
packages of the same language pair.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import BilingualError
from ..fileio import human_size

#: An archive may expand to this many times its own size (a real zh→en package: about 1.3).
MAX_PACKAGE_RATIO = 4.0
#: Small archives may expand to this much whatever the ratio (metadata and vocabularies compress well).
_RATIO_FLOOR = 16 << 20
#: Largest package (all members, uncompressed) installed.
MAX_PACKAGE_BYTES = 8 << 30
#: Most members an archive may have (a package has about ten).
MAX_MEMBERS = 10_000
#: Free space kept on the packages folder's disk after an install.
_SPACE_MARGIN = 64 << 20

_TMP_PREFIX = ".bilingual-installing-"
_OLD_PREFIX = ".bilingual-replaced-"
_LOCK_NAME = ".bilingual-install"
_FOLDER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "'..' in path"
    if "\\" in name:
        return "backslash in path"
    if "\x00" in name:
        return "NUL byte in name"
    if _CONTROL_RE.search(name):
        return "control character in name"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special file"
    return None


def folder_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the folder of an installed package, or ``None``."""
    if name.startswith("."):
        return "a hidden folder, which is never listed as a package"
    if name.endswith(".lock") or name.startswith(_LOCK_NAME.lstrip(".")):
        return "named like the install lock"
    if not _FOLDER_RE.fullmatch(name):
        return "not a plain folder name (letters, digits and ._+- only)"
    return None


def _check_sizes(infos: list[zipfile.ZipInfo], path: Path, destination: Path) -> int:
    """Refuse an archive that would expand too much; return the declared total."""
    total = sum(info.file_size for info in infos)
    archive_size = path.stat().st_size
    if total > MAX_PACKAGE_BYTES:
        raise BilingualError(f"expands to {human_size(total)}, more than the {human_size(MAX_PACKAGE_BYTES)} "
                             "a package may have; refused before anything is extracted", path)
    if total > max(MAX_PACKAGE_RATIO * archive_size, _RATIO_FLOOR):
        raise BilingualError(f"expands {total / max(archive_size, 1):.0f}:1 ({human_size(archive_size)} → "
                             f"{human_size(total)}); a model package expands about 1.3:1, so this is refused "
                             "as a ZIP bomb before anything is extracted", path)
    with contextlib.suppress(OSError):
        free = shutil.disk_usage(destination).free
        if total + _SPACE_MARGIN > free:
            raise BilingualError(f"needs {human_size(total)} but {destination} has {human_size(free)} free; "
                                 "nothing was extracted", path)
    return total


def validate_archive(archive: zipfile.ZipFile, path: Path, from_code: str, to_code: str,
                     destination: Path) -> tuple[str, dict, int]:
    """Check every member, the sizes and the package layout: (top folder, metadata, total). Extracts nothing."""
    infos = archive.infolist()
    if not infos:
        raise BilingualError("not an Argos package (empty archive)", path)
    if len(infos) > MAX_MEMBERS:
        raise BilingualError(f"not an Argos package ({len(infos)} members)", path)
    seen: set[str] = set()
    for info in infos:
        reason = _unsafe_reason(info)
        if reason is None and info.filename.rstrip("/") in seen:
            reason = "name given twice"
        if reason:
            raise BilingualError(
                f"unsafe archive member {info.filename!r} ({reason}); refused before anything is extracted", path
            )
        seen.add(info.filename.rstrip("/"))
    tops = sorted({PurePosixPath(info.filename).parts[0] for info in infos if PurePosixPath(info.filename).parts})
    loose = [info.filename for info in infos if "/" not in info.filename.rstrip("/") and not info.is_dir()]
    if len(tops) != 1 or loose:
        shown = ", ".join(tops[:5]) + (" …" if len(tops) > 5 else "")
        raise BilingualError(
            f"not an Argos package (expected exactly one top-level folder, found {len(tops)}: {shown})", path
        )
    top = tops[0]
    problem = folder_name_problem(top)
    if problem:
        raise BilingualError(f"not an Argos package: its folder {top!r} is {problem}", path)
    total = _check_sizes(infos, path, destination)
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
    return top, metadata, total


def extract_capped(archive: zipfile.ZipFile, staging: Path, total: int, path: Path) -> None:
    """Extract every (validated) member into ``staging``, writing no more than the declared sizes."""
    budget = total
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for info in archive.infolist():
        target = staging.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, os.fdopen(os.open(target, flags, 0o644), "wb") as out:
            written = 0
            while chunk := source.read(1 << 20):
                written += len(chunk)
                budget -= len(chunk)
                if written > info.file_size or budget < 0:
                    raise BilingualError(f"member {info.filename!r} holds more than it declares; refused", path)
                out.write(chunk)


def _remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def install_from_file(path: str | Path, *, from_code: str = "zh", to_code: str = "en",
                      directory: Path | None = None):
    """Install the ``.argosmodel`` at ``path`` into :func:`packages_dir` (or ``directory``).

    The archive is fully validated first; nothing is written when it is refused.
    The new folder appears atomically (rename) and replaces any older package of
    the same language pair.
    """
    from ..fileio import file_lock
    from . import packages_dir, read_package
    from .argos_api import load_package

    path = Path(path)
    if not path.is_file():
        raise BilingualError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise BilingualError("not an Argos package (not a zip archive)", path)
    destination = packages_dir() if directory is None else Path(directory)
    try:
        with zipfile.ZipFile(path) as archive:
            top, _metadata, total = validate_archive(archive, path, from_code, to_code,
                                                     _existing_ancestor(destination))
            destination.mkdir(parents=True, exist_ok=True)
            with file_lock(destination / _LOCK_NAME, timeout=600):
                for stale in (*destination.glob(_TMP_PREFIX + "*"), *destination.glob(_OLD_PREFIX + "*")):
                    _remove_tree(stale)
                staging = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=destination))
                try:
                    extract_capped(archive, staging, total, path)
                    try:
                        load_package(staging / top)
                    except Exception as exc:  # argostranslate / SentencePiece: many types for a broken package
                        raise BilingualError(f"not an Argos package: argostranslate cannot load it "
                                             f"({type(exc).__name__}: {exc})", path) from None
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


def _existing_ancestor(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return folder


def _install_staged(new: Path, target: Path, destination: Path, from_code: str, to_code: str) -> None:
    """Rename ``new`` to ``target``; move aside the previous ``target`` and other packages of the pair."""
    from . import list_installed

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
