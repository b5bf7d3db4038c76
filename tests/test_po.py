"""PO writing and merging: the promise that a re-run never loses a translator's work."""

import shutil
import subprocess

import polib
import pytest
from conftest import IN_CI

from bilingual import model
from bilingual.errors import BilingualError
from bilingual.model import Segment
from bilingual.po import Translation, comment_lines, load_catalog, merge_catalog, save_catalog

MSGCAT = shutil.which("msgcat") or "msgcat"  # gettext is installed by .ci/run: missing, the test fails


def seg(ctx, source, line=1):
    return Segment(ctx=ctx, source=source, kind=model.MEASURE, line=line)


def write(tmp_path, segments, proposals, catalog=None, previous=None):
    path = tmp_path / "doc.en.po"
    new = merge_catalog(segments, proposals, catalog, document="doc", source_ref="source.zh.txt",
                        comments={s.ctx: [f"measure 1: {s.source}"] for s in segments})
    save_catalog(new, path, previous)
    return path


def first_run(tmp_path):
    segments = [seg("measure-1.s1", "第一句。"), seg("measure-1.s2", "第二句。"), seg("measure-1.s3", "第三句。")]
    proposals = {s.ctx: Translation(f"MT {i}", True, ["origin: machine translation"]) for i, s in enumerate(segments)}
    return segments, write(tmp_path, segments, proposals)


def rerun(tmp_path, path, segments, proposals=None):
    catalog = load_catalog(path, "doc")
    previous = path.read_text(encoding="utf-8")
    return write(tmp_path, segments, proposals or {}, catalog, previous)


def test_first_run_writes_header_context_comments_and_fuzzy(tmp_path):
    _, path = first_run(tmp_path)
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["X-Generator"].startswith("bilingual ")
    assert [e.msgctxt for e in po] == ["measure-1.s1", "measure-1.s2", "measure-1.s3"]
    entry = po[1]
    assert entry.msgid == "第二句。" and entry.msgstr == "MT 1" and entry.fuzzy
    assert entry.occurrences == [("source.zh.txt", "1")]
    assert "measure 1: 第二句。" in entry.comment and "origin: machine translation" in entry.comment


def test_files_we_write_are_in_gettexts_own_layout(tmp_path):
    """``msgcat --no-wrap`` (what gettext tools and Poedit write) leaves our file byte for byte."""
    segments, path = first_run(tmp_path)
    review(path, "measure-1.s2", "Second sentence.\nwith a line break, a \"quote\" and a \\ backslash")
    rerun(tmp_path, path, segments[:2])  # an obsolete entry with a translator comment too
    result = subprocess.run([MSGCAT, "--no-wrap", str(path)], capture_output=True, text=True, check=True)
    assert result.stdout == path.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("msgfmt") is None and not IN_CI, reason="gettext (msgfmt) not installed")
def test_msgfmt_check_passes(tmp_path):
    segments, path = first_run(tmp_path)
    segments = segments[:2]  # leave an obsolete entry in the file too
    rerun(tmp_path, path, segments)
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def review(path, ctx, text):
    po = polib.pofile(str(path))
    entry = po.find(ctx, by="msgctxt")
    entry.msgstr = text
    entry.flags.remove("fuzzy")
    entry.tcomment = "checked against the official English"
    po.save(str(path))


def test_rerun_keeps_hand_edited_msgstr_byte_for_byte(tmp_path):
    segments, path = first_run(tmp_path)
    edited = "Continue to promote the pilot “two certificates in one”  reform. \u00a0"
    review(path, "measure-1.s2", edited)
    rerun(tmp_path, path, segments, {s.ctx: Translation("NEW MT", True) for s in segments})
    entry = polib.pofile(str(path)).find("measure-1.s2", by="msgctxt")
    assert entry.msgstr == edited and not entry.fuzzy
    assert entry.tcomment == "checked against the official English"


def test_changed_source_goes_fuzzy_with_previous_msgid(tmp_path):
    segments, path = first_run(tmp_path)
    review(path, "measure-1.s2", "Second sentence.")
    changed = [segments[0], seg("measure-1.s2", "第二句（已修改）。"), segments[2]]
    rerun(tmp_path, path, changed)
    entry = polib.pofile(str(path)).find("measure-1.s2", by="msgctxt")
    assert entry.msgid == "第二句（已修改）。"
    assert entry.msgstr == "Second sentence." and entry.fuzzy
    assert entry.previous_msgid == "第二句。"
    assert "#| msgid \"第二句。\"" in path.read_text(encoding="utf-8")


def test_removed_source_becomes_obsolete(tmp_path):
    segments, path = first_run(tmp_path)
    review(path, "measure-1.s3", "Third sentence.")
    rerun(tmp_path, path, segments[:2])
    po = polib.pofile(str(path))
    assert [e.msgctxt for e in po if not e.obsolete] == ["measure-1.s1", "measure-1.s2"]
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("第三句。", "Third sentence.")]
    assert "#~ msgstr \"Third sentence.\"" in path.read_text(encoding="utf-8")


def test_moved_sentence_keeps_review_and_obsolete_comes_back(tmp_path):
    segments, path = first_run(tmp_path)
    review(path, "measure-1.s3", "Third sentence.")
    rerun(tmp_path, path, segments[:2])  # s3 goes obsolete
    moved = [*segments[:2], seg("measure-2.s1", "第三句。")]
    rerun(tmp_path, path, moved)
    po = polib.pofile(str(path))
    entry = po.find("measure-2.s1", by="msgctxt")
    assert entry.msgstr == "Third sentence." and not entry.fuzzy
    assert "origin: moved from measure-1.s3" in entry.comment
    assert not [e for e in po if e.obsolete]


def test_unchanged_rerun_does_not_rewrite(tmp_path):
    segments, path = first_run(tmp_path)
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    rerun(tmp_path, path, segments)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_broken_po_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "doc.en.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgctxt "a"\nmsgid "x\nmsgstr "y"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(BilingualError, match="not a valid PO file"):
        load_catalog(path, "doc")
    assert path.read_bytes() == before


def test_po_of_another_language_or_document_is_refused(tmp_path):
    _, path = first_run(tmp_path)
    with pytest.raises(BilingualError, match="belongs to document 'doc', not 'other'"):
        load_catalog(path, "other")
    text = path.read_text(encoding="utf-8").replace('"Language: en\\n"', '"Language: fr\\n"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BilingualError, match="language 'fr'"):
        load_catalog(path, "doc")


def test_provenance_survives_a_tool_that_wraps_comments(tmp_path):
    segments, path = first_run(tmp_path)
    po = polib.pofile(str(path), wrapwidth=30)  # e.g. Poedit re-saving with narrow wrapping
    po.find("measure-1.s1", by="msgctxt").comment = "measure 1: 第一句。\norigin: machine translation\n(argos/translate-zh_en/1.9/abc/beam2)"
    po.save(str(path))
    rerun(tmp_path, path, segments)
    entry = polib.pofile(str(path)).find("measure-1.s1", by="msgctxt")
    assert "origin: machine translation (argos/translate-zh_en/1.9/abc/beam2)" in comment_lines(entry.comment)
    renumbered = [seg("measure-9.s1", "第一句。"), *segments[1:]]  # the provenance travels with the msgstr
    rerun(tmp_path, path, renumbered)
    entry = polib.pofile(str(path)).find("measure-9.s1", by="msgctxt")
    assert entry.msgstr == "MT 0"
    assert "origin: machine translation (argos/translate-zh_en/1.9/abc/beam2)" in comment_lines(entry.comment)
