"""Spreadsheet-safe cells: refuse formula-like glossary cells, neutralise them in every CSV we write.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is
run as a formula when a CSV file is opened in Excel or LibreOffice Calc — the
OWASP "CSV injection" problem: ``=HYPERLINK(...)`` in a glossary note becomes a
link that leaks data, ``=cmd|...`` used to start programs. A NUL or another
control character in a cell ends up in PO files, which gettext refuses. A bidi
control, a line separator or an invisible format character makes a cell other than
it looks (:mod:`bilingual.invisible`): an RLO reverses a published name, a zero-width
space keeps a term from ever matching.

* :func:`cell_problem` is the rule ``bilingual glossary check`` (and every load of
  the glossary) applies: such a cell is an error. No real term, English name, note
  or source begins with one of those characters.
* :func:`neutralise` is applied to every cell of every CSV or TSV the project writes
  (Weblate glossary CSV, the glossary CSV layout, the tab-separated report lines of
  ``check``, ``glossary lookup`` and ``coverage``): a formula-like cell gets a
  leading ``'``, which spreadsheets show as text and do not display.
  :func:`restore` undoes it for a reader of those files.
"""

from __future__ import annotations

import re

from .invisible import UNSEEN_RE, hidden_problem, shown

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_CELL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: What ``str.splitlines`` breaks a line at, among the control characters.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85"
# A cell of cells joined by U+001F that begins, after whitespace, with a formula character
# (the cells hold no control or format character by then, so U+001F only separates them).
_FORMULA_CELL_RE = re.compile(r"(?:^|\x1f)[^\S\x1f]*[=+\-@]")
#: What an invisible character does to a glossary cell, by column: the Chinese forms are
#: matched against documents and rows; the English is matched against nothing but rendered.
_HIDDEN_EFFECT = {
    "zh": "never matches it",
    "full_form": "never matches it",
    "en": "is not: the character goes, unseen, into every translation and publication that renders the term",
    "en_abbr": "is not: the character goes, unseen, into every translation that renders the term",
}
_COPIED = "is not: the character goes, unseen, wherever the cell is shown or exported"


def character_problem(value: str, effect: str = "never matches it") -> str | None:
    """Why a glossary text holds a character it must not (a control, bidi or format character), or ``None``.

    ``effect``: what an invisible character does to this text (:func:`bilingual.invisible.hidden_problem`).
    """
    control = _CONTROL_CELL_RE.search(value)
    if control:
        cut = ", where line-based tools cut it in two" if control.group() in _LINE_BREAKS else ""
        return f"holds a control character (U+{ord(control.group()):04X}){cut}: {shown(value, control.start())}"
    return hidden_problem(value, effect)


def cell_problem(value: str, column: str = "zh") -> str | None:
    """Why a glossary cell (as written in the file) of ``column`` is refused, or ``None``."""
    why = character_problem(value, _HIDDEN_EFFECT.get(column, _COPIED))
    if why:
        return why
    if value.strip().startswith(FORMULA_START):
        return f"begins with {value.strip()[0]!r}, which a spreadsheet runs as a formula"
    return None


def row_problem(cells: dict[str, str]) -> tuple[str, str] | None:
    """The first refused cell of a row (column → cell), with why: :func:`cell_problem` over the row.

    Two searches over the whole row first: a clean row (nearly every row) costs those, not
    ten calls (a termbase of 100,000 rows is read on every run).
    """
    if UNSEEN_RE.search("".join(cells.values())) is None and (  # any character cell_problem looks at
            _FORMULA_CELL_RE.search("\x1f".join(cells.values())) is None):
        return None
    for column, value in cells.items():
        why = cell_problem(value, column)
        if why:
            return column, why
    return None


def neutralise(value: object) -> str:
    """``=1+1`` → ``'=1+1`` (and the same for ``+ - @``, tab, CR); other cells unchanged."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(value: str) -> str:
    """Undo :func:`neutralise`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def neutralise_tsv(value: object) -> str:
    """A cell of a tab-separated report line: no tabs, newlines or control characters, no formula."""
    text = _CONTROL_RE.sub(" ", str(value).replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return neutralise(text)
