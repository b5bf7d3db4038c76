"""argostranslate's package API, where it fits, without its side effects.

What bilingual takes from ``argostranslate.package`` (the format's authority):

* ``AvailablePackage``: how an index entry is read (codes, type, version, links);
  ``argospm_package_name``: the ``translate-zh_en`` name argospm shows;
* ``Package``: loading an installed folder as Argos does (``metadata.json``, the
  SentencePiece tokenizer). An archive is installed only if argostranslate can load
  what was extracted from it.

What it does not take, and why: ``update_package_index`` and
``get_available_packages`` (no timeout; an unreachable index is logged and then
retried without end), ``AvailablePackage.download`` (the whole file in memory, no
size cap, no progress; a half-written download is reused on the next try) and
``install_from_path`` (``extractall`` of an unchecked archive straight into the
live packages folder). bilingual fetches, checks and installs itself
(:mod:`.index`, :mod:`.archive`) and translates with CTranslate2 and SentencePiece
directly (:mod:`bilingual.engines.argos`): batched, in-process, offline.

``argostranslate.settings`` creates its data, config, cache and download folders
when it is imported (argostranslate documents this), and reads its settings once.
The classes above use no setting, so the import runs with those folders pointed
at a scratch folder that is removed afterwards: using the API leaves nothing in
``$HOME``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

_SETTINGS_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR",
                       "ARGOS_DEBUG")


def package_module() -> ModuleType:
    """``argostranslate.package``, imported so that it creates no folder outside a scratch folder."""
    if "argostranslate.settings" in sys.modules:
        import argostranslate.package

        return argostranslate.package
    saved = {name: os.environ.get(name) for name in _SETTINGS_VARIABLES}
    with tempfile.TemporaryDirectory(prefix="bilingual-argos-import-") as scratch:
        os.environ.update({
            "XDG_DATA_HOME": str(Path(scratch) / "data"),
            "XDG_CONFIG_HOME": str(Path(scratch) / "config"),
            "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
            "ARGOS_PACKAGES_DIR": str(Path(scratch) / "packages"),
            "ARGOS_DEBUG": "0",
        })
        try:
            import argostranslate.package
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return argostranslate.package


def load_package(folder: Path):
    """Load an extracted package folder as argostranslate does, tokenizer included.

    Raises whatever argostranslate or SentencePiece raise for a folder they cannot
    use (the caller turns it into a one-line refusal).
    """
    package = package_module().Package(folder)
    tokenizer = getattr(package, "tokenizer", None)
    if tokenizer is None:
        raise ValueError("no sentencepiece.model or bpe.model")
    tokenizer.encode("上海")  # loads the SentencePiece model: a corrupt one fails here
    return package


def available_packages(entries: list[dict]) -> list:
    """Index entries as argostranslate ``AvailablePackage`` objects (entries it cannot read are skipped)."""
    module = package_module()
    found = []
    for entry in entries:
        try:
            found.append(module.AvailablePackage(entry))
        except (TypeError, ValueError, AttributeError):
            continue
    return found


def argospm_name(package) -> str:
    """``translate-zh_en``: the name argospm gives a package."""
    return package_module().argospm_package_name(package)
