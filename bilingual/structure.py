"""Stage 2: recognise the parts of a 公文 in cleaned text and give each a stable key.

The general layout of a Chinese official document (GB/T 9704) — every part optional::

    上海市商务委员会            ISSUER           notice.issuer-1 …
    文件                        MASTHEAD         notice.masthead
    沪商自贸〔2025〕181号       DOC_NUMBER       notice.doc-number
    …关于印发《…》的通知       TITLE            notice.title
    各相关单位：                ADDRESSEE        notice.addressee
    为深入贯彻…                 BODY             notice            (→ notice.sN)
      (numbered parts of the body: sections, measures … keyed as below)
    特此通知。                  BODY             notice
    附件：1. …                  ATTACHMENT_NOTE  notice.attachment-1 …
    上海市商务委员会            SIGNATORY        notice.signatory-1 …
    2025年6月27日               DATE             notice.date
    (此件主动公开发布)          DISCLOSURE       notice.disclosure
    附件 / 附件1                ATTACHMENT_LABEL attachment.label
    …若干措施                   ATTACHMENT_TITLE attachment.title
    为深入贯彻…                 PREAMBLE         preamble          (→ preamble.sN)
    一、优化监管模式…           SECTION_TITLE    section-1.title
    (一)…。（上海海关）         MEASURE          measure-1         (→ measure-1.sN)
                                AGENCIES         measure-1.agencies
    1. …                        PARAGRAPH        measure-1.item-1  (→ measure-1.item-1.sN)
    （1）…                      PARAGRAPH        measure-1.item-1.sub-1
    责任单位：市商务委          AGENCIES         measure-1.agencies (label 责任单位：)
    配合单位：…                 AGENCIES         measure-1.partners
    完成时限：2025年底前        DEADLINE         measure-1.deadline
    anything else               PARAGRAPH        paragraph-N
    抄送：… / …2025年6月27日印发  COPY_TO / PRINTED notice.copy-to / notice.printed

The keys of the first document (``notice.*``, ``attachment.title``, ``preamble``,
``section-N.title``, ``measure-N``, ``measure-N.agencies``, ``paragraph-N``) are a
public contract: they are the msgctxt prefixes of committed PO files. Everything
else was added for the general layout and follows the same pattern. Also: a title
left on several lines is ``notice.title``, ``notice.title-2`` … (with a warning); a
second attachment is ``attachment-2.label`` / ``.title`` / ``.preamble``; the
signatories and date that close a document without a signed notice are
``notice.signatory-K`` / ``notice.date``, and those closing an attachment after a
signed notice ``attachment.signatory-K`` / ``attachment.date``.

Numbered parts of a notice body (``现将有关事项通知如下：一、…``, a State Council
opinion, a GACC announcement) are structure like an attachment's, with the same
keys (N counts on through the attachments); the notice's own paragraphs before
them, and closing formulas (``特此通知。``), are ``notice`` BODY blocks.

**Numbering levels.** Labels have a rank: ``一、`` (1) > ``（一）`` (2) > ``1.`` /
``1、`` / ``１．`` (3) > ``（1）`` (4) > ``①`` (5), in half- and full-width forms.
A labelled line closes every open unit of the same or a lower rank and opens a unit
one level below the deepest unit still open, so that skipped levels do not matter:

* rank 1 is always a **section** (``section-N``);
* otherwise, under nothing or a section, a **measure** (``measure-N``) — so ``1.``
  directly under ``一、`` (Tianjin style) and ``（1）`` under ``一、`` are measures;
  under a measure an **item** (``measure-N.item-K``); under an item a **sub-item**
  (``measure-N.item-K.sub-J``); deeper labels are plain paragraphs;
* ``第一章`` is a **chapter** (``chapter-N.title``) and ``第一条`` an **article**
  (``article-N``); labels under an article are its items (``article-N.item-K``,
  ``article-N.item-K.sub-J``).

N counts sections, measures, chapters and articles through the whole document
(1, 2, 3 …, equal to the printed number in a normally numbered document, which is
kept in ``Block.label`` / ``Block.number``); K and J count within their parent. A
label out of sequence is reported in ``Document.warnings``.

A unit's text is its line without the label. A **section** line that is only a
heading (no 。！？；, at most 60 characters) is ``section-N.title``; a section
written as prose (``一、加强组织领导。各地区…``) is a sentence block ``section-N``.
Measures, items, sub-items and articles are always sentence blocks: a heading-only
measure is a block of one sentence (``measure-N.s1``), as the first sentence of a
prose measure is its title. Unlabelled paragraphs are ``paragraph-N`` wherever they
are, with the ``section`` / ``measure`` they belong to in the block (and so in the
PO comments).

**Lead agencies.** A final parenthesis of names closing a measure, item or
prose section (``…。（上海海关、市公安局）``) is its ``.agencies`` block (text as
printed, with the brackets); a line ``责任单位：`` / ``牵头单位：`` / ``责任部门：`` …
after a unit is its ``.agencies`` block, ``配合单位：`` … its ``.partners``,
``完成时限：`` … its ``.deadline`` (the role, with its colon, in ``Block.label``;
the names in ``Block.text``). ``Block.agencies`` holds lead agencies only: on the
``.agencies`` block and on the unit's text blocks.

**Tables** (``| a | b |`` rows from DOCX, HTML or text): a table whose header names
a measure column (措施 / 任务 / 内容 …) and a lead-agency, partner, deadline or
number column is a *table of measures*: each row is a measure — ``measure-N``
(the measure cell), ``measure-N.title`` (a separate task-name cell),
``measure-N.agencies`` / ``.partners`` / ``.deadline``, ``measure-N.cC`` (any
other column C) — a category column (领域 / 类别 …) or a row with a single cell
opens a section (``section-N.title``), and the header cells are
``table-T.head.cC``. Any other table is cells: ``table-T.head.cC`` and
``table-T.rR.cC`` (R the data row, C the column, from 1). A number column is the
measure's label, not a segment.

**English headings** (one convention, for build and review): section ``I.``,
measure ``(1)``, item ``(a)``, sub-item ``(i)``, chapter ``Chapter 1``, article
``Article 1``, attachment ``Attachment 1`` — see :func:`english_label`. The number
is the position from the key, so ``（十五）`` is ``(15)``.

A text without any of this comes out as PARAGRAPH blocks with the warning
:data:`NO_STRUCTURE_WARNING`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from .ingest import (
    CN_NUMERAL,
    is_attachment_label,
    is_date_line,
    is_doc_number,
    is_masthead_line,
    is_org_name,
    is_table_row,
)
from .model import (
    ADDRESSEE,
    AGENCIES,
    ATTACHMENT_TITLE,
    BODY,
    DATE,
    DISCLOSURE,
    DOC_NUMBER,
    ISSUER,
    MASTHEAD,
    MEASURE,
    PARAGRAPH,
    PREAMBLE,
    SECTION_TITLE,
    SIGNATORY,
    TITLE,
    Block,
    CleanText,
    Document,
)
from .numerals import roman

__all__ = [
    "parse",
    "chinese_numeral_to_int",
    "split_agencies",
    "english_label",
    "key_label",
    "NO_STRUCTURE_WARNING",
    "ATTACHMENT_LABEL",
    "ATTACHMENT_NOTE",
    "CHAPTER_TITLE",
    "MEASURE_TITLE",
    "DEADLINE",
    "TABLE_HEADER",
    "TABLE_CELL",
    "COPY_TO",
    "PRINTED",
]

NO_STRUCTURE_WARNING = "no sections or numbered measures recognised; translating as plain paragraphs"

# Block kinds added for the general layout (the first document's are in model.py). Prose
# of sections, items and articles is model.PARAGRAPH (segment.py splits it into sentences);
# these are single-segment kinds.
ATTACHMENT_LABEL = "attachment-label"  # 附件 / 附件2 on its own line, at the attachment
ATTACHMENT_NOTE = "attachment-note"  # 附件：1. … — the attachment list of the notice
CHAPTER_TITLE = "chapter-title"  # 第一章 总则
MEASURE_TITLE = "measure-title"  # a table's task-name cell
DEADLINE = "deadline"  # 完成时限：2025年12月底前
TABLE_HEADER = "table-header"
TABLE_CELL = "table-cell"
COPY_TO = "copy-to"  # 抄送：…
PRINTED = "printed"  # 上海市商务委员会办公室 2025年6月27日印发

_NUM = f"[{CN_NUMERAL}]+"
_ARABIC = r"[0-9０-９]+"
_SENTENCE_END = "。！？；"
_DISCLOSURE_RE = re.compile(r"^[(（](?:此件|本件|本文|信息公开|公开方式).{1,20}[)）]$")
_FIRST_SENTENCE_RE = re.compile(r"^.*?[。！？]")
_ROLE_PREFIX_RE = re.compile(r"^[^：:、]{1,8}[：:]")  # 牵头单位： / 责任单位：
_ROLE_SUFFIX_RE = re.compile(r"(?:牵头负责|牵头|配合|负责|参与|按职责分工负责|按职责负责)$")
_ATTACHMENT_NOTE_RE = re.compile(
    r"^(?P<label>附\s*件\s*\d{0,3}\s*[：:]\s*(?:\d{1,2}\s*[.．、]\s*)?)(?P<text>.+)$"
)
_NOTES_LABEL_RE = re.compile(r"^附\s*件\s*[：:]$")
_ATTACHMENT_ITEM_RE = re.compile(r"^(?P<label>\d{1,2}\s*[.．、]\s*)(?P<text>.+)$")
_CLOSING_RE = re.compile(
    r"^(?:特此(?:通知|公告|通告|函告|函复|批复|报告|说明|决定)|此复|此致|专此函告)[。！]?$"
)
_COPY_TO_RE = re.compile(r"^(?P<label>抄\s*送\s*[：:])\s*(?P<text>.+)$")
_PRINTED_RE = re.compile(r"^.{2,40}?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发$")
_ROLE_RE = re.compile(
    r"(?P<role>(?:牵头|责任|主责|主办|实施|承办|配合|协办|参与|协同|协助)(?:单位|部门|主体)?"
    r"|(?:完成|办结)(?:时限|时间|期限)|时间节点|时限要求|时间安排|时限)\s*[：:]"
)
_LEAD_ROLES = ("牵头", "责任", "主责", "主办", "实施", "承办")
_DEADLINE_ROLES = ("时限", "时间", "期限", "节点")

# Labels, by rank. Each pattern captures label, num, rest.
_LABELS = (
    ("chapter", 0, re.compile(rf"^(?P<label>第\s*(?P<num>{_NUM}|{_ARABIC})\s*章)\s*(?P<rest>.*)$")),
    ("article", 0, re.compile(rf"^(?P<label>第\s*(?P<num>{_NUM}|{_ARABIC})\s*条)\s*(?P<rest>.+)$")),
    ("unit", 1, re.compile(rf"^(?P<label>(?P<num>{_NUM})、)\s*(?P<rest>.+)$")),
    ("unit", 2, re.compile(rf"^(?P<label>[(（]\s*(?P<num>{_NUM})\s*[)）])\s*(?P<rest>.+)$")),
    ("unit", 3, re.compile(rf"^(?P<label>(?P<num>{_ARABIC})\s*[.．、](?![0-9０-９]))\s*(?P<rest>.+)$")),
    ("unit", 4, re.compile(rf"^(?P<label>[(（]\s*(?P<num>{_ARABIC})\s*[)）])\s*(?P<rest>.+)$")),
    ("unit", 5, re.compile(r"^(?P<label>(?P<num>[\u2460-\u2473]))\s*(?P<rest>.+)$")),
)

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: Issuer and signatory names at least this similar are the same body written two ways
#: (上海市海事局 / 上海海事局).
SAME_BODY_RATIO = 0.85

# --------------------------------------------------------------------------- numbers and labels


def chinese_numeral_to_int(text: str) -> int:
    """``一`` → 1, ``十五`` → 15, ``三十一`` → 31, ``一百零五`` → 105, ``15`` → 15, ``③`` → 3.

    Accepts Chinese numerals up to 九千九百九十九 (十, 百, 千 with 零/〇 as a place
    holder, 两 for 2), digit-by-digit forms (``二〇二五`` → 2025), Arabic digits
    (ASCII or full-width) and circled numbers ①–⑳. Raises :class:`ValueError` for
    anything else.
    """
    s = text.strip()
    if not s:
        raise ValueError("empty numeral")
    if len(s) == 1 and 0x2460 <= ord(s) <= 0x2473:
        return ord(s) - 0x2460 + 1
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        raise ValueError(f"not a numeral: {text!r}")
    if not any(ch in _UNITS for ch in s):
        if len(s) == 1:
            return _DIGITS[s]
        return int("".join(str(_DIGITS[ch]) for ch in s))  # 二〇二五
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in s:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise ValueError(f"not a numeral: {text!r}")
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a numeral: {text!r}")
            if digit is None:
                if total:  # 一百十 is written 一百一十
                    raise ValueError(f"not a numeral: {text!r}")
                digit = 1  # 十五 = 15
            elif digit == 0:
                raise ValueError(f"not a numeral: {text!r}")
            total += digit * unit
            digit = None
            last_unit = unit
    if digit:
        total += digit
    return total


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def english_label(unit: str, number: int) -> str:
    """The English numbering of a unit: the one convention for headings in English.

    ``section`` 1 → ``I.``, ``measure`` 1 → ``(1)``, ``item`` 1 → ``(a)`` (27 → ``(aa)``),
    ``sub`` 1 → ``(i)``, ``chapter`` 1 → ``Chapter 1``, ``article`` 1 → ``Article 1``,
    ``attachment`` 1 → ``Attachment 1``.
    """
    if unit == "section":
        return f"{roman(number)}."
    if unit == "measure":
        return f"({number})"
    if unit == "item":
        return f"({_letters(number)})"
    if unit == "sub":
        return f"({roman(number).lower()})"
    if unit in ("chapter", "article", "attachment"):
        return f"{unit.capitalize()} {number}"
    raise ValueError(f"unknown unit {unit!r}")


_KEY_UNIT_RE = re.compile(r"(?:^|\.)(?P<unit>section|measure|item|sub|chapter|article|attachment)-(?P<n>\d+)")


def key_label(key: str) -> str:
    """The English label of the innermost numbered unit of a block key or msgctxt.

    ``section-2.title`` → ``II.``, ``measure-15.s3`` → ``(15)``, ``measure-3.item-2.s1`` →
    ``(b)``, ``article-7`` → ``Article 7``; ``""`` for keys without a numbered unit.
    """
    found = list(_KEY_UNIT_RE.finditer(key))
    if not found:
        return ""
    last = found[-1]
    return english_label(last["unit"], int(last["n"]))


def _find_final_paren(text: str) -> int | None:
    """Index of the bracket opening the parenthesis that ends ``text``, or None."""
    if not text or text[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return i
    return None


def split_agencies(paren: str) -> tuple[str, ...]:
    """``（上海海关、市公安局）`` → ``("上海海关", "市公安局")``.

    Names are separated by 、(，and spaces); groups by ；, each group may start with a
    role such as ``牵头单位：`` which is not a name; a role after a name
    (``市商务委牵头``) is dropped too.
    """
    inner = paren[1:-1] if paren[:1] in "(（" and paren[-1:] in ")）" else paren
    names: list[str] = []
    for group in re.split(r"[；;]", inner):
        group = _ROLE_PREFIX_RE.sub("", group.strip(), count=1)
        for name in re.split(r"[、，,\s]+", group):
            name = _ROLE_SUFFIX_RE.sub("", name.strip())
            if name:
                names.append(name)
    return tuple(names)


def _is_name_list(inner: str) -> bool:
    if not inner or any(ch in "。！？!?" for ch in inner):
        return False
    names = split_agencies(inner)
    if not names or any(len(name) > 30 for name in names):
        return False
    if any(ch in "，," for ch in inner):  # （市商务委牵头，市财政局配合） but not （含港澳台，下同）
        groups = [g for g in re.split(r"[，,；;]", inner) if g.strip()]
        return all(_ROLE_SUFFIX_RE.search(g.strip()) or _ROLE_PREFIX_RE.match(g.strip()) for g in groups)
    return True


def _split_measure(rest: str) -> tuple[str, str]:
    """Split a unit's text (label removed) into (text, final agencies parenthesis or "")."""
    start = _find_final_paren(rest)
    if start is None or start == 0:
        return rest, ""
    before, paren = rest[:start].rstrip(), rest[start:]
    if not before or before[-1] not in "。！？；…”":
        return rest, ""  # 〔…（MaaS）〕 at the end of a sentence, not a list of agencies
    if not _is_name_list(paren[1:-1].strip()):
        return rest, ""
    return before, paren


def _numeral(num: str) -> int | None:
    try:
        return chinese_numeral_to_int(num.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    except ValueError:  # 一二、三类 is not a heading label
        return None


@dataclasses.dataclass(frozen=True)
class _Label:
    kind: str  # chapter | article | unit
    rank: int
    label: str
    number: int
    rest: str


def _match_label(text: str) -> _Label | None:
    for kind, rank, pattern in _LABELS:
        match = pattern.match(text)
        if match is None:
            continue
        value = _numeral(match["num"])
        if value is None:
            return None
        return _Label(kind, rank, match["label"], value, match["rest"].strip())
    return None


def _is_heading_text(text: str) -> bool:
    return len(text) <= 60 and not any(ch in _SENTENCE_END for ch in text)


def _is_structure_start(text: str) -> bool:
    return _match_label(text) is not None or is_table_row(text)


_ADDRESSEE_ENDINGS = ("单位", "部门", "机构", "政府", "委员会", "委", "办", "局", "厅", "部", "署", "会", "院",
                      "海关", "集团", "公司", "学校", "中心", "分署", "直属海关", "机关", "各位", "同志")  # fmt: skip


def _is_addressee(text: str) -> bool:
    """``各相关单位：``, ``各省、自治区、直辖市人民政府，国务院各部委、各直属机构：``."""
    if not text.endswith(("：", ":")) or len(text) > 80 or any(ch in "。；！？" for ch in text):
        return False
    if any(word in text for word in ("如下", "现将", "现就", "通知", "公告")):
        return False  # 现将有关事项通知如下： opens the body
    if "，" not in text and "," not in text and len(text) <= 40:
        return True
    groups = [g.strip() for g in re.split(r"[，,]", text[:-1]) if g.strip()]
    return bool(groups) and all(g.startswith("各") or g.endswith(_ADDRESSEE_ENDINGS) for g in groups)


def _is_title_like(text: str) -> bool:
    return len(text) <= 80 and not any(ch in "。，；！？" for ch in text) and not _is_structure_start(text)


def _first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE_RE.match(text)
    return match.group(0) if match else text


def _role_groups(text: str) -> list[tuple[str, str, str]] | None:
    """``责任单位：A、B；完成时限：2025年底前`` → [("lead", "责任单位：", "A、B"), ("deadline", …)].

    None unless the line (without enclosing brackets) starts with a role.
    """
    inner = text
    if inner[:1] in "(（" and _find_final_paren(inner) == 0:
        inner = inner[1:-1].strip()
    matches = list(_ROLE_RE.finditer(inner))
    if not matches or matches[0].start() != 0:
        return None
    groups = []
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(inner)
        value = inner[match.end() : end].strip().rstrip("；;，, ").strip()
        role = match["role"]
        if any(r in role for r in _DEADLINE_ROLES):
            kind = "deadline"
        elif any(role.startswith(r) for r in _LEAD_ROLES):
            kind = "lead"
        else:
            kind = "partners"
        if not value:
            return None
        if kind != "deadline" and (
            any(ch in "。！？" for ch in value) or any(len(n) > 30 for n in split_agencies(value))
        ):
            return None
        groups.append((kind, match.group(0), value))
    return groups


def _masthead_warnings(issuers: list[Block], signatories: list[Block]) -> list[str]:
    """Warn about masthead issuers that match no signatory (likely extraction errors)."""
    if not issuers or not signatories:
        return []
    free = list(signatories)
    unmatched: list[Block] = []
    for issuer in issuers:
        same = next((s for s in free if s.text == issuer.text), None)
        if same is not None:
            free.remove(same)
        else:
            unmatched.append(issuer)
    warnings = []
    for issuer in unmatched:
        pool = free or signatories
        best = max(pool, key=lambda s: difflib.SequenceMatcher(None, issuer.text, s.text).ratio())
        ratio = difflib.SequenceMatcher(None, issuer.text, best.text).ratio()
        if free and ratio >= SAME_BODY_RATIO:
            free.remove(best)  # the same body, written with / without 市
            continue
        warnings.append(
            f"line {issuer.line}: masthead issuer '{issuer.text}' is not a known issuing body "
            f"(it matches no signatory); it most resembles signatory '{best.text}' (line {best.line}) "
            "— probably a text-extraction error, kept as written"
        )
    return warnings


# --------------------------------------------------------------------------- the parser


@dataclasses.dataclass
class _Unit:
    level: str  # chapter section measure item sub article
    rank: float
    key: str
    number: int  # position in its sequence (the key's number)
    section: int | None
    measure: int | None
    blocks: list[int] = dataclasses.field(default_factory=list)  # indexes of its text blocks
    children: int = 0
    closed: bool = False  # its agencies have been given


_COLUMN_ROLES = (
    ("number", re.compile(r"^(?:序号|编号|序|号|No\.?)$", re.IGNORECASE)),
    ("partners", re.compile(r"(?:配合|协办|参与|协同|协助)(?:单位|部门)")),
    ("lead", re.compile(r"(?:牵头|责任|主责|主办|实施)(?:单位|部门|主体|处室)|^牵头$|^责任$")),
    ("deadline", re.compile(r"时限|完成时间|时间节点|进度安排|完成期限|办结时间")),
    ("category", re.compile(r"^(?:类别|领域|方面|板块|分类|类型|重点领域|专项|事项类别|改革领域)$")),
    ("measure", re.compile(r"措施|内容|举措|主要任务|工作任务|任务内容|具体任务")),
    ("title", re.compile(r"任务|事项|名称|项目")),
)


class _Parser:
    def __init__(self, clean: CleanText) -> None:
        self.clean = clean
        self.lines = list(zip(clean.lines, clean.line_numbers, strict=True))
        self.blocks: list[Block] = []
        self.keys: set[str] = set()
        self.warnings: list[str] = []
        self.paragraphs = 0
        self.counts = {"section": 0, "measure": 0, "chapter": 0, "article": 0, "table": 0, "note": 0}
        self.attachment = 0  # 0: before any 附件 label; 1 the first attachment, …
        self.seq = {"section": 0, "measure": 0}  # per attachment, for the sequence warnings
        self.stack: list[_Unit] = []
        self.structured = False
        self.agency_units: set[str] = set()
        self.doc_number = self.title = self.date = ""
        self.section_titles: dict[int, str] = {}
        self.measure_titles: dict[int, str] = {}
        self.notice_signed = False
        self._section_now: int | None = None
        self.pending_closing: tuple | None = None

    # ------------------------------------------------------------------ helpers

    def add(self, kind: str, key: str, text: str, line: int, **extra) -> int:
        self.blocks.append(Block(kind=kind, key=key, text=text, line=line, **extra))
        self.keys.add(key)
        return len(self.blocks) - 1

    def context(self) -> tuple[int | None, int | None]:
        """(section, measure) a paragraph here belongs to."""
        if self.stack:
            return self.stack[-1].section, self.stack[-1].measure
        return self._section_now, None

    def paragraph(self, text: str, line: int) -> None:
        self.paragraphs += 1
        section, measure = self.context()
        self.add(PARAGRAPH, f"paragraph-{self.paragraphs}", text, line, section=section, measure=measure)

    def _attachment_prefix(self) -> str:
        return "attachment" if self.attachment <= 1 else f"attachment-{self.attachment}"

    # ------------------------------------------------------------------ units

    def unit(self, found: _Label, text: str, line: int) -> None:
        self.structured = True
        if found.kind == "chapter":
            self.stack.clear()
            self._section_now = None
            self.counts["chapter"] += 1
            n = self.counts["chapter"]
            self.stack.append(_Unit("chapter", 0, f"chapter-{n}", n, None, None))
            self.add(CHAPTER_TITLE, f"chapter-{n}.title", found.rest or found.label, line,
                     label=found.label, number=found.number)  # fmt: skip
            return
        if found.kind == "article":
            self.stack = [u for u in self.stack if u.level == "chapter"]
            self.counts["article"] += 1
            n = self.counts["article"]
            if found.number != n:
                self.warnings.append(
                    f"line {line}: article label {found.label} out of sequence (article {n})"
                )
            unit = _Unit("article", 0.5, f"article-{n}", n, self._section_now, None)
            self.stack.append(unit)
            unit.blocks.append(self.add(PARAGRAPH, unit.key, found.rest, line, section=unit.section,
                                        label=found.label, number=found.number))  # fmt: skip
            return
        if found.rank == 1:
            self.section(found, line)
            return
        while (
            self.stack
            and self.stack[-1].level in ("measure", "item", "sub")
            and self.stack[-1].rank >= found.rank
        ):
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.level in ("article", "item", "measure", "sub"):
            level = {"article": "item", "measure": "item", "item": "sub", "sub": ""}[parent.level]
        else:
            level = "measure"
        if not level:  # deeper than a sub-item: text
            self.paragraph(text, line)
            return
        body, paren = _split_measure(found.rest)
        agencies = split_agencies(paren) if paren else ()
        section = parent.section if parent is not None else self._section_now
        if level == "measure":
            self.counts["measure"] += 1
            self.seq["measure"] += 1
            n = self.counts["measure"]
            in_section = parent.children + 1 if parent is not None and parent.level == "section" else None
            if parent is not None:
                parent.children += 1
            if found.number not in (self.seq["measure"], in_section):
                self.warnings.append(
                    f"line {line}: measure label {found.label} out of sequence (measure {n})"
                )
            unit = _Unit("measure", found.rank, f"measure-{n}", n, section, n)
            index = self.add(MEASURE, unit.key, body, line, section=section, measure=n,
                             label=found.label, number=found.number, agencies=agencies)  # fmt: skip
            self.measure_titles[n] = _first_sentence(body)
        else:
            parent.children += 1
            k = parent.children
            if found.number != k:
                self.warnings.append(
                    f"line {line}: {level} label {found.label} out of sequence ({level} {k})"
                )
            unit = _Unit(level, found.rank, f"{parent.key}.{level}-{k}", k, section, parent.measure)
            index = self.add(PARAGRAPH, unit.key, body, line, section=section, measure=parent.measure,
                             label=found.label, number=found.number, agencies=agencies)  # fmt: skip
        unit.blocks.append(index)
        self.stack.append(unit)
        if paren:
            self.close(unit, "lead", paren, "", agencies, line)

    def section(self, found: _Label, line: int) -> None:
        self.stack = [u for u in self.stack if u.level == "chapter"]
        self.counts["section"] += 1
        self.seq["section"] += 1
        n = self.counts["section"]
        self._section_now = n
        if found.number != self.seq["section"]:
            self.warnings.append(f"line {line}: section label {found.label} out of sequence (section {n})")
        unit = _Unit("section", 1, f"section-{n}", n, n, None)
        self.stack.append(unit)
        if _is_heading_text(found.rest):
            self.add(SECTION_TITLE, f"section-{n}.title", found.rest, line, section=n,
                     label=found.label, number=found.number)  # fmt: skip
            self.section_titles[n] = found.rest
            return
        body, paren = _split_measure(found.rest)
        agencies = split_agencies(paren) if paren else ()
        unit.blocks.append(self.add(PARAGRAPH, unit.key, body, line, section=n, label=found.label,
                                    number=found.number, agencies=agencies))  # fmt: skip
        self.section_titles[n] = _first_sentence(body)
        if paren:
            self.close(unit, "lead", paren, "", agencies, line)

    def close(self, unit: _Unit, role: str, text: str, label: str, names: tuple[str, ...], line: int) -> bool:
        """Add a unit's agencies / partners / deadline block; False if it already has one."""
        suffix = {"lead": "agencies", "partners": "partners", "deadline": "deadline"}[role]
        key = f"{unit.key}.{suffix}"
        if key in self.keys:
            return False
        kind = DEADLINE if role == "deadline" else AGENCIES
        self.add(kind, key, text, line, section=unit.section, measure=unit.measure, label=label,
                 agencies=names if role == "lead" else ())  # fmt: skip
        if role == "lead":
            unit.closed = True
            self.agency_units.add(unit.key)
            for index in unit.blocks:
                self.blocks[index] = dataclasses.replace(self.blocks[index], agencies=names)
        return True

    def role_line(self, groups: list[tuple[str, str, str]], line: int) -> bool:
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
        """A paragraph inside an open unit that ends with the unit's agencies parenthesis."""
        unit = self.stack[-1] if self.stack else None
        if unit is None or unit.closed or unit.level in ("chapter", "article") or not unit.blocks:
            return False
        body, paren = _split_measure(text)
        if not paren:
            return False
        self.paragraph(body, line)
        self.close(unit, "lead", paren, "", split_agencies(paren), line)
        return True

    # ------------------------------------------------------------------ tables

    def table(self, rows: list[tuple[list[str], int]]) -> None:
        self.structured = True
        self.counts["table"] += 1
        t = self.counts["table"]
        rows = [
            (cells, line)
            for cells, line in rows
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c)
        ]
        if not rows:
            return
        header, header_line = rows[0]
        roles: dict[int, str] = {}
        is_header = any(self._column_role(c) for c in header) and all(len(c) <= 20 for c in header)
        if is_header:
            for c, cell in enumerate(header):
                role = self._column_role(cell)
                if role and role not in roles.values():
                    roles[c] = role
            if "measure" not in roles.values() and "title" in roles.values():
                roles = {c: ("measure" if r == "title" else r) for c, r in roles.items()}
            for c, cell in enumerate(header, start=1):
                if cell:
                    self.add(
                        TABLE_HEADER, f"table-{t}.head.c{c}", cell, header_line, section=self._section_now
                    )
            rows = rows[1:]
        measures = (
            is_header
            and "measure" in roles.values()
            and len(set(roles.values()) - {"measure", "title", "category"}) > 0
        )
        if not measures:
            for r, (cells, line) in enumerate(rows, start=1):
                for c, cell in enumerate(cells, start=1):
                    if cell:
                        self.add(TABLE_CELL, f"table-{t}.r{r}.c{c}", cell, line, section=self._section_now)
            return
        column = {role: c for c, role in roles.items()}
        category = None
        self.stack = [u for u in self.stack if u.level in ("chapter", "section")]
        for r, (cells, line) in enumerate(rows, start=1):
            filled = [c for c in cells if c]
            if len(filled) == 1 and len(cells) > 1:  # a caption row spanning the table: a section
                self.table_section(filled[0], line)
                continue
            if "category" in column:
                value = cells[column["category"]] if column["category"] < len(cells) else ""
                if value and value != category:
                    category = value
                    self.table_section(value, line)
            text = cells[column["measure"]] if column["measure"] < len(cells) else ""
            if not text:
                for c, cell in enumerate(cells, start=1):
                    if cell:
                        self.add(TABLE_CELL, f"table-{t}.r{r}.c{c}", cell, line, section=self._section_now)
                continue
            self.counts["measure"] += 1
            n = self.counts["measure"]
            section = self._section_now
            label = cells[column["number"]] if "number" in column and column["number"] < len(cells) else ""
            number = _numeral(label) if label else None
            unit = _Unit("measure", 2, f"measure-{n}", n, section, n)
            if "title" in column and column["title"] < len(cells) and cells[column["title"]]:
                title = cells[column["title"]]
                self.add(MEASURE_TITLE, f"measure-{n}.title", title, line, section=section, measure=n,
                         label=label, number=number if number is not None else n)  # fmt: skip
                self.measure_titles[n] = title
            else:
                self.measure_titles[n] = _first_sentence(text)
            unit.blocks.append(self.add(MEASURE, unit.key, text, line, section=section, measure=n, label=label,
                                        number=number if number is not None else n))  # fmt: skip
            for c, cell in enumerate(cells):
                role = roles.get(c)
                if not cell or role in ("measure", "title", "number", "category"):
                    continue
                if role in ("lead", "partners", "deadline"):
                    self.close(unit, role, cell, "", split_agencies(cell) if role != "deadline" else (), line)
                else:
                    self.add(TABLE_CELL, f"measure-{n}.c{c + 1}", cell, line, section=section, measure=n)

    def table_section(self, text: str, line: int) -> None:
        found = _match_label(text)
        if found is not None and found.rank == 1:
            self.section(found, line)
            return
        self.stack = [u for u in self.stack if u.level == "chapter"]
        self.counts["section"] += 1
        n = self.counts["section"]
        self._section_now = n
        self.stack.append(_Unit("section", 1, f"section-{n}", n, n, None))
        self.add(SECTION_TITLE, f"section-{n}.title", text, line, section=n)
        self.section_titles[n] = text

    @staticmethod
    def _column_role(cell: str) -> str:
        cell = cell.replace(" ", "")
        for role, pattern in _COLUMN_ROLES:
            if pattern.search(cell):
                return role
        return ""

    # ------------------------------------------------------------------ the line loop

    def structure(self, lines: list[tuple[str, int]], *, notice: bool = False) -> None:
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
                self.table(rows)
                continue
            k += 1
            if notice and _CLOSING_RE.match(text):
                self.add(BODY, "notice", text, line)
                continue
            if self.trailer(text, line):
                continue
            groups = _role_groups(text)
            if groups is not None and self.role_line(groups, line):
                continue
            found = _match_label(text)
            if found is not None:
                self.unit(found, text, line)
                continue
            if self.trailing_paren(text, line):
                continue
            self.paragraph(text, line)

    def trailer(self, text: str, line: int) -> bool:
        """抄送 and 印发 lines (版记)."""
        match = _COPY_TO_RE.match(text)
        if match and "notice.copy-to" not in self.keys:
            self.add(COPY_TO, "notice.copy-to", match["text"], line, label=match["label"])
            return True
        if _PRINTED_RE.match(text) and "notice.printed" not in self.keys:
            self.add(PRINTED, "notice.printed", text, line)
            return True
        return False

    def attachments_part(self, lines: list[tuple[str, int]]) -> None:
        """Everything after the notice: attachments (label, title, preamble) and their structure."""
        head = True
        have_title = False
        for k, (text, line) in enumerate(lines):
            if is_attachment_label(text):
                self.attachment += 1
                if self.attachment == 1 and any(b.kind in (ATTACHMENT_TITLE, PREAMBLE) for b in self.blocks):
                    self.attachment = 2  # the first attachment had no label
                self.add(ATTACHMENT_LABEL, f"{self._attachment_prefix()}.label", text, line)
                self.stack.clear()
                self._section_now = None
                self.seq = {"section": 0, "measure": 0}
                head, have_title = True, False
                continue
            if head and _is_structure_start(text):
                head = False
            if head:
                if self.trailer(text, line):
                    continue
                if not have_title and _is_title_like(text):
                    self.add(ATTACHMENT_TITLE, f"{self._attachment_prefix()}.title", text, line)
                    have_title = True
                    self.title = self.title or text
                else:
                    key = "preamble" if self.attachment <= 1 else f"{self._attachment_prefix()}.preamble"
                    self.add(PREAMBLE, key, text, line)
                continue
            # up to the next attachment label
            end = next((j for j in range(k, len(lines)) if is_attachment_label(lines[j][0])), len(lines))
            self.structure(lines[k:end])
            if end < len(lines):
                self.attachments_part(lines[end:])
            return

    # ------------------------------------------------------------------ the document

    def closing(self, lines: list[tuple[str, int]]) -> tuple[int, int]:
        """Find the signatories, date and disclosure that end ``lines`` (before any 版记 lines).

        Returns ``(start, stop)``: they are ``lines[start:stop]`` (remembered for
        :meth:`emit_closing`); ``(len, len)`` when there are none.
        """
        n = len(lines)
        t = n
        while t > 0 and (_COPY_TO_RE.match(lines[t - 1][0]) or _PRINTED_RE.match(lines[t - 1][0])):
            t -= 1
        stop = t
        disclosure = None
        if t > 0 and _DISCLOSURE_RE.match(lines[t - 1][0]):
            disclosure = lines[t - 1]
            t -= 1
        if t == 0 or not is_date_line(lines[t - 1][0]):
            return n, n
        d = t - 1
        s = d
        while s > 0 and is_org_name(lines[s - 1][0]):
            s -= 1
        if s == d and (s == 0 or not lines[s - 1][0].endswith(tuple(_SENTENCE_END + "）)"))):
            return n, n  # a date alone after an unfinished line: text
        prefix = "attachment" if self.notice_signed else "notice"
        self.pending_closing = (prefix, lines[s:d], lines[d], disclosure)
        return s, stop

    def emit_closing(self) -> None:
        if self.pending_closing is None:
            return
        prefix, signatories, date, disclosure = self.pending_closing
        for k, (text, line) in enumerate(signatories, start=1):
            self.add(SIGNATORY, f"{prefix}.signatory-{k}", text, line)
        self.add(DATE, f"{prefix}.date", date[0], date[1])
        self.date = self.date or date[0]
        if disclosure is not None:
            self.add(DISCLOSURE, f"{prefix}.disclosure", disclosure[0], disclosure[1])
        self.pending_closing = None

    def run(self) -> Document:
        lines = self.lines
        n = len(lines)
        i = 0

        # --- masthead: issuing bodies, one per line, closed by 文件
        issuers: list[Block] = []
        for j, (text, _) in enumerate(lines[:30]):
            if is_masthead_line(text):
                for k, (issuer, number) in enumerate(lines[:j], start=1):
                    self.add(ISSUER, f"notice.issuer-{k}", issuer, number)
                    issuers.append(self.blocks[-1])
                line = lines[j][1]
                if text != "文件":  # 上海市商务委员会文件: issuer and masthead on one line
                    self.add(ISSUER, f"notice.issuer-{len(issuers) + 1}", text[:-2].rstrip(), line)
                    issuers.append(self.blocks[-1])
                    text = "文件"
                self.add(MASTHEAD, "notice.masthead", text, line)
                i = j + 1
                break
            if not is_org_name(text):
                break
        notice = bool(issuers) or (i > 0)

        # --- document number (before the title, or right after it: 国务院关于…的意见 / 国发〔2024〕1号)
        if i < n and is_doc_number(lines[i][0]):
            self.doc_number = lines[i][0]
            self.add(DOC_NUMBER, "notice.doc-number", self.doc_number, lines[i][1])
            notice = True
            i += 1
        elif i + 1 < n and _is_title_like(lines[i][0]) and is_doc_number(lines[i + 1][0]):
            self.title = lines[i][0]
            self.add(TITLE, "notice.title", self.title, lines[i][1])
            self.doc_number = lines[i + 1][0]
            self.add(DOC_NUMBER, "notice.doc-number", self.doc_number, lines[i + 1][1])
            notice = True
            i += 2

        # --- title and addressee
        addressee = next((j for j in range(i, min(n, i + 5)) if _is_addressee(lines[j][0])), None)
        if addressee is not None and not any(_is_structure_start(t) for t, _ in lines[i:addressee]):
            notice = True
            title_lines = lines[i:addressee]
            # A title may already stand before the document number (国务院关于…的意见 / 国发〔…〕号).
            before = sum(1 for block in self.blocks if block.kind == TITLE)
            for k, (text, number) in enumerate(title_lines, start=before + 1):
                self.add(TITLE, "notice.title" if k == 1 else f"notice.title-{k}", text, number)
            if title_lines:
                self.title = self.title + "".join(text for text, _ in title_lines)
            if len(title_lines) > 1:
                self.warnings.append(
                    f"line {title_lines[0][1]}: the title is {len(title_lines)} separate lines; check the line joins"
                )
            self.add(ADDRESSEE, "notice.addressee", lines[addressee][0], lines[addressee][1])
            i = addressee + 1
        elif notice and not self.title and i < n and _is_title_like(lines[i][0]):
            self.title = lines[i][0]
            self.add(TITLE, "notice.title", self.title, lines[i][1])
            i += 1

        # --- body, signatories, date, disclosure
        signatories: list[Block] = []
        if notice:
            # The notice ends with signatories and a date. Numbered parts may make up the
            # body (现将有关事项通知如下：一、…): a date after the first heading still closes
            # the notice when signatories precede it.
            end = next((j for j in range(i, n) if _is_structure_start(lines[j][0])), n)
            d = next((j for j in range(i, n) if is_date_line(lines[j][0])), None)
            if d is not None and d > end and not is_org_name(lines[d - 1][0]):
                d = None
            if d is None:
                for text, number in lines[i:end]:
                    self.add(BODY, "notice", text, number)
                i = end
            else:
                s = d
                while s > i and is_org_name(lines[s - 1][0]):
                    s -= 1
                self.notice_body(lines[i:s])
                for k, (text, number) in enumerate(lines[s:d], start=1):
                    self.add(SIGNATORY, f"notice.signatory-{k}", text, number)
                    signatories.append(self.blocks[-1])
                self.date = lines[d][0]
                self.add(DATE, "notice.date", self.date, lines[d][1])
                self.notice_signed = True
                i = d + 1
                if i < n and _DISCLOSURE_RE.match(lines[i][0]):
                    self.add(DISCLOSURE, "notice.disclosure", lines[i][0], lines[i][1])
                    i += 1
        self.warnings.extend(_masthead_warnings(issuers, signatories))

        # --- what follows the notice: attachments, or the whole document when there is no notice
        rest = lines[i:]
        if not any(_is_structure_start(text) for text, _ in rest):
            if not self.structured:
                for text, number in rest:
                    if not self.trailer(text, number):
                        self.paragraph(text, number)
                self.warnings.append(NO_STRUCTURE_WARNING)
                return self.document()
            start = stop = len(rest)
        else:
            start, stop = self.closing(rest)
        self.attachments_part(rest[:start])
        self.emit_closing()
        for text, number in rest[stop:]:
            if not self.trailer(text, number):
                self.paragraph(text, number)
        if not self.structured:
            self.warnings.append(NO_STRUCTURE_WARNING)
        return self.document()

    def notice_body(self, lines: list[tuple[str, int]]) -> None:
        """The notice body: paragraphs, then its numbered parts, closing formula, attachment notes."""
        notes = next(
            (
                k
                for k, (text, _) in enumerate(lines)
                if _ATTACHMENT_NOTE_RE.match(text) or _NOTES_LABEL_RE.match(text)
            ),
            len(lines),
        )
        body = lines[:notes]
        start = next((k for k, (text, _) in enumerate(body) if _is_structure_start(text)), len(body))
        for text, number in body[:start]:
            self.add(BODY, "notice", text, number)
        if start < len(body):
            self.structure(body[start:], notice=True)
            self.stack.clear()
            self._section_now = None
            self.seq = {"section": 0, "measure": 0}
        prefix = ""
        for k, (text, number) in enumerate(lines[notes:]):
            if k == 0 and _NOTES_LABEL_RE.match(text):
                prefix = text  # 附件： on its own line: the label of the first note
                continue
            match = _ATTACHMENT_NOTE_RE.match(text) if k == 0 else _ATTACHMENT_ITEM_RE.match(text)
            self.counts["note"] += 1
            label, note = (match["label"], match["text"]) if match else ("", text)
            self.add(ATTACHMENT_NOTE, f"notice.attachment-{self.counts['note']}", note.strip(), number,
                     label=(prefix + label).strip())  # fmt: skip
            prefix = ""

    def document(self) -> Document:
        if self.agency_units:  # the document names lead agencies: say which measures have none
            for block in self.blocks:
                if block.kind == MEASURE and block.key not in self.agency_units:
                    self.warnings.append(
                        f"line {block.line}: measure {block.measure} has no final lead-agency parenthesis"
                    )
        blocks = tuple(self.blocks)
        return Document(
            source=self.clean.path,
            blocks=blocks,
            doc_number=self.doc_number,
            title=self.title,
            date=self.date,
            warnings=tuple(self.warnings),
            section_titles=dict(sorted(self.section_titles.items())),
            measure_titles=dict(sorted(self.measure_titles.items())),
        )


def parse(clean: CleanText) -> Document:
    """Turn cleaned text into a :class:`Document` of keyed blocks (see the module docstring)."""
    return _Parser(clean).run()
