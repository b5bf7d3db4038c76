"""Deterministic English for what MT garbles: numbers, dates, document numbers, names.

These segments are never sent to an engine. Their English is a pure function
of the source and the curated glossary, so it is identical on every run and
every machine:

* lead-agency and partner lists: every name from the glossary
  (``（上海海关、市公安局）`` → ``(Shanghai Customs; Shanghai Municipal Public Security
  Bureau)``); a name missing from the glossary stays in Chinese and the entry is
  flagged fuzzy, so ``check`` and the translator see it. A role written in the
  segment is rendered as the label the build uses: ``责任单位：A、B`` /
  ``牵头单位：…`` → ``Lead agencies: …``, ``配合单位：…`` → ``Partner agencies: …``
  (structure normally keeps the role out of the segment, in ``Block.label``, and
  the build adds the label itself). Issuers, signatories, copy-to lists and any
  other segment made only of glossary terms are rendered from the glossary too;
* dates: ``2025年6月27日`` → ``June 27, 2025``;
* deadlines (``measure-N.deadline``): ``2025年12月底前`` → ``by the end of December 2025``;
  ``2025年底前`` / ``2025年底`` / ``2025年末`` → ``by the end of 2025``; ``2025年6月30日前`` →
  ``by June 30, 2025``; ``2025年6月前`` → ``before June 2025``; ``2025年上半年`` → ``in the
  first half of 2025``; ``长期坚持`` / ``持续推进`` → ``ongoing``; with the role written
  (``完成时限：2025年12月底前``) → ``Deadline: by the end of December 2025``. Anything
  else (two dates, a condition) goes to MT;
* document numbers: ``沪商自贸〔2025〕181号`` → ``Hu Shang Zi Mao [2025] No. 181``
  (the issuer prefix from the glossary, kind ``code``, else in pinyin by the official
  convention, :mod:`bilingual.docnumber`: ``国办发〔2023〕9号`` → ``Guo Ban Fa [2023] No. 9``;
  〔2025〕, [2025], ［2025］, （2025）, (2025) and 【2025】 alike, an optional 第 before the
  number). A prefix without Chinese characters stays as written, fuzzy, with a comment;
* announcement numbers: ``海关总署公告2025年第18号`` → ``Announcement No. 18 of 2025 of the
  General Administration of Customs of the People's Republic of China (GACC)``. The form is
  ``<Kind> No. <n> of <year> of the <issuer>``: the number first (what a reader looks for,
  as in "Announcement No. 18 of 2025"), then the issuer exactly as the glossary renders it
  (:meth:`Glossary.english`: the full name, with the abbreviation for a short form). The
  shorter ``GACC Announcement No. 18 of 2025`` was considered and rejected: ``check`` requires
  a glossary name's approved English in a reviewed entry and reports an error on it.
  ``公告`` is an ``Announcement``, ``通告`` a ``Public Notice``, ``令`` a ``Decree``
  (``海关总署令第262号`` → ``Decree No. 262 of the …``). An issuer missing from the glossary
  leaves the segment to MT;
* the masthead's ``文件`` → ``Document``, an order's or announcement's kind line ``令`` /
  ``公 告`` / ``通告`` → ``Decree`` / ``Announcement`` / ``Public Notice``, and the number under
  it, ``第 131 号``, → ``No. 131``; an attachment label ``附件`` / ``附件2`` →
  ``Attachment`` / ``Attachment 2`` (:func:`bilingual.structure.english_label`);
* the role columns of a table header: ``序号`` → ``No.``, ``牵头单位`` → ``Lead agencies``,
  ``配合单位`` → ``Partner agencies``, ``完成时限`` → ``Deadline`` (the build's labels);
* an addressee of known bodies, places sharing one 人民政府 included (a State Council
  reply's ``河北省、山西省…人民政府,商务部:`` → ``people's governments of Hebei Province, Shanxi
  Province …; Ministry of Commerce …:``), from the glossary;
* the imprint line ``<office> 2025年6月27日印发`` → ``Issued by <office> on June 27, 2025``
  when the office is in the glossary.

Headings' numbering (``一、`` → ``I.``, ``（十五）`` → ``(15)``) is added by the
build stage, since the PO ``msgid`` holds the heading text without its label.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from . import model
from .model import Segment
from .numerals import parse_chinese_numeral

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DATE_RE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
CN_DATE_RE = re.compile(
    r"^\s*([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日\s*$")
DOC_NUMBER_RE = re.compile(
    r"^\s*(?P<prefix>[^\s〔［\[【(（]*)\s*[〔［\[【(（]\s*(?P<year>\d{4})\s*[〕］\]】)）]\s*第?\s*(?P<num>\d+)\s*[号號]\s*$")
ANNOUNCEMENT_RE = re.compile(
    r"^\s*(?P<issuer>[^\s\d]*?)\s*(?P<type>公告|通告|令)\s*(?:(?P<year>\d{4})\s*年\s*)?第\s*(?P<num>\d+)\s*[号號]\s*$")
ANNOUNCEMENT_TYPES = {"公告": "Announcement", "通告": "Public Notice", "令": "Decree"}
# 第 131 号 under an order's masthead; 〔十四届〕第五十四号 under a people's congress standing
# committee's announcement (the congress's term, then the number, in figures or Chinese numerals).
_NUMERAL = r"[\d〇○零一二两三四五六七八九十百千]+"
_BARE_NUMBER_RE = re.compile(rf"^\s*(?:[〔［\[]\s*(?P<term>{_NUMERAL})\s*届\s*[〕］\]])?\s*第\s*(?P<num>{_NUMERAL})\s*[号號]\s*$")
NAME_LIST_KINDS = frozenset({model.ISSUER, model.SIGNATORY, model.AGENCIES})
LIST_SPLIT_RE = re.compile(r"[、，,；;]")

#: English labels of the roles a measure's lines and table columns name (the build uses the same).
ROLE_LABELS = {"agencies": "Lead agencies", "partners": "Partner agencies", "deadline": "Deadline"}
ROLE_RE = re.compile(
    r"^\s*(?:(?P<agencies>(?:牵头|责任|主责|主办|实施|承办)(?:单位|部门|主体)?)"
    r"|(?P<partners>(?:配合|协办|参与|协同|协助)(?:单位|部门|主体)?)"
    r"|(?P<deadline>(?:完成|办结)(?:时限|时间|期限)|时间节点|时限要求|时间安排|时限))\s*[：:]\s*")
TABLE_HEADERS = {
    "序号": "No.", "编号": "No.", "牵头单位": "Lead agencies", "责任单位": "Lead agencies",
    "牵头部门": "Lead agencies", "责任部门": "Lead agencies", "配合单位": "Partner agencies",
    "配合部门": "Partner agencies", "完成时限": "Deadline", "完成时间": "Deadline", "时间节点": "Deadline",
}  # fmt: skip
ONGOING = frozenset({"长期坚持", "持续推进", "长期", "持续", "持续实施", "长期推进", "常态化推进", "持续开展"})
_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*[日号])?"
    r"|(?P<half>上半年|下半年)|(?:第?(?P<quarter>[一二三四1-4])\s*季度)|(?P<yearend>年?[底末]))?"
    r"\s*(?P<end>[底末])?\s*(?P<before>(?:以|之)?前)?\s*$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_ATTACHMENT_LABEL_RE = re.compile(r"^\s*附\s*件\s*(?P<n>\d{0,3})\s*[：:]?\s*$")
_PRINTED_RE = re.compile(r"^\s*(?P<org>.+?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发\s*$")


@dataclass
class Rendered:
    """English decided by rule; ``fuzzy`` when part of it could not be rendered."""

    text: str
    origin: str
    fuzzy: bool = False
    comments: list[str] = field(default_factory=list)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """``2025年3月10日`` or, in Chinese numerals, ``二〇二五年三月十日`` (the year digit by digit, month
    and day as numbers: 十 10, 二十七 27) → (2025, 3, 10); None for anything else."""
    match = DATE_RE.match(text) or CN_DATE_RE.match(text)
    if not match:
        return None
    values: list[int] = []
    for part in match.groups():  # the year 二〇二五 digit by digit (CN_DATE_RE allows no other form)
        value = int(part) if part.isdigit() else parse_chinese_numeral(part)
        if value is None:
            return None
        values.append(value)
    return values[0], values[1], values[2]


def render_date(text: str) -> str | None:
    """``2025年3月10日`` / ``二〇二五年三月十日`` → ``March 10, 2025``; None for an impossible date
    (left to review)."""
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day = parts
    try:  # 2025年6月31日 is a typo in the source, not a date to put in an official English version
        _dt.date(year, month, day)
    except ValueError:
        return None
    return f"{MONTHS[month - 1]} {day}, {year}"


def _missing(name: str) -> str:
    return f"not in glossary: {name} (add it to glossary/ and re-run)"


def render_doc_number_rule(text: str, glossary) -> Rendered | None:
    """A document number (``沪商自贸〔2025〕181号``); a prefix missing from the glossary stays in Chinese, fuzzy."""
    match = DOC_NUMBER_RE.match(text)
    if not match:
        return None
    prefix = match.group("prefix")
    number = f"[{match.group('year')}] No. {int(match.group('num'))}"
    if not prefix:
        return Rendered(number, "rule (document number)")
    term = glossary.lookup(prefix) if glossary is not None else None
    if term is not None:
        return Rendered(f"{glossary.english(term)} {number}", "rule (document number)")
    from .docnumber import prefix_pinyin

    pinyin = prefix_pinyin(prefix)
    if pinyin is None:
        return Rendered(f"{prefix} {number}", "rule (document number)", fuzzy=True, comments=[_missing(prefix)])
    return Rendered(f"{pinyin} {number}", "rule (document number)",
                    comments=[f"document-number prefix in pinyin: {prefix} = {pinyin}"])


def _bare_number(match: re.Match) -> str | None:
    """``第 131 号`` → ``No. 131``; ``〔十四届〕第五十四号`` → ``[14th] No. 54`` (the bracket as in
    ``[2025] No. 181``); None if a numeral does not parse."""
    from .numerals import parse_chinese_numeral

    def value(text: str) -> int | None:
        return int(text) if text.isdigit() else parse_chinese_numeral(text)

    number = value(match["num"])
    if number is None:
        return None
    if match["term"] is None:
        return f"No. {number}"
    term = value(match["term"])
    if term is None:
        return None
    suffix = "th" if 11 <= term % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(term % 10, "th")
    return f"[{term}{suffix}] No. {number}"


def render_doc_number(text: str, glossary) -> str | None:
    """English of a document number whose prefix the glossary knows, else None."""
    rendered = render_doc_number_rule(text, glossary)
    return rendered.text if rendered is not None and not rendered.fuzzy else None


def render_announcement_number(text: str, glossary) -> str | None:
    """``海关总署公告2025年第18号`` → ``Announcement No. 18 of 2025 of the …`` (see the module docstring)."""
    match = ANNOUNCEMENT_RE.match(text)
    if not match:
        return None
    kind = ANNOUNCEMENT_TYPES[match.group("type")]
    year = f" of {match.group('year')}" if match.group("year") else ""
    issuer = ""
    if match.group("issuer"):
        term = glossary.lookup(match.group("issuer")) if glossary is not None else None
        if term is None:
            return None
        issuer = f" of the {glossary.english(term)}"
    return f"{kind} No. {int(match.group('num'))}{year}{issuer}"


def render_deadline(text: str) -> str | None:
    """``2025年12月底前`` → ``by the end of December 2025``; ``长期坚持`` → ``ongoing``; else None."""
    value = text.strip().rstrip("。.；;")
    if value in ONGOING:
        return "ongoing"
    match = _PERIOD_RE.match(value)
    if not match:
        return None
    year = match.group("year")
    end = bool(match.group("end") or match.group("yearend"))
    before = bool(match.group("before"))
    if match.group("day"):
        date = render_date(f"{year}年{match.group('month')}月{match.group('day')}日")
        if date is None or end:
            return None
        return f"by {date}" if before else date
    if match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            return None
        period = f"{MONTHS[month - 1]} {year}"
    elif match.group("half"):
        if end or before:
            return None
        return f"in the {'first' if match.group('half') == '上半年' else 'second'} half of {year}"
    elif match.group("quarter"):
        quarter = _ORDINALS[_QUARTERS[match.group("quarter")]]
        period = f"the {quarter} quarter of {year}"
        if not end and not before:
            return f"in {period}"
    else:
        period = year
    if end:  # 底 / 底前 in a deadline: by the end of the period
        return f"by the end of {period}"
    return f"before {period}" if before else period


def render_attachment_label(text: str) -> str | None:
    """``附件`` → ``Attachment``, ``附件2`` → ``Attachment 2``."""
    match = _ATTACHMENT_LABEL_RE.match(text)
    if not match:
        return None
    if not match.group("n"):
        return "Attachment"
    from .structure import english_label

    return english_label("attachment", int(match.group("n")))


def render_printed(text: str, glossary) -> str | None:
    """``上海市商务委员会办公室 2025年6月27日印发`` → ``Issued by … on June 27, 2025``."""
    match = _PRINTED_RE.match(text)
    if not match or glossary is None:
        return None
    term = glossary.lookup(match.group("org"))
    date = render_date(match.group("date"))
    if term is None or date is None:
        return None
    return f"Issued by {glossary.english(term)} on {date}"


def _key_role(ctx: str) -> str:
    last = ctx.rsplit(".", 1)[-1]
    return last if last in ROLE_LABELS else ""


def render_segment(segment: Segment, glossary) -> Rendered | None:
    """English for a segment decided by rule, or None when it needs translation."""
    text = segment.source
    kind = segment.kind
    if kind == model.DATE or DATE_RE.match(text):
        date = render_date(text)
        if date:
            return Rendered(date, "rule (date)")
        if DATE_RE.match(text):  # never guessed, never sent to MT: a person checks the source
            return Rendered("", "rule (date)", comments=[f"not a calendar date: {text.strip()}; check the source"])
    if kind == model.DOC_NUMBER or ANNOUNCEMENT_RE.match(text) or DOC_NUMBER_RE.match(text):
        number = render_announcement_number(text, glossary)
        if number:
            return Rendered(number, "rule (announcement number)")
        rendered = render_doc_number_rule(text, glossary)
        if rendered is not None and (kind == model.DOC_NUMBER or not rendered.fuzzy):
            return rendered
    if kind == model.MASTHEAD and text.strip() == "文件":
        return Rendered("Document", "rule (masthead)")
    if kind == model.MASTHEAD and "".join(text.split()) in ANNOUNCEMENT_TYPES:  # 令 / 公 告 / 通告
        return Rendered(ANNOUNCEMENT_TYPES["".join(text.split())], "rule (masthead)")
    bare = _BARE_NUMBER_RE.match(text) if kind == model.DOC_NUMBER else None
    number = _bare_number(bare) if bare else None
    if number:  # 第 131 号 under the masthead …总署令: the masthead says whose and what kind
        return Rendered(number, "rule (document number)")
    if kind == "attachment-label":
        label = render_attachment_label(text)
        if label:
            return Rendered(label, "rule (attachment label)")
    if kind == "table-header" and text.strip() in TABLE_HEADERS:
        return Rendered(TABLE_HEADERS[text.strip()], "rule (table header)")
    if kind == "printed":
        printed = render_printed(text, glossary)
        if printed:
            return Rendered(printed, "rule (imprint)")
    if kind == model.ADDRESSEE:
        from .render_agencies import render_addressee

        addressee = render_addressee(text, glossary)
        if addressee is not None:
            return addressee
    role = _key_role(segment.ctx)
    if kind in (model.AGENCIES, "deadline") or role:
        from .render_agencies import render_role_line

        rendered = render_role_line(text, glossary, role or ("deadline" if kind == "deadline" else "agencies"))
        if rendered is not None:
            return rendered
    if glossary is not None:
        from .glossary import render_terms_only

        english = render_terms_only(text, glossary)
        if english is not None:
            return Rendered(english, "glossary")
    return None


# Agency lists, clauses and role lines live in render_agencies.py, which imports this module's
# Rendered, labels and date rules; callers keep finding them here (PEP 562, no import cycle).
_AGENCY_NAMES = frozenset({"AGENCY_NOTES", "RESPONSIBLE_LABEL", "SHARED", "SHARED_ENGLISH", "render_agency_clause",
                           "render_name_list", "render_role_line", "shared_english", "render_addressee"})


def __getattr__(name: str):
    if name in _AGENCY_NAMES:
        from . import render_agencies

        return getattr(render_agencies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
