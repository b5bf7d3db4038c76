"""Security (issue 6): output paths stay inside the translations folder, nothing touches
the network unless a command that needs it is run, and model archives are checked
before anything is extracted.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.config import default_po_path, document_name_for, load_config, slugify
from bilingual.errors import BilingualError

REPO_ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = REPO_ROOT / "translations" / "shanghai-port-2025" / "source.zh.txt"
GLOSSARY = REPO_ROOT / "glossary"


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def one_line_error(result: subprocess.CompletedProcess, named, *problem: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("bilingual: error: ") and str(named) in lines[0], lines[0]
    for fragment in problem:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------- output paths


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["..", ".", "/", "\\", "~", "etc", "passwd", "%2e%2e", "\x00", "上海", " ", "C:"]),
             max_size=10).map("".join),
))
def test_document_names_cannot_leave_the_translations_folder(tmp_path_factory, name):
    root = tmp_path_factory.getbasetemp() / "translations"
    path = default_po_path(name, root)
    assert root.resolve() in path.resolve().parents
    assert path.parent.parent == root  # translations/<slug>/<slug>.en.po, one level down
    slug = slugify(name)
    assert slug and slug not in (".", "..") and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    derived = document_name_for(Path(name.replace("\x00", "") or "x") / "source.zh.txt")
    assert root.resolve() in default_po_path(derived, root).resolve().parents


def test_cli_name_and_source_path_with_dot_dot_stay_inside(run_cli, tmp_path):
    """``--name ../../etc`` and a source given as ``../../x.zh.txt`` write under ./translations only."""
    project = tmp_path / "project" / "nested" / "deeper"
    project.mkdir(parents=True)
    source = tmp_path / "project" / "x.zh.txt"
    source.write_bytes(SHANGHAI.read_bytes())
    before = files_under(tmp_path)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    common = ["--engine", "none", "--glossary", GLOSSARY, "-q"]

    result = run_cli(["translate", "../../x.zh.txt", *common], cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    result = run_cli(["translate", "../../x.zh.txt", "--name", "../../etc", *common], cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    result = run_cli(["translate", "../../x.zh.txt", "--name", "/etc/passwd", *common], cwd=project, env=env)
    assert result.returncode == 0, result.stderr

    created = files_under(tmp_path) - before
    written = {p for p in created if not p.startswith("cache/")}
    assert written == {
        "project/nested/deeper/translations/x/x.en.po",
        "project/nested/deeper/translations/x/x.en.po.lock",
        "project/nested/deeper/translations/etc/etc.en.po",
        "project/nested/deeper/translations/etc/etc.en.po.lock",
        "project/nested/deeper/translations/etc-passwd/etc-passwd.en.po",
        "project/nested/deeper/translations/etc-passwd/etc-passwd.en.po.lock",
    }


def test_config_document_names_stay_inside(tmp_path):
    config = tmp_path / "bilingual.toml"
    config.write_text('[[document]]\nname = "../../../etc"\nsource = "a.zh.txt"\n\n'
                      '[[document]]\nsource = "../../outside/b.zh.txt"\n', encoding="utf-8")
    documents = load_config(config).documents
    for doc in documents:
        assert (tmp_path / "translations").resolve() in doc.po.resolve().parents, doc.po
    assert [d.name for d in documents] == ["etc", "b"]


def test_default_po_path_refuses_a_root_it_would_leave(tmp_path, monkeypatch):
    # belt and braces: even if slugify let something through, the final check refuses it
    monkeypatch.setattr("bilingual.config.slugify", lambda name: name)
    with pytest.raises(BilingualError, match="would leave"):
        default_po_path("../../etc", tmp_path / "translations")


# --------------------------------------------------------------------------- network


class ConnectionTrap:
    """A loopback listener that records every connection made to it (the proxy every
    HTTP client is told to use), so a request that would leave the machine is seen."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(200) or b"(nothing sent)")
                except OSError:
                    self.connections.append(b"(connected)")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str | None]:
        proxy = self.url
        return {
            "http_proxy": proxy, "https_proxy": proxy, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy,
            "ALL_PROXY": proxy, "all_proxy": proxy, "no_proxy": None, "NO_PROXY": None,
            "ARGOS_PACKAGE_INDEX": proxy + "/",  # an index fetch would land here too
            "LIBRETRANSLATE_URL": None, "HF_HUB_OFFLINE": None, "SPACY_WARNING_IGNORE": None,
        }

    def close(self):
        self._stop.set()
        self.server.close()
        self._thread.join(timeout=2)


@pytest.fixture
def trap():
    trap = ConnectionTrap()
    yield trap
    trap.close()


# Installed before anything else is imported: every TCP/UDP connect and every DNS lookup
# is recorded on stderr and refused. AF_UNIX (multiprocessing's forkserver) is allowed.
GUARD = r"""
import socket, sys
def _refuse(what):
    sys.stderr.write(f"NETWORK ATTEMPT: {what}\n"); sys.stderr.flush()
    raise OSError(f"network blocked by the test: {what}")
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6): _refuse(f"connect {address!r}")
    return _connect(self, address)
def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6): _refuse(f"connect_ex {address!r}")
    return _connect_ex(self, address)
def sendto(self, *args):
    if self.family in (socket.AF_INET, socket.AF_INET6): _refuse(f"sendto {args[-1]!r}")
    return _sendto(self, *args)
_sendto = socket.socket.sendto
socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.create_connection = lambda address, *a, **k: _refuse(f"create_connection {address!r}")
socket.getaddrinfo = lambda host, *a, **k: _refuse(f"getaddrinfo {host!r}")
socket.gethostbyname = lambda host: _refuse(f"gethostbyname {host!r}")
"""

RUN_MAIN = GUARD + r"""
from bilingual.cli import main
sys.exit(main(sys.argv[1:]))
"""


def guarded(args, env: dict[str, str], cwd: Path, code: str = RUN_MAIN) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), full.get("PYTHONPATH")]))
    for key, value in env.items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=full, cwd=str(cwd),
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_no_command_but_models_install_touches_the_network(trap, argos_packages_dir, tmp_path):
    """translate (argos, pseudo, none), check, build, glossary check, models list: with every
    proxy variable pointing at a recording listener and every socket connect / DNS lookup
    refused in the process, no connection is attempted and every command succeeds."""
    source = tmp_path / "doc.zh.txt"
    source.write_bytes(SHANGHAI.read_bytes())
    env = {**trap.env(), "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    po = tmp_path / "doc.en.po"
    commands = [
        ["translate", source, "--engine", "argos", "-o", tmp_path / "argos.en.po", "--glossary", GLOSSARY, "-q"],
        ["translate", source, "--engine", "pseudo", "-o", po, "--glossary", GLOSSARY, "-q"],
        ["translate", source, "--engine", "none", "-o", tmp_path / "none.en.po", "--glossary", GLOSSARY, "-q"],
        ["check", po, "--glossary", GLOSSARY, "--format", "json"],
        ["build", po, "-f", "md", "-f", "html", "-f", "bilingual-html", "-f", "tmx", "--glossary", GLOSSARY, "-q"],
        ["glossary", "check", "--glossary", GLOSSARY, "-q"],
        ["models", "list", "-q"],
        ["models", "install", "--if-missing", "-q"],
    ]
    for args in commands:
        result = guarded(args, env, tmp_path)
        assert "NETWORK ATTEMPT" not in result.stderr, (args, result.stderr)
        allowed = (0, 1) if args[0] == "check" else (0,)  # check: 1 = QA findings in a pseudo translation
        assert result.returncode in allowed, (args, result.returncode, result.stderr[-2000:])
    assert trap.connections == []
    assert (tmp_path / "argos.en.po").exists() and (tmp_path / "doc.en.md").exists()

    # the trap works: the one command that needs the network is seen (and refused)
    result = guarded(["models", "install", "-q"], env, tmp_path)
    assert result.returncode == 2 and "NETWORK ATTEMPT" in result.stderr


def test_the_proxy_trap_sees_a_real_request(trap, run_cli, tmp_path):
    """Without the in-process guard, ``models install`` goes through the proxy: the trap records it."""
    packages = tmp_path / "packages"
    packages.mkdir()
    result = run_cli(["models", "install", "-q"],
                     env={**trap.env(), "ARGOS_PACKAGE_INDEX": "http://argos-index.invalid/",
                          "ARGOS_PACKAGES_DIR": str(packages)}, timeout=120)
    assert result.returncode == 2 and "could not be reached" in result.stderr
    assert trap.connections and b"argos-index.invalid" in trap.connections[0]


IMPORTS = GUARD + r"""
import argostranslate
import argostranslate.settings, argostranslate.package, argostranslate.translate
import spacy
nlp = spacy.blank("zh")
nlp.add_pipe("sentencizer")
assert [s.text for s in nlp("第一句。第二句。").sents] == ["第一句。", "第二句。"]
import ctranslate2, sentencepiece
from bilingual.segment import split_sentences
assert split_sentences(["甲。乙。"]) == [["甲。", "乙。"]]
print("imported")
"""


def test_importing_argostranslate_and_spacy_does_not_phone_home(trap, tmp_path):
    env = {**trap.env(), "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    result = guarded([], env, tmp_path, code=IMPORTS)
    assert "NETWORK ATTEMPT" not in result.stderr, result.stderr
    assert result.returncode == 0 and result.stdout.strip() == "imported", result.stderr
    assert trap.connections == []


def test_in_process_pipeline_with_sockets_refused(argos_packages_dir, tmp_path, monkeypatch):
    """translate.run with the real (tiny) Argos engine and with pseudo, every connect refused."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network blocked by the test")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    from bilingual.cache import TranslationCache
    from bilingual.engines import get_engine
    from bilingual.glossary import load_glossary
    from bilingual.translate import Job, run

    source = tmp_path / "doc.zh.txt"
    source.write_bytes(SHANGHAI.read_bytes())
    glossary = load_glossary(GLOSSARY)
    for engine in ("argos", "pseudo"):
        stats = run([Job("doc", source, tmp_path / f"{engine}.en.po")], get_engine(engine), glossary,
                    cache=TranslationCache(tmp_path / "cache"))
        assert stats[0].machine > 90, engine
    assert attempts == []


# --------------------------------------------------------------------------- model archives


def rewrite(source: Path, target: Path, *, metadata=None, extra=(), drop=()) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            if any(part in info.filename for part in drop):
                continue
            data = src.read(info)
            if metadata and info.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **metadata}).encode()
            out.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
        for info, data in extra:
            out.writestr(info, data)
    return target


def _symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info, target.encode()


TOP = "translate-zh_en-0_0_1-tiny"


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda pkg, t: rewrite(pkg, t, drop=("/metadata.json",)), "not an Argos package (no "),
        (lambda pkg, t: rewrite(pkg, t, metadata={"from_code": "en", "to_code": "de"}),
         "this package translates en→de, but a zh→en package is needed"),
        (lambda pkg, t: rewrite(pkg, t, extra=[(zipfile.ZipInfo(f"{TOP}/../../escaped.txt"), b"x")]), "'..' in path"),
        (lambda pkg, t: rewrite(pkg, t, extra=[(zipfile.ZipInfo("../escaped.txt"), b"x")]), "'..' in path"),
        (lambda pkg, t: rewrite(pkg, t, extra=[(zipfile.ZipInfo(f"{TOP}\\..\\..\\escaped.txt"), b"x")]), "'..' in path"),
        (lambda pkg, t: rewrite(pkg, t, extra=[(zipfile.ZipInfo("/tmp/escaped-absolute.txt"), b"x")]), "absolute path"),
        (lambda pkg, t: rewrite(pkg, t, extra=[(zipfile.ZipInfo("C:/escaped.txt"), b"x")]), "absolute path"),
        (lambda pkg, t: rewrite(pkg, t, extra=[_symlink(f"{TOP}/model/escape", "/etc")]), "symbolic link"),
        (lambda pkg, t: rewrite(pkg, t, extra=[_symlink(f"{TOP}/link", "../../..")]), "symbolic link"),
        (lambda pkg, t: (t.write_bytes(b"%PDF-1.4 not a model"), t)[1], "not a zip archive"),
    ],
    ids=["no-metadata", "other-pair", "dotdot-inside", "dotdot-top", "backslash-dotdot", "absolute",
         "drive-letter", "symlink-absolute", "symlink-relative", "not-zip"],
)
def test_cli_refuses_bad_model_archives_before_extracting(argos_package, run_cli, tmp_path, make, problem):
    packages = tmp_path / "packages"
    packages.mkdir()
    bad = make(argos_package, tmp_path / "bad.argosmodel")
    before = files_under(tmp_path)
    result = run_cli(["models", "install", "--from", bad], env={"ARGOS_PACKAGES_DIR": str(packages)})
    one_line_error(result, bad, problem)
    assert files_under(tmp_path) == before  # nothing extracted, anywhere under the test folder
    assert list(packages.iterdir()) == []
    assert not Path("/tmp/escaped-absolute.txt").exists()
