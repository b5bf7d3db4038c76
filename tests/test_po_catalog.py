"""bilingual.po.catalog: reading a PO file (encodings, refusals), its header contract and the atomic write-if-changed."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import subprocess

import pytest
from conftest import need

from bilingual import fileio
from bilingual.errors import BilingualError
from bilingual.model import Segment
from bilingual.po import (
    ChangedOnDisk,
    Translation,
    catalog_text,
    is_reviewed,
    merge_catalog,
    parse_text,
    read_existing,
    save_catalog,
)

DOC = "shanghai-port-2025"
# Measure 1 of the Shanghai notice (沪商自贸〔2025〕181号), source line 59: its two sentences.
MEASURE_1 = [
    Segment("measure-1.s1", "持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。", "measure", 59),
    Segment("measure-1.s2", "支持更多符合条件的供国际航行船舶保税油品储罐开展保税仓库和出口监管仓库功能叠加试点，"
                            "降低企业仓储成本，助推上海口岸供国际航行船舶油品加注业务量提升。", "measure", 59),
]
S1_EN = ("Continuing the pilot of combining the functions of a bonded warehouse and an export supervised warehouse "
         "in oil storage tanks.")
HEADER_COMMENTS = ("# English translation of the Shanghai port measures (沪商自贸〔2025〕181号).\n"
                   "# Copyright (C) 2025 Shanghai Municipal Commission of Commerce.\n#\n")
# A file a translator saved in Poedit: its tool's fields, and the pipeline's date of an earlier run.
SAVED = HEADER_COMMENTS + f'''msgid ""
msgstr ""
"Project-Id-Version: bilingual {DOC}\\n"
"POT-Creation-Date: 2025-06-03 09:12+0000\\n"
"PO-Revision-Date: 2025-06-10 16:40+0800\\n"
"Last-Translator: Li Wei <li.wei@example.org>\\n"
"Language-Team: English\\n"
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Generator: Poedit 3.4.2\\n"
"X-Bilingual-Document: {DOC}\\n"
"X-Bilingual-Source: source.zh.txt\\n"
'''


def _entry_text(comment: str) -> str:
    return SAVED + f'\n{comment}\nmsgctxt "measure-1.s1"\nmsgid "{MEASURE_1[0].source}"\nmsgstr "{S1_EN}"\n'


def _merge_and_save(path, segments, previous: str | None = None, *, stream: bool = False):
    """A run: the segments merged into the file as it was read (``previous``), the first sentence
    machine-translated, the rest untranslated, each entry with its measure line; then saved."""
    catalog = parse_text(previous) if previous else None
    proposals = {MEASURE_1[0].ctx: Translation(S1_EN, True, ["origin: machine translation (pseudo/0.1.0)"])}
    # the measure line ends in a blank: reading a PO file drops the blanks that end a comment line
    comments = {s.ctx: [f"measure 1: {MEASURE_1[0].source} "] for s in segments}
    new = merge_catalog(segments, proposals, catalog, document=DOC, source_ref="source.zh.txt", comments=comments,
                        stream=stream)
    return new, save_catalog(new, path, previous)


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(("comment", "field", "expected"), [
    # no space after "#:" and a colon in the file name: the line number is what follows the last colon
    ("#:notes:notice.zh.txt:59", "occurrences", [("notes:notice.zh.txt", "59")]),
    # references without a line number (msgcat --add-location=file): the name only
    ("#: source.zh.txt notes:draft", "occurrences", [("source.zh.txt", ""), ("notes:draft", "")]),
    # no space after "#,": still fuzzy, so the machine translation is not taken for reviewed work
    ("#,fuzzy,c-format", "flags", ["fuzzy", "c-format"]),
    # a carriage return pasted into a translator's note is no CR-only line end: the file is read
    ("# pasted from a mail:\rcheck the agency name", "tcomment", "pasted from a mail:\rcheck the agency name"),
])
def test_every_comment_line_gettext_accepts_is_read_as_gettext_reads_it(tmp_path, comment, field, expected):
    path = tmp_path / "doc.en.po"
    path.write_bytes(_entry_text(comment).encode("utf-8"))
    catalog, _ = read_existing(path, DOC)
    [entry] = catalog
    assert getattr(entry, field) == expected
    assert is_reviewed(entry) is (field != "flags")


@pytest.mark.parametrize(("content", "problem"), [
    (b"\xde\x12\x04\x95" + bytes(24), "is a compiled MO file, not a PO file; it was left unchanged"),
    # a one-line source document given as the PO file (no line end at all): not a CR-only file
    ("上海市商务委等十部门和单位关于印发《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》的通知".encode(),
     "not a PO file (no msgid line); it was left unchanged"),
])
def test_a_refusal_is_one_line_naming_the_file_and_what_it_is(tmp_path, content, problem):
    path = tmp_path / "doc.en.po"
    path.write_bytes(content)
    with pytest.raises(BilingualError) as caught:
        read_existing(path, DOC)
    assert str(caught.value) == f"{path}: {problem}"
    assert path.read_bytes() == content


def test_a_header_line_without_a_colon_survives_a_header_rewrite(tmp_path):
    """gettext accepts a header line that is no ``Name: value`` field (msgfmt --check too). A rewrite
    of the header (any content change sets a new date) keeps it after the field it followed, and
    that field's value stays its own (``check`` reads Language); a line whose field is gone from the
    new header follows the field before; a line before every field stays first."""
    text = _entry_text("#: source.zh.txt:59").replace(
        '"Language: en\\n"\n', '"Language: en\\n"\n"reviewed against the official English\\n"\n"(2025 edition)\\n"\n').replace(
        '"Project-Id-Version:', '"checked by Li Wei, 2025-06-10\\n"\n"second pass\\n"\n"Project-Id-Version:').replace(
        '"X-Generator: Poedit 3.4.2\\n"\n', '"X-Generator: Poedit 3.4.2\\n"\n"  see the style guide\\n"\n')
    catalog = parse_text(text)
    assert catalog.metadata["Language"] == "en" and catalog.metadata["X-Generator"] == "Poedit 3.4.2"
    catalog.metadata["POT-Creation-Date"] = "2026-01-05 10:00+0000"
    del catalog.metadata["X-Generator"]
    written = catalog_text(catalog)
    header = parse_text(written)
    assert header.metadata["Language"] == "en" and header.metadata["POT-Creation-Date"] == "2026-01-05 10:00+0000"
    lines = written.splitlines()
    msgstr = lines[lines.index('msgstr ""') + 1:lines.index("")]
    assert msgstr[:2] == ['"checked by Li Wei, 2025-06-10\\n"', '"second pass\\n"']
    at = msgstr.index('"Language: en\\n"')
    assert msgstr[at + 1:at + 3] == ['"reviewed against the official English\\n"', '"(2025 edition)\\n"']
    assert msgstr[msgstr.index('"Content-Type: text/plain; charset=UTF-8\\n"') + 1] == '"  see the style guide\\n"'
    assert len(msgstr) == len(header.metadata) + 5
    po = tmp_path / "doc.en.po"
    po.write_text(written, encoding="utf-8")
    msgfmt = shutil.which("msgfmt")
    need(msgfmt is not None, "msgfmt (Debian: gettext)")
    assert subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "doc.mo"), str(po)],
                          capture_output=True).returncode == 0


def test_a_run_that_rewrites_the_header_keeps_a_translators_header_line(tmp_path):
    """The same through a run: merged (a new sentence changes the content) and saved."""
    path = tmp_path / "doc.en.po"
    previous = SAVED.replace('"Language: en\\n"\n', '"Language: en\\n"\n"reviewed against the official English\\n"\n')
    path.write_text(previous, encoding="utf-8")
    _, written = _merge_and_save(path, MEASURE_1, previous)
    assert written is True
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index('"Language: en\\n"') + 1] == '"reviewed against the official English\\n"'
    assert parse_text(path.read_text(encoding="utf-8")).metadata["Language"] == "en"


# --------------------------------------------------------------------------- writing


def test_a_rewritten_header_keeps_its_comments_and_the_tools_fields_and_gets_the_runs_date(tmp_path):
    path = tmp_path / "doc.en.po"
    path.write_text(SAVED, encoding="utf-8")
    catalog = parse_text(SAVED)
    catalog.append(parse_text(_entry_text("#: source.zh.txt:59"))[0])  # content changed: a new entry
    before = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    assert save_catalog(catalog, path, SAVED) is True
    written = path.read_text(encoding="utf-8")
    assert written.startswith(HEADER_COMMENTS + 'msgid ""\n')
    fields, old = parse_text(written).metadata, parse_text(SAVED).metadata
    date = datetime.datetime.strptime(fields.pop("POT-Creation-Date"), "%Y-%m-%d %H:%M%z")
    assert before <= date <= datetime.datetime.now(datetime.UTC)
    assert fields == {name: value for name, value in old.items() if name != "POT-Creation-Date"}


@pytest.mark.parametrize(("again", "written"), [
    (MEASURE_1, False),  # the same sentences: the text it would write is the file's, not a byte changes
    (MEASURE_1[:1], True),  # the last sentence gone: its empty entry goes (what is left is the old text's start)
])
def test_a_rerun_writes_the_file_exactly_when_its_text_changes(tmp_path, again, written):
    path = tmp_path / "doc.en.po"
    _merge_and_save(path, MEASURE_1)
    before, inode = path.read_text(encoding="utf-8"), path.stat().st_ino
    catalog, wrote = _merge_and_save(path, again, before)
    assert wrote is written and (path.stat().st_ino == inode) is not written
    assert [entry.msgctxt for entry in parse_text(path.read_text(encoding="utf-8"))] == [s.ctx for s in again]
    # the run state records the hash of the file as it is now, written or left
    assert catalog.saved_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("found", [True, False])
def test_a_file_deleted_or_created_while_the_run_worked_is_left_so_with_one_line_naming_it(tmp_path, found):
    path = tmp_path / "doc.en.po"
    _merge_and_save(path, MEASURE_1)
    text = path.read_text(encoding="utf-8")
    if found:  # the run read the file; someone deleted it meanwhile
        path.unlink()
    with pytest.raises(ChangedOnDisk) as caught:  # else another run created it while this one made it new
        _merge_and_save(path, MEASURE_1, text if found else None)
    assert caught.value.path == str(path) and str(caught.value).startswith(f"{path}: changed while this run")
    assert path.exists() is not found and (found or path.read_text(encoding="utf-8") == text)


def test_a_large_new_file_goes_to_disk_in_pieces_none_holding_a_quarter_of_it(tmp_path, monkeypatch):
    """A new file is rendered into the temporary file a chunk at a time, never whole in memory."""
    chunks: list[bytes] = []
    write = fileio.atomic_write_chunks
    monkeypatch.setattr(fileio, "atomic_write_chunks",
                        lambda path, pieces: write(path, (chunks.append(c) or c for c in pieces)))
    segments = [Segment(f"measure-{n}.s1", MEASURE_1[1].source, "measure", n) for n in range(1, 2001)]
    path = tmp_path / "doc.en.po"
    catalog, _ = _merge_and_save(path, segments, stream=True)
    data = path.read_bytes()
    assert b"".join(chunks) == data and catalog.saved_sha256 == hashlib.sha256(data).hexdigest()
    assert max(len(chunk.decode("utf-8")) for chunk in chunks) < len(data.decode("utf-8")) / 4


@pytest.mark.parametrize(("declared", "written"), [
    ("text/plain; charset=ISO-8859-1", "text/plain; charset=UTF-8"),  # a slip, or a template's header
    ("text/plain; charset=CHARSET", "text/plain; charset=UTF-8"),  # xgettext's placeholder, never filled in
    ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),  # says UTF-8 already: left as the tool wrote it
    ("text/plain;charset=UTF8", "text/plain;charset=UTF8"),
])
def test_the_header_says_the_file_is_utf8_because_it_is(tmp_path, declared, written):
    """A PO file is read and written as UTF-8 (Chinese needs it). A header declaring another charset
    made msgfmt compile mojibake from the run's own output; a run sets it, and leaves a right one alone."""
    po = tmp_path / "doc.en.po"
    text = _entry_text("#: source.zh.txt:59").replace("text/plain; charset=UTF-8", declared)
    po.write_text(text, encoding="utf-8")
    _merge_and_save(po, MEASURE_1, text)
    saved = po.read_text(encoding="utf-8")
    assert f'"Content-Type: {written}\\n"' in saved and saved.count("Content-Type") == 1
    assert parse_text(saved).find(MEASURE_1[0].source).msgstr == S1_EN
    msgfmt = shutil.which("msgfmt")
    need(msgfmt is not None, "msgfmt (Debian: gettext)")
    assert subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "doc.mo"), str(po)],
                          capture_output=True).returncode == 0
