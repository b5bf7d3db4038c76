"""The terminology glossary: load, match, protect from MT, restore, render.

Glossary files
--------------
``glossary/*.csv`` (UTF-8, one row per zh form) with the header::

    zh,en,kind,full_form,en_abbr,note,source,evidence_url,checked,variants

(the older seven-column header without the last three columns is still read).

* ``kind`` is one of :data:`KINDS`.
* ``full_form`` is the zh full form when the row is an abbreviation or variant
  (市商务委 → 上海市商务委员会); the row's ``en`` must then equal the full
  form's ``en`` (``bilingual glossary check`` enforces it).
* ``en_abbr`` is an optional English short form (GACC, SIPG).
* ``note`` and ``source`` are required: ``source`` says where the English comes
  from (the body's own English website, GACC English pages, a standard, or
  ``coined`` by the team).
* ``evidence_url``, ``checked``, ``variants``: where the English was seen, when,
  and the other English names official sources use; see :mod:`bilingual.evidence`
  (``bilingual glossary check`` enforces the evidence rule on organisations).

Rendering (:meth:`Glossary.english`)
------------------------------------
A full-form row renders its ``en``. An abbreviation row renders the English of
its FULL form (a foreign reader cannot decode "Municipal Commerce Commission"
shorthand), followed by `` (EN_ABBR)`` only when the abbreviation row has an
``en_abbr``: 上港集团 → "Shanghai International Port (Group) Co., Ltd. (SIPG)".
``en_abbr`` on a full-form row is informational (lookup, TBX) and never
rendered, because zh sources that use the full form usually give the Latin
abbreviation themselves (“经认证的经营者”（AEO）).

Quotes and titles
-----------------
The CSV holds slogans and titles bare, without “ ” or 《 》 (两证合一, not
“两证合一”), and their English without quotes. When a match is wrapped in a
pair of Chinese quotes or title marks in the source (“…”, 《…》, 「…」, "…"),
:func:`protect` swallows the pair into the placeholder and :func:`restore`
renders the English in straight double quotes: “两证合一” → "…". Quote marks
*inside* a term (上海国际贸易“单一窗口”) are optional when matching, and the
English of such a row is written as the name should read.

Matching (:meth:`Glossary.match`)
---------------------------------
Terms and text are compared in Simplified characters (Traditional reprints
match; :mod:`bilingual.zhnorm`). One compiled regex alternation, longest term first, scanned left to right: at
each position the longest term wins and matches never overlap, so a term never
matches as part of a longer glossary term starting at the same or an earlier
position (上海国际贸易“单一窗口” beats 单一窗口). PDF extraction inserts
spaces and line breaks between characters, so ``\\s*`` is allowed between any
two characters (上海口岸 2025 年 matches 上海口岸2025年), except between two
ASCII letters/digits. A term that starts or ends with an ASCII letter/digit
(AEO, 9610) needs a non-alphanumeric neighbour on that side: 9610 does not
match inside 196100. Full-width and ASCII parentheses are interchangeable.

Placeholders
------------
:func:`protect` replaces each matched term by ``QXZ<n>`` (n = 1, 2, … per
occurrence), with a space on each side unless the neighbour is already
whitespace or the string edge. The format is ASCII letters + digits only:
SentencePiece/Argos decoding turns ``_`` into spaces and many models mangle
brackets, while "QXZ" is no English or pinyin word, so engines copy it through
untranslated. :func:`restore` accepts what engines do to such tokens (spaces
inside, case changes: ``Qxz 1``, ``qxz1``), fills every placeholder with the
approved English and reports the terms whose placeholder the engine dropped.
"""

from __future__ import annotations

from .core import Glossary, load_glossary, load_left_to_mt, load_scoped
from .files import check_directory, read_glossary_files, read_left_to_mt, validate_terms
from .protect import protect, render_terms_only, restore
from .terms import (
    COLUMNS,
    KINDS,
    LEGACY_COLUMNS,
    PLACEHOLDER_PREFIX,
    PROTECTED_KINDS,
    QUOTE_CHARS,
    QUOTE_PAIRS,
    REQUIRED,
    GlossaryTerm,
    Problem,
    Protected,
    Slot,
    is_punctuation_only,
    term_key,
)

__all__ = [
    "COLUMNS", "KINDS", "LEGACY_COLUMNS", "PLACEHOLDER_PREFIX", "PROTECTED_KINDS", "QUOTE_CHARS", "QUOTE_PAIRS",
    "REQUIRED", "Glossary", "GlossaryTerm", "Problem", "Protected", "Slot", "check_directory", "is_punctuation_only",
    "load_glossary", "load_left_to_mt", "load_scoped", "protect", "read_glossary_files", "read_left_to_mt",
    "render_terms_only", "restore", "term_key", "validate_terms",
]
