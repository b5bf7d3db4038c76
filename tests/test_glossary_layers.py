"""Layered glossaries: a project's glossary/ on top of the built-in termbase (issue 20, item 2).

Most tests use a small built-in termbase of their own (``builtin_dir`` patched), so that
what wins, what follows and what is reported can be written by hand; the first test pins
where the real built-in termbase is found in a checkout (the wheel test, where it is found
in an installed package).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cliassert import one_line_error
from inproc import run_inprocess

from bilingual import glossary_layers
from bilingual.errors import BilingualError
from bilingual.glossary import COLUMNS, check_directory, load_glossary, load_left_to_mt, load_scoped

HEADER = ",".join(COLUMNS) + "\n"


def _rows(text: str) -> str:
    """CSV rows written as zh,en,kind,full_form,en_abbr,note,source, with evidence added: every
    organisation full form 'coined' (the evidence rule of glossary check), other rows none."""
    out = []
    for line in text.splitlines():
        cells = line.split(",")
        evidence = "coined" if cells[2] == "organisation" and not cells[3] else ""
        out.append(",".join(cells + [evidence, "", ""]) + "\n")
    return "".join(out)


BUILTIN_ORGS = HEADER + _rows(
    "上海海关,Shanghai Customs,organisation,,,Customs district of Shanghai.,GACC\n"
    "上海市商务委员会,Shanghai Municipal Commission of Commerce,organisation,,,Lead body.,sww.sh.gov.cn\n"
    "市商务委,Shanghai Municipal Commission of Commerce,organisation,上海市商务委员会,,Short form.,sww.sh.gov.cn\n"
    "市公安局,Shanghai Municipal Public Security Bureau,organisation,,,Police.,gaj.sh.gov.cn\n"
)
BUILTIN_GENERAL = HEADER + _rows("单一窗口,Single Window,regime,,,Generic single window.,UN/CEFACT\n")
BUILTIN_LEFT = "# quoted clauses left to MT\n两个clause | a clause, built-in reason\n"


@pytest.fixture
def builtin(tmp_path, monkeypatch) -> Path:
    """A small built-in termbase in place of the real one."""
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "shanghai-organisations.csv").write_text(BUILTIN_ORGS, encoding="utf-8")
    (folder / "general.csv").write_text(BUILTIN_GENERAL, encoding="utf-8")
    (folder / "left-to-mt.txt").write_text(BUILTIN_LEFT, encoding="utf-8")
    monkeypatch.setattr(glossary_layers, "builtin_dir", lambda: folder)
    monkeypatch.delenv("BILINGUAL_BUILTIN_GLOSSARY", raising=False)
    return folder


def _project(tmp_path, rows: str, name: str = "terms.csv") -> Path:
    folder = tmp_path / "project" / "glossary"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(HEADER + _rows(rows), encoding="utf-8")
    return folder


def test_in_a_checkout_the_builtin_termbase_is_the_repository_glossary(repo_root, monkeypatch):
    monkeypatch.delenv("BILINGUAL_BUILTIN_GLOSSARY", raising=False)
    assert os.path.samefile(glossary_layers.builtin_dir(), repo_root / "glossary")
    # the repository's own glossary/ is the built-in layer: one layer, not two
    (layer,) = glossary_layers.glossary_layers(repo_root / "glossary")
    assert layer.name == "built-in"
    assert load_glossary(None).terms == load_glossary(repo_root / "glossary").terms


def test_builtin_alone_without_a_project_folder(builtin):
    glossary = load_glossary(None)
    assert [layer.name for layer in glossary.layers] == ["built-in"]
    assert glossary.lookup("上海海关").en == "Shanghai Customs"
    assert glossary_layers.layer_of(glossary.lookup("单一窗口")) == "built-in"


def test_a_project_term_wins_and_adds(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n"
                                 "浦东新区,Pudong New Area,place,,,District.,pudong.gov.cn\n")
    glossary = load_glossary(project)
    assert [layer.name for layer in glossary.layers] == ["built-in", "project"]
    assert glossary.lookup("上海海关").en == "Shanghai Customs District"
    assert glossary.lookup("浦东新区").en == "Pudong New Area"
    assert glossary.lookup("市公安局").en == "Shanghai Municipal Public Security Bureau"
    assert [m.term.en for m in glossary.match("上海海关、市公安局")] == [
        "Shanghai Customs District", "Shanghai Municipal Public Security Bureau"]
    assert len([t for t in glossary.terms if t.zh == "上海海关"]) == 1
    (override,) = glossary.overrides
    assert (override.replaced.en, override.term.en) == ("Shanghai Customs", "Shanghai Customs District")
    assert glossary.version != load_glossary(None).version  # the MT cache keys on the layers


def test_check_reports_every_override_with_both_english_forms(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n"
                                 "单一窗口,Single Window,regime,,,Same English.,client\n")
    _terms, problems = check_directory(project)
    infos = sorted((Path(p.file).name, p.line, p.severity, p.code, p.message) for p in problems)
    assert infos == [  # the row that repeats the built-in English changes nothing: not listed
        ("terms.csv", 2, "info", "override", "上海海关: project 'Shanghai Customs District' overrides built-in "
                                             f"'Shanghai Customs' ({builtin / 'shanghai-organisations.csv'}:2)"),
    ]
    assert len(load_glossary(project).overrides) == 2  # … but it is an override all the same (lookup shows it)


def test_builtin_short_forms_follow_an_overridden_full_form(builtin, tmp_path):
    project = _project(tmp_path, "上海市商务委员会,Shanghai Commerce Commission,organisation,,,Client name.,client\n")
    glossary = load_glossary(project)  # would refuse to load if 市商务委 kept the old English
    short = glossary.lookup("市商务委")
    assert glossary.english(short) == "Shanghai Commerce Commission" and short.en == "Shanghai Commerce Commission"
    _terms, problems = check_directory(project)
    assert not [p for p in problems if p.severity in ("error", "warning")]
    (follows,) = [p for p in problems if "follows" in p.message]
    assert (Path(follows.file).name, follows.line) == ("shanghai-organisations.csv", 4)
    assert "'Shanghai Municipal Commission of Commerce'" in follows.message


def test_a_project_short_form_of_a_builtin_full_form(builtin, tmp_path):
    project = _project(tmp_path, "海关,Shanghai Customs,organisation,上海海关,,Short form in our texts.,client\n")
    glossary = load_glossary(project)
    assert glossary.english(glossary.lookup("海关")) == "Shanghai Customs"
    wrong = _project(tmp_path, "沪关,Customs of Shanghai,organisation,上海海关,,Short form.,client\n", "more.csv")
    _terms, problems = check_directory(wrong)
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.code == "abbreviation" and Path(error.file).name == "more.csv"
    with pytest.raises(BilingualError, match="glossary has errors"):
        load_glossary(wrong)


def test_glossary_files_select_in_every_layer(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n",
                       "client-style.csv")
    without = load_scoped(project, ["shanghai-*", "general"])
    assert without.lookup("上海海关").en == "Shanghai Customs"  # the project file is not selected
    assert without.lookup("单一窗口") is not None
    with_style = load_scoped(project, ["shanghai-*", "client-*"])
    assert with_style.lookup("上海海关").en == "Shanghai Customs District"
    assert with_style.lookup("单一窗口") is None
    with pytest.raises(BilingualError, match="match no file"):
        load_scoped(project, ["tianjin-*"])


def test_left_to_mt_entries_of_both_layers(builtin, tmp_path):
    project = _project(tmp_path, "")
    (project / "left-to-mt.txt").write_text("两个clause | project reason\n一个句子 | one-off\n", encoding="utf-8")
    assert load_left_to_mt(project) == {"两个clause": "project reason", "一个句子": "one-off"}
    assert load_left_to_mt(load_glossary(project)) == load_left_to_mt(project)
    assert load_left_to_mt(None) == {"两个clause": "a clause, built-in reason"}


def test_the_builtin_layer_can_be_switched_off(builtin, tmp_path, monkeypatch):
    project = _project(tmp_path, "浦东新区,Pudong New Area,place,,,District.,pudong.gov.cn\n")
    assert load_glossary(project, builtin=False).lookup("上海海关") is None
    monkeypatch.setenv("BILINGUAL_BUILTIN_GLOSSARY", "0")
    assert [layer.name for layer in load_glossary(project).layers] == ["project"]
    assert load_glossary(project, builtin=True).lookup("上海海关") is not None  # the config's word wins
    with pytest.raises(BilingualError, match="switched off"):
        load_glossary(None)


# --------------------------------------------------------------------------- the commands


def test_lookup_names_the_layer_and_what_it_overrides(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n")
    cwd = project.parent
    result = run_inprocess(["glossary", "lookup", "上海海关", "--format", "json"], cwd=cwd)
    (row,) = json.loads(result.stdout)
    assert (row["layer"], row["english"], row["overrides"]) == ("project", "Shanghai Customs District",
                                                                "Shanghai Customs")
    result = run_inprocess(["glossary", "lookup", "市公安局", "--quiet"], cwd=cwd)
    header, line = result.stdout.splitlines()
    assert dict(zip(header.split("\t"), line.split("\t"), strict=True))["layer"] == "built-in"
    empty = tmp_path / "empty"
    empty.mkdir()  # no glossary folder at all: the built-in termbase alone
    (row,) = json.loads(run_inprocess(["glossary", "lookup", "上海海关", "--json"], cwd=empty).stdout)
    assert (row["layer"], row["english"]) == ("built-in", "Shanghai Customs")


def test_glossary_check_passes_with_overrides_even_strictly(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n")
    result = run_inprocess(["glossary", "check", "--strict", "--quiet"], cwd=project.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "glossary/terms.csv:2: info: 上海海关: project 'Shanghai Customs District' overrides built-in "
        f"'Shanghai Customs' ({builtin / 'shanghai-organisations.csv'}:2) [override]"]
    assert "1 override(s) of the built-in termbase" in result.stderr
    # the evidence counted is the project's (its one row, no evidence source: coined), not the termbase's hundreds
    assert "organisation evidence of this project's rows: 0 checked, 0 unverified, 1 coined" in result.stderr


def test_missing_folders_the_user_named_are_one_line_errors(builtin, tmp_path):
    missing = tmp_path / "nope"
    one_line_error(run_inprocess(["glossary", "lookup", "上海海关", "--glossary", missing]), missing,
                   "glossary directory not found")
    (tmp_path / "bilingual.toml").write_text('[defaults]\nglossary = "terms"\n', encoding="utf-8")
    one_line_error(run_inprocess(["glossary", "check"], cwd=tmp_path), "terms", "glossary directory not found")
    (tmp_path / "bilingual.toml").write_text('[defaults]\nbuiltin_glossary = "no"\n', encoding="utf-8")
    one_line_error(run_inprocess(["glossary", "check"], cwd=tmp_path), "bilingual.toml",
                   "builtin_glossary must be true or false")


def test_translate_with_layers_and_per_document_files(builtin, tmp_path):
    project = _project(tmp_path, "上海海关,Shanghai Customs District,organisation,,,House style.,client\n",
                       "client-style.csv")
    root = project.parent
    text = ("上海市商务委员会关于印发推进通关便利化若干措施的通知\n\n各有关单位：\n\n现将有关措施印发给你们。\n\n"
            "一、优化通关\n\n（一）推进改革。（上海海关、市公安局）\n")  # a Shanghai issuer: its short forms apply
    (root / "a.zh.txt").write_text(text, encoding="utf-8")
    (root / "b.zh.txt").write_text(text, encoding="utf-8")
    (root / "bilingual.toml").write_text(
        '[defaults]\nengine = "none"\n\n'
        '[[document]]\nname = "a"\nsource = "a.zh.txt"\npo = "a.en.po"\n\n'
        '[[document]]\nname = "b"\nsource = "b.zh.txt"\npo = "b.en.po"\n'
        'glossary_files = ["shanghai-*"]\n', encoding="utf-8")
    result = run_inprocess(["translate", "--config", "bilingual.toml", "--quiet"], cwd=root,
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    import polib

    def agencies(po):
        (entry,) = [e for e in polib.pofile(str(root / po)) if e.msgctxt.endswith(".agencies")]
        return entry.msgstr

    assert agencies("a.en.po") == "(Shanghai Customs District; Shanghai Municipal Public Security Bureau)"
    assert agencies("b.en.po") == "(Shanghai Customs; Shanghai Municipal Public Security Bureau)"
