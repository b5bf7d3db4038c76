"""The small data model every stage shares: frozen dataclasses, no logic.

Data flows one way: ``ingest`` gives :class:`CleanText`, ``structure`` gives a
:class:`Document` of :class:`Block`, ``segment`` gives :class:`Segment`,
``glossary`` gives :class:`Term` and :class:`Match`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Block kinds, in the order they appear in a cover notice + attached measures.
ISSUER = "issuer"  # one issuing body of the masthead (红头)
MASTHEAD = "masthead"  # the 文件 that closes the masthead
DOC_NUMBER = "doc-number"  # 沪商自贸〔2025〕181号
TITLE = "title"  # the notice's title (may have been wrapped over lines)
ADDRESSEE = "addressee"  # 主送机关: 各相关单位：
BODY = "body"  # the notice's body paragraph(s)
SIGNATORY = "signatory"  # one signing body
DATE = "date"  # 2025年6月27日
DISCLOSURE = "disclosure"  # (此件主动公开发布)
ATTACHMENT_TITLE = "attachment-title"
PREAMBLE = "preamble"  # the paragraph before the first section
SECTION_TITLE = "section-title"  # 一、…
MEASURE = "measure"  # (一)… body without number label and lead agencies
AGENCIES = "agencies"  # the final （…、…） of a measure
PARAGRAPH = "paragraph"  # anything structure could not place


@dataclass(frozen=True)
class CleanText:
    """Text after ingest: decoded, normalised, extraction damage repaired.

    ``lines`` are the repaired logical lines (paragraphs); ``line_numbers[i]`` is
    the 1-based line of the original file where ``lines[i]`` starts, so PO
    references point translators at the source they can open.
    """

    path: str
    encoding: str
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...]
    repairs: tuple[tuple[int, str], ...] = ()  # (original line, "page-break" | "wrap")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)  # one per block/sentence: a large document has ~300,000
class Block:
    """One structural unit of a document.

    ``key`` is the msgctxt prefix decided by structure (``measure-15``,
    ``section-2.title``, ``notice.body``…); segment adds ``.sN`` where a block
    has several sentences. ``label`` is the numbering as written (``（十五）``)
    and ``number`` its integer value; ``agencies`` the zh names of a measure's
    lead agencies (on AGENCIES blocks and on the MEASURE they close), ``partners`` the
    bodies its agency clause names as assisting (配合单位, …配合).
    """

    kind: str
    key: str
    text: str
    line: int
    section: int | None = None
    measure: int | None = None
    label: str = ""
    number: int | None = None
    agencies: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A structured Chinese official document (公文)."""

    source: str
    blocks: tuple[Block, ...]
    doc_number: str = ""
    title: str = ""
    date: str = ""
    warnings: tuple[str, ...] = ()
    section_titles: dict[int, str] = field(default_factory=dict)
    measure_titles: dict[int, str] = field(default_factory=dict)
    # unit id → its printed number where the id names another (a restart: structure/ids.py)
    printed_numbers: dict[str, int] = field(default_factory=dict)

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


@dataclass(frozen=True, slots=True)  # one per block/sentence: a large document has ~300,000
class Segment:
    """One translation unit: becomes exactly one PO entry.

    ``ctx`` is the stable msgctxt (made only in segment.py); ``source`` the zh
    text, which segment guarantees rejoins losslessly into its block.
    """

    ctx: str
    source: str
    kind: str
    line: int
    section: int | None = None
    measure: int | None = None
    index: int = 1  # 1-based position of the segment within its block
    agencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A curated glossary entry: one zh form and its approved English."""

    zh: str
    en: str
    kind: str
    note: str = ""
    source: str = ""
    abbreviation_of: str = ""  # the zh full form, when this row is an abbreviation
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Match:
    """A glossary term found in a source string at [start, end)."""

    term: Term
    start: int
    end: int
