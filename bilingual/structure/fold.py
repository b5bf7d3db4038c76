"""Read Traditional-character reprints with the same recognisers: fold the words they look for.

Mirrors reprint documents in Traditional characters (``廈門市人民政府辦公廳``, ``(責任單位:…)``,
``關於``, ``…號``). The recognisers only need their own keywords — roles, title endings, name
endings, labels — so :func:`fold` maps the Traditional forms of the characters in those
keywords to Simplified, one character for one (indices stay valid). It is for *matching*:
block text always keeps the characters as printed. (The glossary's full Traditional →
Simplified normalisation is a separate concern of its matching.)
"""

from __future__ import annotations

__all__ = ["fold"]

_TRADITIONAL = "單責牽頭負參與協務關於會辦廳門號發見員區縣開機構屬體條報時間業職別聯繫係電話請複覆團總銀隊組處規劃決議說計細則紀錄實節項類經濟貿內級為個國閱讀擊覽網頁簡礙長視語統籌際勞動軍鐵運輸農與環資產產監檢驗疫邊"
_SIMPLIFIED = "单责牵头负参与协务关于会办厅门号发见员区县开机构属体条报时间业职别联系系电话请复复团总银队组处规划决议说计细则纪录实节项类经济贸内级为个国阅读击览网页简碍长视语统筹际劳动军铁运输农与环资产产监检验疫边"
_TABLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold(text: str) -> str:
    """``(責任單位:廈門海關)`` → ``(责任单位:厦门海关)`` for the characters recognisers look at
    (``廈`` is not one of them and stays); same length as ``text``."""
    return text.translate(_TABLE)
