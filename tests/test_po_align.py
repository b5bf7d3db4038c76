"""bilingual.po.align: which entry of the old PO file each segment gets (moved, changed, repeated and renumbered sentences)."""

from __future__ import annotations

import polib
import pytest

from bilingual.model import Segment
from bilingual.po import align, merge_catalog
from bilingual.po.align import document_order

# Ten measures of a port-facilitation notice, each a topic, a detail and its lead agencies (the
# parenthesis recurs, as in the Shanghai notice).
CUSTOMS, COMMERCE, TRANSPORT = "（上海海关牵头）", "（市商务委牵头）", "（市交通委牵头）"
MEASURES = [
    ("推进进口货物“船边直提”作业模式。", "在洋山港区扩大试点范围。", CUSTOMS),
    ("优化国际邮轮药械供船服务。", "简化供船药品的申报材料。", COMMERCE),
    ("提升航空物流枢纽能级。", "支持浦东机场开通全货机航线。", TRANSPORT),
    ("深化口岸收费目录清单公示。", "清单之外一律不得收费。", COMMERCE),
    ("推广跨境电商出口退货监管模式。", "退货商品可在区内集中分拣。", CUSTOMS),
    ("加快国际贸易单一窗口建设。", "新增二十项地方特色应用。", COMMERCE),
    ("完善水水中转集拼业务流程。", "长江沿线港口实行一次申报。", TRANSPORT),
    ("支持保税维修业务发展。", "将飞机发动机纳入维修目录。", CUSTOMS),
    ("优化出入境人员通关服务。", "邮轮旅客实行预申报制度。", TRANSPORT),
    ("强化口岸数据共享应用。", "各部门按需开放物流节点信息。", COMMERCE),
]
# Rewritten sentences: dissimilar to every sentence above (no old translation fits them).
REWRITTEN = ["本通知由市商务委负责解释。", "各区要结合实际抓好落实。", "本措施自二〇二六年一月起施行。"]


def _doc(sentences: list[str]) -> list[Segment]:
    return [Segment(f"measure-{n // 3 + 1}.s{n % 3 + 1}", zh, "measure", n // 3 + 1) for n, zh in enumerate(sentences)]


def _reviewed(segments: list[Segment]) -> polib.POFile:
    """The file a translator reviewed: every sentence's English names the sentence."""
    catalog = polib.POFile()
    for seg in segments:
        catalog.append(polib.POEntry(msgctxt=seg.ctx, msgid=seg.source, msgstr=f"English of {seg.source}"))
    return catalog


def _rewrite(sentences: list[str], edits: dict[int, str | None]) -> list[str]:
    """``edits``: position in the old list → its new sentence, or None to delete it; the position
    after the last one adds a sentence at the end."""
    return [edits.get(n, zh) for n, zh in enumerate([*sentences, None]) if edits.get(n, zh) is not None]


@pytest.mark.parametrize("edits", [
    pytest.param({1: REWRITTEN[0], 29: REWRITTEN[1]}, id="second-and-last-rewritten"),
    pytest.param({0: REWRITTEN[0], 28: REWRITTEN[1]}, id="first-and-second-to-last-rewritten"),
    pytest.param({2: REWRITTEN[0], 29: None}, id="third-rewritten-last-deleted"),
    pytest.param({16: REWRITTEN[0], 30: REWRITTEN[1]}, id="middle-rewritten-one-added-at-the-end"),
    pytest.param({11: REWRITTEN[0], 12: REWRITTEN[1], 13: REWRITTEN[2]}, id="middle-stretch-rewritten"),
])
def test_a_rewritten_sentence_never_keeps_the_english_of_another_sentence(edits):
    """However a long document is edited, every sentence still in it keeps its own English and a
    rewritten sentence keeps none: no translation slides onto a neighbouring sentence."""
    old = [zh for measure in MEASURES for zh in measure]
    new = _doc(_rewrite(old, edits))
    plan = align(new, _reviewed(_doc(old)))
    assert {ctx: reuse.entry.msgstr for ctx, reuse in plan.reuse.items()} == {
        seg.ctx: f"English of {seg.source}" for seg in new if seg.source in old}


def test_a_file_with_only_its_header_gets_its_first_sentences():
    """A PO file started by hand (msginit: a header, no entry yet) is merged, not refused."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    new = _doc([MEASURES[0][0], MEASURES[0][1]])
    assert align(new, catalog).reuse == {}
    merged = merge_catalog(new, {}, catalog, document="doc", source_ref="s.zh.txt", comments={})
    assert [e.msgid for e in merged] == [MEASURES[0][0], MEASURES[0][1]]


def test_a_translation_whose_entry_lost_its_context_still_goes_to_its_sentence():
    """A tool that drops ``msgctxt`` (or an entry a translator added by hand) leaves a reviewed
    translation without an id: it is still the translation of its sentence."""
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid=MEASURES[1][0], msgstr="Improve medicine supply for cruise ships."))
    catalog.append(polib.POEntry(msgctxt="measure-1.s2", msgid=MEASURES[1][1], msgstr="Simplify the filing."))
    new = _doc([MEASURES[1][0], MEASURES[1][1]])
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in align(new, catalog).reuse.items()} == {
        "measure-1.s1": ("Improve medicine supply for cruise ships.", "same"),
        "measure-1.s2": ("Simplify the filing.", "same")}


@pytest.mark.parametrize(("rewritten", "comes_back"), [
    ("推广出口货物直装。", True),  # rapidfuzz ratio exactly 60: msgmerge's fuzzy threshold, included
    ("扩大出口货物直装。", False),  # ratio 50
])
def test_a_changed_sentence_brings_its_english_back_from_a_similarity_of_60(rewritten, comes_back):
    catalog = _reviewed(_doc(["推进进口货物船边直提。", MEASURES[1][0]]))
    plan = align(_doc([rewritten, MEASURES[1][0]]), catalog)
    expected = {"measure-1.s1": ("English of 推进进口货物船边直提。", "changed")} if comes_back else {}
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in plan.reuse.items() if ctx == "measure-1.s1"} == expected


def test_of_two_equally_similar_new_sentences_the_one_at_the_old_ones_place_gets_its_english():
    """The ids shifted (a measure was inserted above), so no id decides: of two new sentences as
    close to the old one, the one at its place in the rewritten stretch gets its English."""
    old = _doc(["本通知由市商务委负责解释。", "对年度进出口额首次超过1亿元的企业给予奖励。"])
    new = [Segment(f"measure-2.s{n}", zh, "measure", 2) for n, zh in enumerate(
        ["对年度进出口额首次超过2亿元的企业给予奖励。", "对年度进出口额首次超过3亿元的企业给予奖励。"], start=1)]
    plan = align(new, _reviewed(old))
    assert {ctx: (r.entry.msgid, r.kind) for ctx, r in plan.reuse.items()} == {
        "measure-2.s2": ("对年度进出口额首次超过1亿元的企业给予奖励。", "changed")}


# --------------------------------------------------------------------------- translators' notes

def _noted(ctx: str, zh: str, note: str, *, obsolete: bool = False) -> polib.POEntry:
    return polib.POEntry(msgctxt=ctx, msgid=zh, msgstr="", tcomment=note, obsolete=obsolete)


def test_a_restored_sentence_gets_back_the_note_that_was_at_its_place():
    """The same untranslated sentence was noted at two places, both since removed (``#~``): the
    sentence comes back at one of them and gets that place's note, not the first in the file."""
    catalog = _reviewed(_doc([MEASURES[0][0]]))
    catalog.append(_noted("measure-2.s1", MEASURES[0][2], "lead agency: check the 2024 list", obsolete=True))
    catalog.append(_noted("measure-3.s1", MEASURES[0][2], "customs asked for its full name here", obsolete=True))
    new = [_doc([MEASURES[0][0]])[0], Segment("measure-3.s1", MEASURES[0][2], "measure", 3)]
    plan = align(new, catalog)
    assert {ctx: e.tcomment for ctx, e in plan.notes.items()} == {"measure-3.s1": "customs asked for its full name here"}


def test_a_note_goes_to_the_occurrence_still_untranslated_not_to_one_with_english():
    """A repeated sentence: its first occurrence keeps its English, the second is untranslated;
    an earlier note on the sentence (its entry now ``#~``) goes to the second."""
    catalog = _reviewed(_doc([MEASURES[0][2]]))
    catalog.append(_noted("measure-7.s1", MEASURES[0][2], "ask customs which division leads", obsolete=True))
    new = [Segment("measure-1.s1", MEASURES[0][2], "measure", 1), Segment("measure-2.s1", MEASURES[0][2], "measure", 2)]
    plan = align(new, catalog)
    assert plan.reuse["measure-1.s1"].entry.msgstr == f"English of {MEASURES[0][2]}"
    assert {ctx: e.tcomment for ctx, e in plan.notes.items()} == {"measure-2.s1": "ask customs which division leads"}


def test_an_empty_entry_a_tool_added_is_kept_obsolete_not_taken_for_a_note():
    """An entry the pipeline did not make (no ``#:`` reference, no English, no note) whose sentence
    is now at another id is not the pipeline's to drop: it stays in the file, obsolete."""
    catalog = _reviewed(_doc([MEASURES[0][0]]))
    catalog.append(polib.POEntry(msgctxt="site.tagline", msgid=MEASURES[0][1], msgstr=""))
    new = _doc([MEASURES[0][0], MEASURES[0][1]])
    assert align(new, catalog).notes == {}
    merged = merge_catalog(new, {}, catalog, document="doc", source_ref="s.zh.txt", comments={})
    assert [(e.msgctxt, e.obsolete) for e in merged] == [("measure-1.s1", False), ("measure-1.s2", False),
                                                         ("site.tagline", True)]


# --------------------------------------------------------------------------- the order of a saved file

SRC, OTHER = "shanghai-port-2025/source.zh.txt", "yunnan-2025/source.zh.txt"  # OTHER sorts after SRC


def _referenced(msgid: str, *refs: tuple[str, str]) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=f"English of {msgid}", occurrences=list(refs))


@pytest.mark.parametrize(("entries", "expected"), [
    pytest.param([("A", (SRC, "10")), ("B", (SRC, "30")), ("C", (SRC, "20"))], "ACB", id="two-neighbours-swapped"),
    pytest.param([("A", (SRC, "10")), ("B", (SRC, "9"))], "BA", id="lines-compare-as-numbers-not-text"),
    pytest.param([("A", (SRC, "30")), ("B",), ("C", (SRC, "10"))], "CAB",
                 id="an-entry-without-a-reference-stays-after-the-one-before-it"),
    pytest.param([("M", (OTHER, "1")), ("A", (SRC, "30")), ("B", (SRC, "10")), ("C", (SRC, "20"))], "MBCA",
                 id="the-source-is-the-file-most-entries-point-at-not-the-first-named"),
    pytest.param([("A", (SRC, "30")), ("M", (OTHER, "1")), ("B", (SRC, "10")), ("C", (SRC, "20"))], "BCAM",
                 id="a-line-of-another-file-is-no-line-of-this-one"),
    pytest.param([("A", (SRC, "30"), (OTHER, "5")), ("B", (SRC, "10"), (OTHER, "6")), ("C", (SRC, "20"), (OTHER, "7")),
                  ("D", (OTHER, "1")), ("E", (OTHER, "2"))], "BCDEA",
                 id="msgcat-joined-files-the-first-reference-names-the-source"),
])
def test_a_file_saved_out_of_order_is_read_in_the_order_of_its_references(entries, expected):
    """``document_order``: a sorted save (msgcat --sort-output, an editor's sort) is put back in the
    order of the source lines its ``#:`` references give; entries without a reference to that source
    keep their place after the entry before them. Expected orders worked out by hand."""
    olds = [_referenced(msgid, *refs) for msgid, *refs in entries]
    assert "".join(entry.msgid for entry in document_order(olds)) == expected


def test_a_file_already_in_order_is_taken_as_it_is():
    """Ties (an entry without a reference after one with) are in order: nothing is re-sorted."""
    olds = [_referenced("A", (SRC, "10")), _referenced("B"), _referenced("C", (SRC, "20")), _referenced("D", (SRC, "20"))]
    assert document_order(olds) is olds


# --------------------------------------------------------------------------- repeated sentences

def _ids(*blocks: list[str]) -> list[tuple[str, str]]:
    """``(msgctxt, sentence)`` pairs, one block per list, ids as the structure gives them in a section."""
    return [(f"section-1.measure-{b}.s{n}", zh) for b, block in enumerate(blocks, start=1)
            for n, zh in enumerate(block, start=1)]


def test_a_repeated_sentence_is_told_apart_by_the_unique_sentences_of_its_own_measure():
    """``_neighbours``: for each repeated sentence, the nearest sentence before and after it that
    occurs once, looked for in its own measure only (``section-1.measure-2``, not all of section 1);
    None for a sentence that occurs once. Worked out by hand."""
    from bilingual.po.align import _neighbours

    old = _ids(["甲。", CUSTOMS, "注：见附件。", "乙。"], ["丙。", CUSTOMS, "注：见附件。"], ["注：见附件。", "丁。"])
    near, _ = _neighbours(old, [])
    assert near == [None, ("甲。", "乙。"), ("甲。", "乙。"), None,
                    None, ("丙。", None), ("丙。", None),
                    (None, "丁。"), None]


def _note_entry(ctx: str, zh: str, note: str, *, fuzzy: bool = False) -> polib.POEntry:
    return polib.POEntry(msgctxt=ctx, msgid=zh, msgstr=f"English of {zh}", tcomment=note, flags=["fuzzy"] if fuzzy else [])


@pytest.mark.parametrize("fuzzy", ["first", "second", "neither", "both"])
def test_two_swapped_measures_each_keep_their_agency_line_whatever_its_review_state(fuzzy):
    """Measures 甲 and 乙 both end in the customs line; the translator reviewed one and left the
    other an MT draft, each with a note about its own measure. The measures swap places: each
    line keeps its note and its state. (An occurrence takes a reviewed entry of its sentence
    over its own fuzzy one only when the reviewed one is unused; here both are in use.)"""
    old = polib.POFile()
    for ctx, zh, note, is_fuzzy in (("measure-1.s1", "甲措施。", "", False),
                                    ("measure-1.s2", CUSTOMS, "note on 甲", fuzzy in ("first", "both")),
                                    ("measure-2.s1", "乙措施。", "", False),
                                    ("measure-2.s2", CUSTOMS, "note on 乙", fuzzy in ("second", "both"))):
        old.append(_note_entry(ctx, zh, note, fuzzy=is_fuzzy))
    new = [Segment("measure-1.s1", "乙措施。", "measure", 1), Segment("measure-1.s2", CUSTOMS, "measure", 1),
           Segment("measure-2.s1", "甲措施。", "measure", 2), Segment("measure-2.s2", CUSTOMS, "measure", 2)]
    plan = align(new, old)
    assert {ctx: (plan.reuse[ctx].entry.tcomment, "fuzzy" in plan.reuse[ctx].entry.flags)
            for ctx in ("measure-1.s2", "measure-2.s2")} == {
        "measure-1.s2": ("note on 乙", fuzzy in ("second", "both")),
        "measure-2.s2": ("note on 甲", fuzzy in ("first", "both"))}


def test_a_sentence_repeated_beyond_the_bound_leaves_the_other_repeated_sentences_handed_out():
    """Past MAX_REPEATS occurrences one sentence is left as aligned; the repeated sentences after
    it are still handed out by their neighbours (the customs lines of two swapped measures)."""
    from bilingual.po.align import MAX_REPEATS

    lines = [(f"measure-{n}", [f"第{n}项。", COMMERCE]) for n in range(1, MAX_REPEATS + 2)]
    last = MAX_REPEATS + 2  # 甲 and 乙 swap around 丙: the sequence alignment pairs the customs lines by place
    middle = (f"measure-{last + 1}", ["丙措施。", "丙措施的细则。"])
    before = [*lines, (f"measure-{last}", ["甲措施。", CUSTOMS]), middle, (f"measure-{last + 2}", ["乙措施。", CUSTOMS])]
    after = [*lines, (f"measure-{last}", ["乙措施。", CUSTOMS]), middle, (f"measure-{last + 2}", ["甲措施。", CUSTOMS])]
    old = polib.POFile()
    for block, sentences in before:
        for n, zh in enumerate(sentences, start=1):
            old.append(_note_entry(f"{block}.s{n}", zh, f"note on {sentences[0]}" if zh == CUSTOMS else ""))
    new = [Segment(f"{block}.s{n}", zh, "measure", int(block.split("-")[1]))
           for block, sentences in after for n, zh in enumerate(sentences, start=1)]
    plan = align(new, old)
    assert [plan.reuse[f"measure-{n}.s2"].entry.tcomment for n in (last, last + 2)] == ["note on 乙措施。", "note on 甲措施。"]


def test_a_sentence_that_stayed_in_place_after_an_edit_above_it_is_kept_as_it_was():
    """The first sentence of a long document was rewritten: every sentence after it is aligned
    where it was (``same``: its comments are kept byte for byte), none is taken for moved."""
    old = [zh for measure in MEASURES for zh in measure]
    new = _doc(_rewrite(old, {0: REWRITTEN[0]}))
    plan = align(new, _reviewed(_doc(old)))
    assert {reuse.kind for ctx, reuse in plan.reuse.items()} == {"same"}
    assert len(plan.reuse) == len(old) - 1


def test_an_entry_whose_msgid_kept_the_space_after_a_full_stop_is_still_its_sentences():
    """Earlier versions wrote `` 第二句。`` (the space after the 。 before it) as the msgid; the
    sentence is now ``第二句。``: the same sentence, reviewed English and all, not a changed one."""
    old = polib.POFile()
    for ctx, zh in (("notice.s1", "第一句。"), ("notice.s2", " 第二句。"), ("notice.s3", "\u3000第三句。")):
        old.append(polib.POEntry(msgctxt=ctx, msgid=zh, msgstr=f"English of {zh.strip()}"))
    new = [Segment(f"notice.s{n}", zh, "body", 0) for n, zh in enumerate(["第一句。", "第二句。", "第三句。"], start=1)]
    plan = align(new, old)
    assert {ctx: (r.entry.msgstr, r.kind) for ctx, r in plan.reuse.items()} == {
        "notice.s1": ("English of 第一句。", "same"), "notice.s2": ("English of 第二句。", "same"),
        "notice.s3": ("English of 第三句。", "same")}


def test_of_four_measures_with_the_same_agency_line_the_first_and_third_swap_back():
    """Four measures end in the customs line; the first and the third swap places. Each line keeps
    the note about its own measure — the two occurrences to trade are not neighbours in the list."""
    texts = ["甲措施。", "乙措施。", "丙措施。", "丁措施。"]
    old = polib.POFile()
    for n, zh in enumerate(texts, start=1):
        old.append(_note_entry(f"measure-{n}.s1", zh, ""))
        old.append(_note_entry(f"measure-{n}.s2", CUSTOMS, f"note on {zh}"))
    swapped = [texts[2], texts[1], texts[0], texts[3]]
    new = [Segment(f"measure-{n}.s{k}", zh, "measure", n) for n, first in enumerate(swapped, start=1)
           for k, zh in ((1, first), (2, CUSTOMS))]
    plan = align(new, old)
    assert [plan.reuse[f"measure-{n}.s2"].entry.tcomment for n in range(1, 5)] == [
        f"note on {zh}" for zh in swapped]
