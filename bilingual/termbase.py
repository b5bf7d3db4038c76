"""Glossary interchange (CSV, Weblate CSV, TBX).

Exchange formats
----------------
* ``csv``: the Weblate glossary layout — a header naming translate-toolkit CSV
  fields (``location,source,target,context,developer_comments``): ``source`` is
  the zh form, ``target`` the approved English, ``context`` the kind and
  ``developer_comments`` the note, full form, English abbreviation and source.
  For Weblate only; it is not read back.
* ``tbx``: TBX-Basic (2008 ``martif``, which Weblate and Translate Toolkit read)
  or TBX v3 TBX-Basic DCA, one concept entry per concept: see :mod:`bilingual.tbx`.
  :func:`read_tbx` reads both back into rows (lossless for every CSV field and the
  file split) and reads TBX exported by Weblate (defaults for what it lacks).

Coverage
--------
:func:`coverage` (what a new document needs from the glossary) lives in
:mod:`bilingual.coverage`; its names are importable from here too.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .csvsafe import cell_problem, neutralise
from .errors import BilingualError
from .glossary import (
    COLUMNS,
    QUOTE_CHARS,
    Glossary,
    GlossaryTerm,
)
from .tbx import export_tbx, read_tbx  # TBX lives in bilingual/tbx.py; imported here for callers


def term_row(term) -> dict[str, str]:
    """The CSV row (COLUMNS) of a term."""
    return {"zh": term.zh, "en": term.en, "kind": term.kind, "full_form": term.abbreviation_of,
            "en_abbr": getattr(term, "en_abbr", ""), "note": term.note, "source": term.source,
            "evidence_url": getattr(term, "evidence_url", ""), "checked": getattr(term, "checked", ""),
            "variants": "|".join(getattr(term, "variants", ()))}


def _stem(term) -> str:
    return Path(term.file).stem if term.file else "glossary"


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    """Rows in the project CSV layout (header + rows)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        for column in COLUMNS:  # the glossary loader refuses these cells: never write one
            why = cell_problem(row.get(column, ""), column)
            if why:
                raise BilingualError(f"term {row.get('zh', '?')!r}: {column} {why}; not written")
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return out.getvalue()


# --------------------------------------------------------------------------- Weblate CSV


def export_weblate_csv(glossary: Glossary) -> str:
    """CSV with a translate-toolkit header that Weblate imports into a glossary."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["location", "source", "target", "context", "developer_comments"])
    for term in glossary.terms:
        comments = [term.note]
        if term.abbreviation_of:
            comments.append(f"Abbreviation of {term.abbreviation_of}.")
        abbr = getattr(term, "en_abbr", "")
        if abbr:
            comments.append(f"English abbreviation: {abbr}.")
        comments.append(f"Source of the English: {term.source}.")
        url, checked = glossary.evidence(term)
        if url:
            comments.append(f"Evidence: {url}" + (f" (checked {checked})." if checked else "."))
        variants = glossary.variants(term)
        if variants:
            comments.append(f"Known variants in official sources (not approved): {'; '.join(variants)}.")
        location = f"{Path(term.file).name}:{term.line}" if term.file else ""
        cells = [location, term.zh, glossary.english(term), term.kind, " ".join(c for c in comments if c)]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()


def write_rows(rows: list[dict[str, str]], output: str | Path, source: str | Path | None = None) -> list[Path]:
    """Write imported rows: one CSV file, or one CSV per source file into a directory.

    Into a directory, each row's ``file`` (a TBX ``projectSubset``, a CSV's ``file`` column) names
    its CSV. It comes from the imported file, so it must be a plain name: ``../x`` or ``/etc/x``
    would write outside the folder. Every name is checked, and every target vetted, before the
    first write: one bad name writes nothing (``source``: the imported file, for the message).
    """
    from .fileio import atomic_write_text, check_outputs

    output = Path(output)
    if not output.is_dir():
        atomic_write_text(output, rows_to_csv(rows))
        return [output]
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row.get("file") or "imported", []).append(row)
    for stem in groups:
        if not _plain_file_name(stem):
            raise BilingualError(f"the glossary file name {stem!r} of its terms is not a plain file name "
                                 f"for {output} (a name such as 'agencies': no folder, no '..', no control "
                                 "character); nothing written", source)
    texts = {output / f"{stem}.csv": rows_to_csv(group) for stem, group in groups.items()}  # a refused cell: none written
    check_outputs(texts)
    for path, text in texts.items():
        atomic_write_text(path, text)
    return list(texts)


def _plain_file_name(name: str) -> bool:
    """A name that stays in its folder: no separator, not ``.`` or ``..``, no character no reader sees."""
    from .invisible import UNSEEN_RE

    return name not in ("", ".", "..") and not any(sep in name for sep in ("/", "\\")) and not UNSEEN_RE.search(name)


# Coverage of new documents lives in coverage.py; its names stay importable from here.
from .coverage import (  # noqa: E402,F401
    CoverageReport,
    OrgName,
    QuotedTerm,
    closest_names,
    coverage,
    frequent_ngrams,
    organisation_candidates,
    quoted_terms,
    read_document,
    split_bodies,
)

__all__ = [
    "CoverageReport", "GlossaryTerm", "OrgName", "QUOTE_CHARS", "QuotedTerm", "closest_names", "coverage",
    "export_tbx", "export_weblate_csv", "frequent_ngrams", "organisation_candidates", "quoted_terms",
    "read_document", "read_tbx", "rows_to_csv", "term_row", "write_rows",
]
