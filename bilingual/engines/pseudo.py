"""Deterministic pseudo-translation, for previews and tests.

It needs no model, so glossary protection, PO writing and merging can be tested
and previewed anywhere. Placeholders (ASCII tokens the glossary inserts) pass
through untouched; every Chinese character becomes a visible marker so that a
preview shows at a glance which text still awaits a real translation.

The markers carry digits (``[zh:16]``), and a run of them reads as a loop to a
naive check, so the checks that measure English (numbers, loops, length) must know
pseudo output: it is recognised by its provenance — the engine identity
``pseudo/<version>`` in the ``origin: machine translation (…)`` line — and read
with :func:`unmarked` / :func:`between_markers` (README "Dry runs with the pseudo
engine"). The marker format itself is pinned by tests: keep it.
"""

from __future__ import annotations

import re

from .. import __version__

PREFIX = "pseudo/"  # of every identity this engine gives (``pseudo/0.1.0``)
MARKER = re.compile(r"\[zh:\d+\]")  # what :meth:`PseudoEngine._one` writes for a run of Chinese
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_FULLWIDTH = str.maketrans({"，": ", ", "。": ". ", "；": "; ", "：": ": ", "（": "(", "）": ")",
                            "“": '"', "”": '"', "、": ", ", "《": "<", "》": ">", "！": "! ", "？": "? "})


class PseudoEngine:
    """Replace each run of Chinese characters by ``[zh:N]`` (N characters)."""

    name = "pseudo"

    def identity(self) -> str:
        return f"{PREFIX}{__version__}"

    def translate(self, texts: list[str]) -> list[str]:
        return [self._one(text) for text in texts]

    @staticmethod
    def _one(text: str) -> str:
        out = _CJK_RUN.sub(lambda m: f"[zh:{len(m.group())}]", text).translate(_FULLWIDTH)
        return re.sub(r"\s+", " ", out).strip()


def is_pseudo(identity: str | None) -> bool:
    """Whether an engine identity (``origin: machine translation (<identity>)``) is this engine's."""
    return bool(identity) and identity.startswith(PREFIX)


def markers(text: str) -> list[str]:
    """The pseudo markers in ``text``, each once, in order."""
    return list(dict.fromkeys(MARKER.findall(text)))


def unmarked(text: str) -> str:
    """``text`` with every marker a space: its digits are no number of the translation, and the
    digits on both sides of a marker (``2025[zh:1]6``) stay apart."""
    return MARKER.sub(" ", text)


def between_markers(text: str) -> list[str]:
    """The stretches of ``text`` between markers: a loop is looked for within each, never across a
    marker, which stands for Chinese the engine did not translate (``A [zh:2] A [zh:2] A`` is none)."""
    return MARKER.split(text)
