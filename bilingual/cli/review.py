"""``bilingual check`` (the QA gate) and ``bilingual build`` (publications from PO files).

Both take PO files as arguments or ``--config bilingual.toml`` (every
``[[document]]``'s ``po``; ``build`` then uses each document's ``build`` list,
default ``["md"]``). Without either, ``./bilingual.toml`` is used if present.

Exit codes: ``check`` 0 = no error, 1 = errors found (with ``--strict`` fuzzy and
untranslated entries are errors too); 2 = usage or input problem
(:class:`BilingualError`). ``build`` 0 = written, 2 = refused or failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import BilingualError
from .options import max_size_option
from .output import FORMAT_OPTION, JSON_OPTION, json_wanted, plain_output

DEFAULT_CONFIG = Path("bilingual.toml")


def _config_documents(config_path: Path | None, po_files: tuple[Path, ...]):
    """(config or None, its documents) — the default config only when no PO file is given."""
    from ..config import load_config

    if config_path is None and not po_files and DEFAULT_CONFIG.exists():
        config_path = DEFAULT_CONFIG
    if config_path is None:
        return None, []
    config = load_config(config_path)
    return config, list(config.documents)


def _load_glossary(glossary_dir: Path | None, config, *, needed: bool):
    """The glossary (built-in termbase + the project's), when the command needs one."""
    if not needed:
        return None
    from ..glossary_layers import command_glossary

    return command_glossary(glossary_dir, config)


def _scoped(glossary, doc, po_path=None):
    """The glossary of a document: its config's ``glossary_files``, else the scope of the issuer
    inferred from the PO file's cover-notice entries (issuer.py, scope.py) — as translate chose it."""
    if glossary is None:
        return glossary
    if doc is not None and doc.glossary_files:
        from ..glossary import load_scoped

        return load_scoped(glossary, doc.glossary_files)
    path = po_path if po_path is not None else getattr(doc, "po", None)
    try:
        import polib

        catalog = polib.pofile(str(path))
    except (OSError, ValueError, TypeError):
        return glossary  # check reports the unreadable file itself
    from ..issuer import infer_catalog
    from ..scope import scoped_glossary

    return scoped_glossary(glossary, infer_catalog(catalog).place)


# --------------------------------------------------------------------------- check

def _render_table(findings, counts, files, console) -> None:
    from rich.table import Table

    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    if findings:
        single = len({f.path for f in findings}) == 1
        table = Table(title=f"bilingual check: {findings[0].path}" if single else "bilingual check",
                      title_justify="left")
        table.add_column("severity", no_wrap=True)  # the columns are the JSON keys of a finding
        if not single:
            table.add_column("path", overflow="fold", max_width=30)
        table.add_column("line", no_wrap=True, justify="right")
        table.add_column("ctx", no_wrap=True)
        table.add_column("check", no_wrap=True)
        table.add_column("message", overflow="fold", ratio=1)
        for f in findings:
            cells = [f"[{styles[f.severity]}]{f.severity}[/]", *([] if single else [f.path]),
                     str(f.line or ""), f.ctx, f.check, f.message]
            table.add_row(*cells)
        console.print(table)
    by_check: dict[str, int] = {}
    for f in findings:
        by_check[f.check] = by_check.get(f.check, 0) + 1
    detail = ", ".join(f"{name} {count}" for name, count in sorted(by_check.items()))
    console.print(
        f"[bold]{len(files)} file(s):[/] [bold red]{counts['error']} error(s)[/], "
        f"[yellow]{counts['warning']} warning(s)[/], [cyan]{counts['info']} info[/]"
        + (f"  ({detail})" if detail else ""), highlight=False)


def _tsv(value: object) -> str:
    from ..csvsafe import neutralise_tsv

    return neutralise_tsv(value)


@click.command()
@click.argument("po_files", nargs=-1, type=click.Path(path_type=Path, readable=False))  # a folder: one line from fileio
@click.option("--strict", is_flag=True,
              help="Fuzzy and untranslated entries are errors too (the publish gate).")
@FORMAT_OPTION
@JSON_OPTION
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project glossary folder, on top of the built-in termbase (default: the config's, else "
                   "./glossary if it exists).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), default=None,
              help="Check the PO file of every [[document]] in this TOML file (e.g. bilingual.toml).")
@click.option("-q", "--quiet", is_flag=True, help="Plain tab-separated findings only, no summary.")
@max_size_option
def check(po_files, strict, fmt, as_json, glossary_dir, config_path, quiet) -> None:
    """QA PO files: numbers, glossary terms, Chinese left over, brackets, whitespace, header.

    With --config each PO file is also compared with its source document: a sentence
    without an entry is an error.

    Exit 1 when an error is found (reviewed entries that drift from the glossary,
    lose a number or keep Chinese; broken files); warnings do not fail unless
    --strict turns fuzzy/untranslated entries into errors.
    """
    from ..check import check_files, exit_code, summary
    from ..checksource import source_findings

    config, documents = _config_documents(config_path, po_files)
    files = list(po_files) + [doc.po for doc in documents]
    if not files:
        raise BilingualError("nothing to check: give PO files or --config bilingual.toml")
    fmt = "json" if json_wanted(fmt, as_json) else fmt
    glossary = _load_glossary(glossary_dir, config, needed=True)
    findings = []
    for po_file in po_files:
        findings += check_files([po_file], _scoped(glossary, None, po_file), strict=strict)
    for doc in documents:  # each document against the glossary files that apply to it, and its source
        findings += check_files([doc.po], _scoped(glossary, doc), strict=strict)
        findings += source_findings(doc, strict=strict)
    counts = summary(findings)
    code = exit_code(findings)
    if fmt == "json":
        document = {
            "tool": "bilingual check",
            "schema": 1,
            "strict": strict,
            "glossary": getattr(glossary, "directory", None) if glossary is not None else None,
            "files": [str(p) for p in files],
            "summary": counts,
            "passed": code == 0,
            "findings": [f.to_dict() for f in findings],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
    elif plain_output(quiet):
        for f in findings:
            click.echo("\t".join(_tsv(v) for v in (f.path, f.line, f.severity, f.check, f.ctx, f.message)))
        if not quiet:
            click.echo(f"{len(files)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
                       f"{counts['info']} info", err=True)
    else:
        from rich.console import Console

        _render_table(findings, counts, files, Console())
    if code:
        # SystemExit works both under main() (standalone_mode=False) and Click's own runner.
        sys.exit(code)


# --------------------------------------------------------------------------- build


def _check_build_outputs(jobs, output: Path | None, config, glossary_dir, templates) -> None:
    """Refuse, before anything is built, an output that is one of the files the build depends on
    (bilingual/inputs.py): a PO file, the source it names, the config, a glossary or template file."""
    from ..build import default_output
    from ..fileio import check_outputs
    from ..inputs import po_inputs, project_inputs

    outputs = [output] if output is not None else [default_output(p, fmt, _loaded(p)) for p, fmts, _ in jobs
                                                   for fmt in fmts]
    check_outputs(outputs, po_inputs(p for p, _, _ in jobs) + project_inputs(config, glossary_dir, templates))
    if output is not None:
        from ..inputs import replaceable_build

        refusal = replaceable_build(output, jobs[0][1][0])
        if refusal is not None:
            raise BilingualError(refusal, output)


def _loaded(po_path: Path):
    """The PO file's catalogue (its document id names the default outputs), or None: build reports it."""
    from ..check import load_po

    try:
        return load_po(po_path)
    except BilingualError:
        return None

SOURCE_SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")


def _require_po(path: Path) -> None:
    """``build`` reads PO files; a source document given by mistake gets the command it needs."""
    if path.is_dir():
        raise BilingualError("is a directory; build takes a PO file", path)
    suffix = path.suffix.lower()
    if suffix in (".po", ".pot"):
        return
    if suffix in SOURCE_SUFFIXES:
        raise BilingualError(f"is a source document; build takes a PO file — did you mean "
                             f"'bilingual translate {path}'? (then build its .po file)", path)
    raise BilingualError("build takes a PO file (.po); did you mean 'bilingual translate' for a source "
                         "document?", path)


@click.command()
@click.argument("po_files", nargs=-1, type=click.Path(path_type=Path, readable=False))
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice(["md", "html", "bilingual-html", "tmx"]),
              help="Output format (repeatable). Default: md, or each document's build list with --config.")
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False), default=None,
              help="Output file ('-' = stdout; one PO file and one format only). "
                   "Default: next to the PO file: <doc>.en.md, <doc>.en.html, <doc>.zh-en.html, <doc>.zh-en.tmx.")
@click.option("--reviewed-only", is_flag=True,
              help="Refuse to build while any entry is fuzzy or untranslated (the publish gate).")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project glossary folder for the bilingual-html term highlighting, on top of the built-in "
                   "termbase (default: the config's, else ./glossary if it exists).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), default=None,
              help="Build every [[document]] of this TOML file in its build formats.")
@click.option("--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of HTML templates that override the shipped ones of the same name "
                   "(english.html, english.css, review.html, review.css …).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@max_size_option
def build(po_files, formats, output, reviewed_only, glossary_dir, config_path, templates, quiet) -> None:
    """Build the English publication (md, html), the review page (bilingual-html) or a TMX memory."""
    from ..build import build as build_text
    from ..build import build_file
    from ..check import load_po

    config, documents = _config_documents(config_path, po_files)
    for path in po_files:
        _require_po(Path(path))
    jobs: list[tuple[Path, tuple[str, ...], object]] = [(Path(p), tuple(formats) or ("md",), None)
                                                         for p in po_files]
    for doc in documents:
        if not doc.po.exists():
            raise BilingualError(f"PO file of document {doc.name!r} not found; run `bilingual translate` first",
                                 doc.po)
        jobs.append((doc.po, tuple(formats) or tuple(doc.build) or ("md",), doc))
    if not jobs:
        raise BilingualError("nothing to build: give a PO file or --config bilingual.toml")
    if output is not None and (len(jobs) != 1 or len(jobs[0][1]) != 1):
        raise BilingualError("-o/--output needs exactly one PO file and one --format")
    if output is None or str(output) != "-":  # never over a PO, its source, a glossary file or the config
        _check_build_outputs(jobs, output, config, glossary_dir, templates)
    needs_glossary = any("bilingual-html" in fmts for _, fmts, _ in jobs)
    default_glossary = _load_glossary(glossary_dir, config, needed=needs_glossary)
    for po_path, fmts, doc in jobs:
        glossary = _scoped(default_glossary, doc, po_path)
        for fmt in fmts:
            if output is not None and str(output) == "-":
                sys.stdout.write(build_text(load_po(po_path), fmt, reviewed_only=reviewed_only,
                                            glossary=glossary, templates=templates))
                continue
            written = build_file(po_path, fmt, output, reviewed_only=reviewed_only, glossary=glossary,
                                 templates=templates)
            if not quiet:
                click.echo(f"{fmt}\t{written}" if plain_output(quiet) else f"wrote {written} ({fmt})")
