"""The structure of an official English translation, keyed like the Chinese document.

Official translations of 公文 keep the Chinese document's parts but set them by
English conventions, and not always where the Chinese has them:

* **issuing bodies** — a list of names, one a line, at the top (where the
  Chinese has its red masthead, or nothing, and signs at the end), at the end,
  or both: ``notice.issuer-K`` above the document number or title,
  ``notice.signatory-K`` above the closing date; a line ``Document`` is the
  masthead's 文件;
* **document number** — ``Hu Shang Zi Mao [2023] No. 132``, ``… No. 40
  Document``, ``Guo Ban Fa [2021] No. 24``, ``GUOBANFA [2020]28``, ``No. 24
  [2021] of the General Office of the State Council``, ``Announcement No. 196
  of 2023``: ``notice.doc-number``;
* **title** — ``Circular on …``, ``Notice of … on …``, ``Opinions of …`` (a
  web page may print it twice: the page title and the document's; the second
  counts): ``notice.title``;
* **addressee** — ``To all departments concerned,``, ``All relevant
  entities,``, ``Attention: …:``, ``The people's governments of all
  provinces, …:``: ``notice.addressee``;
* **body** until the signatures and the date (``June 21, 2023``,
  ``21 June 2023``): ``notice`` paragraphs, then ``notice.signatory-K``,
  ``notice.date``, ``notice.disclosure`` (``(This document is released for
  public disclosure)``) — any other parenthesised line there is a translator's
  note (``(This article has been abridged)``), kept as ``note`` and never aligned;
* **attachment** — ``Attachment`` / ``Annex`` label, its title, a preamble;
* **sections** ``I.`` … (upper-case Roman) → ``section-N`` (``.title`` when the
  line is a heading, a sentence block when it is prose), ``Chapter I`` →
  ``chapter-N.title``, ``Article 1`` → ``article-N``;
* **measures** in whichever style the translation uses first under a section:
  ``(1)``, ``1.`` or lower-case Roman ``viii.`` → ``measure-N``; another of
  those styles inside a measure is an item (``measure-N.item-K``); lines without
  a label continue the unit above (a paragraph under a section heading is the
  section's); ``It is hereby announced.`` and the like close the body;
* **lead agencies** — a final parenthesis of names, with or without a role
  (``(Shanghai Customs District)``, ``(Responsible entities: …)``, ``(The Ministry
  of Finance, … shall take their assigned responsibilities)``), or a line ``Lead
  agencies: …`` → ``<unit>.agencies``.

N counts sections, measures, chapters and articles through the document, as
on the Chinese side, so ``measure-15`` is the fifteenth measure whatever its
printed label; :mod:`bilingual.align.pairing` still pairs parts by content, not
by key alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import model
from ..structure import ATTACHMENT_LABEL, CHAPTER_TITLE
from .english import ADDRESSEE_RE as _ADDRESSEE_RE
from .english import EnglishText

NOTE = "note"  # a translator's or web page's note: kept, never aligned

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTH_RE = "(?:" + "|".join(m.capitalize() for m in _MONTHS) + r")\.?"
DATE_RE = re.compile(
    rf"^(?:{_MONTH_RE}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH_RE}\s+\d{{4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}})\.?$"
)
_DOC_NUMBER_RES = (
    re.compile(r"^(?:[A-Z][A-Za-z]*\.?\s+){0,6}[A-Z][A-Za-z]*\s*[\[(〔【]\s*\d{4}\s*[\])〕】]\s*(?:No\.?\s*)?\d{1,4}"
               r"(?:\s+Document)?\.?$"),
    re.compile(r"^No\.\s*\d{1,4}\s*[\[(]\d{4}[\])]\s+of\s+the\s+[A-Z].{3,80}$"),
    re.compile(r"^(?:(?:[A-Z][A-Za-z]*|of|the)\s+){0,8}Announcement\s+No\.\s*\d{1,4}\s+of\s+\d{4}$"),
)
_DISCLOSURE_RE = re.compile(r"^\((?=[^)]*\b(?:public|disclos\w*|released)\b)[^()]{5,120}\)\.?$", re.IGNORECASE)
_CLOSING_RE = re.compile(
    r"^(?:It\s+is\s+hereby\s+(?:announced|notified|given|circulated)|This\s+(?:notice|announcement|circular)\s+is\s+"
    r"hereby\s+(?:given|issued|announced)|Notice\s+is\s+hereby\s+given|Hereby\s+(?:notified|announced))\.?$",
    re.IGNORECASE)  # 特此公告。 / 特此通知。
_NOTE_RE = re.compile(r"^\([^()]{3,160}\)\.?$")
_MASTHEAD_RE = re.compile(r"^(?:Document|File|Documents)$")
_ATTACHMENT_LABEL_RE = re.compile(r"^(?:Attachment|Annex|Appendix)(?:\s+\d{1,2})?\s*:?$")
_TITLE_HEAD_RE = re.compile(
    r"^(?:Circular|Notice|Opinions?|Announcement|Several|Measures|Decision|Plan|Reply|Letter|Regulations?|Rules|"
    r"Provisions|Guidelines?|Implementation|Implementing|Action|Administrative|Interim|Programme|Program|Outline|"
    r"Scheme|Policy|Policies|Work|Key)\b"
)
NAME_HEADS = re.compile(
    r"\b(?:Commission|Customs|Administration|Bureau|Office|Committee|Council|Ministry|Department|Service|Station|"
    r"Government|Bank|Authority|Association|Co\.|Ltd\.?|Group|Centre|Center|Area|District|Inspection|Regulation|"
    r"Municipality|Corporation|Branch|Headquarters|People's Congress)\b",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(r"^(?:[IVXLC]{1,7}\.|[ivxlc]{1,7}\.|\(\s*\d{1,3}\s*\)|\d{1,3}\.|Chapter\s|Article\s)\s*\S")
_SMALL_WORDS = frozenset(["of", "and", "for", "the", "in", "on", "&", "at", "to", "with", "de"])

# label styles
_SECTION_RE = re.compile(r"^(?P<label>(?P<num>[IVXLC]{1,7})\.)\s*(?P<rest>\S.*)$")
_CHAPTER_RE = re.compile(r"^(?P<label>Chapter\s+(?P<num>[IVXLC]{1,7}|\d{1,3}))\b\s*(?P<rest>.*)$")
_ARTICLE_RE = re.compile(r"^(?P<label>Article\s+(?P<num>\d{1,3}))\b\.?\s*(?P<rest>.*)$")
_MEASURE_STYLES = (
    ("paren", re.compile(r"^(?P<label>\(\s*(?P<num>\d{1,3})\s*\))\s*(?P<rest>\S.*)$")),
    ("dot", re.compile(r"^(?P<label>(?P<num>\d{1,3})\.)\s+(?P<rest>\S.*)$")),
    ("roman", re.compile(r"^(?P<label>(?P<num>[ivxlc]{1,7})\.)\s+(?P<rest>\S.*)$")),
)
_ROLE_LINE_RE = re.compile(
    r"^(?P<role>(?:Lead|Responsible|Leading|Implementing)\s+(?:agencies|agency|entities|entity|units?|departments?|"
    r"bodies|body)|Responsibility|Responsible)\s*:\s*(?P<names>\S.*)$",
    re.IGNORECASE,
)
_OTHERS_RE = re.compile(r",?\s+and\s+other\s+(?:relevant\s+)?(?:departments|units|authorities|agencies|entities|"
                        r"bodies)\b.*$", re.IGNORECASE)  # 等: "… and other departments"
_FINAL_PAREN_RE = re.compile(r"\s*\((?P<inner>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*\.?$")
_ROLE_PREFIX_RE = re.compile(
    r"^(?:(?:Lead|Leading|Responsible|Implementing)\s+(?:agencies|agency|entities|entity|units?|departments?|bodies|"
    r"body)|Responsibility|Responsible|Led\s+by)\s*:\s*", re.IGNORECASE)
_ROLE_SUFFIX_RE = re.compile(
    r"\s*(?:,\s*)?(?:shall|will|are|is|to)\s+(?:take|be|bear|assume)\b.*$|"
    # 按职责分工负责: "…, each according to its responsibilities" / "each within its …" / "respectively …"
    r"\s*,?\s*(?:(?:each|respectively|all)\s+)?(?:in\s+accordance\s+with|according\s+to|within)"
    r"\s+(?:the\s+)?(?:division|their|its).*$|\s+(?:take|are)\s+(?:the\s+)?lead\b.*$", re.IGNORECASE)


def roman_value(text: str) -> int:
    total = 0
    values = [_ROMAN[c] for c in text.lower()]
    for k, v in enumerate(values):
        total += -v if k + 1 < len(values) and values[k + 1] > v else v
    return total


@dataclass(frozen=True)
class EnBlock:
    """One part of the English document; ``key`` follows the Chinese side's scheme."""

    kind: str
    key: str
    text: str
    line: int
    label: str = ""
    number: int | None = None
    names: str = ""  # AGENCIES: the list without brackets and role words


@dataclass(frozen=True)
class EnDocument:
    source: str
    blocks: tuple[EnBlock, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def blocks_of(self, kind: str) -> list[EnBlock]:
        return [b for b in self.blocks if b.kind == kind]


def is_name_line(line: str) -> bool:
    """A body's name on its own line: capitalised words, no digits, no final period."""
    if not line or len(line) > 120 or any(ch.isdigit() for ch in line) or line.endswith((".", ":", ";", ",")):
        return False
    if DATE_RE.match(line) or _ADDRESSEE_RE.match(line) or _TITLE_HEAD_RE.match(line) or _LABEL_RE.match(line):
        return False
    words = [w for w in re.split(r"[\s,]+", line) if w]
    if not 1 <= len(words) <= 16:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[:1].isupper() or w[:1] in "(\"'")
    return bool(content) and capitalised >= 0.6 * len(content) and words[0][:1].isupper() and (
        bool(NAME_HEADS.search(line)) or capitalised == len(content))


def is_doc_number(line: str) -> bool:
    return len(line) <= 100 and any(r.match(line) for r in _DOC_NUMBER_RES)


def is_title(line: str) -> bool:
    return bool(_TITLE_HEAD_RE.match(line)) and not line.endswith((";", ",")) and len(line.split()) >= 3


def is_heading_text(text: str) -> bool:
    """A section line that is only a heading (no sentence inside, not too long)."""
    return not re.search(r"[.!?;]\s+\S", text) and len(text.split()) <= 30 and not text.endswith(";")


def split_agencies(text: str) -> tuple[str, str, str]:
    """``(text without the final agency parenthesis, the parenthesis, the bare names)``."""
    m = _FINAL_PAREN_RE.search(text)
    if not m or m.start() == 0:
        return text, "", ""
    inner = m.group("inner").strip()
    names = _ROLE_SUFFIX_RE.sub("", _ROLE_PREFIX_RE.sub("", inner)).strip(" .;,")
    names = re.sub(r"^the\s+", "", names, flags=re.IGNORECASE)
    names = _OTHERS_RE.sub("", names).strip(" ,;")
    if not names or not is_name_list(names):
        return text, "", ""
    return text[:m.start()].rstrip(), text[m.start():].strip(), names


def is_name_list(text: str) -> bool:
    """``Shanghai Customs District, Shanghai Municipal Commission of Commerce`` — names, not a clause."""
    if not NAME_HEADS.search(text) and not all(w[:1].isupper() for w in text.split() if w.lower() not in
                                                 _SMALL_WORDS):
        return False
    words = [w for w in re.split(r"[\s,;]+", text) if w and w.lower() not in _SMALL_WORDS]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1] in "(\"'&")
    return capitalised >= 0.75 * len(words)


class _Parser:
    def __init__(self, text: EnglishText):
        self.text = text
        self.blocks: list[EnBlock] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}
        self.measure_style: str | None = None
        self.unit: str | None = None  # key of the open section/measure/article
        self.unit_kind: str | None = None
        self.item = 0
        self.attachments = 0
        self.last_measure: int | None = None  # printed number of the last measure (a gap is warned about)
        self.last_label = ""

    def add(self, kind: str, key: str, text: str, line: int, **kw) -> None:
        self.blocks.append(EnBlock(kind=kind, key=key, text=text, line=line, **kw))

    def next_count(self, what: str) -> int:
        self.counts[what] = self.counts.get(what, 0) + 1
        return self.counts[what]

    # ------------------------------------------------------------------ front matter

    def front(self, lines: list[tuple[str, int]]) -> int:
        """Issuers, masthead, document number, title, addressee; returns the index of the body."""
        names: list[tuple[str, int]] = []
        titles: list[tuple[str, int]] = []
        k = 0
        while k < len(lines):
            text, line = lines[k]
            if _ADDRESSEE_RE.match(text):
                self._front_blocks(names, titles)
                self.add(model.ADDRESSEE, "notice.addressee", text, line)
                return k + 1
            if is_doc_number(text):
                self.add(model.DOC_NUMBER, "notice.doc-number", text, line)
            elif _MASTHEAD_RE.match(text):
                self.add(model.MASTHEAD, "notice.masthead", text, line)
            elif is_title(text) or (text.startswith("(") and text.endswith(")") and is_title(text[1:-1])):
                titles.append((text, line))
            elif is_name_line(text):
                names.append((text, line))
            elif (titles and k and lines[k - 1][1] == titles[-1][1] and len(text.split()) <= 20
                  and not re.search(r"[.:;,]$", text)):
                titles[-1] = (f"{titles[-1][0]} {text}", titles[-1][1])  # a title set on two lines
            else:
                break
            k += 1
        self._front_blocks(names, titles)
        return k

    def _front_blocks(self, names: list[tuple[str, int]], titles: list[tuple[str, int]]) -> None:
        for n, (name, line) in enumerate(names, start=1):
            self.add(model.ISSUER, f"notice.issuer-{n}", name, line)
        if titles:
            # A page title printed again as the document's title: the last one is the document's.
            text, line = titles[-1]
            for extra, extra_line in titles[:-1]:
                if " ".join(extra.split()).lower() != " ".join(text.split()).lower():
                    self.add(NOTE, f"note.line-{extra_line}", extra, extra_line)
            self.add(model.TITLE, "notice.title", text, line)
        self.blocks.sort(key=lambda b: b.line)

    # ------------------------------------------------------------------ numbered units

    def label(self, text: str):
        for kind, regex in (("chapter", _CHAPTER_RE), ("article", _ARTICLE_RE), ("section", _SECTION_RE)):
            m = regex.match(text)
            if m and (kind != "section" or not re.match(r"^[IVXLC]+\.\s*[a-z]", text)):
                return kind, m
        for style, regex in _MEASURE_STYLES:
            m = regex.match(text)
            if m and (style != "roman" or roman_value(m.group("num")) < 40):
                return style, m
        return None

    def numbered(self, kind: str, m: re.Match, line: int) -> None:
        label, rest = m.group("label"), m.group("rest").strip()
        num = m.group("num")
        number = int(num) if num.isdigit() else roman_value(num)
        if kind == "chapter":
            n = self.next_count("chapter")
            self.add(CHAPTER_TITLE, f"chapter-{n}.title", rest, line, label=label, number=number)
            self.unit, self.unit_kind = None, None
            return
        if kind == "article":
            n = self.next_count("article")
            self._unit("article", f"article-{n}", rest, line, label, number)
            return
        if kind == "section":
            n = self.next_count("section")
            if is_heading_text(rest):
                self.add(model.SECTION_TITLE, f"section-{n}.title", rest, line, label=label, number=number)
                self.unit, self.unit_kind = f"section-{n}", "section"
            else:
                self._unit("section", f"section-{n}", rest, line, label, number)
            return
        style = kind
        if self.measure_style is None:
            self.measure_style = style
        if style == self.measure_style or self.unit_kind not in ("measure", "article"):
            n = self.next_count("measure")
            if self.last_measure is not None and number not in (self.last_measure + 1, 1):
                self.warnings.append(f"line {line}: measure {label} follows {self.last_label}: one missing?")
            self.last_measure, self.last_label = number, label
            self._unit("measure", f"measure-{n}", rest, line, label, number)
            self.item = 0
            return
        self.item += 1
        self._text_block(f"{self.unit}.item-{self.item}", rest, line, label=label, number=number)

    def _unit(self, unit_kind: str, key: str, text: str, line: int, label: str, number: int) -> None:
        self.unit, self.unit_kind = key, unit_kind
        self._text_block(key, text, line, label=label, number=number)

    def _text_block(self, key: str, text: str, line: int, **kw) -> None:
        body, paren, names = split_agencies(text)
        kind = model.MEASURE if key.startswith("measure-") and ".item-" not in key else model.PARAGRAPH
        if body:
            self.add(kind, key, body, line, **kw)
        if paren:
            self.add(model.AGENCIES, f"{self.unit or key}.agencies", paren, line, names=names)

    # ------------------------------------------------------------------ the rest

    def closing_at(self, lines: list[tuple[str, int]], k: int) -> int | None:
        """If signatures (names) and a date start at ``k``, the index of the date line."""
        j = k
        while j < len(lines) and is_name_line(lines[j][0]):
            j += 1
        if j < len(lines) and DATE_RE.match(lines[j][0]) and (j - k <= 30):
            return j
        return None

    def parse(self) -> EnDocument:
        lines = list(zip(self.text.lines, self.text.line_numbers, strict=True))
        k = self.front(lines)
        place = "notice"  # notice → closing → attachment
        after_date = False
        while k < len(lines):
            text, line = lines[k]
            date_at = self.closing_at(lines, k) if place in ("notice", "attachment") else None
            if date_at is not None:
                prefix = "attachment" if after_date else "notice"
                for n, (name, name_line) in enumerate(lines[k:date_at], start=1):
                    self.add(model.SIGNATORY, f"{prefix}.signatory-{n}", name, name_line)
                self.add(model.DATE, f"{prefix}.date", lines[date_at][0], lines[date_at][1])
                k = date_at + 1
                place, after_date = "closing", True
                self.unit = self.unit_kind = None
                continue
            if _DISCLOSURE_RE.match(text) and place == "closing":
                self.add(model.DISCLOSURE, "notice.disclosure", text, line)
            elif _NOTE_RE.match(text) and place == "closing":
                self.add(NOTE, f"note.line-{line}", text, line)
            elif _ATTACHMENT_LABEL_RE.match(text):
                self.attachments += 1
                place = "attachment"
                prefix = "attachment" if self.attachments == 1 else f"attachment-{self.attachments}"
                self.add(ATTACHMENT_LABEL, f"{prefix}.label", text, line)
                self.unit = self.unit_kind = None
            elif place == "closing":
                # after the date: an attachment without a label starts with its title
                self.attachments += 1
                place = "attachment"
                self.add(model.ATTACHMENT_TITLE, "attachment.title", text, line)
            elif (place == "attachment" and not self._attachment_has_title() and not self.label(text)
                  and is_heading_text(text)):
                prefix = "attachment" if self.attachments <= 1 else f"attachment-{self.attachments}"
                self.add(model.ATTACHMENT_TITLE, f"{prefix}.title", text, line)
            else:
                self.body_line(text, line, place)
            k += 1
        return EnDocument(source=self.text.path, blocks=tuple(self.blocks), warnings=tuple(self.warnings))

    def _attachment_has_title(self) -> bool:
        return any(b.kind == model.ATTACHMENT_TITLE for b in self.blocks)

    def body_line(self, text: str, line: int, place: str) -> None:
        if _CLOSING_RE.match(text) and place == "notice":
            self.unit = self.unit_kind = None
            self.add(model.BODY, "notice", text, line)
            return
        role = _ROLE_LINE_RE.match(text)
        if role and self.unit:
            self.add(model.AGENCIES, f"{self.unit}.agencies", text, line, names=role.group("names").strip(" ."))
            return
        found = self.label(text)
        if found:
            self.numbered(found[0], found[1], line)
            return
        if self.unit:  # an unlabelled paragraph under a section heading belongs to the section
            self._text_block(self.unit, text, line)
            return
        kind = model.BODY if place == "notice" else model.PREAMBLE
        key = "notice" if place == "notice" else ("preamble" if self.attachments <= 1
                                                   else f"attachment-{self.attachments}.preamble")
        self.add(kind, key, text, line)


def parse_english(text: EnglishText) -> EnDocument:
    """Parse cleaned English lines into parts keyed like the Chinese document's."""
    return _Parser(text).parse()
