"""The PO merge's small rules, one behaviour each, in-process (fast; mutation testing reads them).

The scenarios (a translator's file, a changed document) are in ``test_po_safety.py`` and the
properties in ``test_merge_properties.py``; these pin the decisions those scenarios rest on:
which machine output a run may translate again, when a merge is refused, what a file that is
not a PO file is called, and how the header of a merged file is made.
"""

from __future__ import annotations

import hashlib

import polib
import pytest

from bilingual.errors import BilingualError
from bilingual.model import Segment
from bilingual.po import (
    HEADER_DOC,
    HEADER_SOURCE,
    MergeReport,
    Reuse,
    Translation,
    decode_po,
    machine_identity,
    merge_catalog,
    needs_retranslation,
    read_existing,
)
from bilingual.po.catalog import merged_metadata
from bilingual.po.merge import reviewed_lines, reviewed_origin

SENTENCE = "支持跨境电商发展。"


def mt_entry(origin: str = "origin: machine translation (argos/zh_en-1.9)", *, fuzzy: bool = True,
             msgstr: str = "Support cross-border e-commerce.") -> polib.POEntry:
    return polib.POEntry(msgctxt="measure-1.s1", msgid=SENTENCE, msgstr=msgstr,
                         flags=["fuzzy"] if fuzzy else [], comment=origin)


# --------------------------------------------------------------------------- which output is the engine's

@pytest.mark.parametrize(("comment", "identity"), [
    ("origin: machine translation (argos/zh_en-1.9)", "argos/zh_en-1.9"),
    ("origin: machine translation (libretranslate/zh→en); terms: 2 of 2 kept", "libretranslate/zh→en"),
    ("missing term: 海关\norigin: machine translation (pseudo)", "pseudo"),
    ("origin: machine translation pseudo", "pseudo"),  # hand-edited, no parentheses
])
def test_machine_identity_names_the_engine_of_unreviewed_mt(comment, identity):
    assert machine_identity(mt_entry(comment)) == identity


@pytest.mark.parametrize("entry", [
    mt_entry(fuzzy=False),  # reviewed: the translator's now
    mt_entry(msgstr=""),  # nothing to replace
    mt_entry("origin: glossary"),  # rule-made, not machine output
    mt_entry("origin: translation memory"),
], ids=["reviewed", "empty", "glossary", "memory"])
def test_only_unreviewed_machine_output_has_an_engine(entry):
    assert machine_identity(entry) is None


def test_a_plural_entry_is_never_machine_output():
    entry = mt_entry()
    entry.msgid_plural, entry.msgstr_plural = "{n} measures", {0: "a", 1: "b"}
    assert machine_identity(entry) is None


@pytest.mark.parametrize(("kind", "made_by", "retranslate", "again"), [
    ("same", "argos/zh_en-1.9", False, False),  # the same engine, the same sentence: keep it
    ("moved", "argos/zh_en-1.9", False, False),  # moved, not changed
    ("same", "pseudo", False, True),  # another engine made it
    ("changed", "argos/zh_en-1.9", False, True),  # the sentence changed since
    ("same", "argos/zh_en-1.9", True, True),  # --retranslate
])
def test_unreviewed_machine_output_is_translated_again_only_when_it_is_stale(kind, made_by, retranslate, again):
    reuse = Reuse(mt_entry(f"origin: machine translation ({made_by})"), kind)
    assert needs_retranslation(reuse, "argos/zh_en-1.9", retranslate) is again


def test_a_rerun_keeps_the_same_engines_output_unless_asked():
    reuse = Reuse(mt_entry("origin: machine translation (pseudo)"), "same")
    assert needs_retranslation(reuse, "pseudo") is False


@pytest.mark.parametrize("kind", ["same", "moved", "changed"])
def test_reviewed_work_is_never_translated_again(kind):
    reuse = Reuse(mt_entry(fuzzy=False), kind)
    assert needs_retranslation(reuse, "pseudo", True) is False


# --------------------------------------------------------------------------- the refusal

@pytest.mark.parametrize(("reviewed", "obsoleted", "refused"), [
    (4, 0, False),
    (4, 2, False),  # half may go (a document that really lost half its measures)
    (4, 3, True),  # more than half: the wrong SOURCE, or a truncated one
    (1, 1, True),
    (0, 0, False),
])
def test_a_merge_that_would_obsolete_most_reviewed_work_is_refused(reviewed, obsoleted, refused):
    report = MergeReport(reviewed=reviewed, obsoleted=[f"measure-{i}.s1" for i in range(obsoleted)])
    message = report.refusal()
    assert (message is not None) is refused
    if refused:
        # the whole message: what would happen, what to check, that nothing was written, and the way out
        assert message == (f"this run would make {obsoleted} of its {reviewed} reviewed translations obsolete "
                           "(is SOURCE the right document, and complete?); nothing was written: run again with "
                           "--force if the document really changed that much")


def test_the_merge_counts_reviewed_entries_and_names_the_ones_made_obsolete():
    old = polib.POFile()
    for ctx, source, flags in (("measure-1.s1", "甲。", []), ("measure-2.s1", "乙。", []),
                               ("measure-3.s1", "丙。", ["fuzzy"])):
        old.append(polib.POEntry(msgctxt=ctx, msgid=source, msgstr=f"English {ctx}.", flags=flags))
    new = merge_catalog([Segment("measure-1.s1", "甲。", "measure", 1)], {}, old,
                        document="doc", source_ref="source.zh.txt", comments={})
    assert new.merge_report.reviewed == 2
    assert new.merge_report.obsoleted == ["measure-2.s1"]  # the fuzzy one is not reviewed work
    assert new.merge_report.refusal() is None  # one of two: half


def test_reviewed_entries_without_a_msgctxt_count_as_reviewed_work():
    """Entries a translator's tool added (no msgctxt) are people's work too: two of them made obsolete
    among four reviewed entries is half, not a refusal."""
    old = polib.POFile()
    for ctx, source in (("measure-1.s1", "甲。"), (None, "附件"), (None, "联系人"), ("measure-2.s1", "乙。")):
        old.append(polib.POEntry(msgctxt=ctx, msgid=source, msgstr=f"English {source}"))
    new = merge_catalog([Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-2.s1", "乙。", "measure", 2)],
                        {}, old, document="doc", source_ref="s.txt", comments={})
    assert (new.merge_report.reviewed, new.merge_report.obsoleted) == (4, ["附件", "联系人"])
    assert new.merge_report.refusal() is None


# --------------------------------------------------------------------------- not a PO file

def test_a_compiled_mo_file_is_named_as_such():
    mo = b"\xde\x12\x04\x95" + bytes(24)
    with pytest.raises(BilingualError, match="compiled MO file, not a PO file") as caught:
        decode_po(mo, "doc.en.po")
    assert caught.value.message == "is a compiled MO file, not a PO file (give the .po file it was made from)"
    assert str(caught.value).startswith("doc.en.po: ")


def test_a_file_that_is_not_utf8_is_named_with_its_line():
    data = b'msgid ""\nmsgstr ""\n\nmsgid "caf' + b"\xe9" + b'"\n'
    with pytest.raises(BilingualError, match=r"not valid UTF-8 \(byte 30\); PO files must be UTF-8") as caught:
        decode_po(data, "doc.en.po")
    assert caught.value.line == 4 and str(caught.value).startswith("doc.en.po: ")


@pytest.mark.parametrize(("bom", "encoding"), [
    (b"", "utf-16"),  # Python writes the byte-order mark of this machine's order
    (b"\xfe\xff", "utf-16-be"), (b"", "utf-16-be"), (b"", "utf-16-le")])
def test_a_file_saved_as_utf16_is_named_so_with_what_to_do(bom, encoding):
    """Notepad's "Unicode" is UTF-16: "a bad byte at offset 0" would not tell a translator why.
    (Ø, U+00D8, read in the other byte order is half a surrogate pair: that reading fails.)"""
    data = bom + 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "口岸Ø"\nmsgstr "port"\n'.encode(encoding)
    with pytest.raises(BilingualError) as caught:
        decode_po(data, "doc.en.po")
    assert caught.value.message == ('is UTF-16 (what Windows editors call "Unicode"), not the UTF-8 gettext tools '
                                    "read; save it as UTF-8")


def test_other_bytes_that_are_not_utf8_are_not_called_utf16():
    # Latin-1, UTF-16 text that is no PO file, a UTF-16 PO file cut at an odd byte (no reading works)
    for data in (b'msgid "caf\xe9"\n', "口岸".encode("utf-16-le"), '口 msgid "a"'.encode("utf-16-le")[:-1]):
        with pytest.raises(BilingualError, match=r"not valid UTF-8 \(byte \d+\); PO files must be UTF-8"):
            decode_po(data, "doc.en.po")


def test_utf8_text_is_returned_as_it_is():
    text = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "口岸"\nmsgstr "port"\n'
    assert decode_po(text.encode("utf-8"), "doc.en.po") == text


@pytest.mark.parametrize(("content", "message"), [
    (b"\xde\x12\x04\x95" + bytes(24), "is a compiled MO file, not a PO file; it was left unchanged"),
    (b'msgid "\xff"\n', "not a valid PO file (not UTF-8 at byte 7); it was left unchanged"),
    # saved by a Windows editor as "Unicode": with its byte-order mark, or without one
    ('msgid ""\nmsgstr "Language: en\\n"\n'.encode("utf-16"),
     'is UTF-16 (what Windows editors call "Unicode"), not the UTF-8 gettext tools read; save it as UTF-8; '
     "it was left unchanged"),
    ('msgid "口岸"\nmsgstr "port"\n'.encode("utf-16-le"), "is UTF-16 ("),
    ("关于加强口岸管理的通知\n一、优化通关。\n".encode(), "not a PO file (no msgid line); it was left unchanged"),
    (b'msgid ""\rmsgstr "Language: en\\n"\r\rmsgid "a"\rmsgstr "b"\r',  # tr '\n' '\r'
     "has CR-only line ends (classic Mac OS), which gettext reads as one line; convert them to LF first"),
    (b'msgid "a"\nmsgstr "\\q"\n', "not a valid PO file (syntax error at line 2"),
    # a quote typed into a msgstr in a text editor: the hint says how to write one
    (b'msgid "a"\nmsgstr "the "two certificates" reform"\n',
     'syntax error at line 2: text \'two\' after a closing " (a " inside a string is written \\")'),
    (b'msgid ""\nmsgstr "Language: fr\\n"\n', "is a PO file for language 'fr', not English (en)"),
    (b'msgid ""\nmsgstr "X-Bilingual-Document: other\\n"\n',
     "belongs to document 'other', not 'doc'; choose another -o path"),
])
def test_a_file_the_merge_would_corrupt_is_refused_and_left_alone(tmp_path, content, message):
    path = tmp_path / "doc.en.po"
    path.write_bytes(content)
    with pytest.raises(BilingualError) as caught:
        read_existing(path, "doc")
    assert message in caught.value.message and caught.value.path == str(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize(("content", "expected"), [
    (None, (None, None)),
    (b"", (None, "")),
    (b"  \n", (None, "  \n")),
])
def test_a_missing_or_empty_file_is_a_new_one(tmp_path, content, expected):
    path = tmp_path / "doc.en.po"
    if content is not None:
        path.write_bytes(content)
    assert read_existing(path, "doc") == expected


@pytest.mark.parametrize("header", ["", f"{HEADER_DOC}: doc\\n", "Language: en-GB\\n"])
def test_an_english_file_of_this_document_or_of_none_is_read(tmp_path, header):
    path = tmp_path / "doc.en.po"
    text = f'msgid ""\nmsgstr "{header}"\n\nmsgctxt "a"\nmsgid "口岸"\nmsgstr "port"\n'
    path.write_text(text, encoding="utf-8")
    catalog, read = read_existing(path, "doc")
    assert read == text and [e.msgstr for e in catalog] == ["port"]


# --------------------------------------------------------------------------- the merged header

def test_a_merged_header_keeps_the_translators_fields_and_sets_the_pipelines():
    old = polib.POFile()
    old.metadata = {"Last-Translator": "Li Wei <li@example.org>", "Language": "en-GB",
                    HEADER_DOC: "old-name", HEADER_SOURCE: "old.txt", "X-Generator": "Poedit 3.4"}
    meta = merged_metadata(old, "doc", "source.zh.txt")
    assert list(meta)[:5] == ["Last-Translator", "Language", HEADER_DOC, HEADER_SOURCE, "X-Generator"]
    assert meta["Last-Translator"] == "Li Wei <li@example.org>" and meta["X-Generator"] == "Poedit 3.4"
    assert meta["Language"] == "en-GB"
    assert meta[HEADER_DOC] == "doc" and meta[HEADER_SOURCE] == "source.zh.txt"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8" and meta["X-Source-Language"] == "zh"
    assert old.metadata[HEADER_DOC] == "old-name"  # the old catalogue is not changed


def test_a_header_without_language_gets_english():
    old = polib.POFile()
    old.metadata = {"Project-Id-Version": "x"}
    assert merged_metadata(old, "doc", "s.txt")["Language"] == "en"


def test_a_new_header_says_what_the_file_is():
    meta = merged_metadata(None, "doc", "source.zh.txt")
    assert meta["Language"] == "en" and meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta[HEADER_DOC] == "doc" and meta[HEADER_SOURCE] == "source.zh.txt"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert meta["POT-Creation-Date"] == meta["PO-Revision-Date"]


def _replace_noted_machine_output(keep_earlier: bool = False) -> tuple[Translation, polib.POEntry]:
    """Machine output of another engine, with a translator's note, meets a new proposal
    (``keep_earlier``: the merge is told its English may have been edited)."""
    old = polib.POFile()
    entry = mt_entry("origin: machine translation (pseudo)")
    entry.tcomment = "check the term with the customs office"
    old.append(entry)
    seg = Segment("measure-1.s1", SENTENCE, "measure", 1)
    proposal = Translation("Support cross-border e-commerce development.", True,
                           ["origin: machine translation (argos/zh_en-1.9)"])
    options = {"keep_earlier": {seg.ctx}} if keep_earlier else {}
    new = merge_catalog([seg], {seg.ctx: proposal}, old, document="doc", source_ref="s.txt", comments={},
                        **options)
    [merged] = [e for e in new if not e.obsolete]
    return proposal, merged


def test_a_proposal_replaces_stale_machine_output_but_keeps_the_translators_note():
    proposal, merged = _replace_noted_machine_output()
    assert merged.msgstr == proposal.text and merged.flags == ["fuzzy"]
    assert merged.comment == "origin: machine translation (argos/zh_en-1.9)"
    assert merged.tcomment == "check the term with the customs office"


# --------------------------------------------------------------------------- signed off: whose English it is

@pytest.mark.parametrize(("line", "signed_off"), [
    ("origin: machine translation (argos/zh_en-1.9); 2 glossary terms kept",
     "origin: reviewed (from machine translation argos/zh_en-1.9)"),
    ("origin: edited (from machine translation pseudo/0.1.0)",
     "origin: reviewed (from machine translation pseudo/0.1.0)"),
    ("origin: machine translation", "origin: reviewed"),  # no engine named (an older file)
    ("origin: machine translation ;", "origin: reviewed"),  # nor a stray separator
    ("origin: glossary", "origin: glossary"),  # not machine output: left as it is
])
def test_signing_off_machine_output_names_the_engine_it_came_from(line, signed_off):
    assert reviewed_origin(line) == signed_off


def test_signed_off_english_keeps_no_mt_check_lines():
    """The mt-check lines described the machine's English; kept on a signed-off entry they would
    flag the translator's text. Other provenance lines stay, in their order."""
    lines = ["origin: machine translation (pseudo/0.1.0)", "mt-check: too-short: 2 words for 18 characters",
             "missing term: 市商务委"]
    assert reviewed_lines(lines) == ["origin: reviewed (from machine translation pseudo/0.1.0)",
                                     "missing term: 市商务委"]
    assert reviewed_lines(lines[1:]) == lines[1:]  # nothing signed off: the lines stay


def test_replaced_machine_output_that_may_have_been_edited_is_kept_under_the_translators_note():
    """Nothing could tell whether a translator edited it (``keep_earlier``): the replaced English is
    kept in an ``earlier translation:`` line, after the note already there."""
    proposal, merged = _replace_noted_machine_output(keep_earlier=True)
    assert merged.msgstr == proposal.text
    assert merged.tcomment.split("\n") == ["check the term with the customs office",
                                           'earlier translation: "Support cross-border e-commerce."']


# --------------------------------------------------------------------------- an old entry with the same key

def _fold_merge(*olds: polib.POEntry):
    old = polib.POFile()
    old.append(polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="The new one.",
                             tcomment="keep it short\nchecked with customs"))
    for entry in olds:
        old.append(entry)
    new = merge_catalog([Segment("measure-1.s1", "甲。", "measure", 1)], {}, old,
                        document="doc", source_ref="s.txt", comments={})
    assert len(new) == 1  # gettext allows no second entry with the key, not even an obsolete one
    return new[0]


def test_an_obsolete_translation_with_the_same_key_becomes_a_note_on_the_entry():
    gone = polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="The old one.", obsolete=True,
                         tcomment="asked the customs office\nkeep it short\nchecked with customs")
    entry = _fold_merge(gone)
    assert entry.msgstr == "The new one."
    assert entry.tcomment.split("\n") == ["keep it short", "checked with customs", "asked the customs office",
                                          'earlier translation: "The old one."']


def test_an_obsolete_plural_translation_is_kept_form_by_form():
    gone = polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgid_plural="甲们。", obsolete=True,
                         msgstr_plural={0: "one measure", 1: "", 2: "{n} measures"})
    assert _fold_merge(gone).tcomment.split("\n") == [
        "keep it short", "checked with customs", 'earlier translation: "one measure | {n} measures"']


def test_obsolete_machine_output_with_the_same_key_is_not_worth_a_note():
    gone = polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="MT.", obsolete=True, flags=["fuzzy"],
                         comment="origin: machine translation (pseudo)")
    assert _fold_merge(gone).tcomment == "keep it short\nchecked with customs"


def test_obsolete_machine_output_with_the_same_key_leaves_the_entry_byte_for_byte():
    """Unreviewed machine output is not folded into the entry that has its key: the entry's translator
    comment stays as it was, blank line included."""
    old = polib.POFile()
    old.append(polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="The new one.",
                             tcomment="keep it short\n\nchecked with customs"))
    old.append(polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="MT.", obsolete=True, flags=["fuzzy"],
                             comment="origin: machine translation (pseudo)"))
    new = merge_catalog([Segment("measure-1.s1", "甲。", "measure", 1)], {}, old,
                        document="doc", source_ref="s.txt", comments={})
    assert [e.tcomment for e in new] == ["keep it short\n\nchecked with customs"]


@pytest.mark.parametrize("gone", [
    # a translator's note on machine output: the note is kept, the machine's English is not worth one
    polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="MT.", obsolete=True, flags=["fuzzy"],
                  comment="origin: machine translation (pseudo)", tcomment="ask the client"),
    # the same English as the entry's: nothing earlier to keep
    polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="The new one.", obsolete=True,
                  tcomment="ask the client"),
    # a note on an entry never translated: no empty "earlier translation"
    polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", obsolete=True, tcomment="ask the client"),
])
def test_an_old_entry_with_the_same_key_folds_only_its_note_when_its_english_is_nothing_to_keep(gone):
    assert _fold_merge(gone).tcomment.split("\n") == ["keep it short", "checked with customs", "ask the client"]


@pytest.mark.parametrize(("text", "note"), [
    ("Plain.", 'earlier translation: "Plain."'),
    ('Say "yes"\nthen\tgo\\ ', 'earlier translation: "Say \\"yes\\"\\nthen\\tgo\\\\ "'),
])
def test_an_earlier_translation_is_quoted_like_a_po_string(text, note):
    from bilingual.po import earlier_note

    assert earlier_note(text) == note


@pytest.mark.parametrize("text", ["Plain.", 'Say "yes"\nthen\tgo\\ ', "a \\n that is no line break", "\r\a\b\f\v", ""])
def test_an_earlier_translation_is_read_back_as_it_was(text):
    """``earlier_note_text`` undoes ``earlier_note`` (the review page shows the English, not its
    escapes); a line that is no such note gives None."""
    from bilingual.po import earlier_note, earlier_note_text

    assert earlier_note_text(earlier_note(text)) == text
    assert earlier_note_text(f"  {earlier_note(text)} ") == text
    assert earlier_note_text(f"checked: {earlier_note(text)}") is None
    assert earlier_note_text('earlier translation: "unterminated') is None
    assert earlier_note_text('earlier translation: "a \\q b"') == "a q b"  # an escape PO does not have, typed by hand


# --------------------------------------------------------------------------- the alignment's choices

def _catalog(*rows: tuple[str, str, str, list[str]]) -> polib.POFile:
    catalog = polib.POFile()
    for ctx, source, text, flags in rows:
        catalog.append(polib.POEntry(msgctxt=ctx, msgid=source, msgstr=text, flags=flags))
    return catalog


def test_a_reviewed_translation_of_a_repeated_sentence_is_preferred_to_any_fuzzy_one():
    """The aligned entry of 甲。 is fuzzy; of the two unused entries with that sentence the
    reviewed one wins, though a fuzzy one comes first in the file."""
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "MT one.", ["fuzzy"]), ("measure-1.s2", "乙。", "B.", []),
                   ("measure-2.s1", "甲。", "MT two.", ["fuzzy"]), ("measure-3.s1", "甲。", "Reviewed.", []))
    new = [Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-1.s2", "乙。", "measure", 1)]
    plan = align(new, old)
    assert plan.reuse["measure-1.s1"].entry.msgstr == "Reviewed."
    assert plan.reuse["measure-1.s1"].kind == "moved"


def test_a_fuzzy_entry_at_its_place_is_not_swapped_for_another_fuzzy_one():
    """Reviewed beats fuzzy; fuzzy does not beat fuzzy: the aligned entry keeps its place."""
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "MT one.", ["fuzzy"]), ("measure-2.s1", "乙。", "B.", []),
                   ("measure-3.s1", "甲。", "MT two.", ["fuzzy"]))
    new = [Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-2.s1", "乙。", "measure", 2)]
    reuse = align(new, old).reuse["measure-1.s1"]
    assert (reuse.entry.msgstr, reuse.kind) == ("MT one.", "same")


def test_a_moved_sentence_takes_the_active_entry_before_an_obsolete_one():
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "A.", []), ("measure-2.s1", "乙。", "Active B.", []))
    gone = polib.POEntry(msgctxt="measure-9.s1", msgid="乙。", msgstr="Obsolete B.", obsolete=True)
    old.insert(0, gone)
    new = [Segment("measure-1.s1", "丙。", "measure", 1), Segment("measure-2.s1", "丁。", "measure", 2),
           Segment("measure-3.s1", "乙。", "measure", 3)]
    plan = align(new, old)
    assert plan.reuse["measure-3.s1"].entry.msgstr == "Active B."


def test_only_a_translated_singular_entry_comes_back_for_a_changed_sentence():
    """A similar old sentence brings its English back fuzzy (``changed``); an old entry with no
    English, or a plural one (its forms fit no sentence), brings nothing: the segment is translated."""
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "对年度进出口额首次超过1亿元的企业给予奖励。", "", []),
                   ("measure-2.s1", "对年度进口额首次超过5亿元的企业给予奖励。", "", []))
    old[1].msgid_plural, old[1].msgstr_plural = "对年度进口额首次超过5亿元的企业们给予奖励。", {0: "One.", 1: "Many."}
    new = [Segment("measure-1.s1", "对年度进出口额首次超过2亿元的企业给予奖励。", "measure", 1),
           Segment("measure-2.s1", "对年度进口额首次超过6亿元的企业给予奖励。", "measure", 2)]
    assert align(new, old).reuse == {}
    proposal = Translation("Enterprises are rewarded.", True, ["origin: machine translation (pseudo)"])
    merged = merge_catalog(new, {s.ctx: proposal for s in new}, old, document="doc", source_ref="s.txt", comments={})
    assert [(e.msgstr, e.previous_msgid) for e in merged if not e.obsolete] == [("Enterprises are rewarded.", None)] * 2
    old[0].msgstr = "Enterprises over RMB 100 million are rewarded."
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in align(new, old).reuse.items()} == {
        "measure-1.s1": ("Enterprises over RMB 100 million are rewarded.", "changed")}


def test_a_replaced_stretch_of_more_than_40000_pairs_compares_only_the_same_place():
    """Similarity over every pair of a huge replaced stretch would cost minutes (a rewritten
    document of hundreds of sentences): beyond 40,000 pairs only an old entry at the segment's own
    id may come back fuzzy. 201 × 200 here: the old sentence left over at measure-200 is similar
    to the new measure-0's, but is not at its place, so it is not offered."""
    from bilingual.po import align

    text = "第{}项：优化口岸营商环境，提升通关效率{}"
    old = _catalog(("measure-0.s1", "本通知自印发之日起施行。", "In force.", []),
                   *((f"measure-{i}.s1", text.format(i, "。"), f"Item {i}.", []) for i in range(1, 201)))
    new = [Segment("measure-0.s1", text.format(200, "！"), "measure", 1),
           *(Segment(f"measure-{i}.s1", text.format(i, "！"), "measure", i + 1) for i in range(1, 200))]
    reuse = align(new, old).reuse
    assert "measure-0.s1" not in reuse
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in reuse.items()} == {
        f"measure-{i}.s1": (f"Item {i}.", "changed") for i in range(1, 200)}


def test_a_changed_first_sentence_is_not_taken_for_the_old_one():
    """Only the first sentence changed (to a dissimilar one), the eight after it did not: the old
    first translation is not carried to the new first sentence; the others stay where they are."""
    from bilingual.po import align

    rest = [(f"measure-{i}.s1", f"第{i}项措施。", f"Measure {i}.", []) for i in range(2, 10)]
    old = _catalog(("measure-1.s1", "本通知自印发之日起施行。", "In force from the date of issue.", []), *rest)
    new = [Segment("measure-1.s1", "各单位要认真贯彻落实。", "measure", 1),
           *(Segment(ctx, source, "measure", n) for n, (ctx, source, _, _) in enumerate(rest, 2))]
    reuse = align(new, old).reuse
    assert "measure-1.s1" not in reuse
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in reuse.items()} == {
        ctx: (text, "same") for ctx, _, text, _ in rest}


def test_entries_shifted_by_an_inserted_sentence_are_the_same_entries_signed_off_as_they_were():
    """A sentence inserted at the top shifts every id; the shifted entries are the same sentences
    (no "moved from" line), and a machine translation a translator signed off (fuzzy removed) says
    so when it is rewritten; a fuzzy entry keeps its previous-source lines (#|), plural ones too."""
    old = polib.POFile()
    old.append(polib.POEntry(msgctxt="measure-1.s1", msgid="甲。", msgstr="A.",
                             comment="origin: machine translation (pseudo/0.1.0)"))
    old.append(polib.POEntry(msgctxt="measure-2.s1", msgid="乙。", msgid_plural="乙乙。",
                             msgstr_plural={0: "B.", 1: "Bs."}, flags=["fuzzy"],
                             previous_msgid="乙", previous_msgid_plural="乙乙"))
    new = merge_catalog([Segment("measure-1.s1", "丙。", "measure", 1), Segment("measure-2.s1", "甲。", "measure", 2),
                         Segment("measure-3.s1", "乙。", "measure", 3)], {}, old,
                        document="doc", source_ref="s.txt", comments={})
    signed = new.find("measure-2.s1", by="msgctxt")
    assert (signed.msgstr, signed.flags) == ("A.", [])
    assert signed.comment == "origin: reviewed (from machine translation pseudo/0.1.0)"
    fuzzy = new.find("measure-3.s1", by="msgctxt")
    assert (fuzzy.msgstr_plural, fuzzy.flags, fuzzy.comment) == ({0: "B.", 1: "Bs."}, ["fuzzy"], "")
    assert (fuzzy.previous_msgid, fuzzy.previous_msgid_plural) == ("乙", "乙乙")


def test_a_sentence_moved_twice_names_only_its_last_place():
    old = polib.POFile()
    old.append(polib.POEntry(msgctxt="measure-1.s1", msgid="乙。", msgstr="B.",
                             comment="origin: glossary\norigin: moved from measure-5.s1"))
    old.append(polib.POEntry(msgctxt="measure-2.s1", msgid="甲。", msgstr="A."))
    old.append(polib.POEntry(msgctxt="measure-3.s1", msgid="丁。", msgstr="D."))
    new = merge_catalog([Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-2.s1", "丁。", "measure", 2),
                         Segment("measure-3.s1", "乙。", "measure", 3)], {}, old,
                        document="doc", source_ref="s.txt", comments={})
    moved = new.find("measure-3.s1", by="msgctxt")
    assert moved.msgstr == "B." and moved.comment.split("\n") == ["origin: glossary", "origin: moved from measure-1.s1"]


# --------------------------------------------------------------------------- writing only what changed

def _merge_and_save(path, previous: str | None):
    from bilingual.po import parse_text, save_catalog

    catalog = parse_text(previous) if previous else None
    segments = [Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-2.s1", "乙。", "measure", 2)]
    new = merge_catalog(segments, {s.ctx: Translation(f"T {s.ctx}", True, ["origin: pseudo"]) for s in segments},
                        catalog, document="doc", source_ref="s.txt", comments={})
    return save_catalog(new, path, previous)


def test_a_file_saved_by_someone_else_during_the_run_is_left_as_it_is(tmp_path):
    path = tmp_path / "doc.en.po"
    assert _merge_and_save(path, None) is True
    written = path.read_text(encoding="utf-8")
    edited = written.replace('msgstr "T measure-1.s1"', 'msgstr "A translator\'s English."')
    path.write_text(edited, encoding="utf-8")  # saved in Poedit while the run translated
    from bilingual.po import ChangedOnDisk

    with pytest.raises(ChangedOnDisk) as caught:
        _merge_and_save(path, written)
    assert caught.value.message == "changed while this run worked on it (saved in an editor?); not written — run again"
    assert path.read_text(encoding="utf-8") == edited


def test_a_saved_catalog_remembers_the_text_it_wrote(tmp_path):
    """The run state hashes what is on disk after the run: the text written, header date included."""
    from bilingual.po import parse_text, save_catalog

    path = tmp_path / "doc.en.po"
    _merge_and_save(path, None)
    previous = path.read_text(encoding="utf-8")
    catalog = parse_text(previous)
    catalog[0].msgstr = "Reviewed."
    assert save_catalog(catalog, path, previous) is True
    assert path.read_text(encoding="utf-8") != previous
    assert catalog.saved_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_pipeline_date_is_utc_whatever_the_machines_zone(monkeypatch):
    """``POT-Creation-Date`` says ``+0000``: a run on a machine set to Shanghai time writes UTC."""
    import datetime
    import time

    from bilingual.po.catalog import now_stamp

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        before = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0, tzinfo=None)
        stamp = datetime.datetime.strptime(now_stamp(), "%Y-%m-%d %H:%M+0000")
        assert before <= stamp <= before + datetime.timedelta(minutes=1)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_changed_header_field_is_written_and_an_unchanged_header_kept_as_it_was(tmp_path):
    """The header is written from its fields once one changed (the new source path, the new date);
    left alone, it is written back as it was read (a tool's line breaks included)."""
    from bilingual.po import catalog_text, parse_text

    path = tmp_path / "doc.en.po"
    _merge_and_save(path, None)
    text = path.read_text(encoding="utf-8").replace('"Language-Team: English\\n"',
                                                    '"Language-Team: "\n"English\\n"')
    catalog = parse_text(text)
    assert '"Language-Team: "' in text and catalog_text(catalog) == text
    catalog.metadata["X-Bilingual-Source"] = "source-2026.zh.txt"
    written = catalog_text(catalog)
    assert '"X-Bilingual-Source: source-2026.zh.txt\\n"' in written and '"Language-Team: English\\n"' in written


def test_every_flag_line_and_comment_form_is_read():
    """Flags on one ``#,`` line or on several are all kept, in order; a ``#`` or ``#.`` line without
    the space (as some tools write them) is read whole."""
    from bilingual.po import parse_text

    catalog = parse_text('msgid ""\nmsgstr "Language: en\\n"\n\n#ask the client\n#.origin: glossary\n'
                         '#, fuzzy, no-c-format\n#, x-reviewed\nmsgctxt "measure-1.s1"\nmsgid "甲。"\nmsgstr "A."\n')
    assert catalog[0].flags == ["fuzzy", "no-c-format", "x-reviewed"]
    assert (catalog[0].comment, catalog[0].tcomment) == ("origin: glossary", "ask the client")


def test_a_changed_reference_rewrites_the_entry(tmp_path):
    """An entry's ``#:`` line is part of what it says: a new source file name is written."""
    from bilingual.po import catalog_text, parse_text

    path = tmp_path / "doc.en.po"
    _merge_and_save(path, None)
    catalog = parse_text(path.read_text(encoding="utf-8"))
    catalog[0].occurrences = [("source-2026.zh.txt", "1")]
    assert "#: source-2026.zh.txt:1\n" in catalog_text(catalog)


def test_a_file_spaced_by_a_tool_is_not_rewritten_when_nothing_changed(tmp_path):
    path = tmp_path / "doc.en.po"
    assert _merge_and_save(path, None) is True
    spaced = path.read_text(encoding="utf-8").replace("\n\n", "\n\n\n") + "\n"  # extra blank lines
    path.write_text(spaced, encoding="utf-8")
    assert _merge_and_save(path, spaced) is False
    assert path.read_text(encoding="utf-8") == spaced


def test_a_new_file_has_the_header_gettext_tools_write(tmp_path):
    """msginit's fields in msginit's order (translators' tools fill them in), and msgfmt's header
    check passes without a warning."""
    import shutil
    import subprocess

    from bilingual.po import load_catalog

    path = tmp_path / "doc.en.po"
    _merge_and_save(path, None)
    meta = load_catalog(path).metadata
    assert list(meta)[:11] == ["Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                               "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                               "Content-Transfer-Encoding", "Plural-Forms"]
    assert meta["Project-Id-Version"] == "bilingual doc" and meta["Content-Transfer-Encoding"] == "8bit"
    assert meta["MIME-Version"] == "1.0" and meta["Language-Team"] == "English"
    assert meta["Last-Translator"] == "" and meta["Report-Msgid-Bugs-To"] == ""  # no translator is invented
    import datetime
    import re

    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    assert re.fullmatch(rf"{today} \d\d:\d\d\+0000", meta["POT-Creation-Date"])  # gettext's date format, UTC
    assert meta["X-Generator"].startswith("bilingual ") and meta["X-Source-Language"] == "zh"
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is not installed: .ci/run installs it"
    run = subprocess.run([msgfmt, "--check-header", "--check-format", "-o", str(tmp_path / "doc.mo"), str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_in_a_long_rewritten_stretch_a_changed_sentence_keeps_the_translation_of_its_place():
    """Beyond 40,000 sentence pairs (here 210 × 210) only old and new sentences at the same place
    are compared: a sentence edited a little keeps its translation, fuzzy, with the old source."""
    from bilingual.po import align

    count = 210
    old = _catalog(*((f"measure-{i}.s1", f"第{i}项：推进口岸通关便利化改革。", f"Measure {i}.", [])
                     for i in range(1, count + 1)))
    new = [Segment(f"measure-{i}.s1", f"第{i}项：继续推进口岸通关便利化改革。", "measure", i) for i in range(1, count + 1)]
    plan = align(new, old)
    assert len(plan.reuse) == count
    assert all(plan.reuse[f"measure-{i}.s1"].entry.msgstr == f"Measure {i}." for i in range(1, count + 1))
    assert {r.kind for r in plan.reuse.values()} == {"changed"}


def test_a_translators_note_on_an_untranslated_sentence_follows_it_when_it_moves():
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "", []), ("measure-2.s1", "乙。", "B.", []), ("measure-3.s1", "丙。", "C.", []))
    old[0].tcomment = "ask the customs office"
    new = [Segment("measure-1.s1", "乙。", "measure", 1), Segment("measure-2.s1", "丙。", "measure", 2),
           Segment("measure-3.s1", "甲。", "measure", 3)]
    plan = align(new, old)
    assert plan.notes["measure-3.s1"].tcomment == "ask the customs office"


def test_a_note_follows_one_sentence_only_when_the_sentence_repeats():
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "", []), ("measure-2.s1", "乙。", "B.", []), ("measure-3.s1", "丙。", "C.", []))
    old[0].tcomment = "ask the customs office"
    new = [Segment("measure-1.s1", "乙。", "measure", 1), Segment("measure-2.s1", "丙。", "measure", 2),
           Segment("measure-3.s1", "甲。", "measure", 3), Segment("measure-4.s1", "甲。", "measure", 4)]
    plan = align(new, old)
    assert list(plan.notes) == ["measure-3.s1"]


def test_a_changed_sentence_is_fuzzy_first_and_keeps_its_other_flags_in_order():
    old = _catalog(("measure-1.s1", "第一项：推进口岸通关便利化改革。", "Measure 1.", ["no-wrap", "c-format", "fuzzy"]))
    seg = Segment("measure-1.s1", "第一项：继续推进口岸通关便利化改革。", "measure", 1)
    [entry] = merge_catalog([seg], {}, old, document="doc", source_ref="s.txt", comments={})
    assert entry.msgstr == "Measure 1." and entry.flags == ["fuzzy", "no-wrap", "c-format"]
    assert entry.previous_msgid == "第一项：推进口岸通关便利化改革。"


def test_every_occurrence_of_a_repeated_sentence_gets_a_reviewed_translation_before_a_fuzzy_one():
    from bilingual.po import align

    old = _catalog(("measure-1.s1", "甲。", "MT one.", ["fuzzy"]), ("measure-2.s1", "乙。", "B.", []),
                   ("measure-3.s1", "甲。", "MT two.", ["fuzzy"]), ("measure-4.s1", "丙。", "C.", []),
                   ("measure-8.s1", "甲。", "Reviewed one.", []), ("measure-9.s1", "甲。", "Reviewed two.", []))
    new = [Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-2.s1", "乙。", "measure", 2),
           Segment("measure-3.s1", "甲。", "measure", 3), Segment("measure-4.s1", "丙。", "measure", 4)]
    plan = align(new, old)
    assert [plan.reuse[f"measure-{n}.s1"].entry.msgstr for n in (1, 3)] == ["Reviewed one.", "Reviewed two."]


def test_notes_are_found_by_place_and_sentence_first_then_by_sentence():
    from bilingual.po import align

    old = _catalog(("measure-4.s1", "丁。", "", []), ("measure-1.s1", "甲。", "", []),
                   ("measure-2.s1", "乙。", "B.", []), ("measure-3.s1", "丙。", "C.", []))
    old[0].tcomment, old[1].tcomment = "note on 丁", "note on 甲"
    new = [Segment("measure-2.s1", "乙。", "measure", 2), Segment("measure-3.s1", "丙。", "measure", 3),
           Segment("measure-1.s1", "甲。", "measure", 1), Segment("measure-9.s1", "丁。", "measure", 9)]
    plan = align(new, old)
    assert {ctx: entry.tcomment for ctx, entry in plan.notes.items()} == {
        "measure-1.s1": "note on 甲", "measure-9.s1": "note on 丁"}


@pytest.mark.parametrize("width", [79, 40])
def test_a_string_ending_in_a_newline_at_the_wrap_width_is_wrapped_as_msgcat_does(tmp_path, width):
    """gettext never breaks a line just before a final ``\\n``: it moves the word before it too
    (and writes an empty translator-comment line as ``#``)."""
    import shutil
    import subprocess

    from bilingual.po import parse_text
    from bilingual.po.layout import Layout, render

    lines = ['msgid ""', 'msgstr ""', '"Language: en\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for n in range(width + 12):
        text = ("ab " * 40)[:n] + " \\n"
        lines += [f'msgctxt "t{n}"', f'msgid "{text}"', f'msgstr "{text}"', ""]
    lines += ["# a translator's note", "#", "# after an empty line", 'msgctxt "note"', 'msgid "a"', 'msgstr "b"', ""]
    lines += ['msgctxt "a context long enough that gettext wraps it at the width like any string"', 'msgid "c"',
              'msgstr "d"', ""]
    path = tmp_path / "newlines.po"
    path.write_text("\n".join(lines), encoding="utf-8")
    catalog = parse_text(path.read_text(encoding="utf-8"))
    catalog.layout = Layout(width=width, header_comments=catalog.layout.header_comments)
    msgcat = shutil.which("msgcat")
    assert msgcat, "msgcat (GNU gettext) is not installed: .ci/run installs it"
    reference = subprocess.run([msgcat, f"--width={width}", str(path)], capture_output=True, text=True, check=True)
    assert render(catalog) == reference.stdout


def test_a_fuzzy_header_made_in_memory_is_written_fuzzy():
    from bilingual.po import catalog_text, parse_text

    catalog = polib.POFile()
    catalog.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.metadata_is_fuzzy = True
    text = catalog_text(catalog)
    assert text.startswith('#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: en\\n"\n')
    assert parse_text(text).metadata_is_fuzzy


LONG = "Support qualified enterprises in carrying out bonded fuel supply for ships on international voyages."


def _read(body: str):
    from bilingual.po import parse_text

    return parse_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                      '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + body)


def test_a_file_with_no_wrapped_string_stays_unwrapped():
    catalog = _read(f'msgctxt "a"\nmsgid "甲"\nmsgstr "{LONG}"\n')
    catalog[0].msgstr = LONG + " Again."
    from bilingual.po import catalog_text

    assert f'msgstr "{LONG} Again."' in catalog_text(catalog).splitlines()


def test_a_file_wrapped_wider_than_any_tool_keeps_its_width(tmp_path):
    """Wrapped on purpose at 92 columns (``msgcat -w 92``): a changed entry is wrapped there too."""
    import shutil
    import subprocess

    from bilingual.po import catalog_text

    wide = LONG[:90]
    catalog = _read(f'msgctxt "a"\nmsgid "甲"\nmsgstr ""\n"{wide}"\n"{LONG[90:]}"\n')
    catalog[0].msgstr = LONG + " Again, and once more with feeling."
    ours = catalog_text(catalog)
    path = tmp_path / "wide.po"
    path.write_text(ours, encoding="utf-8")
    msgcat = shutil.which("msgcat")
    assert msgcat, "msgcat (GNU gettext) is not installed: .ci/run installs it"
    assert subprocess.run([msgcat, "--width=92", str(path)], capture_output=True, text=True,
                          check=True).stdout == ours
    assert catalog.layout.width == 92
    assert '"Support qualified enterprises in carrying out bonded fuel supply for ships on "' in ours.splitlines()  # 80


@pytest.mark.parametrize("change", ["msgid_plural", "previous_msgctxt"])
def test_a_changed_field_of_a_read_entry_is_written(change):
    from bilingual.po import catalog_text

    catalog = _read('#, fuzzy\n#| msgctxt "old"\n#| msgid "乙"\nmsgctxt "a"\nmsgid "甲"\nmsgid_plural "甲们"\n'
                    'msgstr[0] "one"\nmsgstr[1] "many"\n')
    setattr(catalog[0], change, "改")
    assert '"改"' in catalog_text(catalog)


def test_an_entry_is_read_with_its_previous_fields_and_first_line():
    catalog = _read('# note\n#, fuzzy\n#| msgctxt "old"\n#| msgid "乙"\n#| msgid_plural "乙们"\nmsgctxt "a"\nmsgid "甲"\n'
                    'msgid_plural "甲们"\nmsgstr[0] "one"\nmsgstr[1] "many"\n')
    [entry] = catalog
    assert (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural) == ("old", "乙", "乙们")
    assert entry.linenum == 7  # the entry's first line, its comment


def test_comments_after_the_last_entry_are_kept():
    from bilingual.po import catalog_text

    catalog = _read('msgctxt "a"\nmsgid "甲"\nmsgstr "A"\n\n# a translator left this at the end\n')
    catalog[0].msgstr = "B"
    assert catalog_text(catalog).endswith('msgstr "B"\n\n# a translator left this at the end\n')


def test_a_crlf_file_is_written_back_with_crlf_only():
    from bilingual.po import catalog_text, parse_text

    text = 'msgid ""\r\nmsgstr ""\r\n"Language: en\\n"\r\n\r\nmsgctxt "a"\r\nmsgid "甲"\nmsgstr "A"\r\n\r\nmsgctxt "b"\r\nmsgid "乙"\r\nmsgstr "B"\r\n'
    catalog = parse_text(text)
    catalog[1].msgstr = "C"
    written = catalog_text(catalog)
    assert written.count("\n") == written.count("\r\n")
