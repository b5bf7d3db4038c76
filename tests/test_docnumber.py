"""Document numbers of every issuer in pinyin, by the official convention (issue 12, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilingual.docnumber import prefix_pinyin
from bilingual.glossary import Glossary, GlossaryTerm, load_glossary
from bilingual.render import render_doc_number

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def g():
    return load_glossary(REPO / "glossary")


@pytest.mark.parametrize(("zh", "en"), [
    ("国办发〔2023〕9号", "Guo Ban Fa [2023] No. 9"),  # State Council General Office
    ("浙商务发〔2024〕12号", "Zhe Shang Wu Fa [2024] No. 12"),  # Zhejiang commerce department
    ("署贸函〔2024〕5号", "Shu Mao Han [2024] No. 5"),  # GACC
    ("津政办发〔2024〕3号", "Jin Zheng Ban Fa [2024] No. 3"),  # Tianjin
    ("青政办字〔2023〕20号", "Qing Zheng Ban Zi [2023] No. 20"),  # Qingdao
    ("甬政发〔2022〕31号", "Yong Zheng Fa [2022] No. 31"),  # Ningbo
    ("粤府办〔2024〕7号", "Yue Fu Ban [2024] No. 7"),  # Guangdong
    ("京政办发〔2023〕6号", "Jing Zheng Ban Fa [2023] No. 6"),  # Beijing
    ("国发〔2024〕11号", "Guo Fa [2024] No. 11"),
    ("发改外资〔2023〕1号", "Fa Gai Wai Zi [2023] No. 1"),  # NDRC: 发 is Fa
    ("沪商自贸〔2025〕181号", "Hu Shang Zi Mao [2025] No. 181"),  # from the glossary
])
def test_document_numbers(g, zh, en):
    assert render_doc_number(zh, g) == en


@pytest.mark.parametrize(("prefix", "pinyin"), [
    ("厦府", "Xia Fu"),  # 厦门: Xia, not the commoner Sha
    ("藏政发", "Zang Zheng Fa"),  # 西藏: Zang, not Cang
    ("长政发", "Chang Zheng Fa"),  # 长沙/长春: Chang, not Zhang
    ("人行发", "Ren Hang Fa"),  # the People's Bank: Hang, not Xing
    ("银行发", "Yin Hang Fa"),  # 行 in 银行 from pypinyin's phrases
    ("行政办", "Xing Zheng Ban"),  # 行 in 行政 stays Xing
    ("重庆关", "Chong Qing Guan"),  # 重 in 重庆 is Chong
    ("重点办", "Zhong Dian Ban"),  # 重 in 重点 is Zhong
    ("文旅发", "Wen Lü Fa"),  # ü kept
])
def test_tricky_readings(prefix, pinyin):
    assert prefix_pinyin(prefix) == pinyin


def test_glossary_entry_overrides_the_pinyin():
    glossary = Glossary([GlossaryTerm(zh="国办发", en="GOSC", kind="code", note="n", source="s")])
    assert render_doc_number("国办发〔2023〕9号", glossary) == "GOSC [2023] No. 9"
    assert prefix_pinyin("GOSC") is None
