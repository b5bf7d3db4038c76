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
    exact = memory.lookup("优化国际邮轮药械供船服务。 ", context="measure-3.s1")
    assert not exact.fuzzy and exact.text.startswith("Optimise the supply")
    assert "memory.tmx (exact match)" in exact.comments[0]
    # the same sentence elsewhere (another place, no document in common) is only a proposal
    elsewhere = memory.lookup("优化国际邮轮药械供船服务。", context="measure-9.s1", document="other-doc")
    assert elsewhere.fuzzy and elsewhere.text == exact.text and "another place: measure-3.s1" in elsewhere.comments[0]
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


# --------------------------------------------------------------------------- TMX from CAT tools

CAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="SDL Language Platform" creationtoolversion="8.1" segtype="sentence"
 o-tmf="SDL TM8 Format" adminlang="en-US" srclang="zh-CN" datatype="xml"/><body>
<tu tuid="17" creationid="reviewer"><tuv xml:lang="zh-CN"><seg>点击<bpt i="1" x="1">&lt;b&gt;</bpt>提交<ept i="1">&lt;/b&gt;</ept>完成申报。</seg></tuv>
<tuv xml:lang="en-US"><seg>Click <bpt i="1" x="1">&lt;b&gt;</bpt>Submit<ept i="1">&lt;/b&gt;</ept> to complete the declaration.</seg></tuv></tu>
<tu tuid="18"><tuv xml:lang="zh-Hans"><seg>详见附件<ph x="2">&lt;img src="a.png"/&gt;</ph>。</seg></tuv>
<tuv xml:lang="en-GB"><seg>See the attachment<ph x="2">&lt;img src="a.png"/&gt;</ph>.</seg></tuv>
<tuv xml:lang="EN"><seg>See the attachment.</seg></tuv></tu>
<tu tuid="19"><tuv xml:lang="ZH_cn"><seg>进一步<it pos="begin" x="3">&lt;i&gt;</it>优化<hi type="b">营商环境</hi>。</seg></tuv>
<tuv xml:lang="en_GB"><seg><it pos="begin" x="3">&lt;i&gt;</it>Further optimise the <hi type="b">business environment</hi>.<ut>{\\b0}</ut></seg></tuv></tu>
<tu tuid="20"><tuv xml:lang="zh-TW"><seg>只有中文。</seg></tuv></tu>
</body></tmx>
"""


def test_cat_tool_tmx_gives_clean_text_and_regional_tags(tmp_path):
    path = tmp_path / "cat.tmx"
    path.write_text(CAT_TMX, encoding="utf-8")
    pairs = [(e.source, e.target, e.context) for e in read_tmx(path)]
    assert pairs == [
        ("点击提交完成申报。", "Click Submit to complete the declaration.", "17"),
        ("详见附件。", "See the attachment.", "18"),  # plain "en" preferred over en-GB
        ("进一步优化营商环境。", "Further optimise the business environment.", "19"),
    ]
    assert not any("<" in text or "&lt;" in text or "{" in text for pair in pairs for text in pair)
    memory = TranslationMemory.load([path])
    hit = memory.lookup("点击提交完成申报。", context="measure-2.s1", document="shanghai-port-2025")
    assert hit.text == "Click Submit to complete the declaration." and hit.fuzzy  # a CAT tool's unit: confirm it


def test_translate_with_a_cat_tool_tmx_writes_clean_fuzzy_msgstr(run_cli, repo_root, tmp_path):
    source = tmp_path / "doc" / "source.zh.txt"
    source.parent.mkdir()
    text = (repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    tmx = tmp_path / "cat.tmx"
    tmx.write_text(CAT_TMX.replace("点击<bpt", "持续推进进口机动车“两证合一”<bpt").replace(
        "提交<ept i=\"1\">&lt;/b&gt;</ept>完成申报。", "改革<ept i=\"1\">&lt;/b&gt;</ept>。").replace(
        "Click <bpt", "Continue the <bpt").replace(
        "Submit<ept i=\"1\">&lt;/b&gt;</ept> to complete the declaration.",
        "\"two certificates in one\"<ept i=\"1\">&lt;/b&gt;</ept> reform for imported motor vehicles."),
        encoding="utf-8")
    po_path = tmp_path / "doc.en.po"
    result = run_cli(["translate", source, "--engine", "none", "-o", po_path, "--tm", tmx],
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    entry = polib.pofile(str(po_path)).find("measure-2.s1", by="msgctxt")
    assert entry.msgstr == 'Continue the "two certificates in one" reform for imported motor vehicles.'
    assert entry.fuzzy and "exact match from another place" in entry.comment


def test_written_tmx_tuids_are_unique_across_documents(tmp_path):
    import xml.etree.ElementTree as ET

    from pofactory import make_catalog

    from bilingual.build import build_tmx

    ids = []
    for doc in ("shanghai-port-2025", "tianjin-port-2025"):
        root = ET.fromstring(build_tmx(make_catalog(doc_id=doc)))
        ids += [tu.get("tuid") for tu in root.iter("tu")]
        path = tmp_path / f"{doc}.tmx"
        path.write_text(build_tmx(make_catalog(doc_id=doc)), encoding="utf-8")
    assert len(ids) == len(set(ids)) and "shanghai-port-2025/measure-2.s1" in ids
    # a merged memory still knows each unit's place and document: exact matches there are reviewed
    memory = TranslationMemory.load([tmp_path])
    here = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-2.s1", document="ningbo-port-2025")
    assert not here.fuzzy
    same_document = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-7.s1",
                                  document="tianjin-port-2025")
    assert not same_document.fuzzy
    elsewhere = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-4.s1", document="ningbo-port-2025")
    assert elsewhere.fuzzy
