"""``bilingual translate``: sources → aligned PO files (thin layer over translate.py)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..errors import BilingualError
from .options import max_size_option
from .output import (
    FORMAT_OPTION,
    JSON_OPTION,
    bars_wanted,
    emit_json,
    emit_table,
    json_wanted,
    plain_output,
    warn,
)

SUMMARY_COLUMNS = ("document", "segments", "reused", "rendered", "memory", "cached", "machine", "fuzzy",
                   "flagged", "untranslated")


def _jobs(sources, output, config_path, name):
    from ..config import default_po_path, document_name_for, load_config
    from ..translate import Job

    jobs = []
    config = None
    engine = None
    url = None
    if config_path:
        config = load_config(config_path)
        engine = config.engine
        url = getattr(config, "url", None)  # [defaults] url: the LibreTranslate server
        jobs += [Job(d.name, d.source, d.po, d.encoding, d.glossary_files) for d in config.documents]
    if output and len(sources) != 1:
        raise BilingualError("-o/--output needs exactly one SOURCE")
    for source in sources:
        doc_name = name or document_name_for(Path(source))
        po = Path(output) if output else default_po_path(doc_name)
        jobs.append(Job(doc_name, Path(source), po))
    if not jobs:
        raise BilingualError("nothing to translate: give SOURCE files or --config bilingual.toml")
    writers: dict[Path, Job] = {}
    for job in jobs:
        first = writers.setdefault(job.po.resolve(), job)
        if first is not job:
            raise BilingualError(f"two documents would write the same PO file: {first.name!r} ({first.source}) "
                                 f"and {job.name!r} ({job.source})", job.po)
    return jobs, config, engine, url


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path, readable=False))  # a folder: a one-line error from ingest
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False),
              help="PO file to write (one SOURCE only). Default: translations/<name>/<name>.en.po")
@click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False),
              help="Translate every [[document]] of this TOML file (e.g. bilingual.toml).")
@click.option("--name", help="Document id (PO header, default output folder). Default: from the file name.")
@click.option("--engine", type=click.Choice(["argos", "libretranslate", "pseudo", "none"]), default=None,
              help="MT engine (default: the config's, else argos). 'none' leaves MT entries empty. "
                   "'libretranslate' uses a LibreTranslate server (--url); its API key is read from the "
                   "environment variable LIBRETRANSLATE_API_KEY only, never from the command line.")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project glossary folder, on top of the built-in termbase (default: the config's, else ./glossary if it exists).")
@click.option("--encoding", help="Source encoding; default: detect UTF-8/UTF-16 BOM/GB18030.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="MT cache folder (default: $XDG_CACHE_HOME/bilingual).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the MT cache.")
@click.option("--tm", "memory_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Translation memory: a TMX file or a folder of TMX/PO files (repeatable).")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="CTranslate2 device for --engine argos.")
@click.option("--beam-size", type=int, default=None, help="Beam size for --engine argos.")
@click.option("--threads", type=int, default=None,
              help="CTranslate2 threads per worker (default 1; one worker per usable core).")
@click.option("--url", envvar="LIBRETRANSLATE_URL", show_envvar=True, default=None,
              help="LibreTranslate server or load balancer for --engine libretranslate, e.g. http://localhost:5000.")
@click.option("--max-in-flight", type=click.IntRange(1, 64), default=4, show_default=True,
              help="--engine libretranslate: requests sent at once.")
@click.option("--batch-size", type=click.IntRange(1, 1024), default=16, show_default=True,
              help="--engine libretranslate: segments per request (at most the server's --batch-limit).")
@click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True,
              help="--engine libretranslate: retries of a request after a connection error, timeout, "
                   "HTTP 429 or 5xx (exponential backoff with jitter from 0.5 s).")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="--engine libretranslate: seconds to wait for one request.")
@click.option("--jobs", "workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that read and segment the documents (helps only with many large documents).")
@click.option("--install-model", is_flag=True,
              help="With --engine argos: install the zh→en model from the Argos index if none is installed.")
@click.option("--term-strategy", type=click.Choice(["placeholder", "inline", "retry"]), default="retry",
              show_default=True,
              help="How approved glossary terms reach the engine: 'placeholder' (QXZ<n> tokens, English put back "
                   "after MT), 'inline' (the approved English written inside the Chinese), 'retry' (placeholders; "
                   "a segment whose output lost one is translated again inline and the better output kept).")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait for another run holding the PO file's lock.")
@click.option("--retranslate", is_flag=True,
              help="Translate again every unreviewed machine translation (fuzzy, made by MT), not only those of "
                   "another engine or model. Reviewed entries are never touched.")
@click.option("--force", is_flag=True,
              help="Write even when the run would make more than half of the reviewed entries obsolete "
                   "(normally a wrong or truncated SOURCE: the run stops with exit 2).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Run state file: a document whose source, PO file, glossary scope, engine and code are "
                   "unchanged since the run that recorded it is skipped unread. Default with --config: "
                   ".bilingual-state.json beside the config; for SOURCE runs: source-runs.json in the cache "
                   "folder (--cache-dir).")
@click.option("--no-state", is_flag=True, help="Process every document; neither read nor write the run state.")
@FORMAT_OPTION
@JSON_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; plain summary lines.")
@max_size_option
def translate(sources, output, config_path, name, engine, glossary_dir, encoding, cache_dir, no_cache,
              memory_paths, device, beam_size, threads, url, max_in_flight, batch_size, retries, timeout, workers,
              install_model, term_strategy, wait, retranslate, force, state_path, no_state, fmt, as_json, quiet):
    """Translate SOURCE documents (or every document of --config) into PO files for review.

    Re-running keeps every reviewed translation; changed sources come back fuzzy
    with the previous source (#|); removed ones become obsolete (#~). Unreviewed
    machine output of another engine or model is translated again. Documents unchanged
    since the last run are skipped (--no-state: all of them run).

    With --engine libretranslate the API key, if the server needs one, is taken
    from the environment variable LIBRETRANSLATE_API_KEY.
    """
    from .. import segproc

    # SOURCE runs: spaCy starts loading in a helper process now (the console script forked it
    # already, before the CLI loaded: bilingual/launch.py), beside this one's imports, glossary,
    # model and reading (bilingual/segproc.py). A config run's starts once its run state says
    # some document needs work (library.py); --jobs runs have none. The helper is stopped when
    # the command ends, however it ends.
    click.get_current_context().call_on_close(segproc.stop)
    if workers == 1 and (no_state or (state_path is None and not config_path)):
        segproc.start()
    elif workers != 1:
        segproc.stop()
    from ..engines import get_engine
    from ..glossary import load_scoped
    from ..glossary_layers import command_glossary
    from ..translate import run

    _interrupt_on_termination()
    jobs, config, config_engine, config_url = _jobs(sources, output, config_path, name)
    if encoding:
        for job in jobs:
            job.encoding = encoding
    engine_name = engine or config_engine or "argos"
    glossary = command_glossary(glossary_dir, config)  # the built-in termbase + the project's glossary
    if no_state:
        state_path = None
    elif state_path is None and config_path:
        from ..runstate import STATE_NAME

        state_path = Path(config_path).parent / STATE_NAME
    elif state_path is None:  # SOURCE runs: kept in the cache folder, not beside the user's files
        from ..cache import default_cache_dir
        from ..runstate import SOURCE_STATE_NAME

        state_path = (cache_dir or default_cache_dir()) / SOURCE_STATE_NAME
    _check_outputs(jobs, config_path, memory_paths, [layer.path for layer in glossary.layers])
    if engine_name == "argos" and install_model:
        from ..packages import find_installed, install_from_index

        if find_installed() is None:
            from ..errors import ModelMissingError

            try:
                install_from_index(progress=bars_wanted(quiet))
            except ModelMissingError:
                raise
            except BilingualError as exc:  # offline: still "no zh→en model", exit 3 as documented
                from ..packages import TRY_WITHOUT

                raise ModelMissingError(f"no zh→en model is installed, and {exc.message}{TRY_WITHOUT}",
                                        exc.path) from None
    if engine_name == "libretranslate":
        options = {"url": url or config_url, "max_in_flight": max_in_flight, "batch_size": batch_size,
                   "retries": retries, "timeout": timeout}
    else:
        options = {"device": device}
        if beam_size:
            options["beam_size"] = beam_size
        if threads:
            options["intra_threads"] = threads
    engine_obj = get_engine(engine_name, **options)
    if engine_obj is not None and hasattr(engine_obj, "check_ready"):
        engine_obj.check_ready()  # a missing model fails before any file is read
    cache = None
    if engine_obj is not None and not no_cache:
        from ..cache import TranslationCache, default_cache_dir

        cache = TranslationCache(cache_dir or default_cache_dir(), warn=warn)
    memory = None
    if memory_paths:
        from ..memory import TranslationMemory

        memory = TranslationMemory.load(memory_paths)

    state = None
    if state_path is not None:
        from ..runstate import RunState

        state = RunState.load(state_path)
        for message in state.warnings:
            warn(message)
    try:
        with _progress(quiet) as (on_document, on_progress):
            # One run for every document: one MT stream whatever their glossary files or scopes.
            stats = run(jobs, engine_obj, glossary, cache=cache, memory=memory, on_progress=on_progress,
                        lock_timeout=wait, workers=workers, term_strategy=term_strategy, force=force,
                        retranslate=retranslate, state=state, on_document=on_document, warn=warn,
                        glossary_for_files=lambda files: load_scoped(glossary, files))
    except BilingualError as exc:
        better = _in_config_terms(exc, config, config_path)
        if better is None:
            raise
        raise better from None
    finally:
        if cache is not None:
            cache.close()  # everything committed; the process may leave without teardown (cli.entry)
    for st in stats:
        for message in st.warnings:
            warn(f"{st.document}: {message}")
    if json_wanted(fmt, as_json):
        emit_json([st.as_dict() for st in stats])
        return
    # The table's columns are the JSON keys (--format json): reused = existing PO entries kept;
    # rendered = glossary/rule-rendered; machine = sent to the engine; untranslated = left empty;
    # flagged = unreviewed entries with mt-check or suspect-name comments (bilingual/mtcheck.py).
    columns = list(SUMMARY_COLUMNS)
    rows = [[st.as_dict()[c] for c in columns] for st in stats]
    written = [f"{st.po} ({'written' if st.written else 'skipped: unchanged' if st.skipped else 'unchanged'})"
               for st in stats]
    if plain_output(quiet):  # one machine-readable line per document, the PO path last
        emit_table("", [*columns, "po"], [[*row, path] for row, path in zip(rows, written, strict=True)],
                   quiet=True)
        return
    emit_table("bilingual translate", columns, rows, quiet=False)
    for path in written:
        click.echo(f"PO: {path}")
    for st in stats:  # what ingest mended, so that a reviewer knows to look at the source's extraction
        if st.repairs:
            repaired = ", ".join(f"{count} {kind}" for kind, count in st.repairs.items())
            click.echo(f"{st.document}: source repaired: {repaired} (lines; see README, Documents as users get them)")


def _in_config_terms(exc: BilingualError, config, config_path) -> BilingualError | None:
    """A config document's PO file names another document: there is no ``-o`` to change; say what
    to change in the config (None: another error, or not a config document's file)."""
    from ..po import OtherDocument

    if not isinstance(exc, OtherDocument) or config is None or not any(
            Path(d.po).resolve() == Path(exc.path).resolve() for d in config.documents):
        return None
    return BilingualError(
        f"belongs to document {exc.owner!r}, not {exc.document!r}; in {config_path}, give document "
        f"{exc.document!r} another po = \"…\" (or its old name {exc.owner!r} back)", exc.path)


def _check_outputs(jobs, config_path, memory_paths, glossary_folders) -> None:
    """No PO file may be a source, a memory, a glossary file or the config (fileio.check_outputs).
    (The run state is no PO file: a state that cannot be read or written is a warning.)"""
    from ..fileio import check_outputs

    for job in jobs:  # msgmerge and Weblate read the template as the source's ids: never translations in it
        if job.po.suffix.lower() == ".pot":
            raise BilingualError("is a gettext template (.pot), which holds no translations (bilingual extract "
                                 "writes it); give the PO file as -o, e.g. doc.en.po", job.po)
    for job in jobs:  # a folder as a source: said as such, not as its PO file being one of its "inputs"
        if job.source.is_dir():
            raise BilingualError("is a directory, not a file; a source is one document", job.source)
    inputs = [job.source for job in jobs] + list(memory_paths) + list(glossary_folders)
    check_outputs([job.po for job in jobs], inputs + ([config_path] if config_path else []))


def _interrupt_on_termination() -> None:
    """Make SIGTERM (``kill``, CI cancelling a job) and SIGHUP (a closed terminal) behave
    like Ctrl-C: Python's default for them ends the process at once, without running the
    ``finally`` blocks that remove a half-written temporary file and release locks."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:  # respect nohup's SIG_IGN
            signal.signal(signum, interrupt)


@contextlib.contextmanager
def _progress(quiet: bool):
    """Rich progress bars on stderr when it is a terminal (nothing otherwise, nor with --quiet or in CI):
    documents done (skipped or written) out of the run's documents, with the time left, and
    segments sent to machine translation — the summary's ``machine`` count; its total grows as
    documents are read. stdout carries only the summary (the table, TSV or ``--format json``),
    so ``bilingual translate … --format json > run.json`` shows the bars and writes clean JSON."""
    if not bars_wanted(quiet):
        yield None, None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[note]}"), TimeElapsedColumn(), TextColumn("ETA"),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=False,
                  redirect_stdout=False) as progress:
        tasks: dict[str, int] = {}

        def documents(advance: int, total: int) -> None:
            if "documents" not in tasks:  # the first call: the skipped ones, done before the clock starts
                note = f"{advance} unchanged" if advance else ""
                tasks["documents"] = progress.add_task("documents", total=total, completed=advance, note=note)
                return
            progress.update(tasks["documents"], total=total, advance=advance)

        def segments(advance: int, total: int) -> None:
            if not total:
                return
            if "machine" not in tasks:
                tasks["machine"] = progress.add_task("MT segments", total=total, note="")
            progress.update(tasks["machine"], total=total, advance=advance)

        yield documents, segments
