"""The Argos package index: pick the zh→en package, download it with a cap, install it.

The only network use of bilingual, and only when asked (``bilingual models
install``, or ``translate --install-model``). The index is read with
argostranslate's own model of an entry (``AvailablePackage``, via
:mod:`.argos_api`); the newest version wins, compared as argostranslate compares
them (``packaging.version``). The index (at most :data:`MAX_INDEX_BYTES`) and the
package (at most :data:`~.archive.MAX_PACKAGE_BYTES`) are fetched with a timeout,
streamed to a temporary file beside the packages and installed through
:func:`~.archive.install_from_file`, so a downloaded package gets exactly the
checks a local file gets. A failure names both ways out: retry online, or
``--from FILE.argosmodel`` offline.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import BilingualError
from .archive import MAX_PACKAGE_BYTES, install_from_file

OFFLINE_HINT = "'bilingual models install --from FILE.argosmodel'"
MAX_INDEX_BYTES = 10 << 20
_NETWORK_TIMEOUT = 30.0
_USER_AGENT = "ArgosTranslate"  # what argostranslate sends (argostranslate.networking)


def _network_error(what: str, url: str, exc: BaseException) -> BilingualError:
    reason = getattr(exc, "reason", None) or exc
    return BilingualError(
        f"{what} ({url}: {reason}); run 'bilingual models install' when online, "
        f"or install offline with {OFFLINE_HINT}"
    )


def fetch_index(url: str | None = None) -> list[dict]:
    """Download and parse the Argos package index (a JSON list of package metadata)."""
    from . import package_index_url

    url = url or package_index_url()
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=_NETWORK_TIMEOUT) as response:
            data = response.read(MAX_INDEX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _network_error("the Argos package index could not be reached", url, exc) from None
    if len(data) > MAX_INDEX_BYTES:
        raise BilingualError(f"the Argos package index at {url} is larger than {MAX_INDEX_BYTES >> 20} MB; "
                             f"install offline with {OFFLINE_HINT}")
    try:
        index = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BilingualError(f"the Argos package index at {url} is not valid JSON; install offline with {OFFLINE_HINT}") from None
    if not isinstance(index, list):
        raise BilingualError(f"the Argos package index at {url} is not a list of packages")
    return [entry for entry in index if isinstance(entry, dict)]


def _newest(candidates: list):
    """The newest package, by ``packaging.version`` (as argostranslate), else by our version key."""
    from packaging.version import InvalidVersion, Version

    from . import _version_key

    def key(package):
        try:
            return (1, Version(str(package.package_version or "0")), ())
        except InvalidVersion:
            return (0, Version("0"), _version_key(str(package.package_version or "")))

    return max(candidates, key=key)


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

    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with urllib.request.urlopen(request, timeout=_NETWORK_TIMEOUT) as response, open(target, "wb") as out:
        total = response.headers.get("Content-Length")
        total_bytes = int(total) if total and total.isdigit() else None
        if total_bytes is not None and total_bytes > MAX_PACKAGE_BYTES:
            raise ValueError(f"the package is {total_bytes >> 20} MB, more than a package may be")
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), disable=not progress, transient=False) as bar:
            task = bar.add_task(label, total=total_bytes)
            while chunk := response.read(1 << 16):
                out.write(chunk)
                if out.tell() > MAX_PACKAGE_BYTES:
                    raise ValueError("the download goes on past the largest size a package may have")
                bar.advance(task, len(chunk))
        out.flush()
        os.fsync(out.fileno())
        if total_bytes is not None and out.tell() != total_bytes:
            raise OSError(f"download truncated ({out.tell()} of {total_bytes} bytes)")


def install_from_index(from_code: str = "zh", to_code: str = "en", progress: bool = True):
    """Download the ``from_code``→``to_code`` package from the Argos index and install it.

    The index is ``ARGOS_PACKAGE_INDEX`` (as in argostranslate). The download is
    shown with a progress bar and then goes through :func:`install_from_file`, so
    a downloaded package gets the same safety checks as a local file.
    """
    from . import package_index_url, packages_dir
    from .argos_api import argospm_name, available_packages

    url = package_index_url()
    candidates = [p for p in available_packages(fetch_index(url))
                  if (p.from_code, p.to_code) == (from_code, to_code) and (p.type or "translate") == "translate"]
    if not candidates:
        raise BilingualError(f"the Argos package index ({url}) has no {from_code}→{to_code} package")
    package = _newest(candidates)
    links = [link for link in package.links or [] if isinstance(link, str)]
    if not links:
        raise BilingualError(f"the Argos package index lists a {from_code}→{to_code} package without download links")
    destination = packages_dir()
    destination.mkdir(parents=True, exist_ok=True)
    label = f"{argospm_name(package)} {package.package_version or '?'}"
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
