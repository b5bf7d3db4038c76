"""The glossary a document is translated and checked with, chosen from its issuer.

Glossary files are **global** (``general.csv``, ``national-organisations.csv``,
``customs-districts.csv``, ``provinces-and-cities.csv``, ``places.csv``,
``trade-regimes.csv`` …: names that mean the same body wherever they appear) or
**place files**, named after a :data:`bilingual.issuer.PLACES` key
(``shanghai-organisations.csv``, ``shanghai-port-2025.csv``): the short forms a
place's documents use for its own bodies (市商务委, 市政府, 机场集团).

For a document whose issuer is inferred (:mod:`bilingual.issuer`) as place P:

1. every row of the global files;
2. every row of P's own files;
3. from other places' files, only rows that name their place (上海海关,
   国家税务总局上海市税务局: unambiguous anywhere), never their short forms;
4. the branches of bodies present everywhere (中国出口信用保险公司广东分公司: :data:`BRANCHED`),
   derived for every place, since they name theirs;
5. short forms **derived** for P from its names in the selected rows, where P has
   no row of its own: the place name becomes 市/省 and the official short forms of
   :data:`ABBREVIATIONS` apply — 天津市商务局 → 市商务局, 天津市人民政府 → 市人民政府
   and 市政府, 浙江省发展和改革委员会 → 省发展改革委, 浙江省财政厅 → 省财政厅 and
   财政厅 (a provincial list writes 省 once), 中共天津市委员会 → 市委 — each an
   abbreviation of its full form, so it renders the full English. Names written with
   the place everywhere (天津海关, 天津港集团) get no short form.

A national document gets 1, 3 and 4; a document whose issuer is unsure gets 1, 3 and 4
as well, so no city's short form is guessed: 市政府 stays unmatched, and the entry
is left to review with a comment. A ``[[document]]``'s ``glossary_files`` in
bilingual.toml still wins over all this (:func:`bilingual.glossary.load_scoped`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .glossary import Glossary, GlossaryTerm, term_key
from .issuer import BY_KEY, NATIONAL, PLACES, Inference

_CACHE: dict[tuple[str, str | None], Glossary] = {}


@functools.lru_cache(maxsize=1024)
def place_of_file(path: str) -> str | None:
    """The place key of a place file (``shanghai-organisations.csv`` → ``shanghai``), else None.

    Cached: it is asked for every term, of a few files."""
    stem = Path(path).stem
    for key in BY_KEY:
        if stem == key or stem.startswith(key + "-"):
            return key
    return None


#: Official short forms of parts of a body's name, applied cumulatively (发展和改革委员会 → 发展改革委).
ABBREVIATIONS = (
    ("发展和改革委员会", "发展改革委"), ("人民政府", "政府"), ("市场监督管理委员会", "市场监管委"),
    ("市场监督管理局", "市场监管局"), ("委员会", "委"), ("人力资源和社会保障", "人力资源社会保障"),
    ("住房和城乡建设", "住房城乡建设"), ("经济和信息化", "经济信息化"), ("出入境边防检查总站", "边检总站"),
)


def _shortened(rest: str) -> list[str]:
    out = [rest]
    for long, short in ABBREVIATIONS:
        out += [s.replace(long, short, 1) for s in out if long in s]
    return list(dict.fromkeys(out))


def _derived(zh: str, place) -> list[str]:
    """Short forms of a place's body as its own documents write them (天津市商务局 → 市商务局)."""
    name = place.zh + place.suffix
    level = {"市": "市", "省": "省"}.get(place.suffix, "区")
    if zh.startswith("中共" + name):  # 中共天津市委员会 → 市委; 中共浙江省委办公厅 → 省委办公厅
        rest = zh[len("中共" + name):]
        return [level + s for s in _shortened(rest) if s.startswith("委")]
    if not zh.startswith(name) or len(zh) < len(name) + 2:
        return []  # 天津海关, 天津港集团: written with the place name everywhere
    rest = zh[len(name):]
    out: list[str] = []
    for short in _shortened(rest):
        out.append(level + short)
        if level == "省" and short.endswith("厅"):  # (省商务厅，省发展改革委、财政厅、交通运输厅…)
            out.append(short)
    return out


#: Bodies with a branch in every province and port city, named ``<body><place>分公司``; the English
#: is the body's own plus "<Place> Branch" (中国出口信用保险公司广东分公司 → China Export & Credit
#: Insurance Corporation Guangdong Branch), as the body's branches write themselves in English.
BRANCHED = ("中国出口信用保险公司",)


def _branch_terms(glossary: Glossary, have: set[str]) -> list[GlossaryTerm]:
    """The branches of :data:`BRANCHED` bodies in every place (they name their place: global)."""
    out = []
    for parent_zh in BRANCHED:
        parent = glossary.lookup(parent_zh)
        if parent is None:
            continue
        for info in PLACES:
            for written in (info.zh, info.zh + info.suffix):  # 广东分公司, 宁波市分公司
                zh = f"{parent_zh}{written}分公司"
                if term_key(zh) in have:
                    continue
                have.add(term_key(zh))
                out.append(GlossaryTerm(
                    zh=zh, en=f"{glossary.english(parent)} {info.en} Branch", kind="organisation", file=parent.file,
                    line=parent.line, note=f"{info.en} branch of {parent_zh} (derived).", source=parent.source))
    return out


def scoped_glossary(glossary: Glossary, place: str | None) -> Glossary:
    """The glossary for a document of ``place`` (a PLACES key, ``national`` or None)."""
    cache_key = (glossary.version, place)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    chosen = []
    for term in glossary.terms:
        owner = place_of_file(term.file)
        if owner is None or owner == place or BY_KEY[owner].zh in term_key(term.zh):
            chosen.append(term)
    have = {term_key(t.zh) for t in chosen}
    chosen += _branch_terms(glossary, have)
    if place is not None and place != NATIONAL:
        info = BY_KEY[place]
        for term in list(chosen):
            if term.kind != "organisation":
                continue
            full = term.abbreviation_of or term.zh
            for short in _derived(term.zh, info):
                if term_key(short) in have:
                    continue
                have.add(term_key(short))
                chosen.append(GlossaryTerm(
                    zh=short, en=term.en, kind=term.kind, abbreviation_of=full, file=term.file,
                    line=term.line, note=f"Short form of {full} in {info.en} documents (derived).",
                    source=term.source))
    version = hashlib.sha256(f"{glossary.version}\0{place}".encode()).hexdigest()[:12]
    scoped = Glossary(chosen, version=version, directory=glossary.directory)
    scoped.layers, scoped.layered, scoped.overrides = glossary.layers, glossary.layered, glossary.overrides
    _CACHE[cache_key] = scoped
    return scoped


def glossary_for(glossary: Glossary, inference: Inference) -> Glossary:
    return scoped_glossary(glossary, inference.place)


def document_glossary(glossary: Glossary | None, document) -> tuple[Glossary | None, Inference | None]:
    """The glossary every command uses for a structured ``document`` (``translate``, ``extract``,
    ``align``, ``glossary coverage``): the scope of its inferred issuer, with the inference.

    One function, so a Ningbo document gets Ningbo's short forms in its PO file, its template,
    its alignment report and its coverage report alike — never Shanghai's in one of them.
    """
    if glossary is None:
        return None, None
    from .issuer import infer_document

    inference = infer_document(document)
    return scoped_glossary(glossary, inference.place), inference
