"""The ``libretranslate`` engine against servers that misbehave in ways a timeout per read, a
status code or a JSON check does not catch: an answer dripped a byte at a time, requests still
in flight when the run is interrupted, control characters in translations and error messages,
items that are not text, an answer of unbounded size (attack 9)."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ltserver import StubServer  # noqa: E402

from bilingual.engines import lthttp  # noqa: E402
from bilingual.engines.libretranslate import LibreTranslateEngine  # noqa: E402
from bilingual.errors import BilingualError  # noqa: E402

TEXTS = [f"第{i}条：加强口岸协调，提升通关效率。" for i in range(50)]


def engine_for(url: str, **options) -> LibreTranslateEngine:
    return LibreTranslateEngine(url, sleep=lambda seconds: None, **options)


class LocalServer:
    """A LibreTranslate stand-in on 127.0.0.1 whose ``POST /translate`` answer is ``respond(handler, texts)``."""

    def respond(self, handler: BaseHTTPRequestHandler, texts: list[str]) -> None:
        raise NotImplementedError

    def __init__(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                server.respond(self, body["q"])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class DripServer(LocalServer):
    """Answers correctly, one byte every ``pause`` seconds."""

    def __init__(self, pause: float):
        self.pause = pause
        super().__init__()

    def respond(self, handler, texts):
        data = json.dumps({"translatedText": [f"EN({t})" for t in texts]}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        try:
            for byte in data:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(self.pause)
        except OSError:  # the client gave up: what the test wants
            pass


class GzipServer(LocalServer):
    """Answers with ``translated(texts)`` as gzip-compressed JSON."""

    def __init__(self, translated):
        self.translated = translated
        super().__init__()

    def respond(self, handler, texts):
        import gzip

        data = gzip.compress(json.dumps({"translatedText": self.translated(texts)}).encode())
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def test_an_answer_dripped_a_byte_at_a_time_is_a_timeout():
    """httpx's read timeout is per read: a byte every 0.2 s never trips a 1 s timeout, and an
    answer of ~600 bytes took two minutes (a proxy trickling its answer: for ever)."""
    outcome: list = []

    def call() -> None:
        try:
            outcome.append(engine_for(server.url, timeout=1, retries=0).translate(TEXTS[:8]))
        except BilingualError as exc:
            outcome.append(exc)

    with DripServer(pause=0.2) as server:
        caller = threading.Thread(target=call, daemon=True)
        caller.start()
        caller.join(timeout=30)
        assert not caller.is_alive(), "the dripped answer was waited for past its timeout"
    assert isinstance(outcome[0], BilingualError)
    assert f"LibreTranslate server at {server.url} is not answering (ReadTimeout" in str(outcome[0])


class Interrupted(Exception):
    pass


def test_an_interrupt_does_not_wait_for_the_requests_in_flight():
    """Ctrl-C / SIGTERM while four batches wait on a slow server: the executor the batches ran in
    was joined on the way out, so the run ended only when every request had been answered."""

    def interrupt(signum, frame):
        raise Interrupted

    previous = signal.signal(signal.SIGUSR1, interrupt)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGUSR1))
    try:
        with StubServer(delay=6) as stub:
            engine = engine_for(stub.url, batch_size=8, max_in_flight=4)
            timer.start()
            with pytest.raises(Interrupted):
                engine.translate(TEXTS[:32])
            assert stub.in_flight == 4  # returned while all four were still being answered
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)


def test_what_the_server_says_reaches_neither_a_msgstr_nor_the_terminal_as_control_characters():
    def dirty(payload):
        return 200, {}, {"translatedText": [f"EN\x00(\u202e{t}\u200b)\x1b[31m" for t in payload["q"]]}

    with StubServer([dirty]) as stub:
        out = engine_for(stub.url).translate(TEXTS[:3])
    assert out == [f"EN({t})[31m" for t in TEXTS[:3]]
    shouting = (500, {}, {"error": "\x1b]0;owned\x07\x1b[2J boom"})
    with StubServer([shouting]) as stub, pytest.raises(BilingualError) as error:
        engine_for(stub.url, retries=0).translate(TEXTS[:1])
    assert "boom" in str(error.value) and not any(ch in str(error.value) for ch in "\x1b\x07")


def test_translations_that_are_not_text_are_named_as_such():
    """A list of lists was "returned 16 translations for 16 segments", which is no reason at all."""
    nested = (200, {}, {"translatedText": [["EN"], ["EN"]]})
    with StubServer([nested]) as stub, \
            pytest.raises(BilingualError, match="returned a list, not text, as translation 1 of 2"):
        engine_for(stub.url).translate(TEXTS[:2])


def test_an_answer_past_the_size_bound_is_refused(monkeypatch):
    monkeypatch.setattr(lthttp, "MAX_ANSWER_BYTES", 10_000)
    huge = (200, {}, {"translatedText": ["x" * 20_000, "y"]})
    with StubServer([huge]) as stub, pytest.raises(BilingualError, match="sent an answer over"):
        engine_for(stub.url).translate(TEXTS[:2])


def test_a_compressed_answer_is_read_once_and_bounded_as_it_inflates(monkeypatch):
    """A proxy in front of LibreTranslate may gzip its answers: they are decoded (once), and the
    size bound is on the decoded JSON — a few kB of gzip can inflate to gigabytes."""
    with GzipServer(lambda texts: [f"EN {n}" for n in range(len(texts))]) as server:
        assert engine_for(server.url).translate(TEXTS[:3]) == ["EN 0", "EN 1", "EN 2"]
    monkeypatch.setattr(lthttp, "MAX_ANSWER_BYTES", 10_000)
    with GzipServer(lambda texts: ["x" * 50_000 for _ in texts]) as server, \
            pytest.raises(BilingualError, match="sent an answer over 10,000 bytes"):
        engine_for(server.url).translate(TEXTS[:2])


def test_a_run_interrupted_while_the_server_stalls_ends_at_once_writes_nothing_and_resumes(repo_root, tmp_path):
    """SIGTERM (a CI job cancelled) while three batches wait on a stalled server: exit 130 with one
    line, no PO file, and the next run sends only what the interrupted one had not got back. The
    run used to wait, after the signal, until every request in flight was answered or timed out."""
    import shutil
    import subprocess

    source = tmp_path / "doc" / "source.zh.txt"
    source.parent.mkdir()
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", source)
    po = tmp_path / "doc.en.po"
    env = {**os.environ, "PYTHONPATH": str(repo_root), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("LIBRETRANSLATE_API_KEY", None)
    args = [sys.executable, "-m", "bilingual", "translate", str(source), "--engine", "libretranslate", "-o", str(po),
            "--cache-dir", str(tmp_path / "cache"), "--batch-size", "16", "--max-in-flight", "4", "--retries", "0",
            "--format", "json"]

    release = threading.Event()
    answered = []

    def reply(payload):  # the probe and the first engine call (4 batches of 16), then a stall until released
        answered.append(len(payload["q"]))
        if len(answered) > 5 and not release.is_set():
            release.wait(60)
        return StubServer.echo(payload)

    with StubServer([reply]) as stub:  # one server for both runs: its URL is part of the MT cache's key
        run = subprocess.Popen([*args, "--url", stub.url], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        for _ in range(600):
            if stub.translate_calls >= 6 or run.poll() is not None:
                break
            time.sleep(0.1)
        assert stub.in_flight > 0, run.communicate()[1] if run.poll() is not None else "no request stalled"
        run.send_signal(signal.SIGTERM)
        try:
            _, stderr = run.communicate(timeout=30)
        finally:
            run.kill()
        still_waiting = stub.in_flight
        release.set()
        assert still_waiting > 0  # the run ended before the server answered
        assert run.returncode == 130
        lines = [line for line in stderr.splitlines() if line.strip() and "warning:" not in line]
        assert len(lines) == 1 and lines[0].startswith("bilingual: interrupted;"), stderr
        assert not po.exists()

        before = stub.translate_calls
        again = subprocess.run([*args, "--url", stub.url], env=env, capture_output=True, text=True, timeout=120)
        sent = sum(len(body["q"]) for body in stub.translate_bodies()[before + 1:])
    assert again.returncode == 0, again.stderr
    stats = json.loads(again.stdout)[0]
    assert stats["cached"] >= 48 and sent < stats["machine"] + stats["cached"], (stats, sent)
    assert po.exists()
