"""Bytes → text: UTF-8 (± BOM), UTF-16/32 (BOM), GB18030, detected without being told.

Nothing is replaced silently: undecodable bytes are an error naming their byte offset, and
binary files (PDF, images, archives, old Office files) are refused with one line naming what
they look like.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import BilingualError

__all__ = ["decode_bytes"]

# --------------------------------------------------------------------------- decoding

_MAGIC = (
    (b"%PDF-", "looks like a PDF file, not text; extract its text first"),
    (b"\x89PNG\r\n\x1a\n", "looks like a PNG image, not text"),
    (b"\xff\xd8\xff", "looks like a JPEG image, not text"),
    (b"GIF87a", "looks like a GIF image, not text"),
    (b"GIF89a", "looks like a GIF image, not text"),
    (b"PK\x03\x04", "looks like a ZIP archive (DOCX/XLSX/ODT?), not plain text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "looks like an old Office (DOC/XLS) file, not plain text"),
    (b"{\\rtf", "looks like an RTF document, not plain text"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _sniff_binary(data: bytes, path: str) -> None:
    head = data[:1024]
    stripped = head.lstrip()
    for magic, message in _MAGIC:
        if head.startswith(magic) or (magic == b"%PDF-" and stripped.startswith(magic)):
            raise BilingualError(message, path)


def _decode_error(data: bytes, exc: UnicodeDecodeError, what: str, path: str) -> BilingualError:
    return BilingualError(
        f"cannot decode as {what}: invalid byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
        path,
    )


def decode_bytes(data: bytes, path: str | Path = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` strictly; return ``(text, encoding name)``.

    Without ``encoding``: a BOM decides (UTF-8/16/32); otherwise UTF-8 is tried, then
    GB18030. When both fail, the error names the byte where the encoding that got
    further failed (a corrupt byte in a UTF-8 file is reported at its UTF-8 offset).
    """
    path = str(path)
    _sniff_binary(data, path)
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise BilingualError(f"unknown encoding {encoding!r}", path) from None
        if not getattr(info, "_is_text_encoding", True):  # base64, hex, zlib, rot13: bytes.decode refuses them
            raise BilingualError(f"{encoding!r} is not a text encoding (a bytes or text transform)", path)
        name = info.name
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, encoding, path) from None
        except UnicodeError as exc:  # idna, punycode: an error without a byte offset
            raise BilingualError(f"cannot decode as {encoding}: {exc}", path) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise _decode_error(data, exc, name.upper(), path) from None
    if b"\x00" in data:
        raise BilingualError(
            "contains NUL bytes; looks like a binary file, not text "
            "(UTF-16 without a byte-order mark? pass the encoding explicitly)",
            path,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc_utf8:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as exc_gb:
            exc = exc_gb if exc_gb.start > exc_utf8.start else exc_utf8
            raise _decode_error(data, exc, "UTF-8 or GB18030", path) from None
