"""The assembler: from the lines' possible roles to the :class:`Document`.

Order of work:

1. **Furniture** (:mod:`.furniture`): page lines that are not the document become
   :data:`~.kinds.FURNITURE` blocks; the metadata's 发文字号 is kept aside.
2. **Head**: the document starts where its own parts start, wherever that is on the page.
   With an addressee, the head is read backwards from it: the document number (before or
   after the title, or with it in brackets at the end of the title line, or with the date on
   one line), the title (over one, two or three lines), the masthead (issuers and 文件 /
   公 告). Everything before the head on the page — site lines, a page heading repeating the
   title, wikisource's header — is furniture. Without an addressee the document starts at
   the top: masthead, number, title.
3. **Body and closing**: the notice body (its paragraphs, numbered parts, closing formula,
   attachment list), the signing bodies (one or several to a line), the date, the
   disclosure and contact lines.
4. **Attachments**: label, title (over several lines), preamble, numbered units and tables
   (:mod:`.builder`, :mod:`.tables`); signatures and date closing the last part; 版记.
5. **Ids** (:mod:`.ids`): the printed numbers, section-scoped where numbering restarts.
"""

from __future__ import annotations

import re

from ..ingest import is_attachment_label, is_contact_line, is_table_row
from ..model import (
    ATTACHMENT_TITLE,
    BODY,
    DATE,
    DOC_NUMBER,
    ISSUER,
    MEASURE,
    PREAMBLE,
    SIGNATORY,
    TITLE,
    Block,
    CleanText,
    Document,
)
from .closing import SAME_BODY_RATIO, Closing, masthead_warnings
from .furniture import find_furniture
from .head import Lines, has_measures
from .ids import final_ids, printed_numbers
from .kinds import (
    ATTACHMENT_LABEL,
    ATTACHMENT_NOTE,
    CONTACT,
    COPY_TO,
    FURNITURE,
    NO_STRUCTURE_WARNING,
    PRINTED,
)
from .numbering import is_structure_start, match_label
from .recognisers import (
    ATTACHMENT_ITEM_RE,
    ATTACHMENT_NOTE_RE,
    COPY_TO_RE,
    NOTES_LABEL_RE,
    PRINTED_RE,
    TITLE_LINES,
    is_closing_formula,
    is_title_continuation,
    is_title_like,
    is_title_piece,
    split_joint_number,
)
from .tables import add_table

__all__ = ["parse", "SAME_BODY_RATIO"]


class Assembler(Closing):
    """Builds the :class:`Document` (see the module docstring)."""

    def __init__(self, clean: CleanText) -> None:
        super().__init__(clean)
        self.meta_number: tuple[str, str, int] | None = None
        self.meta_date: tuple[str, str, int] | None = None
        self.meta_issuer: tuple[str, str, int] | None = None
        self.meta_title: tuple[str, str, int] | None = None

    # ------------------------------------------------------------------ 1. furniture

    def furniture(self, lines: Lines) -> Lines:
        """Furniture blocks for page lines; the lines of the document."""
        found = find_furniture(lines)
        for index, kind in found.lines.items():
            self.furnish(*lines[index], kind)
        if found.number:
            self.meta_number = (found.number, found.number_label, lines[found.number_line][1])
        if found.date:
            self.meta_date = (found.date[0], found.date[1], lines[found.date[2]][1])
        if found.issuer:
            self.meta_issuer = (found.issuer[0], found.issuer[1], lines[found.issuer[2]][1])
        if found.title:
            self.meta_title = (found.title[0], found.title[1], lines[found.title[2]][1])
        return [line for index, line in enumerate(lines) if index not in found.lines]

    # ------------------------------------------------------------------ 2. head

    # ------------------------------------------------------------------ 3. body and closing

    def run(self) -> Document:
        lines = self.furniture(list(zip(self.clean.lines, self.clean.line_numbers, strict=True)))
        self.split_headings = has_measures(lines)
        i, notice, issuers = self.head(lines)
        signatories: list[Block] = []
        if notice:
            i, signatories = self.notice(lines, i)
        self.warnings.extend(masthead_warnings(issuers, signatories))
        rest = lines[i:]
        if not any(is_structure_start(text) for text, _ in rest):
            if not self.structured:
                for text, number in rest:
                    if not self.trailer(text, number):
                        self.paragraph(text, number)
                self.warnings.append(NO_STRUCTURE_WARNING)
                return self.document()
            start = stop = len(rest)
        else:
            start, stop = self.closing(rest)
        self.attachments(rest[:start])
        self.emit_closing()
        for text, number in rest[stop:]:
            if not self.trailer(text, number):
                self.paragraph(text, number)
        if not self.structured:
            self.warnings.append(NO_STRUCTURE_WARNING)
        return self.document()

    def notice_body(self, lines: Lines) -> None:
        """The notice body: paragraphs, then its numbered parts, closing formula, attachment notes."""
        notes = next(
            (k for k, (text, _) in enumerate(lines) if ATTACHMENT_NOTE_RE.match(text) or NOTES_LABEL_RE.match(text)),
            len(lines),
        )
        body = lines[:notes]
        start = next((k for k, (text, _) in enumerate(body) if is_structure_start(text)), len(body))
        for text, number in body[:start]:
            self.add(BODY, "notice", text, number)
        if start < len(body):
            self.structure(body[start:], notice=True)
            self.reset_numbering()
        prefix = ""
        for k, (text, number) in enumerate(lines[notes:]):
            if k == 0 and NOTES_LABEL_RE.match(text):
                prefix = text  # 附件： on its own line: the label of the first note
                continue
            if k and is_contact_line(text) and "notice.contact" not in self.keys:
                self.add(CONTACT, "notice.contact", text, number)  # 联系人：…，电话：… after the list
                continue
            match = ATTACHMENT_NOTE_RE.match(text) if k == 0 else ATTACHMENT_ITEM_RE.match(text)
            self.counts["note"] += 1
            label, note = (match["label"], match["text"]) if match else ("", text)
            self.add(ATTACHMENT_NOTE, f"notice.attachment-{self.counts['note']}", note.strip(), number,
                     label=(prefix + label).strip())  # fmt: skip
            prefix = ""

    def structure(self, lines: Lines, *, notice: bool = False) -> None:
        """Units, tables, role lines and paragraphs; in the notice body, closing formulas are BODY."""
        k = 0
        while k < len(lines):
            text, line = lines[k]
            if is_table_row(text):
                rows = []
                while k < len(lines) and is_table_row(lines[k][0]):
                    row_text = lines[k][0].strip()
                    rows.append(([c.strip() for c in row_text[1:-1].split("|")], lines[k][1]))
                    k += 1
                add_table(self, rows)
                continue
            k += 1
            if notice and is_closing_formula(text):
                self.add(BODY, "notice", text, line)
                continue
            if self.trailer(text, line) or self.numbered_line(text, line) or self.trailing_paren(text, line):
                continue
            self.paragraph(text, line)

    def trailer(self, text: str, line: int) -> bool:
        """抄送 and 印发 lines (版记)."""
        match = COPY_TO_RE.match(text)
        if match and "notice.copy-to" not in self.keys:
            self.add(COPY_TO, "notice.copy-to", match["text"], line, label=match["label"])
            return True
        if PRINTED_RE.match(text) and "notice.printed" not in self.keys:
            self.add(PRINTED, "notice.printed", text, line)
            return True
        return False

    # ------------------------------------------------------------------ 4. attachments

    def attachment_prefix(self) -> str:
        return "attachment" if self.attachment <= 1 else f"attachment-{self.attachment}"

    def attachments(self, lines: Lines) -> None:
        """Everything after the notice: attachments (label, title, preamble) and their structure."""
        head, have_title = True, False
        k = 0
        while k < len(lines):
            text, line = lines[k]
            if is_attachment_label(text):
                self.attachment += 1
                if self.attachment == 1 and any(b.kind in (ATTACHMENT_TITLE, PREAMBLE) for b in self.blocks):
                    self.attachment = 2  # the first attachment had no label
                self.add(ATTACHMENT_LABEL, f"{self.attachment_prefix()}.label", text, line)
                self.reset_numbering()
                head, have_title = True, False
                k += 1
                continue
            contents = _contents_end(lines, k)
            if contents:  # 目录 and its entries: text, not the chapters themselves
                for entry, number in lines[k:contents]:
                    self.paragraph(entry, number)
                k = contents
                continue
            if head and is_structure_start(text):
                head = False
            if not head:
                end = next((j for j in range(k, len(lines)) if is_attachment_label(lines[j][0])), len(lines))
                self.structure(lines[k:end])
                k = end
                continue
            k += 1
            if self.trailer(text, line):
                continue
            if not have_title and is_title_like(text):
                end = k - 1
                while end + 1 < len(lines) and end - k + 2 < TITLE_LINES and is_title_continuation(lines[end][0]) and (
                    is_title_piece(lines[end + 1][0])
                ) and not is_attachment_label(lines[end + 1][0]):
                    end += 1
                title = "".join(t for t, _ in lines[k - 1 : end + 1])
                self.add(ATTACHMENT_TITLE, f"{self.attachment_prefix()}.title", title, line)
                have_title = True
                self.title = self.title or title
                k = end + 1
            else:
                key = "preamble" if self.attachment <= 1 else f"{self.attachment_prefix()}.preamble"
                self.add(PREAMBLE, key, text, line)

    # ------------------------------------------------------------------ closing of the last part

    # ------------------------------------------------------------------ 5. the document

    def metadata_head(self) -> None:
        """The metadata's date, issuing bodies and title, when the document itself prints none (a
        page that ends after its measures, a body under a metadata table without its heading):
        ``notice.date`` / ``notice.issuer-N`` / ``notice.title`` with ``Block.label`` ``metadata:
        成文日期`` …, so the English says what, when and by whom, and the issuer is known."""
        if not self.date and self.meta_date is not None and "notice.date" not in self.keys:
            date, label, line = self.meta_date
            self.date = date
            self.add(DATE, "notice.date", date, line, label=f"metadata: {label}")
        if self.meta_title is not None and not self.title and "notice.title" not in self.keys:
            title, label, line = self.meta_title  # the page's title when the head has none (a body under a metadata table)
            self.title = title
            self.add(TITLE, "notice.title", title, line, label=f"metadata: {label}")
        if self.meta_issuer is not None and not any(b.kind in (ISSUER, SIGNATORY) for b in self.blocks):
            names, label, line = self.meta_issuer
            for k, name in enumerate(names.split(), start=1):
                self.add(ISSUER, f"notice.issuer-{k}", name, line, label=f"metadata: {label}")

    def document(self) -> Document:
        if self.agency_units:  # the document names lead agencies: say which measures have none
            for block in self.blocks:
                if block.kind == MEASURE and block.key in self.units and block.key not in self.agency_units:
                    self.warnings.append(
                        f"line {block.line}: measure {block.measure} has no final lead-agency parenthesis"
                    )
        if not self.doc_number and self.meta_number is not None and "notice.doc-number" not in self.keys:
            number, label, line = self.meta_number
            joint = split_joint_number(number)
            if joint is not None:  # 【发布文号】商务部 海关总署公告2025年第18号
                names, number = joint
                if not any(b.kind in (ISSUER, SIGNATORY) for b in self.blocks):
                    for k, name in enumerate(names, start=1):
                        self.add(ISSUER, f"notice.issuer-{k}", name, line, label=f"metadata: {label}")
            self.doc_number = number
            self.add(DOC_NUMBER, "notice.doc-number", number, line, label=f"metadata: {label}")
        self.metadata_head()
        furniture = sorted((b for b in self.blocks if b.kind == FURNITURE), key=lambda b: b.line)  # in page order
        if furniture:
            listed = "; ".join(f"line {b.line} '{_excerpt(b.text)}'" for b in furniture)
            self.warnings.append(f"page furniture left out of the translation ({len(furniture)}): {listed}")
        blocks = final_ids(self.blocks, self.units)
        blocks = sorted(blocks, key=lambda b: b.line)  # stable: pieces of one line keep their order
        return Document(
            source=self.clean.path,
            blocks=tuple(blocks),
            doc_number=self.doc_number,
            title=self.title,
            date=self.date,
            warnings=tuple(self.warnings),
            section_titles=dict(sorted(self.section_titles.items())),
            measure_titles=dict(sorted(self.measure_titles.items())),
            printed_numbers=printed_numbers(blocks),
        )


_CONTENTS_RE = re.compile(r"^目\s*[录錄]$")


def _contents_end(lines: Lines, k: int) -> int:
    """A table of contents at ``lines[k]`` — ``目录`` (``目 录``) and the chapter and division
    headings it lists (第一章 总则 … 第二章 …, 第一节 …) — ends where the first chapter heading comes
    again: its index then, else 0."""
    if not _CONTENTS_RE.match(lines[k][0]):
        return 0
    first = match_label(lines[k + 1][0]) if k + 1 < len(lines) else None
    if first is None or first.kind != "chapter":
        return 0
    j = k + 2
    while j < len(lines):
        found = match_label(lines[j][0])
        if found is None or found.kind not in ("chapter", "division"):
            return 0
        if found.kind == "chapter" and found.number == first.number:
            return j
        j += 1
    return 0


def _excerpt(text: str, size: int = 16) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def parse(clean: CleanText) -> Document:
    """Turn cleaned text into a :class:`Document` of keyed blocks (see :mod:`bilingual.structure`)."""
    return Assembler(clean).run()
