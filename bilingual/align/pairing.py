"""Structure first, then sentences: pair the parts of the two versions, then the sentences of each part.

1. **Names** (:mod:`.names`): the Chinese masthead pairs with the English list
   at the top and the Chinese signatures with the list at the end when the
   English has both; a Chinese list whose place is empty on the English side
   pairs with the English list that exists (official English often lists the
   issuing bodies at the top where the Chinese signs at the end). The names
   learnt here (上海海关 → "Shanghai Customs District") become anchors for the
   sentences.
2. **Fields** — document number, title, addressee, date, disclosure, masthead
   word, attachment label and title — pair by key, each checked by its anchors
   (a document number or date whose numbers disagree is left out).
3. **Units** — the notice body, the preamble, each section, measure, article
   and paragraph, with the items and paragraphs under a measure — are paired
   by a dynamic programme over the two unit sequences: same family only
   (a measure with a measure), equal keys preferred (measure 15 with (15)),
   lengths and anchors of the whole units deciding, so that a measure the
   translation dropped shifts nothing.
4. **Sentences** inside each pair of units (:mod:`.lengths`); the lead-agency
   lists of paired units pair as a whole, and their names one by one.

What is not paired — or paired without confidence — is listed as left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .. import model
from ..glossary import Glossary, term_key
from ..model import Document, Segment
from ..structure import ATTACHMENT_LABEL, CHAPTER_TITLE
from . import lengths
from .anchors import Anchors, english_forms
from .enstructure import EnDocument
from .names import NamePair, pair_names, split_names
from .sentences import split_sentences

FIELD_KINDS = (model.MASTHEAD, model.DOC_NUMBER, model.TITLE, model.ADDRESSEE, model.DATE, model.DISCLOSURE,
               ATTACHMENT_LABEL, model.ATTACHMENT_TITLE)
_ETC_RE = re.compile(r"等(?:部门|单位)?$")  # 海关总署等 (按职责分工负责): "… and other departments"
UNIT_SKIP = 6.0  # cost of leaving a unit unpaired
UNIT_BAND = 10  # units considered for pairing: within this many (+15%) of the diagonal
KEY_BONUS = 2.0


@dataclass(frozen=True)
class AlignedPair:
    """One translation unit of the memory: Chinese segment(s) and the official English."""

    ctx: str  # the Chinese segment id(s): measure-2.s2+s3 for a 2–1 bead
    zh: str
    en: str
    kind: str  # name | field | sentence | agencies
    bead: str  # 1-1, 1-2, 2-1
    zh_line: int
    en_line: int
    how: str = ""  # names: glossary | order; sentences: the bead's cost


@dataclass(frozen=True)
class LeftOut:
    side: str  # zh | en
    ctx: str
    text: str
    reason: str


@dataclass
class Alignment:
    zh_source: str
    en_source: str
    pairs: list[AlignedPair] = field(default_factory=list)
    names: list[NamePair] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ratio: float = 0.0
    glossary: Glossary | None = None  # the glossary the pair was aligned with (the document's issuer scope)
    issuer: str = ""  # why that scope: the issuer inferred (issuer.py)
    mismatch: str = ""  # why the English is another document's (its document number), else ""


@dataclass
class _Unit:
    key: str
    family: str
    sentences: list[str]
    ctxs: list[str]  # zh: segment ids; en: "" each
    lines: list[int]
    agencies: tuple[str, str, int] | None = None  # (key, text, line)
    agency_names: str = ""  # en: bare names

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _family(key: str) -> str:
    head = key.split(".")[0]
    return re.sub(r"-\d+$", "", head)


def unit_key(key: str, measure: int | None = None, section: int | None = None) -> str:
    """The unit a block belongs to: items and paragraphs fold into their measure (or the section whose
    heading they follow), ``.title`` into its section."""
    key = key.split(".item-")[0]
    if key.startswith("paragraph-") and measure:
        return f"measure-{measure}"
    if key.startswith("paragraph-") and section:
        return f"section-{section}"
    for suffix in (".title", ".agencies", ".partners", ".deadline"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def _zh_units(document: Document, segments: list[Segment]) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    agency_blocks = {b.key: b for b in document.blocks if b.kind == model.AGENCIES}
    for seg in segments:
        if seg.kind in FIELD_KINDS or seg.kind in (model.ISSUER, model.SIGNATORY, model.AGENCIES):
            continue
        if seg.kind not in (model.BODY, model.PREAMBLE, model.MEASURE, model.PARAGRAPH, model.SECTION_TITLE,
                            CHAPTER_TITLE):
            continue
        block_key = re.sub(r"\.s\d+$", "", seg.ctx)
        key = unit_key(block_key, seg.measure, seg.section)
        unit = units.setdefault(key, _Unit(key, _family(key), [], [], []))
        unit.sentences.append(seg.source.strip())
        unit.ctxs.append(seg.ctx)
        unit.lines.append(seg.line)
    for key, unit in units.items():
        block = agency_blocks.get(f"{key}.agencies")
        if block is not None:
            unit.agencies = (block.key, block.text, block.line)
    return list(units.values())


def _en_units(document: EnDocument) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for block in document.blocks:
        if block.kind in FIELD_KINDS or block.kind in (model.ISSUER, model.SIGNATORY, "note"):
            continue
        key = unit_key(block.key)
        unit = units.setdefault(key, _Unit(key, _family(key), [], [], []))
        if block.kind == model.AGENCIES:
            unit.agencies = (block.key, block.text, block.line)
            unit.agency_names = block.names
            continue
        parts = [block.text] if block.kind in (model.SECTION_TITLE, CHAPTER_TITLE) else split_sentences(block.text)
        for sentence in parts:
            unit.sentences.append(sentence)
            unit.ctxs.append("")
            unit.lines.append(block.line)
    return [u for u in units.values() if u.sentences or u.agencies]


def match_levels(zh: list[_Unit], en: list[_Unit]) -> None:
    """Official English may number a level differently: GACC announcements print 一、 as ``1.``.

    When the Chinese has sections and no measures and the English measures and no
    sections, the English measures are the sections (keys renamed to match).
    """
    zh_families = {u.family for u in zh}
    en_families = {u.family for u in en}
    if "section" in zh_families and "measure" not in zh_families and "measure" in en_families \
            and "section" not in en_families:
        for unit in en:
            if unit.family == "measure":
                unit.family = "section"
                unit.key = "section" + unit.key[len("measure"):]

def _unit_cost(zu: _Unit, eu: _Unit, model_: lengths.LengthModel, anchors: Anchors) -> float:
    if zu.family != eu.family:
        return math.inf
    zl, el = lengths.text_length(zu.text), lengths.text_length(eu.text)
    delta = model_.delta(zl, el) / 2.0  # whole units: translators add and drop clauses
    score, _ = anchors("".join(zu.sentences), eu.text)
    cost = -math.log(max(math.erfc(abs(delta) / math.sqrt(2.0)), 1e-12)) - 0.3 * score
    return cost - (KEY_BONUS if zu.key == eu.key else 0.0)


def pair_units(zh: list[_Unit], en: list[_Unit], model_: lengths.LengthModel, anchors: Anchors
               ) -> list[tuple[_Unit | None, _Unit | None]]:
    n, m = len(zh), len(en)
    band = UNIT_BAND + 0.15 * max(n, m)  # pairs far off the diagonal are not considered (skips still are)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            steps = [(1, 0, UNIT_SKIP), (0, 1, UNIT_SKIP)]
            if i < n and j < m and abs(j - i * m / max(n, 1)) <= band:
                steps.append((1, 1, _unit_cost(zh[i], en[j], model_, anchors)))
            for a, b, c in steps:
                if i + a <= n and j + b <= m and cost[i][j] + c < cost[i + a][j + b]:
                    cost[i + a][j + b] = cost[i][j] + c
                    back[i + a][j + b] = (a, b)
    out: list[tuple[_Unit | None, _Unit | None]] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]
        out.append((zh[i - 1] if a else None, en[j - 1] if b else None))
        i, j = i - a, j - b
    return out[::-1]


def _doubt(bead: lengths.Bead) -> str:
    """Why a bead is not kept, for ``--show left-out``."""
    if bead.conflict:
        return f"not confident ({bead.kind}: numbers disagree)"
    if bead.margin < lengths.MIN_MARGIN:
        return f"ambiguous ({bead.kind}, or 1-1 with a sentence the other side lacks)"
    return f"not confident ({bead.kind}: length {bead.delta:+.1f} standard deviations off)"


class Aligner:
    """Aligns one Chinese document with its official English version."""

    def __init__(self, document: Document, segments: list[Segment], english: EnDocument, glossary: Glossary | None):
        self.document = document
        self.segments = segments
        self.english = english
        self.glossary = glossary
        self.learned: dict[str, set[str]] = {}
        self.anchors = Anchors(glossary, self.learned)
        self.result = Alignment(zh_source=document.source, en_source=english.source)
        self.paired_zh: set[str] = set()
        self.paired_en: set[tuple[int, str]] = set()

    def forms(self, zh_name: str) -> list[str]:
        if self.glossary is None:
            return []
        term = self.glossary.lookup(zh_name)
        if term is None:
            # a name with a role suffix or an unknown short form: the longest glossary term inside it
            matches = self.glossary.match(zh_name)
            if len(matches) == 1 and matches[0].term.kind == "organisation":
                term = matches[0].term
        return list(english_forms(self.glossary, term)) if term is not None else []

    # ------------------------------------------------------------------ names

    def names(self) -> None:
        zh_top = [(b.key, b.text) for b in self.document.blocks if b.kind == model.ISSUER]
        zh_end = [(b.key, b.text) for b in self.document.blocks if b.kind == model.SIGNATORY]
        en_top = [(b.key, b.text) for b in self.english.blocks if b.kind == model.ISSUER]
        en_end = [(b.key, b.text) for b in self.english.blocks if b.kind == model.SIGNATORY]
        for zh_list, same, other in ((zh_top, en_top, en_end), (zh_end, en_end, en_top)):
            target = same or other
            if zh_list and target:
                self._name_pairs(zh_list, target, "name")

    def _name_pairs(self, zh_list, en_list, kind: str) -> list[NamePair]:
        found = pair_names(zh_list, en_list, [self.forms(name) for _, name in zh_list])
        for pair in found:
            self.result.names.append(pair)
            self._learn(pair)
            if kind == "name":
                line = self._zh_line(pair.zh_key)
                self._add(AlignedPair(pair.zh_key, pair.zh, pair.en, "name", "1-1", line,
                                      self._en_line(pair.en_key), pair.how), en_key=(self._en_line(pair.en_key),
                                                                                     pair.en))
        return found

    def _learn(self, pair: NamePair) -> None:
        if self.glossary is None:
            return
        term = self.glossary.lookup(pair.zh)
        keys = {term_key(pair.zh)}
        if term is not None:
            keys.add(term_key(self.glossary.full_form(term).zh))
        for key in keys:
            self.learned.setdefault(key, set()).add(pair.en)

    # ------------------------------------------------------------------ fields

    def fields(self) -> None:
        en_by_key = {b.key: b for b in self.english.blocks if b.kind in FIELD_KINDS}
        for seg in self.segments:
            if seg.kind not in FIELD_KINDS:
                continue
            block = en_by_key.get(seg.ctx)
            if block is None:
                continue
            score, conflict = self.anchors(seg.source, block.text)
            numbers_needed = seg.kind in (model.DOC_NUMBER, model.DATE)
            if conflict or (numbers_needed and score <= 0):
                self._leave("zh", seg.ctx, seg.source, "its English disagrees on numbers")
                if seg.kind == model.DOC_NUMBER:
                    self.result.mismatch = f"its document number {block.text!r} is not {seg.source.strip()}"
                continue
            self._add(AlignedPair(seg.ctx, seg.source.strip(), block.text, "field", "1-1", seg.line, block.line),
                      en_key=(block.line, block.text))

    # ------------------------------------------------------------------ units and sentences

    def units(self) -> None:
        zh_units = _zh_units(self.document, self.segments)
        en_units = _en_units(self.english)
        match_levels(zh_units, en_units)
        zh_total = sum(lengths.text_length(u.text) for u in zh_units)
        en_total = sum(lengths.text_length(u.text) for u in en_units)
        model_ = lengths.LengthModel.fit(zh_total, en_total)
        self.result.ratio = model_.ratio
        for zu, eu in pair_units(zh_units, en_units, model_, self.anchors):
            if zu is None or eu is None:
                continue
            self._sentences(zu, eu, model_)
            self._agencies(zu, eu)

    def _sentences(self, zu: _Unit, eu: _Unit, model_: lengths.LengthModel) -> None:
        for bead in lengths.align(zu.sentences, eu.sentences, model_, self.anchors):
            if not lengths.confident(bead):
                if bead.a and bead.b:
                    for k in range(bead.i, bead.i + bead.a):
                        self._leave("zh", zu.ctxs[k], zu.sentences[k], _doubt(bead))
                continue
            ctxs = zu.ctxs[bead.i:bead.i + bead.a]
            ctx = ctxs[0] if len(ctxs) == 1 else f"{ctxs[0]}+{ctxs[-1].rsplit('.', 1)[-1]}"
            zh = "".join(zu.sentences[bead.i:bead.i + bead.a])
            en = " ".join(eu.sentences[bead.j:bead.j + bead.b])
            self._add(AlignedPair(ctx, zh, en, "sentence", bead.kind, zu.lines[bead.i], eu.lines[bead.j],
                                  f"{bead.cost:.2f}"), zh_ctxs=ctxs,
                      en_key=[(eu.lines[k], eu.sentences[k]) for k in range(bead.j, bead.j + bead.b)])

    def _agencies(self, zu: _Unit, eu: _Unit) -> None:
        if zu.agencies is None or eu.agencies is None:
            return
        zh_key, zh_text, zh_line = zu.agencies
        en_key, en_text, en_line = eu.agencies
        block = next((b for b in self.document.blocks if b.key == zh_key), None)
        zh_names = list(block.agencies) if block is not None and block.agencies else [zh_text.strip("（）()")]
        zh_names = [_ETC_RE.sub("", name) or name for name in zh_names]
        forms = [self.forms(name) for name in zh_names]
        en_names = split_names(eu.agency_names or en_text.strip("()."), len(zh_names), forms)
        found = pair_names([(zh_key, n) for n in zh_names], [(en_key, n) for n in en_names], forms)
        self.result.names.extend(found)
        if len(found) == len(zh_names) == len(en_names):
            self._add(AlignedPair(zh_key, zh_text.strip(), en_text.strip(), "agencies", "1-1", zh_line, en_line),
                      en_key=(en_line, en_text))
        else:
            self._leave("zh", zh_key, zh_text, f"{len(found)} of {len(zh_names)} names paired")

    # ------------------------------------------------------------------ bookkeeping

    def _zh_line(self, key: str) -> int:
        return next((b.line for b in self.document.blocks if b.key == key), 0)

    def _en_line(self, key: str) -> int:
        return next((b.line for b in self.english.blocks if b.key == key), 0)

    def _add(self, pair: AlignedPair, *, zh_ctxs=None, en_key=None) -> None:
        self.result.pairs.append(pair)
        for ctx in zh_ctxs or [pair.ctx]:
            self.paired_zh.add(ctx)
        for key in en_key if isinstance(en_key, list) else [en_key]:
            if key is not None:
                self.paired_en.add(key)

    def _leave(self, side: str, ctx: str, text: str, reason: str) -> None:
        self.result.left_out.append(LeftOut(side, ctx, text.strip(), reason))

    def run(self) -> Alignment:
        self.names()
        self.fields()
        self.units()
        reported = {item.ctx for item in self.result.left_out if item.side == "zh"}
        for seg in self.segments:
            if seg.ctx not in self.paired_zh and seg.ctx not in reported:
                self._leave("zh", seg.ctx, seg.source, "no English counterpart")
        for block in self.english.blocks:
            if block.kind == "note":
                self._leave("en", block.key, block.text, "translator's or page note")
                continue
            texts = [block.text] if block.kind != model.MEASURE and block.kind not in (
                model.BODY, model.PREAMBLE, model.PARAGRAPH) else split_sentences(block.text)
            for text in texts:
                if (block.line, text) not in self.paired_en:
                    self._leave("en", block.key, text, "not aligned")
        order = {seg.ctx: k for k, seg in enumerate(self.segments)}
        self.result.pairs.sort(key=lambda p: (order.get(p.ctx.split("+")[0], len(order)), p.ctx))
        return self.result


def align_documents(document: Document, segments: list[Segment], english: EnDocument,
                    glossary: Glossary | None) -> Alignment:
    return Aligner(document, segments, english, glossary).run()
