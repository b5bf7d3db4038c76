"""Stage 2: recognise the parts of a 公文 in cleaned text and give each a stable key.

The general layout of a Chinese official document (GB/T 9704) — every part optional::

    (page furniture)            FURNITURE        (no segment)      breadcrumbs, buttons, metadata …
    上海市商务委员会            ISSUER           notice.issuer-1 …
    文件 / 公 告                MASTHEAD         notice.masthead
    沪商自贸〔2025〕181号       DOC_NUMBER       notice.doc-number
    …关于印发《…》的通知       TITLE            notice.title      (one block, over 1–3 lines)
    各相关单位：                ADDRESSEE        notice.addressee
    为深入贯彻…                 BODY             notice            (→ notice.sN)
      (numbered parts of the body: sections, measures … keyed as below)
    特此通知。                  BODY             notice
    附件：1. …                  ATTACHMENT_NOTE  notice.attachment-1 …
    上海市商务委员会            SIGNATORY        notice.signatory-1 …   (several to a line: each)
    2025年6月27日               DATE             notice.date
    (此件主动公开发布)          DISCLOSURE       notice.disclosure
    联系人:…;联系电话:…         CONTACT          notice.contact
    附件 / 附件1                ATTACHMENT_LABEL attachment.label
    …若干措施                   ATTACHMENT_TITLE attachment.title (over 1–3 lines)
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
public contract: they are the msgctxt prefixes of committed PO files. Everything else
follows the same pattern: a second attachment is ``attachment-2.label`` / ``.title`` /
``.preamble``; the signatories and date that close a document without a signed notice are
``notice.signatory-K`` / ``notice.date``, and those closing an attachment after a signed
notice ``attachment.signatory-K`` / ``attachment.date``.

**How it is built** — a package a newcomer extends in one place:

* :mod:`.recognisers` — what a line can be by its form (title, title piece, number, number
  with date, addressee, signature line, masthead kind, closing formula, 版记 …), each with
  the real examples it knows; page furniture and metadata in :mod:`bilingual.ingest.furniture`
  (cleaning needs them too) and, for values on their own lines, :mod:`.furniture`;
* :mod:`.numbering` — labels (一、 （一） 1. （1） ① 第一章 第一条) and their English;
* :mod:`.agencies` — agency clauses in every common form, split into bodies;
* :mod:`.builder` / :mod:`.tables` — the numbered units and tables of measures;
* :mod:`.assemble` — the one assembler that decides from the order of the lines what each
  is and builds the :class:`~bilingual.model.Document`;
* :mod:`.ids` — the final ids.

Adding a layout means adding a recogniser (or an example to one) and a document to
``tests/corpus`` with its expected structure.

**Page furniture.** Lines of the page, not the document — breadcrumbs (``当前位置: 首页 »
…``), buttons (``【打印本页】【关闭窗口】``, ``我要收藏``, ``字体大小: 打印``), counters, site and
licence lines, summary lines, metadata tables (``索 引 号 / 发文字号 / 成文日期``,
``【发布单位】【发布文号】…``), mirror noise — and whatever stands on the page before the
document's own head (a repeated title, wikisource's header) are :data:`FURNITURE` blocks:
kept, not translated, not built, listed in one warning. A ``发文字号`` / ``发布文号`` / ``文号``
field gives the document number (``notice.doc-number``, ``Block.label`` ``metadata: …``) when
the body prints none.

**Numbering levels.** A labelled line closes every open unit of the same or a lower rank
and opens a unit one level below the deepest unit still open (:mod:`.builder`). A unit's
text is its line without the label. A **section** line that is only a heading is
``section-N.title``; a section whose heading sentence and body share a line
(``一、优化口岸营商环境。围绕…``) has that sentence as ``section-N.title`` and the rest as
``section-N`` sentences, in documents that number measures below their sections; a section
written as prose (a 批复's ``一、同意…。``) is a sentence block ``section-N``. Measures, items,
sub-items and articles are always sentence blocks. Unlabelled paragraphs are
``paragraph-N`` wherever they are, with the ``section`` / ``measure`` they belong to.

**Ids name the place as printed** (:mod:`.ids`): ``measure-15.s3`` is the third sentence of
（十五） in a document numbered straight through; where numbering restarts (each section of a
State Council notice counts from （一）), ``section-2.measure-1.s1`` is the first sentence of
（一） in section 二、. Items keep their printed number (``measure-2.item-3`` for 3. under
（二）). ``Block.label`` / ``Block.number`` hold the label as printed.

**Lead agencies** (:mod:`.agencies`): a final agency clause closing a measure, item or
prose section is its ``.agencies`` block (text as printed, with the brackets); a clause in
the middle of the text (``…用时。(责任单位:天津海关)港口方面…``) is an
:data:`INLINE_AGENCIES` block numbered among the unit's sentences; a line ``责任单位：`` /
``牵头单位：`` … after a unit is its ``.agencies`` block, ``配合单位：`` … its ``.partners``,
``完成时限：`` … its ``.deadline``. ``Block.agencies`` holds the bodies responsible,
``Block.partners`` those assisting, on the clause and on the unit's text blocks.

**Tables**: see :mod:`.tables`. **English headings** (one convention, for build and review):
section ``I.``, measure ``(1)``, item ``(a)``, sub-item ``(i)``, chapter ``Chapter 1``,
division (第一节, key ``chapter-2.division-1``) ``Section 1``, article ``Article 1``, attachment ``Attachment 1`` — :func:`english_label`, :func:`key_label`.

A text without any of this comes out as PARAGRAPH blocks with the warning
:data:`NO_STRUCTURE_WARNING`.
"""

from __future__ import annotations

from .agencies import AgencyClause, parse_clause, split_agencies
from .assemble import SAME_BODY_RATIO, parse
from .kinds import (
    ATTACHMENT_LABEL,
    ATTACHMENT_NOTE,
    CHAPTER_TITLE,
    CONTACT,
    COPY_TO,
    DEADLINE,
    FURNITURE,
    INLINE_AGENCIES,
    MEASURE_TITLE,
    NO_STRUCTURE_WARNING,
    PRINTED,
    TABLE_CELL,
    TABLE_HEADER,
)
from .numbering import chinese_numeral_to_int, english_label, key_label
from .tables import column_role

__all__ = [
    "parse",
    "chinese_numeral_to_int",
    "split_agencies",
    "parse_clause",
    "AgencyClause",
    "english_label",
    "key_label",
    "column_role",
    "NO_STRUCTURE_WARNING",
    "SAME_BODY_RATIO",
    "ATTACHMENT_LABEL",
    "ATTACHMENT_NOTE",
    "CHAPTER_TITLE",
    "MEASURE_TITLE",
    "DEADLINE",
    "TABLE_HEADER",
    "TABLE_CELL",
    "COPY_TO",
    "PRINTED",
    "CONTACT",
    "FURNITURE",
    "INLINE_AGENCIES",
]

