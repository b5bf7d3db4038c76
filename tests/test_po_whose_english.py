"""Machine output a translator edited, and reviewed English whose source changed (an outside tester's findings).

* ``--retranslate`` (or another engine) replaced English a translator had typed into an entry
  left fuzzy, and kept nothing of it;
* a reviewed translation whose source changed kept the ``mt-check:`` lines of the machine
  English it had replaced, so ``check`` and the summary flagged the translator's text as
  unreviewed machine output.
"""

from __future__ import annotations

import json

import polib
from inproc import run_inprocess

SOURCE = ("关于加强口岸管理的通知\n一、优化通关。对年度进出口额首次超过1亿元的企业给予奖励。（上海海关）\n"
          "二、加强保障。各单位要落实责任。（上海海关）\n")
HUMAN = "Enterprises exceeding RMB 100 million are rewarded."
CTX = "section-1.s2"
FLAG = "mt-check: chinese-left: 亿"


def _cli(tmp_path, *args, cache="cache", ok=(0,)):
    result = run_inprocess(list(args), {"XDG_CACHE_HOME": str(tmp_path / cache)}, cwd=tmp_path)
    assert result.returncode in ok, result.stderr
    return result


def _translate(tmp_path, *extra, cache="cache") -> dict:
    result = _cli(tmp_path, "translate", "doc.txt", "-o", "doc.en.po", "--engine", "pseudo", "--format", "json",
                  *extra, cache=cache)
    return json.loads(result.stdout)[0]


def _entry(tmp_path, ctx=CTX):
    return polib.pofile(str(tmp_path / "doc.en.po")).find(ctx, by="msgctxt")


def _edit(tmp_path, *, reviewed: bool) -> str:
    catalog = polib.pofile(str(tmp_path / "doc.en.po"))
    entry = catalog.find(CTX, by="msgctxt")
    machine, entry.msgstr = entry.msgstr, HUMAN
    if reviewed:
        entry.flags = []
    catalog.save()
    return machine


def _start(tmp_path) -> None:
    """The pseudo engine's drafts, each with a flag as a real engine's output gets one (pseudo markers
    raise none: bilingual/checkpseudo.py), so that the flags a review must drop are there to drop."""
    (tmp_path / "doc.txt").write_text(SOURCE, encoding="utf-8")
    _translate(tmp_path)
    catalog = polib.pofile(str(tmp_path / "doc.en.po"))
    for entry in catalog:
        if "fuzzy" in entry.flags and "origin: machine translation" in entry.comment:
            entry.comment += f"\n{FLAG}"
    catalog.save()


def test_retranslate_keeps_what_a_translator_typed_into_a_fuzzy_entry(tmp_path):
    _start(tmp_path)
    _edit(tmp_path, reviewed=False)
    stats = _translate(tmp_path, "--retranslate")
    entry = _entry(tmp_path)
    assert entry.msgstr == HUMAN and "fuzzy" in entry.flags  # the cache shows the engine gave other English
    lines = entry.comment.splitlines()
    assert "origin: edited (from machine translation pseudo/0.1.0)" in lines
    assert not any(line.startswith(("mt-check:", "origin: machine")) for line in lines)
    assert any("edited by a translator" in w for w in stats["warnings"])
    assert _entry(tmp_path, "section-2.s2").msgstr == "[zh:8]."  # the engine's own output: translated again

    # from now on it is the translator's: another --retranslate keeps it; signing it off says "reviewed"
    _translate(tmp_path, "--retranslate")
    assert _entry(tmp_path).msgstr == HUMAN
    catalog = polib.pofile(str(tmp_path / "doc.en.po"))
    catalog.find(CTX, by="msgctxt").flags = []
    catalog.save()
    (tmp_path / "doc.txt").write_text(SOURCE.replace("1亿元", "2亿元"), encoding="utf-8")
    _translate(tmp_path, "--retranslate")
    entry = _entry(tmp_path)
    assert entry.msgstr == HUMAN and entry.previous_msgid is not None
    assert "origin: reviewed (from machine translation pseudo/0.1.0)" in entry.comment.splitlines()


def test_without_the_cache_replaced_machine_output_survives_as_a_note(tmp_path):
    _start(tmp_path)
    machine = _edit(tmp_path, reviewed=False)
    _translate(tmp_path, "--retranslate", cache="other-cache")  # nothing can tell whether it was edited
    entry = _entry(tmp_path)
    assert entry.msgstr == machine and "fuzzy" in entry.flags
    assert entry.tcomment == f'earlier translation: "{HUMAN}"'
    assert _entry(tmp_path, "section-2.s2").tcomment == ""  # the same English again: nothing to keep


def test_reviewed_english_whose_source_changed_is_not_flagged_as_machine_output(tmp_path):
    _start(tmp_path)
    _edit(tmp_path, reviewed=True)
    (tmp_path / "doc.txt").write_text(SOURCE.replace("1亿元", "2亿元"), encoding="utf-8")
    first = _translate(tmp_path)
    entry = _entry(tmp_path)
    assert entry.msgstr == HUMAN and "fuzzy" in entry.flags
    assert entry.previous_msgid == "对年度进出口额首次超过1亿元的企业给予奖励。"
    lines = entry.comment.splitlines()
    assert "origin: reviewed (from machine translation pseudo/0.1.0)" in lines
    assert not any(line.startswith("mt-check:") for line in lines)
    assert first["flagged"] == 4  # the four machine sentences left, not the translator's

    report = _cli(tmp_path, "check", "doc.en.po", "--format", "json", ok=(0, 1))
    findings = [f for f in json.loads(report.stdout)["findings"] if f["ctx"] == CTX]
    assert {f["check"] for f in findings} >= {"fuzzy"} and "mt-check" not in {f["check"] for f in findings}
    fuzzy = next(f for f in findings if f["check"] == "fuzzy")
    assert fuzzy["message"] == "reviewed, source changed: re-review (fuzzy)"


def test_check_ignores_mt_check_lines_left_on_reviewed_english_by_earlier_versions(tmp_path):
    """A file written before the lines were dropped: ``check`` does not flag the human text."""
    _start(tmp_path)
    _edit(tmp_path, reviewed=True)
    catalog = polib.pofile(str(tmp_path / "doc.en.po"))
    entry = catalog.find(CTX, by="msgctxt")
    entry.flags = ["fuzzy"]
    entry.comment = entry.comment.replace("origin: machine translation (pseudo/0.1.0)",
                                          "origin: reviewed (from machine translation pseudo/0.1.0)")
    assert FLAG in entry.comment
    catalog.save()
    report = _cli(tmp_path, "check", "doc.en.po", "--format", "json", ok=(0, 1))
    checks = {f["check"]: f["message"] for f in json.loads(report.stdout)["findings"] if f["ctx"] == CTX}
    assert "mt-check" not in checks and checks["fuzzy"] == "reviewed, source changed: re-review (fuzzy)"
    stats = _translate(tmp_path)  # the next run drops them from the file
    assert "mt-check:" not in _entry(tmp_path).comment and stats["flagged"] == 4
