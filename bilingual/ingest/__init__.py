"""Stage 1: read a source document (text, PDF, DOCX, HTML) into :class:`CleanText`.

:func:`read_source` looks at the file's content, not its name, and hands it to one
reader:

* ``%PDF-`` → :mod:`.pdf` (pdfplumber; running headers, footers and page numbers
  dropped, lines that run to the right margin joined);
* a ZIP archive holding ``word/document.xml`` → :mod:`.docx` (python-docx;
  paragraphs, list numbering, tables);
* ``<!doctype html`` / ``<html`` (after a BOM, an XML declaration or comments) →
  :mod:`.html` (BeautifulSoup + lxml; the article body only);
* anything else → :mod:`.text` (decoding, with GB18030 detection).

Every reader writes plain lines and ends in :func:`clean_text`, so page-break and
line-wrap repair, whitespace normalisation and the join rules are the same for
every format, and the result is the same :class:`CleanText` the rest of the
pipeline uses. For PDF, DOCX and HTML, ``CleanText.line_numbers`` are lines of the
extracted text (what :func:`extract_text` returns), and ``CleanText.encoding``
names the format (``"pdf"``, ``"docx"``, ``"html:utf-8"`` …).

Tables (DOCX, HTML) are written one row per line as ``| cell | cell | cell |``
(a ``|`` inside a cell becomes ``｜``; the paragraphs of one cell are joined with
a space); a text file may hold rows in the same form. Such a line is never joined
to its neighbours, and the structure stage turns the rows into blocks.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from ..errors import BilingualError
from ..model import CleanText
from . import lines
from .lines import *  # noqa: F403 — the line predicates are part of this package's API
from .text import clean_text, decode_bytes

__all__ = ["read_source", "extract_text", "detect_format", "clean_text", "decode_bytes", "FORMATS", *lines.__all__]

FORMATS = ("text", "pdf", "docx", "html")

_HTML_START_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def detect_format(data: bytes) -> str:
    """``"pdf"``, ``"docx"``, ``"html"`` or ``"text"``, from the bytes (magic numbers), not the name.

    A ZIP archive that is not a Word document (XLSX, ODT, a broken archive) is
    ``"text"``: the text reader rejects it with a message naming the archive.
    """
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, EOFError):
            pass
        return "text"
    if _HTML_START_RE.match(head):
        return "html"
    return "text"


def _read_bytes(path: str | Path) -> bytes:
    """The source's bytes, bounded by ``--max-size`` (:func:`bilingual.fileio.read_bytes`)."""
    from ..fileio import read_bytes

    data = read_bytes(path)
    if not data:
        raise BilingualError("is empty", path)
    return data


_MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
_PO_ENTRY_RE = re.compile(rb'^[ \t]*(?:msgctxt|msgid)[ \t]+"', re.MULTILINE)
_PO_MSGSTR_RE = re.compile(rb'^[ \t]*msgstr(?:\[\d+\])?[ \t]+"', re.MULTILINE)
_TMX_START_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<tmx[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def refuse_catalogue(data: bytes, path: str | Path) -> None:
    """Refuse a translation file given as a SOURCE: a PO/POT, MO or TMX file (by content, not name).

    ``bilingual translate doc.en.po`` would otherwise read the catalogue as Chinese
    text, find none of its sentences, and make every reviewed entry obsolete.
    """
    head = data[:65536]
    if head[:4] in _MO_MAGIC:
        raise BilingualError("is a compiled MO catalogue, not a source document; give the Chinese source "
                             "(.txt, .pdf, .docx, .html)", path)
    if _TMX_START_RE.match(head):
        raise BilingualError("is a TMX translation memory, not a source document; use it with --tm", path)
    for encoding in ("utf-8", "utf-16"):
        probe = head
        if encoding == "utf-16":
            if head[:2] not in (b"\xff\xfe", b"\xfe\xff"):
                break
            probe = head.decode("utf-16", errors="ignore").encode("utf-8")
        if _PO_ENTRY_RE.search(probe) and _PO_MSGSTR_RE.search(probe):
            raise BilingualError("is a PO/POT translation file, not a source document; give the Chinese "
                                 "source (.txt, .pdf, .docx, .html) as SOURCE and the PO file as -o", path)


def refuse_own_build(data: bytes, path: str | Path) -> None:
    """Refuse one of bilingual's own builds given as a SOURCE (bilingual/inputs.py: an HTML page
    with its generator mark, ``<doc>.en.md``, ``<doc>.zh-en.html``…): the review page holds the
    Chinese too, and translating it would make a second, wrong document of the first."""
    from ..inputs import own_output

    if own_output(path, data[:4096]):
        raise BilingualError("is a file bilingual built (a publication or review page), not a source document; "
                             "give the Chinese source it was built from", path)


def _extract(data: bytes, path: str, encoding: str | None) -> tuple[str, str, tuple[int, ...]]:
    refuse_catalogue(data, path)
    fmt = detect_format(data)
    if fmt == "pdf":
        from .pdf import extract_pdf

        text, joins = extract_pdf(data, path)
        return text, "pdf", joins
    if fmt == "docx":
        from .docx import extract_docx

        return extract_docx(data, path), "docx", ()
    if fmt == "html":
        from .html import extract_html

        text, charset = extract_html(data, path, encoding)
        return text, f"html:{charset}", ()
    text, name = decode_bytes(data, path, encoding)
    return text, name, ()


def extract_text(path: str | Path, encoding: str | None = None) -> tuple[str, str, tuple[int, ...]]:
    """The text a reader extracts from ``path``, before cleaning: ``(text, encoding, joins)``.

    ``encoding`` is what :attr:`CleanText.encoding` will say (the charset of a text
    file, or the format). ``joins`` are the line numbers the PDF layout says continue
    the line before (see :func:`clean_text`); empty for the other formats. This is the
    text that ``CleanText.line_numbers`` point into.
    """
    return _extract(_read_bytes(path), str(path), encoding)


def read_source(path: str | Path, encoding: str | None = None, *, data: bytes | None = None) -> CleanText:
    """Read, extract and clean the source document at ``path``, whatever its format.

    ``encoding`` overrides charset detection for text and HTML files; PDF and DOCX
    carry their own. ``data``: the file's bytes, when the caller has read them already
    (through :func:`bilingual.fileio.read_bytes`; the run state hashes what is parsed).
    """
    if data is None:
        data = _read_bytes(path)
    elif not data:
        raise BilingualError("is empty", path)
    refuse_own_build(data, path)
    text, name, joins = _extract(data, str(path), encoding)
    return clean_text(text, path, encoding=name, joins=joins)
