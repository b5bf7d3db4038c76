"""Translation memory: reuse reviewed translations from TMX files and PO files.

``bilingual translate --tm FILE.tmx|DIR`` consults memory before MT:

* **exact match** — same source after normalising whitespace and character
  width (NFKC on a matching key only: ``（`` and ``(``, ``２０２５`` and ``2025``
  compare equal) — is filled in *reviewed* (not fuzzy) when it comes from the
  same document, or from the same place (its context, the ``msgctxt`` id, is the
  segment's) of a document whose issuer is not another one (last year's edition:
  the place :mod:`bilingual.issuer` infers from the memory document's masthead,
  signatories, document number and title is this document's, or the memory does
  not say — a few units without a cover notice): a translator approved exactly
  this sentence here before, with this issuer's names. Any other exact match is
  filled in *fuzzy*: the same Chinese may need other English elsewhere (a
  measure's title is not a sentence of a notice; 市商务委 of a Tianjin notice is
  not Shanghai's), so a translator confirms it. A TMX from a CAT tool has no
  contexts: its exact matches come in fuzzy;
* **close match** — rapidfuzz ``ratio`` ≥ :data:`FUZZY_THRESHOLD` (85) — is
  filled in *fuzzy*, with the score and the memory's source in the comment,
  so the translator reviews the difference;
* anything else goes to MT.

85 is the customary lower bound of a useful fuzzy match in CAT tools (memoQ
and Trados default to 70–75 for display, and translators rarely accept below
85 without rewriting); on sentences of 30–100 Chinese characters it tolerates a
changed number or name but not a changed clause.

TMX from CAT tools: the text of a ``<seg>`` is read without its inline codes
(``<bpt>`` ``<ept>`` ``<ph>`` ``<it>`` ``<ut>`` hold the native markup of the
original file, ``<sub>`` a sub-flow of it; ``<hi>`` text is kept), so
``<bpt i="1">&lt;b&gt;</bpt>`` never reaches a msgstr. Language tags are matched
by their primary subtag, any case, ``-`` or ``_``: ``zh-CN``, ``zh-Hans``,
``zh_CN`` are Chinese, ``en-US``, ``en-GB`` English (plain ``en`` is preferred,
then the first English variant of the unit). The context of a unit is its
``<prop type="x-context">`` (as Translate Toolkit's po2tmx and ``bilingual build
--format tmx`` write it), else its ``tuid``; its document the unit's or the
header's ``<prop type="x-bilingual-document">``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BilingualError
from .fileio import read_bytes

FUZZY_THRESHOLD = 85.0
_SPACE = re.compile(r"\s+")
INLINE_CODES = ("bpt", "ept", "ph", "it", "ut", "sub")  # their text is native markup, not translation
DOCUMENT_PROP = "x-bilingual-document"
CONTEXT_PROP = "x-context"


def normalise(text: str) -> str:
    """Matching key: NFKC (width), no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class MemoryEntry:
    """One reviewed pair, with where it was reviewed (context and document, when known)."""

    source: str
    target: str
    origin: str  # the memory file's name
    context: str = ""
    document: str = ""


@dataclass(frozen=True)
class MemoryHit:
    text: str
    fuzzy: bool
    comments: list[str] = field(default_factory=list)
    score: float = 100.0


class TranslationMemory:
    """Source → reviewed English pairs, with exact and fuzzy lookup."""

    def __init__(self, pairs: Iterable[MemoryEntry | tuple[str, str, str]]):
        self._exact: dict[str, list[MemoryEntry]] = {}
        documents: dict[tuple[str, str], list[MemoryEntry]] = {}
        for pair in pairs:
            entry = pair if isinstance(pair, MemoryEntry) else MemoryEntry(*pair)
            documents.setdefault((entry.origin, entry.document), []).append(entry)
            if entry.source.strip() and entry.target.strip():
                self._exact.setdefault(normalise(entry.source), []).append(entry)
        self._keys = list(self._exact)
        self._places = {key: _issuer_place(entries) for key, entries in documents.items()}

    def __len__(self) -> int:
        return len(self._exact)

    def digest(self) -> str:
        """A hash of every pair and where it comes from (the run state keys documents on it)."""
        import hashlib

        digest = hashlib.sha256()
        for entries in self._exact.values():
            for e in entries:
                digest.update("\x1f".join((e.source, e.target, e.origin, e.context, e.document)).encode() + b"\x1e")
        return digest.hexdigest()

    @classmethod
    def load(cls, paths: Iterable[str | Path]) -> TranslationMemory:
        """The pairs of every file named and every TMX/PO file in every folder named.

        A file named that cannot give zh→en pairs (a PO file in another language, a TMX
        without a Chinese–English unit) is an error; in a folder it is passed over, as are
        FIFOs and folders with a memory's suffix: a project keeps its ``doc.ja.po`` beside
        its ``doc.en.po``, and ``--tm translations/doc/`` means the English."""
        pairs: list[MemoryEntry] = []
        for path in map(Path, paths):
            if path.is_dir():
                for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in (".tmx", ".po") and p.is_file()):
                    pairs += _read_memory_file(file, named=False)
            else:
                pairs += _read_memory_file(path, named=True)
        return cls(pairs)

    def place_of(self, entry: MemoryEntry) -> str | None:
        """The issuer's place inferred for the memory document ``entry`` belongs to (None: unsure)."""
        return self._places.get((entry.origin, entry.document))

    def lookup(self, source: str, context: str = "", document: str = "", place: str | None = None,
               ) -> MemoryHit | None:
        """The memory's English for ``source`` at ``context`` (msgctxt) of ``document``, whose
        issuer's place (:mod:`bilingual.issuer`) is ``place``."""
        key = normalise(source)
        exact = self._exact.get(key)
        if exact is not None:
            here = [e for e in exact if (document and e.document == document)
                    or (context and e.context == context and self.place_of(e) in (None, place))]
            if here:
                return _hit(source, here[0], False, "exact match")
            entry = next((e for e in exact if context and e.context == context), exact[0])
            where = " ".join(x for x in (entry.document, entry.context) if x) or "no context"
            if context and entry.context == context:
                where += f", issuer {_place_label(self.place_of(entry))}, not {_place_label(place)}"
            return _hit(source, entry, True, f"exact match from another place: {where}")
        if not self._keys:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        if best is None:
            return None
        entry = self._exact[best[0]][0]
        score = round(best[1], 1)
        hit = _hit(source, entry, True, f"fuzzy match {score}%")
        return MemoryHit(hit.text, True, [*hit.comments, f"memory source: {entry.source}"], score)


def _hit(source: str, entry: MemoryEntry, fuzzy: bool, how: str) -> MemoryHit:
    """``entry``'s English as the msgstr of ``source``: without the whitespace around it (a TMX
    ``<seg>`` written on lines of its own, a PO msgstr ending in ``\n`` for a msgid that does:
    msgfmt rejects an entry whose msgid and msgstr do not both end, or begin, with a newline), and
    never taken as reviewed while it holds a character no reader sees (a control, a bidi override,
    a zero-width space: ``check``'s ``control`` finding), which the comment names."""
    from .checktext import control_characters

    text = entry.target.strip()
    unseen = control_characters(source, text)
    if unseen:
        how += f"; holds invisible characters {', '.join(unseen)}: not taken as reviewed"
    return MemoryHit(text, fuzzy or bool(unseen), [f"origin: translation memory {entry.origin} ({how})"])


def _issuer_place(entries: list[MemoryEntry]) -> str | None:
    """The issuer's place of one memory document, from its cover-notice units (their contexts)."""
    from types import SimpleNamespace

    from .issuer import infer_catalog

    units = [SimpleNamespace(msgctxt=e.context, msgid=e.source) for e in entries if e.context.startswith("notice.")
             or e.context == "attachment.title"]
    return infer_catalog(units).place if units else None


def _place_label(place: str | None) -> str:
    from .issuer import Inference

    return Inference(place).label


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def seg_text(seg) -> str:
    """The translatable text of a TMX ``<seg>``: its text and ``<hi>`` text, without inline codes."""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) not in INLINE_CODES:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _language(tag: str) -> str:
    """``zh-CN``, ``zh_Hans``, ``ZH`` → ``zh``; ``en-GB`` → ``en``."""
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]


def _props(element) -> dict[str, str]:
    return {p.get("type", ""): (p.text or "").strip() for p in element if _local(p.tag) == "prop"}


def _read_memory_file(path: Path, *, named: bool) -> list[MemoryEntry]:
    """The pairs of one TMX or PO file (by its suffix); ``named``: the user gave this file."""
    return read_tmx(path, named=named) if path.suffix.lower() == ".tmx" else read_po(path, named=named)


def read_tmx(path: Path, *, named: bool = True) -> list[MemoryEntry]:
    """zh→en pairs of a TMX file (1.4 and 1.1: tu/tuv/seg, ``xml:lang`` or ``lang``).

    A file with units but not one Chinese–English unit (a zh→ja or en→fr memory) is an error
    when ``named`` (the user gave this file), and no pairs in a folder."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(read_bytes(path))  # bounded by --max-size
    except (ET.ParseError, OSError) as exc:
        raise BilingualError(f"not a readable TMX file ({exc})", path) from None
    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    header = next((e for e in root if _local(e.tag) == "header"), None)
    file_document = _props(header).get(DOCUMENT_PROP, "") if header is not None else ""
    origin = _origin(path, header)
    pairs = []
    languages: set[str] = set()
    for tu in root.iter("tu"):
        zh: str | None = None
        en: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            tag = tuv.get(lang_attr) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is None:
                continue
            text = " ".join(seg_text(seg).split()) if len(seg) else seg_text(seg)
            language = _language(tag)
            languages.add(language or "?")
            if language == "zh" and zh is None:
                zh = text
            elif language == "en":
                en.setdefault(tag.strip().lower().replace("_", "-"), text)
        if zh is not None and en:
            props = _props(tu)
            english = en.get("en", next(iter(en.values())))
            pairs.append(MemoryEntry(zh, english, origin, props.get(CONTEXT_PROP) or tu.get("tuid", ""),
                                     props.get(DOCUMENT_PROP, file_document)))
    if named and languages and not pairs:
        raise BilingualError(f"holds no Chinese–English unit (its languages: {', '.join(sorted(languages))}); "
                             "a zh→en memory is needed", path)
    return pairs


def _origin(path: Path, header) -> str:
    """The memory file's name, and where its translations come from when it says so
    (``bilingual align`` writes ``x-bilingual-origin``: "official translation FILE")."""
    if header is not None:
        for prop in header.iter("prop"):
            if prop.get("type") == "x-bilingual-origin" and (prop.text or "").strip():
                return f"{path.name}, {prop.text.strip()}"
    return path.name


def read_po(path: Path, *, named: bool = True) -> list[MemoryEntry]:
    """Reviewed (translated, not fuzzy, not obsolete) pairs of a PO file, with their msgctxt.

    Read as ``msgfmt`` reads it (:mod:`bilingual.po.syntax`): polib given a PO file's text cuts
    it with ``str.splitlines``, so a msgstr holding U+2028 or U+0085 was "a syntax error".
    A file whose ``Language`` header names another language than English (``doc.ja.po``) holds
    no English: an error when ``named``, no pairs in a folder — its reviewed Japanese would
    otherwise be filled in, reviewed, as this document's English."""
    from .po.catalog import parse_text

    try:
        catalog = parse_text(read_bytes(path).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise BilingualError(f"not a valid PO file ({exc})", path) from None
    language = catalog.metadata.get("Language", "").strip()
    if language and _language(language) != "en":
        if not named:
            return []
        raise BilingualError(f"is a PO file in {language!r} (its Language header), not English: no zh→en memory",
                             path)
    document = catalog.metadata.get("X-Bilingual-Document", "").strip()
    origin = catalog.metadata.get("X-Bilingual-Origin", "").strip()
    origin = f"{path.name}, {origin}" if origin else path.name
    return [MemoryEntry(e.msgid, e.msgstr, origin, e.msgctxt or "", document) for e in catalog
            if e.msgstr and "fuzzy" not in e.flags and not e.obsolete]
