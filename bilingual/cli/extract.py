"""``bilingual extract``: a source document → its gettext template (POT), for msgmerge, msginit and Weblate."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BilingualError
from .output import FORMAT_OPTION, JSON_OPTION, emit_json, emit_table, json_wanted, plain_output


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Template to write (one SOURCE only). Default: translations/<name>/<name>.pot")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Extract every [[document]] of this TOML file, each next to its PO file (<name>.pot).")
@click.option("--name", help="Document id (template header). Default: from the file name.")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project glossary folder for the 'glossary:' comments, on top of the built-in termbase "
                   "(default: the config's, else ./glossary if it exists).")
@click.option("--encoding", help="Source encoding; default: detect UTF-8/UTF-16 BOM/GB18030.")
@FORMAT_OPTION
@JSON_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Plain output.")
def extract(sources, output, config_path, name, glossary_dir, encoding, fmt, as_json, quiet) -> None:
    """Write the gettext template (POT) of SOURCE: ids, comments, references, empty msgstr.

    Update a translation to a changed source with: msgmerge --previous OLD.po NEW.pot -o OLD.po
    (bilingual translate does this itself and also follows sentences whose ids shifted).
    Start another target language with: msginit -i FILE.pot -l fr.
    """
    from ..config import default_po_path, document_name_for, load_config
    from ..extract import extract as run

    if output is not None and len(sources) != 1:
        raise BilingualError("-o/--output needs exactly one SOURCE")
    jobs = []  # (source, template, document, encoding, glossary files)
    config = load_config(config_path) if config_path is not None else None
    for doc in config.documents if config is not None else []:
        jobs.append((doc.source, _template_path(doc.po), doc.name, doc.encoding, doc.glossary_files))
    for source in sources:
        document = name or document_name_for(source)
        jobs.append((source, output or _template_path(default_po_path(document)), document, encoding, None))
    if not jobs:
        raise BilingualError("nothing to extract: give SOURCE files or --config bilingual.toml")
    from ..glossary import load_scoped
    from ..glossary_layers import command_glossary

    glossary = command_glossary(glossary_dir, config)
    from ..fileio import check_outputs
    from ..inputs import project_inputs

    # never over a source, the config or a glossary file (a PO file with translations: extract.py)
    check_outputs([template for _, template, *_ in jobs],
                  [source for source, *_ in jobs] + project_inputs(config, glossary_dir))
    results = []
    for source, template, document, source_encoding, files in jobs:
        results.append(run(source, template, name=document, encoding=encoding or source_encoding,
                           glossary=load_scoped(glossary, files) if files else glossary, chosen=bool(files)))
    if json_wanted(fmt, as_json):
        emit_json([r.as_dict() for r in results])
        return
    rows = [[r.document, r.segments, f"{r.pot} ({'written' if r.written else 'unchanged'})"] for r in results]
    emit_table("bilingual extract", ["document", "segments", "pot"], rows, quiet=plain_output(quiet))


def _template_path(po: Path) -> Path:
    """``translations/<doc>/<doc>.en.po`` → ``translations/<doc>/<doc>.pot``."""
    name = po.name
    for suffix in (".po", ".en"):
        name = name.removesuffix(suffix)
    return po.with_name(name + ".pot")
