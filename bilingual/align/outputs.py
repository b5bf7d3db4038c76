"""Write an alignment as a memory (PO or TMX), and score it against a gold alignment.

**PO** — one entry per pair: ``msgctxt`` the Chinese segment id (the id this
year's PO file will use for the same place: ``measure-15.s2``; a 2–1 pair
``measure-2.s2+s3``), ``msgid`` the Chinese as ``bilingual translate``
segments it, ``msgstr`` the official English, not fuzzy (an official
translation is a reviewed one), with the comments ``origin: official
translation (FILE)`` and the bead (``alignment: 1-2``) or, for a name, how it
was paired (``alignment: name by glossary|order``). The header carries
``X-Bilingual-Origin``, so ``translate --tm`` names it in what it fills in.

**TMX** — the same pairs through the project's TMX builder (TMX 1.4b,
``tuid`` = msgctxt), with ``<prop type="x-bilingual-origin">`` in the header.

**Gold** — a hand-made alignment, one pair a line, ``Chinese<TAB>English``
(``#`` comments, blank lines ignored), 2–1 and 1–2 pairs joined as the memory
joins them. Precision is the share of the aligner's pairs that are in the gold,
recall the share of the gold's pairs that the aligner found, both on pairs as
multisets after normalising width and whitespace.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import BilingualError
from .pairing import Alignment

ORIGIN_HEADER = "X-Bilingual-Origin"
ORIGIN_PROP = "x-bilingual-origin"
FORMATS = {".po": "po", ".tmx": "tmx"}


def origin_of(alignment: Alignment) -> str:
    return f"official translation {Path(alignment.en_source).name}"


def to_catalog(alignment: Alignment, document: str):
    """A polib catalogue of the pairs (see the module docstring)."""
    import polib

    from ..po import WRAP_WIDTH, now_stamp

    catalog = polib.POFile(wrapwidth=WRAP_WIDTH)
    stamp = now_stamp()
    catalog.metadata = {
        "Project-Id-Version": f"bilingual {document}",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": "zh",
        "X-Generator": f"bilingual {__version__}",
        "X-Bilingual-Document": document,
        "X-Bilingual-Source": Path(alignment.zh_source).name,
        ORIGIN_HEADER: origin_of(alignment),
    }
    zh_name = Path(alignment.zh_source).name
    for pair in alignment.pairs:
        how = f"name by {pair.how}" if pair.kind == "name" else pair.bead
        entry = polib.POEntry(
            msgctxt=pair.ctx,
            msgid=pair.zh,
            msgstr=pair.en,
            comment=f"origin: {origin_of(alignment)}\nalignment: {how}",
            occurrences=[(zh_name, str(pair.zh_line))] if pair.zh_line else [],
        )
        catalog.append(entry)
    return catalog


def render(alignment: Alignment, fmt: str, document: str) -> str:
    """The text of the memory in ``fmt`` (``po`` or ``tmx``)."""
    from ..po import catalog_text

    catalog = to_catalog(alignment, document)
    if fmt == "po":
        return catalog_text(catalog)
    if fmt == "tmx":
        return _tmx(catalog, origin_of(alignment))
    raise BilingualError(f"unknown memory format {fmt!r}; use .tmx or .po")


def _tmx(catalog, origin: str) -> str:
    import xml.etree.ElementTree as ET

    from ..build import build_tmx

    text = build_tmx(catalog)
    head, _, body = text.partition("<tmx")
    root = ET.fromstring("<tmx" + body)
    header = root.find("header")
    prop = ET.Element("prop", type=ORIGIN_PROP)
    prop.text = origin
    header.insert(0, prop)
    ET.indent(root, space="  ")
    return head + ET.tostring(root, encoding="unicode") + "\n"


def memory_format(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise BilingualError("the memory must be a .tmx or a .po file", path)
    return fmt


# --------------------------------------------------------------------------- gold


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def read_gold(path: str | Path) -> list[tuple[str, str]]:
    """The pairs of a gold file (``Chinese<TAB>English`` a line)."""
    path = Path(path)
    try:
        from ..fileio import read_bytes

        lines = read_bytes(path).decode("utf-8").splitlines()  # bounded by --max-size
    except FileNotFoundError:
        raise BilingualError("no such file (the gold alignment)", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BilingualError(f"cannot read the gold alignment: {getattr(exc, 'strerror', None) or exc}", path) from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise BilingualError(f"line {number}: expected 'Chinese<TAB>English'", path)
        pairs.append((parts[0].strip(), parts[1].strip()))
    if not pairs:
        raise BilingualError("the gold alignment has no pairs", path)
    return pairs


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    correct: int
    found: int
    gold: int
    wrong: tuple[tuple[str, str], ...]  # found, not in the gold
    missed: tuple[tuple[str, str], ...]  # in the gold, not found

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "correct": self.correct,
                "found": self.found, "gold": self.gold,
                "wrong": [list(p) for p in self.wrong], "missed": [list(p) for p in self.missed]}


def evaluate(alignment: Alignment, gold: list[tuple[str, str]]) -> Score:
    original: dict[tuple[str, str], tuple[str, str]] = {}
    for zh, en in [(p.zh, p.en) for p in alignment.pairs] + list(gold):
        original.setdefault((_norm(zh), _norm(en)), (zh, en))
    found = Counter((_norm(p.zh), _norm(p.en)) for p in alignment.pairs)
    expected = Counter((_norm(zh), _norm(en)) for zh, en in gold)
    correct = sum((found & expected).values())
    n_found, n_gold = sum(found.values()), sum(expected.values())
    return Score(
        precision=correct / n_found if n_found else 0.0,
        recall=correct / n_gold if n_gold else 0.0,
        correct=correct, found=n_found, gold=n_gold,
        wrong=tuple(original[k] for k in (found - expected).elements()),
        missed=tuple(original[k] for k in (expected - found).elements()),
    )
