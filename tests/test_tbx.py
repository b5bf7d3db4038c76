"""TBX that terminology tools accept: TBX-Basic rules, one concept per entry, Weblate's exports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tbxbasic import problems

from bilingual.glossary import COLUMNS, GlossaryTerm, load_glossary
from bilingual.tbx import concepts, export_tbx, read_tbx

REPO = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = REPO / "glossary"


@pytest.fixture(scope="module")
def g():
    return load_glossary(GLOSSARY_DIR)


@pytest.mark.parametrize("version", [2, 3])
def test_export_passes_the_tbx_basic_rules(g, version):
    text = export_tbx(g, version=version)
    assert problems(text) == []
    assert "properNoun" not in text


@pytest.mark.parametrize("broken, rule", [
    ('<termNote type="partOfSpeech">noun</termNote>', "properNoun"),
    ('<descrip type="subjectField">', "subjectField is not allowed at the lang level"),
    ("<term>上海海关</term>", "target"),
    ('id="general-2"', "ids must be unique"),
])
def test_the_rules_catch_what_tools_reject(g, broken, rule):
    """Negative controls: the checker is not a rubber stamp."""
    text = export_tbx(g, version=3)
    if rule == "properNoun":
        text = text.replace(broken, '<termNote type="partOfSpeech">properNoun</termNote>', 1)
    elif "subjectField" in rule:
        text = re.sub(r'(<langSec xml:lang="en">)', r'\1<descrip type="subjectField">x</descrip>', text, count=1)
    elif rule == "target":
        text = text.replace("<term>上海海关</term>",
                            '<term>上海海关</term><ref type="crossReference" target="nowhere">x</ref>', 1)
    else:
        text = text.replace('id="general-1"', 'id="general-2"', 1)
    assert any(rule in p for p in problems(text)), problems(text)[:3]


def test_one_concept_entry_per_concept(g):
    """A full form, its short forms and the English acronym are terms of one entry."""
    text = export_tbx(g, version=3)
    entries = re.findall(r"<conceptEntry id=\"([^\"]+)\">(.*?)</conceptEntry>", text, re.S)
    assert len(entries) == len(concepts(g)) == sum(1 for t in g.terms if not t.abbreviation_of)
    commerce = next(body for _, body in entries if "<term>上海市商务委员会</term>" in body)
    zh = re.search(r'<langSec xml:lang="zh-Hans">(.*?)</langSec>', commerce, re.S).group(1)
    short_forms = [t.zh for t in g.terms if t.abbreviation_of == "上海市商务委员会"]
    assert short_forms and re.findall(r"<term>([^<]+)</term>", zh) == ["上海市商务委员会", *short_forms]
    assert zh.count("preferredTerm-admn-sts") == 1 and zh.count("admittedTerm-admn-sts") == len(short_forms)
    assert '<termNote type="termType">fullForm</termNote>' in zh
    # the note is the concept's definition, the source stays on the English term
    full = g.lookup("上海市商务委员会")
    assert f'<descrip type="definition">{full.note}</descrip>' in commerce
    assert f'<admin type="source">{full.source}</admin>' in commerce
    gacc = next(body for _, body in entries if "<term>中华人民共和国海关总署</term>" in body)
    assert re.findall(r"<term>([^<]+)</term>", gacc)[-2:] == [
        "General Administration of Customs of the People's Republic of China", "GACC"]
    assert gacc.count("<term>GACC</term>") == 1  # the full form and 海关总署 share one acronym term


def test_evidence_and_variants_travel(tmp_path):
    """The columns the glossary's evidence rules add: the English term carries them, they come back."""
    terms = [
        GlossaryTerm("上海海关", "Shanghai Customs", "organisation", "Customs district of Shanghai.",
                     "shanghai.customs.gov.cn", file=str(tmp_path / "orgs.csv"), line=2),
        GlossaryTerm("市商务委", "Shanghai Municipal Commission of Commerce", "organisation", "Short form.",
                     "sww.sh.gov.cn", abbreviation_of="上海市商务委员会", file=str(tmp_path / "orgs.csv"), line=3),
    ]
    object.__setattr__(terms[0], "evidence_url", "https://shanghai.customs.gov.cn/")  # type: ignore[misc]
    object.__setattr__(terms[0], "checked", "2025-07-01")  # type: ignore[misc]
    object.__setattr__(terms[0], "variants", ("Shanghai Customs District",))  # type: ignore[misc]

    class Loaded:
        directory, version = str(tmp_path), "test"

    loaded = Loaded()
    loaded.terms = terms
    for version in (2, 3):
        text = export_tbx(loaded, version=version)
        assert problems(text) == []
        assert 'type="externalCrossReference" target="https://shanghai.customs.gov.cn/"' in text
        assert "<term>Shanghai Customs District</term>" in text
        rows = read_tbx(text)
        customs = next(r for r in rows if r["zh"] == "上海海关")
        assert (customs["evidence_url"], customs["checked"], customs["variants"]) == (
            "https://shanghai.customs.gov.cn/", "2025-07-01", "Shanghai Customs District")
        orphan = next(r for r in rows if r["zh"] == "市商务委")
        assert orphan["full_form"] == "上海市商务委员会" and orphan["note"] == "Short form."


def test_a_tbx_exported_by_weblate_imports_with_defaults(tmp_path):
    """Weblate writes glossaries with Translate Toolkit's TBX storage: no kind, source or note."""
    tbx = pytest.importorskip("translate.storage.tbx")
    store = tbx.tbxfile(sourcelanguage="zh_Hans", targetlanguage="en")
    for zh, en in (("上海海关", "Shanghai Customs"), ("两证合一", "two certificates merged into one")):
        unit = store.addsourceunit(zh)
        unit.settarget(en, lang="en")
    store.units[0].addnote("Customs district of Shanghai.", origin="developer")
    path = tmp_path / "weblate-glossary.tbx"
    path.write_bytes(bytes(store))
    warnings: list[str] = []
    rows = read_tbx(path, warnings)
    assert [(r["zh"], r["en"], r["kind"]) for r in rows] == [
        ("上海海关", "Shanghai Customs", "phrase"), ("两证合一", "two certificates merged into one", "phrase")]
    assert rows[0]["note"] == "Customs district of Shanghai."
    assert rows[1]["note"] and rows[1]["source"] == "imported from weblate-glossary.tbx"
    assert any("2 term(s) had no kind" in w for w in warnings)
    assert any("2 term(s) had no source" in w for w in warnings)
    # the CLI writes a glossary that passes the glossary check, and says what it defaulted
    out = tmp_path / "imported"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "bilingual", "glossary", "import", str(path), "-o",
                             str(out / "weblate.csv")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "had no kind: set to phrase" in result.stderr
    header = (out / "weblate.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(COLUMNS)
    checked = subprocess.run([sys.executable, "-m", "bilingual", "glossary", "check", "--glossary", str(out)],
                             capture_output=True, text=True, timeout=120, cwd=REPO)
    assert checked.returncode == 0, checked.stdout + checked.stderr
