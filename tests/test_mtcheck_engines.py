"""MT checks through real engine paths: a LibreTranslate-compatible server on loopback that
misbehaves on purpose (tests/ltserver.py's StubServer, answering through the real HTTP
client), and the tiny real Argos model (random weights: it writes garbage, so every one of
its outputs must be flagged). Also: suspect names never reach an engine, the term
strategies (placeholder / inline / retry) and their counts, and the ``check`` gate.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ltserver import StubServer  # noqa: E402

from bilingual.engines.libretranslate import LibreTranslateEngine  # noqa: E402
from bilingual.glossary import load_glossary, protect  # noqa: E402
from bilingual.termstrategy import annotate_inline  # noqa: E402
from bilingual.translate import Translator  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHANGHAI = REPO / "translations" / "shanghai-port-2025" / "source.zh.txt"

# What a weak engine does, sentence by sentence: source (as sent) → output.
MISBEHAVIOUR = {
    "推进港口与航运企业数据共享。":
        ("Promote data sharing between ports and shipping shipping shipping shipping companies.", "repetition"),
    "鼓励船公司及其代理在船舶抵港前发布提单信息，推动集装箱设备交接单电子化，实现进出口环节无纸化流转。":
        ("Encourage shipping companies.", "too-short"),
    "完善口岸应急处置机制。":
        ("Improve the port emergency mechanism so that every party in import and export trade, from shipping "
         "lines and forwarders to terminal operators, warehouse keepers, banks and insurers, can always rely on "
         "clearance that is predictable, transparent, quick and fair for all of them.", "too-long"),
    "到2025年底，口岸进口整体通关时间较2024年压缩10%以上。":
        ("By the end of 2026, the overall import clearance time will be at least 20% shorter than in 2024.",
         "numbers"),
    "优化通关流程，压缩查验时间。": ("Optimise the clearance process and 压缩查验时间.", "chinese-left"),
    "支持海关开展查验作业改革。": ("Support Shanghai Customs in reforming inspection operations.", "unlicensed-name"),
    "提升口岸服务水平。": ("", "empty"),
}
PLAUSIBLE = {
    "推动集装箱设备交接单电子化，实现进出口环节无纸化流转。":
        "Make container equipment interchange receipts electronic so that import and export procedures run paperless.",
    "加强口岸物流信息共享，实现船舶、集装箱、货物状态实时可查。":
        "Strengthen the sharing of port logistics information so that the status of ships, containers and goods "
        "can be checked in real time.",
    "到2025年底，口岸整体通关时间较2024年压缩10%以上。":
        "By the end of 2025, the overall port clearance time will be at least 10% shorter than in 2024.",
}
TERMS = "支持上海海关在洋山港推广“单一窗口”应用。"  # three protected terms, one of them quoted


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(REPO / "glossary")


def misbehaving_server(table: dict[str, str]) -> StubServer:
    """A LibreTranslate look-alike answering from ``table`` (what it got, what it says)."""

    def reply(payload):
        texts = payload["q"] if isinstance(payload["q"], list) else [payload["q"]]
        out = [table.get(text, f"UNEXPECTED {text}") for text in texts]
        return 200, {}, {"translatedText": out if isinstance(payload["q"], list) else out[0]}

    return StubServer([reply])


def engine(url: str) -> LibreTranslateEngine:
    return LibreTranslateEngine(url, sleep=lambda seconds: None)


def test_each_pathology_is_flagged_with_its_reason_and_plausible_output_is_not(glossary):
    table = {zh: en for zh, (en, _) in MISBEHAVIOUR.items()} | PLAUSIBLE
    with misbehaving_server(table) as stub:
        sources = [*MISBEHAVIOUR, *PLAUSIBLE]
        results = Translator(engine(stub.url), glossary).translate(sources)
        sent = [text for body in stub.translate_bodies() for text in body["q"]]
    assert sorted(sent) == sorted(sources)  # no term in these: sent as written
    for source, result in zip(sources, results, strict=True):
        flags = [line for line in result.comments if line.startswith("mt-check: ")]
        if source in PLAUSIBLE:
            assert flags == [] and result.reasons == [], source
            continue
        expected = MISBEHAVIOUR[source][1]
        assert {r.code for r in result.reasons} == {expected}, (source, result.reasons)
        assert flags == [r.comment() for r in result.reasons] and flags[0].startswith(f"mt-check: {expected}: ")


def test_a_lost_placeholder_is_recovered_inline_and_the_comment_says_so(glossary):
    protected = protect(TERMS, glossary)
    inline, _ = annotate_inline(protected, glossary)
    assert protected.text == "支持 QXZ1 在 QXZ2 推广 QXZ3 应用。"
    assert inline == '支持 Shanghai Customs 在 Yangshan Port 推广 "Single Window" 应用。'
    table = {
        protected.text: "Support the promotion of applications.",  # the real-model failure: placeholders dropped
        inline: 'Support Shanghai Customs in promoting "Single Window" applications at Yangshan Port.',
    }
    with misbehaving_server(table) as stub:
        by_strategy = {strategy: Translator(engine(stub.url), glossary, term_strategy=strategy).translate([TERMS])[0]
                       for strategy in ("placeholder", "inline", "retry")}
        sent = [text for body in stub.translate_bodies() for text in body["q"]]
    assert sent == [protected.text, inline, protected.text, inline]  # retry: placeholders, then inline

    placeholder, inline_only, retry = by_strategy["placeholder"], by_strategy["inline"], by_strategy["retry"]
    assert (placeholder.protected, placeholder.dropped, placeholder.recovered) == (3, 3, 0)
    assert placeholder.text.endswith("[Shanghai Customs; Yangshan Port; Single Window]")
    assert any(line.startswith("mt-check: placeholder: the engine lost 上海海关 = Shanghai Customs")
               for line in placeholder.comments)
    assert (inline_only.dropped, inline_only.recovered) == (0, 0) and inline_only.reasons == []
    assert inline_only.comments[0].endswith("; terms inline")
    assert (retry.protected, retry.dropped, retry.recovered) == (3, 0, 3) and retry.reasons == []
    assert retry.text == table[inline]
    assert retry.comments[0].endswith("; terms inline, kept after the placeholder output lost 上海海关, 洋山港, 单一窗口")


def test_retry_keeps_the_placeholder_output_when_inline_is_no_better(glossary):
    protected = protect(TERMS, glossary)
    table = {protected.text: 'Support QXZ1 in promoting "QXZ3" applications at the port.',  # lost Yangshan Port
             annotate_inline(protected, glossary)[0]: "Support the promotion."}  # lost all three
    with misbehaving_server(table) as stub:
        result = Translator(engine(stub.url), glossary).translate([TERMS])[0]
    assert (result.dropped, result.recovered) == (1, 0)
    assert result.text == 'Support Shanghai Customs in promoting "Single Window" applications at the port. [Yangshan Port]'
    assert result.comments[0].endswith("inline retry not kept: it lost 上海海关, 洋山港, 单一窗口")


def copy_latin(text: str) -> str:
    """A model that copies Latin-script spans and drops QXZ placeholders (what inline relies on)."""
    if "QXZ" in text:
        return "Measures."
    spans = re.findall(r"[A-Za-z0-9\"][A-Za-z0-9 ,.'()\-&\"+]*[A-Za-z0-9)\"]", text)
    return f"Measures concerning {', '.join(spans)}." if spans else "Measures."


@pytest.fixture
def shanghai(tmp_path) -> Path:
    path = tmp_path / "src" / "shanghai-port-2025" / "source.zh.txt"
    path.parent.mkdir(parents=True)
    shutil.copy(SHANGHAI, path)
    return path


def test_cli_through_a_misbehaving_server(run_cli, shanghai, tmp_path):
    """The whole document through a server that drops placeholders: the summary counts flags
    and terms per strategy, the masthead's 上海市海归会 is never sent, and check warns."""

    def reply(payload):
        return 200, {}, {"translatedText": [copy_latin(text) for text in payload["q"]]}

    runs = {}
    for strategy in ("placeholder", "retry"):
        with StubServer([reply]) as stub:
            po = tmp_path / strategy / "doc.en.po"
            result = run_cli(["translate", shanghai, "--engine", "libretranslate", "--url", stub.url, "-o", po,
                              "--no-cache", "--term-strategy", strategy, "--format", "json"])
            assert result.returncode == 0, result.stderr
            sent = [text for body in stub.translate_bodies() for text in body["q"]]
        runs[strategy] = (json.loads(result.stdout)[0], po, sent)
    for strategy, (stats, po, sent) in runs.items():
        assert not any("海归" in text for text in sent), strategy  # the suspect letterhead never reached MT
        assert stats["suspect_names"] == 1 and stats["term_strategy"] == strategy
        assert stats["machine"] > 100 and stats["flagged"] > 50
        assert stats["mt_flags"]["too-short"] > 50  # "Measures." is no translation of a sentence
        entry = polib.pofile(str(po)).find("notice.issuer-2", by="msgctxt")
        assert entry.msgstr == "" and "suspect name: 上海市海归会 (closest known: 上海海关 → Shanghai Customs)" in entry.comment
    placeholder, retry = runs["placeholder"][0], runs["retry"][0]
    assert placeholder["flagged"] == placeholder["machine"] + 1  # every MT entry, and the suspect name
    assert placeholder["terms_protected"] == retry["terms_protected"] > 100
    assert placeholder["terms_dropped"] == placeholder["terms_protected"] and placeholder["terms_recovered"] == 0
    assert retry["terms_recovered"] == retry["terms_protected"] and retry["terms_dropped"] == 0
    assert placeholder["mt_flags"]["placeholder"] > 50 and "placeholder" not in retry["mt_flags"]

    check = run_cli(["check", runs["retry"][1], "--format", "json"])
    assert check.returncode == 0, check.stdout  # flags are warnings on unreviewed MT
    findings = json.loads(check.stdout)["findings"] if check.stdout.lstrip().startswith("{") else json.loads(check.stdout)
    found = {(f["check"], f["ctx"]) for f in findings}
    assert ("suspect-name", "notice.issuer-2") in found
    assert sum(1 for check_id, _ in found if check_id == "mt-check") >= 50


# --------------------------------------------------------------------------- the tiny real Argos model


def test_tiny_argos_model_garbage_is_flagged_through_the_real_engine(argos_packages_dir, glossary):
    from bilingual.engines.argos import ArgosEngine

    segments = [line for line in SHANGHAI.read_text(encoding="utf-8").splitlines() if line.startswith("（")][:8]
    results = Translator(ArgosEngine(), glossary).translate(segments)
    codes = set()
    for result in results:
        assert result.reasons, result.text  # random weights: nothing it writes is a translation
        assert [line for line in result.comments if line.startswith("mt-check: ")] == [
            r.comment() for r in result.reasons]
        codes |= {r.code for r in result.reasons}
    assert {"chinese-left", "placeholder"} <= codes  # it echoes source pieces and loses QXZ tokens
    assert codes <= set(__import__("bilingual.mtcheck", fromlist=["CODES"]).CODES)


def test_tiny_argos_cli_summary_counts_flags(argos_packages_dir, run_cli, shanghai, tmp_path):
    text = shanghai.read_text(encoding="utf-8")
    short = tmp_path / "short" / "source.zh.txt"
    short.parent.mkdir()
    short.write_text(text[: text.index("（四）")], encoding="utf-8")  # masthead, notice, three measures
    po = tmp_path / "short.en.po"
    result = run_cli(["translate", short, "--engine", "argos", "-o", po, "--no-cache", "--format", "json"])
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["machine"] > 5 and stats["flagged"] == stats["machine"] + stats["suspect_names"]
    assert stats["terms_protected"] > 0 and stats["terms_recovered"] == 0  # garbage either way
    assert set(stats["mt_flags"]) >= {"chinese-left", "placeholder"}
    table = run_cli(["translate", short, "--engine", "argos", "-o", po, "--no-cache", "--quiet"])
    header = table.stdout.splitlines()[0].split("\t")
    assert "flagged" in header


# --------------------------------------------------------------------------- the gate


def test_check_fails_a_reviewed_loop_and_warns_on_flagged_mt(run_cli, tmp_path):
    from pofactory import make_catalog, shanghai_entries, write_po

    po = make_catalog([e for e in shanghai_entries() if e.ctx in ("measure-15.s2", "measure-19.s1")],
                      fuzzy={"measure-15.s2"})
    reviewed = po.find("measure-19.s1", by="msgctxt")
    fuzzy = po.find("measure-15.s2", by="msgctxt")
    fuzzy.comment += "\nmt-check: repetition: 'the port' 4 times in a row"
    path = write_po(tmp_path / "doc.en.po", po)
    result = run_cli(["check", path, "--format", "json"])
    assert result.returncode == 0, result.stdout
    assert "mt-check" in result.stdout and "'the port' 4 times in a row" in result.stdout

    reviewed.msgstr = reviewed.msgstr.rstrip(".") + " at the port at the port at the port."
    write_po(path, po)
    result = run_cli(["check", path])
    assert result.returncode == 1
    assert "\terror\trepetition\tmeasure-19.s1\tthe translation loops: 'at the port' 3 times" in result.stdout


def test_inline_terms_are_never_cut_for_the_engine(glossary):
    from bilingual.translate import MAX_ENGINE_CHARS, split_for_engine

    notice = next(line for line in SHANGHAI.read_text(encoding="utf-8").splitlines() if line.startswith("策部署"))
    text, spans = annotate_inline(protect(notice, glossary), glossary)
    assert len(text) > 3 * MAX_ENGINE_CHARS and len(spans) > 10
    pieces = split_for_engine(text, keep=spans)
    assert "".join(pieces) == text and len(pieces) > 3
    cuts = {sum(map(len, pieces[:i])) for i in range(1, len(pieces))}
    assert not [(a, b) for a, b in spans for cut in cuts if a < cut < b]
    longest = max(b - a for a, b in spans)
    assert max(map(len, pieces)) <= max(MAX_ENGINE_CHARS, longest + MAX_ENGINE_CHARS)
    # without the spans the same text is cut inside a name
    plain = split_for_engine(text)
    plain_cuts = {sum(map(len, plain[:i])) for i in range(1, len(plain))}
    assert [(a, b) for a, b in spans for cut in plain_cuts if a < cut < b]
