"""Final ids: the number in an id is the number as printed, and ids stay unique.

Parsing gives provisional keys (``measure-N`` counts measures through the document). Once
the whole document is read, :func:`final_ids` renames them:

* **measures** numbered straight through the document (（一） … （三十一）, or 1. … 26. across
  sections) keep ``measure-P``, P the printed number: ``measure-15.s3`` is the third sentence
  of （十五）. This is the case of the first document, whose ids are a public contract;
* where measure numbering **restarts** (each section of a State Council notice counts from
  （一） again, a second attachment starts over), every measure is named by its section:
  ``section-2.measure-1.s1`` is the first sentence of （一） in section 二、 (sections count
  through the document, so the first section of a second attachment is ``section-3`` if the
  first attachment had two);
* **items** and **sub-items** are ``measure-P.item-Q`` with Q the printed number when it is
  unique among its siblings (items numbered straight through a section, 1. 2. under （一）
  and 3. under （二）, keep 3);
* where a printed number is missing or repeats within its scope, the position is used, as
  before (a table of measures without a number column: ``measure-1`` …).

Sections, chapters, articles, tables and paragraphs keep their keys. ``Block.measure``
keeps the running count (it identifies the measure inside one parse).

Where an id names a unit by position and the document prints another number (a negative list's
table numbers its categories from 一、 again after the 说明's 一、 … 四、: its first category is
``section-5``), :func:`printed_numbers` says which number is printed, for the English label.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from ..model import Block
from .builder import UnitInfo

__all__ = ["final_ids", "printed_numbers"]


def _unique(numbers: list[int | None]) -> bool:
    return None not in numbers and len(set(numbers)) == len(numbers)


def _measure_ids(measures: list[tuple[str, UnitInfo]]) -> dict[str, str]:
    printed = [info.printed for _, info in measures]
    if _unique(printed):
        return {key: f"measure-{info.printed}" for key, info in measures}
    out: dict[str, str] = {}
    by_section: dict[str | None, list[tuple[str, UnitInfo]]] = {}
    for key, info in measures:
        by_section.setdefault(info.section, []).append((key, info))
    if None in by_section or any(not _unique([i.printed for _, i in group]) for group in by_section.values()):
        return {key: key for key, _ in measures}  # no section to name them by: positions
    for section, group in by_section.items():
        for key, info in group:
            out[key] = f"{section}.measure-{info.printed}"
    return out


def final_ids(blocks: list[Block], units: dict[str, UnitInfo]) -> list[Block]:
    """The blocks with their keys renamed to the final ids (see the module docstring)."""
    measures = [(key, info) for key, info in units.items() if info.level == "measure"]
    rename = _measure_ids(measures)
    children: dict[str, list[tuple[str, UnitInfo]]] = {}
    for key, info in units.items():
        if info.level in ("item", "sub") and info.parent is not None:
            children.setdefault(info.parent, []).append((key, info))
    for key, info in units.items():  # parents come before their children
        if info.level not in ("item", "sub") or info.parent is None:
            continue
        siblings = children[info.parent]
        parent = rename.get(info.parent, info.parent)
        own = key.rsplit(".", 1)[1]
        if _unique([i.printed for _, i in siblings]):
            own = f"{info.level}-{info.printed}"
        rename[key] = f"{parent}.{own}"
    rename = {old: new for old, new in rename.items() if old != new}
    if not rename:
        return blocks
    counts = Counter(rename.values())
    assert all(n == 1 for n in counts.values()), "two units renamed to one id"
    out = []
    for block in blocks:
        unit = _unit_of(block.key, units)
        if unit in rename:
            block = dataclasses.replace(block, key=rename[unit] + block.key[len(unit):])
        out.append(block)
    return out


def _unit_of(key: str, units: dict[str, UnitInfo]) -> str:
    """The innermost unit a key belongs to: ``measure-3.item-2.agencies`` → ``measure-3.item-2``."""
    while key:
        if key in units:
            return key
        if "." not in key:
            return ""
        key = key.rsplit(".", 1)[0]
    return ""


_ID_NUMBER_RE = re.compile(r"-(\d+)$")


def printed_numbers(blocks: list[Block]) -> dict[str, int]:
    """Unit id → the number the document prints for it, for every unit whose id names another
    number (``{"section-5": 1}``: the table's 一、 after four sections); ``{}`` for a document
    numbered as its ids are. The labelled block of a unit (its title, or its first text) carries
    the printed number (``Block.number``)."""
    out: dict[str, int] = {}
    for block in blocks:
        if block.number is None or not block.label:
            continue
        unit = block.key.removesuffix(".title")
        found = _ID_NUMBER_RE.search(unit)
        if found is not None and int(found[1]) != block.number:
            out.setdefault(unit, block.number)
    return out
