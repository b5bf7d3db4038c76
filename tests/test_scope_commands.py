"""Every command reads a document with the glossary ``translate`` uses: its issuer's scope.

Regression tests of an outside tester's findings: ``extract`` and ``align`` used the whole
termbase, so a Ningbo notice's 市发展改革委 became Shanghai's commission in the template
(and, after msgmerge, in the PO file's hints) and in the alignment report — whose CSV,
imported, would have renamed Shanghai's commission after a Ningbo translation.
"""

from __future__ import annotations

import csv
import io

import polib
import pytest
from inproc import run_inprocess

from bilingual.align.enstructure import split_agencies

NINGBO = """宁波市人民政府关于降低口岸收费的通知
甬政发〔2025〕21号
一、降低口岸收费。清理规范口岸收费。（市发展改革委、宁波海关）
二、加强领导。各部门要落实责任。（市商务局）
三、提升港口效率。推进港口作业智能化。（宁波海关、宁波舟山港集团有限公司按职责分工负责）

宁波市人民政府
2025年4月1日
"""

NINGBO_EN = """Notice of the Ningbo Municipal People's Government on Lowering Port Charges
Yong Zheng Fa [2025] No. 21
I. Lower port charges. Port charges shall be cleaned up and standardised. (Ningbo Development and Reform Commission; Ningbo Customs)
II. Strengthen leadership. All departments shall fulfil their responsibilities. (Ningbo Bureau of Commerce)
III. Improve port efficiency. Smart port operations shall be promoted. (Ningbo Customs; Ningbo Zhoushan Port Group, each according to its responsibilities)

Ningbo Municipal People's Government
1 April 2025
"""

# No issuer, number or title names a place: no city's short form may be applied.
UNSURE = """关于降低口岸收费的通知
一、降低口岸收费。清理规范口岸收费。（市发展改革委、市商务局）
"""


@pytest.fixture
def cli(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    return lambda *args: run_inprocess(list(args), env, cwd=tmp_path)


def _hints(path) -> dict[str, list[str]]:
    """Each entry's ``glossary:`` comment lines, by msgctxt."""
    return {e.msgctxt: [line for line in e.comment.splitlines() if line.startswith(("glossary:", "issuer unsure:"))]
            for e in polib.pofile(str(path)) if e.msgctxt}


def test_extract_writes_the_hints_translate_writes(cli, tmp_path):
    (tmp_path / "nb.txt").write_text(NINGBO, encoding="utf-8")
    assert cli("translate", "nb.txt", "-o", "nb.en.po", "--engine", "none", "-q").returncode == 0
    result = cli("extract", "nb.txt", "-o", "nb.pot", "-q")
    assert result.returncode == 0, result.stderr
    pot = _hints(tmp_path / "nb.pot")
    assert pot["section-1.agencies"] == [
        "glossary: 市发展改革委 = Ningbo Municipal Development and Reform Commission; 宁波海关 = Ningbo Customs"]
    assert pot["section-2.agencies"] == ["glossary: 市商务局 = Ningbo Municipal Bureau of Commerce"]
    assert "Shanghai" not in (tmp_path / "nb.pot").read_text(encoding="utf-8")
    assert pot == _hints(tmp_path / "nb.en.po")  # one scope, one set of hints


def test_extract_of_an_unsure_document_applies_no_city_short_form(cli, tmp_path):
    (tmp_path / "u.txt").write_text(UNSURE, encoding="utf-8")
    assert cli("translate", "u.txt", "-o", "u.en.po", "--engine", "none", "-q").returncode == 0
    assert cli("extract", "u.txt", "-o", "u.pot", "-q").returncode == 0
    pot = _hints(tmp_path / "u.pot")
    # only the note: neither the national 发展改革委 inside 市发展改革委 nor any city's bureau
    assert pot["section-1.agencies"] == [
        "issuer unsure: 市发展改革委、市商务局 not rendered (which city's? check the issuer)"]
    assert pot == _hints(tmp_path / "u.en.po")


def test_align_report_uses_the_issuer_scope(cli, tmp_path):
    (tmp_path / "nb.txt").write_text(NINGBO, encoding="utf-8")
    (tmp_path / "nb.en.txt").write_text(NINGBO_EN, encoding="utf-8")
    result = cli("align", "nb.txt", "nb.en.txt", "--report-csv", "t.csv", "-q")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    found = {row["zh"]: row["en"] for row in rows}
    # the Ningbo bodies, with the shorter English the official version writes — never Shanghai's commission
    assert found == {"宁波市发展和改革委员会": "Ningbo Development and Reform Commission",
                     "宁波市商务局": "Ningbo Bureau of Commerce",
                     "宁波舟山港集团有限公司": "Ningbo Zhoushan Port Group"}
    assert "上海" not in result.stdout and "not in glossary" not in result.stdout


@pytest.mark.parametrize("text, names", [
    ("(Ningbo Customs; Ningbo Zhoushan Port Group, each according to its responsibilities)",
     "Ningbo Customs; Ningbo Zhoushan Port Group"),
    ("(Ningbo Customs; Ningbo Zhoushan Port Group, each within its responsibilities)",
     "Ningbo Customs; Ningbo Zhoushan Port Group"),
    ("(Ningbo Customs and Ningbo Zhoushan Port Group, respectively according to their duties)",
     "Ningbo Customs and Ningbo Zhoushan Port Group"),
])
def test_english_agency_list_drops_the_responsibility_clause(text, names):
    assert split_agencies("Smart port operations shall be promoted. " + text)[2] == names


def test_every_port_city_document_renders_its_own_bureau_of_commerce():
    """市商务局 is each city's own bureau, derived from its full name in the issuer's scope only."""
    from bilingual.glossary import load_glossary
    from bilingual.issuer import PLACES
    from bilingual.scope import scoped_glossary

    glossary = load_glossary()
    cities = [p for p in PLACES if p.parent]  # the port cities (Shanghai's is a commission: 市商务委)
    rendered = {p.key: scoped_glossary(glossary, p.key).lookup("市商务局") for p in cities}
    assert {key: term.en if term else None for key, term in rendered.items()} == {
        p.key: f"{p.en} Municipal Bureau of Commerce" for p in cities}
    assert scoped_glossary(glossary, None).lookup("市商务局") is None  # unsure: never guessed


# --- a national short form is not matched inside a city's or province's own short form

UNSURE_REVIEWED = """关于优化口岸营商环境的通知
一、优化通关。推进通关便利化。（市商务委、市发展改革委）
"""


@pytest.mark.parametrize("scope, text, matched", [
    (None, "（市商务委、市发展改革委）", []),
    ("national", "（海关总署、发展改革委、财政部）", ["海关总署", "发展改革委", "财政部"]),
    ("national", "海关总署 发展改革委 财政部", ["海关总署", "发展改革委", "财政部"]),
    ("national", "会同省 发展改革委", []),  # extraction spaces do not hide the 省
    ("guangdong", "（省发展改革委、财政厅）", ["省发展改革委", "财政厅"]),
    ("shanghai", "（市商务委、市发展改革委）", ["市商务委", "市发展改革委"]),
    ("shanghai", "支持临港新片区上海海关开展试点", ["临港新片区", "上海海关"]),  # 区 ends a matched name
])
def test_organisations_do_not_match_after_a_level_character(scope, text, matched):
    from bilingual.glossary import load_glossary
    from bilingual.scope import scoped_glossary

    glossary = scoped_glossary(load_glossary(), scope)
    assert [m.term.zh for m in glossary.match(text)] == matched


def test_check_does_not_demand_the_national_commission_inside_a_city_short_form(cli, tmp_path):
    (tmp_path / "u.txt").write_text(UNSURE_REVIEWED, encoding="utf-8")
    assert cli("translate", "u.txt", "-o", "u.en.po", "--engine", "none", "-q").returncode == 0
    catalog = polib.pofile(str(tmp_path / "u.en.po"))
    entry = catalog.find("section-1.agencies", by="msgctxt")
    assert "National Development" not in entry.comment  # neither a hint nor a closest known body
    assert "suspect name: 市发展改革委 (a body of the issuing city or province" in entry.comment
    entry.msgstr = "(Municipal Commission of Commerce; Municipal Development and Reform Commission)"
    catalog.save()
    result = cli("check", "u.en.po", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert "发展改革委 must be translated" not in result.stdout


# --- collective agencies, role words and branch forms (attack report 14)

CORPUS = __import__("pathlib").Path(__file__).parent / "corpus"


def _agency_entries(cli, tmp_path, name: str) -> dict[str, polib.POEntry]:
    result = cli("translate", CORPUS / f"{name}.zh.txt", "-o", f"{name}.en.po", "--engine", "none", "-q")
    assert result.returncode == 0, result.stderr
    return {e.msgctxt: e for e in polib.pofile(str(tmp_path / f"{name}.en.po")) if e.msgctxt.endswith("agencies")}


def _suspects(entry) -> list[str]:
    return [line.split(" (")[0].removeprefix("suspect name: ") for line in entry.comment.splitlines()
            if line.startswith("suspect name:")]


def test_collective_partners_are_rendered_never_suspect(cli, tmp_path):
    entries = _agency_entries(cli, tmp_path, "02-guofa-2018-37")  # （海关总署牵头，各有关部门配合）
    assert entries["measure-7.agencies"].msgstr == (
        "(Lead agencies: General Administration of Customs of the People's Republic of China (GACC). "
        "Partner agencies: all relevant departments)")


def test_lead_and_responsible_groups_keep_their_roles(cli, tmp_path):
    entries = _agency_entries(cli, tmp_path, "09-ezhengfa-2018-26")
    assert entries["measure-4.agencies"].msgstr == (  # (牵头单位:省政府办公厅;责任单位:省直有关部门)
        "(Lead agencies: General Office of the Hubei Provincial People's Government. "
        "Responsible agencies: relevant departments directly under the provincial government)")
    # a group naming a body the glossary lacks is left to review; the collective is never the suspect
    assert _suspects(entries["measure-1.agencies"]) == ["省编办"]


def test_provincial_collectives_are_not_suspects(cli, tmp_path):
    entries = _agency_entries(cli, tmp_path, "10-yuefuban-2023-5")
    # (…能源局等省有关部门和各地级以上市人民政府按职责分工负责): only real bodies still missing from the glossary
    suspects = _suspects(entries["measure-1.item-2.agencies"])
    assert suspects and not {"省有关部门", "各地级以上市人民政府", "部门"} & set(suspects)


GUANGDONG = """广东省人民政府办公厅关于印发广东省推进外贸稳规模优结构若干措施的通知
粤府办〔2023〕5号
一、加大出口信用保险支持。扩大短期险覆盖面。（省商务厅、中国出口信用保险公司广东分公司按职责分工负责）
二、强化保障。落实各项措施。（省商务厅等部门按职责分工负责）
三、做好服务。加强企业服务。（各区人民政府、各有关单位按职责分工负责）

广东省人民政府办公厅
2023年3月10日
"""


def test_branch_and_others_and_shared_responsibility(cli, tmp_path):
    (tmp_path / "gd.txt").write_text(GUANGDONG, encoding="utf-8")
    assert cli("translate", "gd.txt", "-o", "gd.en.po", "--engine", "none", "-q").returncode == 0
    got = {e.msgctxt: e.msgstr for e in polib.pofile(str(tmp_path / "gd.en.po")) if e.msgctxt.endswith("agencies")}
    assert got == {
        "section-1.agencies": "(Department of Commerce of Guangdong Province; China Export & Credit Insurance "
                              "Corporation Guangdong Branch, each according to its responsibilities)",
        "section-2.agencies": "(Department of Commerce of Guangdong Province and others, each according to its "
                              "responsibilities)",
        "section-3.agencies": "(people's governments of all districts; all relevant units, each according to its "
                              "responsibilities)",
    }
    assert cli("check", "gd.en.po", "-q").returncode == 0  # check renders them the same way


def test_sinosure_branches_in_every_scope():
    from bilingual.glossary import load_glossary
    from bilingual.scope import scoped_glossary

    for scope in (None, "national", "ningbo", "guangdong"):
        glossary = scoped_glossary(load_glossary(), scope)
        assert glossary.lookup("中国出口信用保险公司宁波分公司").en == (
            "China Export & Credit Insurance Corporation Ningbo Branch")
        assert [m.term.zh for m in glossary.match("（中国出口信用保险公司广东分公司、中国信保）")] == [
            "中国出口信用保险公司广东分公司", "中国信保"]


# --- glossary coverage reports the suspect names translate flags (attack report 16)

TIANJIN_PBC = """天津市商务局关于推进跨境贸易便利化的通知
津商口岸〔2025〕12号
各有关单位：
一、优化跨境结算。支持企业使用跨境人民币结算。（中国人民银行天津市分行、国家外汇管理局天津市分局）
二、加强协作。（市商务局、天津海关）

天津市商务局
2025年3月1日
"""


def _coverage_names(cli, source) -> list[str]:
    result = cli("glossary", "coverage", source, "--format", "json")
    assert result.returncode == 0, result.stderr
    return [o["name"] for o in __import__("json").loads(result.stdout)["organisations"]]


def test_coverage_reports_the_bodies_translate_flags(cli, tmp_path):
    (tmp_path / "tj.txt").write_text(TIANJIN_PBC, encoding="utf-8")
    (tmp_path / "gd.txt").write_text(GUANGDONG.replace("省商务厅等部门", "省商务厅、省贸促会等部门"), encoding="utf-8")
    assert _coverage_names(cli, "tj.txt")[:2] == ["中国人民银行天津市分行", "国家外汇管理局天津市分局"]
    assert "天津市分局" not in _coverage_names(cli, "tj.txt")  # no piece of a reported name
    assert "省贸促会" in _coverage_names(cli, "gd.txt")


def test_coverage_names_every_suspect_of_the_corpus(cli, tmp_path):
    """On every corpus document: each body translate leaves empty as a suspect, coverage lists. An
    order signed by its head (corpus 16) names a person, not a body: flagged, but no glossary gap."""
    sources = sorted(CORPUS.glob("*.zh.txt"))
    result = cli("translate", *sources, "--engine", "none", "-q")
    assert result.returncode == 0, result.stderr
    flagged_somewhere = 0
    for source in sources:
        name = source.name.removesuffix(".zh.txt")
        po = next((tmp_path / "translations").glob(f"{name}*/*.po"))
        suspects = {line.split(" (")[0].removeprefix("suspect name: ") for e in polib.pofile(str(po))
                    for line in e.comment.splitlines() if line.startswith("suspect name:")
                    and "(the office and name of the body's head, a person" not in line}
        flagged_somewhere += bool(suspects)
        assert suspects <= set(_coverage_names(cli, source)), name
    assert flagged_somewhere >= 3  # the comparison is not vacuous
