"""Documents prepared ahead of the engine, in bounded groups (the library run's producer).

Reading, structuring and segmenting (``preparation.prepare``) runs in a thread, or in
``--jobs`` processes, while the engine decodes; it stays at most one group ahead so
memory is that of a few documents, whatever the library's size.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator

from .preparation import Job, Prepared


def source_size(path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def groups(numbers: list[int], sizes: list[int], max_documents: int, max_bytes: int) -> list[list[int]]:
    """Consecutive groups of at most ``max_documents`` documents and ``max_bytes`` of source."""
    groups: list[list[int]] = []
    current: list[int] = []
    size = 0
    for number, nbytes in zip(numbers, sizes, strict=True):
        if current and (len(current) >= max_documents or size + nbytes > max_bytes):
            groups.append(current)
            current, size = [], 0
        current.append(number)
        size += nbytes
    if current:
        groups.append(current)
    return groups


class Producer:
    """Prepared documents in job order, at most one group ahead of the consumer.

    One thread prepares them (spaCy releases nothing, but the engine does: the thread
    runs while CTranslate2 decodes), or ``workers`` processes. An error is raised in
    the consumer when it reaches that document.
    """

    def __init__(self, jobs: list[tuple[int, Job]], workers: int, max_documents: int, max_bytes: int,
                 prepare: Callable[[Job], Prepared]):
        self.prepare = prepare  # preparation.prepare (a module-level function: picklable for processes)
        self.jobs, self.workers = jobs, max(1, min(int(workers), len(jobs) or 1))
        self.max_documents, self.max_bytes = max(1, max_documents), max_bytes
        self._ready: deque = deque()
        self._bytes = 0
        self._stop = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Iterator[tuple[int, Prepared]]:
        if self.workers > 1:
            return self._from_processes()
        if self.jobs:
            self._thread = threading.Thread(target=self._produce, name="bilingual-prepare", daemon=True)
            self._thread.start()
        return self._consume()

    def __exit__(self, *exc) -> None:
        with self._cond:
            self._stop = True
            self._ready.clear()
            self._cond.notify_all()

    def _produce(self) -> None:
        for number, job in self.jobs:
            size = source_size(job.source)
            with self._cond:
                while not self._stop and self._ready and (
                        len(self._ready) >= self.max_documents or self._bytes + size > self.max_bytes):
                    self._cond.wait()
                if self._stop:
                    return
            try:
                item = (number, self.prepare(job), size)
            except BaseException as exc:  # handed to the consumer, raised there
                item = (None, exc, 0)
            with self._cond:
                self._ready.append(item)
                self._bytes += item[2]
                self._cond.notify_all()
            if item[0] is None:
                return

    def _consume(self) -> Iterator[tuple[int, Prepared]]:
        for _ in self.jobs:
            with self._cond:
                while not self._ready:
                    self._cond.wait()
                number, prep, size = self._ready.popleft()
                self._bytes -= size
                self._cond.notify_all()
            if number is None:
                raise prep
            yield number, prep

    def _from_processes(self) -> Iterator[tuple[int, Prepared]]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: no fork of a parent that may run threads (progress bar, HTTP pool, model loading).
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            waiting: deque = deque()
            pending = iter(self.jobs)
            for number, job in pending:
                waiting.append((number, pool.submit(self.prepare, job)))
                if len(waiting) >= self.max_documents:
                    break
            while waiting:
                number, future = waiting.popleft()
                prep = future.result()
                following = next(pending, None)
                if following is not None:
                    waiting.append((following[0], pool.submit(self.prepare, following[1])))
                yield number, prep
