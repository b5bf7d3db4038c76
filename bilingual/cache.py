"""A persistent machine-translation cache (standard-library sqlite3).

Keyed by the engine identity (engine, model package and version), the glossary
version and the glossary-protected source text, so a changed model or glossary
never serves stale output. WAL mode and a busy timeout make it safe for two
processes at once; every batch is committed as soon as it is translated, so a
run interrupted half-way resumes from where it stopped.

The cache only saves time, so it never stops a run: a cache file that is not a
database (corrupt, truncated, another program's file) is deleted and rebuilt with
a warning; a cache folder that cannot be created or written (read-only, a path
under a file, a full disk) gives one warning and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

CACHE_FILE = "translations.sqlite3"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/bilingual`` (``~/.cache/bilingual`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bilingual"


def cache_key(engine_identity: str, glossary_version: str, protected_source: str) -> str:
    raw = "\0".join((engine_identity, glossary_version, protected_source)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def _ignore(message: str) -> None:
    pass


class TranslationCache:
    """``get_many``/``put_many`` over one sqlite file; cheap to open.

    ``warn`` receives one line when the cache had to be rebuilt or is unusable
    (then every call is a no-op: ``get_many`` finds nothing, ``put_many`` keeps
    nothing).
    """

    def __init__(self, directory: str | Path, warn: Callable[[str], None] | None = None):
        self.path = Path(directory) / CACHE_FILE
        self._warn = warn or _ignore
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not self.path.is_file() or isinstance(exc, sqlite3.OperationalError):
                self._disable(exc)
                return
            self._warn(f"MT cache {self.path} is not a usable database ({exc}); rebuilding it")
            self._remove_files()
            try:
                self._db = self._open()
            except (sqlite3.Error, OSError) as again:
                self._disable(again)
        except OSError as exc:
            self._disable(exc)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
            db.execute("SELECT count(*) FROM mt WHERE key = ''").fetchone()  # reads a page: finds corruption
        except BaseException:
            db.close()
            raise
        return db

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def _disable(self, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        self._warn(f"MT cache {self.path} cannot be used ({reason}); translating without it")
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for key, text in self._db.execute(f"SELECT key, text FROM mt WHERE key IN ({marks})", chunk):
                    found[key] = text
        except sqlite3.Error as exc:
            self._disable(exc)
        return found

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        items = list(items)
        if not items or self._db is None:
            return
        try:
            with self._db:  # one transaction per batch: all or nothing
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO mt (key, text) VALUES (?, ?)", items)
        except sqlite3.Error as exc:  # a full disk, a read-only file: the run goes on uncached
            self._disable(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
