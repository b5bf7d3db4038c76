"""The user's files and machine (issue 11, items 1, 6, 9, 10, 15, 16, 19; issue 13, item 6).

Every scenario runs the command line as a user would, against real files in a
temporary folder: a command that would write over one of its own inputs, an
output through a symbolic link, onto a character device or a FIFO, a planted
lock link, a full disk, a read-only folder, an interrupted run, a folder where a
file is expected. Each must give exactly one line on stderr and the documented
exit code, and leave every file as it was. Device nodes and FIFOs are made in the
test's own folder (``os.mknod`` with /dev/null's and /dev/zero's numbers): the
real ``/dev`` is never touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest
from cliassert import one_line_error
from unprivileged import preexec

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
GLOSSARY = REPO_ROOT / "glossary"


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under ``folder``: its type and, for regular files, its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        out[path.relative_to(folder).as_posix()] = (
            stat.S_IFMT(info.st_mode), path.read_bytes() if stat.S_ISREG(info.st_mode) else None)
    return out


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


@pytest.fixture(scope="module")
def reviewed_po(tmp_path_factory) -> Path:
    """A PO file made by a real run (engine none: rules and glossary only), then 'reviewed' by hand."""
    folder = tmp_path_factory.mktemp("reviewed")
    po = folder / "doc.en.po"
    result = subprocess.run([sys.executable, "-m", "bilingual", "translate", SHANGHAI, "--engine", "none",
                             "--name", "doc", "-o", po, "-q"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if not e.msgstr and e.msgctxt.startswith("measure-"))
    entry.msgstr = "A reviewed translation that took a translator a morning."
    catalog.save(str(po))
    return po


@pytest.fixture
def work(reviewed_po, tmp_path) -> Path:
    """A folder with a copy of the reviewed PO file, the source and a copy of the glossary."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(reviewed_po, folder / "doc.en.po")
    shutil.copy(SHANGHAI, folder / "source.zh.txt")
    shutil.copytree(GLOSSARY, folder / "glossary")
    return folder


def translate(run_cli, folder: Path, output: Path | str, *extra, source: Path | str | None = None, engine="none"):
    return run_cli(["translate", source or folder / "source.zh.txt", "--engine", engine, "--name", "doc",
                    "--glossary", folder / "glossary", "-o", output, "-q", *extra], cwd=folder)


# --------------------------------------------------------------------------- 1: never over an input


@pytest.mark.parametrize(
    ("args", "victim"),
    [
        (["build", "doc.en.po", "-f", "md", "-o", "doc.en.po"], "doc.en.po"),
        (["build", "doc.en.po", "-f", "tmx", "-o", "doc.en.po"], "doc.en.po"),
        (["build", "doc.en.po", "-f", "html", "-o", "alias.po"], "alias.po"),  # a link to the PO
        (["build", "doc.en.po", "-f", "md", "-o", "sub/../doc.en.po"], "sub/../doc.en.po"),
        (["build", "doc.en.po", "-f", "bilingual-html", "--glossary", "glossary", "-o", "glossary/general.csv"],
         "glossary/general.csv"),
        (["build", "doc.en.po", "-f", "md", "--glossary", "glossary", "-o", "glossary/places.csv"],
         "glossary/places.csv"),
        (["translate", "source.zh.txt", "--engine", "none", "--glossary", "glossary", "-o", "source.zh.txt"],
         "source.zh.txt"),
        (["translate", "source.zh.txt", "--engine", "none", "--glossary", "glossary", "-o", "glossary/general.csv"],
         "glossary/general.csv"),
        (["translate", "source.zh.txt", "--engine", "none", "--glossary", "glossary", "--tm", "memory.tmx",
          "-o", "memory.tmx"], "memory.tmx"),
        (["glossary", "export", "--glossary", "glossary", "--format", "csv", "-o", "glossary/general.csv"],
         "glossary/general.csv"),
        (["glossary", "import", "terms.tbx", "-o", "terms.tbx"], "terms.tbx"),
    ],
    ids=["build-md-over-po", "build-tmx-over-po", "build-through-link", "build-dotdot", "build-over-glossary",
         "build-md-over-glossary", "translate-over-source", "translate-over-glossary", "translate-over-memory",
         "export-over-glossary", "import-over-tbx"],
)
def test_no_command_writes_over_one_of_its_inputs(run_cli, work, args, victim):
    (work / "alias.po").symlink_to("doc.en.po")
    (work / "sub").mkdir()
    made = run_cli(["build", "doc.en.po", "-f", "tmx", "-o", "memory.tmx", "-q"], cwd=work)
    assert made.returncode == 0, made.stderr
    made = run_cli(["glossary", "export", "--glossary", "glossary", "-o", "terms.tbx"], cwd=work)
    assert made.returncode == 0, made.stderr
    before = snapshot(work)
    result = run_cli(args, cwd=work)
    one_line_error(result, victim, "is also an input of this command", "refusing to write over it")
    assert snapshot(work) == before  # nothing written, no temp or lock file left


def test_every_write_is_checked_against_the_files_read(tmp_path):
    """The generic rule under every command (extract-like ones too): a file read is never written over."""
    from bilingual import fileio

    source = tmp_path / "source.zh.txt"
    source.write_text("上海市", encoding="utf-8")
    fileio.forget_inputs()
    try:
        fileio.atomic_write_text(tmp_path / "out.pot", "template")  # not read: written
        fileio.read_bytes(source)
        with pytest.raises(fileio.FileAccessError, match="is also an input of this command"):
            fileio.atomic_write_text(source, "msgid ...")
        hard = tmp_path / "hard-link.txt"
        os.link(source, hard)
        with pytest.raises(fileio.FileAccessError, match="is also an input"):
            fileio.atomic_write_text(hard, "x")
        assert source.read_text(encoding="utf-8") == "上海市"
        with pytest.raises(fileio.FileAccessError, match="two outputs would overwrite each other"):
            fileio.check_outputs([tmp_path / "a.md", tmp_path / "x" / ".." / "a.md"])
    finally:
        fileio.forget_inputs()


# --------------------------------------------------------------------------- 6: links


def test_output_through_a_symlink_updates_the_target_and_keeps_the_link(run_cli, work):
    real = work / "po" / "doc.en.po"
    real.parent.mkdir()
    (work / "doc.en.po").rename(real)
    link = work / "doc.en.po"
    link.symlink_to(Path("po") / "doc.en.po")
    (work / "source.zh.txt").write_text(SHANGHAI.read_text(encoding="utf-8").replace(
        "优化国际邮轮药械供船服务。", "优化国际邮轮药品供船服务。"), encoding="utf-8")
    result = translate(run_cli, work, link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("po") / "doc.en.po")
    catalog = polib.pofile(str(real))
    assert any(e.msgid == "优化国际邮轮药品供船服务。" for e in catalog)  # the real file was updated
    assert "A reviewed translation that took a translator a morning." in real.read_text(encoding="utf-8")
    assert (work / "po" / "doc.en.po.lock").is_file()  # the target is locked ...
    assert not (work / "doc.en.po.lock").exists()  # ... not the link's name


def test_two_names_of_one_file_take_one_lock(run_cli, work):
    from bilingual.fileio import file_lock

    (work / "other-name.po").symlink_to("doc.en.po")
    before = snapshot(work)
    with file_lock(work / "doc.en.po"):  # a run through the real name holds the lock ...
        result = translate(run_cli, work, work / "other-name.po")  # ... a run through the link waits for it
    one_line_error(result, "other-name.po", "another bilingual run is writing this file")
    after = snapshot(work)
    after.pop("doc.en.po.lock")
    before.pop("doc.en.po.lock", None)
    assert after == before


# --------------------------------------------------------------------------- 9: devices and FIFOs


def _char_device(path: Path, minor: int) -> Path:
    """A character device node in the test folder: minor 3 is /dev/null's device, 5 /dev/zero's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("cannot make device nodes here (not root, or a nodev mount)")
    return path


def test_output_to_a_character_device_is_written_through_never_replaced(run_cli, work):
    null = _char_device(work / "null", 3)
    zero = _char_device(work / "zero", 5)
    rdev = null.stat().st_rdev
    built = run_cli(["build", "doc.en.po", "-f", "md", "-o", null], cwd=work)
    assert built.returncode == 0, built.stderr
    # translate -o a device: the device is not read as a PO file (/dev/zero would read forever) and not replaced
    translated = translate(run_cli, work, zero)
    assert translated.returncode == 0, translated.stderr
    for node in (null, zero):
        assert stat.S_ISCHR(node.lstat().st_mode), f"{node.name} was replaced by a regular file"
    assert null.stat().st_rdev == rdev
    assert not [p.name for p in work.iterdir() if p.name.startswith(("null.", "zero.", ".null", ".zero"))]


def test_output_to_a_fifo_is_written_through_to_its_reader(run_cli, work):
    fifo = work / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    time.sleep(0.2)
    result = run_cli(["build", "doc.en.po", "-f", "md", "-o", fifo], cwd=work)
    assert result.returncode == 0, result.stderr
    reader.join(30)
    expected = run_cli(["build", "doc.en.po", "-f", "md", "-o", "-"], cwd=work).stdout
    assert received == [expected.encode("utf-8")] and "Shanghai" in expected
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_fifo_without_reader_socket_and_folder_outputs_are_refused(run_cli, work):
    fifo = work / "pipe"
    os.mkfifo(fifo)
    sock_path = work / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        before = snapshot(work)
        one_line_error(run_cli(["build", "doc.en.po", "-o", fifo], cwd=work), fifo, "FIFO that nobody is reading")
        one_line_error(run_cli(["build", "doc.en.po", "-o", sock_path], cwd=work), sock_path, "is a socket")
        one_line_error(run_cli(["build", "doc.en.po", "-o", work / "glossary"], cwd=work), work / "glossary",
                       "is a directory")
        assert snapshot(work) == before


# --------------------------------------------------------------------------- 10: lock links


@pytest.mark.parametrize("existing", [False, True], ids=["dangling", "to-a-file"])
def test_a_planted_lock_link_is_refused_and_its_target_never_created(run_cli, work, tmp_path, existing):
    victim = tmp_path / "victim-outside"
    if existing:
        victim.write_text("system file\n")
    (work / "doc.en.po.lock").symlink_to(victim)
    before = snapshot(work)
    result = translate(run_cli, work, work / "doc.en.po")
    one_line_error(result, "doc.en.po.lock", "is a symbolic link")
    assert snapshot(work) == before
    if existing:
        assert victim.read_text() == "system file\n"
    else:
        assert not victim.exists() and not victim.is_symlink()


def test_lock_file_is_opened_with_nofollow_even_if_the_link_appears_late(tmp_path, monkeypatch):
    """The check before opening is a courtesy; O_NOFOLLOW is what refuses a link planted in between."""
    from bilingual import fileio

    victim = tmp_path / "victim"
    target = tmp_path / "doc.en.po"
    real_lstat = os.lstat
    planted: list[str] = []

    def plant_then_lstat(path, *args, **kwargs):
        if str(path).endswith(".lock") and not planted:
            planted.append(str(path))
            os.symlink(victim, path)  # the race: planted after our look, before the open
            raise FileNotFoundError(path)
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", plant_then_lstat)
    with pytest.raises(fileio.FileAccessError, match="symbolic link"), fileio.file_lock(target):
        pass
    assert planted and not victim.exists()


# --------------------------------------------------------------------------- 13.6: no fcntl (Windows)

NO_FCNTL = """
import sys
sys.modules["fcntl"] = None  # as on Windows: `import fcntl` raises ImportError
import time
from pathlib import Path
if sys.argv[1] == "hold":
    from bilingual.fileio import file_lock
    with file_lock(Path(sys.argv[2])):
        print("HOLDING", flush=True)
        time.sleep(30)
    sys.exit(0)
from bilingual.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_cli_runs_and_locks_without_fcntl(work):
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    args = ["translate", "source.zh.txt", "--engine", "none", "--name", "doc", "--glossary", "glossary",
            "-o", "doc.en.po", "-q"]
    (work / "source.zh.txt").write_text(SHANGHAI.read_text(encoding="utf-8").replace(
        "优化国际邮轮药械供船服务。", "优化国际邮轮药品供船服务。"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", NO_FCNTL, *args], cwd=work, env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    assert "优化国际邮轮药品供船服务。" in (work / "doc.en.po").read_text(encoding="utf-8")
    built = subprocess.run([sys.executable, "-c", NO_FCNTL, "build", "doc.en.po", "-o", "doc.en.md", "-q"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0 and (work / "doc.en.md").is_file(), built.stderr
    # the fallback lock still keeps two runs apart
    holder = subprocess.Popen([sys.executable, "-c", NO_FCNTL, "hold", "doc.en.po"], cwd=work, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "HOLDING"
        # --no-state: a run with work to do (an unchanged document is skipped without writing)
        second = subprocess.run([sys.executable, "-c", NO_FCNTL, *args, "--no-state"], cwd=work, env=env,
                                capture_output=True, text=True, timeout=300, check=False)
        one_line_error(second, "doc.en.po", "another bilingual run is writing this file")
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------- 15: disk full, read-only, cache

FULL_DISK = """
import os, signal, sys, resource
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
from bilingual.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_write_that_fails_half_way_is_one_line_and_leaves_nothing(run_cli, work):
    """The kernel refuses the write past 4 KB (RLIMIT_FSIZE: what a full disk does to a write, EFBIG)."""
    (work / "doc.en.md").write_text("the previous publication\n", encoding="utf-8")
    before = snapshot(work)
    result = subprocess.run([sys.executable, "-c", FULL_DISK, "build", "doc.en.po", "-f", "md", "-o", "doc.en.md"],
                            cwd=work, env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), capture_output=True,
                            text=True, timeout=120, check=False)
    one_line_error(result, "doc.en.md", "cannot write", "File too large")
    assert snapshot(work) == before
    assert temps(work) == []


def test_a_full_disk_is_one_line_and_leaves_nothing(work, tmp_path):
    """A real ENOSPC: a 256 KB tmpfs in a private mount namespace (skipped where unshare is not allowed)."""
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(work / "doc.en.po", small / "doc.en.po")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=256k tmpfs {small}"],
                           capture_output=True, check=False) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("no private mount namespace here (unshare -m)")
    script = (f"cp {small}/doc.en.po /tmp/bilingual-po.$$ && mount -t tmpfs -o size=256k tmpfs {small} && "
              f"cp /tmp/bilingual-po.$$ {small}/doc.en.po && rm /tmp/bilingual-po.$$ && "
              f"dd if=/dev/zero of={small}/filler bs=4k count=24 2>/dev/null; "
              f"{sys.executable} -m bilingual build {small}/doc.en.po -f bilingual-html -o {small}/doc.html; "
              f"echo EXIT=$?; ls -a {small}")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=REPO_ROOT,
                            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), timeout=120, check=False)
    assert "EXIT=2" in result.stdout, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0] and "doc.html" in lines[0], result.stderr
    listing = result.stdout.split("EXIT=2", 1)[1].split()
    assert sorted(listing) == [".", "..", "doc.en.po", "filler"]  # no temp file, no half-written page


def _unprivileged_run(args, cwd: Path) -> subprocess.CompletedProcess:
    drop = preexec()
    if drop is None:
        pytest.skip("cannot run a process without root's permission override here")
    return subprocess.run([sys.executable, "-m", "bilingual", *map(str, args)], cwd=cwd, preexec_fn=drop,
                          env=dict(os.environ, PYTHONPATH=str(REPO_ROOT), HOME=str(cwd)), capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.fixture
def open_folder(work, tmp_path_factory) -> Path:
    """``work`` copied where an unprivileged process can reach it (pytest's tmp folders are 0700)."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"bilingual-perm-{os.getpid()}-{time.monotonic_ns()}"
    shutil.copytree(work, base)
    os.chmod(base, 0o755)
    yield base
    for path in [base, *base.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    shutil.rmtree(base)


def test_read_only_folder_and_unreadable_po_are_one_line(open_folder):
    folder = open_folder
    ro = folder / "published"
    ro.mkdir()
    (ro / "doc.en.md").write_text("the previous publication\n", encoding="utf-8")
    os.chmod(ro, 0o555)
    result = _unprivileged_run(["build", "doc.en.po", "-o", ro / "doc.en.md"], folder)
    one_line_error(result, ro / "doc.en.md", "permission denied")
    assert (ro / "doc.en.md").read_text(encoding="utf-8") == "the previous publication\n"
    assert sorted(p.name for p in ro.iterdir()) == ["doc.en.md"]

    secret = folder / "doc.en.po"
    os.chmod(secret, 0o000)
    os.chmod(folder, 0o777)  # the lock file beside it can be made: what fails is reading the PO
    before = secret.read_bytes()
    for args in (["check", secret], ["build", secret, "-o", folder / "out.md"],
                 ["translate", folder / "source.zh.txt", "--engine", "none", "--name", "doc",
                  "--glossary", folder / "glossary", "-o", secret]):
        one_line_error(_unprivileged_run(args, folder), secret, "permission denied")
    assert secret.read_bytes() == before and not (folder / "out.md").exists()


def test_output_under_a_file_and_folder_arguments_are_one_line(run_cli, work):
    before = snapshot(work)
    one_line_error(run_cli(["build", "doc.en.po", "-o", work / "doc.en.po" / "out.md"], cwd=work),
                   "out.md", "is a file, not a folder")
    one_line_error(translate(run_cli, work, work / "source.zh.txt" / "doc.en.po"), "doc.en.po",
                   "is a file, not a folder")
    one_line_error(translate(run_cli, work, work / "glossary"), work / "glossary", "is a directory")
    one_line_error(run_cli(["check", work / "glossary"], cwd=work), work / "glossary", "is a directory")
    one_line_error(run_cli(["build", work / "glossary"], cwd=work), work / "glossary", "is a directory")
    assert snapshot(work) == before
    for result in (run_cli(["check", work], cwd=work), run_cli(["build", "doc.en.po", "-o", work], cwd=work)):
        assert "Usage:" not in result.stderr and result.returncode == 2


def test_unusable_or_corrupt_mt_cache_is_a_warning_never_a_blocker(run_cli, work):
    cache = work / "cache"
    cache.mkdir()
    (cache / "translations.sqlite3").write_bytes(b"this is not a database, it was truncated by a crash" * 100)
    result = translate(run_cli, work, work / "doc.en.po", "--cache-dir", cache, engine="pseudo")
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "MT cache" in line]
    assert warning.startswith("bilingual: warning: ") and "rebuilding it" in warning
    with sqlite3.connect(cache / "translations.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM mt").fetchone()[0] > 0  # rebuilt and filled

    under_a_file = work / "source.zh.txt" / "cache"
    result = translate(run_cli, work, work / "other.en.po", "--cache-dir", under_a_file, engine="pseudo")
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "MT cache" in line]
    assert warning.startswith("bilingual: warning: ") and "translating without it" in warning
    assert (work / "other.en.po").is_file()


def test_temp_files_left_by_a_killed_run_are_removed_by_the_next(run_cli, work):
    stale_po = work / ".doc.en.po.k9x_2abc.tmp"  # what mkstemp names the PO's temp file
    stale_po.write_text("half a PO file from a kill -9")
    old_md = work / ".doc.en.md.a1b2c3d4.tmp"
    young_md = work / ".doc.en.md.zz99yy88.tmp"  # a build writing this very moment
    unrelated = work / ".doc.en.po.keep-me.tmp"
    for path in (old_md, young_md, unrelated):
        path.write_text("x")
    an_hour_ago = time.time() - 3600
    os.utime(old_md, (an_hour_ago, an_hour_ago))
    assert translate(run_cli, work, work / "doc.en.po", engine="pseudo").returncode == 0
    assert not stale_po.exists()  # under the PO's lock: any temp of ours is a leftover
    assert run_cli(["build", "doc.en.po", "-o", "doc.en.md"], cwd=work).returncode == 0
    assert not old_md.exists() and young_md.exists() and unrelated.exists()


# --------------------------------------------------------------------------- 16: interrupted after the rename

INTERRUPT_AFTER = """
import os, signal, sys
import bilingual.fileio as fileio
real = fileio.atomic_write_bytes
def write_then_interrupt(path, data):
    real(path, data)
    if sys.argv[1] == "after":
        os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C just after the rename
        for _ in range(10**7):
            pass
fileio.atomic_write_bytes = write_then_interrupt
if sys.argv[1] == "before":
    import bilingual.mtstream as t
    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10**7):
            pass
    t.MTStream.pump = interrupted  # Ctrl-C while the engine translates
from bilingual.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_an_interrupted_run_says_which_files_were_written(work, when):
    (work / "source.zh.txt").write_text(SHANGHAI.read_text(encoding="utf-8").replace(
        "优化国际邮轮药械供船服务。", "优化国际邮轮药品供船服务。"), encoding="utf-8")
    before = (work / "doc.en.po").read_bytes()
    result = subprocess.run([sys.executable, "-c", INTERRUPT_AFTER, when, "translate", "source.zh.txt",
                             "--engine", "pseudo", "--no-cache", "--name", "doc", "--glossary", "glossary",
                             "-o", "doc.en.po", "-q"], cwd=work, env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 130, result.stderr
    [line] = result.stderr.strip().splitlines()
    if when == "after":
        assert (work / "doc.en.po").read_bytes() != before
        assert line == ("bilingual: interrupted; already written (complete): doc.en.po; "
                        "every other file is unchanged")
    else:
        assert (work / "doc.en.po").read_bytes() == before
        assert line == "bilingual: interrupted; files on disk are unchanged"
    assert temps(work) == []
