"""Reading and writing PO files: strict reading, the header contract, writes that change only what changed.

A file is read by :mod:`.syntax` (gettext's grammar) into ``polib`` objects, the
data model the rest of the project uses, with its :class:`~.layout.Layout`
attached as ``catalog.layout``. Writing goes through :func:`save_catalog`: the
header fields a translator's tool owns (``Last-Translator``, ``Language-Team``,
``PO-Revision-Date``, ``X-Generator``…) are left as that tool wrote them; the
pipeline's own date is ``POT-Creation-Date``, set only when the content changed;
a run that changes nothing does not write at all.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from .. import __version__, fileio
from ..errors import BilingualError
from ..fileio import file_sha256
from ..fileio import read_existing as read_output
from .layout import Layout, detect_width, key, render, render_pieces, signature, unchanged
from .syntax import Entry, Parsed, PoSyntaxError, mo_file, parse

HEADER_DOC = "X-Bilingual-Document"
HEADER_SOURCE = "X-Bilingual-Source"
PIPELINE_DATE = "POT-Creation-Date"
_ENGLISH = re.compile(r"(?:en|eng)(?:[-_][A-Za-z0-9]{1,8})*(?:\.[\w-]+)?(?:@\w+)?", re.IGNORECASE)


def now_stamp() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M+0000")


def is_english(language: str) -> bool:
    """``en``, ``en_US``, ``en-GB``, ``en-Latn-GB``, ``en_GB.UTF-8``, ``en@quot``: all English."""
    return _ENGLISH.fullmatch(language.strip()) is not None


def _entry(raw: Entry):
    import polib

    extracted, translator, occurrences, flags = [], [], [], []
    for line in raw.comments:
        if line.startswith("#."):
            extracted.append(line[3:] if line[2:3] == " " else line[2:])
        elif line.startswith("#:"):
            for item in line[2:].split():
                path, _, number = item.rpartition(":")
                occurrences.append((path, number) if path and number.isdigit() else (item, ""))
        elif line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",") if flag.strip()]
        else:
            translator.append(line[2:] if line[1:2] == " " else line[1:])
    return polib.POEntry(
        msgid=raw.msgid, msgstr=raw.msgstr, msgid_plural=raw.msgid_plural or "",
        msgstr_plural=dict(raw.msgstr_plural), msgctxt=raw.msgctxt, obsolete=raw.obsolete,
        comment="\n".join(extracted), tcomment="\n".join(translator), occurrences=occurrences, flags=flags,
        previous_msgctxt=raw.previous.get("msgctxt"), previous_msgid=raw.previous.get("msgid"),
        previous_msgid_plural=raw.previous.get("msgid_plural"), linenum=raw.first_line,
    )


def _metadata(text: str) -> tuple[dict[str, str], dict[str | None, list[str]]]:
    """The header's ``Name: value`` fields, and its other lines by the field they follow."""
    metadata: dict[str, str] = {}
    notes: dict[str | None, list[str]] = {}
    last = None
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            last = name.strip()
            metadata[last] = value.strip()
        elif line.strip():
            notes.setdefault(last, []).append(line)
    return metadata, notes


def _raw(raw: str, newline: str) -> str:
    """An entry's text as read, with the file's line ending (a stray CR normalised)."""
    return newline.join(line.removesuffix("\r") for line in raw.split("\n"))


def catalog_from(parsed: Parsed):
    """``polib.POFile`` of a parsed file, with its layout as ``.layout``."""
    import polib

    catalog = polib.POFile(wrapwidth=0)
    newline = parsed.newline
    layout = Layout(newline=newline)
    widest = narrow = wrapped = 0
    unwrapped: list[int] = []  # each entry's widest line holding a whole string
    for raw in parsed:
        widest = max(widest, raw.wrapped_width)
        narrow = max(narrow, raw.narrow_wrapped_width)
        wrapped += raw.wrapped_width > 0
        unwrapped.append(raw.unwrapped_width)
        if raw.is_header:
            catalog.metadata, layout.header_notes = _metadata(raw.msgstr)
            header = _entry(raw)
            catalog.header = header.tcomment
            catalog.metadata_is_fuzzy = "fuzzy" in header.flags
            text = _raw(raw.raw, newline)
            layout.header_comments = text.split(newline)[:raw.keyword_line - raw.first_line]
            layout.header = (tuple(catalog.metadata.items()), text)
            continue
        entry = _entry(raw)
        catalog.append(entry)
        entry_signature = signature(entry)
        layout.order.append(entry_signature)
        layout.blocks[key(entry)] = (entry_signature, _raw(raw.raw, newline))
    layout.width = detect_width(widest, narrow)
    if sum(width > layout.width for width in unwrapped) > wrapped:
        # more entries left a string wider than that on one line than were wrapped: the file is
        # not wrapped, a translator split a few strings by hand (no tool would leave those lines)
        layout.width = 0
    layout.trailer = _raw(parsed.trailer, newline)
    catalog.layout = layout
    return catalog


def parse_text(text: str):
    """The catalogue in PO ``text``; :class:`.syntax.PoSyntaxError` (a ValueError) if gettext would reject it."""
    return catalog_from(parse(text))


class NotPoFile(BilingualError):
    """The file is not PO text at all (a source document, CR-only line ends): a wrong argument
    (exit 2), not a PO file with a syntax error (a ``check`` finding)."""


_LONE_CR = re.compile(r"\r(?!\n)")
_MSGID_LINE = re.compile(r"^[ \t]*(?:#~[ \t]*)?msgid\b", re.MULTILINE)


def not_po_text(text: str) -> str | None:
    """Why ``text`` is not PO text at all, or None. CR-only line ends (``tr '\\n' '\\r'``, classic
    Mac OS) make gettext read the file as one line: msgfmt rejects it, and a merge would see
    no entry of it, so it is named as such instead of as "no header entry"."""
    lone = len(_LONE_CR.findall(text))
    if lone and lone >= text.count("\n"):
        return ("has CR-only line ends (classic Mac OS), which gettext reads as one line; "
                "convert them to LF first (e.g. tr '\\r' '\\n')")
    if text.strip() and not _MSGID_LINE.search(text):
        return "not a PO file (no msgid line)"
    return None


def decode_po(data: bytes, path: str | Path) -> str:
    """PO bytes as text, or a :class:`BilingualError` that says what the file is instead."""
    if mo_file(data):
        raise BilingualError("is a compiled MO file, not a PO file (give the .po file it was made from)", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = BilingualError(_utf16(data) or f"not valid UTF-8 (byte {exc.start}); PO files must be UTF-8",
                               path)
        error.line = data[:exc.start].count(b"\n") + 1
        raise error from None


def _utf16(data: bytes) -> str | None:
    """Say so when the bytes are a UTF-16 PO file (Notepad's "Unicode", some Windows editors' default),
    with what to do, rather than as a bad byte at offset 0; None for any other bytes that are not UTF-8.
    ``utf-16`` reads a byte-order mark (without one, little-endian); big-endian without one is tried next."""
    for encoding in ("utf-16", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "msgid" in text:
            return 'is UTF-16 (what Windows editors call "Unicode"), not the UTF-8 gettext tools read; save it as UTF-8'
    return None


def read_existing(path: str | Path, document: str | None = None) -> tuple[object, str | None]:
    """(catalogue, text) of the PO file a run merges into: (None, None) when there is none,
    (None, "") when it is empty. Refuses, with the file named and nothing written, a file
    gettext would reject, an MO file, a file for another target language, or one that
    belongs to another document: merging into those would corrupt a translator's work."""
    path = Path(path)
    data = read_output(path)  # bounded; None for a new file or a device/FIFO written through
    if data is None:
        return None, None
    if mo_file(data):
        raise BilingualError("is a compiled MO file, not a PO file; it was left unchanged", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf16 = _utf16(data)
        raise BilingualError(f"{utf16}; it was left unchanged" if utf16 else
                             f"not a valid PO file (not UTF-8 at byte {exc.start}); it was left unchanged", path) from None
    if not text.strip():
        return None, text
    problem = not_po_text(text)
    if problem is not None:
        raise NotPoFile(f"{problem}; it was left unchanged", path)
    try:
        catalog = parse_text(text)
    except PoSyntaxError as exc:
        raise BilingualError(f"not a valid PO file ({exc}); it was left unchanged", path) from None
    language = catalog.metadata.get("Language", "").strip()
    if language and not is_english(language):
        raise BilingualError(f"is a PO file for language {language!r}, not English (en); it was left unchanged", path)
    owner = catalog.metadata.get(HEADER_DOC, "").strip()
    if document and owner and owner != document:
        raise OtherDocument(owner, document, path)
    return catalog, text


def load_catalog(path: str | Path, document: str | None = None):
    """The existing PO file's catalogue, or None (see :func:`read_existing`)."""
    return read_existing(path, document)[0]


def new_metadata(document: str, source_ref: str) -> dict[str, str]:
    stamp = now_stamp()
    return {
        "Project-Id-Version": f"bilingual {document}",
        "Report-Msgid-Bugs-To": "",
        PIPELINE_DATE: stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": "English",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": f"bilingual {__version__}",
        "X-Source-Language": "zh",
        HEADER_DOC: document,
        HEADER_SOURCE: source_ref,
    }


_UTF8_CHARSET = re.compile(r"charset\s*=\s*utf-?8\s*(?:;|$)", re.IGNORECASE)


def merged_metadata(catalog, document: str, source_ref: str) -> dict[str, str]:
    """The header of a merged catalogue: the existing one, field order and translator-side
    fields untouched, with the pipeline's own fields set (new ones appended)."""
    if catalog is None:
        return new_metadata(document, source_ref)
    metadata = dict(catalog.metadata)
    metadata.setdefault("Language", "en")
    if not _UTF8_CHARSET.search(metadata.get("Content-Type", "")):
        # The file is read and written as UTF-8 whatever it says (Chinese needs it); a header saying
        # ISO-8859-1 (a slip, or a template's) would make msgfmt compile mojibake.
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata.setdefault("X-Source-Language", "zh")
    metadata[HEADER_DOC] = document
    metadata[HEADER_SOURCE] = source_ref
    return metadata


class OtherDocument(BilingualError):
    """The PO file's header names another document (``X-Bilingual-Document``). The advice is for
    ``-o``; a ``--config`` run says what to change in the config instead (cli/translate.py)."""

    def __init__(self, owner: str, document: str, path: str | Path):
        self.owner, self.document = owner, document
        super().__init__(f"belongs to document {owner!r}, not {document!r}; choose another -o path", path)


class ChangedOnDisk(BilingualError):
    """The PO file is no longer what the run read for its merge (an editor saved it meanwhile):
    nothing is written. A library run goes on with its other documents (bilingual/library.py)."""


def save_catalog(catalog, path: str | Path, previous_text: str | None = None) -> bool:
    """Write atomically; returns False (and leaves the file alone) if nothing changed.

    "Nothing changed" is judged on content, not layout. ``previous_text`` is the file
    as it was read for the merge (``None``: there was none). If the file on disk is no
    longer that — a translator saved it in Poedit while the run was translating; editors
    take no lock — nothing is written and a :class:`ChangedOnDisk` says so.

    The text is rendered entry by entry into the temporary file (:func:`.layout.render_pieces`,
    :func:`bilingual.fileio.atomic_write_chunks`), never whole in memory: a 50 MB source makes
    a 230 MB PO file. ``catalog.saved_sha256`` is then the SHA-256 of what is on disk, written
    or left as it was (the run state records it).
    """
    path = Path(path)
    previous_sha256 = None if previous_text is None else text_sha256(previous_text)
    if _on_disk_sha256(path) != previous_sha256:
        raise ChangedOnDisk("changed while this run worked on it (saved in an editor?); not written — run again",
                            path)
    if previous_text:
        layout = getattr(catalog, "layout", None)
        if _renders_as(catalog, previous_text) or (layout is not None and unchanged(catalog, layout, PIPELINE_DATE)):
            catalog.saved_sha256 = previous_sha256  # the file stays as read
            return False
        catalog.metadata[PIPELINE_DATE] = now_stamp()
    digest = hashlib.sha256()
    fileio.atomic_write_chunks(path, _encoded(render_pieces(catalog), digest))
    catalog.saved_sha256 = digest.hexdigest()
    return True


_CHUNK_CHARS = 1 << 16  # characters encoded and written at a time


def _encoded(pieces: Iterator[str], digest) -> Iterator[bytes]:
    """UTF-8 of ``pieces`` in chunks of about :data:`_CHUNK_CHARS`, hashed on the way."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _CHUNK_CHARS:
            data = "".join(batch).encode("utf-8")
            digest.update(data)
            yield data
            batch, size = [], 0
    data = "".join(batch).encode("utf-8")
    digest.update(data)
    yield data


def _renders_as(catalog, text: str) -> bool:
    """``render(catalog) == text``, compared piece by piece (no second copy of a large file)."""
    position = 0
    for piece in render_pieces(catalog):
        if not text.startswith(piece, position):
            return False
        position += len(piece)
    return position == len(text)


def text_sha256(text: str) -> str:
    """SHA-256 of ``text`` in UTF-8, encoded a slice at a time."""
    digest = hashlib.sha256()
    for start in range(0, len(text), _CHUNK_CHARS):
        digest.update(text[start:start + _CHUNK_CHARS].encode("utf-8"))
    return digest.hexdigest()


def _on_disk_sha256(path: Path) -> str | None:
    """SHA-256 of the file as it is now (None: none, or a device written through); a file that
    cannot be read compares unequal to anything."""
    try:
        return file_sha256(path)
    except BilingualError:
        return "unreadable"


def catalog_text(catalog) -> str:
    """The PO text of a catalogue (its own layout if it was read from a file)."""
    return render(catalog)
