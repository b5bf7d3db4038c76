"""Segments + translations → one aligned PO file per document, merged safely.

The PO file is where translators work, so the merge rules are the product's
promise: **a re-run never loses a translator's work, and changes only what
changed**. The package has one module per job:

* :mod:`.syntax` reads a file the way ``msgfmt`` does (a lost ``msgstr`` keyword,
  a deleted line, ``\\q``, a duplicate or a plural without all its forms is refused);
* :mod:`.catalog` turns it into ``polib`` objects, keeps the header contract and
  writes atomically, only when the content changed;
* :mod:`.align` aligns the old entries with the new segments, as msgmerge and
  ``diff`` do, so that a translation follows its sentence when ids shift;
* :mod:`.merge` builds the new catalogue (nothing dropped: obsolete ``#~``);
* :mod:`.layout` and :mod:`.linebreak` write unchanged entries back verbatim and
  changed ones as gettext would, at the file's own wrap width.
"""

from .align import Plan, Reuse, active_entries, align, has_translation, is_reviewed
from .catalog import (
    HEADER_DOC,
    HEADER_SOURCE,
    ChangedOnDisk,
    NotPoFile,
    OtherDocument,
    catalog_text,
    decode_po,
    is_english,
    load_catalog,
    not_po_text,
    now_stamp,
    parse_text,
    read_existing,
    save_catalog,
    text_sha256,
)
from .layout import COMMENT_PREFIXES, NUMBERED, comment_lines, printed_number
from .merge import (
    PROVENANCE,
    MergeReport,
    StreamedCatalog,
    Translation,
    earlier_note,
    earlier_note_text,
    format_flags,
    human_reviewed,
    machine_identity,
    merge_catalog,
    needs_retranslation,
    plan_reuse,
)
from .syntax import PoSyntaxError, mo_file

# New files are not wrapped (like ``msgcat --no-wrap``): one line per message, clean diffs.
# A file a translator's tool wrapped keeps its own width (see :mod:`.layout`).
WRAP_WIDTH = 0


def syntax_error(text: str) -> str | None:
    """``"syntax error at line N: …"`` if gettext would reject PO ``text``, else None."""
    try:
        parse_text(text)
    except PoSyntaxError as exc:
        return str(exc)
    return None


__all__ = [
    "human_reviewed",
    "COMMENT_PREFIXES", "NUMBERED", "printed_number", "HEADER_DOC", "WRAP_WIDTH", "format_flags", "HEADER_SOURCE", "PROVENANCE", "MergeReport", "ChangedOnDisk", "NotPoFile", "OtherDocument", "Plan", "PoSyntaxError", "Reuse", "StreamedCatalog",
    "Translation", "active_entries", "earlier_note", "earlier_note_text", "align", "catalog_text", "comment_lines", "decode_po", "has_translation",
    "is_english", "is_reviewed", "load_catalog", "machine_identity", "merge_catalog", "mo_file",
    "needs_retranslation", "not_po_text", "now_stamp", "parse_text", "plan_reuse", "read_existing", "save_catalog", "syntax_error", "text_sha256",
]
