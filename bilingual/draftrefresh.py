"""Unreviewed machine drafts follow a change of the glossary terms they used (the MT twin of refresh.py).

A machine draft is a function of its source, the engine and the approved English of the
protected glossary terms of its source (placeholders in, English back: glossary.protect).
When a term's English changes (上海海关: "Shanghai Customs" → "Shanghai Customs District"),
a translator expects the drafts that used it to carry the new English, and reviewed work
to stay as it is. So a re-run translates a reused entry again when all of these hold:

* it is unreviewed machine output of the run's engine: fuzzy, with ``origin: machine
  translation (<this engine>)`` (po.machine_identity). Reviewed entries (no ``fuzzy``),
  ``origin: edited`` / ``origin: reviewed`` ones and entries whose origin a tool removed
  (``msgmerge``: nobody can tell they were machine output) are a person's, and never
  considered; another engine's drafts are translated again anyway;
* its source did not change (a changed source is translated again anyway);
* a protected term of its source has another English now than its ``#. glossary:`` line
  recorded when the entry was last written (:func:`changed_terms`). Phrases do not count:
  they are never sent as placeholders, so their English never reaches a draft.

The new output replaces the draft only when the draft is exactly what the engine gave
with the old English (:func:`untouched`: the new output with each changed term's new
English put back to the old one). Anything else — a translator typed into it and left it
fuzzy, or the engine's own words changed (terms written inline, another batch) — is kept
as it is, and the run says so. Only drafts that used a changed term reach the engine.

Not covered, and why: a term *added to* or *removed from* the glossary changes the
engine's input itself, so no output can show the draft untouched (``check`` reports a
missing approved term; ``--retranslate`` redoes it). The record is the entry's
``glossary:`` line, which every run that writes the file rewrites: a run with
``--engine none`` after the change writes the new English there and leaves the draft, and
from then on the draft no longer shows the change (``check`` still does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

GLOSSARY_LINE = "glossary: "  # entrycomments.comment_lines_of writes it: "glossary: zh = English; zh2 = English2"


def recorded_english(comment_lines: Sequence[str]) -> dict[str, str]:
    """``{zh: English}`` as the entry's ``glossary:`` line recorded them (an item that does not
    parse is left out, so it never counts as changed)."""
    for line in comment_lines:
        if line.startswith(GLOSSARY_LINE):
            pairs = (item.partition(" = ") for item in line[len(GLOSSARY_LINE):].split("; "))
            return {zh.strip(): en.strip() for zh, sep, en in pairs if sep and zh.strip() and en.strip()}
    return {}


def changed_terms(source: str, comment_lines: Sequence[str], glossary) -> dict[str, tuple[str, str]]:
    """``{zh: (recorded English, current English)}`` of the protected terms of ``source`` whose
    approved English is no longer what the entry's ``glossary:`` line recorded."""
    from .glossary import PROTECTED_KINDS

    if glossary is None:
        return {}
    recorded = recorded_english(comment_lines)
    changes: dict[str, tuple[str, str]] = {}
    if not recorded:
        return changes
    for match in glossary.match(source):
        if match.term.kind not in PROTECTED_KINDS or match.term.zh not in recorded:
            continue
        before, now = recorded[match.term.zh], glossary.english(match.term)
        if now and before != now:
            changes[match.term.zh] = (before, now)
    return changes


def _swapped(text: str, swap: dict[str, str]) -> str:
    pattern = re.compile("|".join(re.escape(old) for old in sorted(swap, key=len, reverse=True)))
    return pattern.sub(lambda m: swap[m.group()], text)


def untouched(draft: str, output: str, changes: dict[str, tuple[str, str]]) -> bool:
    """Whether ``draft`` is what the engine gave with the recorded English: ``output`` (its English
    with the current glossary) with each changed term's current English put back to the recorded
    one, or ``draft`` with the recorded English put forward to the current one equals ``output``.
    Both, because a term's English may also occur inside other English of the sentence: "overseas
    warehouse" in "overseas warehouses" (another term's English) is no occurrence to put back,
    and "port" in "support" none to put forward; one direction suffices. A draft a translator
    edited differs from ``output`` elsewhere too, and fails both."""
    back = {now: before for before, now in changes.values()}
    forward = {before: now for before, now in changes.values()}
    return _swapped(output, back) == draft or _swapped(draft, forward) == output


def describe(changes: dict[str, tuple[str, str]]) -> str:
    return "; ".join(f"{zh}: {before!r} → {now!r}" for zh, (before, now) in changes.items())
