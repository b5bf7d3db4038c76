"""Entries the glossary wrote follow the glossary when nobody has edited them since.

Mastheads, signatures, lead-agency lists and document numbers are rendered from
the glossary alone (``origin: glossary`` / ``origin: rule (…)``). The PO merge
keeps every translated entry as it is, which is right for a translator's work but
wrong for these: when a body's approved English changes (issue 18: "Shanghai
Municipal Transportation Commission" → "… Commission of Transport"), the seed must
be rebuilt with the new name, not keep the old one and fail ``check``.

An entry is refreshed only when all of these hold, so a person's edit is never lost:

* it is kept under the same id and source, translated and not fuzzy;
* its provenance says the glossary or a rule wrote it;
* its ``#. glossary:`` comment (the names and English the glossary had when the
  entry was written) renders, with the same rule, exactly the msgstr it holds —
  i.e. nobody changed it since;
* the current glossary renders it, completely (not fuzzy), differently.

Anything else is kept; ``check`` then reports it if it no longer follows the glossary.
"""

from __future__ import annotations

from collections.abc import Sequence

from .glossary import Glossary, GlossaryTerm
from .model import Segment
from .po.merge import RENDERED as _RULE_ORIGINS


def recorded_glossary(comment_lines: Sequence[str]) -> Glossary | None:
    """The glossary as an entry's ``glossary: zh = English; …`` comment recorded it, or None."""
    for line in comment_lines:
        if not line.startswith("glossary: "):
            continue
        terms = []
        for item in line[len("glossary: "):].split("; "):
            zh, sep, en = item.partition(" = ")
            if not sep or not zh.strip() or not en.strip():
                return None
            terms.append(GlossaryTerm(zh=zh.strip(), en=en.strip(), kind="organisation"))
        return Glossary(terms, version="recorded")
    return None


def refreshed_text(segment: Segment, entry, glossary, comment_lines: Sequence[str]) -> str | None:
    """The new msgstr for an untouched glossary/rule rendering whose English changed, else None."""
    from .render import render_segment

    if glossary is None or not entry.msgstr or "fuzzy" in entry.flags:
        return None
    if not any(line.startswith(_RULE_ORIGINS) for line in comment_lines):
        return None
    current = render_segment(segment, glossary)
    if current is None or current.fuzzy or current.text == entry.msgstr:
        return None
    before = recorded_glossary(comment_lines)
    if before is None:
        return None
    previous = render_segment(segment, before)
    if previous is None or previous.text != entry.msgstr:
        return None  # edited by a person (or written by another rule): keep it
    return current.text
