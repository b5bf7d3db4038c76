"""Ingest: decoding, normalisation and repair of PDF-extraction line breaks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bilingual.errors import BilingualError
from bilingual.ingest import clean_text, decode_bytes, read_source, should_join
from bilingual.invisible import strip_hidden

SOURCE = Path(__file__).resolve().parent.parent / "translations" / "shanghai-port-2025" / "source.zh.txt"
SOURCE_TEXT = SOURCE.read_text(encoding="utf-8")

PAGE_BREAK_LINES = [27, 65, 73, 85, 97, 103, 115, 127, 137]
WRAP_LINES = [19, 20, 25]


@pytest.fixture(scope="module")
def clean():
    return read_source(SOURCE)


def _write(tmp_path: Path, data: bytes, name: str = "source.zh.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path, encoding: str | None = None) -> str:
    with pytest.raises(BilingualError) as info:
        read_source(path, encoding=encoding)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# --------------------------------------------------------------------------- the shipped file


def test_real_file_repairs(clean):
    assert clean.encoding == "utf-8"
    assert clean.path == str(SOURCE)
    assert sorted(clean.repairs) == sorted(
        [(n, "page-break") for n in PAGE_BREAK_LINES] + [(n, "wrap") for n in WRAP_LINES]
    )
    assert len(clean.repairs) == 12
    assert len(clean.lines) == 65
    text = clean.text
    for joined in ["根据国际邮轮", "（上海海关、市市场监管局", "决策部署", "（市交通委、民航华东地区管理局",
                   "不同贸易方式的货物", "积极应对", "模块功能升级", "合理安排", "引导各船公司",
                   "认真落实党中央", "关于印发《上海口岸 2025 年促进跨境贸易便利化专项行动若干措施》的通知"]:  # fmt: skip
        assert joined in text, joined


def test_real_file_no_false_joins(clean):
    lines = clean.lines
    masthead = [
        "上海市商务委员会", "上海市海归会", "上海市交通委员会", "中国民用航空华东地区管理局",
        "上海出入境边防检查总站", "上海市海事局", "上海市发展和改革委员会", "上海市市场监督管理局",
        "上海市数据局", "上海市药品监督管理局",
    ]  # fmt: skip
    assert list(lines[:10]) == masthead
    assert list(clean.line_numbers[:10]) == list(range(3, 13))
    for single in ["文件", "沪商自贸〔2025〕181号", "各相关单位：", "2025年6月27日", "(此件主动公开发布)",
                   "上海口岸 2025 年促进跨境贸易便利化 专项行动若干措施", "上海海关", "上海海事局",
                   "一、优化监管模式，提升货物贸易便利化水平", "五、加强企业服务，进一步促进降本增效"]:  # fmt: skip
        assert single in lines, single
    signatories = lines[lines.index("各相关单位：") + 2 : lines.index("2025年6月27日")]
    assert len(signatories) == 10
    # every logical line starts where the original file has that text
    original = SOURCE_TEXT.split("\n")
    for line, number in zip(lines, clean.line_numbers, strict=True):
        assert line.startswith(original[number - 1].strip())


def test_real_file_is_idempotent(clean):
    again = clean_text(clean.text)
    assert again.lines == clean.lines
    assert again.repairs == ()


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-16-be", "utf-16")],
)
def test_encodings_round_trip(tmp_path, clean, encoding, expected):
    data = SOURCE_TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    result = read_source(_write(tmp_path, data))
    assert result.encoding == expected
    assert result.lines == clean.lines
    assert result.line_numbers == clean.line_numbers
    assert result.repairs == clean.repairs


def test_encoding_override(tmp_path, clean):
    path = _write(tmp_path, SOURCE_TEXT.encode("gb18030"))
    assert read_source(path, encoding="gb18030").lines == clean.lines
    message = _error(path, encoding="utf-8")
    assert "cannot decode as utf-8: invalid byte 0x" in message
    assert "unknown encoding" in _error(path, encoding="no-such-codec")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings(tmp_path, clean, newline):
    result = read_source(_write(tmp_path, SOURCE_TEXT.replace("\n", newline).encode("utf-8")))
    assert result.lines == clean.lines
    assert result.line_numbers == clean.line_numbers
    assert result.repairs == clean.repairs


def test_undecodable_byte_reports_offset(tmp_path):
    data = SOURCE_TEXT.encode("utf-8")
    offset = data.index("文件".encode()) + 3  # between 文 and 件
    message = _error(_write(tmp_path, data[:offset] + b"\xff" + data[offset:]))
    assert f"cannot decode as UTF-8 or GB18030: invalid byte 0xff at byte offset {offset}" in message


def test_undecodable_gb18030_reports_offset(tmp_path):
    data = SOURCE_TEXT.encode("gb18030")
    offset = data.index("文件".encode("gb18030")) + 2
    message = _error(_write(tmp_path, data[:offset] + b"\xff" + data[offset:]))
    assert f"invalid byte 0xff at byte offset {offset}" in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "is empty"),
        (b"  \n\t\n\xe3\x80\x80\n", "only whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "looks like a PDF file, not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive"),
        ("上海\x00海关".encode(), "NUL"),
        (b"Shanghai Port 2025: measures to facilitate cross-border trade.\n", "contains no Chinese text"),
    ],
)
def test_bad_input_errors(tmp_path, data, fragment):
    assert fragment in _error(_write(tmp_path, data))


def test_missing_file(tmp_path):
    with pytest.raises(BilingualError, match="no such file"):
        read_source(tmp_path / "missing.txt")


def test_pdf_given_as_text():
    with pytest.raises(BilingualError, match="looks like a PDF file") as info:
        clean_text("%PDF-1.4\n上海海关", path="x.txt")
    assert "x.txt" in str(info.value)


def test_decode_bytes_detects():
    assert decode_bytes("上海海关".encode("gb18030")) == ("上海海关", "gb18030")
    assert decode_bytes(codecs.BOM_UTF8 + "上海".encode()) == ("上海", "utf-8-sig")
    assert decode_bytes("上海".encode("utf-32")) == ("上海", "utf-32")


# --------------------------------------------------------------------------- normalisation


def test_whitespace_normalisation_keeps_punctuation_width():
    clean = clean_text("\u3000\u3000上海口岸\u00a02025\u3000\u3000年（一）(二)：，  \t\n")
    assert clean.lines == ("上海口岸 2025 年（一）(二)：，",)


def test_blank_and_indent_lines_and_numbers():
    clean = clean_text("\n\n  一、总体要求\n\n（一）指导思想。内容。\n")
    assert clean.lines == ("一、总体要求", "（一）指导思想。内容。")
    assert clean.line_numbers == (3, 5)
    assert clean.repairs == ()


# --------------------------------------------------------------------------- join rules


def test_org_names_never_joined():
    text = "上海市商务委员会\n上海市财政局\n中国（上海）自由贸易试验区管理委员会\n文件\n"
    assert clean_text(text).lines == (
        "上海市商务委员会",
        "上海市财政局",
        "中国（上海）自由贸易试验区管理委员会",
        "文件",
    )


def test_title_wrap_joined_and_closed():
    text = "关于做好\n2025年口岸工作的\n通知\n\n各区人民政府：\n"
    clean = clean_text(text)
    assert clean.lines == ("关于做好2025年口岸工作的通知", "各区人民政府：")
    assert clean.repairs == ((2, "wrap"), (3, "wrap"))


def test_heading_not_joined_to_body():
    text = "一、总体要求\n\n以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。\n"
    assert len(clean_text(text).lines) == 2


def test_page_break_inside_parenthesis():
    text = "（六）措施。内容。（上\n\n海海关、市公安局）\n"
    clean = clean_text(text)
    assert clean.lines == ("（六）措施。内容。（上海海关、市公安局）",)
    assert clean.repairs == ((3, "page-break"),)


def test_line_starting_with_comma_is_joined():
    clean = clean_text("落实《关于海事服务保障的指导意见》\n，推动降本增效。\n")
    assert clean.lines == ("落实《关于海事服务保障的指导意见》，推动降本增效。",)


def test_form_feed_is_a_page_break():
    clean = clean_text("为深入贯彻党的二十大精神，更大力度提升跨境贸易便利\n\f化水平。\n")
    assert clean.lines == ("为深入贯彻党的二十大精神，更大力度提升跨境贸易便利化水平。",)
    assert clean.repairs == ((2, "page-break"),)


def test_short_open_line_not_joined_across_blank():
    # a short line without a title ending is not a typeset full line: keep it apart
    assert len(clean_text("工作安排\n\n各单位要抓好落实。\n").lines) == 2


def test_latin_words_get_a_space():
    assert clean_text("上海国际贸易单一窗口 World Trade\nOrganization 规则。\n").lines == (
        "上海国际贸易单一窗口 World Trade Organization 规则。",
    )


@pytest.mark.parametrize(
    ("current", "following", "expected"),
    [
        ("上海市海归会", "上海市交通委员会", False),
        ("2025年6月27日", "(此件主动公开发布)", False),
        ("沪商自贸〔2025〕181号", "上海市商务委等十部门和单位关于印发", False),
        ("一、优化监管模式，提升货物贸易便利化水平", "(一)持续开展试点。", False),
        ("为深入贯彻党的二十大及二十届二中、三中全会精神，认真", "落实党中央", True),
        ("（三）优化国际邮轮药械供船服务。市药品监管部门根据国", "际邮轮实际需求。", True),
        ("（一）措施。内容根据国", "际邮轮实际需求。", False),  # short: not a full line,
        ("正文结束。", "上海海关", False),
        ("为深入贯彻党的二十大及二十届二中、三中全会精神，认真", "上海市商务委员会", False),
        ("加快推进国际物流多式联运“一单制”", "“一箱制”发展。", True),
        ("（一）", "持续开展试点。", True),
        ("（一）", "（二）持续开展试点。", False),
    ],
)
def test_should_join(current, following, expected):
    assert should_join(current, following) is expected


# --------------------------------------------------------------------------- properties

_TOKENS = st.sampled_from(
    [
        "上海", "海关", "市商务委", "委员会", "局", "文件", "通知", "关于", "印发", "的", "措施",
        "2025年6月27日", "沪商自贸〔2025〕181号", "一、", "（一）", "(二)", "1.", "附件", "各相关单位：",
        "。", "，", "、", "；", "：", "（", "）", "(", ")", "《", "》", "“", "”", "%", "AEO", "Maa", "S",
        "9610", " ", "\u3000", "\u00a0", "\t", "\n", "\n", "\n\n", "\r\n", "\r", "\f",
        "\u200b", "\ufeff", "\u202e", "\u00ad",  # invisible: removed as a repair
    ]
)  # fmt: skip
_TEXTS = st.one_of(
    st.lists(_TOKENS, max_size=60).map(lambda parts: "中" + "".join(parts)),
    st.text(
        alphabet="上海关市局会委文件通知的（）()《》“”，。、：；一二十 \u3000\n\r\tAa1", max_size=200
    ).map(lambda text: "中" + text),
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


_IN_LINE_REPAIRS = ("invisible", "emoji", "look-alike")  # characters removed or replaced; the line stays


def _visible(text: str) -> list[str]:
    return [ch for ch in strip_hidden(text) if not ch.isspace()]


@_SETTINGS
@given(_TEXTS)
@example("中，\n1.\n2025年6月27日上海")  # a bare label joined to a digit would stop being a label
@example("中\n的\n措施")  # 的 + 措施 make a title ending only after the first pass
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    twice = clean_text(once.text)
    assert twice.lines == once.lines
    assert twice.repairs == ()


@_SETTINGS
@given(_TEXTS)
def test_clean_text_preserves_visible_characters(text):
    clean = clean_text(text)
    assert _visible(clean.text) == _visible(text)


@_SETTINGS
@given(_TEXTS)
def test_line_numbers_point_at_the_source(text):
    clean = clean_text(text)
    original = strip_hidden(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert list(clean.line_numbers) == sorted(set(clean.line_numbers))
    for line, number in zip(clean.lines, clean.line_numbers, strict=True):
        assert line and "\n" not in line and line == line.strip() and "  " not in line
        assert line.startswith(" ".join(original[number - 1].split()))
    joined = [number for number, kind in clean.repairs if kind not in _IN_LINE_REPAIRS]
    assert not set(joined) & set(clean.line_numbers)
    assert len(clean.lines) + len(joined) == sum(1 for line in original if line.split())


# --------------------------------------------------------------------------- rules for the other formats (issue 7)


def test_field_lines_start_a_block_and_end_it():
    text = (
        "1.推广船边直提。内容。\n责任单位：市交通运输委、天津海关、天津港集团、天津边检总站\n"
        "对港口收费主体开展专项检查，依法查处违规收费行为，规范市场秩序。\n"
        "配合单位：市市场监管委、\n市交通运输委\n完成时限：2025年12月底前\n"
    )
    assert clean_text(text).lines == (
        "1.推广船边直提。内容。",
        "责任单位：市交通运输委、天津海关、天津港集团、天津边检总站",
        "对港口收费主体开展专项检查，依法查处违规收费行为，规范市场秩序。",
        "配合单位：市市场监管委、市交通运输委",
        "完成时限：2025年12月底前",
    )


def test_title_broken_after_book_title_mark():
    text = "天津市商务局等三部门关于印发《天津口岸若干措施》\n的通知\n各有关单位：\n"
    assert clean_text(text).lines == ("天津市商务局等三部门关于印发《天津口岸若干措施》的通知", "各有关单位：")
    assert not should_join("目标。", "的确如此")
    assert should_join("（责任单位：市商务委、上海", "海关）")


def test_table_rows_are_never_joined():
    text = "| 序号 | 具体措施 | 牵头单位 |\n| 1 | 推进改革 | 上海海关 |\n各单位要认真落实，确保各项任务按期完成并报送进展情况。\n"
    assert len(clean_text(text).lines) == 3


def test_layout_joins_override_the_text_rules():
    text = "（一）持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。\n支持更多企业开展试点。\n"
    assert len(clean_text(text).lines) == 2
    joined = clean_text(text, joins=(2,))
    assert joined.lines == ("（一）持续开展油品储罐保税仓库和出口监管仓库功能叠加试点。支持更多企业开展试点。",)
    assert joined.repairs == ((2, "wrap"),)


# --------------------------------------------------------------------------- damage of exports and mirrors (issue 12)


def test_escaped_line_breaks_are_repaired_like_page_breaks_and_reported():
    text = "（二）提升便利化水平。进一步压缩整体通关时间，加\\r\\n大口岸收费清理力度，落实各项措\\n施。\n三、保障措施\\r\\n（四）强化督查考核。\n"
    clean = clean_text(text)
    assert clean.lines == (
        "（二）提升便利化水平。进一步压缩整体通关时间，加大口岸收费清理力度，落实各项措施。",
        "三、保障措施",
        "（四）强化督查考核。",
    )
    assert clean.repairs == ((1, "escaped-break"), (1, "escaped-break"), (2, "escaped-break"))
    assert clean.line_numbers == (1, 2, 2)  # the pieces of a line keep its number
    assert clean_text(clean.text).lines == clean.lines
    assert clean_text("路径 C:\\\\new 保留。\n").lines == ("路径 C:\\\\new 保留。",)  # an escaped backslash is text


def test_mirror_question_marks_are_spaces_again():
    text = "????????????????市商务局 ?天津海关\n??????????2025年6月26日\n是否需要调整?\n"
    clean = clean_text(text)
    assert clean.lines == ("市商务局 天津海关", "2025年6月26日", "是否需要调整?")
    assert clean.repairs == ((1, "mirror-spaces"), (2, "mirror-spaces"))


def test_anti_copy_noise_goes_on_lines_of_its_own():
    text = "4 u# N! c7 v, J2 ^5 a; s9 m中华人民共和国海关总署\n7 r) M4 w% Q+ b8 ~1 f' H\n海关总署8 M, t' c5 N! q\n"
    clean = clean_text(text)
    assert clean.lines == ("4 u# N! c7 v, J2 ^5 a; s9 m", "中华人民共和国海关总署", "7 r) M4 w% Q+ b8 ~1 f' H",
                           "海关总署", "8 M, t' c5 N! q")  # fmt: skip
    assert clean.line_numbers == (1, 1, 2, 3, 3)
    assert clean.repairs == ((1, "mirror-noise"), (3, "mirror-noise"))
    assert clean_text(clean.text).lines == clean.lines


def test_page_furniture_is_never_joined():
    text = "天津政务网 2019年12月3日星期二\n简体| 繁体 无障碍 长者模式\n索 引 号： 000014349/2018-00221 主题分类： 综合政务\n发文机关： 国务院办公厅\n"
    assert len(clean_text(text).lines) == 4
    text = "联系人:市商务局口岸服务处 王敏;联系电话:022-23456789\n(此件主动公开)\n署财〔1999〕850号 1999年12月22日\n广东分署,各直属海关、院校:\n"
    assert len(clean_text(text).lines) == 4


def test_invisible_characters_of_a_web_page_are_removed_and_reported():
    """A zero-width space, a BOM in mid-text, a soft hyphen or an RLO (a web page or a word
    processor leaves them) mean nothing in Chinese and hide 单一窗口 from the glossary: removed,
    each line's repair reported as ``invisible``; everything else on the line is kept."""
    clean = clean_text("关于推进\u200b单一\u200b窗口建设的通知\n各区\ufeff人民政府：\n一、推进口岸\u00ad收费\u202e公示。\n")
    assert clean.lines == ("关于推进单一窗口建设的通知", "各区人民政府：", "一、推进口岸收费公示。")
    assert [kind for _, kind in clean.repairs] == ["invisible", "invisible", "invisible"]
    assert [number for number, _ in clean.repairs] == [1, 2, 3]
