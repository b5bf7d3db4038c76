"""Orchestration: source files → segments → rule / memory / cache / engine → PO files.

For every segment, the cheapest source of English wins, in this order:

1. the existing PO entry (a translator's work, or an earlier run's): kept as is — except an
   entry the glossary rendered that nobody edited, which follows a changed glossary (refresh.py);
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
from .fileio import file_lock
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
    terms_protected: int = 0  # glossary occurrences replaced by placeholders (or written inline) before MT
    terms_dropped: int = 0  # … the engine lost in the kept output (appended, entry fuzzy)
    terms_recovered: int = 0  # … lost by the placeholder output but carried by the kept inline retry
    term_strategy: str = ""
    flagged: int = 0  # unreviewed entries with mt-check or suspect-name comments (what a reviewer looks at first)
    mt_flags: dict[str, int] = field(default_factory=dict)  # mt-check reasons of those entries, by code
    suspect_names: int = 0  # entries naming a body the glossary does not know: left empty, never sent to MT
    retranslated: int = 0  # unreviewed machine output translated again (other engine, --retranslate)
    written: bool = False
    scope: str = ""  # the glossary scope: the issuer's place, "national", "unsure" or "glossary_files"
    issuer: str = ""  # why: the issuer inferred and its signals
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
    prep.catalog, prep.previous_text = po_mod.read_existing(prep.job.po, prep.job.name)


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


def split_for_engine(text: str, limit: int = MAX_ENGINE_CHARS, keep: Sequence[tuple[int, int]] = ()) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` chars at the best clause boundary.

    ``"".join(pieces) == text``. Placeholders (ASCII runs) are never cut, nor the
    ``keep`` spans (the approved English written inline, which may contain spaces and
    commas): a piece grows past ``limit`` only when a kept span alone is longer.
    """
    if len(text) <= limit:
        return [text]
    inside = bytearray(len(text) + 1)  # inside[i]: cutting before index i would split a kept span
    for start, end in keep:
        inside[start + 1:end] = b"\1" * max(0, end - start - 1)
    pieces: list[str] = []
    rest, offset = text, 0
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for mark in _CUT_POINTS:
            cut = window.rfind(mark)
            while cut >= 0 and inside[offset + cut + 1]:
                cut = window.rfind(mark, 0, cut)
            if cut >= limit // 3:
                break
        if cut < limit // 3:
            cut = limit - 1
            while cut > 0 and rest[cut].isascii() and rest[cut].isalnum() and rest[cut + 1:cut + 2].isalnum():
                cut -= 1  # don't split a placeholder or a number
            while cut > 0 and inside[offset + cut + 1]:
                cut -= 1
            if cut <= 0:
                cut = limit - 1
                while inside[offset + cut + 1] and offset + cut + 1 < len(text):
                    cut += 1  # a kept span longer than the budget: the piece ends after it
        pieces.append(rest[:cut + 1])
        rest, offset = rest[cut + 1:], offset + cut + 1
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
    protected: int  # glossary occurrences sent as placeholders (or inline)
    dropped: int  # … the engine lost (appended, entry fuzzy)
    recovered: int = 0  # … lost by the placeholder output, carried by the kept inline retry
    reasons: list = field(default_factory=list)  # mtcheck.Reason of the kept output


class _SegmentProgress:
    """Engine progress (pieces: segments cut for the engine, deduplicated) shown as segments.

    ``on_progress(advance, total)`` gets segments, ``total`` = the segments sent to the
    engine (the summary's ``machine``); the pieces done so far are scaled to segments,
    and the count ends exactly at ``total``.
    """

    def __init__(self, on_progress: Callable[[int, int], None] | None, pieces: int, segments: int, base: int = 0):
        self.on_progress, self.pieces, self.segments = on_progress, pieces, segments
        self.total = base + segments  # ``base``: segments of earlier passes (a term-strategy retry)
        self.done_pieces = self.shown = 0
        if on_progress is not None:
            on_progress(0, self.total)

    def advance(self, pieces: int) -> None:
        self.done_pieces += pieces
        if self.on_progress is None or not self.pieces:
            return
        now = min(self.segments, self.done_pieces * self.segments // self.pieces)
        if now > self.shown:
            self.on_progress(now - self.shown, self.total)
            self.shown = now

    def finish(self) -> None:
        if self.on_progress is not None and self.shown < self.segments:
            self.on_progress(self.segments - self.shown, self.total)
            self.shown = self.segments


class Translator:
    """Runs the engine over many segments with cache, batching, progress and MT checks.

    ``term_strategy`` is how approved terms reach the engine (bilingual/termstrategy.py):
    ``placeholder``, ``inline`` or ``retry`` (placeholders, and an inline retry of the
    segments whose output lost one).
    """

    def __init__(self, engine, glossary, cache=None, *, batch_size: int | None = None,
                 on_progress: Callable[[int, int], None] | None = None, term_strategy: str = "retry"):
        from .termstrategy import STRATEGIES

        if term_strategy not in STRATEGIES:
            raise BilingualError(f"unknown term strategy {term_strategy!r}; choose one of {', '.join(STRATEGIES)}")
        self.engine = engine
        self.glossary = glossary
        self.cache = cache
        # An engine that sends concurrent requests (libretranslate) asks for bigger batches.
        self.batch_size = batch_size or getattr(engine, "preferred_batch_size", None) or BATCH_SIZE
        self.on_progress = on_progress
        self.term_strategy = term_strategy
        self._sent = 0  # segments sent so far by this translator (a retry pass extends the bar)

    def _run_batches(self, todo: list[str], total: int, keys: dict[str, str], done: dict[str, str],
                     fine_grained: bool, report: _SegmentProgress) -> None:
        """Send ``todo`` to the engine in batches; each batch is cached as soon as it is back."""
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start:start + self.batch_size]
            outputs = self.engine.translate(batch)
            if len(outputs) != len(batch):
                raise BilingualError(f"engine {self.engine.name} returned {len(outputs)} results for {len(batch)} inputs")
            done.update(zip(batch, outputs, strict=True))
            if self.cache is not None:
                self.cache.put_many((keys[p], out) for p, out in zip(batch, outputs, strict=True))
            if not fine_grained:
                report.advance(len(batch))

    def _engine_outputs(self, texts: Sequence[str], keeps: Sequence[Sequence[tuple[int, int]]] | None = None,
                        ) -> tuple[list[str], list[bool]]:
        """English for each text (cut for the engine — never inside its ``keeps`` spans —,
        cached, batched, rejoined) and whether all of it came from the cache."""
        from .cache import cache_key

        glossary_version = getattr(self.glossary, "version", "none")
        identity = self.engine.identity()
        keeps = keeps or [()] * len(texts)
        pieces = [split_for_engine(text, keep=keep) for text, keep in zip(texts, keeps, strict=True)]
        keys = {piece: cache_key(identity, glossary_version, piece) for ps in pieces for piece in ps}
        cached = self.cache.get_many(keys.values()) if self.cache is not None else {}
        todo = sorted({p for p, k in keys.items() if k not in cached and p.strip()}, key=len)
        done: dict[str, str] = {p: cached[k] for p, k in keys.items() if k in cached}
        done.update({p: "" for p in keys if not p.strip()})
        total = len(todo)
        # The bar counts what the summary counts: segments sent to the engine ("machine");
        # a retry pass adds its segments to the total instead of restarting the bar.
        sent = sum(1 for ps in pieces if not all(keys[p] in cached for p in ps))
        report = _SegmentProgress(self.on_progress, total, sent, base=self._sent)
        self._sent += sent
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
        return ([join_english([done[p] for p in ps]) for ps in pieces],
                [all(keys[p] in cached for p in ps) for ps in pieces])

    def translate(self, sources: Sequence[str]) -> list[MTResult]:
        """English for each source, with its provenance and MT-check comments."""
        from .glossary import protect
        from .termstrategy import annotate_inline, candidate, choose, needs_retry

        inline_first = self.term_strategy == "inline"
        protected = [protect(src, self.glossary) for src in sources]
        if inline_first:
            outputs, from_cache = self._engine_outputs(*zip(*[annotate_inline(p, self.glossary) for p in protected],
                                                           strict=True)) if protected else ([], [])
        else:
            outputs, from_cache = self._engine_outputs([p.text for p in protected])
        checked: dict[tuple, object] = {}  # a repeated sentence with the same output is checked once

        def check(out: str, prot, inline: bool):
            key = (prot.source, out, inline)
            if key not in checked:
                checked[key] = candidate(out, prot, self.glossary, inline=inline)
            return checked[key]

        firsts = [check(out, prot, inline_first) for out, prot in zip(outputs, protected, strict=True)]
        kept, notes = list(firsts), [""] * len(firsts)
        if self.term_strategy == "retry":
            redo = [i for i, first in enumerate(firsts) if needs_retry(first)]
            if redo:
                retried, _ = self._engine_outputs(*zip(*[annotate_inline(protected[i], self.glossary) for i in redo],
                                                       strict=True))
                for i, out in zip(redo, retried, strict=True):
                    kept[i], notes[i] = choose(firsts[i], check(out, protected[i], True))
        identity = self.engine.identity()
        results = []
        for prot, first, chosen, note, cached in zip(protected, firsts, kept, notes, from_cache, strict=True):
            english = chosen.english
            origin = f"origin: machine translation ({identity})"
            if inline_first:
                note = "terms inline"
            comments = [f"{origin}; {note}" if note else origin]
            if chosen.lost:
                names = [self.glossary.english(term) for term in chosen.lost]
                english = f"{english} [{'; '.join(dict.fromkeys(names))}]".strip()
                comments += [f"missing term: {t.zh} = {n} (dropped by MT, appended)"
                             for t, n in dict.fromkeys(zip(chosen.lost, names, strict=True))]
            comments += [reason.comment() for reason in chosen.reasons]
            recovered = len(first.lost) - len(chosen.lost) if chosen is not first else 0
            results.append(MTResult(english, comments, cached, len(prot.slots), len(chosen.lost),
                                    max(recovered, 0), chosen.reasons))
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


def _refresh(seg: Segment, entry, glossary) -> bool:
    """Give an untouched glossary rendering the glossary's current English (see refresh.py)."""
    from .refresh import refreshed_text

    text = refreshed_text(seg, entry, glossary, po_mod.comment_lines(entry.comment))
    if text is None:
        return False
    entry.msgstr = text
    return True


def _document_glossary(prep: Prepared, glossary, st: Stats):
    """The glossary of one document: its config's ``glossary_files`` (already applied by the
    caller), else the scope of its inferred issuer (issuer.py, scope.py)."""
    if glossary is None or prep.job.glossary_files:
        st.scope = "glossary_files" if prep.job.glossary_files else ""
        return glossary
    from .issuer import infer_document
    from .scope import scoped_glossary

    inference = infer_document(prep.document)
    st.scope = inference.label
    st.issuer = inference.describe()
    return scoped_glossary(glossary, inference.place)


def _note_unresolved_short_forms(segments: Sequence[Segment], comments: dict[str, list[str]]) -> list[str]:
    """A comment on entries with a city or province short form that no glossary scope resolved;
    returns the short forms found."""
    from .issuer import short_forms

    every: list[str] = []
    for seg in segments:
        found = short_forms(seg.source)
        if found:
            comments.setdefault(seg.ctx, []).append(
                f"issuer unsure: {'、'.join(found)} not rendered (which city's? check the issuer)")
            every += [f for f in found if f not in every]
    return every


def run(jobs: Sequence[Job], engine, glossary, *, cache=None, memory=None,
        on_progress: Callable[[int, int], None] | None = None, lock_timeout: float = 0.0,
        workers: int = 1, on_read: Callable[[int, int], None] | None = None,
        term_strategy: str = "retry", force: bool = False, retranslate: bool = False) -> list[Stats]:
    """Translate every job; write each PO file atomically under a file lock.

    ``workers`` > 1 prepares (ingest, structure, segment) the documents in that
    many processes (:func:`prepare_many`). Progress: ``on_read(advance, total)`` counts
    documents read and segmented, ``on_progress(advance, total)`` segments sent to MT.
    ``term_strategy``: see :class:`Translator`. A name in the masthead, the signatures or
    an agency list that the glossary does not know is never sent to the engine
    (bilingual/suspects.py). Unreviewed machine output of another engine or model (any,
    with ``retranslate``) is translated again by ``engine``. A merge that would make more
    than half of a file's reviewed entries obsolete stops the run before anything is
    written, unless ``force``.
    """
    from .mtcheck import flag_counts
    from .render import render_segment
    from .suspects import suspect_comments

    base_glossary = glossary
    # Sources first: a bad source fails before any PO folder or lock file is created.
    prepared = prepare_many(jobs, workers, on_read)
    with contextlib.ExitStack() as locks:
        for prep in prepared:
            locks.enter_context(file_lock(prep.job.po, timeout=lock_timeout))
            load_existing(prep)
        stats: list[Stats] = []
        proposals: list[dict[str, Translation]] = []
        pending: list[tuple[int, Segment]] = []
        glossaries = []
        identity = engine.identity() if engine is not None else None
        plans = []
        for number, prep in enumerate(prepared):
            st = Stats(document=prep.job.name, po=str(prep.job.po), segments=len(prep.segments),
                       warnings=list(prep.document.warnings), term_strategy=term_strategy if engine else "")
            glossary = _document_glossary(prep, base_glossary, st)
            glossaries.append(glossary)
            plan = po_mod.align(prep.segments, prep.catalog)
            plans.append(plan)
            props: dict[str, Translation] = {}
            for seg in prep.segments:
                reuse = plan.reuse.get(seg.ctx)
                if reuse is not None:
                    if reuse.kind == "same" and _refresh(seg, reuse.entry, glossary):
                        st.rendered += 1
                        continue
                    if identity is None or not po_mod.needs_retranslation(reuse, identity, retranslate):
                        st.reused += 1
                        continue
                    st.retranslated += 1
                rendered = render_segment(seg, glossary)
                suspects = suspect_comments(seg, glossary) if rendered is None or rendered.fuzzy else []
                if suspects:
                    st.suspect_names += 1
                    props[seg.ctx] = Translation("", False, suspects)
                    continue
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
        by_glossary: dict[int, list[tuple[int, Segment]]] = {}
        for number, seg in pending:  # documents of one glossary scope share one batch stream
            by_glossary.setdefault(id(glossaries[number]), []).append((number, seg))
        for group in by_glossary.values() if engine is not None else ():
            translator = Translator(engine, glossaries[group[0][0]], cache, on_progress=on_progress,
                                    term_strategy=term_strategy)
            outputs = translator.translate([seg.source for _, seg in group])
            for (number, seg), result in zip(group, outputs, strict=True):
                proposals[number][seg.ctx] = Translation(result.text, True, result.comments)
                st = stats[number]
                st.terms_protected += result.protected
                st.terms_dropped += result.dropped
                st.terms_recovered += result.recovered
                if result.from_cache:
                    st.cached += 1
                else:
                    st.machine += 1
        merged = []
        for prep, props, plan, st, glossary in zip(prepared, proposals, plans, stats, glossaries, strict=True):
            comments = segment_comments(prep.document, prep.segments, glossary)
            if st.scope == "unsure":
                unresolved = _note_unresolved_short_forms(prep.segments, comments)
                if unresolved:  # only when it matters: the document uses a city's short forms
                    st.warnings.append(f"{st.issuer}: no city's short forms applied ({'、'.join(unresolved[:5])}… "
                                       "left to review); set glossary_files in bilingual.toml to choose")
            catalog = po_mod.merge_catalog(prep.segments, props, prep.catalog, document=prep.job.name,
                                           source_ref=prep.source_ref, comments=comments, plan=plan)
            refusal = catalog.merge_report.refusal()
            if refusal is not None and not force:
                raise BilingualError(refusal, prep.job.po)  # before any file of the run is written
            merged.append(catalog)
        for prep, catalog, st in zip(prepared, merged, stats, strict=True):
            st.written = po_mod.save_catalog(catalog, prep.job.po, prep.previous_text)
            active = po_mod.active_entries(catalog)
            st.fuzzy = sum(1 for e in active if "fuzzy" in e.flags)
            st.untranslated = sum(1 for e in active if not po_mod.has_translation(e))
            st.flagged, st.mt_flags = flag_counts(e for e in active if not po_mod.is_reviewed(e))
        return stats

