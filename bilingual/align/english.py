"""Read an official English version (txt, Markdown, PDF, DOCX, HTML) into clean lines.

The bytes are extracted by the same readers as the Chinese side
(:func:`bilingual.ingest.extract_text`: format from content, PDF running headers
and page numbers dropped, DOCX numbering printed, the HTML page's furniture tags
removed), but the Chinese cleaning (:func:`bilingual.ingest.clean_text`) does
not apply: it joins lines by Chinese rules and refuses text without Chinese. This
module does the English side's own light cleaning:

* whitespace normalised (NBSP, ideographic space, tabs), control characters a space, bidi
  controls and zero-width characters removed; the literal ``\\r\\n``
  that some English portals leave inside paragraphs (a CMS escaping bug seen on
  the Shanghai commerce commission's English site) becomes a space;
* furniture dropped: lines that are mostly Chinese (the Chinese page title of
  an English version, ``【译文】…(英文版)``, ``发布日期(…)``), page numbers, web
  bylines (``… | Updated: Mar 5, 2021``), breadcrumbs, "Print | Share" bars;
* Markdown (our own ``build -f md`` output, ``.md`` files): headings, emphasis,
  escapes, hard breaks and the draft banner removed;
* wrapped lines joined (with a space, or none after a hyphen): a line the PDF
  layout says continues the previous one, a line starting with a lowercase
  word or with ``, ; : )``, a line after one ending with a comma, or with a
  function word ("the", "of" …: also across a blank line, where HTML exports put
  a quoted title in its own paragraph) — never after the addressee line, and, in plain text hard-wrapped at a fixed width
  (:func:`wrap_width`), a line after one that reaches the width without ending
  a sentence. The names of a masthead, one a line, are never joined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import BilingualError
from ..ingest import extract_text
from ..invisible import plain_text

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LITERAL_BREAK_RE = re.compile(r"(?:\\r)?\\n|\\r")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_PAGE_RE = re.compile(r"^(?:[-–—]\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?(?:\s*[-–—])?$", re.IGNORECASE)
_FURNITURE_RE = re.compile(
    r"(?:\|\s*updated\s*:|^updated\s*:|^source\s*:|^(?:print|share|close|print\s*\|\s*share|font size\b.*)$"
    r"|^home\s*>|^you are here\b|^your (?:current )?location\b|^·?\s*your current location)",
    re.IGNORECASE,
)
_FUNCTION_END_RE = re.compile(r"\b(?:the|of|and|for|to|in|on|with|a|an|by|at|from|as|or|its|their)$", re.IGNORECASE)
#: The addressee line (主送机关) of an official translation; it ends with a comma or colon and stands alone.
ADDRESSEE_RE = re.compile(
    r"^(?:To\s+(?:all|the)\b|All\s+(?:relevant|departments|units|entities)\b|Attention\s*:|(?:The\s+)?[Pp]eople's\s+"
    r"[Gg]overnments\s+of\s+all\b|[Aa]ll\s+(?:district|provincial)\b).{0,400}[,:]$"
)
_SENTENCE_END_RE = re.compile(r"[.!?:;]['\"”’)]*$")
_LABEL_START_RE = re.compile(r"^(?:\(\s*\w{1,6}\s*\)|[IVXLC]+\.\s|[ivxlc]+\.\s|\d{1,3}\.\s|Article\s|Chapter\s)")
_BARE_LABEL_RE = re.compile(r"^(?:\(\s*\d{1,3}\s*\)|\d{1,3}\.|[IVXLC]{1,7}\.|[ivxlc]{1,7}\.)$")
#: Plain text is hard-wrapped when at least this share of its longer lines end near the widest one.
WRAPPED_SHARE = 0.3

# Markdown (the project's own English publication)
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation may be escaped
_MD_RULE_RE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")


@dataclass(frozen=True)
class EnglishText:
    """Cleaned lines of an English document; ``line_numbers[i]`` is where ``lines[i]`` starts."""

    path: str
    format: str
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...]


def _cjk_share(line: str) -> float:
    cjk = len(_CJK_RE.findall(line))
    latin = len(_LATIN_RE.findall(line))
    return cjk / max(cjk + latin, 1)


def is_furniture(line: str) -> bool:
    """Page furniture of an English version: Chinese page titles, page numbers, web bylines."""
    return bool(_cjk_share(line) > 0.5 or _PAGE_RE.match(line) or _FURNITURE_RE.search(line))


def _looks_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".md", ".markdown"):
        return True
    return bool(re.search(r"^#{1,3} \S", text, re.MULTILINE) and re.search(r"\*\*\S", text))


def strip_markdown(line: str) -> str:
    """One Markdown line → its text (headings, emphasis, escapes, hard breaks, rules)."""
    line = line.rstrip()
    if line.endswith("\\"):
        line = line[:-1]
    if _MD_RULE_RE.match(line.strip()):
        return ""
    if line.lstrip().startswith(">"):
        return ""  # the draft banner of a build with untranslated entries
    line = _MD_HEADING_RE.sub("", line.strip())
    for _ in range(2):
        line = _MD_EMPHASIS_RE.sub(r"\2", line)
    return _MD_ESCAPE_RE.sub(r"\1", line)


def normalise_line(raw: str) -> str:
    """One line as plain text: control characters are spaces; bidi controls, soft hyphens and
    zero-width spaces are removed (a NUL or an RLO of a web page or a Word export went into the
    memory as official English, a zero-width space cut a word in two)."""
    text = plain_text(_LITERAL_BREAK_RE.sub(" ", raw))
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def wrap_width(lines: list[str]) -> int | None:
    """The width plain text was hard-wrapped at (``None``: one paragraph a line).

    Hard-wrapped text has many lines ending within 20% of its widest line; a file
    of paragraphs has a few very long lines and short ones (names, headings).
    """
    lengths = [len(line) for line in lines if len(line) >= 40]
    if len(lengths) < 3 or max(lengths) > 160:
        return None
    widest = max(lengths)
    near = sum(1 for n in lengths if n >= 0.8 * widest)
    return widest if near >= WRAPPED_SHARE * len(lengths) else None


def should_join(previous: str, following: str, *, gap: bool, width: int | None = None, last: str = "") -> bool:
    """``following`` continues the paragraph of ``previous`` (see the module docstring).

    ``last`` is the printed line just before ``following`` (the end of ``previous``
    as it was wrapped); the width rule looks at it, not at the joined paragraph.
    """
    if _LABEL_START_RE.match(following):
        return False
    if following[0] in ",;:)." or following[0].islower():
        return not _SENTENCE_END_RE.search(previous) or following[0] in ",;)"
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    if ADDRESSEE_RE.match(previous):
        return False
    if _FUNCTION_END_RE.search(previous) or (previous.endswith(",") and not gap):
        return True
    if gap or width is None:
        return False
    last = last or previous
    return len(last) >= 0.75 * width and not _SENTENCE_END_RE.search(last)


def _join(previous: str, following: str) -> str:
    if previous.endswith("-") and following[:1].islower():
        return previous + following
    if following[0] in ",;:).":
        return previous + following
    return f"{previous} {following}"


def clean_english(text: str, path: str = "<text>", fmt: str = "text", *, joins=(), markdown: bool = False
                  ) -> EnglishText:
    """Cleaned English lines from extracted text (see the module docstring)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    join_set = set(joins)
    raw_lines = text.split("\n")
    width = None if fmt.startswith(("docx", "html")) else wrap_width(
        [normalise_line(r) for r in raw_lines])
    lines: list[str] = []
    numbers: list[int] = []
    gap = False
    last = ""  # the last printed line (before joining)
    for number, raw in enumerate(raw_lines, start=1):
        if "\f" in raw:
            gap = True
        line = normalise_line(strip_markdown(raw) if markdown else raw.replace("\f", ""))
        if not line or is_furniture(line):
            gap = gap or not line
            continue
        continues = number in join_set and not gap and not _LABEL_START_RE.match(line)
        if lines and (continues or should_join(lines[-1], line, gap=gap, width=width, last=last)):
            lines[-1] = _join(lines[-1], line)
        else:
            lines.append(line)
            numbers.append(number)
        gap = False
        last = line
    lines, numbers = _bare_labels(lines, numbers)
    if not any(_LATIN_RE.search(line) for line in lines):
        raise BilingualError("has no English text (is this the Chinese source?)", path)
    return EnglishText(path=path, format=fmt, lines=tuple(lines), line_numbers=tuple(numbers))


def _bare_labels(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    """A label alone on its line (``1.``, ``(3)``, ``IV.``): the list number an HTML ``<ol>`` or a Word
    list prints. Before a line with its own label it is dropped (the page prints ``(1)`` itself);
    otherwise it labels the next line."""
    out_lines: list[str] = []
    out_numbers: list[int] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if _BARE_LABEL_RE.match(line) and k + 1 < len(lines):
            if not _LABEL_START_RE.match(lines[k + 1]):
                out_lines.append(f"{line} {lines[k + 1]}")
                out_numbers.append(numbers[k])
                k += 1
            k += 1
            continue
        out_lines.append(line)
        out_numbers.append(numbers[k])
        k += 1
    return out_lines, out_numbers


#: Page furniture outside the article; inside ``<main>``/``<article>`` a ``<header>`` is the masthead
#: and a ``<footer>`` the signatures (as in the project's own HTML build), so they stay.
_PAGE_ONLY = ("header", "footer")
_NEVER = ("script", "style", "noscript", "template", "iframe", "form", "button", "select", "input", "svg", "nav",
          "aside", "object", "embed", "textarea")


def extract_english_html(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of an English web page, one line per block.

    The Chinese reader (:mod:`bilingual.ingest.html`) finds the article by its Chinese
    prose and drops every ``<header>``/``<footer>``; an English page has no Chinese
    prose, and semantic pages keep the masthead and signatures in an article's
    header and footer. Here: the first ``<main>``, ``<article>`` or usual content
    container, else the body; page-level header, footer, navigation and the
    furniture classes the Chinese reader knows are dropped; lines as that reader
    makes them (blocks, ``<br>``, tables, list numbers).
    """
    from ..ingest import html as zh_html

    text, charset = zh_html._decode(data, path, encoding)
    soup = zh_html.parse_page(text, path)  # bounded size and depth: one line, not a RecursionError
    for tag in soup.find_all(_NEVER):
        tag.decompose()
    for tag in soup.find_all(_PAGE_ONLY):
        if tag.find_parent(["main", "article"]) is None:
            tag.decompose()
    for tag in list(soup.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.parent is None or tag.name in ("html", "body", "main", "article"):
            continue
        if tag.name not in _PAGE_ONLY and zh_html._is_noise(tag) and tag.find_parent(["main", "article"]) is None:
            tag.decompose()
    body = soup.find("main") or soup.find("article")
    if body is None:
        body = next((tag for selector in zh_html._CONTENT_SELECTORS for tag in soup.select(selector)
                     if len(tag.get_text(strip=True)) >= 40), None) or soup.body or soup
    out = zh_html._Lines()
    zh_html._walk(body, out)
    out.flush()
    return "\n".join(out.lines) + "\n", f"html:{charset}"


def read_english(path: str | Path, encoding: str | None = None) -> EnglishText:
    """Read the English version at ``path`` (txt, Markdown, PDF, DOCX or HTML)."""
    from ..ingest import _read_bytes, detect_format

    path = Path(path)
    data = _read_bytes(path)
    if detect_format(data) == "html":
        text, fmt = extract_english_html(data, str(path), encoding)
        return clean_english(text, str(path), fmt)
    text, fmt, joins = extract_text(path, encoding)
    markdown = not fmt.startswith(("pdf", "docx", "html")) and _looks_markdown(path, text)
    return clean_english(text, str(path), "markdown" if markdown else fmt, joins=joins, markdown=markdown)
