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
* Entries whose segment disappeared become obsolete (``#~``), never deleted.
* Untranslated entries (empty ``msgstr``) carry nothing to lose: they are
  filled anew.

``#.`` comments and ``#:`` references are regenerated every run (they are
ours); ``# `` translator comments are never touched.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import BilingualError
from .fileio import atomic_write_text
from .model import Segment

# No wrapping (like ``msgcat --no-wrap``): one line per message and per comment,
# so diffs stay readable and a ``#.`` line is never cut in two.
WRAP_WIDTH = 0
# ``#.`` lines that describe where a msgstr came from: they travel with the msgstr.
PROVENANCE = ("origin:", "missing term:", "not in glossary:", "memory source:")
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


def now_stamp() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M+0000")


def load_catalog(path: str | Path, document: str | None = None):
    """Read an existing PO file (or return None if there is none).

    Refuses, with the file named and nothing written, a file polib cannot
    parse, a file for another target language, or one that belongs to another
    document: merging into those would corrupt a translator's work.
    """
    import polib

    path = Path(path)
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BilingualError(f"not a valid PO file (not UTF-8 at byte {exc.start}); it was left unchanged", path) from None
    problem = syntax_error(text)
    if problem is None:
        try:
            catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH)
        except (OSError, ValueError) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
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
    string, or a continuation string. Returns "line N: …" or None.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if stripped.startswith("#~") and stripped[2:].strip()[:1] in ("", "|"):
            continue
        if not _PO_LINE.match(stripped):
            return f"syntax error at line {number}: {stripped[:40]!r}"
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
    """Which segments keep an existing translation (and so are not translated)."""
    if catalog is None:
        return {}
    active = [e for e in catalog if not e.obsolete]
    by_ctx = {e.msgctxt: e for e in active}
    taken_ctx = {seg.ctx for seg in segments}
    by_source: dict[str, object] = {}
    # Entries that lost their place (or are obsolete) can follow their source text.
    for entry in [e for e in active if e.msgctxt not in taken_ctx] + list(catalog.obsolete_entries()):
        if entry.msgstr and entry.msgid not in by_source:
            by_source[entry.msgid] = entry
    plan: dict[str, Reuse] = {}
    used: set[int] = set()
    for seg in segments:
        old = by_ctx.get(seg.ctx)
        if old is not None and old.msgstr:
            plan[seg.ctx] = Reuse(old, "same" if old.msgid == seg.source else "changed")
            used.add(id(old))
    for seg in segments:
        if seg.ctx in plan:
            continue
        moved = by_source.get(seg.source)
        if moved is not None and id(moved) not in used:
            plan[seg.ctx] = Reuse(moved, "moved")
            used.add(id(moved))
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
        new.append(entry)
    if catalog is not None:
        active_keys = {(e.msgctxt, e.msgid) for e in new}
        for old in catalog:
            if id(old) in used or not old.msgstr or (old.msgctxt, old.msgid) in active_keys:
                continue
            old.obsolete = True
            active_keys.add((old.msgctxt, old.msgid))
            new.append(old)
    return new


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
    """
    import polib

    path = Path(path)
    text = catalog_text(catalog)
    if previous_text is not None:
        if text == previous_text or _content(catalog) == _content(polib.pofile(previous_text)):
            return False
        catalog.metadata["PO-Revision-Date"] = now_stamp()
        text = catalog_text(catalog)
    atomic_write_text(path, text)
    return True


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


def entries(catalog) -> Iterable:
    """Active (non-obsolete) entries in file order."""
    return [e for e in catalog if not e.obsolete]
