"""Translators' tools saving the PO file, then a re-run: the work stays on its own sentence.

Each test saves the file the way a real tool does (gettext's ``msgcat`` run as the
tool's users run it) and re-runs ``translate`` on the real Shanghai document.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
from pofactory import REPO_ROOT

from bilingual.check import check_files
from bilingual.engines.pseudo import PseudoEngine
from bilingual.glossary import load_glossary
from bilingual.translate import Job, run

SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"


def translate(folder: Path) -> None:
    job = Job("shanghai-port-2025", folder / "source.zh.txt", folder / "doc.en.po")
    run([job], PseudoEngine(), load_glossary(REPO_ROOT / "glossary"))


def msgcat(path: Path, *args: str) -> None:
    tool = shutil.which("msgcat")
    assert tool, "msgcat (GNU gettext) is not installed: .ci/run installs it"
    subprocess.run([tool, *args, "-o", str(path), str(path)], check=True)


def notes(path: Path) -> dict[str, str]:
    return {e.msgctxt: e.tcomment for e in polib.pofile(str(path)) if e.tcomment and not e.obsolete}


def test_a_sorted_file_keeps_each_note_on_its_own_entry_of_a_repeated_sentence(tmp_path):
    """``msgcat --sort-output`` puts the file in msgid order; the document did not change, so
    every entry still has its own id and sentence. The note a translator wrote on (四)'s lead
    agencies must stay there, not go to (十四)'s identical （上海海关）."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    translate(tmp_path)
    catalog = polib.pofile(str(po), wrapwidth=0)
    wanted = {"measure-4.agencies": "Customs confirmed it leads (4) alone",
              "measure-14.agencies": "Customs leads (14); the port group asked to join",
              "measure-21.agencies": "(21) only the Commission of Commerce"}
    by_ctx = {e.msgctxt: e for e in catalog}
    assert by_ctx["measure-4.agencies"].msgid == by_ctx["measure-14.agencies"].msgid == "（上海海关）"
    for ctx, note in wanted.items():
        by_ctx[ctx].tcomment = note
    catalog.save(str(po))
    msgcat(po, "--sort-output")
    translate(tmp_path)
    assert {ctx: notes(po).get(ctx) for ctx in wanted} == wanted


def _swap_measures(text: str, first: str, second: str) -> str:
    """The draft with measures ``first`` and ``second`` (printed labels, one paragraph each) swapped,
    their labels left in place: (一) now holds what (四) said, and the other way round."""
    paragraphs = text.split("\n\n")
    i = next(n for n, p in enumerate(paragraphs) if p.startswith(first))
    j = next(n for n, p in enumerate(paragraphs) if p.startswith(second))
    a, b = paragraphs[i], paragraphs[j]
    paragraphs[i], paragraphs[j] = first + b[len(second):], second + a[len(first):]
    return "\n\n".join(paragraphs)


def test_a_note_on_a_repeated_agency_line_follows_its_measure_when_two_measures_swap(tmp_path):
    """(一) and (四) both end with （上海海关）. A sequence alignment matches one side of a swap only,
    so the two identical lines used to pair up by place: the note stayed on (四) while its measure
    became (一)."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    translate(tmp_path)
    catalog = polib.pofile(str(po), wrapwidth=0)
    by_ctx = {e.msgctxt: e for e in catalog}
    assert by_ctx["measure-1.agencies"].msgid == by_ctx["measure-4.agencies"].msgid == "（上海海关）"
    by_ctx["measure-4.agencies"].tcomment = "vacuum-packed goods: Customs alone, confirmed"
    catalog.save(str(po))
    source = tmp_path / "source.zh.txt"
    source.write_text(_swap_measures(source.read_text(encoding="utf-8"), "(一)", "（四）"), encoding="utf-8")
    translate(tmp_path)
    after = {e.msgctxt: e for e in polib.pofile(str(po)) if not e.obsolete}
    assert after["measure-1.s1"].msgid == "优化真空包装等高新技术货物布控查验模式。"  # (四)'s text, now (一)
    assert notes(po) == {"measure-1.agencies": "vacuum-packed goods: Customs alone, confirmed"}


def test_a_measure_inserted_after_one_with_the_same_agency_leaves_that_agencys_note_in_place(tmp_path):
    """A new (二) led by Customs too, inserted after (一): the alignment used to give (一)'s
    （上海海关） line, note and all, to the new measure, and (一) a fresh one."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    translate(tmp_path)
    catalog = polib.pofile(str(po), wrapwidth=0)
    catalog.find("measure-1.agencies", by="msgctxt").tcomment = "bonded oil tanks: Customs alone, confirmed"
    catalog.save(str(po))
    source = tmp_path / "source.zh.txt"
    text = source.read_text(encoding="utf-8")
    first = next(p for p in text.split("\n\n") if p.startswith("(一)"))
    source.write_text(text.replace(first, first + "\n\n(二)新增一项试点措施。（上海海关）", 1), encoding="utf-8")
    translate(tmp_path)
    after = {e.msgctxt: e for e in polib.pofile(str(po)) if not e.obsolete}
    assert after["measure-2.s1"].msgid == "新增一项试点措施。" and after["measure-2.agencies"].msgid == "（上海海关）"
    assert notes(po) == {"measure-1.agencies": "bonded oil tanks: Customs alone, confirmed"}


def test_a_file_polib_saved_keeps_its_english_wrapped_at_78_when_an_entry_is_rewritten(tmp_path):
    """polib (scripts, and the tools built on it) wraps at 78 characters and only at spaces, so the
    Chinese lines of its file run to 210 columns; the width used to be read from them, and a
    rewritten English msgstr came out as one 200-column line among 78-column ones."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    translate(tmp_path)
    polib.pofile(str(po)).save(str(po))  # polib's own layout (wrapwidth 78)
    saved = po.read_bytes()
    translate(tmp_path)
    assert po.read_bytes() == saved  # nothing changed: not rewritten
    source = tmp_path / "source.zh.txt"
    old = "支持跨境电商、海外仓发展。"
    source.write_text(source.read_text(encoding="utf-8").replace(old, "支持跨境电商和海外仓发展。"), encoding="utf-8")
    translate(tmp_path)
    entry = next(e for e in polib.pofile(str(po)) if e.msgid.endswith("支持跨境电商和海外仓发展。"))
    assert len(entry.msgstr) > 78  # machine output of the new sentence: a rewritten entry
    text = po.read_text(encoding="utf-8")
    block = text[text.index(f'msgctxt "{entry.msgctxt}"'):].split("\n\n")[0]
    msgstr_lines = block[block.index("\nmsgstr "):].splitlines()[1:]
    assert msgstr_lines[0] == 'msgstr ""' and all(len(line) <= 78 for line in msgstr_lines), msgstr_lines


def test_check_names_the_conflict_msgcat_leaves_when_two_translators_files_are_joined(tmp_path):
    """Two translators' copies joined with ``msgcat a.po b.po`` (no --use-first): where they differ
    the msgstr holds both, between ``#-#-#-#-#  a.po (…)  #-#-#-#-#`` lines, and is fuzzy. The
    re-run keeps it (a person's); check must say what it is, so that nobody publishes it."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    shutil.copy(REPO_ROOT / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po", po)
    colleague = polib.pofile(str(po), wrapwidth=0)
    colleague.find("measure-8.s1", by="msgctxt").msgstr = "Improving the Port of Shanghai's logistics network."
    colleague.save(str(tmp_path / "colleague.po"))
    msgcat(po, str(tmp_path / "colleague.po"))  # msgcat -o doc.en.po colleague.po doc.en.po
    translate(tmp_path)
    entry = polib.pofile(str(po)).find("measure-8.s1", by="msgctxt")
    assert "#-#-#-#-#" in entry.msgstr and "Improving the Port" in entry.msgstr  # kept as it was
    found = [f for f in check_files([po]) if f.ctx == "measure-8.s1"]
    assert [(f.severity, f.check) for f in found] == [("error", "conflict")], found  # nothing from the markers


def test_a_msgid_edited_by_mistake_says_where_the_reviewed_english_went(tmp_path):
    """A translator pastes another sentence over a msgid by mistake: the entry matches no sentence
    any more and its reviewed English goes to ``#~`` (kept, below the obsolete guard's half) —
    out of sight in Poedit. The run names it, so the slip is found before the work is forgotten."""
    shutil.copy(SHANGHAI, tmp_path / "source.zh.txt")
    po = tmp_path / "doc.en.po"
    shutil.copy(REPO_ROOT / "translations" / "shanghai-port-2025" / "shanghai-port-2025.en.po", po)
    catalog = polib.pofile(str(po), wrapwidth=0)
    reviewed = [e for e in catalog if e.msgstr and "fuzzy" not in e.flags and e.msgctxt.endswith(".s1")
                and e.msgctxt.startswith("measure-")]
    slip, other = reviewed[0], reviewed[1]
    english = slip.msgstr
    slip.msgid = other.msgid
    catalog.save(str(po))
    [stats] = run([Job("shanghai-port-2025", tmp_path / "source.zh.txt", po)], PseudoEngine(),
                  load_glossary(REPO_ROOT / "glossary"))
    [warning] = [w for w in stats.warnings if "obsolete (#~)" in w]
    assert warning.startswith("1 reviewed translation(s)") and slip.msgctxt in warning
    assert [e.msgstr for e in polib.pofile(str(po)) if e.obsolete and e.msgctxt == slip.msgctxt] == [english]
    [stats] = run([Job("shanghai-port-2025", tmp_path / "source.zh.txt", po)], PseudoEngine(),
                  load_glossary(REPO_ROOT / "glossary"))
    assert not [w for w in stats.warnings if "obsolete (#~)" in w]  # said once, when it happened
