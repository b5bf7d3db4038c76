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
from dataclasses import dataclass, field

from .po import PROVENANCE, comment_lines, has_translation, machine_identity, needs_retranslation
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


@dataclass
class Owners:
    """One document's answers to "whose English is this?" (translate.plan_document asks, per entry).

    ``survey`` gives renderings their origin back and asks the MT cache, in one pass, what the
    engines gave; ``unsure`` entries (not in the cache) are sent to the run's engine and
    settled by :meth:`take`."""

    identity: str | None
    machine: dict = field(default_factory=dict)  # ("now"|"before", ctx) → MTResult (cached_outputs)
    unsure: dict = field(default_factory=dict)  # ctx → entry without provenance: the engine tells
    keep_earlier: set[str] = field(default_factory=set)  # MT replaced unverified: its English kept as a note
    stale: dict = field(default_factory=dict)  # ctx → (draft, changed terms): draftrefresh.py, settled by take()
    restored: int = 0  # entries given back the provenance msgmerge removed
    people: int = 0  # fuzzy entries without provenance that are not the engine's output: kept
    edited: int = 0  # machine output a translator edited: kept
    refreshed: int = 0  # drafts translated again after the English of their glossary terms changed
    kept_stale: int = 0  # … not what the engine gave with the old English: kept as they are
    changes: dict = field(default_factory=dict)  # the changed terms of the refreshed drafts (the warning)

    @classmethod
    def survey(cls, segments, plan, glossary, *, identity: str | None, retranslate: bool, cache,
               term_strategy: str) -> Owners:
        """``("now", ctx)``: the run's engine's output for an entry that lost its provenance;
        ``("before", ctx)``: the entry's own engine's for machine output about to be replaced."""
        owners = cls(identity)
        items = []
        for seg in segments:
            reuse = plan.reuse.get(seg.ctx)
            if reuse is None:
                continue
            owners.restored += restore_provenance(reuse.entry, seg, glossary)  # msgmerge removed them
            if identity is None:
                continue
            if maybe_machine(reuse.entry):
                items.append((("now", seg.ctx), identity, seg.source, glossary))
            elif needs_retranslation(reuse, identity, retranslate):
                items.append((("before", seg.ctx), machine_identity(reuse.entry), reuse.entry.msgid, glossary))
        owners.machine = cached_outputs(items, cache, term_strategy)
        return owners

    def ask_engine(self, seg, entry, glossary) -> bool:
        """For an entry that lost its provenance: True when only the engine can tell (send ``seg``
        to it, then :meth:`take`); else settled here — the engine's output gets its lines back, and
        anything else (a person's, or in a name place the engine never sees) stays."""
        if not maybe_machine(entry):
            return False
        from .suspects import suspect_comments

        made = self.machine.get(("now", seg.ctx))
        if made is not None and made.text == entry.msgstr:
            restore_lines(entry, made.comments)
            self.restored += 1
        elif made is None and self.identity is not None and not suspect_comments(seg, glossary):
            self.unsure[seg.ctx] = entry
            return True
        else:
            self.people += 1
        return False

    def keeps(self, seg, entry) -> bool:
        """Before machine output is replaced: True when a translator edited it (the cache shows its
        engine gave other English): marked edited, kept. When the cache cannot tell, its English is
        kept as a note if the new one differs (merge.py ``keep_earlier``)."""
        before = self.machine.get(("before", seg.ctx)) or self.machine.get(("now", seg.ctx))
        if before is None:
            self.keep_earlier.add(seg.ctx)
            return False
        if before.text == entry.msgstr:
            return False
        mark_edited(entry)
        self.edited += 1
        return True

    def follows_glossary(self, seg, reuse, glossary) -> bool:
        """For a draft kept so far: True when it is the run's engine's unreviewed output and the English
        of a glossary term it used changed since (bilingual/draftrefresh.py). It goes to the engine
        again, and :meth:`take` decides whether the new output replaces it."""
        from .draftrefresh import changed_terms

        entry = reuse.entry
        if self.identity is None or reuse.kind == "changed" or machine_identity(entry) != self.identity:
            return False
        changes = changed_terms(seg.source, comment_lines(entry.comment), glossary)
        if changes:
            self.stale[seg.ctx] = (entry, changes)
        return bool(changes)

    def take(self, ctx: str, result) -> bool:
        """An MT result for ``ctx``: True when it only answered :meth:`ask_engine` or
        :meth:`follows_glossary` and the entry stays as it is (no proposal)."""
        stale = self.stale.pop(ctx, None)
        if stale is not None:
            from .draftrefresh import untouched

            draft, changes = stale
            if untouched(draft.msgstr, result.text, changes):
                self.refreshed += 1
                self.changes.update(changes)
                return False
            self.kept_stale += 1
            return True
        entry = self.unsure.pop(ctx, None)
        if entry is None:
            return False
        if entry.msgstr == result.text:
            restore_lines(entry, result.comments)
            self.restored += 1
        else:
            self.people += 1
        return True

    def warnings(self) -> list[str]:
        out = []
        if self.restored:
            out.append(f"{self.restored} entr{'y' if self.restored == 1 else 'ies'} had lost their origin/mt-check "
                       "comments (msgmerge with the template removes them): restored")
        if self.people:
            out.append(f"{self.people} fuzzy entr{'y' if self.people == 1 else 'ies'} without origin comments "
                       "(msgmerge removes them) not the engine's English, or no engine to tell: kept as a "
                       "translator's, to review")
        if self.edited:
            out.append(f"{self.edited} unreviewed machine translation{'s' if self.edited != 1 else ''} edited by a "
                       "translator (not what its engine gave): kept, marked 'origin: edited'")
        if self.refreshed:
            from .draftrefresh import describe

            out.append(f"{self.refreshed} unreviewed machine translation{'s' if self.refreshed != 1 else ''} "
                       f"translated again: the English of glossary terms they used changed ({describe(self.changes)})")
        if self.kept_stale:
            out.append(f"{self.kept_stale} unreviewed machine translation{'s' if self.kept_stale != 1 else ''} use "
                       "glossary terms whose English changed, but are not what the engine gave with the old English "
                       "(edited by a translator?): kept as they are; check names the term to update")
        return out
