"""Reviewed PO files → the English publication (md, html), a review page, a TMX memory.

Every builder is a pure function from a ``polib.POFile`` to text; only
:func:`build_file` touches the disk (through :func:`atomic_write_text`).

* ``md`` / ``html`` — the English document with its structure rebuilt from the
  ``msgctxt`` ids: masthead issuers, "Document", document number, title,
  addressee, body paragraphs (sentences sharing a ``#:`` line number form one
  paragraph), signatories, date, disclosure note, attachment title, preamble,
  sections ``I.``, ``II.`` … and measures ``(1)``, ``(2)`` … (the number comes from
  ``section-N`` / ``measure-N``) with a "Lead agencies" line. Reviewed entries
  are used as they are; unreviewed MT (fuzzy) is used with a visible marker
  (md ``[MT]``, html ``<mark class="mt">``) and untranslated entries appear in
  Chinese, marked ``[ZH]``; a legend at the top explains the markers.
  ``reviewed_only=True`` refuses to build while any entry is unreviewed.
* ``bilingual-html`` — the side-by-side review page: one table row per entry,
  Chinese left and English right, a ``<tbody>`` per measure (or notice,
  section…) headed by its lead agencies, fuzzy/untranslated rows marked, glossary
  terms highlighted in both columns, missing approved terms listed.
* ``tmx`` — a TMX 1.4b memory of the REVIEWED pairs only (``tuid`` = msgctxt).

All HTML is escaped with :func:`html.escape` (text and attributes); term marks
are inserted by offsets computed on the raw text, never by regex over escaped
HTML. Pages are standalone: inline CSS, no script, no external resource.

Output files (without ``-o``) go next to the PO file, named after the
document id (``X-Bilingual-Document``, else the PO name without ``.en.po``):
``<doc>.en.md``, ``<doc>.en.html``, ``<doc>.zh-en.html`` (review page),
``<doc>.zh-en.tmx``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .check import active_entries, english_pattern, is_reviewed, missing_terms
from .errors import BilingualError
from .fileio import atomic_write_text

FORMATS = ("md", "html", "bilingual-html", "tmx")
SUFFIXES = {"md": ".en.md", "html": ".en.html", "bilingual-html": ".zh-en.html", "tmx": ".zh-en.tmx"}
REVIEWED, MT, UNTRANSLATED = "reviewed", "mt", "untranslated"
MT_TITLE = "machine translation, not reviewed"
ZH_TITLE = "not yet translated: Chinese source"

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CTX = re.compile(r"^(?:(?P<notice>notice)\.(?P<npart>.+)|(?P<attachment>attachment)\.title"
                  r"|(?P<preamble>preamble)\.s\d+|section-(?P<section>\d+)\.title"
                  r"|measure-(?P<measure>\d+)\.(?P<mpart>s\d+|agencies)|paragraph-(?P<para>\d+)\.s\d+)$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ZH_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


# --------------------------------------------------------------------------- the document model


@dataclass(frozen=True)
class Piece:
    """One entry as the builds see it: the text to show and its review state."""

    ctx: str
    zh: str
    en: str
    state: str
    line: int

    @property
    def text(self) -> str:
        return self.zh if self.state == UNTRANSLATED else self.en


@dataclass
class Part:
    """A structural unit: ``kind`` + its pieces (paragraph = pieces on one source line)."""

    kind: str  # issuers masthead doc-number title addressee body signatories date disclosure
    #            attachment-title preamble section measure paragraph other
    pieces: list[Piece] = field(default_factory=list)
    number: int | None = None
    paragraphs: list[list[Piece]] = field(default_factory=list)  # measures: body paragraphs
    agencies: Piece | None = None


def _piece(entry) -> Piece:
    state = REVIEWED if is_reviewed(entry) else (MT if entry.msgstr else UNTRANSLATED)
    line = 0
    if entry.occurrences:
        try:
            line = int(entry.occurrences[0][1])
        except (TypeError, ValueError):
            line = 0
    return Piece(entry.msgctxt or "", entry.msgid, entry.msgstr, state, line)


def pieces(po) -> list[Piece]:
    return [_piece(e) for e in active_entries(po)]


def _kind(ctx: str) -> tuple[str, int | None, str]:
    """(part kind, number, sub-part) of a msgctxt."""
    m = _CTX.match(ctx)
    if not m:
        return "other", None, ""
    if m.group("notice"):
        part = m.group("npart")
        if part.startswith("issuer-"):
            return "issuers", None, ""
        if part.startswith("signatory-"):
            return "signatories", None, ""
        if re.fullmatch(r"s\d+", part):
            return "body", None, ""
        if part in ("masthead", "doc-number", "title", "addressee", "date", "disclosure"):
            return part, None, ""
        return "other", None, ""
    if m.group("attachment"):
        return "attachment-title", None, ""
    if m.group("preamble"):
        return "preamble", None, ""
    if m.group("section"):
        return "section", int(m.group("section")), ""
    if m.group("measure"):
        return "measure", int(m.group("measure")), m.group("mpart")
    return "paragraph", int(m.group("para")), ""


def document_parts(po) -> list[Part]:
    """The document's structure, rebuilt from the entries in file order."""
    parts: list[Part] = []
    for piece in pieces(po):
        kind, number, sub = _kind(piece.ctx)
        last = parts[-1] if parts else None
        if kind == "measure":
            if last is None or last.kind != "measure" or last.number != number:
                last = Part("measure", number=number)
                parts.append(last)
            if sub == "agencies":
                last.agencies = piece
            elif not last.pieces:
                last.pieces.append(piece)  # the title sentence
            elif last.paragraphs and last.paragraphs[-1][-1].line == piece.line:
                last.paragraphs[-1].append(piece)
            else:
                last.paragraphs.append([piece])
            continue
        joins = kind in ("issuers", "signatories") or (
            kind in ("body", "preamble", "paragraph") and last is not None and last.pieces
            and last.pieces[-1].line == piece.line and last.number == number)
        if last is not None and last.kind == kind and joins:
            last.pieces.append(piece)
        else:
            parts.append(Part(kind, [piece], number=number))
    return parts


def review_counts(po) -> dict[str, int]:
    counts = {REVIEWED: 0, MT: 0, UNTRANSLATED: 0}
    for piece in pieces(po):
        counts[piece.state] += 1
    return counts


def ensure_reviewed(po, path: str | Path | None = None) -> None:
    """Raise :class:`BilingualError` unless every entry is reviewed."""
    counts = review_counts(po)
    pending = counts[MT] + counts[UNTRANSLATED]
    if pending:
        total = sum(counts.values())
        raise BilingualError(
            f"refusing to build with --reviewed-only: {pending} of {total} entries are not reviewed "
            f"({counts[MT]} fuzzy, {counts[UNTRANSLATED]} untranslated)", path)


def _document_id(po) -> str:
    return po.metadata.get("X-Bilingual-Document", "").strip()


def _strip_label(text: str, label: str) -> str:
    """Drop a numbering label the translator typed although the build adds it."""
    return text[len(label):].lstrip() if text.startswith(label + " ") else text


def _heading_levels(parts: list[Part]) -> dict[str, int]:
    kinds = {p.kind for p in parts}
    title = 1
    attachment = 2 if "title" in kinds else 1
    section = attachment + 1 if "attachment-title" in kinds else (2 if "title" in kinds else 1)
    return {"title": title, "attachment-title": attachment, "section": section}


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _md_line_start(m: re.Match) -> str:
    indent, marker = m.group(1), m.group(2)
    if marker[0].isdigit():  # "2025. " would start an ordered list: escape the dot
        return indent + marker + "\\"
    return indent + "\\" + marker  # "# ", "> ", "- " … would start a heading, quote, list


def _md_escape(text: str) -> str:
    """Inline-safe CommonMark: every markup character backslash-escaped, whitespace collapsed."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_md_line_start, text)


def _md_piece(piece: Piece, label: str = "") -> str:
    text = piece.text
    if label:
        text = _strip_label(text, label)
    text = _md_escape(text)
    if piece.state == MT:
        return f"{text} [MT]"
    if piece.state == UNTRANSLATED:
        return f"{text} [ZH]"
    return text


def _md_join(items: Iterable[Piece]) -> str:
    return " ".join(_md_piece(p) for p in items)


def _agencies_text(piece: Piece) -> str:
    text = piece.text.strip()
    if piece.state != UNTRANSLATED and text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _legend_needed(parts: list[Part]) -> tuple[bool, bool]:
    states = set()
    for part in parts:
        for piece in [*part.pieces, *(p for para in part.paragraphs for p in para)]:
            states.add(piece.state)
        if part.agencies:
            states.add(part.agencies.state)
    return MT in states, UNTRANSLATED in states


def build_markdown(po, *, reviewed_only: bool = False) -> str:
    """The English publication as CommonMark."""
    if reviewed_only:
        ensure_reviewed(po)
    parts = document_parts(po)
    levels = _heading_levels(parts)
    out: list[str] = []
    has_mt, has_zh = _legend_needed(parts)
    if has_mt or has_zh:
        notes = []
        if has_mt:
            notes.append("text marked [MT] is machine translation that has not been reviewed")
        if has_zh:
            notes.append("text marked [ZH] is the Chinese original, not yet translated")
        out.append("> **Draft:** " + "; ".join(notes) + ".")
    if not any(p.kind in ("title", "attachment-title") for p in parts):
        out.append(f"# {_md_escape(_document_id(po) or 'Document')}")
    for part in parts:
        kind = part.kind
        if kind in ("issuers", "signatories"):
            out.append("\\\n".join((_md_piece(p)) for p in part.pieces))
        elif kind == "masthead":
            out.append(f"**{_md_join(part.pieces)}**")
        elif kind in ("title", "attachment-title"):
            if kind == "attachment-title" and any(p.kind == "title" for p in parts):
                out.append("---")
            out.append("#" * levels[kind] + " " + _md_join(part.pieces))
        elif kind == "section":
            label = f"{roman(part.number or 0)}."
            out.append("#" * levels["section"] + f" {label} " + _md_piece(part.pieces[0], label))
        elif kind == "measure":
            label = f"({part.number})"
            lines = []
            if part.pieces:
                lines.append(f"**{label} {_md_piece(part.pieces[0], label)}**")
            else:
                lines.append(f"**{label}**")
            paragraphs = part.paragraphs or [[]]
            first = " ".join([lines[0], _md_join(paragraphs[0])]).strip()
            out.append(first)
            out.extend((_md_join(para)) for para in paragraphs[1:])
            if part.agencies is not None:
                agencies = _md_escape(_agencies_text(part.agencies))
                marker = {MT: " [MT]", UNTRANSLATED: " [ZH]"}.get(part.agencies.state, "")
                out.append(f"*Lead agencies:* {agencies}{marker}")
        else:
            out.append(_md_join(part.pieces))
    return "\n\n".join(block for block in out if block) + "\n"


# --------------------------------------------------------------------------- html

def esc(text: str) -> str:
    return html.escape(text, quote=True)


_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1b1b1b; font: 1rem/1.6 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main, .colophon { max-width: 48rem; margin: 0 auto; padding: 1rem 1.25rem; }
.skip-link { position: absolute; left: -999px; top: 0; background: #1b1b1b; color: #ffffff;
  padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: 0; }
a { color: #0b4fb3; }
h1 { font-size: 1.6rem; line-height: 1.3; } h2 { font-size: 1.35rem; } h3 { font-size: 1.15rem; }
.masthead { text-align: center; border-bottom: 3px solid #a4161a; margin-bottom: 1.5rem; }
.masthead .issuers { color: #a4161a; font-weight: 600; margin: 0; }
.masthead .document { color: #a4161a; font-size: 1.3rem; font-weight: 700; letter-spacing: .3em; margin: .25rem 0; }
.doc-number { text-align: center; }
.signature { text-align: right; margin-top: 2rem; }
.signature p { margin: 0; }
.disclosure { color: #4a4a4a; }
.attachment { border-top: 1px solid #c8c8c8; margin-top: 2.5rem; }
ol.measures { list-style: none; padding: 0; }
ol.measures > li { margin: 0 0 1.25rem; }
.agencies { color: #3a3a3a; margin-top: .25rem; }
.agencies .label { font-weight: 600; }
mark.mt { background: #fff1b8; color: #1b1b1b; border-bottom: 2px dotted #8a6100; }
.untranslated { background: #fde2e1; color: #1b1b1b; }
.tag { font-size: .75em; font-weight: 700; color: #7a1612; margin-right: .25em; }
.legend { background: #f4f4f4; border-left: 4px solid #8a6100; padding: .5rem .75rem; }
.colophon { color: #4a4a4a; font-size: .875rem; border-top: 1px solid #c8c8c8; }
"""


def _html_piece(piece: Piece, label: str = "") -> str:
    text = piece.text
    if label:
        text = _strip_label(text, label)
    if piece.state == MT:
        return f'<mark class="mt" title="{esc(MT_TITLE)}">{esc(text)}</mark>'
    if piece.state == UNTRANSLATED:
        return (f'<span class="untranslated" title="{esc(ZH_TITLE)}"><span class="tag">[ZH]</span>'
                f'<span lang="zh">{esc(text)}</span></span>')
    return esc(text)


def _html_join(items: Iterable[Piece]) -> str:
    return " ".join(_html_piece(p) for p in items)


def _html_agencies(piece: Piece) -> str:
    text = _agencies_text(piece)
    return _html_piece(Piece(piece.ctx, text, text, piece.state, piece.line))


def _page(title: str, body: list[str], css: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bilingual {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to main content</a>',
        *body,
        "</body>",
        "</html>",
        "",
    ])


def _title_text(parts: list[Part], fallback: str) -> str:
    for kind in ("title", "attachment-title"):
        for part in parts:
            if part.kind == kind:
                return " ".join(p.text for p in part.pieces)
    return fallback


def _time(piece: Piece, inner: str) -> str:
    m = _ZH_DATE.match(piece.zh)
    if not m:
        return inner
    year, month, day = (int(g) for g in m.groups())
    return f'<time datetime="{year:04d}-{month:02d}-{day:02d}">{inner}</time>'


def build_html(po, *, reviewed_only: bool = False) -> str:
    """The English publication as a standalone, accessible HTML page."""
    if reviewed_only:
        ensure_reviewed(po)
    parts = document_parts(po)
    levels = _heading_levels(parts)
    doc_id = _document_id(po) or "document"
    out: list[str] = ['<main id="main" tabindex="-1">']
    has_mt, has_zh = _legend_needed(parts)
    if has_mt or has_zh:
        notes = []
        if has_mt:
            notes.append(f'<mark class="mt" title="{esc(MT_TITLE)}">highlighted text</mark> is machine '
                         "translation that has not been reviewed")
        if has_zh:
            notes.append('<span class="untranslated"><span class="tag">[ZH]</span>marked text</span> is the '
                         "Chinese original, not yet translated")
        out.append('<p class="legend" role="note"><strong>Draft:</strong> ' + "; ".join(notes) + ".</p>")
    if not any(p.kind in ("title", "attachment-title") for p in parts):
        out.append(f"<h1>{esc(doc_id)}</h1>")

    current = {"article": "", "section": False, "ol": False, "masthead": False, "signature": False}

    closers = {"ol": "</ol>", "section": "</section>", "masthead": "</header>", "signature": "</footer>"}

    def close(what: str) -> None:
        """Close ``what`` (and, for a section or article, everything inside it)."""
        inner = {"section": ["ol"], "article": ["ol", "section", "masthead", "signature"]}.get(what, [])
        for name in [*inner, what]:
            if name == "article":
                if current["article"]:
                    out.append("</article>")
                    current["article"] = ""
            elif current[name]:
                out.append(closers[name])
                current[name] = False

    def article(name: str, labelledby: str = "") -> None:
        if current["article"] != name:
            close("article")
            attrs = f' aria-labelledby="{labelledby}"' if labelledby else ""
            out.append(f'<article class="{name}"{attrs}>')
            current["article"] = name

    notice_kinds = {"issuers", "masthead", "doc-number", "title", "addressee", "body", "signatories", "date",
                    "disclosure"}
    has_notice_title = any(p.kind == "title" for p in parts)
    has_attachment_title = any(p.kind == "attachment-title" for p in parts)
    for part in parts:
        kind = part.kind
        if kind in notice_kinds:
            article("notice", "notice-title" if has_notice_title else "")
            if kind in ("issuers", "masthead", "doc-number"):
                close("signature")
                if not current["masthead"]:
                    out.append('<header class="masthead">')
                    current["masthead"] = True
            else:
                close("masthead")
            if kind in ("signatories", "date"):
                if not current["signature"]:
                    out.append('<footer class="signature">')
                    current["signature"] = True
            else:
                close("signature")
            if kind in ("issuers", "signatories"):
                cls = "issuers" if kind == "issuers" else "signatories"
                out.append(f'<p class="{cls}">' + "<br>".join(_html_piece(p) for p in part.pieces) + "</p>")
            elif kind == "masthead":
                out.append(f'<p class="document">{_html_join(part.pieces)}</p>')
            elif kind == "doc-number":
                out.append(f'<p class="doc-number">{_html_join(part.pieces)}</p>')
            elif kind == "title":
                level = levels["title"]
                out.append(f'<h{level} id="notice-title">{_html_join(part.pieces)}</h{level}>')
            elif kind == "date":
                out.append(f'<p class="date">{_time(part.pieces[0], _html_join(part.pieces))}</p>')
            else:
                out.append(f'<p class="{kind}">{_html_join(part.pieces)}</p>')
            continue
        if kind in ("attachment-title", "preamble", "section", "measure"):
            article("attachment", "attachment-title" if has_attachment_title else "")
        else:
            article("text")
        if kind == "attachment-title":
            level = levels[kind]
            out.append(f'<h{level} id="attachment-title">{_html_join(part.pieces)}</h{level}>')
        elif kind == "section":
            close("section")
            n = part.number or 0
            label = f"{roman(n)}."
            level = levels["section"]
            out.append(f'<section class="section" id="section-{n}" aria-labelledby="section-{n}-title">')
            out.append(f'<h{level} id="section-{n}-title"><span class="num">{label}</span> '
                       f"{_html_piece(part.pieces[0], label)}</h{level}>")
            current["section"] = True
        elif kind == "measure":
            if not current["ol"]:
                out.append('<ol class="measures">')
                current["ol"] = True
            n = part.number or 0
            label = f"({n})"
            title = _html_piece(part.pieces[0], label) if part.pieces else ""
            paragraphs = part.paragraphs or [[]]
            first = f'<span class="num">{label}</span> <strong class="measure-title">{title}</strong>'
            body = _html_join(paragraphs[0])
            out.append(f'<li class="measure" id="measure-{n}">')
            out.append(f"<p>{first}{' ' + body if body else ''}</p>")
            out.extend(f"<p>{_html_join(para)}</p>" for para in paragraphs[1:])
            if part.agencies is not None:
                out.append('<p class="agencies"><span class="label">Lead agencies:</span> '
                           f"{_html_agencies(part.agencies)}</p>")
            out.append("</li>")
        else:
            close("ol")
            out.append(f'<p class="{kind}">{_html_join(part.pieces)}</p>')
    close("article")
    out.append("</main>")
    out.append('<footer class="colophon" role="contentinfo"><p>English translation of '
               f"{esc(doc_id)}, built by bilingual {esc(__version__)} from the reviewed translation file. "
               "The Chinese original is the authoritative text.</p></footer>")
    return _page(_title_text(parts, doc_id), out, _CSS)


# --------------------------------------------------------------------------- bilingual review page

_REVIEW_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1b1b1b; font: .95rem/1.55 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
main { padding: 1rem 1.25rem; }
.skip-link { position: absolute; left: -999px; top: 0; background: #1b1b1b; color: #ffffff; padding: .5rem 1rem; }
.skip-link:focus { left: 0; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
.summary, .legend { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
caption { text-align: left; font-weight: 600; padding: .5rem 0; }
thead th { position: sticky; top: 0; background: #24292f; color: #ffffff; text-align: left; padding: .4rem .5rem; }
col.c-ctx { width: 12rem; } col.c-zh, col.c-en { width: calc(50% - 6rem); }
th.ctx { font-weight: 400; vertical-align: top; text-align: left; padding: .4rem .5rem;
  color: #3a3a3a; font-size: .8rem; overflow-wrap: anywhere; }
td { vertical-align: top; padding: .4rem .5rem; border-top: 1px solid #d0d7de; overflow-wrap: anywhere; }
td.zh { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
tr.group-header th { background: #eef1f4; color: #1b1b1b; text-align: left; padding: .45rem .5rem;
  border-top: 2px solid #57606a; }
tr.fuzzy td.en { background: #fff8d6; }
tr.untranslated td.en { background: #fde2e1; }
.status { display: block; font-weight: 700; color: #7a4b00; }
tr.untranslated .status { color: #7a1612; }
mark.term { background: #dbeafe; color: #0b2a5b; border-bottom: 2px solid #1d4ed8; }
.missing-term { display: block; color: #7a1612; font-size: .85rem; margin-top: .25rem; }
"""

_STATUS_LABEL = {MT: "MT, not reviewed", UNTRANSLATED: "untranslated"}
_ROW_CLASS = {REVIEWED: "reviewed", MT: "fuzzy", UNTRANSLATED: "untranslated"}


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escape ``text`` and wrap the [start, end) spans in ``<mark class="term" title=…>``."""
    out: list[str] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end <= start:
            continue  # overlapping or empty: the first one wins
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="term" title="{esc(title)}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _group(ctx: str) -> tuple[str, str]:
    """(group key, header label) of a msgctxt for the review table."""
    kind, number, _ = _kind(ctx)
    if kind in ("issuers", "masthead", "doc-number", "title", "addressee", "body", "signatories", "date",
                "disclosure") or ctx.startswith("notice."):
        return "notice", "Notice"
    if kind in ("attachment-title", "preamble"):
        return "attachment", "Attachment: title and preamble"
    if kind == "section":
        return f"section-{number}", f"Section {roman(number or 0)}"
    if kind == "measure":
        return f"measure-{number}", f"Measure ({number})"
    if kind == "paragraph":
        return "paragraphs", "Text"
    return "other", "Other entries"


def build_bilingual_html(po, glossary=None, *, reviewed_only: bool = False) -> str:
    """The side-by-side review page (Chinese | English), one row per entry."""
    if reviewed_only:
        ensure_reviewed(po)
    items = pieces(po)
    doc_id = _document_id(po) or "document"
    counts = review_counts(po)
    agencies = {}
    for piece in items:
        kind, number, sub = _kind(piece.ctx)
        if kind == "measure" and sub == "agencies":
            agencies[number] = piece
    out = ['<main id="main" tabindex="-1">',
           f"<h1>Review: {esc(doc_id)}</h1>",
           f'<p class="summary">{len(items)} entries: {counts[REVIEWED]} reviewed, {counts[MT]} machine '
           f"translation not reviewed, {counts[UNTRANSLATED]} untranslated.</p>",
           '<p class="legend">Rows marked <strong>MT, not reviewed</strong> are unreviewed machine '
           "translation (fuzzy); <strong>untranslated</strong> rows have no English yet. "
           + ('<mark class="term">Highlighted</mark> words are glossary terms; hover for the approved '
              "English." if glossary is not None else "")
           + "</p>",
           "<table>",
           f"<caption>{esc(doc_id)}: Chinese source and English translation, in document order</caption>",
           '<colgroup><col class="c-ctx"><col class="c-zh"><col class="c-en"></colgroup>',
           '<thead><tr><th scope="col">Segment</th><th scope="col">Chinese (source)</th>'
           '<th scope="col">English (translation)</th></tr></thead>']
    current = None
    for piece in items:
        key, label = _group(piece.ctx)
        if key != current:
            if current is not None:
                out.append("</tbody>")
            current = key
            header = label
            kind, number, _ = _kind(piece.ctx)
            if kind == "measure" and number in agencies:
                header += " · lead agencies: " + _agencies_text(agencies[number])
            out.append(f'<tbody class="group" data-group="{esc(key)}">')
            out.append(f'<tr class="group-header"><th scope="rowgroup" colspan="3">{esc(header)}</th></tr>')
        zh_spans: list[tuple[int, int, str]] = []
        en_spans: list[tuple[int, int, str]] = []
        missing: list[tuple[str, str]] = []
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
        status = _STATUS_LABEL.get(piece.state)
        status_html = f'<span class="status">{esc(status)}</span>' if status else ""
        en_html = _marked(piece.en, en_spans)
        en_html += "".join(f'<span class="missing-term">missing term: {esc(zh)} = {esc(en)}</span>'
                           for zh, en, _kind in missing)
        out.append(
            f'<tr class="{_ROW_CLASS[piece.state]}" data-ctx="{esc(piece.ctx)}">'
            f'<th scope="row" class="ctx"><code>{esc(piece.ctx)}</code>{status_html}</th>'
            f'<td class="zh" lang="zh">{_marked(piece.zh, zh_spans)}</td>'
            f'<td class="en" lang="en">{en_html}</td></tr>')
    if current is not None:
        out.append("</tbody>")
    out.append("</table>")
    out.append("</main>")
    return _page(f"Review: {doc_id}", out, _REVIEW_CSS)


# --------------------------------------------------------------------------- tmx

def _xml_text(text: str) -> str:
    return _XML_BAD.sub("", text)


def _tmx_date(po) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})", po.metadata.get("PO-Revision-Date", ""))
    return f"{m.group(1)}{m.group(2)}{m.group(3)}T{m.group(4)}{m.group(5)}00Z" if m else ""


def build_tmx(po, *, reviewed_only: bool = False) -> str:
    """A TMX 1.4b memory of the reviewed zh→en pairs (``tuid`` = msgctxt)."""
    if reviewed_only:
        ensure_reviewed(po)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "bilingual",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "PO",
        "adminlang": "en",
        "srclang": "zh",
        "datatype": "plaintext",
    })
    date = _tmx_date(po)
    if date:
        header.set("creationdate", date)
    doc_id = _document_id(po)
    if doc_id:
        ET.SubElement(header, "prop", type="x-bilingual-document").text = _xml_text(doc_id)
    body = ET.SubElement(root, "body")
    for entry in active_entries(po):
        if not is_reviewed(entry):
            continue
        tu = ET.SubElement(body, "tu")
        if entry.msgctxt:
            tu.set("tuid", _xml_text(entry.msgctxt))
            # Translate Toolkit reads the PO context back from this prop (as its po2tmx writes it).
            ET.SubElement(tu, "prop", type="x-context").text = _xml_text(entry.msgctxt)
        for lang, text in (("zh", entry.msgid), ("en", entry.msgstr)):
            tuv = ET.SubElement(tu, "tuv", {xml_lang: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(text)
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")


# --------------------------------------------------------------------------- files

def build(po, fmt: str, *, reviewed_only: bool = False, glossary=None) -> str:
    """Dispatch to the builder of ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "md":
        return build_markdown(po, reviewed_only=reviewed_only)
    if fmt == "html":
        return build_html(po, reviewed_only=reviewed_only)
    if fmt == "bilingual-html":
        return build_bilingual_html(po, glossary, reviewed_only=reviewed_only)
    if fmt == "tmx":
        return build_tmx(po, reviewed_only=reviewed_only)
    raise BilingualError(f"unknown build format {fmt!r}; use one of {', '.join(FORMATS)}")


def default_output(po_path: str | Path, fmt: str, po=None) -> Path:
    """Where ``fmt`` goes without ``-o``: next to the PO, named after the document id."""
    po_path = Path(po_path)
    name = _document_id(po) if po is not None else ""
    if not _SAFE_NAME.fullmatch(name or ""):
        name = po_path.name
        for suffix in (".po", ".en"):
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
    return po_path.with_name(name + SUFFIXES[fmt])


def build_file(po_path: str | Path, fmt: str, output: str | Path | None = None, *,
               reviewed_only: bool = False, glossary=None) -> Path:
    """Read a PO file, build ``fmt`` and write it atomically; returns the path written."""
    from .check import load_po

    po = load_po(po_path)
    try:
        text = build(po, fmt, reviewed_only=reviewed_only, glossary=glossary)
    except BilingualError as exc:
        if exc.path is None:
            raise BilingualError(exc.message, po_path) from None
        raise
    target = Path(output) if output is not None else default_output(po_path, fmt, po)
    atomic_write_text(target, text)
    return target
