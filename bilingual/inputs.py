"""The files a command depends on without naming them, so that no output is ever one of them.

:func:`bilingual.fileio.check_outputs` refuses an output that is an input of the
command (by device and inode: through links and ``..`` too). The inputs a user
types are easy; these are the others, each of which a careless ``-o`` destroyed:

* the **source document** a PO file was translated from (its ``X-Bilingual-Source``
  header, relative to the PO file's folder): ``build doc.en.po -f md -o src.txt``
  replaced the Chinese source with Markdown;
* the **project config**, ``./bilingual.toml`` (read by every command run in the
  project) or the one given with ``--config``: written over, it broke every later
  command with "invalid TOML";
* the **glossary folders** (the project's and the built-in termbase), the
  ``--templates`` folder.

And the other way round, :func:`own_output` tells bilingual's own builds (an HTML
page with its ``generator`` meta, a TMX it made, ``<doc>.en.md``) from everything
else: ``build -o`` replaces an existing file only when it is a previous build (or a
Markdown file: Markdown has no generator mark), never a source, a CSV or a TOML file
it was pointed at by mistake; and ``translate`` refuses a build as a SOURCE.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from .po import HEADER_SOURCE

PROJECT_CONFIG = Path("bilingual.toml")
_SOURCE_FIELD = re.compile(r'^"' + HEADER_SOURCE + r':\s*(.*?)\\n"\s*$', re.MULTILINE)
_HEADER_BYTES = 64 * 1024  # the header is the first entry: never this long


def po_source(po_path: str | Path) -> Path | None:
    """The source document named in a PO file's header, or None (no header, unreadable file)."""
    po_path = Path(po_path)
    try:
        if not stat.S_ISREG(os.stat(po_path).st_mode):
            return None  # a FIFO or a device: opening it could block, reading it would consume it
        with open(po_path, "rb") as handle:
            head = handle.read(_HEADER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    found = _SOURCE_FIELD.search(head)
    if found is None or not found.group(1).strip():
        return None
    return po_path.parent / found.group(1).strip()


def project_inputs(config=None, glossary_dir: str | Path | None = None,
                   templates: str | Path | None = None) -> list[Path]:
    """The config (``--config``, else ``./bilingual.toml``), the glossary folders, the templates."""
    from .glossary_layers import builtin_dir, project_directory

    found = [Path(config.path) if config is not None else PROJECT_CONFIG]
    project = project_directory(Path(glossary_dir) if glossary_dir is not None else None, config)
    found += [folder for folder in (project, builtin_dir(), templates) if folder is not None]
    return [Path(p) for p in found]


def po_inputs(po_paths: Iterable[str | Path]) -> list[Path]:
    """The PO files and the source documents they were made from."""
    found: list[Path] = []
    for po_path in po_paths:
        found.append(Path(po_path))
        source = po_source(po_path)
        if source is not None:
            found.append(source)
    return found


# Names ``build`` gives its outputs (build.SUFFIXES), and the marks its HTML and TMX carry.
OWN_SUFFIXES = (".en.md", ".en.html", ".zh-en.html", ".zh-en.tmx")
_GENERATOR = re.compile(rb"""<meta\s+name=["']generator["']\s+content=["']bilingual\b""", re.IGNORECASE)
_TMX_TOOL = re.compile(rb"""creationtool=["']bilingual["']""")
FORMAT_SUFFIXES = {"md": (".md", ".markdown"), "html": (".html", ".htm"), "bilingual-html": (".html", ".htm"),
                   "tmx": (".tmx",)}


def own_output(path: str | Path, head: bytes | None = None) -> bool:
    """Whether ``path`` is one of bilingual's own builds (by its mark, else by its name)."""
    path = Path(path)
    if head is None:
        head = _head(path)
    if head is not None and (_GENERATOR.search(head) or _TMX_TOOL.search(head)):
        return True
    return path.name.lower().endswith(OWN_SUFFIXES)


def replaceable_build(path: str | Path, fmt: str) -> str | None:
    """Why ``build -f fmt -o path`` must not replace the existing ``path``, or None (it may)."""
    path = Path(path)
    head = _head(path)
    if head is None:  # new, a device or a FIFO (written through), or unreadable (the write says so)
        return None
    if own_output(path, head) or (fmt == "md" and path.suffix.lower() in FORMAT_SUFFIXES["md"]):
        return None
    return (f"exists and is not a {fmt} file built by bilingual; refusing to replace it "
            "(choose another -o, or remove the file first)")


def _head(path: Path) -> bytes | None:
    """The first bytes of an existing regular file (None: not one)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read(4096)
    except OSError:
        return None
