"""Import a library without a submodule it pulls in that bilingual never uses.

spaCy imports its command line (typer, the download and training commands) and CTranslate2 its
asyncio-based iterator helpers only to re-export a name; both cost start-up time on the way to a
run's first MT batch (bench/README.md). :func:`import_with_stand_ins` puts stand-in modules in
their place for the import only, so a later ``import`` of the real submodule still gets it.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
from collections.abc import Iterator, Mapping
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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a big import, then on with what it made frozen.

    While spaCy's ~900 modules import, the collector runs dozens of times, each walking every
    object made so far, and finds next to nothing to free: off for the import, that is ~0.04 s
    of the spaCy helper's ~0.35 s on the way to a run's first MT batch (bench/README.md). After
    it the collector is on again as it was, and the imported objects are frozen (``gc.freeze``):
    later collections, which the texts split afterwards need as usual, never walk them again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
