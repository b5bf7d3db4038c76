"""The documents of tests/corpus: ``NN-name.zh.<format>`` sources (txt, html, docx, pdf) with
their ``NN-name.expected.toml``, shared by the structure and build tests.

A PDF document is kept as its recipe, ``NN-name.zh.pdf.toml`` (the corpus holds no binaries):
:func:`source` sets it (:mod:`corpuspdf`) on first use and caches the file in
``tests/.model-cache/corpus/``. That needs Debian's fonts-noto-cjk: without it a PDF document's
tests are skipped (in CI, which installs the fonts, they fail instead).
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
CACHE = Path(__file__).resolve().parent / ".model-cache" / "corpus"
_FORMATS = ("txt", "html", "docx", "pdf")
_RECIPE = ".zh.pdf.toml"


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for fmt in _FORMATS:
        for path in CORPUS.glob(f"*.zh.{fmt}"):
            found[path.name[: -len(f".zh.{fmt}")]] = path
    for path in CORPUS.glob(f"*{_RECIPE}"):
        found[path.name[: -len(_RECIPE)]] = path
    return dict(sorted(found.items()))


SOURCES = _sources()
DOCUMENTS = list(SOURCES)


def is_recipe(name: str) -> bool:
    return SOURCES[name].name.endswith(_RECIPE)


def source(name: str) -> Path:
    """The source file of corpus document ``name``, whatever its format (a PDF set from its recipe)."""
    path = SOURCES[name]
    if not is_recipe(name):
        return path
    import corpuspdf
    import docbuilders
    from conftest import need

    need(docbuilders.fonts_available(), "fonts-noto-cjk (Debian), to set the corpus PDFs")
    built = CACHE / f"{name}-{corpuspdf.recipe_hash(path)}.zh.pdf"
    if not built.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = built.with_name(built.name + ".tmp.pdf")
        corpuspdf.build(path, tmp)
        tmp.replace(built)
        for stale in CACHE.glob(f"{name}-*.zh.pdf"):  # settings of an older recipe or builder
            if stale != built:
                stale.unlink(missing_ok=True)
    return built
