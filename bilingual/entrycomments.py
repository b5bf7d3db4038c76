"""The ``#.`` lines a run writes on each entry: where it sits, its lead agencies, its terms.

Split from translate.py. They describe the source, so every run writes them again
(po/layout.py keeps them apart from the provenance lines that travel with a msgstr).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import po as po_mod
from .model import Document, Segment


def segment_comments(document: Document, segments: Sequence[Segment], glossary) -> dict[str, list[str]]:
    """The ``#.`` lines for each entry: where it sits, its lead agencies, its terms."""
    return {seg.ctx: comment_lines_of(document, seg, glossary) for seg in segments}


def comment_lines_of(document: Document, seg: Segment, glossary) -> list[str]:
    """The ``#.`` lines of one entry (:func:`segment_comments`)."""
    lines = []
    if seg.section is not None and seg.section in document.section_titles:
        lines.append(f"section {seg.section}: {document.section_titles[seg.section]}")
    if seg.measure is not None and seg.measure in document.measure_titles:
        lines.append(f"measure {seg.measure}: {document.measure_titles[seg.measure]}")
    printed = document.printed_numbers.get(seg.ctx.rpartition(".")[0])  # a unit's entry: <unit>.<part>
    if printed is not None:
        lines.append(f"{po_mod.NUMBERED} {printed}")
    if seg.agencies:
        lines.append("lead agencies: " + "、".join(seg.agencies))
    if glossary is not None:
        seen = []
        for match in glossary.match(seg.source):
            item = f"{match.term.zh} = {glossary.english(match.term)}"
            if item not in seen:
                seen.append(item)
        if seen:
            lines.append("glossary: " + "; ".join(seen))
    return lines


def note_unresolved_short_forms(segments: Sequence[Segment], comments: dict[str, list[str]]) -> list[str]:
    """A comment on entries with a city or province short form that no glossary scope resolved;
    returns the short forms found."""
    from .issuer import short_forms

    every: list[str] = []
    for seg in segments:
        found = short_forms(seg.source)
        if found:
            comments.setdefault(seg.ctx, []).append(_unsure_note(found))
            every += [f for f in found if f not in every]
    return every


def _unsure_note(found: list[str]) -> str:
    return f"issuer unsure: {'、'.join(found)} not rendered (which city's? check the issuer)"


class EntryComments:
    """The ``#.`` lines of each entry, made when the merge asks for one (``comments(seg)``):
    a large document's would otherwise sit in memory beside its proposals. ``unsure``: the
    glossary scope is unsure, short forms get a note (:func:`note_unresolved_short_forms`)."""

    def __init__(self, document: Document, glossary, unsure: bool = False):
        self.document, self.glossary, self.unsure = document, glossary, unsure

    def __call__(self, seg: Segment) -> list[str]:
        lines = comment_lines_of(self.document, seg, self.glossary)
        if self.unsure:
            from .issuer import short_forms

            found = short_forms(seg.source)
            if found:
                lines.append(_unsure_note(found))
        return lines

    def unresolved(self, segments: Sequence[Segment]) -> list[str]:
        """The short forms of ``segments`` that get a note, in order of appearance."""
        from .issuer import short_forms

        every: list[str] = []
        for seg in segments:
            every += [f for f in short_forms(seg.source) if f not in every]
        return every
