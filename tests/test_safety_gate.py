"""The QA gate cannot be fooled by a file that lost its entries (issue 11, second round).

Each test replays one reproduction of the attack report through the CLI in the test
process (``inproc.run_inprocess``): same ``main()``, exit codes and one-line errors.
"""

from __future__ import annotations

import json

import pytest
from inproc import run_inprocess

DOC = "shanghai-port-2025"


def bilingual(tmp_path, *args):
    return run_inprocess(args, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}, cwd=tmp_path)


@pytest.fixture
def project(tmp_path, repo_root):
    """The shipped source and PO file, and a config naming them."""
    folder = repo_root / "translations" / DOC
    (tmp_path / "source.zh.txt").write_bytes((folder / "source.zh.txt").read_bytes())
    (tmp_path / "doc.en.po").write_bytes((folder / f"{DOC}.en.po").read_bytes())
    (tmp_path / "bilingual.toml").write_text(
        f'[[document]]\nname = "{DOC}"\nsource = "source.zh.txt"\npo = "doc.en.po"\n', encoding="utf-8")
    return tmp_path


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


# --------------------------------------------------------------------------- 4: nothing to check is no pass


def test_a_header_only_po_fails_check_strict_and_is_not_published(project):
    po = project / "doc.en.po"
    header = po.read_text(encoding="utf-8").split("\n\n")[0] + "\n"
    (project / "hdr.en.po").write_text(header, encoding="utf-8")
    strict = bilingual(project, "check", "--strict", "hdr.en.po", "--format", "json")
    assert strict.returncode == 1
    assert [(f["severity"], f["check"]) for f in findings(strict)] == [("error", "empty")]
    lenient = bilingual(project, "check", "hdr.en.po", "--format", "json")
    assert lenient.returncode == 0 and [f["check"] for f in findings(lenient)] == ["empty"]
    build = bilingual(project, "build", "hdr.en.po", "--reviewed-only", "-f", "md", "-o", "-")
    assert build.returncode == 2 and "no entries" in build.stderr and not build.stdout


def test_check_config_compares_the_po_file_with_its_source(project):
    po = project / "doc.en.po"
    whole = bilingual(project, "check", "--config", "bilingual.toml", "--format", "json")
    assert not [f for f in findings(whole) if f["check"] == "source"]

    blocks = po.read_text(encoding="utf-8").split("\n\n")
    lost = next(b for b in blocks if 'msgctxt "measure-3.s2"' in b)
    po.write_text("\n\n".join(b for b in blocks if b is not lost), encoding="utf-8")
    result = bilingual(project, "check", "--config", "bilingual.toml", "--format", "json")
    [source] = [f for f in findings(result) if f["check"] == "source"]
    assert result.returncode == 1 and source["severity"] == "error" and "measure-3.s2" in source["message"]

    po.write_text(blocks[0] + "\n", encoding="utf-8")  # the header alone: every sentence is missing
    result = bilingual(project, "check", "--config", "bilingual.toml", "--strict", "--format", "json")
    [source] = [f for f in findings(result) if f["check"] == "source"]
    assert result.returncode == 1 and source["message"].startswith("159 of the 159 sentences")


def test_cr_only_line_ends_are_refused_by_check_and_translate_with_one_line(project):
    po = project / "doc.en.po"
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r"))
    before = po.read_bytes()
    for args in (["check", "--strict", "doc.en.po"],
                 ["translate", "source.zh.txt", "-o", "doc.en.po", "--engine", "none", "--name", DOC]):
        result = bilingual(project, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and "CR-only line ends" in result.stderr and "doc.en.po" in result.stderr
    assert po.read_bytes() == before


# --------------------------------------------------------------------------- 22: mistakes named


@pytest.mark.parametrize("toml, message", [
    ('[defaults]\nglosary = "glossary"\n', "unknown key 'glosary' in [defaults] (did you mean 'glossary'?)"),
    ('[[document]]\nsource = "source.zh.txt"\nbulid = ["md"]\n',
     "unknown key 'bulid' in [[document]] (did you mean 'build'?)"),
    ('[[documents]]\nsource = "source.zh.txt"\n', "unknown key 'documents' (did you mean 'document'?)"),
])
def test_a_misspelt_config_key_is_an_error_naming_it(project, toml, message):
    (project / "bilingual.toml").write_text(f'[[document]]\nsource = "source.zh.txt"\npo = "doc.en.po"\n{toml}',
                                            encoding="utf-8")
    before = (project / "doc.en.po").read_bytes()
    for command in (["translate", "--config", "bilingual.toml", "--engine", "none"],
                    ["check", "--config", "bilingual.toml"], ["build", "--config", "bilingual.toml"]):
        result = bilingual(project, *command)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "bilingual.toml" in result.stderr and message in result.stderr
    assert (project / "doc.en.po").read_bytes() == before


@pytest.mark.parametrize("toml, message", [
    ('[[document]]\nname = 3\nsource = "source.zh.txt"\n', "[[document]] #2: name must be a non-empty string (found 3)"),
    ('[[document]]\nsource = ["source.zh.txt"]\n', "[[document]] #2: source must be a non-empty string"),
    ('[[document]]\nsource = "source.zh.txt"\npo = 5\n', "[[document]] #2: po must be a non-empty string"),
    ('[[document]]\nsource = "source.zh.txt"\nencoding = 5\n', "encoding must be a non-empty string"),
    ('[[document]]\nsource = "source.zh.txt"\nbuild = "md"\n', "build must be a list of formats"),
    ('[defaults]\nglossary = 1\n', "[defaults] glossary must be a string (found 1)"),
    ('[defaults]\nurl = 5\n', "[defaults] url must be a string (found 5)"),
    ('[defaults]\nengine = "psuedo"\n', "[defaults] engine: unknown engine 'psuedo'"),
])
def test_a_config_value_of_the_wrong_type_is_one_line_naming_it(project, toml, message):
    """A careless edit of bilingual.toml (a number for a name, a list for a source) was a traceback
    (exit 1); it is one line naming the file and the key, exit 2, nothing written."""
    from cliassert import one_line_error

    (project / "bilingual.toml").write_text(f'[[document]]\nsource = "source.zh.txt"\npo = "doc.en.po"\n{toml}',
                                            encoding="utf-8")
    before = (project / "doc.en.po").read_bytes()
    for command in (["translate", "--config", "bilingual.toml", "--engine", "none"],
                    ["check", "--config", "bilingual.toml"], ["build", "--config", "bilingual.toml"]):
        one_line_error(bilingual(project, *command), "bilingual.toml", message)
    assert (project / "doc.en.po").read_bytes() == before


def test_two_documents_writing_one_po_file_are_both_named(project):
    (project / "other.zh.txt").write_bytes((project / "source.zh.txt").read_bytes())
    (project / "bilingual.toml").write_text(
        '[[document]]\nname = "port"\nsource = "source.zh.txt"\npo = "doc.en.po"\n'
        '[[document]]\nname = "port-copy"\nsource = "other.zh.txt"\npo = "./doc.en.po"\n', encoding="utf-8")
    result = bilingual(project, "translate", "--config", "bilingual.toml", "--engine", "none")
    assert result.returncode == 2 and "two documents would write the same PO file" in result.stderr
    assert "'port' (" in result.stderr and "'port-copy' (" in result.stderr and "other.zh.txt" in result.stderr


def test_two_documents_with_one_name_are_refused_when_the_config_is_read(project):
    """The second outside test: same ``name``, different PO files went through ``translate``
    and failed later (the build's outputs and the memory's tuids collide)."""
    from cliassert import one_line_error

    (project / "other.zh.txt").write_bytes((project / "source.zh.txt").read_bytes())
    (project / "bilingual.toml").write_text(
        '[[document]]\nname = "port"\nsource = "source.zh.txt"\npo = "doc.en.po"\n'
        '[[document]]\nname = "Port"\nsource = "other.zh.txt"\npo = "other.en.po"\n', encoding="utf-8")
    before = (project / "doc.en.po").read_bytes()
    for command in (["translate", "--config", "bilingual.toml", "--engine", "pseudo"],
                    ["build", "--config", "bilingual.toml"], ["check", "--config", "bilingual.toml"]):
        one_line_error(bilingual(project, *command), "bilingual.toml", "#1 (source.zh.txt) and #2 (other.zh.txt)",
                       "same name 'port'")
    assert (project / "doc.en.po").read_bytes() == before and not (project / "other.en.po").exists()


def test_check_on_a_source_document_says_it_is_not_a_po_file(project):
    result = bilingual(project, "check", "source.zh.txt")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "source.zh.txt" in result.stderr and "not a PO file" in result.stderr


def test_a_folder_given_as_source_is_named_as_such(project):
    """``source = "translations/b"`` (the folder, not the file in it) was refused as "b.en.po: is also
    an input of this command": the folder's files counted as inputs, so the message blamed the PO file."""
    from cliassert import one_line_error

    folder = project / "docs"
    folder.mkdir()
    (folder / "doc.en.po").write_bytes((project / "doc.en.po").read_bytes())
    (project / "bilingual.toml").write_text('[[document]]\nsource = "docs"\npo = "docs/doc.en.po"\n', encoding="utf-8")
    before = (folder / "doc.en.po").read_bytes()
    for command in (["translate", "--config", "bilingual.toml", "--engine", "none"],
                    ["translate", "docs", "-o", "docs/doc.en.po", "--engine", "none"]):
        line = one_line_error(bilingual(project, *command), "docs: is a directory, not a file")
        assert "doc.en.po" not in line
    assert (folder / "doc.en.po").read_bytes() == before
