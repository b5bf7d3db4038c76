"""What the ``libretranslate`` engine does not take on trust from a server (attack 9).

* :func:`read_answer`: httpx's read timeout bounds each wait for bytes, not the answer, so a
  server or proxy dripping a byte a second kept a batch, and the run, waiting for ever; here the
  whole body must arrive within the engine's timeout and stay under :data:`MAX_ANSWER_BYTES`
  once decoded (a gzip answer of a few kB can inflate to gigabytes); a drip in the headers is still
  bounded per byte only.
* :func:`in_daemon_threads`: the batches of one call run in daemon threads, not a
  ThreadPoolExecutor, whose workers are joined when it closes and again at interpreter exit:
  Ctrl-C or SIGTERM waited for every request in flight to be answered or to time out (two
  minutes by default, for ever with a drip); now the run ends at once and abandons them.
* :func:`~bilingual.invisible.plain_text`: a translation or an error message is text: control characters (a NUL in a
  msgstr, an escape sequence sent to the user's terminal) and invisible format characters (an
  RLO, a zero-width space) are taken out.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..errors import BilingualError
from ..invisible import plain_text

__all__ = ["MAX_ANSWER_BYTES", "error_text", "in_daemon_threads", "plain_text", "read_answer"]

MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a batch of 16 segments is a few kB of JSON

T = TypeVar("T")
R = TypeVar("R")


def error_text(response) -> str:
    """The server's ``{"error": ...}`` message, else the start of the body, as plain text."""
    try:
        data = response.json()
    except ValueError:
        data = None
    text = str(data["error"]) if isinstance(data, dict) and data.get("error") else response.text.strip()
    text = " ".join(plain_text(text).split())
    return text[:200] or response.reason_phrase or "no message"


def read_answer(httpx, client, method: str, url: str, payload: dict | None, *, timeout: float, server: str):
    """One request through ``client``, its whole answer read within ``timeout`` seconds and
    :data:`MAX_ANSWER_BYTES`; an ``httpx.Response`` with the body read. ``server`` names it in errors."""
    deadline = time.monotonic() + timeout
    with client.stream(method, url, json=payload) as streamed:
        body = bytearray()
        for chunk in streamed.iter_bytes():  # decoded (gzip, brotli …): the bound is on what JSON will read
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                segments = len(payload.get("q") or []) if payload else 0
                raise BilingualError(f"LibreTranslate at {server} sent an answer over {MAX_ANSWER_BYTES:,} bytes "
                                     f"for {segments} segments; is --url right?")
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout(f"answer not complete after {timeout:g} s", request=streamed.request)
    # the body is decoded already: without its Content-Encoding, the Response does not decode it again
    headers = [(name, value) for name, value in streamed.headers.multi_items()
               if name.lower() not in ("content-encoding", "content-length")]
    return httpx.Response(streamed.status_code, headers=headers, content=bytes(body), request=streamed.request)


def in_daemon_threads(call: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[call(item) for item in items]``, up to ``workers`` at once in daemon threads; the first
    error (or an interrupt of the calling thread) is raised at once and no further item starts."""
    outputs: list = [None] * len(items)
    answers: queue.Queue = queue.Queue()
    order = iter(range(len(items)))
    lock = threading.Lock()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            with lock:
                k = next(order, None)
            if k is None:
                return
            try:
                answers.put((k, call(items[k]), None))
            except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                answers.put((k, None, exc))

    for _ in range(min(workers, len(items))):
        threading.Thread(target=work, name="libretranslate", daemon=True).start()
    try:
        for _ in items:
            k, output, error = answers.get()
            if error is not None:
                raise error
            outputs[k] = output
    finally:
        stop.set()
    return outputs
