"""The gate's whole output on one file with a problem of every kind: what a CI log shows.

Each finding is checked whole (severity, msgctxt, check, message, file, line), so a finding that
lost its file or line, or a message that no longer names what was found, fails here. The file is
written out below; the expected findings were worked out by hand from it (line = the entry's
first line, as polib counts).
"""

from __future__ import annotations

import pytest
from pofactory import fake_glossary

from bilingual.check import ERROR, WARNING, check_files, exit_code, summary

PO = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=latin-1\\n"

#. origin: machine translation (pseudo)
#. mt-check: repetition: "the the"
#, fuzzy
msgctxt "measure-1.s1"
msgid "支持单一窗口发展。"
msgstr "Support the the Single Window."

msgctxt "measure-2.s1"
msgid "2025年6月27日前完成70%。"
msgstr "Complete 70 by June 2025, 3 times."

msgctxt "measure-3.s1"
msgid "推进单一窗口建设。"
msgstr "Promote（the (window."

#. suspect name: 市某某局 (closest known: 市商务委 → Municipal Commission of Commerce)
msgctxt "measure-4.agencies"
msgid "（市某某局）"
msgstr ""

msgctxt "measure-4.agencies"
msgid "加强服务。"
msgstr " Strengthen services."

msgctxt "measure-5.agencies"
msgid "（上海海关、市公安局）"
msgstr "(Shanghai Customs and Shanghai Municipal Bureau of Public Security)"

msgctxt "measure-6.s1"
msgid "优化服务。\\n"
msgstr "Improve services and services and services and services."
"""

NAME_RULE = ("(rendered from the glossary, name by name, in this order), not '(Shanghai Customs and Shanghai "
             "Municipal Bureau of Public Security)': names come from the glossary, so correct a wrong name there "
             "(glossary/*.csv), then empty this msgstr and re-run translate")

EXPECTED = [
    (ERROR, "", "header", "Language is 'fr', expected English ('en', or a variant such as 'en-GB')", 0),
    (ERROR, "", "header", "Content-Type must declare charset=UTF-8 (found 'text/plain; charset=latin-1')", 0),
    (ERROR, "", "header", "X-Bilingual-Document header is missing", 0),
    (WARNING, "measure-1.s1", "fuzzy", "machine translation not reviewed (fuzzy)", 6),
    (WARNING, "measure-1.s1", "mt-check", 'repetition: "the the"', 6),
    (ERROR, "measure-2.s1", "numbers", "missing from the translation: 2025年6月27日, 70%", 13),
    (WARNING, "measure-2.s1", "numbers", "not in the source: 3", 13),
    (ERROR, "measure-3.s1", "glossary", "单一窗口 must be translated as 'Single Window'", 17),
    (ERROR, "measure-3.s1", "chinese", "Chinese text or full-width punctuation in the translation: （", 17),
    (ERROR, "measure-3.s1", "brackets", "unbalanced brackets or quotes in the translation: '(' is never closed", 17),
    (WARNING, "measure-4.agencies", "suspect-name",
     "市某某局 (closest known: 市商务委 → Municipal Commission of Commerce)", 21),
    (WARNING, "measure-4.agencies", "untranslated", "not translated", 21),
    (ERROR, "measure-4.agencies", "duplicate", "msgctxt 'measure-4.agencies' is used twice (first at line 21)", 26),
    (WARNING, "measure-4.agencies", "whitespace", "leading whitespace differs between source and translation", 26),
    (ERROR, "measure-5.agencies", "names",
     "must read exactly '(Shanghai Customs; Shanghai Municipal Bureau of Public Security)' " + NAME_RULE, 30),
    (ERROR, "measure-6.s1", "repetition", "the translation loops: 'services and' 3 times in a row", 34),
    (ERROR, "measure-6.s1", "whitespace",
     "trailing newline differs between source and translation (msgfmt rejects it)", 34),
]


def test_every_finding_names_its_entry_file_and_line(tmp_path):
    path = tmp_path / "doc.en.po"
    path.write_text(PO, encoding="utf-8")
    findings = check_files([path], fake_glossary())
    assert [(f.severity, f.ctx, f.check, f.message, f.line) for f in findings] == EXPECTED
    assert {f.path for f in findings} == {str(path)}
    assert summary(findings) == {"error": 11, "warning": 6, "info": 0}
    assert exit_code(findings) == 1


def test_strict_makes_unreviewed_and_untranslated_entries_errors(tmp_path):
    path = tmp_path / "doc.en.po"
    path.write_text(PO, encoding="utf-8")
    strict = {(f.ctx, f.check): f.severity for f in check_files([path], fake_glossary(), strict=True)}
    assert strict[("measure-1.s1", "fuzzy")] == ERROR and strict[("measure-4.agencies", "untranslated")] == ERROR
    assert strict[("measure-1.s1", "mt-check")] == WARNING  # a reason to look, not a verdict


def test_a_file_that_cannot_be_read_is_one_finding_naming_it(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "\\q"\n', encoding="utf-8")
    missing = tmp_path / "missing.po"
    findings = check_files([broken, missing, broken])
    assert [(f.severity, f.ctx, f.check, f.path, f.line) for f in findings] == [
        (ERROR, "", "syntax", str(broken), 5), (ERROR, "", "syntax", str(missing), 0),
        (ERROR, "", "syntax", str(broken), 5)]
    assert "invalid control sequence" in findings[0].message and findings[1].message == "PO file not found"


def _header_findings(metadata: dict[str, str]) -> list[tuple[str, str]]:
    import polib

    from bilingual.check import check_catalog

    po = polib.POFile()
    po.metadata = metadata
    return [(f.check, f.message) for f in check_catalog(po, path="doc.en.po") if f.check == "header"]


def test_an_empty_header_names_what_is_missing():
    assert _header_findings({}) == [
        ("header", "Language is 'missing', expected English ('en', or a variant such as 'en-GB')"),
        ("header", "Content-Type must declare charset=UTF-8 (found 'nothing')"),
        ("header", "X-Bilingual-Document header is missing"),
    ]


def test_a_header_only_of_whitespace_is_missing_too():
    assert [check for check, _ in _header_findings({"Language": "  ", "X-Bilingual-Document": " ",
                                                    "Content-Type": "text/plain; charset=UTF-8"})] == ["header"] * 2


@pytest.mark.parametrize("charset", ["UTF-8", "utf-8", "utf8", "UTF_8", "Utf-8"])
def test_every_spelling_of_utf8_is_accepted(charset):
    assert _header_findings({"Language": "en_US", "X-Bilingual-Document": "doc",
                             "Content-Type": f"text/plain; charset={charset}"}) == []


@pytest.mark.parametrize("charset", ["UTF-16", "utf", "latin-1", "GB2312"])
def test_another_charset_is_refused(charset):
    assert [check for check, _ in _header_findings({"Language": "en", "X-Bilingual-Document": "doc",
                                                    "Content-Type": f"text/plain; charset={charset}"})] == ["header"]


@pytest.mark.parametrize(("english", "target"), [
    ("(SIPG)", "Shanghai International Port (Group) Co., Ltd(SIPG)and others"),  # MT dropped the spaces
    ("“Single Window”", "the Shanghai“Single Window”platform"),
])
def test_approved_english_that_starts_or_ends_with_punctuation_needs_no_word_boundary(english, target):
    from bilingual.check import english_pattern

    assert english_pattern(english).search(target) is not None


# --------------------------------------------------------------------------- numbers in 万 and 亿


@pytest.mark.parametrize(("zh", "en"), [
    ("进出口额达6600万元。", "Imports and exports reached 66 million yuan."),
    ("进出口额达6600万元。", "Imports and exports reached 66 MILLION yuan."),
    ("进出口额达6600万元。", "Imports and exports reached 66,000,000 yuan."),
    ("进出口额达6600万元。", "Imports and exports reached 6600 ten-thousand yuan."),  # the digits as written
    ("全年完成13亿元。", "A total of 1.3 billion yuan."),
    ("规模超过2.5万亿元。", "Over 2.5 trillion yuan."),
])
def test_wan_and_yi_may_be_rendered_in_english_scale_words(zh, en):
    from bilingual.check import missing_numbers

    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize(("zh", "en", "missing"), [
    ("进出口额达6600万元。", "Imports and exports reached 66 billion yuan.", ["6600万"]),
    ("全年完成13亿元。", "A total of 1.3 million yuan.", ["13亿"]),
    ("全年完成13亿元。", "A total of 13 million yuan.", ["13亿"]),  # the digits as written, the scale wrong
    ("新增3万家企业。", "Three new enterprises.", ["3万"]),
])
def test_a_wrong_scale_is_a_missing_number(zh, en, missing):
    from bilingual.check import missing_numbers

    assert missing_numbers(zh, en) == missing


def test_grouped_digits_in_the_source_are_one_number():
    from bilingual.check import added_numbers

    assert added_numbers("共1,500家企业。", "1,500 enterprises.") == []
    assert added_numbers("共1,500家企业。", "1,600 enterprises.") == ["1600"]


# --------------------------------------------------------------------------- more findings


class VariantGlossary:
    """A glossary that knows one official variant of a name (``Glossary.variants``)."""

    def __init__(self):
        from pofactory import FakeGlossary

        self.inner = FakeGlossary({"上海海关": "Shanghai Customs"})

    def match(self, text):
        return self.inner.match(text)

    def english(self, term):
        return self.inner.english(term)

    def lookup(self, zh):
        return self.inner.lookup(zh)

    def variants(self, term):
        return ("Customs of Shanghai",) if term is not None and term.zh == "上海海关" else ()


def test_a_known_variant_of_a_name_is_named_in_the_finding():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="measure-1.s1", msgid="上海海关负责。", msgstr="The Customs of Shanghai is responsible.")
    [finding] = check_entry(entry, VariantGlossary())
    assert finding.message == ("上海海关 must be translated as 'Shanghai Customs' (it has 'Customs of Shanghai', "
                               "a known variant in official sources, not the approved name)")


def test_a_plural_form_with_a_newline_msgfmt_rejects_is_found():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="site.count", msgid="{n} measure\n", msgid_plural="{n} measures\n",
                          msgstr_plural={0: "{n} measure\n", 1: "{n} measures"})
    assert [(f.severity, f.check) for f in check_entry(entry)] == [(ERROR, "whitespace")]


def test_brackets_are_not_checked_when_the_source_itself_is_unbalanced():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革（试点", msgstr="Promote port reform (pilot")
    assert check_entry(entry) == []
    entry.msgid = "推进口岸改革（试点）"
    assert [f.check for f in check_entry(entry)] == ["brackets"]


def test_an_mo_file_is_one_finding_without_a_line(tmp_path):
    path = tmp_path / "doc.en.po"
    path.write_bytes(b"\xde\x12\x04\x95" + bytes(24))
    [finding] = check_files([path])
    assert (finding.severity, finding.check, finding.path, finding.line) == (ERROR, "syntax", str(path), 0)
    assert "compiled MO file" in finding.message


def test_a_thirteenth_month_is_no_month_but_its_digits_must_stay():
    from bilingual.check import missing_numbers

    assert missing_numbers("第13月", "the 13th month") == []
    assert missing_numbers("第13月", "the next month") == ["13月"]


@pytest.mark.parametrize(("english", "target", "found"), [
    ("e-Port", "the China e-Port system", True),
    ("e-Port", "the Chinae-Port system", False),  # the word starts at the e
    ("Class-A", "a Class-A port", True),
    ("Class-A", "a Class-AB port", False),  # the word ends at the A
])
def test_approved_english_with_inner_punctuation_is_still_whole_words(english, target, found):
    from bilingual.check import english_pattern

    assert (english_pattern(english).search(target) is not None) is found


def test_load_po_names_the_file_and_line_of_what_it_refuses(tmp_path):
    from bilingual.check import load_po
    from bilingual.errors import BilingualError

    missing = tmp_path / "missing.po"
    with pytest.raises(BilingualError) as caught:
        load_po(missing)
    assert caught.value.path == str(missing) and caught.value.message == "PO file not found"
    broken = tmp_path / "broken.po"
    broken.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "\\q"\n', encoding="utf-8")
    with pytest.raises(BilingualError) as caught:
        load_po(broken)
    assert caught.value.path == str(broken) and caught.value.line == 5
    latin = tmp_path / "latin.po"
    latin.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "\xe9"\n')
    with pytest.raises(BilingualError) as caught:
        load_po(latin)
    assert caught.value.path == str(latin) and caught.value.line == 4


def test_wan_and_yi_in_the_source_allow_their_value_in_the_translation():
    from bilingual.check import added_numbers

    assert added_numbers("进出口额达6600万元。", "Imports and exports reached 66 million yuan.") == []
    assert added_numbers("全年完成13亿元。", "A total of 1.3 billion yuan.") == []
    assert added_numbers("全年完成13亿元。", "A total of 1.3 million yuan.") == ["1.3 million"]


def test_numbers_in_a_glossary_terms_approved_english_are_given_by_the_source():
    import polib
    from pofactory import FakeGlossary

    from bilingual.check import added_numbers, check_entry

    glossary = FakeGlossary({"升级版单一窗口": "Single Window 3,000 Edition"})
    assert added_numbers("建设升级版单一窗口。", "Build the Single Window 3,000 Edition.", glossary) == []
    entry = polib.POEntry(msgctxt="m.s1", msgid="建设升级版单一窗口。", msgstr="Build the Single Window 3,000 Edition.")
    assert check_entry(entry, glossary) == []


def test_an_entry_checked_alone_has_no_file_line_or_strictness():
    import polib

    from bilingual.check import check_entry

    [finding] = check_entry(polib.POEntry(msgid="甲。", msgstr=""))
    assert (finding.severity, finding.ctx, finding.path, finding.line) == (WARNING, "", "", 0)


def test_a_catalogue_checked_without_a_file_has_no_path_and_entries_without_context_are_no_duplicates():
    import polib

    from bilingual.check import check_catalog

    po = polib.POFile()
    po.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8", "X-Bilingual-Document": "d"}
    po.append(polib.POEntry(msgid="甲。", msgstr="A."))
    po.append(polib.POEntry(msgid="乙。", msgstr="B."))
    po.append(polib.POEntry(msgctxt="m.s1", msgid="丙。", msgstr="C."))
    po.append(polib.POEntry(msgctxt="m.s1", msgid="丁。", msgstr="D."))
    [duplicate] = check_catalog(po)
    assert (duplicate.check, duplicate.path, duplicate.line) == ("duplicate", "", 0)
    assert duplicate.message == "msgctxt 'm.s1' is used twice (first at line 0)"


def test_each_plural_form_is_compared_with_its_own_source():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="site.count", msgid="{n} measure ", msgid_plural="{n} measures",
                          msgstr_plural={0: "{n} measure ", 1: "{n} measures"})
    assert check_entry(entry) == []


def test_messages_list_every_number_and_character_found():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="m.s1", msgid="推进改革。", msgstr="Reform（3）、4.")
    messages = {f.check: f.message for f in check_entry(entry) if f.check in ("numbers", "chinese")}
    assert messages == {"numbers": "not in the source: 3, 4",
                        "chinese": "Chinese text or full-width punctuation in the translation: （ ） 、"}


def test_a_leading_newline_the_translation_lacks_is_found():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="m.s1", msgid="\n推进改革。", msgstr="Reform.")
    assert [(f.severity, f.message) for f in check_entry(entry)] == [
        (ERROR, "leading newline differs between source and translation (msgfmt rejects it)")]
    entry.flags = ["fuzzy"]
    assert [(f.severity, f.message) for f in check_entry(entry) if f.check == "whitespace"] == [
        (WARNING, "leading newline differs between source and translation (msgfmt rejects it once the entry is "
                  "not fuzzy)")]


def test_a_file_with_no_entries_is_not_a_pass():
    import polib

    from bilingual.check import check_catalog

    po = polib.POFile()
    po.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8", "X-Bilingual-Document": "d"}
    expected = ("", "empty", "no entries: the file holds a header and nothing to translate", "doc.en.po", 0)
    assert [(f.severity, f.ctx, f.check, f.message, f.path, f.line) for f in check_catalog(po, path="doc.en.po")] == [
        (WARNING, *expected)]
    assert [(f.severity, f.ctx, f.check, f.message, f.path, f.line)
            for f in check_catalog(po, path="doc.en.po", strict=True)] == [(ERROR, *expected)]


@pytest.mark.parametrize(("text", "problem"), [
    ('msgid ""\rmsgstr ""\r\rmsgctxt "a"\rmsgid "一"\rmsgstr "One"\r', "has CR-only line ends"),
    ("一、优化通关。各单位要落实责任。\n", "not a PO file (no msgid line)"),
])
def test_a_file_that_is_no_po_text_is_named_with_its_problem(tmp_path, text, problem):
    """``check``'s reader names the file and says what it is instead (exit 2 in the CLI): the
    message and the path are both the user's only clue."""
    from bilingual.check import load_po
    from bilingual.po import NotPoFile

    path = tmp_path / "doc.en.po"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(NotPoFile) as excinfo:
        load_po(path)
    assert excinfo.value.path == str(path)
    assert str(excinfo.value).startswith(f"{path}: {problem}")


def test_a_reviewed_translation_whose_source_changed_is_named_so_and_keeps_no_mt_warnings():
    """Fuzzy after a source change, a person's English (``origin: reviewed``) is "reviewed, source
    changed: re-review", and ``mt-check:`` lines of the machine English it replaced are not its
    findings; fuzzy machine output keeps both its own name and its mt-check warnings."""
    import polib

    from bilingual.check import check_entry

    old_lines = "mt-check: too-short: 2 words for 9 Chinese characters"
    reviewed = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="Advance port reform.",
                             flags=["fuzzy"], comment=f"origin: reviewed (from machine translation)\n{old_lines}")
    assert [(f.severity, f.check, f.message) for f in check_entry(reviewed)] == [
        (WARNING, "fuzzy", "reviewed, source changed: re-review (fuzzy)")]
    machine = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="Advance port reform.",
                            flags=["fuzzy"], comment=f"origin: machine translation (argos)\n{old_lines}")
    assert [(f.severity, f.check, f.message) for f in check_entry(machine)] == [
        (WARNING, "fuzzy", "machine translation not reviewed (fuzzy)"),
        (WARNING, "mt-check", "too-short: 2 words for 9 Chinese characters")]
    no_comment = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="Advance port reform.",
                               flags=["fuzzy"])
    assert [f.message for f in check_entry(no_comment)] == ["machine translation not reviewed (fuzzy)"]


def test_a_stub_finding_says_what_the_stub_is():
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="TODO")
    [finding] = [f for f in check_entry(entry) if f.check == "stub"]
    assert finding.severity == ERROR and finding.message and "TODO" in finding.message


@pytest.mark.parametrize("msgstr", ["Imported motor vehicles: Q X Z 7 merged into one.", "Promote QXZ3 reform."])
def test_a_reviewed_translation_holding_an_mt_placeholder_is_a_stub(msgstr):
    """A translator signed off machine output that still held a placeholder the glossary could not
    put back: the review drops its ``mt-check: placeholder`` line, and nothing else flagged it."""
    import polib

    from bilingual.check import check_entry

    entry = polib.POEntry(msgctxt="measure-1.s1", msgid="推进进口机动车口岸改革。", msgstr=msgstr)
    [finding] = [f for f in check_entry(entry) if f.check == "stub"]
    assert finding.severity == ERROR and "placeholder" in finding.message
    fine = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="Advance the reform of ports.")
    assert not [f for f in check_entry(fine) if f.check == "stub"]


def test_a_control_character_pasted_into_a_translation_is_found():
    """A vertical tab or NUL pasted from another program is invisible in Poedit, passes msgfmt,
    and the HTML build copied it into the page: an error once reviewed, a warning before."""
    import polib

    from bilingual.check import check_entry

    text = "Advance the reform\x0b of ports\x00 and\x0b customs."
    reviewed = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr=text)
    [finding] = [f for f in check_entry(reviewed) if f.check == "control"]
    assert finding.severity == ERROR
    assert finding.message == "invisible control characters in the translation: U+000B, U+0000; delete them"
    draft = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr=text, flags=["fuzzy"])
    assert [f.severity for f in check_entry(draft) if f.check == "control"] == [WARNING]
    for fine in ("Advance the reform of ports.", "Advance\tthe reform\nof ports.\n"):
        entry = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。" + fine[-1] * fine.endswith("\n"),
                              msgstr=fine)
        assert not [f for f in check_entry(entry) if f.check == "control"]


def test_msgcats_conflict_lines_are_one_error_and_nothing_read_from_them():
    """``msgcat a.po b.po`` where two translators differ: both versions between marker lines that
    name the files (and a year in their header): one ``conflict`` error, reviewed or not, and no
    ``numbers`` finding made up from the markers."""
    import polib

    from bilingual.check import check_entry

    msgstr = ("#-#-#-#-#  a.en.po (bilingual 2025)  #-#-#-#-#\nAdvance the reform of ports.\n"
              "#-#-#-#-#  b.en.po (bilingual 2025)  #-#-#-#-#\nPush port reform forward.")
    for flags in ([], ["fuzzy"]):
        entry = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr=msgstr, flags=flags)
        found = check_entry(entry, strict=False)
        assert [(f.severity, f.check) for f in found] == [(ERROR, "conflict")], found
        assert found[0].message == ("two translations joined by msgcat (#-#-#-#-# lines): keep one, delete the "
                                    "marker lines, then clear fuzzy")
    plain = polib.POEntry(msgctxt="measure-1.s1", msgid="推进口岸改革。", msgstr="Advance the reform # of ports.")
    assert not [f for f in check_entry(plain) if f.check == "conflict"]


@pytest.mark.parametrize(("character", "why"), [
    ("\u202e", "an RLO prints the published English reversed"),
    ("\u2066", "an isolate reorders what follows"),
    ("\u200b", "a zero-width space pasted from a web page"),
    ("\u00ad", "a soft hyphen pasted from a word processor"),
    ("\u2028", "a line separator, where line-based tools cut the line"),
    ("\ufeff", "a byte-order mark in the middle of the text"),
])
def test_a_bidi_control_or_invisible_character_in_a_translation_is_found(character, why):
    """What no reader sees in Poedit but the page or a tool acts on is a ``control`` finding too,
    named by its code point; the same character in the source is no finding."""
    import polib

    from bilingual.check import check_entry

    text = f"Single {character}Window"
    [finding] = [f for f in check_entry(polib.POEntry(msgid="单一窗口", msgstr=text)) if f.check == "control"]
    assert finding.message == (f"invisible control characters in the translation: U+{ord(character):04X}; "
                               "delete them"), why
    assert not [f for f in check_entry(polib.POEntry(msgid=f"单一{character}窗口", msgstr=text)) if f.check == "control"]
