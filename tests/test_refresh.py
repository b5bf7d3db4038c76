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
