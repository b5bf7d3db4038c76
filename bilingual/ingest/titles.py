"""What a document title looks like on its line: its kind at the end (…的通知, …措施, …条例),
maybe followed by bracketed qualifiers, and no clause punctuation.

Cleaning keeps a complete title apart from the next line, and the structure stage finds the
title by it (:func:`bilingual.structure.recognisers.is_complete_title`).
"""

from __future__ import annotations

import re

__all__ = ["is_title_line"]

#: Endings of a document title (公文 kinds).
_TITLE_ENDINGS = (
    "通知", "意见", "措施", "办法", "方案", "决定", "规定", "公告", "通告", "函", "批复", "报告",
    "请示", "纪要", "细则", "规则", "条例", "要点", "指引", "清单", "计划", "规划", "决议", "通报",
    "说明", "公示", "名单", "目录", "指南",
    # Traditional forms
    "意見", "辦法", "決定", "規定", "批覆", "報告", "請示", "紀要", "細則", "規則", "條例", "計劃",
    "規劃", "決議", "通報", "說明", "名單", "目錄",
)  # fmt: skip

#: A bracketed qualifier after a title's kind: （试行）, (2021年版), （负面清单）, （2019年修订）.
_TITLE_QUALIFIER_RE = re.compile(r"\s*[(（][^()（）。，；]{1,12}(?<![号號])[)）]$")

_CLAUSE_PUNCT = frozenset("，。；：！？,;:!?")


def is_title_line(line: str) -> bool:
    """A complete document title: ends with 通知 / 意见 / 措施 … and has no clause punctuation; the
    kind may be followed by bracketed qualifiers (``…特别管理措施（负面清单）（2021年版）``,
    ``…办法（试行）``), not by a number (``…的通知 (甬政发〔2021〕21号)`` is a title and its number)."""
    core = line
    for _ in range(3):
        core = _TITLE_QUALIFIER_RE.sub("", core)
    return (
        core.endswith(_TITLE_ENDINGS)
        and len(line.replace(" ", "")) <= 80
        and not any(ch in _CLAUSE_PUNCT for ch in line)
    )
