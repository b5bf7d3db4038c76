"""spaCy in a helper process while a ``translate`` run starts: its import off the critical path.

Importing spaCy and building the sentence pipeline costs ~0.4 s of one core, the largest
part of the fixed cost of ``bilingual translate`` on a small document (bench/README.md),
and in one process it runs in series with everything else (pure-Python imports hold the
GIL). So a run forks a helper as it starts: the helper imports spaCy on the second core
while the run imports its own modules, loads the glossary and the model, reads and
structures the documents; segmentation (:func:`bilingual.segment.split_sentences`) then
asks the helper. The helper runs the same in-process code, so the segments are the same;
a helper that was not started, failed or died leaves the run to split in-process, as
before (an error of spaCy itself is then raised there, as it always was).

Forked only where that is safe and useful: a POSIX process with one Python thread and
neither spaCy nor NumPy imported (the command line — not a library caller, which has
spaCy already, nor a process running other threads). The helper ignores Ctrl-C (the run
handles it and stops the helper), reads and writes nothing but its two pipes (stdin,
stdout and stderr are /dev/null, every other inherited descriptor is closed, so it holds
no lock and no pipe of the run's caller open), and ends when the run closes its pipe or
stops it (:func:`stop`, which every run that started one calls in a ``finally``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import struct
import sys
import threading

_HEADER = struct.Struct("!Q")  # length of the JSON message that follows
HELLO_TIMEOUT = 120.0  # seconds the run waits for the helper's spaCy before splitting in-process
_helper: _Helper | None = None
#: Thread counts of the BLAS libraries NumPy may be built with, all set to 1 in the helper.
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class HelperStopped(RuntimeError):
    """The run stopped the helper (it is ending): no in-process spaCy import any more."""


class _Helper:
    def __init__(self, pid: int, requests: int, replies: int):
        self.pid, self.requests, self.replies = pid, requests, replies
        self.lock = threading.Lock()  # one request/reply at a time
        self.hello: dict | None = None  # the helper's first message: spaCy is ready
        self.failed = False
        self.stopped = False


def start() -> bool:
    """Fork the helper if it is safe and none runs; True if this call started it."""
    global _helper
    if _helper is not None or not hasattr(os, "fork") or os.environ.get("BILINGUAL_SEGMENT_HELPER") == "0":
        return False
    if "spacy" in sys.modules or "numpy" in sys.modules or threading.active_count() != 1:
        return False  # spaCy is here already, or forking could copy a lock another thread holds
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: never returns into the caller's code
        code = 1
        try:
            os.close(requests_write)
            os.close(replies_read)
            _serve(requests_read, replies_write)
            code = 0
        finally:
            os._exit(code)
    os.close(requests_read)
    os.close(replies_write)
    _helper = _Helper(pid, requests_write, replies_read)
    return True


def running() -> bool:
    return _helper is not None and not _helper.failed


def max_length() -> int | None:
    """The helper's spaCy ``nlp.max_length`` (waits until spaCy is ready there); None: no helper."""
    reply = _exchange(None)
    return None if reply is None else reply["max_length"]


def split(texts: list[str]) -> list[list[str]] | None:
    """The helper's :func:`bilingual.segment.split_sentences` of ``texts``; None: no helper."""
    reply = _exchange(texts)
    return None if reply is None else reply["sentences"]


def stop() -> None:
    """End the helper and reap it (idempotent). A thread still waiting on it gets
    :class:`HelperStopped`."""
    global _helper
    helper, _helper = _helper, None
    if helper is None:
        return
    helper.stopped = True
    with contextlib.suppress(ProcessLookupError):
        os.kill(helper.pid, signal.SIGKILL)  # it holds nothing worth a clean exit: no file, no lock
    with contextlib.suppress(ChildProcessError):
        os.waitpid(helper.pid, 0)
    # A thread may still be in a read of the (now closed) pipe: close the descriptors only when
    # it is out, so that their numbers cannot be reused under it.
    if helper.lock.acquire(timeout=5):
        try:
            for fd in (helper.requests, helper.replies):
                with contextlib.suppress(OSError):
                    os.close(fd)
        finally:
            helper.lock.release()


# --------------------------------------------------------------------------- the run's side


def _exchange(texts: list[str] | None) -> dict | None:
    helper = _helper
    if helper is None or helper.failed:
        return None
    with helper.lock:
        try:
            if texts is not None:
                _send(helper.requests, texts)  # sent before the hello is awaited: the helper starts at once
            if helper.hello is None:
                # spaCy's import takes seconds at worst: a helper silent for HELLO_TIMEOUT is stuck;
                # the run splits in-process rather than wait on it.
                ready, _, _ = select.select([helper.replies], [], [], HELLO_TIMEOUT)
                if not ready:
                    raise EOFError
                helper.hello = _receive(helper.replies)
                if helper.hello is None or "error" in helper.hello:
                    raise EOFError
            if texts is None:
                return helper.hello
            reply = _receive(helper.replies)
            if reply is None or len(reply.get("sentences", ())) != len(texts):
                raise EOFError
            return reply
        except (OSError, EOFError, ValueError, KeyError):
            if helper.stopped:
                raise HelperStopped("the sentence-splitting helper was stopped") from None
            helper.failed = True  # split in-process from now on
            return None


def _send(fd: int, message) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int):
    """The next message, or None at the end of the stream."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    data = _read_exactly(fd, size)
    if data is None:
        raise EOFError
    return json.loads(data.decode("utf-8"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            if left == size:
                return None
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- the helper's side


def import_spacy_without_its_cli() -> None:
    """Import spaCy without its command line, which the helper never uses.

    ``spacy/__init__.py`` takes only ``info`` from ``spacy.cli.info``, and importing
    ``spacy.cli`` (typer and the download, project and training commands) is about a quarter
    of ``import spacy`` — 0.15 s on the critical path of a small document's run. A stand-in
    for those two modules is in place during the import and removed after it, so a later
    ``import spacy.cli`` gets the real one. If the import fails with the stand-in (another
    spaCy), spaCy is imported again plainly."""
    import types

    from .leanimport import import_with_stand_ins

    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []  # a package: ``from .cli.info import info`` looks up the submodule
    info.info = cli.info = _no_cli
    try:
        import_with_stand_ins("spacy", {"spacy.cli": cli, "spacy.cli.info": info})
    except Exception:  # what it left half-imported goes: the plain import starts afresh
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]


def _no_cli(*args, **kwargs):
    raise RuntimeError("spaCy's command line is not loaded in bilingual's segmentation helper")


def _serve(requests: int, replies: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; the run stops us
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    try:  # the run's other descriptors (its locks, its caller's pipes): those open, not every number
        inherited = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        inherited = range(3, min(os.sysconf("SC_OPEN_MAX"), 1 << 16))
    for fd in inherited:
        if fd > 2 and fd not in (requests, replies):
            with contextlib.suppress(OSError):
                os.close(fd)
    # NumPy's OpenBLAS starts a thread per core at import (~0.1 s of CPU here) that the helper
    # never uses (the sentencizer does no linear algebra), taken from the run's model load.
    for variable in _BLAS_THREADS:
        os.environ[variable] = "1"
    from .leanimport import collector_paused

    with collector_paused():
        import_spacy_without_its_cli()
        from .segment import sentence_pipeline, split_here

    try:
        nlp = sentence_pipeline()
    except BaseException as exc:  # the run splits in-process and meets the same error there
        _send(replies, {"error": repr(exc)})
        return
    _send(replies, {"max_length": nlp.max_length})
    while True:
        texts = _receive(requests)
        if texts is None:
            return  # the run closed its pipe
        _send(replies, {"sentences": split_here(texts)})
