"""``bilingual glossary``: check, look up, export, import and measure coverage.

Every sub-command works on the built-in termbase plus the project's glossary
folder: ``--glossary DIR``, else ``[defaults] glossary`` of ``./bilingual.toml``,
else ``./glossary`` when it exists (:mod:`bilingual.glossary_layers`). Output is a
rich table on a terminal and plain lines with ``--quiet`` or when piped.

Exit codes (``sys.exit``: the CLI runs Click with ``standalone_mode=False``,
which swallows ``ctx.exit`` codes): ``check`` 0 = valid (warnings allowed
unless ``--strict``), 1 = errors; ``lookup`` 1 = nothing found; ``coverage`` 0,
or 1 with ``--strict`` when a quoted term or an organisation name is not
covered; 2 = usage or input problem (BilingualError).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import BilingualError
from .options import max_size_option
from .output import (
    FORMAT_OPTION,
    JSON_OPTION,
    FullHelpGroup,
    emit_json,
    emit_table,
    json_wanted,
    plain_output,
    warn,
)

GLOSSARY_OPTION = click.option(
    "--glossary", "glossary_dir", type=click.Path(path_type=Path), default=None,
    help="Project glossary folder, on top of the built-in termbase (default: bilingual.toml's, "
         "else ./glossary if it exists).")
QUIET_OPTION = click.option("--quiet", "-q", is_flag=True, help="Plain output, no tables.")


@click.group(name="glossary", cls=FullHelpGroup)
def glossary() -> None:
    """Check, look up, export and import the terminology glossary."""


# --------------------------------------------------------------------------- check


@glossary.command()
@GLOSSARY_OPTION
@QUIET_OPTION
@FORMAT_OPTION
@JSON_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(glossary_dir: Path, quiet: bool, fmt: str, as_json: bool, strict: bool) -> None:
    """Validate every glossary file and the evidence of its organisation names; exit 1 on errors.

    A project glossary is checked together with the built-in termbase it sits on:
    rows that refer to each other across the two are resolved, and every project row
    that overrides a built-in one is listed (info, with both English forms). Info
    findings (an override; English not yet verified against its URL) never fail the check.
    """
    from ..evidence import evidence_summary
    from ..glossary import check_directory
    from ..glossary.files import csv_files
    from ..glossary_layers import BUILTIN, command_settings, glossary_layers, layer_of, project_config

    project, builtin = command_settings(glossary_dir, project_config())
    layers = glossary_layers(project, builtin=builtin)
    terms, problems = check_directory(project, builtin=builtin)
    if len(layers) > 1:  # the built-in termbase's own to-do notes are its maintainers', not the project's
        problems = [p for p in problems if p.severity != "info" or layer_of(p.file, layers) != BUILTIN]
    order = {"error": 0, "warning": 1, "info": 2}
    problems.sort(key=lambda p: (order.get(p.severity, 3), p.file, p.line))
    errors = [p for p in problems if p.severity == "error" or (strict and p.severity == "warning")]
    files = [path for layer in layers for path in csv_files(layer.path)]  # every file read, also one without a usable row
    glossary_dir = layers[-1].path
    columns = ("severity", "file", "line", "check", "message")  # table columns = JSON keys
    rows = [dict(zip(columns, (p.severity, p.file, p.line, p.code, p.message), strict=True)) for p in problems]
    counts = {"terms": len(terms), "files": len(files), "errors": sum(p.severity == "error" for p in problems),
              "warnings": sum(p.severity == "warning" for p in problems),
              "overrides": sum(p.code == "override" for p in problems),
              # the evidence of the project's own rows when it has a layer on top of the termbase
              "evidence": evidence_summary([t for t in terms if len(layers) == 1 or layer_of(t, layers) != BUILTIN])}
    if json_wanted(fmt, as_json):
        emit_json({"glossary": str(glossary_dir), "layers": [{"name": x.name, "path": str(x.path)} for x in layers],
                   "summary": counts, "passed": not errors, "problems": rows})
    elif plain_output(quiet):
        for problem in problems:
            click.echo(str(problem))
    elif problems:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"bilingual glossary check {glossary_dir}")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            style = {"error": "bold red", "warning": "yellow"}.get(row["severity"], "dim")
            table.add_row(f"[{style}]{row['severity']}[/]", row["file"], str(row["line"] or ""), row["check"],
                          row["message"])
        Console().print(table)
    if not json_wanted(fmt, as_json):
        overrides = f", {counts['overrides']} override(s) of the built-in termbase" if len(layers) > 1 else ""
        evidence = counts["evidence"]
        whose = " of this project's rows" if len(layers) > 1 else ""  # the built-in rows are checked upstream
        click.echo(f"{counts['terms']} term(s) in {counts['files']} file(s): {counts['errors']} error(s), "
                   f"{counts['warnings']} warning(s){overrides}; organisation evidence{whose}: {evidence['checked']} "
                   f"checked, {evidence['unverified']} unverified, {evidence['coined']} coined, "
                   f"{evidence['missing']} missing", err=plain_output(quiet))
    if errors:
        sys.exit(1)


# --------------------------------------------------------------------------- export / import


@glossary.command()
@GLOSSARY_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]), default="tbx", show_default=True,
              help="csv: Weblate glossary CSV; tbx: TBX-Basic (or v3 with --tbx-version 3).")
@click.option("--tbx-version", type=click.Choice(["2", "3"]), default="2", show_default=True,
              help="2 = TBX-Basic <martif> (Weblate, translate-toolkit); 3 = TBX v3 DCA <tbx>.")
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False), help="Write here (atomically) instead of stdout.")
def export(glossary_dir: Path, fmt: str, tbx_version: str, output: Path | None) -> None:
    """Export the glossary as Weblate CSV or TBX."""
    from ..fileio import check_outputs
    from ..glossary_layers import command_glossary, project_config
    from ..termbase import export_tbx, export_weblate_csv

    loaded = command_glossary(glossary_dir, project_config())
    if output is not None:
        check_outputs([output], [layer.path for layer in loaded.layers])  # never over a glossary file
    text = export_weblate_csv(loaded) if fmt == "csv" else export_tbx(loaded, version=int(tbx_version))
    if output is None:
        click.echo(text, nl=False)
        return
    from ..fileio import atomic_write_text

    atomic_write_text(output, text)
    click.echo(f"wrote {len(loaded.terms)} term(s) to {output}", err=True)


@glossary.command(name="import")
@click.argument("tbx_file", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False),
              help="CSV file to write, or an existing folder: one CSV per original glossary file.")
@GLOSSARY_OPTION
@FORMAT_OPTION
@JSON_OPTION
@max_size_option
def import_(tbx_file: Path, output: Path | None, glossary_dir: Path, fmt: str, as_json: bool) -> None:
    """Read a TBX file (ours, or a Weblate glossary export) or the CSV of align --report-csv into the glossary layout.

    Without -o the rows are printed: CSV, or JSON with --format json. Terms without
    a kind, note or source get defaults, which a warning names.
    """
    from ..fileio import check_outputs
    from ..termbase import read_tbx, rows_to_csv, write_rows

    if output is not None and not output.is_dir():
        check_outputs([output], [tbx_file])
    notes: list[str] = []
    if tbx_file.suffix.lower() == ".csv":  # a CSV in the glossary layout, such as align --report-csv writes
        from ..align.report import read_glossary_csv

        rows = read_glossary_csv(tbx_file)
    else:
        rows = read_tbx(tbx_file, notes)
    for note in notes:
        warn(f"{tbx_file}: {note}")
    written = write_rows(rows, output, tbx_file) if output is not None else []
    if json_wanted(fmt, as_json):
        emit_json({"rows": rows if output is None else len(rows), "written": [str(p) for p in written],
                   "warnings": notes})
    elif output is None:
        click.echo(rows_to_csv(rows), nl=False)
    else:
        click.echo(f"wrote {len(rows)} row(s) to {', '.join(str(p) for p in written)}", err=True)


# --------------------------------------------------------------------------- lookup


@glossary.command()
@click.argument("term")
@GLOSSARY_OPTION
@QUIET_OPTION
@FORMAT_OPTION
@JSON_OPTION
def lookup(term: str, glossary_dir: Path, quiet: bool, fmt: str, as_json: bool) -> None:
    """Entries whose zh, English or known variant contains TERM (an abbreviation also shows its full form).

    Each row shows the known variants of the name and the evidence of its English. The
    layer column says where each row comes from (built-in termbase or project glossary);
    overrides is the built-in English a project row replaces.
    """
    from ..glossary import term_key
    from ..glossary_layers import command_glossary, layer_of, project_config

    loaded = command_glossary(glossary_dir, project_config())
    replaced = {id(o.term): o.replaced for o in loaded.overrides}
    needle, key = term.casefold(), term_key(term)
    hits = []
    for t in loaded.terms:
        en_abbr = getattr(t, "en_abbr", "")
        variants = getattr(t, "variants", ())
        if (key and key in term_key(t.zh) or needle in t.en.casefold() or (en_abbr and needle == en_abbr.casefold())
                or any(needle in v.casefold() for v in variants)):
            hits.append(t)
    exact = loaded.lookup(term)
    if exact is not None and exact.abbreviation_of:
        full = loaded.full_form(exact)
        if full not in hits:
            hits.append(full)
    rows = []
    for t in hits:
        url, checked = loaded.evidence(t)
        rows.append({"zh": t.zh, "english": loaded.english(t), "kind": t.kind, "full_form": t.abbreviation_of,
                     "en_abbr": getattr(t, "en_abbr", ""), "variants": list(loaded.variants(t)), "note": t.note,
                     "source": t.source, "evidence_url": url, "checked": checked,
                     "layer": layer_of(t, loaded.layers),
                     "overrides": replaced[id(t)].en if id(t) in replaced else "",
                     "where": f"{t.file}:{t.line}"})
    if json_wanted(fmt, as_json):
        emit_json(rows)
    else:
        for r in rows:
            r["variants"] = " | ".join(r["variants"])
        columns = ("zh", "english", "kind", "full_form", "variants", "note", "evidence_url", "checked", "layer",
                   "overrides", "where")
        if plain_output(quiet):
            emit_table("", columns, [[r[c] for c in columns] for r in rows], quiet=True)
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"glossary lookup: {term}")
            for column in columns:
                table.add_column(column, overflow="fold")
            for r in rows:
                table.add_row(*(r[c] for c in columns))
            Console().print(table)
    if not hits:
        warn(f"{term}: not in the glossary")
        sys.exit(1)


# --------------------------------------------------------------------------- coverage


@glossary.command()
@click.argument("source", type=click.Path(path_type=Path, readable=False))
@GLOSSARY_OPTION
@QUIET_OPTION
@FORMAT_OPTION
@JSON_OPTION
@click.option("--min-count", type=int, default=3, show_default=True, help="Minimum n-gram frequency.")
@click.option("--strict", is_flag=True, help="Exit 1 when a quoted term or organisation name is not covered.")
@max_size_option
def coverage(source: Path, glossary_dir: Path, quiet: bool, fmt: str, as_json: bool, min_count: int,
             strict: bool) -> None:
    """What in SOURCE the glossary does not cover: quoted terms, organisation names, frequent n-grams.

    The glossary is the document's scope (its issuer's short forms, as translate uses them);
    bodies that share a line (海关总署 发展改革委 财政部) are reported one by one.
    """
    from ..glossary_layers import command_glossary, project_config
    from ..termbase import coverage as measure
    from ..termbase import frequent_ngrams, read_document

    loaded = command_glossary(glossary_dir, project_config())
    text, how = read_document(source)
    if how != "ingest.read_source" and not quiet:
        warn("bilingual.ingest is unavailable; read SOURCE as plain UTF-8 (no extraction repairs)")
    loaded, inference, suspects = _document_scope(source, loaded)
    if not json_wanted(fmt, as_json):
        click.echo(f"{source}: {inference}", err=True)
    report = measure(text, loaded, source=str(source), suspects=suspects)
    if min_count != 3:
        reported = [q.text for q in report.quoted] + [o.text for o in report.organisations]
        report.ngrams = frequent_ngrams(text, loaded, min_count=min_count, reported=reported)
    unknown = report.unknown_quoted
    if json_wanted(fmt, as_json):
        emit_json({
            "source": report.source,
            "issuer": inference,
            "quoted": [{"term": q.text, "count": q.count, "status": q.status} for q in report.quoted],
            "organisations": [{"name": o.text, "count": o.count,
                               "closest": [{"zh": zh, "en": en, "score": score} for zh, en, score in o.closest]}
                              for o in report.organisations],
            "ngrams": [{"ngram": g, "count": c} for g, c in report.ngrams],
        })
    else:
        # the tables' columns are the JSON keys
        emit_table("Quoted terms not in the glossary", ("term", "count", "status"),
                   [(q.text, q.count, q.status) for q in report.quoted if q.status != "glossary"], quiet=quiet)
        emit_table("Organisation-like names not in the glossary", ("name", "count", "closest"),
                   [(o.text, o.count, "; ".join(f"{zh} ({en}) {score:.0f}" for zh, en, score in o.closest))
                    for o in report.organisations], quiet=quiet)
        emit_table(f"Frequent n-grams (≥{min_count}) not covered", ("ngram", "count"), report.ngrams,
                   quiet=quiet)
        covered = sum(q.status != "unknown" for q in report.quoted)
        click.echo(f"{source}: {covered}/{len(report.quoted)} quoted term(s) covered, "
                   f"{len(report.organisations)} unknown organisation name(s), "
                   f"{len(report.ngrams)} frequent n-gram(s)", err=plain_output(quiet))
    if strict and (unknown or report.organisations):
        sys.exit(1)


def _document_scope(source: Path, loaded):
    """The glossary scope translate would use for SOURCE (issuer inferred from its structure), and
    the unknown bodies translate would flag as suspect names in it (the same functions)."""
    from collections import Counter

    from ..scope import document_glossary
    from ..suspects import document_suspects

    try:
        from ..ingest import read_source
        from ..segment import segment_document
        from ..structure import parse

        document = parse(read_source(source))
    except BilingualError:
        return loaded, "issuer: unsure (the document could not be structured)", Counter()
    scoped, inference = document_glossary(loaded, document)
    return scoped, inference.describe(), document_suspects(segment_document(document), scoped)


__all__ = ["glossary", "BilingualError"]
