"""The review page (bilingual-html) and the English page (html) in real headless Chromium.

Chromium is driven through the DevTools protocol (``--remote-debugging-port``,
``websocket-client``): the page is loaded, console messages, uncaught
exceptions, log errors and network requests are recorded, and the DOM is
queried. A second run takes a ``--screenshot`` PNG. The pages under test are
the product's own output: no test script is injected into them.

Needs Debian's ``chromium`` (skipped cleanly without it) and the PyPI package
``websocket-client``.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import IN_CI
from pofactory import fake_glossary, make_catalog, pipeline_po, write_po

from bilingual.build import build_bilingual_html, build_html
from bilingual.check import load_po

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    # In CI (which installs chromium) the tests run and fail loudly if it is missing: see conftest.need.
    pytest.mark.skipif(not CHROMIUM.exists() and not IN_CI, reason="Debian chromium is not installed (/usr/bin/chromium)"),
]
import websocket  # noqa: E402 - a test dependency ([test] extra): never skipped

BASE_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars"]


class DevTools:
    """A minimal DevTools protocol client over one page target."""

    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        seen = len(self.events)
        for event in self.events[:seen]:
            if event.get("method") == method:
                return event
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            message = json.loads(self.ws.recv())
            self.events.append(message)
            if message.get("method") == method:
                return message
        raise TimeoutError(method)

    def drain(self, seconds: float) -> None:
        """Collect events for a short while (late console messages)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors/warnings, uncaught exceptions and log errors seen so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                found.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                described = details.get("exception", {}).get("description", "")
                found.append(f"exception: {details.get('text')} {described}".strip())
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                found.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def chromium(tmp_path):
    """A headless Chromium with remote debugging on a free loopback port; yields a page opener."""
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [str(CHROMIUM), *BASE_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    clients: list[DevTools] = []
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])

        def open_page(url: str) -> DevTools:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
                targets = json.loads(response.read())
            page = next(t for t in targets if t.get("type") == "page")
            client = DevTools(page["webSocketDebuggerUrl"])
            clients.append(client)
            for domain in ("Runtime", "Log", "Page", "Network"):
                client.call(f"{domain}.enable")
            client.call("Page.navigate", url=url)
            client.wait_for("Page.loadEventFired")
            client.drain(0.5)
            return client

        yield open_page
    finally:
        for client in clients:
            client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _review_page(tmp_path: Path) -> tuple[Path, int]:
    """The review page of the real pipeline's PO (or the hand-written one), and its entry count."""
    po_path = pipeline_po(tmp_path / "pipeline")
    if po_path is not None:
        from bilingual.glossary import load_glossary

        glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
    else:
        po_path = write_po(tmp_path / "doc.en.po", make_catalog(fuzzy={"measure-15.s2"},
                                                                untranslated={"measure-20.s2"}))
        glossary = fake_glossary()
    po = load_po(po_path)
    entries = [e for e in po if not e.obsolete]
    page = tmp_path / "review.zh-en.html"
    page.write_text(build_bilingual_html(po, glossary), encoding="utf-8")
    return page, len(entries)


def test_harness_sees_console_errors(chromium, tmp_path):
    """Negative control: a page that logs an error and throws is reported (so silence means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><script>console.error('boom');"
                   "throw new Error('bang')</script></html>", encoding="utf-8")
    client = chromium(bad.as_uri())
    problems = client.problems()
    assert any("boom" in p for p in problems)
    assert any("bang" in p for p in problems)


def test_review_page_in_chromium(chromium, tmp_path):
    page, entries = _review_page(tmp_path)
    client = chromium(page.as_uri())
    assert client.problems() == []
    assert client.requests() == [page.as_uri()], "the page must load no other resource"
    assert client.evaluate("document.querySelectorAll('td.zh').length === document.querySelectorAll('td.en').length")
    assert client.evaluate("document.querySelectorAll('td.zh').length") == entries
    assert client.evaluate("document.querySelectorAll('tr[data-ctx]').length") == entries
    assert client.evaluate("document.documentElement.lang") == "en"
    assert client.evaluate("document.characterSet") == "UTF-8"
    assert client.evaluate("document.querySelectorAll('th[scope=col]').length") == 3
    assert client.evaluate("document.querySelectorAll('mark.term').length") > 10
    assert client.evaluate("document.querySelectorAll('tbody').length") > 5
    assert client.evaluate("[...document.querySelectorAll('tr.fuzzy .status')].every(e => e.textContent.length)")
    # The two text columns are side by side (Chinese left of English) and equally wide.
    left, right, zh_width, en_width = client.evaluate(
        "(() => { const z = document.querySelector('td.zh').getBoundingClientRect();"
        " const e = document.querySelector('td.en').getBoundingClientRect();"
        " return [z.left, e.left, z.width, e.width]; })()")
    assert left < right and abs(zh_width - en_width) < 2


def test_english_page_in_chromium(chromium, tmp_path):
    po = make_catalog(fuzzy={"measure-15.s2"}, untranslated={"measure-20.s2"})
    page = tmp_path / "doc.en.html"
    page.write_text(build_html(po), encoding="utf-8")
    client = chromium(page.as_uri())
    assert client.problems() == []
    assert client.requests() == [page.as_uri()]
    assert client.evaluate("document.querySelectorAll('h1').length") == 1
    assert client.evaluate("document.querySelector('main').id") == "main"
    assert client.evaluate("document.querySelectorAll('ol.measures > li').length") == 7
    assert client.evaluate("document.querySelector('#measure-15 .num').textContent") == "(15)"
    assert client.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    assert client.evaluate("document.querySelectorAll('li mark.mt').length") == 1  # + 1 in the legend


def test_review_page_screenshot(tmp_path):
    page, _ = _review_page(tmp_path)
    shot = tmp_path / "review.png"
    subprocess.run(
        [str(CHROMIUM), *BASE_FLAGS, f"--user-data-dir={tmp_path / 'profile-shot'}", "--window-size=1280,1800",
         f"--screenshot={shot}", page.as_uri()],
        check=True, timeout=120, capture_output=True)
    from PIL import Image  # Pillow comes with fpdf2, a [test] dependency

    with Image.open(shot) as image:
        grey = image.convert("L")
    width, height = grey.size
    # Text in both columns: the Chinese on the left and the English on the right are drawn,
    # not a blank, an error page or a layout that lost one column.
    for box in ((0, 0, width // 2, height), (width // 2, 0, width, height)):
        dark = sum(grey.crop(box).histogram()[:96])
        assert dark > 2_000, f"too little text drawn in {box}: {dark} dark pixels"
    if os.environ.get("BILINGUAL_KEEP_SCREENSHOT"):
        Path(os.environ["BILINGUAL_KEEP_SCREENSHOT"]).write_bytes(shot.read_bytes())


# --------------------------------------------------------------------------- the review page as a tool

def _visible(client) -> list[str]:
    return client.evaluate("[...document.querySelectorAll('tr[data-ctx]')].filter(r => !r.hidden)"
                           ".map(r => r.dataset.ctx)")


def _choose(client, value: str) -> None:
    client.evaluate(f"(() => {{ const s = document.getElementById('filter-status'); s.value = {value!r};"
                    " s.dispatchEvent(new Event('change')); })()")


def _type(client, text: str) -> None:
    """Real typing: focus the search box, select what is there, insert the text (fires input)."""
    client.evaluate("(() => { const i = document.getElementById('filter-text'); i.focus(); i.select(); })()")
    if text:
        client.call("Input.insertText", text=text)
    else:
        client.call("Input.dispatchKeyEvent", type="keyDown", key="Backspace", code="Backspace",
                    windowsVirtualKeyCode=8)
        client.call("Input.dispatchKeyEvent", type="keyUp", key="Backspace", code="Backspace",
                    windowsVirtualKeyCode=8)


def test_review_page_filter_and_search_in_chromium(chromium, tmp_path):
    from reviewfactory import review_catalog

    po = review_catalog()
    entries = [e for e in po if not e.obsolete]
    everything = [e.msgctxt for e in entries]
    page = tmp_path / "review.zh-en.html"
    page.write_text(build_bilingual_html(po, fake_glossary()), encoding="utf-8")
    client = chromium(page.as_uri())
    assert client.problems() == []
    assert client.requests() == [page.as_uri()]
    assert client.evaluate("document.getElementById('review-controls').hidden") is False
    assert _visible(client) == everything

    _choose(client, "untranslated")
    assert _visible(client) == [e.msgctxt for e in entries if not e.msgstr]
    _choose(client, "mt")
    assert _visible(client) == [e.msgctxt for e in entries if e.msgstr and e.fuzzy]
    _choose(client, "flagged")
    assert _visible(client) == ["measure-5.s2", "measure-15.s3"]
    # groups without a visible row are hidden, the others shown
    hidden_groups = client.evaluate("[...document.querySelectorAll('tbody.group')].filter(g => g.hidden)"
                                    ".map(g => g.dataset.group)")
    assert "notice" in hidden_groups and "measure-15" not in hidden_groups and "measure-5" not in hidden_groups
    assert client.evaluate("document.getElementById('filter-count').textContent") == \
        f"2 of {len(entries)} entries shown"
    _choose(client, "reviewed")
    assert _visible(client) == [e.msgctxt for e in entries if e.msgstr and not e.fuzzy]
    _choose(client, "all")
    assert _visible(client) == everything

    # the search finds a sentence by its Chinese, its English (any case), its id; full-width digits match
    _type(client, "进口机动车辆随车检验单")
    assert _visible(client) == ["measure-2.s2"]
    _type(client, "TWO CERTIFICATES")
    assert _visible(client) == ["measure-2.s1"]
    _type(client, "９６１０")  # full-width, as typed with a Chinese input method
    found = _visible(client)
    assert found and all("9610" in po.find(ctx, by="msgctxt").msgid for ctx in found)
    _type(client, "measure-20.agencies")
    assert _visible(client) == ["measure-20.agencies"]
    # search and status combine
    _type(client, "跨境电商")
    _choose(client, "flagged")
    assert _visible(client) == ["measure-15.s3"]
    _choose(client, "all")
    _type(client, "no such sentence anywhere")
    assert _visible(client) == []
    _type(client, "")
    assert _visible(client) == everything

    # a link to a sentence the filter hides brings it back
    _choose(client, "untranslated")
    client.evaluate("window.location.hash = 'measure-1.s1'")
    client.drain(0.3)
    assert "measure-1.s1" in _visible(client)
    assert client.evaluate("document.querySelector(':target').id") == "measure-1.s1"
    assert client.problems() == []


def test_review_page_prints_without_controls_and_keeps_the_english_wide(chromium, tmp_path):
    from reviewfactory import review_catalog

    page = tmp_path / "review.zh-en.html"
    page.write_text(build_bilingual_html(review_catalog(), fake_glossary()), encoding="utf-8")
    client = chromium(page.as_uri())
    client.call("Emulation.setDeviceMetricsOverride", width=700, height=1000, deviceScaleFactor=1, mobile=False)
    widths = ("(() => { const t = document.querySelector('table').getBoundingClientRect().width;"
              " const c = document.querySelector('th.ctx').getBoundingClientRect().width;"
              " const e = document.querySelector('td.en').getBoundingClientRect().width; return [t, c, e]; })()")
    table, ctx, english = client.evaluate(widths)
    assert english < 0.4 * table  # on screen at this width the id column takes its 12rem
    client.call("Emulation.setEmulatedMedia", media="print")
    table, ctx, english = client.evaluate(widths)
    assert ctx <= 0.15 * table and english >= 0.4 * table
    assert client.evaluate("getComputedStyle(document.getElementById('review-controls')).display") == "none"
    assert client.evaluate("getComputedStyle(document.querySelector('thead th')).position") == "static"
