"""A library run meets the world: an editor's save mid-run, Ctrl-C, a renamed document, a removed
PO file, a size limit (issue 15, the outside tester's report). The library is the one of
tests/test_library.py: variants of the shipped Shanghai notice in a ``bilingual.toml``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inproc import run_inprocess
from test_library import STATE, make_library, po_of, processed, translate

import bilingual.po


@pytest.fixture
def library(tmp_path):
    config = make_library(tmp_path / "lib", 3)
    _, stats = translate(config)
    assert processed(stats) == {"doc0", "doc1", "doc2"}
    return config


def change_every_source(config: Path) -> None:
    for number in range(3):
        source = config.parent / f"doc{number}.zh.txt"
        source.write_text(source.read_text(encoding="utf-8").replace("推进", "推动", 1), encoding="utf-8")


def records(config: Path) -> dict:
    return json.loads((config.parent / STATE).read_text(encoding="utf-8"))["documents"]


def run(config: Path, *extra):
    return run_inprocess(["translate", "--config", config, "--format", "json", *extra],
                         env={"XDG_CACHE_HOME": str(config.parent / "cache")}, cwd=config.parent)


# --------------------------------------------------------------------------- an editor's save mid-run


@pytest.mark.parametrize("cache", ["--no-cache", None])
def test_a_po_file_saved_in_an_editor_mid_run_is_left_alone_and_the_rest_is_written(library, monkeypatch, cache):
    """The run read doc1's PO file for its merge; a translator saves it before the run writes it.
    Theirs stays byte for byte, with a warning; doc0 and doc2 are written and recorded; exit 0; the
    next run processes doc1 only. "(machine translations are cached)" only when they are."""
    root = library.parent
    change_every_source(library)
    edited = po_of(root, 1)
    saved = edited.read_bytes().replace(b'msgstr "[', b'msgstr "EDITED [', 1)
    real_save = bilingual.po.save_catalog

    def editor_saves_first(catalog, path, previous_text=None):
        if Path(path).name == "doc1.en.po":
            edited.write_bytes(saved)  # Poedit takes no lock
        return real_save(catalog, path, previous_text)

    monkeypatch.setattr(bilingual.po, "save_catalog", editor_saves_first)
    before = records(library)
    result = run(library, *([cache] if cache else []))
    assert result.returncode == 0, result.stderr
    stats = {st["document"]: st for st in json.loads(result.stdout)}
    assert stats["doc0"]["written"] and stats["doc2"]["written"] and not stats["doc1"]["written"]
    [warning] = [w for w in stats["doc1"]["warnings"] if "changed while" in w]
    assert "changed while this run worked on it" in warning and "not written — run again" in warning
    assert ("machine translations are cached" in warning) == (cache is None)
    line = next(line for line in result.stderr.splitlines() if "changed while" in line)
    assert line.startswith("bilingual: warning: doc1: ") and "doc1.en.po: changed while" in line
    assert edited.read_bytes() == saved
    after = records(library)
    key = "translations/doc1/doc1.en.po"
    assert after[key] == before[key]  # not recorded: the next run processes it
    assert after["translations/doc0/doc0.en.po"] != before["translations/doc0/doc0.en.po"]

    monkeypatch.setattr(bilingual.po, "save_catalog", real_save)
    _, again = translate(library)
    assert processed(again) == {"doc1"} and again["doc1"]["written"]
    assert b'msgstr "EDITED [' in edited.read_bytes()  # the translator's edit, merged


# --------------------------------------------------------------------------- Ctrl-C


@pytest.mark.parametrize("earlier_state", [True, False])
def test_documents_written_before_ctrl_c_are_recorded(tmp_path, monkeypatch, earlier_state):
    """SIGINT (and SIGTERM, made a KeyboardInterrupt by the CLI) after doc0 was written: exit 130,
    doc0 recorded in the run state (created if there was none), so the next run skips it."""
    config = make_library(tmp_path / "lib", 3)
    root = config.parent
    if earlier_state:
        translate(config)
        change_every_source(config)
    before = records(config) if earlier_state else {}
    real_save = bilingual.po.save_catalog

    def interrupted_at_doc1(catalog, path, previous_text=None):
        if Path(path).name == "doc1.en.po":
            raise KeyboardInterrupt
        return real_save(catalog, path, previous_text)

    monkeypatch.setattr(bilingual.po, "save_catalog", interrupted_at_doc1)
    result = run(config, "--no-cache")
    assert result.returncode == 130 and "already written (complete): " in result.stderr, result.stderr
    assert "doc0.en.po" in result.stderr
    after = records(config)
    assert after["translations/doc0/doc0.en.po"] != before.get("translations/doc0/doc0.en.po")
    assert after.get("translations/doc1/doc1.en.po") == before.get("translations/doc1/doc1.en.po")

    monkeypatch.setattr(bilingual.po, "save_catalog", real_save)
    _, again = translate(config)
    assert again["doc0"]["skipped"] and "doc1" in processed(again) and again["doc1"]["written"]
    assert po_of(root, 2).exists()


# --------------------------------------------------------------------------- removed PO files


def test_a_removed_po_files_record_is_dropped_even_when_every_document_is_skipped(library):
    root = library.parent
    text = library.read_text(encoding="utf-8")
    library.write_text(text + '\n[[document]]\nname = "doc0b"\nsource = "doc0.zh.txt"\npo = "extra/doc0b.en.po"\n',
                       encoding="utf-8")
    translate(library)
    assert "extra/doc0b.en.po" in records(library)
    library.write_text(text, encoding="utf-8")
    (root / "extra" / "doc0b.en.po").unlink()
    _, stats = translate(library)
    assert processed(stats) == set()
    assert sorted(records(library)) == [f"translations/doc{n}/doc{n}.en.po" for n in range(3)]
    before = (root / STATE).stat().st_mtime_ns
    translate(library)
    assert (root / STATE).stat().st_mtime_ns == before  # nothing to drop, nothing new: not rewritten


# --------------------------------------------------------------------------- --max-size


def test_max_size_refuses_a_skipped_documents_po_file_as_it_refuses_a_processed_ones(library):
    """The state check hashes the PO file: over ``--max-size`` it is the same one line and exit 2 as
    a run that reads it (--no-state), not a skip."""
    root = library.parent
    po_size = po_of(root, 1).stat().st_size
    sources = max((root / f"doc{n}.zh.txt").stat().st_size for n in range(3))
    glossary = max(p.stat().st_size for p in (root / "glossary").rglob("*") if p.is_file())
    limit = max(sources, glossary) + 1024
    assert limit < po_size  # only the PO files are over the limit
    outcomes = []
    for extra in ([], ["--no-state"]):
        result = run(library, "--max-size", str(limit), *extra)
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("bilingual: error: ") and ".en.po: is " in line
        outcomes.append(line.split(".en.po: ", 1)[1])
    assert outcomes[0] == outcomes[1] and "over the input size limit" in outcomes[0]


# --------------------------------------------------------------------------- a renamed document, a moved PO file


def review_one(po: Path) -> tuple[str, str]:
    """A translator reviews one machine translation; its msgctxt and English."""
    import polib

    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(e for e in catalog if e.fuzzy and e.msgstr and e.msgctxt)
    entry.msgstr, entry.flags = "Reviewed by a translator.", [f for f in entry.flags if f != "fuzzy"]
    catalog.save(str(po))
    return entry.msgctxt, entry.msgstr


def english_of(po: Path, context: str):
    import polib

    return polib.pofile(str(po)).find(context, by="msgctxt")


@pytest.mark.parametrize("change", ["name", "po"])
def test_a_renamed_document_or_a_moved_po_file_warns_where_the_reviewed_work_is(library, change):
    """The config renames doc1 (its default PO path moves with its name) or gives it another ``po``:
    the run starts a new PO file, and says in one line where the earlier work is and how to keep it
    — nothing is moved. Following the advice brings the reviewed translation back."""
    root = library.parent
    old = po_of(root, 1)
    context, reviewed = review_one(old)
    translate(library)  # the review is in the state's record
    old_bytes = old.read_bytes()
    text = library.read_text(encoding="utf-8")
    if change == "name":
        library.write_text(text.replace('name = "doc1"\n', 'name = "doc1-2025"\n'), encoding="utf-8")
        name, new = "doc1-2025", root / "translations" / "doc1-2025" / "doc1-2025.en.po"
    else:
        library.write_text(text.replace('source = "doc1.zh.txt"\n', 'source = "doc1.zh.txt"\npo = "moved/doc1.en.po"\n'),
                           encoding="utf-8")
        name, new = "doc1", root / "moved" / "doc1.en.po"
    result, stats = translate(library)
    [warning] = [w for w in stats[name]["warnings"] if "earlier translations" in w]
    assert "translations/doc1/doc1.en.po" in warning and str(new) in warning
    [line] = [line for line in result.stderr.splitlines() if "earlier translations" in line]
    assert line.startswith(f"bilingual: warning: {name}: ")
    assert old.read_bytes() == old_bytes and new.exists()  # nothing moved, nothing lost
    assert english_of(new, context).fuzzy  # the new file started from machine translation
    if change == "name":
        assert "give the document its old name 'doc1' back" in warning and "--tm translations/doc1/doc1.en.po --retranslate" in warning
        _, again = translate(library, "--tm", old, "--retranslate")
    else:
        assert "move translations/doc1/doc1.en.po to " in warning
        old.rename(new)
        _, again = translate(library)
    assert not [w for w in again[name]["warnings"] if "earlier translations" in w]
    kept = english_of(new, context)
    assert kept.msgstr == reviewed and not kept.fuzzy


def test_a_documents_po_file_of_another_name_says_what_to_change_in_the_config(library):
    """doc1 renamed while its ``po`` is given: the file's header names doc1, and a config run has no
    ``-o`` to change."""
    root = library.parent
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace('name = "doc1"\nsource = "doc1.zh.txt"\n',
                                    'name = "doc1-2025"\nsource = "doc1.zh.txt"\npo = "translations/doc1/doc1.en.po"\n'),
                       encoding="utf-8")
    before = po_of(root, 1).read_bytes()
    result = run(library)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "doc1.en.po: belongs to document 'doc1', not 'doc1-2025'; in " in line
    assert "bilingual.toml, give document 'doc1-2025' another po = " in line and "choose another -o" not in line
    assert po_of(root, 1).read_bytes() == before


# --------------------------------------------------------------------------- a new model behind one LibreTranslate URL


def test_a_new_libretranslate_model_behind_the_same_url_needs_the_documented_retranslate(tmp_path):
    """LibreTranslate names no model version: the same URL and server version is the same identity,
    so the state skips (README: the limitation). The documented remedy, ``--retranslate --no-cache``,
    replaces every unreviewed machine translation with the new model's and keeps reviewed work."""
    import polib
    from ltserver import StubServer

    model = ["MODEL-A"]

    def reply(payload):
        q = payload.get("q")
        texts = q if isinstance(q, list) else [q]
        out = [f"{model[0]} EN({text})" for text in texts]
        return 200, {}, {"translatedText": out if isinstance(q, list) else out[0]}

    config = make_library(tmp_path / "lib", 2, engine="libretranslate")
    root = config.parent
    with StubServer([reply]) as stub:
        url = ("--url", stub.url)
        _, stats = translate(config, *url)
        assert processed(stats) == {"doc0", "doc1"}
        context, reviewed = review_one(po_of(root, 0))
        translate(config, *url)
        model[0] = "MODEL-C"  # the server's model upgraded; URL and LibreTranslate version unchanged
        _, stats = translate(config, *url)
        assert processed(stats) == set()  # not seen: nothing identifies the model
        _, stats = translate(config, *url, "--retranslate", "--no-cache")
        assert processed(stats) == {"doc0", "doc1"}
    for number in range(2):
        machine = [e for e in polib.pofile(str(po_of(root, number)))
                   if not e.obsolete and e.fuzzy and "origin: machine translation" in e.comment]
        assert len(machine) > 50 and all(e.msgstr.startswith("MODEL-C ") for e in machine)
    kept = english_of(po_of(root, 0), context)
    assert kept.msgstr == reviewed and not kept.fuzzy
