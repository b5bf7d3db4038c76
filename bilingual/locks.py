"""One run per PO file: an exclusive lock beside the resolved target (``<file>.lock``).

Two ``bilingual translate`` runs on the same PO file would otherwise both read the old file,
and the second rename would silently drop the first run's work. Uses ``filelock``; errors
are :mod:`bilingual.fileio`'s one-line :class:`~bilingual.fileio.FileAccessError`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import BilingualError
from .fileio import FileAccessError, _access_error, _held, _kind


def _filelock_module():
    import warnings

    with warnings.catch_warnings():  # "only soft file lock is available" where flock is missing
        warnings.simplefilter("ignore")
        import filelock
    return filelock


def _file_lock(target: str | Path, timeout: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` (via ``<resolved target>.lock``) for this process.

    Two ``bilingual translate`` runs on the same PO file would otherwise both read
    the old file and the second rename would silently drop the first run's work.
    With ``timeout`` 0 the second run fails at once with a clear message. Re-entrant
    within one process; a character device or FIFO target takes no lock (nothing
    is created beside ``/dev/null``); the lock file is never opened through a link.
    """
    given = Path(target)
    real = Path(os.path.realpath(given))
    with contextlib.suppress(OSError):
        mode = os.stat(real).st_mode
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            yield
            return
    key = str(real)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _access_error(exc, given, "create the folder") from None
    lock_path = real.with_name(real.name + ".lock")
    with contextlib.suppress(FileNotFoundError):
        mode = os.lstat(lock_path).st_mode
        if not stat.S_ISREG(mode):
            raise FileAccessError(f"is a {_kind(mode)}, not a lock file; refusing to use it (remove it if "
                                  "no bilingual run is active)", lock_path)
    filelock = _filelock_module()
    lock = filelock.FileLock(str(lock_path), timeout=timeout, mode=0o644)
    try:
        lock.acquire(timeout=max(timeout, 0.0), poll_interval=0.1)
    except filelock.Timeout:
        raise BilingualError("another bilingual run is writing this file; try again when it has finished",
                             given) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(lock_path):
            raise FileAccessError("is a symbolic link, not a lock file; refusing to use it", lock_path) from None
        raise _access_error(exc, lock_path, "create the lock file") from None
    _held[key] = 1
    try:
        yield
    finally:
        _held.pop(key, None)
        with contextlib.suppress(OSError):
            lock.release()


# Wrapped by a call, not a decorator: mutmut (make mutation) leaves decorated functions unmutated.
file_lock = contextlib.contextmanager(_file_lock)
