"""The run state: which documents of a library need no work, decided before any is parsed.

A library run (``bilingual translate --config bilingual.toml``) keeps a small JSON file
beside the config, ``.bilingual-state.json``. For every PO file a run wrote or confirmed,
it records the **content hashes** (SHA-256) of everything the PO file is a function of:

* the source's bytes, as the run read them;
* the PO file's bytes, as the run left them (what it wrote, or the unchanged file);
* the document's effective glossary: the terms of its scope (the issuer's place the
  run inferred, or its ``glossary_files``), hashed term by term — a row added to
  another city's file does not touch a Shanghai document;
* the settings: engine identity (engine, model package and version, beam) and term
  strategy, the document's name and encoding option, the translation memory's
  entries, and the code — bilingual's own source files and the names (with versions)
  of every installed distribution.

The next run hashes the source, the PO file and the glossary scope of each document
and skips the document, before reading it further, when all of them equal the
record: the previous run left the PO file as the merge of exactly these inputs, and a
merge of unchanged inputs is a no-op (``tests/test_po_layout.py``: an unchanged
source leaves a PO file byte for byte). spaCy and the model are then never loaded.

Why content hashes and not (size, mtime, inode): a translator's editor, ``git
checkout``, ``cp -p``, ``rsync -t`` or ``tar x`` can give a changed file the old size
and modification time, and a file changed twice within one timestamp tick looks
unchanged; hashing costs about a millisecond per 100 KB (a 50 MB source: ~0.1 s) next
to a second of start-up, and it makes the state portable: keys hold no inode, time
or absolute path, so the file survives a move of the project, and CI can keep it in a
cache between runs (README "A library in one run"; it is git-ignored: it describes the
last run on this machine, not the project). Any doubt means work: a missing, unreadable or corrupt state
file (a warning), another format, a PO file that is a device or FIFO, ``--retranslate``.
The file is written atomically through :mod:`bilingual.fileio` at the end of the run
(also when the run stops on an error: records are only made for PO files written or
confirmed), merged with what another run recorded meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STATE_NAME = ".bilingual-state.json"
#: The state of runs on SOURCE files (no config): in the cache folder, keyed by the PO file's path
#: relative to it, so a user's folders get no file they did not ask for.
SOURCE_STATE_NAME = "source-runs.json"
FORMAT = 1
_CHUNK = 1 << 20


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def glossary_digest(glossary) -> str:
    """A hash of the terms a document is translated with (None: no glossary)."""
    if glossary is None:
        return "none"
    cached = getattr(glossary, "_content_digest", None)
    if cached is not None:
        return cached
    from .glossary.core import _term_fields

    digest = hashlib.sha256()
    names: dict[str, str] = {}  # a term's file → its name: the state must survive a move
    for term in glossary.terms:
        file = str(getattr(term, "file", ""))
        where = names.get(file)
        if where is None:
            where = names[file] = Path(file).name
        digest.update("\x1f".join((*_term_fields(term), where)).encode() + b"\x1e")
    value = digest.hexdigest()
    glossary._content_digest = value  # terms of a Glossary never change after it is built
    return value


_CODE: str | None = None


def code_fingerprint() -> str:
    """bilingual's source files and every installed distribution (name and version): a change
    to the code that turns sources into PO files invalidates every record."""
    global _CODE
    if _CODE is not None:
        return _CODE
    import sysconfig

    digest = hashlib.sha256(f"python {sys.version_info[:2]}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    for folder in sorted(folders):
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            names = []
        digest.update("\0".join(names).encode() + b"\1")
    _CODE = digest.hexdigest()
    return _CODE


@dataclass(frozen=True)
class Settings:
    """What every document of a run shares: engine, term strategy, memory and code."""

    engine: str  # engine identity, or "none"
    term_strategy: str
    memory: str  # hash of the translation memory's entries, or "none"
    code: str

    def for_job(self, job) -> dict:
        return {"engine": self.engine, "term_strategy": self.term_strategy, "memory": self.memory,
                "code": self.code, "name": job.name, "encoding": job.encoding or "",
                "glossary_files": list(job.glossary_files) if job.glossary_files else None}


def run_settings(engine, term_strategy: str, memory=None) -> Settings:
    identity = engine.identity() if engine is not None else "none"
    memory_hash = memory.digest() if memory is not None else "none"
    return Settings(identity, term_strategy if engine is not None else "", memory_hash, code_fingerprint())


@dataclass
class Check:
    """What a run found for one document before parsing it."""

    record: dict | None  # the previous record, when every key still matches (skip)
    source_sha256: str | None = None
    po_sha256: str | None = None  # None: no PO file yet
    reason: str = ""  # why the document needs work


@dataclass
class RunState:
    """The state file of a library: load, decide, record, save. See the module docstring."""

    path: Path
    records: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    updated: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> RunState:
        state = cls(Path(path))
        state.records = state._read(warn=True)
        return state

    def _read(self, warn: bool) -> dict[str, dict]:
        from .errors import BilingualError
        from .fileio import read_existing

        try:
            data = read_existing(self.path)
        except BilingualError as exc:
            if warn:
                self.warnings.append(f"run state {exc}; every document is processed")
            return {}
        if data is None:
            return {}
        try:
            content = json.loads(data.decode("utf-8"))
            if not isinstance(content, dict) or content.get("format") != FORMAT:
                raise ValueError("another format")
            documents = content.get("documents")
            if not isinstance(documents, dict) or not all(isinstance(v, dict) for v in documents.values()):
                raise ValueError("no documents table")
        except (ValueError, UnicodeDecodeError) as exc:
            if warn:
                self.warnings.append(f"run state {self.path} is not usable ({exc}); every document is processed "
                                     "and the file is rebuilt")
            return {}
        return documents

    def key(self, po: Path) -> str:
        """Records are keyed by the PO file's path relative to the state file's folder."""
        return Path(os.path.relpath(Path(po).resolve(), self.path.parent.resolve())).as_posix()

    def check(self, job, settings: Settings, glossary_for_record: Callable[[dict], str | None]) -> Check:
        """Hash the job's source and PO file and compare them and the glossary and settings
        with the record. The source is read through :mod:`bilingual.fileio` (bounded, an
        input of the run); nothing is parsed."""
        from .fileio import file_sha256, max_size, read_bytes

        source = file_digest(read_bytes(job.source))
        po = file_sha256(job.po, limit=max_size())  # None: no PO file, or a device; over --max-size: refused
        found = Check(None, source, po)
        record = self.records.get(self.key(job.po))
        if record is None:
            found.reason = "not in the run state"
        elif po is None:
            found.reason = "no PO file (or not a regular file)"
        elif not isinstance(record.get("summary"), dict):
            found.reason = "a damaged record"
        elif record.get("source_sha256") != source or record.get("source") != self._relative(job.source):
            found.reason = "source changed"
        elif record.get("po_sha256") != po:
            found.reason = "PO file changed"
        elif record.get("settings") != settings.for_job(job):
            found.reason = "engine, term strategy, memory or code changed"
        elif record.get("glossary") != glossary_for_record(record):
            found.reason = "glossary changed"
        else:
            found.record = record
        return found

    def earlier_po(self, job, source_sha256: str | None, named: set[str]) -> tuple[Path, dict] | None:
        """A PO file this run does not name that a record ties to ``job``'s source (the same
        relative path or the same bytes) and that still exists: the work of a document since
        renamed, or whose ``po`` moved. (The file and its record; None: there is none.)

        The state of SOURCE runs is one file in the cache folder for every folder of the user's:
        there, a record counts only for a PO file beside the new one or beside the source (``-o
        renamed.po``), not for a copy of the same document in another project or a scratch folder."""
        here = self.key(job.po)
        source = self._relative(job.source)
        near = {Path(job.po).resolve().parent, Path(job.source).resolve().parent}
        for key, record in sorted(self.records.items()):
            if key == here or key in named:
                continue
            if record.get("source") != source and record.get("source_sha256") != source_sha256:
                continue
            path = self.path.parent / key
            if self.path.name == SOURCE_STATE_NAME and path.resolve().parent not in near:
                continue
            if path.is_file():
                return path, record
        return None

    def _relative(self, path: Path) -> str:
        return Path(os.path.relpath(Path(path).resolve(), self.path.parent.resolve())).as_posix()

    def record(self, job, settings: Settings, *, source_sha256: str, po_sha256: str | None, glossary: str,
               scope: dict, summary: dict) -> None:
        """Remember that ``job``'s PO file now hashes to ``po_sha256`` (what the run wrote or confirmed)."""
        if po_sha256 is None or _is_device(job.po):
            return
        self.updated[self.key(job.po)] = {
            "source": self._relative(job.source),
            "source_sha256": source_sha256,
            "po_sha256": po_sha256,
            "glossary": glossary,
            "scope": scope,
            "settings": settings.for_job(job),
            "summary": summary,
        }

    def save(self, warn: Callable[[str], None]) -> bool:
        """Write the records (merged with the file as it is now) atomically; a failure is a warning.
        Records of PO files since removed are dropped; with nothing new and nothing to drop, the
        file is left alone."""
        folder = self.path.parent
        if not self.updated and all((folder / key).exists() for key in self.records):
            return False
        from .errors import BilingualError
        from .fileio import atomic_write_text, file_lock

        try:
            with file_lock(self.path):
                records = self._read(warn=False)  # another run may have recorded other documents meanwhile
                records.update(self.updated)
                records = {k: v for k, v in records.items() if (folder / k).exists()}  # PO files since removed
                text = json.dumps({"format": FORMAT, "documents": records}, ensure_ascii=False, indent=1,
                                  sort_keys=True)
                atomic_write_text(self.path, text + "\n")
        except BilingualError as exc:
            warn(f"run state not saved: {exc}")
            return False
        self.records = records
        self.updated = {}
        return True


def _is_device(path: Path) -> bool:
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def summary_of(stats) -> dict:
    """What a skipped document reports: the counts that describe its (unchanged) PO file."""
    keys = ("segments", "fuzzy", "untranslated", "flagged", "mt_flags", "suspect_names", "scope", "issuer",
            "repairs")
    summary = {k: getattr(stats, k) for k in keys}
    summary["warnings"] = [w for w in stats.warnings if w not in stats.run_only]
    return summary


