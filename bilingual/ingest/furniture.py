"""Page furniture: the lines a web page, a mirror or a law database adds around a document.

Text copied from a page carries its breadcrumbs, buttons, counters, site names, licence lines,
metadata tables and, on forum mirrors, anti-copy noise. None of it is the document: the
structure stage gives such lines their own block kind (not translated, not built), and
cleaning never joins them to a neighbour, so each predicate here is a property of one line.
Every recogniser names the form it knows, with real examples (from the pages the corpus in
``tests/corpus`` is modelled on, see its SOURCES.md).

:func:`furniture_kind` is the entry point: the name of the recogniser that claims a line, or
``""``. :func:`metadata_fields` reads the fields of a metadata line, :func:`split_noise`
separates anti-copy noise glued to a line.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "furniture_kind",
    "is_furniture_line",
    "metadata_fields",
    "metadata_label",
    "bare_metadata_label",
    "split_noise",
    "is_noise",
    "METADATA_LABELS",
]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")


def _spaced(word: str) -> str:
    """``索引号`` → a pattern that also matches ``索 引 号`` and ``索   引  号`` (labels are
    spread with spaces to fill a table cell)."""
    return r"\s*".join(re.escape(ch) for ch in word)


#: Field labels of the metadata tables of government pages and law databases: gov.cn
#: (索 引 号 / 主题分类 / 发文机关 / 成文日期 / 标　　题 / 发文字号 / 发布日期 / 主 题 词), provincial
#: and city portals (名 称 / 发 布 机 构 / 联合发文单位 / 有 效 性 / 文件登记号 / 公开日期 / 文号),
#: law databases (【发布单位】【发布文号】【发布日期】【生效日期】【失效日期】【文件来源】【所属类别】,
#: 效力注释 / 发文字号 / 发文机关, 发文标题 / 发文文号 / 发文部门 / 发文时间 / 实施时间 / 法规类型 /
#: 所属行业 / 所属区域 / 阅读人次 / 评论人次 / 页面功能 / 发文内容), wikisource (发布机关).
METADATA_LABELS = (
    "索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词", "名称", "发布机构",
    "联合发文单位", "主题", "发文日期", "有效性", "有效性状态", "文件登记号", "公开日期", "文号", "发布单位",
    "发布文号", "生效日期", "失效日期", "文件来源", "所属类别", "效力注释", "效力级别", "时效性", "施行日期",
    "发文标题", "发文文号", "发文部门", "发文时间", "实施时间", "法规类型", "所属行业", "所属区域", "阅读人次",
    "评论人次", "页面功能", "发文内容", "发布机关", "发布时间", "公布日期", "信息来源", "文章来源", "来源",
    "浏览次数", "点击数", "责任编辑", "分类", "体裁分类", "组配分类", "信息分类", "文件编号", "上载日期",
    "网页标题",  # the HTML reader's: the page's <title> without its site names
    "发布部门", "实施日期", "法规类别", "专题分类", "效力位阶", "法宝引证码",  # 北大法宝's entry fields
)  # fmt: skip
_LABEL_ALT = "|".join(_spaced(w) for w in sorted(METADATA_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"(?:^|(?<=\s))(?P<label>{_LABEL_ALT})\s*[：:]")
_LABEL_ONLY_RE = re.compile(rf"^(?P<label>{_LABEL_ALT})\s*[：:]$")
_CELL_LABEL_RE = re.compile(rf"^(?P<label>{_LABEL_ALT})\s*[：:]?$")
#: Labels distinctive enough to be a metadata label alone on a line without their colon
#: (``索 引 号`` / ``发文字号`` copied from a table's label cells); two-character ones (标题, 名称,
#: 文号 …) only with a colon.
_BARE_LABELS = frozenset(w for w in METADATA_LABELS if len(w) >= 3) - {"阅读人次", "评论人次"}
_BRACKET_FIELD_RE = re.compile(rf"^[-•·]?\s*【(?P<label>{_LABEL_ALT})】\s*(?P<value>.*)$")

#: Breadcrumbs: 当前位置: 首页 » 政务公开 …, 您的位置:主页 > 公告动态 > …, 首页 > 海关 > 税费征收 >
_BREADCRUMB_RE = re.compile(
    r"^(?:(?:当前|您的|您现在的|现在的?)?位置\s*[：:]|(?:首页|主页|网站首页)\s*[>»›→/])"
    r"|^\S{1,12}(?:\s*[>»›]\s*\S{1,20}){2,}\s*[>»›]?$"
)

#: Buttons and controls, alone or several on a line: 我要收藏 / 取消收藏 / 字体大小: 打印 /
#: 【打印本页】【关闭窗口】 / 放大字体 缩小字体 / 分享到： / 扫一扫在手机打开当前页 / 简体| 繁体 无障碍
#: 长者模式 / 朗读 / • 加入收藏 / 图片 / Loading...
_CONTROLS = frozenset((
    "我要收藏", "取消收藏", "收藏", "加入收藏", "收藏本页", "加入收藏夹", "打印", "打印本页", "打印此页", "我要打印",
    "关闭", "关闭窗口", "关闭本页", "朗读", "语音播报", "字号", "字体", "字体大小", "默认", "放大", "缩小",
    "放大字体", "缩小字体", "分享", "分享到", "扫一扫", "扫一扫在手机打开当前页", "扫描二维码", "简体", "繁体",
    "無障礙", "无障碍", "长者模式", "返回顶部", "返回首页", "返回", "上一篇", "下一篇", "图片", "视频", "纠错",
    "我要纠错", "微信", "微博", "QQ空间", "保存", "保存本页", "页面功能", "Loading...",
))  # fmt: skip
#: One-character controls (字号 大 中 小, 简 繁) count only beside other controls.
_SHORT_CONTROLS = frozenset("大中小简繁")
_CONTROL_SPLIT_RE = re.compile(r"[\s|｜【】\[\]•·:：/]+")

#: View and comment counters: 浏览量: 1234, 阅读次数：88, 点击：637次, 访问量
_COUNTER_RE = re.compile(r"^(?:浏览|阅读|点击|访问|查看)(?:量|次数|人次|数)?\s*[：:]?\s*\d*\s*次?$")

#: A site's own lines: 天津政务网 2019年12月3日星期二, 2021/01.12 星期二 13:23, 青岛政务网 发布日期 : …
_WEEKDAY_RE = re.compile(r"\d{4}.{0,12}星期[一二三四五六日天]|星期[一二三四五六日天]\s*\d{1,2}:\d{2}")
_SITE_RE = re.compile(rf"^\S{{2,12}}(?:网|網|网站|網站)\s+(?:\d|{_LABEL_ALT})")

#: Licence, copyright and credit lines of pages and mirrors.
_LICENCE_RE = re.compile(
    r"公有领域|版权所有|版權所有|Copyright|©|ICP备|ICP證|公网安备|未经授权禁止|请勿转载|禁止转载|转载请注明"
    r"|本文仅供参考|如需引用请以正式文件为准|^(?:原文作者|作者|来源|來源|信息来源|文章来源|责任编辑|编辑)\s*[：:]"
    r"|^Public domain",
    re.IGNORECASE,
)

#: A law database's citation code alone on a line: 北大法宝's ``CLI.4.5112869`` (``CLI.1.123(EN)``
#: for its English), printed on top of every page of its print-out.
_CITATION_RE = re.compile(r"^(?:CLI|CLA|CLE)\.\d{1,2}\.\d{2,9}(?:\(EN\))?$")

#: Prompts and summaries pages add: 点击"阅读原文"…, (附件请点击下方…), 核心提示:…, 摘要:…
_PROMPT_RE = re.compile(r"^[(（]?\s*(?:点击|點擊).{0,12}(?:阅读原文|閱讀原文|下载|下載|查看)|^(?:核心提示|内容提要|摘要|导读)\s*[：:]")

#: Metadata panels' own headings (内容要素) and wikisource's page lines.
_PANEL_RE = re.compile(r"^(?:内容要素|基本信息|文件信息|政策文件|跳转到内容|跳至內容|維基文庫，自由的圖書館|维基文库，自由的图书馆)$")

#: A row of short menu entries: 我的法规 最新法规 点击最多 失效法规 资料下载 …
_MENU_TOKEN_RE = re.compile(f"^[{_CJK}A-Za-z]{{2,6}}$")


def _is_controls(line: str) -> bool:
    tokens = [t for t in _CONTROL_SPLIT_RE.split(line) if t]
    if len(tokens) > 1 and all(t in _CONTROLS or t in _SHORT_CONTROLS for t in tokens):
        return any(t in _CONTROLS for t in tokens) or len(tokens) >= 3  # 大 中 小
    return len(tokens) == 1 and tokens[0] in _CONTROLS


_ORG_ENDINGS = ("局", "部", "委", "厅", "署", "会", "院", "办", "海关", "集团", "政府", "中心", "室", "站", "公司")


def _is_menu(line: str) -> bool:
    """Five or more short entries, none of them a body's name (a line of signatories is no menu)."""
    tokens = line.split()
    return (
        len(tokens) >= 5
        and all(_MENU_TOKEN_RE.match(t) for t in tokens)
        and not any(t.endswith(_ORG_ENDINGS) for t in tokens)
    )


# --------------------------------------------------------------------------- anti-copy noise

_NOISE_TOKEN_RE = re.compile(r"^[\x21-\x7e]{1,3}$")
_SYMBOL_RE = re.compile(r"[!-/:-@\[-`{-~]")


def is_noise(text: str) -> bool:
    """Anti-copy "jammer" text forum mirrors sprinkle in a page: short random ASCII tokens.

    ``: k3 P, }8 d! W4 x' z7 q& b2`` and ``8 M, t' c5 N! q`` are noise; ``2022``,
    ``1.``, ``.doc``, ``http://www.tbtsps.cn``, ``Loading...`` and ``| 1 |`` are not (too
    few tokens, or no mix of letters, digits and symbols).
    """
    tokens = text.split()
    if len(tokens) < 4 or not all(_NOISE_TOKEN_RE.match(t) for t in tokens):
        return False
    symbols = sum(1 for t in tokens if _SYMBOL_RE.search(t))
    alnum = sum(1 for t in tokens if any(ch.isalnum() for ch in t))
    return symbols >= 2 and alnum >= 2


_EDGE_RE = re.compile(f"^(?P<head>[^{_CJK}“”‘’《》（）【】]*)(?P<body>.*?)(?P<tail>[^{_CJK}“”‘’《》（）【】。！？；：，、]*)$")


def split_noise(line: str) -> tuple[str, str, str]:
    """``(noise before, the line, noise after)``: noise glued to the start or end of a line.

    ``4 u# N! c7 v, J2 ^5 a; s9 m中华人民共和国海关总署`` → ``("4 u# N! c7 v, J2 ^5 a; s9 m",
    "中华人民共和国海关总署", "")``; ``2022年第31号2 w# T; k9 A' z6 ~% c) N4 m`` → ``("",
    "2022年第31号", "2 w# T; k9 A' z6 ~% c) N4 m")``. A line without noise is ``("", line, "")``.
    """
    if not _CJK_RE.search(line):
        return ("", line, "") if not is_noise(line) else (line, "", "")
    if not line[0].isascii() and not line[-1].isascii():  # the common case: nothing glued on
        return "", line, ""
    match = _EDGE_RE.match(line)
    head, body, tail = match["head"], match["body"], match["tail"]
    before = after = ""
    if is_noise(head):
        before = head.strip()
    else:
        body = head + body
    if tail and is_noise(tail):
        after = tail.strip()
    else:
        body = body + tail
    return before, body.strip(), after


# --------------------------------------------------------------------------- metadata


def metadata_label(line: str) -> str:
    """The label of a metadata line without its value (``发 文 字 号 :`` → ``发文字号``), else ``""``."""
    match = _LABEL_ONLY_RE.match(line)
    return re.sub(r"\s+", "", match["label"]) if match else ""


def bare_metadata_label(line: str, *, any_label: bool = False) -> str:
    """A distinctive label alone on a line without its colon (``索 引 号``, ``发文字号``,
    ``成文日期``), as a metadata table copied cell by cell leaves it, else ``""``; with
    ``any_label`` (inside such a table) the short ones too (``标 题``, ``名称``)."""
    match = _CELL_LABEL_RE.match(line)
    label = re.sub(r"\s+", "", match["label"]) if match else ""
    return label if any_label or label in _BARE_LABELS else ""


def _table_fields(line: str) -> list[tuple[str, str]]:
    """The fields of a metadata table row as the HTML and DOCX readers write it, label cells
    and value cells alternating: ``| 索 引 号： | 000014349/2025-00031 | 主题分类： | 综合政务 |``.
    The row's first cell must be a label (with its colon, or a distinctive one: 索引号,
    发文字号 …, so a table of measures headed ``| 名称 | 数量 |`` is none), and every other
    non-empty cell a label or a value after one; values may be empty (``| 主 题 词： | | |``).
    A short label without its colon counts where the row's labels stand when spread with spaces
    to fill its cell (``| 名        称 | … |``, ``| 文        号 | … | 上 载 日 期 | … |``), or
    after a field (``| 索 引 号 | 20191202-189769 | 分 类 | … |``)."""
    cells = [c.strip() for c in line.strip()[1:-1].split("|")]
    fields: list[tuple[str, str]] = []
    label = ""
    for cell in cells:
        match = _CELL_LABEL_RE.match(cell) if cell else None
        short = bool(match) and not label and (bool(fields) or " " in cell) and bool(bare_metadata_label(cell, any_label=True))
        if match and (cell.endswith(("：", ":")) or bare_metadata_label(cell) or short):
            if label:
                fields.append((label, ""))
            label = re.sub(r"\s+", "", match["label"])
        elif cell:
            if not label:
                return []
            fields.append((label, cell))
            label = ""
        elif not fields and not label:
            return []
    if label:
        fields.append((label, ""))
    return fields


def metadata_fields(line: str) -> list[tuple[str, str]]:
    """The ``(label, value)`` fields of a metadata line, or ``[]`` when it is none.

    ``发文字号： 国办发〔2018〕123号 发布日期： 2018年12月27日`` → ``[("发文字号", "国办发〔2018〕123号"),
    ("发布日期", "2018年12月27日")]``; ``【发布文号】国发〔2018〕37号`` → ``[("发布文号", "国发〔2018〕37号")]``;
    ``发 文 字 号 :`` → ``[("发文字号", "")]``; a table row of label and value cells
    (``| 发文字号： | 国办发〔2025〕9号 | 发布日期： | 2025年03月12日 |``) too. The line must start with
    a label.
    """
    if line.startswith("|") and line.endswith("|") and len(line) > 2:
        return _table_fields(line)
    match = _BRACKET_FIELD_RE.match(line)
    if match:
        return [(re.sub(r"\s+", "", match["label"]), match["value"].strip())]
    if not _LABEL_RE.match(line):
        return []
    found = list(_LABEL_RE.finditer(line))
    if not found or found[0].start() != 0:
        return []
    fields = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(line)
        fields.append((re.sub(r"\s+", "", m["label"]), line[m.end():end].strip()))
    return fields


# --------------------------------------------------------------------------- the entry point

_RECOGNISERS = (
    ("metadata", lambda line: bool(metadata_fields(line)) or bool(bare_metadata_label(line))),
    ("breadcrumb", lambda line: bool(_BREADCRUMB_RE.search(line))),
    ("citation code", lambda line: bool(_CITATION_RE.match(line))),
    ("page control", _is_controls),
    ("view counter", lambda line: bool(_COUNTER_RE.match(line))),
    ("site date", lambda line: bool(_WEEKDAY_RE.search(line)) and len(line) <= 40),
    ("site name", lambda line: bool(_SITE_RE.match(line)) and len(line) <= 40),
    ("licence", lambda line: bool(_LICENCE_RE.search(line))),
    ("prompt", lambda line: bool(_PROMPT_RE.search(line))),
    ("page heading", lambda line: bool(_PANEL_RE.match(line))),
    ("menu", _is_menu),
    ("mirror noise", is_noise),
)


@lru_cache(maxsize=16384)
def furniture_kind(line: str) -> str:
    """The recogniser that claims ``line`` as page furniture, or ``""``.

    Examples, one per recogniser: ``发文字号： 国办发〔2018〕123号 发布日期： 2018年12月27日``
    (metadata), ``当前位置:主页 > 宁波市政策 > 宁波市口岸办公室 > 正文`` (breadcrumb), ``字体大小: 打印``
    (page control), ``浏览量: 1234`` (view counter), ``2021/01.12 星期二 13:23`` (site date),
    ``青岛政务网 发布日期 : 2025-09-12`` (site name), ``原文作者：青岛海关12360热线 |`` (licence), ``核心提示:…`` (prompt),
    ``跳转到内容`` (page heading), ``我的法规 最新法规 点击最多 失效法规 资料下载`` (menu),
    ``7 r) M4 w% Q+ b8 ~1 f' H`` (mirror noise).
    """
    line = line.strip()
    if not line:
        return ""
    if len(line) > 40 and "。" in line:  # prose: only a licence line or a prompt can look like it
        return "licence" if _LICENCE_RE.search(line) else "prompt" if _PROMPT_RE.search(line) else ""
    for name, test in _RECOGNISERS:
        if test(line):
            return name
    return ""


def is_furniture_line(line: str) -> bool:
    """True if some recogniser of :func:`furniture_kind` claims the line."""
    return bool(furniture_kind(line))
