"""Issuer-aware short forms (issue 12, item 8): the issuer's place decides what 市政府 means."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import polib
import pytest

from bilingual.glossary import load_glossary, render_terms_only
from bilingual.ingest import read_source
from bilingual.issuer import infer, infer_document, short_forms
from bilingual.scope import scoped_glossary
from bilingual.structure import parse

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def g():
    return load_glossary(REPO / "glossary")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


# --------------------------------------------------------------------------- inference

# The issuer of each corpus document, decided by hand from the page it is modelled on.
CORPUS_PLACES = {
    "01-guobanfa-2018-123": "national", "02-guofa-2018-37": "national", "03-shuanfa-2021-85": "national",
    "04-guobanhan-2003-19": "national", "05-gacc-announcement-2022-31": "national",
    "06-jinshanganfu-2025-4": "tianjin", "07-qingdao-2025-action-plan": "qingdao",
    "08-zhezhengbanfa-2021-14": "zhejiang", "09-ezhengfa-2018-26": "hubei", "10-yuefuban-2023-5": "guangdong",
    "11-yongzhengfa-2021-21": "ningbo", "12-xiamen-2024-action-plan": "xiamen", "13-shucai-1999-850": "national",
}


@pytest.mark.parametrize("name", sorted(CORPUS_PLACES))
def test_corpus_issuers(name):
    """From each corpus document's hand-written signatories, number and title (its expected structure)."""
    expected = tomllib.loads((CORPUS / f"{name}.expected.toml").read_text(encoding="utf-8"))
    names = list(expected.get("signatories", [])) + list(expected.get("issuers", []))
    titles = [expected.get("title", ""), expected.get("attachment_title", "")]
    assert infer(names, expected.get("doc_number", ""), titles).place == CORPUS_PLACES[name]


@pytest.mark.parametrize(("names", "number", "titles", "place"), [
    # two bodies of Tianjin and the 津 prefix
    (["市商务局", "天津海关"], "津商岸服〔2025〕4号", [], "tianjin"),
    # 青 is Qingdao or Qinghai: the prefix alone is not enough …
    ([], "青政办字〔2023〕20号", [], None),
    # … a signatory decides
    (["青岛市人民政府办公厅"], "青政办字〔2023〕20号", [], "qingdao"),
    # a province's commerce department with the customs districts of its cities: the province
    (["浙江省商务厅", "杭州海关", "宁波海关"], "浙商务发〔2024〕12号", [], "zhejiang"),
    # the body before 关于 in a title is an issuer; 上海口岸 names Shanghai, not 海口 (Haikou)
    ([], "", ["天津市商务局关于印发措施的通知"], "tianjin"),
    (["上海市商务委员会", "上海海关", "中国民用航空华东地区管理局"], "沪商自贸〔2025〕181号",
     ["关于印发《上海口岸2025年促进跨境贸易便利化专项行动若干措施》的通知"], "shanghai"),
    # central bodies only: national; nothing at all: unsure
    (["国务院办公厅"], "国办发〔2023〕9号", [], "national"),
    ([], "", ["关于做好口岸工作的通知"], None),
    # Traditional reprints
    (["廈門市人民政府辦公廳"], "", [], "xiamen"),
])
def test_inference(names, number, titles, place):
    assert infer(names, number, titles).place == place


def test_the_seed_is_shanghai():
    document = parse(read_source(REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"))
    inference = infer_document(document)
    assert inference.place == "shanghai"
    assert "沪商自贸〔2025〕181号 → Shanghai" in inference.describe()


def test_short_forms_in_running_text():
    assert short_forms("经市政府同意，现印发给你们。") == ["市政府"]
    assert short_forms("市委、市政府关于优化营商环境的决策部署") == ["市委", "市政府"]
    assert short_forms("（省商务厅，省发展改革委）") == ["省商务厅", "省发展改革委"]
    assert short_forms("上海市商务委员会、城市管理局") == []  # inside full names


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize(("place", "text", "english"), [
    ("tianjin", "（市商务局、天津海关、市交通运输委、天津港集团）",
     "(Tianjin Municipal Bureau of Commerce; Tianjin Customs; Tianjin Municipal Transportation Commission; "
     "Tianjin Port (Group) Co., Ltd.)"),
    ("tianjin", "市委、市政府", "CPC Tianjin Municipal Committee; Tianjin Municipal People's Government"),
    ("zhejiang", "（省商务厅，省发展改革委、财政厅、交通运输厅、杭州海关、宁波海关、省海港集团）",
     "(Department of Commerce of Zhejiang Province; Development and Reform Commission of Zhejiang Province; "
     "Department of Finance of Zhejiang Province; Department of Transportation of Zhejiang Province; "
     "Hangzhou Customs; Ningbo Customs; Zhejiang Provincial Seaport Investment & Operation Group Co., Ltd.)"),
    ("qingdao", "（青岛海关、山东港口青岛港集团、市商务局）",
     "(Qingdao Customs; Qingdao Port Group of Shandong Port Group; Qingdao Municipal Bureau of Commerce)"),
    ("shanghai", "（市商务委、上海海关）", "(Shanghai Municipal Commission of Commerce; Shanghai Customs)"),
])
def test_short_forms_name_the_issuers_bodies(g, place, text, english):
    assert render_terms_only(text, scoped_glossary(g, place)) == english


@pytest.mark.parametrize("place", [None, "national", "tianjin"])
def test_shanghai_short_forms_stay_in_shanghai(g, place):
    scoped = scoped_glossary(g, place)
    for short in ("市商务委", "机场集团", "上港集团", "浦东新区"):
        assert scoped.lookup(short) is None, (place, short)
    assert scoped.lookup("上海市商务委员会") is not None  # a name with its place is global
    assert scoped.lookup("上海海关").en == "Shanghai Customs"
    if place != "tianjin":
        assert scoped.lookup("市政府") is None and scoped.lookup("市商务局") is None


# --------------------------------------------------------------------------- end to end


def test_tianjin_document_translates_and_checks_with_tianjin_names(tmp_path):
    po_path = tmp_path / "tianjin.en.po"
    result = run("translate", str(FIXTURES / "measures-responsibility.zh.txt"), "-o", str(po_path),
                 "--engine", "none", "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    assert '"scope": "Tianjin"' in result.stdout
    po = polib.pofile(str(po_path))
    rendered = [e.msgstr for e in po if e.msgstr]
    assert not [m for m in rendered if "Shanghai" in m]
    by_ctx = {e.msgctxt: e for e in po}
    assert by_ctx["notice.doc-number"].msgstr == "Jin Shang Kou An [2025] No. 12"
    assert "Tianjin Municipal Development and Reform Commission" in by_ctx["measure-4.agencies"].msgstr
    # check infers the same issuer from the PO file, so the Tianjin names pass the glossary check
    checked = run("check", str(po_path), "--format", "json")
    assert '"check": "glossary"' not in checked.stdout


def test_unsure_issuer_leaves_short_forms_to_review(tmp_path):
    source = tmp_path / "unsure.zh.txt"
    source.write_text("关于做好口岸工作的通知\n\n各有关单位：\n\n经市政府同意，现将有关事项通知如下。\n\n"
                      "一、加强协作\n\n（一）建立联络机制。（市商务局、市交通运输局）\n\n2025年3月1日\n",
                      encoding="utf-8")
    po_path = tmp_path / "unsure.en.po"
    result = run("translate", str(source), "-o", str(po_path), "--engine", "none")
    assert result.returncode == 0, result.stderr
    assert "issuer: unsure" in result.stderr and "no city's short forms applied (市政府、市商务局、市交通运输局" in result.stderr
    by_ctx = {e.msgctxt: e for e in polib.pofile(str(po_path))}
    body = next(e for ctx, e in by_ctx.items() if "市政府" in e.msgid)
    assert "issuer unsure: 市政府 not rendered" in body.comment and "Shanghai" not in body.comment
    agencies = by_ctx["measure-1.agencies"]
    # a body no scope resolves is a suspect name (mtcheck): left empty for review, never guessed
    assert agencies.msgstr == "" and "Shanghai" not in agencies.comment
    # no city's body is "closest": the short form names the issuer's own city, which is unknown
    assert "suspect name: 市商务局 (a body of the issuing city or province: no known body" in agencies.comment
