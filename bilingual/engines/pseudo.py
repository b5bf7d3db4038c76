"""Deterministic pseudo-translation, for previews and tests.

It needs no model, so glossary protection, PO writing and merging can be tested
and previewed anywhere. Placeholders (ASCII tokens the glossary inserts) pass
through untouched; every Chinese character becomes a visible marker so that a
preview shows at a glance which text still awaits a real translation.
"""

from __future__ import annotations

import re

from .. import __version__

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_FULLWIDTH = str.maketrans({"，": ", ", "。": ". ", "；": "; ", "：": ": ", "（": "(", "）": ")",
                            "“": '"', "”": '"', "、": ", ", "《": "<", "》": ">", "！": "! ", "？": "? "})


class PseudoEngine:
    """Replace each run of Chinese characters by ``[zh:N]`` (N characters)."""

    name = "pseudo"

    def identity(self) -> str:
        return f"pseudo/{__version__}"

    def translate(self, texts: list[str]) -> list[str]:
        return [self._one(text) for text in texts]

    @staticmethod
    def _one(text: str) -> str:
        out = _CJK_RUN.sub(lambda m: f"[zh:{len(m.group())}]", text).translate(_FULLWIDTH)
        return re.sub(r"\s+", " ", out).strip()
