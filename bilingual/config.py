"""The project file ``bilingual.toml``: which documents ``make translate`` processes.

::

    [defaults]
    engine = "argos"          # argos | libretranslate | pseudo | none
    glossary = "glossary"     # folder of curated term CSV files
    # url = "http://localhost:5000"   # LibreTranslate server, for engine = "libretranslate"

    [[document]]
    name = "shanghai-port-2025"                                 # id: PO header, paths (unique)
    source = "translations/shanghai-port-2025/source.zh.txt"
    po = "translations/shanghai-port-2025/shanghai-port-2025.en.po"
    build = ["md", "html"]                                      # bilingual build formats
    glossary_files = ["general", "trade-regimes", "places", "shanghai-*"]  # optional; default: all

Relative paths are relative to the file's folder. Read with ``tomllib``. A key not listed in
:data:`KEYS` (``[defaults] builtin_glossary`` and ``[[document]] encoding`` are the others) is an
error naming it and the closest known key: a misspelt ``glosary`` must not run with the default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BilingualError
from .fileio import FileAccessError, read_bytes

SLUG_RE = re.compile(r"[^a-z0-9]+")
BUILD_FORMATS = ("md", "html", "bilingual-html", "tmx")
# Every key the project file may hold: a misspelt one (``glosary``, ``bulid``) is an error, not
# silently ignored (the command would run with the default instead of what the user wrote).
KEYS = {
    "": ("defaults", "document"),
    "[defaults]": ("engine", "glossary", "url", "builtin_glossary"),
    "[[document]]": ("name", "source", "po", "build", "encoding", "glossary_files"),
}


@dataclass(frozen=True)
class DocumentConfig:
    name: str
    source: Path
    po: Path
    build: tuple[str, ...] = ("md",)
    encoding: str | None = None
    glossary_files: tuple[str, ...] | None = None  # file-name patterns; None = every glossary file


@dataclass(frozen=True)
class Config:
    path: Path
    documents: tuple[DocumentConfig, ...]
    engine: str = "argos"
    glossary: Path = Path("glossary")
    url: str | None = None  # LibreTranslate server for engine = "libretranslate"
    extra: dict = field(default_factory=dict)


def slugify(name: str) -> str:
    """A document id that is safe as a folder name (no ``..``, no separators)."""
    slug = SLUG_RE.sub("-", name.lower()).strip("-")
    return slug or "document"


def document_name_for(source: Path) -> str:
    """``shanghai-port-2025.zh.txt`` → ``shanghai-port-2025``; ``<doc>/source.zh.txt`` → ``<doc>``."""
    name = source.name
    for suffix in (".txt", ".pdf", ".docx", ".html", ".htm"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    name = re.sub(r"\.(zh|zh-cn|zh_cn|chs)$", "", name, flags=re.IGNORECASE)
    if name.lower() in ("source", "original", "index", "document") and source.parent.name:
        name = source.parent.name  # translations/<doc>/source.zh.txt → <doc>
    return slugify(name)


def default_po_path(name: str, root: Path = Path("translations")) -> Path:
    """``translations/<name>/<name>.en.po``; ``name`` is slugified, so it cannot escape ``root``."""
    safe = slugify(name)
    path = (root / safe / f"{safe}.en.po")
    if root.resolve() not in path.resolve().parents:
        raise BilingualError(f"output path for document {name!r} would leave {root}")
    return path


def _check_keys(data: dict, path: Path) -> None:
    """Refuse a key the project file does not know, naming it, its table and the closest known key."""
    tables = [("", data)]
    if isinstance(data.get("defaults"), dict):
        tables.append(("[defaults]", data["defaults"]))
    elif "defaults" in data:
        raise BilingualError("[defaults] must be a table", path)
    documents = data.get("document", [])
    if not isinstance(documents, list):
        raise BilingualError("document must be an array of tables: write [[document]]", path)
    tables += [("[[document]]", doc) for doc in documents if isinstance(doc, dict)]
    for table, values in tables:
        for key in values:
            if key not in KEYS[table]:
                raise BilingualError(f"unknown key {key!r}{' in ' + table if table else ''}{_did_you_mean(key, table)}",
                                     path)


def _check_types(data: dict, path: Path) -> None:
    """Refuse a value of the wrong TOML type (``name = 3``, ``source = ["a.txt"]``, ``build = "md"``)
    with one line naming the key and its table: it would otherwise fail later as a traceback."""
    defaults = data.get("defaults", {})
    for key in ("engine", "glossary", "url"):
        if key in defaults and not isinstance(defaults[key], str):
            raise BilingualError(f"[defaults] {key} must be a string (found {defaults[key]!r})", path)
    from .engines import ENGINE_NAMES

    if defaults.get("engine", "argos") not in ENGINE_NAMES:
        raise BilingualError(f"[defaults] engine: unknown engine {defaults['engine']!r}; choose one of "
                             f"{', '.join(ENGINE_NAMES)}", path)
    for number, doc in enumerate(data.get("document", []), start=1):
        if not isinstance(doc, dict):
            continue
        for key in ("name", "source", "po", "encoding"):
            if key in doc and not (isinstance(doc[key], str) and doc[key].strip()):
                raise BilingualError(f"[[document]] #{number}: {key} must be a non-empty string "
                                     f"(found {doc[key]!r})", path)
        build = doc.get("build")
        if build is not None and (not isinstance(build, list) or not all(isinstance(f, str) for f in build)):
            raise BilingualError(f"[[document]] #{number}: build must be a list of formats, e.g. "
                                 f"build = [\"md\", \"html\"] (found {build!r})", path)


def _did_you_mean(key: str, table: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, KEYS[table], n=1)
    known = ", ".join(KEYS[table])
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {known})"


def load_config(path: str | Path, *, documents_required: bool = True) -> Config:
    """Read a project file; ``documents_required=False`` accepts one without ``[[document]]``
    (``bilingual init`` writes it so, and the glossary commands need only ``[defaults]``)."""
    path = Path(path)
    try:
        data = tomllib.loads(read_bytes(path).decode("utf-8"))
    except FileAccessError as exc:
        if exc.missing:
            raise BilingualError("config file not found", path) from None
        raise
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BilingualError(f"invalid TOML: {exc}", path) from None
    _check_keys(data, path)
    _check_types(data, path)
    base = path.parent
    defaults = data.get("defaults", {})
    documents = []
    numbers: dict[str, int] = {}
    for number, doc in enumerate(data.get("document", []), start=1):
        if not isinstance(doc, dict) or "source" not in doc:
            raise BilingualError(f"[[document]] #{number} needs a 'source'", path)
        source = base / doc["source"]
        name = slugify(doc.get("name") or document_name_for(source))
        if name in numbers:
            # The name is the document's id: its PO header, build names and TMX tuids; two
            # documents with one id collide in the memory and in every build of the project.
            first = documents[numbers[name] - 1]
            raise BilingualError(f"[[document]] #{numbers[name]} ({first.source.name}) and #{number} "
                                 f"({source.name}) have the same name {name!r}; give each document "
                                 "its own name", path)
        numbers[name] = number
        po = base / doc["po"] if "po" in doc else default_po_path(name, base / "translations")
        build = tuple(doc.get("build", ["md"]))
        unknown = [f for f in build if f not in BUILD_FORMATS]
        if unknown:
            raise BilingualError(f"[[document]] {name}: unknown build format(s) {unknown}", path)
        files = doc.get("glossary_files")
        if files is not None and (not isinstance(files, list) or not all(isinstance(f, str) for f in files)):
            raise BilingualError(f"[[document]] {name}: glossary_files must be a list of file-name patterns", path)
        documents.append(DocumentConfig(name, source, po, build, doc.get("encoding"),
                                        tuple(files) if files is not None else None))
    if not documents and documents_required:
        raise BilingualError("no [[document]] tables: add one per source document (source = \"…\")", path)
    return Config(path, tuple(documents), defaults.get("engine", "argos"),
                  base / defaults.get("glossary", "glossary"), defaults.get("url"), data)
