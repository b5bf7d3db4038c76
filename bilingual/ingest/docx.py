"""DOCX reader (python-docx): body paragraphs with their list numbers, and tables.

* Paragraphs in document order, one line each. Text comes from the runs as Word
  shows it: ``w:t``, tabs, line breaks (a new line); page and column breaks inside a
  paragraph do not end it; deleted text (tracked changes), field codes and text
  boxes are left out. Headers, footers and footnotes are other parts and are never
  read — so page numbers and running headers are gone by construction.
* Automatic list numbering is rebuilt and put before the text, as printed:
  ``（一）`` from ``lvlText="（%1）"`` + ``chineseCounting``, ``1.`` from ``decimal``,
  ``一、``, ``①`` …, with the counters Word keeps (per list, per level; deeper
  levels restart unless ``lvlRestart`` says otherwise; ``startOverride``). Without
  this a numbered DOCX loses every ``（一）`` the structure stage needs.
* Tables become one line per row, ``| cell | cell |``. A cell's paragraphs are
  joined with a space; a vertically merged cell repeats its text in each row it
  covers (it is the same value); a horizontally merged cell is followed by empty
  cells so that columns stay aligned. Nested tables are flattened into their cell.
"""

from __future__ import annotations

from io import BytesIO

from ..errors import BilingualError
from ..numerals import roman
from .limits import bounded_int, check_zip

__all__ = ["extract_docx", "format_number"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_CN_DIGITS = "〇一二三四五六七八九"
_SKIP = {_q("del"), _q("moveFrom"), _q("instrText"), _q("delText"), _q("txbxContent"), _q("pPr"), _q("rPr")}
_SKIP |= {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}
_IDEOGRAPH_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_IDEOGRAPH_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"


def _chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out = []
    rest = n
    zero = False
    for value, unit in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out.append("零")
                zero = False
            if not (value == 10 and digit == 1 and not out):
                out.append(_CN_DIGITS[digit])
            out.append(unit)
        elif out:
            zero = True
    if rest:
        if zero:
            out.append("零")
        out.append(_CN_DIGITS[rest])
    return "".join(out)


#: Roman and letter counters are written up to here (MMMCMXCIX; at most 154 letters), decimal beyond.
_MAX_ALPHA = 3999


def _letters(n: int) -> str:
    # Word: a..z, aa..zz, aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """A list counter in a Word number format (``chineseCounting`` 11 → ``十一``)."""
    if fmt in ("decimal", "decimalZero"):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "chineseLegalSimplified"):  # fmt: skip
        return _chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _IDEOGRAPH_TRADITIONAL[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _IDEOGRAPH_ZODIAC[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("upperRoman", "lowerRoman", "upperLetter", "lowerLetter") and not 0 < n <= _MAX_ALPHA:
        return str(n)  # a counter no document reaches (a hostile start="99999999999"): not n // 1000 M's
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


#: Word's own bounds on the numbers a document declares (ECMA-376 / what Word writes): list levels
#: 0-8, a counter start up to 32767, a cell spanning at most 63 grid columns. A value past them, or
#: no number at all, is a broken or hostile file: clamped or defaulted, never a traceback, and never
#: ``[""] * 999999999`` columns or a Roman numeral of 10^14 letters.
MAX_ILVL = 8
MAX_START = 32767
MAX_SPAN = 63


def _val(element, tag: str, default: str | None = None) -> str | None:
    child = element.find(_q(tag)) if element is not None else None
    if child is None:
        return default
    return child.get(_q("val"), default)


class _Numbering:
    """Word's list counters: w:num → w:abstractNum levels, counted per list and level."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, dict]] = {}  # numId → ilvl → {fmt, text, start, restart}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbers: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            part = None
        root = part.element if part is not None else None
        if root is not None:
            abstract: dict[str, dict[int, dict]] = {}
            for node in root.findall(_q("abstractNum")):
                abstract[node.get(_q("abstractNumId"))] = {
                    bounded_int(lvl.get(_q("ilvl")), 0, 0, MAX_ILVL): self._level(lvl) for lvl in node.findall(_q("lvl"))
                }
            for num in root.findall(_q("num")):
                levels = {k: dict(v) for k, v in abstract.get(_val(num, "abstractNumId") or "", {}).items()}
                for override in num.findall(_q("lvlOverride")):
                    ilvl = bounded_int(override.get(_q("ilvl")), 0, 0, MAX_ILVL)
                    start = _val(override, "startOverride")
                    lvl = override.find(_q("lvl"))
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl)
                    if start is not None and ilvl in levels:
                        levels[ilvl]["start"] = bounded_int(start, 1, 0, MAX_START)
                self.levels[num.get(_q("numId"))] = levels
        styles = document.styles.element
        for style in styles.findall(_q("style")):
            ppr = style.find(_q("pPr"))
            numpr = ppr.find(_q("numPr")) if ppr is not None else None
            if numpr is not None and _val(numpr, "numId"):
                self.style_numbers[style.get(_q("styleId"))] = (
                    _val(numpr, "numId"),
                    bounded_int(_val(numpr, "ilvl"), 0, 0, MAX_ILVL),
                )
        self.based_on = {
            s.get(_q("styleId")): _val(s, "basedOn")
            for s in styles.findall(_q("style"))
            if _val(s, "basedOn")
        }

    @staticmethod
    def _level(lvl) -> dict:
        restart = _val(lvl, "lvlRestart")
        return {
            "fmt": _val(lvl, "numFmt", "decimal"),
            "text": _val(lvl, "lvlText", ""),
            "start": bounded_int(_val(lvl, "start"), 1, 0, MAX_START),
            "restart": None if restart is None else bounded_int(restart, 0, 0, MAX_ILVL + 1),
            "legal": lvl.find(_q("isLgl")) is not None,
        }

    def _style_number(self, style_id: str | None) -> tuple[str, int] | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.style_numbers:
                return self.style_numbers[style_id]
            style_id = self.based_on.get(style_id)
        return None

    def label(self, p) -> str:
        """The printed list label of paragraph element ``p`` (advancing the counters), or ``""``."""
        ppr = p.find(_q("pPr"))
        numpr = ppr.find(_q("numPr")) if ppr is not None else None
        num_id = ilvl = None
        if numpr is not None:
            num_id, ilvl = _val(numpr, "numId"), _val(numpr, "ilvl")
        if num_id is None:
            found = self._style_number(_val(ppr, "pStyle") if ppr is not None else None)
            if found is None:
                return ""
            num_id, style_ilvl = found
            ilvl = ilvl if ilvl is not None else str(style_ilvl)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        level = bounded_int(ilvl, 0, 0, MAX_ILVL)
        levels = self.levels[num_id]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level]["start"] - 1) + 1
        for deeper, spec in levels.items():  # restart deeper levels as Word does
            if deeper > level and deeper in counters:
                restart = spec["restart"]
                if restart is None or (restart != 0 and level <= restart - 1):
                    del counters[deeper]
        text = levels[level]["text"] or ""
        for k in range(9):
            token = f"%{k + 1}"
            if token in text:
                spec = levels.get(k, {"fmt": "decimal", "start": 1})
                value = counters.get(k, spec["start"])
                fmt = "decimal" if levels[level].get("legal") else spec["fmt"]
                text = text.replace(token, format_number(value, fmt))
        return text


def _runs_text(element) -> str:
    """Visible text of a paragraph (or any element) without deleted text, field codes, text boxes."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _q("t"):
                parts.append(child.text or "")
            elif tag == _q("tab"):
                parts.append("\t")
            elif tag in (_q("br"), _q("cr")):
                if child.get(_q("type")) not in ("page", "column"):
                    parts.append("\n")
            elif tag == _q("noBreakHyphen"):
                parts.append("-")
            elif tag == _q("tbl"):
                continue  # a table nested in a paragraph's content: read by its cell
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _cell_text(tc, numbering: _Numbering) -> str:
    pieces: list[str] = []
    for child in tc:
        if child.tag == _q("p"):
            text = (numbering.label(child) + _runs_text(child)).strip()
        elif child.tag == _q("tbl"):
            text = " ".join(" ".join(row) for row in _table_rows(child, numbering))
        else:
            continue
        if text.strip():
            pieces.append(" ".join(text.split()))
    return " ".join(pieces).replace("|", "｜")


def _table_rows(tbl, numbering: _Numbering) -> list[list[str]]:
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # column → text of the cell a vMerge continues
    for tr in tbl.findall(_q("tr")):
        row: list[str] = []
        column = 0
        for tc in tr.findall(_q("tc")):
            tcpr = tc.find(_q("tcPr"))
            span = bounded_int(_val(tcpr, "gridSpan"), 1, 1, MAX_SPAN) if tcpr is not None else 1
            vmerge = tcpr.find(_q("vMerge")) if tcpr is not None else None
            if vmerge is not None and vmerge.get(_q("val"), "continue") == "continue":
                text = above.get(column, "")
            else:
                text = _cell_text(tc, numbering)
            above[column] = text
            row.append(text)
            row.extend([""] * (span - 1))
            column += span
        rows.append(row)
    return rows


def extract_docx(data: bytes, path: str) -> str:
    """The text of a DOCX body: one line per paragraph (with its list label), one per table row."""
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency
        raise BilingualError("reading DOCX needs python-docx (pip install python-docx)", path) from None
    check_zip(data, path)  # declared sizes, before python-docx decompresses anything
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors … for broken files
        raise BilingualError(f"is not a readable Word document: {type(exc).__name__}: {exc}", path) from None
    numbering = _Numbering(document)
    lines: list[str] = []
    for child in document.element.body:
        if child.tag == _q("p"):
            label = numbering.label(child)
            lines.extend((label + _runs_text(child)).split("\n"))
            lines.append("")  # a paragraph ends: clean_text sees a blank line
        elif child.tag == _q("tbl"):
            for row in _table_rows(child, numbering):
                if any(cell.strip() for cell in row):
                    lines.append("| " + " | ".join(row) + " |")
            lines.append("")
        elif child.tag == _q("sdt"):  # content control wrapping paragraphs
            content = child.find(_q("sdtContent"))
            if content is not None:
                for p in content.iter(_q("p")):
                    lines.append(numbering.label(p) + _runs_text(p))
                    lines.append("")
    return "\n".join(lines)
