"""Traditional reprints match the Simplified glossary (issue 12, item 7); the msgid stays as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

from bilingual.glossary import load_glossary, protect, render_terms_only, restore
from bilingual.zhnorm import to_simplified

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def g():
    return load_glossary(REPO / "glossary")


def test_normalisation_keeps_length_and_offsets():
    text = "上海海關、上海市商務委員會和國務院辦公廳"
    simple = to_simplified(text)
    assert simple == "上海海关、上海市商务委员会和国务院办公厅"
    assert len(simple) == len(text)
    assert to_simplified("上海海关 AEO 9610") == "上海海关 AEO 9610"  # Simplified and Latin unchanged


@pytest.mark.parametrize(("traditional", "english"), [
    ("上海海關", "Shanghai Customs"),
    ("上海市商務委員會", "Shanghai Municipal Commission of Commerce"),
    ("中國國際貿易促進委員會上海市分會", "Shanghai Sub-council of the China Council for the Promotion of "
                              "International Trade"),
])
def test_traditional_names_render(g, traditional, english):
    assert g.lookup(traditional) is not None
    assert render_terms_only(traditional, g) == english


def test_short_form_does_not_match_inside_the_traditional_full_form(g):
    text = "上海市交通委員會、上海市交通委"
    spans = [(text[m.start:m.end], m.term.zh) for m in g.match(text)]
    assert spans == [("上海市交通委員會", "上海市交通委员会"), ("上海市交通委", "上海市交通委")]


def test_protect_replaces_the_characters_as_written(g):
    text = "由上海海關會同市商務委負責。"
    hidden = protect(text, g)
    assert [text[s.start:s.end] for s in hidden.slots] == ["上海海關", "市商務委"]
    assert "關" not in hidden.text and "商務" not in hidden.text
    english, dropped = restore(hidden.text.replace("由", "By ").replace("會同", " with "), hidden, g)
    assert "Shanghai Customs" in english and "Shanghai Municipal Commission of Commerce" in english and not dropped


def test_traditional_reprint_translates_with_msgid_as_written(tmp_path):
    source = tmp_path / "reprint.zh.txt"
    source.write_text(
        "關於印發促進跨境貿易便利化若干措施的通知\n"
        "各相關單位：\n"
        "現將若干措施印發給你們，請認真組織實施。\n"
        "上海市商務委員會\n上海海關\n上海市交通委員會\n"
        "2025年6月27日\n", encoding="utf-8")
    po_path = tmp_path / "reprint.en.po"
    result = subprocess.run([sys.executable, "-m", "bilingual", "translate", str(source), "-o", str(po_path),
                             "--engine", "none", "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    entries = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert entries["上海海關"].msgstr == "Shanghai Customs"
    assert entries["上海市商務委員會"].msgstr == "Shanghai Municipal Commission of Commerce"
    assert entries["上海市交通委員會"].msgstr == "Shanghai Municipal Commission of Transport"
    assert "上海海关" not in entries  # the msgid is the text as written
