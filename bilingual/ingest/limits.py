"""Decompression limits for the formats that expand: PDF streams and DOCX (ZIP) parts.

A source is read with a size limit (``--max-size``, :mod:`bilingual.fileio`), but a
small file can expand: a 1 MB Flate stream becomes 1 GB, a DOCX is a ZIP archive.
Both are checked here, before or while they expand, against budgets that scale
with the input limit (``EXPANSION`` times it), so a decompression bomb ends in one
line (exit 2) instead of minutes of CPU and gigabytes of memory.

* **DOCX**: :func:`check_zip` reads the archive's declared sizes (the central
  directory; nothing is decompressed) and refuses an archive that would expand
  past the budget or by more than ``MAX_ZIP_RATIO``. Python's ``zipfile`` never
  returns more than a member's declared size (a lying header fails its CRC), so
  the declared sizes bound what python-docx can read.
* **PDF**: pdfminer (under pdfplumber) decompresses a stream in one call with no
  limit. :func:`bounded_pdf` replaces, for the duration of one extraction, the
  decoders pdfminer calls (Flate, LZW, RunLength) with versions that stop at the
  budget, and counts the characters a page draws (:func:`glyphs_per_page`: 100,000
  by default; a dense CJK page holds about 1,500). Fonts and images are streams too, so one stream may
  use the whole input limit; all streams together ``EXPANSION`` times it.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from io import BytesIO

from ..errors import BilingualError
from ..fileio import human_size, max_size

#: Decompressed data may reach this many times the input size limit (all streams or parts together).
EXPANSION = 4
#: A ZIP archive (DOCX) that expands by more than this overall is refused (text XML compresses ~10:1).
MAX_ZIP_RATIO = 100
#: Characters one PDF page may draw: 100,000 at the default --max-size (a dense A4 page of CJK
#: text draws about 1,500), scaled with --max-size, never under 20,000.
GLYPHS_PER_MAX_SIZE_BYTE = 1 / 512
MIN_GLYPHS_PER_PAGE = 20_000
#: Pages a PDF may have.
MAX_PAGES = 5_000


class ExpansionError(BilingualError):
    """A compressed part of a source expands past its budget."""


# --------------------------------------------------------------------------- ZIP (DOCX)


def bounded_int(value, default: int, low: int, high: int | None = None) -> int:
    """A number a document declares (a DOCX list level or span, an HTML ``colspan`` or list start)
    as an int clamped to ``[low, high]``, or ``default`` when it is no number: a hostile value
    is clamped, never a traceback or a billion-cell row."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    number = max(number, low)
    return number if high is None else min(number, high)


def check_zip(data: bytes, path: str, what: str = "DOCX file") -> None:
    """Refuse a ZIP archive whose declared content is too large or compresses too well."""
    budget = EXPANSION * max_size()
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # the reader reports a broken archive in its own words
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > budget:
        raise ExpansionError(f"is a {what} that expands to {human_size(total)}, over the limit of "
                             f"{human_size(budget)} (4× --max-size); refused before opening it", path)
    if total > (1 << 20) and total > MAX_ZIP_RATIO * max(packed, 1):
        raise ExpansionError(f"is a {what} that expands {total // max(packed, 1)}:1 "
                             f"({human_size(packed)} → {human_size(total)}); refused as a ZIP bomb", path)


# --------------------------------------------------------------------------- PDF


class _Budget:
    """What the streams of one PDF may expand to: ``per_stream`` each, ``total`` together."""

    def __init__(self, path: str):
        self.path = path
        self.per_stream = max_size()
        self.total = EXPANSION * max_size()
        self.used = 0

    def room(self, stream_so_far: int = 0) -> int:
        """Bytes a stream that has produced ``stream_so_far`` may still produce, plus one (to see the excess)."""
        return max(0, min(self.per_stream - stream_so_far, self.total - self.used)) + 1

    def check(self, stream_size: int) -> None:
        if stream_size > self.per_stream:
            raise ExpansionError(f"has a PDF stream that expands beyond {human_size(self.per_stream)} "
                                 "(--max-size); refused as a decompression bomb", self.path)
        if self.used + stream_size > self.total:
            raise ExpansionError(f"has PDF streams that expand beyond {human_size(self.total)} in all "
                                 "(4× --max-size); refused as a decompression bomb", self.path)

    def commit(self, stream_size: int) -> None:
        self.check(stream_size)
        self.used += stream_size


class _BoundedDecompressor:
    """A ``zlib.decompressobj`` whose total output is checked against the budget as it grows."""

    def __init__(self, inner, budget: _Budget):
        self._inner = inner
        self._budget = budget
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = self._budget.room(self._out)
        out = self._inner.decompress(data, min(max_length, room) if max_length else room)
        self._out += len(out)
        self._budget.commit(len(out))
        if self._out > self._budget.per_stream:
            self._budget.check(self._out)  # raises: this one stream is over its limit
        return out

    def __getattr__(self, name):
        return getattr(self._inner, name)


class _BoundedZlib:
    """The part of the ``zlib`` module pdfminer uses, with an output budget."""

    error = zlib.error

    def __init__(self, budget: _Budget):
        self._budget = budget

    def decompressobj(self, *args, **kwargs) -> _BoundedDecompressor:
        return _BoundedDecompressor(zlib.decompressobj(*args, **kwargs), self._budget)

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        inner = zlib.decompressobj(*args, **kwargs)
        out = inner.decompress(data, self._budget.room())
        self._budget.commit(len(out))
        if not inner.eof:  # what zlib.decompress says of a cut stream (pdfminer then tries to salvage it)
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def _bounded_lzw(budget: _Budget):
    from pdfminer.lzw import LZWDecoder

    def lzwdecode(data: bytes) -> bytes:
        out: list[bytes] = []
        size = 0
        for piece in LZWDecoder(BytesIO(data)).run():
            size += len(piece)
            budget.check(size)
            out.append(piece)
        budget.commit(size)
        return b"".join(out)

    return lzwdecode


def _bounded_runlength(budget: _Budget):
    def rldecode(data: bytes) -> bytes:
        out = bytearray()
        i = 0
        while i < len(data) and data[i] != 128:
            length = data[i]
            if length < 128:
                out += data[i + 1:i + 2 + length]
                i += 2 + length
            else:
                out += data[i + 1:i + 2] * (257 - length)
                i += 2
            if len(out) > budget.per_stream:
                budget.check(len(out))
        budget.commit(len(out))
        return bytes(out)

    return rldecode


def glyphs_per_page() -> int:
    """How many characters one PDF page may draw (scaled with ``--max-size``)."""
    return max(MIN_GLYPHS_PER_PAGE, int(max_size() * GLYPHS_PER_MAX_SIZE_BYTE))


def _counting_render_char(original, path: str):
    limit = glyphs_per_page()

    def render_char(self, *args, **kwargs):
        count = getattr(self, "_bilingual_glyphs", 0) + 1
        self._bilingual_glyphs = count
        if count > limit:
            raise ExpansionError(f"has a page that draws more than {limit} characters; "
                                 "refused (not a document page)", path)
        return original(self, *args, **kwargs)

    return render_char


@contextlib.contextmanager
def bounded_pdf(path: str) -> Iterator[None]:
    """Within this block, pdfminer's stream decoders and glyph rendering are bounded (see the module doc)."""
    import pdfminer.converter
    import pdfminer.pdftypes

    budget = _Budget(path)
    analyzer = pdfminer.converter.PDFLayoutAnalyzer
    saved = (pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode, pdfminer.pdftypes.rldecode,
             analyzer.render_char)
    pdfminer.pdftypes.zlib = _BoundedZlib(budget)
    pdfminer.pdftypes.lzwdecode = _bounded_lzw(budget)
    pdfminer.pdftypes.rldecode = _bounded_runlength(budget)
    analyzer.render_char = _counting_render_char(saved[3], path)
    try:
        yield
    finally:
        (pdfminer.pdftypes.zlib, pdfminer.pdftypes.lzwdecode, pdfminer.pdftypes.rldecode,
         analyzer.render_char) = saved


def find_expansion_error(exc: BaseException) -> ExpansionError | None:
    """The :class:`ExpansionError` behind ``exc`` (pdfplumber wraps what pdfminer raises)."""
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ExpansionError):
            return current
        stack.extend([current.__cause__, current.__context__,
                      *(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))])
    return None
