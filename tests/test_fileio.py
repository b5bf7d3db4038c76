"""bilingual.fileio in-process: bounded reads, vetted outputs, atomic writes, locks.

The CLI-level promises (one-line errors, exit 2, nothing left behind) are tested through
the command in test_safety_files.py; these tests pin the same rules at the functions that
implement them, in the test process, so mutation testing (``make mutation``) can attribute
them: each asserts what a user sees (the bytes read, the file on disk, its mode and owner,
the message), not an internal value.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import stat
import threading
import time
from pathlib import Path

import pytest

from bilingual import fileio
from bilingual.errors import BilingualError
from bilingual.fileio import FileAccessError

NOBODY = 65534  # uid and gid of nobody/nogroup on Debian


def _record_open_flags(monkeypatch, target) -> list[int]:
    """The flags of every ``os.open`` of ``target`` from now on (other files open as usual)."""
    real_open = os.open
    opened: list[int] = []

    def recording(path, flags, *args):
        if str(path) == str(target):
            opened.append(flags)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", recording)
    return opened


@pytest.fixture(autouse=True)
def _fresh_inputs():
    fileio.forget_inputs()
    yield
    fileio.forget_inputs()
    fileio.set_max_size(fileio.DEFAULT_MAX_SIZE)


def _message(excinfo, path) -> str:
    """The message of a one-line error, after checking it names ``path`` (the file as the user gave it)."""
    assert excinfo.value.path == str(path)
    return excinfo.value.message


def _char_device(path: Path, minor: int) -> Path:
    """A character device node in the test folder: minor 3 is /dev/null's device, 5 /dev/zero's."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def _feed_fifo(path: Path, data: bytes) -> threading.Thread:
    """Open ``path`` for writing in a thread (it blocks until a reader opens it) and write ``data``."""

    def write():
        with open(path, "wb") as handle:
            handle.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _write_to_read_fifo(path: Path, data: bytes, read_after: float = 0.0) -> bytes:
    """``atomic_write_bytes(path, data)`` in a thread while this thread holds the FIFO open for
    reading (opened first, so the writer never finds it without a reader); what the reader got.
    ``read_after``: seconds the reader waits before its first read (a slow reader)."""
    import select

    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    errors: list[BaseException] = []

    def write():
        try:
            fileio.atomic_write_bytes(path, data)
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(read_after)
    chunks: list[bytes] = []
    try:
        while True:
            select.select([reader], [], [], 0.05)
            try:
                chunk = os.read(reader, 1 << 16)
            except BlockingIOError:
                chunk = None
            if chunk:
                chunks.append(chunk)
            elif not writer.is_alive():
                break
    finally:
        os.close(reader)
    writer.join(10)
    if errors:
        raise errors[0]
    return b"".join(chunks)


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(("text", "size"), [
    ("50M", 50 * 1024 * 1024), ("2G", 2 * 1024 ** 3), ("800K", 800 * 1024), ("100", 100),
    ("1.5M", 1572864), (" 10 MiB ", 10 * 1024 * 1024), ("3mb", 3 * 1024 * 1024), ("7KB", 7168), ("1", 1),
])
def test_sizes_are_read_as_head_c_reads_them(text, size):
    assert fileio.parse_size(text) == size


@pytest.mark.parametrize(("text", "why"), [
    ("0", "must be positive"), ("0.0001K", "must be positive"), ("ten", "use e.g. 50M"), ("5T", "use e.g. 50M"),
    ("-5M", "use e.g. 50M"), ("", "use e.g. 50M"), ("5 M B x", "use e.g. 50M"),
])
def test_a_size_that_is_not_one_says_why(text, why):
    with pytest.raises(ValueError) as excinfo:
        fileio.parse_size(text)
    assert str(excinfo.value) == f"not a size: {text!r} ({'must be positive' if 'positive' in why else 'use e.g. 50M, 2G, 800K'})"


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"), (10 * 1024 + 100, "10 KB"),
    (1024 * 1024 - 1, "1024 KB"), (1024 * 1024, "1 MB"), (50 * 1024 * 1024, "50 MB"), (2621440, "2.5 MB"),
    (1 << 30, "1 GB"), (3 << 30, "3 GB"), (int(1.25 * (1 << 30)), "1.2 GB"),
])
def test_sizes_are_shown_as_people_read_them(size, text):
    assert fileio.human_size(size) == text


# --------------------------------------------------------------------------- reading


def test_a_file_at_the_limit_is_read_one_byte_more_is_refused_before_reading(tmp_path):
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"x" * 2048)
    assert fileio.read_bytes(exact, limit=2048) == b"x" * 2048
    fileio.set_max_size(2047)
    assert fileio.max_size() == 2047
    with pytest.raises(FileAccessError) as rounded:
        fileio.read_bytes(exact)
    assert _message(rounded, exact).startswith("is 2 KB, over the input size limit of 2.0 KB; ")
    fileio.set_max_size(1536)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.read_bytes(exact)
    assert str(excinfo.value) == (f"{exact}: is 2 KB, over the input size limit of 1.5 KB; "
                                  "raise it with --max-size if this file is really a document")
    assert not excinfo.value.missing


def test_a_file_larger_than_one_read_chunk_is_read_whole(tmp_path):
    big = tmp_path / "big.txt"
    data = bytes(range(256)) * (5 * 4096 + 3)  # 5 MiB and a bit: several 1 MiB chunks
    big.write_bytes(data)
    assert fileio.read_bytes(big) == data


@pytest.mark.parametrize("extra", [0, 1])
def test_a_fifo_is_read_up_to_the_limit_and_refused_past_it(tmp_path, extra):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = _feed_fifo(fifo, b"y" * (3000 + extra))
    if extra:
        with pytest.raises(FileAccessError) as excinfo:
            fileio.read_bytes(fifo, limit=3000)
        assert _message(excinfo, fifo) == ("goes on, over the input size limit of 2.9 KB; "
                                     "raise it with --max-size if this file is really a document")
    else:
        assert fileio.read_bytes(fifo, limit=3000) == b"y" * 3000
    writer.join(5)


def test_an_endless_character_device_ends_in_one_error(tmp_path):
    zero = _char_device(tmp_path / "zero", 5)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.read_bytes(zero, limit=100)
    assert _message(excinfo, zero).startswith("goes on, over the input size limit of 100 bytes;")


def test_a_fifo_fed_in_pieces_is_limited_by_what_it_gave_in_all(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def write():
        with open(fifo, "wb", buffering=0) as handle:
            handle.write(b"a" * 2000)
            time.sleep(0.2)  # the reader has the first piece alone
            handle.write(b"b" * 2000)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(FileAccessError) as excinfo:
        fileio.read_bytes(fifo, limit=3000)
    assert _message(excinfo, fifo).startswith("goes on, over the input size limit of 2.9 KB;")
    writer.join(5)


def test_a_block_device_is_refused_before_it_is_read(tmp_path):
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 0))  # loop0: opens without a backing file
    try:
        os.close(os.open(disk, os.O_RDONLY))
    except OSError as exc:
        pytest.skip(f"no loop device to open here ({exc.strerror})")
    with pytest.raises(FileAccessError) as excinfo:
        fileio.read_bytes(disk)
    assert _message(excinfo, disk) == "is a block device, not a file; refusing to read it"


def test_inputs_are_opened_read_only_without_taking_a_terminal_or_leaking(tmp_path, monkeypatch):
    """A source that is a terminal must not become our controlling terminal (O_NOCTTY); the
    descriptor is not inherited by the processes we start (O_CLOEXEC)."""
    source = tmp_path / "doc.txt"
    source.write_text("x")
    opened = _record_open_flags(monkeypatch, source)
    assert fileio.read_bytes(source) == b"x"
    (flags,) = opened
    assert flags & os.O_ACCMODE == os.O_RDONLY
    assert flags & os.O_NOCTTY and flags & os.O_CLOEXEC
    assert not flags & (os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK)


def test_what_cannot_be_read_is_one_line_naming_the_file(tmp_path):
    with pytest.raises(FileAccessError) as missing:
        fileio.read_bytes(tmp_path / "nothing.txt")
    assert str(missing.value) == f"{tmp_path / 'nothing.txt'}: no such file" and missing.value.missing
    with pytest.raises(FileAccessError) as folder:
        fileio.read_bytes(tmp_path)
    assert _message(folder, tmp_path) == "is a directory, not a file" and not folder.value.missing
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileAccessError) as under:
        fileio.read_bytes(tmp_path / "file" / "x.txt")
    assert _message(under, tmp_path / "file" / "x.txt") == "cannot read: a part of the path is a file, not a folder"


def test_permission_and_other_os_errors_are_named(tmp_path, monkeypatch):
    source = tmp_path / "doc.txt"
    source.write_text("x")
    real_open = os.open

    def failing(error):
        def fake(path, *args, **kwargs):
            if str(path) == str(source):
                raise error
            return real_open(path, *args, **kwargs)
        return fake

    monkeypatch.setattr(os, "open", failing(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(FileAccessError) as denied:
        fileio.read_bytes(source)
    assert _message(denied, source) == "cannot read: permission denied"
    monkeypatch.setattr(os, "open", failing(IsADirectoryError(errno.EISDIR, "Is a directory")))
    with pytest.raises(FileAccessError) as folder:
        fileio.read_bytes(source)
    assert _message(folder, source) == "is a directory, not a file" and not folder.value.missing
    monkeypatch.setattr(os, "open", failing(OSError(errno.EIO, "Input/output error")))
    with pytest.raises(FileAccessError) as io_error:
        fileio.read_bytes(source)
    assert _message(io_error, source) == "cannot read: Input/output error"
    monkeypatch.setattr(os, "open", failing(OSError(errno.EIO, None)))
    with pytest.raises(FileAccessError) as bare:
        fileio.read_bytes(source)
    assert _message(bare, source) == "cannot read: [Errno 5] None"


def test_a_read_error_half_way_is_one_line(tmp_path, monkeypatch):
    source = tmp_path / "doc.txt"
    source.write_text("x" * 10)

    def broken(fd, size):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "read", broken)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.read_bytes(source)
    assert _message(excinfo, source) == "cannot read: Input/output error"


def test_a_socket_is_neither_read_nor_written(tmp_path):
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(FileAccessError) as read:
            fileio.read_bytes(path)
        assert _message(read, path).startswith("cannot read: ")
        with pytest.raises(FileAccessError) as written:
            fileio.atomic_write_text(path, "x")
        assert _message(written, path) == "is a socket, not a file; refusing to write to it"
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_special_files_are_named_by_their_kind():
    kinds = {stat.S_IFBLK: "block device", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device",
             stat.S_IFIFO: "FIFO", stat.S_IFDIR: "folder", stat.S_IFLNK: "symbolic link", 0: "special file"}
    assert {mode: fileio._kind(mode | 0o644) for mode in kinds} == kinds


def test_a_file_read_is_an_input_and_never_an_output(tmp_path):
    source = tmp_path / "source.zh.txt"
    source.write_text("通知")
    other = tmp_path / "other.txt"
    other.write_text("x")
    os.link(source, tmp_path / "second-name.txt")
    assert fileio.read_bytes(source) == "通知".encode()
    with pytest.raises(FileAccessError) as same:
        fileio.output_target(source)
    assert str(same.value) == f"{source}: is also an input of this command; refusing to write over it"
    with pytest.raises(FileAccessError) as linked:
        fileio.atomic_write_text(tmp_path / "second-name.txt", "x")
    assert _message(linked, tmp_path / "second-name.txt") == f"is also an input of this command ({source}); refusing to write over it"
    assert source.read_text() == "通知"
    fileio.atomic_write_text(other, "y")  # a file that was not read is an output like any other
    fileio.forget_inputs()
    fileio.atomic_write_text(source, "written")
    assert source.read_text() == "written"


def test_the_output_being_updated_is_read_but_stays_an_output(tmp_path):
    po = tmp_path / "doc.en.po"
    assert fileio.read_existing(po) is None
    po.write_text("msgid \"\"\n")
    assert fileio.read_existing(po) == b"msgid \"\"\n"
    fileio.atomic_write_text(po, "new")  # not refused: read_existing does not make it an input
    assert po.read_text() == "new"
    with pytest.raises(FileAccessError, match="over the input size limit of 2 bytes"):
        fileio.read_existing(po, limit=2)
    with pytest.raises(FileAccessError) as under:
        fileio.read_existing(po / "x.po")
    assert _message(under, po / "x.po") == "cannot read: a part of the path is a file, not a folder"


def test_a_device_or_fifo_output_is_not_read_back(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    zero = _char_device(tmp_path / "zero", 5)
    assert fileio.read_existing(fifo) is None  # would block until a writer came
    assert fileio.read_existing(zero) is None  # would read forever


# --------------------------------------------------------------------------- outputs


def test_output_targets_resolve_links_and_name_their_kind(tmp_path):
    real = tmp_path / "real.po"
    real.write_text("x")
    link = tmp_path / "link.po"
    link.symlink_to(real)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    null = _char_device(tmp_path / "null", 3)
    new = tmp_path / "a" / "b" / "new.md"
    assert fileio.output_target(link) == fileio.Target(link, real, "file")
    assert fileio.output_target(new) == fileio.Target(new, new, "new")
    assert fileio.output_target(fifo).kind == "device"
    assert fileio.output_target(null).kind == "device"
    with pytest.raises(FileAccessError) as folder:
        fileio.output_target(tmp_path)
    assert str(folder.value) == f"{tmp_path}: is a directory; give a file name to write"
    with pytest.raises(FileAccessError) as under:
        fileio.output_target(real / "x.md")
    assert _message(under, real / "x.md") == "cannot write: a part of the path is a file, not a folder"


def test_a_new_file_under_a_file_is_refused_where_stat_says_not_found(tmp_path, monkeypatch):
    """On Windows a path under a file is "not found", not "not a directory": the nearest existing
    ancestor is then checked, and a file there is named."""
    (tmp_path / "file").write_text("x")
    real_stat = os.stat

    def windows_stat(path, *args, **kwargs):
        if str(tmp_path / "file") + os.sep in str(path):
            raise FileNotFoundError(errno.ENOENT, "The system cannot find the path specified", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", windows_stat)
    target = tmp_path / "file" / "sub" / "doc.md"
    with pytest.raises(FileAccessError) as excinfo:
        fileio.output_target(target)
    assert _message(excinfo, target) == f"cannot write: {tmp_path / 'file'} is a file, not a folder"


def test_an_ancestor_that_cannot_be_looked_at_is_one_line(tmp_path, monkeypatch):
    real_stat = os.stat

    def denied(path, *args, **kwargs):
        if str(path) == str(tmp_path / "missing"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        if str(path) == str(tmp_path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    target = tmp_path / "missing" / "doc.md"
    monkeypatch.setattr(os, "stat", denied)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.output_target(target)
    assert _message(excinfo, target) == "cannot write: permission denied"


def test_outputs_are_vetted_against_inputs_folders_and_each_other(tmp_path):
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "terms.csv").write_text("zh,en\n")
    (glossary / "sub").mkdir()
    (glossary / "sub" / "deep.csv").write_text("zh,en\n")
    first, second = tmp_path / "a.md", tmp_path / "x" / ".." / "a.md"
    with pytest.raises(FileAccessError) as folder_input:
        fileio.check_outputs([tmp_path / "out.md", glossary / "terms.csv"], [glossary, tmp_path / "missing.csv"])
    assert str(folder_input.value) == (f"{glossary / 'terms.csv'}: is also an input of this command; "
                                       "refusing to write over it")
    fileio.forget_inputs()
    with pytest.raises(FileAccessError) as twice:
        fileio.check_outputs([first, second])
    assert str(twice.value) == f"{second}: is the same file as the output {first}; two outputs would overwrite each other"
    targets = fileio.check_outputs([first, tmp_path / "b.md"], [glossary])
    assert [t.given for t in targets] == [first, tmp_path / "b.md"] and [t.kind for t in targets] == ["new", "new"]
    fileio.atomic_write_text(glossary / "sub" / "deep.csv", "a file in a sub-folder is not an input")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert [t.kind for t in fileio.check_outputs([fifo, fifo])] == ["device", "device"]


def test_an_input_named_twice_is_reported_by_its_first_name(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("x")
    os.link(source, tmp_path / "alias.txt")
    fileio.check_outputs([], [source, tmp_path / "alias.txt"])
    with pytest.raises(FileAccessError) as excinfo:
        fileio.output_target(tmp_path / "alias.txt")
    assert _message(excinfo, tmp_path / "alias.txt") == f"is also an input of this command ({source}); refusing to write over it"


# --------------------------------------------------------------------------- writing


def test_a_new_file_is_created_with_its_folders_readable_by_everyone(tmp_path):
    target = tmp_path / "out" / "deep" / "doc.md"
    old = os.umask(0o077)
    try:
        fileio.atomic_write_bytes(target, b"# Title\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"# Title\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert fileio.written_files()[-1] == str(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["doc.md"]


def test_a_replaced_file_keeps_its_mode_special_bits_and_owner(tmp_path):
    target = tmp_path / "shared.po"
    target.write_text("old")
    os.chmod(target, 0o2660)  # group-writable, setgid: a team's file
    os.chown(target, NOBODY, NOBODY)
    fileio.atomic_write_text(target, "new")
    info = target.stat()
    assert target.read_text() == "new"
    assert stat.S_IMODE(info.st_mode) == 0o2660
    assert (info.st_uid, info.st_gid) == (NOBODY, NOBODY)
    mine = tmp_path / "mine.po"
    mine.write_text("old")
    os.chmod(mine, 0o600)
    fileio.atomic_write_text(mine, "new")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600 and mine.stat().st_uid == os.getuid()


def test_a_user_who_may_not_give_a_file_away_still_writes_it(tmp_path, monkeypatch):
    """Only root may chown a file to someone else: an ordinary user rewriting a teammate's file
    (in a shared, group-writable folder) gets the new file, with the old mode, owned by them."""
    target = tmp_path / "shared.po"
    target.write_text("old")
    os.chmod(target, 0o664)
    os.chown(target, NOBODY, NOBODY)

    def not_root(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chown", not_root)
    fileio.atomic_write_text(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o664


def test_the_temp_file_sits_beside_the_target_under_the_name_the_cleaner_knows(tmp_path, monkeypatch):
    """Beside the target: the rename stays on one file system (atomic). Named .<name>.XXXXXXXX.tmp:
    a leftover of a killed run is what the next write removes."""
    import re

    target = tmp_path / "doc.en.po"
    renamed: list[str] = []
    real_replace = os.replace

    def recording(src, dst):
        renamed.append(str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    fileio.atomic_write_text(target, "x")
    (temp,) = renamed
    assert Path(temp).parent == tmp_path
    assert re.fullmatch(r"\.doc\.en\.po\.[a-z0-9_]{8}\.tmp", Path(temp).name)


def test_a_folder_that_cannot_be_fsynced_does_not_fail_the_write(tmp_path, monkeypatch):
    """Some file systems refuse fsync on a folder (EINVAL): the file is written all the same."""
    real_fsync = os.fsync

    def no_folder_fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", no_folder_fsync)
    fileio.atomic_write_text(tmp_path / "doc.md", "x")
    assert (tmp_path / "doc.md").read_text() == "x"


def test_when_the_temp_cannot_be_removed_the_write_error_is_reported(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    def gone(path, *args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "unlink", gone)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(tmp_path / "doc.md", "x")
    assert _message(excinfo, tmp_path / "doc.md") == "cannot write: No space left on device"


def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real.po"
    real.write_text("old")
    link = tmp_path / "link.po"
    link.symlink_to(real)
    fileio.atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert fileio.written_files()[-1] == str(link)


def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    """Durability: the rename is only on disk once the folder is fsynced."""
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(fd):
        info = os.fstat(fd)
        synced.append("folder" if stat.S_ISDIR(info.st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    fileio.atomic_write_text(tmp_path / "doc.md", "x")
    assert synced == ["file", "folder"]


def test_a_failed_write_names_the_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "doc.en.po"
    target.write_text("reviewed")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(target, "new")
    assert str(excinfo.value) == f"{target}: cannot write: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.en.po"] and target.read_text() == "reviewed"
    assert str(target) not in fileio.written_files()


def test_no_temp_file_can_be_made_is_one_line(tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(tmp_path / "doc.md", "x")
    assert _message(excinfo, tmp_path / "doc.md") == "cannot write: permission denied"


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(tmp_path / "new" / "doc.md", "x")
    assert _message(excinfo, tmp_path / "new" / "doc.md") == "cannot create the folder: permission denied"


def _leftover(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("half")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_killed_runs_temp_files_are_removed_when_stale_or_under_the_lock(tmp_path):
    target = tmp_path / "doc.en.po"
    stale = _leftover(tmp_path, ".doc.en.po.a1b2c3d4.tmp", fileio.STALE_AFTER + 60)
    fresh = _leftover(tmp_path, ".doc.en.po.e5f6g7h8.tmp", 5)  # maybe another writer's live temp
    others = [_leftover(tmp_path, name, fileio.STALE_AFTER + 60) for name in
              (".doc.en.po.short.tmp", ".other.po.a1b2c3d4.tmp", ".doc.en.po.a1b2c3d4.tmp.keep",
               "doc.en.po.a1b2c3d4.tmp", ".doc.en.poXa1b2c3d4.tmp")]
    planted = tmp_path / ".doc.en.po.zzzzzzzz.tmp"
    planted.symlink_to(others[0])
    fileio.atomic_write_text(target, "one")
    assert not stale.exists() and fresh.exists()
    assert all(p.exists() for p in others) and planted.is_symlink()
    with fileio.file_lock(target):
        fileio.atomic_write_text(target, "two")
    assert not fresh.exists() and all(p.exists() for p in others) and planted.is_symlink()
    assert target.read_text() == "two"


def test_a_temp_file_is_stale_only_after_the_full_delay(tmp_path, monkeypatch):
    now = 1_800_000_000
    monkeypatch.setattr(fileio.time, "time", lambda: float(now))
    target = tmp_path / "doc.md"
    exactly = tmp_path / ".doc.md.a1b2c3d4.tmp"
    older = tmp_path / ".doc.md.e5f6g7h8.tmp"
    for path, age in ((exactly, fileio.STALE_AFTER), (older, fileio.STALE_AFTER + 1)):
        path.write_text("half")
        os.utime(path, ns=((now - age) * 10**9, (now - age) * 10**9))
    fileio.atomic_write_text(target, "x")
    assert exactly.exists() and not older.exists()


def test_leftovers_that_vanish_or_a_folder_that_cannot_be_listed_do_not_fail_the_write(tmp_path, monkeypatch):
    target = tmp_path / "doc.md"
    _leftover(tmp_path, ".doc.md.a1b2c3d4.tmp", fileio.STALE_AFTER + 60)
    real_unlink = os.unlink

    def raced(path, *args, **kwargs):
        if str(path).endswith(".a1b2c3d4.tmp"):
            real_unlink(path)  # another run's cleaner was faster
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", raced)
    fileio.atomic_write_text(target, "one")
    monkeypatch.undo()

    def unlistable(path="."):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", unlistable)
    fileio.atomic_write_text(target, "two")
    assert target.read_text() == "two"


# --------------------------------------------------------------------------- devices and FIFOs


def test_a_fifo_output_is_written_through_to_its_reader(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = bytes(range(256)) * 1024  # 256 KB: more than a pipe holds
    assert _write_to_read_fifo(fifo, data) == data
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert fileio.written_files()[-1] == str(fifo) and fileio.partially_written() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_fifo_whose_reader_is_slow_is_waited_for_not_refused(tmp_path):
    """The FIFO is opened non-blocking (no reader: one error, not a hang) and then made blocking:
    a reader that has not read yet makes the writer wait, never fail on a full pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = b"slow reader " * 20000  # 240 KB: several pipes full
    assert _write_to_read_fifo(fifo, data, read_after=0.5) == data


def test_a_device_is_written_whole_even_in_short_writes(tmp_path, monkeypatch):
    """write(2) may write less than asked (a signal, a slow device): the rest is written after."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    real_write = os.write
    calls: list[int] = []

    def short(fd, data):
        calls.append(len(data))
        return real_write(fd, bytes(data[:1000]))

    monkeypatch.setattr(os, "write", short)
    assert _write_to_read_fifo(fifo, b"z" * 4500) == b"z" * 4500
    assert calls == [4500, 3500, 2500, 1500, 500]


def test_a_device_is_opened_as_cat_opens_it(tmp_path, monkeypatch):
    """Written through: no creation, no truncation, no link followed, no controlling terminal
    taken, and blocking (a slow device is waited for, never an EAGAIN half-way)."""
    null = _char_device(tmp_path / "null", 3)
    opened = _record_open_flags(monkeypatch, null)
    fileio.atomic_write_text(null, "x")
    (flags,) = opened
    assert flags & os.O_ACCMODE == os.O_WRONLY
    assert flags & os.O_NOFOLLOW and flags & os.O_NOCTTY
    assert not flags & (os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK | os.O_APPEND)


def test_a_fifo_nobody_reads_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(fifo, "x")
    assert str(excinfo.value) == f"{fifo}: is a FIFO that nobody is reading; start the reader first"


def test_a_character_device_is_written_through_never_replaced(tmp_path):
    null = _char_device(tmp_path / "null", 3)
    rdev = null.stat().st_rdev
    fileio.atomic_write_text(null, "discarded")
    assert stat.S_ISCHR(os.lstat(null).st_mode) and null.stat().st_rdev == rdev
    assert fileio.written_files()[-1] == str(null)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_device_write_error_is_one_line_and_the_device_is_partial(tmp_path, monkeypatch):
    null = _char_device(tmp_path / "null", 3)

    def broken(fd, data):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", broken)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(null, "x")
    assert str(excinfo.value) == f"{null}: cannot write: Input/output error"
    assert fileio.partially_written()[-1] == str(null)
    fileio._partial.clear()


def test_a_device_swapped_for_a_file_after_vetting_is_not_written(tmp_path, monkeypatch):
    null = _char_device(tmp_path / "null", 3)
    target = fileio.output_target(null)
    null.unlink()
    null.write_text("a regular file now")
    with pytest.raises(FileAccessError) as excinfo:
        fileio._write_through(target, (b"x",))
    assert _message(excinfo, null) == "changed while it was being opened; nothing written"
    assert null.read_text() == "a regular file now"


def test_a_device_that_cannot_be_opened_is_one_line(tmp_path, monkeypatch):
    null = _char_device(tmp_path / "null", 3)
    real_open = os.open

    def denied(path, flags, *args):
        if str(path) == str(null):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(FileAccessError) as excinfo:
        fileio.atomic_write_text(null, "x")
    assert _message(excinfo, null) == "cannot write: permission denied"


# --------------------------------------------------------------------------- locks


def _held_elsewhere(lock_path: Path) -> bool:
    """Whether another open file description holds the lock (as a second process would see it)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases a lock we took
    return False


def test_a_lock_is_held_beside_the_resolved_file_and_released_after(tmp_path):
    real = tmp_path / "real" / "doc.en.po"
    real.parent.mkdir()
    real.write_text("x")
    link = tmp_path / "link.po"
    link.symlink_to(real)
    with fileio.file_lock(link):
        lock_path = real.with_name("doc.en.po.lock")
        assert lock_path.is_file() and not (tmp_path / "link.po.lock").exists()
        assert stat.S_IMODE(lock_path.stat().st_mode) == 0o644
        assert _held_elsewhere(lock_path)
        with fileio.file_lock(real):  # re-entrant: the other name of the same file
            assert _held_elsewhere(lock_path)
        assert _held_elsewhere(lock_path), "leaving the inner lock released the outer one"
    assert not _held_elsewhere(lock_path)
    with fileio.file_lock(real):  # taken again for real after release
        assert _held_elsewhere(lock_path)


def test_a_lock_held_by_another_run_is_one_line(tmp_path):
    target = tmp_path / "doc.en.po"
    lock_path = tmp_path / "doc.en.po.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BilingualError) as excinfo, fileio.file_lock(target):
            pass
        assert str(excinfo.value) == (f"{target}: another bilingual run is writing this file; "
                                      "try again when it has finished")
        assert not isinstance(excinfo.value, FileAccessError)
        start = time.monotonic()
        with pytest.raises(BilingualError, match="another bilingual run"), fileio.file_lock(target, timeout=0.3):
            pass
        assert 0.3 <= time.monotonic() - start < 1.0  # waited as asked, polling often
        start = time.monotonic()
        with pytest.raises(BilingualError, match="another bilingual run"), fileio.file_lock(target):
            pass
        assert time.monotonic() - start < 0.5  # by default, no wait at all
    finally:
        os.close(fd)
    with fileio.file_lock(target):  # free again: taken at once
        pass


def test_the_lock_folder_is_made_and_devices_take_no_lock(tmp_path):
    target = tmp_path / "new" / "folder" / "doc.en.po"
    with fileio.file_lock(target):
        assert (target.parent / "doc.en.po.lock").is_file()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    null = _char_device(tmp_path / "null", 3)
    with fileio.file_lock(fifo), fileio.file_lock(null):
        pass
    assert not (tmp_path / "pipe.lock").exists() and not (tmp_path / "null.lock").exists()


@pytest.mark.parametrize(("make", "kind"), [
    (lambda p, victim: p.symlink_to(victim), "symbolic link"),
    (lambda p, victim: p.mkdir(), "folder"),
    (lambda p, victim: os.mkfifo(p), "FIFO"),
])
def test_a_lock_path_that_is_not_a_lock_file_is_refused(tmp_path, make, kind):
    victim = tmp_path / "victim"
    target = tmp_path / "doc.en.po"
    lock_path = tmp_path / "doc.en.po.lock"
    make(lock_path, victim)
    with pytest.raises(FileAccessError) as excinfo, fileio.file_lock(target):
        pass
    assert str(excinfo.value) == (f"{lock_path}: is a {kind}, not a lock file; refusing to use it "
                                  "(remove it if no bilingual run is active)")
    assert not victim.exists()


def test_a_lock_file_that_cannot_be_created_is_one_line(tmp_path, monkeypatch):
    import filelock

    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", denied)
    with pytest.raises(FileAccessError) as excinfo, fileio.file_lock(tmp_path / "doc.en.po"):
        pass
    assert str(excinfo.value) == f"{tmp_path / 'doc.en.po.lock'}: cannot create the lock file: permission denied"


def test_a_lock_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileAccessError) as excinfo, fileio.file_lock(tmp_path / "file" / "sub" / "doc.en.po"):
        pass
    assert _message(excinfo, tmp_path / "file" / "sub" / "doc.en.po") == "cannot create the folder: a part of the path is a file, not a folder"


def test_file_sha256_is_the_digest_of_the_whole_file_read_in_chunks(tmp_path, monkeypatch):
    """The run state compares PO files by this digest: read in chunks (a 50 MB file is never held
    whole), it must still be the digest of every byte; a missing file has none."""
    import hashlib

    monkeypatch.setattr(fileio, "_READ_CHUNK", 7)
    data = "关于加强口岸管理的通知\n".encode() * 5 + b"tail"
    (tmp_path / "a.po").write_bytes(data)
    reads: list[int] = []
    real_open = open

    class Recording:  # the file object file_sha256 reads from, noting each read's size
        def __init__(self, path, mode):
            self.handle = real_open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

    monkeypatch.setattr(fileio, "open", Recording, raising=False)
    assert fileio.file_sha256(tmp_path / "a.po") == hashlib.sha256(data).hexdigest()
    assert reads == [7] * (len(data) // 7 + 2)  # every chunk, the short last one, the empty end
    assert fileio.file_sha256(tmp_path / "missing.po") is None
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileAccessError) as under:
        fileio.file_sha256(tmp_path / "file" / "a.po")
    assert _message(under, tmp_path / "file" / "a.po") == "cannot read: a part of the path is a file, not a folder"

    def unreadable(path, mode):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(fileio, "open", unreadable, raising=False)
    with pytest.raises(FileAccessError) as io_error:
        fileio.file_sha256(tmp_path / "a.po")
    assert _message(io_error, tmp_path / "a.po") == "cannot read: Input/output error"


def test_file_sha256_refuses_a_file_over_the_limit_as_read_bytes_does(tmp_path):
    """The run state hashes the PO file a run would otherwise read: ``--max-size`` holds the same."""
    import hashlib

    po = tmp_path / "a.po"
    po.write_bytes(b"x" * 3000)
    assert fileio.file_sha256(po, limit=3000) == hashlib.sha256(b"x" * 3000).hexdigest()  # at the limit: read
    with pytest.raises(FileAccessError) as hashed:
        fileio.file_sha256(po, limit=2999)
    with pytest.raises(FileAccessError) as read:
        fileio.read_bytes(po, limit=2999)
    assert _message(hashed, po) == _message(read, po) == (
        "is 2.9 KB, over the input size limit of 2.9 KB; raise it with --max-size if this file is really a document")


def test_a_lock_taken_again_inside_itself_stays_held_at_every_depth(tmp_path):
    """Nested locks on one file (translate's PO lock around the writer's): after a deeper one is
    left, the file is still under the lock (a fresh leftover temp file is one, and is removed) and
    the lock can be taken again inside; it is released only when the outermost is left."""
    target = tmp_path / "doc.en.po"
    lock_path = tmp_path / "doc.en.po.lock"
    umask = os.umask(0o002)  # a team's group-writable umask: the lock file is still 0644
    try:
        with fileio.file_lock(target):
            assert stat.S_IMODE(lock_path.stat().st_mode) == 0o644
    finally:
        os.umask(umask)
    with fileio.file_lock(target):
        with fileio.file_lock(target):
            with fileio.file_lock(target):
                pass
            leftover = _leftover(tmp_path, ".doc.en.po.abcd1234.tmp", 0)
            fileio.atomic_write_text(target, "inner")
            assert not leftover.exists()
        leftover = _leftover(tmp_path, ".doc.en.po.efgh5678.tmp", 0)
        fileio.atomic_write_text(target, "outer")
        assert not leftover.exists() and _held_elsewhere(lock_path)
        with fileio.file_lock(target):
            leftover = _leftover(tmp_path, ".doc.en.po.ijkl9012.tmp", 0)
            fileio.atomic_write_text(target, "again")
            assert not leftover.exists() and _held_elsewhere(lock_path)
    assert not _held_elsewhere(lock_path)


def test_a_link_planted_as_the_lock_file_after_the_check_is_refused(tmp_path, monkeypatch):
    """The link appears between the look at the lock path and its opening (a race): the
    O_NOFOLLOW open fails, and the refusal names the lock file."""
    from bilingual import locks

    lock_path = tmp_path / "doc.en.po.lock"
    lock_path.symlink_to(tmp_path / "elsewhere")
    real_lstat = os.lstat

    def not_there_yet(path, *args, **kwargs):
        if str(path) == str(lock_path):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(locks.os, "lstat", not_there_yet)
    with pytest.raises(FileAccessError) as excinfo, fileio.file_lock(tmp_path / "doc.en.po"):
        pass
    assert _message(excinfo, lock_path) == "is a symbolic link, not a lock file; refusing to use it"
    assert not (tmp_path / "elsewhere").exists()


def test_an_interrupt_right_after_a_system_call_of_the_write_leaves_no_temp_file_and_no_lie(tmp_path, monkeypatch):
    """Ctrl-C lands while a system call runs; Python raises KeyboardInterrupt as soon as the call
    returns. Right after the temp file's creation that was outside the write's cleanup (a
    ``.doc.en.po.XXXXXXXX.tmp`` was left by an interrupted library run); right after the rename,
    the file was replaced but not counted, so the run said "files on disk are unchanged"."""
    from bilingual import fileio

    target = tmp_path / "doc.en.po"
    target.write_bytes(b"old\n")
    real_open, real_replace = os.open, os.replace

    def open_then_interrupt(path, flags, *args, **kwargs):
        fd = real_open(path, flags, *args, **kwargs)
        if str(path).endswith(".tmp"):
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        fileio.atomic_write_bytes(target, b"new\n")
    monkeypatch.setattr(os, "open", real_open)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.en.po"] and target.read_bytes() == b"old\n"
    assert str(target) not in fileio.written_files()

    def replace_then_interrupt(source, destination):
        real_replace(source, destination)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        fileio.atomic_write_bytes(target, b"new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.en.po"] and target.read_bytes() == b"new\n"
    assert str(target) in fileio.written_files()  # what the interrupted run reports as written


def test_the_temporary_file_is_made_private_before_it_gets_the_targets_mode(tmp_path, monkeypatch):
    """The temp file holds the new PO text before its mode is set: it is created 0600 (as mkstemp
    made it), so other users of the folder cannot read a translator's unpublished work meanwhile."""
    target = tmp_path / "doc.en.po"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o664)
    seen = []
    real = fileio._copy_permissions

    def watch(tmp, found):
        seen.append(stat.S_IMODE(os.stat(tmp).st_mode))
        real(tmp, found)

    monkeypatch.setattr(fileio, "_copy_permissions", watch)
    old_mask = os.umask(0o002)  # a group-writable umask, as on shared project folders
    try:
        fileio.atomic_write_bytes(target, b"new\n")
    finally:
        os.umask(old_mask)
    assert seen == [0o600] and stat.S_IMODE(target.stat().st_mode) == 0o664
