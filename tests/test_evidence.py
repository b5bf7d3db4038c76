"""The evidence rule (issue 18): every organisation name says where its English comes from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual.evidence import evidence_problems, evidence_status
from bilingual.glossary import COLUMNS, check_directory, load_glossary, read_glossary_files
from bilingual.termbase import export_tbx, export_weblate_csv, read_tbx

REPO = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = REPO / "glossary"
HEADER = ",".join(COLUMNS) + "\n"
URL = "https://en.sww.sh.gov.cn/2021-03/05/c_424566.htm"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual", "glossary", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def _codes(directory: Path) -> list[tuple[int, str, str]]:
    return [(p.line, p.severity, p.code) for p in check_directory(directory, builtin=False)[1]]  # the folder alone


def _write(directory: Path, body: str) -> Path:
    (directory / "orgs.csv").write_text(HEADER + body, encoding="utf-8")
    return directory


def test_check_fails_on_an_organisation_without_evidence(tmp_path):
    _write(tmp_path, "上海海关,Shanghai Customs,organisation,,,A customs district.,GACC English pages,,,\n")
    result = run("check", "--quiet", "--glossary", str(tmp_path))
    assert result.returncode == 1
    assert "orgs.csv:2: error: 上海海关: organisation without evidence_url" in result.stdout
    assert "1 missing" in result.stderr
    # the same row with a checked URL, or plainly coined, passes (strictly too)
    _write(tmp_path, f"上海海关,Shanghai Customs,organisation,,,A customs district.,GACC,{URL},2026-11-01,\n")
    assert run("check", "--strict", "--quiet", "--glossary", str(tmp_path)).returncode == 0
    _write(tmp_path, "上海港口协会,Shanghai Port Association,organisation,,,Coined.,coined by the team,coined,,\n")
    assert run("check", "--strict", "--quiet", "--glossary", str(tmp_path)).returncode == 0


def test_evidence_is_not_required_to_translate(tmp_path):
    """load_glossary (translate, check, build) reads a glossary whose evidence is incomplete."""
    _write(tmp_path, "上海海关,Shanghai Customs,organisation,,,n,s,,,\n")
    assert load_glossary(tmp_path).lookup("上海海关").en == "Shanghai Customs"


def test_unverified_is_listed_but_never_fails(tmp_path):
    _write(tmp_path, "上海海关,Shanghai Customs,organisation,,,n,s,http://english.customs.gov.cn/,unverified,\n")
    assert _codes(tmp_path) == [(2, "info", "unverified")]
    result = run("check", "--strict", "--quiet", "--glossary", str(tmp_path))
    assert result.returncode == 0
    assert "info: 上海海关: English not verified" in result.stdout and "1 unverified" in result.stderr


@pytest.mark.parametrize(("url", "checked", "message"), [
    (URL, "", "without a checked date"),
    (URL, "29/11/2026", "must be an ISO date"),
    (URL, "2026-02-30", "not a real date"),
    (URL, "2999-01-01", "in the future"),
    ("en.sww.sh.gov.cn", "2026-11-01", "must be an http(s) URL"),
    ("coined", "2026-11-01", "a coined name has no checked date"),
    ("", "2026-11-01", "without an evidence_url"),
])
def test_malformed_evidence(tmp_path, url, checked, message):
    _write(tmp_path, f"上海海关,Shanghai Customs,organisation,,,n,s,{url},{checked},\n")
    problems = [p for p in check_directory(tmp_path, builtin=False)[1] if p.code == "evidence"]
    assert problems and all(p.severity == "error" for p in problems)
    assert any(message in p.message for p in problems)


def test_abbreviations_inherit_and_other_kinds_are_optional(tmp_path):
    _write(tmp_path, (
        f"上海市交通委员会,Shanghai Municipal Commission of Transport,organisation,,,n,s,{URL},2026-11-01,"
        "Shanghai Municipal Transportation Commission\n"
        "市交通委,Shanghai Municipal Commission of Transport,organisation,上海市交通委员会,,n,s,,,\n"
        "保税仓库,bonded warehouse,regime,,,n,WCO,,,\n"
    ))
    assert _codes(tmp_path) == []
    g = load_glossary(tmp_path)
    short = g.lookup("市交通委")
    assert g.evidence(short) == (URL, "2026-11-01")
    assert g.variants(short) == ("Shanghai Municipal Transportation Commission",)
    assert evidence_status(short) == "missing" and evidence_status(g.full_form(short)) == "checked"


def test_variants_are_checked(tmp_path):
    _write(tmp_path, (
        f"上海海关,Shanghai Customs,organisation,,,n,s,{URL},2026-11-01,上海海关区|Shanghai Customs\n"
        f"上海海事局,Shanghai Maritime Safety Administration,organisation,,,n,s,{URL},2026-11-01,A|A\n"
    ))
    problems = {(p.line, p.code, p.severity) for p in check_directory(tmp_path, builtin=False)[1]}
    assert problems == {(2, "variants", "error"), (3, "variants", "warning")}
    messages = [p.message for p in check_directory(tmp_path, builtin=False)[1] if p.line == 2]
    assert any("Chinese characters" in m for m in messages) and any("approved English itself" in m for m in messages)


def test_today_is_a_parameter():
    """As of the latest check in the shipped glossary nothing is in the future; in 2020 every check is."""
    terms, _ = read_glossary_files(GLOSSARY_DIR)
    latest = max(dt.date.fromisoformat(t.checked) for t in terms if t.checked[:2] == "20")
    assert [p for p in evidence_problems(terms, today=latest) if p.severity == "error"] == []
    ahead = [p for p in evidence_problems(terms, today=latest - dt.timedelta(days=1)) if p.severity == "error"]
    assert ahead and all("in the future" in p.message for p in ahead)
    early = [p for p in evidence_problems(terms, today=dt.date(2020, 1, 1)) if p.severity == "error"]
    assert early and all("in the future" in p.message for p in early)


# --------------------------------------------------------------------------- the shipped glossary


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY_DIR)


def test_every_shipped_organisation_has_evidence():
    terms, problems = check_directory(GLOSSARY_DIR)
    assert [str(p) for p in problems if p.severity == "error"] == []
    organisations = [t for t in terms if t.kind == "organisation" and not t.abbreviation_of]
    assert organisations and all(evidence_status(t) != "missing" for t in organisations)


# Issue 18's table, PBC, 上海海关 and 上海市交通委员会: the decision and the evidence behind it.
DECISIONS = {
    "上海出入境边防检查总站": ("Shanghai General Station of Immigration Inspection", "sh-immigration.gov.cn/about"),
    "上海边检总站": ("Shanghai General Station of Immigration Inspection", "sh-immigration.gov.cn/about"),
    "上海市药品监督管理局": ("Shanghai Municipal Drug Administration", "shanghai.gov.cn/nw46991/"),
    "上海市贸促会": ("Shanghai Sub-council of the China Council for the Promotion of International Trade "
                "(CCPIT Shanghai)", "siec-ccpit.com"),
    "东方航空物流股份有限公司": ("Eastern Air Logistics Co., Ltd.", "zqrb.cn"),
    "上海市农业农村委员会": ("Shanghai Municipal Agricultural and Rural Committee", "shanghai.gov.cn/nw46991/"),
    "上海市公安局": ("Shanghai Municipal Bureau of Public Security", "english.shanghai.gov.cn/en-Departments/"),
    "上海海关": ("Shanghai Customs", "en.sww.sh.gov.cn"),
    "上海市交通委员会": ("Shanghai Municipal Commission of Transport", "english.shanghai.gov.cn/en-Departments/"),
    "中国人民银行": ("People's Bank of China", "pbc.gov.cn/en/"),
}
VARIANTS = {
    "上海市药品监督管理局": "Shanghai Medical Products Administration",
    "东方航空物流股份有限公司": "China Eastern Air Logistics Co., Ltd.",
    "上海市公安局": "Shanghai Public Security Bureau",
    "上海海关": "Shanghai Customs District",
    "上海市交通委员会": "Shanghai Municipal Transportation Commission",
}


@pytest.mark.parametrize("zh", sorted(DECISIONS))
def test_issue_18_rows(g, zh):
    english, where = DECISIONS[zh]
    term = g.lookup(zh)
    assert g.english(term) == english
    url, checked = g.evidence(term)
    assert where in url and dt.date.fromisoformat(checked)
    if zh in VARIANTS:
        assert VARIANTS[zh] in g.variants(term)


def test_pbc_abbreviates_itself_pbc(g):
    assert g.lookup("中国人民银行").en_abbr == "PBC"


def test_lookup_shows_variants_and_finds_by_variant():
    result = run("lookup", "Shanghai Customs District", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    hit = next(r for r in rows if r["zh"] == "上海海关")
    assert hit["english"] == "Shanghai Customs" and "Shanghai Customs District" in hit["variants"]
    assert hit["evidence_url"].startswith("https://") and hit["checked"]
    plain = run("lookup", "市交通委", "--quiet")
    assert "Shanghai Municipal Transportation Commission" in plain.stdout  # the variant column
    assert "\tvariants\t" in plain.stdout.splitlines()[0] + "\t"


def test_exports_carry_evidence_and_variants(g):
    rows = {r["zh"]: r for r in read_tbx(export_tbx(g))}
    assert rows["上海海关"]["variants"] == "Shanghai Customs District"
    assert rows["上海海关"]["evidence_url"] == g.lookup("上海海关").evidence_url
    assert rows["上海港口协会"]["evidence_url"] == "coined"
    tbx = export_tbx(g)
    assert '<termNote type="termType">variant</termNote>' in tbx
    assert 'type="externalCrossReference" target="https://en.sww.sh.gov.cn/' in tbx
    weblate = {r["source"]: r for r in csv.DictReader(io.StringIO(export_weblate_csv(g)))}
    comments = weblate["市交通委"]["developer_comments"]
    assert "Evidence: https://english.shanghai.gov.cn/" in comments
    assert "Known variants in official sources (not approved): Shanghai Municipal Transportation Commission" in comments


def test_check_names_a_known_variant(g):
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="notice.signatory-3", msgid="上海市交通委员会",
                          msgstr="Shanghai Municipal Transportation Commission")
    findings = [f for f in check_entry(entry, g) if f.check == "glossary"]
    assert len(findings) == 1 and findings[0].severity == "error"
    assert "'Shanghai Municipal Transportation Commission', a known variant in official sources" in findings[0].message
    entry.msgstr = "Shanghai Transport Office"
    assert "known variant" not in [f for f in check_entry(entry, g) if f.check == "glossary"][0].message
