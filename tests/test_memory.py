"""Translation memory: exact matches reviewed, close matches fuzzy with a score, MT only for the rest."""

import json
import shutil

import polib

from bilingual.memory import FUZZY_THRESHOLD, MemoryEntry, TranslationMemory, normalise, read_po, read_tmx

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
    here = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-2.s1", document="shanghai-port-2026",
                         place="shanghai")
    assert not here.fuzzy
    # the same place of another issuer's document (the memory's are Shanghai's): only a proposal
    other_issuer = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-2.s1",
                                 document="ningbo-port-2025", place="ningbo")
    assert other_issuer.fuzzy and "issuer Shanghai, not Ningbo" in other_issuer.comments[0]
    same_document = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-7.s1",
                                  document="tianjin-port-2025")
    assert not same_document.fuzzy
    elsewhere = memory.lookup("持续推进进口机动车“两证合一”改革。", context="measure-4.s1", document="ningbo-port-2025")
    assert elsewhere.fuzzy


# --------------------------------------------------------------------------- in-process rules
# (each pins what a translator sees in the PO file: which English, fuzzy or not, and the comment)


def _tmx(path, units: str, header_props: str = "") -> None:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="PO" adminlang="en" srclang="zh" '
        f'datatype="plaintext">{header_props}</header><body>{units}</body></tmx>\n', encoding="utf-8")


def test_pairs_without_english_or_chinese_are_not_memory():
    memory = TranslationMemory([("提升海事监管信息化水平。", "", "a.po"), ("  ", "Blank.", "a.po"),
                                ("优化国际邮轮药械供船服务。", "   ", "a.po")])
    assert len(memory) == 0
    assert memory.lookup("提升海事监管信息化水平。") is None


def test_the_same_sentence_reviewed_in_two_places_gives_each_place_its_english():
    memory = TranslationMemory([
        MemoryEntry("现提出如下措施。", "The following measures are hereby put forward.", "a.po", "notice.s2", "doc-a"),
        MemoryEntry("现提出如下措施。", "We hereby propose the following measures.", "b.po", "notice.s3", "doc-b"),
    ])
    assert len(memory) == 1  # one source sentence
    by_context = memory.lookup("现提出如下措施。", context="notice.s3")
    assert (by_context.text, by_context.fuzzy) == ("We hereby propose the following measures.", False)
    assert by_context.comments == ["origin: translation memory b.po (exact match)"]
    by_document = memory.lookup("现提出如下措施。", context="notice.s9", document="doc-b")
    assert (by_document.text, by_document.fuzzy) == ("We hereby propose the following measures.", False)
    elsewhere = memory.lookup("现提出如下措施。", context="notice.s9", document="doc-c")
    assert (elsewhere.text, elsewhere.fuzzy) == ("The following measures are hereby put forward.", True)
    assert elsewhere.comments == [
        "origin: translation memory a.po (exact match from another place: doc-a notice.s2)"]
    assert memory.lookup("现提出如下措施。").fuzzy  # no place given: nothing to confirm it here


def test_an_exact_match_at_the_same_place_of_another_issuers_document_is_the_one_proposed():
    """Every exact match is from elsewhere: the one at the asked msgctxt is proposed (fuzzy), naming
    both issuers, before one at another msgctxt. The Shanghai memory document's place comes from its
    attachment title alone (an annex reviewed without its cover notice)."""
    sentence = "推进口岸通关无纸化。"
    memory = TranslationMemory([
        MemoryEntry(sentence, "Paperless clearance will be promoted.", "tj.po", "notice.s2", "tianjin-port-2025"),
        MemoryEntry("上海市商务委员会关于印发《上海口岸2025年深化跨境贸易便利化改革措施》的通知",
                    "Notice of the Shanghai Municipal Commission of Commerce …", "sh.po", "attachment.title",
                    "shanghai-port-2025"),
        MemoryEntry(sentence, "Promote paperless port clearance.", "sh.po", "measure-3.s1", "shanghai-port-2025"),
    ])
    hit = memory.lookup(sentence, context="measure-3.s1", document="ningbo-port-2026", place="ningbo")
    assert (hit.text, hit.fuzzy) == ("Promote paperless port clearance.", True)
    assert hit.comments == ["origin: translation memory sh.po (exact match from another place: "
                            "shanghai-port-2025 measure-3.s1, issuer Shanghai, not Ningbo)"]
    # the same place of the same issuer's next edition: reviewed
    assert not memory.lookup(sentence, context="measure-3.s1", document="shanghai-port-2026", place="shanghai").fuzzy


def test_an_exact_match_without_any_place_says_so():
    memory = TranslationMemory([MemoryEntry("详见附件。", "See the attachment.", "cat.tmx")])
    hit = memory.lookup("详见附件。", context="notice.s1", document="doc")
    assert (hit.text, hit.fuzzy, hit.score) == ("See the attachment.", True, 100.0)
    assert hit.comments == ["origin: translation memory cat.tmx (exact match from another place: no context)"]
    contextless = TranslationMemory([MemoryEntry("详见附件。", "See the attachment.", "cat.tmx", "measure-1.s1")])
    assert contextless.lookup("详见附件。").fuzzy  # a unit with a place, a lookup without one
    assert contextless.lookup("详见附件。", document="doc").fuzzy


def test_a_close_match_carries_its_score_and_the_memory_source():
    memory = TranslationMemory([
        MemoryEntry("提升海事监管信息化水平。", "Raise the level of IT in maritime supervision.", "m.tmx"),
        MemoryEntry("提升海事监管信息化水平。", "Improve IT in maritime supervision.", "n.tmx"),
    ])
    hit = memory.lookup("进一步提升海事监管信息化水平。")  # ratio 88.888…
    assert hit.text == "Raise the level of IT in maritime supervision." and hit.fuzzy
    assert hit.score == 88.9
    assert hit.comments == ["origin: translation memory m.tmx (fuzzy match 88.9%)",
                            "memory source: 提升海事监管信息化水平。"]
    assert TranslationMemory([]).lookup("进一步提升海事监管信息化水平。") is None


def test_tmx_1_1_lang_attributes_upper_case_english_and_the_first_chinese(tmp_path):
    path = tmp_path / "old.tmx"
    _tmx(path, '<tu><tuv lang="ZH-CN"><seg>详见附件。</seg></tuv><tuv lang="zh"><seg>另一句。</seg></tuv>'
               '<tuv lang="en-GB"><seg>See the annex.</seg></tuv><tuv lang="EN"><seg>See the attachment.</seg></tuv></tu>'
               '<tu><tuv lang="en_US"><seg>Only English.</seg></tuv></tu>'
               '<tu><tuv lang="zh"><seg>只有中文。</seg></tuv><tuv lang="fr"><seg>Seulement.</seg></tuv></tu>'
               '<tu><tuv lang="zh"/><tuv lang="zh"><seg>第二个中文。</seg></tuv>'
               '<tuv lang="en_GB"><seg>Second Chinese.</seg></tuv></tu>')
    assert [(e.source, e.target) for e in read_tmx(path)] == [
        ("详见附件。", "See the attachment."), ("第二个中文。", "Second Chinese.")]


def test_tmx_segments_keep_their_spacing_unless_inline_codes_were_removed(tmp_path):
    path = tmp_path / "cat.tmx"
    _tmx(path, '<tu><tuv xml:lang="zh"><seg>见  附件</seg></tuv><tuv xml:lang="en"><seg>See  the annex</seg></tuv></tu>'
               '<tu><tuv xml:lang="zh"><seg>点击<ph x="1">&lt;br/&gt;</ph> 提交</seg></tuv>'
               '<tuv xml:lang="en"><seg>Click <hi>Submit</hi> <ph x="1">&lt;br/&gt;</ph>  now</seg></tuv></tu>')
    assert [(e.source, e.target) for e in read_tmx(path)] == [
        ("见  附件", "See  the annex"), ("点击 提交", "Click Submit now")]


def test_tmx_places_come_from_props_then_tuid_and_the_header_document(tmp_path):
    path = tmp_path / "built.tmx"
    _tmx(path, '<tu tuid="doc-a/notice.s1"><prop type="x-context">notice.s1</prop>'
               '<tuv xml:lang="zh"><seg>一</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>'
               '<tu tuid="measure-2.s1"><prop type="x-bilingual-document"> doc-b </prop>'
               '<tuv xml:lang="zh"><seg>二</seg></tuv><tuv xml:lang="en"><seg>Two</seg></tuv></tu>'
               '<tu><tuv xml:lang="zh"><seg>三</seg></tuv><tuv xml:lang="en"><seg>Three</seg></tuv></tu>',
         header_props='<prop type="x-bilingual-document">doc-a</prop>')
    assert [(e.context, e.document, e.origin) for e in read_tmx(path)] == [
        ("notice.s1", "doc-a", "built.tmx"), ("measure-2.s1", "doc-b", "built.tmx"), ("", "doc-a", "built.tmx")]


def test_unreadable_memories_are_one_line_naming_the_file(tmp_path):
    import pytest

    from bilingual.errors import BilingualError

    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(BilingualError) as tmx_error:
        read_tmx(broken)
    assert tmx_error.value.path == str(broken) and tmx_error.value.message.startswith("not a readable TMX file (")
    bad_po = tmp_path / "bad.po"
    bad_po.write_bytes(b'msgid "\xff"\nmsgstr "x"\n')
    with pytest.raises(BilingualError) as po_error:
        read_po(bad_po)
    assert po_error.value.path == str(bad_po) and po_error.value.message.startswith("not a valid PO file (")


def test_only_reviewed_po_entries_are_memory_with_their_place(tmp_path):
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "X-Bilingual-Document": " doc-a "}
    catalog.append(polib.POEntry(msgctxt="measure-1.s1", msgid="一", msgstr="One"))
    catalog.append(polib.POEntry(msgid="二", msgstr="Two"))
    catalog.append(polib.POEntry(msgctxt="measure-3.s1", msgid="三", msgstr="Three?", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgctxt="measure-4.s1", msgid="四", msgstr=""))
    catalog.append(polib.POEntry(msgctxt="measure-5.s1", msgid="五", msgstr="Five", obsolete=True))
    path = tmp_path / "doc.en.po"
    catalog.save(str(path))

    assert [(e.source, e.target, e.context, e.document, e.origin) for e in read_po(path)] == [
        ("一", "One", "measure-1.s1", "doc-a", "doc.en.po"), ("二", "Two", "", "doc-a", "doc.en.po")]


def test_a_memory_folder_is_read_whole_whatever_the_case_of_the_suffix(tmp_path):
    folder = tmp_path / "memories"
    (folder / "sub").mkdir(parents=True)
    _tmx(folder / "a.TMX", '<tu><tuv xml:lang="zh"><seg>一</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>')
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="二", msgstr="Two"))
    catalog.save(str(folder / "sub" / "b.Po"))
    (folder / "notes.txt").write_text("一\tnot a memory\n", encoding="utf-8")
    memory = TranslationMemory.load([folder])
    assert len(memory) == 2
    assert memory.lookup("一").text == "One" and memory.lookup("二").text == "Two"
    single = TranslationMemory.load([folder / "a.TMX"])
    assert len(single) == 1


def test_a_sentence_that_only_contains_the_memorys_sentence_is_not_a_match():
    """详见附件。 inside 具体要求详见附件。: the memory's English would translate half the sentence.
    Similarity is over the whole sentence (ratio 71), not the best part of it (partial 100)."""
    memory = TranslationMemory([("详见附件。", "See the attachment.", "m.po")])
    assert memory.lookup("具体要求详见附件。") is None


def test_tmx_without_header_props_or_context_text(tmp_path):
    path = tmp_path / "bare.tmx"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><body>'
                    '<tu tuid="measure-2.s1"><prop type="x-context"/><prop>untyped</prop>'
                    '<tuv xml:lang="zh"><seg>二</seg></tuv><tuv xml:lang="en"><seg>Two</seg></tuv></tu>'
                    '</body></tmx>\n', encoding="utf-8")
    assert [(e.context, e.document, e.origin) for e in read_tmx(path)] == [("measure-2.s1", "", "bare.tmx")]
    _tmx(path, '<tu><tuv xml:lang="zh"><seg>三</seg></tuv><tuv xml:lang="en"><seg>Three</seg></tuv></tu>')
    assert [(e.context, e.document, e.origin) for e in read_tmx(path)] == [("", "", "bare.tmx")]


def test_a_memory_says_where_its_translations_come_from(tmp_path):
    """``bilingual align`` marks its memories (TMX header prop, PO header): the origin comment of
    an entry filled from them names the official translation, not only the file."""
    path = tmp_path / "aligned.tmx"
    _tmx(path, '<tu><tuv xml:lang="zh"><seg>一</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>',
         header_props='<prop type="x-note">ignored</prop><prop type="x-bilingual-origin"/>'
                      '<prop type="x-bilingual-origin">  </prop>'
                      '<prop type="x-bilingual-origin"> official translation 2024.html </prop>')
    assert [e.origin for e in read_tmx(path)] == ["aligned.tmx, official translation 2024.html"]
    _tmx(path, '<tu><tuv xml:lang="zh"><seg>一</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>',
         header_props='<prop type="x-note">official translation 2024.html</prop>')
    assert [e.origin for e in read_tmx(path)] == ["aligned.tmx"]

    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                        "X-Bilingual-Origin": " official translation 2024.html "}
    catalog.append(polib.POEntry(msgid="一", msgstr="One"))
    catalog.save(str(tmp_path / "aligned.po"))
    assert [(e.origin, e.document) for e in read_po(tmp_path / "aligned.po")] == [
        ("aligned.po, official translation 2024.html", "")]
    del catalog.metadata["X-Bilingual-Origin"]
    catalog.save(str(tmp_path / "plain.po"))
    assert [(e.origin, e.document) for e in read_po(tmp_path / "plain.po")] == [("plain.po", "")]


def test_the_memory_digest_changes_with_every_pair_and_where_it_comes_from():
    """The run state keys a document on the memory's digest: a memory with any other pair, English,
    origin, context or document must not reuse a run made with this one; the same memory read again
    must."""
    pair = ("详见附件。", "See the attachment.", "m.po", "notice.s3", "doc-a")
    digest = TranslationMemory([MemoryEntry(*pair)]).digest()
    assert digest == TranslationMemory([MemoryEntry(*pair)]).digest() and len(digest) == 64
    for field in range(5):
        changed = list(pair)
        changed[field] += "2"
        assert TranslationMemory([MemoryEntry(*changed)]).digest() != digest, field
    # two fields never run together: the boundary between source and English is part of the key
    assert (TranslationMemory([MemoryEntry("详见", "附件。See", "m.po")]).digest()
            != TranslationMemory([MemoryEntry("详见附件。", "See", "m.po")]).digest())
    assert TranslationMemory([]).digest() != digest


# --------------------------------------------------------------------------- memories from elsewhere (attack 9)


def test_a_segment_written_on_lines_of_its_own_gives_a_msgstr_msgfmt_accepts(run_cli, repo_root, tmp_path):
    """A CAT tool's pretty-printed ``<seg>`` (text on a line of its own) and a PO msgstr ending in
    ``\\n``: the reviewed msgstr was written with the newline, for a msgid without one, and msgfmt
    refused the file translate had just written."""
    from conftest import need

    need(shutil.which("msgfmt") is not None, "msgfmt (gettext)")
    tmx = tmp_path / "pretty.tmx"
    _tmx(tmx, '<tu tuid="measure-3.s1"><tuv xml:lang="zh"><seg>优化国际邮轮药械供船服务。</seg></tuv>'
              '<tuv xml:lang="en"><seg>\n      Optimise the supply of medicines to international cruise ships.\n'
              '    </seg></tuv></tu>')
    source = tmp_path / "doc" / "source.zh.txt"
    source.parent.mkdir()
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    po_path = tmp_path / "doc.en.po"
    result = run_cli(["translate", source, "--engine", "pseudo", "-o", po_path, "--tm", tmx],
                     env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    entry = polib.pofile(str(po_path)).find("measure-3.s1", by="msgctxt")
    assert not entry.fuzzy and entry.msgstr == "Optimise the supply of medicines to international cruise ships."
    import subprocess

    compiled = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr


def test_a_memory_translation_with_invisible_characters_is_only_a_proposal():
    """An RLO or a NUL in a memory's English (a paste into a CAT tool, a web page's bidi marks):
    filled in reviewed, it was a `control` error of check in a reviewed entry no one had looked at."""
    rlo = "Raise the level of IT in \u202emaritime\u200b supervision."
    memory = TranslationMemory([MemoryEntry("提升海事监管信息化水平。", rlo, "other.tmx", "measure-7.s1"),
                                MemoryEntry("优化国际邮轮药械供船服务。", "Optimise\x00 cruise supplies.", "other.tmx",
                                            "measure-3.s1"),
                                MemoryEntry("支持国际中转集拼业务发展。", "Support international LCL.", "other.tmx",
                                            "measure-9.s1")])
    hit = memory.lookup("提升海事监管信息化水平。", context="measure-7.s1")
    assert hit.fuzzy and hit.text == rlo
    assert hit.comments == ["origin: translation memory other.tmx (exact match; holds invisible characters "
                            "U+202E, U+200B: not taken as reviewed)"]
    nul = memory.lookup("优化国际邮轮药械供船服务。", context="measure-3.s1")
    assert nul.fuzzy and "U+0000" in nul.comments[0]
    clean = memory.lookup("支持国际中转集拼业务发展。", context="measure-9.s1")
    assert not clean.fuzzy and clean.comments == ["origin: translation memory other.tmx (exact match)"]
    # the same English met from another place, or as a close match: named there too
    elsewhere = memory.lookup("提升海事监管信息化水平。", context="measure-1.s1")
    assert elsewhere.fuzzy and "from another place" in elsewhere.comments[0]
    assert elsewhere.comments[0].endswith("; holds invisible characters U+202E, U+200B: not taken as reviewed)")
    close = memory.lookup("进一步提升海事监管信息化水平。", context="measure-1.s1")
    assert close.fuzzy and close.text == rlo and "fuzzy match" in close.comments[0]
    assert close.comments[0].endswith("; holds invisible characters U+202E, U+200B: not taken as reviewed)")


def _po_memory(path, language: str, english: str) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                        "X-Bilingual-Document": "shanghai-port-2025"}
    catalog.append(polib.POEntry(msgctxt="measure-3.s1", msgid="优化国际邮轮药械供船服务。", msgstr=english))
    catalog.save(str(path))


def test_a_po_file_in_another_language_is_no_english_memory(tmp_path):
    """``--tm translations/doc/`` where the team keeps doc.ja.po beside doc.en.po: the Japanese
    came in as reviewed exact matches (same document, same place) of the English file."""
    import pytest

    from bilingual.errors import BilingualError

    folder = tmp_path / "doc"
    folder.mkdir()
    _po_memory(folder / "doc.ja.po", "ja", "国際クルーズ船への医薬品供給を最適化する。")
    _po_memory(folder / "doc.en.po", "en_GB", "Optimise the supply of medicines to cruise ships.")
    memory = TranslationMemory.load([folder])
    hit = memory.lookup("优化国际邮轮药械供船服务。", context="measure-3.s1", document="shanghai-port-2025")
    assert len(memory) == 1 and not hit.fuzzy and hit.text.startswith("Optimise") and "doc.en.po" in hit.comments[0]
    with pytest.raises(BilingualError) as named:
        TranslationMemory.load([folder / "doc.ja.po"])
    assert named.value.path == str(folder / "doc.ja.po") and "'ja' (its Language header), not English" in str(named.value)


def test_a_tmx_without_a_chinese_english_unit_is_refused_when_named(tmp_path):
    import pytest

    from bilingual.errors import BilingualError

    folder = tmp_path / "memories"
    folder.mkdir()
    _tmx(folder / "zh-ja.tmx", '<tu><tuv xml:lang="zh-CN"><seg>一</seg></tuv><tuv xml:lang="ja"><seg>一つ</seg></tuv></tu>')
    _tmx(folder / "empty.tmx", "")
    with pytest.raises(BilingualError) as named:
        TranslationMemory.load([folder / "zh-ja.tmx"])
    assert str(named.value) == (f"{folder / 'zh-ja.tmx'}: holds no Chinese–English unit (its languages: ja, zh); "
                                "a zh→en memory is needed")
    _tmx(folder / "no-language.tmx", '<tu><tuv><seg>一</seg></tuv><tuv xml:lang="fr"><seg>un</seg></tuv></tu>')
    with pytest.raises(BilingualError, match=r"its languages: \?, fr\)"):  # a unit without xml:lang is "?"
        TranslationMemory.load([folder / "no-language.tmx"])
    assert len(TranslationMemory.load([folder])) == 0 and len(TranslationMemory.load([folder / "empty.tmx"])) == 0


def test_a_memory_folder_passes_over_fifos_and_folders_with_a_memory_suffix(tmp_path):
    """A FIFO named x.tmx blocked the run for ever (nobody writes to it); a folder named x.po stopped it."""
    import os
    import threading

    folder = tmp_path / "memories"
    (folder / "old.po").mkdir(parents=True)
    os.mkfifo(folder / "pipe.tmx")
    _tmx(folder / "a.tmx", '<tu><tuv xml:lang="zh"><seg>一</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>')
    loaded: list = []
    reader = threading.Thread(target=lambda: loaded.append(TranslationMemory.load([folder])), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader before failing
        with open(folder / "pipe.tmx", "w"):
            pass
    assert not reader.is_alive() and len(loaded[0]) == 1


def test_every_memory_file_named_gives_its_pairs(tmp_path):
    """Two files given with --tm (a TMX and a PO file): both are read, not only the last."""
    _tmx(tmp_path / "a.tmx", '<tu><tuv xml:lang="zh-CN"><seg>提升海事监管信息化水平。</seg></tuv>'
                             '<tuv xml:lang="en"><seg>Raise the level of IT in maritime supervision.</seg></tuv></tu>')
    _po_memory(tmp_path / "b.en.po", "en", "Optimise drug supplies for cruise ships.")
    memory = TranslationMemory.load([tmp_path / "a.tmx", tmp_path / "b.en.po"])
    assert memory.lookup("提升海事监管信息化水平。").text == "Raise the level of IT in maritime supervision."
    assert memory.lookup("优化国际邮轮药械供船服务。").text == "Optimise drug supplies for cruise ships."


def test_a_file_read_on_its_own_is_one_the_caller_named(tmp_path):
    """read_tmx and read_po called directly (an API caller, not a folder scan) refuse a memory
    that gives no zh→en pair, as --tm FILE does."""
    import pytest

    from bilingual.errors import BilingualError

    _tmx(tmp_path / "zh-ja.tmx", '<tu><tuv xml:lang="zh-CN"><seg>一</seg></tuv><tuv xml:lang="ja"><seg>一つ</seg></tuv></tu>')
    _po_memory(tmp_path / "doc.ja.po", "ja", "クルーズ船の医薬品供給を最適化する。")
    with pytest.raises(BilingualError, match="no Chinese–English unit"):
        read_tmx(tmp_path / "zh-ja.tmx")
    with pytest.raises(BilingualError, match="not English"):
        read_po(tmp_path / "doc.ja.po")
