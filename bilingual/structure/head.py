"""The head of a document: masthead, document number, title and addressee, wherever they start.

With an addressee, the head is read backwards from it: the document number (after the
title, before it, in brackets at the end of the title line, or with the date on one line),
the title (over one, two or three lines: the pieces before its last line are taken while
the title has not yet reached its 关于; a body's name on the line above 关于… is the title's
first line), the masthead (issuers and 文件 / 公 告). Everything
before the head on the page — a site's lines, a page heading repeating the title,
wikisource's header — is page furniture. Without an addressee the document starts at the
top: masthead, number, title.
"""

from __future__ import annotations

import re

from ..ingest import is_doc_number, is_masthead_line, is_org_name, is_promulgation_masthead
from ..model import ADDRESSEE, DATE, DOC_NUMBER, ISSUER, MASTHEAD, TITLE, Block
from .builder import Builder
from .fold import fold
from .kinds import FURNITURE
from .numbering import is_structure_start, match_label
from .recognisers import (
    ATTACHMENT_ITEM_RE,
    ATTACHMENT_NOTE_RE,
    NOTES_LABEL_RE,
    TITLE_LINES,
    is_addressee,
    is_complete_title,
    is_masthead_kind,
    is_title_continuation,
    is_title_like,
    is_title_piece,
    signatory_names,
    split_joint_number,
    split_number_date,
    split_number_title,
    split_title_number,
)

__all__ = ["Head", "Lines", "first_structure", "has_measures"]

Lines = list[tuple[str, int]]

_SITE_ENDINGS = ("网", "網", "网站", "網站")  # 海关总署网站: a site's name, not an issuer
#: An issuing body letter-spaced over the head as a masthead is set (大 同 市 人 民 政 府 办 公 室, a
#: gazette's reprint): the issuer, not the first line of the title under it.
_LETTER_SPACED_RE = re.compile(r"^(?:\S\s+){3,}\S$")
_BRACKETED_RE = re.compile(r"^[(（]\s*(?P<inner>第\s*\d+\s*[号號])\s*[)）]$")

def _outside_notes(lines: Lines, start: int = 0):
    """``(index, text)`` of the lines from ``start`` that are not an attachment list (``附件:1.…``,
    ``2.…``): the items of such a list are no numbered units."""
    in_notes = False
    for j in range(start, len(lines)):
        text = lines[j][0]
        if ATTACHMENT_NOTE_RE.match(text) or NOTES_LABEL_RE.match(text):
            in_notes = True
        elif not (in_notes and ATTACHMENT_ITEM_RE.match(text)):
            in_notes = False
            yield j, text


def first_structure(lines: Lines, start: int) -> int:
    """Index of the first numbered unit or table row from ``start`` (not counting an attachment list)."""
    return next((j for j, text in _outside_notes(lines, start) if is_structure_start(text)), len(lines))


def has_measures(lines: Lines) -> bool:
    """Whether units are numbered below sections (（一）, 1. …, not an attachment list's 2.):
    then a section's heading sentence, on one line with its body, is a heading."""
    for _, text in _outside_notes(lines):
        found = match_label(text)
        if found is not None and found.kind == "unit" and found.rank >= 2:
            return True
    return False


class Head(Builder):
    """Reads the head (see the module docstring)."""

    def furnish(self, text: str, line: int, label: str) -> None:
        """A line of page furniture (``Block.label``: the recogniser that claimed it)."""
        self.counts["furniture"] = self.counts.get("furniture", 0) + 1
        self.add(FURNITURE, f"furniture-{self.counts['furniture']}", text, line, label=label)

    def head(self, lines: Lines) -> tuple[int, bool, list[Block]]:
        """Masthead, number, title and addressee: ``(index after them, notice?, issuers)``."""
        limit = first_structure(lines, 0)
        addressee = next((j for j in range(min(limit, 40)) if is_addressee(lines[j][0])), None)
        if addressee is not None:
            start, issuers = self.head_before(lines, addressee)
            for text, line in lines[:start]:
                self.furnish(text, line, "page header")
            self.add(ADDRESSEE, "notice.addressee", *lines[addressee])
            return addressee + 1, True, issuers
        return self.head_from_top(lines)

    def head_before(self, lines: Lines, addressee: int) -> tuple[int, list[Block]]:
        """The head read backwards from the addressee; returns where it starts and the issuers."""
        j = addressee - 1
        number = title = None
        if j >= 0 and split_title_number(lines[j][0]):
            title, number = (j, j), j
            j -= 1
        elif j >= 0 and (is_doc_number(lines[j][0]) or split_number_date(lines[j][0])):
            number = j
            j -= 1
        if title is None and j >= 0 and is_title_like(lines[j][0]) and not is_org_name(lines[j][0]):
            first = j
            while "关于" not in fold("".join(t for t, _ in lines[first : j + 1])) and first > 0 and (
                is_title_continuation(lines[first - 1][0]) and j - first + 1 < TITLE_LINES
            ):
                first -= 1
            above = lines[first - 1][0] if first > 0 else ""
            if fold(lines[first][0]).startswith("关于") and is_org_name(above) and not above.endswith(_SITE_ENDINGS) \
                    and not _LETTER_SPACED_RE.match(above):
                first -= 1  # the issuer on the title's first line: 怀化市人民政府办公室 / 关于印发…的通知
            title = (first, j)
            j = first - 1
        if number is None and j >= 0 and is_doc_number(lines[j][0]):
            number = j
            j -= 1
        start = j + 1
        kind = next((k for k in range(j, -1, -1) if is_masthead_kind(lines[k][0]) or is_masthead_line(lines[k][0])),
                    None)  # fmt: skip
        issuers: list[Block] = []
        if kind is not None and kind == j:
            first = kind
            while first > 0 and is_org_name(lines[first - 1][0]):
                first -= 1
            issuers = self.masthead(lines[first : kind + 1])
            start = first
        elif kind is None and 0 <= j < 3 and all(is_org_name(t) for t, _ in lines[: j + 1]):
            for text, line in lines[: j + 1]:  # issuers above the title, without 文件
                issuers.append(self.blocks[self.add(ISSUER, f"notice.issuer-{len(issuers) + 1}", text, line)])
            start = 0
        if title is not None:
            self.add_title(lines[title[0] : title[1] + 1])
        if number is not None:
            self.add_number(lines[number])
        return start, issuers

    def add_title(self, lines: Lines) -> None:
        text = "".join(t for t, _ in lines)
        split = split_title_number(text)
        if split is not None:
            text = split[0]
        self.title = text
        self.add(TITLE, "notice.title", text, lines[0][1])

    def add_number(self, line: tuple[str, int]) -> None:
        text, number = line
        split = split_title_number(text)
        if split is not None:
            text = split[1]
        both = split_number_date(text)
        if both is not None:
            text = both[0]
            self.date = both[1]
            self.add(DATE, "notice.date", both[1], number)
        bracketed = _BRACKETED_RE.match(text)
        if bracketed:  # (第47号) under a joint order's masthead: the number is 第47号
            text = bracketed["inner"]
        joint = split_joint_number(text)
        if joint is not None:  # 海关总署 商务部公告2025年第18号: the issuers, then the number
            names, text = joint
            if "notice.issuer-1" not in self.keys:
                for k, name in enumerate(names, start=1):
                    self.add(ISSUER, f"notice.issuer-{k}", name, number)
        self.doc_number = text
        self.add(DOC_NUMBER, "notice.doc-number", text, number)

    def masthead(self, lines: Lines) -> list[Block]:
        """Issuers, one per line, and the kind line: ``上海市商务委员会`` … ``文件``, or
        ``中华人民共和国海关总署`` / ``公 告``; ``上海市商务委员会文件`` is both on one line, and
        ``上海市商务委员会 上海海关 上海市交通委员会文件`` names three issuers before its 文件."""
        issuers: list[Block] = []
        for text, line in lines[:-1]:  # several bodies on one line (海关总署　发展改革委　财政部): each
            for name in signatory_names(text) or [text]:
                issuers.append(self.blocks[self.add(ISSUER, f"notice.issuer-{len(issuers) + 1}", name, line)])
        text, line = lines[-1]
        if not is_masthead_kind(text):  # 上海市商务委员会文件, or 上海市商务委员会 上海海关 …文件, or …总署令
            kind = next(k for k in ("文件", "公告", "通告", "令") if text.endswith(k))
            names = text[: -len(kind)].rstrip()
            joint = names.split("、") if "、" in names else []  # …发展和改革委员会、…商务部令
            for name in joint or signatory_names(names) or [names]:
                issuers.append(self.blocks[self.add(ISSUER, f"notice.issuer-{len(issuers) + 1}", name, line)])
            text = kind
        self.add(MASTHEAD, "notice.masthead", text, line)
        return issuers

    def title_above_masthead(self, lines: Lines) -> int:
        """An order or announcement headed by what it promulgates, as reprints print it: the
        title (``中华人民共和国海关立法工作管理规定``) on the line above a one-line masthead
        (``中华人民共和国海关总署令``, ``…常务委员会公告``), the page's lines before it furniture.
        Returns the masthead's index (0 when there is no such head)."""
        for j, (text, _) in enumerate(lines[:10]):
            if is_promulgation_masthead(text):
                if j == 0 or not is_complete_title(lines[j - 1][0]):
                    return 0
                for line_text, line in lines[: j - 1]:
                    self.furnish(line_text, line, "page header")
                self.add_title(lines[j - 1 : j])
                return j
            if is_structure_start(text):
                return 0
        return 0

    def head_from_top(self, lines: Lines) -> tuple[int, bool, list[Block]]:
        """No addressee: masthead at the top, then the number and the title, in either order."""
        n = len(lines)
        i = self.title_above_masthead(lines)
        issuers: list[Block] = []
        notice = False
        for j, (text, _) in enumerate(lines[i:30], start=i):
            if is_masthead_kind(text) or is_masthead_line(text):
                issuers = self.masthead(lines[i : j + 1])
                i, notice = j + 1, True
                break
            if not is_org_name(text):
                break
        both = split_number_title(lines[i][0]) if i < n else None
        if both is not None:  # 商务部 海关总署公告2025年第18号 公布…的决定
            text, line = lines[i]
            self.add_number((both[0], line))
            self.title = both[1]
            self.add(TITLE, "notice.title", both[1], line)
            return i + 1, True, issuers
        if i < n and is_doc_number(lines[i][0]):
            self.add_number(lines[i])
            notice = True
            i += 1
        elif i + 1 < n and is_title_like(lines[i][0]) and is_doc_number(lines[i + 1][0]):
            self.add_title(lines[i : i + 1])
            self.add_number(lines[i + 1])
            return i + 2, True, issuers
        if notice and not self.title and i < n and is_title_like(lines[i][0]):
            end = i
            while end + 1 < n and end - i + 1 < TITLE_LINES and is_title_continuation(lines[end][0]) and (
                is_title_piece(lines[end + 1][0])
            ):
                end += 1
            self.add_title(lines[i : end + 1])
            i = end + 1
        return i, notice, issuers
