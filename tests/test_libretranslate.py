"""The ``libretranslate`` engine: against a scripted stub for every error path, and
against a REAL LibreTranslate server on loopback (its own virtual environment,
the tiny Argos package, offline; see tests/ltserver.py) for normal runs, a server
restart in the middle of a run, API keys, and deploy/nginx.conf balancing two
replicas (skipped without Debian's nginx-light). Also: ``--jobs`` over 20 documents.

The first run creates the LibreTranslate virtual environment (~25 s with pip's
cache warm, ~60 s cold); ``BILINGUAL_SKIP_LIBRETRANSLATE=1`` skips the real-server tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest
from conftest import need

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ltserver import (  # noqa: E402
    SKIP_VARIABLE,
    LTServer,
    LTUnavailable,
    StubServer,
    document_variants,
    ensure_lt_venv,
    free_port,
    install_lt_packages,
    wait_for_languages,
)

from bilingual.engines import Engine, get_engine  # noqa: E402
from bilingual.engines.libretranslate import API_KEY_VARIABLE, LibreTranslateEngine  # noqa: E402
from bilingual.errors import BilingualError  # noqa: E402

SECRET = "s3cr3t-key-7f9a2c"
TEXTS = [f"第{i}条：加强口岸协调，提升通关效率。" for i in range(50)]


class Sleeps(list):
    """Records backoff delays instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch):
    monkeypatch.delenv(API_KEY_VARIABLE, raising=False)
    monkeypatch.delenv("LIBRETRANSLATE_URL", raising=False)


def engine_for(url: str, sleeps=None, **options) -> LibreTranslateEngine:
    return LibreTranslateEngine(url, sleep=sleeps if sleeps is not None else Sleeps(), **options)


# --------------------------------------------------------------------------- protocol, batching, key


def test_protocol_identity_and_batches_in_order(sleeps):
    with StubServer(delay=0.05) as stub:
        engine = engine_for(stub.url, sleeps, batch_size=8, max_in_flight=3)
        assert isinstance(engine, Engine) and engine.name == "libretranslate"
        assert isinstance(get_engine("libretranslate", url=stub.url), LibreTranslateEngine)
        engine.check_ready()
        assert engine.identity() == f"libretranslate/127.0.0.1:{stub.port}/stub-1.0/zh-en"
        texts = TEXTS[:20] + ["", "  "] + TEXTS[20:]
        out = engine.translate(texts)
        assert out == [f"EN({t})" if t.strip() else "" for t in texts]
        bodies = stub.translate_bodies()[1:]  # [0] is check_ready's probe
        assert [len(b["q"]) for b in bodies] == [8] * 6 + [2]  # blanks are never sent
        assert all(b["source"] == "zh" and b["target"] == "en" and b["format"] == "text" for b in bodies)
        assert 1 < stub.max_in_flight <= 3  # concurrent, and bounded
        assert engine.preferred_batch_size == 24
        assert sleeps == []


def test_api_key_goes_in_the_json_body_only(monkeypatch):
    monkeypatch.setenv(API_KEY_VARIABLE, SECRET)
    with StubServer() as stub:
        engine = engine_for(f"http://user:pw@127.0.0.1:{stub.port}/")
        engine.check_ready()
        engine.translate(TEXTS[:3])
        bodies = stub.translate_bodies()
        assert bodies and all(body["api_key"] == SECRET for body in bodies)
        for _method, path, headers, _ in stub.requests:
            assert SECRET not in path and SECRET not in json.dumps(headers)
            assert headers["Authorization"].startswith("Basic ")  # URL credentials: HTTP basic auth (nginx)
        assert SECRET not in repr(engine) and SECRET not in engine.identity()
        assert "user:pw" not in engine.identity() and engine.url == f"http://127.0.0.1:{stub.port}"


def test_no_key_no_api_key_field():
    with StubServer() as stub:
        engine_for(stub.url).translate(TEXTS[:2])
        assert all("api_key" not in body for body in stub.translate_bodies())


# --------------------------------------------------------------------------- retries and errors


def test_429_then_200_is_retried_with_backoff(sleeps):
    replies = [(429, {"Retry-After": "0"}, {"error": "Slowdown: 1 per 1 second"})] * 2 + ["echo"]
    with StubServer(replies) as stub:
        engine = engine_for(stub.url, sleeps, backoff=0.5)
        assert engine.translate(TEXTS[:4]) == [f"EN({t})" for t in TEXTS[:4]]
        assert engine.retried == 2 and stub.translate_calls == 3
        assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # ½–1 × 0.5 × 2^(n−1)


def test_retry_after_is_honoured_but_capped(sleeps):
    replies = [(503, {"Retry-After": "3"}, {"error": "busy"}), (429, {"Retry-After": "999"}, {}), "echo"]
    with StubServer(replies) as stub:
        engine_for(stub.url, sleeps, max_backoff=5).translate(TEXTS[:1])
    assert sleeps[0] == 3 and sleeps[1] == 5


def test_500_beyond_the_retry_budget_is_one_clear_error(sleeps):
    with StubServer([(500, {}, {"error": "Cannot translate text: boom"})]) as stub:
        engine = engine_for(stub.url, sleeps, retries=3, backoff=0.1)
        with pytest.raises(BilingualError) as caught:
            engine.translate(TEXTS[:2])
    message = str(caught.value)
    assert message.startswith(f"LibreTranslate at {stub.url} failed: HTTP 500 (Cannot translate text: boom)")
    assert "after 4 attempts" in message and "\n" not in message
    assert stub.translate_calls == 4 and len(sleeps) == 3
    for number, delay in enumerate(sleeps):  # exponential, jittered
        assert 0.05 * 2**number <= delay <= 0.1 * 2**number


def test_rate_limited_beyond_the_retries(sleeps):
    expected = r"still rate-limiting \(HTTP 429: Too many requests\) after 3 attempts"
    with StubServer([(429, {}, {"error": "Too many requests"})]) as stub, pytest.raises(BilingualError, match=expected):
        engine_for(stub.url, sleeps, retries=2).translate(TEXTS[:2])


def test_invalid_api_key_is_not_retried_and_not_echoed(monkeypatch, sleeps):
    monkeypatch.setenv(API_KEY_VARIABLE, SECRET)
    reply = (403, {}, {"error": f"Invalid API key {SECRET}"})  # even a server echoing it back
    with StubServer([reply]) as stub:
        engine = engine_for(stub.url, sleeps)
        with pytest.raises(BilingualError) as caught:
            engine.check_ready()
    message = str(caught.value)
    assert "refused the API key (HTTP 403: Invalid API key ***)" in message
    assert API_KEY_VARIABLE in message and SECRET not in message
    assert stub.translate_calls == 1 and sleeps == []


def test_missing_api_key(sleeps):
    reply = (400, {}, {"error": "Please contact the server operator to get an API key"})
    with StubServer([reply]) as stub, pytest.raises(BilingualError, match=f"requires an API key.*{API_KEY_VARIABLE}"):
        engine_for(stub.url, sleeps).check_ready()


def test_unreachable_server_names_the_url(sleeps):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    engine = engine_for(url, sleeps, retries=5)
    with pytest.raises(BilingualError) as caught:
        engine.check_ready()
    message = str(caught.value)
    assert message.startswith(f"LibreTranslate server at {url} is unreachable (")
    assert "3 attempts" in message and "is --url right?" in message and len(sleeps) == 2


def test_pair_not_loaded(sleeps):
    languages = [{"code": "en", "name": "English", "targets": ["fr"]}, {"code": "fr", "targets": ["en"]}]
    with StubServer(languages=languages) as stub, pytest.raises(BilingualError) as caught:
        engine_for(stub.url, sleeps).check_ready()
    assert "has no zh→en model loaded (it offers: en→fr, fr→en)" in str(caught.value)
    assert "--load-only zh,en" in str(caught.value)


def test_dropped_connection_then_success(sleeps):
    with StubServer([(0, {}, None), "echo"]) as stub:
        engine = engine_for(stub.url, sleeps)
        assert engine.translate(TEXTS[:2]) == [f"EN({t})" for t in TEXTS[:2]]
        assert engine.retried == 1


def test_wrong_number_of_translations(sleeps):
    with StubServer([(200, {}, {"translatedText": ["only one"]})]) as stub, \
            pytest.raises(BilingualError, match="returned 1 translations for 3 segments"):
        engine_for(stub.url, sleeps).translate(TEXTS[:3])


def test_bad_url_and_missing_url():
    with pytest.raises(BilingualError, match="needs the server URL"):
        LibreTranslateEngine(None)
    with pytest.raises(BilingualError, match="must look like http://HOST:PORT"):
        LibreTranslateEngine("localhost:5000")


def test_other_4xx_is_not_retried(sleeps):
    reply = (400, {}, {"error": "Invalid request: request (16) exceeds text limit (8)"})
    with StubServer([reply]) as stub, pytest.raises(BilingualError, match="rejected the request.*lower --batch-size"):
        engine_for(stub.url, sleeps).translate(TEXTS[:3])
    assert sleeps == []


# --------------------------------------------------------------------------- through the CLI (stub)


@pytest.fixture
def shanghai(repo_root, tmp_path) -> Path:
    path = tmp_path / "src" / "shanghai-port-2025" / "source.zh.txt"
    path.parent.mkdir(parents=True)
    shutil.copy(repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt", path)
    return path


def cli_translate(run_cli, source, po, url, tmp_path, *extra, env=None):
    args = ["translate", source, "--engine", "libretranslate", "--url", url, "-o", po, "--format", "json",
            "--cache-dir", tmp_path / "cache", *extra]
    return run_cli(args, env={"XDG_CACHE_HOME": str(tmp_path / "xdg"), **(env or {})})


def test_cli_key_from_environment_never_printed_or_stored(run_cli, shanghai, tmp_path):
    with StubServer() as stub:
        po = tmp_path / "out" / "stub.en.po"
        result = cli_translate(run_cli, shanghai, po, stub.url, tmp_path, env={API_KEY_VARIABLE: SECRET})
        assert result.returncode == 0, result.stderr
        bodies = stub.translate_bodies()
    assert len(bodies) > 2 and all(body["api_key"] == SECRET for body in bodies)
    stats = json.loads(result.stdout)[0]
    assert stats["machine"] > 50
    for text in (result.stdout, result.stderr, po.read_text(encoding="utf-8")):
        assert SECRET not in text
    for file in (tmp_path / "cache").rglob("*"):
        assert SECRET.encode() not in file.read_bytes()
    entry = polib.pofile(str(po)).find("measure-19.s1", by="msgctxt")
    assert entry.msgstr.startswith("EN(") and "Single Window" in entry.msgstr  # glossary restored
    assert f"origin: machine translation (libretranslate/127.0.0.1:{stub.port}/stub-1.0/zh-en)" in entry.comment


def test_cli_errors_are_one_line(run_cli, shanghai, tmp_path):
    po = tmp_path / "x.po"
    closed = f"http://127.0.0.1:{free_port()}"
    result = cli_translate(run_cli, shanghai, po, closed, tmp_path, "--retries", "1")
    assert result.returncode == 2
    assert result.stderr.startswith(f"bilingual: error: LibreTranslate server at {closed} is unreachable")
    assert result.stderr.count("\n") == 1 and not po.exists()

    with StubServer([(403, {}, {"error": "Invalid API key"})]) as stub:
        result = cli_translate(run_cli, shanghai, po, stub.url, tmp_path, env={API_KEY_VARIABLE: SECRET})
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "refused the API key" in result.stderr and SECRET not in result.stderr + result.stdout

    result = run_cli(["translate", shanghai, "--engine", "libretranslate", "-o", po],
                     env={"LIBRETRANSLATE_URL": None})
    assert result.returncode == 2 and "needs the server URL" in result.stderr

    help_text = run_cli(["translate", "--help"]).stdout
    assert API_KEY_VARIABLE in help_text and "--api-key" not in help_text


def test_cli_retries_through_a_flaky_server(run_cli, shanghai, tmp_path):
    replies = [(503, {}, {"error": "starting"}), (429, {"Retry-After": "0"}, {}), "echo"]
    with StubServer(replies) as stub:
        result = cli_translate(run_cli, shanghai, tmp_path / "f.po", stub.url, tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)[0]
    assert stats["untranslated"] == stats["suspect_names"] == 1  # the masthead's 上海市海归会, never sent


# --------------------------------------------------------------------------- a real LibreTranslate server


@pytest.fixture(scope="session")
def lt_bin() -> Path:
    if os.environ.get(SKIP_VARIABLE):
        pytest.skip(f"{SKIP_VARIABLE} is set")
    try:
        return ensure_lt_venv()
    except LTUnavailable as exc:
        pytest.fail(f"could not install LibreTranslate for the tests (set {SKIP_VARIABLE}=1 to skip): {exc}")


@pytest.fixture(scope="session")
def lt_packages(argos_package, tmp_path_factory) -> Path:
    from conftest import build_cached_package

    en_zh = build_cached_package(from_code="en", to_code="zh")
    return install_lt_packages(tmp_path_factory.mktemp("lt-packages"), argos_package, en_zh)


@pytest.fixture(scope="module")
def lt_server(lt_bin, lt_packages, tmp_path_factory):
    with LTServer(lt_bin, lt_packages, tmp_path_factory.mktemp("lt-state"), threads=2) as server:
        yield server.start()


def strip_dates(text: str) -> str:
    return re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*\n', "", text, flags=re.MULTILINE)


@pytest.mark.slow
def test_real_server_normal_run_then_cache(run_cli, lt_server, shanghai, tmp_path):
    po = tmp_path / "a" / "lt.en.po"
    result = cli_translate(run_cli, shanghai, po, lt_server.url, tmp_path)
    assert result.returncode == 0, result.stderr + lt_server.log_tail()
    stats = json.loads(result.stdout)[0]
    assert stats["machine"] > 50 and stats["cached"] == 0 and stats["untranslated"] == stats["suspect_names"] == 1
    catalog = polib.pofile(str(po))
    identity = f"libretranslate/127.0.0.1:{lt_server.port}/1.9.6/zh-en"
    machine = [e for e in catalog if f"origin: machine translation ({identity})" in e.comment]
    assert len(machine) == stats["machine"] and all(e.msgstr and e.fuzzy for e in machine)
    assert "Single Window" in catalog.find("measure-19.s1", by="msgctxt").msgstr
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    # Same cache, another PO file: everything from the cache, nothing sent.
    again = cli_translate(run_cli, shanghai, tmp_path / "b" / "lt.en.po", lt_server.url, tmp_path)
    assert again.returncode == 0, again.stderr
    stats2 = json.loads(again.stdout)[0]
    assert stats2["cached"] == stats["machine"] and stats2["machine"] == 0
    assert strip_dates((tmp_path / "b" / "lt.en.po").read_text()) == strip_dates(po.read_text())


def _cache_rows(cache_dir: Path) -> int:
    try:
        with sqlite3.connect(cache_dir / "translations.sqlite3", timeout=5) as db:
            return db.execute("SELECT count(*) FROM mt").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_server_restart_in_the_middle_of_a_run(lt_bin, lt_packages, shanghai, tmp_path, repo_root):
    """Kill -9 the server after the first batches, start it again on the same port:
    the run retries, finishes, and its PO file equals an uninterrupted run's."""
    with LTServer(lt_bin, lt_packages, tmp_path / "state", threads=1) as server:
        server.start()
        cache = tmp_path / "cache-interrupted"
        po = tmp_path / "a" / "out.en.po"
        env = {**os.environ, "PYTHONPATH": str(repo_root), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
        command = [sys.executable, "-m", "bilingual", "translate", str(shanghai), "--engine", "libretranslate",
                   "--url", server.url, "-o", str(po), "--format", "json", "--cache-dir", str(cache),
                   "--batch-size", "2", "--max-in-flight", "1", "--retries", "8"]
        run = subprocess.Popen(command, env=env, cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            deadline = time.monotonic() + 120
            while _cache_rows(cache) < 4:
                assert run.poll() is None, run.communicate()
                assert time.monotonic() < deadline, "the run did not start translating"
                time.sleep(0.05)
            server.kill()
            rows_at_kill = _cache_rows(cache)
            time.sleep(1.0)  # the client now retries against a closed port
            server.start()
            stdout, stderr = run.communicate(timeout=300)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 0, stderr + server.log_tail()
        stats = json.loads(stdout)[0]
        assert stats["untranslated"] == stats["suspect_names"] and rows_at_kill < stats["machine"]
        assert server.starts == 2
        # Reference: an uninterrupted run against the same server, fresh cache.
        reference = tmp_path / "b" / "out.en.po"
        done = subprocess.run([*command[:command.index("-o")], "-o", str(reference), "--format", "json",
                               "--cache-dir", str(tmp_path / "cache-reference")],
                              env=env, cwd=repo_root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert strip_dates(po.read_text()) == strip_dates(reference.read_text())


@pytest.mark.slow
def test_real_server_api_keys(run_cli, lt_bin, lt_packages, shanghai, tmp_path):
    with LTServer(lt_bin, lt_packages, tmp_path / "state", api_keys=(SECRET,)) as server:
        server.start()
        good = cli_translate(run_cli, shanghai, tmp_path / "ok.po", server.url, tmp_path,
                             env={API_KEY_VARIABLE: SECRET})
        bad = cli_translate(run_cli, shanghai, tmp_path / "bad.po", server.url, tmp_path,
                            env={API_KEY_VARIABLE: "wrong-" + SECRET})
    assert good.returncode == 0, good.stderr
    assert SECRET not in good.stdout + good.stderr + (tmp_path / "ok.po").read_text()
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert f"LibreTranslate at {server.url} refused the API key (HTTP 403: Invalid API key)" in bad.stderr
    assert SECRET not in bad.stderr and not (tmp_path / "bad.po").exists()


@pytest.mark.slow
def test_engine_in_process_against_the_real_server(lt_server):
    engine = LibreTranslateEngine(lt_server.url, batch_size=3, max_in_flight=2)
    engine.check_ready()
    assert engine.identity() == f"libretranslate/127.0.0.1:{lt_server.port}/1.9.6/zh-en"
    texts = TEXTS[:7]
    assert engine.translate(texts) == [engine.translate([text])[0] for text in texts]  # batch-independent


# --------------------------------------------------------------------------- many documents at once


def test_twenty_documents_with_jobs_equal_twenty_single_runs(run_cli, repo_root, tmp_path):
    from bilingual.engines.pseudo import PseudoEngine
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    text = (repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt").read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = ["[defaults]", 'engine = "pseudo"', f"glossary = {json.dumps(str(repo_root / 'glossary'))}", ""]
    for number, variant in enumerate(document_variants(text, 20)):
        name = f"doc{number:02d}"
        (docs / f"{name}.zh.txt").write_text(variant, encoding="utf-8")
        lines += ["[[document]]", f'name = "{name}"', f'source = "docs/{name}.zh.txt"',
                  f'po = "many/{name}/{name}.en.po"', ""]
    config = tmp_path / "bilingual.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli(["translate", "--config", config, "--jobs", "2", "--format", "json"],
                     env={"XDG_CACHE_HOME": str(tmp_path / "xdg")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert [s["document"] for s in stats] == [f"doc{n:02d}" for n in range(20)]

    glossary = load_glossary(repo_root / "glossary")
    for number in range(20):
        name = f"doc{number:02d}"
        single = tmp_path / "single" / name / f"{name}.en.po"
        run([Job(name, docs / f"{name}.zh.txt", single)], PseudoEngine(), glossary)
        many = (tmp_path / "many" / name / f"{name}.en.po").read_text(encoding="utf-8")
        assert strip_dates(many) == strip_dates(single.read_text(encoding="utf-8")), name
    first, last = (tmp_path / "many" / n / f"{n}.en.po" for n in ("doc00", "doc19"))
    assert strip_dates(first.read_text()) != strip_dates(last.read_text())  # the variants differ


def test_prepare_many_keeps_order_and_reports_errors(repo_root, tmp_path):
    from bilingual.translate import Job, prepare, prepare_many

    source = repo_root / "translations" / "shanghai-port-2025" / "source.zh.txt"
    variants = document_variants(source.read_text(encoding="utf-8"), 4)
    jobs = []
    for number, variant in enumerate(variants):
        path = tmp_path / f"d{number}.zh.txt"
        path.write_text(variant, encoding="utf-8")
        jobs.append(Job(f"d{number}", path, tmp_path / f"d{number}.po"))
    parallel = prepare_many(jobs, 2)
    assert [p.job.name for p in parallel] == ["d0", "d1", "d2", "d3"]
    assert [[s.source for s in p.segments] for p in parallel] == [[s.source for s in prepare(j).segments] for j in jobs]
    broken = [*jobs, Job("gone", tmp_path / "missing.zh.txt", tmp_path / "gone.po")]
    with pytest.raises(BilingualError):
        prepare_many(broken, 2)


def test_concurrent_translate_calls_share_the_in_flight_bound(sleeps):
    with StubServer(delay=0.05) as stub:
        engine = engine_for(stub.url, sleeps, batch_size=2, max_in_flight=2)
        threads = [threading.Thread(target=engine.translate, args=(TEXTS[i * 10:(i + 1) * 10],)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert stub.max_in_flight <= 2 and stub.translate_calls == 15


# --------------------------------------------------------------------------- deploy/nginx.conf, for real


@pytest.mark.slow
def test_deploy_nginx_conf_balances_two_replicas_and_fails_over(lt_bin, lt_packages, shanghai, tmp_path,
                                                                repo_root, run_cli):
    """deploy/nginx.conf (hosts and port swapped for loopback ones) in front of two real
    LibreTranslate processes: requests reach both; a replica killed mid-run costs nothing."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    need(nginx is not None, "nginx (Debian: nginx-light)")
    replicas = [LTServer(lt_bin, lt_packages, tmp_path / f"replica-{n}") for n in (1, 2)]
    port = free_port()
    conf = (repo_root / "deploy" / "nginx.conf").read_text()
    for number, replica in enumerate(replicas, start=1):
        assert f"server libretranslate-{number}:5000" in conf
        conf = conf.replace(f"server libretranslate-{number}:5000", f"server 127.0.0.1:{replica.port}")
    conf = conf.replace("listen 5000;", f"listen 127.0.0.1:{port};")
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    conf_path = prefix / "nginx.conf"
    conf_path.write_text(conf)
    command = [nginx, "-p", str(prefix), "-c", str(conf_path), "-e", str(prefix / "logs" / "error.log"),
               "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    url = f"http://127.0.0.1:{port}"
    with replicas[0], replicas[1]:
        for replica in replicas:
            replica.start()
        with open(prefix / "logs" / "nginx.out", "wb") as log:
            proxy = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_languages(url, proxy, timeout=30)
            po = tmp_path / "a" / "lb.en.po"
            cache = tmp_path / "cache"
            env = {**os.environ, "PYTHONPATH": str(repo_root), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
                   API_KEY_VARIABLE: SECRET}  # ignored by these replicas (no --api-keys); must not be logged
            args = [sys.executable, "-m", "bilingual", "translate", str(shanghai), "--engine", "libretranslate",
                    "--url", url, "--format", "json", "--batch-size", "2", "--max-in-flight", "2"]
            run = subprocess.Popen([*args, "-o", str(po), "--cache-dir", str(cache)], env=env, cwd=repo_root,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 120
            while _cache_rows(cache) < 8:
                assert run.poll() is None and time.monotonic() < deadline, run.communicate()
                time.sleep(0.05)
            replicas[0].kill()  # for good: nginx sends the rest to replica 2
            stdout, stderr = run.communicate(timeout=300)
            assert run.returncode == 0, stderr
            assert json.loads(stdout)[0]["untranslated"] == json.loads(stdout)[0]["suspect_names"]
            served = [r.log_path.read_text(errors="replace").count("apply_packaged_translation") for r in replicas]
            assert all(count > 0 for count in served), served
            reference = tmp_path / "b" / "lb.en.po"
            done = subprocess.run([*args, "-o", str(reference), "--cache-dir", str(tmp_path / "cache-2")],
                                  env=env, cwd=repo_root, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)
    assert strip_dates(po.read_text()) == strip_dates(reference.read_text())
    access = (prefix / "logs" / "nginx.out").read_text()
    assert "POST /translate" in access and SECRET not in access


def test_identity_of_an_unreachable_server_is_not_guessed(sleeps):
    engine = engine_for(f"http://127.0.0.1:{free_port()}", sleeps, retries=0)
    with pytest.raises(BilingualError, match="unreachable"):
        engine.identity()


def test_redirect_is_reported(sleeps):
    with StubServer([(301, {"Location": "https://mt.example.org/translate"}, b"")]) as stub, \
            pytest.raises(BilingualError, match=r"redirects \(HTTP 301 to https://mt.example.org/translate\)"):
        engine_for(stub.url, sleeps).translate(TEXTS[:1])


def test_config_defaults_url(run_cli, shanghai, tmp_path, repo_root):
    """``[defaults] engine = "libretranslate"`` + ``url`` in bilingual.toml (config.py's ``Config.url``)."""
    with StubServer() as stub:
        config = tmp_path / "bilingual.toml"
        config.write_text("\n".join([
            "[defaults]", 'engine = "libretranslate"', f'url = "{stub.url}"',
            f"glossary = {json.dumps(str(repo_root / 'glossary'))}", "",
            "[[document]]", 'name = "shanghai-port-2025"', f"source = {json.dumps(str(shanghai))}",
            'po = "out/shanghai.en.po"', ""]), encoding="utf-8")
        result = run_cli(["translate", "--config", config, "--format", "json"],
                         env={"XDG_CACHE_HOME": str(tmp_path / "xdg"), "LIBRETRANSLATE_URL": None})
        assert result.returncode == 0, result.stderr
        assert stub.translate_calls > 1
