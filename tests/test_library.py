"""A library in one run (issue 15): the run state, groups with full engine calls, progress.

The documents are variants of the shipped Shanghai notice (tests/ltserver.py
``document_variants``: another city, rotated verbs and nouns, a new document number),
listed in a ``bilingual.toml`` as a user's library is. Nothing here is timed: speed and
memory are ``make bench``'s (bench/README.md, "Library").
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import weakref
from pathlib import Path

import polib
import pytest
from inproc import run_inprocess
from ltserver import document_variants

from bilingual.errors import BilingualError

REPO = Path(__file__).resolve().parent.parent
SHANGHAI = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"
STATE = ".bilingual-state.json"


def make_library(root: Path, count: int, engine: str = "pseudo") -> Path:
    """``count`` documents, their config and a copy of the glossary (tests change it)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "glossary", root / "glossary", dirs_exist_ok=True)
    lines = ["[defaults]", f'engine = "{engine}"', 'glossary = "glossary"', ""]
    for number, text in enumerate(document_variants(SHANGHAI.read_text(encoding="utf-8"), count)):
        (root / f"doc{number}.zh.txt").write_text(text, encoding="utf-8")
        lines += ["[[document]]", f'name = "doc{number}"', f'source = "doc{number}.zh.txt"', ""]
    (root / "bilingual.toml").write_text("\n".join(lines), encoding="utf-8")
    return root / "bilingual.toml"


def po_of(root: Path, number: int) -> Path:
    return root / "translations" / f"doc{number}" / f"doc{number}.en.po"


def translate(config: Path, *extra, env=None):
    """``bilingual translate --config`` in this process; (result, stats by document)."""
    result = run_inprocess(["translate", "--config", config, "--format", "json", *extra],
                           env={"XDG_CACHE_HOME": str(config.parent / "cache"), **(env or {})}, cwd=config.parent)
    assert result.returncode == 0, result.stderr
    return result, {st["document"]: st for st in json.loads(result.stdout)}


def processed(stats: dict) -> set[str]:
    return {name for name, st in stats.items() if not st["skipped"]}


@pytest.fixture
def library(tmp_path):
    config = make_library(tmp_path / "lib", 3)
    _, stats = translate(config)
    assert processed(stats) == {"doc0", "doc1", "doc2"} and all(st["written"] for st in stats.values())
    return config


# --------------------------------------------------------------------------- the run state


def test_an_unchanged_library_is_skipped_before_any_document_is_read(library, monkeypatch):
    import bilingual.library

    def no_parsing(job, **options):
        raise AssertionError(f"{job.name} was prepared")

    monkeypatch.setattr(bilingual.library, "prepare", no_parsing)
    before = {n: po_of(library.parent, n).read_bytes() for n in range(3)}
    _, stats = translate(library)
    assert processed(stats) == set()
    for number, name in enumerate(("doc0", "doc1", "doc2")):
        st = stats[name]
        assert st["skipped"] and not st["written"] and st["reused"] + st["untranslated"] == st["segments"] > 100
        entries = [e for e in polib.pofile(str(po_of(library.parent, number))) if not e.obsolete]
        assert st["fuzzy"] == sum("fuzzy" in e.flags for e in entries)  # the summary describes the file
        assert po_of(library.parent, number).read_bytes() == before[number]
    record = json.loads((library.parent / STATE).read_text(encoding="utf-8"))["documents"]["translations/doc1/doc1.en.po"]
    assert record["source"] == "doc1.zh.txt" and record["settings"]["engine"].startswith("pseudo")
    assert "/" not in json.dumps(record["settings"]["code"]) and str(library.parent) not in json.dumps(record)


def same_size_same_time(path: Path, old: bytes, new: bytes) -> None:
    """Replace the content, keeping size and modification time: only a content hash sees it."""
    assert len(old) == len(new) and old != new
    info = path.stat()
    path.write_bytes(new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_translators_save_is_never_skipped_even_with_the_old_size_and_time(library):
    po = po_of(library.parent, 1)
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(e for e in catalog if e.fuzzy and e.msgstr)
    old = po.read_bytes()
    reviewed = entry.msgstr[:3] + "X" + entry.msgstr[4:]  # one character, as an editor saves it
    new = old.replace(f'msgstr "{entry.msgstr}"'.encode(), f'msgstr "{reviewed}"'.encode(), 1)
    same_size_same_time(po, old, new)
    _, stats = translate(library)
    assert processed(stats) == {"doc1"}
    assert polib.pofile(str(po)).find(entry.msgctxt, by="msgctxt").msgstr == reviewed  # merged, kept
    # touching a file (a new mtime, same content) is no change
    os.utime(po_of(library.parent, 2))
    assert processed(translate(library)[1]) == set()


def test_a_changed_source_is_never_skipped_even_with_the_old_size_and_time(library):
    source = library.parent / "doc2.zh.txt"
    old = source.read_bytes()
    new = old.replace("推进".encode(), "推动".encode(), 1)
    same_size_same_time(source, old, new)
    _, stats = translate(library)
    assert processed(stats) == {"doc2"} and stats["doc2"]["written"]


def test_a_deleted_po_file_is_written_again(library):
    po_of(library.parent, 0).unlink()
    _, stats = translate(library)
    assert processed(stats) == {"doc0"} and po_of(library.parent, 0).exists()


def test_a_glossary_change_reruns_exactly_the_documents_whose_scope_it_touches(library):
    glossary = library.parent / "glossary"
    header = (glossary / "general.csv").read_text(encoding="utf-8").splitlines()[0]
    # A file of Yunnan's own: in none of these documents' scopes (Shanghai, Beijing, Tianjin).
    (glossary / "yunnan-test.csv").write_text(
        f"{header}\n滇中新区建设,development of the Central Yunnan New Area,phrase,,,test row,test,,,\n", encoding="utf-8")
    assert processed(translate(library)[1]) == set()
    # A global file: every document's scope.
    with (glossary / "general.csv").open("a", encoding="utf-8") as handle:
        handle.write("跨境贸易便利化专项行动,special campaign for cross-border trade facilitation,phrase,,,test row,test,,,\n")
    _, stats = translate(library)
    assert processed(stats) == {"doc0", "doc1", "doc2"}
    assert processed(translate(library)[1]) == set()


@pytest.mark.parametrize("change", [["--engine", "none"], ["--term-strategy", "placeholder"], ["--retranslate"]])
def test_another_engine_term_strategy_or_retranslate_is_never_skipped(library, change):
    _, stats = translate(library, *change)
    assert processed(stats) == {"doc0", "doc1", "doc2"}


def test_a_new_bilingual_version_is_never_skipped(library, monkeypatch):
    import bilingual.runstate

    monkeypatch.setattr(bilingual.runstate, "_CODE", "another version of the code")
    assert processed(translate(library)[1]) == {"doc0", "doc1", "doc2"}


@pytest.mark.parametrize("content", [b"{not json", b'{"format": 99, "documents": {}}', b"\xff\xfe",
                                     b'{"format": 1, "documents": {"translations/doc0/doc0.en.po": 5}}'])
def test_a_corrupt_state_file_is_a_warning_and_is_rebuilt(library, content):
    state = library.parent / STATE
    state.write_bytes(content)
    result, stats = translate(library)
    assert processed(stats) == {"doc0", "doc1", "doc2"} and not any(st["written"] for st in stats.values())
    assert "run state" in result.stderr and "every document is processed" in result.stderr
    assert set(json.loads(state.read_text(encoding="utf-8"))["documents"]) == {
        f"translations/doc{n}/doc{n}.en.po" for n in range(3)}
    assert processed(translate(library)[1]) == set()


def test_a_record_that_does_not_match_is_work(library):
    """Every key is compared: a record edited by hand (another place, another summary) is no skip."""
    state = library.parent / STATE
    content = json.loads(state.read_text(encoding="utf-8"))
    record = content["documents"]["translations/doc0/doc0.en.po"]
    record["scope"] = {"place": "atlantis"}
    state.write_text(json.dumps(content), encoding="utf-8")
    assert processed(translate(library)[1]) == {"doc0"}


def test_no_state_processes_everything_and_records_nothing(library):
    state = library.parent / STATE
    before = state.read_bytes()
    assert processed(translate(library, "--no-state")[1]) == {"doc0", "doc1", "doc2"}
    assert state.read_bytes() == before


# --------------------------------------------------------------------------- groups and the MT stream


class Recorder:
    """An engine that returns its input (placeholders kept) and records every call, and what
    was on disk when it was made."""

    name = "recording"

    def __init__(self, pos: list[Path]):
        self.calls: list[int] = []
        self.inputs: list[str] = []
        self.written_before: list[int] = []
        self.pos = pos

    def identity(self) -> str:
        return "recording/1"

    def translate(self, texts):
        self.calls.append(len(texts))
        self.inputs += texts
        self.written_before.append(sum(po.exists() for po in self.pos))
        return list(texts)


def jobs_for(root: Path, count: int):
    from bilingual.translate import Job

    make_library(root, count)
    return [Job(f"doc{n}", root / f"doc{n}.zh.txt", po_of(root, n)) for n in range(count)]


def test_engine_calls_stay_full_across_documents_and_groups(tmp_path, monkeypatch):
    import bilingual.library
    from bilingual.glossary import load_glossary
    from bilingual.translate import run

    jobs = jobs_for(tmp_path / "lib", 12)
    engine = Recorder([job.po for job in jobs])
    prepared, refs, in_memory = [0], [], []
    real_prepare = bilingual.library.prepare

    def counting_prepare(job, **options):
        prepared[0] += 1
        gc.collect()
        in_memory.append(sum(ref() is not None for ref in refs))  # documents read and not yet forgotten
        prep = real_prepare(job, **options)
        refs.append(weakref.ref(prep))
        return prep

    monkeypatch.setattr(bilingual.library, "prepare", counting_prepare)
    stats = run(jobs, engine, load_glossary(REPO / "glossary"), term_strategy="placeholder", batch_size=64,
                group_documents=2)
    assert sum(st.machine for st in stats) > 12 * 60  # ~100 segments of each document need MT
    assert engine.calls[:-1] == [64] * (len(engine.calls) - 1) and 0 < engine.calls[-1] <= 64  # full calls
    assert len(engine.inputs) == len(set(engine.inputs)) > 400  # a piece several documents share: sent once
    # documents are written as they finish, not at the end: the last call finds most already on disk
    assert engine.written_before[0] == 0 and engine.written_before[-1] >= 9
    # bounded memory: documents in memory never exceed the groups in flight and the one read ahead
    assert max(in_memory) <= (bilingual.library.IN_FLIGHT + 1) * 2
    assert prepared[0] == 12 + 10  # the 10 documents after the first group: checked first, then prepared again


def test_a_library_writes_what_single_runs_write(tmp_path):
    from bilingual.engines.pseudo import PseudoEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    jobs = jobs_for(tmp_path / "lib", 5)
    glossary = load_glossary(REPO / "glossary")
    run(jobs, PseudoEngine(), glossary, batch_size=16, group_documents=2)
    for job in jobs:
        alone = tmp_path / "lib" / "alone" / job.name / f"{job.name}.en.po"  # the same relative source path
        run([Job(job.name, job.source, alone)], PseudoEngine(), glossary)
        strip = [line for line in alone.read_text(encoding="utf-8").splitlines() if "-Date:" not in line]
        assert [line for line in job.po.read_text(encoding="utf-8").splitlines() if "-Date:" not in line] == strip


def review_everything(po: Path) -> None:
    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in catalog:
        if entry.msgstr and entry.msgctxt:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    catalog.save(str(po))


@pytest.mark.parametrize("damage", ["truncated source", "broken PO file"])
def test_nothing_is_written_when_a_later_group_would_fail(tmp_path, damage):
    from bilingual.engines.pseudo import PseudoEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import run

    jobs = jobs_for(tmp_path / "lib", 4)
    glossary = load_glossary(REPO / "glossary")
    run(jobs, PseudoEngine(), glossary)
    for job in jobs:
        review_everything(job.po)
        text = job.source.read_text(encoding="utf-8")
        job.source.write_text(text.replace("推进", "推动"), encoding="utf-8")  # every document changed
    last = jobs[-1]
    if damage == "truncated source":
        last.source.write_text(last.source.read_text(encoding="utf-8")[:2000], encoding="utf-8")
    else:
        last.po.write_text(last.po.read_text(encoding="utf-8").replace("msgstr", "msgsrt", 1), encoding="utf-8")
    before = {job.po: job.po.read_bytes() for job in jobs}
    with pytest.raises(BilingualError) as raised:
        run(jobs, PseudoEngine(), glossary, group_documents=1)  # four groups: the last one fails
    assert raised.value.path == str(last.po)
    assert {job.po: job.po.read_bytes() for job in jobs} == before
    if damage == "truncated source":
        stats = run(jobs, PseudoEngine(), glossary, group_documents=1, force=True)
        assert all(st.written for st in stats)


# --------------------------------------------------------------------------- progress


def test_progress_counts_documents_and_segments(tmp_path):
    from bilingual.engines.pseudo import PseudoEngine
    from bilingual.glossary import load_glossary
    from bilingual.runstate import RunState
    from bilingual.translate import run

    jobs = jobs_for(tmp_path / "lib", 4)
    glossary = load_glossary(REPO / "glossary")
    documents: list[tuple[int, int]] = []
    segments: list[tuple[int, int]] = []
    state = RunState(tmp_path / "lib" / STATE)
    stats = run(jobs, PseudoEngine(), glossary, state=state, on_document=lambda *a: documents.append(a),
                on_progress=lambda *a: segments.append(a), batch_size=32, group_documents=2)
    assert documents == [(0, 4)] + [(1, 4)] * 4
    totals = [total for _, total in segments]
    assert totals == sorted(totals) and totals[-1] == sum(st.machine for st in stats) > 300  # grows as read
    assert sum(advance for advance, _ in segments) == totals[-1]

    (tmp_path / "lib" / "doc3.zh.txt").write_text(SHANGHAI.read_text(encoding="utf-8") + "\n本通知自发布之日起施行。\n",
                                                  encoding="utf-8")
    documents.clear()
    run(jobs, PseudoEngine(), glossary, state=RunState.load(tmp_path / "lib" / STATE),
        on_document=lambda *a: documents.append(a))
    assert documents == [(3, 4), (1, 4)]  # three unchanged, reported at once; then the one translated


def test_machine_output_with_a_terms_note_keeps_its_engine_identity():
    from bilingual.po import machine_identity

    entry = polib.POEntry(msgid="x", msgstr="y", flags=["fuzzy"], comment=(
        "origin: machine translation (argos/translate-zh_en/1.9/abc/beam2); terms inline, kept after the "
        "placeholder output lost 上海海关"))
    assert machine_identity(entry) == "argos/translate-zh_en/1.9/abc/beam2"


# --------------------------------------------------------------------------- runs on SOURCE files


def translate_source(source: Path, po: Path, cache: Path, *extra):
    result = run_inprocess(["translate", source, "-o", po, "--engine", "pseudo", "--format", "json", *extra],
                           env={"XDG_CACHE_HOME": str(cache)}, cwd=source.parent)
    assert result.returncode == 0, result.stderr
    (stats,) = json.loads(result.stdout)
    return stats


def test_a_source_run_keeps_its_state_in_the_cache_folder_and_skips_only_what_is_unchanged(tmp_path, monkeypatch):
    """``bilingual translate SRC -o PO`` run again on unchanged files is skipped unread, like a
    library's document; the state lives in the cache folder, the user's folder gets no new file."""
    import bilingual.library

    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    source, po = work / "notice.zh.txt", work / "notice.en.po"
    shutil.copy(SHANGHAI, source)
    assert not translate_source(source, po, cache)["skipped"]
    assert not [p for p in work.iterdir() if "state" in p.name or p.suffix == ".json"]
    record = json.loads((cache / "bilingual" / "source-runs.json").read_text(encoding="utf-8"))["documents"]
    assert [Path(key).name for key in record] == ["notice.en.po"]
    first = po.read_bytes()

    prepared = []
    real_prepare = bilingual.library.prepare
    monkeypatch.setattr(bilingual.library, "prepare", lambda job, **options: prepared.append(job) or real_prepare(job, **options))
    again = translate_source(source, po, cache)
    assert again["skipped"] and not again["written"] and prepared == [] and po.read_bytes() == first

    # a translator's edit, --no-state and another cache folder are work
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(e for e in catalog if e.fuzzy and e.msgstr)
    entry.msgstr, entry.flags = "Reviewed by a person.", [f for f in entry.flags if f != "fuzzy"]
    catalog.save(str(po))
    assert not translate_source(source, po, cache)["skipped"]
    assert polib.pofile(str(po)).find(entry.msgctxt, by="msgctxt").msgstr == "Reviewed by a person."
    assert translate_source(source, po, cache)["skipped"]
    assert not translate_source(source, po, cache, "--no-state")["skipped"]
    assert not translate_source(source, po, tmp_path / "other-cache")["skipped"]
    assert len(prepared) == 3


def test_a_source_run_to_another_po_file_says_where_the_earlier_work_is(tmp_path):
    """``translate SRC -o NEW.po`` after an earlier run wrote OLD.po for the same source: a new file,
    nothing moved, and one warning naming both files in words that fit a run without a config."""
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    source, old, new = work / "notice.zh.txt", work / "notice.en.po", work / "renamed.en.po"
    shutil.copy(SHANGHAI, source)
    translate_source(source, old, cache)
    before = old.read_bytes()
    stats = translate_source(source, new, cache)
    [warning] = [w for w in stats["warnings"] if "earlier translations" in w]
    assert str(new) in warning and "notice.en.po, which this run does not write" in warning
    assert "move notice.en.po to " in warning and "--tm notice.en.po --retranslate" in warning
    assert "document names" not in warning and old.read_bytes() == before and new.exists()

    # a copy of the same document in another folder (another project, a scratch copy) is its own
    # work: the record of this folder's file is not "its earlier translations"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SHANGHAI, elsewhere / "notice.zh.txt")
    stats = translate_source(elsewhere / "notice.zh.txt", elsewhere / "notice.en.po", cache)
    assert not [w for w in stats["warnings"] if "earlier translations" in w]


def test_the_checks_english_patterns_compile_while_the_engine_decodes(tmp_path, monkeypatch):
    """The approved-English patterns of a document's terms (the MT checks use them once outputs
    are back) are compiled in a thread started with the first engine call — not by the thread
    that prepares the document before the first call, where they held the GIL on the way to the
    first MT batch. Same PO file as a run that compiled them there."""
    import threading
    import time

    import bilingual.checktext
    from bilingual import mtcheck
    from bilingual.engines.pseudo import PseudoEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    compiled: list[tuple[str, str]] = []  # (name, thread)
    build = bilingual.checktext.english_pattern

    def recording(name):
        compiled.append((name, threading.current_thread().name))
        return build(name)

    class Decoding(PseudoEngine):
        """The pseudo engine, taking as long as the compile needs (a model decodes for seconds)."""

        def translate(self, texts):
            deadline = time.monotonic() + 5
            while not any(t == "bilingual-while-decoding" for _, t in compiled) and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)
            return super().translate(texts)

    glossary = load_glossary(REPO / "glossary")
    monkeypatch.setattr(bilingual.checktext, "english_pattern", recording)
    mtcheck.english_pattern.cache_clear()
    source = tmp_path / "doc.zh.txt"
    shutil.copy(REPO / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    run([Job("doc", source, tmp_path / "doc.en.po")], Decoding(), glossary, term_strategy="placeholder")
    early = {name for name, thread in compiled if thread == "bilingual-while-decoding"}
    assert len(early) >= 10  # the document's agencies and terms
    assert not [name for name, thread in compiled if thread not in ("bilingual-while-decoding", "MainThread")]

    monkeypatch.setattr("bilingual.mtstream.MTStream.while_decoding", lambda self, task: task())  # at once
    mtcheck.english_pattern.cache_clear()
    compiled.clear()
    run([Job("doc", source, tmp_path / "inline.en.po")], PseudoEngine(), glossary, term_strategy="placeholder")
    assert {name for name, thread in compiled if thread != "MainThread"} >= early  # in the preparing thread
    dates = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.MULTILINE)
    assert dates.sub("", (tmp_path / "doc.en.po").read_text(encoding="utf-8")) == \
        dates.sub("", (tmp_path / "inline.en.po").read_text(encoding="utf-8")).replace("inline.en.po", "doc.en.po")
    mtcheck.english_pattern.cache_clear()


def test_a_skipped_document_does_not_repeat_what_the_run_before_did(tmp_path):
    """The run after a term's English changed says its drafts were translated again; the next run
    skips the unchanged document and repeats the document's own warnings, not that report."""
    work, cache, glossary = tmp_path / "work", tmp_path / "cache", tmp_path / "glossary"
    work.mkdir()
    glossary.mkdir()
    source, po = work / "notice.zh.txt", work / "notice.en.po"
    source.write_text("各相关单位：\n\n支持企业建设海外仓。\n", encoding="utf-8")
    row = "zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants\n海外仓,{},regime,,,n,team,,,\n"
    (glossary / "terms.csv").write_text(row.format("overseas depot"), encoding="utf-8")
    translate_source(source, po, cache, "--glossary", glossary)
    (glossary / "terms.csv").write_text(row.format("overseas warehouse"), encoding="utf-8")
    changed = translate_source(source, po, cache, "--glossary", glossary)
    assert any("translated again" in w for w in changed["warnings"]) and "overseas warehouse" in po.read_text("utf-8")
    again = translate_source(source, po, cache, "--glossary", glossary)
    assert again["skipped"] and not any("translated again" in w for w in again["warnings"])
