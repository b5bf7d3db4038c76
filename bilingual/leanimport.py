"""Import a library without a submodule it pulls in that bilingual never uses.

spaCy imports its command line (typer, the download and training commands) and CTranslate2 its
asyncio-based iterator helpers only to re-export a name; both cost start-up time on the way to a
run's first MT batch (bench/README.md). :func:`import_with_stand_ins` puts stand-in modules in
their place for the import only, so a later ``import`` of the real submodule still gets it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from types import ModuleType


def import_with_stand_ins(name: str, stand_ins: Mapping[str, ModuleType]) -> ModuleType:
    """``import name`` with ``stand_ins`` (module name → stand-in) in ``sys.modules`` during the
    import, removed after it whatever happens; a module imported already is returned as it is."""
    if name in sys.modules:
        return sys.modules[name]
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module(name)
    finally:
        for stand_in_name, stand_in in stand_ins.items():
            if sys.modules.get(stand_in_name) is stand_in:
                del sys.modules[stand_in_name]
