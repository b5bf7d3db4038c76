"""A persistent machine-translation cache (standard-library sqlite3).

Keyed by the engine identity (engine, model package and version), the glossary
version and the glossary-protected source text, so a changed model or glossary
never serves stale output. WAL mode and a busy timeout make it safe for two
processes at once; every batch is committed as soon as it is translated, so a
run interrupted half-way resumes from where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/bilingual`` (``~/.cache/bilingual`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bilingual"


def cache_key(engine_identity: str, glossary_version: str, protected_source: str) -> str:
    raw = "\0".join((engine_identity, glossary_version, protected_source)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


class TranslationCache:
    """``get_many``/``put_many`` over one sqlite file; cheap to open."""

    def __init__(self, directory: str | Path):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "translations.sqlite3"
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, text TEXT NOT NULL)")

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, text in self._db.execute(f"SELECT key, text FROM mt WHERE key IN ({marks})", chunk):
                found[key] = text
        return found

    def put_many(self, items: Iterable[tuple[str, str]]) -> None:
        items = list(items)
        if not items:
            return
        with self._db:  # one transaction per batch: all or nothing
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO mt (key, text) VALUES (?, ?)", items)

    def close(self) -> None:
        self._db.close()
