"""Orchestration: source files → segments → rule / memory / cache / engine → PO files.

For every segment, the cheapest source of English wins, in this order:

1. the existing PO entry (a translator's work, or an earlier run's): kept as is;
2. a deterministic rendering (render.py: dates, document numbers, names);
3. the MT cache (cache.py), keyed by engine, model, glossary version and text;
4. the engine, in length-sorted batches, on glossary-protected text.

Segments of all documents of a run are translated together, so the model is
loaded once and batches stay full. Long segments are cut for the engine only
(at ；, ，, or a hard character budget) and rejoined; the PO keeps the whole
sentence as one entry.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import po as po_mod
from .errors import BilingualError
from .fileio import file_lock, read_existing
from .model import Document, Segment
from .po import Translation

MAX_ENGINE_CHARS = 120  # a piece the model handles well (≈ 100–150 SentencePiece tokens)
BATCH_SIZE = 32
_CUT_POINTS = ("；", "。", "，", "、", " ")


@dataclass
class Job:
    """One document of a run: its source file, its PO file and its id."""

    name: str
    source: Path
    po: Path
    encoding: str | None = None
    glossary_files: tuple[str, ...] | None = None  # the glossary files that apply (None: all)


@dataclass
class Stats:
    """Per-document counts shown in the summary table (and as JSON)."""

    document: str = ""
    po: str = ""
    segments: int = 0
    reused: int = 0
    rendered: int = 0
    memory: int = 0
    cached: int = 0
    machine: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    terms_protected: int = 0  # glossary occurrences replaced by placeholders before MT
    terms_dropped: int = 0  # … whose placeholder the engine lost (appended, entry fuzzy)
    written: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Prepared:
    job: Job
    document: Document
    segments: list[Segment]
    source_ref: str
    catalog: object = None  # the existing PO file, read under its lock by load_existing()
    previous_text: str | None = None


def load_existing(prep: Prepared) -> None:
    """Read (and validate) the existing PO file; call while holding its lock."""
    prep.catalog = po_mod.load_catalog(prep.job.po, prep.job.name)
    prep.previous_text = read_existing(prep.job.po).decode("utf-8") if prep.catalog is not None else None


def prepare(job: Job) -> Prepared:
    """Ingest, structure and segment one source (no PO file is touched yet)."""
    from .ingest import read_source
    from .segment import segment_document
    from .structure import parse

    clean = read_source(job.source, encoding=job.encoding)
    document = parse(clean)
    _check_paragraph_length(document, job.source)
    segments = segment_document(document)
    return Prepared(job, document, segments, _relative(job.source, job.po.parent))


def _check_paragraph_length(document: Document, source: Path) -> None:
    """A paragraph longer than spaCy takes (1,000,000 characters) is an error naming its line,
    not a traceback: such a "paragraph" is nearly always text extracted without line breaks."""
    from .segment import SENTENCE_KINDS, sentence_pipeline

    longest = max((b for b in document.blocks if b.kind in SENTENCE_KINDS), key=lambda b: len(b.text), default=None)
    limit = sentence_pipeline().max_length
    if longest is not None and len(longest.text) > limit:
        raise BilingualError(
            f"line {longest.line}: a paragraph of {len(longest.text):,} characters, more than the sentence "
            f"splitter takes ({limit:,}); was the text extracted without line breaks?",
            source,
        )


def prepare_many(jobs: Sequence[Job], workers: int = 1,
                 on_read: Callable[[int, int], None] | None = None) -> list[Prepared]:
    """:func:`prepare` every job, in input order; in ``workers`` processes when > 1.

    Each worker process builds its own spaCy pipeline (once). Only worth it when
    documents are many and large: on 2 cores a small document prepares in ~7 ms
    after a ~0.5 s pipeline start-up, which every worker pays again (bench/lt_bench.py).
    """
    workers = max(1, min(int(workers), len(jobs)))
    if on_read is not None:
        on_read(0, len(jobs))
    if workers == 1:
        out = []
        for job in jobs:
            out.append(prepare(job))
            if on_read is not None:
                on_read(1, len(jobs))
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: no fork of a parent that may run threads (progress bar, HTTP pool).
    context = multiprocessing.get_context("forkserver")
    chunksize = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        out = []
        for prepared in pool.map(prepare, jobs, chunksize=chunksize):
            out.append(prepared)
            if on_read is not None:
                on_read(1, len(jobs))
        return out


def _relative(path: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def split_for_engine(text: str, limit: int = MAX_ENGINE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` chars at the best clause boundary.

    ``"".join(pieces) == text``. Placeholders (ASCII runs) are never cut.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for mark in _CUT_POINTS:
            cut = window.rfind(mark)
            if cut >= limit // 3:
                break
        if cut < limit // 3:
            cut = limit - 1
            while cut > 0 and rest[cut].isascii() and rest[cut].isalnum() and rest[cut + 1:cut + 2].isalnum():
                cut -= 1  # don't split a placeholder or a number
            if cut <= 0:
                cut = limit - 1
        pieces.append(rest[:cut + 1])
        rest = rest[cut + 1:]
    if rest:
        pieces.append(rest)
    return pieces


def join_english(pieces: Sequence[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p.strip() for p in pieces)).strip()


@dataclass
class MTResult:
    text: str
    comments: list[str]
    from_cache: bool
    protected: int  # placeholders sent
    dropped: int  # placeholders the engine lost


class _SegmentProgress:
    """Engine progress (pieces: segments cut for the engine, deduplicated) shown as segments.

    ``on_progress(advance, total)`` gets segments, ``total`` = the segments sent to the
    engine (the summary's ``machine``); the pieces done so far are scaled to segments,
    and the count ends exactly at ``total``.
    """

    def __init__(self, on_progress: Callable[[int, int], None] | None, pieces: int, segments: int):
        self.on_progress, self.pieces, self.segments = on_progress, pieces, segments
        self.done_pieces = self.shown = 0
        if on_progress is not None:
            on_progress(0, segments)

    def advance(self, pieces: int) -> None:
        self.done_pieces += pieces
        if self.on_progress is None or not self.pieces:
            return
        now = min(self.segments, self.done_pieces * self.segments // self.pieces)
        if now > self.shown:
            self.on_progress(now - self.shown, self.segments)
            self.shown = now

    def finish(self) -> None:
        if self.on_progress is not None and self.shown < self.segments:
            self.on_progress(self.segments - self.shown, self.segments)
            self.shown = self.segments


class Translator:
    """Runs the engine over many segments with cache, batching and progress."""

    def __init__(self, engine, glossary, cache=None, *, batch_size: int | None = None,
                 on_progress: Callable[[int, int], None] | None = None):
        self.engine = engine
        self.glossary = glossary
        self.cache = cache
        # An engine that sends concurrent requests (libretranslate) asks for bigger batches.
        self.batch_size = batch_size or getattr(engine, "preferred_batch_size", None) or BATCH_SIZE
        self.on_progress = on_progress

    def _run_batches(self, todo: list[str], total: int, keys: dict[str, str], done: dict[str, str],
                     fine_grained: bool, report: _SegmentProgress) -> None:
        """Send ``todo`` to the engine in batches; each batch is cached as soon as it is back."""
        for start in range(0, total, self.batch_size):
            batch = todo[start:start + self.batch_size]
            outputs = self.engine.translate(batch)
            if len(outputs) != len(batch):
                raise BilingualError(f"engine {self.engine.name} returned {len(outputs)} results for {len(batch)} inputs")
            done.update(zip(batch, outputs, strict=True))
            if self.cache is not None:
                self.cache.put_many((keys[p], out) for p, out in zip(batch, outputs, strict=True))
            if not fine_grained:
                report.advance(len(batch))

    def translate(self, sources: Sequence[str]) -> list[MTResult]:
        """English for each source, with its provenance comments."""
        from .cache import cache_key
        from .glossary import protect, restore

        glossary_version = getattr(self.glossary, "version", "none")
        identity = self.engine.identity()
        protected = [protect(src, self.glossary) for src in sources]
        pieces = [split_for_engine(p.text) for p in protected]
        keys = {piece: cache_key(identity, glossary_version, piece) for ps in pieces for piece in ps}
        cached = self.cache.get_many(keys.values()) if self.cache is not None else {}
        todo = sorted({p for p, k in keys.items() if k not in cached and p.strip()}, key=len)
        done: dict[str, str] = {p: cached[k] for p, k in keys.items() if k in cached}
        done.update({p: "" for p in keys if not p.strip()})
        total = len(todo)
        # The bar counts what the summary counts: segments sent to the engine ("machine").
        sent = sum(1 for ps in pieces if not all(keys[p] in cached for p in ps))
        report = _SegmentProgress(self.on_progress, total, sent)
        # Engines that report finished sub-batches (argos) drive the progress bar themselves.
        fine_grained = self.on_progress is not None and hasattr(self.engine, "on_progress")
        if fine_grained:
            self.engine.on_progress = report.advance
        try:
            self._run_batches(todo, total, keys, done, fine_grained, report)
        finally:
            if fine_grained:
                self.engine.on_progress = None
        report.finish()
        results = []
        for prot, ps in zip(protected, pieces, strict=True):
            english, missing = restore(join_english([done[p] for p in ps]), prot, self.glossary)
            comments = [f"origin: machine translation ({identity})"]
            if missing:
                names = [self.glossary.english(term) for term in missing]
                english = f"{english} [{'; '.join(names)}]".strip()
                comments += [f"missing term: {t.zh} = {n} (dropped by MT, appended)" for t, n in zip(missing, names, strict=True)]
            results.append(MTResult(english, comments, all(keys[p] in cached for p in ps),
                                    len(prot.slots), len(missing)))
        return results


def segment_comments(document: Document, segments: Sequence[Segment], glossary) -> dict[str, list[str]]:
    """The ``#.`` lines for each entry: where it sits, its lead agencies, its terms."""
    comments: dict[str, list[str]] = {}
    for seg in segments:
        lines = []
        if seg.section is not None and seg.section in document.section_titles:
            lines.append(f"section {seg.section}: {document.section_titles[seg.section]}")
        if seg.measure is not None and seg.measure in document.measure_titles:
            lines.append(f"measure {seg.measure}: {document.measure_titles[seg.measure]}")
        if seg.agencies:
            lines.append("lead agencies: " + "、".join(seg.agencies))
        if glossary is not None:
            seen = []
            for match in glossary.match(seg.source):
                item = f"{match.term.zh} = {glossary.english(match.term)}"
                if item not in seen:
                    seen.append(item)
            if seen:
                lines.append("glossary: " + "; ".join(seen))
        comments[seg.ctx] = lines
    return comments


def run(jobs: Sequence[Job], engine, glossary, *, cache=None, memory=None,
        on_progress: Callable[[int, int], None] | None = None, lock_timeout: float = 0.0,
        workers: int = 1, on_read: Callable[[int, int], None] | None = None) -> list[Stats]:
    """Translate every job; write each PO file atomically under a file lock.

    ``workers`` > 1 prepares (ingest, structure, segment) the documents in that
    many processes (:func:`prepare_many`). Progress: ``on_read(advance, total)`` counts
    documents read and segmented, ``on_progress(advance, total)`` segments sent to MT.
    """
    from .render import render_segment

    # Sources first: a bad source fails before any PO folder or lock file is created.
    prepared = prepare_many(jobs, workers, on_read)
    with contextlib.ExitStack() as locks:
        for prep in prepared:
            locks.enter_context(file_lock(prep.job.po, timeout=lock_timeout))
            load_existing(prep)
        stats: list[Stats] = []
        proposals: list[dict[str, Translation]] = []
        pending: list[tuple[int, Segment]] = []
        for number, prep in enumerate(prepared):
            st = Stats(document=prep.job.name, po=str(prep.job.po), segments=len(prep.segments),
                       warnings=list(prep.document.warnings))
            plan = po_mod.plan_reuse(prep.segments, prep.catalog)
            props: dict[str, Translation] = {}
            for seg in prep.segments:
                if seg.ctx in plan:
                    st.reused += 1
                    continue
                rendered = render_segment(seg, glossary)
                if rendered is not None:
                    st.rendered += 1
                    props[seg.ctx] = Translation(rendered.text, rendered.fuzzy,
                                                 [f"origin: {rendered.origin}", *rendered.comments])
                    continue
                hit = memory.lookup(seg.source, seg.ctx, prep.job.name) if memory is not None else None
                if hit is not None:
                    st.memory += 1
                    props[seg.ctx] = Translation(hit.text, hit.fuzzy, hit.comments)
                    continue
                pending.append((number, seg))
            stats.append(st)
            proposals.append(props)
        if engine is not None and pending:
            translator = Translator(engine, glossary, cache, on_progress=on_progress)
            outputs = translator.translate([seg.source for _, seg in pending])
            for (number, seg), result in zip(pending, outputs, strict=True):
                proposals[number][seg.ctx] = Translation(result.text, True, result.comments)
                st = stats[number]
                st.terms_protected += result.protected
                st.terms_dropped += result.dropped
                if result.from_cache:
                    st.cached += 1
                else:
                    st.machine += 1
        for prep, props, st in zip(prepared, proposals, stats, strict=True):
            comments = segment_comments(prep.document, prep.segments, glossary)
            catalog = po_mod.merge_catalog(prep.segments, props, prep.catalog, document=prep.job.name,
                                           source_ref=prep.source_ref, comments=comments)
            st.written = po_mod.save_catalog(catalog, prep.job.po, prep.previous_text)
            active = po_mod.active_entries(catalog)
            st.fuzzy = sum(1 for e in active if "fuzzy" in e.flags)
            st.untranslated = sum(1 for e in active if not e.msgstr)
        return stats
