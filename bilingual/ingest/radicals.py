"""Kangxi radicals and CJK compatibility ideographs back to the ideographs they stand for.

PDF text extraction (Chromium's and Word's PDFs among them) often yields look-alike code points
for ordinary characters: ``⼆、优化通关服务`` (U+2F06 KANGXI RADICAL TWO for 二), ``各区⼈⺠政府``
(U+2F08 for 人, U+2EA0 CJK RADICAL CIVILIAN for 民), and sometimes CJK compatibility ideographs
(U+F900–U+FAFF). They look the same on screen but match nothing: not a heading label (一、 二、),
not a glossary term, not a sentence a memory knows. Text copied from such a PDF into a ``.txt``
carries them too, so :func:`bilingual.ingest.text.clean_text` maps them for every format.

Only these blocks are touched — never NFKC on the whole text, which would also turn ``（一）``
into ``(一)`` and ``，`` into ``,`` and change the source strings translators see:

* Kangxi Radicals (U+2F00–U+2FDF) and CJK Compatibility Ideographs (U+F900–U+FAFF,
  U+2F800–U+2FA1F): their Unicode compatibility / canonical decomposition (NFKC of the one
  character), which is the unified ideograph;
* CJK Radicals Supplement (U+2E80–U+2EFF): these have (with two exceptions) no decomposition;
  the table below gives the unified ideograph Unicode's ``EquivalentUnifiedIdeograph.txt`` names
  for the forms that stand for whole characters (⺠ 民, ⻓ 长, ⻔ 门, ⻅ 见 …) and for the component
  forms a PDF font may use (⺡ 氵, ⻖ 阝 …). A radical without an equivalent is left as it is.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["unify_ideographs"]

#: CJK Radicals Supplement → unified ideograph (EquivalentUnifiedIdeograph.txt).
_SUPPLEMENT = {
    0x2E81: "厂", 0x2E87: "几", 0x2E85: "亻", 0x2E86: "冂", 0x2E89: "刂", 0x2E8C: "小", 0x2E8D: "小", 0x2E8F: "尣", 0x2E90: "尢",
    0x2E92: "巳", 0x2E93: "幺", 0x2E94: "彑", 0x2E96: "忄", 0x2E97: "心", 0x2E98: "扌", 0x2E99: "攵",
    0x2E9B: "旡", 0x2E9D: "月", 0x2E9F: "母", 0x2EA0: "民", 0x2EA1: "氵", 0x2EA2: "氺", 0x2EA3: "灬",
    0x2EA4: "爫", 0x2EA6: "丬", 0x2EA7: "牛", 0x2EA8: "犭", 0x2EA9: "王", 0x2EAA: "疋", 0x2EAB: "罒",
    0x2EAC: "示", 0x2EAD: "礻", 0x2EB2: "罒", 0x2EB3: "罓", 0x2EB9: "耂", 0x2EBE: "艹", 0x2EBF: "艹",
    0x2EC0: "艹", 0x2EC2: "衤", 0x2EC3: "覀", 0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角", 0x2EC8: "讠",
    0x2EC9: "贝", 0x2ECB: "车", 0x2ECC: "辶", 0x2ECD: "辶", 0x2ECF: "阝", 0x2ED1: "長", 0x2ED3: "长",
    0x2ED4: "门", 0x2ED6: "阝", 0x2ED7: "雨", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页", 0x2EDB: "风",
    0x2EDC: "飞", 0x2EDD: "食", 0x2EDF: "飠", 0x2EE0: "饣", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼",
    0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾", 0x2EEC: "齐",
    0x2EEE: "齿", 0x2EF0: "龙", 0x2EF3: "龟",
}  # fmt: skip

_LOOK_ALIKE_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def _unified(match: re.Match) -> str:
    ch = match.group(0)
    code = ord(ch)
    if 0x2E80 <= code <= 0x2EFF:
        return _SUPPLEMENT.get(code, ch)
    mapped = unicodedata.normalize("NFKC", ch)
    return mapped if len(mapped) == 1 else ch


def unify_ideographs(text: str) -> str:
    """``⼆、各区⼈⺠政府`` → ``二、各区人民政府``; other characters are left as they are."""
    if not _LOOK_ALIKE_RE.search(text):
        return text
    return _LOOK_ALIKE_RE.sub(_unified, text)
