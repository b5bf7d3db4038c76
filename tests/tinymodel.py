"""Build a small but *real* Argos ``.argosmodel`` package, fully offline.

No zh→en Argos model can be downloaded in CI, yet the ``argos`` engine must be
exercised for real: SentencePiece encoding, a CTranslate2 ``Translator`` doing
beam search, decoding, package installation. :func:`build_argos_package` makes a
package with the exact layout of the packages on the Argos index::

    translate-zh_en-<version>/
        metadata.json          from_code "zh", to_code "en", package_version, ...
        sentencepiece.model    trained here on the given Chinese text (+ some English)
        model/                 a CTranslate2 Transformer with seeded random weights
            config.json  model.bin  shared_vocabulary.json

The weights are random, so the "translations" are gibberish, but every code
path (tokenisation, batching, beam search, max decoding length, detokenisation)
is the production one. Everything is parametric so that a benchmark can build a
model with Transformer-base shape (``num_layers=6, d_model=512, num_heads=8,
ffn=2048, vocab_size=32000``): when the training text cannot support the asked
vocabulary, the SentencePiece model is padded with ordinary pieces that never
occur, so the softmax has the asked size (or pass ``extra_training_text``).

Given the same arguments the output file is byte-for-byte identical (fixed seed,
single-threaded SentencePiece training, fixed zip timestamps).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from ctranslate2.converters import Converter
from ctranslate2.specs import TransformerSpec
from ctranslate2.specs.model_spec import OPTIONAL

# A few English lines so Latin letters, digits and ASCII punctuation exist in the
# vocabulary (placeholders such as QXZ1 and English output need them).
ENGLISH_LINES = (
    "The quick brown fox jumps over the lazy dog.",
    "Shanghai Port 2025: measures to facilitate cross-border trade (No. 181).",
    "Customs clearance, port logistics and data sharing for enterprises.",
    "QXZ0 QXZ1 QXZ2 QXZ3 QXZ4 QXZ5 QXZ6 QXZ7 QXZ8 QXZ9 port_logistics A-B_C",
    "0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
    "Shanghai Municipal Commission of Commerce; General Administration of Customs!",
    "\"Single Window\" [pilot] {zone} <free trade> #1 & 50% / 100 @ * + = ? ~ | \\ ^ $ `",
)

FIXED_ZIP_DATE = (2025, 1, 1, 0, 0, 0)


def _training_lines(source_text: str, extra_training_text: str | Iterable[str] | None) -> list[str]:
    lines = [line.strip() for line in source_text.splitlines() if line.strip()]
    if extra_training_text:
        extra = extra_training_text.splitlines() if isinstance(extra_training_text, str) else extra_training_text
        lines += [line.strip() for line in extra if line.strip()]
    return lines + list(ENGLISH_LINES)


def train_sentencepiece(
    lines: list[str], vocab_size: int | None = None, *, byte_fallback: bool = True
) -> bytes:
    """Train a unigram SentencePiece model on ``lines``; returns the serialized model.

    ``vocab_size=None`` picks the smallest comfortable size for the text (every
    character must be a piece because ``character_coverage`` is 1.0). A size
    larger than the text supports is reached by adding pieces that never occur
    (``<v00001>``…), so the vocabulary still has the asked size.
    """
    import sentencepiece as spm

    required = len({ch for line in lines for ch in line if not ch.isspace()})
    minimum = required + 3 + (256 if byte_fallback else 0) + 32
    target = max(vocab_size or minimum, minimum)

    def train(size: int, hard: bool, user_symbols: list[str]) -> bytes:
        buffer = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines),
            model_writer=buffer,
            vocab_size=size,
            model_type="unigram",
            character_coverage=1.0,
            byte_fallback=byte_fallback,
            hard_vocab_limit=hard,
            user_defined_symbols=user_symbols,
            num_threads=1,
            minloglevel=2,
        )
        return buffer.getvalue()

    proto = train(target, False, [])
    learned = spm.SentencePieceProcessor(model_proto=proto).get_piece_size()
    if learned < target:
        # The text is too small for the asked size: pad with pieces that never occur.
        padding = [f"<v{i:05d}>" for i in range(target - learned)]
        proto = _as_normal_pieces(train(target, False, padding), set(padding))
    return proto


def _as_normal_pieces(proto: bytes, names: set[str]) -> bytes:
    """The model with the pieces ``names`` made ordinary pieces, scored below every learned one.

    The trainer reaches a size the text cannot support only through user-defined symbols, which
    a real model does not have: SentencePiece builds a matcher of its own for them at load and
    runs it over every input, so 30,000 of them made the benchmark's model load in ~0.06 s of
    CPU instead of ~0.03 s (bench/README.md). As ordinary pieces that never occur they change
    no tokenisation; the vocabulary keeps its size and order.
    """
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    model.ParseFromString(proto)
    normal = sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL
    lowest = min(piece.score for piece in model.pieces if piece.type == normal)
    for piece in model.pieces:
        if piece.piece in names:
            piece.type, piece.score = normal, lowest - 1.0
    return model.SerializeToString()


class RandomTransformerConverter(Converter):
    """A CTranslate2 converter whose "checkpoint" is a seeded random number generator.

    Every weight the Transformer spec declares (plus the optional biases, as in
    OpenNMT-py models) is filled with ``numpy`` random values; layer norms start
    at gamma=1, beta=0.
    """

    def __init__(self, *, vocabulary, num_layers, d_model, num_heads, ffn, seed=0, eos_bias=0.0):
        self.vocabulary = list(vocabulary)
        self.num_layers = num_layers
        self.d_model = d_model
        self.num_heads = num_heads
        self.ffn = ffn
        self.seed = seed
        self.eos_bias = eos_bias

    def _shape(self, name: str) -> tuple[int, ...]:
        d, f, v = self.d_model, self.ffn, len(self.vocabulary)
        parts = name.split("/")  # e.g. decoder/layer_0/attention/linear_1/weight
        leaf, owner = parts[-1], parts[-2]
        if owner.startswith("embeddings") or owner == "projection":
            return (v, d) if leaf == "weight" else (v,)
        if owner == "layer_norm":
            return (d,)
        if parts[-3] == "ffn":
            out_dim, in_dim = (f, d) if owner == "linear_0" else (d, f)
        elif parts[-3] == "self_attention":  # fused qkv, output
            out_dim, in_dim = (3 * d, d) if owner == "linear_0" else (d, d)
        else:  # encoder-decoder attention: query, fused kv, output
            out_dim, in_dim = (2 * d, d) if owner == "linear_1" else (d, d)
        return (out_dim, in_dim) if leaf == "weight" else (out_dim,)

    def _load(self):
        spec = TransformerSpec.from_config(self.num_layers, self.num_heads, pre_norm=True)
        rng = np.random.default_rng(self.seed)

        def fill(layer, name, value):
            leaf = name.split("/")[-1]
            wanted = value is None or (leaf == "bias" and isinstance(value, str) and value == OPTIONAL)
            if not wanted:
                return
            shape = self._shape(name)
            if leaf == "gamma":
                array = np.ones(shape, dtype=np.float32)
            elif leaf == "beta":
                array = np.zeros(shape, dtype=np.float32)
            elif leaf == "bias":
                array = rng.normal(0.0, 0.02, shape).astype(np.float32)
            else:
                array = rng.normal(0.0, 1.0 / np.sqrt(shape[-1]), shape).astype(np.float32)
            if name == "decoder/projection/bias" and self.eos_bias:
                array[self.vocabulary.index("</s>")] += self.eos_bias
            setattr(layer, leaf, array)

        spec._visit(fill)
        spec.register_source_vocabulary(self.vocabulary)
        spec.register_target_vocabulary(self.vocabulary)
        return spec


def build_ctranslate2_model(
    output_dir: Path,
    vocabulary: list[str],
    *,
    num_layers: int | tuple[int, int] = 2,
    d_model: int = 64,
    num_heads: int = 4,
    ffn: int = 128,
    quantization: str | None = "int8",
    seed: int = 0,
    eos_bias: float = 0.0,
) -> Path:
    """Write a random-weight CTranslate2 Transformer with a shared ``vocabulary`` to ``output_dir``."""
    converter = RandomTransformerConverter(
        vocabulary=vocabulary,
        num_layers=num_layers,
        d_model=d_model,
        num_heads=num_heads,
        ffn=ffn,
        seed=seed,
        eos_bias=eos_bias,
    )
    converter.convert(str(output_dir), quantization=quantization, force=True)
    return Path(output_dir)


def build_argos_package(
    out_path: Path,
    *,
    source_text: str,
    num_layers: int | tuple[int, int] = 2,
    d_model: int = 64,
    num_heads: int = 4,
    ffn: int = 128,
    vocab_size: int | None = None,
    quantization: str | None = "int8",
    seed: int = 0,
    from_code: str = "zh",
    to_code: str = "en",
    package_version: str = "0.0.1-tiny",
    extra_training_text: str | Iterable[str] | None = None,
    byte_fallback: bool = True,
    eos_bias: float = 0.0,
    target_prefix: str | None = None,
    extra_metadata: dict | None = None,
) -> Path:
    """Build a real Argos package at ``out_path`` (a ``.argosmodel`` zip) and return it.

    ``vocab_size=None`` chooses the smallest vocabulary SentencePiece accepts for the
    text with ``character_coverage=1.0``. ``eos_bias`` (logit added to ``</s>`` in the
    output projection) lets a benchmark make the random model stop earlier, like a
    trained model does, instead of always running to the maximum decoding length.
    """
    import sentencepiece as spm

    out_path = Path(out_path)
    lines = _training_lines(source_text, extra_training_text)
    sp_proto = train_sentencepiece(lines, vocab_size, byte_fallback=byte_fallback)
    processor = spm.SentencePieceProcessor(model_proto=sp_proto)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    folder = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    metadata = {
        "package_version": package_version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": {"zh": "Chinese", "en": "English"}.get(from_code, from_code),
        "to_code": to_code,
        "to_name": {"zh": "Chinese", "en": "English"}.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    metadata.update(extra_metadata or {})

    with tempfile.TemporaryDirectory(prefix="tinymodel-") as tmp:
        model_dir = build_ctranslate2_model(
            Path(tmp) / "model",
            vocabulary,
            num_layers=num_layers,
            d_model=d_model,
            num_heads=num_heads,
            ffn=ffn,
            quantization=quantization,
            seed=seed,
            eos_bias=eos_bias,
        )
        entries: list[tuple[str, bytes]] = [
            (f"{folder}/metadata.json", (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode()),
            (f"{folder}/README.md", b"Tiny random-weight test model built by tests/tinymodel.py.\n"),
            (f"{folder}/sentencepiece.model", sp_proto),
        ]
        for path in sorted(model_dir.rglob("*")):
            if path.is_file():
                entries.append((f"{folder}/model/{path.relative_to(model_dir).as_posix()}", path.read_bytes()))

        out_path.parent.mkdir(parents=True, exist_ok=True)
        partial = out_path.with_name(out_path.name + f".{os.getpid()}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for directory in (f"{folder}/", f"{folder}/model/"):
                info = zipfile.ZipInfo(directory, date_time=FIXED_ZIP_DATE)
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        os.replace(partial, out_path)
    return out_path
