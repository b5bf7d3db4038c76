"""No churn: a PO file keeps the layout the translators' tools gave it (issue 13, item 1).

gettext (``msgcat``/``msgmerge``) and Poedit wrap at 79 columns, Weblate
(Translate Toolkit) with its own gettext-compatible wrapper, our own writer not at
all. After any of them saved the file, a one-sentence source change must give a
diff of that entry only (and of the pipeline's own ``POT-Creation-Date``), and an
unchanged source must leave the file byte for byte. The tools are the real ones:
gettext is installed by ``.ci/run`` (a missing ``msgcat`` fails these tests, it
does not skip them).
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pofactory import REPO_ROOT

from bilingual.engines.pseudo import PseudoEngine
from bilingual.glossary import load_glossary
from bilingual.po import parse_text, save_catalog
from bilingual.po.layout import Layout, render
from bilingual.po.syntax import line_ending
from bilingual.translate import Job, run

SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
OLD = "扩大跨境电商零售出口（9610）跨关区退货监管模式试点应用，允许相关退货商品跨直属关区退货。"
NEW = "扩大跨境电商零售出口（9610）跨关区退货监管模式试点范围，允许符合条件的退货商品跨直属关区退货。"


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is not installed: .ci/run installs it (apt-get install gettext)"
    return path


def translate(folder: Path) -> bool:
    job = Job("shanghai-port-2025", folder / "source.zh.txt", folder / "doc.en.po")
    [stats] = run([job], PseudoEngine(), load_glossary(REPO_ROOT / "glossary"))
    return stats.written


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    assert translate(tmp_path)
    return tmp_path


def msgcat(path: Path, *args: str) -> None:
    subprocess.run([gettext_tool("msgcat"), *args, "-o", str(path), str(path)], check=True)


def msgmerge(path: Path) -> None:
    """msgmerge with the file as its own template (what an ``update-po`` does after extraction)."""
    out = path.with_suffix(".merged")
    subprocess.run([gettext_tool("msgmerge"), "--quiet", "--no-fuzzy-matching", "-o", str(out), str(path),
                    str(path)], check=True)
    out.replace(path)


def weblate(path: Path) -> None:
    """Save as Weblate does: Translate Toolkit's PO store, every unit rewrapped by its gettext-style wrapper."""
    from translate.storage import pypo

    store = pypo.pofile.parsefile(str(path))
    for unit in store.units:
        if not unit.isheader():
            unit.source, unit.target = unit.source, unit.target
    path.write_bytes(bytes(store))


def poedit(path: Path) -> None:
    """A Poedit 3 save: gettext's layout at 79 columns, a reviewed entry, the header fields Poedit sets."""
    msgcat(path)
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"Last-Translator: [^"]*"', r'"Last-Translator: Li Wei <li.wei@example.org>\\n"', text)
    text = re.sub(r'"PO-Revision-Date: [^"]*"', r'"PO-Revision-Date: 2025-07-03 16:20+0800\\n"', text)
    text = re.sub(r'"Language-Team: [^"]*"', r'"Language-Team: English <en@example.org>\\n"', text)
    text = re.sub(r'"X-Generator: [^"]*"', r'"X-Generator: Poedit 3.4.2\\n"', text)
    reviewed = ('#, fuzzy\nmsgctxt "measure-1.s1"', 'msgctxt "measure-1.s1"')
    assert reviewed[0] in text
    text = text.replace(*reviewed)
    path.write_text(text, encoding="utf-8")


def entry_lines(lines: list[str], ctx: str) -> set[int]:
    """Indexes of the lines of the entry ``ctx`` (from its first comment to its last string)."""
    at = lines.index(f'msgctxt "{ctx}"')
    start = at
    while start > 0 and lines[start - 1]:
        start -= 1
    end = at
    while end + 1 < len(lines) and lines[end + 1]:
        end += 1
    return set(range(start, end + 1))


def poedit_on_windows(path: Path) -> None:
    """The same save with Windows line ends (CRLF): gettext reads them, so must we, and keep them."""
    poedit(path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def with_a_block_of(path: Path, ending: bytes) -> None:
    """An editor's slip: the lines of one entry (the measure-1.s1 a translator reviewed) end with
    ``ending``, the rest of the file with the other line end (a block pasted from a Windows editor)."""
    lines = path.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    block = entry_lines([line.decode() for line in lines], "measure-1.s1")
    other = b"\n" if ending == b"\r\n" else b"\r\n"
    path.write_bytes(b"".join(line + (ending if number in block else other) for number, line in enumerate(lines[:-1])))


def lf_with_a_crlf_block(path: Path) -> None:
    poedit(path)
    with_a_block_of(path, b"\r\n")


def poedit_windows_with_an_lf_block(path: Path) -> None:
    poedit(path)
    with_a_block_of(path, b"\n")


TOOLS = {"msgcat": msgcat, "msgmerge": msgmerge, "weblate": weblate, "poedit": poedit,
         "poedit-windows": poedit_on_windows, "lf-with-a-crlf-block": lf_with_a_crlf_block,
         "poedit-windows-with-an-lf-block": poedit_windows_with_an_lf_block, "msgcat-w60": lambda path: msgcat(path, "-w", "60"),
         "msgcat-w100": lambda path: msgcat(path, "-w", "100")}


@pytest.mark.parametrize("tool", list(TOOLS))
def test_unchanged_source_leaves_a_tool_saved_file_byte_for_byte(folder, tool):
    po = folder / "doc.en.po"
    TOOLS[tool](po)
    saved = po.read_bytes()
    assert translate(folder) is False
    assert po.read_bytes() == saved


@pytest.mark.parametrize("tool", list(TOOLS))
def test_one_changed_sentence_is_a_diff_of_that_entry_only(folder, tool):
    po = folder / "doc.en.po"
    TOOLS[tool](po)
    before = po.read_text(encoding="utf-8").splitlines()
    source = folder / "source.zh.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert translate(folder)
    after = po.read_text(encoding="utf-8").splitlines()
    entry = parse_text("\n".join(after) + "\n").find("measure-15.s3", by="msgctxt")
    assert entry.msgid == NEW and entry.fuzzy  # pseudo MT of the new sentence
    old_block, new_block = entry_lines(before, "measure-15.s3"), entry_lines(after, "measure-15.s3")
    changes = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    assert changes
    for _, i1, i2, j1, j2 in changes:
        lines = set(range(i1, i2)) - old_block, set(range(j1, j2)) - new_block
        stray = [before[i] for i in lines[0]] + [after[j] for j in lines[1]]
        assert all("POT-Creation-Date" in line for line in stray), stray
    # Poedit's, Weblate's, gettext's header fields are theirs: left as the tool wrote them.
    for field in ("Last-Translator", "PO-Revision-Date", "Language-Team", "X-Generator"):
        assert [line for line in before if field in line] == [line for line in after if field in line]
    data = po.read_bytes()  # the file's own line end, on every line (a mixed file: most of its lines')
    assert data.count(b"\r\n") == (data.count(b"\n") if tool.startswith("poedit-windows") else 0)


@pytest.mark.parametrize("text, ending", [("a\nb\r\nc\n", "\n"), ("a\r\nb\nc\r\n", "\r\n"), ("a\r\nb\n", "\r\n"),
                                          ("a\nb\r\n", "\n"), ("a", "\n"), ("\r\n", "\r\n")])
def test_a_mixed_file_keeps_the_line_end_most_of_its_lines_have(text, ending):
    """On a tie, the first line's."""
    assert line_ending(text) == ending


@pytest.mark.parametrize("tool", ["msgcat", "poedit", "msgmerge", "msgcat-w60", "msgcat-w100"])
def test_a_rewritten_entry_is_laid_out_as_the_tool_would(folder, tool):
    """After the change, the tool's own rewrap of our file is a no-op: the new entry is wrapped
    at the file's width (79 for the tools' default, 60 or 100 after ``msgcat -w``), at the same
    break opportunities (UAX #14) as gettext."""
    po = folder / "doc.en.po"
    TOOLS[tool](po)
    source = folder / "source.zh.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert translate(folder)
    ours = po.read_bytes()
    TOOLS[tool if tool.startswith("msgcat") else "msgcat"](po)
    assert po.read_bytes() == ours


def test_our_own_files_are_unwrapped_and_gettext_agrees(folder):
    po = folder / "doc.en.po"
    ours = po.read_bytes()
    assert max(len(line) for line in ours.decode().splitlines() if line.startswith("msgid")) > 200
    msgcat(po, "--no-wrap")
    assert po.read_bytes() == ours


def rewritten_and_msgcat(tmp_path: Path, text: str, width: int) -> tuple[str, str]:
    """``text`` with every entry rewritten by us at ``width``, and as ``msgcat --width`` writes it."""
    path = tmp_path / "tool.po"
    path.write_text(text, encoding="utf-8")
    catalog = parse_text(text)
    catalog.layout = Layout(width=width, header_comments=catalog.layout.header_comments)
    reference = subprocess.run([gettext_tool("msgcat"), f"--width={width}", str(path)], capture_output=True,
                               text=True, check=True).stdout
    return render(catalog), reference


@pytest.mark.parametrize("width", [79, 77, 60, 40])
def test_wrapping_matches_msgcat_on_real_and_awkward_text(tmp_path, width):
    """Every entry of the shipped document's PO file plus strings made of what breaks wrappers
    (quotes, escapes, URLs, full-width punctuation next to Latin text…), written at ``width``,
    equals ``msgcat --width``'s output line for line."""
    pieces = ["Shanghai", "cross-border", "9610", "70%", "(SIPG)", "“一单制”", "上海海关", "，", "。", "、", "7×24",
              "（上海海关、市商务委）", "《若干措施》", "http://example.com/a/b", "$100", "U.S.", "—", "…", '"q"',
              "back\\slash", "tab\there", "line\nbreak", "：", "；", "！", "[2025]", "No. 181", "e.g.", "{x}", "·",
              "支持更多符合条件的供国际航行船舶保税油品储罐", " ", "  "]
    texts = ["".join(pieces[(i * 7 + k * 3) % len(pieces)] + ("" if (i + k) % 3 else " ") for k in range(i % 40 + 1))
             for i in range(160)]
    shipped = (REPO_ROOT / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po").read_text("utf-8")
    lines = [shipped.strip(), ""]
    for number, text in enumerate(texts):
        other = quote(texts[number * 5 % len(texts)]) if number % 2 else ""
        lines += [f'msgctxt "t{number}"', f'msgid "{quote(text)}"', f'msgstr "{other}"', ""]
    ours, reference = rewritten_and_msgcat(tmp_path, "\n".join(lines), width)
    assert ours == reference


@pytest.mark.parametrize("width", [79, 40])
def test_references_and_comment_lines_are_laid_out_as_msgcat_does(tmp_path, width):
    """A rewritten entry of another tool's file keeps gettext's layout of what the pipeline never
    writes itself: several ``#:`` references filled to the width (a reference longer than the width
    alone on its line), empty ``#.`` lines written ``#.``, an empty previous source kept (``#| msgid ""``)."""
    refs = " ".join(f"src/notices/shanghai-{n}.zh.txt:{n * 17}" for n in range(1, 12))
    long_ref = "translations/" + "very-long-folder-name/" * 5 + "source.zh.txt:3"
    text = "\n".join([
        'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"', "",
        "#. measure 1", "#.", "#. origin: glossary", f"#: {refs}", 'msgctxt "measure-1.s1"', 'msgid "甲。"',
        'msgstr "A."', "", f"#: {long_ref} a.txt:1", 'msgctxt "measure-2.s1"', 'msgid "乙。"', 'msgstr "B."', "",
        "#, fuzzy", '#| msgid ""', 'msgctxt "measure-3.s1"', 'msgid "丙。"', 'msgstr "C."', ""])
    ours, reference = rewritten_and_msgcat(tmp_path, text, width)
    assert "#.\n" in reference and reference.count("#:") > 3
    assert ours == reference


# ------------------------------------------------- issue 19: what only a translator's file holds, and width detection

HEADER = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"',
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
PILOT = ("Expand the pilot application of the cross-customs-district return supervision model for cross-border "
         "e-commerce retail exports (9610)")
RETURNS = "allowing eligible returned goods to be returned across directly affiliated customs districts."
ONE = "One returned parcel of cross-border e-commerce retail exports (9610) crossed a directly affiliated customs district."
SEVERAL = ONE.replace("One returned parcel", "Returned parcels")


# Each first #: line ends exactly at the last column (gettext breaks only past it); notes.txt has no line number.
REFERENCES = {79: "translations/shanghai-port-2025/source.zh.txt:12 glossary/port-terms.csv:118 notes.txt glossary/terms.csv:7",
              40: "source.zh.txt:12 glossary/terms.csv:7 notes.txt source.zh.txt:30"}


@pytest.mark.parametrize("width", list(REFERENCES))
def test_what_only_a_translators_file_holds_is_rewritten_as_msgcat_writes_it(tmp_path, width):
    """Entries a translator's tool left and the merge rewrites (made obsolete, or fuzzy with the old
    source): a reference without a line number, ``#:`` references that fill a line to the last
    column, a long ``#| msgid`` (also in an obsolete entry, ``#~|``), a plural entry with long forms
    — each wrapped as gettext wraps it, so the tool's next save changes nothing."""
    text = "\n".join([
        *HEADER, f"#: {REFERENCES[width]}", 'msgctxt "measure-1.s1"', 'msgid "甲。"', 'msgstr "A."', "",
        "#, fuzzy", f'#| msgid "{OLD}"', 'msgctxt "measure-15.s3"', f'msgid "{NEW}"', f'msgstr "{PILOT}, {RETURNS}"', "",
        f'msgid "{ONE}"', f'msgid_plural "{SEVERAL}"', f'msgstr[0] "{ONE}"', f'msgstr[1] "{SEVERAL}"', "",
        f'#~| msgid "{OLD}"', '#~ msgctxt "measure-15.s4"', f'#~ msgid "{NEW}"', f'#~ msgstr "{PILOT}."', ""])
    ours, reference = rewritten_and_msgcat(tmp_path, text, width)
    assert f"#: {REFERENCES[width]}"[:width] + "\n" in reference  # the boundary case is the one tested
    assert ours == reference


def test_an_empty_previous_context_is_rewritten_as_msgcat_writes_it(tmp_path):
    text = "\n".join([*HEADER, "#, fuzzy", '#| msgctxt ""', '#| msgid "One parcel returned."', '#| msgid_plural ""',
                      'msgctxt "measure-1.s1"', f'msgid "{ONE}"', f'msgid_plural "{SEVERAL}"', f'msgstr[0] "{ONE}"',
                      f'msgstr[1] "{SEVERAL}"', ""])
    ours, reference = rewritten_and_msgcat(tmp_path, text, 79)
    assert ours == reference


@pytest.mark.parametrize(("field", "value"), [
    ("previous_msgid", None),  # the merge keeps #| on fuzzy entries only: a hand-unfuzzied entry loses it
    ("previous_msgid", "A returned parcel crossed a customs district."),
    ("previous_msgid_plural", "Returned parcels crossed customs districts."),
])
def test_an_entry_whose_previous_source_changed_is_written_anew(tmp_path, field, value):
    """What the catalogue says is what is written: an entry whose only change is its previous
    source (``#|``) is rewritten, not copied from the file as it was read, and the file is saved."""
    text = "\n".join([*HEADER, "#, fuzzy", '#| msgid "One parcel returned."', '#| msgid_plural "Parcels returned."',
                      f'msgid "{ONE}"', f'msgid_plural "{SEVERAL}"', f'msgstr[0] "{ONE}"', f'msgstr[1] "{SEVERAL}"', ""])
    path = tmp_path / "doc.en.po"
    path.write_text(text, encoding="utf-8")
    catalog = parse_text(text)
    setattr(catalog[0], field, value)
    assert save_catalog(catalog, path, text)
    assert getattr(parse_text(path.read_text(encoding="utf-8"))[0], field) == value


def test_a_short_file_lokalize_wrapped_at_76_columns_keeps_that_width(tmp_path):
    """Lokalize wraps at 76 columns. In a short file the widest wrapped line may stop well short of
    that (here at 70: the next word did not fit); an entry the run rewrites is still wrapped at 76,
    so Lokalize's next save changes nothing."""
    path = tmp_path / "doc.en.po"
    path.write_text("\n".join([*HEADER, 'msgctxt "measure-15.s3"', 'msgid "扩大退货监管模式试点。"', f'msgstr "{PILOT}."', ""]),
                    encoding="utf-8")
    msgcat(path, "-w", "76")
    saved = path.read_text(encoding="utf-8")
    assert max(len(line) for line in saved.splitlines()) == 70
    catalog = parse_text(saved)
    catalog[0].msgstr = f"{PILOT}, {RETURNS}"
    path.write_text(render(catalog), encoding="utf-8")
    ours = path.read_bytes()
    msgcat(path, "-w", "76")
    assert path.read_bytes() == ours


@pytest.mark.parametrize(("widest", "narrow", "width"), [
    (0, 0, 0),  # nothing wrapped: no width to keep
    (1, 0, 1),  # a width below the tools' defaults is the file's own (msgcat -w)
    (64, 0, 64),
    (73, 0, 76),  # near the defaults: the smallest standard width that holds the widest line
    (79, 0, 79),
    (100, 0, 100),  # msgcat -w 100
    (210, 0, 210),  # wide lines and no narrow one to go by
    (210, 78, 78),  # polib: Chinese lines broken only at spaces, English ones at 78
    (210, 70, 76),  # the narrowest English width still read as a default
    (210, 69, 210),  # below it the English lines are short, not wrapped at the width
    (210, 80, 80),
    (210, 81, 210),
    (60, 75, 60),  # a file wrapped at 60 does not take its English lines' width
])
def test_the_width_of_a_file_is_read_from_its_widest_wrapped_line(widest, narrow, width):
    """``detect_width``: each case worked out by hand from the tools' defaults (76–80)."""
    from bilingual.po.layout import detect_width

    assert detect_width(widest, narrow) == width


def test_a_file_wrapped_at_79_with_short_english_lines_is_read_as_79():
    """Poedit wraps at 79 columns: a Chinese line fills them, the English ones stop short. The
    Chinese line is the width; the English ones only stand in for polib's files, whose Chinese
    lines run past any width."""
    zh = "对" * 38
    text = (f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgctxt "measure-1.s1"\nmsgid ""\n"{zh}x"\n"{zh}"\n'
            f'msgstr ""\n"Short English, wrapped "\n"early by its translator."\n')
    assert parse_text(text).layout.width == 79


def test_a_string_split_by_hand_does_not_make_an_unwrapped_file_wrapped(folder):
    """Our files are unwrapped. A translator who splits one msgstr over two lines in a text editor
    (vim, po-mode) made the file read as wrapped at that entry's width, and every entry the next
    run rewrote came out wrapped: a diff of lines no one changed. A wrapping tool leaves no
    string wider than its width on its keyword's line, and every other entry here does that."""
    po = folder / "doc.en.po"
    text = po.read_text(encoding="utf-8")
    english = parse_text(text).find("measure-20.s1", by="msgctxt").msgstr
    split = f'msgstr ""\n"{quote(english[:30])}"\n"{quote(english[30:])}"'
    text = text.replace(f'msgstr "{quote(english)}"', split)
    po.write_text(text, encoding="utf-8")
    source = folder / "source.zh.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert translate(folder)
    after = po.read_text(encoding="utf-8")
    assert split in after  # the translator's own layout of their entry stays
    lines = after.splitlines()
    rewritten = [lines[i] for i in sorted(entry_lines(lines, "measure-15.s3"))]
    assert f'msgid "{NEW}"' in rewritten and any(line.startswith('msgstr "[zh:') for line in rewritten), rewritten


def test_polibs_short_chinese_lines_do_not_make_its_file_unwrapped(tmp_path):
    """polib counts characters: a 50-character Chinese msgid (100 columns) stays on its keyword's
    line, and in a file of short sentences such lines outnumber the wrapped English ones. They
    are no sign of an unwrapped file: the file stays wrapped (at 77, the smallest standard width
    that holds its widest line: a short file)."""
    import polib

    catalog = polib.POFile(wrapwidth=78)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for number in range(10):
        catalog.append(polib.POEntry(msgctxt=f"notice.s{number}", msgid="对" * 49 + str(number), msgstr="Yes."))
    for number in range(2):
        catalog.append(polib.POEntry(msgctxt=f"measure-{number}.s1", msgid=f"试点{number}。", msgstr=f"{PILOT}, {RETURNS}"))
    path = tmp_path / "doc.en.po"
    catalog.save(str(path))
    assert parse_text(path.read_text(encoding="utf-8")).layout.width == 77


@pytest.mark.parametrize(("comment", "number"), [
    ("section 5: 农、林、牧、渔业\nnumbered: 1", 1),
    ("numbered: 12\nlead agencies: 上海海关", 12),
    ("numbered: 0", None),  # no document prints a unit 0
    ("numbered: \uff15", None),  # a full-width digit is a digit, not ours
    ("numbered: one", None),
    ("numbered:", None),
    ("section 5: 农、林、牧、渔业", None),
    ("", None),
])
def test_the_printed_number_is_read_from_its_own_line_only(comment, number):
    """``printed_number``: the ``numbered: N`` line a run writes where the print and the id differ;
    anything else on it (a hand edit) is no number, and the build then labels by the id."""
    from bilingual.po.layout import printed_number

    assert printed_number(comment) == number


def _wrapped_file(*one_line_widths: int) -> str:
    """A file with one entry polib wrapped at 77 columns and entries whose msgstr line is as wide as asked."""
    import polib

    catalog = polib.POFile(wrapwidth=78)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    catalog.append(polib.POEntry(msgctxt="a.s1", msgid="口岸。", msgstr="word " * 30))
    text = catalog.__unicode__()
    for number, width in enumerate(one_line_widths):
        text += f'\nmsgctxt "b.s{number}"\nmsgid "b"\nmsgstr "{"x" * (width - len("msgstr " + chr(34) * 2))}"\n'
    return text


@pytest.mark.parametrize(("widths", "expected"), [
    ((), 77),
    ((77, 77, 77), 77),  # lines exactly as wide as the width fit a wrapped file: no sign of anything
    ((79,), 77),  # as many too-wide lines as wrapped entries: the wrapping decides
    ((79, 79), 0),  # more: a translator split a string by hand in an unwrapped file
])
def test_a_file_counts_as_unwrapped_only_when_more_strings_exceed_its_width_on_one_line_than_are_wrapped(
        widths, expected):
    text = _wrapped_file(*widths)
    assert [len(line) for line in text.splitlines() if line.startswith('msgstr "x')] == list(widths)
    assert parse_text(text).layout.width == expected
