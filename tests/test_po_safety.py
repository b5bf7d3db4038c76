"""A translator's work is never damaged: the scenarios of issue 11 (items 2–5, 7, 8, 18), one test each.

Each test builds the scenario as a user meets it — a PO file a translator reviewed
and then saved, damaged or extended in a tool, a source document that changed —
and runs the real pipeline (``bilingual translate``, in-process or through the
CLI) on it.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import polib
import pytest
from pofactory import REPO_ROOT

from bilingual import model
from bilingual.engines.pseudo import PseudoEngine
from bilingual.errors import BilingualError
from bilingual.glossary import load_glossary
from bilingual.model import Segment
from bilingual.po import (
    Translation,
    align,
    catalog_text,
    load_catalog,
    merge_catalog,
    parse_text,
    save_catalog,
)
from bilingual.translate import Job, run

SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
DOC = "shanghai-port-2025"


def msgfmt_ok(path) -> bool:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is not installed: .ci/run installs it"
    return subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


@pytest.fixture
def work(tmp_path):
    """The shipped document translated with the pseudo engine, some entries reviewed in a PO tool."""
    source = tmp_path / "source.zh.txt"
    shutil.copy(SHANGHAI, source)
    po = tmp_path / "doc.en.po"
    translate_in_process(source, po)
    catalog = polib.pofile(str(po), wrapwidth=79)
    for entry in catalog:
        if entry.msgctxt.startswith("measure-") and entry.fuzzy:
            entry.msgstr = f"Reviewed {entry.msgctxt}."
            entry.flags.remove("fuzzy")
    catalog.save(str(po))
    return source, po


def translate_in_process(source, po, engine=None, **options):
    [stats] = run([Job(DOC, source, po)], engine or PseudoEngine(), load_glossary(REPO_ROOT / "glossary"),
                  **options)
    return stats


def cli(run_cli, *args, env=None):
    return run_cli(["translate", *args, "--name", DOC, "--format", "json"], env=env)


# --------------------------------------------------------------------------- item 2: a lost msgstr


@pytest.mark.parametrize("damage", ["keyword-lost", "line-deleted"])
def test_a_lost_msgstr_is_refused_by_translate_and_check_like_msgfmt(run_cli, work, tmp_path, damage):
    source, po = work
    text = po.read_text(encoding="utf-8")
    line = 'msgstr "Reviewed measure-5.s1."\n'
    assert line in text
    text = text.replace(line, '"Reviewed measure-5.s1."\n' if damage == "keyword-lost" else "")
    po.write_text(text, encoding="utf-8")
    before = po.read_bytes()
    assert not msgfmt_ok(po)
    result = cli(run_cli, source, "-o", po, "--engine", "pseudo", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert result.returncode == 2, result.stderr
    assert "missing 'msgstr' section" in result.stderr and "measure-5.s1" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and po.read_bytes() == before
    checked = run_cli(["check", po, "--format", "json"])
    assert checked.returncode == 1
    [finding] = json.loads(checked.stdout)["findings"]
    assert finding["check"] == "syntax" and "missing 'msgstr' section" in finding["message"]


# --------------------------------------------------------------------------- item 3: entries we do not own


PLURAL = '''
# added by the translator for the web page's counter
msgctxt "site.measure-count"
msgid "{n} measure"
msgid_plural "{n} measures"
msgstr[0] "{n} measure"
msgstr[1] "{n} measures"
'''
FOREIGN = '''
msgctxt "site.tagline"
msgid "口岸营商环境"
msgstr ""
'''


def test_plural_and_foreign_entries_are_kept_or_made_obsolete_never_dropped(work):
    source, po = work
    text = po.read_text(encoding="utf-8")
    # a tool turned a sentence's entry into a plural one, and the translator added two entries
    turned = 'msgctxt "measure-3.s1"\nmsgid "优化国际邮轮药械供船服务。"\nmsgstr "Reviewed measure-3.s1."\n'
    plural = turned.replace('msgstr "Reviewed measure-3.s1."', 'msgid_plural "优化国际邮轮药械供船服务。"\n'
                            'msgstr[0] "Streamline one procedure."\nmsgstr[1] "Streamline the procedures."')
    assert turned in text
    po.write_text(text.replace(turned, plural) + PLURAL + FOREIGN, encoding="utf-8")
    assert msgfmt_ok(po)
    translate_in_process(source, po)
    catalog = load_catalog(po, DOC)
    entry = catalog.find("measure-3.s1", by="msgctxt")
    assert entry.msgid_plural and entry.msgstr_plural == {0: "Streamline one procedure.",
                                                          1: "Streamline the procedures."}
    assert not entry.obsolete and not entry.fuzzy
    counter = catalog.find("site.measure-count", by="msgctxt", include_obsolete_entries=True)
    assert counter.obsolete and counter.msgstr_plural[1] == "{n} measures"
    assert "counter" in counter.tcomment
    tagline = catalog.find("site.tagline", by="msgctxt", include_obsolete_entries=True)
    assert tagline.obsolete and tagline.msgid == "口岸营商环境"
    assert msgfmt_ok(po)
    # the sentence disappears: its plural entry becomes obsolete with all its forms
    source.write_text(source.read_text(encoding="utf-8").replace("优化国际邮轮药械供船服务。", ""),
                      encoding="utf-8")
    translate_in_process(source, po, force=True)
    [gone] = [e for e in load_catalog(po, DOC) if e.obsolete and e.msgid == "优化国际邮轮药械供船服务。"]
    assert gone.msgstr_plural == {0: "Streamline one procedure.", 1: "Streamline the procedures."}


# --------------------------------------------------------------------------- item 4: header comments


HEADER_COMMENTS = ("# English translation of the Shanghai port measures (沪商自贸〔2025〕181号).\n"
                   "# Copyright (C) 2025 Shanghai Municipal Commission of Commerce.\n"
                   "# Team notes: agency names follow the glossary; ask Li Wei before changing one.\n#\n")


def test_header_comments_survive_every_rewrite(work):
    source, po = work
    po.write_text(HEADER_COMMENTS + po.read_text(encoding="utf-8").removeprefix("#\n"), encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("加快推进", "全面推进"), encoding="utf-8")
    assert translate_in_process(source, po).written
    assert po.read_text(encoding="utf-8").startswith(HEADER_COMMENTS + 'msgid ""\n')
    assert "Copyright (C) 2025" in load_catalog(po, DOC).header


# --------------------------------------------------------------------------- item 5: repeated sentences


AGENCY = "（上海海关）"
OPENING = "现提出如下措施。"


def segs(measures):
    out = []
    for number, sentences in enumerate(measures, start=1):
        for index, sentence in enumerate(sentences, start=1):
            ctx = f"measure-{number}.agencies" if sentence == AGENCY else f"measure-{number}.s{index}"
            out.append(Segment(ctx=ctx, source=sentence, kind=model.MEASURE, line=number, measure=number))
    return out


def merged(tmp_path, measures, previous=None, proposals=None):
    path = tmp_path / "doc.en.po"
    if previous:
        path.write_text(previous, encoding="utf-8")  # the translator's save
    segments = segs(measures)
    catalog = parse_text(previous) if previous else None
    new = merge_catalog(segments, proposals or {}, catalog, document=DOC, source_ref="s.zh.txt", comments={})
    save_catalog(new, path, previous)
    return path.read_text(encoding="utf-8"), new


def test_a_measure_inserted_at_the_top_leaves_every_review_on_its_own_sentence(tmp_path):
    """Three measures end with the same agency parenthesis and open with the same sentence; each
    reviewed translation names its measure. A measure inserted at the top shifts every id."""
    measures = [[OPENING, f"第{n}项措施的内容。", AGENCY] for n in "一二三"]
    proposals = {s.ctx: Translation(f"MT {s.ctx}", True) for s in segs(measures)}
    text, catalog = merged(tmp_path, measures, proposals=proposals)
    catalog = parse_text(text)
    for entry in catalog:
        entry.msgstr = f"{entry.msgstr.removeprefix('MT ')} (reviewed)"
        entry.flags = []
    text = catalog_text(catalog)
    inserted = [[OPENING, "新增的措施。", AGENCY], *measures]
    text, new = merged(tmp_path, inserted, previous=text)
    for number in (2, 3, 4):  # old measure n-1, renumbered
        for ctx_end in ("s1", "s2", "agencies"):
            entry = new.find(f"measure-{number}.{ctx_end}", by="msgctxt")
            assert entry.msgstr == f"measure-{number - 1}.{ctx_end} (reviewed)", (entry.msgctxt, entry.msgstr)
            assert not entry.fuzzy
    first = [new.find(f"measure-1.{end}", by="msgctxt") for end in ("s1", "s2", "agencies")]
    assert [e.msgstr for e in first] == ["", "", ""]  # new measure: nothing borrowed from its neighbours
    assert not [e for e in new if e.obsolete]


def test_reviewed_beats_fuzzy_for_a_repeated_sentence(tmp_path):
    measures = [[OPENING, "甲。"], [OPENING, "乙。"]]
    proposals = {s.ctx: Translation(f"MT {s.ctx}", True, ["origin: machine translation (pseudo/0)"])
                 for s in segs(measures)}
    text, _ = merged(tmp_path, measures, proposals=proposals)
    catalog = parse_text(text)
    second = catalog.find("measure-2.s1", by="msgctxt")
    second.msgstr, second.flags = "The following measures are hereby put forward.", []
    # measure 2 deleted: the sentence aligned with measure 1's unreviewed MT, but a reviewed
    # translation of the very same sentence is there: it wins, the MT goes
    text, new = merged(tmp_path, [[OPENING, "甲。"]], previous=catalog_text(catalog))
    entry = new.find("measure-1.s1", by="msgctxt")
    assert entry.msgstr == "The following measures are hereby put forward." and not entry.fuzzy
    assert "MT measure-1.s1" not in text


def test_an_id_match_that_contradicts_the_alignment_loses():
    """Old measure-2.s1 has the same id and source as new measure-2.s1, but the alignment says
    new measure-2 is old measure-1 (a measure was inserted before it): the alignment wins."""
    old = segs([[OPENING, "甲。"], [OPENING, "乙。"]])
    new = segs([[OPENING, "丙。"], [OPENING, "甲。"], [OPENING, "乙。"]])
    catalog = polib.POFile()
    for seg in old:
        catalog.append(polib.POEntry(msgctxt=seg.ctx, msgid=seg.source, msgstr=f"T {seg.ctx}"))
    plan = align(new, catalog)
    assert {ctx: r.entry.msgctxt for ctx, r in plan.reuse.items()} == {
        "measure-2.s1": "measure-1.s1", "measure-2.s2": "measure-1.s2",
        "measure-3.s1": "measure-2.s1", "measure-3.s2": "measure-2.s2"}


def test_on_the_real_document_agency_lists_follow_their_measures(work):
    source, po = work
    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in catalog:  # every agency list reviewed with a marker naming its measure's title sentence
        if entry.msgctxt.endswith(".agencies"):
            title = catalog.find(entry.msgctxt.replace(".agencies", ".s1"), by="msgctxt").msgid
            entry.msgstr = f"{entry.msgstr} [{title}]"
    catalog.save(str(po))
    text = source.read_text(encoding="utf-8")
    at = text.index("(一)")  # drafters insert a measure at the top; every measure id shifts
    source.write_text(text[:at] + "(一)新增一项支持措施。（上海海关）\n\n" + text[at:], encoding="utf-8")
    translate_in_process(source, po)
    merged_po = load_catalog(po, DOC)
    checked = 0
    for entry in merged_po:
        if not entry.obsolete and entry.msgctxt.endswith(".agencies") and "[" in entry.msgstr:
            title = merged_po.find(entry.msgctxt.replace(".agencies", ".s1"), by="msgctxt").msgid
            assert entry.msgstr.endswith(f"[{title}]"), (entry.msgctxt, entry.msgstr)
            checked += 1
    assert checked >= 30


# --------------------------------------------------------------------------- item 7: a wrong source


def test_a_truncated_source_stops_before_making_reviews_obsolete_unless_forced(run_cli, work, tmp_path):
    source, po = work
    text = source.read_text(encoding="utf-8")
    source.write_text(text[:len(text) // 5], encoding="utf-8")  # a download cut short
    before = po.read_bytes()
    env = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    result = cli(run_cli, source, "-o", po, "--engine", "pseudo", env=env)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "reviewed translations obsolete" in result.stderr and "--force" in result.stderr
    assert po.read_bytes() == before
    forced = cli(run_cli, source, "-o", po, "--engine", "pseudo", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    obsolete = [e for e in load_catalog(po, DOC) if e.obsolete and e.msgstr.startswith("Reviewed ")]
    assert len(obsolete) > 40


# --------------------------------------------------------------------------- item 8: stale machine output


def test_pseudo_output_is_replaced_by_the_real_engine_and_reviews_are_not(run_cli, tmp_path, argos_packages_dir):
    source = tmp_path / "source.zh.txt"
    shutil.copy(SHANGHAI, source)
    po = tmp_path / "doc.en.po"
    env = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    assert cli(run_cli, source, "-o", po, "--engine", "pseudo", env=env).returncode == 0
    catalog = polib.pofile(str(po), wrapwidth=0)
    reviewed = catalog.find("measure-2.s1", by="msgctxt")
    reviewed.msgstr, reviewed.flags = "Keep advancing the two-certificates-in-one reform.", []
    catalog.save(str(po))
    pseudo = {e.msgctxt for e in catalog if e.fuzzy and "(pseudo/" in e.comment}
    assert len(pseudo) > 90

    result = cli(run_cli, source, "-o", po, "--engine", "argos", env=env)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["retranslated"] == len(pseudo) and stats["machine"] + stats["cached"] == len(pseudo)
    after = load_catalog(po, DOC)
    for ctx in pseudo:
        entry = after.find(ctx, by="msgctxt")
        assert "(argos/" in entry.comment and "(pseudo/" not in entry.comment and "[zh:" not in entry.msgstr
    assert after.find("measure-2.s1", by="msgctxt").msgstr == "Keep advancing the two-certificates-in-one reform."

    # the same engine again: nothing to do; --engine none: nothing touched; --retranslate: all of it again
    again = json.loads(cli(run_cli, source, "-o", po, "--engine", "argos", env=env).stdout)[0]
    assert again["retranslated"] == 0 and again["machine"] + again["cached"] == 0 and not again["written"]
    none = json.loads(cli(run_cli, source, "-o", po, "--engine", "none", env=env).stdout)[0]
    assert not none["written"]
    forced = json.loads(cli(run_cli, source, "-o", po, "--engine", "argos", "--retranslate", env=env).stdout)[0]
    assert forced["retranslated"] == len(pseudo)
    assert load_catalog(po, DOC).find("measure-2.s1", by="msgctxt").msgstr.startswith("Keep advancing")


# --------------------------------------------------------------------------- item 18: English variants


@pytest.mark.parametrize("language", ["en-GB", "en_US", "en-Latn-GB", "en_GB.UTF-8", "EN"])
def test_every_english_variant_is_english(run_cli, work, language):
    source, po = work
    po.write_text(po.read_text(encoding="utf-8").replace('"Language: en\\n"', f'"Language: {language}\\n"'),
                  encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("加快推进", "全面推进"), encoding="utf-8")
    assert translate_in_process(source, po).written
    assert load_catalog(po, DOC).metadata["Language"] == language  # the translator's value, kept
    findings = json.loads(run_cli(["check", po, "--format", "json"]).stdout)["findings"]
    assert not [f for f in findings if f["check"] == "header"]


def test_another_language_is_still_refused(work):
    _, po = work
    po.write_text(po.read_text(encoding="utf-8").replace('"Language: en\\n"', '"Language: fr-CA\\n"'),
                  encoding="utf-8")
    with pytest.raises(BilingualError, match="language 'fr-CA'"):
        load_catalog(po, DOC)
