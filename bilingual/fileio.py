"""Reading the user's files and writing ours: the only way this project touches the disk.

A translator's PO file is days of work, and the project runs in CI as root, so
every file operation here is defensive, the way coreutils and msgmerge are:

* **Reads are bounded.** :func:`read_bytes` refuses a regular file larger than the
  size limit (``--max-size``, default :data:`DEFAULT_MAX_SIZE`) before reading it,
  and reads a character device or FIFO (``/dev/zero``, a pipe) only up to the
  limit, so an endless source ends in one line, not in the OOM killer. Every file
  read is remembered as an *input* of the command (device and inode).
* **No command writes over one of its inputs.** :func:`check_outputs` (called by
  every command with its outputs and inputs before any work) and every write
  compare the target's device and inode with the inputs, so
  ``bilingual build doc.en.po -o doc.en.po`` is refused instead of replacing the
  reviewed PO with Markdown.
* **Writes are atomic and go where the user meant.** :func:`atomic_write_bytes`
  writes a temporary file in the target's folder, fsyncs it, renames it over the
  target and fsyncs the folder: an interrupted run (Ctrl-C, SIGTERM, a full disk,
  ``kill -9``) leaves the previous file or the complete new one. A symbolic link
  is resolved and the file it points to is replaced (the link stays a link). A
  character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written
  through, as ``cat > /dev/stdout`` does, and never renamed over; a folder, a
  block device or a socket is refused.
* **Locks never follow links.** :func:`file_lock` locks ``<target>.lock`` beside the
  resolved target (two names of one file take one lock) with the ``filelock``
  library, which opens the lock file with ``O_NOFOLLOW`` (Unix) or refuses reparse
  points (Windows); a planted symbolic link is refused. No ``fcntl`` import: the CLI
  runs on Windows (``LockFileEx``) and falls back to ``filelock``'s soft lock where
  ``flock`` is missing.
* **Leftovers are cleaned, failures are one line.** A temporary file left by a
  killed run (``.<name>.XXXXXXXX.tmp``) is removed by the next write of that file:
  at once under the file's lock (a PO file: a live one exists only while its writer
  holds the lock), else once it is :data:`STALE_AFTER` seconds old. A full
  disk, a read-only folder or a path under a file is a :class:`FileAccessError`
  (exit 2) and no temporary file is left behind.
* **What was written is known.** :func:`written_files` lists the files this process
  replaced, so an interrupted run can say what is true.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BilingualError
from .sizes import human_size, parse_size  # noqa: F401 - re-exported

#: Default limit on the size of one input file (raw bytes): ``--max-size`` changes it.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
_READ_CHUNK = 1 << 20
#: A temporary file of ours older than this (seconds) is a leftover of a killed run.
STALE_AFTER = 600

_max_size = DEFAULT_MAX_SIZE
_inputs: dict[tuple[int, int], str] = {}  # (st_dev, st_ino) of regular files read -> path as given
_written: list[str] = []  # files replaced or written through by this process, in order
_partial: list[str] = []  # devices/FIFOs whose write-through was interrupted
_held: dict[str, int] = {}  # resolved target -> nesting depth of locks.file_lock in this process


class FileAccessError(BilingualError):
    """A file could not be read or written at all (missing, permissions, a folder, too big, a device).

    ``missing`` tells a file that does not exist from one that exists but cannot be used.
    """

    def __init__(self, message: str, path: str | Path | None = None, *, missing: bool = False):
        super().__init__(message, path)
        self.missing = missing


# --------------------------------------------------------------------------- sizes


def set_max_size(size: int) -> None:
    """Set the limit :func:`read_bytes` applies (the CLI's ``--max-size``)."""
    global _max_size
    _max_size = int(size)


def max_size() -> int:
    return _max_size


# --------------------------------------------------------------------------- reading


def _access_error(exc: OSError, path: str | Path, verb: str = "read") -> FileAccessError:
    if isinstance(exc, FileNotFoundError):
        return FileAccessError("no such file", path, missing=True)
    if isinstance(exc, IsADirectoryError):
        return FileAccessError("is a directory, not a file", path)
    if isinstance(exc, NotADirectoryError):
        return FileAccessError(f"cannot {verb}: a part of the path is a file, not a folder", path)
    if isinstance(exc, PermissionError):
        return FileAccessError(f"cannot {verb}: permission denied", path)
    return FileAccessError(f"cannot {verb}: {exc.strerror or exc}", path)


def read_bytes(path: str | Path, *, limit: int | None = None) -> bytes:
    """The bytes of ``path``, at most ``limit`` (default: the ``--max-size`` limit).

    A regular file over the limit is refused before it is read; a character device
    or FIFO is read up to the limit and refused past it. A folder, a block device or
    a socket is refused. The file is remembered as an input of this command.
    """
    limit = _max_size if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _access_error(exc, path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileAccessError("is a directory, not a file", path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise FileAccessError(f"is a {_kind(info.st_mode)}, not a file; refusing to read it", path)
        if stat.S_ISREG(info.st_mode):
            if info.st_size > limit:
                raise _too_big(path, limit, info.st_size)
            _inputs[(info.st_dev, info.st_ino)] = str(path)
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - total))
            except OSError as exc:
                raise _access_error(exc, path) from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_big(path, limit, None)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_big(path: str | Path, limit: int, size: int | None) -> FileAccessError:
    what = f"is {human_size(size)}" if size is not None else "goes on"
    return FileAccessError(
        f"{what}, over the input size limit of {human_size(limit)}; "
        f"raise it with --max-size if this file is really a document", path)


def read_existing(path: str | Path, *, limit: int | None = None) -> bytes | None:
    """The current content of an output file we are about to update (a PO file), or ``None``.

    ``None`` when it does not exist, or is a character device or FIFO (written through,
    never read back as a PO file). Not remembered as an input: it is the output.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _access_error(exc, path) from None
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return None
    data = read_bytes(path, limit=limit)
    _inputs.pop((info.st_dev, info.st_ino), None)
    return data


def file_sha256(path: str | Path, *, limit: int | None = None) -> str | None:
    """SHA-256 of a regular file's bytes, read in chunks; ``None`` when it does not exist or is
    not a regular file (a device or FIFO is written through, never hashed). Not remembered as an
    input. ``limit``: a larger file is refused, as :func:`read_bytes` refuses it (the run state
    hashes a PO file a run would otherwise read: ``--max-size`` must not depend on the state)."""
    import hashlib

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _access_error(exc, path) from None
    if not stat.S_ISREG(info.st_mode):
        return None
    if limit is not None and info.st_size > limit:
        raise _too_big(path, limit, info.st_size)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(_READ_CHUNK), b""):
                digest.update(chunk)
    except OSError as exc:
        raise _access_error(exc, path) from None
    return digest.hexdigest()


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISFIFO, "FIFO"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Target:
    """Where a write to ``given`` really goes: ``path`` (links resolved) and ``kind``.

    ``kind`` is ``"file"`` (an existing regular file: replaced atomically), ``"new"``
    (created atomically) or ``"device"`` (a character device or FIFO: written through).
    """

    given: Path
    path: Path
    kind: str


def output_target(path: str | Path) -> Target:
    """Resolve and vet an output path; raise :class:`FileAccessError` if it cannot be written.

    Refused: a folder, a block device, a socket, a path under a file, and any file
    this command has read as an input.
    """
    given = Path(path)
    real = Path(os.path.realpath(given))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        _check_parent(given, real)
        return Target(given, real, "new")
    except OSError as exc:
        raise _access_error(exc, given, "write") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileAccessError("is a directory; give a file name to write", given)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return Target(given, real, "device")
    if not stat.S_ISREG(info.st_mode):
        raise FileAccessError(f"is a {_kind(info.st_mode)}, not a file; refusing to write to it", given)
    role = _inputs.get((info.st_dev, info.st_ino))
    if role is not None:
        same = "" if os.path.realpath(role) == str(real) else f" ({role})"
        raise FileAccessError(f"is also an input of this command{same}; refusing to write over it", given)
    return Target(given, real, "file")


def _check_parent(given: Path, real: Path) -> None:
    """A new file's nearest existing ancestor must be a folder (else: 'a path under a file')."""
    for parent in real.parents:
        try:
            info = os.stat(parent)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise _access_error(exc, given, "write") from None
        if not stat.S_ISDIR(info.st_mode):
            raise FileAccessError(f"cannot write: {parent} is a file, not a folder", given)
        return


def check_outputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path] = ()) -> list[Target]:
    """Vet every output of a command before it does any work.

    ``inputs`` are files the command will read (sources, PO files, glossary files,
    memories, configs; a folder stands for the files in it); an output that is one
    of them — by device and inode, so through links and ``..`` too — is refused, as
    is an output named twice.
    """
    for item in inputs:
        with contextlib.suppress(OSError):
            info = os.stat(item)
            if stat.S_ISDIR(info.st_mode):
                check_outputs((), [entry.path for entry in os.scandir(item) if entry.is_file()])
            elif stat.S_ISREG(info.st_mode):
                _inputs.setdefault((info.st_dev, info.st_ino), str(item))
    targets = [output_target(path) for path in outputs]
    seen: dict[str, Path] = {}
    for target in targets:
        if target.kind != "device" and str(target.path) in seen:
            raise FileAccessError(f"is the same file as the output {seen[str(target.path)]}; "
                                  "two outputs would overwrite each other", target.given)
        seen[str(target.path)] = target.given
    return targets


def forget_inputs() -> None:
    """Forget the inputs remembered so far (tests run several commands in one process)."""
    _inputs.clear()


# --------------------------------------------------------------------------- writing


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temp file + fsync + rename under the file's lock (never a partial file).

    A link is written through to its target; a character device or FIFO is written
    through without a rename; an input of this command is never overwritten.
    """
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: str | Path, chunks: Iterable[bytes]) -> None:
    """:func:`atomic_write_bytes` of ``b"".join(chunks)``, written as the chunks come: a large
    file (a 230 MB PO file) is never held whole in memory. Same promises: the target is
    replaced by rename only once every chunk is written and fsynced; an exception raised by
    ``chunks`` (or a full disk) leaves the old file and no temporary file."""
    target = output_target(path)
    if target.kind == "device":
        _write_through(target, chunks)
        return
    folder = target.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _access_error(exc, path, "create the folder") from None
    _remove_stale_temps(target.path, locked=bool(_held.get(str(target.path))))
    # Ctrl-C raises KeyboardInterrupt as soon as the system call it interrupted returns: the temp
    # file's name is known before it is created, and the rename is told by the temp file being
    # gone, so an interrupt right after either call still cleans up and reports the truth.
    tmp = ""
    identity = None  # (device, inode) of the complete temp file, once it is ready to be renamed
    try:
        try:
            for _ in range(100):  # mkstemp's loop: exclusive, mode 0600, no link followed
                tmp = _temp_name(folder, target.path.name)
                try:
                    fd = os.open(tmp, _TEMP_FLAGS, 0o600)
                    break
                except FileExistsError:
                    tmp = ""  # another writer's
            else:
                raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(folder))
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
                info = os.fstat(handle.fileno())
            _copy_permissions(tmp, target)
            identity = (info.st_dev, info.st_ino)
            os.replace(tmp, target.path)
        except OSError as exc:
            raise _access_error(exc, path, "write") from None
    except BaseException:
        if tmp:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                with contextlib.suppress(OSError):
                    now = os.stat(target.path)
                    if identity == (now.st_dev, now.st_ino):  # the rename happened: the new file is in place
                        _written.append(str(path))
            except OSError:
                pass
        raise
    _written.append(str(path))
    _fsync_folder(folder)


_TEMP_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEMP_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))


def _temp_name(folder: Path, name: str) -> str:
    """``.<name>.XXXXXXXX.tmp`` in ``folder``, as ``tempfile.mkstemp`` names it (and
    :func:`_remove_stale_temps` recognises it); chosen before the file is created."""
    import secrets

    return os.path.join(folder, f".{name}.{''.join(secrets.choice(_TEMP_LETTERS) for _ in range(8))}.tmp")


def _copy_permissions(tmp: str, target: Target) -> None:
    """The new file gets the old one's mode and, where allowed, its owner (0o644 for a new file)."""
    if target.kind != "file":
        os.chmod(tmp, 0o644)
        return
    info = os.stat(target.path)
    os.chmod(tmp, info.st_mode & 0o7777)
    if hasattr(os, "getuid") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        # A file shared with a team (group-writable, or owned by a translator when root
        # runs the pipeline) keeps its owner; only root may give a file away, so an
        # ordinary user keeps at least the group where they belong to it.
        with contextlib.suppress(PermissionError):
            os.chown(tmp, info.st_uid, info.st_gid)


def atomic_write_text(path: str | Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _write_through(target: Target, chunks: Iterable[bytes]) -> None:
    """Write to a character device or FIFO as ``cat > DEVICE`` does: no temp file, no rename, no truncation."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fifo = stat.S_ISFIFO(os.stat(target.path).st_mode)
    try:
        fd = os.open(target.path, flags | (os.O_NONBLOCK if fifo else 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise FileAccessError("is a FIFO that nobody is reading; start the reader first", target.given) from None
        raise _access_error(exc, target.given, "write") from None
    try:
        info = os.fstat(fd)
        if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):  # swapped since output_target()
            raise FileAccessError("changed while it was being opened; nothing written", target.given)
        if fifo:
            os.set_blocking(fd, True)
        _partial.append(str(target.given))
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                try:
                    written = os.write(fd, view)
                except OSError as exc:
                    raise _access_error(exc, target.given, "write") from None
                view = view[written:]
        _partial.remove(str(target.given))
        _written.append(str(target.given))
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows has no folder handles to fsync."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temps(target: Path, *, locked: bool) -> None:
    """Remove ``.<name>.XXXXXXXX.tmp`` files a killed run left beside ``target``.

    Under the target's lock (``locked``: a PO file during ``translate``) every such file
    is a leftover: a live one exists only while its writer holds the lock. Without
    it (a build output), only those older than :data:`STALE_AFTER` seconds: a write
    takes milliseconds from temp file to rename.
    """
    pattern = re.compile(r"\." + re.escape(target.name) + r"\.[a-z0-9_]{8}\.tmp")
    cutoff = time.time() - STALE_AFTER
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    if locked or entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)


def written_files() -> list[str]:
    """Files this process has written (replaced or written through), in order."""
    return list(_written)


def partially_written() -> list[str]:
    """Devices or FIFOs whose write-through was interrupted part-way."""
    return list(_partial)


from .locks import file_lock  # noqa: E402,F401 - re-exported (locks.py uses this module's errors)
