"""bilingual.po.merge: one entry per segment from the old catalogue, the proposals and the comments; the streamed write."""

import copy

import pytest

from bilingual import model
from bilingual.model import Segment
from bilingual.po import Translation, comment_lines, load_catalog, merge_catalog, save_catalog
from bilingual.po.catalog import parse_text

# Measure 31 of the shipped Shanghai port notice (translations/shanghai-port-2025): its second
# sentence holds "70%的", which gettext tools would take for a printf directive.
S1 = "支持企业提升海外市场开拓能力。"
S2 = "发布新一批“上海企业开拓国际市场海外展会推荐项目”，对企业赴海外参展给予最高展位费 70%的支持。"
S3 = "优化升级上海市企业走出去综合服务平台建设，提供对外投资、国别指南等公共信息服务平台产品。"
MT = "origin: machine translation (argos/translate-zh_en-1.9/beam4)"


def seg(ctx, source, line=143):
    return Segment(ctx=ctx, source=source, kind=model.MEASURE, line=line)


def merge(segments, proposals, catalog=None, comments=None, **options):
    comments = {s.ctx: [f"measure 31: {S1}"] for s in segments} if comments is None else comments
    return merge_catalog(segments, proposals, catalog, document="shanghai-port-2025", source_ref="source.zh.txt",
                         comments=comments, **options)


def written(catalog, path, previous=None):
    """The entries of ``catalog`` as a run writes them and the next run reads them back."""
    save_catalog(catalog, path, previous)
    return list(load_catalog(path, "shanghai-port-2025"))


ENGLISH = "Helping enterprises build their capacity to expand into overseas markets."


@pytest.mark.parametrize(("text", "fuzzy", "origin", "flagged"), [
    (ENGLISH, True, MT, True),
    (ENGLISH, False, "origin: glossary", False),  # a rendering: reviewed English
    ("", True, MT, False),  # MT that gave nothing: untranslated, not "needs work"
])
def test_a_new_entry_is_fuzzy_only_for_english_still_to_review(tmp_path, text, fuzzy, origin, flagged):
    proposal = Translation(text, fuzzy, [origin])
    [entry] = written(merge([seg("measure-31.s1", S1)], {"measure-31.s1": proposal}), tmp_path / "doc.en.po")
    assert entry.msgstr == text
    assert ("fuzzy" in entry.flags) is flagged


@pytest.mark.parametrize(("source", "flags"), [(S2, ["no-c-format"]), (S1, [])],
                         ids=["70%", "no-percent-sign"])
def test_a_percent_sign_in_the_source_is_flagged_no_c_format_once(tmp_path, source, flags):
    """xgettext's flag: gettext, Weblate and Poedit must not read ``70%的`` as a printf directive;
    kept by a re-run (a translator's review of the entry), never doubled."""
    segments = [seg("measure-31.s2", source)]
    path = tmp_path / "doc.en.po"
    [entry] = written(merge(segments, {"measure-31.s2": Translation("Support of up to 70%.", True, [MT])}), path)
    assert entry.flags == ["fuzzy", *flags]
    reviewed = path.read_text(encoding="utf-8").replace("#, fuzzy, no-c-format\n", "#, no-c-format\n")
    reviewed = reviewed.replace("#, fuzzy\n", "")  # the translator signs the English off
    path.write_text(reviewed, encoding="utf-8")
    [entry] = written(merge(segments, {}, load_catalog(path, "shanghai-port-2025")), path, reviewed)
    assert entry.flags == flags and entry.msgstr == "Support of up to 70%."


HEADER = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Bilingual-Document: shanghai-port-2025\\n"
"""

OLD = HEADER + f"""
#. measure 31: {S1}
#: source.zh.txt:142
msgctxt "measure-30.s9"
msgid "举办走出去公共服务开放日活动。"
msgstr ""

#. measure 31: {S1}
#. {MT}
#. mt-check: numbers: not in the source 80%
#: source.zh.txt:143
#, fuzzy, no-c-format
msgctxt "measure-31.s2"
msgid "{S2.replace("“", "").replace("”", "")}"
msgstr "Support of up to 80% of booth fees."

#. measure 31: {S1}
#. {MT}
#. mt-check: too-long: 3.1 times the source
#: source.zh.txt:143
msgctxt "measure-31.s3"
msgid "{S3}"
msgstr "The platform will be upgraded."

#. measure 31: {S1}
#. origin: reviewed
#: source.zh.txt:143
msgctxt "measure-31.s1"
msgid "{S1}"
msgstr "Helping enterprises build their capacity to expand into overseas markets."
"""


def test_a_shortened_document_keeps_every_translation_it_no_longer_has_obsolete_and_says_whose(tmp_path):
    """The source lost three sentences: the pipeline's empty entry goes; the unreviewed machine
    output stays machine output (its origin and mt-check lines, so it is replaced if the sentence
    comes back); the English a translator signed off says so (and its mt-check line, about the
    machine's English, goes). Every entry after the dropped one is still looked at."""
    merged = merge([seg("measure-31.s1", S1)], {}, parse_text(OLD))
    assert merged.merge_report.reviewed == 2 and merged.merge_report.obsoleted == ["measure-31.s3"]
    entries = written(merged, tmp_path / "doc.en.po")
    assert [(e.msgctxt, e.obsolete) for e in entries] == [
        ("measure-31.s1", False), ("measure-31.s2", True), ("measure-31.s3", True)]
    assert [comment_lines(e.comment) for e in entries[1:]] == [
        [MT, "mt-check: numbers: not in the source 80%"],
        ["origin: reviewed (from machine translation argos/translate-zh_en-1.9/beam4)"],
    ]
    assert [e.msgstr for e in entries[1:]] == ["Support of up to 80% of booth fees.", "The platform will be upgraded."]


def undated(path) -> list[str]:
    """The lines of a written file but its header's dates (two writes may fall in different minutes)."""
    return [line for line in path.read_text(encoding="utf-8").split("\n") if "-Date: " not in line]


def test_a_streamed_merge_writes_what_the_whole_one_does_and_takes_its_inputs_once(tmp_path):
    """A new file's catalogue made entry by entry (``stream``) is the file the whole catalogue
    makes; it takes each proposal and comment list out as it goes (a large document is not held
    twice) and cannot be written a second time (that would write a file without its entries).
    The whole catalogue (the default) leaves its inputs alone and can be read again."""
    segments = [seg("measure-31.s1", S1), seg("measure-31.s2", S2), seg("measure-31.s3", S3)]
    proposals = {"measure-31.s1": Translation("Helping enterprises expand abroad.", False, ["origin: reviewed"]),
                 "measure-31.s3": Translation("The platform will be upgraded.", True, [MT])}  # s2: no proposal
    comments = {"measure-31.s1": [f"measure 31: {S1}"], "measure-31.s2": [f"measure 31: {S1}", "lead: 市商务委"]}
    inputs = copy.deepcopy((proposals, comments))
    whole = merge(segments, proposals, comments=comments)
    assert [e.msgctxt for e in whole] == [e.msgctxt for e in whole] == [s.ctx for s in segments]
    save_catalog(whole, tmp_path / "whole.en.po")
    assert (proposals, comments) == inputs
    streamed = merge(segments, proposals, comments=comments, stream=True)
    save_catalog(streamed, tmp_path / "streamed.en.po")
    assert not proposals and not comments
    whole_text, streamed_text = (undated(tmp_path / name) for name in ("whole.en.po", "streamed.en.po"))
    assert streamed_text == whole_text
    assert 'msgstr "The platform will be upgraded."' in streamed_text and "#. lead: 市商务委" in streamed_text
    with pytest.raises(RuntimeError):
        save_catalog(streamed, tmp_path / "again.en.po")
    assert not (tmp_path / "again.en.po").exists()


REPEATED = HEADER + f"""
#. {MT}
#: source.zh.txt:20
#, fuzzy
msgctxt "preamble.s3"
msgid "现提出如下措施。"
msgstr "The following measures are hereby proposed."

#. origin: reviewed
#: source.zh.txt:40
msgctxt "preamble.s4"
msgid "现提出如下措施。"
msgstr "The following measures are put forward."

#. origin: reviewed
#: source.zh.txt:143
msgctxt "measure-31.s3"
msgid "{S3}"
msgstr "The platform will be upgraded."
"""


def test_a_repeated_sentence_takes_the_reviewed_english_and_what_follows_still_goes_obsolete(tmp_path):
    """The sentence said twice is said once now: it keeps the reviewed English, the machine output
    it had is dropped (its key is taken), and the entries after that one are still kept obsolete."""
    merged = merge([seg("preamble.s3", "现提出如下措施。", 20)], {}, parse_text(REPEATED))
    assert merged.merge_report.reviewed == 2 and merged.merge_report.obsoleted == ["measure-31.s3"]
    entries = written(merged, tmp_path / "doc.en.po")
    assert [(e.msgctxt, e.msgstr, e.flags, e.obsolete) for e in entries] == [
        ("preamble.s3", "The following measures are put forward.", [], False),
        ("measure-31.s3", "The platform will be upgraded.", [], True)]
