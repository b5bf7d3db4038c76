"""Machine-translation engines behind one small protocol.

An engine turns a batch of (glossary-protected) Chinese strings into English
strings, one for one, in order. ``identity`` names the engine, model package
and version, so the translation cache never serves output of another model.
Engines are imported lazily: choosing ``pseudo`` never loads CTranslate2.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

ENGINE_NAMES = ("argos", "libretranslate", "pseudo", "none")


@runtime_checkable
class Engine(Protocol):
    name: str

    def identity(self) -> str:
        """Stable id of engine + model + version, used as part of the cache key."""
        ...

    def translate(self, texts: list[str]) -> list[str]:
        """Translate a batch; must return exactly one string per input, in order."""
        ...


def get_engine(name: str, **options) -> Engine | None:
    """Return the engine called ``name`` (``none`` gives ``None``: no MT at all)."""
    if name == "none":
        return None
    if name == "pseudo":
        from .pseudo import PseudoEngine

        return PseudoEngine()
    if name == "argos":
        from .argos import ArgosEngine

        return ArgosEngine(**options)
    if name == "libretranslate":
        from .libretranslate import LibreTranslateEngine

        return LibreTranslateEngine(**options)
    from ..errors import BilingualError

    raise BilingualError(f"unknown engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
