"""The ``argos`` engine: an installed Argos zh→en package, driven directly.

The package's CTranslate2 model and SentencePiece model are loaded once per
engine (on the first :meth:`ArgosEngine.translate`) and driven here rather than
through ``argostranslate.translate``, which would fetch a sentence-splitting
model from the network on first use, re-split our already segmented input, and
decode with a tokenizer that turns ``_`` into spaces (breaking placeholders).

Batches are sorted by token length and cut into sub-batches, each decoded with
a maximum length bounded by its longest source, so a random or degenerate model
can never run away and padding stays small. All sub-batches of a call are
submitted at once (``asynchronous=True``) to CTranslate2's workers: on the CPU
one single-threaded worker per core (``inter_threads``) decodes its own
sub-batch, which beats splitting every matrix product over the cores
(``intra_threads``) — see the measurements below and bench/README.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import BilingualError
from ..packages import InstalledPackage, find_installed, missing_model_error, read_package

# Examples per length-sorted sub-batch, measured on the 2-core CPU, beam 2,
# random-weight models from tests/tinymodel.py, seconds:
#   tiny (2 layers, d 64), 172 segments of the Shanghai document:
#     intra_threads=1:  bs 8: 0.36   16: 0.46   32: 0.78   64: 3.1
#     intra_threads=0:  bs 8: 3.9    16: 3.65   32: 2.4    64: 3.5
#   Transformer-base shape (6+6, d 512, FFN 2048, 32k vocab, int8), 32 segments:
#     intra_threads=2:  bs 4: 5.9    8: 5.3     16: 9.5    32: 15.5
#     intra_threads=1:  bs 8: 5.9    32: 30.5;  intra_threads=0: bs 8: 7.7
#   Transformer-base shape, the 107 engine inputs of the Shanghai document, bs 8
#   (bench/run.py; others' processes kept off the CPU):
#     inter 1 × intra 2, one sub-batch after the other: 11.4–12.2 s (13.8–19.1 s when
#     another process used a core); inter 1 × intra 1: 9.2 s;
#     inter 2 × intra 1, sub-batches submitted at once: 5.0–5.1 s
#     max_batch_tokens 0 / 256 / 320 / 480: CPU 9.8 / 10.5 / 9.5 / 9.2 s, peak RSS
#     319 / 252 / 274 / 326 MB (without spaCy): 320 keeps the speed, saves 45 MB.
#     Translator calls of 32 / 128 inputs: 5.6–5.8 / 5.1–5.2 s (preferred_batch_size);
#     10× document (952 inputs): calls of 128 / 512 / all: 62.2 / 57.6 / 57.6 s.
#     sub-batch 4 / 8 / 16 (with max_batch_tokens 320), 3 bench runs: 6.1–6.3 / 4.9–5.5 /
#     4.9–5.3 s; 10× document: 8 / 16 / 32: 53.4 / 53.6 / 53.1 s. 16 it is (+30 MB RSS).
# A random model never emits </s>, so every sub-batch runs to its decoding bound
# and smaller (tighter-bounded) batches win; a trained model stops early, which
# favours larger batches. bench/ should re-measure with a real model.
DEFAULT_MAX_BATCH_SIZE = 16
DEFAULT_MAX_BATCH_TOKENS = 320
DEFAULT_BEAM_SIZE = 2
MAX_DECODING_CAP = 256


def max_decoding_length(longest: int, cap: int = MAX_DECODING_CAP, scale: float = 1.0) -> int:
    """Decoding bound for a sub-batch whose longest source has ``longest`` pieces.

    Twice the source plus a margin covers zh→en (English output is ~1–1.5× the
    Chinese piece count) and stops a degenerate model from running to ``cap``.
    ``scale`` (``BILINGUAL_DECODING_SCALE``, default 1) multiplies the bound: the
    benchmark's random model runs every hypothesis to it, and 0.5 gives the output
    lengths a trained model stops at (bench/README.md).
    """
    return max(1, round(min(cap, 2 * longest + 16) * scale))


def decoding_scale() -> float:
    raw = os.environ.get("BILINGUAL_DECODING_SCALE", "").strip()
    try:
        scale = float(raw) if raw else 1.0
    except ValueError:
        raise BilingualError(f"BILINGUAL_DECODING_SCALE must be a number, not {raw!r}") from None
    if not 0 < scale <= 1:
        raise BilingualError(f"BILINGUAL_DECODING_SCALE must be in (0, 1], not {raw!r}")
    return scale


def sub_batch_sizes(lengths: list[int], max_size: int, max_tokens: int = 0, workers: int = 1) -> list[int]:
    """Sizes of the consecutive sub-batches cutting inputs of ``lengths`` pieces, longest first.

    A sub-batch holds at most ``max_size`` inputs and, when ``max_tokens`` > 0, at
    most ``max_tokens`` source pieces counted with padding (size × its longest
    input; a single longer input still goes alone): decoder memory and time grow
    with that product, so long inputs go in smaller sub-batches. Their number is
    rounded up to a multiple of ``workers`` (when there are enough inputs) and the
    cuts are balanced, so that no worker idles while another decodes the last,
    larger sub-batch of a call (11 short inputs on 2 workers: 6 + 5, not 8 + 3).
    """
    count = len(lengths)
    if count == 0:
        return []
    budget_cap = max_tokens if max_tokens > 0 else max_size * max(1, lengths[0])

    def cut(budget: int) -> list[int]:
        sizes, start = [], 0
        while start < count:
            size = max(1, min(max_size, budget // max(1, lengths[start]), count - start))
            sizes.append(size)
            start += size
        return sizes

    sizes = cut(budget_cap)
    wanted = min(count, -(-len(sizes) // workers) * workers)
    low, high = 1, budget_cap  # the smallest budget giving at most `wanted` sub-batches
    while low < high:
        middle = (low + high) // 2
        if len(cut(middle)) <= wanted:
            high = middle
        else:
            low = middle + 1
    balanced = cut(low)
    return balanced if len(balanced) <= wanted else sizes


def import_ctranslate2():
    """``import ctranslate2``, without its ``extensions`` module where this process imports it first.

    ``ctranslate2/__init__.py`` imports ``ctranslate2.extensions`` only to add iterator helpers
    (``translate_iterable``, ``generate_tokens`` …) this engine never calls, and that module
    imports asyncio: two thirds of the import, ~0.04 s of the model load, holding the GIL while
    the run reads and structures its documents (bench/README.md). A stand-in is in place during
    the import and removed after it, so a later ``import ctranslate2.extensions`` gets the real
    module (whose ``register_extensions()`` then adds the helpers). A ctranslate2 imported
    already is used as it is."""
    import types

    from ..leanimport import import_with_stand_ins

    stand_in = types.ModuleType("ctranslate2.extensions")
    stand_in.register_extensions = lambda: None
    return import_with_stand_ins("ctranslate2", {"ctranslate2.extensions": stand_in})


def _int_option(value: int | None, variable: str, default: int) -> int:
    if value is not None:
        return int(value)
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BilingualError(f"{variable} must be an integer, not {raw!r}") from None


def usable_cpus() -> int:
    """Cores this process may run on. CTranslate2's own default (0) starts 4
    threads whatever the machine; on a 2-core runner that oversubscription made
    the test model ~10× slower than one thread per core. The engine runs one
    single-threaded worker per core instead (see the module docstring)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class ArgosEngine:
    """Translate with an installed Argos zh→en package through CTranslate2.

    ``package_dir`` defaults to the installed zh→en package (else
    :class:`~bilingual.errors.ModelMissingError`). ``device``, ``beam_size``,
    ``intra_threads``, ``inter_threads`` and ``compute_type`` left to ``None``
    follow argostranslate's variables ``ARGOS_DEVICE_TYPE``, ``ARGOS_BEAM_SIZE``,
    ``ARGOS_INTRA_THREADS``, ``ARGOS_INTER_THREADS``, ``ARGOS_COMPUTE_TYPE``, then
    the defaults cpu / 2 / 1 / usable cores ÷ intra threads (1 on cuda) / auto:
    on the CPU, one single-threaded worker per core, each decoding its own
    sub-batch. ``max_batch_size`` counts examples per length-sorted sub-batch,
    ``max_batch_tokens`` its source pieces with padding (0: no limit); see
    :func:`sub_batch_sizes`.
    """

    name = "argos"

    def __init__(
        self,
        package_dir: Path | str | None = None,
        *,
        device: str | None = None,
        beam_size: int | None = None,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
        intra_threads: int | None = None,
        inter_threads: int | None = None,
        compute_type: str | None = None,
        max_input_length: int = 1024,
        max_decoding_cap: int = MAX_DECODING_CAP,
    ):
        if package_dir is None:
            package = find_installed("zh", "en")
            if package is None:
                raise missing_model_error()
        else:
            package = read_package(Path(package_dir))
            if package is None:
                raise BilingualError("not an installed Argos package (no readable metadata.json)", package_dir)
        # Options left to None follow argostranslate's environment variables, then our defaults.
        device = device or os.environ.get("ARGOS_DEVICE_TYPE") or "cpu"
        compute_type = compute_type or os.environ.get("ARGOS_COMPUTE_TYPE") or "auto"
        beam_size = _int_option(beam_size, "ARGOS_BEAM_SIZE", DEFAULT_BEAM_SIZE)
        intra_threads = _int_option(intra_threads, "ARGOS_INTRA_THREADS", 1)
        workers = max(1, usable_cpus() // max(1, intra_threads)) if device == "cpu" else 1
        inter_threads = _int_option(inter_threads, "ARGOS_INTER_THREADS", workers)
        if beam_size < 1 or max_batch_size < 1:
            raise BilingualError("beam_size and max_batch_size must be at least 1")
        if intra_threads < 0 or inter_threads < 1:
            raise BilingualError("intra_threads must be at least 0 and inter_threads at least 1")
        self.package: InstalledPackage = package
        self.device = device
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.max_batch_tokens = max_batch_tokens
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads
        self.compute_type = compute_type
        self.max_input_length = max_input_length
        self.max_decoding_cap = max_decoding_cap
        self.decoding_scale = decoding_scale()
        self.load_count = 0  # how many times the models were loaded (once per engine)
        # Called with the number of inputs of each finished sub-batch, so a progress bar
        # moves while one large call (preferred_batch_size inputs) decodes.
        self.on_progress: Callable[[int], None] | None = None
        self._translator = None
        self._sp = None
        self._lock = threading.Lock()
        self._preloading: threading.Thread | None = None
        self._identity: str | None = None
        self.check_ready()

    @property
    def preferred_batch_size(self) -> int:
        """Inputs per :meth:`translate` call asked of the Translator (translate.py).

        Each call ends with workers idling while the last sub-batch decodes, so
        few, large calls keep the cores busy: 16 sub-batches per worker, 512 by
        default. On the 10× benchmark document (952 inputs) calls of 128 took
        62.2 s, calls of 512 57.6 s, one call 57.6 s (bench/README.md); the
        price is a coarser progress bar and cache commits every 512 inputs.
        """
        return self.max_batch_size * self.inter_threads * 16

    # ------------------------------------------------------------------ identity

    def identity(self) -> str:
        """``argos/translate-zh_en/<package_version>/<digest>/beam<N>``.

        The digest covers metadata.json, the model config and vocabulary, the
        SentencePiece model and model.bin's size: stable across re-installs of the
        same package, different for any other model. Beam size changes outputs, so
        it is part of the identity too.
        """
        if self._identity is None:
            digest = hashlib.sha256()
            root = self.package.path
            for relative in ("metadata.json", "sentencepiece.model", "model/config.json",
                             "model/shared_vocabulary.json", "model/shared_vocabulary.txt",
                             "model/source_vocabulary.json", "model/target_vocabulary.json"):
                file = root / relative
                if file.is_file():
                    digest.update(relative.encode() + b"\0" + file.read_bytes() + b"\0")
            digest.update(b"model.bin size=%d" % (root / "model" / "model.bin").stat().st_size)
            version = self.package.package_version or "unversioned"
            self._identity = f"argos/{self.package.name}/{version}/{digest.hexdigest()[:16]}/beam{self.beam_size}"
            if self.decoding_scale != 1:  # shorter bounds change outputs: another identity
                self._identity += f"/bound{self.decoding_scale:g}"
        return self._identity

    def check_ready(self) -> None:
        """Fail now (not mid-run) if the package's files are gone; loads nothing."""
        if not (self.package.model_dir / "model.bin").is_file() or not self.package.sentencepiece_model.is_file():
            raise BilingualError(
                "incomplete Argos package (model/model.bin or sentencepiece.model missing); reinstall it",
                self.package.path,
            )

    # ------------------------------------------------------------------ loading

    def preload(self) -> None:
        """Start loading the models in a background thread and return at once.

        CTranslate2 reads and prepares the model in C++, so the load overlaps with what
        the run does meanwhile (importing spaCy, reading the documents); the first
        :meth:`translate` waits for it. A failure is not reported here: that call loads
        again and raises it.
        """
        if self._translator is not None or self._preloading is not None:
            return

        def load() -> None:
            # Nothing is decoded ahead (a "warm-up" input per worker was tried): its ~0.09 s of CPU
            # a worker saved only ~0.04 s of the first real batch, and before the first batch the
            # run is CPU-bound on two cores (spaCy's helper, imports): −0.08 s wall without it.
            with contextlib.suppress(BilingualError):
                self._load()

        self._preloading = threading.Thread(target=load, name="argos-preload", daemon=True)
        self._preloading.start()

    def _load(self):
        with self._lock:
            if self._translator is None:
                ctranslate2 = import_ctranslate2()
                import sentencepiece

                try:
                    sp = sentencepiece.SentencePieceProcessor(model_file=str(self.package.sentencepiece_model))
                    translator = ctranslate2.Translator(
                        str(self.package.model_dir),
                        device=self.device,
                        compute_type=self.compute_type,
                        inter_threads=self.inter_threads,
                        intra_threads=self.intra_threads,
                    )
                except (RuntimeError, ValueError, OSError) as exc:
                    raise BilingualError(f"could not load the Argos model: {exc}", self.package.path) from None
                self._sp = sp
                self._translator = translator
                self.load_count += 1
        return self._translator, self._sp

    # ------------------------------------------------------------------ translation

    def encode(self, texts: list[str]) -> list[list[str]]:
        """SentencePiece pieces of each text (truncated to ``max_input_length``)."""
        _, sp = self._load()
        return [pieces[: self.max_input_length] for pieces in sp.encode(texts, out_type=str)]

    def decode(self, pieces: list[str]) -> str:
        """Text of a piece sequence, by SentencePiece itself (``_`` and byte pieces survive)."""
        _, sp = self._load()
        prefix = self.package.target_prefix
        if prefix and pieces[:1] == [prefix]:
            pieces = pieces[1:]
        # sp.decode keeps "_" and byte-fallback pieces; a piece outside the vocabulary
        # would come back verbatim, so a stray word-boundary marker becomes a space.
        return sp.decode(list(pieces)).replace("\u2581", " ").strip()

    def translate(self, texts: list[str]) -> list[str]:
        """One English string per input, in input order; blank inputs give ``""``."""
        results = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text and text.strip()]
        if not todo:
            return results
        encoded = self.encode([texts[i] for i in todo])
        order = sorted(range(len(todo)), key=lambda k: len(encoded[k]), reverse=True)
        chunks, start = [], 0
        lengths = [len(encoded[k]) for k in order]
        for size in sub_batch_sizes(lengths, self.max_batch_size, self.max_batch_tokens, self.inter_threads):
            chunks.append(order[start : start + size])
            start += size
        hypotheses = self.translate_tokens([[encoded[k] for k in chunk] for chunk in chunks])
        for chunk, pieces_of_chunk in zip(chunks, hypotheses, strict=True):
            for k, pieces in zip(chunk, pieces_of_chunk, strict=True):
                results[todo[k]] = self.decode(pieces)
        return results

    def translate_tokens(self, batches: list[list[list[str]]]) -> list[list[list[str]]]:
        """Beam search over pre-tokenised sub-batches; the best hypothesis's pieces of each input.

        Every sub-batch gets its own decoding bound (:func:`max_decoding_length`
        of its longest source) and is decoded whole (``max_batch_size=0``); all
        are submitted before any result is awaited, so CTranslate2's
        ``inter_threads`` workers decode them in parallel.
        """
        translator, _ = self._load()
        prefix = self.package.target_prefix
        try:
            pending = []
            for batch in batches:
                batch = [tokens or ["<unk>"] for tokens in batch]
                bound = max_decoding_length(max(len(tokens) for tokens in batch), self.max_decoding_cap,
                                            self.decoding_scale)
                pending.append(translator.translate_batch(
                    batch,
                    target_prefix=[[prefix] for _ in batch] if prefix else None,
                    beam_size=self.beam_size,
                    max_batch_size=0,
                    max_input_length=self.max_input_length,
                    max_decoding_length=bound + (1 if prefix else 0),
                    length_penalty=0.2,
                    replace_unknowns=True,
                    num_hypotheses=1,
                    asynchronous=True,
                ))
            if self.on_progress is not None:
                self._report_as_finished(pending)
            return [[result.result().hypotheses[0] for result in results] for results in pending]
        except (RuntimeError, ValueError) as exc:
            raise BilingualError(f"CTranslate2 failed to translate a batch: {exc}", self.package.path) from None

    def _report_as_finished(self, pending: list) -> None:
        """Call ``on_progress`` for each sub-batch as it completes (in whatever order)."""
        waiting = list(range(len(pending)))
        while waiting:
            finished = [i for i in waiting if all(result.done() for result in pending[i])]
            for i in finished:
                self.on_progress(len(pending[i]))
            waiting = [i for i in waiting if i not in finished]
            if waiting:
                time.sleep(0.02)

    def __repr__(self) -> str:
        return f"ArgosEngine({str(self.package.path)!r}, device={self.device!r}, beam_size={self.beam_size})"

