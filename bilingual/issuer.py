"""Which city or province issued a document: decides what 市政府 or 市商务委 mean.

Short forms name the issuer's own bodies: 市商务委 is Shanghai's commission in a
Shanghai notice and 市政府 is Tianjin's government in a Tianjin one. The glossary
scope of a document (:mod:`bilingual.scope`) therefore follows its issuer, inferred
from three kinds of signal, strongest first:

* **issuers and signatories** (the masthead 上海市商务委员会 / 天津海关, the signature
  lines): each that names a place (天津市…, 宁波海关, 国家税务总局上海市税务局) counts 2;
* **the document-number prefix** (沪商自贸〔2025〕181号 → 沪 → Shanghai; 津, 甬, 粤,
  浙, 京…) counts 2, split between the places that share an abbreviation
  (青: Qingdao or Qinghai; 宁: Nanjing or Ningxia; 苏: Jiangsu or Suzhou);
* **the title**: a body before 关于 (天津市商务局关于…) counts as an issuer; after it,
  each place named (…上海口岸…) counts 1.

The place with the highest score wins when it has at least 2 points and at least
twice the runner-up's; bodies of the central government (国务院, 海关总署, 国办发…)
make a document ``national`` when no place is named at all. Anything else is
*unsure*: the document gets no city's short forms, and they are left to review with
a comment — never guessed as Shanghai.

Signals come from a structured :class:`~bilingual.model.Document` (``translate``) or
from a PO catalogue's ``notice.issuer-N`` / ``notice.signatory-N`` /
``notice.doc-number`` / ``notice.title`` entries (``check`` and ``build``), so every
command reaches the same decision for the same document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import model
from .zhnorm import to_simplified


@dataclass(frozen=True)
class Place:
    key: str  # file-name prefix of its glossary files: shanghai-*.csv
    zh: str  # 天津 (without 市/省)
    suffix: str  # 市 | 省 | 自治区 …: 天津市, 浙江省
    en: str
    prefixes: tuple[str, ...] = ()  # document-number abbreviations
    parent: str = ""  # the province of a city


def _p(key, zh, suffix, en, prefixes=(), parent=""):
    return Place(key, zh, suffix, en, tuple(prefixes), parent)


#: Provincial-level divisions of the mainland and the port cities with their own issuers.
PLACES: tuple[Place, ...] = (
    _p("beijing", "北京", "市", "Beijing", "京"), _p("tianjin", "天津", "市", "Tianjin", "津"),
    _p("shanghai", "上海", "市", "Shanghai", "沪"), _p("chongqing", "重庆", "市", "Chongqing", "渝"),
    _p("hebei", "河北", "省", "Hebei", "冀"), _p("shanxi", "山西", "省", "Shanxi", "晋"),
    _p("inner-mongolia", "内蒙古", "自治区", "Inner Mongolia", "蒙"), _p("liaoning", "辽宁", "省", "Liaoning", "辽"),
    _p("jilin", "吉林", "省", "Jilin", "吉"), _p("heilongjiang", "黑龙江", "省", "Heilongjiang", "黑"),
    _p("jiangsu", "江苏", "省", "Jiangsu", "苏"), _p("zhejiang", "浙江", "省", "Zhejiang", "浙"),
    _p("anhui", "安徽", "省", "Anhui", "皖"), _p("fujian", "福建", "省", "Fujian", "闽"),
    _p("jiangxi", "江西", "省", "Jiangxi", "赣"), _p("shandong", "山东", "省", "Shandong", "鲁"),
    _p("henan", "河南", "省", "Henan", "豫"), _p("hubei", "湖北", "省", "Hubei", "鄂"),
    _p("hunan", "湖南", "省", "Hunan", "湘"), _p("guangdong", "广东", "省", "Guangdong", "粤"),
    _p("guangxi", "广西", "壮族自治区", "Guangxi", "桂"), _p("hainan", "海南", "省", "Hainan", "琼"),
    _p("sichuan", "四川", "省", "Sichuan", "川"), _p("guizhou", "贵州", "省", "Guizhou", "黔"),
    _p("yunnan", "云南", "省", "Yunnan", "云"), _p("xizang", "西藏", "自治区", "Xizang", "藏"),
    _p("shaanxi", "陕西", "省", "Shaanxi", "陕"), _p("gansu", "甘肃", "省", "Gansu", "甘"),
    _p("qinghai", "青海", "省", "Qinghai", "青"), _p("ningxia", "宁夏", "回族自治区", "Ningxia", "宁"),
    _p("xinjiang", "新疆", "维吾尔自治区", "Xinjiang", "新"),
    # port cities and other cities that issue their own port and trade documents
    _p("dalian", "大连", "市", "Dalian", "大", "liaoning"), _p("yingkou", "营口", "市", "Yingkou", "营", "liaoning"),
    _p("qingdao", "青岛", "市", "Qingdao", "青", "shandong"), _p("yantai", "烟台", "市", "Yantai", "烟", "shandong"),
    _p("rizhao", "日照", "市", "Rizhao", "日", "shandong"),
    _p("lianyungang", "连云港", "市", "Lianyungang", "连", "jiangsu"),
    _p("nanjing", "南京", "市", "Nanjing", "宁", "jiangsu"), _p("suzhou", "苏州", "市", "Suzhou", "苏", "jiangsu"),
    _p("ningbo", "宁波", "市", "Ningbo", "甬", "zhejiang"), _p("hangzhou", "杭州", "市", "Hangzhou", "杭", "zhejiang"),
    _p("zhoushan", "舟山", "市", "Zhoushan", "舟", "zhejiang"),
    _p("xiamen", "厦门", "市", "Xiamen", "厦", "fujian"), _p("fuzhou", "福州", "市", "Fuzhou", "榕", "fujian"),
    _p("guangzhou", "广州", "市", "Guangzhou", "穗", "guangdong"),
    _p("shenzhen", "深圳", "市", "Shenzhen", "深", "guangdong"),
    _p("zhuhai", "珠海", "市", "Zhuhai", "珠", "guangdong"), _p("zhanjiang", "湛江", "市", "Zhanjiang", "湛", "guangdong"),
    _p("haikou", "海口", "市", "Haikou", "海", "hainan"), _p("qinzhou", "钦州", "市", "Qinzhou", "钦", "guangxi"),
    _p("datong", "大同", "市", "Datong", "同", "shanxi"),
)
BY_KEY = {p.key: p for p in PLACES}
NATIONAL = "national"
#: Document-number prefixes of central-government issuers (国办发, 署贸函, 商贸发, 发改外资, 财关税, 银发…).
NATIONAL_PREFIXES = ("国", "署", "商", "发改", "财", "工信", "银", "交", "税总", "科", "农", "人社", "市监")
#: Central bodies that sign trade documents (a name starting with one of these is national).
NATIONAL_NAMES = ("国务院", "中共中央", "中华人民共和国", "海关总署", "商务部", "国家", "财政部", "交通运输部",
                  "工业和信息化部", "中国人民银行", "中国民用航空局", "民航局", "生态环境部", "农业农村部", "科学技术部",
                  "公安部", "外交部")
#: Names whose place is not the place they seem to name (a region, not a city).
_NOT_PLACES = ("华东", "华北", "华南", "中南", "西南", "西北", "东北")

_BY_NAME = sorted(PLACES, key=lambda p: -len(p.zh))
_PREFIX_PLACES: dict[str, list[str]] = {}
for _place in PLACES:
    for _prefix in _place.prefixes:
        _PREFIX_PLACES.setdefault(_prefix, []).append(_place.key)
_DOC_PREFIX_RE = re.compile(r"^\s*([^\s〔［\[【(（\d]+)\s*[〔［\[【(（]\s*\d{4}")


@dataclass
class Inference:
    """The issuer's place (a :data:`PLACES` key, ``national``, or None when unsure) and why."""

    place: str | None
    scores: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.place is None:
            return "unsure"
        return "national" if self.place == NATIONAL else BY_KEY[self.place].en

    def describe(self) -> str:
        why = "; ".join(self.reasons) or "no issuer, document number or title names a place"
        return f"issuer: {self.label} ({why})"


def places_named(text: str) -> list[str]:
    """Place keys named in ``text``, left to right, longest first, without overlaps
    (上海口岸 names Shanghai, not 海口)."""
    text = to_simplified(re.sub(r"\s+", "", text))
    found: list[str] = []
    i = 0
    while i < len(text):
        for place in _BY_NAME:
            if text.startswith(place.zh, i):
                found.append(place.key)
                i += len(place.zh)
                break
        else:
            i += 1
    return found


def place_in_name(name: str) -> str | None:
    """The place a body's name names first (天津市商务局 → tianjin, 宁波海关 → ningbo), else None."""
    named = places_named(name)
    return named[0] if named else None


# A city's or province's own short form in running text: 市政府, 市商务委, 省商务厅, 市委 (after
# punctuation or a verb such as 经/由/会同, not inside 上海市商务委 or 城市管理局).
_SHORT_FORM_RE = re.compile(r"(?:(?<=[、，。；：:,（(\s经由和与及同请报向对将])|^)[市省]"
                            r"[\u4e00-\u9fff]{0,8}(?:委员会|委|局|厅|办公室|办|政府)")


def short_forms(text: str) -> list[str]:
    """The 市…/省… short forms of ``text`` (they name bodies of the issuer's own place)."""
    return list(dict.fromkeys(m.group() for m in _SHORT_FORM_RE.finditer(text)))


def is_national(name: str) -> bool:
    text = to_simplified(re.sub(r"\s+", "", name))
    return text.startswith(NATIONAL_NAMES) and place_in_name(text) is None


def places_of_prefix(doc_number: str) -> list[str]:
    """Places whose document-number abbreviation starts ``doc_number`` (沪商自贸〔2025〕181号 → [shanghai])."""
    match = _DOC_PREFIX_RE.match(doc_number)
    if not match:
        return []
    prefix = to_simplified(match.group(1))
    if prefix.startswith(NATIONAL_PREFIXES):
        return [NATIONAL]
    return list(_PREFIX_PLACES.get(prefix[:1], []))


def infer(names: Iterable[str], doc_number: str = "", titles: Iterable[str] = ()) -> Inference:
    """Decide the issuer's place from issuer/signatory names, the document number and the title."""
    scores: dict[str, float] = {}
    reasons: list[str] = []
    national = False
    for name in names:
        name = name.strip()
        if not name or any(region in name for region in _NOT_PLACES):
            continue
        key = place_in_name(name)
        if key is not None:
            scores[key] = scores.get(key, 0) + 2
            reasons.append(f"{name} → {BY_KEY[key].en}")
        elif is_national(name):
            national = True
            reasons.append(f"{name} → national")
    prefix_places = places_of_prefix(doc_number) if doc_number else []
    if prefix_places == [NATIONAL]:
        national = True
        reasons.append(f"document number {doc_number.strip()} → national")
    elif prefix_places:
        for key in prefix_places:
            scores[key] = scores.get(key, 0) + 2 / len(prefix_places)
        reasons.append(f"document number {doc_number.strip()} → "
                       + " or ".join(BY_KEY[k].en for k in prefix_places))
    for title in titles:
        issuer_part, sep, _ = to_simplified(re.sub(r"\s+", "", title)).partition("关于")
        if sep and issuer_part:  # 天津市商务局关于…: the title names its issuers
            for name in re.split(r"[、和与及]", issuer_part):
                key = place_in_name(name)
                if key is not None:
                    scores[key] = scores.get(key, 0) + 2
                    reasons.append(f"{name} (in the title) → {BY_KEY[key].en}")
            title = to_simplified(title)[to_simplified(title).find("关于"):]
        for key in dict.fromkeys(places_named(title)):
            scores[key] = scores.get(key, 0) + 1
            reasons.append(f"title names {BY_KEY[key].en}")
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked:
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        place = top if score >= 2 and score >= 2 * runner_up else None
        return Inference(place, scores, reasons)
    return Inference(NATIONAL if national else None, scores, reasons)


def infer_document(document: model.Document) -> Inference:
    """:func:`infer` on a structured document's issuers, signatories, number and title."""
    names = [b.text for b in document.blocks if b.kind in (model.ISSUER, model.SIGNATORY)]
    titles = [document.title] + [b.text for b in document.blocks if b.kind == model.ATTACHMENT_TITLE]
    return infer(names, document.doc_number, [t for t in titles if t])


def infer_catalog(catalog) -> Inference:
    """:func:`infer` on a PO catalogue's cover-notice entries (their ``msgid``, the Chinese)."""
    names, titles, number = [], [], ""
    for entry in catalog:
        ctx = entry.msgctxt or ""
        if getattr(entry, "obsolete", False):
            continue
        if ctx.startswith(("notice.issuer-", "notice.signatory-")):
            names.append(entry.msgid)
        elif ctx == "notice.doc-number":
            number = entry.msgid
        elif ctx in ("notice.title", "attachment.title"):
            titles.append(entry.msgid)
    return infer(names, number, titles)
