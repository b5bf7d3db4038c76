"""The ``libretranslate`` engine: a LibreTranslate server (or a load-balanced pool) over HTTP.

Segments go to ``POST /translate`` in batches (``q`` is a list; source ``zh``,
target ``en``, format ``text``), several batches at once up to ``max_in_flight``
requests, over one pooled :class:`httpx.Client`. Glossary protection, the MT
cache and batching across documents are the orchestrator's (translate.py), as
for every engine.

Failures are handled like this:

* connection errors, timeouts, HTTP 429 and 5xx are retried ``retries`` times with
  exponential backoff and jitter (``Retry-After`` is honoured, capped), so a server
  restart or a brief overload costs a pause, not the run;
* HTTP 403 / 400 about the API key, a missing zh→en model, other 4xx, and
  retries that run out become one-line :class:`~bilingual.errors.BilingualError`\\ s
  naming the server;
* ``timeout`` bounds the whole answer, not each wait for bytes; an answer of
  unbounded size is an error; Ctrl-C or SIGTERM ends the run at once, not once
  the requests in flight are answered; control and invisible characters are
  taken out of translations and error messages (:mod:`.lthttp`).

The API key comes only from the environment variable ``LIBRETRANSLATE_API_KEY``
and is sent in the JSON body as ``api_key`` (LibreTranslate's own convention); it
is never part of a message, the engine identity, ``repr`` or a log line.

httpx (not urllib3) because it is already installed with spaCy (via weasel), its
``Client`` is thread-safe with a bounded connection pool, and it has per-phase
timeouts (connect / read / write / pool) and a clean exception hierarchy.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from ..errors import BilingualError
from .lthttp import error_text as _error_text
from .lthttp import in_daemon_threads, plain_text, read_answer

API_KEY_VARIABLE = "LIBRETRANSLATE_API_KEY"
URL_VARIABLE = "LIBRETRANSLATE_URL"
DEFAULT_BATCH_SIZE = 16       # segments per request
DEFAULT_MAX_IN_FLIGHT = 4     # requests at once (≈ server workers × 2 is a good start)
DEFAULT_RETRIES = 5           # after the first attempt: 0.5 + 1 + 2 + 4 + 8 s ≈ 8–15 s with jitter
DEFAULT_TIMEOUT = 120.0       # seconds to wait for one batch to be translated
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_BACKOFF = 0.5
DEFAULT_MAX_BACKOFF = 30.0
READY_ATTEMPTS = 3            # check_ready(): a server that is down is reported within ~1.5 s
PROBE_TEXT = "测试"            # check_ready() translates this once: proves the pair and the API key work
_CHINESE_CODES = ("zh", "zh-hans", "zh-cn")


class LibreTranslateEngine:
    """Translate through the LibreTranslate HTTP API.

    ``url`` is the server (or load balancer) base URL, e.g. ``http://localhost:5000``.
    ``api_key`` defaults to ``$LIBRETRANSLATE_API_KEY``. ``batch_size`` counts
    segments per request; ``max_in_flight`` bounds concurrent requests (a
    semaphore shared by every thread using this engine). ``transport`` and
    ``sleep`` are for tests.
    """

    name = "libretranslate"

    def __init__(
        self,
        url: str | None,
        *,
        api_key: str | None = None,
        source: str = "zh",
        target: str = "en",
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        retries: int = DEFAULT_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        transport=None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not url:
            raise BilingualError(
                f"--engine libretranslate needs the server URL: --url http://HOST:PORT (or ${URL_VARIABLE})"
            )
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BilingualError(f"the LibreTranslate URL must look like http://HOST:PORT, not {url!r}")
        if batch_size < 1 or max_in_flight < 1 or retries < 0 or timeout <= 0:
            raise BilingualError("LibreTranslate: batch size and max in flight must be ≥ 1, retries ≥ 0, timeout > 0")
        host = parts.netloc.rsplit("@", 1)[-1]  # drop any user:password@
        path = parts.path.rstrip("/")
        # What we show and put in the identity never carries credentials from the URL.
        self.url = urlunsplit((parts.scheme, host, path, "", ""))
        self._base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        if api_key is None:
            api_key = os.environ.get(API_KEY_VARIABLE, "").strip() or None
        self._api_key = api_key
        self.source = source
        self.target = target
        self.batch_size = batch_size
        self.max_in_flight = max_in_flight
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.max_backoff = max_backoff
        # The orchestrator hands this many segments per translate() call, so that
        # max_in_flight requests of batch_size segments can run together.
        self.preferred_batch_size = batch_size * max_in_flight
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._version: str | None = None
        self._ready = False
        self.requests_sent = 0   # HTTP requests, retries included (for tests and benchmarks)
        self.retried = 0         # attempts that were retried
        import httpx

        self._httpx = httpx
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout, pool=None),
            limits=httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight),
            headers={"User-Agent": "bilingual", "Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # LibreTranslate runs on our own network: no environment proxies
        )

    # ------------------------------------------------------------------ identity / readiness

    def identity(self) -> str:
        """``libretranslate/<host[:port][/prefix]>/<server version>/zh-en``.

        The server does not say which model version it has loaded (``/languages``,
        ``/frontend/settings`` and ``/spec`` name languages, limits and LibreTranslate's own
        version): a new model behind the same URL is not seen, and nothing is invented for
        it — after changing the model, run ``--retranslate --no-cache`` once (deploy/README.md).
        """
        if self._version is None:
            self._version = self._fetch_version()
        return f"libretranslate/{self.url.split('://', 1)[1]}/{self._version}/{self.source}-{self.target}"

    def check_ready(self) -> None:
        """Fail now, in one line, if the server is down, lacks zh→en, or refuses our key."""
        if self._ready:
            return
        response = self._request("GET", "/languages", attempts=min(READY_ATTEMPTS, self.retries + 1))
        self._raise_for_client_error(response)
        try:
            languages = response.json()
            pairs = {
                str(entry["code"]).lower(): {str(code).lower() for code in entry.get("targets") or []}
                for entry in languages
            }
        except (ValueError, TypeError, KeyError, AttributeError):
            raise BilingualError(f"{self.url}/languages did not return LibreTranslate's language list; is --url right?") from None
        sources = [self.source] if self.source != "zh" else list(_CHINESE_CODES)
        if not any(self.target in pairs.get(code, set()) for code in sources):
            offered = ", ".join(f"{s}→{t}" for s in sorted(pairs) for t in sorted(pairs[s]) if s != t) or "nothing"
            raise BilingualError(
                f"LibreTranslate at {self.url} has no {self.source}→{self.target} model loaded (it offers: {offered}); "
                f"install the {self.source}→{self.target} package on the server and start it with --load-only {self.source},{self.target}"
            )
        if self._version is None:
            self._version = self._fetch_version()
        self._translate_batch([PROBE_TEXT])  # proves /translate works with our key (or without one)
        self._ready = True

    def _fetch_version(self) -> str:
        """LibreTranslate's version from its OpenAPI document (``/spec``), else ``unknown``.

        An unreachable server raises: an identity (cache key) must not be guessed.
        """
        response = self._request("GET", "/spec", attempts=min(READY_ATTEMPTS, self.retries + 1))
        try:
            version = response.json().get("info", {}).get("version") if response.status_code == 200 else None
        except (ValueError, AttributeError):
            version = None
        return str(version) if version else "unknown"

    # ------------------------------------------------------------------ translation

    def translate(self, texts: list[str]) -> list[str]:
        """One English string per input, in input order; blank inputs give ``""`` (not sent)."""
        results = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text and text.strip()]
        chunks = [todo[start:start + self.batch_size] for start in range(0, len(todo), self.batch_size)]
        if not chunks:
            return results
        batches = [[texts[i] for i in chunk] for chunk in chunks]
        if len(chunks) == 1 or self.max_in_flight == 1:
            outputs = [self._translate_batch(batch) for batch in batches]
        else:
            outputs = in_daemon_threads(self._translate_batch, batches, self.max_in_flight)
        for chunk, translated in zip(chunks, outputs, strict=True):
            for i, english in zip(chunk, translated, strict=True):
                results[i] = english
        return results

    def _translate_batch(self, batch: list[str]) -> list[str]:
        payload: dict = {"q": batch, "source": self.source, "target": self.target, "format": "text"}
        if self._api_key:
            payload["api_key"] = self._api_key
        response = self._request("POST", "/translate", payload=payload)
        self._raise_for_client_error(response)
        try:
            translated = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise BilingualError(
                f"LibreTranslate at {self.url} returned no translatedText (HTTP {response.status_code}: "
                f"{self._redact(_error_text(response))})"
            ) from None
        if isinstance(translated, str) and len(batch) == 1:
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(batch):
            count = len(translated) if isinstance(translated, list) else "no list of"
            raise BilingualError(f"LibreTranslate at {self.url} returned {count} translations for {len(batch)} segments")
        odd = next((k for k, text in enumerate(translated) if not isinstance(text, str)), None)
        if odd is not None:
            raise BilingualError(f"LibreTranslate at {self.url} returned a {type(translated[odd]).__name__}, not text, "
                                 f"as translation {odd + 1} of {len(batch)}")
        return [plain_text(text) for text in translated]

    # ------------------------------------------------------------------ HTTP with retries

    def _request(self, method: str, path: str, *, payload: dict | None = None, attempts: int | None = None):
        """Send with bounded retries on connection errors, timeouts, 429 and 5xx.

        Returns the first response that is neither 429 nor 5xx (the caller checks
        4xx); raises a one-line BilingualError when the attempts run out.
        """
        httpx = self._httpx
        attempts = attempts or self.retries + 1
        started = time.monotonic()
        failure = ""
        kind = ""
        retry_after: float | None = None
        for attempt in range(attempts):
            if attempt:
                self.retried += 1
                self._sleep(self._delay(attempt, retry_after))
            retry_after = None
            try:
                with self._slots:
                    self.requests_sent += 1
                    response = read_answer(self._httpx, self._client, method, self._base + path, payload,
                                           timeout=self.timeout, server=self.url)
            except httpx.TimeoutException as exc:
                kind, failure = "timeout", f"{type(exc).__name__}: no answer within the time limit"
                continue
            except httpx.TransportError as exc:
                kind, failure = "connection", self._redact(str(exc) or type(exc).__name__)
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                kind, failure = str(status), self._redact(_error_text(response))
                retry_after = self._retry_after(response)
                continue
            return response
        elapsed = time.monotonic() - started
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''} in {elapsed:.0f} s"
        if kind in ("connection", "timeout"):
            what = "unreachable" if kind == "connection" else "not answering"
            raise BilingualError(
                f"LibreTranslate server at {self.url} is {what} ({failure}; {tries}); "
                "is it running, and is --url right?"
            )
        if kind == "429":
            raise BilingualError(
                f"LibreTranslate at {self.url} is still rate-limiting (HTTP 429: {failure}) after {tries}; "
                "lower --max-in-flight, or raise the key's or server's request limit"
            )
        raise BilingualError(f"LibreTranslate at {self.url} failed: HTTP {kind} ({failure}) after {tries}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter: uniform in [½, 1] × base × 2^(attempt−1), capped."""
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        delay = ceiling * random.uniform(0.5, 1.0)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff))
        return delay

    @staticmethod
    def _retry_after(response) -> float | None:
        value = response.headers.get("Retry-After", "").strip()
        try:
            return max(0.0, float(value)) if value else None
        except ValueError:
            return None  # an HTTP date: fall back to our own backoff

    def _raise_for_client_error(self, response) -> None:
        status = response.status_code
        if 300 <= status < 400:
            target = response.headers.get("Location", "elsewhere")
            raise BilingualError(f"{self.url} redirects (HTTP {status} to {target}); give that address as --url")
        if status < 400:
            return
        message = self._redact(_error_text(response))
        lowered = message.lower()
        if status == 403 and "api key" in lowered:
            state = "refused the API key" if self._api_key else "requires an API key"
            raise BilingualError(
                f"LibreTranslate at {self.url} {state} (HTTP 403: {message}); "
                f"set the environment variable {API_KEY_VARIABLE} to a valid key"
            )
        if status == 400 and "api key" in lowered:
            raise BilingualError(
                f"LibreTranslate at {self.url} requires an API key (HTTP 400: {message}); "
                f"set the environment variable {API_KEY_VARIABLE}"
            )
        if status in (401, 403):
            raise BilingualError(f"LibreTranslate at {self.url} refused the request (HTTP {status}: {message})")
        if status == 404:
            raise BilingualError(f"{self.url} has no LibreTranslate API (HTTP 404 for {response.request.url.path}); is --url right?")
        if status == 400 and "not supported" in lowered:
            raise BilingualError(
                f"LibreTranslate at {self.url} has no {self.source}→{self.target} model loaded (HTTP 400: {message})"
            )
        hint = "; lower --batch-size" if "limit" in lowered else ""
        raise BilingualError(f"LibreTranslate at {self.url} rejected the request (HTTP {status}: {message}){hint}")

    def _redact(self, text: str) -> str:
        """Never let the key out, even if a server or proxy echoes it back."""
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return (f"LibreTranslateEngine({self.url!r}, batch_size={self.batch_size}, "
                f"max_in_flight={self.max_in_flight}, api_key={key})")
