"""Block kinds added for the general layout (the first document's are in :mod:`bilingual.model`).

Prose of sections, items and articles is ``model.PARAGRAPH`` (segment.py splits it into
sentences); the kinds here are single-segment kinds, except :data:`INLINE_AGENCIES`, which
takes its place among the sentences of its unit, and :data:`FURNITURE`, which is no segment.
"""

from __future__ import annotations

ATTACHMENT_LABEL = "attachment-label"  # 附件 / 附件2 on its own line, at the attachment
ATTACHMENT_NOTE = "attachment-note"  # 附件：1. … — the attachment list of the notice
CHAPTER_TITLE = "chapter-title"  # 第一章 总则
MEASURE_TITLE = "measure-title"  # a table's task-name cell
DEADLINE = "deadline"  # 完成时限：2025年12月底前
TABLE_HEADER = "table-header"
TABLE_CELL = "table-cell"
COPY_TO = "copy-to"  # 抄送：…
PRINTED = "printed"  # 上海市商务委员会办公室 2025年6月27日印发
CONTACT = "contact"  # 联系人:…;联系电话:…
#: An agency clause in the middle of a unit's text: ``…用时。(责任单位:天津海关)港口方面…``.
INLINE_AGENCIES = "inline-agencies"
#: Page furniture: breadcrumbs, buttons, counters, metadata tables, site and licence lines,
#: mirror noise. Kept in the document (nothing is lost) but not translated and not built;
#: ``Block.label`` names the recogniser that claimed the line.
FURNITURE = "furniture"

NO_STRUCTURE_WARNING = "no sections or numbered measures recognised; translating as plain paragraphs"
