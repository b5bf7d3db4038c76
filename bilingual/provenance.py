"""Whose English is this? Provenance a gettext tool removed, and machine output a translator edited.

``msgmerge`` replaces every ``#.`` (extracted) comment of a PO file with the template's,
and the template has no translations, so ``msgmerge -o doc.en.po doc.en.po doc.pot``
strips the ``origin:`` and ``mt-check:`` lines that say where a msgstr came from. Without
them a flagged machine translation no longer counts as flagged, and unreviewed machine
output no longer counts as the pipeline's own. But msgmerge also marks fuzzy (without
``--previous``: with no ``#|``) a reviewed translation whose source changed, so a fuzzy
entry without origin may as well be a person's English. The rule, for such an entry:

* a msgstr that is exactly the rule or glossary rendering of its segment gets that
  rendering's ``origin:`` line back (and follows the glossary again, refresh.py);
* a fuzzy msgstr that is exactly what the run's engine gives for its source (the MT
  cache has it, else the engine is asked: :func:`cached_outputs`, translate.py) is that
  engine's unreviewed output: its exact ``origin:``/``mt-check:`` lines come back;
* anything else is a person's: kept as it is, fuzzy, never replaced (a warning says so).

The same question comes up before unreviewed machine output is replaced (another engine,
``--retranslate``, a changed source): a translator may have typed English into it and left
it fuzzy. When the MT cache holds what the entry's engine gave and the msgstr differs, the
translator edited it: it is kept (:func:`mark_edited`). When the cache cannot tell, the
entry is replaced and its old English kept in an ``earlier translation:`` note (merge.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from .po import PROVENANCE, comment_lines, has_translation
from .po.merge import EDITED, MACHINE, MTCHECK, engine_of


def restore_provenance(entry, segment, glossary) -> bool:
    """Give ``entry`` (an existing translation of ``segment``) the origin of its rule or glossary
    rendering when it lost its provenance lines and its msgstr is exactly that rendering."""
    if not lost_provenance(entry):
        return False
    from .render import render_segment

    rendered = render_segment(segment, glossary)
    if rendered is None or rendered.text != entry.msgstr:
        return False
    restore_lines(entry, [f"origin: {rendered.origin}", *rendered.comments])
    return True


def lost_provenance(entry) -> bool:
    """A translated entry without any provenance line (another tool removed them, or none was written)."""
    if entry.msgid_plural or not has_translation(entry):
        return False
    return not any(line.startswith(PROVENANCE) for line in comment_lines(entry.comment))


def maybe_machine(entry) -> bool:
    """Fuzzy, without ``#|`` and without provenance: machine output whose lines msgmerge removed, or a
    person's English msgmerge marked fuzzy. Only the engine's output itself can tell (module doc)."""
    return lost_provenance(entry) and "fuzzy" in entry.flags and not entry.previous_msgid


def restore_lines(entry, lines: Iterable[str]) -> None:
    entry.comment = "\n".join([*comment_lines(entry.comment), *lines])


def mark_edited(entry) -> None:
    """Machine output a translator changed: ``origin: edited (from machine translation X)``; its
    ``mt-check:`` lines described the engine's English, not the translator's, and go."""
    lines = []
    for line in comment_lines(entry.comment):
        if line.startswith(MTCHECK):
            continue
        if line.startswith(MACHINE):
            engine = engine_of(line).strip(" ;")
            line = f"{EDITED} (from machine translation {engine})" if engine else EDITED
        lines.append(line)
    entry.comment = "\n".join(lines)


class _CacheOnly:
    """An engine that is never called: an MT stream over it delivers only what the cache holds."""

    name = "cache"

    def __init__(self, identity: str):
        self._identity = identity

    def identity(self) -> str:
        return self._identity

    def translate(self, batch):  # pragma: no cover - the stream is never pumped
        raise AssertionError("the cache-only engine is never called")


def cached_outputs(items: Iterable[tuple[object, str, str, object]], cache, term_strategy: str) -> dict:
    """``{tag: MTResult}`` for the ``(tag, engine identity, source, glossary)`` items whose whole
    translation (pieces, retry, appended terms) the MT cache holds: exactly what that engine
    gave for that source. Nothing is translated."""
    from .mtstream import MTStream

    if cache is None:
        return {}
    found: dict = {}
    by_identity: dict[str, list] = {}
    for tag, identity, source, glossary in items:
        by_identity.setdefault(identity, []).append((tag, source, glossary))
    for identity, group in by_identity.items():
        stream = MTStream(_CacheOnly(identity), cache, term_strategy=term_strategy,
                          on_result=found.__setitem__)
        stream.submit(group)
    return found
