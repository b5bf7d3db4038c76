"""Characters that make a glossary cell other than it looks (``bilingual/invisible.py``).

A zero-width space in ``单一\\u200b窗口`` keeps the term from ever matching the document's 单一窗口;
an RLO (U+202E) in an English name prints it reversed; U+2028, U+2029 and NEL (U+0085) are line
breaks to ``str.splitlines``, which cut a row (or a ``left-to-mt.txt`` line, or a memory's msgstr)
in two. Each is a finding of ``glossary check`` and of every load, naming the file, the row and
the character — and the message shows the cell with the character written out, never the raw
character (an RLO in an error message would reverse the terminal line).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cliassert import one_line_error
from inproc import run_inprocess

from bilingual.glossary import read_left_to_mt
from bilingual.invisible import BIDI, FORMAT, HIDDEN_RE, SEPARATORS
from bilingual.po.catalog import parse_text

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
SHIPPED_PO = REPO_ROOT / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po"
HEADER = "zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants\n"

# (row as written in the file, the finding's message); line numbers follow the order (header: line 1)
ROWS = [
    ("单一\u200b窗口,Single Window,regime,,,n,s,,,\n",
     "zh holds an invisible character (U+200B ZERO WIDTH SPACE): 单一<U+200B>窗口 looks like 单一窗口 but never "
     "matches it"),
    ("\ufeff两证合一,Two Certificates in One,slogan,,,n,s,,,\n",
     "zh holds an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE): <U+FEFF>两证合一 looks like 两证合一"),
    ("提单\u200d换单,Bill of lading exchange,phrase,,,n,s,,,\n", "zh holds an invisible character (U+200D ZERO WIDTH JOINER)"),
    ("上海\u202e海关,Shanghai Customs,organisation,,,n,s,coined,,\n",
     "zh holds a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE), which reorders the text shown around it: "
     "上海<U+202E>海关"),
    ("宁波海关,\u202eNingbo Customs,organisation,,,n,s,coined,,\n",
     "en holds a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE), which reorders the text shown around it: "
     "<U+202E>Ningbo Customs"),
    ("天津海关,Tianjin \u2067Customs\u2069,organisation,,,n,s,coined,,\n",
     "en holds a bidirectional control (U+2067 RIGHT-TO-LEFT ISOLATE)"),
    ('"上海\u2028口岸",Shanghai Port,place,,,n,s,,,\n',  # quoted: csv keeps the separator in the cell
     "zh holds a line separator (U+2028 LINE SEPARATOR), where line-based tools cut it in two: 上海<U+2028>口岸"),
    ("洋山\u2029港区,Yangshan Port Area,place,,,n,s,,,\n",  # unquoted: splitlines made two broken rows of it
     "zh holds a line separator (U+2029 PARAGRAPH SEPARATOR)"),
    ("外高桥港区,Waigaoqiao\x85Port Area,place,,,n,s,,,\n",
     "en holds a control character (U+0085), where line-based tools cut it in two: Waigaoqiao<U+0085>Port Area"),
    ("临港新片区,Lingang Special Area,place,,,a note with a soft\u00adhyphen,s,,,\n",
     "note holds an invisible character (U+00AD SOFT HYPHEN): a note with a soft<U+00AD>hyphen looks like a note "
     "with a softhyphen but is not: the character goes, unseen, wherever the cell is shown or exported"),
    # English is matched against nothing: "never matches it" would send a terminologist looking for a match
    ("大连海关,Dalian\u200b Customs,organisation,,,n,s,coined,,\n",
     "en holds an invisible character (U+200B ZERO WIDTH SPACE): Dalian<U+200B> Customs looks like Dalian Customs "
     "but is not: the character goes, unseen, into every translation and publication that renders the term"),
]


@pytest.fixture
def hidden_glossary(tmp_path) -> Path:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.csv").write_text(HEADER + "".join(row for row, _ in ROWS), encoding="utf-8")
    return folder


def test_glossary_check_names_the_file_the_row_and_the_character(hidden_glossary):
    result = run_inprocess(["glossary", "check", "--glossary", hidden_glossary, "--format", "json"])
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = {(p["line"], p["message"]) for p in report["problems"] if p["file"].endswith("terms.csv")}
    for line, (_, message) in enumerate(ROWS, start=2):
        assert any(at == line and text.startswith(message) for at, text in found), (line, message, sorted(found))
    assert len(found) == len(ROWS), sorted(found)  # one finding a row: no row cut into two broken ones
    plain = run_inprocess(["glossary", "check", "--glossary", hidden_glossary, "-q"])
    assert plain.returncode == 1 and plain.stdout.count("[unsafe-cell]") == len(ROWS), plain.stdout
    assert not HIDDEN_RE.search(plain.stdout) and "\x85" not in plain.stdout  # none printed raw


def test_the_summary_counts_a_file_whose_every_row_is_refused(hidden_glossary):
    """Every row of terms.csv is refused: the file was still read and checked, so the summary
    counts it ("N term(s) in M file(s)" left it out, as if the folder had one file fewer)."""
    builtin = len(list((REPO_ROOT / "glossary").glob("*.csv")))
    report = json.loads(run_inprocess(["glossary", "check", "--glossary", hidden_glossary, "--format", "json"]).stdout)
    assert report["summary"]["files"] == builtin + 1
    plain = run_inprocess(["glossary", "check", "--glossary", hidden_glossary, "-q"])
    assert f" in {builtin + 1} file(s): {len(ROWS)} error(s)" in plain.stderr, plain.stderr


def test_loading_a_glossary_with_a_hidden_character_refuses_the_run(tmp_path, hidden_glossary):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SHANGHAI, work / "doc.zh.txt")
    result = run_inprocess(["translate", "doc.zh.txt", "--engine", "none", "--no-state", "--glossary",
                            hidden_glossary, "-o", "doc.en.po"], cwd=work)
    one_line_error(result, hidden_glossary, "glossary has errors", "terms.csv:2:", "U+200B ZERO WIDTH SPACE",
                   f"(and {len(ROWS) - 1} more; run `bilingual glossary check`)")
    assert sorted(p.name for p in work.iterdir()) == ["doc.zh.txt"]


def test_a_left_to_mt_line_is_never_cut_at_a_line_separator(tmp_path):
    (tmp_path / "left-to-mt.txt").write_bytes(
        "# terms left to MT\r\n一网通办 | a slogan MT renders well\r\n单一\u2028窗口 | cut here\n"
        "放管服 | old Mac line end\r两个\u0085平台 | and here\n".encode())
    entries, problems = read_left_to_mt(tmp_path)
    assert entries == {"一网通办": "a slogan MT renders well", "放管服": "old Mac line end"}  # no 窗口, no 平台
    assert [(p.line, p.code) for p in problems] == [(3, "unsafe-cell"), (5, "unsafe-cell")]
    assert "U+2028 LINE SEPARATOR" in problems[0].message and "单一<U+2028>窗口" in problems[0].message
    assert "U+0085" in problems[1].message


def test_a_memory_po_file_keeps_a_line_separator_in_its_msgstr(tmp_path):
    """msgfmt takes U+2028 in a string; polib, given the file's text, split it there and called the
    memory "not a valid PO file"."""
    memory = tmp_path / "memory.en.po"
    text = SHIPPED_PO.read_text(encoding="utf-8")
    english = parse_text(text).find("measure-1.s1", by="msgctxt").msgstr
    memory.write_text(text.replace(f'msgstr "{english}"', f'msgstr "{english[:10]}\u2028{english[10:]}"'),
                      encoding="utf-8")
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    result = run_inprocess(["translate", "source.zh.txt", "--engine", "none", "--no-state", "--tm", memory,
                            "-o", "new.en.po"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reused = parse_text((tmp_path / "new.en.po").read_text(encoding="utf-8")).find("measure-1.s1", by="msgctxt")
    assert reused.msgstr == f"{english[:10]}\u2028{english[10:]}"


def test_every_format_line_and_bidi_character_of_unicode_is_named():
    """The classes are written out; this Python's Unicode database says what they must hold."""
    import re
    import sys
    import unicodedata

    written = re.compile(f"[{BIDI}{SEPARATORS}{FORMAT}]")
    wanted = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) in ("Cf", "Zl", "Zp")]
    assert [f"U+{ord(ch):04X}" for ch in wanted if not written.match(ch)] == []
    assert not written.search("上海海关 Shanghai Customs “单一窗口” 《通知》 (AEO) — é ñ \u3000")


def test_glossary_coverage_refuses_a_left_to_mt_line_with_a_hidden_character(tmp_path):
    """``glossary coverage`` reads left-to-mt.txt: a line with a zero-width space in its term is one
    line naming the file and the line, exit 2 — skipped, the term silently counted as unknown."""
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.csv").write_text("zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants\n",
                                      encoding="utf-8")
    (folder / "left-to-mt.txt").write_text("一网通办 | a slogan\n跨境贸易\u200b新通道 | test\n", encoding="utf-8")
    (tmp_path / "s.zh.txt").write_text("各相关单位：\n\n推进“跨境贸易新通道”建设。\n", encoding="utf-8")
    result = run_inprocess(["glossary", "coverage", "s.zh.txt", "--glossary", folder], cwd=tmp_path)
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if line.startswith("bilingual: error:")]
    assert "left-to-mt.txt" in line and "line 2" in line and "U+200B" in line
