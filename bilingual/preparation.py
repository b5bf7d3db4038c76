"""One document made ready for the merge: its source read, repaired, structured and segmented.

Split from translate.py, which decides what each segment gets: :func:`prepare` runs in a
thread or in worker processes (:func:`prepare_many`, bilingual/producer.py) while the
engine decodes, and touches no PO file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import po as po_mod
from .errors import BilingualError
from .model import Document, Segment


@dataclass
class Job:
    """One document of a run: its source file, its PO file and its id."""

    name: str
    source: Path
    po: Path
    encoding: str | None = None
    glossary_files: tuple[str, ...] | None = None  # the glossary files that apply (None: all)


@dataclass
class Prepared:
    job: Job
    document: Document
    segments: list[Segment]
    source_ref: str
    catalog: object = None  # the existing PO file, read under its lock by load_existing()
    previous_text: str | None = None
    source_sha256: str = ""  # of the bytes parsed (the run state records it)
    repairs: dict[str, int] = field(default_factory=dict)  # extraction damage repaired, by kind (ingest)


def load_existing(prep: Prepared) -> None:
    """Read (and validate) the existing PO file; call while holding its lock."""
    prep.catalog, prep.previous_text = po_mod.read_existing(prep.job.po, prep.job.name)


def prepare(job: Job, warm: Callable[[Job, Document], None] | None = None) -> Prepared:
    """Ingest, structure and segment one source (no PO file is touched yet).

    ``warm(job, document)``, if given, runs between structure and segmentation: in a run
    whose spaCy loads in a helper process (bilingual/segproc.py), work done there is
    done while the helper imports spaCy (see :func:`warm_plan`)."""
    from .fileio import read_bytes
    from .ingest import read_source
    from .runstate import file_digest
    from .segment import segment_document
    from .structure import parse

    data = read_bytes(job.source)
    clean = read_source(job.source, encoding=job.encoding, data=data)
    digest = file_digest(data)
    del data
    document = parse(clean)
    repairs = repair_counts(clean.repairs)
    del clean
    if warm is not None:
        warm(job, document)
    _check_paragraph_length(document, job.source)
    segments = segment_document(document)
    return Prepared(job, document, segments, _relative(job.source, job.po.parent), source_sha256=digest,
                    repairs=repairs)


def repair_counts(repairs) -> dict[str, int]:
    """How many lines of each kind of extraction damage ingest repaired (``CleanText.repairs``), for the
    run's summary: a PDF's joined page breaks, a mirror's stripped emoji, hidden characters taken out.
    Counted, not listed: a large document has hundreds of thousands of joined lines."""
    return dict(sorted(Counter(kind for _, kind in repairs).items()))


def _check_paragraph_length(document: Document, source: Path) -> None:
    """A paragraph longer than spaCy takes (1,000,000 characters) is an error naming its line,
    not a traceback: such a "paragraph" is nearly always text extracted without line breaks."""
    from .segment import SENTENCE_KINDS, max_length

    longest = max((b for b in document.blocks if b.kind in SENTENCE_KINDS), key=lambda b: len(b.text), default=None)
    limit = max_length()
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
