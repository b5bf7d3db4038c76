"""QA of reviewed PO files: the CI gate against broken numbers and terminology drift.

:func:`check_catalog` is a pure function from a ``polib.POFile`` to a list of
:class:`Finding`; :func:`check_files` reads files (a file polib cannot parse
becomes one ``syntax`` finding with the line polib names). ``bilingual check``
(``bilingual/cli/review.py``) prints them and exits 1 when any is an error.

Reviewed means: non-empty ``msgstr`` and no ``fuzzy`` flag. Obsolete (``#~``)
entries are ignored. Severities follow one rule: a problem in a reviewed entry
is an **error** (a person signed it off), the same problem in unreviewed MT is a
**warning** (the translator will see it while reviewing).

Checks (``check`` id in findings)
---------------------------------
``syntax``        the file cannot be read or parsed (error).
``header``        ``Language`` is not ``en``, the charset is not UTF-8, or
                  ``X-Bilingual-Document`` is missing (error).
``duplicate``     two entries share a ``msgctxt`` (msgfmt rejects same ctx+msgid;
                  builds key on ctx) (error).
``untranslated``  empty ``msgstr`` (warning; error with ``strict``).
``fuzzy``         unreviewed machine translation (warning; error with ``strict``).
``numbers``       a number, code or percentage of the source is missing from the
                  translation (9610, 70%, 24, 2025). Rule table, :data:`NUMBER_RULES`:

                  ============================  ===========================================
                  source                        accepted in the translation
                  ============================  ===========================================
                  ``7×24`` (any a×b)            ``7×24``, ``7x24``, ``7 × 24``, ``24/7``,
                                                ``24x7``; for 7×24 also "round-the-clock",
                                                "around the clock", "24 hours a day"
                  ``〔2025〕181号``             ``[2025] No. 181`` (also ``(2025) No. 181``)
                  ``2025年6月27日``             2025, 27 and June (or 6)
                  ``8 月`` (a month)            August (or 8)
                  ``70%`` / ``70％``            ``70%``, ``70 %``, ``70 percent``,
                                                ``70 per cent``
                  any other digits              the same digits (``1,000`` = ``1000``);
                                                0–10 may be spelled out (three)
                  ============================  ===========================================

                  Chinese numerals (二十大, 十部门) are out of scope: counting words
                  are translated, not copied, and a rule for them would mostly
                  produce noise.
``glossary``      the source contains a glossary term but the translation lacks its
                  approved English (:meth:`Glossary.english`; case-insensitive,
                  since headings are title-cased, and a plural ``s`` is allowed).
                  An error on reviewed entries for every kind but ``phrase``
                  (recurring policy phrases: a warning, a style hint).
``chinese``       CJK characters or full-width punctuation (，。；：“”（）、《》…)
                  left in the English. “ ” count as full-width: house style is
                  straight quotes, and curly ones in a msgstr are almost always
                  the source's, carried over.
``brackets``      unbalanced ( ) [ ] { } “ ” or an odd number of ``"`` in the
                  translation (only when the source itself is balanced).
``whitespace``    leading/trailing whitespace differs between msgid and msgstr
                  (a newline difference is an error: msgfmt rejects it).

Ecosystem compatibility
-----------------------
A PO file in the contract format passes ``msgfmt --check`` and
``msgfmt --check-format --check-header``, and Translate Toolkit's ``pofilter``
reads it without structural complaints (no ``escapes``, ``newlines``, ``tabs``,
``nplurals``, ``xmltags``, ``variables`` or whitespace findings).
``tests/test_check.py`` runs both on real files and pins this. pofilter's
checks are written for languages that share Latin punctuation and letter case,
so on zh→en files these DO fire, and are expected to. Counts from a real run
(``pofilter --language=en``) on the full Shanghai document as the pipeline
writes it with ``--engine pseudo`` (159 entries, 102 of them MT):

==================  =====  ====================================================
pofilter check      count  why it fires on zh→en
==================  =====  ====================================================
``isfuzzy``          102   every unreviewed MT entry: the same entries
                           ``bilingual check`` reports as ``fuzzy``
``untranslated``       0   empty entries (``bilingual check``: ``untranslated``)
``brackets``         134   pofilter counts ASCII brackets only; the source has
                           （）〔〕《》, the English has ( ) [ ]
``startpunc``        131   （上海海关） vs (Shanghai Customs), “ vs "
``endpunc``           97   。 vs ``.``, ： vs ``:``
``simplecaps``        92   Chinese has no letter case
``startcaps``         58   idem
``doublequoting``     31   “” in the source, ``"`` in the English
``sentencecount``      6   "Co., Ltd." and similar abbreviations end "sentences"
``doublewords``        5   a repeated word; here pseudo-MT's ``[zh:N], [zh:N]``,
                           on real MT "the the": worth a look
``singlequoting``      4   apostrophes ("this year's", "People's")
``numbers``            1   dates and months: 6月 → June, 8 月底 → end of August
                           (our ``numbers`` check knows these rules)
``printf``             1   "70% support": "% s" parses as a printf conversion
==================  =====  ====================================================

With real MT also ``unchanged``, ``long``/``short`` (an engine that copies or
drops Chinese) and ``acronyms`` (AEO, RCEP lost). So pofilter is a useful style
pass for a translator, but it cannot be the gate for zh→en: ``bilingual check``
is. Suggested translator invocation::

    pofilter --language=en -t doublewords -t acronyms -t long -t short \\
        -t unchanged FILE.po findings.po
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import BilingualError
from .fileio import FileAccessError, read_bytes
from .po import active_entries, is_reviewed, parse_text, syntax_error  # first two re-exported

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
CHECKS = ("syntax", "header", "duplicate", "untranslated", "fuzzy", "numbers", "glossary", "chinese",
          "brackets", "whitespace")


@dataclass(frozen=True)
class Finding:
    """One QA problem. ``line`` is the line of the entry in the PO file (0 if unknown)."""

    severity: str
    ctx: str
    check: str
    message: str
    path: str = ""
    line: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- numbers

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TIMES = re.compile(r"(?<![\d.])(\d+)\s*[×xX*]\s*(\d+)")
_DOC_NUMBER = re.compile(r"[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*第?\s*(\d+)\s*号")
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\s*月(?!\s*\d+\s*[日号])")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")

#: The documented rule table (see the module docstring): name → source pattern.
NUMBER_RULES = {
    "times": _TIMES.pattern,
    "document-number": _DOC_NUMBER.pattern,
    "date": _FULL_DATE.pattern,
    "month": _MONTH.pattern,
    "percent": _PERCENT.pattern,
    "number": _NUM.pattern,
}


def _has_number(target: str, number: str) -> bool:
    if re.search(rf"(?<![\d.]){re.escape(number)}(?!\d|\.\d)", target):
        return True
    if number.isdigit() and int(number) <= 10 and number == str(int(number)):
        return re.search(rf"\b{NUMBER_WORDS[int(number)]}\b", target, re.IGNORECASE) is not None
    return False


def _has_month(target: str, month: str) -> bool:
    value = int(month)
    if 1 <= value <= 12 and re.search(rf"\b{MONTHS[value - 1]}\b", target, re.IGNORECASE):
        return True
    return _has_number(target, month)


def _has_times(target: str, a: str, b: str) -> bool:
    for x, y in ((a, b), (b, a)):
        if re.search(rf"(?<!\d){x}\s*[×xX*/]\s*{y}(?!\d)", target):
            return True
    return {a, b} == {"7", "24"} and re.search(
        r"round[- ]the[- ]clock|around the clock|24 hours a day", target, re.IGNORECASE) is not None


def missing_numbers(source: str, target: str) -> list[str]:
    """Numbers of ``source`` (as written there) that ``target`` does not render."""
    src = _GROUPED.sub("", unicodedata.normalize("NFKC", source))
    tgt = _GROUPED.sub("", unicodedata.normalize("NFKC", target))
    missing: list[str] = []

    def blank(match: re.Match) -> str:
        return " " * (match.end() - match.start())

    def rule(pattern: re.Pattern, ok) -> None:
        nonlocal src
        for match in pattern.finditer(src):
            if not ok(match):
                missing.append(match.group().strip())
        src = pattern.sub(blank, src)

    rule(_TIMES, lambda m: _has_times(tgt, m.group(1), m.group(2)))
    rule(_DOC_NUMBER, lambda m: re.search(
        rf"[\[(]\s*{m.group(1)}\s*[\])]\s*(?:No\.?\s*)?{m.group(2)}(?!\d)", tgt, re.IGNORECASE) is not None)
    rule(_FULL_DATE, lambda m: _has_number(tgt, m.group(1)) and _has_month(tgt, m.group(2))
         and _has_number(tgt, str(int(m.group(3)))))
    rule(_MONTH, lambda m: _has_month(tgt, m.group(1)))
    rule(_PERCENT, lambda m: re.search(
        rf"(?<![\d.]){re.escape(m.group(1))}\s*(?:%|percent\b|per cent\b)", tgt, re.IGNORECASE) is not None)
    for match in _NUM.finditer(src):
        if not _has_number(tgt, match.group()) and match.group() not in missing:
            missing.append(match.group())
    return missing


# --------------------------------------------------------------------------- characters

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
FULLWIDTH_PUNCTUATION = "，。；：“”（）、《》〔〕【】！？「」『』〈〉﹁﹂"
_FULLWIDTH_RE = re.compile("[" + re.escape(FULLWIDTH_PUNCTUATION) + "\u3000-\u303f\uff01-\uff60]")


def chinese_left(text: str) -> list[str]:
    """CJK runs and full-width punctuation found in ``text`` (in order, distinct)."""
    found: list[str] = []
    for match in sorted([*_CJK_RE.finditer(text), *_FULLWIDTH_RE.finditer(text)], key=lambda m: m.start()):
        if match.group() not in found:
            found.append(match.group())
    return found


_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”"}
_SOURCE_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "（": "）", "《": "》", "〔": "〕", "【": "】",
                 "「": "」", "『": "』", "［": "］", "〈": "〉"}


def unbalanced(text: str, pairs: dict[str, str] = _PAIRS) -> str:
    """A description of the first bracket problem in ``text``, or ``""``."""
    closers = {close: open_ for open_, close in pairs.items()}
    stack: list[str] = []
    for char in text:
        if char in pairs:
            stack.append(char)
        elif char in closers:
            if not stack or stack[-1] != closers[char]:
                return f"unexpected {char!r}"
            stack.pop()
    if stack:
        return f"{stack[-1]!r} is never closed"
    if text.count('"') % 2:
        return 'odd number of "'
    return ""


# --------------------------------------------------------------------------- glossary

_QUOTES = "\"'“”‘’"


def english_pattern(english: str) -> re.Pattern:
    """Where an approved English term occurs in a translation.

    Lenient where style legitimately differs: any letter case (headings are
    title-cased), a plural ``s``, and quote marks (the glossary writes
    上海国际贸易“单一窗口” as "Shanghai International Trade Single Window"; a
    translation may quote "Single Window"; straight or curly quotes alike).
    """
    quote = "[" + re.escape(_QUOTES) + "]"
    parts = []
    for token in re.findall(rf"\s+|{quote}|[^\s{re.escape(_QUOTES)}]+", english):
        if token.isspace():
            parts.append(rf"(?:\s|{quote})+")
        elif token in _QUOTES:
            parts.append(f"{quote}?")
        else:
            parts.append(re.escape(token))
    pattern = "".join(parts)
    left = r"(?<![A-Za-z0-9])" if english[:1].isalnum() else ""
    right = r"(?:s|es)?(?![A-Za-z0-9])" if english[-1:].isalnum() else ""
    return re.compile(left + pattern + right, re.IGNORECASE)


def _has_english(target: str, english: str) -> bool:
    return english_pattern(english).search(target) is not None


def missing_terms(source: str, target: str, glossary) -> list[tuple[str, str, str]]:
    """(zh, approved English, kind) of glossary terms in ``source`` whose English ``target`` lacks."""
    missing: list[tuple[str, str, str]] = []
    for match in glossary.match(source):
        english = glossary.english(match.term)
        pair = (source[match.start:match.end], english, match.term.kind)
        if english and not _has_english(target, english) and pair not in missing:
            missing.append(pair)
    return missing


# --------------------------------------------------------------------------- the checks

def _header_findings(po, path: str) -> list[Finding]:
    meta = po.metadata
    out: list[Finding] = []
    language = meta.get("Language", "").strip()
    if not re.fullmatch(r"en(?:[-_][A-Za-z]+)?", language):
        out.append(Finding(ERROR, "", "header", f"Language is {language or 'missing'!r}, expected 'en'", path))
    content_type = meta.get("Content-Type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if not charset or charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        out.append(Finding(ERROR, "", "header",
                           f"Content-Type must declare charset=UTF-8 (found {content_type or 'nothing'!r})", path))
    if not meta.get("X-Bilingual-Document", "").strip():
        out.append(Finding(ERROR, "", "header", "X-Bilingual-Document header is missing", path))
    return out


def check_entry(entry, glossary=None, *, strict: bool = False, path: str = "") -> list[Finding]:
    """Findings for one (active) entry."""
    ctx = entry.msgctxt or ""
    line = entry.linenum or 0
    reviewed = is_reviewed(entry)
    severity = ERROR if reviewed else WARNING
    gate = ERROR if strict else WARNING
    out: list[Finding] = []

    def add(sev: str, check: str, message: str) -> None:
        out.append(Finding(sev, ctx, check, message, path, line))

    if not entry.msgstr:
        add(gate, "untranslated", "not translated")
        return out
    if "fuzzy" in entry.flags:
        add(gate, "fuzzy", "machine translation not reviewed (fuzzy)")
    source, target = entry.msgid, entry.msgstr

    numbers = missing_numbers(source, target)
    if numbers:
        add(severity, "numbers", "missing from the translation: " + ", ".join(numbers))
    if glossary is not None:
        for zh, english, kind in missing_terms(source, target, glossary):
            # Names, codes, regimes, places, slogans and titles are binding: an error once
            # reviewed. Recurring policy phrases are a house-style hint (they are not
            # placeholder-protected either), so they stay warnings.
            add(severity if kind != "phrase" else WARNING, "glossary", f"{zh} must be translated as {english!r}")
    left = chinese_left(target)
    if left:
        add(severity, "chinese", "Chinese text or full-width punctuation in the translation: " + " ".join(left))
    if not unbalanced(source, _SOURCE_PAIRS):
        problem = unbalanced(target)
        if problem:
            add(severity, "brackets", f"unbalanced brackets or quotes in the translation: {problem}")
    for side, (a, b) in (("leading", (source[:1], target[:1])), ("trailing", (source[-1:], target[-1:]))):
        if (a == "\n") != (b == "\n"):
            add(ERROR, "whitespace", f"{side} newline differs between source and translation (msgfmt rejects it)")
        elif a.isspace() != b.isspace():
            add(WARNING, "whitespace", f"{side} whitespace differs between source and translation")
    return out


def check_catalog(po, glossary=None, *, path: str | Path = "", strict: bool = False) -> list[Finding]:
    """Every finding for a catalogue, header first, then entries in file order."""
    path = str(path)
    findings = _header_findings(po, path)
    seen: dict[str, int] = {}
    for entry in active_entries(po):
        ctx = entry.msgctxt or ""
        if ctx:
            if ctx in seen:
                findings.append(Finding(ERROR, ctx, "duplicate",
                                        f"msgctxt {ctx!r} is used twice (first at line {seen[ctx]})",
                                        path, entry.linenum or 0))
            seen.setdefault(ctx, entry.linenum or 0)
        findings.extend(check_entry(entry, glossary, strict=strict, path=path))
    return findings


def load_po(path: str | Path):
    """Parse a PO file or raise :class:`BilingualError` naming the file (and line)."""
    path = Path(path)
    try:
        data = read_bytes(path)  # bounded (--max-size); polib would parse a missing path as PO text
    except FileAccessError as exc:
        if exc.missing:
            raise FileAccessError("PO file not found", path, missing=True) from None
        raise
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = BilingualError(f"not valid UTF-8 (byte {exc.start}); PO files must be UTF-8", path)
        error.line = data[: exc.start].count(b"\n") + 1
        raise error from None
    # The same strict lexical check as the merge: polib silently mis-reads some broken files
    # (an unterminated string), which the gate must fail just as msgfmt does.
    problem = syntax_error(text)
    if problem is not None:
        error = BilingualError(f"PO syntax error at {problem.removeprefix('syntax error at ')}", path)
        where = re.search(r"line (\d+)", problem)
        error.line = int(where.group(1)) if where else 0
        raise error
    try:
        return parse_text(text)
    except (OSError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        line = re.search(r"\(line (\d+)\)", message)
        detail = message.split(": ", 1)[1] if line and "): " in message else ""
        where = f"line {line.group(1)}" if line else ""
        text = "PO syntax error" + (f" at {where}" if where else "") + (f": {detail}" if detail else "")
        if not line:
            text = f"cannot parse PO file: {message}"
        error = BilingualError(text, path)
        error.line = int(line.group(1)) if line else 0
        raise error from None


def check_files(paths: Iterable[str | Path], glossary=None, *, strict: bool = False) -> list[Finding]:
    """Check several files; an unreadable file is one ``syntax`` error finding."""
    findings: list[Finding] = []
    for path in paths:
        try:
            po = load_po(path)
        except FileAccessError as exc:
            if not exc.missing:
                raise  # a directory, no permission, too big: the environment, exit 2 (not a finding)
            findings.append(Finding(ERROR, "", "syntax", exc.message, str(path), 0))
            continue
        except BilingualError as exc:
            findings.append(Finding(ERROR, "", "syntax", exc.message, str(path), getattr(exc, "line", 0)))
            continue
        findings.extend(check_catalog(po, glossary, path=path, strict=strict))
    return findings


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def exit_code(findings: Iterable[Finding]) -> int:
    """1 when any finding is an error, else 0."""
    return 1 if any(f.severity == ERROR for f in findings) else 0
