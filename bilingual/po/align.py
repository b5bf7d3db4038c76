"""Which existing entry's translation goes to which new segment: an alignment, as msgmerge and diff do.

Segment ids are positional (``measure-5.s2``): a measure inserted at the top shifts
every later id, and sentences recur (the lead-agency parenthesis （上海海关）,
现提出如下措施。). Matching entries by id, or by id + source, would put reviewed
translations on the wrong measures. So the old file's active entries and the new
segments are aligned as two sequences of sentences (``difflib.SequenceMatcher``
on the sources, ``autojunk=False``, after cutting the common head and tail so
an unchanged document costs linear time), and then:

1. ``same``: an aligned pair keeps its translation (the id may have shifted);
2. reviewed beats fuzzy: an aligned segment whose entry is unreviewed takes a
   reviewed translation of the same sentence that is not aligned anywhere;
3. ``moved``: a segment still without one takes an unaligned entry with the same
   source (active or obsolete; reviewed first, then active, then file order);
4. repeated sentences: the entries of a sentence that occurs several times are handed out
   again by the sentences of their own measure around them (two swapped measures each keep
   their own （上海海关）);
5. ``changed``: inside a stretch the alignment replaced, a segment and an old entry
   whose sentences are similar (rapidfuzz ratio ≥ 60, msgmerge's fuzzy threshold;
   same id preferred) pair up: the old translation comes back fuzzy, with ``#|``.

An id match that contradicts the alignment never wins. Each entry is used once.
Untranslated entries with a translator comment follow their sentences the same way. The old
entries are aligned in the order of the document they were made from (their ``#:`` lines), so
a file a tool saved sorted (``msgcat --sort-output``) aligns as well as one in file order.
Sentences are compared without the whitespace around them: earlier versions kept the space
after a 。 at the start of the next sentence's msgid (`` 第二句。``), and that entry is still
the same sentence's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..model import Segment

SIMILAR = 60  # rapidfuzz.fuzz.ratio, 0–100
MAX_PAIRS = 40_000  # similarity scoring per replaced stretch (beyond: same id only)
MAX_REPEATS = 200  # occurrences of one sentence handed out again by their neighbours (beyond: as aligned)


@dataclass
class Reuse:
    """An existing entry whose translation carries over to a segment."""

    entry: object  # polib.POEntry
    kind: str  # "same" | "moved" | "changed"


@dataclass
class Plan:
    reuse: dict[str, Reuse] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)  # untranslated entries with a translator comment


def has_translation(entry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def is_reviewed(entry) -> bool:
    return has_translation(entry) and "fuzzy" not in entry.flags and not entry.obsolete


def active_entries(catalog) -> list:
    """Entries that count, in file order: not obsolete, not the header."""
    return [e for e in catalog if not e.obsolete and not (e.msgid == "" and not e.msgctxt)]


def document_order(olds: list) -> list:
    """``olds`` in the order of the document they were made from.

    A tool may save the file sorted (``msgcat --sort-output`` puts it in msgid order): aligned
    in that order, the entries of a repeated sentence (（上海海关） under several measures) would
    trade translations and translator comments although nothing changed. Our ``#:`` references
    give each entry its line in the source, so a stable sort on them restores the document
    order; an entry without one (or pointing at another file) stays after the entry before it.
    A file already in order is returned as it is."""
    paths = Counter(path for entry in olds for path, _ in entry.occurrences[:1])
    source = paths.most_common(1)[0][0] if paths else None
    keys: list[int] = []
    last = -1
    for entry in olds:
        line = next((line for path, line in entry.occurrences if path == source and str(line).isdigit()), None)
        last = int(line) if line is not None else last
        keys.append(last)
    if all(a <= b for a, b in zip(keys, keys[1:], strict=False)):
        return olds
    return [entry for _, entry in sorted(zip(keys, olds, strict=True), key=lambda pair: pair[0])]


def _block(ctx: str | None) -> str | None:
    """The part of the document an id names (``measure-4`` of ``measure-4.agencies``)."""
    return ctx.rpartition(".")[0] or None if ctx else None


def _neighbours(a: list, b: list) -> tuple[list, list]:
    """For each entry or segment of ``a`` and ``b`` (``(msgctxt, source)`` pairs) whose sentence occurs
    more than once: the nearest sentence before and after it in its own block (``measure-4``) that
    occurs once (None where there is none, and for the other sentences).

    （上海海关） closes several measures, 现提出如下措施。 may open several: when two measures swap, a
    sequence alignment matches one side of the swap only, so identical lines pair up by place, and
    a translator's note on one measure's lead agencies would land on the other's. The sentences of
    its own measure tell which occurrence is which."""
    repeated = {text for seq in (a, b) for text, n in Counter(t for _, t in seq).items() if n > 1}

    def side(items: list) -> list:
        found: list = []
        last, block = None, object()
        for ctx, text in items:
            if _block(ctx) != block:
                last, block = None, _block(ctx)
            found.append(last)
            last = last if text in repeated else text
        return found

    def around(items: list) -> list:
        before, after = side(items), side(items[::-1])[::-1]
        return [(x, y) if text in repeated else None for (_, text), x, y in zip(items, before, after, strict=True)]

    return around(a), around(b)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    # Give some of the common head and tail back: with repeated sentences a change can "slide"
    # (a measure inserted at the top matches the old first sentence either way), and
    # SequenceMatcher's longest-block-first choice is the one that keeps measures together.
    margin = 2 * max(len(a) - head - tail, len(b) - head - tail) + 8
    head, tail = max(0, head - margin), max(0, tail - margin)
    ops = [("equal", 0, head, 0, head)] if head else []
    middle = SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False)
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def align(segments: Sequence[Segment], catalog) -> Plan:
    plan = Plan()
    if catalog is None:
        return plan
    olds = document_order(active_entries(catalog))
    ops = _opcodes([e.msgid.strip() for e in olds], [s.source.strip() for s in segments])
    used: set[int] = set()

    def take(seg: Segment, entry, kind: str) -> None:
        plan.reuse[seg.ctx] = Reuse(entry, kind)
        used.add(id(entry))

    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal":
            continue
        for old, seg in zip(olds[i1:i2], segments[j1:j2], strict=True):
            if has_translation(old):
                take(seg, old, "same")
            elif old.tcomment:
                plan.notes[seg.ctx] = old
                used.add(id(old))
    pool = _pool(olds, catalog, used)
    position = {id(e): i for i, e in enumerate(olds)}
    for seg in segments:  # reviewed beats fuzzy
        reuse = plan.reuse.get(seg.ctx)
        waiting = pool.get(seg.source.strip())
        if reuse is not None and "fuzzy" in reuse.entry.flags and waiting and "fuzzy" not in waiting[0][1].flags:
            _, better = waiting.pop(0)
            waiting.append((_rank(reuse.entry, position[id(reuse.entry)]), reuse.entry))
            waiting.sort(key=lambda item: item[0])
            take(seg, better, "moved")
    for seg in segments:  # moved
        waiting = pool.get(seg.source.strip())
        if seg.ctx not in plan.reuse and waiting:
            take(seg, waiting.pop(0)[1], "moved")
    _by_neighbours(plan, olds, segments)
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            _changed(plan, olds[i1:i2], segments[j1:j2], used, take)
    _notes(plan, segments, catalog, used)
    return plan


def _by_neighbours(plan: Plan, olds: list, segments: Sequence[Segment]) -> None:
    """Hand the entries of a repeated sentence out again, each to the occurrence between the same
    sentences of its block (:func:`_neighbours`): two occurrences trade entries when both then sit
    closer to their own, whatever their review state (a reviewed line and an MT draft of the same
    sentence each stay with their measure: "reviewed beats fuzzy" is for an occurrence whose own
    entry is gone, and every entry here is still in use), and
    an entry goes from its occurrence to one that got none when that one is closer (a measure
    inserted after one with the same lead agencies). No other entry is taken, none is dropped."""
    old_near, new_near = _neighbours([(e.msgctxt, e.msgid.strip()) for e in olds],
                                     [(s.ctx, s.source.strip()) for s in segments])
    near = {id(e): n for e, n in zip(olds, old_near, strict=True)}
    groups: dict[str, list] = {}
    free: dict[str, list] = {}  # occurrences that got no entry
    for seg, seg_near in zip(segments, new_near, strict=True):
        reuse = plan.reuse.get(seg.ctx)
        if seg_near is not None and reuse is None:
            free.setdefault(seg.source, []).append((seg_near, seg))
        elif seg_near is not None and id(reuse.entry) in near:
            groups.setdefault(seg.source, []).append((seg_near, reuse, seg))

    def score(seg_near: tuple, entry) -> int:
        return sum(x is not None and x == y for x, y in zip(near[id(entry)] or (None, None), seg_near, strict=True))

    for source, group in groups.items():
        if len(group) > MAX_REPEATS:
            continue
        for (near1, one, _), (near2, two, _) in ((p, q) for i, p in enumerate(group) for q in group[i + 1:]):
            if score(near1, two.entry) + score(near2, one.entry) > score(near1, one.entry) + score(near2, two.entry):
                one.entry, two.entry = two.entry, one.entry
        for near1, reuse, seg in group:  # a measure inserted next to one with the same line: its own stays
            waiting = free.get(source, [])
            better = next((item for item in waiting if score(item[0], reuse.entry) > score(near1, reuse.entry)), None)
            if better is not None:
                waiting.remove(better)
                waiting.append((near1, seg))
                plan.reuse[better[1].ctx] = plan.reuse.pop(seg.ctx)


def _rank(entry, index: int) -> tuple:
    return "fuzzy" in entry.flags, entry.obsolete, index


def _pool(olds: list, catalog, used: set[int]) -> dict[str, list[tuple[tuple, object]]]:
    """Unused translated entries by source, best first (reviewed, active, file order)."""
    pool: dict[str, list[tuple[tuple, object]]] = {}
    for index, entry in enumerate([*olds, *(e for e in catalog if e.obsolete)]):
        if id(entry) not in used and has_translation(entry):
            pool.setdefault(entry.msgid.strip(), []).append((_rank(entry, index), entry))
    for candidates in pool.values():
        candidates.sort(key=lambda item: item[0])
    return pool


def _changed(plan: Plan, olds: list, segments: list, used: set[int], take) -> None:
    """Pair similar sentences inside one replaced stretch (see the module docstring)."""
    from rapidfuzz.fuzz import ratio

    olds = [e for e in olds if id(e) not in used and has_translation(e) and not e.msgid_plural]
    segments = [s for s in segments if s.ctx not in plan.reuse]
    if not olds or not segments:
        return
    if len(olds) * len(segments) > MAX_PAIRS:
        by_ctx = {s.ctx: s for s in segments}
        pairs = [(o, by_ctx[o.msgctxt]) for o in olds if o.msgctxt in by_ctx]
        scored = [(False, -ratio(o.msgid, s.source), 0, n, o, s) for n, (o, s) in enumerate(pairs)]
    else:
        scored = [(o.msgctxt != s.ctx, -ratio(o.msgid, s.source), abs(i - j), i * len(segments) + j, o, s)
                  for i, o in enumerate(olds) for j, s in enumerate(segments)]
    for _, score, _, _, old, seg in sorted(scored, key=lambda item: item[:4]):
        if -score >= SIMILAR and id(old) not in used and seg.ctx not in plan.reuse:
            take(seg, old, "changed")


def _notes(plan: Plan, segments: Sequence[Segment], catalog, used: set[int]) -> None:
    """Unaligned untranslated entries with a translator comment: same id and source first, then same source."""
    noted = [e for e in catalog if id(e) not in used and not has_translation(e) and e.tcomment]
    if not noted:
        return
    open_segments = [s for s in segments if s.ctx not in plan.reuse and s.ctx not in plan.notes]
    by_key: dict[tuple, list] = {}
    by_source: dict[str, list] = {}
    for entry in noted:
        by_key.setdefault((entry.msgctxt, entry.msgid.strip()), []).append(entry)
        by_source.setdefault(entry.msgid.strip(), []).append(entry)
    for lookup in (lambda s: by_key.get((s.ctx, s.source.strip())), lambda s: by_source.get(s.source.strip())):
        for seg in open_segments:
            if seg.ctx in plan.notes:
                continue
            entry = next((e for e in lookup(seg) or () if id(e) not in used), None)
            if entry is not None:
                plan.notes[seg.ctx] = entry
                used.add(id(entry))
