"""Document-number prefixes in pinyin, by the official convention (国办发 → Guo Ban Fa).

Official English versions write the issuer prefix of a document number (发文字号)
as its pinyin syllables, each capitalised, separated by spaces:
``国办发〔2023〕9号`` → ``Guo Ban Fa [2023] No. 9``, ``沪商自贸〔2021〕40号`` →
``Hu Shang Zi Mao [2021] No. 40``. A glossary row of kind ``code`` for the prefix
overrides this (render.py looks it up first).

Readings come from pypinyin with its phrase tables, after pypinyin's own word
segmentation, so a character is read as in its word: 银行 → Yin Hang (not Xing),
重庆 → Chong Qing (not Zhong), 发 → Fa. A prefix is mostly single-character
abbreviations, where pypinyin falls back to the commonest reading of the
character alone; :data:`ABBREVIATION_READINGS` gives the reading the character
has as an abbreviation of a place or body instead (厦 of 厦门 is Xia, not Sha;
藏 of 西藏 Zang; 长 of 长沙/长春 Chang; 行 of 银行 Hang).

pypinyin loads its dictionaries on import (about 0.7 s), so it is imported only
when a prefix is not in the glossary.
"""

from __future__ import annotations

import re

#: Readings of characters that stand alone in a prefix as abbreviations.
ABBREVIATION_READINGS = {
    "厦": "xia",  # 厦门 Xiamen (厦府, 厦政办)
    "藏": "zang",  # 西藏 Xizang (藏政发)
    "长": "chang",  # 长沙 Changsha, 长春 Changchun (长政发)
    "行": "hang",  # 银行, 人行 (the People's Bank)
}
_HAN = re.compile(r"[\u3400-\u9fff]")


def prefix_pinyin(prefix: str) -> str | None:
    """``浙商务发`` → ``Zhe Shang Wu Fa``; None when the prefix has no Chinese character."""
    prefix = re.sub(r"\s+", "", prefix)
    if not _HAN.search(prefix):
        return None
    from pypinyin import lazy_pinyin
    from pypinyin.seg.mmseg import seg

    syllables: list[str] = []
    for token in seg.cut(prefix):
        if len(token) == 1 and token in ABBREVIATION_READINGS:
            syllables.append(ABBREVIATION_READINGS[token])
        else:
            syllables.extend(lazy_pinyin(token, v_to_u=True))
    return " ".join(s[:1].upper() + s[1:] for s in syllables if s.strip())
