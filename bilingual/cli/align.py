"""``bilingual align``: a Chinese document + its official English → a translation memory and a term report."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ..errors import BilingualError
from .options import max_size_option
from .output import FORMAT_OPTION, JSON_OPTION, emit_json, emit_table, json_wanted, plain_output, warn


@click.command()
@click.argument("zh_source", type=click.Path(path_type=Path))
@click.argument("en_source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False),
              help="Memory to write: FILE.tmx (TMX 1.4b) or FILE.po (one entry per pair). Default: write nothing.")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project glossary folder, on top of the built-in termbase: names, anchors and the terminology "
                   "report (default: bilingual.toml's, else ./glossary if it exists).")
@click.option("--name", help="Document id in the memory's header. Default: from the Chinese file name.")
@click.option("--encoding", help="Encoding of the Chinese source (default: detect).")
@click.option("--en-encoding", help="Encoding of the English version (default: detect).")
@click.option("--report-csv", type=click.Path(path_type=Path, readable=False),
              help="Write the terminology report as glossary CSV rows (zh,en,kind,…) for a terminologist.")
@click.option("--gold", type=click.Path(path_type=Path, readable=False),
              help="A hand-made alignment (Chinese<TAB>English a line): print precision and recall against it.")
@click.option("--min-precision", type=click.FloatRange(0, 1), default=None,
              help="With --gold: exit 1 when precision is lower.")
@click.option("--min-recall", type=click.FloatRange(0, 1), default=None,
              help="With --gold: exit 1 when recall is lower.")
@click.option("--show", "show", type=click.Choice(["pairs", "left-out", "both"]), default=None,
              help="Also list the pairs, what was left out, or both.")
@FORMAT_OPTION
@JSON_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Plain tab-separated output.")
@max_size_option
def align(zh_source, en_source, output, glossary_dir, name, encoding, en_encoding, report_csv, gold, min_precision,
          min_recall, show, fmt, as_json, quiet):
    """Align ZH_SOURCE with its official English EN_SOURCE (txt, md, PDF, DOCX, HTML).

    Pairs the structure first (issuing bodies, number, title, sections, measures,
    lead agencies), then the sentences of each part; what cannot be paired with
    confidence is left out. Prints the glossary names whose official English
    differs from the glossary's. Use the memory with: bilingual translate --tm MEMORY.
    """
    from ..align import align_files
    from ..align.outputs import evaluate, memory_format, read_gold, render
    from ..align.report import report_csv as findings_csv
    from ..align.report import terminology
    from ..config import document_name_for
    from ..fileio import atomic_write_text, check_outputs
    from ..glossary_layers import command_glossary, project_config

    if (min_precision is not None or min_recall is not None) and gold is None:
        raise BilingualError("--min-precision and --min-recall need --gold")
    fmt_out = memory_format(output) if output is not None else None
    glossary = command_glossary(glossary_dir, project_config())
    check_outputs([p for p in (output, report_csv) if p is not None],
                  [zh_source, en_source, *(layer.path for layer in glossary.layers), *([gold] if gold else [])])
    gold_pairs = read_gold(gold) if gold is not None else None
    result = align_files(zh_source, en_source, glossary, encoding=encoding, en_encoding=en_encoding)
    findings = terminology(result)  # with the document's issuer scope, as translate uses it
    score = evaluate(result, gold_pairs) if gold_pairs is not None else None
    document = name or document_name_for(Path(zh_source))
    if output is not None:
        atomic_write_text(output, render(result, fmt_out, document))
    if report_csv is not None:
        atomic_write_text(report_csv, findings_csv(findings, result))
    for message in result.warnings:
        warn(message)

    if json_wanted(fmt, as_json):
        emit_json(_as_json(result, findings, score, output, show))
    else:
        _print(result, findings, score, output, report_csv, show, quiet)
    failed = score is not None and ((min_precision is not None and score.precision < min_precision)
                                    or (min_recall is not None and score.recall < min_recall))
    if failed:
        sys.exit(1)


def _counts(result) -> dict[str, int]:
    kinds = Counter(p.kind for p in result.pairs)
    beads = Counter(p.bead for p in result.pairs if p.kind == "sentence")
    return {"pairs": len(result.pairs), "names": kinds["name"], "fields": kinds["field"],
            "sentences": kinds["sentence"], "agency_lists": kinds["agencies"], "beads_1_1": beads["1-1"],
            "beads_1_2": beads["1-2"], "beads_2_1": beads["2-1"],
            "left_out_zh": sum(1 for x in result.left_out if x.side == "zh"),
            "left_out_en": sum(1 for x in result.left_out if x.side == "en")}


def _as_json(result, findings, score, output, show) -> dict:
    data = {"zh": result.zh_source, "en": result.en_source, "memory": str(output) if output else None,
            "length_ratio": round(result.ratio, 3), **_counts(result),
            "terminology": [f.as_dict() for f in findings], "warnings": list(result.warnings)}
    if score is not None:
        data["gold"] = score.as_dict()
    if show in ("pairs", "both"):
        data["pairs"] = [{"ctx": p.ctx, "zh": p.zh, "en": p.en, "kind": p.kind, "bead": p.bead}
                         for p in result.pairs]
    if show in ("left-out", "both"):
        data["left_out"] = [{"side": x.side, "ctx": x.ctx, "text": x.text, "reason": x.reason}
                            for x in result.left_out]
    return data


def _print(result, findings, score, output, report_csv, show, quiet) -> None:
    counts = _counts(result)
    rows = [[k.replace("_", " "), v] for k, v in counts.items()]
    emit_table("bilingual align", ["pairs", "count"], rows, quiet=quiet)
    if show in ("pairs", "both"):
        click.echo("")
        emit_table("aligned pairs", ["ctx", "bead", "zh", "en"],
                   [[p.ctx, p.bead, p.zh, p.en] for p in result.pairs], quiet=True)
    if show in ("left-out", "both"):
        click.echo("")
        emit_table("left out", ["side", "ctx", "reason", "text"],
                   [[x.side, x.ctx, x.reason, x.text] for x in result.left_out], quiet=True)
    click.echo("")
    if findings:
        click.echo(f"terminology: {len(findings)} name(s) whose official English differs from the glossary")
        for finding in findings:
            click.echo(finding.line())
    else:
        click.echo("terminology: every glossary name is written as the glossary writes it")
    if score is not None:
        click.echo("")
        click.echo(f"gold: precision {score.precision:.3f} ({score.correct}/{score.found}), "
                   f"recall {score.recall:.3f} ({score.correct}/{score.gold})")
        for zh, en in score.wrong:
            click.echo(f"  not in gold: {zh}\t{en}")
        for zh, en in score.missed:
            click.echo(f"  missed: {zh}\t{en}")
    if output is not None and not plain_output(quiet):
        click.echo(f"memory: {output} ({counts['pairs']} pairs)")
    elif output is not None:
        click.echo(f"memory\t{output}")
    if report_csv is not None:
        click.echo(f"report: {report_csv}" if not plain_output(quiet) else f"report\t{report_csv}")
