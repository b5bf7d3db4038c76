"""Realistic PO files for the check/build tests, in the PO contract's format.

The entries below are real segments of the shipped Shanghai notice
(``translations/shanghai-port-2025/source.zh.txt``, with its real line numbers)
and a plausible reviewed English translation. :func:`make_catalog` turns them
into a ``polib.POFile`` exactly as ``bilingual.po`` writes one (header, msgctxt
ids, ``#.`` comments, ``#:`` references, ``fuzzy`` flags), and lets a test mark
entries fuzzy (machine translation) or untranslated, replace a translation, or
add crafted entries.

Usage::

    from pofactory import E, make_catalog, write_po
    po = make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-19.s3"})
    path = write_po(tmp_path / "doc.en.po", po)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

DOC_ID = "shanghai-port-2025"
SOURCE_REF = "source.zh.txt"
MT_ORIGIN = "origin: machine translation (argos translate-zh_en-1.9)"


@dataclass(frozen=True)
class E:
    """One entry: ctx, zh source, reviewed English, source line, extra ``#.`` lines."""

    ctx: str
    zh: str
    en: str
    line: int
    comments: tuple[str, ...] = field(default=())


ISSUERS = [
    ("上海市商务委员会", "Shanghai Municipal Commission of Commerce"),
    ("上海海关", "Shanghai Customs"),
    ("上海市交通委员会", "Shanghai Municipal Commission of Transport"),
    ("中国民用航空华东地区管理局", "East China Regional Administration of the Civil Aviation Administration of China"),
    ("上海出入境边防检查总站", "Shanghai General Station of Immigration Inspection"),
    ("上海市海事局", "Shanghai Maritime Safety Administration"),
    ("上海市发展和改革委员会", "Shanghai Municipal Development and Reform Commission"),
    ("上海市市场监督管理局", "Shanghai Municipal Administration for Market Regulation"),
    ("上海市数据局", "Shanghai Municipal Data Bureau"),
    ("上海市药品监督管理局", "Shanghai Municipal Drug Administration"),
]

_S1 = "section 1: 优化监管模式，提升货物贸易便利化水平"
_S2 = "section 2: 优化物流网络，持续提升物流枢纽能级"
_S3 = "section 3: 加大政策支持，促进贸易新模式新业态发展"
_S4 = "section 4: 推进互联互通，强化智慧口岸贸易赋能"


def _measure(n: int, section: str, title: str) -> tuple[str, ...]:
    return (section, f"measure {n}: {title}")


def shanghai_entries() -> list[E]:
    """A realistic subset of the Shanghai document, in document order."""
    entries: list[E] = []
    for i, (zh, en) in enumerate(ISSUERS, start=1):
        entries.append(E(f"notice.issuer-{i}", zh, en, 2 + i, ("origin: glossary",)))
    entries += [
        E("notice.masthead", "文件", "Document", 14, ("origin: rule (masthead)",)),
        E("notice.doc-number", "沪商自贸〔2025〕181号", "Hu Shang Zi Mao [2025] No. 181", 16,
          ("origin: rule (document number)",)),
        E("notice.title",
          "上海市商务委等十部门和单位关于印发《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》的通知",
          'Notice of the Shanghai Municipal Commission of Commerce and Nine Other Departments and Units '
          'on Issuing the "Measures for the 2025 Special Action to Promote Cross-Border Trade Facilitation '
          'at Shanghai Ports"', 18),
        E("notice.addressee", "各相关单位：", "To all relevant units:", 22),
        E("notice.s1",
          "为深入贯彻党的二十大及二十届二中、三中全会精神，认真落实党中央、国务院和上海市委、市政府关于优化营商环境的决策部署，"
          "更大力度提升跨境贸易便利化水平，持续打造市场化、法治化、国际化一流口岸营商环境，根据海关总署 2025 年跨境贸易便利化"
          "专项行动部署，市商务委、上海海关等十部门和单位共同制定了《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》，"
          "经市政府同意，现印发给你们，请认真做好组织实施工作。",
          "To thoroughly implement the guiding principles of the 20th National Congress of the Communist Party "
          "of China, further raise the level of cross-border trade facilitation and keep building a first-class "
          "port business environment, and in line with the 2025 special action on cross-border trade "
          "facilitation deployed by the General Administration of Customs, the Shanghai Municipal Commission "
          'of Commerce, Shanghai Customs and eight other departments and units have jointly formulated the '
          '"Measures for the 2025 Special Action to Promote Cross-Border Trade Facilitation at Shanghai Ports", '
          "which, with the approval of the Municipal Government, are hereby issued to you; please organise "
          "their implementation conscientiously.", 24),
    ]
    for i, (zh, en) in enumerate(ISSUERS, start=1):
        entries.append(E(f"notice.signatory-{i}", zh, en, 27 + 2 * i, ("origin: glossary",)))
    entries += [
        E("notice.date", "2025年6月27日", "June 27, 2025", 49, ("origin: rule (date)",)),
        E("notice.disclosure", "(此件主动公开发布)", "(This document is released to the public.)", 51),
        E("attachment.title", "上海口岸 2025 年促进跨境贸易便利化 专项行动若干措施",
          "Measures for the 2025 Special Action to Promote Cross-Border Trade Facilitation at Shanghai Ports", 53),
        E("preamble.s1",
          "为深入贯彻党的二十大及二十届二中、三中全会精神，认真落实党中央、国务院及上海市委、市政府关于优化营商环境的决策部署，"
          "上海口岸定于即日起至 2025 年 8 月底开展本年度上海口岸促进跨境贸易便利化专项行动，持续推进国际贸易领域营商环境改革。",
          "To implement the decisions of the Party Central Committee, the State Council, the Shanghai Municipal "
          "Party Committee and the Municipal Government on optimising the business environment, Shanghai ports "
          "will carry out this year's special action to promote cross-border trade facilitation from now until "
          "the end of August 2025, continuing the reform of the business environment for international trade.", 55),
        E("preamble.s2", "现提出如下措施。", "The following measures are hereby put forward.", 55),
        E("section-1.title", "优化监管模式，提升货物贸易便利化水平",
          "Optimise regulatory models and raise the level of facilitation of trade in goods", 57, (_S1,)),
        E("measure-1.s1", "持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。",
          "Continue the pilot combining the functions of bonded warehouses and export supervision warehouses "
          "for oil storage tanks.", 59, _measure(1, _S1, "持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。")),
        E("measure-1.s2",
          "支持更多符合条件的供国际航行船舶保税油品储罐开展保税仓库和出口监管仓库功能叠加试点，降低企业仓储成本，"
          "助推上海口岸供国际航行船舶油品加注业务量提升。",
          "Support more eligible bonded oil storage tanks supplying ships on international voyages in joining "
          "the pilot, lowering storage costs for enterprises and boosting bunkering volumes at Shanghai ports.",
          59, _measure(1, _S1, "持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。")),
        E("measure-1.agencies", "（上海海关）", "(Shanghai Customs)", 59,
          ("lead agencies: 上海海关 = Shanghai Customs", "origin: glossary")),
        E("measure-2.s1", "持续推进进口机动车“两证合一”改革。",
          'Continue the "two certificates in one" reform for imported motor vehicles.', 61,
          _measure(2, _S1, "持续推进进口机动车“两证合一”改革。")),
        E("measure-2.s2",
          "持续推进《货物进口证明书（汽车、摩托车）》和《进口机动车辆随车检验单》“两证合一”改革，便利上海口岸整车进口提速增效。",
          'Continue merging the "Certificate of Imported Goods (Automobiles and Motorcycles)" and the '
          '"Inspection Form for Imported Motor Vehicles", speeding up the import of complete vehicles '
          "through Shanghai ports.", 61, _measure(2, _S1, "持续推进进口机动车“两证合一”改革。")),
        E("measure-2.agencies", "（上海海关、市公安局）",
          "(Shanghai Customs; Shanghai Municipal Bureau of Public Security)", 61,
          ("lead agencies: 上海海关 = Shanghai Customs; 市公安局 = Shanghai Municipal Bureau of Public Security",
           "origin: glossary")),
        E("measure-5.s1", "进一步提升鲜活农产品通关效率。",
          "Further improve customs clearance efficiency for fresh agricultural products.", 69,
          _measure(5, _S1, "进一步提升鲜活农产品通关效率。")),
        E("measure-5.s2",
          "优化空运鲜活农产品通关“绿色通道”，对鲜活农产品实施7×24小时预约查验、“优先检测、快检快放”。",
          'Optimise the "green channel" for air-freighted fresh agricultural products, with 24/7 inspection '
          'by appointment and "priority testing, fast testing and fast release".', 69,
          _measure(5, _S1, "进一步提升鲜活农产品通关效率。")),
        E("measure-5.agencies", "（上海海关、市农业农村委）",
          "(Shanghai Customs; Shanghai Municipal Commission of Agriculture and Rural Affairs)", 69,
          ("origin: glossary",)),
        E("section-2.title", "优化物流网络，持续提升物流枢纽能级",
          "Optimise the logistics network and keep raising the capacity of logistics hubs", 77, (_S2,)),
        E("measure-8.s1", "优化上海港物流运输网络。", "Optimise the logistics and transport network of Shanghai Port.",
          79, _measure(8, _S2, "优化上海港物流运输网络。")),
        E("measure-8.s2", "加快推进多式联运“一单制”“一箱制”发展。",
          'Speed up the development of "single document" and "single container" multimodal transport.', 79,
          _measure(8, _S2, "优化上海港物流运输网络。")),
        E("measure-8.agencies", "（市交通委、上海海关、上港集团）",
          "(Shanghai Municipal Commission of Transport; Shanghai Customs; "
          "Shanghai International Port (Group) Co., Ltd. (SIPG))", 79, ("origin: glossary",)),
        E("section-3.title", "加大政策支持，促进贸易新模式新业态发展",
          "Step up policy support and promote new models and new forms of trade", 91, (_S3,)),
        E("measure-15.s1", "进一步支持跨境电商发展。", "Further support the development of cross-border e-commerce.",
          99, _measure(15, _S3, "进一步支持跨境电商发展。")),
        E("measure-15.s2",
          "通过跨境电商供应链数据交互，进行精准风险评估，对以不同包装类型运抵监管场所的货物，实施差别分拣，"
          "实现跨境电商 9610、9710 和 9810 清单模式、报关单模式全模式同场作业。",
          "Through data exchange along cross-border e-commerce supply chains, carry out precise risk assessment "
          "and differentiated sorting of goods arriving at supervised sites in different packaging, so that "
          "cross-border e-commerce under 9610, 9710 and 9810, in list mode and declaration mode, can be handled "
          "at the same site.", 99, _measure(15, _S3, "进一步支持跨境电商发展。")),
        E("measure-15.s3",
          "扩大跨境电商零售出口（9610）跨关区退货监管模式试点应用，允许相关退货商品跨直属关区退货。",
          "Expand the pilot of the cross-customs-district return model for cross-border e-commerce retail "
          "exports (9610), allowing returned goods to be returned across directly affiliated customs districts.",
          99, _measure(15, _S3, "进一步支持跨境电商发展。")),
        E("measure-15.agencies", "（上海海关、上海海事局、民航华东地区管理局、市商务委）",
          "(Shanghai Customs; Shanghai Maritime Safety Administration; East China Regional Administration of "
          "the Civil Aviation Administration of China; Shanghai Municipal Commission of Commerce)", 99,
          ("origin: glossary",)),
        E("section-4.title", "推进互联互通，强化智慧口岸贸易赋能",
          "Advance connectivity and strengthen smart-port support for trade", 105, (_S4,)),
        E("measure-19.s1", "深入推进国际贸易“单一窗口”互联互通。",
          'Deepen the connectivity of the International Trade "Single Window".', 111,
          _measure(19, _S4, "深入推进国际贸易“单一窗口”互联互通。")),
        E("measure-19.s2",
          "依托上海国际贸易“单一窗口”，实现口岸查验单位间信息互换、监管互认和执法互助。",
          'Relying on the Shanghai International Trade "Single Window", achieve information exchange, mutual '
          "recognition of supervision and mutual assistance in enforcement among port inspection agencies.", 111,
          _measure(19, _S4, "深入推进国际贸易“单一窗口”互联互通。")),
        E("measure-19.agencies", "（市商务委、上海海事局、上海边检总站、上海海关）",
          "(Shanghai Municipal Commission of Commerce; Shanghai Maritime Safety Administration; Shanghai "
          "General Station of Immigration Inspection; Shanghai Customs)", 111, ("origin: glossary",)),
        E("measure-20.s1", "进一步完善上海国际贸易“单一窗口”功能。",
          'Further improve the functions of the Shanghai International Trade "Single Window".', 113,
          _measure(20, _S4, "进一步完善上海国际贸易“单一窗口”功能。")),
        E("measure-20.s2",
          "扩大上海口岸国际航行船舶 24 小时计划动态查询范围，促进船舶进出口岸数据资源共享共用。",
          "Widen the 24-hour dynamic schedule enquiry for ships on international voyages at Shanghai ports and "
          "promote the sharing of data on ships entering and leaving port.", 113,
          _measure(20, _S4, "进一步完善上海国际贸易“单一窗口”功能。")),
        E("measure-20.agencies", "（市商务委、上海海关、上海边检总站、上海海事局）",
          "(Shanghai Municipal Commission of Commerce; Shanghai Customs; Shanghai General Station of "
          "Immigration Inspection; Shanghai Maritime Safety Administration)", 113, ("origin: glossary",)),
    ]
    return entries


def metadata(doc_id: str = DOC_ID, source_ref: str = SOURCE_REF) -> dict[str, str]:
    return {
        "Project-Id-Version": f"bilingual {doc_id}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2025-07-01 09:00+0000",
        "PO-Revision-Date": "2025-07-02 10:30+0000",
        "Last-Translator": "",
        "Language-Team": "English",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Source-Language": "zh",
        "X-Generator": "bilingual 0.1.0",
        "X-Bilingual-Document": doc_id,
        "X-Bilingual-Source": source_ref,
    }


def make_catalog(
    entries: Iterable[E] | None = None,
    *,
    fuzzy: Iterable[str] = (),
    untranslated: Iterable[str] = (),
    override: dict[str, str] | None = None,
    extra: Iterable[E] = (),
    obsolete: Iterable[E] = (),
    doc_id: str = DOC_ID,
    source_ref: str = SOURCE_REF,
) -> polib.POFile:
    """A catalogue in the contract format.

    ``fuzzy``: ctx ids whose translation is unreviewed MT (flag + origin comment);
    ``untranslated``: ctx ids with an empty msgstr; ``override``: ctx → msgstr;
    ``extra``: entries appended at the end; ``obsolete``: ``#~`` entries.
    """
    fuzzy, untranslated, override = set(fuzzy), set(untranslated), dict(override or {})
    items = list(shanghai_entries() if entries is None else entries) + list(extra)
    known = {e.ctx for e in items}
    unknown = (fuzzy | untranslated | set(override)) - known
    if unknown:
        raise KeyError(f"no such entries: {sorted(unknown)}")
    po = polib.POFile(wrapwidth=78)
    po.metadata = metadata(doc_id, source_ref)
    for item in items:
        if item.ctx in override:
            item = replace(item, en=override[item.ctx])
        comments = list(item.comments)
        entry = polib.POEntry(msgctxt=item.ctx, msgid=item.zh, msgstr=item.en,
                              occurrences=[(source_ref, str(item.line))])
        if item.ctx in untranslated:
            entry.msgstr = ""
        elif item.ctx in fuzzy:
            entry.flags.append("fuzzy")
            comments = [c for c in comments if not c.startswith("origin:")] + [MT_ORIGIN]
        entry.comment = "\n".join(comments)
        po.append(entry)
    for item in obsolete:
        po.append(polib.POEntry(msgctxt=item.ctx, msgid=item.zh, msgstr=item.en, obsolete=True))
    return po


def all_ctx(entries: Iterable[E] | None = None) -> list[str]:
    return [e.ctx for e in (shanghai_entries() if entries is None else entries)]


def write_po(path: str | Path, po: polib.POFile | None = None) -> Path:
    """Write ``po`` (default: the fully reviewed Shanghai catalogue) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (po if po is not None else make_catalog()).__unicode__()
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


class FakeGlossary:
    """The methods check/build use (``match``, ``english``, ``lookup``), over a fixed term list.

    Tests use it so that they do not depend on the curated glossary's content.
    """

    def __init__(self, pairs: dict[str, str]):
        from bilingual.model import Term

        self.terms = [Term(zh=zh, en=en, kind="regime") for zh, en in pairs.items()]
        self.directory = "(fake)"

    def match(self, text: str):
        from bilingual.model import Match

        found, pos = [], 0
        ordered = sorted(self.terms, key=lambda t: -len(t.zh))
        while pos < len(text):
            for term in ordered:
                if text.startswith(term.zh, pos):
                    found.append(Match(term=term, start=pos, end=pos + len(term.zh)))
                    pos += len(term.zh)
                    break
            else:
                pos += 1
        return found

    def english(self, term) -> str:
        return term.en

    def lookup(self, zh: str):
        return next((t for t in self.terms if t.zh == zh.strip()), None)


TERMS = {
    "单一窗口": "Single Window",
    "上海海关": "Shanghai Customs",
    "跨境电商": "cross-border e-commerce",
    "市公安局": "Shanghai Municipal Bureau of Public Security",
}


def fake_glossary() -> FakeGlossary:
    return FakeGlossary(TERMS)


GLOSSARY_CSV = """zh,en,kind,full_form,en_abbr,note,source
单一窗口,Single Window,regime,,,test term,coined
上海海关,Shanghai Customs,organisation,,,test term,coined
跨境电商,cross-border e-commerce,phrase,,,test term,coined
"""


def write_glossary(directory: str | Path) -> Path:
    """A tiny glossary folder in the glossary CSV format (for tests that use load_glossary)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "terms.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    return directory


REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI_SOURCE = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"


def pipeline_po(workdir: str | Path, source: str | Path = SHANGHAI_SOURCE) -> Path | None:
    """The PO file the real pipeline makes from ``source`` (pseudo MT, the shipped glossary).

    Runs ingest → structure → segment → glossary → render → pseudo engine → po
    in-process on a copy of the source in ``workdir``. Returns None when the
    pipeline modules are not importable (then use :func:`make_catalog`).
    """
    import shutil

    try:
        from bilingual.engines.pseudo import PseudoEngine
        from bilingual.glossary import load_glossary
        from bilingual.translate import Job, run
    except ImportError:
        return None
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "source.zh.txt"
    shutil.copy(source, copy)
    po = workdir / "shanghai-port-2025.en.po"
    run([Job("shanghai-port-2025", copy, po)], PseudoEngine(), load_glossary(REPO_ROOT / "glossary"))
    return po
