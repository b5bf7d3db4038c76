"""Translation memory: exact matches reviewed, close matches fuzzy with a score, MT only for the rest."""

import json
import shutil

import polib

from bilingual.memory import FUZZY_THRESHOLD, TranslationMemory, normalise, read_tmx

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="PO"
 adminlang="en" srclang="zh" datatype="plaintext"/><body>
<tu tuid="measure-3.s1"><tuv xml:lang="zh"><seg>优化国际邮轮药械供船服务。</seg></tuv>
<tuv xml:lang="en"><seg>Optimise the supply of medicines and medical devices to international cruise ships.</seg></tuv></tu>
<tu tuid="measure-7.s1"><tuv xml:lang="zh-CN"><seg>提升海事监管信息化水平。</seg></tuv>
<tuv xml:lang="en-US"><seg>Raise the level of IT in maritime supervision.</seg></tuv></tu>
</body></tmx>
"""


def test_normalise_ignores_width_and_spaces():
    assert normalise("上海口岸 2025 年（一）") == normalise("上海口岸２０２５年(一)")


def test_exact_and_fuzzy_lookup(tmp_path):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    memory = TranslationMemory.load([tmx])
    assert len(memory) == 2 and len(read_tmx(tmx)) == 2
    exact = memory.lookup("优化国际邮轮药械供船服务。 ")
    assert not exact.fuzzy and exact.text.startswith("Optimise the supply")
    assert "memory.tmx (exact match)" in exact.comments[0]
    close = memory.lookup("进一步提升海事监管信息化水平。")
    assert close.fuzzy and FUZZY_THRESHOLD <= close.score < 100
    assert close.text == "Raise the level of IT in maritime supervision."
    assert memory.lookup("支持国际中转集拼业务发展。") is None


def test_translate_with_tm_fills_reviewed_and_fuzzy(run_cli, repo_root, tmp_path):
    tmx = tmp_path / "tm" / "memory.tmx"
    tmx.parent.mkdir()
    tmx.write_text(TMX, encoding="utf-8")
    source = tmp_path / "doc" / "source.zh.txt"
    source.parent.mkdir()
    text = (repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    source.write_text(text.replace("提升海事监管信息化水平。", "进一步提升海事监管信息化水平。"), encoding="utf-8")
    po_path = tmp_path / "doc.en.po"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_cli(["translate", source, "--engine", "pseudo", "-o", po_path, "--tm", tmx.parent,
                      "--format", "json"], env=env)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["memory"] == 2
    assert stats["machine"] == stats["segments"] - stats["rendered"] - stats["suspect_names"] - 2
    po = polib.pofile(str(po_path))
    exact = po.find("measure-3.s1", by="msgctxt")
    assert not exact.fuzzy and exact.msgstr.startswith("Optimise the supply")
    assert "origin: translation memory memory.tmx (exact match)" in exact.comment
    close = po.find("measure-7.s1", by="msgctxt")
    assert close.fuzzy and "fuzzy match" in close.comment and close.msgstr.startswith("Raise the level")


def test_reviewed_po_files_serve_as_memory(run_cli, repo_root, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    source = tmp_path / "a" / "source.zh.txt"
    source.parent.mkdir()
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    first = tmp_path / "first.en.po"
    assert run_cli(["translate", source, "--engine", "pseudo", "-o", first], env=env).returncode == 0
    po = polib.pofile(str(first))
    entry = po.find("measure-9.s1", by="msgctxt")
    entry.msgstr, entry.flags = "Support the development of international transshipment consolidation.", []
    po.save(str(first))
    second = tmp_path / "second.en.po"
    result = run_cli(["translate", source, "--engine", "none", "-o", second, "--tm", first], env=env)
    assert result.returncode == 0, result.stderr
    reused = polib.pofile(str(second)).find("measure-9.s1", by="msgctxt")
    assert reused.msgstr == entry.msgstr and not reused.fuzzy
