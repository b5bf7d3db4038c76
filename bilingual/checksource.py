"""``check --config``: does the PO file hold the whole source document?

``check`` judges the entries a PO file has. A file that lost entries — truncated,
emptied to its header, made from another version of the source — passed the gate,
and ``build --reviewed-only`` then published part of the document. With a config the
source of each document is known, so the gate segments it as ``translate`` does and
compares (check id ``source``):

* a sentence of the source without an active entry of the same id and Chinese:
  **error** (the English would lack it; run ``bilingual translate``);
* an active entry the source no longer has: **warning** (the next ``translate``
  makes it obsolete);
* a source that cannot be read: **warning** (error with ``--strict``).
"""

from __future__ import annotations

from pathlib import Path

from .check import ERROR, WARNING, Finding, load_po
from .errors import BilingualError
from .po import active_entries

SHOWN = 3  # ids named in one finding


def source_findings(doc, *, strict: bool = False, path: str | Path | None = None) -> list[Finding]:
    """Findings comparing ``doc.po`` with the segments of ``doc.source`` (a config's document).
    A source that cannot be read is a warning (an error with ``strict``): nothing says the file is whole."""
    from .preparation import Job, prepare

    path = str(path if path is not None else doc.po)
    try:
        po = load_po(doc.po)
    except BilingualError:
        return []  # the syntax check reports the file itself
    try:
        segments = prepare(Job(doc.name, Path(doc.source), Path(doc.po), doc.encoding)).segments
    except BilingualError as exc:
        where = f"{exc.path}: " if exc.path else ""
        return [Finding(ERROR if strict else WARNING, "", "source",
                        f"cannot read the source to compare: {where}{exc.message}", path)]
    entries = {(e.msgctxt or "", e.msgid) for e in active_entries(po)}
    wanted = {(s.ctx, s.source) for s in segments}
    missing = [s.ctx for s in segments if (s.ctx, s.source) not in entries]
    extra = [e.msgctxt or e.msgid for e in active_entries(po) if (e.msgctxt or "", e.msgid) not in wanted]
    findings = []
    if missing:
        findings.append(Finding(ERROR, missing[0], "source",
                                f"{len(missing)} of the {len(segments)} sentences of {doc.source} have no entry "
                                f"(or another Chinese) in this file: {_names(missing)}; run bilingual translate",
                                path))
    if extra:
        findings.append(Finding(WARNING, extra[0], "source",
                                f"{len(extra)} entries are not in {doc.source} (any more): {_names(extra)}; "
                                "the next translate makes them obsolete", path))
    return findings


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:SHOWN]) + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")
