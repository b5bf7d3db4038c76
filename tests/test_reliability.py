"""Reliability (issue 6): bad input never loses a translator's work.

Everything goes through the command line, the way a translator or CI runs it:
``bilingual translate SRC --engine pseudo -o PO`` with a PO file made by an
earlier good run already on disk. A bad input must give exactly one line on
stderr naming the file and the problem, a non-zero exit, and leave every file
in the working folder byte-identical. Faults (signals, a second run, an editor
saving the PO mid-run) must leave the previous PO intact and the MT cache
consistent, and the next run resumes from that cache.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
SHANGHAI_TEXT = SHANGHAI.read_text(encoding="utf-8")
NAME = "doc"


# --------------------------------------------------------------------------- helpers


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_refused(result: subprocess.CompletedProcess, named: Path | str, *problem: str) -> str:
    """Exit 2 and exactly one stderr line: ``bilingual: error: <file>: <problem>``."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("bilingual: error: "), line
    assert str(named) in line, line
    for fragment in problem:
        assert fragment in line, line
    return line


def entries(po_path: Path) -> list[tuple[str, str, str]]:
    return [(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(str(po_path)) if not e.obsolete]


def varied_document(copies: int, tag: str = "批") -> str:
    """The shipped document with its attachment repeated ``copies`` times, every
    sentence of every copy made distinct (so the engine has real work)."""
    start = SHANGHAI_TEXT.index("一、优化监管模式")
    parts = [SHANGHAI_TEXT[:start]]
    for number in range(1, copies + 1):
        parts.append(SHANGHAI_TEXT[start:].replace("。", f"（第{number}{tag}）。"))
    return "\n".join(parts)


def cache_rows(cache_home: Path) -> int:
    path = cache_home / "bilingual" / "translations.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM mt").fetchone()[0]
    except sqlite3.OperationalError:  # created but no table yet
        return 0


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def start_cli(args, env: dict[str, str], cwd: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bilingual", *map(str, args)], env=env, cwd=str(cwd),
                            text=True, **popen)


def wait_until(condition, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before {what}: {proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    """A folder with the shipped source and the PO file of a good pseudo run on it."""
    folder = tmp_path_factory.mktemp("good")
    source = folder / "source.zh.txt"
    source.write_text(SHANGHAI_TEXT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bilingual", "translate", source, "--engine", "pseudo", "--name", NAME,
         "-o", folder / "doc.en.po", "--no-cache", "-q"],
        env=cli_env(), cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return folder


class Work:
    def __init__(self, folder: Path, cache: Path):
        self.folder = folder
        self.source = folder / "source.zh.txt"
        self.po = folder / "doc.en.po"
        self.env = {"XDG_CACHE_HOME": str(cache)}

    def translate(self, run_cli, source: Path | None = None, *extra, engine: str = "pseudo", po: Path | None = None):
        return run_cli(["translate", source or self.source, "--engine", engine, "--name", NAME,
                        "-o", po or self.po, *extra], env=self.env)


@pytest.fixture
def work(good_run, tmp_path) -> Work:
    """A fresh copy of the good run's folder; its MT cache lives outside it."""
    folder = tmp_path / "work"
    folder.mkdir()
    for name, data in snapshot(good_run).items():
        (folder / name).write_bytes(data)
    return Work(folder, tmp_path / "cache")


# --------------------------------------------------------------------------- encodings


ENCODED = {
    "utf8": lambda text: text.encode("utf-8"),
    "utf8bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf16le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf16be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "gb18030": lambda text: text.encode("gb18030"),
}


def test_encodings_are_detected_without_being_told(run_cli, tmp_path):
    """UTF-8, UTF-8 BOM, UTF-16 LE/BE BOM and GB18030 (CRLF too) all give the same PO entries."""
    sources = []
    for name, encode in ENCODED.items():
        path = tmp_path / f"{name}.zh.txt"
        text = SHANGHAI_TEXT.replace("\n", "\r\n") if name == "gb18030" else SHANGHAI_TEXT
        path.write_bytes(encode(text))
        sources.append(path)
    result = run_cli(["translate", *sources, "--engine", "none", "--format", "json",
                      "--glossary", REPO_ROOT / "glossary"], cwd=tmp_path,
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert [s["document"] for s in stats] == list(ENCODED)
    reference = entries(tmp_path / "translations" / "utf8" / "utf8.en.po")
    assert len(reference) > 150 and any(msgid.startswith("为深入贯彻") for _, msgid, _ in reference)
    for name in ENCODED:
        assert entries(tmp_path / "translations" / name / f"{name}.en.po") == reference, name


def test_encoding_option_overrides_detection(run_cli, work):
    before = snapshot(work.folder)
    # UTF-16 without a byte-order mark cannot be guessed: refused, with the way out named
    bare = work.folder / "utf16.zh.txt"
    bare.write_bytes(SHANGHAI_TEXT.encode("utf-16-le"))
    before[bare.name] = bare.read_bytes()
    assert_refused(work.translate(run_cli, bare), bare, "UTF-16 without a byte-order mark", "encoding")
    assert snapshot(work.folder) == before
    result = work.translate(run_cli, bare, "--encoding", "utf-16-le", po=work.folder / "utf16.po")
    assert result.returncode == 0, result.stderr
    assert entries(work.folder / "utf16.po") == entries(work.po)

    # Big5 is not detected (GB18030 decodes its bytes too); --encoding gets it right
    big5 = work.folder / "big5.zh.txt"
    big5.write_bytes("上海海關推進通關便利化。支持企業發展。\n".encode("big5"))
    result = work.translate(run_cli, big5, "--encoding", "big5", po=work.folder / "big5.po")
    assert result.returncode == 0, result.stderr
    assert [msgid for _, msgid, _ in entries(work.folder / "big5.po")] == ["上海海關推進通關便利化。", "支持企業發展。"]

    # a wrong override is an error with the byte offset, and so is an unknown name
    before = snapshot(work.folder)
    gb = work.folder / "gb.zh.txt"
    gb.write_bytes(SHANGHAI_TEXT.encode("gb18030"))
    before[gb.name] = gb.read_bytes()
    try:
        gb.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
    assert_refused(work.translate(run_cli, gb, "--encoding", "utf-8"), gb, f"at byte offset {offset}")
    assert_refused(work.translate(run_cli, gb, "--encoding", "klingon"), gb, "unknown encoding 'klingon'")
    assert snapshot(work.folder) == before


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_undecodable_bytes_are_reported_with_their_offset(run_cli, work, encoding):
    data = SHANGHAI_TEXT.encode(encoding)
    offset = data.index("跨境贸易".encode(encoding))  # deep inside the file
    work.source.write_bytes(data[:offset] + b"\xff" + data[offset:])
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli), work.source, f"invalid byte 0xff at byte offset {offset}")
    assert snapshot(work.folder) == before


# --------------------------------------------------------------------------- bad sources

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
BROKEN_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\xff\nendstream\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "is empty"),
        (b" \r\n\t\n\xe3\x80\x80\n", "only whitespace"),
        (BROKEN_PDF, "PDF"),
        (PNG, "looks like a PNG image, not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "looks like a JPEG image"),
        (b"PK\x03\x04\x14\x00\x00\x00junk", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "binary"),
        (b"Hello. This notice is written in English only.\nNo Chinese here.\n", "contains no Chinese text"),
    ],
    ids=["empty", "whitespace", "pdf-bytes", "png", "jpeg", "zip", "elf", "english"],
)
def test_bad_sources_are_refused_in_one_line(run_cli, work, data, problem):
    work.source.write_bytes(data)
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli), work.source, problem)
    assert snapshot(work.folder) == before


def test_missing_source_and_folder_as_source(run_cli, work):
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli, work.folder / "nope.zh.txt"), work.folder / "nope.zh.txt", "no such file")
    folder = work.folder / "a-folder"
    folder.mkdir()
    assert_refused(work.translate(run_cli, folder), folder, "is a directory")
    folder.rmdir()
    assert snapshot(work.folder) == before


def test_document_without_structure_translates_as_paragraphs_with_a_warning(run_cli, tmp_path):
    source = tmp_path / "letter.zh.txt"
    source.write_text("今天天气很好。我们去公园散步吧！\n\n明天可能会下雨，记得带伞。\n", encoding="utf-8")
    po = tmp_path / "letter.en.po"
    result = run_cli(["translate", source, "--engine", "pseudo", "-o", po, "-q"],
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line]
    assert warnings == ["bilingual: warning: letter: no sections or numbered measures recognised; "
                        "translating as plain paragraphs"]
    assert [(ctx, msgid) for ctx, msgid, _ in entries(po)] == [
        ("paragraph-1.s1", "今天天气很好。"), ("paragraph-1.s2", "我们去公园散步吧！"),
        ("paragraph-2.s1", "明天可能会下雨，记得带伞。")]
    assert all(msgstr for _, _, msgstr in entries(po))


# --------------------------------------------------------------------------- size


def five_megabytes() -> str:
    """≈5 MB of policy text: the attachment repeated with varied numbers and names."""
    start = SHANGHAI_TEXT.index("一、优化监管模式")
    parts, size, number = [SHANGHAI_TEXT], len(SHANGHAI_TEXT.encode("utf-8")), 0
    while size < 5 * 1024 * 1024:
        number += 1
        part = SHANGHAI_TEXT[start:].replace("2025", str(2025 + number)).replace("上海", f"上海{number}号")
        parts.append(part)
        size += len(part.encode("utf-8")) + 1
    return "\n".join(parts)


@pytest.mark.slow
def test_five_megabyte_document_in_bounded_memory(tmp_path):
    """Measured on the 2-core machine: ≈390 MB peak RSS (pseudo engine); the bound is ~3× that, so
    a leak or a copy per segment blows through it. Time is not asserted here (a loaded CI machine
    is no clock): `make bench` measures the large-document cost as a ratio in one run."""
    source = tmp_path / "big.zh.txt"
    source.write_text(five_megabytes(), encoding="utf-8")
    assert source.stat().st_size >= 5 * 1024 * 1024
    po = tmp_path / "big.en.po"
    with open(tmp_path / "stdout", "w") as out, open(tmp_path / "stderr", "w") as err:
        started = time.monotonic()
        proc = start_cli(["translate", source, "--engine", "pseudo", "-o", po, "--no-cache", "--format", "json"],
                         env=cli_env(), cwd=REPO_ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, (tmp_path / "stderr").read_text()[-2000:]
    peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"5 MB document: {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 1200, f"peak RSS {peak_mb:.0f} MB"
    stats = json.loads((tmp_path / "stdout").read_text())[0]
    assert stats["segments"] > 40_000 and stats["untranslated"] == stats["suspect_names"]
    catalog = polib.pofile(str(po))
    assert len([e for e in catalog if not e.obsolete]) == stats["segments"]


def test_overlong_paragraph_is_a_clear_error_not_a_traceback(run_cli, work):
    """More than spaCy's 1,000,000 characters in one paragraph (text extracted without line breaks)."""
    work.source.write_text("跨境贸易便利化水平持续提升" * 80_000 + "。\n", encoding="utf-8")
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli), work.source, "line 1: a paragraph of 1,040,001 characters")
    assert snapshot(work.folder) == before


LONG_SENTENCE = "跨境贸易便利化水平持续提升口岸营商环境不断优化" * 87 + "。"  # 2,002 characters, no ，；


def test_split_for_engine_respects_the_budget_on_the_long_sentence():
    from bilingual.translate import MAX_ENGINE_CHARS, split_for_engine

    pieces = split_for_engine(LONG_SENTENCE)
    assert "".join(pieces) == LONG_SENTENCE
    assert len(pieces) > 1 and max(map(len, pieces)) <= MAX_ENGINE_CHARS


_PIECES = st.one_of(
    st.text(alphabet="上海口岸跨境贸易便利化措施监管", min_size=1, max_size=30),
    st.sampled_from(["，", "；", "。", "、", " ", "2025", "9610"]),
    st.integers(1, 120).map(lambda n: f" QXZ{n} "),
    st.text(alphabet="abcXYZ0123456789", min_size=1, max_size=200),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.integers(12, 200))
def test_split_for_engine_is_lossless_bounded_and_keeps_placeholders(text, limit):
    from bilingual.translate import split_for_engine

    pieces = split_for_engine(text, limit)
    assert "".join(pieces) == text
    assert (all(pieces) or text == "") and max(map(len, pieces), default=0) <= limit
    # a placeholder is never cut in two, unless its ASCII run is longer than the budget
    placeholder = re.compile(r"QXZ\d+")
    runs = re.findall(r"[A-Za-z0-9]+", text)
    if all(len(run) < limit for run in runs):
        assert sorted(m for p in pieces for m in placeholder.findall(p)) == sorted(placeholder.findall(text))


@pytest.mark.slow
def test_long_sentence_reaches_the_real_engine_in_pieces(argos_packages_dir, tmp_path, monkeypatch, run_cli):
    """2,000 characters without a comma: the tiny real Argos model only ever gets pieces
    within the budget, and the PO keeps the sentence whole, as one translated entry."""
    from bilingual.engines.argos import ArgosEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import MAX_ENGINE_CHARS, Job, run

    source = tmp_path / "long.zh.txt"
    source.write_text(LONG_SENTENCE + "\n", encoding="utf-8")
    seen: list[int] = []
    original = ArgosEngine.translate

    def recording(self, texts):
        seen.extend(len(text) for text in texts)
        return original(self, texts)

    monkeypatch.setattr(ArgosEngine, "translate", recording)
    po = tmp_path / "long.en.po"
    stats = run([Job("long", source, po)], ArgosEngine(), load_glossary(REPO_ROOT / "glossary"))
    assert stats[0].segments == 1 and stats[0].machine == 1
    assert seen and max(seen) <= MAX_ENGINE_CHARS and sum(seen) >= len(LONG_SENTENCE) - 10
    [entry] = entries(po)
    assert entry[1] == LONG_SENTENCE and entry[2].strip()

    # the same through the CLI, as a subprocess
    po_cli = tmp_path / "long-cli.en.po"
    result = run_cli(["translate", source, "--engine", "argos", "-o", po_cli, "--no-cache", "-q"])
    assert result.returncode == 0, result.stderr
    [entry] = entries(po_cli)
    assert entry[1] == LONG_SENTENCE and entry[2].strip()


# --------------------------------------------------------------------------- PO files


def _edit(po_path: Path, transform) -> None:
    po_path.write_text(transform(po_path.read_text(encoding="utf-8")), encoding="utf-8")


CONFLICT = '<<<<<<< HEAD\nmsgstr "mine"\n=======\nmsgstr "theirs"\n>>>>>>> branch\n'


@pytest.mark.parametrize(
    ("transform", "problem"),
    [
        (lambda t: t.replace('msgstr "June 27, 2025"', 'msgstr "June 27, 2025'), "not a valid PO file (syntax error at line"),
        (lambda t: t.replace('msgstr "June 27, 2025"\n', CONFLICT), "not a valid PO file (syntax error at line"),
        (lambda t: "\ufeff" + t, "byte-order mark"),
        (lambda t: t.replace("Language: en", "Language: fr"), "is a PO file for language 'fr', not English"),
        (lambda t: t.replace("X-Bilingual-Document: doc", "X-Bilingual-Document: other-doc"),
         "belongs to document 'other-doc', not 'doc'"),
        (lambda t: t + '\nmsgctxt "notice.date"\nmsgid "2025年6月27日"\nmsgstr "27 June 2025"\n',
         "duplicate entry msgctxt 'notice.date'"),
    ],
    ids=["unterminated-string", "merge-conflict", "bom", "other-language", "other-document", "duplicate"],
)
def test_broken_or_foreign_po_is_refused_and_left_alone(run_cli, work, transform, problem):
    _edit(work.po, transform)
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli), work.po, problem, "it was left unchanged" if "document" not in problem else "")
    assert snapshot(work.folder) == before


def test_po_that_is_not_utf8_is_refused(run_cli, work):
    text = work.po.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=GB18030")
    work.po.write_bytes(text.encode("gb18030"))
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli), work.po, "not a valid PO file (not UTF-8 at byte")
    assert snapshot(work.folder) == before


def _review(po_path: Path, count: int) -> dict[str, str]:
    """A translator reviews ``count`` MT entries in a PO tool (Poedit wraps at 79)."""
    po = polib.pofile(str(po_path), wrapwidth=79)
    reviewed = {}
    for entry in [e for e in po if e.fuzzy][:count]:
        entry.msgstr = f"Reviewed “{entry.msgctxt}” \\ with a \"quote\""
        entry.flags.remove("fuzzy")
        reviewed[entry.msgctxt] = entry.msgstr
    po.save(str(po_path))
    return reviewed


def test_po_with_entries_removed_or_reordered_is_merged_correctly(run_cli, work):
    reviewed = _review(work.po, 12)
    original_order = [ctx for ctx, _, _ in entries(work.po)]
    po = polib.pofile(str(work.po), wrapwidth=79)
    kept = [e for e in po if e.msgctxt in reviewed or e.msgctxt.endswith(".agencies")]
    removed = {e.msgctxt for e in po} - {e.msgctxt for e in kept}
    po[:] = list(reversed(kept))  # reordered, and every other entry deleted
    po.save(str(work.po))

    result = work.translate(run_cli, None, "--format", "json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["reused"] >= len(reviewed) and stats["machine"] + stats["cached"] + stats["rendered"] >= len(removed) - 31
    merged = polib.pofile(str(work.po))
    assert [e.msgctxt for e in merged if not e.obsolete] == original_order  # document order again
    for ctx, msgstr in reviewed.items():
        entry = merged.find(ctx, by="msgctxt")
        assert entry.msgstr == msgstr and not entry.fuzzy
    # deleted entries come back translated (a suspect name in the masthead stays empty: never MT)
    assert all(e.msgstr or "suspect name:" in e.comment for e in merged if e.msgctxt in removed)


# --------------------------------------------------------------------------- glossary


HEADER = "zh,en,kind,full_form,en_abbr,note,source\n"
GOOD_ROW = "上海海关,Shanghai Customs,organisation,,,Customs district.,GACC English website\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (HEADER + GOOD_ROW + '"上海口岸,Shanghai Port,place,,,"unclosed quote,coined\n', "malformed row"),
        (HEADER + GOOD_ROW + "上海港,Shanghai Port,place\n", "malformed row: 3 columns, expected 7"),
        ("zh;en;kind\n上海港;Shanghai Port;place\n", "header must be"),
        (HEADER + GOOD_ROW + "上海海关,Customs of Shanghai,organisation,,,Conflict.,coined\n", "conflicts with"),
        (HEADER + GOOD_ROW + ",Empty,phrase,,,Empty term.,coined\n", "empty required field(s): zh"),
        (HEADER + GOOD_ROW + "“”《》。,Punctuation,phrase,,,Only punctuation.,coined\n", "is only punctuation"),
        (HEADER.encode("utf-8") + "上海港,Port,place,,,n,s\n".encode("gb18030"), "not UTF-8"),
    ],
    ids=["unclosed-quote", "short-row", "bad-header", "conflict", "empty-term", "punctuation-term", "not-utf8"],
)
def test_broken_glossary_is_refused_naming_the_file(run_cli, work, content, problem):
    glossary = work.folder / "glossary"
    glossary.mkdir()
    bad = glossary / "terms.csv"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli, None, "--glossary", glossary), bad, problem)
    assert snapshot(work.folder) == before


def test_missing_glossary_folder_is_refused(run_cli, work):
    before = snapshot(work.folder)
    assert_refused(work.translate(run_cli, None, "--glossary", work.folder / "nope"), work.folder / "nope",
                   "glossary directory not found")
    assert snapshot(work.folder) == before


# --------------------------------------------------------------------------- faults


@pytest.fixture
def big_job(tmp_path, argos_packages_dir, run_cli):
    """A source that keeps the tiny Argos model busy for a few seconds, and the PO file
    of an earlier (``--engine none``) run on it."""
    folder = tmp_path / "job"
    folder.mkdir()
    source = folder / "source.zh.txt"
    source.write_text(varied_document(8), encoding="utf-8")
    po = folder / "doc.en.po"
    cache = tmp_path / "cache"
    result = run_cli(["translate", source, "--engine", "none", "--name", NAME, "-o", po, "-q"],
                     env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    return folder, source, po, cache


# ``bilingual translate`` whose Argos engine, after its first batch, waits for a gate file:
# the test acts while the run is certainly in its MT phase, however fast the machine.
GATED = """
import os, sys, time
from bilingual.engines import argos
real, calls = argos.ArgosEngine.translate, []
def gated(self, texts):
    calls.append(len(texts))
    if len(calls) == 2:
        deadline = time.monotonic() + 120
        while not os.path.exists(os.environ["TEST_GATE"]) and time.monotonic() < deadline:
            time.sleep(0.05)
    return real(self, texts)
argos.ArgosEngine.translate = gated
from bilingual.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _argos_run(source: Path, po: Path, cache: Path, *extra, gate: Path | None = None) -> subprocess.Popen:
    args = ["translate", source, "--engine", "argos", "--name", NAME, "-o", po, "-q", *extra]
    if gate is None:
        return start_cli(args, env=cli_env(XDG_CACHE_HOME=str(cache)), cwd=REPO_ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-c", GATED, *map(str, args)],
                            env=cli_env(XDG_CACHE_HOME=str(cache), TEST_GATE=str(gate)), cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _in_mt_phase(proc: subprocess.Popen, cache: Path) -> None:
    wait_until(lambda: cache_rows(cache) >= 16, 120, "the first MT batches were cached", proc)
    assert proc.poll() is None, "the run finished before it could be interrupted: make the document bigger"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_keeps_the_old_po_and_the_next_run_resumes(big_job, signum, run_cli):
    folder, source, po, cache = big_job
    before = snapshot(folder)
    proc = _argos_run(source, po, cache)
    _in_mt_phase(proc, cache)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    # Click turns the KeyboardInterrupt into Abort: "bilingual: aborted" (cli/__init__.main)
    assert stderr.strip().splitlines()[-1] in ("bilingual: aborted", "bilingual: interrupted; files on disk are unchanged")
    assert snapshot(folder) == before  # the old PO byte for byte, and no temp file left behind
    assert sorted(p.name for p in folder.iterdir()) == ["doc.en.po", "doc.en.po.lock", "source.zh.txt"]

    with sqlite3.connect(cache / "bilingual" / "translations.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        done = db.execute("SELECT count(*) FROM mt WHERE text IS NOT NULL").fetchone()[0]
    assert done > 0

    result = run_cli(["translate", source, "--engine", "argos", "--name", NAME, "-o", po, "--format", "json"],
                     env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["cached"] > 0 and stats["machine"] > 0, stats  # resumed: part from the cache, the rest new
    assert stats["untranslated"] == stats["suspect_names"] and stats["written"]


SLOW_WRITE = """
import os, sys, time
real_fsync = os.fsync
def slow_fsync(fd):
    sys.stderr.write("WRITING\\n"); sys.stderr.flush()
    time.sleep(60)
    real_fsync(fd)
os.fsync = slow_fsync
from bilingual.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_signal_while_writing_leaves_no_temp_file(work, signum):
    """A signal in the middle of the atomic write: the temp file is removed, the old PO stays."""
    work.source.write_text(SHANGHAI_TEXT.replace("优化国际邮轮药械供船服务。", "优化国际邮轮药品供船服务。"), encoding="utf-8")
    before = snapshot(work.folder)
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "translate", work.source, "--engine", "pseudo", "--name", NAME,
         "-o", work.po, "-q"],
        env=cli_env(**work.env), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))  # even if pytest runs under nohup
    assert proc.stderr.readline() == "WRITING\n"
    assert any(p.name.endswith(".tmp") for p in work.folder.iterdir())  # caught mid-write
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert snapshot(work.folder) == before
    assert not [p for p in work.folder.iterdir() if p.name.endswith(".tmp")]


def test_termination_handlers_respect_nohup():
    from bilingual.cli.translate import _interrupt_on_termination

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _interrupt_on_termination()
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert callable(signal.getsignal(signal.SIGTERM))
        with pytest.raises(KeyboardInterrupt):
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.slow
def test_two_runs_on_one_po_file_wait_or_fail_and_lose_nothing(big_job, run_cli):
    folder, source, po, cache = big_job
    gate = folder.parent / "gate"
    first = _argos_run(source, po, cache, "--wait", "60", gate=gate)
    _in_mt_phase(first, cache)  # it holds the PO file's lock now

    before = snapshot(folder)
    refused = run_cli(["translate", source, "--engine", "pseudo", "--name", NAME, "-o", po],
                      env={"XDG_CACHE_HOME": str(cache)})
    assert_refused(refused, po, "another bilingual run is writing this file")
    assert snapshot(folder) == before

    # a second run that waits, on an edited source: it merges into the first run's result
    # (--engine none: another engine would translate the first run's unreviewed MT again)
    edited = folder / "edited.zh.txt"
    old_sentence = "优化国际邮轮药械供船服务（第1批）。"
    assert old_sentence in source.read_text(encoding="utf-8")
    edited.write_text(source.read_text(encoding="utf-8").replace(old_sentence, "优化国际邮轮药品供船服务（第1批）。"),
                      encoding="utf-8")
    second = start_cli(["translate", edited, "--engine", "none", "--name", NAME, "-o", po, "--wait", "120",
                        "--format", "json"], env=cli_env(XDG_CACHE_HOME=str(cache)), cwd=REPO_ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1)
    assert second.poll() is None  # waiting for the lock
    gate.touch()
    _, first_err = first.communicate(timeout=180)
    assert first.returncode == 0, first_err
    second_out, second_err = second.communicate(timeout=180)
    assert second.returncode == 0, second_err
    stats = json.loads(second_out)[0]
    # the second run started after the first had written: it found every translation in the PO
    assert stats["machine"] == 0 and stats["cached"] == 0 and stats["reused"] > 500, stats

    merged = polib.pofile(str(po))
    active = [e for e in merged if not e.obsolete]
    assert all(e.msgstr or "suspect name:" in e.comment for e in active)
    machine = [e for e in active if "origin: machine translation" in e.comment]
    assert len(machine) > 500 and all("(argos/" in e.comment for e in machine)  # the first run's work, all of it
    [changed] = [e for e in active if e.previous_msgid == old_sentence]  # the second run's change
    assert changed.fuzzy and changed.msgid == "优化国际邮轮药品供船服务（第1批）。" and "(argos/" in changed.comment


@pytest.mark.slow
def test_po_saved_by_an_editor_during_a_run_is_not_overwritten(big_job, run_cli):
    folder, source, po, cache = big_job
    gate = folder.parent / "gate"
    proc = _argos_run(source, po, cache, gate=gate)
    _in_mt_phase(proc, cache)
    # the translator saves the file in Poedit while the run is translating
    catalog = polib.pofile(str(po), wrapwidth=79)
    # the copies restart their numbering: their measures are section-N.measure-M
    entry = next(e for e in catalog if not e.msgstr and "measure-" in e.msgctxt)
    entry.msgstr = "Reviewed while the machine was translating."
    catalog.save(str(po))
    saved = po.read_bytes()
    gate.touch()
    _, stderr = proc.communicate(timeout=180)
    # not an error (exit 0: nothing is lost, a re-run finishes it), but a warning naming the file
    assert proc.returncode == 0, stderr
    [line] = [line for line in stderr.splitlines() if "changed while this run worked on it" in line]
    assert line.startswith("bilingual: warning: ") and str(po) in line
    assert "not written — run again (machine translations are cached)" in line
    assert po.read_bytes() == saved
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]

    result = run_cli(["translate", source, "--engine", "argos", "--name", NAME, "-o", po, "--format", "json"],
                     env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["machine"] == 0 and stats["cached"] > 500  # nothing translated twice
    merged = polib.pofile(str(po)).find(entry.msgctxt, by="msgctxt")
    assert merged.msgstr == "Reviewed while the machine was translating." and not merged.fuzzy
