"""Forms the corpus documents 20 onward brought (tests/corpus/SOURCES.md), each rule on its real
data: emoji noise of mirrors, a reply's addressee naming every province, its English."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from corpusfiles import source

from bilingual.cli import main
from bilingual.glossary import load_glossary
from bilingual.ingest import clean_text
from bilingual.ingest.pictographs import strip_pictographs
from bilingual.render_agencies import render_addressee
from bilingual.structure.recognisers import is_addressee

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary"
#: The addressee of 国函〔2020〕47号 as the State Council wrote it (corpus 21).
REPLY_ADDRESSEE = (
    "河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、江苏省、浙江省、安徽省、福建省、江西省、山东省、河南省、湖北省、湖南省、"
    "广东省、广西壮族自治区、海南省、四川省、贵州省、云南省、陕西省、甘肃省、青海省、新疆维吾尔自治区人民政府,商务部:"
)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


@pytest.mark.parametrize(("line", "plain"), [
    ("河北省、山西省🚍、內蒙古自治區🥃、遼寧省", "河北省、山西省、內蒙古自治區、遼寧省"),
    ("湖南省☢️𓀅、廣東省👩🏽‍🔧👉🏽、廣西壯族自治區", "湖南省、廣東省、廣西壯族自治區"),  # ZWJ sequence, FE0F symbol, hieroglyph
    ("安慶市🙍🏼♂️、漳州市", "安慶市、漳州市"),  # a sign after an emoji whose joiner the mirror lost
    ("安慶市🙍🏼♂、漳州市", "安慶市、漳州市"),  # … and its variation selector
    ("雲南省🧀🧑🏽‍✈️、陝西省", "雲南省、陝西省"),
    ("遵義市☺️、德宏傣族景頗族自治州", "遵義市、德宏傣族景頗族自治州"),
])  # fmt: skip
def test_emoji_a_mirror_inserted_are_removed(line, plain):
    assert strip_pictographs(line) == plain


@pytest.mark.parametrize("line", [
    "★重点任务", "✓ 已完成", "❶加强组织领导", "➀压实责任", "二○○五年十月二十四日", "①②③", "→ 见附件",
    "※ 注：", "☆", "◆", "■ 口岸通关", "〇",
])  # fmt: skip
def test_symbols_documents_use_stay(line):
    assert strip_pictographs(line) == line


def test_emoji_are_a_reported_repair():
    clean = clean_text("國函〔2020〕47號\n河北省、山西省🚍、內蒙古自治區人民政府🫎,商務部:\n")
    assert clean.lines == ("國函〔2020〕47號", "河北省、山西省、內蒙古自治區人民政府,商務部:")
    assert clean.repairs == ((2, "emoji"),)


def test_a_reply_to_every_province_is_an_addressee():
    assert len(REPLY_ADDRESSEE) > 80
    assert is_addressee(REPLY_ADDRESSEE)
    prose = ("加快推进跨境电子商务综合试验区建设和外贸新业态新模式发展的各相关单位、积极参与口岸营商环境优化提升行动"
             "和国际贸易单一窗口推广应用的各有关部门、承担重点任务的各区人民政府:")
    assert len(prose) > 80 and not is_addressee(prose)  # long pieces: a sentence, not a list of names


def test_the_replys_addressee_in_english(glossary):
    rendered = render_addressee(REPLY_ADDRESSEE, glossary)
    assert rendered is not None and not rendered.fuzzy
    assert rendered.text == (
        "people's governments of Hebei Province, Shanxi Province, Inner Mongolia Autonomous Region, Liaoning Province, "
        "Jilin Province, Heilongjiang Province, Jiangsu Province, Zhejiang Province, Anhui Province, Fujian Province, "
        "Jiangxi Province, Shandong Province, Henan Province, Hubei Province, Hunan Province, Guangdong Province, "
        "Guangxi Zhuang Autonomous Region, Hainan Province, Sichuan Province, Guizhou Province, Yunnan Province, "
        "Shaanxi Province, Gansu Province, Qinghai Province, and Xinjiang Uygur Autonomous Region; "
        "Ministry of Commerce of the People's Republic of China (MOFCOM):"
    )
    two = render_addressee("河北省、山西省人民政府：", glossary)
    assert two is not None and two.text == "people's governments of Hebei Province and Shanxi Province:"


@pytest.mark.parametrize("text", [
    "河北省、雄安新区人民政府,商务部:",  # 雄安新区 is no place the glossary has
    "河北省人民政府办公厅、山西省人民政府办公厅,商务部:",  # neither is a known name nor places sharing 人民政府
    "江苏省、商务部人民政府:",  # a body is no place
    "河北省人民政府,某某协会:",
    "西藏自治区人民政府,商务部:",  # one place's government is a name of its own, not "governments of"
])  # fmt: skip
def test_an_addressee_with_an_unknown_name_is_left_to_mt(glossary, text):
    assert render_addressee(text, glossary) is None


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """name → PO file of a corpus document, made by ``translate --engine none`` (rules and glossary only)."""
    root = tmp_path_factory.mktemp("forms")
    out = {}

    def po(name: str) -> polib.POFile:
        if name not in out:
            path = root / f"{name}.en.po"
            assert main(["translate", str(source(name)), "--engine", "none", "-o", str(path), "--no-cache",
                         "--quiet"]) == 0  # fmt: skip
            out[name] = polib.pofile(str(path))
        return out[name]

    return po


def test_the_replys_addressee_is_rendered_not_machine_translated(translated):
    """Corpus 21 end to end: the addressee entry is the glossary's English, not MT."""
    entry = translated("21-guohan-2020-47").find("notice.addressee", by="msgctxt")
    assert entry.msgstr.startswith("people's governments of Hebei Province, Shanxi Province, Inner Mongolia")
    assert entry.msgstr.endswith("; Ministry of Commerce of the People's Republic of China (MOFCOM):")
    assert "origin: glossary" in entry.comment and not entry.fuzzy


@pytest.mark.parametrize(("name", "ctx", "english"), [
    ("17-yunnan-port-regulation-2025", "notice.issuer-1", "Standing Committee of the Yunnan Provincial People's Congress"),
    ("17-yunnan-port-regulation-2025", "notice.signatory-1",
     "Standing Committee of the Yunnan Provincial People's Congress"),
])  # fmt: skip
def test_issuing_bodies_in_english_from_the_glossary(translated, name, ctx, english):
    entry = translated(name).find(ctx, by="msgctxt")
    assert (entry.msgstr, entry.fuzzy) == (english, False)
    assert "origin: glossary" in entry.comment and "suspect name" not in entry.comment
