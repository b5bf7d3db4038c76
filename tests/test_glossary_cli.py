"""``bilingual glossary`` sub-commands and TBX/CSV interchange."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual.glossary import COLUMNS, load_glossary
from bilingual.tbx import concepts
from bilingual.termbase import export_tbx, export_weblate_csv, read_tbx, term_row

REPO = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = REPO / "glossary"
SOURCE = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual", "glossary", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY_DIR)


# --------------------------------------------------------------------------- check


def test_check_shipped_glossary_passes():
    result = run("check", "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_check_broken_glossary_fails_with_file_and_line(tmp_path):
    (tmp_path / "bad.csv").write_text(
        ",".join(COLUMNS) + "\n上海海关,Shanghai Customs,organisation,,,n,s,coined,,\n市公安局,Police\n",
        encoding="utf-8")
    result = run("check", "--glossary", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.csv'}:3: error: malformed row" in result.stdout


def test_check_strict_fails_on_warnings(tmp_path):
    row = "上海海关,Shanghai Customs,organisation,,,n,s,coined,,\n"
    (tmp_path / "dup.csv").write_text(",".join(COLUMNS) + "\n" + row + row, encoding="utf-8")
    assert run("check", "--glossary", str(tmp_path)).returncode == 0
    result = run("check", "--strict", "--glossary", str(tmp_path))
    assert result.returncode == 1 and "duplicate" in result.stdout


def test_check_missing_directory_is_a_usage_error(tmp_path):
    result = run("check", "--glossary", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "glossary directory not found" in result.stderr


# --------------------------------------------------------------------------- TBX / CSV


@pytest.mark.parametrize("version", [2, 3])
def test_tbx_round_trip_is_lossless(g, version):
    rows = read_tbx(export_tbx(g, version=version))
    assert [{c: r[c] for c in COLUMNS} for r in rows] == [term_row(t) for t in g.terms]
    assert [r["file"] for r in rows] == [Path(t.file).stem for t in g.terms]


def test_tbx_basic_is_readable_by_translate_toolkit(g):
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile.parsestring(export_tbx(g).encode("utf-8"))
    assert len(store.units) == len(concepts(g)) == len([t for t in g.terms if not t.abbreviation_of])
    pairs = {(u.source, u.target) for u in store.units}
    assert ("上海海关", "Shanghai Customs") in pairs
    port = next(u for u in store.units if u.source == "上海国际港务（集团）股份有限公司")
    assert [t.text for t in port.get_source_terms()] == ["上海国际港务（集团）股份有限公司", "上港集团"]
    assert [t.text for t in port.get_target_terms()] == ["Shanghai International Port (Group) Co., Ltd.", "SIPG"]
    assert [t.administrative_status for t in port.get_source_terms()] == [
        "preferredTerm-admn-sts", "admittedTerm-admn-sts"]
    definition = [n.text for n in port.get_common_notes() if n.category == "definition"]
    assert definition == [g.lookup("上海国际港务（集团）股份有限公司").note]


def test_cli_export_import_round_trip(tmp_path):
    tbx_path = tmp_path / "out" / "glossary.tbx"
    result = run("export", "--format", "tbx", "-o", str(tbx_path))
    assert result.returncode == 0, result.stderr
    assert tbx_path.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<martif')
    split = tmp_path / "split"
    split.mkdir()
    result = run("import", str(tbx_path), "-o", str(split))
    assert result.returncode == 0, result.stderr
    originals = sorted(GLOSSARY_DIR.glob("*.csv"))
    assert sorted(p.name for p in split.glob("*.csv")) == [p.name for p in originals]
    for original in originals:
        assert _csv_rows(split / original.name) == _csv_rows(original), original.name
    # the split import is itself a valid glossary
    assert run("check", "--glossary", str(split), "--quiet").returncode == 0
    single = tmp_path / "all.csv"
    assert run("import", str(tbx_path), "-o", str(single)).returncode == 0
    assert len(_csv_rows(single)) == sum(len(_csv_rows(p)) for p in originals)


def test_cli_export_to_stdout_v3():
    result = run("export", "--tbx-version", "3")
    assert result.returncode == 0
    assert "<conceptEntry" in result.stdout and 'xmlns="urn:iso:std:iso:30042:ed-2"' in result.stdout


def test_weblate_csv(g):
    rows = list(csv.DictReader(io.StringIO(export_weblate_csv(g))))
    assert set(rows[0]) == {"location", "source", "target", "context", "developer_comments"}
    by_source = {r["source"]: r for r in rows}
    assert by_source["上港集团"]["target"] == "Shanghai International Port (Group) Co., Ltd. (SIPG)"
    assert "Abbreviation of 上海国际港务（集团）股份有限公司" in by_source["上港集团"]["developer_comments"]
    assert by_source["上海海关"]["context"] == "organisation"
    result = run("export", "--format", "csv")
    assert result.returncode == 0 and result.stdout.startswith("location,source,target")


def test_import_rejects_non_tbx(tmp_path):
    bad = tmp_path / "x.tbx"
    bad.write_text("<html/>", encoding="utf-8")
    result = run("import", str(bad))
    assert result.returncode == 2 and "not a TBX file" in result.stderr
    bad.write_text("<martif", encoding="utf-8")
    assert run("import", str(bad)).returncode == 2


# --------------------------------------------------------------------------- lookup / coverage


def test_lookup_abbreviation_shows_full_form():
    result = run("lookup", "上港集团", "--json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert {r["zh"] for r in rows} == {"上港集团", "上海国际港务（集团）股份有限公司"}
    assert rows[0]["kind"] == "organisation" and rows[0]["source"]


def test_lookup_by_english_and_miss():
    result = run("lookup", "maritime safety", "--quiet")
    assert result.returncode == 0
    assert "上海海事局" in result.stdout and "上海市海事局" in result.stdout
    assert run("lookup", "不存在的词").returncode == 1


def test_coverage_reports_extraction_error():
    result = run("coverage", str(SOURCE), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    names = {o["name"]: o for o in report["organisations"]}
    assert names["上海市海归会"]["closest"][0]["zh"] == "上海海关"
    statuses = {q["term"]: q["status"] for q in report["quoted"]}
    assert statuses["两证合一"] == "glossary"
    assert statuses["货物进口目的地与企业注册地须在同一关区"] == "left-to-mt"
    assert all(s != "unknown" for s in statuses.values())
    assert all(n["count"] >= 3 for n in report["ngrams"])


def test_coverage_plain_and_strict(tmp_path):
    result = run("coverage", str(SOURCE), "--quiet")
    assert result.returncode == 0
    assert "上海市海归会\t1\t上海海关 (Shanghai Customs)" in result.stdout
    new = tmp_path / "new.txt"
    new.write_text("关于“三单对碰”的通知\n上海市某某局\n（上海海关、上海市某某局）\n", encoding="utf-8")
    result = run("coverage", str(new), "--strict", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert {"term": "三单对碰", "count": 1, "status": "unknown"} in report["quoted"]
    assert any(o["name"] == "上海市某某局" and o["count"] == 2 for o in report["organisations"])


@pytest.mark.parametrize("name", ["../escaped", "/tmp-abs/escaped", "sub/escaped", "..", "two\nlines"])
def test_an_imported_glossary_file_name_that_would_leave_the_folder_is_refused_and_nothing_is_written(
        tmp_path, name):
    """The TBX's projectSubset names each term's CSV in a folder import; a file from elsewhere (a
    Weblate export passed around, a hostile file) must not write outside the folder."""
    tbx_path = tmp_path / "glossary.tbx"
    assert run("export", "--format", "tbx", "-o", str(tbx_path)).returncode == 0
    text = tbx_path.read_text(encoding="utf-8")
    assert '<admin type="projectSubset">customs-districts</admin>' in text
    escaped = name.replace("/tmp-abs", str(tmp_path / "abs")).replace("\n", "&#10;")
    tbx_path.write_text(text.replace(">customs-districts<", f">{escaped}<"), encoding="utf-8")
    folder = tmp_path / "deep" / "split"
    folder.mkdir(parents=True)

    result = run("import", str(tbx_path), "-o", str(folder))

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(tbx_path) in result.stderr and "not a plain file name" in result.stderr
    assert list(tmp_path.rglob("*.csv")) == []  # not the bad one, and not the good ones either


def test_a_csv_imported_into_its_own_folder_is_not_written_over(tmp_path):
    folder = tmp_path / "split"
    folder.mkdir()
    imported = folder / "general.csv"
    imported.write_text("zh,en,kind,file\n上海海关,Shanghai Customs,organisation,general\n", encoding="utf-8")
    before = imported.read_bytes()

    result = run("import", str(imported), "-o", str(folder))

    assert result.returncode == 2 and "is also an input" in result.stderr
    assert imported.read_bytes() == before


def test_a_folder_import_with_one_unwritable_target_writes_none_of_its_files(tmp_path):
    """Every CSV of a folder import is vetted before the first is written: one that cannot be
    written (here a folder in its place) leaves the folder as it was, not half imported."""
    tbx_path = tmp_path / "glossary.tbx"
    assert run("export", "--format", "tbx", "-o", str(tbx_path)).returncode == 0
    folder = tmp_path / "split"
    (folder / "trade-regimes.csv").mkdir(parents=True)

    result = run("import", str(tbx_path), "-o", str(folder))

    assert result.returncode == 2 and "trade-regimes.csv" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["trade-regimes.csv"]


def test_a_folder_import_with_one_refused_cell_writes_none_of_its_files(tmp_path):
    """A cell the glossary would refuse (a spreadsheet formula) in the last file's terms: the
    earlier files are not written either — every file's text is made before the first write."""
    tbx_path = tmp_path / "glossary.tbx"
    assert run("export", "--format", "tbx", "-o", str(tbx_path)).returncode == 0
    text = tbx_path.read_text(encoding="utf-8")
    last = text.index("<term>", text.rindex('<langSet xml:lang="en">')) + len("<term>")
    tbx_path.write_text(text[:last] + "=cmd|x" + text[last:], encoding="utf-8")
    folder = tmp_path / "split"
    folder.mkdir()

    result = run("import", str(tbx_path), "-o", str(folder))

    assert result.returncode == 2 and "which a spreadsheet runs as a formula" in result.stderr
    assert list(folder.iterdir()) == []
