"""Official English versions → translation memory (``bilingual align``).

Last year's official translation of a document is the best memory for this
year's: the same measures come back with a changed number or a new sentence.
This package pairs a Chinese document with its official English version:

* :mod:`.english` reads the English side (txt, Markdown, PDF, DOCX, HTML) and
  cleans it; :mod:`.enstructure` recovers its structure with the keys of the
  Chinese side (``notice.title``, ``section-2.title``, ``measure-15``,
  ``measure-15.agencies`` …); :mod:`.sentences` splits English sentences;
* :mod:`.pairing` pairs structure first (names, fields, units), then sentences
  inside each unit with a length-based dynamic programme (:mod:`.lengths`) and
  anchors (:mod:`.anchors`); names go through :mod:`.names`;
* :mod:`.report` lists every glossary term whose official English differs from
  the glossary's; :mod:`.outputs` writes the pairs as TMX or PO and scores an
  alignment against a hand-made gold file.

The Chinese side is read, structured and segmented exactly as ``bilingual
translate`` does, so the memory's Chinese is what this year's PO file will
hold and ``translate --tm`` finds it.
"""

from __future__ import annotations

from pathlib import Path

from .pairing import AlignedPair, Alignment, LeftOut

__all__ = ["align_files", "Alignment", "AlignedPair", "LeftOut"]


def align_files(zh_source: str | Path, en_source: str | Path, glossary=None, *, encoding: str | None = None,
                en_encoding: str | None = None) -> Alignment:
    """Align a Chinese source document with its official English version.

    An English version whose document number disagrees with the Chinese one's is another
    document (another year's edition, a wrong file): refused, since a sentence paired by length
    across two documents would enter the memory as official English (``其他事项`` → a heading
    of the other document). Names are read with the glossary ``translate`` uses for the Chinese document: its
    issuer's scope (scope.py), so a Ningbo pair's 市发展改革委 is Ningbo's commission, never
    Shanghai's. The alignment carries that glossary for its terminology report.
    """
    from ..ingest import read_source
    from ..scope import document_glossary
    from ..segment import segment_document
    from ..structure import parse
    from .english import read_english
    from .enstructure import parse_english
    from .pairing import align_documents

    document = parse(read_source(zh_source, encoding))
    segments = segment_document(document)
    english = parse_english(read_english(en_source, en_encoding))
    glossary, inference = document_glossary(glossary, document)
    result = align_documents(document, segments, english, glossary)
    if result.mismatch:  # another document's English: its pairs would be memory that no one translated so
        from ..errors import BilingualError

        raise BilingualError(f"is not the English of {Path(zh_source).name}: {result.mismatch}", en_source)
    result.glossary = glossary
    result.issuer = inference.describe() if inference is not None else ""
    result.warnings.extend(english.warnings)  # the Chinese side's own warnings are `translate`'s to give
    return result
