"""A translator's review survives what an outside tester did to it (issue 11, second round).

Each test replays one reproduction of the attack report, through the CLI in the test
process (``inproc.run_inprocess``): the same ``main()``, exit codes and one-line errors
as the console script, without a new interpreter per call.
"""

from __future__ import annotations

import re

import polib
from inproc import run_inprocess

NOTICE = ("关于加强口岸管理的通知\n"
          "一、优化通关。对年度进出口额首次超过1亿元的企业给予奖励。（上海海关）\n"
          "二、加强保障。各单位要落实责任。（上海海关）\n")
HUMAN = "Enterprises exceeding RMB 100 million are rewarded."


def bilingual(tmp_path, *args):
    return run_inprocess(args, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, cwd=tmp_path)


def review_in_an_editor(po, ctx: str, english: str) -> None:
    """What Poedit does: the msgstr and the fuzzy flag change, the ``#.`` lines cannot."""
    text = po.read_text(encoding="utf-8")
    text, flags = re.subn(rf'#, fuzzy\n(msgctxt "{re.escape(ctx)}"\nmsgid .*\n)msgstr .*',
                          rf'\1msgstr "{english}"', text)
    assert flags == 1
    po.write_text(text, encoding="utf-8")


def entry(po, ctx: str):
    return polib.pofile(str(po), wrapwidth=0).find(ctx, by="msgctxt")


# --------------------------------------------------------------------------- 1: reviewed MT stays human


def test_a_reviewed_translation_survives_retranslate_and_a_new_model_after_its_source_changed(tmp_path):
    source, po = tmp_path / "doc.txt", tmp_path / "doc.po"
    source.write_text(NOTICE, encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    review_in_an_editor(po, "section-1.s2", HUMAN)
    assert "origin: machine translation" in entry(po, "section-1.s2").comment  # Poedit cannot edit #.

    source.write_text(NOTICE.replace("1亿元", "2亿元"), encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    kept = entry(po, "section-1.s2")
    assert kept.msgstr == HUMAN and kept.fuzzy and "1亿元" in kept.previous_msgid
    assert "origin: machine translation" not in kept.comment
    assert "origin: reviewed (from machine translation pseudo/" in kept.comment

    result = bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo", "--retranslate")
    assert result.returncode == 0, result.stderr
    kept = entry(po, "section-1.s2")
    assert kept.msgstr == HUMAN and "1亿元" in kept.previous_msgid

    # A model upgrade: every machine line names another model; the reviewed English stays.
    po.write_text(po.read_text(encoding="utf-8").replace("(pseudo/", "(pseudo-old/"), encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    assert entry(po, "section-1.s2").msgstr == HUMAN
    assert "(pseudo/" in entry(po, "section-2.s2").comment  # unreviewed MT of the old model: redone


def test_an_entry_unfuzzied_in_an_editor_is_never_replaced_and_not_rewritten(tmp_path):
    """No fuzzy flag = a person's English, whatever its ``#.`` origin says: a model change or
    ``--retranslate`` leaves it byte for byte (no churn); when it moves, it is recorded as reviewed."""
    source, po = tmp_path / "doc.txt", tmp_path / "doc.po"
    source.write_text(NOTICE, encoding="utf-8")
    bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo")
    review_in_an_editor(po, "section-2.s2", "All units shall fulfil their responsibilities.")
    po.write_text(po.read_text(encoding="utf-8").replace("(pseudo/", "(pseudo-old/"), encoding="utf-8")
    block = po.read_text(encoding="utf-8").split("\n\n")[-2]
    assert 'msgctxt "section-2.s2"' in block and "origin: machine translation (pseudo-old/" in block
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo", "--retranslate").returncode == 0
    assert block in po.read_text(encoding="utf-8").split("\n\n")

    # A section inserted at the top: the reviewed sentence moves to section 3 and says it is reviewed.
    source.write_text(NOTICE.replace("一、", "一、新增措施。各区要加强协调。（上海海关）\n二、", 1).replace("二、加强", "三、加强"),
                      encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    moved = entry(po, "section-3.s2")
    assert moved.msgstr == "All units shall fulfil their responsibilities." and not moved.fuzzy
    assert "origin: reviewed (from machine translation pseudo-old/" in moved.comment


# --------------------------------------------------------------------------- 2: extract over a PO file


def test_extract_refuses_to_write_a_template_over_a_translated_po(tmp_path, repo_root):
    shipped = repo_root / "translations" / "shanghai-port-2025"
    source, po = tmp_path / "src.txt", tmp_path / "doc.en.po"
    source.write_bytes((shipped / "source.zh.txt").read_bytes())
    po.write_bytes((shipped / "shanghai-port-2025.en.po").read_bytes())
    before = po.read_bytes()
    result = bilingual(tmp_path, "extract", source, "-o", po)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "doc.en.po" in result.stderr and "not a template" in result.stderr
    assert po.read_bytes() == before

    notes = tmp_path / "notes.md"  # a file that is not PO at all is not a template either
    notes.write_text("# Notes\n\nkeep me\n", encoding="utf-8")
    result = bilingual(tmp_path, "extract", source, "-o", notes)
    assert result.returncode == 2 and "not a PO template" in result.stderr
    assert notes.read_text(encoding="utf-8") == "# Notes\n\nkeep me\n"

    # a template (empty msgstr) is still rewritten; an empty file is a new template
    pot = tmp_path / "doc.pot"
    pot.write_text("", encoding="utf-8")
    assert bilingual(tmp_path, "extract", source, "-o", pot).returncode == 0
    source.write_text(source.read_text(encoding="utf-8").replace("加快推进", "全面推进"), encoding="utf-8")
    assert bilingual(tmp_path, "extract", source, "-o", pot).returncode == 0
    assert "全面推进" in pot.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 5: the obsolete guard counts people's work


def test_rendered_entries_do_not_dilute_the_obsolete_guard(tmp_path, repo_root):
    """The shipped document: about 60 entries the glossary or a rule renders (masthead, agency lists,
    signatories, date) and 8 sentences a translator reviewed, 6 of them in section 五. A source cut
    before section 五 (``head -120``) would make 6 of the 8 reviews obsolete: refused, unless --force."""
    source, po = tmp_path / "doc.txt", tmp_path / "doc.po"
    full = (repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    source.write_text(full, encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    catalog = polib.pofile(str(po), wrapwidth=0)
    reviewed = ["measure-1.s1", "measure-2.s1", *(f"measure-{n}.s1" for n in range(23, 29))]
    for ctx in reviewed:
        found = catalog.find(ctx, by="msgctxt")
        found.msgstr, found.flags = f"Reviewed {ctx}.", []
    catalog.save(str(po))
    rendered = [e for e in catalog if not e.fuzzy and ("origin: glossary" in e.comment or "origin: rule" in e.comment)]
    assert len(rendered) > 50

    source.write_text("".join(full.splitlines(keepends=True)[:120]), encoding="utf-8")
    before = po.read_bytes()
    result = bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo")
    assert result.returncode == 2 and "6 of its 8 reviewed translations obsolete" in result.stderr
    assert po.read_bytes() == before
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo", "--force").returncode == 0
    obsolete = {e.msgctxt for e in polib.pofile(str(po), wrapwidth=0).obsolete_entries()}
    assert set(reviewed[2:]) <= obsolete


# --------------------------------------------------------------------------- 18: comment lines stay apart

TIANJIN = ("津商务发〔2025〕12号\n"
           "关于进一步优化口岸营商环境的通知\n"
           "各有关单位：\n"
           "一、提升通关效率。推进“提前申报”模式。（天津海关）\n"
           "天津市商务局\n"
           "2025年3月10日\n")
PINYIN = "document-number prefix in pinyin: 津商务发 = Jin Shang Wu Fa"


def test_a_rewritten_entry_keeps_its_origin_and_pinyin_lines_apart(tmp_path):
    source, po = tmp_path / "tj.txt", tmp_path / "tj.en.po"
    source.write_text(TIANJIN, encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    lines = entry(po, "notice.doc-number").comment.split("\n")
    assert lines == ["origin: rule (document number)", PINYIN]

    # a line inserted above: every entry's #: reference changes, so the entry is rewritten
    source.write_text("天津市人民政府口岸服务办公室\n" + TIANJIN, encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    assert entry(po, "notice.doc-number").comment.split("\n") == lines

    # a file an earlier version glued together is cut apart again on the next rewrite
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("#. origin: rule (document number)\n#. document-number",
                               "#. origin: rule (document number) document-number"), encoding="utf-8")
    source.write_text("天津市人民政府\n天津市人民政府口岸服务办公室\n" + TIANJIN, encoding="utf-8")
    assert bilingual(tmp_path, "translate", source, "-o", po, "--engine", "pseudo").returncode == 0
    assert entry(po, "notice.doc-number").comment.split("\n") == lines
