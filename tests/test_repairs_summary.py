"""A run says what ingest mended in each source (README, "Documents as users get them"): a reviewer
who sees "3 emoji" or "120 page-break" knows to look at the source's extraction, not only the
English. Counted by kind in the JSON summary, said in one line under the table on a terminal, and
kept for a document the next run skips as unchanged."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from bilingual.preparation import repair_counts

REPO = Path(__file__).resolve().parent.parent

# One repair of each kind below, on lines of their own: a zero-width space inside 单一窗口 (it would
# keep the term from the glossary), an emoji a mirror site put after a place name, and a Kangxi
# radical ⼆ (U+2F06) that PDF extraction leaves for the numeral 二 of a heading.
SOURCE = (
    "关于进一步优化口岸营商环境的若干措施\n\n"
    "一、总体要求\n\n"
    "（一）加强单一\u200b窗口建设，提升通关效率。\n\n"
    "（二）山西省\U0001f68d、天津市商务局负责推进。\n\n"
    "\u2f06、保障措施\n\n"
    "（一）加强组织领导。\n"
)
EXPECTED = {"emoji": 1, "invisible": 1, "look-alike": 1}


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(tmp_path / "cache"), COLUMNS="160")
    for name in ("CI", "GITHUB_ACTIONS"):
        env.pop(name, None)
    return env


def _translate(tmp_path: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    source = tmp_path / "doc.zh.txt"
    if not source.exists():
        source.write_text(SOURCE, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "bilingual", "translate", str(source), "--engine", "none",
                           "-o", str(tmp_path / "doc.en.po"), *extra], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_the_json_summary_counts_each_kind_of_repair_and_a_skipped_rerun_keeps_them(tmp_path):
    first = _translate(tmp_path, "--format", "json")
    assert first.returncode == 0, first.stderr
    [stats] = json.loads(first.stdout)
    assert stats["repairs"] == EXPECTED and stats["written"]

    again = _translate(tmp_path, "--format", "json")
    [stats] = json.loads(again.stdout)
    assert stats["skipped"] and stats["repairs"] == EXPECTED


def test_a_clean_source_reports_no_repairs(tmp_path):
    (tmp_path / "doc.zh.txt").write_text(SOURCE.replace("\u200b", "").replace("\U0001f68d", "")
                                         .replace("\u2f06", "二"), encoding="utf-8")
    [stats] = json.loads(_translate(tmp_path, "--format", "json").stdout)
    assert stats["repairs"] == {}


def test_a_terminal_is_told_in_one_line_under_the_table(tmp_path):
    (tmp_path / "doc.zh.txt").write_text(SOURCE, encoding="utf-8")
    master, slave = pty.openpty()
    command = [sys.executable, "-m", "bilingual", "translate", str(tmp_path / "doc.zh.txt"), "--engine", "none",
               "-o", str(tmp_path / "doc.en.po")]
    with subprocess.Popen(command, cwd=tmp_path, env=_env(tmp_path), stdout=slave, stderr=subprocess.PIPE) as process:
        os.close(slave)
        screen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
    os.close(master)
    text = screen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "doc: source repaired: 1 emoji, 1 invisible, 1 look-alike" in text

    piped = _translate(tmp_path, "--no-state")  # not a terminal: the one tab-separated line per document only
    assert "source repaired" not in piped.stdout and len(piped.stdout.splitlines()) == 2


def test_repairs_are_counted_by_kind_in_a_stable_order():
    repairs = [(3, "wrap"), (9, "page-break"), (4, "wrap"), (12, "emoji"), (20, "wrap")]
    assert list(repair_counts(repairs).items()) == [("emoji", 1), ("page-break", 1), ("wrap", 3)]
    assert repair_counts([]) == {}
