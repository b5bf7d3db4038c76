"""The PO grammar, checked the way ``msgfmt`` checks it, and the exact text of every entry.

polib reads many broken files without a word: a reviewed entry whose ``msgstr``
keyword an editor lost (the line reads ``"Support…"``) becomes part of its msgid,
and a deleted msgstr line moves the entry's comments and flags to the next entry.
A merge on top of such a reading destroys the translator's work, so every PO file
is read here first, by a parser that accepts exactly what gettext accepts:

* lexically: keywords, C strings with gettext's escapes only (``\\n \\t \\r \\a \\b
  \\f \\v \\\\ \\"``, octal, ``\\x`` hex; ``\\q`` is an error), no string cut by the
  end of a line, no byte-order mark;
* grammatically, one entry at a time: comments, then optionally ``#|`` previous
  fields (``msgctxt``? ``msgid`` ``msgid_plural``?), then ``msgctxt``? ``msgid``
  and either ``msgstr`` or ``msgid_plural`` + ``msgstr[0]``, ``msgstr[1]``…; a
  comment or a stray string inside an entry is an error, and an obsolete entry
  (``#~``) must be obsolete on all its lines;
* as a catalogue: a header entry, no two entries (obsolete ones included) with one
  ``msgctxt`` + ``msgid``, and every reviewed plural entry with the number of
  forms the header's ``Plural-Forms`` (``nplurals``) announces.

Lines end at ``\\n`` only, as for gettext (U+2028, NEL… are text inside a string).
Besides the fields, each :class:`Entry` keeps the lines it was written as, so an
entry a run does not change is written back verbatim (see ``layout.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_WS = " \t\r\f\v"
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_HEX = frozenset("0123456789abcdefABCDEF")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\", '"': '"'}
_SIMPLE_ESCAPE = re.compile(r'\\([ntrabfv\\"])')
_NUMERIC_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+))")
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


class PoSyntaxError(ValueError):
    """A file gettext rejects; ``str()`` is ``syntax error at line N: what``."""

    def __init__(self, line: int, detail: str):
        self.line = line
        self.detail = detail
        super().__init__(f"syntax error at line {line}: {detail}" if line else detail)


@dataclass
class Token:
    kind: str  # "comment" | "keyword" | "string"
    line: int
    text: str  # comment line, keyword name, or decoded string value
    obsolete: bool = False
    previous: bool = False
    index: int | None = None  # msgstr[index]
    raw: str = ""  # the physical line (strings only: to measure a wrapped file's width)


@dataclass
class Entry:
    """One entry as written: fields, the lines it spans, and those lines' text."""

    first_line: int
    last_line: int
    keyword_line: int
    obsolete: bool = False
    comments: list[str] = field(default_factory=list)  # raw comment lines, in file order
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)  # msgctxt / msgid / msgid_plural
    raw: str = ""
    wrapped_width: int = 0  # widest line of a string this entry wraps (0: wraps none)
    narrow_wrapped_width: int = 0  # the same over strings without wide (CJK) characters
    # the widest keyword line holding its whole string (columns, or characters if fewer: polib
    # counts characters); a wrapping tool leaves no such line wider than its width
    unwrapped_width: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def is_header(self) -> bool:
        return not self.obsolete and self.msgid == "" and self.msgctxt is None


def decode(content: str, line: int, column: int) -> str:
    """The value of a C string's content (between the quotes), as gettext reads it."""
    if "\\" not in content:
        return content
    for bad in _ESCAPE.finditer(content):
        char = bad.group(1)
        if char in 'ntrabfv\\"01234567' or (char == "x" and content[bad.end():bad.end() + 1] in _HEX):
            continue
        raise PoSyntaxError(line, f"invalid control sequence {bad.group()!r} at column {column + bad.start()} "
                                  "(write \\\\ for a backslash)")
    if _NUMERIC_ESCAPE.search(content) is None:
        return _SIMPLE_ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], content)
    out = bytearray()
    position = 0
    for match in re.finditer(r'\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))', content):
        out += content[position:match.start()].encode("utf-8")
        octal, hexa, simple = match.groups()
        if simple is not None:
            out += _ESCAPES[simple].encode("utf-8")
        else:
            out.append(int(octal, 8) & 0xFF if octal else int(hexa, 16) & 0xFF)
        position = match.end()
    out += content[position:].encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise PoSyntaxError(line, "an octal or hex escape makes an invalid UTF-8 sequence") from None


def display_width(text: str) -> int:
    from .linebreak import width

    return sum(width(char) for char in text)


def _line_tokens(rest: str, number: int, *, offset: int, obsolete: bool, previous: bool, raw: str) -> list[Token]:
    """Keywords and strings on one (non-comment part of a) line; ``rest`` starts at ``raw[offset]``."""
    tokens: list[Token] = []
    position = 0
    while True:
        while position < len(rest) and rest[position] in _WS:
            position += 1
        if position >= len(rest):
            return tokens
        char = rest[position]
        if char == '"':
            match = _STRING.match(rest, position)
            if match is None:
                raise PoSyntaxError(number, "end-of-line within string (a closing \" is missing)")
            value = decode(match.group(1), number, offset + position + 2)
            tokens.append(Token("string", number, value, obsolete, previous, raw=raw))
            position = match.end()
            continue
        if char == "#":  # a comment after a string, as gettext allows
            tokens.append(Token("comment", number, rest[position:].rstrip(_WS)))
            return tokens
        match = _KEYWORD.match(rest, position)
        if match is None:
            word = rest[position:].split()[0]
            if tokens and tokens[-1].kind == "string":  # msgstr "the "two certificates" …": a bare quote
                raise PoSyntaxError(number, f"text {word[:30]!r} after a closing \" (a \" inside a string is "
                                            "written \\\")")
            raise PoSyntaxError(number, f"keyword {word[:30]!r} unknown (a PO line starts with msgctxt, msgid, "
                                        "msgid_plural, msgstr, a \"string\" or #)")
        index = int(match.group(2)) if match.group(2) is not None else None
        name = "msgstr" if index is not None else match.group(1)
        if previous and name not in ("msgctxt", "msgid", "msgid_plural"):
            raise PoSyntaxError(number, f"#| may only hold msgctxt, msgid and msgid_plural, not {name}")
        tokens.append(Token("keyword", number, name, obsolete, previous, index))
        position = match.end()


def tokenize(lines: list[str]) -> Iterator[Token]:
    """The tokens of a file's lines, one line at a time (a 5 MB file is never held as tokens)."""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip(_WS)
        if not line:
            continue
        lead = len(raw) - len(raw.lstrip(_WS))
        if line.startswith("#~"):
            previous = line.startswith("#~|")
            skip = 3 if previous else 2
            yield from _line_tokens(line[skip:], number, offset=lead + skip, obsolete=True, previous=previous,
                                    raw=raw)
        elif line.startswith("#|"):
            yield from _line_tokens(line[2:], number, offset=lead + 2, obsolete=False, previous=True, raw=raw)
        elif line.startswith("#"):
            yield Token("comment", number, line)
        else:
            yield from _line_tokens(line, number, offset=lead, obsolete=False, previous=False, raw=raw)


class _Reader:
    """Recursive descent over the tokens of one file."""

    def __init__(self, tokens: Iterator[Token]):
        self.tokens = tokens
        self.current: Token | None = next(tokens, None)
        self.last: Token | None = None

    def peek(self) -> Token | None:
        return self.current

    def advance(self) -> None:
        self.last, self.current = self.current, next(self.tokens, None)

    def strings(self, keyword: Token, entry: Entry) -> str:
        """The strings after ``keyword`` (at least one), concatenated."""
        values: list[Token] = []
        while (token := self.peek()) is not None and token.kind == "string" and token.previous == keyword.previous:
            if token.obsolete != entry.obsolete:
                raise PoSyntaxError(token.line, "inconsistent use of #~ (an entry is obsolete on all its lines or "
                                                "on none)")
            values.append(token)
            self.advance()
        if not values:
            raise PoSyntaxError(keyword.line, f"{keyword.text} has no \"string\" after it")
        if not keyword.previous and len(values) == 1 and values[0].line == keyword.line:
            raw = values[0].raw.rstrip(_WS)
            entry.unwrapped_width = max(entry.unwrapped_width, min(display_width(raw), len(raw)))
        elif not keyword.previous:
            for earlier, later in zip(values, values[1:], strict=False):
                if earlier.text and not earlier.text.endswith("\n") and later.line > earlier.line:
                    widths = [(display_width(raw := v.raw.rstrip(_WS)), len(raw)) for v in values]
                    widest = max(columns for columns, _ in widths)
                    entry.wrapped_width = max(entry.wrapped_width, widest)
                    if all(columns == length for columns, length in widths):
                        entry.narrow_wrapped_width = max(entry.narrow_wrapped_width, widest)
                    break
        return "".join(v.text for v in values)

    def keyword(self, name: str, entry: Entry, *, previous: bool = False) -> Token | None:
        token = self.peek()
        if token is None or token.kind != "keyword" or token.text != name or token.previous != previous:
            return None
        if token.index is not None and name == "msgstr":
            return None
        if token.obsolete != entry.obsolete and not previous:
            raise PoSyntaxError(token.line, "inconsistent use of #~ (an entry is obsolete on all its lines or on none)")
        self.advance()
        return token

    def previous_fields(self, entry: Entry) -> None:
        for name in ("msgctxt", "msgid", "msgid_plural"):
            token = self.keyword(name, entry, previous=True)
            if token is not None:
                entry.previous[name] = self.strings(token, entry)
            elif name == "msgid" and entry.previous:
                raise PoSyntaxError(self.last.line, "#| msgctxt without #| msgid after it")
        token = self.peek()
        if entry.previous and (token is None or token.kind != "keyword" or token.previous):
            line = token.line if token is not None else self.last.line
            raise PoSyntaxError(line, "#| previous fields must be followed by the entry's msgctxt or msgid "
                                      "(comments and flags go before #|)")

    def entry(self, comments: list[Token]) -> Entry:
        first = self.peek()
        assert first is not None
        entry = Entry(first_line=comments[0].line if comments else first.line, last_line=first.line,
                      keyword_line=first.line, obsolete=first.obsolete, comments=[c.text for c in comments])
        self.previous_fields(entry)
        start = self.peek()
        assert start is not None
        if start.kind == "string":
            raise PoSyntaxError(start.line, "a \"string\" with no keyword before it (a lost msgid or msgstr "
                                            "keyword?)")
        entry.keyword_line = start.line
        if (token := self.keyword("msgctxt", entry)) is not None:
            entry.msgctxt = self.strings(token, entry)
        msgid = self.keyword("msgid", entry)
        if msgid is None:
            what = self.peek()
            where = what.line if what is not None else start.line
            if entry.msgctxt is not None:
                raise PoSyntaxError(where, "msgctxt without msgid after it")
            raise PoSyntaxError(where, f"{what.text if what is not None else 'end of file'} without a msgid "
                                       "before it (two msgstr in one entry, or a lost msgid line?)")
        entry.msgid = self.strings(msgid, entry)
        if (plural := self.keyword("msgid_plural", entry)) is not None:
            entry.msgid_plural = self.strings(plural, entry)
            self.plural_forms(entry, plural)
        elif (msgstr := self.keyword("msgstr", entry)) is not None:
            entry.msgstr = self.strings(msgstr, entry)
        else:
            token = self.peek()
            if token is not None and token.kind == "keyword" and token.index is not None:
                raise PoSyntaxError(token.line, "missing 'msgid_plural' section: msgstr[N] belongs to a plural "
                                                "entry")
            name = f" {entry.msgctxt!r}" if entry.msgctxt else ""
            raise PoSyntaxError(msgid.line, f"missing 'msgstr' section: the entry{name} has a msgid and no msgstr "
                                            "(a msgstr keyword lost in an editor, or its line deleted?)")
        entry.last_line = self.last.line
        return entry

    def plural_forms(self, entry: Entry, plural: Token) -> None:
        expected = 0
        while (token := self.peek()) is not None and token.kind == "keyword" and token.index is not None \
                and not token.previous:
            if token.obsolete != entry.obsolete:
                raise PoSyntaxError(token.line, "inconsistent use of #~")
            if token.index != expected:
                detail = "first plural form has nonzero index" if expected == 0 else "plural form has wrong index"
                raise PoSyntaxError(token.line, f"{detail} (msgstr[{token.index}], expected msgstr[{expected}])")
            self.advance()
            entry.msgstr_plural[expected] = self.strings(token, entry)
            expected += 1
        if not expected:
            raise PoSyntaxError(plural.line, "msgid_plural needs msgstr[0], msgstr[1]… after it, not msgstr")


def line_ending(text: str) -> str:
    """The line ending a rewrite of ``text`` keeps: the one most of its lines end with.

    A file with both (a Windows editor's slip: a block pasted or saved with CRLF into an LF
    file) is written back with its own style, not the slip's: taking CRLF as soon as one line
    had it turned every line of an LF file into a diff. On a tie, the first line's ending.
    """
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf != lf:
        return "\r\n" if crlf > lf else "\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


class Parsed:
    """The entries of a PO file, read one at a time (a 5 MB file is not held twice), checked as
    they come; iterating raises :class:`PoSyntaxError` at the first problem gettext has too.
    After the last entry, ``trailer`` holds the comment lines that follow it, verbatim."""

    def __init__(self, text: str):
        if text.startswith("\ufeff"):
            raise PoSyntaxError(1, "starts with a byte-order mark, which gettext tools reject; remove it")
        self.text = text
        self.newline = line_ending(text)
        self.trailer = ""

    def __iter__(self) -> Iterator[Entry]:
        lines = self.text.split("\n")
        reader = _Reader(tokenize(lines))
        seen: dict[tuple, int] = {}
        header: Entry | None = None
        plurals: list[tuple[int, int, bool]] = []  # (line, forms, fuzzy) of active plural entries
        comments: list[Token] = []
        end = 0
        while (token := reader.peek()) is not None:
            if token.kind == "comment":
                comments.append(token)
                reader.advance()
                continue
            entry = reader.entry(comments)
            comments = []
            if entry.key in seen:
                raise PoSyntaxError(entry.keyword_line, f"duplicate entry msgctxt {entry.msgctxt!r} at lines "
                                                        f"{seen[entry.key]} and {entry.keyword_line}; keep one of them")
            seen[entry.key] = entry.keyword_line
            header = entry if entry.is_header and header is None else header
            if entry.msgid_plural is not None and not entry.obsolete:
                fuzzy = any(c.startswith("#,") and "fuzzy" in (f.strip() for f in c[2:].split(","))
                            for c in entry.comments)
                plurals.append((entry.keyword_line, len(entry.msgstr_plural), fuzzy))
            entry.first_line = max(entry.first_line, end + 1)  # a comment written after the last string before
            entry.raw = "\n".join(lines[entry.first_line - 1:entry.last_line])
            end = entry.last_line
            yield entry
        self.trailer = "\n".join(lines[comments[0].line - 1:comments[-1].line]) if comments else ""
        if header is None:
            raise PoSyntaxError(1, "no header entry (msgid \"\" with the Content-Type and Language lines); "
                                   "a PO file starts with one")
        _check_plurals(header, plurals)


def parse(text: str) -> Parsed:
    """The entries of PO ``text``, to iterate (see :class:`Parsed`)."""
    return Parsed(text)


def _check_plurals(header: Entry, plurals: list[tuple[int, int, bool]]) -> None:
    if not plurals:
        return
    match = re.search(r"^Plural-Forms:.*?nplurals\s*=\s*(\d+)", header.msgstr, re.MULTILINE)
    if match is None:
        raise PoSyntaxError(plurals[0][0], "a plural entry, but the header has no Plural-Forms with "
                                           "nplurals (English: nplurals=2; plural=(n != 1);)")
    nplurals = int(match.group(1))
    for line, have, fuzzy in plurals:
        if not fuzzy and have != nplurals:
            raise PoSyntaxError(line, f"the plural entry has {have} form{'s' * (have != 1)} but Plural-Forms "
                                      f"says nplurals={nplurals} (msgstr[0]…msgstr[{nplurals - 1}])")


def mo_file(data: bytes) -> bool:
    """A compiled gettext catalogue (``.mo``), recognised by its magic number."""
    return data[:4] in MO_MAGIC
