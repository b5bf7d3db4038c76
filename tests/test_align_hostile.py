"""``bilingual align`` given what users really give it: the English of another document (another
year's edition, a wrong download) and English pages carrying control and invisible characters
(attack 9). The pairs are tests/align's (see its SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.align import align_files
from bilingual.glossary import load_glossary
from bilingual.invisible import UNSEEN_RE

DATA = Path(__file__).resolve().parent / "align"


@pytest.fixture(scope="module")
def glossary(repo_root):
    return load_glossary(repo_root / "glossary")


def test_the_english_of_another_document_is_refused_naming_both_numbers(run_cli, tmp_path):
    """GACC's 2023 announcement against the State Council's 2021 opinions wrote five pairs as
    official English — 其他事项 ("Other matters") as a heading of the other document, 海关总署 as
    "General Office of the State Council" — and the 2024 Shanghai measures against the 2023 English
    eleven, among them an agency list of one body paired with a list of two."""
    memory = tmp_path / "memory.tmx"
    other = run_cli(["align", DATA / "gacc-2023-196.zh.txt", DATA / "sc-new-forms-2021.en.txt", "-o", memory])
    assert other.returncode == 2 and not memory.exists()
    assert other.stderr == (
        f"bilingual: error: {DATA / 'sc-new-forms-2021.en.txt'}: is not the English of gacc-2023-196.zh.txt: its "
        "document number 'No. 24 [2021] of the General Office of the State Council' is not 海关总署公告2023年第196号\n")
    last_year = run_cli(["align", DATA / "sh-port-2024.zh.txt", DATA / "sh-port-2023.en.html", "-o", memory])
    assert last_year.returncode == 2 and not memory.exists()
    assert "its document number 'Hu Shang Zi Mao [2023] No. 132' is not 沪商自贸〔2024〕120号" in last_year.stderr
    same = run_cli(["align", DATA / "gacc-2023-196.zh.txt", DATA / "gacc-2023-196.en.txt", "-o", memory, "-q"])
    assert same.returncode == 0 and memory.exists(), same.stderr


def test_control_and_invisible_characters_of_the_english_never_reach_the_memory(glossary, tmp_path):
    """A web page's zero-width spaces and bidi marks, a Word export's vertical tab, a stray control character:
    they went into the memory as official English (an RLO, a U+0001), a zero-width space cut a word
    in two ("Cus toms"), and translate --tm filled them in reviewed."""
    clean = (DATA / "gacc-2023-196.en.txt").read_text(encoding="utf-8")
    dirty = (clean.replace("Customs", "Cus\u200btoms").replace("certificates", "\u202ecertificates\u202c")
             .replace("goods", "goo\u00adds\x01").replace("implementation, ", "implementation,\x0b"))
    assert dirty != clean
    english = tmp_path / "gacc-2023-196.en.txt"
    english.write_text(dirty, encoding="utf-8")
    expected = align_files(DATA / "gacc-2023-196.zh.txt", DATA / "gacc-2023-196.en.txt", glossary)
    found = align_files(DATA / "gacc-2023-196.zh.txt", english, glossary)
    assert [(p.ctx, p.en) for p in found.pairs] == [(p.ctx, p.en) for p in expected.pairs]
    assert not any(UNSEEN_RE.search(p.en) for p in found.pairs)
