"""Orchestration: source files → segments → rule / memory / cache / engine → PO files.

For every segment, the cheapest source of English wins, in this order:

1. the existing PO entry (a translator's work, or an earlier run's): kept as is — except an
   entry the glossary rendered that nobody edited, which follows a changed glossary (refresh.py);
2. a deterministic rendering (render.py: dates, document numbers, names);
3. the MT cache (cache.py), keyed by engine, model, glossary version and text;
4. the engine, in full batches across documents (mtstream.py), on glossary-protected text.

This module holds one document's steps: :func:`~bilingual.preparation.prepare` (ingest,
structure, segment; in preparation.py, with the ``#.`` lines in entrycomments.py),
:func:`plan_document` (what each segment gets, what goes to MT) and
:func:`finish_document` (merge, write). :func:`run` — bilingual/library.py — drives them
over a library: unchanged documents skipped (bilingual/runstate.py), the others in
bounded groups, while one MT stream keeps the engine's batches full.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import po as po_mod
from .entrycomments import EntryComments
from .errors import BilingualError
from .model import Document, Segment
from .mtstream import (  # noqa: F401 - the public names of MT live in mtstream.py; kept importable here
    BATCH_SIZE,
    MAX_ENGINE_CHARS,
    MTResult,
    Translator,
    join_english,
    split_for_engine,
)
from .po import Translation
from .preparation import (  # noqa: F401 - kept importable here: the run's callers and tests use translate.Job …
    Job,
    Prepared,
    load_existing,
    prepare,
    prepare_many,
)


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
    skipped: bool = False  # unchanged since the last run (bilingual/runstate.py): not even read
    scope: str = ""  # the glossary scope: the issuer's place, "national", "unsure" or "glossary_files"
    issuer: str = ""  # why: the issuer inferred and its signals
    repairs: dict[str, int] = field(default_factory=dict)  # extraction damage repaired in the source, by kind
    warnings: list[str] = field(default_factory=list)
    # those of ``warnings`` that say what this run did ("translated again", "restored"): a later
    # run that skips the unchanged document does not repeat them (runstate.summary_of)
    run_only: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "run_only"}


def _refresh(seg: Segment, entry, glossary) -> bool:
    """Give an untouched glossary rendering the glossary's current English (see refresh.py)."""
    from .refresh import refreshed_text

    text = refreshed_text(seg, entry, glossary, po_mod.comment_lines(entry.comment))
    if text is None:
        return False
    entry.msgstr = text
    return True


def _stale(seg: Segment, entry, glossary) -> bool:
    """A rule/glossary rendering of a source that since changed, untouched (see refresh.py)."""
    from .refresh import stale_rendering

    return stale_rendering(seg, entry, glossary, po_mod.comment_lines(entry.comment))


def _document_glossary(prep: Prepared, glossary, st: Stats) -> tuple[object, dict]:
    """The glossary of one document and its scope (recorded in the run state): its config's
    ``glossary_files`` (already applied by the caller), else the scope of its inferred issuer
    (issuer.py, scope.py)."""
    if glossary is None or prep.job.glossary_files:
        st.scope = "glossary_files" if prep.job.glossary_files else ""
        return glossary, {"files": list(prep.job.glossary_files or ())}
    from .scope import document_glossary

    scoped, inference = document_glossary(glossary, prep.document)
    st.scope = inference.label
    st.issuer = inference.describe()
    return scoped, {"place": inference.place}


def _issuer_place(document: Document, scope: dict) -> str | None:
    """The issuer's place (issuer.py): a memory's exact match at the same place of another document
    is taken as reviewed only from a document of the same issuer (memory.py). The glossary scope
    inferred it already, except for a document whose config chose ``glossary_files``."""
    if "place" in scope:
        return scope["place"]
    from .issuer import infer_document

    return infer_document(document).place


def planned_refusal(plan, catalog) -> str | None:
    """The obsolete guard (:meth:`bilingual.po.MergeReport.refusal`), decided from the alignment
    alone, before any segment is translated: a reviewed entry no segment reuses goes obsolete."""
    if catalog is None:
        return None
    used = {id(reuse.entry) for reuse in plan.reuse.values()}
    report = po_mod.MergeReport()
    for old in catalog:
        if not old.obsolete and not (old.msgid == "" and not old.msgctxt):
            report.reviewed += po_mod.human_reviewed(old)
        if id(old) not in used and po_mod.human_reviewed(old):
            report.obsoleted.append(old.msgctxt or old.msgid)
    return report.refusal()


@dataclass
class DocWork:
    """One document between its plan and its write: what it waits for from MT."""

    prep: Prepared
    stats: Stats
    glossary: object
    scope: dict
    plan: object
    proposals: dict[str, Translation]
    pending: list[Segment]  # segments for the engine
    outstanding: int = 0  # of them, not back yet
    owners: object = None  # provenance.Owners: whose English each kept entry is
    lock: contextlib.ExitStack | None = None


def plan_document(prep: Prepared, glossary, *, identity: str | None, memory=None, retranslate: bool = False,
                  term_strategy: str = "retry", cache=None) -> DocWork:
    """What each segment of a prepared document (its PO file loaded) gets: the PO entry kept,
    a rendering, the memory, or MT (``pending``). A name in the masthead, the signatures or
    an agency list that the glossary does not know is never sent to the engine
    (bilingual/suspects.py). Unreviewed machine output of another engine or model (any,
    with ``retranslate``) is translated again by the engine of ``identity`` — unless the MT
    cache shows a translator edited it; entries whose provenance another tool removed are
    machine output only if they are exactly the engine's (bilingual/provenance.py)."""
    from .provenance import Owners
    from .render import render_segment
    from .suspects import suspect_comments

    st = Stats(document=prep.job.name, po=str(prep.job.po), segments=len(prep.segments),
               warnings=list(prep.document.warnings), term_strategy=term_strategy if identity else "",
               repairs=dict(prep.repairs))
    glossary, scope = _document_glossary(prep, glossary, st)
    plan = po_mod.align(prep.segments, prep.catalog)
    props: dict[str, Translation] = {}
    pending: list[Segment] = []
    place = _issuer_place(prep.document, scope) if memory is not None else None
    owners = Owners.survey(prep.segments, plan, glossary, identity=identity, retranslate=retranslate, cache=cache,
                           term_strategy=term_strategy)
    for seg in prep.segments:
        reuse = plan.reuse.get(seg.ctx)
        if reuse is not None:
            if owners.ask_engine(seg, reuse.entry, glossary):
                pending.append(seg)
                continue
            if reuse.kind == "same" and _refresh(seg, reuse.entry, glossary):
                st.rendered += 1
                continue
            if reuse.kind != "same" and _stale(seg, reuse.entry, glossary):
                pass  # an untouched rendering of the old source: rendered again below
            elif (identity is None or not po_mod.needs_retranslation(reuse, identity, retranslate)
                    or owners.keeps(seg, reuse.entry)):
                if owners.follows_glossary(seg, reuse, glossary):  # its terms' English changed: draftrefresh.py
                    pending.append(seg)
                    continue
                st.reused += 1
                continue
            else:
                st.retranslated += 1
        rendered = render_segment(seg, glossary)
        suspects = suspect_comments(seg, glossary) if rendered is None or rendered.fuzzy else []
        if suspects:
            st.suspect_names += 1
            props[seg.ctx] = Translation("", False, suspects)
            continue
        if rendered is not None:
            st.rendered += 1
            props[seg.ctx] = Translation(rendered.text, rendered.fuzzy, [f"origin: {rendered.origin}", *rendered.comments])
            continue
        hit = memory.lookup(seg.source, seg.ctx, prep.job.name, place) if memory is not None else None
        if hit is not None:
            st.memory += 1
            props[seg.ctx] = Translation(hit.text, hit.fuzzy, hit.comments)
            continue
        pending.append(seg)
    if identity is None:
        pending = []  # --engine none: left empty
    return DocWork(prep, st, glossary, scope, plan, props, pending, len(pending), owners=owners)


def warm_plan(glossary, document: Document, later: Callable[[Callable[[], object]], None] | None = None) -> None:
    """Compile ahead what :func:`plan_document` and the MT checks of ``document`` compile on
    first use — its scoped glossary's matcher, the approved English patterns of the terms of
    its sentence blocks (bilingual/mtcheck.py) — and import the modules they need. Nothing is
    decided here: the same cached objects are found later, whether this ran or not.

    The matcher is needed before the first MT batch; the English patterns only when outputs
    come back, so with ``later`` (:meth:`MTStream.while_decoding <bilingual.mtstream.MTStream.while_decoding>`)
    they compile while the engine decodes, otherwise here. On the shipped document that is
    ~0.05 s of matcher and ~0.07 s of English patterns that would otherwise fall after the
    last MT batch (bench/README.md)."""
    import rapidfuzz.process  # noqa: F401 - with termbase: what suspects.closest_known imports

    from . import provenance, render, suspects, termbase  # noqa: F401 - plan_document's imports
    from .mtcheck import english_pattern
    from .scope import document_glossary
    from .segment import SENTENCE_KINDS

    if glossary is None:
        return
    scoped, _ = document_glossary(glossary, document)
    names: dict[str, None] = {}
    for block in document.blocks:
        if block.kind in SENTENCE_KINDS:
            for match in scoped.match(block.text):  # the first match compiles the matcher
                name = scoped.english(match.term)
                if name:
                    names[name] = None

    def compile_names() -> None:
        for name in names:
            english_pattern(name)

    if later is None:
        compile_names()
    else:
        later(compile_names)


def take_result(work: DocWork, seg: Segment, result: MTResult) -> None:
    """Put one MT result into the document's proposals and counts. An entry that lost its
    provenance (:func:`plan_document`) gets its origin back when it is exactly this output, and
    is kept as a person's English when it is not."""
    if work.owners is None or not work.owners.take(seg.ctx, result):
        work.proposals[seg.ctx] = Translation(result.text, True, result.comments)
    st = work.stats
    st.terms_protected += result.protected
    st.terms_dropped += result.dropped
    st.terms_recovered += result.recovered
    if result.from_cache:
        st.cached += 1
    else:
        st.machine += 1
    work.outstanding -= 1


def merge_document(work: DocWork, force: bool = False):
    """The merged catalogue of a document whose MT is back; refuses (without ``force``) a merge
    that would make more than half of its reviewed entries obsolete. Writes nothing."""
    prep, st = work.prep, work.stats
    if work.owners is not None:
        done = work.owners.warnings()
        st.warnings += done
        st.run_only += done
        st.retranslated += work.owners.refreshed
        st.reused += work.owners.kept_stale
    comments = EntryComments(prep.document, work.glossary, unsure=st.scope == "unsure")
    if comments.unsure:
        unresolved = comments.unresolved(prep.segments)
        if unresolved:  # only when it matters: the document uses a city's short forms
            st.warnings.append(f"{st.issuer}: no city's short forms applied ({'、'.join(unresolved[:5])}… "
                               "left to review); set glossary_files in bilingual.toml to choose")
    catalog = po_mod.merge_catalog(prep.segments, work.proposals, prep.catalog, document=prep.job.name,
                                   source_ref=prep.source_ref, comments=comments, plan=work.plan,
                                   keep_earlier=work.owners.keep_earlier if work.owners is not None else (),
                                   stream=True)
    refusal = catalog.merge_report.refusal()
    if refusal is not None and not force:
        raise BilingualError(refusal, prep.job.po)
    gone = catalog.merge_report.obsoleted
    if gone:  # kept in the file, but out of sight in an editor: say where each went
        st.warnings.append(f"{len(gone)} reviewed translation(s) match no sentence of the source any more, kept as "
                           f"obsolete (#~) entries: {', '.join(gone[:5])}{' …' if len(gone) > 5 else ''}; if the "
                           "source did not change there, a msgid was edited by mistake: undo that and run again")
    return catalog


def write_document(work: DocWork, catalog) -> str | None:
    """Write the merged catalogue (only if it changed) and count what the summary shows; returns
    the SHA-256 of the PO file as it now is on disk (what the run state records; None: no file).
    A streamed catalogue (a new file, :class:`bilingual.po.merge.StreamedCatalog`) is counted
    while it is written: its entries exist only then."""
    st = work.stats
    counts = _EntryCounts()
    streamed = isinstance(catalog, po_mod.StreamedCatalog)
    if streamed:
        catalog.watchers.append(counts.add)
    st.written = po_mod.save_catalog(catalog, work.prep.job.po, work.prep.previous_text)
    if not streamed:
        for entry in catalog:
            counts.add(entry)
    st.fuzzy, st.untranslated, st.flagged, st.mt_flags = counts.fuzzy, counts.untranslated, counts.flagged, counts.codes
    return getattr(catalog, "saved_sha256", None)  # save_catalog hashed the file it wrote or left


class _EntryCounts:
    """The summary's counts over the active entries of a catalogue, one entry at a time."""

    def __init__(self) -> None:
        self.fuzzy = self.untranslated = self.flagged = 0
        self.codes: dict[str, int] = {}

    def add(self, entry) -> None:
        from .mtcheck import flag_counts

        if entry.obsolete or (entry.msgid == "" and not entry.msgctxt):
            return  # not an active entry (po.active_entries)
        self.fuzzy += "fuzzy" in entry.flags
        self.untranslated += not po_mod.has_translation(entry)
        if not po_mod.is_reviewed(entry):
            flagged, codes = flag_counts((entry,))
            self.flagged += flagged
            for code, number in codes.items():
                self.codes[code] = self.codes.get(code, 0) + number


def run(jobs: Sequence[Job], engine, glossary, *, cache=None, memory=None,
        on_progress: Callable[[int, int], None] | None = None, lock_timeout: float = 0.0,
        workers: int = 1, on_read: Callable[[int, int], None] | None = None,
        term_strategy: str = "retry", force: bool = False, retranslate: bool = False, **library) -> list[Stats]:
    """Translate every job; write each PO file atomically under a file lock (bilingual/library.py).

    ``workers`` > 1 prepares (ingest, structure, segment) the documents in that many
    processes. Progress: ``on_read(advance, total)`` counts documents read and segmented,
    ``on_progress(advance, total)`` segments sent to MT. ``term_strategy``: see
    :class:`~bilingual.mtstream.Translator`. A merge that would make more than half of a
    file's reviewed entries obsolete stops the run before any file is written, unless
    ``force``. ``library`` takes the options of :func:`bilingual.library.run_library`
    (run state, documents progress, group sizes).
    """
    from .library import run_library

    return run_library(jobs, engine, glossary, cache=cache, memory=memory, on_progress=on_progress,
                       lock_timeout=lock_timeout, workers=workers, on_read=on_read, term_strategy=term_strategy,
                       force=force, retranslate=retranslate, **library)
