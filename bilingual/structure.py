"""Stage 2: recognise the parts of a 公文 in cleaned text and give each a stable key.

A document of this genre is a cover notice followed by an attachment::

    上海市商务委员会            ISSUER        notice.issuer-1 …
    文件                        MASTHEAD      notice.masthead
    沪商自贸〔2025〕181号       DOC_NUMBER    notice.doc-number
    …关于印发《…》的通知       TITLE         notice.title
    各相关单位：                ADDRESSEE     notice.addressee
    为深入贯彻…                 BODY          notice
    上海市商务委员会            SIGNATORY     notice.signatory-1 …
    2025年6月27日               DATE          notice.date
    (此件主动公开发布)          DISCLOSURE    notice.disclosure
    …若干措施                   ATTACHMENT_TITLE attachment.title
    为深入贯彻…                 PREAMBLE      preamble
    一、优化监管模式…           SECTION_TITLE section-1.title
    (一)…。（上海海关）         MEASURE       measure-1
                                AGENCIES      measure-1.agencies
    anything else               PARAGRAPH     paragraph-N

Keys are a public contract (they become PO msgctxt prefixes). Every part is
optional; a text without sections or numbered measures comes out as PARAGRAPH
blocks with a warning. Measure and section keys use their position in the
document (1, 2, 3 …), which equals the number written in the label for a
normally numbered document; a label out of sequence is kept as written in
``Block.label`` / ``Block.number`` and reported in ``Document.warnings``.
"""

from __future__ import annotations

import difflib
import re

from .ingest import (
    CN_NUMERAL,
    is_attachment_label,
    is_date_line,
    is_doc_number,
    is_masthead_line,
    is_org_name,
)
from .model import (
    ADDRESSEE,
    AGENCIES,
    ATTACHMENT_TITLE,
    BODY,
    DATE,
    DISCLOSURE,
    DOC_NUMBER,
    ISSUER,
    MASTHEAD,
    MEASURE,
    PARAGRAPH,
    PREAMBLE,
    SECTION_TITLE,
    SIGNATORY,
    TITLE,
    Block,
    CleanText,
    Document,
)

__all__ = ["parse", "chinese_numeral_to_int", "split_agencies", "NO_STRUCTURE_WARNING"]

NO_STRUCTURE_WARNING = "no sections or numbered measures recognised; translating as plain paragraphs"

_NUM = f"[{CN_NUMERAL}]+"
_SECTION_RE = re.compile(rf"^(?P<label>(?P<num>{_NUM})、)\s*(?P<text>.+)$")
_MEASURE_RE = re.compile(rf"^(?P<label>[(（]\s*(?P<num>{_NUM}|[0-9０-９]+)\s*[)）])\s*")
_DISCLOSURE_RE = re.compile(r"^[(（]此件.{1,20}[)）]$")
_FIRST_SENTENCE_RE = re.compile(r"^.*?[。！？]")
_ROLE_PREFIX_RE = re.compile(r"^[^：:、]{1,8}[：:]")  # 牵头单位： / 责任单位：

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: Issuer and signatory names at least this similar are the same body written two ways
#: (上海市海事局 / 上海海事局).
SAME_BODY_RATIO = 0.85


def chinese_numeral_to_int(text: str) -> int:
    """``一`` → 1, ``十五`` → 15, ``三十一`` → 31, ``一百零五`` → 105, ``15`` → 15.

    Accepts Chinese numerals up to 九千九百九十九 (十, 百, 千 with 零/〇 as a place
    holder, 两 for 2), digit-by-digit forms (``二〇二五`` → 2025) and Arabic digits
    (ASCII or full-width). Raises :class:`ValueError` for anything else.
    """
    s = text.strip()
    if not s:
        raise ValueError("empty numeral")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        raise ValueError(f"not a numeral: {text!r}")
    if not any(ch in _UNITS for ch in s):
        if len(s) == 1:
            return _DIGITS[s]
        return int("".join(str(_DIGITS[ch]) for ch in s))  # 二〇二五
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in s:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise ValueError(f"not a numeral: {text!r}")
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"not a numeral: {text!r}")
            if digit is None:
                if total:  # 一百十 is written 一百一十
                    raise ValueError(f"not a numeral: {text!r}")
                digit = 1  # 十五 = 15
            elif digit == 0:
                raise ValueError(f"not a numeral: {text!r}")
            total += digit * unit
            digit = None
            last_unit = unit
    if digit:
        total += digit
    return total


def _find_final_paren(text: str) -> int | None:
    """Index of the bracket opening the parenthesis that ends ``text``, or None."""
    if not text or text[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            depth -= 1
            if depth == 0:
                return i
    return None


def split_agencies(paren: str) -> tuple[str, ...]:
    """``（上海海关、市公安局）`` → ``("上海海关", "市公安局")``.

    Names are separated by 、; groups by ；, each group may start with a role such as
    ``牵头单位：`` which is not a name.
    """
    inner = paren[1:-1] if paren[:1] in "(（" and paren[-1:] in ")）" else paren
    names: list[str] = []
    for group in re.split(r"[；;]", inner):
        group = _ROLE_PREFIX_RE.sub("", group.strip(), count=1)
        names.extend(name.strip() for name in group.split("、") if name.strip())
    return tuple(names)


def _split_measure(rest: str) -> tuple[str, str]:
    """Split a measure's text (label removed) into (text, final agencies parenthesis or "")."""
    start = _find_final_paren(rest)
    if start is None or start == 0:
        return rest, ""
    before, paren = rest[:start].rstrip(), rest[start:]
    inner = paren[1:-1].strip()
    if not before or before[-1] not in "。！？；…”":
        return rest, ""  # 〔…（MaaS）〕 at the end of a sentence, not a list of agencies
    if not inner or any(ch in "，。！？,!?" for ch in inner):
        return rest, ""
    names = split_agencies(paren)
    if not names or any(len(name) > 30 for name in names):
        return rest, ""
    return before, paren


def _numeral(match: re.Match[str] | None) -> int | None:
    if match is None:
        return None
    try:
        return chinese_numeral_to_int(match["num"])
    except ValueError:  # 一二、三类 is not a heading label
        return None


def _section_match(text: str) -> tuple[re.Match[str], int] | None:
    """``一、优化监管模式…`` (a short title without sentence punctuation) → (match, number)."""
    match = _SECTION_RE.match(text)
    value = _numeral(match)
    if match is None or value is None or len(text) > 60 or any(ch in "。！？；" for ch in text):
        return None
    return match, value


def _measure_match(text: str) -> tuple[re.Match[str], int] | None:
    """``（十五）进一步…`` / ``(1)…`` → (match, number)."""
    match = _MEASURE_RE.match(text)
    value = _numeral(match)
    if match is None or value is None or match.end() == len(text):  # a label alone is no measure
        return None
    return match, value


def _is_structure_start(text: str) -> bool:
    return _section_match(text) is not None or _measure_match(text) is not None


def _is_addressee(text: str) -> bool:
    return text.endswith(("：", ":")) and len(text) <= 40 and not any(ch in "。，；" for ch in text)


def _is_title_like(text: str) -> bool:
    return len(text) <= 80 and not any(ch in "。，；！？" for ch in text) and not _is_structure_start(text)


def _first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE_RE.match(text)
    return match.group(0) if match else text


def _masthead_warnings(issuers: list[Block], signatories: list[Block]) -> list[str]:
    """Warn about masthead issuers that match no signatory (likely extraction errors)."""
    if not issuers or not signatories:
        return []
    free = list(signatories)
    unmatched: list[Block] = []
    for issuer in issuers:
        same = next((s for s in free if s.text == issuer.text), None)
        if same is not None:
            free.remove(same)
        else:
            unmatched.append(issuer)
    warnings = []
    for issuer in unmatched:
        pool = free or signatories
        best = max(pool, key=lambda s: difflib.SequenceMatcher(None, issuer.text, s.text).ratio())
        ratio = difflib.SequenceMatcher(None, issuer.text, best.text).ratio()
        if free and ratio >= SAME_BODY_RATIO:
            free.remove(best)  # the same body, written with / without 市
            continue
        warnings.append(
            f"line {issuer.line}: masthead issuer '{issuer.text}' is not a known issuing body "
            f"(it matches no signatory); it most resembles signatory '{best.text}' (line {best.line}) "
            "— probably a text-extraction error, kept as written"
        )
    return warnings


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0

    def add(self, kind: str, key: str, text: str, line: int, **extra) -> Block:
        block = Block(kind=kind, key=key, text=text, line=line, **extra)
        self.blocks.append(block)
        return block

    def paragraph(self, text: str, line: int, section: int | None = None) -> Block:
        self.paragraphs += 1
        return self.add(PARAGRAPH, f"paragraph-{self.paragraphs}", text, line, section=section)


def parse(clean: CleanText) -> Document:
    """Turn cleaned text into a :class:`Document` of keyed blocks (see the module docstring)."""
    lines = list(zip(clean.lines, clean.line_numbers, strict=True))
    n = len(lines)
    out = _Builder()
    warnings: list[str] = []
    doc_number = title = date = ""
    i = 0

    # --- masthead: issuing bodies, one per line, closed by 文件
    issuers: list[Block] = []
    for j, (text, _) in enumerate(lines[:30]):
        if is_masthead_line(text):
            for k, (issuer, number) in enumerate(lines[:j], start=1):
                issuers.append(out.add(ISSUER, f"notice.issuer-{k}", issuer, number))
            line = lines[j][1]
            if text != "文件":  # 上海市商务委员会文件: issuer and masthead on one line
                issuers.append(out.add(ISSUER, f"notice.issuer-{len(issuers) + 1}", text[:-2].rstrip(), line))
                text = "文件"
            out.add(MASTHEAD, "notice.masthead", text, line)
            i = j + 1
            break
        if not is_org_name(text):
            break
    notice = bool(issuers) or (i > 0)

    # --- document number
    if i < n and is_doc_number(lines[i][0]):
        doc_number = lines[i][0]
        out.add(DOC_NUMBER, "notice.doc-number", doc_number, lines[i][1])
        notice = True
        i += 1

    # --- title and addressee
    addressee = next((j for j in range(i, min(n, i + 5)) if _is_addressee(lines[j][0])), None)
    if addressee is not None and not any(_is_structure_start(t) for t, _ in lines[i:addressee]):
        notice = True
        title_lines = lines[i:addressee]
        for text, number in title_lines:
            out.add(TITLE, "notice.title", text, number)
        title = "".join(text for text, _ in title_lines)
        if len(title_lines) > 1:
            warnings.append(
                f"line {title_lines[0][1]}: the title is {len(title_lines)} separate lines; check the line joins"
            )
        out.add(ADDRESSEE, "notice.addressee", lines[addressee][0], lines[addressee][1])
        i = addressee + 1
    elif notice and i < n and _is_title_like(lines[i][0]):
        title = lines[i][0]
        out.add(TITLE, "notice.title", title, lines[i][1])
        i += 1

    # --- body, signatories, date, disclosure
    signatories: list[Block] = []
    if notice:
        # The notice ends with signatories and a date. Numbered items may occur in the
        # notice body (现将有关事项通知如下：一、…), so a date after the first heading still
        # closes the notice when signatories precede it.
        end = next((j for j in range(i, n) if _is_structure_start(lines[j][0])), n)
        d = next((j for j in range(i, n) if is_date_line(lines[j][0])), None)
        if d is not None and d > end and not is_org_name(lines[d - 1][0]):
            d = None
        if d is None:
            for text, number in lines[i:end]:
                out.add(BODY, "notice", text, number)
            i = end
        else:
            s = d
            while s > i and is_org_name(lines[s - 1][0]):
                s -= 1
            for text, number in lines[i:s]:
                out.add(BODY, "notice", text, number)
            for k, (text, number) in enumerate(lines[s:d], start=1):
                signatories.append(out.add(SIGNATORY, f"notice.signatory-{k}", text, number))
            date = lines[d][0]
            out.add(DATE, "notice.date", date, lines[d][1])
            i = d + 1
            if i < n and _DISCLOSURE_RE.match(lines[i][0]):
                out.add(DISCLOSURE, "notice.disclosure", lines[i][0], lines[i][1])
                i += 1
    warnings.extend(_masthead_warnings(issuers, signatories))

    # --- attachment: title and preamble before the first section / measure
    start = next((j for j in range(i, n) if _is_structure_start(lines[j][0])), None)
    if start is None:
        for text, number in lines[i:]:
            out.paragraph(text, number)
        warnings.append(NO_STRUCTURE_WARNING)
        return _document(clean, out, doc_number, title, date, warnings)

    have_title = False
    for text, number in lines[i:start]:
        if is_attachment_label(text):
            out.paragraph(text, number)
        elif not have_title and _is_title_like(text):
            out.add(ATTACHMENT_TITLE, "attachment.title", text, number)
            have_title = True
            title = title or text
        else:
            out.add(PREAMBLE, "preamble", text, number)

    # --- sections and measures
    section: int | None = None
    sections = measures = in_section = 0
    for text, number in lines[start:]:
        found = _section_match(text)
        if found is not None:
            match, value = found
            sections += 1
            in_section = 0
            section = sections
            if value != sections:
                warnings.append(
                    f"line {number}: section label {match['label']} out of sequence (section {sections})"
                )
            out.add(
                SECTION_TITLE, f"section-{section}.title", match["text"], number,
                section=section, label=match["label"], number=value,
            )  # fmt: skip
            continue
        found = _measure_match(text)
        if found is None:
            out.paragraph(text, number, section)
            continue
        match, value = found
        measures += 1
        in_section += 1
        if value not in (measures, in_section):
            warnings.append(
                f"line {number}: measure label {match['label']} out of sequence (measure {measures})"
            )
        body, paren = _split_measure(text[match.end() :])
        agencies = split_agencies(paren) if paren else ()
        if not paren:
            warnings.append(f"line {number}: measure {measures} has no final lead-agency parenthesis")
        out.add(
            MEASURE, f"measure-{measures}", body, number,
            section=section, measure=measures, label=match["label"], number=value, agencies=agencies,
        )  # fmt: skip
        if paren:
            out.add(
                AGENCIES, f"measure-{measures}.agencies", paren, number,
                section=section, measure=measures, agencies=agencies,
            )  # fmt: skip
    return _document(clean, out, doc_number, title, date, warnings)


def _document(
    clean: CleanText, out: _Builder, doc_number: str, title: str, date: str, warnings: list[str]
) -> Document:
    blocks = tuple(out.blocks)
    return Document(
        source=clean.path,
        blocks=blocks,
        doc_number=doc_number,
        title=title,
        date=date,
        warnings=tuple(warnings),
        section_titles={b.section: b.text for b in blocks if b.kind == SECTION_TITLE and b.section},
        measure_titles={
            b.measure: _first_sentence(b.text) for b in blocks if b.kind == MEASURE and b.measure
        },
    )
