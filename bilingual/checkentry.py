"""The checks of one PO entry: what ``bilingual check`` finds in a msgstr against its msgid.

Split from check.py, which documents every check and runs the file-wide ones (syntax,
header, duplicate contexts, an empty file, a pseudo dry run) and calls
:func:`check_entry` for each active entry. This module decides which checks apply to an
entry (untranslated, conflict, fuzzy, plural and pseudo entries each stop or skip some)
and at what severity: an error once reviewed, a warning in unreviewed MT. The text rules
themselves live in checknumbers.py, checktext.py, checkpseudo.py and mtcheck.py; the
name-list rule renders the glossary's English (render_agencies.py) and compares it whole.
"""

from __future__ import annotations

import re

from . import mtcheck
from .checkfindings import ERROR, WARNING, Finding
from .checknumbers import added_numbers, missing_numbers
from .checkpseudo import digits_missing, is_pseudo_draft, marker_problem
from .checktext import (
    _SOURCE_PAIRS,
    _variant_note,
    chinese_left,
    control_characters,
    missing_terms,
    stub,
    unbalanced,
)
from .engines.pseudo import unmarked
from .po import has_translation, is_reviewed
from .po.merge import REVIEWED
from .suspects import SUSPECT_PREFIX

CONFLICT_MARK = "#-#-#-#-#"  # msgcat's line around each file's msgstr where joined files differ


def _signed_off(entry) -> bool:
    """A person's English made fuzzy again by a change of its source (``origin: reviewed …``, merge.py):
    it needs a second look, but it is not machine output, and ``mt-check:`` lines of the machine
    English it replaced (files written before they were dropped) do not describe it."""
    return any(line.startswith(REVIEWED) for line in (entry.comment or "").splitlines())


def check_entry(entry, glossary=None, *, strict: bool = False, path: str = "") -> list[Finding]:
    """Findings for one (active) entry."""
    ctx = entry.msgctxt or ""
    line = entry.linenum or 0
    reviewed = is_reviewed(entry)
    severity = ERROR if reviewed else WARNING
    gate = ERROR if strict else WARNING
    out: list[Finding] = []

    def add(sev: str, check: str, message: str) -> None:
        out.append(Finding(sev, ctx, check, message, path, line))

    if not has_translation(entry):
        for comment in (entry.comment or "").splitlines():
            if comment.startswith(SUSPECT_PREFIX):
                add(WARNING, "suspect-name", comment[len(SUSPECT_PREFIX):].strip())
        add(gate, "untranslated", "not translated")
        return out
    if CONFLICT_MARK in entry.msgstr:  # its markers' file names and dates would read as numbers: nothing else
        add(ERROR, "conflict", "two translations joined by msgcat (#-#-#-#-# lines): keep one, delete the "
            "marker lines, then clear fuzzy")
        return out
    pseudo = is_pseudo_draft(entry)  # one line for the file instead (check_catalog), markers read as such
    if "fuzzy" in entry.flags:
        signed_off = _signed_off(entry)
        if not pseudo:
            add(gate, "fuzzy", "reviewed, source changed: re-review (fuzzy)" if signed_off
                else "machine translation not reviewed (fuzzy)")
        for reason in () if signed_off else mtcheck.parse_comments(entry.comment or ""):
            if not (pseudo and reason.code in mtcheck.MARKER_READ_CODES):
                add(WARNING, "mt-check", f"{reason.code}: {reason.detail}")
    if entry.msgid_plural:  # not a segment of ours: only msgfmt's own rule applies
        for index, form in sorted(entry.msgstr_plural.items()):
            if form:
                _newline_findings(entry.msgid if index == 0 else entry.msgid_plural, form, entry, add)
        return out
    source, target = entry.msgid, entry.msgstr

    problem = stub(source, target)
    if problem:
        add(severity, "stub", problem)
    problem = "" if pseudo else marker_problem(target)
    if problem:
        add(severity, "pseudo", problem)
    plain = unmarked(target)  # a pseudo marker's digits are no number of the translation (checkpseudo.py)
    numbers = missing_numbers(source, plain)
    numbers = digits_missing(numbers, plain) if pseudo and numbers else numbers
    if numbers:
        add(severity, "numbers", "missing from the translation: " + ", ".join(numbers))
    added = added_numbers(source, plain, glossary)
    if added:  # a warning even when reviewed: a translator may resolve 今年 to 2025 on purpose
        add(WARNING, "numbers", "not in the source: " + ", ".join(added))
    if reviewed or pseudo:
        loop = mtcheck.pseudo_repetition(target)  # never across a marker; as repetition() without one
        if loop:
            add(severity, "repetition", f"the translation loops: {loop}")
    if glossary is not None:
        for zh, english, kind in missing_terms(source, target, glossary):
            if pseudo and kind == "phrase":
                continue  # phrases are never placeholders: the pseudo engine cannot carry them
            # Names, codes, regimes, places, slogans and titles are binding: an error once
            # reviewed. Recurring policy phrases are a house-style hint (they are not
            # placeholder-protected either), so they stay warnings.
            add(severity if kind != "phrase" else WARNING, "glossary",
                f"{zh} must be translated as {english!r}{_variant_note(target, glossary, zh)}")
    controls = control_characters(source, target)
    if controls:
        add(severity, "control", f"invisible control characters in the translation: {', '.join(controls)}; delete them")
    left = chinese_left(target)
    if left:
        add(severity, "chinese", "Chinese text or full-width punctuation in the translation: " + " ".join(left))
    if not unbalanced(source, _SOURCE_PAIRS):
        problem = unbalanced(target)
        if problem:
            add(severity, "brackets", f"unbalanced brackets or quotes in the translation: {problem}")
    if glossary is not None:
        names = _name_list_problem(entry, glossary)
        if names:
            add(severity, "names", names)
    _newline_findings(source, target, entry, add)
    return out


def _newline_findings(source: str, target: str, entry, add) -> None:
    """A newline at one end of the msgid and not of the msgstr: msgfmt rejects it (not in fuzzy entries)."""
    for side, (a, b) in (("leading", (source[:1], target[:1])), ("trailing", (source[-1:], target[-1:]))):
        if (a == "\n") != (b == "\n"):
            fuzzy = "fuzzy" in entry.flags
            add(WARNING if fuzzy else ERROR, "whitespace",
                f"{side} newline differs between source and translation (msgfmt rejects it"
                f"{' once the entry is not fuzzy' if fuzzy else ''})")
        elif a.isspace() != b.isspace():
            add(WARNING, "whitespace", f"{side} whitespace differs between source and translation")


_NAME_LIST = re.compile(r"\.(?:agencies|partners)$|^notice\.(?:issuer|signatory)-\d+$")


def _name_list_problem(entry, glossary) -> str:
    """How a glossary-rendered name list differs from the rendering (``""``: it does not)."""
    from .render import ROLE_LABELS
    from .render_agencies import render_name_list, render_role_line

    ctx = entry.msgctxt or ""
    if not _NAME_LIST.search(ctx):
        return ""
    role = ctx.rsplit(".", 1)[-1] if ctx.rsplit(".", 1)[-1] in ROLE_LABELS else ""
    rendered = render_role_line(entry.msgid, glossary, role) if role else render_name_list(entry.msgid, glossary)
    if rendered is None or rendered.fuzzy or rendered.text == entry.msgstr:
        return ""
    return (f"must read exactly {rendered.text!r} (rendered from the glossary, name by name, in this order), "
            f"not {entry.msgstr!r}: names come from the glossary, so correct a wrong name there "
            "(glossary/*.csv), then empty this msgstr and re-run translate")
