"""A real LibreTranslate server on loopback for tests and benchmarks, plus an HTTP stub.

LibreTranslate pins its own Flask, numpy and argostranslate, so it lives in its
own virtual environment, created on first use (about a minute; ~600 MB, no torch)
under ``tests/.model-cache/lt-venv`` and reused while :data:`LT_REQUIREMENT` is
unchanged. ``BILINGUAL_LT_VENV`` points at an existing one instead.

Offline by construction — nothing is downloaded when the server starts or translates:

* LibreTranslate's ``check_and_install_models`` updates the Argos index and
  downloads models whenever *fewer than two* packages are installed (even without
  ``--update-models``), then downloads MiniSBD models with 10 retries and
  exponential sleeps (~8 min offline). So the packages folder gets two tiny
  packages, zh→en and en→zh, and ``ARGOS_PACKAGE_INDEX`` points at a missing
  local file as a second guard (``--update-models`` stays off, ``LT_UPDATE_MODELS=false``).
* argostranslate (1.12, ``ARGOS_CHUNK_TYPE`` DEFAULT = MiniSBD) splits every input
  into sentences with a MiniSBD ONNX model that it downloads from GitHub on first
  translation — unless the package folder has ``minisbd/*.onnx``. ``NONE`` is not
  implemented (``NotImplementedError``), ``SPACY`` downloads ``xx_sent_ud_sm`` at
  import and ``STANZA`` needs stanza. So the zh→en package gets a tiny ONNX model,
  written here byte by byte (no ``onnx`` package needed), that never splits: our
  segments are already sentences.

:class:`StubServer` is a scripted LibreTranslate look-alike (``ThreadingHTTPServer``)
for the error paths a real server will not produce on demand.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
MODEL_CACHE = TESTS_DIR / ".model-cache"
LT_REQUIREMENT = "libretranslate==1.9.6"
LT_VENV = MODEL_CACHE / "lt-venv"
SKIP_VARIABLE = "BILINGUAL_SKIP_LIBRETRANSLATE"


class LTUnavailable(RuntimeError):
    """The LibreTranslate virtual environment could not be created."""


# --------------------------------------------------------------------------- the virtual environment


def lt_venv() -> Path:
    return Path(os.environ["BILINGUAL_LT_VENV"]) if os.environ.get("BILINGUAL_LT_VENV") else LT_VENV


def ensure_lt_venv(venv: Path | None = None, requirement: str = LT_REQUIREMENT) -> Path:
    """Create (once) a virtual environment with LibreTranslate; return its ``bin`` folder."""
    venv = Path(venv) if venv is not None else lt_venv()
    marker = venv / ".bilingual-installed"
    if os.environ.get("BILINGUAL_LT_VENV"):
        if not (venv / "bin" / "libretranslate").exists():
            raise LTUnavailable(f"BILINGUAL_LT_VENV={venv} has no bin/libretranslate")
        return venv / "bin"
    if marker.is_file() and marker.read_text().strip() == requirement:
        return venv / "bin"
    sys.path.insert(0, str(TESTS_DIR.parent))
    from bilingual.fileio import file_lock

    with file_lock(venv.parent / (venv.name + ".install"), timeout=1200):
        if marker.is_file() and marker.read_text().strip() == requirement:
            return venv / "bin"
        shutil.rmtree(venv, ignore_errors=True)
        started = time.monotonic()
        steps = (
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             requirement],
        )
        for command in steps:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1200)
            if done.returncode != 0:
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
                raise LTUnavailable(f"{' '.join(command[-2:])} failed (exit {done.returncode}):\n{tail}")
        marker.write_text(requirement + "\n")
        (venv / ".bilingual-install-seconds").write_text(f"{time.monotonic() - started:.1f}\n")
    return venv / "bin"


# --------------------------------------------------------------------------- a MiniSBD model that never splits


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, value: int | bytes | str) -> bytes:
    """One protobuf field: varint for ints, length-delimited for bytes/str."""
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


_FLOAT, _INT64 = 1, 7  # onnx TensorProto.DataType


def _value_info(name: str, elem_type: int, dims: list) -> bytes:
    shape = b"".join(_field(1, _field(2, d) if isinstance(d, str) else _field(1, d)) for d in dims)
    tensor_type = _field(1, elem_type) + _field(2, shape)
    return _field(1, name) + _field(2, _field(1, tensor_type))


def _initializer(name: str, elem_type: int, dims: list[int], raw: bytes) -> bytes:
    return b"".join(_field(1, d) for d in dims) + _field(2, elem_type) + _field(8, name) + _field(9, raw)


def _node(op: str, inputs: list[str], outputs: list[str], attributes: bytes = b"") -> bytes:
    return b"".join(_field(1, i) for i in inputs) + b"".join(_field(2, o) for o in outputs) + _field(4, op) + attributes


def nosplit_sbd_model(lang: str = "zh") -> bytes:
    """An ONNX MiniSBD model (opset 13) whose logits say "inside a token" for every character.

    MiniSBD feeds ``units`` (int64 [batch, length]) and ``features`` (float
    [batch, length, n]) and argmaxes 5 classes per character; it marks the last
    character as a sentence end itself, so each input comes back as one sentence.
    """
    to_float = _field(5, _field(1, "to") + _field(3, _FLOAT) + _field(20, 2))  # AttributeProto INT
    nodes = [
        _node("Cast", ["units"], ["units_f"], to_float),
        _node("Unsqueeze", ["units_f", "axis2"], ["units_3d"]),
        _node("Mul", ["units_3d", "zero"], ["zeros"]),
        _node("Add", ["zeros", "class_logits"], ["logits"]),
    ]
    initializers = [
        _initializer("axis2", _INT64, [1], struct.pack("<q", 2)),
        _initializer("zero", _FLOAT, [1], struct.pack("<f", 0.0)),
        _initializer("class_logits", _FLOAT, [5], struct.pack("<5f", 1.0, 0.0, 0.0, 0.0, 0.0)),
    ]
    graph = (b"".join(_field(1, n) for n in nodes) + _field(2, "nosplit")
             + b"".join(_field(5, t) for t in initializers)
             + _field(11, _value_info("units", _INT64, ["batch", "length"]))
             + _field(11, _value_info("features", _FLOAT, ["batch", "length", "features"]))
             + _field(12, _value_info("logits", _FLOAT, ["batch", "length", 5])))
    config = {"max_seqlen": 1000, "feat_funcs": ["space_before"], "use_dictionary": False, "num_dict_feat": 0}
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": ["<PAD>", "<UNK>"], "_unit2id": {"<PAD>": 0, "<UNK>": 1}}
    metadata = {"lang_code": lang, "config": json.dumps(config), "vocab": json.dumps(vocab)}
    return (_field(1, 8)                                    # ir_version
            + _field(2, "bilingual-tests")                  # producer_name
            + _field(7, graph)
            + _field(8, _field(1, "") + _field(2, 13))      # opset_import: default domain, 13
            + b"".join(_field(14, _field(1, k) + _field(2, v)) for k, v in metadata.items()))


def install_lt_packages(directory: Path, zh_en: Path, en_zh: Path) -> Path:
    """Install the two tiny packages for LibreTranslate and give zh→en its MiniSBD model."""
    sys.path.insert(0, str(TESTS_DIR.parent))
    from bilingual.packages import install_from_file

    directory.mkdir(parents=True, exist_ok=True)
    package = install_from_file(zh_en, directory=directory)
    install_from_file(en_zh, directory=directory, from_code="en", to_code="zh")
    (package.path / "minisbd").mkdir(exist_ok=True)
    (package.path / "minisbd" / "nosplit.onnx").write_bytes(nosplit_sbd_model())
    return directory


# --------------------------------------------------------------------------- the real server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_languages(url: str, process: subprocess.Popen | None = None, timeout: float = 90.0) -> None:
    """Wait until ``GET url/languages`` answers 200 (a LibreTranslate, or a proxy in front of one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode}")
        with contextlib.suppress(OSError, urllib.error.URLError), \
                urllib.request.urlopen(url + "/languages", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


class LTServer:
    """``libretranslate`` on 127.0.0.1, offline, its state in ``state_dir``.

    ``threads`` is LibreTranslate's ``--threads`` (waitress worker threads of its
    one process; CTranslate2 releases the GIL). ``api_keys`` turns on
    ``--api-keys`` with those keys in its database.
    """

    def __init__(self, bin_dir: Path, packages_dir: Path, state_dir: Path, *, port: int | None = None,
                 threads: int = 1, api_keys: tuple[str, ...] = (), extra_args: tuple[str, ...] = ()):
        self.bin_dir = Path(bin_dir)
        self.packages_dir = Path(packages_dir)
        self.state_dir = Path(state_dir)
        self.port = port or free_port()
        self.threads = threads
        self.api_keys = tuple(api_keys)
        self.extra_args = tuple(extra_args)
        self.process: subprocess.Popen | None = None
        self.log_path = self.state_dir / "server.log"
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("LT_", "ARGOS_", "LIBRETRANSLATE_", "XDG_", "PYTHON"))}
        state = self.state_dir
        env.update({
            "HOME": str(state / "home"),
            "XDG_DATA_HOME": str(state / "data"),
            "XDG_CACHE_HOME": str(state / "cache"),
            "XDG_CONFIG_HOME": str(state / "config"),
            "ARGOS_PACKAGES_DIR": str(self.packages_dir),
            "ARGOS_PACKAGE_INDEX": (state / "no-index" / "index.json").as_uri(),  # never the network
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_INTRA_THREADS": "1",
            "ARGOS_INTER_THREADS": "1",
            "ARGOS_BEAM_SIZE": "2",
            "LT_UPDATE_MODELS": "false",
            "LT_FORCE_UPDATE_MODELS": "false",
            "PYTHONWARNINGS": "ignore",
        })
        return env

    def command(self) -> list[str]:
        command = [str(self.bin_dir / "libretranslate"), "--host", "127.0.0.1", "--port", str(self.port),
                   "--load-only", "zh,en", "--threads", str(self.threads),
                   "--disable-web-ui", "--disable-files-translation"]
        if self.api_keys:
            command += ["--api-keys", "--api-keys-db-path", str(self.state_dir / "db" / "api_keys.db")]
        return command + list(self.extra_args)

    def _write_api_keys(self) -> None:
        script = ("import sys\nfrom libretranslate.api_keys import Database\n"
                  "db = Database(sys.argv[1])\nfor key in sys.argv[2:]:\n    db.add(1000, key)\n")
        subprocess.run([str(self.bin_dir / "python"), "-c", script, str(self.state_dir / "db" / "api_keys.db"),
                        *self.api_keys], check=True, capture_output=True, cwd=self.state_dir,
                       env=self.environment(), timeout=120)

    def start(self, timeout: float = 90.0) -> LTServer:
        for sub in ("home", "data", "cache", "config", "db"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        if self.api_keys and self.starts == 0:
            self._write_api_keys()
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        try:
            self.process = subprocess.Popen(self.command(), cwd=self.state_dir, env=self.environment(),
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        finally:
            log.close()
        self.starts += 1
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        try:
            wait_for_languages(self.url, self.process, timeout)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"LibreTranslate: {exc}:\n{self.log_tail()}") from None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """SIGKILL, as a crash would: no graceful shutdown."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> LTServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------- a scripted stub


Reply = tuple[int, dict, object]  # status, headers, JSON body (or bytes; None = drop the connection)


class StubServer:
    """A LibreTranslate look-alike on loopback, scripted per test.

    ``translate_replies`` are returned in order for ``POST /translate`` (the last
    one repeats); the default reply translates each text ``t`` to ``"EN(t)"``.
    ``languages`` is the ``/languages`` body. Every request is recorded in
    ``requests`` as ``(method, path, headers, raw body)``.
    """

    def __init__(self, translate_replies: list[Reply | Callable] | None = None, *,
                 languages: list | None = None, version: str = "stub-1.0", delay: float = 0.0):
        self.translate_replies = list(translate_replies or [])
        self.languages = languages if languages is not None else [
            {"code": "en", "name": "English", "targets": ["en", "zh-Hans"]},
            {"code": "zh-Hans", "name": "Chinese", "targets": ["en", "zh-Hans"]},
        ]
        self.version = version
        self.delay = delay
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.translate_calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(self, status: int, headers: dict, body) -> None:
                if body is None:  # simulate a crash: close without answering
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                stub.requests.append(("GET", self.path, dict(self.headers), b""))
                if self.path == "/languages":
                    self._send(200, {}, stub.languages)
                elif self.path == "/spec":
                    self._send(200, {}, {"info": {"version": stub.version}})
                else:
                    self._send(404, {}, {"error": "Not Found"})

            def do_POST(self):
                body = self._body()
                stub.requests.append(("POST", self.path, dict(self.headers), body))
                if self.path != "/translate":
                    self._send(404, {}, {"error": "Not Found"})
                    return
                with stub._lock:
                    number = stub.translate_calls
                    stub.translate_calls += 1
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                try:
                    if stub.delay:
                        time.sleep(stub.delay)
                    payload = json.loads(body or b"{}")
                    reply = stub.reply_for(number, payload)
                    self._send(*reply)
                finally:
                    with stub._lock:
                        stub.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @staticmethod
    def echo(payload: dict) -> Reply:
        q = payload.get("q")
        texts = q if isinstance(q, list) else [q]
        translated = [f"EN({text})" for text in texts]
        return 200, {}, {"translatedText": translated if isinstance(q, list) else translated[0]}

    def reply_for(self, number: int, payload: dict) -> Reply:
        if not self.translate_replies:
            return self.echo(payload)
        reply = self.translate_replies[min(number, len(self.translate_replies) - 1)]
        if callable(reply):
            return reply(payload)
        if reply == "echo":
            return self.echo(payload)
        return reply

    def translate_bodies(self) -> list[dict]:
        return [json.loads(body) for method, path, _, body in self.requests if path == "/translate"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- many documents


VERBS = ("推进", "优化", "提升", "支持", "开展")
NOUNS = ("企业", "机构", "主体", "单位")
CITIES = ("上海", "北京", "天津", "重庆", "广州", "深圳", "杭州", "南京", "宁波", "厦门",
          "青岛", "大连", "苏州", "武汉", "成都", "西安", "郑州", "长沙", "福州", "合肥")


def document_variants(text: str, count: int) -> list[str]:
    """``count`` distinct documents made from ``text`` (the Shanghai notice): another city
    for 上海, rotated verbs and nouns, a new document number.

    Variant 0 is ``text`` itself; the structure (sections, measures, agencies) is
    the same in every variant. For 20 variants of the Shanghai document: 3,180
    segments, 1,640 distinct (without the cities: 756).
    """
    import re

    variants = []
    for number in range(count):
        mapping = {word: VERBS[(k + number) % len(VERBS)] for k, word in enumerate(VERBS)}
        mapping.update({word: NOUNS[(k + number // len(VERBS)) % len(NOUNS)] for k, word in enumerate(NOUNS)})
        mapping["上海"] = CITIES[number % len(CITIES)]
        pattern = re.compile("|".join(map(re.escape, mapping)))
        variant = pattern.sub(lambda match, mapping=mapping: mapping[match.group()], text)
        variants.append(variant if number == 0 else variant.replace("〕181号", f"〕{181 + number}号"))
    return variants
