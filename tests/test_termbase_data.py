"""The national termbase (issue 12, item 10): central bodies, all customs districts, port provinces
and cities, port groups, co-signing party bodies, former names — each with its evidence."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual.evidence import evidence_status
from bilingual.glossary import load_glossary, read_glossary_files
from bilingual.termbase import coverage, split_bodies

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "glossary"


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY)


def _file(g, stem):
    return [t for t in g.terms if Path(t.file).stem == stem]


def test_all_42_customs_districts_directly_under_gacc(g):
    districts = [t for t in _file(g, "customs-districts")
                 if not t.abbreviation_of and re.fullmatch(r"[\u4e00-\u9fff]{2,4}海关", t.zh)]
    assert len(districts) == 42
    for term in districts:
        assert term.en.endswith(" Customs") and term.en_abbr == ""
        assert evidence_status(term) in ("checked", "unverified")
    assert g.lookup("拱北海关").checked != "unverified"  # seen on GACC's English site
    assert "Gongbei Customs District" in g.variants(g.lookup("拱北海关"))
    assert g.english(g.lookup("中华人民共和国天津海关")) == "Tianjin Customs"


@pytest.mark.parametrize(("zh", "abbr"), [
    ("国家发展和改革委员会", "NDRC"), ("商务部", "MOFCOM"), ("财政部", "MOF"), ("工业和信息化部", "MIIT"),
    ("海关总署", "GACC"), ("国家市场监督管理总局", "SAMR"), ("国家金融监督管理总局", "NFRA"),
    ("国家外汇管理局", "SAFE"), ("中国民用航空局", "CAAC"), ("国家铁路局", "NRA"), ("科学技术部", "MOST"),
    ("生态环境部", "MEE"), ("交通运输部", "MOT"), ("农业农村部", "MARA"), ("国家互联网信息办公室", "CAC"),
])
def test_national_bodies(g, zh, abbr):
    term = g.lookup(zh)
    assert term is not None and Path(term.file).stem == "national-organisations"
    assert abbr in (term.en_abbr, g.full_form(term).en_abbr)


def test_state_council_and_its_general_office(g):
    assert g.english(g.lookup("国务院")) == "State Council"
    office = g.lookup("国务院办公厅")
    assert office.en == "General Office of the State Council" and office.checked[:4].isdigit()


def test_former_names_carry_their_dates(g):
    for zh in ("中国银行保险监督管理委员会", "中国银行保险监督管理委员会上海监管局", "中国银行保险监督管理委员会浙江监管局",
               "上海市农业委员会"):
        assert "Former name" in g.full_form(g.lookup(zh)).note, zh
    assert "2023" in g.lookup("银保监会").note


@pytest.mark.parametrize("place", ["天津市", "浙江省", "山东省", "广东省", "福建省", "江苏省", "辽宁省", "青岛市", "宁波市",
                                   "厦门市", "大连市", "深圳市", "广州市"])
def test_port_places_have_government_general_office_and_commerce(g, place):
    assert g.lookup(f"{place}人民政府") is not None
    assert g.lookup(f"{place}人民政府办公厅") is not None
    commerce = f"{place}商务局" if place.endswith("市") else f"{place}商务厅"
    assert g.lookup(commerce) is not None
    assert g.lookup(f"中共{place}委员会") is not None  # the party committee that co-signs


def test_port_groups(g):
    for zh in ("上港集团", "天津港集团", "山东港口集团", "宁波舟山港集团", "辽宁港口集团有限公司", "广州港集团有限公司",
               "厦门港务控股集团有限公司"):
        assert g.lookup(zh) is not None, zh


def test_every_organisation_row_has_evidence():
    terms, _ = read_glossary_files(GLOSSARY)
    assert all(evidence_status(t) != "missing" for t in terms if t.kind == "organisation" and not t.abbreviation_of)


# --------------------------------------------------------------------------- coverage


def test_bodies_sharing_a_line_are_reported_one_by_one(g):
    assert split_bodies("海关总署 发展改革委 财政部", g) == ["海关总署", "发展改革委", "财政部"]
    assert split_bodies("交通运输部商务部卫生健康委", g) == ["交通运输部", "商务部", "卫生健康委"]
    assert split_bodies("国家发展和改革委员会", g) == ["国家发展和改革委员会"]
    text = "海关总署 某某管理部 财政部\n交通运输部某某发展委商务部\n（牵头单位：北京海关、某某海关）\n"
    missing = [o.text for o in coverage(text, g).organisations]
    assert sorted(missing) == ["某某发展委", "某某海关", "某某管理部"]


def test_coverage_uses_the_documents_scope(tmp_path):
    """The Tianjin corpus document: its short forms (市商务局) are covered in its scope."""
    result = subprocess.run([sys.executable, "-m", "bilingual", "glossary", "coverage",
                             str(REPO / "tests" / "fixtures" / "measures-responsibility.zh.txt"), "--json"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert report["issuer"].startswith("issuer: Tianjin")
    names = [o["name"] for o in report["organisations"]]
    assert "市商务局" not in names and "天津海关" not in names
