"""Line recognisers: what a line *can* be by its form, each with the examples it knows.

The assembler (:mod:`.assemble`) decides from the order of the lines what each one *is* — a
title-like line before the addressee is the title, one after the notice is an attachment's
title. These predicates only look at one line (or a pair). Adding a layout usually means adding
a recogniser here and a document to ``tests/corpus``. Traditional-character reprints are read
through :func:`.fold.fold`.
"""

from __future__ import annotations

import re

from ..ingest import (
    is_date_line,
    is_doc_number,
    is_field_line,
    is_official_signature,
    is_org_name,
    is_title_line,
)
from .fold import fold
from .numbering import is_structure_start

__all__ = [
    "is_title_like",
    "is_complete_title",
    "is_title_continuation",
    "is_title_piece",
    "TITLE_LINES",
    "split_title_number",
    "split_number_date",
    "split_joint_number",
    "split_number_title",
    "is_addressee",
    "signatory_names",
    "is_official",
    "is_masthead_kind",
    "is_closing_formula",
    "COPY_TO_RE",
    "PRINTED_RE",
    "ATTACHMENT_NOTE_RE",
    "NOTES_LABEL_RE",
    "ATTACHMENT_ITEM_RE",
    "heading_sentence",
    "first_sentence",
    "is_heading_text",
]

SENTENCE_END = "。！？；"
_TRUNCATED = ("..", "…", "．．")
TITLE_LINES = 3  # a title is set on one, two or three lines
_ASCII_PUNCT_RE = re.compile(r"[!-'*-,./:-@\[-`{-~]")  # ASCII punctuation other than ( ) and -


def is_title_like(text: str) -> bool:
    """Short, no clause punctuation, no numbering label: ``国务院办公厅关于推进``,
    ``政务新媒体健康有序发展的意见``, ``优化口岸营商环境``."""
    return len(text) <= 80 and not any(ch in "。，；！？" for ch in text) and not is_structure_start(text)


def is_complete_title(text: str) -> bool:
    """A title that has reached its kind: ``…的通知``, ``…的意见``, ``…的复函``, ``…工作方案``,
    ``…的若干意见`` (Traditional ``…的意見`` too)."""
    return is_title_like(text) and is_title_line(fold(text))


def is_title_piece(text: str) -> bool:
    """A line that can be part of a title broken over lines (its first, middle or last line):
    title-like, and no name, date, number, field or bracketed note (``（此件公开发布）``)."""
    return (
        is_title_like(text)
        and not text.endswith(_TRUNCATED)
        and not _ASCII_PUNCT_RE.search(text)
        and not is_org_name(text)
        and not is_date_line(text)
        and not is_doc_number(text)
        and not is_field_line(text)
        and "：" not in text
        and text[:1] not in "(（【〔["
        and not text.endswith(("网", "網", "网站", "網站"))
        and not is_masthead_kind(text)
    )


def is_title_continuation(text: str) -> bool:
    """A piece of a title broken over lines (not its end): ``国务院办公厅关于推进``,
    ``关于进一步深化跨境贸易便利化改革``, ``广东省进一步加大力度支持民间``.

    Not a truncated page heading (``…便利化工作..``), a name (``海关总署网站``), a date, a
    number or a line with ASCII punctuation (``2021/01.12 星期二 13:23``).
    """
    return is_title_piece(text) and not is_complete_title(text)


_TITLE_NUMBER_RE = re.compile(r"^(?P<title>.+?)\s*[(（]\s*(?P<number>[^()（）]+?[号號])\s*[)）]$")


def split_title_number(text: str) -> tuple[str, str] | None:
    """A title with its number in brackets after it, as page headings print them:
    ``宁波市人民政府关于印发…实施细则的通知 (甬政发〔2021〕21号)`` → (title, ``甬政发〔2021〕21号``)."""
    match = _TITLE_NUMBER_RE.match(text)
    if not match or not is_doc_number(match["number"]) or not is_complete_title(match["title"]):
        return None
    return match["title"], match["number"]


_NUMBER_DATE_RE = re.compile(
    r"^(?P<number>\S+?[号號])\s+(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2})$"
)


def split_number_date(text: str) -> tuple[str, str] | None:
    """The number and the date on one line under the title (law databases):
    ``署财〔1999〕850号 1999年12月22日`` → (``署财〔1999〕850号``, ``1999年12月22日``)."""
    match = _NUMBER_DATE_RE.match(text)
    if not match or not is_doc_number(match["number"]):
        return None
    return match["number"], match["date"]


_NUMBER_TITLE_RE = re.compile(r"^(?P<number>\S.*?(?:公告|通告)\s*\d{4}\s*年\s*第\s*\d{1,5}\s*[号號])\s+(?P<title>\S+)$")


def split_number_title(text: str) -> tuple[str, str] | None:
    """An announcement's number and title on one line, as MOFCOM and GACC pages head them:
    ``商务部 海关总署公告2025年第18号 公布对部分中重稀土相关物项实施出口管制的决定`` →
    (``商务部 海关总署公告2025年第18号``, ``公布对…的决定``)."""
    match = _NUMBER_TITLE_RE.match(text)
    if not match or not is_doc_number(match["number"]) or not is_complete_title(match["title"]):
        return None
    return match["number"], match["title"]


_JOINT_NUMBER_RE = re.compile(
    r"^(?P<names>(?:\S{2,24}\s+)+\S{2,24}?)\s*(?P<number>(?:公告|通告)\s*\d{4}\s*年\s*第\s*\d{1,5}\s*[号號])$"
)


def split_joint_number(text: str) -> tuple[list[str], str] | None:
    """The number of a joint announcement, its issuers before it separated by spaces:
    ``海关总署 商务部公告2025年第18号`` → (``["海关总署", "商务部"]``, ``公告2025年第18号``); None
    for one issuer (``海关总署公告2025年第12号`` is one number) or a piece that is no body's name."""
    match = _JOINT_NUMBER_RE.match(text)
    if not match:
        return None
    names = match["names"].split()
    if not all(is_org_name(n) or is_org_name(fold(n)) for n in names):
        return None
    return names, match["number"]


_ADDRESSEE_ENDINGS = ("单位", "部门", "机构", "政府", "委员会", "委", "办", "局", "厅", "部", "署", "会", "院",
                      "海关", "集团", "公司", "学校", "中心", "分署", "直属海关", "机关", "各位", "同志",
                      "管委", "院校")  # fmt: skip


#: The longest addressee: a reply to every province and some ministries (each name ≤ 16 characters).
_ADDRESSEE_MAX = 400


def is_addressee(text: str) -> bool:
    """The addressee (主送机关): ``各相关单位：``, ``海关总署:``, ``各区、市人民政府, 青岛西海岸新区管委,
    各有关单位:``, ``各省、自治区、直辖市人民政府，国务院各部委、各直属机构：``, ``各區人民政府,市直各委、辦、局,
    各開發區管委會,各有關單位:``. Not ``现将有关事项通知如下：`` (it opens the body).

    Longer than 80 characters only as a list of names: a State Council reply (批复) names every
    province that asked, ``河北省、山西省、…、新疆维吾尔自治区人民政府,商务部:`` (25 and more), each
    piece between 、 and ， a short name."""
    if not text.endswith(("：", ":")) or len(text) > _ADDRESSEE_MAX or any(ch in "。；！？" for ch in text):
        return False
    folded = fold(text)
    if len(text) > 80 and not all(0 < len(piece) <= 16 for piece in re.split(r"[、，,]", folded[:-1])):
        return False
    if any(word in folded for word in ("如下", "现将", "现就", "通知", "公告", "函复", "批复")):
        return False
    if "，" not in text and "," not in text and len(text) <= 40:
        return True
    groups = [g.strip() for g in re.split(r"[，,]", folded[:-1]) if g.strip()]
    return bool(groups) and all(g.startswith("各") or g.endswith(_ADDRESSEE_ENDINGS) for g in groups)


def is_official(text: str) -> bool:
    """The office and name of a body's head signing an order: ``署 长 牟新生``, ``部长 王文涛``,
    ``国家发展和改革委员会主任:何立峰`` (:func:`bilingual.ingest.is_official_signature`)."""
    return is_official_signature(text)


def signatory_names(text: str) -> list[str] | None:
    """The signing bodies of a signature line, or None if it is none.

    ``国务院办公厅`` → one; ``市商务局 天津海关`` and ``海关总署　发展改革委　财政部`` (several bodies
    on one line, separated by spaces) → each its own; a name with spaces inside
    (``上海口岸 服务中心``) is one name unless every piece is a name itself. An order's signature,
    the office and name of the body's head (``署 长 牟新生``), is one signatory.
    """
    if is_official_signature(text):
        return [text]
    if not is_org_name(text) and not is_org_name(fold(text)):
        return None
    pieces = text.split()
    if len(pieces) > 1 and all(len(p) >= 2 and (is_org_name(p) or is_org_name(fold(p))) for p in pieces):
        return pieces
    return [text]


_MASTHEAD_KIND_RE = re.compile(r"^(?:文\s*件|公\s*告|通\s*告)$")


def is_masthead_kind(text: str) -> bool:
    """The kind line that closes a masthead: ``文件``, ``公 告``, ``通告``."""
    return bool(_MASTHEAD_KIND_RE.match(text))


_CLOSING_RE = re.compile(
    r"^(?:特此(?:通知|公告|通告|函告|函复|批复|报告|说明|决定)|此复|此致|专此函告)[。！]?$"
)


def is_closing_formula(text: str) -> bool:
    """The formula that closes a notice body: ``特此通知。``, ``特此公告。``, ``此复``."""
    return bool(_CLOSING_RE.match(fold(text)))


COPY_TO_RE = re.compile(r"^(?P<label>抄\s*送\s*[：:])\s*(?P<text>.+)$")
PRINTED_RE = re.compile(r"^.{2,40}?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发$")
ATTACHMENT_NOTE_RE = re.compile(
    r"^(?P<label>附\s*件\s*\d{0,3}\s*[：:]\s*(?:\d{1,2}\s*[.．、]\s*)?)(?P<text>.+)$"
)
NOTES_LABEL_RE = re.compile(r"^附\s*件\s*[：:]$")
ATTACHMENT_ITEM_RE = re.compile(r"^(?P<label>\d{1,2}\s*[.．、]\s*)(?P<text>.+)$")

_FIRST_SENTENCE_RE = re.compile(r"^.*?[。！？]")
HEADING_MAX = 30  # characters of a heading sentence that opens a section's text


def first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE_RE.match(text)
    return match.group(0) if match else text


def is_heading_text(text: str) -> bool:
    """A heading alone: at most 60 characters and no sentence end (``优化监管模式，提升…水平``)."""
    return len(text) <= 60 and not any(ch in SENTENCE_END for ch in text)


def heading_sentence(text: str) -> tuple[str, str] | None:
    """A heading with its body on one line: ``优化口岸营商环境。围绕…`` → (``优化口岸营商环境。``,
    ``围绕…``); None unless the first sentence is short (≤ 30 characters) and text follows."""
    head = first_sentence(text)
    rest = text[len(head):].strip()
    if head == text or not rest or len(head) > HEADING_MAX or not head.endswith("。"):
        return None
    return head, rest
