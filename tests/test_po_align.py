"""bilingual.po.align: which entry of the old PO file each segment gets (moved, changed, repeated and renumbered sentences)."""

from __future__ import annotations

import polib
import pytest

from bilingual.model import Segment
from bilingual.po import align, merge_catalog

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
