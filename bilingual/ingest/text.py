"""Plain text: decode bytes and repair the damage extraction, mirrors and exports do.

:func:`decode_bytes` (:mod:`.decode`) decodes bytes; :func:`clean_text` is pure and holds
the cleaning. Every other reader (PDF, DOCX, HTML) ends in :func:`clean_text` too, so all
formats share these rules:

* line endings ``\\r\\n`` / ``\\r`` become ``\\n``; original line numbers are those
  an editor shows for the decoded file;
* every whitespace character (ideographic space U+3000, NBSP, tabs, form feeds,
  other Unicode spaces) becomes an ASCII space, runs of spaces collapse to one and
  each line is stripped at both ends (PDF first-line indents are layout, not text).
  Punctuation width is left alone (no NFKC): ``（一）`` and ``(一)``, ``，`` and
  ``：`` stay exactly as written, because the structure stage must see both forms
  and the translator must see the source as published;
* single spaces PDFs put around numbers (``上海口岸 2025 年``) are kept: they are
  in the published text, removing them would change source strings, and the
  translation stage does not care;
* lines broken by the PDF layout are joined again (see :func:`should_join`);
* **escaped line breaks** left by databases and CMS exports — the four characters
  ``\\r\\n`` (or the two ``\\n`` / ``\\r``) written out in the text, as in ``加\\r\\n大`` — are
  line breaks: they are replaced by one and the join rules decide, as for a page break;
* **mirror damage**: emoji inserted after words (``山西省🚍、``) are removed; a run of ``?`` where a mirror lost full-width spaces
  (``??????市商务局 ?天津海关``) is whitespace again; anti-copy noise glued to a line
  (``4 u# N! c7 v, J2 ^5 a; s9 m中华人民共和国海关总署``, see :func:`.furniture.split_noise`)
  is split off onto a line of its own (same line number), which structure then files as
  page furniture.

Every repair is recorded in :attr:`CleanText.repairs` as ``(line, kind)``, ``line`` the
original line number:

* ``"page-break"`` / ``"wrap"``: the line continued the one before and was joined to it
  (blank line(s) or a form feed between the pieces, or adjacent lines);
* ``"escaped-break"``: an escaped line break in the line was turned into a real one (the
  piece after it then joined or not by the rules);
* ``"mirror-spaces"``: ``?`` runs in the line were turned back into spaces;
* ``"mirror-noise"``: noise was split off the line;
* ``"emoji"``: emoji a mirror inserted into the line (``山西省🚍、``) were removed
  (:mod:`.pictographs`; ★, ✓, ❶, ○ and the like stay);
* ``"invisible"``: bidi controls and invisible format characters (zero-width space and
  joiners, BOM, soft hyphen: :func:`bilingual.invisible.strip_hidden`) were removed: they
  mean nothing in Chinese text and keep a term from matching the glossary;
* ``"look-alike"``: Kangxi radicals or CJK compatibility ideographs in the line (``⼆、``,
  ``各区⼈⺠政府``, as PDF extraction leaves them) were replaced by the ideographs they stand
  for (:mod:`.radicals`; only those blocks, no general NFKC).

Nothing else is replaced (punctuation width is kept, see above): undecodable bytes are an
error with their byte offset, and cleaning never adds or drops a non-whitespace character
other than those repairs (and a single leading BOM). :func:`clean_text` is idempotent: cleaning ``clean_text(t).text`` gives
the same lines, because every join decision depends only on the logical line built so far
and on the first characters / whole-line category of the next line, never on whether a
blank line separated them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from ..errors import BilingualError
from ..invisible import strip_hidden
from ..model import CleanText
from .decode import decode_bytes
from .furniture import split_noise
from .lines import HEADING_OPENER_RE, ends_open, is_table_row, join_lines, should_join
from .pictographs import strip_pictographs
from .radicals import unify_ideographs

__all__ = ["clean_text", "decode_bytes"]

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SPACES_RE = re.compile(r" {2,}")
_WHITESPACE_RE = re.compile(r"\s")  # every Unicode whitespace character (str.isspace)

#: ``\r\n``, ``\n`` or ``\r`` written out as backslash sequences (not after another backslash).
_ESCAPED_BREAK_RE = re.compile(r"(?<!\\)(?:\\r\\n|\\n|\\r)")

#: ``?`` standing for lost full-width spaces: a run of two or more, or one between a space
#: (or the line start) and a Chinese character (``市商务局 ?天津海关``).
_MIRROR_SPACES_RE = re.compile(r"\?{2,}|(?:(?<=\s)|^)\?(?=[\u3400-\u9fff])")


# --------------------------------------------------------------------------- cleaning


def _normalise_line(raw: str) -> tuple[str, bool]:
    """The line with whitespace normalised, and whether mirror ``?`` runs were repaired."""
    line = _WHITESPACE_RE.sub(" ", raw)
    repaired = _MIRROR_SPACES_RE.sub(" ", line)
    return _SPACES_RE.sub(" ", repaired).strip(), repaired != line


def _check_text(text: str, path: str) -> None:
    head = text[:1024].lstrip()
    if head.startswith("%PDF-"):
        raise BilingualError("looks like a PDF file, not text; extract its text first", path)
    if head.startswith(("\x89PNG", "\ufffdPNG")):
        raise BilingualError("looks like a PNG image, not text", path)
    if head.startswith(("\xff\xd8\xff", "ÿØÿ")):
        raise BilingualError("looks like a JPEG image, not text", path)
    if "\x00" in text:
        raise BilingualError("contains NUL characters; looks like a binary file, not text", path)
    if not text:
        raise BilingualError("is empty", path)
    if not text.strip():
        raise BilingualError("contains only whitespace", path)
    if not _CJK_RE.search(text):
        raise BilingualError("contains no Chinese text", path)


def _pieces(line: str) -> list[str]:
    """A normalised line, with anti-copy noise at either end split off as pieces of their own."""
    if is_table_row(line):
        return [line]
    before, body, after = split_noise(line)
    return [piece for piece in (before, body, after) if piece]


def _opens_unit(current: str, following: str) -> bool:
    """A layout join the text overrules: ``following`` opens a numbered unit (``二、加强保障``)
    after a finished sentence (``…（上海海关）``). A PDF line that ends exactly at the right
    margin looks like a wrapped paragraph to the layout, but a heading never continues one."""
    return bool(HEADING_OPENER_RE.match(following)) and not ends_open(current)


def clean_text(
    text: str, path: str | Path = "<text>", encoding: str = "utf-8", *, joins: Collection[int] = ()
) -> CleanText:
    """Normalise ``text`` and repair extraction line breaks (see the module docstring).

    ``joins`` are line numbers (1-based, in ``text``) whose line is known, from the page
    layout, to continue the line before (the PDF reader knows which lines run to the right
    margin); they are joined whatever the text rules say — unless the line opens a numbered
    unit after a finished sentence — and recorded as repairs like the others. The text path never passes any.

    Raises :class:`BilingualError` for empty text, binary content and text without
    any Chinese characters.
    """
    path = str(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_text(text, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    lines: list[str] = []
    numbers: list[int] = []
    repairs: list[tuple[int, str]] = []
    gap = False  # a blank line, a form feed or an escaped break since the last non-blank line
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            gap = True
        unified = unify_ideographs(raw)
        if unified != raw:
            repairs.append((number, "look-alike"))
            raw = unified
        plain = strip_pictographs(raw)
        if plain != raw:
            repairs.append((number, "emoji"))
            raw = plain
        visible = strip_hidden(raw)
        if visible != raw:
            repairs.append((number, "invisible"))
            raw = visible
        for k, segment in enumerate(_ESCAPED_BREAK_RE.split(raw)):
            if k:
                repairs.append((number, "escaped-break"))
            line, damaged = _normalise_line(segment)
            if damaged:
                repairs.append((number, "mirror-spaces"))
            if not line:
                gap = True
                continue
            pieces = _pieces(line)
            if len(pieces) > 1:
                repairs.append((number, "mirror-noise"))
            for p, piece in enumerate(pieces):
                forced = number in joins and k == 0 and p == 0 and not _opens_unit(lines[-1] if lines else "", piece)
                if lines and (forced or should_join(lines[-1], piece)):
                    lines[-1] = join_lines(lines[-1], piece)
                    if not k or p:
                        repairs.append((number, "page-break" if gap else "wrap"))
                else:
                    lines.append(piece)
                    numbers.append(number)
                gap = False
    return CleanText(
        path=path,
        encoding=encoding,
        lines=tuple(lines),
        line_numbers=tuple(numbers),
        repairs=tuple(repairs),
    )
