"""QA of reviewed PO files: the CI gate against broken numbers and terminology drift.

:func:`check_catalog` is a pure function from a ``polib.POFile`` to a list of
:class:`Finding`; :func:`check_files` reads files (a file ``msgfmt`` would reject
becomes one ``syntax`` finding with its line). ``bilingual check``
(``bilingual/cli/review.py``) prints them and exits 1 when any is an error.
This module runs the file-wide checks (``syntax``, ``header``, ``duplicate``,
``empty``, a pseudo dry run) and documents them all; the checks of one entry are
:func:`bilingual.checkentry.check_entry`, the record and its severities
:mod:`bilingual.checkfindings` (both importable from here, as before the split).

Reviewed means: non-empty ``msgstr`` and no ``fuzzy`` flag. Obsolete (``#~``)
entries are ignored. Severities follow one rule: a problem in a reviewed entry
is an **error** (a person signed it off), the same problem in unreviewed MT is a
**warning** (the translator will see it while reviewing).

Checks (``check`` id in findings)
---------------------------------
``syntax``        the file is not one ``msgfmt --check`` accepts (error): not UTF-8,
                  an MO file, a lost ``msgstr`` keyword or line, a comment inside an
                  entry, an invalid escape (``\\q``), an unterminated string, a
                  duplicate (an obsolete one included), a plural entry without the
                  forms ``Plural-Forms`` announces, no header (``bilingual.po.syntax``).
``header``        ``Language`` is not English (``en``, ``en_US``, ``en-GB``… are), the
                  charset is not UTF-8, or ``X-Bilingual-Document`` is missing (error).
``duplicate``     two entries share a ``msgctxt`` (msgfmt rejects same ctx+msgid;
                  builds key on ctx) (error).
``empty``         the file has no (active) entry: a header alone, an emptied or
                  truncated file (warning; error with ``strict``).
``source``        (``check --config``) the PO file does not hold the source's
                  sentences: one missing, or with another Chinese under its id
                  (error: run ``translate``); an entry the source no longer has
                  (warning) — see :mod:`bilingual.checksource`.
``untranslated``  empty ``msgstr`` (warning; error with ``strict``).
``fuzzy``         unreviewed machine translation (warning; error with ``strict``).
``numbers``       a number, code or percentage of the source is missing from the
                  translation (9610, 70%, 24, 2025). Rule table, :data:`bilingual.checknumbers.NUMBER_RULES`:

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
                  ``6600万``, ``13亿``,          the digits as written, or the same value
                  ``2.5万亿`` (万 10⁴, 亿 10⁸)    in English scale words: ``66 million``,
                                                ``1.3 billion``, ``2.5 trillion``,
                                                ``66,000,000``
                  any other digits              the same digits (``1,000`` = ``1000``);
                                                0–10 may be spelled out (three)
                  ============================  ===========================================

                  Chinese numerals (二十大, 十部门) are out of scope: counting words
                  are translated, not copied, and a rule for them would mostly
                  produce noise.

                  The other way round, :func:`added_numbers` lists numbers of the
                  translation that the source does not give (as digits, as a 万/亿
                  value, as a Chinese numeral — 第三条 → Article 3 — or inside the
                  approved English of a glossary term of the source): a warning,
                  reviewed or not, since a translator may resolve 今年 ("this
                  year") to 2025 on purpose; a *changed* number is also missing,
                  hence an error once reviewed.
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
                  (a newline difference is an error where msgfmt rejects it: in an
                  entry that is not fuzzy).
``names``         a name list the glossary renders — a measure's lead agencies
                  (``measure-N.agencies``, ``.partners``), the masthead's issuers,
                  the signatories — differs from that rendering: compared whole,
                  name by name, order, case and separators included (an error when
                  reviewed). The names come from the glossary, so the fix is there.
``mt-check``      an unreviewed entry carries ``#. mt-check: <code>: <detail>`` comments:
                  what ``translate`` found wrong with the engine's output
                  (``bilingual/mtcheck.py``; one warning per reason).
``suspect-name``  an untranslated name in the masthead, signatories or an agency list
                  carries ``#. suspect name: …`` (a body no glossary knows, never sent
                  to MT; the comment names the closest known body) (warning).
``repetition``    a reviewed entry still loops (a word or phrase repeated in a row,
                  ``mtcheck.repetition``) (error: the reviewer accepted broken text);
                  a pseudo draft's text between its markers loops (warning).
                  Chinese left and numbers are errors on reviewed entries already.
``pseudo``        the file holds pseudo-engine output (``--engine pseudo``, a dry run):
                  one line for the file, counting the entries (warning; error with
                  ``strict``), instead of a ``fuzzy`` finding each; and a pseudo marker
                  (``[zh:16]``) left in any other entry — reviewed, edited — is a finding
                  of its own (error when reviewed). Markers are never read as numbers
                  or loops: :mod:`bilingual.checkpseudo`.
``control``       the msgstr holds a control character the source does not (U+0000–U+001F
                  but tab and newline, DEL, U+0080–U+009F): invisible in an editor, copied
                  into the HTML build, forbidden in XML (error when reviewed, else warning);
                  likewise a bidi control (U+202E prints the English reversed), a line
                  separator or a format character (zero-width space, soft hyphen, BOM).
``conflict``      the msgstr holds msgcat's ``#-#-#-#-#  a.po (…)  #-#-#-#-#`` lines: two
                  translators' files were joined and differ here (always an error).
``stub``          the msgstr is a stand-in, not a translation: no letter or digit at all
                  ("." or "-") for a source with text, or a placeholder word (TODO,
                  FIXME, XXX, TBD, ``???``) the source does not have
                  (:func:`bilingual.checktext.stub`; error when reviewed, else warning).

Ecosystem compatibility
-----------------------
A PO file in the contract format passes ``msgfmt --check`` and
``msgfmt --check-format --check-header``, and Translate Toolkit's ``pofilter``
reads it without structural complaints (no ``escapes``, ``newlines``, ``tabs``,
``nplurals``, ``xmltags``, ``variables`` or whitespace findings);
``tests/test_check.py`` runs both on real files and pins this. pofilter's
punctuation, case, bracket, number and sentence-count checks are written for
languages that share Latin punctuation and letter case and misfire on every sound
zh→en sentence: it is a style pass for a translator (``make pofilter``, README
"pofilter for zh→en" lists what it leaves out and why), not the gate; this is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .checkentry import (  # noqa: F401 - re-exported: check_entry's home before the split
    CONFLICT_MARK,
    check_entry,
)
from .checkfindings import (  # noqa: F401 - re-exported: the record's home before the split
    CHECKS,
    ERROR,
    GETTEXT_CHECKS,
    INFO,
    SEVERITIES,
    WARNING,
    Finding,
    exit_code,
    summary,
)
from .checknumbers import NUMBER_RULES, added_numbers, missing_numbers  # noqa: F401 - re-exported
from .checkpseudo import file_problem, is_pseudo_draft
from .checktext import (  # noqa: F401 - re-exported
    _SOURCE_PAIRS,
    FULLWIDTH_PUNCTUATION,
    _variant_note,
    chinese_left,
    control_characters,
    english_pattern,
    missing_terms,
    stub,
    unbalanced,
)
from .errors import BilingualError
from .fileio import FileAccessError, read_bytes
from .po import (  # noqa: F401 - re-exported
    NotPoFile,
    active_entries,
    decode_po,
    has_translation,
    is_english,
    is_reviewed,
    not_po_text,
    parse_text,
)
from .po.syntax import PoSyntaxError


def _header_findings(po, path: str) -> list[Finding]:
    meta = po.metadata
    out: list[Finding] = []
    language = meta.get("Language", "").strip()
    if not is_english(language):
        out.append(Finding(ERROR, "", "header", f"Language is {language or 'missing'!r}, expected English "
                                                "('en', or a variant such as 'en-GB')", path))
    content_type = meta.get("Content-Type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if not charset or charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        out.append(Finding(ERROR, "", "header",
                           f"Content-Type must declare charset=UTF-8 (found {content_type or 'nothing'!r})", path))
    if not meta.get("X-Bilingual-Document", "").strip():
        out.append(Finding(ERROR, "", "header", "X-Bilingual-Document header is missing", path))
    return out


def check_catalog(po, glossary=None, *, path: str | Path = "", strict: bool = False) -> list[Finding]:
    """Every finding for a catalogue, header first, then entries in file order."""
    path = str(path)
    findings = _header_findings(po, path)
    if not active_entries(po):  # nothing to check is not a pass: a truncated or emptied file
        findings.append(Finding(ERROR if strict else WARNING, "", "empty",
                                "no entries: the file holds a header and nothing to translate", path))
    seen: dict[str, int] = {}
    drafts = [entry.msgctxt or entry.msgid for entry in active_entries(po) if is_pseudo_draft(entry)]
    if drafts:  # a dry run: said once, not as a fuzzy finding per entry
        findings.append(Finding(ERROR if strict else WARNING, "", "pseudo", file_problem(drafts), path))
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
    text = decode_po(data, path)
    problem = not_po_text(text)
    if problem is not None:
        raise NotPoFile(problem, path)
    # The merge's own reader: gettext's grammar, which polib does not check (it silently
    # mis-reads a lost msgstr keyword), so the gate fails exactly the files msgfmt fails.
    try:
        return parse_text(text)
    except PoSyntaxError as exc:
        error = BilingualError(f"PO {exc}", path)
        error.line = exc.line
        raise error from None


def check_files(paths: Iterable[str | Path], glossary=None, *, strict: bool = False) -> list[Finding]:
    """Check several files; an unreadable file is one ``syntax`` error finding."""
    findings: list[Finding] = []
    for path in paths:
        try:
            po = load_po(path)
        except NotPoFile:
            raise  # a source document, CR-only line ends: a wrong argument, exit 2 (not a finding)
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
