"""Translation memory: reuse reviewed translations from TMX files and PO files.

``bilingual translate --tm FILE.tmx|DIR`` consults memory before MT:

* **exact match** — same source after normalising whitespace and character
  width (NFKC on a matching key only: ``（`` and ``(``, ``２０２５`` and ``2025``
  compare equal) — is filled in *reviewed* (not fuzzy), with a ``#.`` comment
  naming the memory file: a translator approved exactly this sentence before;
* **close match** — rapidfuzz ``ratio`` ≥ :data:`FUZZY_THRESHOLD` (85) — is
  filled in *fuzzy*, with the score and the memory's source in the comment,
  so the translator reviews the difference;
* anything else goes to MT.

85 is the customary lower bound of a useful fuzzy match in CAT tools (memoQ
and Trados default to 70–75 for display, and translators rarely accept below
85 without rewriting); on sentences of 30–100 Chinese characters it tolerates a
changed number or name but not a changed clause.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BilingualError

FUZZY_THRESHOLD = 85.0
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Matching key: NFKC (width), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class MemoryHit:
    text: str
    fuzzy: bool
    comments: list[str] = field(default_factory=list)
    score: float = 100.0


class TranslationMemory:
    """Source → reviewed English pairs, with exact and fuzzy lookup."""

    def __init__(self, pairs: Iterable[tuple[str, str, str]]):
        self._exact: dict[str, tuple[str, str, str]] = {}
        for source, target, origin in pairs:
            if source.strip() and target.strip():
                self._exact.setdefault(normalise(source), (source, target, origin))
        self._keys = list(self._exact)

    def __len__(self) -> int:
        return len(self._exact)

    @classmethod
    def load(cls, paths: Iterable[str | Path]) -> TranslationMemory:
        pairs: list[tuple[str, str, str]] = []
        for path in map(Path, paths):
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".tmx", ".po")) if path.is_dir() else [path]
            for file in files:
                pairs += read_tmx(file) if file.suffix.lower() == ".tmx" else read_po(file)
        return cls(pairs)

    def lookup(self, source: str) -> MemoryHit | None:
        key = normalise(source)
        exact = self._exact.get(key)
        if exact is not None:
            return MemoryHit(exact[1], False, [f"origin: translation memory {exact[2]} (exact match)"])
        if not self._keys:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best is None:
            return None
        old_source, target, origin = self._exact[best[0]]
        score = round(best[1], 1)
        return MemoryHit(target, True, [f"origin: translation memory {origin} (fuzzy match {score}%)",
                                        f"memory source: {old_source}"], score)


def read_tmx(path: Path) -> list[tuple[str, str, str]]:
    """zh→en pairs of a TMX file (any 1.4 file: tu/tuv/seg, xml:lang zh*/en*)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise BilingualError(f"not a readable TMX file ({exc})", path) from None
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    origin = _origin(path, root.find("header"))
    pairs = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(lang_attr) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang.split("-")[0]] = "".join(seg.itertext())
        if "zh" in texts and "en" in texts:
            pairs.append((texts["zh"], texts["en"], origin))
    return pairs


def _origin(path: Path, header) -> str:
    """The memory file's name, and where its translations come from when it says so
    (``bilingual align`` writes ``x-bilingual-origin``: "official translation FILE")."""
    if header is not None:
        for prop in header.iter("prop"):
            if prop.get("type") == "x-bilingual-origin" and (prop.text or "").strip():
                return f"{path.name}, {prop.text.strip()}"
    return path.name


def read_po(path: Path) -> list[tuple[str, str, str]]:
    """Reviewed (translated, not fuzzy, not obsolete) pairs of a PO file."""
    import polib

    try:
        catalog = polib.pofile(str(path))
    except (OSError, ValueError) as exc:
        raise BilingualError(f"not a valid PO file ({exc})", path) from None
    origin = catalog.metadata.get("X-Bilingual-Origin", "").strip()
    origin = f"{path.name}, {origin}" if origin else path.name
    return [(e.msgid, e.msgstr, origin) for e in catalog
            if e.msgstr and "fuzzy" not in e.flags and not e.obsolete]
