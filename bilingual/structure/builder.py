"""The block builder: document state and the numbered units (sections, measures, items, articles).

:class:`Builder` holds what parsing has found so far (blocks, counters, titles) and places
numbered lines in the hierarchy. A labelled line closes every open unit of the same or a lower
rank and opens a unit one level below the deepest unit still open, so skipped levels do not
matter: rank 1 is a **section**; otherwise, under nothing or a section, a **measure**; under a
measure an **item**, under an item a **sub-item**; deeper labels are paragraphs. ``第一章`` is
a **chapter**, ``第一节`` a **division** of the chapter (``chapter-2.division-1``), ``第一条`` an
**article** (numbered through the text, divisions or not; labels under it are its items).

Keys made here are provisional (``measure-N`` counts measures through the document);
:mod:`.ids` gives the final ids from the printed numbers once the whole document is read.
Tables are in :mod:`.tables`; the document's head, closing and attachments in :mod:`.assemble`.
"""

from __future__ import annotations

import dataclasses
import re

from ..model import AGENCIES, MEASURE, PARAGRAPH, SECTION_TITLE, Block, CleanText
from .agencies import parse_clause, role_groups, split_agencies, split_inline_clauses, split_unit_text
from .kinds import CHAPTER_TITLE, DEADLINE, INLINE_AGENCIES
from .numbering import Label, match_label
from .recognisers import first_sentence, heading_sentence, is_heading_text

__all__ = ["Builder", "Unit", "UnitInfo"]


@dataclasses.dataclass
class Unit:
    """An open unit while parsing."""

    level: str  # chapter section measure item sub article
    rank: float
    key: str
    number: int  # position in its sequence (the key's number)
    section: int | None
    measure: int | None
    blocks: list[int] = dataclasses.field(default_factory=list)  # indexes of its text blocks
    children: int = 0
    closed: bool = False  # its agencies have been given
    lead: tuple[str, ...] = ()  # bodies named by clauses inside its text
    partners: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class UnitInfo:
    """What :mod:`.ids` needs to know of a unit: its level, printed number, parent and section."""

    level: str
    printed: int | None
    parent: str | None
    section: str | None
    part: int  # 0 notice body, 1 … attachments


_CLOSING_PROVISION_RE = re.compile(
    r"^本(?:[\u4e00-\u9fff]{0,8}(?:措施|方案|意见|通知|办法|规定|细则|公告|决定|计划|规则|指引))"
    r"(?:自.{1,30}起(?:施行|实施|执行|生效)|由.{1,30}负责解释|有效期)"
)


def is_closing_provision(text: str) -> bool:
    """The provision that closes a whole document, not its last measure: ``本措施自印发之日起施行，
    有效期至2027年12月31日。``, ``本方案由市商务委负责解释。`` — a paragraph of no section or measure."""
    return bool(_CLOSING_PROVISION_RE.match(text))


class Builder:
    """Document state, and the numbered units (see the module docstring)."""

    def __init__(self, clean: CleanText) -> None:
        self.clean = clean
        self.blocks: list[Block] = []
        self.keys: set[str] = set()
        self.warnings: list[str] = []
        self.paragraphs = 0
        self.counts = {"section": 0, "measure": 0, "chapter": 0, "article": 0, "table": 0, "note": 0}
        self.attachment = 0  # 0: before any 附件 label; 1 the first attachment, …
        self.seq = {"section": 0, "measure": 0}  # per attachment, for the sequence warnings
        self.last_printed: dict[str, int] = {}  # level → last printed number (straight-through items)
        self.stack: list[Unit] = []
        self.structured = False
        self.agency_units: set[str] = set()
        self.doc_number = self.title = self.date = ""
        self.section_titles: dict[int, str] = {}
        self.measure_titles: dict[int, str] = {}
        self.notice_signed = False
        self.section_now: int | None = None
        self.split_headings = False  # a section's heading sentence is its title (set by the assembler)
        self.units: dict[str, UnitInfo] = {}

    # ------------------------------------------------------------------ helpers

    def add(self, kind: str, key: str, text: str, line: int, **extra) -> int:
        self.blocks.append(Block(kind=kind, key=key, text=text, line=line, **extra))
        self.keys.add(key)
        return len(self.blocks) - 1

    def context(self) -> tuple[int | None, int | None]:
        """(section, measure) a paragraph here belongs to."""
        if self.stack:
            return self.stack[-1].section, self.stack[-1].measure
        return self.section_now, None

    def paragraph(self, text: str, line: int) -> None:
        self.paragraphs += 1
        section, measure = (None, None) if is_closing_provision(text) else self.context()
        self.add(PARAGRAPH, f"paragraph-{self.paragraphs}", text, line, section=section, measure=measure)

    def reset_numbering(self) -> None:
        """A new part (the notice's own numbered body, an attachment) numbers from 1 again."""
        self.stack.clear()
        self.section_now = None
        self.seq = {"section": 0, "measure": 0}
        self.last_printed = {}

    def register(self, unit: Unit, printed: int | None, parent: Unit | None) -> None:
        """Remember a unit for :mod:`.ids`."""
        section = f"section-{unit.section}" if unit.section is not None else None
        self.units[unit.key] = UnitInfo(unit.level, printed, parent.key if parent else None, section,
                                        self.attachment)  # fmt: skip

    # ------------------------------------------------------------------ unit text

    def unit_text(self, unit: Unit, kind: str, rest: str, line: int, first: dict) -> None:
        """A unit's text as blocks: the text, agency clauses inside it (:data:`INLINE_AGENCIES`,
        same key, numbered among its sentences) and its final clause (``.agencies``)."""
        body, paren = split_unit_text(rest)
        clause = parse_clause(paren) if paren else None
        lead: list[str] = []
        partners: list[str] = []
        for piece, is_clause in split_inline_clauses(body):
            if is_clause:
                inline = parse_clause(piece)
                lead += [n for n in inline.lead if n not in lead]
                partners += [n for n in inline.partners if n not in partners]
                self.add(INLINE_AGENCIES, unit.key, piece, line, section=unit.section, measure=unit.measure,
                         agencies=inline.lead, partners=inline.partners)  # fmt: skip
            else:
                unit.blocks.append(self.add(kind, unit.key, piece, line, section=unit.section,
                                            measure=unit.measure, **first))  # fmt: skip
                first = {}
        unit.lead, unit.partners = tuple(lead), tuple(partners)
        if lead or partners:
            for index in unit.blocks:
                self.blocks[index] = dataclasses.replace(self.blocks[index], agencies=unit.lead,
                                                         partners=unit.partners)  # fmt: skip
        if paren:
            self.close(unit, "lead", paren, "", clause.lead, line, partners=clause.partners)

    # ------------------------------------------------------------------ units

    def unit(self, found: Label, text: str, line: int) -> None:
        self.structured = True
        if found.kind == "chapter":
            self.stack.clear()
            self.section_now = None
            self.counts["chapter"] += 1
            n = self.counts["chapter"]
            self.stack.append(Unit("chapter", 0, f"chapter-{n}", n, None, None))
            self.add(CHAPTER_TITLE, f"chapter-{n}.title", found.rest or found.label, line,
                     label=found.label, number=found.number)  # fmt: skip
            return
        if found.kind == "division":
            chapter = next((u for u in self.stack if u.level == "chapter"), None)
            if chapter is None:  # 第一节 outside any chapter: text
                self.paragraph(text, line)
                return
            self.stack = [chapter]
            self.section_now = None
            chapter.children += 1
            self.add(CHAPTER_TITLE, f"{chapter.key}.division-{chapter.children}.title", found.rest or found.label,
                     line, label=found.label, number=found.number)  # fmt: skip
            if found.number != chapter.children:
                self.warnings.append(f"line {line}: division label {found.label} out of sequence "
                                     f"(division {chapter.children})")  # fmt: skip
            return
        if found.kind == "article":
            self.stack = [u for u in self.stack if u.level == "chapter"]
            self.counts["article"] += 1
            n = self.counts["article"]
            if found.number != n:
                self.warnings.append(f"line {line}: article label {found.label} out of sequence (article {n})")
            unit = Unit("article", 0.5, f"article-{n}", n, self.section_now, None)
            self.stack.append(unit)
            unit.blocks.append(self.add(PARAGRAPH, unit.key, found.rest, line, section=unit.section,
                                        label=found.label, number=found.number))  # fmt: skip
            return
        if found.rank == 1:
            self.section(found, line)
            return
        while self.stack and self.stack[-1].level in ("measure", "item", "sub") and self.stack[-1].rank >= found.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.level in ("article", "item", "measure", "sub"):
            level = {"article": "item", "measure": "item", "item": "sub", "sub": ""}[parent.level]
        else:
            level = "measure"
        if not level:  # deeper than a sub-item: text
            self.paragraph(text, line)
            return
        section = parent.section if parent is not None else self.section_now
        first = {"label": found.label, "number": found.number}
        if level == "measure":
            self.counts["measure"] += 1
            self.seq["measure"] += 1
            n = self.counts["measure"]
            in_section = parent.children + 1 if parent is not None and parent.level == "section" else None
            if parent is not None:
                parent.children += 1
            if found.number not in (self.seq["measure"], in_section):
                self.warnings.append(f"line {line}: measure label {found.label} out of sequence (measure {n})")
            unit = Unit("measure", found.rank, f"measure-{n}", n, section, n)
            kind = MEASURE
        else:
            parent.children += 1
            k = parent.children
            straight = self.last_printed.get(level)
            if found.number not in (k, (straight or 0) + 1):
                self.warnings.append(f"line {line}: {level} label {found.label} out of sequence ({level} {k})")
            unit = Unit(level, found.rank, f"{parent.key}.{level}-{k}", k, section, parent.measure)
            kind = PARAGRAPH
        self.last_printed[level] = found.number
        self.register(unit, found.number, parent if level != "measure" else None)
        self.stack.append(unit)
        self.unit_text(unit, kind, found.rest, line, first)
        if level == "measure" and unit.blocks:
            self.measure_titles[unit.measure] = first_sentence(self.blocks[unit.blocks[0]].text)

    def section(self, found: Label, line: int) -> None:
        self.stack = [u for u in self.stack if u.level == "chapter"]
        self.counts["section"] += 1
        self.seq["section"] += 1
        n = self.counts["section"]
        self.section_now = n
        if found.number != self.seq["section"]:
            self.warnings.append(f"line {line}: section label {found.label} out of sequence (section {n})")
        unit = Unit("section", 1, f"section-{n}", n, n, None)
        self.stack.append(unit)
        self.register(unit, found.number, None)
        first = {"label": found.label, "number": found.number}
        if is_heading_text(found.rest):
            self.add(SECTION_TITLE, f"section-{n}.title", found.rest, line, section=n, **first)
            self.section_titles[n] = found.rest
            return
        heading = heading_sentence(split_unit_text(found.rest)[0]) if self.split_headings else None
        if heading is None:
            self.unit_text(unit, PARAGRAPH, found.rest, line, first)
            if unit.blocks:
                self.section_titles[n] = first_sentence(self.blocks[unit.blocks[0]].text)
            return
        # 一、优化口岸营商环境。围绕… : the heading sentence is the title, the rest the section's text
        self.add(SECTION_TITLE, f"section-{n}.title", heading[0], line, section=n, **first)
        self.section_titles[n] = heading[0]
        body, paren = split_unit_text(found.rest[len(heading[0]):].strip())
        self.paragraph(body, line)
        unit.blocks.append(len(self.blocks) - 1)
        if paren:
            clause = parse_clause(paren)
            self.close(unit, "lead", paren, "", clause.lead, line, partners=clause.partners)

    def close(self, unit: Unit, role: str, text: str, label: str, names: tuple[str, ...], line: int,
              partners: tuple[str, ...] = ()) -> bool:  # fmt: skip
        """Add a unit's agencies / partners / deadline block; False if it already has one."""
        suffix = {"lead": "agencies", "partners": "partners", "deadline": "deadline"}[role]
        key = f"{unit.key}.{suffix}"
        if key in self.keys:
            return False
        kind = DEADLINE if role == "deadline" else AGENCIES
        self.add(kind, key, text, line, section=unit.section, measure=unit.measure, label=label,
                 agencies=names if role == "lead" else (), partners=partners)  # fmt: skip
        if role == "lead":
            unit.closed = True
            self.agency_units.add(unit.key)
            unit.lead = unit.lead + tuple(n for n in names if n not in unit.lead)
        if role in ("lead", "partners"):
            extra = partners if role == "lead" else names
            unit.partners = unit.partners + tuple(n for n in extra if n not in unit.partners)
            for index in unit.blocks:
                self.blocks[index] = dataclasses.replace(self.blocks[index], agencies=unit.lead,
                                                         partners=unit.partners)  # fmt: skip
        return True

    def role_line(self, groups: list[tuple[str, str, str]], line: int) -> bool:
        """``责任单位：…`` / ``配合单位：…`` / ``完成时限：…`` after a unit: its roles."""
        unit = next((u for u in reversed(self.stack) if u.level != "chapter"), None)
        if unit is None:
            return False
        for kind, _, _ in groups:
            suffix = {"lead": "agencies", "partners": "partners", "deadline": "deadline"}[kind]
            if f"{unit.key}.{suffix}" in self.keys:
                return False
        for kind, label, value in groups:
            names = split_agencies(value) if kind != "deadline" else ()
            self.close(unit, kind, value, label, names, line)
        return True

    def trailing_paren(self, text: str, line: int) -> bool:
        """A paragraph inside an open unit that ends with the unit's agency clause."""
        unit = self.stack[-1] if self.stack else None
        if unit is None or unit.closed or unit.level in ("chapter", "article") or not unit.blocks:
            return False
        body, paren = split_unit_text(text)
        if not paren:
            return False
        clause = parse_clause(paren)
        self.paragraph(body, line)
        self.close(unit, "lead", paren, "", clause.lead, line, partners=clause.partners)
        return True

    def numbered_line(self, text: str, line: int) -> bool:
        """A role line or a labelled unit; False if ``text`` is neither."""
        groups = role_groups(text)
        if groups is not None and self.role_line(groups, line):
            return True
        found = match_label(text)
        if found is not None:
            self.unit(found, text, line)
            return True
        return False
