"""What ``bilingual check`` reports: the :class:`Finding` record, its severities, counts and exit code.

Split from check.py so that every module that produces findings (the catalogue and file
checks in check.py, the per-entry checks in checkentry.py, the source comparison in
checksource.py) shares one record and one severity scale without importing each other;
``bilingual check`` prints them as a table or as JSON (``to_dict``) and exits 1 on an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
CHECKS = ("syntax", "header", "duplicate", "untranslated", "fuzzy", "numbers", "glossary", "names", "chinese",
          "brackets", "whitespace", "mt-check", "suspect-name", "repetition", "stub", "control", "conflict", "pseudo")
#: Checks whose errors mean ``msgfmt --check`` rejects the file too.
GETTEXT_CHECKS = ("syntax", "whitespace")


@dataclass(frozen=True)
class Finding:
    """One QA problem. ``line`` is the line of the entry in the PO file (0 if unknown)."""

    severity: str
    ctx: str
    check: str
    message: str
    path: str = ""
    line: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def exit_code(findings: Iterable[Finding]) -> int:
    """1 when any finding is an error, else 0."""
    return 1 if any(f.severity == ERROR for f in findings) else 0
