"""HTML reader (BeautifulSoup + lxml): the article body of a government web page, as lines.

A 政府信息公开 page wraps the document in a site header, navigation, a breadcrumb
(当前位置：首页 > …), a "发布时间 / 来源 / 字号" bar, share and print buttons,
related links and a footer with the ICP licence. Only the document is wanted.

1. The charset is the page's (BOM, ``<meta charset>`` or ``http-equiv``; gb2312 and
   gbk are read as their superset GB18030), else detected as for text files;
   ``encoding`` overrides both.
2. Never content: ``script style noscript template iframe form button select
   input nav header footer aside svg``, anything hidden with ``display:none`` or
   ``hidden``, and elements whose ``id``/``class`` words name page furniture
   (``nav``, ``menu``, ``breadcrumb``, ``share``, ``footer``, ``copyright`` …).
3. The body is the first of the usual content containers of Chinese government
   CMSs (TRS ``TRS_Editor``, ``#zoom``, ``#UCAP-CONTENT``, ``.pages_content``,
   ``.article-content`` …) holding at least ``MIN_BODY_CHARS`` Chinese characters;
   failing that, the element that collects the most Chinese text from its own
   paragraphs (each ``<p>``/``<li>``/``<td>`` … with sentence punctuation counts
   for its container, half for the container's parent: the readability rule;
   titles, menus and "发布时间：…" bars have no 。，; and do not count).
4. The page title (the last ``h1``–``h3`` or ``*title*`` element before the body,
   within three levels around it) is put first when the body does not contain it.
   Metadata tables outside the body (gov.cn keeps 索引号 / 发文机关 / 发文字号 / 成文日期 /
   标题 in a table above the ``#UCAP-CONTENT`` cell) are read too — every row a metadata
   field — and put before (or after) the body as the page has them: structure takes them
   as page metadata, never text, and uses their number, date, issuer and title. With no
   title anywhere (no heading, no 标题 / 名称 field), the ``<title>`` without its site name
   (``…的通知_政策文件_中国政府网``) is given as ``网页标题：…``, for structure to use when
   the document's own head has no title.
5. Lines (:mod:`.htmllines`): every block element (``p div li h1–h6 tr blockquote`` …) and ``<br>``
   ends a line; whitespace collapses as a browser does, and a line break of the
   source between two Chinese characters disappears (CSS segment-break rules).
   ``<ol>`` items get their printed number (``1.``, or ``一、`` for
   ``cjk-ideographic``); tables with two or more columns become ``| cell | cell |``
   rows (``rowspan`` repeats the text, ``colspan`` adds empty cells); one-column
   layout tables are read as blocks.

Library: BeautifulSoup with the lxml parser, rather than trafilatura: we need the
tables as tables and the page's own line structure, and these pages are regular
enough that the rules above find the body (trafilatura would add ~8 packages for
a boilerplate model tuned on news sites).
"""

from __future__ import annotations

import re

from ..errors import BilingualError
from .furniture import furniture_kind, metadata_fields
from .htmlbounds import check_page
from .htmllines import BLOCK_TAGS as _BLOCK_TAGS
from .htmllines import Lines as _Lines
from .htmllines import table_lines as _table
from .htmllines import walk as _walk
from .text import decode_bytes

__all__ = ["extract_html", "MIN_BODY_CHARS"]

MIN_BODY_CHARS = 20

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "button", "select", "input",
              "nav", "header", "footer", "aside", "svg", "object", "embed", "map", "textarea")  # fmt: skip
#: id/class words of page furniture (当前位置 = position/location/dqwz, 相关链接 = xglj …).
_NOISE_WORDS = frozenset((
    "nav", "navbar", "navigation", "menu", "menus", "topnav", "subnav", "header", "footer", "foot",
    "breadcrumb", "breadcrumbs", "crumb", "crumbs", "bread", "position", "location", "dqwz", "banner",
    "sidebar", "side", "share", "sharing", "bshare", "toolbar", "tools", "print", "copyright", "search",
    "login", "related", "relate", "xgxx", "xglj", "link", "links", "friendlink", "ad", "ads", "advert",
    "gotop", "backtop", "pager", "pagination", "skip", "qrcode", "ewm",
))  # fmt: skip
_CONTENT_SELECTORS = (
    ".TRS_Editor", "#zoom", "#Zoom", "#UCAP-CONTENT", ".UCAP-CONTENT", ".pages_content", "#pages_content",
    ".article-content", ".article_content", "#article-content", ".xxgk_content", ".detail-content",
    ".news_content", ".content_text", ".TRS_UEDITOR", "#content", ".view", "article",
)  # fmt: skip
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PROSE_RE = re.compile(r"[，。；！？]")
_CELL_WRAPPERS = frozenset(("tr", "tbody", "thead", "tfoot", "table", "ul", "ol", "li", "span", "font", "strong",
                            "b", "a", "em"))  # fmt: skip
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TITLE_WORD_RE = re.compile(r"(?:^|[-_\s])(?:title|bt|tit)(?:$|[-_\s\d])", re.IGNORECASE)


def _decode(data: bytes, path: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        return decode_bytes(data, path, encoding)
    match = _CHARSET_RE.search(data[:4096])
    if match and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = match.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
            declared = "gb18030"
        if not _ascii_compatible(declared):
            return decode_bytes(data, path)  # the meta tag was read as ASCII: it cannot be UTF-16 (HTML standard)
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect as for a text file
    return decode_bytes(data, path)


def _ascii_compatible(name: str) -> bool:
    """Whether a declared charset writes ASCII as ASCII. A ``<meta charset="utf-16">`` found by reading
    the bytes as ASCII is a lie (browsers read such a page as UTF-8); decoding by it gives mojibake."""
    try:
        return "<meta".encode(name) == b"<meta" and "<meta".encode(name, "ignore").decode(name) == "<meta"
    except (LookupError, UnicodeError, TypeError):
        return False


#: How deep elements may nest. A government page nests 20–40 levels; 10,000 nested ``<div>`` took a
#: minute and deeper ones a RecursionError (the readers walk the tree recursively).
MAX_DEPTH = 256


def _check_depth(soup, path: str) -> None:
    depth: dict[int, int] = {}
    for element in soup.descendants:  # iterative: no recursion on the hostile tree
        if getattr(element, "name", None) is None:
            continue
        level = depth.get(id(element.parent), 0) + 1
        if level > MAX_DEPTH:
            raise BilingualError(f"is an HTML page whose elements nest more than {MAX_DEPTH} deep; "
                                 "refused (not a document page)", path)
        depth[id(element)] = level


def parse_page(text: str, path: str):
    """The tree of a page, within bounds: its size before parsing (:mod:`.htmlbounds`), its depth after."""
    check_page(text, path)
    try:
        from bs4 import BeautifulSoup
    except ImportError:  # pragma: no cover - a dependency
        raise BilingualError(
            "reading HTML needs beautifulsoup4 and lxml (pip install beautifulsoup4 lxml)", path
        ) from None
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # pragma: no cover - lxml parses anything
        raise BilingualError(f"cannot parse HTML: {exc}", path) from None
    _check_depth(soup, path)
    return soup


def _cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def _is_noise(tag) -> bool:
    words: list[str] = []
    for attr in ("id", "class"):
        value = tag.get(attr)
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            words.extend(w.lower() for w in re.split(r"[\s\-_]+", value) if w)
    if any(word in _NOISE_WORDS for word in words):
        return True
    return _is_hidden(tag)


def _is_hidden(tag) -> bool:
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    return bool(_HIDDEN_RE.search(tag.get("style") or ""))


def _drop_tags(soup) -> None:
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()


def _clean_tree(soup) -> None:
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.parent is None:
            continue
        if tag.name not in ("html", "body") and _is_noise(tag):
            tag.decompose()


def _find_body(soup):
    for selector in _CONTENT_SELECTORS:
        for tag in soup.select(selector):
            if _cjk_count(tag.get_text()) >= MIN_BODY_CHARS:
                return tag
    scores: dict[int, float] = {}
    tags: dict[int, object] = {}
    for node in soup.find_all(
        ["p", "li", "td", "th", "h1", "h2", "h3", "h4", "dd", "pre", "blockquote", "div"]
    ):
        if node.name == "div" and node.find(list(_BLOCK_TAGS)) is not None:
            continue  # a wrapper div: its paragraphs count, not itself
        text = node.get_text()
        if not _PROSE_RE.search(text):
            continue  # titles, menus, "发布时间：… 来源：…" bars: no sentence punctuation
        count = _cjk_count(text)
        parent = node
        while parent.parent is not None and parent.parent.name in _CELL_WRAPPERS:
            parent = parent.parent  # a table's cells count for the table's container
        parent = parent.parent
        if parent is not None:
            scores[id(parent)] = scores.get(id(parent), 0) + count
            tags[id(parent)] = parent
            grand = parent.parent
            if grand is not None:
                scores[id(grand)] = scores.get(id(grand), 0) + count / 2
                tags[id(grand)] = grand
    if not scores:
        return soup.body or soup
    return tags[max(scores, key=lambda k: scores[k])]


def _page_title(soup, body) -> str:
    """The heading just before the body (within three levels around it), if any."""
    order = {id(tag): k for k, tag in enumerate(soup.find_all(True))}
    start = order.get(id(body), 0)
    inside = {id(tag) for tag in body.find_all(True)} | {id(body)} | {id(tag) for tag in body.parents}
    ancestor = body
    for _ in range(3):
        ancestor = ancestor.parent
        if ancestor is None:
            return ""
        candidates = [
            tag for tag in ancestor.find_all(True)
            if id(tag) not in inside and order.get(id(tag), start) < start and _is_title_tag(tag)
            and _cjk_count(tag.get_text())
        ]  # fmt: skip
        if candidates:
            return " ".join(candidates[-1].get_text().split())
    return ""


def _is_title_tag(tag) -> bool:
    if tag.name in ("h1", "h2", "h3"):
        return True
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return tag.name in ("div", "p", "span", "td") and bool(_TITLE_WORD_RE.search(names))


#: Metadata fields that hold the document's title.
TITLE_FIELDS = ("标题", "名称", "发文标题")
#: What separates a ``<title>``'s parts: the document title and the site's names.
_TITLE_SEPARATORS_RE = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s|——)\s*")


class _MetadataTables:
    """The page's metadata tables, read before the cleaning removes their containers (gov.cn's
    sits in a ``…_header`` block, others in a ``side`` column).

    A table is metadata when every row is a metadata field (``| 发文字号： | 甬政发〔2025〕21号 |``)
    and one has a value; a hidden one, a layout table holding the body, or one holding another
    table, is none. :meth:`outside` gives the rows of those the body does not hold.
    """

    def __init__(self, soup) -> None:
        self.order = {id(tag): k for k, tag in enumerate(soup.find_all(True))}
        self.tables: list[tuple[object, list[str]]] = []
        for table in soup.find_all("table"):
            if table.find("table") is not None or any(_is_hidden(t) for t in (table, *table.parents) if t.name):
                continue
            out = _Lines()
            _table(table, out)
            out.flush()
            rows = out.lines
            if rows and all(furniture_kind(row) == "metadata" for row in rows) and any(
                value for row in rows for _, value in metadata_fields(row)
            ):
                self.tables.append((table, rows))

    def outside(self, body) -> tuple[list[str], list[str]]:
        """Rows of the tables outside ``body``: (those before it on the page, those after it)."""
        start = self.order.get(id(body), 0)
        before: list[str] = []
        after: list[str] = []
        for table, rows in self.tables:
            if not getattr(table, "decomposed", False) and any(t is body for t in (table, *table.parents)):
                continue  # the body's own: read with it
            if any(t is table for t in body.parents):
                continue  # a layout table holding the body
            (before if self.order.get(id(table), 0) < start else after).extend(rows)
        return before, after


def _head_title(soup) -> str:
    """The ``<title>`` without the site's names: its longest part (``国务院关于…的决定_政策文件``)."""
    tag = soup.find("title")
    text = " ".join(tag.get_text().split()) if tag is not None else ""
    parts = [p for p in _TITLE_SEPARATORS_RE.split(text) if _cjk_count(p)]
    return max(parts, key=len) if parts else ""


def _has_title_field(lines: list[str]) -> bool:
    return any(label in TITLE_FIELDS and value for line in lines for label, value in metadata_fields(line))


def extract_html(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """The article text of an HTML page, one line per block, and the charset it was read with."""
    text, charset = _decode(data, path, encoding)
    soup = parse_page(text, path)
    _drop_tags(soup)
    tables = _MetadataTables(soup)
    _clean_tree(soup)
    body = _find_body(soup)
    out = _Lines()
    title = _page_title(soup, body) if body is not soup and body is not soup.body else ""
    _walk(body, out)
    out.flush()
    lines = out.lines
    before, after = tables.outside(body) if body is not soup else ([], [])
    text = "".join(lines).replace(" ", "")
    if title and title.replace(" ", "") not in text:
        lines.insert(0, title)
    elif not title and lines and not _has_title_field(before + lines + after):
        head = _head_title(soup)
        if head and head.replace(" ", "") not in text:
            lines.insert(0, f"网页标题：{head}")
    if not lines:
        raise BilingualError("is an HTML page without text in its body", path)
    return "\n".join(before + lines + after) + "\n", charset
