"""The documents of tests/corpus: ``NN-name.zh.<format>`` sources (txt, html, docx, pdf) with
their ``NN-name.expected.toml``, shared by the structure and build tests."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
_FORMATS = ("txt", "html", "docx", "pdf")


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for fmt in _FORMATS:
        for path in CORPUS.glob(f"*.zh.{fmt}"):
            found[path.name[: -len(f".zh.{fmt}")]] = path
    return dict(sorted(found.items()))


SOURCES = _sources()
DOCUMENTS = list(SOURCES)


def source(name: str) -> Path:
    """The source file of corpus document ``name``, whatever its format."""
    return SOURCES[name]
