"""Line predicates and the join rules cleaning applies to every format.

Each predicate looks at one line (a masthead name, a date, a document number, a heading,
a field line, page furniture …); :func:`should_join` decides from the logical line built so
far and the next line whether a line break is extraction damage. The structure stage reuses
the same predicates, so cleaning and structure agree on what a line is.
"""

from __future__ import annotations

import re

from .furniture import is_furniture_line, is_noise
from .titles import is_title_line

__all__ = [
    "should_join",
    "ends_open",
    "has_unclosed_bracket",
    "starts_with_closing",
    "starts_block",
    "is_fixed_line",
    "is_heading_line",
    "is_title_line",
    "is_org_name",
    "is_date_line",
    "is_doc_number",
    "is_masthead_line",
    "is_promulgation_masthead",
    "is_official_signature",
    "is_attachment_label",
    "is_table_row",
    "is_field_line",
    "is_number_and_date",
    "is_disclosure_line",
    "is_contact_line",
    "join_lines",
    "HEADING_OPENER_RE",
    "CN_NUMERAL",
    "LONG_LINE",
    "ORG_NAME_MAX",
]

# --------------------------------------------------------------------------- patterns

#: Chinese numeral characters used in heading labels (一、 / （十五） / 第三章).
CN_NUMERAL = "一二三四五六七八九十百千零〇两"
_NUM = f"[{CN_NUMERAL}]+"

#: A heading label at the start of a line: 一、 (一) （一） （1） 1. 1． 1、 第一章 第3条 …
HEADING_OPENER_RE = re.compile(
    rf"^(?:{_NUM}、"
    rf"|[(（]\s*(?:{_NUM}|\d+)\s*[)）]"
    rf"|\d+\s*[.．、](?!\d)"
    rf"|第\s*(?:{_NUM}|\d+)\s*(?:章|节|条|部分|篇))"
)

#: 2025年6月27日, 2025 年 6 月 27 日, 二〇二五年六月二十七日 (also 二○○五年…: pages often print ○,
#: U+25CB, for 〇)
_DATE_RE = re.compile(
    rf"^[\d〇○零一二三四五六七八九]{{4}}\s*年\s*(?:\d{{1,2}}|{_NUM})\s*月\s*(?:\d{{1,2}}|{_NUM})\s*日$"
)

#: 沪商自贸〔2025〕181号, 国办发[2024]12号, 沪府规（2023）5号, …〔2025〕第12号, and the
#: numbers of announcements: 海关总署公告2025年第12号, 公告〔2025〕3号, joint ones
#: (海关总署 商务部公告2025年第18号: the issuers separated by spaces); Traditional reprints
#: write 號 (甬政發〔2025〕21號); under an order's or a congress announcement's masthead the
#: number alone: 第 131 号 (海关总署令), (第47号) (a joint order: …国家发展和改革委员会、…商务部令),
#: 〔十四届〕第五十四号 (…人民代表大会常务委员会公告)
_DOC_NUMBER_RE = re.compile(
    r"^(?:[\u4e00-\u9fffA-Za-z]{1,20}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*[号號]"
    r"|(?:(?:[\u4e00-\u9fff]{2,20}\s+){0,5}[\u4e00-\u9fff]{0,20}(?:公告|通告))?\s*\d{4}\s*年\s*第\s*\d{1,5}\s*[号號]"
    rf"|第\s*\d{{1,5}}\s*[号號]|[(（]\s*第\s*\d{{1,5}}\s*[号號]\s*[)）]|[〔［\[(（]\s*{_NUM}\s*[届屆]\s*[〕］\])）]\s*第\s*(?:{_NUM}|\d{{1,5}})\s*[号號])$"
)

#: 署财〔1999〕850号 1999年12月22日 / 皖税发〔2023〕6号 2023-02-03
_NUMBER_DATE_RE = re.compile(
    r"^(?P<number>\S+?[号號])\s+(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2})$"
)

#: (此件主动公开) / （此件公开发布） / (此件不予公开) / （信息公开选项：主动公开）
_DISCLOSURE_RE = re.compile(r"^[(（](?:此件|本件|本文|信息公开|公开方式).{1,20}[)）]$")

#: 联系人:市商务局口岸服务处 …;联系电话:022-… / （联系人：…，电话：…）
_CONTACT_RE = re.compile(r"^[(（]?\s*(?:联系人|聯繫人|联系电话|聯繫電話|联系方式|咨询电话)\s*[：:]")

#: The head of a body signing an order, office and name: ``署 长 牟新生`` (the office spread with
#: spaces), ``部长 王文涛``; with the body before the office and a colon, as a joint order's heads
#: sign (``国家发展和改革委员会主任:何立峰``, ``商务部部长：王文涛``).
_OFFICIAL_RE = re.compile(
    r"^(?P<body>[\u4e00-\u9fff（）()]{0,24}?)(?:署\s*长|部\s*长|局\s*长|主\s*任|省\s*长|市\s*长|主\s*席|总\s*理"
    r"|行\s*长|会\s*长)(?:\s*[：:]\s*|\s+)[\u4e00-\u9fff]{2,4}$"
)

#: A line opened by a field label: 责任单位：… 牵头单位：… 配合单位：… 完成时限：… 附件：… 抄送：…
_FIELD_LINE_RE = re.compile(
    r"^[(（]?\s*(?:(?:牵头|责任|主责|主办|实施|承办|配合|协办|参与|协同|协助)(?:单位|部门|主体)"
    r"|(?:完成|办结)(?:时限|时间|期限)|时间节点|时限要求|附\s*件\s*\d{0,3}|抄\s*送)\s*[：:]"
)

#: A table row as the DOCX and HTML readers write it (and as a text file may hold one):
#: ``| 序号 | 主要措施 | 责任单位 |``, one row per line, cells separated by ``|``.
_TABLE_ROW_RE = re.compile(r"^\|.*\|$")

#: 附件 / 附件： / 附件1 / 附件 2：
_ATTACHMENT_LABEL_RE = re.compile(r"^附\s*件\s*\d{0,3}\s*[：:]?$")

#: Characters after which a line is complete (the next line starts a new paragraph).
#: ” and ’ are handled separately: they close a paragraph only after 。！？ etc.
_CLOSING_CHARS = frozenset("。！？；：…」』）)】》〕］]!?;:.．")
_SENTENCE_END_CHARS = frozenset("。！？；：…!?;:.．")
_QUOTE_CLOSERS = frozenset("”’")

#: Characters that can never begin a line in Chinese typesetting (避头点): a line
#: starting with one of them is always the continuation of the line before.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕］”’,;:?!)]%％")

#: Bracket pairs counted for "the line has an opener that is not closed yet".
_BRACKETS = (("(（", ")）"), ("《", "》"), ("“", "”"), ("‘", "’"), ("【", "】"), ("〔", "〕"), ("[［", "]］"))

#: Endings of an organisation name (issuing bodies, signatories).
_ORG_SUFFIXES = (
    "委员会", "办公室", "办公厅", "局", "总站", "站", "海关", "办", "委", "会", "厅", "部", "署",
    "集团", "政府", "中心", "院", "室", "公司", "银行", "小组", "总队", "支队",
    # Traditional forms, as reprints print them (廈門市人民政府辦公廳, 廈門海關)
    "委員會", "辦公室", "辦公廳", "總站", "海關", "辦", "會", "廳", "集團", "銀行", "總隊",
)  # fmt: skip

#: Line endings that cannot end a sentence or a title (function words, 关于印发 …).
_MID_SENTENCE_ENDINGS = (
    "，", "、", ",", "——", "的", "之", "和", "与", "及", "并", "或", "关于", "印发", "转发",
    "对", "将", "把", "向", "从", "按照", "根据",
)  # fmt: skip

_SENTENCE_PUNCT = frozenset("。！？；!?;")
_ORG_FORBIDDEN = frozenset('，。、；：！？,;:!?《》“”"')

#: A line this long (non-space characters) is a typeset full line, not a short
#: title or name: 公文 (GB/T 9704) set 28 characters per line.
LONG_LINE = 16
ORG_NAME_MAX = 24

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


# --------------------------------------------------------------------------- predicates


def _visible_len(line: str) -> int:
    return len(line.replace(" ", ""))


def is_date_line(line: str) -> bool:
    """A date line on its own: ``2025年6月27日``, ``二〇二五年六月二十七日``."""
    return bool(_DATE_RE.match(line))


def is_doc_number(line: str) -> bool:
    """A document number (发文字号) on its own: ``沪商自贸〔2025〕181号``, ``[2025]`` variants."""
    return bool(_DOC_NUMBER_RE.match(line))


def is_table_row(line: str) -> bool:
    """A table row written as ``| cell | cell |`` on one line (see the package docstring)."""
    return len(line) >= 3 and bool(_TABLE_ROW_RE.match(line))


def is_attachment_label(line: str) -> bool:
    """``附件`` / ``附件1：`` alone on a line."""
    return bool(_ATTACHMENT_LABEL_RE.match(line))


def has_unclosed_bracket(line: str) -> bool:
    """True if some bracket or quote (（ 《 “ 【 〔 …) is opened and not closed in ``line``."""
    for openers, closers in _BRACKETS:
        depth = 0
        for ch in line:
            if ch in openers:
                depth += 1
            elif ch in closers and depth:
                depth -= 1
        if depth:
            return True
    return False


def is_org_name(line: str) -> bool:
    """A short line that is only an organisation name (masthead issuer, signatory).

    Ends with 委员会 / 局 / 海关 / 总站 / 集团 / 政府 …, at most ``ORG_NAME_MAX``
    characters, no clause punctuation, 、 or book-title marks, no digits, and only
    balanced brackets (``中国（上海）自由贸易试验区管理委员会`` is a name).
    """
    if not line or _visible_len(line) > ORG_NAME_MAX or not line.endswith(_ORG_SUFFIXES):
        return False
    if any(ch in _ORG_FORBIDDEN or ch.isdigit() for ch in line):
        return False
    return not has_unclosed_bracket(line)


_PROMULGATION_KINDS = ("令", "公告", "通告")


def is_masthead_line(line: str) -> bool:
    """The 文件 line closing a masthead (红头): ``文件`` or ``上海市商务委员会文件``; or the one-line
    masthead of an order or announcement: ``中华人民共和国海关总署令``, ``云南省人民代表大会常务委员会公告``."""
    if line == "文件":
        return True
    if line.endswith("文件") and is_org_name(line[:-2].rstrip()):
        return True
    return is_promulgation_masthead(line)


def is_promulgation_masthead(line: str) -> bool:
    """An issuer's name and 令 / 公告 / 通告 on one line: ``中华人民共和国海关总署令``,
    ``商务部令``, ``云南省人民代表大会常务委员会公告`` (not ``海关总署公告2025年第12号``, a number); a joint
    order names each body, separated by 、 or spaces: ``中华人民共和国国家发展和改革委员会、中华人民共和国商务部令``."""
    kind = next((k for k in _PROMULGATION_KINDS if line.endswith(k)), "")
    names = [n for n in re.split(r"[、\s]+", line[: -len(kind)]) if n] if kind else []
    return bool(names) and all(is_org_name(n) for n in names)


def is_disclosure_line(line: str) -> bool:
    """The disclosure note under the date: ``(此件主动公开)``, ``（此件公开发布）``, ``(此件主動公開)``."""
    return bool(_DISCLOSURE_RE.match(line))


def is_contact_line(line: str) -> bool:
    """A contact line: ``联系人:市商务局口岸服务处 …;联系电话:022-…``, ``（联系人：…，电话：…）``."""
    return len(line) <= 120 and bool(_CONTACT_RE.match(line))


def is_number_and_date(line: str) -> bool:
    """A document number and its date on one line, as law databases print them under the
    title: ``署财〔1999〕850号 1999年12月22日``, ``皖税发〔2023〕6号 2023-02-03``."""
    match = _NUMBER_DATE_RE.match(line)
    return bool(match) and is_doc_number(match["number"])


def is_official_signature(line: str) -> bool:
    """The office and name of a body's head signing an order: ``署 长 牟新生``, ``部长 王文涛``,
    ``国家发展和改革委员会主任:何立峰`` (the body before the office must be a body's name)."""
    match = _OFFICIAL_RE.match(line)
    return bool(match) and (not match["body"] or is_org_name(match["body"]))


def is_fixed_line(line: str) -> bool:
    """A line that is a complete unit by its form and is never joined to its neighbours:
    an organisation name, a date, a document number (alone or with its date), ``文件``, an
    attachment label, a table row, page furniture (:mod:`.furniture`: metadata fields,
    breadcrumbs, buttons, noise …) and any line without a Chinese character (``Loading...``,
    ``www.stuse.com``, an index number): none of them is ever part of a sentence."""
    return (
        is_table_row(line)
        or is_masthead_line(line)
        or is_date_line(line)
        or is_doc_number(line)
        or is_number_and_date(line)
        or is_disclosure_line(line)
        or is_contact_line(line)
        or is_attachment_label(line)
        or is_org_name(line)
        or is_official_signature(line)
        or not _CJK_RE.search(line)
        or is_furniture_line(line)
    )


def is_heading_line(line: str) -> bool:
    """A heading line: a label (一、 / （一） / 1.) and a short title with no sentence end."""
    return (
        bool(HEADING_OPENER_RE.match(line))
        and _visible_len(line) <= 40
        and not any(ch in _SENTENCE_PUNCT for ch in line)
    )


def ends_open(line: str) -> bool:
    """True if ``line`` does not end with closing punctuation (。！？；：）》」… ).

    A closing quote ”/’ closes the line only after sentence punctuation (``。”``):
    ``…“一单制”`` at a line end is a quoted term in mid-sentence.
    """
    if not line:
        return False
    last = line[-1]
    if last in _QUOTE_CLOSERS:
        return len(line) < 2 or line[-2] not in _SENTENCE_END_CHARS
    return last not in _CLOSING_CHARS


def starts_with_closing(line: str) -> bool:
    """True if ``line`` starts with a character no Chinese line may start with (，。、）》 …)."""
    return bool(line) and line[0] in _NO_LINE_START


def is_field_line(line: str) -> bool:
    """A line opened by a field label: ``责任单位：`` ``牵头单位：`` ``配合单位：`` ``完成时限：``
    ``附件：`` ``抄送：`` … (optionally in brackets)."""
    return bool(_FIELD_LINE_RE.match(line))


def starts_block(line: str) -> bool:
    """True if ``line`` can only be the start of a new unit: a heading label, a field line
    (``责任单位：…``) or a fixed line."""
    return bool(HEADING_OPENER_RE.match(line)) or is_field_line(line) or is_fixed_line(line)


def _is_bare_label(line: str) -> bool:
    match = HEADING_OPENER_RE.match(line)
    return bool(match) and match.end() == len(line)


def _is_mid_sentence(line: str) -> bool:
    if line.endswith(_MID_SENTENCE_ENDINGS):
        return True
    # 关于做好… : the opening of a title that has not reached 通知/意见 yet
    return line.startswith("关于") and not is_title_line(line)


def should_join(current: str, following: str) -> bool:
    """Whether ``following`` continues the logical line ``current`` (rules in order).

    1. ``current`` is a fixed line (organisation name, date, document number, 文件,
       附件 label, table row, disclosure or contact line, page furniture), or ``following``
       is anti-copy noise: never joined. This keeps a masthead of names, one per line with
       no blank lines between them, apart.
    2. ``following`` starts with a character no line may start with (，。、）》”…):
       always joined. A bare label (``（一）`` alone) is joined to a following line
       that does not start a block itself. A line that starts with 的 after a closing
       book-title mark or quote is joined to it (``…若干措施》`` + ``的通知``; the rule looks
       at the first character only, so that cleaning stays idempotent).
    3. ``current`` ends with closing punctuation (see :func:`ends_open`): not joined.
       A field line (``责任单位：A、B``) is joined only when it stops after 、 or ，
       or inside its bracket, and ``following`` is no heading or field line.
    4. ``following`` starts a block (heading label, field line, fixed line): not joined.
    5. ``current`` has an unclosed （ 《 “ …: joined (``…（上`` + ``海海关、…）``).
    6. ``current`` is a bare heading (``一、…`` without 。) or a complete title
       (``…的通知``): not joined.
    7. otherwise joined only if ``current`` is a full typeset line (at least
       ``LONG_LINE`` characters) or clearly mid-sentence (ends with ，、的 和 关于 印发 …,
       or starts with 关于 without having reached its 通知/意见).

    The same rules apply whether or not blank lines separate the two pieces, so that
    cleaning is idempotent: the text of a cleaned document has no blank lines.
    """
    if is_fixed_line(current) or is_noise(following):
        return False
    if starts_with_closing(following):
        return True
    if _is_bare_label(current):
        # ``1.`` + ``5倍`` would make ``1.5倍``, which is no longer a label
        return not starts_block(following) and bool(HEADING_OPENER_RE.match(join_lines(current, following)))
    if following.startswith("的") and current.endswith(("》", "”", "」")) and not is_fixed_line(following):
        return True  # …若干措施》 + 的通知: a title broken after its book-title mark
    if not ends_open(current):
        return False
    if is_field_line(current):  # 责任单位：A、B is complete unless it stops mid-list (…、 + 市交通委)
        return (current.endswith(("、", "，", ",")) or has_unclosed_bracket(current)) and not (
            HEADING_OPENER_RE.match(following) or is_field_line(following)
        )
    if starts_block(following):
        return False
    if has_unclosed_bracket(current):
        return True
    if is_heading_line(current) or is_title_line(current):
        return False
    return _visible_len(current) >= LONG_LINE or _is_mid_sentence(current)


def join_lines(current: str, following: str) -> str:
    """Join two pieces of one paragraph: no separator (CJK), a space between Latin words."""
    if current[-1].isascii() and current[-1].isalpha() and following[0].isascii() and following[0].isalpha():
        return f"{current} {following}"
    return current + following
