"""Machine translation as one stream over every document of a run: full engine batches.

Segments arrive document by document, each with the glossary of its document's scope;
they leave one by one as :class:`MTResult`, in whatever order the engine finishes
them, so a document can be merged and written as soon as its last segment is back.
In between, for each segment:

1. glossary protection (``QXZ<n>`` placeholders, or the approved English inline with
   ``--term-strategy inline``), then cut for the engine only (:func:`split_for_engine`,
   bilingual/mtpieces.py: at ；, ，, or a hard character budget — the PO keeps the whole
   sentence);
2. each piece is looked up in the MT cache (keyed by engine identity, the segment's
   glossary version and the piece), in the pieces already on their way to the engine
   (a piece is translated once, whichever documents hold it) and in a bounded memory
   of the last pieces translated;
3. the other pieces wait in a queue; the engine gets them in calls of ``batch_size``
   (the engine's ``preferred_batch_size``: 512 for argos), oldest first, so a call
   holds the end of one document and the start of the next — only the run's last call
   is partial. The pieces of the last call (and of a single document) are sorted by
   length first, as one call would sort them;
4. the output is restored and checked (bilingual/mtcheck.py); with the ``retry``
   strategy a segment that lost a term goes round again inline, ahead of the queue;
   the kept output is written up as an :class:`MTResult` (bilingual/mtresult.py).

The progress bar counts segments, not pieces (bilingual/mtprogress.py).

Memory: the queue holds pieces, not documents; finished results are handed over at
once; the memories of recent pieces and checks are bounded. The caller bounds how many
documents are in flight (bilingual/library.py).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Sequence

from .errors import BilingualError
from .mtpieces import MAX_ENGINE_CHARS, join_english, split_for_engine  # noqa: F401 - re-exported
from .mtprogress import CallProgress, SegmentProgress
from .mtresult import MTResult, mt_result

BATCH_SIZE = 32
RECENT = 8192  # pieces (and checks) remembered after they were translated


class _Request:
    """One segment on its way through the stream (phase 1: as protected; 2: the inline retry)."""

    __slots__ = ("tag", "protected", "glossary", "inline", "pieces", "outputs", "missing", "from_cache",
                 "first", "sent")

    def __init__(self, tag: Hashable, protected, glossary):
        self.tag, self.protected, self.glossary = tag, protected, glossary
        self.inline = False
        self.pieces: list[str] = []
        self.outputs: dict[str, str] = {}
        self.missing: set[str] = set()
        self.from_cache = False
        self.first = None  # the phase-1 candidate, during the retry
        self.sent = False  # this phase waits for the engine (counted in the progress total)


class _Bounded(OrderedDict):
    """A dict that forgets its oldest items past ``limit``."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def remember(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.limit:
            self.popitem(last=False)


class MTStream:
    """Segments in (:meth:`submit`), full engine calls (:meth:`pump`), results out (``on_result``).

    ``on_result(tag, MTResult)`` is called once per submitted segment. ``on_progress(advance,
    total)`` counts segments sent to the engine (the summary's ``machine``, plus the retry
    pass): the total grows as segments are submitted, and an engine that reports finished
    sub-batches (argos: ``engine.on_progress``) moves it during a call.
    """

    def __init__(self, engine, cache=None, *, batch_size: int | None = None, term_strategy: str = "retry",
                 on_result: Callable[[Hashable, MTResult], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None):
        from .engines.pseudo import is_pseudo
        from .termstrategy import STRATEGIES

        if term_strategy not in STRATEGIES:
            raise BilingualError(f"unknown term strategy {term_strategy!r}; choose one of {', '.join(STRATEGIES)}")
        self.engine = engine
        self.cache = cache
        # An engine that sends concurrent requests (libretranslate) asks for bigger batches.
        self.batch_size = batch_size or getattr(engine, "preferred_batch_size", None) or BATCH_SIZE
        self.term_strategy = term_strategy
        self.on_result = on_result
        self.on_progress = on_progress
        self.identity = engine.identity()
        self._origin = f"origin: machine translation ({self.identity})"
        self._pseudo = is_pseudo(self.identity)  # markers, not English: checked as such (mtcheck.py)
        self.calls: list[int] = []  # inputs per engine call, in order (what the tests and bench count)
        self._while_decoding: deque[Callable[[], object]] = deque()  # see while_decoding()
        self._waiting: OrderedDict[str, list[tuple[_Request, str]]] = OrderedDict()  # piece → (request, cache key)
        self._urgent: deque[str] = deque()  # retry pieces: sent first
        self._recent = _Bounded(RECENT)  # piece → output, translated earlier in this run
        self._checked = _Bounded(RECENT)  # (source, output, inline) → Candidate
        self._progress = SegmentProgress(on_progress)

    # ------------------------------------------------------------------ in

    @property
    def pending(self) -> int:
        """Pieces waiting for the engine."""
        return len(self._waiting)

    def submit(self, items: Sequence[tuple[Hashable, str, object]]) -> None:
        """Queue ``(tag, source, glossary)`` items; those fully served by the cache finish at once."""
        from .glossary import protect
        from .termstrategy import annotate_inline

        requests = []
        for tag, source, glossary in items:
            request = _Request(tag, protect(source, glossary), glossary)
            if self.term_strategy == "inline":
                request.inline = True
                text, keep = annotate_inline(request.protected, glossary)
            else:
                text, keep = request.protected.text, ()
            requests.append((request, split_for_engine(text, keep=keep)))
        self._start(requests)

    def _start(self, requests: list[tuple[_Request, list[str]]]) -> None:
        from .cache import cache_key

        keys = [{piece: cache_key(self.identity, getattr(r.glossary, "version", "none"), piece) for piece in pieces}
                for r, pieces in requests]
        cached = self.cache.get_many([k for ks in keys for k in ks.values()]) if self.cache is not None else {}
        sent = 0
        done = []
        for (request, pieces), piece_keys in zip(requests, keys, strict=True):
            request.pieces, request.outputs, request.missing = pieces, {}, set()
            all_cached = True
            for piece in pieces:
                key = piece_keys[piece]
                if not piece.strip():
                    request.outputs[piece] = ""
                    continue
                if key in cached:
                    request.outputs[piece] = cached[key]
                    continue
                all_cached = False
                if piece in self._recent:
                    request.outputs[piece] = self._recent[piece]
                    self._recent.move_to_end(piece)
                    continue
                if piece not in self._waiting:
                    self._waiting[piece] = []
                    if request.first is not None:
                        self._urgent.append(piece)
                self._waiting[piece].append((request, key))
                request.missing.add(piece)
            if request.first is None:
                request.from_cache = all_cached
            request.sent = not all_cached
            sent += request.sent
            if not request.missing:
                done.append(request)
        self._progress.grow(sent)
        for request in done:
            self._resolve(request)

    # ------------------------------------------------------------------ engine

    def pump(self, final: bool = False, partial: bool = False) -> None:
        """Send full calls while ``batch_size`` pieces wait; with ``partial``, also one call of
        the oldest pieces however few; with ``final``, everything (sorted by length)."""
        while not final and self._waiting and (len(self._waiting) >= self.batch_size or partial):
            batch = list(self._urgent)[:self.batch_size]
            taken = set(batch)
            for piece in self._waiting:
                if len(batch) >= self.batch_size:
                    break
                if piece not in taken:
                    batch.append(piece)
            self._call(sorted(batch, key=len))
            partial = False
        while final and self._waiting:
            order = sorted(self._waiting, key=len)  # retries queued meanwhile go round again
            for start in range(0, len(order), self.batch_size):
                self._call(order[start:start + self.batch_size])

    def while_decoding(self, task: Callable[[], object]) -> None:
        """Run ``task`` in a thread of its own once the next engine call starts (any thread may
        add one). For work the run needs only when outputs come back — compiling the checks'
        English patterns, ~0.07 s of the shipped document — which before the first call would
        hold the GIL on the critical path, and during it runs while the engine's C++ workers
        decode and the calling thread only waits. Never run if no engine call is made."""
        self._while_decoding.append(task)

    def _start_while_decoding(self) -> None:
        tasks = []
        while self._while_decoding:
            tasks.append(self._while_decoding.popleft())
        if tasks:
            def run() -> None:
                for task in tasks:
                    with contextlib.suppress(Exception):  # only a head start: a real use meets any error
                        task()

            threading.Thread(target=run, name="bilingual-while-decoding", daemon=True).start()

    def _call(self, batch: list[str]) -> None:
        chunk = set(batch)
        self._start_while_decoding()
        # Segments this call finishes (all their missing pieces are in it), for the progress bar.
        finishing = {id(r): r for piece in batch for r, _ in self._waiting[piece] if r.sent and r.missing <= chunk}
        report = CallProgress(self._progress, len(batch), len(finishing))
        fine_grained = self.on_progress is not None and hasattr(self.engine, "on_progress")
        if fine_grained:
            self.engine.on_progress = report.advance
        try:
            outputs = self.engine.translate(batch)
        finally:
            if fine_grained:
                self.engine.on_progress = None
        if len(outputs) != len(batch):
            raise BilingualError(f"engine {self.engine.name} returned {len(outputs)} results for {len(batch)} inputs")
        self.calls.append(len(batch))
        if self._urgent:
            self._urgent = deque(p for p in self._urgent if p not in chunk)
        done: dict[int, _Request] = {}
        stored = []
        for piece, output in zip(batch, outputs, strict=True):
            self._recent.remember(piece, output)
            for request, key in self._waiting.pop(piece):
                stored.append((key, output))
                request.outputs[piece] = output
                request.missing.discard(piece)
                if not request.missing:
                    done[id(request)] = request
        if self.cache is not None:
            self.cache.put_many(dict(stored).items())  # committed now: an interrupted run resumes here
        report.finish()
        for request in done.values():
            self._resolve(request, counted=True)

    # ------------------------------------------------------------------ out

    def _check(self, output: str, request: _Request, inline: bool):
        from .termstrategy import candidate

        key = (request.protected.source, output, inline)
        found = self._checked.get(key)
        if found is None or found[1] is not request.glossary:
            found = (candidate(output, request.protected, request.glossary, inline=inline, pseudo=self._pseudo),
                     request.glossary)
            self._checked.remember(key, found)
        return found[0]

    def _resolve(self, request: _Request, counted: bool = False) -> None:
        from .termstrategy import annotate_inline, choose, needs_retry

        if request.sent and not counted:
            self._progress.advance(1)  # served by pieces already translated in this run
        output = join_english([request.outputs[p] for p in request.pieces])
        if request.first is None:
            first = self._check(output, request, request.inline)
            if self.term_strategy == "retry" and needs_retry(first):
                request.first = first
                text, keep = annotate_inline(request.protected, request.glossary)
                self._start([(request, split_for_engine(text, keep=keep))])
                return
            kept, note = first, ""
            first_candidate = first
        else:
            first_candidate = request.first
            kept, note = choose(request.first, self._check(output, request, True))
        self._deliver(request, first_candidate, kept, note)

    def _deliver(self, request: _Request, first, chosen, note: str) -> None:
        if self.term_strategy == "inline":
            note = "terms inline"
        result = mt_result(first, chosen, request.glossary, origin=self._origin, note=note,
                           from_cache=request.from_cache, protected=len(request.protected.slots))
        request.pieces = request.outputs = request.protected = None  # nothing kept once delivered
        if self.on_result is not None:
            self.on_result(request.tag, result)


class Translator:
    """English for a list of sources with one glossary: a stream over one batch of segments.

    ``term_strategy`` is how approved terms reach the engine (bilingual/termstrategy.py):
    ``placeholder``, ``inline`` or ``retry`` (placeholders, and an inline retry of the
    segments whose output lost one).
    """

    def __init__(self, engine, glossary, cache=None, *, batch_size: int | None = None,
                 on_progress: Callable[[int, int], None] | None = None, term_strategy: str = "retry"):
        self.glossary = glossary
        self._results: dict[int, MTResult] = {}
        self.stream = MTStream(engine, cache, batch_size=batch_size, term_strategy=term_strategy,
                               on_progress=on_progress, on_result=self._results.__setitem__)
        self.engine, self.cache, self.batch_size = engine, cache, self.stream.batch_size

    def translate(self, sources: Sequence[str]) -> list[MTResult]:
        """English for each source, with its provenance and MT-check comments."""
        self._results.clear()
        self.stream.submit([(i, source, self.glossary) for i, source in enumerate(sources)])
        self.stream.pump(final=True)
        return [self._results.pop(i) for i in range(len(sources))]
