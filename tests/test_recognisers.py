"""The line recognisers and the agency-clause reader, on the real forms they are written for.

Every example is a line of a page the corpus is modelled on (tests/corpus/SOURCES.md) or of
the issue that asked for it; the counter-examples are the lines each recogniser must leave
alone (a measure that happens to end with 网, a sentence that mentions 版权).
"""

from __future__ import annotations

import pytest

from bilingual.ingest.furniture import furniture_kind, is_noise, metadata_fields, metadata_label, split_noise
from bilingual.structure import parse_clause, split_agencies
from bilingual.structure.agencies import split_inline_clauses, split_unit_text
from bilingual.structure.fold import fold
from bilingual.structure.recognisers import (
    heading_sentence,
    is_addressee,
    is_complete_title,
    is_title_continuation,
    signatory_names,
    split_number_date,
    split_title_number,
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("发文字号： 国办发〔2018〕123号 发布日期： 2018年12月27日", "metadata"),
        ("【发布文号】国发〔2018〕37号", "metadata"),
        ("发 文 字 号 :", "metadata"),
        ("发布时间:03-27 15:40 | 官网", "metadata"),
        ("当前位置:主页 > 宁波市政策 > 宁波市口岸办公室 > 正文", "breadcrumb"),
        ("您的位置:主页 > 公告动态 > 投资资讯 > 投资资讯", "breadcrumb"),
        ("首页 > 海关 > 税费征收 >", "breadcrumb"),
        ("字体大小: 打印", "page control"),
        ("【打印本页】【关闭窗口】", "page control"),
        ("简体| 繁体 无障碍 长者模式", "page control"),
        ("字号 大 中 小", "page control"),
        ("扫一扫在手机打开当前页", "page control"),
        ("• 加入收藏", "page control"),
        ("浏览量: 1234", "view counter"),
        ("天津政务网 2019年12月3日星期二", "site date"),
        ("2021/01.12 星期二 13:23", "site date"),
        ("青岛政务网 发布日期 : 2025-09-12", "site name"),
        ("原文作者：青岛海关12360热线 |", "licence"),
        ("法规内容 本文仅供参考,如需引用请以正式文件为准", "licence"),
        ("核心提示:厦门市出台2024年促进跨境贸易便利化专项行动工作方案。", "prompt"),
        ("点击“阅读原文”查看公告原文及附件", "prompt"),
        ("跳转到内容", "page heading"),
        ("我的法规 最新法规 点击最多 失效法规 资料下载 法规解读", "menu"),
        ("7 r) M4 w% Q+ b8 ~1 f' H", "mirror noise"),
    ],
)  # fmt: skip
def test_furniture_recognisers(line, kind):
    assert furniture_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "（三）发展工业互联网", "海关总署 发展改革委 财政部 交通运输部 商务部", "各有关单位：", "国务院办公厅",
        "主要任务", "中", "2025年6月27日", "一、总体要求", "严禁未经授权使用他人商标的行为。",
        "1.推广船边直提。对符合条件的进口货物实施船边直提，进一步压缩货物在港时间，降低企业物流成本。",
    ],
)  # fmt: skip
def test_lines_of_documents_are_no_furniture(line):
    assert furniture_kind(line) == ""


def test_metadata_fields_and_labels():
    assert metadata_fields("发文字号： 国办发〔2018〕123号 发布日期： 2018年12月27日") == [
        ("发文字号", "国办发〔2018〕123号"), ("发布日期", "2018年12月27日")]  # fmt: skip
    assert metadata_fields("索 引 号： 000014349/2018-00221 主题分类： 综合政务\\政务公开")[0] == (
        "索引号", "000014349/2018-00221")
    assert metadata_fields("【发布单位】国务院") == [("发布单位", "国务院")]
    assert metadata_label("有   效  性 :") == "有效性"
    assert metadata_fields("各地区要把优化口岸营商环境作为重要抓手：") == []


def test_noise_split_from_lines():
    assert split_noise("4 u# N! c7 v, J2 ^5 a; s9 m中华人民共和国海关总署") == (
        "4 u# N! c7 v, J2 ^5 a; s9 m", "中华人民共和国海关总署", "")
    assert split_noise("2022年第31号2 w# T; k9 A' z6 ~% c) N4 m") == ("", "2022年第31号", "2 w# T; k9 A' z6 ~% c) N4 m")
    for line in ("附件：海关行业标准编号名称表.doc", "1.推广船边直提。", "(此件主动公开)", "| 1 | 推进改革 | 上海海关 |",
                 "（http://www.tbtsps.cn）的标准栏目"):  # fmt: skip
        assert split_noise(line) == ("", line, "")
    assert not is_noise("WTO TFA APEC CPTPP") and not is_noise("Loading...")


@pytest.mark.parametrize(
    ("clause", "lead", "partners"),
    [
        ("（上海海关、市公安局）", ("上海海关", "市公安局"), ()),
        ("(责任单位: 青岛海关、山东港口青岛港集团、中铁联集青岛中心站按职责分工负责。各相关单位按行政序列排序, 下同)",
         ("青岛海关", "山东港口青岛港集团", "中铁联集青岛中心站"), ()),
        ("(责任单位: 宁波海关、宁波舟山港集团按职责分工负责。排名不分先后, 下同)", ("宁波海关", "宁波舟山港集团"), ()),
        ("(牵头单位:省发展改革委;责任单位:省编办、省国土资源厅)", ("省发展改革委", "省编办", "省国土资源厅"), ()),
        ("（省商务厅，省发展改革委、财政厅、交通运输厅）", ("省商务厅", "省发展改革委", "财政厅", "交通运输厅"), ()),
        ("（海关总署牵头，各有关部门配合）", ("海关总署",), ("各有关部门",)),
        ("（海关总署、商务部等按职责分工负责）", ("海关总署", "商务部"), ()),
        ("(省发展改革委、能源局等省有关部门和各地级以上市人民政府按职责分工负责)",
         ("省发展改革委", "能源局", "省有关部门", "各地级以上市人民政府"), ()),
        ("(省发展改革委、工业和信息化厅按职责分工负责)", ("省发展改革委", "工业和信息化厅"), ()),
        ("(省口岸辦牽頭,駐粵口岸查驗單位,各地級以上市政府負責)", ("省口岸辦", "駐粵口岸查驗單位", "各地級以上市政府"), ()),
        ("(廈門海關、廈門港口管理局)", ("廈門海關", "廈門港口管理局"), ()),
        # a space after a complete name separates two; inside a name it is extraction damage
        ("（市商务委 市发展改革委）", ("市商务委", "市发展改革委"), ()),
        ("（浦东新区 宝山区）", ("浦东新区", "宝山区"), ()),
        ("（上海 海关、市公安局）", ("上海海关", "市公安局"), ()),
        ("（上海市交 通委员会、上海\u3000海 关）", ("上海市交通委员会", "上海海关"), ()),
        ("（上海 海关牵头，市公安局配合）", ("上海海关",), ("市公安局",)),
    ],
)  # fmt: skip
def test_agency_clauses(clause, lead, partners):
    parsed = parse_clause(clause)
    assert (parsed.lead, parsed.partners) == (lead, partners)
    assert split_agencies(clause) == lead + partners


def test_agency_clause_details_and_what_is_no_clause():
    qingdao = parse_clause("(责任单位: 青岛海关、市商务局按职责分工负责。各相关单位按行政序列排序, 下同)")
    assert qingdao.shared and qingdao.explicit and qingdao.note == "各相关单位按行政序列排序, 下同"
    assert parse_clause("（海关总署、商务部等按职责分工负责）").others
    for text in ("（含港澳台，下同）", "（MaaS）", "（以下简称《办法》）", "（详见附件。共3项）", "（完成时限：2025年底前）",
                 "（试行）", "（2025年修订）", "（暂行）"):
        assert parse_clause(text) is None, text
    assert parse_clause("（浦东新区）").lead == ("浦东新区",)  # a district stands for its government
    assert parse_clause("（机场集团、东航物流）").lead == ("机场集团", "东航物流")  # a list names bodies
    assert split_unit_text("推进出行即服务（MaaS）") == ("推进出行即服务（MaaS）", "")
    assert split_unit_text("推进改革。（上海海关）") == ("推进改革。", "（上海海关）")


def test_clause_in_the_middle_of_a_measure():
    text = "优化模式。缩短鉴定时间。(责任单位:天津海关)港口方面提供便捷服务。"
    assert split_inline_clauses(text) == [
        ("优化模式。缩短鉴定时间。", False), ("(责任单位:天津海关)", True), ("港口方面提供便捷服务。", False)]  # fmt: skip
    assert split_inline_clauses("根据《办法》（试行）。继续推进。") == [("根据《办法》（试行）。继续推进。", False)]


@pytest.mark.parametrize(
    "line",
    ["各相关单位：", "海关总署:", "各区、市人民政府, 青岛西海岸新区管委, 各有关单位:", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
     "各區人民政府,市直各委、辦、局,各開發區管委會,各有關單位:", "广东分署,各直属海关、院校:"],
)  # fmt: skip
def test_addressees(line):
    assert is_addressee(line)


def test_not_addressees():
    assert not is_addressee("现将有关事项通知如下：")
    assert not is_addressee("经报国务院批准,现就有关事项函复如下:")


def test_signature_lines():
    assert signatory_names("市商务局 天津海关") == ["市商务局", "天津海关"]
    assert signatory_names("海关总署 发展改革委 财政部") == ["海关总署", "发展改革委", "财政部"]
    assert signatory_names("国务院办公厅") == ["国务院办公厅"]
    assert signatory_names("廈門市人民政府辦公廳") == ["廈門市人民政府辦公廳"]
    assert signatory_names("2025年6月26日") is None and signatory_names("特此通知。") is None


def test_titles_and_numbers_on_one_line():
    assert split_title_number("宁波市人民政府关于印发宁波市口岸管理和服务实施细则的通知 (甬政发〔2021〕21号)") == (
        "宁波市人民政府关于印发宁波市口岸管理和服务实施细则的通知", "甬政发〔2021〕21号")
    assert split_number_date("署财〔1999〕850号 1999年12月22日") == ("署财〔1999〕850号", "1999年12月22日")
    assert split_title_number("关于开展试点工作的通知") is None


def test_title_pieces():
    assert is_title_continuation("国务院办公厅关于推进")
    assert is_title_continuation("广东省进一步加大力度支持民间")
    assert is_complete_title("政务新媒体健康有序发展的意见") and is_complete_title("廈門市人民政府辦公廳關于印發…的通知")
    for line in ("国务院关于印发优化口岸营商环境促进跨境贸易便利化工作..", "海关总署网站", "2021/01.12 星期二 13:23",
                 "（此件公开发布）", "上海市商务委员会", "责任单位：市商务委、上海海关"):  # fmt: skip
        assert not is_title_continuation(line), line


def test_heading_sentences():
    assert heading_sentence("优化口岸营商环境。围绕企业关切推进改革。") == ("优化口岸营商环境。", "围绕企业关切推进改革。")
    assert heading_sentence("本公告自2025年3月1日起施行。") is None  # nothing follows
    assert heading_sentence("同意增设上海青浦出口加工区、江苏南京出口加工区和山东青岛出口加工区等出口加工区。其余不变。") is None


def test_fold_keeps_length():
    assert fold("(責任單位:廈門海關)") == "(责任单位:廈门海关)"
    assert len(fold("關於印發")) == 4


def test_an_agency_sentence_is_only_bodies_and_a_role():
    """``sentence_clause``: a final sentence naming bodies and their role, nothing else."""
    from bilingual.structure.agencies import sentence_clause

    clause = sentence_clause("省商务厅、省发展改革委等部门按职责分工负责。")
    assert clause.names == ("省商务厅", "省发展改革委") and clause.others  # 等部门: "and others", no body 部门
    assert not sentence_clause("省商务厅、市公安局按职责分工负责。").others
    assert sentence_clause("省商务厅负责。").names == ("省商务厅",)
    for text in ("（省商务厅负责）",  # a bracket is parse_clause's, not a sentence
                 "推进改革。省商务厅负责。",  # two sentences
                 "省商务厅、市公安局。",  # bodies without a role
                 "省商务厅负责，下同。",  # a note: no sentence of the text
                 "", "由省商务厅负责。"):
        assert sentence_clause(text) is None, text


def test_a_final_agency_sentence_is_split_from_the_text_before_it():
    from bilingual.structure.agencies import split_final_sentence

    text = "各地要强化服务。省商务厅、省发展改革委等省有关部门按职责分工负责。"
    assert split_final_sentence(text) == ("各地要强化服务。", "省商务厅、省发展改革委等省有关部门按职责分工负责。")
    assert split_final_sentence(text + "  \n") == split_final_sentence(text)  # trailing blanks of the line
    assert split_final_sentence("省商务厅负责。") == ("省商务厅负责。", "")  # nothing before it
    assert split_final_sentence("各地要强化服务。各地要加强宣传。") == ("各地要强化服务。各地要加强宣传。", "")
