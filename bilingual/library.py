"""A library in one run: unchanged documents skipped, the others in bounded groups, one MT stream.

1. **Skip.** With a run state (bilingual/runstate.py), every document whose source,
   PO file, glossary scope, engine, term strategy, memory and code hash as recorded is
   skipped before it is parsed; its summary comes from the record. No work left: spaCy
   and the model are never loaded.
2. **Check before writing.** The documents left are cut into groups of at most
   :data:`GROUP_DOCUMENTS` documents and :data:`GROUP_BYTES` of source. Before the first
   PO file of the run is written, every one of them has been read, structured and
   segmented, and every existing PO file read, validated and aligned with its new
   segments — so a bad source, a broken PO file, or a merge that would make more than
   half of a file's reviewed entries obsolete (the obsolete guard, without ``--force``)
   stops the run with nothing written, as for a single document. The first group is
   kept from this pass; the documents of later groups are checked in a pass of their
   own and prepared again when their turn comes (their results are not kept: memory).
3. **Translate and write, group by group.** A producer thread (or ``--jobs`` processes)
   prepares the next documents while the engine translates; each document's MT
   segments join one :class:`~bilingual.mtstream.MTStream`, whose engine calls are full
   across documents; a document is merged and written the moment its last segment is
   back, and forgotten. At most :data:`IN_FLIGHT` groups' documents wait for MT at once
   (beyond that, a partial call drains the oldest); the producer stays one group ahead.
   Memory is that of a few groups, whatever the library's size.

A document's PO file is locked from the moment it is read for the merge until it is
written (bilingual.fileio.file_lock).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable, Sequence

from .errors import BilingualError
from .po import ChangedOnDisk
from .preparation import Job, Prepared, load_existing, prepare
from .producer import Producer
from .producer import groups as _groups
from .producer import source_size as _size
from .translate import (
    DocWork,
    Stats,
    merge_document,
    plan_document,
    planned_refusal,
    take_result,
    warm_plan,
    write_document,
)

GROUP_DOCUMENTS = 16  # documents per group (and prepared ahead of the engine)
GROUP_BYTES = 8 << 20  # source bytes per group (a larger document is a group alone)
IN_FLIGHT = 2  # groups of documents waiting for MT at most
SUBMIT_CALLS = 4  # a document's segments enter the MT stream this many engine calls' worth at a time


def run_library(jobs: Sequence[Job], engine, glossary, *, cache=None, memory=None,
                on_progress: Callable[[int, int], None] | None = None, lock_timeout: float = 0.0,
                workers: int = 1, on_read: Callable[[int, int], None] | None = None,
                term_strategy: str = "retry", force: bool = False, retranslate: bool = False,
                state=None, on_document: Callable[[int, int], None] | None = None,
                glossary_for_files: Callable[[tuple[str, ...]], object] | None = None,
                group_documents: int = GROUP_DOCUMENTS, group_bytes: int = GROUP_BYTES,
                batch_size: int | None = None, warn: Callable[[str], None] | None = None) -> list[Stats]:
    """Translate ``jobs`` (see the module docstring); the stats of each, in input order.

    ``state``: a :class:`~bilingual.runstate.RunState` (None: no skipping, nothing recorded).
    ``on_document(advance, total)`` counts documents done (skipped or written); its first
    call reports the skipped ones. ``glossary_for_files(files)`` gives the glossary of a
    job with ``glossary_files`` (default: :func:`bilingual.glossary.load_scoped` of
    ``glossary``). ``batch_size``: inputs per engine call (default: the engine's).
    """
    from .runstate import run_settings

    jobs = list(jobs)
    run = _Run(jobs, engine, glossary, cache=cache, memory=memory, on_progress=on_progress,
               lock_timeout=lock_timeout, term_strategy=term_strategy, force=force, retranslate=retranslate,
               state=state, on_document=on_document, glossary_for_files=glossary_for_files,
               batch_size=batch_size)
    run.settings = run_settings(engine, term_strategy, memory) if state is not None else None
    todo = run.skip_unchanged()
    if todo:
        from . import segproc

        groups = _groups(todo, [_size(jobs[n].source) for n in todo], group_documents, group_bytes)
        started = workers == 1 and segproc.start()  # spaCy loads beside the model and the reading
        try:
            run.translate(groups, workers, on_read, group_documents, group_bytes)
        except (BilingualError, KeyboardInterrupt):  # an error, Ctrl-C, SIGTERM: what was written is recorded
            run.save_state(warn)
            raise
        finally:
            if started:
                segproc.stop()
    run.save_state(warn)  # also when every document was skipped: records of removed PO files go
    return run.stats


class _Run:
    """The state of one run: stats, documents in flight, the MT stream."""

    def __init__(self, jobs: list[Job], engine, glossary, *, cache, memory, on_progress, lock_timeout,
                 term_strategy, force, retranslate, state, on_document, glossary_for_files, batch_size):
        self.jobs, self.engine, self.glossary = jobs, engine, glossary
        self.cache, self.memory, self.on_progress = cache, memory, on_progress
        self.lock_timeout, self.term_strategy, self.force = lock_timeout, term_strategy, force
        self.retranslate, self.state, self.on_document = retranslate, state, on_document
        self.batch_size = batch_size
        self.identity = engine.identity() if engine is not None else None
        self.stats: list[Stats | None] = [None] * len(jobs)
        self.works: dict[int, DocWork] = {}
        self.settings = None
        self.notes: dict[int, list[str]] = {}  # warnings found before a document's stats exist
        self.stream = None
        self._for_files = glossary_for_files
        self._scoped: dict[tuple[str, ...], object] = {}

    # ------------------------------------------------------------------ glossaries

    def base_glossary(self, job: Job):
        """The glossary a job starts from: its ``glossary_files``, else the whole glossary."""
        if self.glossary is None or not job.glossary_files:
            return self.glossary
        files = tuple(job.glossary_files)
        if files not in self._scoped:
            if self._for_files is not None:
                self._scoped[files] = self._for_files(files)
            else:
                from .glossary import load_scoped

                self._scoped[files] = load_scoped(self.glossary, files)
        return self._scoped[files]

    def recorded_glossary(self, job: Job, record: dict) -> str | None:
        """The digest of the glossary the job would get with the scope its record names."""
        from .runstate import glossary_digest

        base = self.base_glossary(job)
        if base is None or job.glossary_files:
            return glossary_digest(base)
        scope = record.get("scope")
        if not isinstance(scope, dict) or "place" not in scope:
            return None
        from .issuer import BY_KEY, NATIONAL
        from .scope import scoped_glossary

        place = scope["place"]
        if place is not None and place != NATIONAL and place not in BY_KEY:
            return None  # a place this version does not know: do the work
        return glossary_digest(scoped_glossary(base, place))

    # ------------------------------------------------------------------ 1. skip

    def skip_unchanged(self) -> list[int]:
        """Stats for every document the state says is unchanged; the numbers of the others."""
        todo = []
        named = {self.state.key(job.po) for job in self.jobs} if self.state is not None else set()
        for number, job in enumerate(self.jobs):
            if self.state is not None:
                found = self.state.check(job, self.settings, lambda record, job=job: self.recorded_glossary(job, record))
                if found.record is not None and not self.retranslate:
                    self.stats[number] = _skipped(job, found.record, self.term_strategy if self.engine else "")
                    continue
                if not os.path.lexists(job.po):
                    self._warn_of_earlier_work(number, job, found.source_sha256, named)
            todo.append(number)
        if self.on_document is not None:
            self.on_document(len(self.jobs) - len(todo), len(self.jobs))
        return todo

    def _warn_of_earlier_work(self, number: int, job: Job, source_sha256: str | None, named: set[str]) -> None:
        """A new PO file for a source whose reviewed work a record places in another PO file the
        run no longer names (a renamed document, a changed ``po``): say so, move nothing."""
        earlier = self.state.earlier_po(job, source_sha256, named)
        if earlier is None:
            return
        old, record = earlier
        where = os.path.relpath(old)
        settings = record.get("settings")
        old_name = settings.get("name") if isinstance(settings, dict) else None
        if old_name in (None, job.name):
            keep = f"move {where} to {job.po} and run again"
        else:  # the old file's header names the old document: it cannot simply be moved
            keep = f"give the document its old name {old_name!r} back"
        self.notes.setdefault(number, []).append(
            f"{job.po}: a new PO file, but the earlier translations of {job.source} are in {where}, which this "
            f"run does not write; to keep that work, {keep}, or run again with --tm {where} --retranslate")

    # ------------------------------------------------------------------ 2. + 3.

    def translate(self, groups: list[list[int]], workers: int, on_read, group_documents: int,
                  group_bytes: int) -> None:
        first = groups[0]
        later = [n for group in groups[1:] for n in group]
        if self.engine is not None and hasattr(self.engine, "preload") and any(
                not os.path.exists(self.jobs[n].po) for n in first + later):
            self.engine.preload()  # a new PO file: MT is certain; the model loads while spaCy imports
        if self.engine is not None:
            from .mtstream import MTStream

            self.stream = MTStream(self.engine, self.cache, batch_size=self.batch_size,
                                   term_strategy=self.term_strategy, on_result=self._result,
                                   on_progress=self.on_progress)
        total = len(first) + len(later)
        # One thread prepares (no --jobs): it warms each document's plan while spaCy loads in the helper.
        prepare_first = functools.partial(prepare, warm=self._warm) if workers == 1 else prepare
        with Producer([(n, self.jobs[n]) for n in first], workers, group_documents, group_bytes,
                      prepare_first) as produced:
            preps = list(produced)  # sources first: a bad one fails before any PO folder or lock exists
        if later:
            self._check_later(later, workers, group_documents, group_bytes)
        if on_read is not None:
            on_read(0, total)
            on_read(len(preps), total)
        try:
            for number, prep in preps:  # every PO file of the first group read and checked before MT
                self._start(number, prep)
            del preps
            for number in first:
                self._submit(number)
            if later:
                self._pump()  # else: one final, length-sorted drain below, as for a single call
            with Producer([(n, self.jobs[n]) for n in later], workers, group_documents, group_bytes, prepare) as produced:
                for number, prep in produced:
                    if on_read is not None:
                        on_read(1, total)
                    self._start(number, prep)
                    self._submit(number)
                    self._pump(limit=IN_FLIGHT * group_documents)
            from . import segproc

            segproc.stop()  # every document is segmented: the spaCy helper's memory is given back now
            if self.stream is not None:
                self.stream.pump(final=True)
        finally:
            for work in self.works.values():  # a run that stopped: release what it still holds
                if work.lock is not None:
                    work.lock.close()

    def _warm(self, job: Job, document) -> None:
        """:func:`~bilingual.translate.warm_plan` for a job without ``glossary_files`` (their
        glossary is built once, by the main thread)."""
        if not job.glossary_files:
            warm_plan(self.glossary, document, later=self.stream.while_decoding if self.stream is not None else None)

    def _check_later(self, numbers: list[int], workers: int, group_documents: int, group_bytes: int) -> None:
        """Read, validate and align every later document before anything is written; keep nothing."""
        from . import po as po_mod

        with Producer([(n, self.jobs[n]) for n in numbers], workers, group_documents, group_bytes, prepare) as produced:
            for _, prep in produced:
                load_existing(prep)
                if prep.catalog is None or self.force:
                    continue
                refusal = planned_refusal(po_mod.align(prep.segments, prep.catalog), prep.catalog)
                if refusal is not None:
                    raise BilingualError(refusal, prep.job.po)

    def _start(self, number: int, prep: Prepared) -> None:
        """Lock and read the PO file, plan the document, apply the obsolete guard."""
        from .fileio import file_lock

        lock = contextlib.ExitStack()
        try:
            lock.enter_context(file_lock(prep.job.po, timeout=self.lock_timeout))
            load_existing(prep)
            work = plan_document(prep, self.base_glossary(prep.job), identity=self.identity, memory=self.memory,
                                 retranslate=self.retranslate, term_strategy=self.term_strategy, cache=self.cache)
            refusal = None if self.force else planned_refusal(work.plan, prep.catalog)
            if refusal is not None:
                raise BilingualError(refusal, prep.job.po)  # before any segment is translated
            # Planned: what the merge needs of the document is its titles (segment_comments); its
            # blocks repeat the text of every segment (a large document's source, twice): released.
            prep.document = dataclasses.replace(prep.document, blocks=())
        except BaseException:
            lock.close()
            raise
        work.lock = lock
        self.works[number] = work

    def _submit(self, number: int) -> None:
        """Hand the document's MT segments to the stream, a few calls' worth at a time (a huge
        document never has all its segments in the stream at once), sending full calls between."""
        work = self.works[number]
        if not work.outstanding or self.stream is None:
            self._finish(number)
            return
        step = SUBMIT_CALLS * self.stream.batch_size
        pending = work.pending
        for start in range(0, len(pending), step):
            if start:
                self.stream.pump()
            self.stream.submit([((number, i), pending[i].source, work.glossary)
                                for i in range(start, min(start + step, len(pending)))])

    def _pump(self, limit: int | None = None) -> None:
        if self.stream is None:
            return
        self.stream.pump()
        while limit is not None and len(self.works) > limit and self.stream.pending:
            self.stream.pump(partial=True)  # too many documents waiting: drain the oldest now

    def _result(self, tag, result) -> None:
        number, index = tag
        work = self.works[number]
        take_result(work, work.pending[index], result)
        if work.outstanding == 0:
            self._finish(number)

    def _finish(self, number: int) -> None:
        """Merge and write one document, record it, release its lock, forget it."""
        work = self.works[number]
        work.stats.warnings += self.notes.pop(number, [])
        catalog = merge_document(work, self.force)
        # What the merge used is not needed to write: freed first (a large document's old
        # catalogue and segments would otherwise sit beside its rendered text).
        prep = work.prep
        work.proposals = work.plan = work.pending = None
        prep.document = prep.segments = prep.catalog = None
        try:
            po_sha256 = write_document(work, catalog)
        except ChangedOnDisk as exc:  # a translator saved it meanwhile: theirs stays, the run goes on
            note = " (machine translations are cached)" if self.cache is not None else ""
            work.stats.warnings.append(f"{exc}{note}")
            work.stats.written = False
            po_sha256 = None  # not recorded: the next run processes it
        del catalog
        if self.state is not None and po_sha256 is not None:
            from .runstate import glossary_digest, summary_of

            self.state.record(work.prep.job, self.settings, source_sha256=work.prep.source_sha256, po_sha256=po_sha256,
                              glossary=glossary_digest(work.glossary), scope=work.scope,
                              summary=summary_of(work.stats))
        work.lock.close()
        self.stats[number] = work.stats
        del self.works[number]
        if self.on_document is not None:
            self.on_document(1, len(self.jobs))

    def save_state(self, warn) -> None:
        if self.state is not None:
            self.state.save(warn or (lambda message: None))


def _skipped(job: Job, record: dict, term_strategy: str) -> Stats:
    """A skipped document's summary: its PO file's counts, as the run that wrote it left them."""
    summary = record["summary"]

    def number(key: str) -> int:
        value = summary.get(key, 0)
        return value if isinstance(value, int) else 0

    def counts(key: str) -> dict[str, int]:
        value = summary.get(key)
        return {str(k): v for k, v in value.items() if isinstance(v, int)} if isinstance(value, dict) else {}

    st = Stats(document=job.name, po=str(job.po), segments=number("segments"), skipped=True,
               term_strategy=term_strategy)
    st.fuzzy, st.untranslated, st.flagged = number("fuzzy"), number("untranslated"), number("flagged")
    st.reused = st.segments - st.untranslated  # what a run on unchanged inputs reports: every translation kept
    st.suspect_names = number("suspect_names")
    st.mt_flags, st.repairs = counts("mt_flags"), counts("repairs")
    st.scope, st.issuer = str(summary.get("scope", "")), str(summary.get("issuer", ""))
    warnings = summary.get("warnings")
    st.warnings = [str(w) for w in warnings] if isinstance(warnings, list) else []
    return st
