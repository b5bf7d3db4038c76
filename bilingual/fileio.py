"""Atomic writes and advisory locks: the only way this project writes files.

A translator's PO file is days of work. Every write goes to a temporary file in
the same folder, is flushed and fsynced, then renamed over the target, so an
interrupted run (Ctrl-C, SIGTERM, a full disk) leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import BilingualError


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file + rename (never a partial file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            info = path.stat()
            os.chmod(tmp, info.st_mode & 0o7777)
            if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                # A file shared with a team (group-writable, or owned by a translator when root
                # runs the pipeline) keeps its owner; only root may give a file away, so an
                # ordinary user keeps at least the group where they belong to it.
                with contextlib.suppress(PermissionError):
                    os.chown(tmp, info.st_uid, info.st_gid)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def file_lock(target: str | Path, timeout: float = 0.0) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``target`` (via ``target.lock``).

    Two ``bilingual translate`` runs on the same PO file would otherwise both read
    the old file and the second rename would silently drop the first run's work.
    With ``timeout`` 0 the second run fails at once with a clear message.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.with_name(target.name + ".lock")
    deadline = time.monotonic() + timeout
    with open(lock_path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise BilingualError(
                        "another bilingual run is writing this file; try again when it has finished",
                        target,
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
