"""A changed glossary name reaches the PO file: untouched glossary renderings follow it, edits stay."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"
NEW = "Shanghai Municipal Commission of Transport"
OLD = "Shanghai Municipal Transport Commission (old name)"


def translate(glossary: Path, po: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilingual", "translate", str(SOURCE), "-o", str(po),
                           "--engine", "none", "--glossary", str(glossary), "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


def test_glossary_renderings_follow_the_glossary_and_edits_are_kept(tmp_path):
    glossary = tmp_path / "glossary"
    shutil.copytree(REPO / "glossary", glossary)
    orgs = glossary / "shanghai-organisations.csv"
    current = orgs.read_text(encoding="utf-8")
    assert current.count(NEW) >= 3
    orgs.write_text(current.replace(NEW, OLD), encoding="utf-8")
    po_path = tmp_path / "doc.en.po"
    assert translate(glossary, po_path).returncode == 0
    po = polib.pofile(str(po_path))
    by_ctx = {e.msgctxt: e for e in po}
    assert by_ctx["notice.issuer-3"].msgstr == OLD
    assert by_ctx["measure-8.agencies"].msgstr.startswith(f"({OLD}; ")
    # a reviewer rewrites one agency list by hand
    edited = "(Transport Commission; Shanghai Customs; SIPG)"
    by_ctx["measure-8.agencies"].msgstr = edited
    po.save(str(po_path))

    orgs.write_text(current, encoding="utf-8")  # the glossary changes back to the new name
    result = translate(glossary, po_path)
    assert result.returncode == 0, result.stderr
    by_ctx = {e.msgctxt: e for e in polib.pofile(str(po_path))}
    assert by_ctx["notice.issuer-3"].msgstr == NEW
    assert by_ctx["notice.signatory-3"].msgstr == NEW
    assert "fuzzy" not in by_ctx["notice.issuer-3"].flags
    assert by_ctx["measure-8.agencies"].msgstr == edited  # a person's edit is never overwritten
    untouched = [e for e in by_ctx.values() if e.msgctxt.endswith(".agencies") and "市交通委" in e.msgid
                 and e.msgctxt != "measure-8.agencies"]
    assert untouched and all(NEW in e.msgstr and OLD not in e.msgstr for e in untouched)
    # the kept edit is what check reports
    check = subprocess.run([sys.executable, "-m", "bilingual", "check", str(po_path), "--quiet"], cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 1 and "measure-8.agencies" in check.stdout


# --------------------------------------------------------------------------- the source changes

NINGBO = ("宁波市人民政府关于降低口岸收费的通知\n甬政发〔2025〕21号\n"
          "一、降低口岸收费。清理规范口岸收费。（市发展改革委、宁波海关）\n"
          "二、加强领导。各部门要落实责任。（市商务局）\n\n宁波市人民政府\n2025年4月1日\n")
CHANGED = (NINGBO.replace("21号", "22号").replace("2025年4月1日", "2025年4月3日")
           .replace("（市发展改革委、宁波海关）", "（市发展改革委、宁波海关、市商务局）"))


def test_renderings_of_a_changed_source_are_rendered_again_and_edits_are_kept(tmp_path):
    """The second outside test: a new document number, date or agency list kept the old
    rendering (fuzzy, published with [MT]); a rendering nobody edited follows the source."""
    from inproc import run_inprocess

    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    source, po_path = tmp_path / "nb.txt", tmp_path / "nb.en.po"
    source.write_text(NINGBO, encoding="utf-8")
    assert run_inprocess(["translate", "nb.txt", "-o", "nb.en.po", "--engine", "none"], env=env,
                         cwd=tmp_path).returncode == 0
    first = polib.pofile(str(po_path))
    source.write_text(CHANGED, encoding="utf-8")
    result = run_inprocess(["translate", "nb.txt", "-o", "nb.en.po", "--engine", "pseudo", "--retranslate"],
                           env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    by_ctx = {e.msgctxt: e for e in polib.pofile(str(po_path))}
    expected = {"notice.doc-number": "Yong Zheng Fa [2025] No. 22", "notice.date": "April 3, 2025",
                "section-1.agencies": "(Ningbo Municipal Development and Reform Commission; Ningbo Customs; "
                                      "Ningbo Municipal Bureau of Commerce)"}
    for ctx, english in expected.items():
        entry = by_ctx[ctx]
        assert (entry.msgstr, entry.flags, entry.previous_msgid) == (english, [], None), ctx
        assert any(line.startswith(("origin: rule", "origin: glossary")) for line in entry.comment.splitlines())
    built = run_inprocess(["build", "nb.en.po", "-f", "md", "-o", "nb.en.md"], env=env, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    text = (tmp_path / "nb.en.md").read_text(encoding="utf-8")
    assert "No. 22" in text and "April 3, 2025" in text and "No. 21" not in text

    # a person's edit of a rendering is theirs: the changed source makes it fuzzy, never replaces it
    first.find("甬政发〔2025〕21号", by="msgid").msgstr = "Ningbo Government Document [2025] No. 21"
    first.save(str(po_path))
    source.write_text(NINGBO.replace("21号", "22号"), encoding="utf-8")
    assert run_inprocess(["translate", "nb.txt", "-o", "nb.en.po", "--engine", "none"], env=env,
                         cwd=tmp_path).returncode == 0
    by_ctx = {e.msgctxt: e for e in polib.pofile(str(po_path))}
    kept = by_ctx["notice.doc-number"]
    assert (kept.msgstr, kept.flags, kept.previous_msgid) == ("Ningbo Government Document [2025] No. 21", ["fuzzy"],
                                                              "甬政发〔2025〕21号")
    assert by_ctx["notice.date"].msgstr == "April 1, 2025" and "fuzzy" not in by_ctx["notice.date"].flags
