"""`docmine report RESULTS`: a self-contained HTML page with every chart, checked in headless Chromium.

The browser is driven over the Chrome DevTools Protocol (tornado's websocket client, which
ipykernel already brings): the page is loaded from file://, and the test collects every
console message, uncaught exception, log entry and network request, then asks the DOM
whether each chart is there, drawn, captioned and followed by its table.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from docmine.report.charts import CHART_IDS
from tests.test_api import real_results, write_schema_results

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium package is not installed (make sysdeps installs it)"
)
DOCMINE = [sys.executable, "-m", "docmine"]


@pytest.fixture(scope="module")
def fixture_results(tmp_path_factory) -> Path:
    return write_schema_results(tmp_path_factory.mktemp("report") / "RESULTS")


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    """A folder the real `docmine check` wrote over a synthetic DOJ file and a few text-layer PDFs."""
    return real_results(tmp_path_factory)


@pytest.fixture(scope="module")
def empty_results(tmp_path_factory) -> Path:
    """A folder as a run over inputs with no counts leaves it: every table with its header only."""
    from docmine.api import COUNTS, ERRORS, PEOPLE, REVIEW

    folder = tmp_path_factory.mktemp("report") / "EMPTY"
    folder.mkdir()
    for stem, columns in (("counts", COUNTS), ("people", PEOPLE), ("review", REVIEW), ("errors", ERRORS)):
        (folder / f"{stem}.csv").write_text(",".join(columns) + "\n", encoding="utf-8")
    (folder / "run.json").write_text(
        json.dumps({"policy": "statute", "as_of": "2024-01-01", "inputs": []}), encoding="utf-8"
    )
    return folder


def run_docmine(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DOCMINE, *args], capture_output=True, text=True, timeout=120)


# --- the page itself ----------------------------------------------------------------------------


def test_report_command_writes_self_contained_page(fixture_results, tmp_path):
    done = run_docmine("report", str(fixture_results))
    assert done.returncode == 0, done.stderr
    page = (fixture_results / "report.html").read_text("utf-8")
    for chart_id in CHART_IDS:
        figure = re.search(rf'<figure class="chart" id="{chart_id}"[^>]*>(.*?)</figure>', page, re.S)
        assert figure, chart_id
        body = figure.group(1)
        assert "<svg " in body and f'aria-labelledby="{chart_id}-caption"' in body
        assert f'<figcaption id="{chart_id}-caption">' in body and "<table>" in body
    # Nothing is fetched: no scripts, styles, images or fonts from anywhere (SVG namespaces are names, not requests).
    assert not re.search(r'(src|href)="(?!#)', page)
    assert not re.search(r"url\((?!#)", page)
    assert not [u for u in re.findall(r"https?://[^\s\"'<>)]+", page) if not u.startswith("http://www.w3.org/")]
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    # Same folder, same bytes; --out writes elsewhere.
    other = tmp_path / "nested" / "copy.html"
    assert run_docmine("report", str(fixture_results), "--out", str(other)).returncode == 0
    assert other.read_bytes() == (fixture_results / "report.html").read_bytes()


@pytest.mark.parametrize("which", ["fixture_results", "real_run"])
def test_report_figures_match_the_folder(which, request):
    """The tables under the charts agree with counts/people/review read with the csv module."""
    from docmine.api import load_results
    from docmine.report.charts import all_charts

    fixture_results = request.getfixturevalue(which)
    counts = list(csv.DictReader(open(fixture_results / "counts.csv", encoding="utf-8")))
    people = list(csv.DictReader(open(fixture_results / "people.csv", encoding="utf-8")))
    review = list(csv.DictReader(open(fixture_results / "review.csv", encoding="utf-8")))
    charts = {c.id: c.table for c in all_charts(load_results(fixture_results))}

    relief = charts["chart-relief-by-type"].set_index("relief")["counts"].to_dict()
    assert relief == dict(Counter(r["final_relief"] for r in counts if r["final_relief"]))

    decades = charts["chart-convictions-by-section-decade"].set_index("section")
    expected = Counter(
        (re.sub(r"\(.*", "", r["charge"]), r["conviction_date"][:3] + "0s" if r["conviction_date"] else "date unknown")
        for r in counts
        if r["disposition"] in ("convicted", "sustained") and r["marijuana"] == "true"
    )
    assert {(s, d): int(decades.loc[s, d]) for s, d in expected} == dict(expected)
    assert int(decades.to_numpy().sum()) == sum(expected.values())

    race = charts["chart-race-ethnicity"].set_index("race")
    for label in {r["race"] or "not recorded" for r in people}:
        group = [r for r in people if (r["race"] or "not recorded") == label]
        assert race.loc[label, "people"] == len(group)
        assert race.loc[label, "no_felony_left"] == sum(r["no_felony_left"] == "true" for r in group)
        assert race.loc[label, "relieved"] == sum(
            int(r["dismissed_and_sealed"]) + int(r["redesignated"]) + int(r["resentenced"]) > 0 for r in group
        )

    felony = charts["chart-felony-status"].set_index("status")
    assert felony.loc["with a felony conviction", "before"] == sum(int(r["felonies_before"]) > 0 for r in people)
    assert felony.loc["with a felony conviction", "after"] == sum(int(r["felonies_after"]) > 0 for r in people)

    reasons = charts["chart-review-reasons"].set_index("reason")["counts"].to_dict()
    expected_reasons = Counter(r["reason"] for r in review)
    ranked = sorted(expected_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = dict(ranked[:10])  # the ten most frequent, the rest as "other reasons" (`tables.review_reasons`)
    if len(ranked) > 10:
        shown["other reasons"] = sum(n for _, n in ranked[10:])
    assert reasons == shown

    bins = charts["chart-extraction-confidence"]
    read = Counter(r["source"] for r in counts if r["source"] != "doj")
    assert {s: int(bins[s].sum()) for s in bins.columns if s != "confidence"} == dict(read)
    assert read  # both folders hold counts read from documents


def test_empty_folder_says_no_data(empty_results):
    done = run_docmine("report", str(empty_results))
    assert done.returncode == 0, done.stderr
    page = (empty_results / "report.html").read_text("utf-8")
    for chart_id in CHART_IDS:
        assert f'id="{chart_id}" data-empty="true"' in page, chart_id
    assert page.count(">no data<") + page.count(">no counts") >= len(CHART_IDS)


def test_bad_folder_is_one_line_error(tmp_path):
    done = run_docmine("report", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "no such results folder" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# --- headless Chromium ----------------------------------------------------------------------------

INSPECT = """JSON.stringify({
  charts: document.body.dataset.charts,
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  figures: Array.from(document.querySelectorAll('figure.chart')).map(f => {
    const svg = f.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : null;
    const label = svg ? document.getElementById(svg.getAttribute('aria-labelledby')) : null;
    return {id: f.id, empty: f.dataset.empty, width: box ? box.width : 0, height: box ? box.height : 0,
            texts: svg ? svg.querySelectorAll('text').length : 0, caption: label ? label.textContent : '',
            rows: f.querySelectorAll('table tbody tr').length};
  })
})"""


class Browser:
    """Headless Chromium with its DevTools endpoint; `inspect(url)` loads a page and reports."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.log = open(profile.parent / "chromium.log", "w")
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-extensions",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not start: {(profile.parent / 'chromium.log').read_text()[-500:]}")
            time.sleep(0.05)
        self.port = int(port_file.read_text().splitlines()[0])

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def inspect(self, url: str, timeout: float = 30) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=10) as reply:
            target = next(t for t in json.load(reply) if t["type"] == "page")
        return asyncio.run(asyncio.wait_for(self._inspect(target["webSocketDebuggerUrl"], url), timeout))

    @staticmethod
    async def _inspect(ws_url: str, url: str) -> dict:
        from tornado.websocket import websocket_connect

        connection = await websocket_connect(ws_url, max_message_size=64 * 1024 * 1024)
        events: list[dict] = []
        next_id = 0

        async def receive() -> dict:
            message = await connection.read_message()
            if message is None:
                raise RuntimeError("DevTools connection closed")
            return json.loads(message)

        async def call(method: str, **params) -> dict:
            nonlocal next_id
            next_id += 1
            await connection.write_message(json.dumps({"id": next_id, "method": method, "params": params}))
            while True:
                message = await receive()
                if message.get("id") == next_id:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message.get("result", {})
                events.append(message)

        for domain in ("Runtime", "Log", "Network", "Page"):
            await call(f"{domain}.enable")
        events.clear()
        await call("Page.navigate", url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            events.append(await receive())
        result = await call("Runtime.evaluate", expression=INSPECT, returnByValue=True)
        connection.close()
        page = json.loads(result["result"]["value"])
        page["console"] = [
            (e["params"]["type"], " ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"]))
            for e in events
            if e.get("method") == "Runtime.consoleAPICalled"
        ]
        page["exceptions"] = [
            e["params"]["exceptionDetails"].get("exception", {}).get("description")
            or e["params"]["exceptionDetails"].get("text")
            for e in events
            if e.get("method") == "Runtime.exceptionThrown"
        ]
        page["log"] = [
            (e["params"]["entry"]["level"], e["params"]["entry"]["text"])
            for e in events
            if e.get("method") == "Log.entryAdded"
        ]
        page["requests"] = [
            e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"
        ]
        return page


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium package is not installed (make sysdeps installs it)")
    instance = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield instance
    instance.close()


def problems(page: dict) -> list:
    return (
        [c for c in page["console"] if c[0] in ("error", "warning", "assert")]
        + page["exceptions"]
        + [entry for entry in page["log"] if entry[0] in ("error", "warning")]
    )


@needs_chromium
def test_chromium_catches_a_broken_page(browser, tmp_path):
    """The driver is not blind: a page that throws, logs an error and fetches is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><img src="missing.png"><script>console.error("console says no");'
        'throw new Error("boom")</script></body></html>',
        encoding="utf-8",
    )
    page = browser.inspect(bad.as_uri())
    found = problems(page)
    assert any("console says no" in str(p) for p in found)
    assert any("boom" in str(p) for p in found)
    assert any(u.endswith("missing.png") for u in page["requests"])


@needs_chromium
@pytest.mark.parametrize("which", ["fixture_results", "real_run", "empty_results"])
def test_report_in_headless_chromium(browser, which, request):
    folder = request.getfixturevalue(which)
    assert run_docmine("report", str(folder)).returncode == 0
    report = folder / "report.html"
    page = browser.inspect(report.as_uri())
    assert problems(page) == []
    assert page["requests"] == [report.as_uri()]  # the page itself, nothing else
    assert page["charts"] == str(len(CHART_IDS))  # the inline script ran and found every drawing
    assert [f["id"] for f in page["figures"]] == list(CHART_IDS)
    assert len(page["ids"]) == len(set(page["ids"]))
    for figure in page["figures"]:
        assert figure["width"] > 200 and figure["height"] > 100, figure
        assert figure["texts"] > 0 and figure["caption"].strip(), figure
        if which != "empty_results":
            assert figure["empty"] == "false" and figure["rows"] > 0, figure
        else:
            assert figure["empty"] == "true", figure
