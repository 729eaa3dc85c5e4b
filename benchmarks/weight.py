"""First-load weight: headless Chromium opens each page with an empty cache and records every
request, the bytes transferred (as DevTools counts them: headers and encoded body) and any
request to another host.

Run on its own: `python -m benchmarks.weight http://127.0.0.1:PORT / /ideen/` prints JSON
(or pass one JSON object {name: path} after the URL).
The harness runs it in a subprocess, so Playwright's event loop never meets Django's ORM.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def measure_page(browser, url: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        requests: dict[str, dict] = {}
        done: list[dict] = []

        def sent(event):
            previous = requests.get(event["requestId"])
            if previous is not None and "redirectResponse" in event:
                redirect = event["redirectResponse"]
                previous.update(
                    status=redirect.get("status"),
                    bytes=int(redirect.get("encodedDataLength") or 0),
                )
                done.append(previous)
            requests[event["requestId"]] = {
                "url": event["request"]["url"],
                "type": event.get("type", "Other"),
                "status": None,
                "bytes": 0,
                "encoding": "",
            }

        def received(event):
            entry = requests.get(event["requestId"])
            if entry is not None:
                response = event["response"]
                headers = {key.lower(): value for key, value in response["headers"].items()}
                entry.update(
                    status=response["status"], encoding=headers.get("content-encoding", "")
                )
                entry["type"] = event.get("type", entry["type"])

        def finished(event):
            entry = requests.get(event["requestId"])
            if entry is not None:
                entry["bytes"] = int(event.get("encodedDataLength") or 0)

        def failed(event):
            entry = requests.get(event["requestId"])
            if entry is not None:
                entry["failed"] = event.get("errorText", "failed")

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        response = page.goto(url, wait_until="networkidle", timeout=60_000)
        page.wait_for_timeout(300)
        load_ms = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? n.loadEventEnd : null; }"
        )
        entries = [
            entry
            for entry in [*done, *requests.values()]
            if urlsplit(entry["url"]).scheme in ("http", "https", "ws", "wss")
        ]
    finally:
        context.close()
    own = _origin(url)
    by_type: dict[str, int] = defaultdict(int)
    for entry in entries:
        by_type[entry["type"]] += entry["bytes"]
    return {
        "status": response.status if response else None,
        "requests": len(entries),
        "transferred_bytes": sum(entry["bytes"] for entry in entries),
        "bytes_by_type": dict(sorted(by_type.items(), key=lambda item: -item[1])),
        "foreign_requests": [e["url"] for e in entries if _origin(e["url"]) != own],
        "failed_requests": [
            e["url"] for e in entries if e.get("failed") or (e["status"] or 0) >= 400
        ],
        "load_event_ms": round(load_ms, 1) if load_ms is not None else None,
        "resources": [
            {
                "url": e["url"].removeprefix(own),
                "type": e["type"],
                "status": e["status"],
                "bytes": e["bytes"],
                "encoding": e["encoding"],
            }
            for e in entries
        ],
    }


def measure(base_url: str, pages: list[tuple[str, str]]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (Debian: apt-get install -y chromium).")
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for name, path in pages:
                results[name] = {"path": path, **measure_page(browser, base_url + path)}
        finally:
            browser.close()
    return results


def main(argv: list[str]) -> int:
    """argv: the base URL, then paths, or one JSON object {name: path}."""
    base_url, *rest = argv
    if len(rest) == 1 and rest[0].startswith("{"):
        pages = list(json.loads(rest[0]).items())
    else:
        pages = [(path, path) for path in rest]
    json.dump(measure(base_url, pages), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
