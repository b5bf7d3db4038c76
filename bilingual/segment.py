"""Blocks → sentence segments, with spaCy, offline, losslessly.

spaCy's rule-based ``Sentencizer`` over a Doc of characters with spaCy's Chinese
vocabulary (no jieba, no model download; :class:`SentencePipeline`) splits on
。！？ (and their half-width forms). A small ``bilingual_bracket_guard`` component then removes
every sentence start that falls inside 《》, “”, ‘’, （）, (), 【】 or 「」, so
a quoted slogan or a document title with a full stop inside stays one segment.

Decision on ；: it does **not** end a segment. In Chinese policy text a
semicolon joins clauses of one provision (对于…的，按照…；对于…的，按照…).
Split there and the translator loses the parallel structure and MT loses the
context; the engine-side chunker (translate.py) may still cut long segments at
；/， for the model only, and the PO keeps the whole sentence.

Segment ids (PO msgctxt) are made here and nowhere else: single-segment blocks
use the block key (``section-2.title``, ``measure-15.agencies``); sentence
blocks append ``.sN`` (``measure-15.s3``, ``section-2.measure-1.s3`` where numbering
restarts — see :mod:`bilingual.structure.ids`), numbering continuously across blocks
that share a key (the notice body paragraphs are all ``notice.sN``). An agency clause
in the middle of a unit's text (``inline-agencies``) is one segment numbered among the
unit's sentences, of kind ``agencies`` (rendered from the glossary, never by MT).
Page furniture (``furniture`` blocks) is no segment: it is not translated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import model
from .model import Block, Document, Segment

SENTENCE_END = ("。", "！", "？", "!", "?")
OPENERS = {"《": "》", "“": "”", "‘": "’", "（": "）", "(": ")", "【": "】", "「": "」", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}

# Blocks translated as one unit; the others are split into sentences.
SENTENCE_KINDS = frozenset({model.BODY, model.PREAMBLE, model.MEASURE, model.PARAGRAPH})
INLINE_AGENCIES = "inline-agencies"  # bilingual.structure.kinds: a clause among a unit's sentences
FURNITURE = "furniture"  # bilingual.structure.kinds: page furniture, no segment


def _bracket_guard(doc):
    """spaCy component: only a 。！？ outside every bracket or quote ends a sentence.

    The sentencizer proposes a start after each end mark; we keep a proposal
    only if we are at bracket depth 0 and the end mark that caused it was too.
    """
    stack: list[str] = []
    end_outside = False  # the last end mark seen was at depth 0
    for token in doc:
        if token.i > 0 and token.is_sent_start and (stack or not end_outside):
            token.is_sent_start = False
        if token.i > 0 and token.is_sent_start:
            end_outside = False
        for char in token.text:
            if char in OPENERS and not (char in CLOSERS and stack and stack[-1] == CLOSERS[char]):
                stack.append(char)
            elif char in CLOSERS and stack and stack[-1] == CLOSERS[char]:
                stack.pop()
            elif char in SENTENCE_END:
                end_outside = not stack
    return doc


@dataclass(frozen=True)
class SentencePipeline:
    """spaCy's rule-based ``Sentencizer`` and :func:`_bracket_guard`, over a Chinese vocabulary.

    What ``spacy.blank("zh")`` plus ``nlp.add_pipe("sentencizer", …)`` runs on a Doc, built
    without a ``Language``: resolving the blank pipeline's config through spaCy's registries
    costs ~0.05–0.1 s of the first split — on the critical path of a small document's run —
    and its tokenizer is never used (:func:`_char_doc` builds the Doc). The vocabulary is the
    one ``spacy.blank("zh")`` makes (``create_vocab``, Chinese lexical attributes: the
    sentencizer reads ``is_punct``), so the sentences are the same (tests/test_segproc.py).
    """

    vocab: object
    pipeline: tuple
    max_length: int  # spaCy's default ``nlp.max_length``: the longest paragraph a run accepts


@lru_cache(maxsize=1)
def sentence_pipeline() -> SentencePipeline:
    """The sentence pipeline, built once per process (spaCy is imported only here)."""
    from spacy.lang.zh import Chinese
    from spacy.language import Language
    from spacy.pipeline import Sentencizer
    from spacy.vocab import create_vocab

    sentencizer = Sentencizer(punct_chars=list(SENTENCE_END))
    max_length = (Language.__init__.__kwdefaults__ or {}).get("max_length", 10**6)
    return SentencePipeline(create_vocab("zh", Chinese.Defaults),
                            (("sentencizer", sentencizer), ("bilingual_bracket_guard", _bracket_guard)), max_length)


def _char_doc(text: str):
    """One token per character, built directly.

    spaCy's own Chinese "char" tokenizer aligns words to text in quadratic time
    (16 s for a 900,000-character paragraph); sentence splitting needs nothing
    more than characters, so we build the Doc ourselves in linear time.
    """
    from spacy.tokens import Doc

    nlp = sentence_pipeline()
    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def split_sentences(texts: Iterable[str]) -> list[list[str]]:
    """Split each text into sentences; ``"".join(result[i]) == texts[i]`` always.

    In a ``translate`` run that forked the spaCy helper (bilingual/segproc.py), the helper
    splits them with :func:`split_here`; otherwise this process does."""
    from . import segproc

    texts = list(texts)
    if texts and segproc.running():
        split = segproc.split(texts)
        if split is not None:
            return [sentences if "".join(sentences) == text else [text]
                    for text, sentences in zip(texts, split, strict=True)]
    return split_here(texts)


def max_length() -> int:
    """The longest text the spaCy pipeline takes (its ``max_length``), from the helper if one runs."""
    from . import segproc

    found = segproc.max_length() if segproc.running() else None
    return found if found is not None else sentence_pipeline().max_length


def split_here(texts: list[str]) -> list[list[str]]:
    """:func:`split_sentences` in this process."""
    out: list[list[str]] = []
    for text, doc in zip(texts, (_char_doc(t) for t in texts), strict=True):
        sentences = [span.text_with_ws for span in doc.sents] if text else []
        if "".join(sentences) != text:  # defensive: never lose a character
            sentences = [text]
        out.append(sentences)
    return out


def segment_document(document: Document) -> list[Segment]:
    """All segments of a document, in document order, with their stable ids."""
    blocks = list(document.blocks)
    to_split = [b.text for b in blocks if b.kind in SENTENCE_KINDS]
    split_iter = iter(split_sentences(to_split))
    counters: dict[str, int] = {}
    segments: list[Segment] = []
    for block in blocks:
        if block.kind == FURNITURE:
            continue
        if block.kind == INLINE_AGENCIES:
            counters[block.key] = counters.get(block.key, 0) + 1
            index = counters[block.key]
            segments.append(_segment(block, f"{block.key}.s{index}", block.text, index, kind=model.AGENCIES))
            continue
        if block.kind not in SENTENCE_KINDS:
            segments.append(_segment(block, block.key, block.text, 1))
            continue
        for sentence in next(split_iter):
            sentence = sentence.strip()  # the space after a 。 belongs to no sentence (a msgid never starts with it)
            if not sentence:
                continue
            counters[block.key] = counters.get(block.key, 0) + 1
            index = counters[block.key]
            segments.append(_segment(block, f"{block.key}.s{index}", sentence, index))
    _assert_unique(segments)
    return segments


def _segment(block: Block, ctx: str, text: str, index: int, kind: str = "") -> Segment:
    return Segment(
        ctx=ctx,
        source=text,
        kind=kind or block.kind,
        line=block.line,
        section=block.section,
        measure=block.measure,
        index=index,
        agencies=block.agencies,
    )


def _assert_unique(segments: list[Segment]) -> None:
    seen: set[str] = set()
    for seg in segments:
        if seg.ctx in seen:
            raise ValueError(f"duplicate segment id {seg.ctx!r}: structure produced two blocks with one key")
        seen.add(seg.ctx)
