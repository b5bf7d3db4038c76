"""bilingual check: every check fires on a crafted bad entry and stays silent on a good one.

Also: exit codes and output formats of the CLI, ``--config``, and the ecosystem
tests (msgfmt accepts the contract format; pofilter reads it and fires only the
checks documented in bilingual/check.py).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import need
from hypothesis import given, settings
from hypothesis import strategies as st
from pofactory import (
    REPO_ROOT,
    E,
    all_ctx,
    fake_glossary,
    make_catalog,
    pipeline_po,
    write_glossary,
    write_po,
)

from bilingual.check import (
    ERROR,
    WARNING,
    Finding,
    check_catalog,
    check_files,
    chinese_left,
    exit_code,
    missing_numbers,
    unbalanced,
)
from bilingual.cli.review import _render_table, check

VENV_BIN = Path(sys.executable).parent


def by_check(findings, name):
    return [f for f in findings if f.check == name]


# --------------------------------------------------------------------------- the clean baseline

def test_reviewed_contract_file_is_clean():
    assert check_catalog(make_catalog(), fake_glossary(), path="doc.po") == []


def test_obsolete_entries_are_ignored():
    po = make_catalog(obsolete=[E("measure-99.s1", "旧句子。", "旧的，未翻译（", 1)])
    assert check_catalog(po, fake_glossary()) == []


# --------------------------------------------------------------------------- one bad entry per check

BAD = [
    # (ctx, bad msgstr, check id)
    ("measure-15.s2", "Cross-border e-commerce under 9610 and 9710 in list mode.", "numbers"),
    ("measure-20.s2", "Widen the dynamic schedule enquiry for ships.", "numbers"),
    ("measure-5.s2", 'Optimise the "green channel" with round-the-year inspection.', "numbers"),
    ("notice.date", "June 2025", "numbers"),
    ("notice.doc-number", "Hu Shang Zi Mao No. 181 of 2025", "numbers"),
    ("measure-19.s2", "Relying on the Shanghai international trade single-window platform, exchange data.",
     "glossary"),
    ("measure-15.s1", "Further support the development of cross-border online retail.", "glossary"),
    ("measure-19.s1", "Deepen the connectivity of the International Trade Single Window。", "chinese"),
    ("measure-8.s1", "Optimise the 上海港 logistics network.", "chinese"),
    ("measure-2.s1", "Continue the “two certificates in one” reform for imported motor vehicles.", "chinese"),
    ("measure-2.agencies", "(Shanghai Customs; Shanghai Municipal Bureau of Public Security", "brackets"),
    ("measure-2.s1", 'Continue the "two certificates in one reform for imported motor vehicles.', "brackets"),
    ("measure-8.s1", "Optimise the logistics and transport network of Shanghai Port. ", "whitespace"),
    ("measure-8.s1", "\nOptimise the logistics and transport network of Shanghai Port.", "whitespace"),
    # a stand-in signed off: nothing else fires on a sentence without numbers or glossary terms
    ("measure-1.s1", ".", "stub"),
    ("measure-2.s2", "TODO", "stub"),
    ("section-1.title", "Optimise supervision (FIXME)", "stub"),
    ("measure-8.s2", "Improve the ??? network.", "stub"),
]


@pytest.mark.parametrize(("ctx", "bad", "check_id"), BAD)
def test_check_fires_on_bad_reviewed_entry_as_error(ctx, bad, check_id):
    findings = check_catalog(make_catalog(override={ctx: bad}), fake_glossary())
    hits = by_check(findings, check_id)
    assert [f.ctx for f in hits] == [ctx], findings
    assert {f.ctx for f in findings} == {ctx}, "only the crafted entry may be reported"
    expected = WARNING if check_id == "whitespace" and not bad.startswith("\n") else ERROR
    assert hits[0].severity == expected
    assert exit_code(findings) == (1 if expected == ERROR else 0)


@pytest.mark.parametrize(("ctx", "bad", "check_id"),
                         [b for b in BAD if b[2] in ("numbers", "glossary", "chinese", "brackets", "stub")])
def test_same_problem_in_unreviewed_mt_is_a_warning(ctx, bad, check_id):
    findings = check_catalog(make_catalog(override={ctx: bad}, fuzzy={ctx}), fake_glossary())
    hits = by_check(findings, check_id)
    assert len(hits) == 1 and hits[0].severity == WARNING
    assert by_check(findings, "fuzzy")[0].severity == WARNING
    assert exit_code(findings) == 0


def test_glossary_check_is_skipped_without_a_glossary():
    po = make_catalog(override={"measure-19.s2": "Relying on the single-window platform."})
    assert by_check(check_catalog(po), "glossary") == []


def test_glossary_match_is_case_insensitive_and_allows_plurals():
    po = make_catalog(override={
        "measure-19.s1": "DEEPEN THE CONNECTIVITY OF THE INTERNATIONAL TRADE SINGLE WINDOW.",
        "measure-19.s2": 'Relying on the Shanghai "Single Windows", exchange information among agencies.',
    })
    assert by_check(check_catalog(po, fake_glossary()), "glossary") == []


@pytest.mark.parametrize("translation", [
    'Relying on the Shanghai International Trade "Single Window", exchange information.',
    "Relying on the Shanghai International Trade “Single Window”, exchange information.",
    "Relying on the Shanghai International Trade Single Window, exchange information.",
])
def test_glossary_match_ignores_quote_marks(translation):
    from pofactory import FakeGlossary

    glossary = FakeGlossary({"上海国际贸易“单一窗口”": "Shanghai International Trade Single Window"})
    po = make_catalog(override={"measure-19.s2": translation})
    assert by_check(check_catalog(po, glossary), "glossary") == []
    po = make_catalog(override={"measure-19.s2": "Relying on the Shanghai single window, exchange information."})
    assert len(by_check(check_catalog(po, glossary), "glossary")) == 1


def test_glossary_finding_names_term_and_approved_english():
    po = make_catalog(override={"measure-19.s2": "Relying on the single-window, exchange information."})
    (finding,) = by_check(check_catalog(po, fake_glossary()), "glossary")
    assert "单一窗口" in finding.message and "'Single Window'" in finding.message


def test_glossary_check_with_the_real_glossary_loader(tmp_path):
    glossary_module = pytest.importorskip("bilingual.glossary")
    glossary = glossary_module.load_glossary(write_glossary(tmp_path / "glossary"), builtin=False)
    good = make_catalog()
    assert by_check(check_catalog(good, glossary), "glossary") == []
    bad = make_catalog(override={"measure-19.s2": "Relying on the single-window, exchange information."})
    (finding,) = by_check(check_catalog(bad, glossary), "glossary")
    assert finding.ctx == "measure-19.s2" and finding.severity == ERROR


def test_untranslated_and_fuzzy_are_warnings_unless_strict():
    po = make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"})
    findings = check_catalog(po, fake_glossary())
    assert [(f.ctx, f.check, f.severity) for f in findings] == [
        ("measure-15.s2", "fuzzy", WARNING), ("measure-20.s2", "untranslated", WARNING)]
    strict = check_catalog(po, fake_glossary(), strict=True)
    assert {f.severity for f in strict} == {ERROR}
    assert exit_code(findings) == 0 and exit_code(strict) == 1


def test_fuzzy_entry_with_empty_msgstr_counts_as_untranslated():
    po = make_catalog(untranslated={"measure-20.s2"})
    po.find("measure-20.s2", by="msgctxt").flags.append("fuzzy")
    assert [f.check for f in check_catalog(po)] == ["untranslated"]


@pytest.mark.parametrize(("meta", "value", "fragment"), [
    ("Language", "fr", "Language"),
    ("Content-Type", "text/plain; charset=ISO-8859-1", "charset"),
    ("X-Bilingual-Document", None, "X-Bilingual-Document"),
])
def test_header_sanity(meta, value, fragment):
    po = make_catalog()
    if value is None:
        del po.metadata[meta]
    else:
        po.metadata[meta] = value
    (finding,) = check_catalog(po)
    assert finding.check == "header" and finding.severity == ERROR and fragment in finding.message


def test_duplicate_msgctxt_is_an_error():
    po = make_catalog(extra=[E("measure-8.s1", "优化上海港物流运输网络", "Optimise the network of Shanghai Port.", 79)])
    (finding,) = by_check(check_catalog(po), "duplicate")
    assert finding.ctx == "measure-8.s1" and finding.severity == ERROR


def test_syntax_error_names_file_and_line(tmp_path):
    path = write_po(tmp_path / "doc.en.po")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(30, 'msgstr "dangling" garbage')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (finding,) = check_files([path])
    assert finding.check == "syntax" and finding.severity == ERROR
    assert finding.path == str(path) and finding.line == 31


def test_unreadable_and_missing_files_are_findings(tmp_path):
    latin = tmp_path / "latin.po"
    latin.write_bytes(write_po(tmp_path / "x.po").read_bytes().replace("上海".encode(), b"\xc9\xcf\xba\xa3"))
    findings = check_files([latin, tmp_path / "missing.po"])
    assert [f.check for f in findings] == ["syntax", "syntax"]
    assert "UTF-8" in findings[0].message and "not found" in findings[1].message


def test_findings_carry_po_line_numbers(tmp_path):
    path = write_po(tmp_path / "doc.en.po", make_catalog(untranslated={"measure-20.s2"}))
    (finding,) = check_files([path])
    lines = path.read_text(encoding="utf-8").splitlines()
    # polib's line number is the first line of the entry (its first comment).
    assert lines[finding.line - 2] == "" and lines[finding.line - 1].startswith("#.")
    assert 'msgctxt "measure-20.s2"' in lines[finding.line - 1:finding.line + 5]


# --------------------------------------------------------------------------- the number rules

@pytest.mark.parametrize(("source", "target", "missing"), [
    ("实施7×24小时预约查验", "24/7 inspection by appointment", []),
    ("实施7×24小时预约查验", "7x24 inspection", []),
    ("实施7×24小时预约查验", "7 × 24 inspection", []),
    ("实施7×24小时预约查验", "round-the-clock inspection", []),
    ("实施7×24小时预约查验", "inspection 24 hours", ["7×24"]),
    ("沪商自贸〔2025〕181号", "Hu Shang Zi Mao [2025] No. 181", []),
    ("沪商自贸〔2025〕181号", "Hu Shang Zi Mao (2025) No.181", []),
    ("沪商自贸〔2025〕181号", "Hu Shang Zi Mao 2025 181", ["〔2025〕181号"]),
    ("2025年6月27日", "June 27, 2025", []),
    ("2025年6月27日", "27 June 2025", []),
    ("2025年6月27日", "27/6/2025", []),
    ("2025年6月27日", "July 27, 2025", ["2025年6月27日"]),
    ("即日起至 2025 年 8 月底", "until the end of August 2025", []),
    ("即日起至 2025 年 8 月底", "until the end of summer 2025", ["8 月"]),
    ("覆盖率达到70％", "coverage reaches 70%", []),
    ("覆盖率达到70%", "coverage reaches 70 per cent", []),
    ("覆盖率达到70%", "coverage reaches 70", ["70%"]),
    ("跨境电商 9610、9710 和 9810", "cross-border e-commerce 9610, 9710 and 9810", []),
    ("跨境电商 9610、9710 和 9810", "cross-border e-commerce 96100, 9710", ["9610", "9810"]),
    ("共1,000家企业", "1000 enterprises", []),
    ("共10000家企业", "10,000 enterprises", []),
    ("增长2.5倍", "grew 2.5 times", []),
    ("增长2.5倍", "grew 2 times", ["2.5"]),
    ("设立3个站点", "set up three sites", []),
    ("二十大", "the 20th National Congress", []),  # Chinese numerals are out of scope
    ("ＡＥＯ企业２４小时", "AEO enterprises, 24 hours", []),
])
def test_number_rules(source, target, missing):
    assert missing_numbers(source, target) == missing


def test_chinese_left_and_bracket_helpers():
    assert chinese_left("Shanghai (上海) port，ok") == ["上海", "，"]
    assert chinese_left("Plain English — with an em dash… and 'quotes'.") == []
    assert unbalanced("(a [b] {c})") == ""
    assert unbalanced("(a") and unbalanced("a)") and unbalanced('say "hi') and unbalanced("“a")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_check_never_crashes_on_arbitrary_text(source, target):
    po = make_catalog(entries=[E("paragraph-1.s1", source or "x", target, 1)])
    for finding in check_catalog(po, fake_glossary()):
        assert isinstance(finding, Finding) and finding.severity in ("error", "warning", "info")


# --------------------------------------------------------------------------- the CLI

@pytest.fixture
def po_files(tmp_path, monkeypatch):
    # the tiny test glossary stands alone: the built-in termbase would demand its own English
    monkeypatch.setenv("BILINGUAL_BUILTIN_GLOSSARY", "0")
    good = write_po(tmp_path / "good.en.po")
    bad = write_po(tmp_path / "bad.en.po", make_catalog(
        override={"measure-15.s2": "Cross-border e-commerce under 9610 and 9710.",
                  "measure-19.s2": "Relying on the single-window, exchange data."},
        fuzzy={"measure-20.s2"}))
    glossary = write_glossary(tmp_path / "glossary")
    return good, bad, glossary


def invoke(args, cwd=None):
    runner = CliRunner()
    return runner.invoke(check, [str(a) for a in args], catch_exceptions=False)


def test_cli_exit_codes(po_files):
    good, bad, glossary = po_files
    assert invoke([good, "--glossary", glossary]).exit_code == 0
    assert invoke([bad, "--glossary", glossary]).exit_code == 1
    fuzzy_only = write_po(good.with_name("fuzzy.en.po"), make_catalog(fuzzy={"measure-20.s2"}))
    assert invoke([fuzzy_only, "--glossary", glossary]).exit_code == 0
    assert invoke([fuzzy_only, "--glossary", glossary, "--strict"]).exit_code == 1


def test_cli_plain_output_is_tab_separated(po_files):
    good, bad, glossary = po_files
    result = invoke([bad, "--glossary", glossary, "--quiet"])
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert rows and all(len(row) == 6 for row in rows)
    assert [row[3] for row in rows] == ["numbers", "glossary", "fuzzy"]
    assert {row[2] for row in rows} == {"error", "warning"}
    assert all(row[0] == str(bad) and row[1].isdigit() for row in rows)


def test_cli_json_is_a_stable_document(po_files):
    good, bad, glossary = po_files
    result = invoke([good, bad, "--glossary", glossary, "--format", "json"])
    data = json.loads(result.output)
    assert sorted(data) == ["files", "findings", "glossary", "passed", "schema", "strict", "summary", "tool"]
    assert data["summary"] == {"error": 2, "warning": 1, "info": 0} and data["passed"] is False
    assert data["files"] == [str(good), str(bad)]
    assert sorted(data["findings"][0]) == ["check", "ctx", "line", "message", "path", "severity"]
    again = json.loads(invoke([good, bad, "--glossary", glossary, "--format", "json"]).output)
    assert again == data


def test_cli_config_checks_every_listed_document(po_files, tmp_path):
    good, bad, glossary = po_files
    config = tmp_path / "bilingual.toml"
    config.write_text('[defaults]\nglossary = "glossary"\n\n'
                      '[[document]]\nname = "good"\nsource = "good.zh.txt"\npo = "good.en.po"\n\n'
                      '[[document]]\nname = "bad"\nsource = "bad.zh.txt"\npo = "bad.en.po"\n', encoding="utf-8")
    result = invoke(["--config", config, "--format", "json"])
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["files"] == [str(good), str(bad)]
    assert data["glossary"] == str(glossary)
    assert {f["path"] for f in data["findings"] if f["check"] != "source"} == {str(bad)}
    # the sources are not there: nothing says the files are whole (checksource.py)
    assert {(f["path"], f["severity"]) for f in data["findings"] if f["check"] == "source"} == {
        (str(good), "warning"), (str(bad), "warning")}


def test_rich_table_has_summary_counts(po_files):
    from rich.console import Console

    good, bad, glossary = po_files
    findings = check_files([bad], fake_glossary())
    buffer = io.StringIO()
    _render_table(findings, {"error": 2, "warning": 1, "info": 0}, [bad], Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "measure-15.s2" in text and "numbers" in text
    assert "2 error(s)" in text and "1 warning(s)" in text


def test_real_process_exit_codes(po_files, run_cli):
    good, bad, glossary = po_files
    ok = run_cli(["check", str(good), "--glossary", str(glossary)])
    assert ok.returncode == 0, ok.stderr
    failed = run_cli(["check", str(bad), "--glossary", str(glossary)])
    assert failed.returncode == 1 and "numbers" in failed.stdout
    broken = good.with_name("broken.po")
    broken.write_text('msgid "a"\nmsgstr "b"\nnonsense\n', encoding="utf-8")
    syntax = run_cli(["check", str(broken)])
    assert syntax.returncode == 1 and "syntax" in syntax.stdout and "line 3" in syntax.stdout


# --------------------------------------------------------------------------- ecosystem

def _msgfmt():
    path = shutil.which("msgfmt")
    need(path is not None, "msgfmt (Debian: gettext)")
    return path


@pytest.mark.parametrize("args", [["--check-format", "--check-header"], ["--check"]])
def test_contract_format_passes_msgfmt(tmp_path, args):
    path = write_po(tmp_path / "doc.en.po", make_catalog(
        fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"},
        obsolete=[E("measure-99.s1", "旧句子。", "An old sentence.", 1)]))
    run = subprocess.run([_msgfmt(), *args, "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_msgfmt_and_check_agree_on_a_newline_mismatch(tmp_path):
    path = write_po(tmp_path / "doc.en.po", make_catalog(override={"measure-8.s1": "Optimise.\n"}))
    run = subprocess.run([_msgfmt(), "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert run.returncode != 0
    assert [f.severity for f in by_check(check_files([path]), "whitespace")] == [ERROR]


# pofilter checks that a structurally sound zh→en PO file may fire (see bilingual/check.py).
POFILTER_EXPECTED = {"isfuzzy", "untranslated", "simplecaps", "startcaps", "endpunc", "startpunc", "brackets",
                     "doublequoting", "numbers", "sentencecount", "doublewords", "unchanged", "long", "short",
                     "acronyms", "puncspacing"}
POFILTER_STRUCTURAL = {"printf", "escapes", "newlines", "tabs", "nplurals", "xmltags", "variables",
                       "startwhitespace", "endwhitespace", "pythonbraceformat", "accelerators", "blank",
                       "compendiumconflicts", "purepunc"}


def test_pofilter_reads_the_contract_format(tmp_path):
    pofilter = VENV_BIN / "pofilter"
    assert pofilter.exists(), "translate-toolkit (a [test] dependency) provides pofilter"
    fuzzy = [c for c in all_ctx() if c.startswith(("measure-15", "measure-19", "preamble"))]
    path = write_po(tmp_path / "doc.en.po", make_catalog(fuzzy=fuzzy, untranslated={"measure-20.s2"}))
    out = tmp_path / "pofilter.po"
    run = subprocess.run([str(pofilter), "--progress=none", "--language=en", str(path), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr and "Traceback" not in run.stderr
    fired: dict[str, list[str]] = {}
    for entry in polib.pofile(str(out)):
        for line in entry.tcomment.splitlines():
            if line.startswith("(pofilter) "):
                name = line[len("(pofilter) "):].split(":")[0]
                fired.setdefault(name, []).append(entry.msgctxt)
    assert set(fired) <= POFILTER_EXPECTED, set(fired) - POFILTER_EXPECTED
    assert not set(fired) & POFILTER_STRUCTURAL
    # pofilter and bilingual check agree on what is unreviewed.
    ours = check_catalog(polib.pofile(str(path)))
    assert sorted(fired["isfuzzy"]) == sorted(f.ctx for f in ours if f.check == "fuzzy")
    assert fired["untranslated"] == [f.ctx for f in ours if f.check == "untranslated"]
    # The checks documented as firing on zh→en text do fire on this real file.
    assert {"simplecaps", "endpunc", "brackets", "doublequoting", "numbers"} <= set(fired)


def test_real_pipeline_output_passes_the_gate_and_msgfmt(tmp_path):
    """The PO file the pipeline writes (pseudo MT) has no errors: its MT is one ``pseudo`` warning for the file."""
    po_path = pipeline_po(tmp_path)
    assert po_path is not None
    from bilingual.glossary import load_glossary

    findings = check_files([po_path], load_glossary(REPO_ROOT / "glossary"))
    assert [f for f in findings if f.severity == ERROR] == []
    assert {f.check for f in findings} <= {"fuzzy", "untranslated", "chinese", "numbers", "glossary", "brackets",
                                           "mt-check", "suspect-name", "pseudo"}
    assert [f.ctx for f in findings if f.check == "pseudo"] == [""]
    run = subprocess.run([_msgfmt(), "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_missing_policy_phrase_is_only_a_warning_even_when_reviewed():
    import polib

    from bilingual.check import ERROR, WARNING, check_entry
    from bilingual.glossary import load_glossary

    glossary = load_glossary("glossary")
    phrase = next(t for t in glossary.terms if t.kind == "phrase" and t.zh == "优化营商环境")
    org = glossary.lookup("上海海关")
    entry = polib.POEntry(msgctxt="notice.s1", msgid=f"{org.zh}持续{phrase.zh}。",
                          msgstr="Shanghai Customs keeps improving things.")
    findings = {f.message: f.severity for f in check_entry(entry, glossary) if f.check == "glossary"}
    assert findings == {f"{phrase.zh} must be translated as {glossary.english(phrase)!r}": WARNING}
    entry.msgstr = "The customs office keeps improving the business environment."
    severities = [f.severity for f in check_entry(entry, glossary) if f.check == "glossary"]
    assert ERROR in severities


def test_a_file_polib_would_misread_fails_the_gate_like_msgfmt(tmp_path, run_cli):
    broken = tmp_path / "broken.en.po"
    broken.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                      '"X-Bilingual-Document: d\\n"\n\nmsgctxt "a"\nmsgid "x\nmsgstr "y"\n', encoding="utf-8")
    result = run_cli(["check", broken, "-q"])
    assert result.returncode == 1
    assert "syntax" in result.stdout and "PO syntax error at line 8" in result.stdout


def test_check_strict_fails_a_reviewed_stub_in_the_cli(tmp_path):
    """The second outside test: a reviewed "." or "TODO" passed ``check --strict``."""
    from inproc import run_inprocess

    (tmp_path / "doc.txt").write_text("关于加强口岸管理的通知\n一、优化通关。对年度进出口额首次超过1亿元的企业给予奖励。"
                                      "（上海海关）\n二、加强保障。各单位要落实责任。（上海海关）\n", encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert run_inprocess(["translate", "doc.txt", "-o", "doc.en.po", "--engine", "none"], env=env,
                         cwd=tmp_path).returncode == 0
    po = polib.pofile(str(tmp_path / "doc.en.po"), wrapwidth=0)
    stubs = {"section-2.s2": (".", False), "section-1.s1": ("TODO", False), "section-2.s1": ("XXX", True)}
    for entry in po:
        entry.msgstr = {"attachment.title": "Notice on Strengthening Port Administration",
                        "section-1.s2": "Enterprises whose annual imports and exports first exceed "
                                        "100 million yuan are rewarded."}.get(entry.msgctxt, entry.msgstr)
        if entry.msgctxt in stubs:
            entry.msgstr, fuzzy = stubs[entry.msgctxt]
            if fuzzy:
                entry.flags.append("fuzzy")
    po.save(str(tmp_path / "doc.en.po"))
    result = run_inprocess(["check", "--strict", "doc.en.po", "--format", "json"], env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    found = {(f["ctx"], f["severity"]) for f in json.loads(result.stdout)["findings"] if f["check"] == "stub"}
    assert found == {("section-2.s2", "error"), ("section-1.s1", "error"), ("section-2.s1", "warning")}


# --------------------------------------------------------------------------- numbers a translation must keep


@pytest.mark.parametrize(("zh", "en"), [
    ("1月底前完成。", "By the end of January."),
    ("12月底前完成。", "By the end of december."),  # any case
    ("2025年1月1日起施行。", "In force from January 1, 2025."),
    ("2025年12月31日前完成。", "Complete before December 31, 2025."),
    ("设立10个服务站。", "Set up TEN service stations."),  # a number word up to ten, any case
    ("实行7×24小时通关。", "Clearance ROUND THE CLOCK."),
    ("沪商自贸〔2025〕181号", "hu shang zi mao [2025] no. 181"),
    ("提高到80%。", "Raise it to 80 PERCENT."),
])
def test_numbers_rendered_in_words_or_any_case_are_kept(zh, en):
    from bilingual.check import missing_numbers

    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize(("zh", "en", "missing"), [
    ("1月底前完成。", "By the end of February.", ["1月"]),
    ("12月底前完成。", "By the end of November.", ["12月"]),
    ("设立11个服务站。", "Set up eleven service stations.", ["11"]),  # words only up to ten
    ("设立3个服务站。", "Set up 13 service stations.", ["3"]),
])
def test_a_number_changed_in_translation_is_found(zh, en, missing):
    from bilingual.check import missing_numbers

    assert missing_numbers(zh, en) == missing


def test_a_number_inside_a_date_or_document_number_is_not_counted_twice():
    """Once a date matched, its digits are blanked: 2025 is not looked for again on its own."""
    from bilingual.check import missing_numbers

    assert missing_numbers("2025年6月27日印发，沪商自贸〔2025〕181号", "Issued on June 27, 2025, [2025] No. 181") == []
    assert missing_numbers("2025年6月27日印发，共3项", "Issued on June 27, 2025, 3 items") == []


@pytest.mark.parametrize(("english", "target", "found"), [
    ("(SIPG)", "Shanghai International Port (Group) Co., Ltd. (SIPG) and others", True),
    ("(SIPG)", "the SIPG terminal", False),
    ("Single Window", "use the single windows", True),  # plural, any case
    ("Single Window", "Single Windowing", False),
    ("Single Window", "ASingle Window", False),
    ("Shanghai Customs", "xShanghai Customs", False),
    ("No. 1", "see No. 1.", True),
    # quote marks, straight or curly, may stand in the gaps between the words; nothing else may
    ("Shanghai International Trade Single Window", "the Shanghai International Trade “Single Window”", True),
    ("Shanghai International Trade Single Window", "SHANGHAI INTERNATIONAL TRADE 'single window'", True),
    ("Single Window", "the ‘Single’ Window", True),
    ("Single Window", "Single\u3000Window", True),
    ("Single Window", "Single-Window", False),
    ("Single Window", "Single «Window»", False),
    ("Single Window", "Single \u201aWindow", False),  # a low quote is no quote mark of the list
    ("AEO", "9AEO", False),
    ("AEO", "AEO9", False),
    ("AEO", "an AEOs list", True),
])
def test_approved_english_is_found_as_whole_words(english, target, found):
    from bilingual.check import english_pattern

    assert (english_pattern(english).search(target) is not None) is found


def test_an_odd_quote_is_named():
    from bilingual.check import unbalanced

    assert unbalanced('the "single window') == 'odd number of "'
    assert unbalanced('the "single window"') == ""


def test_a_msgctxt_used_twice_is_an_error_naming_both_lines(tmp_path):
    import polib

    from bilingual.check import check_catalog

    catalog = polib.POFile()
    catalog.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgctxt="measure-1.s1", msgid="一", msgstr=""))
    catalog.append(polib.POEntry(msgctxt="measure-1.s1", msgid="二", msgstr=""))
    catalog.append(polib.POEntry(msgctxt="measure-1.s1", msgid="三", msgstr=""))
    path = tmp_path / "doc.en.po"
    catalog.save(str(path))
    parsed = polib.pofile(str(path))
    duplicates = [f for f in check_catalog(parsed, path=path) if f.check == "duplicate"]
    lines = [e.linenum for e in parsed]
    assert [(f.severity, f.ctx, f.message, f.path, f.line) for f in duplicates] == [
        ("error", "measure-1.s1", f"msgctxt 'measure-1.s1' is used twice (first at line {lines[0]})", str(path), line)
        for line in lines[1:]]
