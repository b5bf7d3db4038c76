"""The evidence rule: every organisation's English says where it comes from.

The glossary's organisation names are the English a reader sees first (mastheads,
signatures, every lead-agency list), so each one must be traceable. Three columns
of ``glossary/*.csv`` carry the evidence:

* ``evidence_url`` — the page where this English was seen, best first: the body's
  own English page, then an official English version of a document it issued or
  co-signed, then the government's English portal listing; media only when nothing
  official exists. Or the word ``coined`` when no official English exists and the
  team made the name up (the note then says so).
* ``checked`` — the ISO date (``2026-11-29``) someone last saw the English on that
  page, or ``unverified`` when the URL is the claimed source but could not be
  opened and checked. Empty for ``coined``.
* ``variants`` — other English names of the same body found in official sources,
  ``|``-separated (``Shanghai Customs District|…``). They are never rendered; they
  tell a reviewer who meets one in an official text that it is not a mistake
  (``glossary lookup`` shows them, and the TBX/CSV exports carry them).

Rule (``bilingual glossary check``, CI runs it strictly): a full-form row of kind
``organisation`` without an ``evidence_url`` that is an http(s) URL or ``coined`` is
an **error**. A URL needs a ``checked`` value that is a past ISO date or
``unverified``. Abbreviation rows inherit the evidence of their full form and may
leave the columns empty. Rows of other kinds may carry evidence; when they do, it
is validated the same way. ``unverified`` rows are listed as ``info`` findings
(never a failure, even with ``--strict``) so the gap stays visible.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from .glossary import Problem

COINED = "coined"
UNVERIFIED = "unverified"
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_url(value: str) -> bool:
    return bool(_URL_RE.match(value))


def _date_problem(value: str, today: _dt.date) -> str:
    if not _DATE_RE.match(value):
        return f"checked must be an ISO date (YYYY-MM-DD) or {UNVERIFIED!r}; got {value!r}"
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        return f"checked {value!r} is not a real date"
    if day > today:
        return f"checked {value} is in the future"
    return ""


def evidence_status(term) -> str:
    """``checked``, ``unverified``, ``coined`` or ``missing`` for a term's own evidence columns."""
    url = getattr(term, "evidence_url", "")
    if url == COINED:
        return "coined"
    if is_url(url):
        return "unverified" if getattr(term, "checked", "") == UNVERIFIED else "checked"
    return "missing"


def evidence_problems(terms: Iterable, today: _dt.date | None = None) -> list[Problem]:
    """Problems of the evidence columns (see the module docstring for the rule)."""
    today = today or _dt.date.today()
    problems: list[Problem] = []
    for term in terms:
        url = getattr(term, "evidence_url", "")
        checked = getattr(term, "checked", "")
        variants = getattr(term, "variants", ())

        def add(severity: str, code: str, message: str, term=term) -> None:
            problems.append(Problem(term.file, term.line, severity, code, message))

        needs = term.kind == "organisation" and not term.abbreviation_of
        if not url:
            if needs:
                add("error", "evidence", f"{term.zh}: organisation without evidence_url (a URL of the body's "
                                         f"own English page, an official translation or the government's "
                                         f"English portal, or {COINED!r})")
            if checked:
                add("error", "evidence", f"{term.zh}: checked {checked!r} without an evidence_url")
        elif url == COINED:
            if checked:
                add("error", "evidence", f"{term.zh}: a coined name has no checked date (got {checked!r})")
        elif not is_url(url):
            add("error", "evidence", f"{term.zh}: evidence_url must be an http(s) URL or {COINED!r}; got {url!r}")
        elif checked == UNVERIFIED:
            add("info", "unverified", f"{term.zh}: English not verified against {url}")
        elif not checked:
            add("error", "evidence", f"{term.zh}: evidence_url without a checked date (or {UNVERIFIED!r})")
        else:
            message = _date_problem(checked, today)
            if message:
                add("error", "evidence", f"{term.zh}: {message}")
        for variant in variants:
            if _CJK.search(variant):
                add("error", "variants", f"{term.zh}: variant {variant!r} contains Chinese characters")
            elif variant == term.en:
                add("error", "variants", f"{term.zh}: variant {variant!r} is the approved English itself")
        if len(set(variants)) != len(variants):
            add("warning", "variants", f"{term.zh}: a variant is listed twice")
    return problems


def evidence_summary(terms: Iterable) -> dict[str, int]:
    """Counts of organisation full forms by :func:`evidence_status`."""
    counts = {"checked": 0, "unverified": 0, "coined": 0, "missing": 0}
    for term in terms:
        if term.kind == "organisation" and not term.abbreviation_of:
            counts[evidence_status(term)] += 1
    return counts
