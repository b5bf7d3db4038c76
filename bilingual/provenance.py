"""Provenance comments a gettext tool removed, given back on the next ``translate``.

``msgmerge`` replaces every ``#.`` (extracted) comment of a PO file with the template's,
and the template has no translations, so ``msgmerge --previous -o doc.en.po doc.en.po
doc.pot`` strips the ``origin:`` and ``mt-check:`` lines that say where a msgstr came from.
Without them a flagged machine translation no longer counts as flagged, and unreviewed
machine output no longer counts as the pipeline's own (it would never be translated again).

Extracted comments are the extractor's to write, so ``translate`` writes them again, for
the entries it owns, from what the entry itself shows:

* a msgstr that is exactly the rule or glossary rendering of its segment gets that
  rendering's ``origin:`` line back (and follows the glossary again, refresh.py);
* a fuzzy msgstr without ``#|`` (bilingual marks fuzzy, without a previous msgid, only
  the output of MT, memory or a partial rendering) is unreviewed machine output of an
  unknown engine: ``origin: machine translation (unknown engine …)`` and its ``mt-check:``
  lines, recomputed (they depend on the source and the English only). Being of an unknown
  engine, it is translated again by the run's engine — which, when it made the entry (the
  MT cache has it), writes the same English with its exact origin line;
* anything else (a reviewed translation, a fuzzy one with ``#|``: a reviewed translation
  whose source changed, or msgmerge's fuzzy match) is left as it is: nothing can tell
  where it came from, and a reviewed translation needs no origin.
"""

from __future__ import annotations

from .po import PROVENANCE, comment_lines, has_translation

#: The engine of machine output whose origin line a tool removed.
UNKNOWN_ENGINE = "unknown engine: its origin comment was removed by another tool"
_MACHINE = "origin: machine translation"


def restore_provenance(entry, segment, glossary) -> bool:
    """Give ``entry`` (an existing translation of ``segment``) the provenance lines it lost;
    True when it had lost them and some were restored."""
    if entry.msgid_plural or not has_translation(entry):
        return False
    lines = comment_lines(entry.comment)
    if any(line.startswith(PROVENANCE) for line in lines):
        return False
    from .render import render_segment

    rendered = render_segment(segment, glossary)
    if rendered is not None and rendered.text == entry.msgstr:
        restored = [f"origin: {rendered.origin}", *rendered.comments]
    elif "fuzzy" in entry.flags and not entry.previous_msgid:
        from .mtcheck import check_output

        reasons = check_output(segment.source, entry.msgstr, glossary)
        restored = [f"{_MACHINE} ({UNKNOWN_ENGINE})", *(reason.comment() for reason in reasons)]
    else:
        return False
    entry.comment = "\n".join([*lines, *restored])
    return True
