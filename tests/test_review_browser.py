"""The review desk in a real browser: Debian's Chromium, headless, driven by Playwright.

Everything runs as a clerk runs it: `docmine synth --doj` and `docmine check` make the results
folder, `docmine review users add` the accounts, `docmine review RESULTS --port P` the server.
A reviewer works through 20 items with the keyboard (picks reliefs, corrects a date so that the
relief changes and accepts the new proposal, withholds relief on one); an approver approves all
but one, which goes back to the queue with the note. `docmine check` run again then shows
exactly the approved decisions in counts.csv, people.csv and the motions, and
`docmine review audit` verifies the chain.

With DOCMINE_SCREENSHOTS=DIR the queue and an item are saved there (the README's pictures)."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pypdfium2 as pdfium
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium package is not installed (make sysdeps installs it)"
)
DOCMINE = [sys.executable, "-m", "docmine"]
PASSWORDS = {"rita": "rita-reviews-1", "amos": "amos-approves-1"}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run([*DOCMINE, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def desk(tmp_path):
    run("synth", "--doj", "--rows", "3000", "--out", "in", cwd=tmp_path)
    check = ("check", "in/doj_bulk.csv", "--policy", "statute", "--as-of", "2024-01-01", "--out", "results")
    run(*check, cwd=tmp_path)
    for name, role in (("rita", "reviewer"), ("amos", "approver")):
        run("review", "users", "add", name, "results", "--role", role, "--password-stdin", stdin=PASSWORDS[name] + "\n",
            cwd=tmp_path)  # fmt: skip
    port = free_port()
    server = subprocess.Popen([*DOCMINE, "review", "results", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"docmine review did not start: {server.stdout.read()}")
            time.sleep(0.2)
    yield tmp_path, base, check
    server.terminate()
    server.wait(10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def log_in(browser, base: str, name: str):
    page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    page.goto(base + "/")
    assert page.url.endswith("/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORDS[name])
    page.press("#password", "Enter")
    page.wait_for_url(base + "/")
    return page


def decide_here(page, relief_key: str, reason: str) -> str:
    """On an item's page: a relief by its number key, a reason, saved; returns the count id."""
    page.locator("body").press(relief_key)
    page.locator("body").press("r")
    page.keyboard.type(reason)
    page.click("#submit")
    page.wait_for_selector("#decide-result:has-text('waiting for an approver')")
    return page.get_attribute("#item", "data-count-id")


def test_a_reviewer_and_an_approver_clear_twenty_items(desk, browser):
    root, base, check = desk
    results = root / "results"
    shots = os.environ.get("DOCMINE_SCREENSHOTS")
    reliefs = ["dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction", "recall_and_resentence",
               "not_eligible", "refer"]  # fmt: skip
    review = rows(results / "review.csv")
    before = {r["count_id"]: r for r in rows(results / "counts.csv")}
    assert len(review) >= 21

    rita = log_in(browser, base, "rita")
    assert rita.locator("#remaining").inner_text() == str(len(review))
    if shots:
        rita.screenshot(path=str(Path(shots) / "review-queue.png"))
    decided: dict[str, str] = {}

    # 1. a date corrected so the relief changes: the new outcome is shown, then accepted with `a`
    rita.goto(base + "/?reason=arrest_date")
    rita.locator("body").press("Enter")
    rita.wait_for_selector("#item")
    rita.click("#corrections summary")
    rita.fill("input[data-field='offense_date']", "2015-06-01")
    rita.click("#preview")
    rita.wait_for_selector("#outcome:has-text('New outcome')")
    outcome = rita.locator("#outcome").inner_text()
    proposed = outcome.split("New outcome: ", 1)[1].split(":", 1)[0]
    assert proposed in reliefs and proposed != "hand_review"
    if shots:
        rita.evaluate("window.scrollTo(0, 0)")
        rita.screenshot(path=str(Path(shots) / "review-item.png"))
    rita.locator("body").press("a")  # accept the proposal: its relief is chosen, the reason field focused
    assert rita.locator(f"input[name=relief][value={proposed}]").is_checked()
    rita.keyboard.type("offence date from the police report")
    rita.click("#submit")
    rita.wait_for_selector("#decide-result:has-text('waiting for an approver')")
    corrected = rita.get_attribute("#item", "data-count-id")
    decided[corrected] = proposed
    assert before[corrected]["relief"] == "hand_review"

    # 2. nineteen more from the top of the queue, j to move on; one is withheld (not_eligible)
    rita.goto(base + "/")
    rita.locator("body").press("Enter")
    rita.wait_for_selector("#item")
    while len(decided) < 20:
        count_id = rita.get_attribute("#item", "data-count-id")
        if count_id not in decided and rita.locator("#decide").count():
            key = "5" if len(decided) == 7 else "1"
            decided[decide_here(rita, key, f"checked the court file ({len(decided)})")] = reliefs[int(key) - 1]
            rita.locator("#reason").press("Escape")
        rita.locator("body").press("j")
        rita.wait_for_url(lambda url: count_id not in url)
    assert list(decided.values()).count("not_eligible") == 1
    assert rows(results / "decisions.csv") == []  # nothing counts before an approver says so

    # 3. the approver approves nineteen and rejects one
    amos = log_in(browser, base, "amos")
    amos.goto(base + "/approvals")
    waiting = amos.locator("#approvals tr.approval")
    assert waiting.count() == 20
    rejected = amos.locator("#approvals tr.approval").nth(3).get_attribute("data-decision")
    for k in range(20):
        row = amos.locator("#approvals tr.approval").nth(k)
        if row.get_attribute("data-decision") == rejected:
            row.locator("input.note").fill("the docket shows a later conviction")
            row.locator("button.reject").click()
            row.locator("td.actions:has-text('rejected')").wait_for()
        else:
            row.locator("button.approve").click()
            row.locator("td.actions:has-text('approved')").wait_for()
    rejected_count = next(r for r in amos.locator("#approvals tr.approval").all()
                          if r.get_attribute("data-decision") == rejected).locator("a").inner_text()  # fmt: skip
    approved = {k: v for k, v in decided.items() if k != rejected_count}
    assert len(approved) == 19

    # the rejected one is back in the reviewer's queue with the note
    rita.goto(base + "/?state=rejected")
    assert rita.locator("#queue tr.item").count() == 1
    rita.locator("body").press("Enter")
    rita.wait_for_selector("#item")
    assert "the docket shows a later conviction" in rita.locator("#state").inner_text()

    # 4. docmine check again: exactly the approved decisions, in every file
    written = {r["count_id"]: r for r in rows(results / "decisions.csv")}
    assert {k: r["relief"] for k, r in written.items()} == approved
    run(*check, cwd=root)
    after = {r["count_id"]: r for r in rows(results / "counts.csv")}
    assert {k: r["decided_relief"] for k, r in after.items() if r["decided_relief"]} == approved
    assert all(after[k]["final_relief"] == v for k, v in approved.items())
    assert after[rejected_count]["final_relief"] == "hand_review"
    assert after[corrected]["relief"] == proposed  # decided again with the corrected date, not only overridden
    still = {r["count_id"] for r in rows(results / "review.csv")}
    assert still.isdisjoint(approved) and rejected_count in still
    people = {r["person_id"]: r for r in rows(results / "people.csv")}
    for person_id in {after[k]["person_id"] for k in approved}:
        counts = [r for r in after.values() if r["person_id"] == person_id]
        expected = sum(r["final_relief"] == "dismiss_and_seal" for r in counts)
        assert int(people[person_id]["dismissed_and_sealed"]) == expected
        assert int(people[person_id]["hand_review"]) == sum(r["final_relief"] == "hand_review" for r in counts)
    motion_text = ""
    for pdf_path in sorted((results / "motions").glob("*.pdf")):
        pdf = pdfium.PdfDocument(pdf_path)
        motion_text += "".join(page.get_textpage().get_text_range() for page in pdf)
        pdf.close()
    motion_text = " ".join(motion_text.split())
    for k, relief in approved.items():
        if relief != "not_eligible":
            assert after[k]["name"] in motion_text, (k, relief)
    out = run("review", "audit", "results", cwd=root)
    assert "hash chain intact" in out
