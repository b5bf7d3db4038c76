"""Forms the corpus documents 20 onward brought (tests/corpus/SOURCES.md), each rule on its real
data: emoji noise of mirrors, a reply's addressee naming every province, its English."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from corpusfiles import source

from bilingual.cli import main
from bilingual.glossary import load_glossary
from bilingual.ingest import clean_text
from bilingual.ingest.pictographs import strip_pictographs
from bilingual.render_agencies import render_addressee
from bilingual.structure.recognisers import is_addressee

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary"
#: The addressee of 国函〔2020〕47号 as the State Council wrote it (corpus 21).
REPLY_ADDRESSEE = (
    "河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、江苏省、浙江省、安徽省、福建省、江西省、山东省、河南省、湖北省、湖南省、"
    "广东省、广西壮族自治区、海南省、四川省、贵州省、云南省、陕西省、甘肃省、青海省、新疆维吾尔自治区人民政府,商务部:"
)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


@pytest.mark.parametrize(("line", "plain"), [
    ("河北省、山西省🚍、內蒙古自治區🥃、遼寧省", "河北省、山西省、內蒙古自治區、遼寧省"),
    ("湖南省☢️𓀅、廣東省👩🏽‍🔧👉🏽、廣西壯族自治區", "湖南省、廣東省、廣西壯族自治區"),  # ZWJ sequence, FE0F symbol, hieroglyph
    ("安慶市🙍🏼♂️、漳州市", "安慶市、漳州市"),  # a sign after an emoji whose joiner the mirror lost
    ("安慶市🙍🏼♂、漳州市", "安慶市、漳州市"),  # … and its variation selector
    ("雲南省🧀🧑🏽‍✈️、陝西省", "雲南省、陝西省"),
    ("遵義市☺️、德宏傣族景頗族自治州", "遵義市、德宏傣族景頗族自治州"),
])  # fmt: skip
def test_emoji_a_mirror_inserted_are_removed(line, plain):
    assert strip_pictographs(line) == plain


@pytest.mark.parametrize("line", [
    "★重点任务", "✓ 已完成", "❶加强组织领导", "➀压实责任", "二○○五年十月二十四日", "①②③", "→ 见附件",
    "※ 注：", "☆", "◆", "■ 口岸通关", "〇",
])  # fmt: skip
def test_symbols_documents_use_stay(line):
    assert strip_pictographs(line) == line


def test_emoji_are_a_reported_repair():
    clean = clean_text("國函〔2020〕47號\n河北省、山西省🚍、內蒙古自治區人民政府🫎,商務部:\n")
    assert clean.lines == ("國函〔2020〕47號", "河北省、山西省、內蒙古自治區人民政府,商務部:")
    assert clean.repairs == ((2, "emoji"),)


def test_a_reply_to_every_province_is_an_addressee():
    assert len(REPLY_ADDRESSEE) > 80
    assert is_addressee(REPLY_ADDRESSEE)
    prose = ("加快推进跨境电子商务综合试验区建设和外贸新业态新模式发展的各相关单位、积极参与口岸营商环境优化提升行动"
             "和国际贸易单一窗口推广应用的各有关部门、承担重点任务的各区人民政府:")
    assert len(prose) > 80 and not is_addressee(prose)  # long pieces: a sentence, not a list of names


def test_the_replys_addressee_in_english(glossary):
    rendered = render_addressee(REPLY_ADDRESSEE, glossary)
    assert rendered is not None and not rendered.fuzzy
    assert rendered.text == (
        "people's governments of Hebei Province, Shanxi Province, Inner Mongolia Autonomous Region, Liaoning Province, "
        "Jilin Province, Heilongjiang Province, Jiangsu Province, Zhejiang Province, Anhui Province, Fujian Province, "
        "Jiangxi Province, Shandong Province, Henan Province, Hubei Province, Hunan Province, Guangdong Province, "
        "Guangxi Zhuang Autonomous Region, Hainan Province, Sichuan Province, Guizhou Province, Yunnan Province, "
        "Shaanxi Province, Gansu Province, Qinghai Province, and Xinjiang Uygur Autonomous Region; "
        "Ministry of Commerce of the People's Republic of China (MOFCOM):"
    )
    two = render_addressee("河北省、山西省人民政府：", glossary)
    assert two is not None and two.text == "people's governments of Hebei Province and Shanxi Province:"


@pytest.mark.parametrize("text", [
    "河北省、雄安新区人民政府,商务部:",  # 雄安新区 is no place the glossary has
    "河北省人民政府办公厅、山西省人民政府办公厅,商务部:",  # neither is a known name nor places sharing 人民政府
    "江苏省、商务部人民政府:",  # a body is no place
    "河北省人民政府,某某协会:",
    "西藏自治区人民政府,商务部:",  # one place's government is a name of its own, not "governments of"
])  # fmt: skip
def test_an_addressee_with_an_unknown_name_is_left_to_mt(glossary, text):
    assert render_addressee(text, glossary) is None


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """name → PO file of a corpus document, made by ``translate --engine none`` (rules and glossary only)."""
    root = tmp_path_factory.mktemp("forms")
    out = {}

    def po(name: str) -> polib.POFile:
        if name not in out:
            path = root / f"{name}.en.po"
            assert main(["translate", str(source(name)), "--engine", "none", "-o", str(path), "--no-cache",
                         "--quiet"]) == 0  # fmt: skip
            out[name] = polib.pofile(str(path))
        return out[name]

    return po


def test_the_replys_addressee_is_rendered_not_machine_translated(translated):
    """Corpus 21 end to end: the addressee entry is the glossary's English, not MT."""
    entry = translated("21-guohan-2020-47").find("notice.addressee", by="msgctxt")
    assert entry.msgstr.startswith("people's governments of Hebei Province, Shanxi Province, Inner Mongolia")
    assert entry.msgstr.endswith("; Ministry of Commerce of the People's Republic of China (MOFCOM):")
    assert "origin: glossary" in entry.comment and not entry.fuzzy


@pytest.mark.parametrize(("name", "ctx", "english"), [
    ("17-yunnan-port-regulation-2025", "notice.issuer-1", "Standing Committee of the Yunnan Provincial People's Congress"),
    ("17-yunnan-port-regulation-2025", "notice.signatory-1",
     "Standing Committee of the Yunnan Provincial People's Congress"),
    ("20-ndrc-mofcom-order-47", "notice.issuer-1", "National Development and Reform Commission (NDRC)"),
    ("22-tongzhengbanfa-2021-46", "notice.issuer-1", "General Office of the Datong Municipal People's Government"),
    ("22-tongzhengbanfa-2021-46", "section-2.measure-1.agencies",  # 市商务局: Datong's, the issuer's place
     "(Lead agencies: Datong Municipal Bureau of Commerce; Datong Municipal Finance Bureau)"),
])  # fmt: skip
def test_issuing_bodies_in_english_from_the_glossary(translated, name, ctx, english):
    entry = translated(name).find(ctx, by="msgctxt")
    assert (entry.msgstr, entry.fuzzy) == (english, False)
    assert "origin: glossary" in entry.comment and "suspect name" not in entry.comment


# --------------------------------------------------------------------------- 20: a law database's print-out


def _pdf(tmp_path, items: str, page: str = 'footer = "{n}/{total} 2022/2/25"') -> Path:
    """A PDF set by tests/corpuspdf.py from recipe ``items`` (TOML array body)."""
    import corpuspdf
    import docbuilders
    from conftest import need

    need(docbuilders.fonts_available(), "fonts-noto-cjk (Debian), for the test PDF")
    recipe = tmp_path / "doc.zh.pdf.toml"
    recipe.write_text(f"items = [\n{items}\n]\n\n[page]\n{page}\n", encoding="utf-8")
    return corpuspdf.build(recipe, tmp_path / "doc.zh.pdf")


_FILLER = "\n".join(f'  ["para", "第{n}段说明文字，用来把表格推到下一页，内容本身并不重要，只是占用版面。"],' for n in range(1, 34))


def test_a_ruled_pdf_table_is_read_row_by_row(tmp_path):
    """Rows as ``| … |`` lines (a cell's wrapped lines joined, a merged category cell then an empty
    one), the rows of both pages one run (no page break between them), a blank line after the
    table; a one-column frame is no table; the text around is read as lines."""
    from bilingual.ingest import extract_text

    long_cell = "公共航空运输公司须由中方控股，一家外商及其关联企业的投资比例不得超过25%，法定代表人须由中国籍公民担任，且其他条件不变。"
    items = _FILLER + f'''
  ["table", [100], [["这是一个加了边框的段落，不是表格。"], ["边框里的第二段。"]]],
  ["gap"],
  ["table", [12, 88], [
    ["序号", "特别管理措施"],
    ["一、农、林、牧、渔业", "<"],
    ["1", "小麦新品种的选育须由中方控股。"],
    ["2", "{long_cell}"],
    ["3", "国内水上运输公司须由中方控股。"],
    ["4", "外资不得进入稀土勘查。"],
    ["5", "出版物印刷企业须由中方控股。"],
    ["6", "核电站的建设和经营须由中方控股。"],
    ["", ""],
  ]],
  ["para", "表格之后的一段文字。"],'''
    import pdfplumber

    pdf = _pdf(tmp_path, items)
    with pdfplumber.open(pdf) as opened:  # the page breaks after the table's header row
        assert len(opened.pages) == 2 and "序号" in opened.pages[0].extract_text()
    text, _, _ = extract_text(pdf)
    lines = text.split("\n")
    assert lines[lines.index("这是一个加了边框的段落，不是表格。") + 1] == "边框里的第二段。"  # one column: text
    start = lines.index("| 序号 | 特别管理措施 |")
    assert lines[start + 1] == "| 一、农、林、牧、渔业 |  |"  # (cleaning makes the two spaces one)
    assert lines[start + 2] == "| 1 | 小麦新品种的选育须由中方控股。 |"
    assert lines[start + 3] == f"| 2 | {long_cell} |"
    rows = lines[start : start + 8]  # (the empty ruled row is left out)
    assert all(row.startswith("| ") and row.endswith(" |") for row in rows), rows  # across the page break
    assert "\f" not in text  # the one page break falls between two rows: no page-break line
    assert lines[start + 8 : start + 10] == ["", "表格之后的一段文字。"]


def test_pkulaw_fields_and_citation_code_are_furniture():
    from bilingual.ingest.furniture import furniture_kind, metadata_fields

    for line in ("发布部门: 国家发展和改革委员会 商务部 机构沿革", "实施日期: 2022.01.01", "法规类别: 外商投资企业综合规定",
                 "专题分类: 综合", "效力位阶: 部门规章", "【法宝引证码】CLI.4.5112869"):  # fmt: skip
        assert furniture_kind(line) == "metadata", line
    assert metadata_fields("实施日期: 2022.01.01") == [("实施日期", "2022.01.01")]
    assert furniture_kind("CLI.4.5112869") == "citation code"
    assert furniture_kind("CLI.1.123456(EN)") == "citation code"
    assert furniture_kind("CLI.4.5112869 外商投资") == ""


def test_the_issuing_department_field_names_the_issuer():
    from bilingual.structure.furniture import find_furniture

    assert find_furniture([("发布部门: 商务部", 1)]).issuer == ("商务部", "发布部门", 0)
    assert find_furniture([("发布部门: 国家发展和改革委员会 商务部 机构沿革", 1)]).issuer is None  # a link's words


@pytest.mark.parametrize(("line", "official"), [
    ("国家发展和改革委员会主任:何立峰", True), ("商务部部长：王文涛", True), ("署 长 牟新生", True),
    ("部长 王文涛", True), ("商务部部长 王文涛", True),
    ("本办法由部长：王文涛", False),  # what stands before the office is no body's name
    ("商务部部长王文涛", False),  # office and name run together: not the signature form
    ("发展改革委员会主任负责协调", False),
])  # fmt: skip
def test_heads_signing_an_order(line, official):
    from bilingual.ingest import is_official_signature, should_join

    assert is_official_signature(line) is official
    if official:  # a signature line is never joined to the next
        assert not should_join(line, "商务部部长:王文涛")


def test_a_joint_orders_head():
    from bilingual.ingest import is_doc_number, is_promulgation_masthead, is_title_line

    assert is_promulgation_masthead("中华人民共和国国家发展和改革委员会、中华人民共和国商务部令")
    assert not is_promulgation_masthead("中华人民共和国国家发展和改革委员会、关于印发令")
    assert is_doc_number("(第47号)") and is_doc_number("（第 47 号）") and not is_doc_number("(第47号")
    assert is_title_line("外商投资准入特别管理措施(负面清单)(2021年版)")
    assert is_title_line("海关行政许可管理办法（试行）")
    assert not is_title_line("外商投资准入特别管理措施(负面清单)(2021年版)(此处有说明文字过长的括号)")
    assert not is_title_line("宁波市人民政府关于印发宁波市口岸管理和服务实施细则的通知 (甬政发〔2021〕21号)")


def test_the_negative_list_parses_without_sequence_warnings():
    """Its table's category rows number from 一、 again after 说明's 一、…四、: a new sequence, no warning;
    a table continuing the document's sections (三、 after 一、 二、) warns of nothing either."""
    from bilingual.ingest import read_source
    from bilingual.structure import parse

    doc = parse(read_source(source("20-ndrc-mofcom-order-47")))
    assert not [w for w in doc.warnings if "out of sequence" in w]
    text = "一、总体要求\n二、主要任务\n| 序号 | 措施 |\n| 三、保障 | |\n| 1 | 加强领导。 |\n| 四、附则 | |\n| 2 | 按期评估。 |\n"
    assert not [w for w in parse(clean_text(text)).warnings if "out of sequence" in w]
    text = text.replace("三、保障", "一、保障").replace("四、附则", "三、附则")
    assert [w for w in parse(clean_text(text)).warnings if "out of sequence" in w]  # 一、 then 三、


def test_the_negative_list_is_one_table_in_english(translated, tmp_path):
    """Its rows on both pages of the print-out are one table in the build: every measure a row."""
    po = tmp_path / "list.en.po"
    translated("20-ndrc-mofcom-order-47").save(str(po))
    md = tmp_path / "list.en.md"
    assert main(["build", str(po), "--format", "md", "-o", str(md)]) == 0
    rows = [line for line in md.read_text(encoding="utf-8").splitlines() if line.startswith("| (")]
    assert [row.split("|")[1].strip() for row in rows] == [f"({n})" for n in range(1, 11)]


# --------------------------------------------------------------------------- 22: a gazette in two columns

_LEFT = "左栏的第一段文字写得比较长，需要在左栏之内折成好几行，读的时候应当一口气读完，然后才轮到右栏的文字。"
_DIGITS = "〇一二三四五六七八九"
_NUMERALS = tuple(_DIGITS[n] if n < 10 else ("" if n < 20 else _DIGITS[n // 10]) + "十" + (_DIGITS[n % 10] if n % 10 else "")
                  for n in range(1, 46))  # 一 … 四十五  # fmt: skip
_RIGHT = "右栏的段落同样写得比较长，排在左栏的右边，和左栏的各行处在同一高度上，但应当在左栏之后才被读到。"


def test_a_two_column_page_is_read_down_each_column(tmp_path):
    """The head across the page first (the number printed on the right under the title too), then
    the left column from top to bottom, then the right; the paragraph running from the bottom of the
    left column to the top of the right one is one paragraph; a second page's running header (its
    two halves on either side of the gutter) stays out of the columns and is dropped."""
    from bilingual.ingest import extract_text, read_source

    items = '''  ["spaced", "大同市人民政府办公室"],
  ["title", "关于测试双栏排版的通知"],
  ["right", "同政办发 〔2021〕 46 号"],
  ["gap"],
  ["columns", 2],
  ["flush", "各有关单位:"],
''' + "\n".join(f'  ["para", "{n}、{_LEFT}"],' for n in "一二三四五六七") + f'''
  ["para", "八、最后一段从左栏底部开始，{_LEFT}{_LEFT}"],
''' + "\n".join(f'  ["para", "{n}、{_RIGHT}"],' for n in ("九", "十", "十一", "十二", "十三"))
    more = [f'  ["para", "{n}、{_RIGHT}"],' for n in _NUMERALS[13:]]  # page 2: two columns again
    pdf = _pdf(tmp_path, items + "\n" + "\n".join(more),
               page='header = "6/2021  大同市人民政府公报\\t·大同市人民政府办公室文件·"')  # fmt: skip
    lines = list(read_source(pdf).lines)
    assert lines[:4] == ["大 同 市 人 民 政 府 办 公 室", "关于测试双栏排版的通知", "同政办发 〔2021〕 46 号", "各有关单位:"]
    assert [line.split("、", 1)[0] for line in lines[4:]] == list(_NUMERALS)  # page 2 too, its header dropped
    assert lines[11] == f"八、最后一段从左栏底部开始，{_LEFT}{_LEFT}"  # across the columns: one paragraph
    text, _, joins = extract_text(pdf)
    printed = text.split("\n")
    eighth, ninth = (next(k for k, line in enumerate(printed, start=1) if line.startswith(n)) for n in ("八、", "九、"))
    assert set(range(eighth + 1, ninth)) <= set(joins)  # the layout says so, the column break included


def test_a_single_column_page_keeps_its_order(tmp_path):
    """Short last lines, a right-aligned signature block and a date leave text on one side of the
    middle only: no band, nothing moves."""
    from bilingual.ingest import read_source

    items = "\n".join(f'  ["para", "{n}、{_LEFT}"],' for n in "一二三") + '''
  ["flush", "短行。"],
  ["right", "大同市人民政府办公室"],
  ["right", "大同市商务局"],
  ["right", "大同市财政局"],
  ["flush", "左边的短行。"],
  ["right", "2021年5月28日"],
  ["flush", "(此件公开发布)"],'''
    lines = list(read_source(_pdf(tmp_path, items)).lines)
    assert lines[3:] == ["短行。", "大同市人民政府办公室", "大同市商务局", "大同市财政局", "左边的短行。", "2021年5月28日",
                         "(此件公开发布)"]  # fmt: skip


def test_the_gazettes_last_page_in_its_left_column_continues_the_text():
    """22's last page holds the left column only: read as that column, its first line continues the
    paragraph the right column of the page before broke off (not a paragraph of its own)."""
    from bilingual.ingest import read_source

    clean = read_source(source("22-tongzhengbanfa-2021-46"))
    (paragraph,) = [line for line in clean.lines if line.startswith("各县 (区) 人民政府、开发区管委会要")]
    assert paragraph.endswith("确保各项措施落到实处。")


def test_a_letter_spaced_office_over_the_title_is_the_issuer():
    from bilingual.ingest import read_source
    from bilingual.model import ISSUER
    from bilingual.structure import parse

    doc = parse(read_source(source("22-tongzhengbanfa-2021-46")))
    assert [b.text for b in doc.blocks_of(ISSUER)] == ["大 同 市 人 民 政 府 办 公 室"]
    assert not [w for w in doc.warnings if "masthead issuer" in w]  # the signature is the same body, unspaced
    text = "怀化市人民政府办公室\n关于印发实施方案的通知\n怀政办发〔2023〕9号\n各县市区人民政府:\n现印发给你们。\n"
    assert parse(clean_text(text)).title == "怀化市人民政府办公室关于印发实施方案的通知"  # unspaced: the title's line


def _chars(y: float, pieces: list[tuple[float, str]], size: float = 12.5) -> list[dict]:
    """Characters of one printed row: each piece's text from its x, one em a character."""
    return [{"x0": x + k * size, "x1": x + (k + 1) * size, "top": y, "bottom": y + size, "size": size, "text": ch}
            for x, text in pieces for k, ch in enumerate(text)]  # fmt: skip


_BODY = [_chars(100 + 22 * k, [(56, "左栏文字" * 4), (320, "右栏文字" * 4)]) for k in range(8)]


@pytest.mark.parametrize(("header", "why"), [
    (_chars(75, [(56, "6/2021 公报"), (450, "·文件·")], size=8.0), "small print close to the text"),
    (_chars(40, [(56, "6/2021 公报"), (450, "·文件·")]), "body size but apart from the text"),
])  # fmt: skip
def test_a_running_header_in_two_halves_is_no_row_of_the_columns(header, why):
    from bilingual.ingest.pdfcolumns import read_order

    order, gutter = read_order([header, *_BODY], 600.0)
    assert 256 < gutter < 320, why  # between the left text (ends at 256) and the right (from 320)
    assert order[0] == (0, header), why  # read across, in its place: the furniture pass drops it
    assert [column for column, _ in order[1:]] == [1] * 8 + [2] * 8, why


def test_a_few_two_sided_rows_make_no_band():
    """Four rows with text on both sides (a metadata block of two fields a row) between lines
    read across the page: fewer than MIN_TWO_SIDED, so nothing is reordered."""
    from bilingual.ingest.pdfcolumns import read_order

    full = [_chars(100 + 22 * k, [(56, "通栏文字" * 9)]) for k in range(3)]
    pairs = [_chars(166 + 22 * k, [(56, "发布部门：商务部"), (320, "发布日期：2021")]) for k in range(4)]
    rows = [*full, *pairs, _chars(254, [(56, "通栏文字" * 9)])]
    order, gutter = read_order(rows, 600.0)
    assert gutter is None and order == [(0, row) for row in rows]
