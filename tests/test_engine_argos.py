"""The ``argos`` engine driving a real (tiny, random-weight) CTranslate2 model."""

from __future__ import annotations

import re

import pytest

from bilingual.engines import Engine, get_engine
from bilingual.engines.argos import ArgosEngine
from bilingual.errors import ModelMissingError
from bilingual.packages import MISSING_MESSAGE


@pytest.fixture(scope="module")
def segments(request) -> list[str]:
    """Real sentences of the shipped document, of varied lengths."""
    from conftest import SHANGHAI_SOURCE

    text = SHANGHAI_SOURCE.read_text(encoding="utf-8")
    parts = [p.strip() for p in re.split(r"(?<=[。；])|\n", text) if p.strip()]
    return parts[:40]


@pytest.fixture
def engine(argos_packages_dir) -> ArgosEngine:
    return ArgosEngine()


def test_engine_follows_the_protocol(engine, argos_packages_dir):
    assert isinstance(engine, Engine)
    assert engine.name == "argos"
    assert isinstance(get_engine("argos"), ArgosEngine)
    identity = engine.identity()
    assert identity.startswith("argos/translate-zh_en/0.0.1-tiny/")
    assert identity.endswith("/beam2")
    assert identity == ArgosEngine().identity()  # stable
    assert ArgosEngine(beam_size=1).identity() != identity  # beam changes outputs
    assert engine.load_count == 0  # identity() loads no model


def test_translates_real_segments(engine, segments):
    first = engine.translate(segments)
    assert len(first) == len(segments)
    assert all(isinstance(out, str) and out for out in first)
    assert engine.translate(segments) == first  # deterministic
    assert engine.load_count == 1  # loaded once, lazily


def test_order_is_preserved_when_lengths_differ(engine, segments):
    by_length = sorted(segments, key=len)
    mixed = [by_length[-1], by_length[0], by_length[len(by_length) // 2], by_length[1], by_length[-2]]
    assert len({len(text) for text in mixed}) > 3
    # The same batch in another order is sorted into the same sub-batches, so each
    # text must get the same output back, at its own position.
    forward = engine.translate(mixed)
    backward = engine.translate(mixed[::-1])
    assert backward == forward[::-1]
    rotated = engine.translate(mixed[2:] + mixed[:2])
    assert rotated == forward[2:] + forward[:2]
    assert len(set(forward)) == len(forward)


def test_any_batch_size_gives_one_output_per_input(argos_packages_dir, segments):
    for size in (1, 3, 64):
        out = ArgosEngine(max_batch_size=size).translate(segments[:7])
        assert len(out) == 7 and all(out)


def test_empty_inputs_give_empty_outputs_without_the_model(engine, segments):
    assert engine.translate([]) == []
    assert engine.translate(["", "  "]) == ["", ""]
    assert engine.load_count == 0
    out = engine.translate(["", segments[0], ""])
    assert out[0] == "" and out[2] == "" and out[1]


def test_decoding_keeps_underscores_and_placeholders(engine):
    # the pieces the tiny model's vocabulary really has
    pieces = [
        "▁QXZ",
        "1",
        "_",
        "p",
        "o",
        "r",
        "t",
        "_",
        "l",
        "o",
        "g",
        "i",
        "s",
        "t",
        "i",
        "c",
        "s",
        "▁",
        "A",
        "_",
        "B",
    ]
    assert engine.decode(pieces) == "QXZ1_port_logistics A_B"
    # pieces outside the vocabulary come back verbatim, word markers as spaces
    assert engine.decode(["▁QXZ1", "_", "port", "_", "logistics", "▁A", "_B"]) == "QXZ1_port_logistics A_B"
    # byte-fallback pieces are decoded to their UTF-8 text
    assert engine.decode(["▁", "<0xE5>", "<0x8F>", "<0xA3>", "_", "1"]) == "口_1"
    # a round trip through SentencePiece keeps them too
    assert engine.decode(engine.encode(["QXZ1 port_logistics"])[0]) == "QXZ1 port_logistics"


def test_target_prefix_is_sent_and_stripped(argos_packages_dir, argos_package, segments, tmp_path):
    import json

    engine = ArgosEngine()
    metadata_path = engine.package.path / "metadata.json"
    metadata = json.loads(metadata_path.read_text())
    metadata["target_prefix"] = "<s>"
    metadata_path.write_text(json.dumps(metadata))
    prefixed = ArgosEngine()
    assert prefixed.package.target_prefix == "<s>"
    out = prefixed.translate(segments[:3])
    assert len(out) == 3 and all(isinstance(s, str) for s in out)
    assert prefixed.decode(["<s>", "▁QXZ1"]) == "QXZ1"


def test_missing_model_raises_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "none"))
    with pytest.raises(ModelMissingError) as info:
        ArgosEngine()
    assert str(info.value) == MISSING_MESSAGE
    with pytest.raises(ModelMissingError):
        get_engine("argos")


def test_sub_batches_are_balanced_across_workers_and_bounded():
    from hypothesis import given
    from hypothesis import strategies as st

    from bilingual.engines.argos import sub_batch_sizes

    assert sub_batch_sizes([10] * 11, 8, 0, 2) == [6, 5]  # not 8 + 3: both workers finish together
    assert sub_batch_sizes([10] * 32, 8, 320, 2) == [8, 8, 8, 8]

    @given(st.lists(st.integers(1, 300), min_size=1, max_size=80).map(lambda xs: sorted(xs, reverse=True)),
           st.integers(1, 32), st.sampled_from([0, 64, 320]), st.integers(1, 4))
    def check(lengths, max_size, budget, workers):
        sizes = sub_batch_sizes(lengths, max_size, budget, workers)
        assert sum(sizes) == len(lengths) and all(0 < s <= max_size for s in sizes)
        start = 0
        for size in sizes:  # longest first: the first input of a sub-batch sets its padded width
            assert budget == 0 or size == 1 or size * lengths[start] <= budget
            start += size

    check()


def test_progress_is_reported_per_sub_batch_within_one_large_call(argos_packages_dir, repo_root):
    from bilingual.engines.argos import ArgosEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import Translator

    text = (repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    sources = [line for line in text.splitlines() if len(line) > 40][:24]
    calls: list[tuple[int, int]] = []
    engine = ArgosEngine(max_batch_size=4)
    translator = Translator(engine, load_glossary(repo_root / "glossary"), on_progress=lambda n, t: calls.append((n, t)),
                            term_strategy="placeholder")
    assert translator.batch_size >= len(sources)  # one engine call for everything…
    results = translator.translate(sources)
    total = calls[0][1]
    assert calls[0] == (0, total) and total >= len(sources)
    assert len(calls) > 2  # …yet the bar moved once per finished sub-batch
    assert sum(n for n, _ in calls) == total and all(t == total for _, t in calls)
    assert engine.on_progress is None and len(results) == len(sources)

    # --term-strategy retry: the inline pass (the test model loses placeholders) extends the bar
    calls.clear()
    Translator(engine, load_glossary(repo_root / "glossary"), on_progress=lambda n, t: calls.append((n, t)),
               term_strategy="retry").translate(sources)
    totals = [t for _, t in calls]
    assert totals == sorted(totals) and totals[-1] > totals[0] == total
    assert sum(n for n, _ in calls) == totals[-1]


def test_a_fresh_process_loads_ctranslate2_without_its_extensions_and_translates_the_same(
        argos_packages_dir, segments, repo_root):
    """The engine's own import of CTranslate2 leaves out ``ctranslate2.extensions`` (and the asyncio
    it imports): the same outputs as with a plain ``import ctranslate2``, and a later import of
    the extensions still gets the real module. Nor does it import the package index's network
    modules (urllib, http.client, ssl), which only installing uses."""
    import json
    import os
    import subprocess
    import sys

    code = """
import json, sys
if sys.argv[1] == "plain":
    import ctranslate2  # noqa: F401 - imported first, the plain way: the engine uses it as it is
from bilingual.engines.argos import ArgosEngine
outputs = ArgosEngine().translate(json.loads(sys.stdin.read()))
state = {"asyncio": "asyncio" in sys.modules, "extensions": "ctranslate2.extensions" in sys.modules,
         "network": [m for m in ("urllib.request", "http.client", "ssl", "bilingual.packages.index") if m in sys.modules]}
from bilingual.packages import fetch_index, install_from_file, install_from_index  # still there, on first use
state["installers"] = [f.__module__ for f in (fetch_index, install_from_file, install_from_index)]
import ctranslate2.extensions
ctranslate2.extensions.register_extensions()
print(json.dumps({"outputs": outputs, **state, "later": hasattr(ctranslate2.Translator, "translate_iterable")}))
"""
    env = {**os.environ, "PYTHONPATH": str(repo_root)}
    runs = {mode: json.loads(subprocess.run([sys.executable, "-c", code, mode], input=json.dumps(segments[:8]),
                                            capture_output=True, text=True, check=True, timeout=120, env=env,
                                            cwd=repo_root).stdout)
            for mode in ("lean", "plain")}
    assert not runs["lean"]["asyncio"] and not runs["lean"]["extensions"]
    # finding and running an installed model needs no network module; installing does
    assert runs["lean"]["network"] == []
    assert runs["lean"]["installers"] == ["bilingual.packages.index", "bilingual.packages.archive",
                                          "bilingual.packages.index"]
    assert runs["plain"]["asyncio"] and runs["plain"]["extensions"]
    assert runs["lean"]["outputs"] == runs["plain"]["outputs"] and all(runs["lean"]["outputs"])
    assert runs["lean"]["later"] and runs["plain"]["later"]


def test_a_preload_loads_in_a_thread_and_decodes_nothing_ahead(argos_packages_dir, segments, monkeypatch):
    """preload() loads the model in a thread and returns at once; it decodes nothing (a warm-up
    input per worker cost more CPU than it saved the first batch, bench/README.md): no engine call
    and no progress before the first translate(), whose translations are those of an engine that
    was not preloaded."""
    calls: list[tuple[int, int]] = []

    class Recording:
        def __init__(self, translator):
            self._translator = translator

        def translate_batch(self, batch, **options):
            calls.append((len(batch), options.get("max_batch_size", 0)))
            return self._translator.translate_batch(batch, **options)

    real_load = ArgosEngine._load

    def load(self):
        translator, sp = real_load(self)
        if not isinstance(translator, Recording):
            self._translator = Recording(translator)
        return self._translator, sp

    monkeypatch.setattr(ArgosEngine, "_load", load)
    preloaded = ArgosEngine()
    progress: list[int] = []
    preloaded.on_progress = progress.append
    preloaded.preload()
    preloaded._preloading.join(timeout=120)
    assert isinstance(preloaded._translator, Recording)  # loaded by the preload thread
    assert calls == [] and progress == []
    preloaded.on_progress = None
    assert preloaded.translate(segments[:6]) == ArgosEngine().translate(segments[:6])
