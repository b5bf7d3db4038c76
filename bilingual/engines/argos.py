"""The ``argos`` engine: an installed Argos zh→en package, driven directly.

The package's CTranslate2 model and SentencePiece model are loaded once per
engine (on the first :meth:`ArgosEngine.translate`) and driven here rather than
through ``argostranslate.translate``, which would fetch a sentence-splitting
model from the network on first use, re-split our already segmented input, and
decode with a tokenizer that turns ``_`` into spaces (breaking placeholders).

Batches are sorted by token length and cut into sub-batches, each decoded with
a maximum length bounded by its longest source, so a random or degenerate model
can never run away and padding stays small.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ..errors import BilingualError
from ..packages import InstalledPackage, find_installed, missing_model_error, read_package

# Measured on the 2-core CPU with the tiny test model (tests/tinymodel.py), 120
# real segments, beam 2: 8 examples per sub-batch was no slower than 16-64 and
# keeps the decoding-length bound tight; re-measure with a real model (bench/).
DEFAULT_MAX_BATCH_SIZE = 16
DEFAULT_BEAM_SIZE = 2
MAX_DECODING_CAP = 256


class ArgosEngine:
    """Translate with an installed Argos zh→en package through CTranslate2."""

    name = "argos"

    def __init__(
        self,
        package_dir: Path | str | None = None,
        *,
        device: str = "cpu",
        beam_size: int = DEFAULT_BEAM_SIZE,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        intra_threads: int = 0,
        inter_threads: int = 1,
        compute_type: str = "auto",
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
        if not (package.model_dir / "model.bin").is_file() or not package.sentencepiece_model.is_file():
            raise BilingualError(
                "incomplete Argos package (model/model.bin or sentencepiece.model missing); reinstall it",
                package.path,
            )
        if beam_size < 1 or max_batch_size < 1:
            raise BilingualError("beam_size and max_batch_size must be at least 1")
        self.package: InstalledPackage = package
        self.device = device
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads
        self.compute_type = compute_type
        self.max_input_length = max_input_length
        self.max_decoding_cap = max_decoding_cap
        self.load_count = 0  # how many times the models were loaded (once per engine)
        self._translator = None
        self._sp = None
        self._lock = threading.Lock()
        self._identity: str | None = None

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
        return self._identity

    # ------------------------------------------------------------------ loading

    def _load(self):
        with self._lock:
            if self._translator is None:
                import ctranslate2
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
        return sp.decode(list(pieces)).strip()

    def translate(self, texts: list[str]) -> list[str]:
        """One English string per input, in input order; blank inputs give ``""``."""
        results = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text and text.strip()]
        if not todo:
            return results
        translator, _ = self._load()
        encoded = self.encode([texts[i] for i in todo])
        order = sorted(range(len(todo)), key=lambda k: len(encoded[k]), reverse=True)
        prefix = self.package.target_prefix
        for start in range(0, len(order), self.max_batch_size):
            chunk = order[start : start + self.max_batch_size]
            batch = [encoded[k] or ["<unk>"] for k in chunk]
            longest = max(len(tokens) for tokens in batch)
            max_decoding_length = min(self.max_decoding_cap, 2 * longest + 16)
            try:
                outputs = translator.translate_batch(
                    batch,
                    target_prefix=[[prefix] for _ in batch] if prefix else None,
                    beam_size=self.beam_size,
                    max_batch_size=0,
                    max_input_length=self.max_input_length,
                    max_decoding_length=max_decoding_length + (1 if prefix else 0),
                    length_penalty=0.2,
                    replace_unknowns=True,
                    num_hypotheses=1,
                )
            except (RuntimeError, ValueError) as exc:
                raise BilingualError(f"CTranslate2 failed to translate a batch: {exc}", self.package.path) from None
            for k, output in zip(chunk, outputs, strict=True):
                results[todo[k]] = self.decode(output.hypotheses[0])
        return results

    def __repr__(self) -> str:
        return f"ArgosEngine({str(self.package.path)!r}, device={self.device!r}, beam_size={self.beam_size})"

