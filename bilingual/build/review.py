"""The side-by-side review page (``bilingual-html``): Chinese left, English right, one row per entry.

A review tool, not a printout:

* a ``<tbody>`` per measure, article, section, table … (a measure's items, unlabelled
  paragraphs and roles are in its group), headed by its lead agencies;
* every row has an anchor (``id`` = msgctxt, ``…/doc.zh-en.html#measure-15.s2``) so a
  reviewer can link to a sentence, and its status: reviewed, MT not reviewed (fuzzy),
  untranslated — and, when not reviewed, *flagged* when an ``mt-check:`` or ``suspect name:``
  comment describes its msgstr (the reasons are shown in the row);
* under the English: where it came from (the ``origin:`` comment: glossary, rule,
  memory, MT, moved), the translator's comments (``# ``) and missing approved terms;
  under the Chinese, for a changed sentence, the previous source (``#| msgid``) as a
  character diff;
* glossary terms highlighted in both columns;
* a status filter and a text search (``review.js``: plain JavaScript, no network,
  works from a ``file://`` page; the page's Content-Security-Policy allows that one
  script by its hash and nothing else to load); print CSS that hides the controls
  and narrows the id column.

Python computes the rows; the markup is ``review.html``, its CSS ``review.css``.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
from pathlib import Path

from markupsafe import Markup

from ..checktext import english_pattern, missing_terms
from ..po import active_entries, comment_lines, earlier_note_text
from ..structure import key_label
from .layout import role_text
from .status import document_id, ensure_reviewed, review_counts
from .templating import render
from .tree import (
    CTX_UNIT,
    MT,
    REVIEWED,
    UNTRANSLATED,
    Node,
    Piece,
    _unit_kind,
    document_tree,
    pieces,
    printed_numbers,
    roman,
)

STATUS_LABEL = {REVIEWED: "reviewed", MT: "MT, not reviewed", UNTRANSLATED: "untranslated"}
ROW_CLASS = {REVIEWED: "reviewed", MT: "fuzzy", UNTRANSLATED: "untranslated"}
# ``#.`` comments that flag a msgstr for a reviewer (written by the MT checks; see the README)
FLAG_PREFIXES = ("mt-check:", "suspect name:")
ORIGINS = (("glossary", "glossary"), ("rule", "rule"), ("translation memory", "memory"),
           ("machine translation", "MT"), ("moved from", "moved"), ("reviewed", "reviewed"))


def origin_of(comment: str) -> tuple[str, str] | None:
    """(kind, detail) of an entry's ``origin:`` comment: kind is glossary, rule, memory, MT, moved or reviewed."""
    for line in comment_lines(comment):
        if line.startswith("origin:"):
            detail = line[len("origin:"):].strip()
            kind = next((k for prefix, k in ORIGINS if detail.startswith(prefix)), "other")
            return kind, detail
    return None


def flag_reasons(comment: str) -> list[str]:
    """The ``mt-check:`` / ``suspect name:`` lines of an entry's comment."""
    return [line for line in comment_lines(comment) if line.startswith(FLAG_PREFIXES)]


def source_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs from the previous source to the current one; op is "", "del" or "ins".

    Character level: Chinese has no spaces to diff words by.
    """
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("", new[j1:j2]))
            continue
        if op in ("delete", "replace"):
            runs.append(("del", old[i1:i2]))
        if op in ("insert", "replace"):
            runs.append(("ins", new[j1:j2]))
    return runs


def marked(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """``text`` cut into (text, glossary note) runs: the note is "" outside a term mark.

    Spans are [start, end) offsets on the raw text (never a regex over escaped HTML);
    of overlapping spans the first wins.
    """
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], ""))
        out.append((text[start:end], title))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], ""))
    return out


def _group_label(key: str, printed: dict[str, int]) -> str:
    """A group's header; a unit's number as printed (``printed``: where its key names another)."""
    if key == "notice":
        return "Notice"
    if key == "paragraphs":
        return "Text"
    if key == "other":
        return "Other entries"
    if key.startswith("attachment"):
        label = key_label(key) or "Attachment"
        return f"{label}: title and preamble"
    kind, _, number = key.partition("-")
    label = key_label(key, printed.get(key))
    if kind == "section":
        section = key.split(".")[0]
        header = f"Section {roman(printed.get(section, int(section.split('-')[1])))}"
        # section-2.measure-1: numbering restarts
        return f"{header}, measure {label}" if _unit_kind(key) == "measure" else header
    if kind in ("measure", "table"):
        return f"{kind.capitalize()} {label or number}"
    return label or key


def review_groups(po) -> dict[str, str]:
    """msgctxt → the review page's group: the measure, article, section, chapter, table …

    A measure's items, sub-items, roles, table cells and unlabelled paragraphs are in
    the measure's group (an article's in the article's); unlabelled paragraphs outside
    any unit are in their section's or chapter's group, else in "paragraphs".
    """
    groups: dict[str, str] = {}

    def walk(node: Node, group: str) -> None:
        in_unit = _unit_kind(group) in ("measure", "article")  # (section-2.)measure-1, article-3
        if node.kind in ("section", "chapter", "division") or (node.kind in ("measure", "article") and not in_unit):
            group = node.key
        elif node.kind == "table":  # its own group, unless it is part of a measure or article
            own = group if in_unit else node.key
            for piece in node.head.values():
                groups[piece.ctx] = own
            for row in node.rows:
                walk(row, own if row.kind == "row" else group)
            return
        for piece in [*node.pieces, *([node.heading] if node.heading else []), *(p for t in node.text for p in t),
                      *node.roles.values(), *node.cells.values()]:
            groups[piece.ctx] = group
        for child in node.children:
            walk(child, group)

    for box in document_tree(po):
        own = {"notice": "notice", "attachment": box.key}.get(box.kind, "paragraphs")
        for child in box.children:
            walk(child, {"paragraph": "paragraphs", "other": "other"}.get(child.kind, own))
    return groups


def _row(piece: Piece, entry, glossary) -> dict:
    zh_spans: list[tuple[int, int, str]] = []
    en_spans: list[tuple[int, int, str]] = []
    missing: list[tuple[str, str, str]] = []
    if glossary is not None:
        seen = set()
        for match in glossary.match(piece.zh):
            english = glossary.english(match.term)
            zh_spans.append((match.start, match.end, english))
            if english and english not in seen and piece.en:
                seen.add(english)
                zh_text = piece.zh[match.start:match.end]
                for m in english_pattern(english).finditer(piece.en):
                    en_spans.append((m.start(), m.end(), f"glossary: {zh_text} = {english}"))
        if piece.en:
            missing = missing_terms(piece.zh, piece.en, glossary)
    comment = entry.comment if entry is not None else ""
    previous = getattr(entry, "previous_msgid", None) if entry is not None else None
    return {
        "ctx": piece.ctx,
        "state": piece.state,
        "css": ROW_CLASS[piece.state],
        "status": STATUS_LABEL[piece.state],
        "zh": marked(piece.zh, zh_spans),
        "en": marked(piece.en, en_spans) if piece.en else [],
        "missing": [(zh, en) for zh, en, _kind in missing],
        # A reviewed row is flagged by nothing: its mt-check lines described machine output a person
        # has since signed off (they go when the run next rewrites the entry), as check and translate's
        # ``flagged`` count read them.
        "flags": flag_reasons(comment) if piece.state != REVIEWED else [],
        "origin": origin_of(comment) if piece.en else None,
        "notes": [_readable_note(line) for line in (entry.tcomment if entry is not None else "").splitlines()
                  if line.strip()],
        "previous": source_diff(previous, piece.zh) if previous and previous != piece.zh else [],
    }


def _readable_note(line: str) -> str:
    """A translator's note as the page shows it: an ``earlier translation: "…"`` line keeps its
    English quoted and escaped like a PO string (merge.py); the reader sees the English itself."""
    kept = earlier_note_text(line)
    return line if kept is None else f"earlier translation: {kept}"


def review_rows(po, glossary=None) -> list[dict]:
    """The page's groups in document order, each ``{key, header, rows}`` (a group that
    recurs after another is continued in a new ``<tbody>``, ``key`` ``<group>-part-N``)."""
    items = pieces(po)
    entries = {e.msgctxt or "": e for e in active_entries(po)}
    groups = review_groups(po)
    printed = printed_numbers(po)
    agencies = {}
    for piece in items:
        m = CTX_UNIT.match(piece.ctx)
        if m and m["part"] == "agencies" and _unit_kind(m["unit"]) not in ("item", "sub"):
            agencies[m["unit"]] = piece
    out: list[dict] = []
    current = None
    used: dict[str, int] = {}
    for piece in items:
        group = groups.get(piece.ctx, "other")
        if group != current:
            current = group
            used[group] = used.get(group, 0) + 1
            header = _group_label(group, printed) + ("" if used[group] == 1 else " (continued)")
            if group in agencies:
                header += " · lead agencies: " + role_text(agencies[group], "agencies")
            out.append({"key": group if used[group] == 1 else f"{group}-part-{used[group]}", "header": header,
                        "rows": []})
        out[-1]["rows"].append(_row(piece, entries.get(piece.ctx), glossary))
    return out


def build_bilingual_html(po, glossary=None, *, reviewed_only: bool = False,
                         templates: str | Path | None = None) -> str:
    """The side-by-side review page (Chinese | English), one row per entry."""
    if reviewed_only:
        ensure_reviewed(po)
    doc_id = document_id(po) or "document"
    counts = review_counts(po)
    groups = review_rows(po, glossary)
    flagged = sum(1 for group in groups for row in group["rows"] if row["flags"])
    script = render("review.js", templates)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return render("review.html", templates, title=f"Review: {doc_id}", doc_id=doc_id, counts=counts,
                  flagged=flagged, total=sum(counts.values()), glossary=glossary is not None, groups=groups,
                  script=Markup(script), script_hash=f"sha256-{digest}")
