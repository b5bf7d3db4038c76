"""The merge: segments + proposals + the existing PO file → the new catalogue. Nothing a translator wrote is lost.

* Every segment gets an entry, in document order; :mod:`.align` decides which
  existing translation (if any) it keeps. A kept entry keeps its ``msgstr`` (or
  plural forms), flags and ``# `` translator comments byte for byte, and the
  ``#.`` lines that describe its msgstr (:data:`PROVENANCE`) travel with it.
* Unreviewed machine output (fuzzy, with an ``origin: machine translation (…)``
  line) is the pipeline's own: when ``translate`` proposes a new translation for
  it (another engine or model, ``--retranslate``, a changed source) the proposal
  replaces it. Reviewed work is never replaced.
* An existing entry no segment takes becomes obsolete (``#~``), whoever made it
  (plural entries and entries a translator or a tool added included); only an
  untranslated entry of the pipeline's (it points at the source, nobody commented
  it) is dropped, and unreviewed machine output whose key is taken again.
* :class:`MergeReport` counts the human-reviewed entries a merge makes obsolete
  (not the glossary's or a rule's renderings), so a run can refuse a wrong or
  truncated source (:meth:`MergeReport.refusal`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import Segment
from .align import Plan, Reuse, align, has_translation, is_reviewed
from .catalog import merged_metadata
from .layout import PROVENANCE, Layout, comment_lines

MACHINE = "origin: machine translation"
MOVED = "origin: moved from "
REVIEWED = "origin: reviewed"
EDITED = "origin: edited"  # machine output a translator changed and left fuzzy (provenance.py): never replaced
MTCHECK = "mt-check:"


@dataclass(slots=True)  # one per segment, held until its document is written
class Translation:
    """What the pipeline proposes for one segment (before merging)."""

    text: str = ""
    fuzzy: bool = False
    comments: list[str] = field(default_factory=list)


# Entries the glossary or a rule wrote: reviewed (not fuzzy) but nobody's work; rendered again any time.
RENDERED = ("origin: glossary", "origin: rule")


def _rendered(entry) -> bool:
    """Whether the glossary or a rule wrote ``entry`` (its ``origin:`` line)."""
    return any(line.startswith(RENDERED) for line in comment_lines(entry.comment))


def human_reviewed(entry) -> bool:
    """Reviewed, and not a glossary or rule rendering (mastheads, agency lists, dates, numbers)."""
    return is_reviewed(entry) and not _rendered(entry)


@dataclass
class MergeReport:
    """The obsolete guard counts people's work only: in a document whose agency lists, signatories
    and dates the glossary renders, those entries would otherwise dilute the share, and a truncated
    source could make most of the translator's reviews obsolete below the threshold."""

    reviewed: int = 0  # human-reviewed entries in the file before the merge
    obsoleted: list[str] = field(default_factory=list)  # msgctxt of the human-reviewed ones no segment kept

    def refusal(self) -> str | None:
        """Why this merge must not be written without ``--force``, or None."""
        if not self.obsoleted or len(self.obsoleted) * 2 <= self.reviewed:
            return None
        return (f"this run would make {len(self.obsoleted)} of its {self.reviewed} reviewed translations obsolete "
                "(is SOURCE the right document, and complete?); nothing was written: run again with --force if "
                "the document really changed that much")


def format_flags(msgid: str) -> list[str]:
    """``no-c-format`` for a source holding ``%`` (``70%的``), as xgettext flags it: gettext,
    Weblate and Poedit then never take ``%的`` for a printf directive to keep in the English."""
    return ["no-c-format"] if "%" in msgid else []


def machine_identity(entry) -> str | None:
    """The engine/model of an unreviewed machine translation (fuzzy, MT origin), else None."""
    if "fuzzy" not in entry.flags or entry.msgid_plural or not entry.msgstr:
        return None
    for line in comment_lines(entry.comment):
        if line.startswith(MACHINE):
            return engine_of(line)
    return None


def engine_of(line: str) -> str:
    """"origin: machine translation (argos/…)", maybe followed by "; <how the terms went>" → argos/…"""
    made_by = re.match(r"\s*\((.*?)\)\s*(?:;|$)", line[len(MACHINE):])
    return made_by.group(1) if made_by else line[len(MACHINE):].strip()


def needs_retranslation(reuse: Reuse, identity: str, retranslate: bool = False) -> bool:
    """Whether the current engine (``identity``) should translate this reused segment again:
    unreviewed machine output of another engine or model, of a sentence that has since
    changed, or any with ``--retranslate``. Reviewed work: never."""
    made_by = machine_identity(reuse.entry)
    if made_by is None:
        return False
    return retranslate or reuse.kind == "changed" or made_by != identity


def plan_reuse(segments: Sequence[Segment], catalog) -> dict[str, Reuse]:
    """Which segments keep an existing translation (and so are not translated)."""
    return align(segments, catalog).reuse


def reviewed_origin(line: str) -> str:
    """``origin: machine translation (argos/…); …`` of a reviewed entry → ``origin: reviewed (from
    machine translation argos/…)``. A translator who removes ``fuzzy`` signs the English off, but
    cannot edit ``#.`` lines in Poedit: left as it was, the line would make the entry look like
    machine output again once it is fuzzy (its source changed), and ``--retranslate`` or a new
    engine would replace the translator's English."""
    if line.startswith(EDITED):
        return REVIEWED + line[len(EDITED):]
    if not line.startswith(MACHINE):
        return line
    engine = engine_of(line).strip(" ;")
    return f"{REVIEWED} (from machine translation {engine})" if engine else REVIEWED


def reviewed_lines(lines: list[str]) -> list[str]:
    """The provenance lines of an entry a person signed off: ``origin: reviewed (…)``, and no
    ``mt-check:`` lines (they described the machine's English, which the translator replaced or
    approved; kept, they flag the human text and count it as unreviewed machine output)."""
    lines = [reviewed_origin(line) for line in lines]
    if any(line.startswith(REVIEWED) for line in lines):
        lines = [line for line in lines if not line.startswith(MTCHECK)]
    return lines


def _provenance(old, seg: Segment, kind: str) -> list[str]:
    lines = [line for line in comment_lines(old.comment) if line.startswith(PROVENANCE)]
    rewritten = kind != "same" or old.msgctxt != seg.ctx  # an entry left as it was keeps its lines: no churn
    if rewritten and has_translation(old) and "fuzzy" not in old.flags:  # no fuzzy flag: a person's English
        lines = [reviewed_origin(line) for line in lines]
    if any(line.startswith(REVIEWED) for line in lines):  # also cleans files written before this rule
        lines = reviewed_lines(lines)
    if kind == "moved" and old.msgctxt != seg.ctx:
        lines = [line for line in lines if not line.startswith(MOVED)] + [f"{MOVED}{old.msgctxt}"]
    return lines


def _carry(entry, reuse: Reuse, seg: Segment, comments: list[str]) -> None:
    old = reuse.entry
    entry.msgstr = old.msgstr
    if old.msgid_plural:
        entry.msgid_plural = old.msgid_plural
        entry.msgstr_plural = dict(old.msgstr_plural)
    entry.tcomment = old.tcomment
    entry.flags = list(old.flags)
    if reuse.kind == "changed":
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = old.msgid
    elif "fuzzy" in old.flags:
        entry.previous_msgctxt, entry.previous_msgid = old.previous_msgctxt, old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    entry.comment = "\n".join([*comments, *_provenance(old, seg, reuse.kind)])


def _fill(entry, proposal: Translation, comments: list[str]) -> None:
    entry.msgstr = proposal.text
    if proposal.fuzzy and proposal.text:
        entry.flags.append("fuzzy")
    entry.comment = "\n".join([*comments, *proposal.comments])


def merge_catalog(segments: Sequence[Segment], proposals: dict[str, Translation], catalog, *, document: str,
                  source_ref: str, comments: dict[str, list[str]] | Callable[[Segment], list[str]],
                  plan: Plan | None = None,
                  keep_earlier: frozenset[str] | set[str] = frozenset(), stream: bool = False):
    """The new catalogue: segments in document order, then what is left of the old file, obsolete.
    Unreviewed machine output of a segment in ``keep_earlier`` (nothing could tell whether a
    translator edited it, provenance.py) keeps its English in an ``earlier translation:`` note
    when a different proposal replaces it. ``comments``: the ``#.`` lines of each segment's
    entry, by id, or a function that makes them for a segment when its entry is made.

    ``stream`` and no old file (``catalog`` None): a :class:`StreamedCatalog`, whose entries are
    made while it is written, each proposal and comment list taken out of ``proposals`` and
    ``comments`` as its entry is made — a large new document is never held as a whole
    catalogue beside its proposals. With an old file the whole catalogue is needed (what is
    left of the old file is folded into new entries, and "unchanged" compares every entry)."""
    import polib

    plan = plan if plan is not None else align(segments, catalog)
    new = polib.POFile(wrapwidth=0)
    new.metadata = merged_metadata(catalog, document, source_ref)
    new.layout = getattr(catalog, "layout", None) or Layout()
    if catalog is not None:
        new.header, new.metadata_is_fuzzy = catalog.header, catalog.metadata_is_fuzzy
    used: set[int] = set()
    streamed = stream and catalog is None
    entries = _entries(segments, proposals, plan, source_ref, comments, keep_earlier, used, release=streamed)
    if streamed:
        new.merge_report = MergeReport()  # no old file: nothing obsolete
        return StreamedCatalog(new, entries)
    for entry in entries:
        new.append(entry)
    new.merge_report = _leftovers(new, catalog, used)
    return new


class StreamedCatalog:
    """A new file's catalogue whose entries are made as they are read, once (:func:`merge_catalog`):
    the header fields of a ``polib.POFile`` and an iterator. ``watchers`` see every entry as it
    passes (the summary's counts are taken while the file is written)."""

    def __init__(self, head, entries):
        self.metadata, self.header, self.metadata_is_fuzzy = head.metadata, head.header, head.metadata_is_fuzzy
        self.layout, self.merge_report = head.layout, head.merge_report
        self.watchers: list = []
        self._entries = entries

    def __iter__(self):
        entries, self._entries = self._entries, None
        if entries is None:
            raise RuntimeError("a streamed catalogue is read once")
        for entry in entries:
            for watch in self.watchers:
                watch(entry)
            yield entry


def _entries(segments, proposals, plan: Plan, source_ref: str, comments, keep_earlier, used: set[int], *,
             release: bool):
    """The new entry of each segment, in document order (``release``: its proposal and comments
    are taken out of their dicts as it is made)."""
    import polib

    for seg in segments:
        if callable(comments):
            ours = comments(seg)
        else:
            ours = (comments.pop(seg.ctx, None) if release else comments.get(seg.ctx)) or []
        entry = polib.POEntry(msgctxt=seg.ctx, msgid=seg.source, occurrences=[(source_ref, str(seg.line))],
                              comment="\n".join(ours))
        reuse = plan.reuse.get(seg.ctx)
        proposal = proposals.pop(seg.ctx, None) if release else proposals.get(seg.ctx)
        if reuse is not None:
            used.add(id(reuse.entry))
            if proposal is not None and (machine_identity(reuse.entry) is not None or _rendered(reuse.entry)):
                # machine output, or an untouched rendering of a changed source, replaced; a note stays
                _fill(entry, proposal, ours)
                entry.tcomment = reuse.entry.tcomment
                old_text = reuse.entry.msgstr
                if seg.ctx in keep_earlier and old_text != proposal.text:
                    entry.tcomment = "\n".join(filter(None, [entry.tcomment, earlier_note(old_text)]))
            else:
                _carry(entry, reuse, seg, ours)
        else:
            _fill(entry, proposal or Translation(), ours)
            noted = plan.notes.get(seg.ctx)
            if noted is not None:  # a translator's note on a still untranslated entry is work too
                entry.tcomment = noted.tcomment
                used.add(id(noted))
        entry.flags += [f for f in format_flags(seg.source) if f not in entry.flags]
        entry.flags.sort(key=lambda flag: flag != "fuzzy")  # gettext's order: fuzzy first (a stable sort)
        yield entry


def _leftovers(new, catalog, used: set[int]) -> MergeReport:
    """Old entries no segment took: obsolete, folded into the entry that has their key, or dropped."""
    report = MergeReport()
    if catalog is None:
        return report
    active = {(e.msgctxt, e.msgid): e for e in new}
    for old in catalog:
        if not old.obsolete and not (old.msgid == "" and not old.msgctxt):
            report.reviewed += human_reviewed(old)
        if id(old) in used:
            continue
        if human_reviewed(old):
            report.obsoleted.append(old.msgctxt or old.msgid)
        worth = has_translation(old) or old.tcomment or old.msgid_plural
        if not worth and (old.obsolete or old.occurrences):
            continue  # an empty entry the pipeline made for a sentence that is gone
        taken = active.get((old.msgctxt, old.msgid))
        if taken is not None:
            if (has_translation(old) and machine_identity(old) is None) or old.tcomment:
                _fold(taken, old)  # gettext allows no second entry with this key, not even obsolete
            continue
        if not old.obsolete:
            old = copy.copy(old)
            old.obsolete = True
            lines = [line for line in comment_lines(old.comment) if line.startswith(PROVENANCE)]
            if has_translation(old) and "fuzzy" not in old.flags:
                lines = reviewed_lines(lines)
            old.comment = "\n".join(lines)
            old.occurrences = []
        new.append(old)
    return report


_NOTE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
                 "\f": "\\f", "\v": "\\v"}


def earlier_note(text: str) -> str:
    """``earlier translation: "…"``: a translation kept in a translator comment, quoted and escaped
    like a PO string, so that line breaks and trailing spaces survive the comment."""
    return 'earlier translation: "' + "".join(_NOTE_ESCAPES.get(c, c) for c in text) + '"'


_NOTE = re.compile(r'earlier translation: "((?:[^"\\]|\\.)*)"')
_NOTE_UNESCAPES = {escaped[1]: char for char, escaped in _NOTE_ESCAPES.items()}


def earlier_note_text(line: str) -> str | None:
    """The translation an :func:`earlier_note` line keeps, its escapes undone (None for another
    line): what a reader of the review page should see, not PO's ``\\"``."""
    found = _NOTE.fullmatch(line.strip())
    if found is None:
        return None
    return re.sub(r"\\(.)", lambda m: _NOTE_UNESCAPES.get(m.group(1), m.group(1)), found.group(1))


def _fold(entry, old) -> None:
    kept = [line for line in entry.tcomment.split("\n") if line]
    extra = [line for line in old.tcomment.split("\n") if line and line not in kept]
    text = old.msgstr or " | ".join(v for _, v in sorted(old.msgstr_plural.items()) if v)
    if text and text != entry.msgstr and machine_identity(old) is None:  # unreviewed MT is not worth a note
        extra.append(earlier_note(text))
    entry.tcomment = "\n".join([*kept, *extra])
