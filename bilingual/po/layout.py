"""Writing PO text without churn: the file's own text for every entry a run leaves alone.

Translators' tools rewrap PO files: ``msgcat``/``msgmerge`` and Poedit at 79
columns, Weblate (Translate Toolkit) at 77, polib at 78, or not at all. Were every
run to rewrite the whole file in one layout, a one-sentence change would show up
as a diff of every entry, and a file saved in Poedit would be rewritten although
nothing changed. So:

* an entry whose content is unchanged is written back exactly as it was read
  (:class:`Layout` keeps each entry's lines);
* an entry that changed (and every entry of a new file) is written as gettext
  writes it, at the file's own wrap width (:func:`detect_width`), or unwrapped
  (one line per message: the project's default, for clean diffs);
* the order of the lines is gettext's: ``#`` translator comments, ``#.``, ``#:``,
  ``#,`` flags, ``#|`` previous fields, then the keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .linebreak import fill

PAGE_WIDTH = 79  # gettext's default; #: reference lines wrap there even with --no-wrap
STANDARD_WIDTHS = (76, 77, 78, 79, 80)  # Lokalize, Translate Toolkit/Weblate, polib, gettext/Poedit, others
_ESCAPES = {"\\": "\\", '"': '"', "\n": "n", "\t": "t", "\r": "r"}  # as polib and gettext write them
# ``#.`` lines that describe where a msgstr came from: they travel with the msgstr (merge.py).
PROVENANCE = ("origin:", "missing term:", "not in glossary:", "memory source:", "mt-check:", "suspect name:",
              "document-number prefix in pinyin:", "not a calendar date:")
# ``#.`` line of the number a unit prints where its id (by position) names another: ``numbered: 1``
# on ``section-5.title``, a table's 一、 after four sections. It describes the source, like the
# ``section`` line: translate writes it again every run; the build labels the unit with it.
NUMBERED = "numbered:"
# ``#.`` lines that begin one of our comments; any other line is a tool's wrap of the one before.
# Every kind of line the project writes must be here, else it is glued to the line above it.
COMMENT_PREFIXES = ("section ", "measure ", "lead agencies:", "glossary:", "issuer unsure:", "alignment:",
                    NUMBERED, *PROVENANCE)


@dataclass
class Layout:
    """How a file was written: wrap width (0: none), line ending, each entry's own lines."""

    width: int = 0
    newline: str = "\n"
    header_comments: list[str] = field(default_factory=list)  # raw lines above msgid "" (# Copyright…, #, fuzzy)
    header: tuple | None = None  # (metadata items, raw text) of the header entry as read
    # Header lines that are no ``Name: value`` field (gettext keeps them), by the field they
    # followed (None: before the first): a rewritten header keeps them where they were.
    header_notes: dict[str | None, list[str]] = field(default_factory=dict)
    blocks: dict[tuple, tuple[tuple, str]] = field(default_factory=dict)  # key → (signature, raw text)
    order: list[tuple] = field(default_factory=list)  # the entries' signatures, in file order
    trailer: str = ""  # comment lines after the last entry


#: Below this, a file's widest wrapped line cannot come from a standard width: gettext and the
#: tools fill a line to within a word of the width, and a break opportunity in Chinese text
#: (between any two characters) is never more than a few columns away.
NARROW_BELOW = min(STANDARD_WIDTHS) - 6


def detect_width(widest: int, narrow: int = 0) -> int:
    """The wrap width of a file whose widest wrapped line is ``widest`` columns (0: not wrapped).

    Near the tools' defaults (70–80) the smallest standard width that holds the widest line (a
    short file may fill no line to the end); outside that range the file was wrapped on purpose
    (``msgcat -w 60``, ``-w 100``) and its widest line is the width, so a rewritten entry keeps
    the file's layout. ``narrow`` is the widest wrapped line without wide (CJK) characters: polib
    wraps at 78 characters, not columns, and only at spaces, so its Chinese lines run far past
    any width (210 columns in the Shanghai document) while its English ones show the width."""
    if widest <= 0:
        return 0
    if widest > max(STANDARD_WIDTHS) and NARROW_BELOW <= narrow <= max(STANDARD_WIDTHS):
        widest = narrow
    if widest < NARROW_BELOW or widest > max(STANDARD_WIDTHS):
        return widest
    return next(w for w in STANDARD_WIDTHS if w >= widest)


# Kinds of line that earlier versions did not know, and so glued to the line above on a rewrite
# ("origin: rule (document number) document-number prefix in pinyin: …"): cut apart again.
_GLUED = re.compile(r" (?=(?:document-number prefix in pinyin|not a calendar date|issuer unsure): )")


def comment_lines(comment: str) -> list[str]:
    """Our ``#.`` lines, re-joined if a translator's tool wrapped them on save."""
    lines: list[str] = []
    for line in comment.splitlines():
        if lines and not line.startswith(COMMENT_PREFIXES):
            joiner = "" if lines[-1].endswith("-") else " "  # textwrap also breaks after hyphens
            lines[-1] = f"{lines[-1]}{joiner}{line.strip()}"
        else:
            lines.append(line)
    return [part for line in lines for part in _GLUED.split(line)]


def printed_number(comment: str) -> int | None:
    """The number of the ``numbered: N`` line of an entry's ``#.`` comment (:data:`NUMBERED`), or None."""
    for line in comment_lines(comment):
        if line.startswith(NUMBERED):
            value = line[len(NUMBERED):].strip()
            return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None
    return None


def signature(entry) -> tuple:
    """Everything an entry says, whatever its layout: equal signatures, same entry."""
    return (entry.obsolete, entry.msgctxt, entry.msgid, entry.msgid_plural or None, entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())), tuple(entry.flags), entry.previous_msgctxt or None,
            entry.previous_msgid or None, entry.previous_msgid_plural or None, entry.tcomment,
            () if entry.obsolete else tuple(entry.occurrences), tuple(comment_lines(entry.comment)))


def key(entry) -> tuple:
    return entry.obsolete, entry.msgctxt, entry.msgid


_ESCAPE_RE = re.compile(r'[\\"\n\t\r]')


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\\" + _ESCAPES[m.group()], text)


def field_lines(prefix: str, name: str, value: str, width: int) -> list[str]:
    """``name "value"`` as gettext's ``wrap()`` writes it: a string with inner newlines is
    cut after each ``\\n`` (even unwrapped), a long one is broken at ``width`` columns."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    if not width:  # unwrapped: only the cuts after each \n
        quoted = [f'"{_escape(portion)}"' for portion in portions]
        if len(quoted) == 1:
            return [f"{prefix}{name} {quoted[0]}"]
        return [f'{prefix}{name} ""', *(prefix + line for line in quoted)]
    after_break = len(prefix) + 1
    limit = (width or 1 << 30) - 1 - after_break
    lines: list[str] = []
    first = True
    for number, portion in enumerate(portions):
        chars: list[str] = []
        prohibited: list[bool] = []
        for char in portion:
            if char in _ESCAPES:
                chars += ["\\", _ESCAPES[char]]
                prohibited += [False, True]
            else:
                chars.append(char)
                prohibited.append(False)
        if portion.endswith("\n"):
            prohibited[-2] = True  # never break just before the final \n
        more = number < len(portions) - 1
        while True:
            start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = fill(chars, prohibited, limit, start)
            if first and chars and (more or start > limit or any(breaks)):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        pieces: list[list[str]] = [[]]
        for char, cut in zip(chars, breaks, strict=True):
            if cut:
                pieces.append([])
            pieces[-1].append(char)
        head = f"{prefix}{name} " if first else prefix
        first = False
        lines.append(f'{head}"{"".join(pieces[0])}"')
        lines += [f'{prefix}"{"".join(piece)}"' for piece in pieces[1:]]
    return lines


def _references(occurrences, width: int) -> list[str]:
    lines: list[str] = []
    column = 0
    for path, line in occurrences:
        item = f" {path}:{line}" if line else f" {path}"
        if not lines or (column > 2 and column + len(item) > (width or PAGE_WIDTH)):
            lines.append("#:")
            column = 2
        lines[-1] += item
        column += len(item)
    return lines


def entry_lines(entry, width: int) -> list[str]:
    """An entry in gettext's layout (obsolete ones keep their ``#.`` provenance too)."""
    lines = [f"# {t}" if t else "#" for t in entry.tcomment.split("\n")] if entry.tcomment else []
    lines += [f"#. {c}" if c else "#." for c in entry.comment.split("\n")] if entry.comment else []
    if not entry.obsolete:
        lines += _references(entry.occurrences, width)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    if entry.previous_msgid is not None:  # #| msgctxt alone is a syntax error: only with #| msgid
        for name in ("msgctxt", "msgid", "msgid_plural"):
            value = getattr(entry, f"previous_{name}")
            if value is not None:  # an empty #| msgctxt "" is kept, as msgcat keeps it
                lines += field_lines("#~| " if entry.obsolete else "#| ", name, value, width)
    if entry.msgctxt is not None:
        lines += field_lines(prefix, "msgctxt", entry.msgctxt, width)
    lines += field_lines(prefix, "msgid", entry.msgid, width)
    if entry.msgid_plural:
        lines += field_lines(prefix, "msgid_plural", entry.msgid_plural, width)
        for index in sorted(entry.msgstr_plural):
            lines += field_lines(prefix, f"msgstr[{index}]", entry.msgstr_plural[index], width)
    else:
        lines += field_lines(prefix, "msgstr", entry.msgstr, width)
    return lines


def header_text(catalog, layout: Layout) -> str:
    """The header entry: its comments as they were, its fields in their order."""
    items = tuple(catalog.metadata.items())
    if layout.header is not None and layout.header[0] == items:
        return layout.header[1]
    lines = list(layout.header_comments)
    if not layout.header_comments and catalog.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    notes = _notes_by_field(layout, {name for name, _ in items})
    body = "".join(f"{note}\n" for note in notes.get(None, ()))
    for name, value in items:
        body += f"{name}: {value}\n" + "".join(f"{note}\n" for note in notes.get(name, ()))
    lines += field_lines("", "msgid", "", layout.width) + field_lines("", "msgstr", body, layout.width)
    return layout.newline.join(lines)


def _notes_by_field(layout: Layout, present: set[str]) -> dict[str | None, list[str]]:
    """The header's non-field lines by the field to write them after: the one they followed, or
    the closest field before it that is still there (a field may be gone from the new header)."""
    if not layout.header_notes:
        return {}
    notes: dict[str | None, list[str]] = {}
    anchor = None
    for name in (None, *(name for name, _ in layout.header[0])) if layout.header else (None,):
        if name in present:
            anchor = name
        notes.setdefault(anchor, []).extend(layout.header_notes.get(name, ()))
    return notes


def unchanged(catalog, layout: Layout, ignore: str) -> bool:
    """Whether ``catalog`` says what the file ``layout`` was read from said (header field ``ignore`` aside)."""
    if layout.header is None:
        return False
    header = tuple(item for item in catalog.metadata.items() if item[0] != ignore)
    old_header = tuple(item for item in layout.header[0] if item[0] != ignore)
    return header == old_header and [signature(e) for e in catalog] == layout.order


def render(catalog) -> str:
    """The whole file: unchanged entries as they were read, changed ones in gettext's layout."""
    return "".join(render_pieces(catalog))


def render_pieces(catalog) -> Iterator[str]:
    """:func:`render`, one entry at a time: what a large file is written from (catalog.py), so
    that the whole text never sits in memory."""
    layout: Layout = getattr(catalog, "layout", None) or Layout()
    newline = layout.newline
    yield header_text(catalog, layout)
    separator = newline + newline
    for entry in catalog:
        kept = layout.blocks.get(key(entry))
        if kept is not None and kept[0] == signature(entry):
            yield separator + kept[1]
        else:
            yield separator + newline.join(entry_lines(entry, layout.width))
    if layout.trailer:
        yield separator + layout.trailer
    yield newline
