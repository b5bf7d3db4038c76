"""What an HTML page is checked against before it is parsed: the parse is what costs.

BeautifulSoup on lxml builds some 600 bytes of tree per element and copies every text. A
20 MB page on one line was refused — by the depth bound (``html.MAX_DEPTH``) or by the
paragraph bound (the sentence splitter's 1,000,000 characters) — only after 0.7–2.4 GB and
12–160 s of parsing. Two checks of the decoded text, linear and building nothing, refuse such
pages first (in about a second, within ~110 MB):

* **elements**: at most :func:`max_elements` start tags, scaled with ``--max-size`` as a PDF
  page's glyphs are (:mod:`.limits`): 409,600 at the default 50 MB. A government page has
  1,000–20,000; a page holding a 5,000-row table about 100,000.
* **a line of text**: text between two tags (entities read, whitespace collapsed) with a line
  longer than :data:`PARAGRAPH_CHARS` is one paragraph the sentence splitter would refuse
  (``translate._check_paragraph_length``). Raw-text elements (``script``, ``style``,
  ``textarea``…), comments and markup are no text: an inline image's ``data:`` URI or a
  page's JSON state never counts. The check looks only at runs of that many characters
  without ``<`` or ``>``, each once, so it costs one regex scan.

What passes may still be refused after parsing (nesting, a paragraph built of many inline
elements): these checks only make the big refusals cheap.
"""

from __future__ import annotations

import html
import re

from ..errors import BilingualError
from ..fileio import human_size, max_size

#: The longest paragraph a run takes: spaCy's default ``nlp.max_length`` (``segment.py`` reads it).
PARAGRAPH_CHARS = 1_000_000
#: Start tags per byte of ``--max-size``, and the fewest allowed whatever the setting.
ELEMENTS_PER_MAX_SIZE_BYTE = 1 / 128
MIN_ELEMENTS = 50_000

_START_TAG = re.compile(r"<[A-Za-z]")
_TEXT_RUN = re.compile(rf"(?<=>)[^<>]{{{PARAGRAPH_CHARS},}}")  # after a tag's end: each run tried once
_RAW_TEXT = re.compile(r"<(?:!|\?|(?:script|style|textarea|title|xmp|noscript|template|plaintext)\b)", re.I)


def max_elements() -> int:
    """How many start tags an HTML page may have (scaled with ``--max-size``)."""
    return max(MIN_ELEMENTS, int(max_size() * ELEMENTS_PER_MAX_SIZE_BYTE))


def check_page(text: str, path: str) -> None:
    """Refuse, before parsing, a page with too many elements or a line of text no paragraph may have."""
    limit = max_elements()
    if text.count("<") > limit:  # the exact count only when the cheap bound says it may be over
        for count, _ in enumerate(_START_TAG.finditer(text), start=1):
            if count > limit:
                raise BilingualError(f"is an HTML page of more than {limit:,} elements (a document page has "
                                     f"thousands; the bound grows with --max-size, now {human_size(max_size())}); "
                                     "refused before parsing it", path)
    for run in _TEXT_RUN.finditer(text):
        if _RAW_TEXT.match(text, text.rfind("<", 0, run.start())):
            continue  # inside a script, a style, a comment…: not text of the page
        offset = run.start()
        for line in run.group().split("\n"):  # a line break of the page may end a paragraph (<pre>)
            if len(line) > PARAGRAPH_CHARS:
                length = len(" ".join(html.unescape(line).split()))
                if length > PARAGRAPH_CHARS:
                    number = text.count("\n", 0, offset) + 1
                    raise BilingualError(f"line {number:,}: a paragraph of {length:,} characters, more than the "
                                         f"sentence splitter takes ({PARAGRAPH_CHARS:,}); refused before parsing "
                                         "the page (was it saved without line breaks?)", path)
            offset += len(line) + 1
