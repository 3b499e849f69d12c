"""Headless Chromium over the DevTools protocol, for the browser tests.

:func:`open_browser` starts Chromium with the project's flags and yields a
:class:`DevTools` client on its page; :func:`inspect_report` loads a report and returns
what the tests assert on (images, errors, network requests, A4 overflow), saving a
screenshot and a PDF print.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: the printable width of A4 with 12 mm side margins, in CSS pixels (96 per inch)
A4_PRINTABLE_PX = round((210 - 2 * 12) / 25.4 * 96)

#: elements whose right edge passes the viewport (clipped tables are caught too)
TOO_WIDE_JS = """(() => {
  const w = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('table, img, pre, figure, svg, nav'))
    .filter(e => e.getBoundingClientRect().right > w + 1)
    .map(e => e.tagName + '.' + (e.className.baseVal ?? e.className) + ' right='
              + Math.round(e.getBoundingClientRect().right))
    .slice(0, 10);
})()"""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def shutil_which_chromium() -> str | None:
    """The Chromium executable, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """The Chromium executable, or skip the test saying how to install it."""
    found = shutil_which_chromium()
    if found is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


class DevTools:
    """A minimal Chrome DevTools Protocol client over a page's websocket."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=60)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@contextlib.contextmanager
def open_browser(profile: Path) -> Iterator[DevTools]:
    """Start headless Chromium (profile in ``profile``) and connect to its page."""
    exe = chromium_or_skip()
    proc = subprocess.Popen(
        [exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        page = next(t for t in targets if t["type"] == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        try:
            yield client
        finally:
            client.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def inspect_report(client: DevTools, html: Path, out: Path) -> dict[str, Any]:
    """Load ``html``; return images, errors, requests, TOC links and A4 overflow.

    Saves ``out/report.png`` (full-page screenshot) and ``out/report.pdf`` (A4 print).
    """
    for domain in ("Page", "Runtime", "Log", "Network"):
        client.call(f"{domain}.enable")
    client.call("Page.navigate", url=html.as_uri())
    client.wait_for("Page.loadEventFired")
    images = client.evaluate(
        "Array.from(document.images).map(i => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0}))"
    )
    toc_links = client.evaluate("document.querySelectorAll('nav.cpp-toc a').length")
    title = client.evaluate("document.title")
    errors = [
        e
        for e in client.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        or e.get("method") == "Network.loadingFailed"
    ]
    requests = [
        e["params"]["request"]["url"]
        for e in client.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    shot = client.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    png = base64.b64decode(shot["data"])
    (out / "report.png").write_bytes(png)
    # A4 print: 210 mm less 2 x 12 mm margins at 96 dpi is 703 px; nothing may be wider
    client.call("Emulation.setEmulatedMedia", media="print")
    client.call(
        "Emulation.setDeviceMetricsOverride",
        width=A4_PRINTABLE_PX,
        height=1123,
        deviceScaleFactor=1,
        mobile=False,
    )
    overflow = client.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    too_wide = client.evaluate(TOO_WIDE_JS)
    pdf = base64.b64decode(
        client.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
    )
    (out / "report.pdf").write_bytes(pdf)
    return {
        "images": images,
        "toc_links": toc_links,
        "title": title,
        "errors": errors,
        "requests": requests,
        "overflow": overflow,
        "too_wide": too_wide,
        "png": png,
        "pdf": pdf,
    }


def assert_clean(seen: dict[str, Any]) -> None:
    """The checks every report must pass in the browser."""
    assert seen["images"], "a report has charts"
    assert all(img["ok"] for img in seen["images"]), seen["images"]
    assert all(img["alt"].strip() for img in seen["images"]), seen["images"]
    assert seen["toc_links"] >= 3
    assert seen["errors"] == []
    assert all(url.startswith(("file:", "data:")) for url in seen["requests"]), seen["requests"]
    assert seen["overflow"] <= 0, f"page is {seen['overflow']} px wider than A4"
    assert seen["too_wide"] == [], f"wider than the A4 printable width: {seen['too_wide']}"
    assert seen["png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert seen["pdf"][:5] == b"%PDF-"
