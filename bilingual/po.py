"""Segments + translations → one aligned PO file per document, merged safely.

The PO file is where translators work, so the merge rules are the product's
promise: **a re-run never loses a translator's work**.

* Same ``msgctxt`` and same source, translated: the entry is kept as it is,
  ``msgstr``, flags and translator comments byte for byte; nothing is
  re-translated (this is also what makes a re-run cost nothing).
* Same ``msgctxt``, changed source: the old translation is kept, flagged
  ``fuzzy``, with the old source as ``#| msgid`` so the translator sees the diff.
* A source sentence that moved (new ``msgctxt``, identical source found in
  another or an obsolete entry): its translation and review state move with it.
  Ids are positional, so a measure inserted, deleted or moved shifts every later
  id: an identical source is matched *before* a same-id entry is taken as
  "changed" (see :func:`plan_reuse`).
* Entries whose segment disappeared become obsolete (``#~``), never deleted.
* Untranslated entries (empty ``msgstr``) are filled anew; a translator comment
  on one follows its sentence (or is kept obsolete).

``#.`` comments and ``#:`` references are regenerated every run (they are
ours); ``# `` translator comments are never touched.

Lines end at ``\n`` only, as for gettext (U+2028 and friends inside a string
are text), files with duplicate entries are refused like ``msgfmt`` refuses
them, and a file that changed on disk while a run was translating (an editor
saved it) is not overwritten (:func:`save_catalog`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import BilingualError
from .fileio import atomic_write_text, read_existing
from .model import Segment

# No wrapping (like ``msgcat --no-wrap``): one line per message and per comment,
# so diffs stay readable and a ``#.`` line is never cut in two.
WRAP_WIDTH = 0
# ``#.`` lines that describe where a msgstr came from: they travel with the msgstr.
PROVENANCE = ("origin:", "missing term:", "not in glossary:", "memory source:", "mt-check:", "suspect name:")
COMMENT_PREFIXES = ("section ", "measure ", "lead agencies:", "glossary:", *PROVENANCE)
HEADER_DOC = "X-Bilingual-Document"
HEADER_SOURCE = "X-Bilingual-Source"


@dataclass
class Translation:
    """What the pipeline proposes for one segment (before merging)."""

    text: str = ""
    fuzzy: bool = False
    comments: list[str] = field(default_factory=list)


@dataclass
class Reuse:
    """An existing entry whose translation carries over to a segment."""

    entry: object  # polib.POEntry
    kind: str  # "same" | "changed" | "moved"


def format_flags(msgid: str) -> list[str]:
    """``no-c-format`` for a source holding ``%`` (``70%的``), as xgettext flags it: gettext,
    Weblate and Poedit then never take ``%的`` for a printf directive to keep in the English."""
    return ["no-c-format"] if "%" in msgid else []


def now_stamp() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M+0000")


def load_catalog(path: str | Path, document: str | None = None):
    """Read an existing PO file (or return None if there is none).

    Refuses, with the file named and nothing written, a file polib cannot
    parse, a file for another target language, or one that belongs to another
    document: merging into those would corrupt a translator's work.
    """

    path = Path(path)
    data = read_existing(path)  # bounded; None for a new file or a device/FIFO written through
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BilingualError(f"not a valid PO file (not UTF-8 at byte {exc.start}); it was left unchanged", path) from None
    problem = syntax_error(text)
    if problem is None:
        try:
            catalog = parse_text(text)
        except (OSError, ValueError) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if problem is None:
        problem = duplicate_error(catalog)
    if problem is not None:
        raise BilingualError(f"not a valid PO file ({problem}); it was left unchanged", path)
    language = catalog.metadata.get("Language", "").strip()
    if language and language.split("_")[0].lower() != "en":
        raise BilingualError(f"is a PO file for language {language!r}, not English (en); it was left unchanged", path)
    owner = catalog.metadata.get(HEADER_DOC, "").strip()
    if document and owner and owner != document:
        raise BilingualError(
            f"belongs to document {owner!r}, not {document!r}; choose another -o path", path
        )
    return catalog


_STRING = r'"(?:[^"\\\n]|\\.)*"'
_PO_LINE = re.compile(
    rf'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}|{_STRING})\s*$'
)


def syntax_error(text: str) -> str | None:
    """A strict lexical check polib does not do (it silently mis-reads broken files).

    Every line must be blank, a comment, a keyword followed by one complete C
    string, or a continuation string. Returns "line N: …" or None. Lines end at
    ``\n`` only, as for gettext: U+2028, NEL, FS … are ordinary characters inside
    a string (``str.splitlines`` would cut there).
    """
    if text.startswith("\ufeff"):
        return "line 1: starts with a byte-order mark, which gettext tools reject; remove it"
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip(" \t\r\f\v")
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if stripped.startswith("#~") and stripped[2:].strip()[:1] in ("", "|"):
            continue
        if not _PO_LINE.match(stripped):
            return f"syntax error at line {number}: {stripped[:40]!r}"
    return None


class _Lines(str):
    """PO text whose lines end at ``\n`` only (polib splits text with ``str.splitlines``)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n") if not keepends else re.findall(r"[^\n]*\n|[^\n]+$", self)


def parse_text(text: str):
    """``polib.pofile`` of PO *text*, with gettext's notion of a line (see :func:`syntax_error`)."""
    import polib

    return polib.pofile(_Lines(text), wrapwidth=WRAP_WIDTH)


def duplicate_error(catalog) -> str | None:
    """Two entries (obsolete ones too) with one ``msgctxt`` + ``msgid``: gettext rejects
    the file, and a merge would have to drop one of the two translations."""
    seen: dict[tuple, int] = {}
    for entry in catalog:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            return (f"duplicate entry msgctxt {entry.msgctxt!r} at lines {seen[key]} and {entry.linenum}; "
                    "keep one of them")
        seen[key] = entry.linenum
    return None


def comment_lines(comment: str) -> list[str]:
    """Our ``#.`` lines, re-joined if a translator's tool wrapped them on save."""
    lines: list[str] = []
    for line in comment.splitlines():
        if lines and not line.startswith(COMMENT_PREFIXES):
            joiner = "" if lines[-1].endswith("-") else " "  # textwrap also breaks after hyphens
            lines[-1] = f"{lines[-1]}{joiner}{line.strip()}"
        else:
            lines.append(line)
    return lines


def is_reviewed(entry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def plan_reuse(segments: Sequence[Segment], catalog) -> dict[str, Reuse]:
    """Which segments keep an existing translation (and so are not translated).

    Ids are positional (``measure-5.s2``), so inserting, deleting or reordering
    measures or sentences shifts them. Matching therefore goes, for every segment:

    1. ``same``: the entry with the segment's id and source (active, else obsolete);
    2. ``moved``: an unused entry with the same source under another id — reviewed
       ones first, then active ones, then in file order; its review state moves too;
    3. ``changed``: the unused active entry with the segment's id but another source
       (comes back fuzzy, with the old source as ``#| msgid``).

    Only translated entries carry over; each is used at most once.
    """
    if catalog is None:
        return {}
    candidates = [e for e in catalog if e.msgstr and not e.obsolete]
    candidates += [e for e in catalog if e.msgstr and e.obsolete]
    plan: dict[str, Reuse] = {}
    used: set[int] = set()

    def take(seg: Segment, entry, kind: str) -> None:
        plan[seg.ctx] = Reuse(entry, kind)
        used.add(id(entry))

    by_key: dict[tuple, object] = {}
    for entry in candidates:
        by_key.setdefault((entry.msgctxt, entry.msgid), entry)
    for seg in segments:
        entry = by_key.get((seg.ctx, seg.source))
        if entry is not None and id(entry) not in used:
            take(seg, entry, "same")
    by_source: dict[str, list] = {}
    for entry in sorted(candidates, key=lambda e: "fuzzy" in e.flags):  # stable: reviewed first
        by_source.setdefault(entry.msgid, []).append(entry)
    for seg in segments:
        if seg.ctx in plan:
            continue
        entry = next((e for e in by_source.get(seg.source, ()) if id(e) not in used), None)
        if entry is not None:
            take(seg, entry, "moved")
    by_ctx = {e.msgctxt: e for e in reversed(candidates) if not e.obsolete}
    for seg in segments:
        if seg.ctx in plan:
            continue
        entry = by_ctx.get(seg.ctx)
        if entry is not None and id(entry) not in used:
            take(seg, entry, "changed")
    return plan


def merge_catalog(
    segments: Sequence[Segment],
    proposals: dict[str, Translation],
    catalog,
    *,
    document: str,
    source_ref: str,
    comments: dict[str, list[str]],
):
    """Build the new catalogue: segments in document order + obsolete leftovers."""
    import polib

    plan = plan_reuse(segments, catalog)
    notes = _untranslated_notes(segments, plan, catalog)
    new = polib.POFile(wrapwidth=WRAP_WIDTH)
    new.metadata = _metadata(catalog, document, source_ref)
    used: set[int] = set()
    for seg in segments:
        entry = polib.POEntry(
            msgctxt=seg.ctx,
            msgid=seg.source,
            occurrences=[(source_ref, str(seg.line))],
            comment="\n".join(comments.get(seg.ctx, [])),
        )
        reuse = plan.get(seg.ctx)
        if reuse is not None:
            old = reuse.entry
            used.add(id(old))
            entry.msgstr = old.msgstr
            entry.tcomment = old.tcomment
            entry.flags = [f for f in old.flags if f != "fuzzy"]
            if reuse.kind == "changed":
                entry.flags.append("fuzzy")
                entry.previous_msgid = old.msgid
            elif "fuzzy" in old.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = old.previous_msgid
            provenance = [line for line in comment_lines(old.comment) if line.startswith(PROVENANCE)]
            if reuse.kind == "moved":
                provenance = [f"origin: moved from {old.msgctxt}"]
            entry.comment = "\n".join([*comments.get(seg.ctx, []), *provenance])
        else:
            proposal = proposals.get(seg.ctx, Translation())
            entry.msgstr = proposal.text
            if proposal.fuzzy and proposal.text:
                entry.flags.append("fuzzy")
            if proposal.comments:
                entry.comment = "\n".join([*comments.get(seg.ctx, []), *proposal.comments])
            noted = notes.get(seg.ctx)
            if noted is not None:  # a translator's note on a still untranslated entry is work too
                entry.tcomment = noted.tcomment
                used.add(id(noted))
        entry.flags += [f for f in format_flags(seg.source) if f not in entry.flags]
        entry.flags.sort(key=lambda flag: flag != "fuzzy")  # gettext's order: fuzzy first
        new.append(entry)
    if catalog is not None:
        active = {(e.msgctxt, e.msgid): e for e in new}
        for old in catalog:
            if id(old) in used or not (old.msgstr or old.tcomment):
                continue
            same_key = active.get((old.msgctxt, old.msgid))
            if same_key is not None:
                # gettext allows no second entry with this key, not even an obsolete one:
                # fold what it holds into the entry's translator comment.
                kept = [line for line in same_key.tcomment.splitlines() if line]
                extra = [line for line in old.tcomment.splitlines() if line and line not in kept]
                if old.msgstr and old.msgstr != same_key.msgstr:
                    extra.append(f"earlier translation: {old.msgstr}")
                same_key.tcomment = "\n".join([*kept, *extra])
                continue
            old.obsolete = True
            new.append(old)
    return new


def _untranslated_notes(segments: Sequence[Segment], plan: dict[str, Reuse], catalog) -> dict[str, object]:
    """Untranslated entries carrying a translator comment, matched to the segments the
    plan leaves without a translation: same id and source first, then same source."""
    if catalog is None:
        return {}
    noted = [e for e in catalog if not e.msgstr and e.tcomment]
    if not noted:
        return {}
    open_segments = [seg for seg in segments if seg.ctx not in plan]
    found: dict[str, object] = {}
    used: set[int] = set()
    by_key = {}
    for entry in noted:
        by_key.setdefault((entry.msgctxt, entry.msgid), entry)
    for seg in open_segments:
        entry = by_key.get((seg.ctx, seg.source))
        if entry is not None and id(entry) not in used:
            found[seg.ctx] = entry
            used.add(id(entry))
    for seg in open_segments:
        if seg.ctx in found:
            continue
        entry = next((e for e in noted if e.msgid == seg.source and id(e) not in used), None)
        if entry is not None:
            found[seg.ctx] = entry
            used.add(id(entry))
    return found


def _metadata(catalog, document: str, source_ref: str) -> dict[str, str]:
    stamp = now_stamp()
    metadata = {
        "Project-Id-Version": f"bilingual {document}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": "English",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    if catalog is not None:  # keep what translators' tools wrote (Last-Translator, dates…)
        metadata.update(catalog.metadata)
    metadata.update({
        "Language": "en",
        "X-Source-Language": "zh",
        "X-Generator": f"bilingual {__version__}",
        HEADER_DOC: document,
        HEADER_SOURCE: source_ref,
    })
    return metadata


def save_catalog(catalog, path: str | Path, previous_text: str | None = None) -> bool:
    """Write atomically; returns False (and leaves the file alone) if nothing changed.

    "Nothing changed" is judged on content, not layout: a file a translator's
    tool saved with other line wrapping is not rewritten just to re-wrap it.

    ``previous_text`` is the file as it was read for the merge (``None``: there was
    none). If the file on disk is no longer that — a translator saved it in Poedit
    while the run was translating; editors take no lock — nothing is written and a
    :class:`BilingualError` says so: the merge would overwrite their save.
    """

    path = Path(path)
    if _on_disk(path) != previous_text:
        raise BilingualError(
            "was changed by someone else while this run was translating (saved in an editor?); "
            "it was left as it is: run again to merge it (machine translations are cached)",
            path,
        )
    text = catalog_text(catalog)
    if previous_text is not None:
        if text == previous_text or _content(catalog) == _content(parse_text(previous_text)):
            return False
        catalog.metadata["PO-Revision-Date"] = now_stamp()
        text = catalog_text(catalog)
    atomic_write_text(path, text)
    return True


def _on_disk(path: Path) -> str | None:
    try:
        data = read_existing(path)
        return None if data is None else data.decode("utf-8")
    except (BilingualError, UnicodeDecodeError):
        return "\0unreadable"


def _content(catalog) -> tuple:
    """What a catalogue says, whatever its line wrapping."""
    return tuple(sorted(catalog.metadata.items())), tuple(
        (e.obsolete, e.msgctxt, e.msgid, e.msgstr, tuple(e.flags), e.previous_msgid, e.tcomment,
         tuple(e.occurrences), tuple(comment_lines(e.comment)))
        for e in catalog
    )


def catalog_text(catalog) -> str:
    text = catalog.__unicode__()
    return text if text.endswith("\n") else text + "\n"


def active_entries(catalog) -> list:
    """Entries that count, in file order: not obsolete, not the header."""
    return [e for e in catalog if not e.obsolete and not (e.msgid == "" and not e.msgctxt)]
