"""Page furniture in context: metadata tables whose values stand on their own lines.

Line-local furniture (breadcrumbs, buttons, counters, metadata fields, licence lines, mirror
noise …) is recognised by :func:`bilingual.ingest.furniture.furniture_kind`. Some metadata
tables put each value on the line after its label (``发 文 字 号 :`` / ``津商岸服〔2025〕4号``), or
all labels first and the values after them (``索引号:`` ``主题分类:`` … ``000014349/2021-768367``
``综合政务`` …). :func:`find_furniture` pairs such values with their labels — a value must fit
its label (a date for 成文日期, a document number for 文号, an identifier for 索引号, a validity
for 有效性 …; a label whose value is empty is skipped) — and reads the document number the
metadata gives (发文字号 / 发布文号 / 文号 / 发文文号), which is the document's number when its body
prints none, and its title (标题 / 名称 / 发文标题, else the HTML page's 网页标题), the document's
title when its head has none.
"""

from __future__ import annotations

import dataclasses
import re

from ..ingest import is_date_line, is_doc_number, is_org_name
from ..ingest.furniture import bare_metadata_label, furniture_kind, metadata_fields, metadata_label

__all__ = ["Furniture", "find_furniture", "NUMBER_LABELS"]

NUMBER_LABELS = frozenset({"发文字号", "发布文号", "文号", "发文文号", "文件编号"})
_DATE_LABELS = frozenset({"成文日期", "发文日期", "发布日期", "生效日期", "失效日期", "公开日期", "施行日期", "实施时间",
                          "发文时间", "公布日期", "发布时间"})  # fmt: skip
_ID_LABELS = frozenset({"索引号", "文件登记号"})
_VALIDITY_LABELS = frozenset({"有效性", "有效性状态", "效力注释", "时效性", "效力级别"})
_ORG_LABELS = frozenset({"发布机构", "发文机关", "发布单位", "发文部门", "联合发文单位", "发布机关", "发布部门"})
#: Labels that head a group of controls or the text itself, never a value: 页面功能:, 发文内容:
_NO_VALUE = frozenset({"页面功能", "发文内容", "主题词"})
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_ISO_DATE_RE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$")


@dataclasses.dataclass
class Furniture:
    """What the furniture pass found: furniture lines (index → recogniser) and the metadata's
    document number with the index of its line."""

    lines: dict[int, str] = dataclasses.field(default_factory=dict)
    number: str = ""
    number_label: str = ""
    number_line: int = -1
    #: the metadata's date (成文日期 before 发文日期 before 发布日期 …) and issuing bodies
    #: (发文机关 / 发布机构 …): ``(value, label, index)``, used when the body prints none
    date: tuple[str, str, int] | None = None
    issuer: tuple[str, str, int] | None = None
    #: the metadata's title (标题 / 名称 / 发文标题, else the HTML reader's 网页标题), used when
    #: the document's head has none
    title: tuple[str, str, int] | None = None


def _fits(label: str, value: str, free: bool) -> bool:
    """Whether ``value`` can be the value of metadata field ``label``; a free-text field
    (名称, 主题 …) takes a line only if ``free`` (it follows its label, or several labels wait)."""
    if metadata_label(value) or furniture_kind(value) == "metadata":
        return False
    if label in _DATE_LABELS:
        return is_date_line(value) or bool(_ISO_DATE_RE.match(value))
    if label in NUMBER_LABELS:
        return is_doc_number(value)
    if label in _ID_LABELS:
        return not _CJK_RE.search(value)
    if label in _VALIDITY_LABELS:
        return len(value) <= 12 and bool(re.search(r"有效|失效|废止|現行|现行|修改|规范性文件", value))
    if label in _ORG_LABELS:
        return is_org_name(value) or (len(value) <= 40 and not re.search(r"[。，；]", value))
    return free and len(value) <= 120


def find_furniture(lines: list[tuple[str, int]]) -> Furniture:
    """The furniture among ``lines`` (text, source line number), with the metadata's number."""
    found = Furniture()
    pending: list[str] = []  # labels still waiting for their value
    last = -1  # source line of the last label
    for index, (text, number) in enumerate(lines):
        kind = furniture_kind(text)
        if kind:
            found.lines[index] = kind
            fields = metadata_fields(text) if kind == "metadata" else []
            if kind == "metadata" and not fields:  # 发文字号 alone, without its colon
                fields = [(bare_metadata_label(text), "")]
            for label, value in fields:
                if value:
                    _number(found, label, value, index)
                elif label not in _NO_VALUE:
                    pending.append(label)
            if fields and any(value for _, value in fields):
                pending = [label for label, value in fields if not value and label not in _NO_VALUE]
            last = number
            continue
        short = bare_metadata_label(text, any_label=True) if index - 1 in found.lines else ""
        if short:  # 标 题 without its colon, among the labels of a copied table
            found.lines[index] = "metadata"
            pending.append(short)
            last = number
            continue
        free = number == last + 1 or len(pending) > 1
        while pending and not _fits(pending[0], text, free):
            pending.pop(0)
        if pending:
            label = pending.pop(0)
            found.lines[index] = f"metadata: {label}"
            _number(found, label, text, index)
    return found


#: Fields that give the title, the metadata's own before the page's <title> (the HTML reader's).
TITLE_LABELS = ("标题", "发文标题", "名称", "网页标题")
#: Which date stands for the document's own date (成文日期 is the date it was signed).
_DATE_PREFERENCE = ("成文日期", "发文日期", "发文时间", "公布日期", "发布日期", "公开日期", "发布时间")


def _number(found: Furniture, label: str, value: str, index: int) -> None:
    """Keep the fields the document can use: number, date, issuing bodies."""
    if label in NUMBER_LABELS and is_doc_number(value) and not found.number:
        found.number, found.number_label, found.number_line = value, label, index
    elif label in _DATE_PREFERENCE and is_date_line(value) and (
        found.date is None or _DATE_PREFERENCE.index(label) < _DATE_PREFERENCE.index(found.date[1])
    ):
        found.date = (value, label, index)
    elif label in TITLE_LABELS and _is_title(label, value) and (
        found.title is None or TITLE_LABELS.index(label) < TITLE_LABELS.index(found.title[1])
    ):
        found.title = (value, label, index)
    elif label in _ORG_LABELS and label != "联合发文单位" and found.issuer is None and all(
        is_org_name(name) for name in value.split()
    ):
        found.issuer = (value, label, index)


def _is_title(label: str, value: str) -> bool:
    """A title field's value can be the title: a title's form; the page's <title> only if it names a
    document's kind (…的通知, …措施), not a site's page (政策文件, 首页)."""
    from .recognisers import is_complete_title, is_title_like

    return is_complete_title(value) if label == "网页标题" else is_title_like(value)
