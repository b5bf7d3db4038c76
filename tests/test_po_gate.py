"""The gate accepts exactly what msgfmt accepts, and compares name lists whole (issue 11, items 17 and 20).

A corpus of broken PO files, each one damage a translator's editor, a merge tool
or a careless hand makes, is generated from one valid file in the project's
format. On every file, ``bilingual check``'s verdict (an error of a check msgfmt
also makes: :data:`bilingual.check.GETTEXT_CHECKS`) equals ``msgfmt --check``'s
exit status. gettext is installed by ``.ci/run``: a missing msgfmt fails, loudly.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from pofactory import REPO_ROOT, make_catalog, write_po

from bilingual.check import ERROR, GETTEXT_CHECKS, check_catalog, check_files
from bilingual.glossary import load_glossary

MSGFMT = shutil.which("msgfmt")
ENTRY = 'msgctxt "measure-8.s1"\nmsgid "优化上海港物流运输网络。"\nmsgstr "Optimise the logistics and transport network of Shanghai Port."\n'
PLURAL = ('msgctxt "site.count"\nmsgid "{n} measure"\nmsgid_plural "{n} measures"\nmsgstr[0] "{n} measure"\n'
          'msgstr[1] "{n} measures"\n')


def replace(old: str, new: str):
    def damage(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return damage


def append(extra: str):
    return lambda text: text + "\n" + extra


# name → (damage, msgfmt rejects it?)
CORPUS = {
    "valid": (lambda t: t, False),
    "lost-msgstr-keyword": (replace('msgstr "Optimise the logistics', '"Optimise the logistics'), True),
    "deleted-msgstr-line": (replace('msgstr "Optimise the logistics and transport network of Shanghai Port."\n', ""),
                            True),
    "comment-between-msgid-and-msgstr": (replace('msgid "优化上海港物流运输网络。"\n',
                                                 'msgid "优化上海港物流运输网络。"\n# checked\n'), True),
    "comment-between-msgctxt-and-msgid": (replace('msgctxt "measure-8.s1"\n', 'msgctxt "measure-8.s1"\n#. x\n'), True),
    "blank-line-inside-entry": (replace('msgid "优化上海港物流运输网络。"\n', 'msgid "优化上海港物流运输网络。"\n\n'), False),
    "invalid-escape-q": (replace("Shanghai Port.", "Shanghai\\q Port."), True),
    "invalid-escape-quote": (replace("Shanghai Port.", "Shanghai\\' Port."), True),
    "invalid-escape-hex": (replace("Shanghai Port.", "Shanghai\\xzz Port."), True),
    "valid-escapes": (replace("Shanghai Port.", "Shanghai \\x41\\101\\t Port.\\\\"), False),
    "unterminated-string": (replace('Shanghai Port."', "Shanghai Port."), True),
    "unknown-keyword": (replace('msgstr "Optimise', 'msgstrr "Optimise'), True),
    "junk-after-string": (replace('Shanghai Port."', 'Shanghai Port." ok'), True),
    "stray-string-after-comment": (append('# note\n"stray"\n'), True),
    "two-msgstr": (replace('Shanghai Port."\n', 'Shanghai Port."\nmsgstr "again"\n'), True),
    "msgctxt-without-msgid": (append('msgctxt "x"\n'), True),
    "active-duplicated-by-obsolete": (append(ENTRY.replace("msgctxt", "#~ msgctxt").replace("\nmsgid", "\n#~ msgid")
                                             .replace("\nmsgstr", "\n#~ msgstr")), True),
    "duplicate-active": (append(ENTRY), True),
    "obsolete-without-msgstr": (append('#~ msgctxt "old"\n#~ msgid "旧句子。"\n'), True),
    "inconsistent-obsolete": (append('#~ msgctxt "old"\n#~ msgid "旧句子。"\nmsgstr "Old."\n'), True),
    "previous-msgctxt-without-msgid": (append('#| msgctxt "x"\nmsgctxt "p"\nmsgid "新句子。"\nmsgstr ""\n'), True),
    "flags-after-previous": (append('#| msgid "旧"\n#, fuzzy\nmsgctxt "p"\nmsgid "新句子。"\nmsgstr "New."\n'), True),
    "previous-fields-fine": (append('#, fuzzy\n#| msgid "旧"\nmsgctxt "p"\nmsgid "新句子。"\nmsgstr "New."\n'), False),
    "plural-complete": (append(PLURAL), False),
    "plural-without-msgstr-1": (append(PLURAL.replace('msgstr[1] "{n} measures"\n', "")), True),
    "plural-three-forms": (append(PLURAL + 'msgstr[2] "{n} measures"\n'), True),
    "plural-wrong-index": (append(PLURAL.replace("msgstr[1]", "msgstr[2]")), True),
    "plural-form-without-msgid-plural": (append('msgctxt "q"\nmsgid "one"\nmsgstr[0] "one"\n'), True),
    "msgid-plural-with-plain-msgstr": (append('msgctxt "q"\nmsgid "one"\nmsgid_plural "many"\nmsgstr "x"\n'), True),
    "fuzzy-plural-incomplete": (append("#, fuzzy\n" + PLURAL.replace('msgstr[1] "{n} measures"\n', "")), False),
    "byte-order-mark": (lambda t: "\ufeff" + t, True),
    "crlf-line-ends": (lambda t: t.replace("\n", "\r\n"), False),
    "no-header": (lambda t: t[t.index("\n\n") + 2:], True),
    "newline-mismatch": (replace("Shanghai Port.", "Shanghai Port.\\n"), True),
    "newline-mismatch-fuzzy": (lambda t: replace('msgctxt "measure-8.s1"', '#, fuzzy\nmsgctxt "measure-8.s1"')(
        replace("Shanghai Port.", "Shanghai Port.\\n")(t)), False),  # msgfmt does not check fuzzy entries
}


def msgfmt_rejects(path) -> bool:
    assert MSGFMT, "msgfmt (GNU gettext) is not installed: .ci/run installs it (apt-get install gettext)"
    return subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


@pytest.mark.parametrize("name", list(CORPUS))
def test_check_and_msgfmt_agree_on_every_file_of_the_corpus(tmp_path, name):
    damage, rejected = CORPUS[name]
    base = write_po(tmp_path / "base.po", make_catalog()).read_text(encoding="utf-8")
    assert ENTRY in base
    path = tmp_path / f"{name}.po"
    path.write_bytes(damage(base).encode("utf-8"))
    assert msgfmt_rejects(path) is rejected, name  # the corpus says what msgfmt does
    findings = check_files([path])
    verdict = any(f.severity == ERROR and f.check in GETTEXT_CHECKS for f in findings)
    assert verdict is rejected, [f.message for f in findings]


def test_an_mo_file_is_named_as_such(tmp_path, run_cli):
    po = write_po(tmp_path / "doc.en.po", make_catalog())
    mo = tmp_path / "doc.en.mo"
    subprocess.run([MSGFMT or "msgfmt", "-o", str(mo), str(po)], check=True)
    [finding] = check_files([mo])
    assert finding.check == "syntax" and "compiled MO file, not a PO file" in finding.message
    result = run_cli(["translate", REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt",
                      "--engine", "none", "-o", mo])
    assert result.returncode == 2 and "compiled MO file" in result.stderr
    assert mo.read_bytes()[:4] == b"\xde\x12\x04\x95"


def test_translate_refuses_an_invalid_escape_instead_of_rewriting_it(tmp_path, run_cli):
    source = tmp_path / "source.zh.txt"
    shutil.copy(REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    po = tmp_path / "doc.en.po"
    assert run_cli(["translate", source, "--engine", "none", "-o", po]).returncode == 0
    text = po.read_text(encoding="utf-8").replace('msgstr "June 27, 2025"', 'msgstr "June 27\\q 2025"')
    po.write_text(text, encoding="utf-8")
    result = run_cli(["translate", source, "--engine", "none", "-o", po])
    assert result.returncode == 2 and "invalid control sequence '\\\\q'" in result.stderr, result.stderr
    assert po.read_text(encoding="utf-8") == text  # not "fixed" into \\q behind the translator's back


# --------------------------------------------------------------------------- item 20: name lists, whole


AGENCIES = "measure-1.agencies"  # （上海海关）


@pytest.mark.parametrize("wrong", ["(Shanghai Customs District)", "(Shanghai Customs Bureau)", "(shanghai customs)",
                                   "(Shanghai Customs; Shanghai Municipal Commission of Commerce)",
                                   "(Shanghai Customs, Shanghai Maritime Safety Administration)", "Shanghai Customs"])
def test_a_reviewed_agency_list_must_be_the_glossary_rendering_name_by_name(wrong):
    glossary = load_glossary(REPO_ROOT / "glossary")
    right = [f for f in check_catalog(make_catalog(), glossary) if f.ctx == AGENCIES]
    assert right == []
    findings = [f for f in check_catalog(make_catalog(override={AGENCIES: wrong}), glossary) if f.ctx == AGENCIES]
    assert [(f.check, f.severity) for f in findings if f.check == "names"] == [("names", ERROR)]
    assert "'(Shanghai Customs)'" in findings[0].message and "glossary" in findings[0].message


def test_name_lists_of_the_masthead_and_signatories_are_compared_whole_too():
    glossary = load_glossary(REPO_ROOT / "glossary")
    po = make_catalog(override={"notice.issuer-2": "Shanghai Customs District",
                                "notice.signatory-2": "Shanghai Customs (GACC)",
                                "measure-2.agencies": "(Shanghai Municipal Public Security Bureau; Shanghai Customs)"})
    changed = {"notice.issuer-2", "notice.signatory-2", "measure-2.agencies"}
    before = {f.ctx for f in check_catalog(make_catalog(), glossary) if f.check == "names"}
    after = {f.ctx for f in check_catalog(po, glossary) if f.check == "names"}
    assert not before & changed and after - before == changed


def test_the_pipelines_own_rendering_passes_the_name_check(tmp_path, run_cli):
    source = tmp_path / "source.zh.txt"
    shutil.copy(REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    po = tmp_path / "doc.en.po"
    assert run_cli(["translate", source, "--engine", "none", "-o", po]).returncode == 0
    findings = json.loads(run_cli(["check", po, "--format", "json"]).stdout)["findings"]
    assert not [f for f in findings if f["check"] == "names"]
