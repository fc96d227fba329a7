"""The review desk over HTTP (`docmine review`): one test per rule, on results folders that
`docmine check` wrote from a synthetic DOJ file and from synthetic text-layer PDFs.

The app is driven through Starlette's test client (real requests through the real middleware);
the browser test is tests/test_review_browser.py."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import warnings

import pytest

with warnings.catch_warnings():  # Starlette's test client asks for httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient

from docmine import cli
from docmine.review.app import CSRF_HEADER, create_app
from docmine.review.store import THROTTLE_FAILURES, Store

PASSWORDS = {"rita": "rita-reviews-1", "amos": "amos-approves-1", "ada": "ada-admin-pw-1", "otto": "otto-approves-2"}
ROLES = {"rita": "reviewer", "amos": "approver", "ada": "admin", "otto": "approver"}


def docmine(*args: str, stdin: str = "") -> tuple[int, str]:
    """Run the command line in-process; its exit code and what it printed."""
    out = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(out):
            try:
                cli.main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue()


def _check(inputs: list[Path], out: Path) -> None:
    code, text = docmine("check", *map(str, inputs), "--policy", "statute", "--as-of", "2024-01-01", "--out", str(out))
    assert code == 0, text


@pytest.fixture(scope="module")
def doj_base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("desk-doj")
    code, text = docmine("synth", "--doj", "--rows", "3000", "--out", str(root / "in"))
    assert code == 0, text
    _check([root / "in" / "doj_bulk.csv"], root / "results")
    return root


@pytest.fixture(scope="module")
def doc_base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("desk-docs")
    code, text = docmine("synth", "--n", "12", "--noise", "none", "--out", str(root / "in"))
    assert code == 0, text
    _check(sorted((root / "in" / "docs").glob("doc-000[0-9][0-9].pdf")), root / "results")
    return root


def _with_users(base: Path, tmp_path: Path) -> Path:
    """A copy of a results folder (each test decides on its own), with the four accounts."""
    shutil.copytree(base, tmp_path / "case")
    folder = tmp_path / "case" / "results"
    for name, role in ROLES.items():
        code, text = docmine("review", "users", "add", name, "--role", role, "--password-stdin", "--results", str(folder),
                             stdin=PASSWORDS[name] + "\n")  # fmt: skip
        assert code == 0, text
    return folder


@pytest.fixture
def doj_folder(doj_base, tmp_path, monkeypatch) -> Path:
    folder = _with_users(doj_base, tmp_path)
    monkeypatch.chdir(tmp_path / "case")  # inputs were named relative to where check ran; the desk must not care
    return folder


@pytest.fixture
def doc_folder(doc_base, tmp_path) -> Path:
    return _with_users(doc_base, tmp_path)


def _app(folder: Path):
    return create_app(folder, folder / "annotations")


def login(app, name: str) -> tuple[TestClient, dict]:
    client = TestClient(app)
    r = client.post("/api/login", json={"username": name, "password": PASSWORDS[name]})
    assert r.status_code == 200, r.text
    return client, {CSRF_HEADER: r.json()["csrf_token"]}


def _items(client: TestClient, **params) -> list[dict]:
    data = client.get("/api/queue", params={"limit": 1000, **params}).json()
    return [i for g in data["groups"] for i in g["items"]]


def _decide(client, headers, count_id, relief="dismiss_and_seal", reason="checked the court file", corrections=None):
    body = {"count_id": count_id, "relief": relief, "reason": reason}
    if corrections:
        body["corrections"] = corrections
    return client.post("/api/decisions", json=body, headers=headers)


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- accounts and log-in -----------------------------------------------------------------------


def test_the_desk_will_not_start_without_an_account(doj_base, tmp_path):
    shutil.copytree(doj_base / "results", tmp_path / "results")
    code, text = docmine("review", str(tmp_path / "results"), "--port", "8765")
    assert code == 2
    assert "docmine review users add" in text and "Traceback" not in text


def test_users_add_list_disable_and_passwords_are_argon2(doj_folder):
    code, text = docmine("review", "users", "list", str(doj_folder))
    assert code == 0
    assert [line.split("\t")[:3] for line in text.strip().splitlines()] == [
        ["ada", "admin", "enabled"], ["amos", "approver", "enabled"], ["otto", "approver", "enabled"],
        ["rita", "reviewer", "enabled"],
    ]  # fmt: skip
    hashes = sqlite3.connect(doj_folder / ".docmine" / "review.sqlite").execute("SELECT hash FROM users").fetchall()
    assert all(h.startswith("$argon2id$") for (h,) in hashes)
    assert not any(p in h for (h,) in hashes for p in PASSWORDS.values())
    code, text = docmine("review", "users", "add", "rita", "--role", "reviewer", "--password-stdin", "--results",
                         str(doj_folder), stdin="another-password\n")  # fmt: skip
    assert code == 2 and "exists already" in text
    code, text = docmine("review", "users", "add", "shorty", "--role", "reviewer", "--password-stdin", "--results",
                         str(doj_folder), stdin="short\n")  # fmt: skip
    assert code == 2 and "too short" in text


def test_a_disabled_account_cannot_log_in_and_its_session_ends(doj_folder):
    app = _app(doj_folder)
    client, _ = login(app, "rita")
    assert client.get("/api/queue").status_code == 200
    code, _ = docmine("review", "users", "disable", "rita", "--results", str(doj_folder))
    assert code == 0
    assert client.get("/api/queue").status_code == 401
    r = TestClient(app).post("/api/login", json={"username": "rita", "password": PASSWORDS["rita"]})
    assert r.status_code == 401


def test_the_session_cookie_is_httponly_and_samesite_strict(doj_folder):
    client = TestClient(_app(doj_folder))
    r = client.post("/api/login", json={"username": "rita", "password": PASSWORDS["rita"]})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert PASSWORDS["rita"] not in r.headers["set-cookie"]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/"),
        ("GET", "/approvals"),
        ("GET", "/items/X"),
        ("GET", "/api/queue"),
        ("GET", "/api/items/X"),
        ("GET", "/api/decisions"),
        ("GET", "/api/me"),
        ("GET", "/api/audit"),
        ("POST", "/api/decisions"),
        ("POST", "/api/preview"),
        ("POST", "/api/decisions/1/approval"),
        ("GET", "/crops/anything.png"),
        ("GET", "/pages/X"),
    ],
)
def test_nothing_without_logging_in(doc_folder, method, path):
    client = TestClient(_app(doc_folder))
    crop = next((doc_folder / "review" / "crops").glob("*.png")).name
    path = path.replace("anything.png", crop)
    r = client.request(method, path, json={} if method == "POST" else None, follow_redirects=False)
    if path.startswith("/api/"):
        assert r.status_code == 401
    else:
        assert r.status_code == 303 and r.headers["location"] == "/login"
    assert b"PNG" not in r.content[:8]


def test_no_state_change_without_the_csrf_token(doj_folder):
    app = _app(doj_folder)
    rita, headers = login(app, "rita")
    count_id = _items(rita)[0]["count_id"]
    assert _decide(rita, {}, count_id).status_code == 403
    assert _decide(rita, {CSRF_HEADER: "not-the-token"}, count_id).status_code == 403
    assert rita.post("/api/preview", json={"count_id": count_id}).status_code == 403
    assert rita.post("/api/logout").status_code == 403
    assert Store(doj_folder).proposals() == []
    assert _decide(rita, headers, count_id).status_code == 201
    amos, _ = login(app, "amos")
    p = Store(doj_folder).proposals()[0]
    assert amos.post(f"/api/decisions/{p.id}/approval", json={"approve": True, "note": "ok"}).status_code == 403
    assert Store(doj_folder).proposals()[0].state == "proposed"


def test_repeated_wrong_passwords_are_throttled(doj_folder):
    client = TestClient(_app(doj_folder))
    for _ in range(THROTTLE_FAILURES):
        assert client.post("/api/login", json={"username": "rita", "password": "guess-guess"}).status_code == 401
    r = client.post("/api/login", json={"username": "rita", "password": PASSWORDS["rita"]})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "try again" in r.json()["error"]


# --- roles and the two-person rule -------------------------------------------------------------


def test_a_reviewer_cannot_approve_and_nobody_approves_their_own_decision(doj_folder):
    app = _app(doj_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    first, second = (i["count_id"] for i in _items(rita)[:2])
    mine = _decide(rita, rh, first).json()["decision"]["id"]
    assert rita.post(f"/api/decisions/{mine}/approval", json={"approve": True}, headers=rh).status_code == 403
    own = _decide(amos, ah, second).json()["decision"]["id"]  # an approver may decide ...
    r = amos.post(f"/api/decisions/{own}/approval", json={"approve": True, "note": ""}, headers=ah)
    assert r.status_code == 403 and "own decision" in r.json()["error"]  # ... but not approve it
    assert (doj_folder / "decisions.csv").read_text().count("\n") == 1  # nothing reached decisions.csv


def test_only_approved_decisions_reach_decisions_csv_and_a_rejection_goes_back_with_its_note(doj_folder):
    app = _app(doj_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    first, second = (i["count_id"] for i in _items(rita)[:2])
    a = _decide(rita, rh, first, "not_eligible", "a disqualifying prior in the court file").json()["decision"]["id"]
    b = _decide(rita, rh, second).json()["decision"]["id"]
    assert _rows(doj_folder / "decisions.csv") == []
    assert amos.post(f"/api/decisions/{b}/approval", json={"approve": False}, headers=ah).status_code == 400
    assert (
        amos.post(f"/api/decisions/{a}/approval", json={"approve": True, "note": "seen"}, headers=ah).status_code == 200
    )
    r = amos.post(
        f"/api/decisions/{b}/approval", json={"approve": False, "note": "the docket says otherwise"}, headers=ah
    )
    assert r.status_code == 200
    rows = _rows(doj_folder / "decisions.csv")
    assert [(r["count_id"], r["relief"], r["decided_by"]) for r in rows] == [(first, "not_eligible", "rita")]
    back = rita.get(f"/api/items/{second}").json()
    assert back["state"]["state"] == "rejected" and back["state"]["note"] == "the docket says otherwise"
    assert {i["count_id"]: i["state"] for i in _items(rita, state="rejected")} == {second: "rejected"}
    assert amos.post(f"/api/decisions/{a}/approval", json={"approve": True}, headers=ah).status_code == 409


def test_a_decision_added_to_decisions_csv_by_hand_appears_in_the_desk(doj_folder):
    count_id = _rows(doj_folder / "review.csv")[0]["count_id"]
    with open(doj_folder / "decisions.csv", "a", encoding="utf-8") as handle:
        handle.write(f"{count_id},not_eligible,J. Clerk,2024-02-01,typed by hand\n")
    rita, _ = login(_app(doj_folder), "rita")
    item = rita.get(f"/api/items/{count_id}").json()
    assert item["state"] == {"state": "done", "relief": "not_eligible", "by": "J. Clerk", "proposal": None}
    queue = rita.get("/api/queue").json()
    assert queue["done"] == 1 and queue["remaining"] == queue["total"] - 1


# --- corrections -------------------------------------------------------------------------------


def test_a_correction_is_decided_again_before_it_is_saved_and_every_later_run_keeps_it(doj_folder):
    app = _app(doj_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    item = _items(rita, reason="arrest_date")[0]  # arrested after Prop 64, no offence date: a person checks when
    fix = {"offense_date": "2015-06-01"}
    preview = rita.post("/api/preview", json={"count_id": item["count_id"], "corrections": fix}, headers=rh).json()
    assert preview["relief"] not in ("", "hand_review")
    assert Store(doj_folder).proposals() == []  # a preview saves nothing
    bad = _decide(
        rita, rh, item["count_id"], preview["relief"], "date from the police report", {"offense_date": "2015-13-01"}
    )
    assert bad.status_code == 400 and "not a date" in bad.json()["error"]
    made = _decide(rita, rh, item["count_id"], preview["relief"], "date from the police report", fix).json()
    assert made["outcome"]["relief"] == preview["relief"]
    assert amos.post(f"/api/decisions/{made['decision']['id']}/approval", json={"approve": True, "note": "ok"},
                     headers=ah).status_code == 200  # fmt: skip
    run = doj_folder.parent
    _check([run / "in" / "doj_bulk.csv"], doj_folder)
    row = next(r for r in _rows(doj_folder / "counts.csv") if r["count_id"] == item["count_id"])
    assert row["relief"] == preview["relief"] == row["final_relief"] == row["decided_relief"]
    assert "decisions.csv: corrected by rita" in row["facts"]
    assert item["count_id"] not in {r["count_id"] for r in _rows(doj_folder / "review.csv")}


def test_a_corrected_page_field_becomes_a_gold_page(doc_folder):
    from docmine.annotate.gold import read_gold

    app = _app(doc_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    items = [i for i in _items(rita) if i["state"] == "to do"]
    item = rita.get(f"/api/items/{items[0]['count_id']}").json()
    assert item["crop"].startswith("/crops/") and rita.get(item["crop"]).content[:8] == b"\x89PNG\r\n\x1a\n"
    assert rita.get(item["page_image"]).content[:8] == b"\x89PNG\r\n\x1a\n"
    fix = {"conviction_date": "2001-02-03"}
    made = _decide(rita, rh, item["count_id"], "not_eligible", "the date was misread", fix).json()
    amos.post(f"/api/decisions/{made['decision']['id']}/approval", json={"approve": True, "note": "ok"}, headers=ah)
    app.state.desk.wait_for_gold(120)
    assert app.state.desk.gold_problems == []
    pages = read_gold(doc_folder / "annotations" / "review" / "results.jsonl")
    assert len(pages) == 1
    page = pages[0]
    assert page.meta["count_id"] == item["count_id"] and page.meta["corrections"] == fix
    assert any(label == "EVENT_DATE" for _, _, label in page.spans)
    assert any(label == "CHARGE" for _, _, label in page.spans)


# --- what is served ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/crops/../run.json", "/crops/..%2Frun.json", "/crops/%2e%2e/decisions.csv",
                                  "/crops/../../../../etc/passwd", "/crops/..%2F..%2F.docmine%2Freview-secret"])  # fmt: skip
def test_a_crop_path_outside_the_crops_folder_is_refused(doc_folder, path):
    rita, _ = login(_app(doc_folder), "rita")
    r = rita.get(path)
    assert r.status_code in (403, 404)
    assert b"secret" not in r.content and b"policy" not in r.content and b"root:" not in r.content


def test_record_text_is_shown_as_text(doj_folder):
    script = "<script>alert(1)</script>"
    rows = _rows(doj_folder / "review.csv")
    rows[0]["text"] = f"OFFENSE_DESCR={script}"
    rows[0]["name"] = script
    rows[0]["reason"] = script + " needs a look"
    with open(doj_folder / "review.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    rita, _ = login(_app(doj_folder), "rita")
    for page in (rita.get("/"), rita.get(f"/items/{rows[0]['count_id']}")):
        assert page.status_code == 200
        assert script not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert (
            "script-src" in page.headers["content-security-policy"]
            or "default-src 'self'" in page.headers["content-security-policy"]
        )


# --- the audit log -----------------------------------------------------------------------------


def _two_decisions(folder: Path) -> None:
    app = _app(folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    for item in _items(rita)[:2]:
        made = _decide(rita, rh, item["count_id"]).json()["decision"]["id"]
        amos.post(f"/api/decisions/{made}/approval", json={"approve": True, "note": "ok"}, headers=ah)


def test_the_audit_log_verifies_and_exports(doj_folder, tmp_path):
    _two_decisions(doj_folder)
    code, text = docmine("review", "audit", str(doj_folder), "--csv", str(tmp_path / "audit.csv"))
    assert code == 0 and "hash chain intact" in text
    rows = _rows(tmp_path / "audit.csv")
    assert [r["action"] for r in rows][-4:] == ["decided", "approved", "decided", "approved"]
    decided = rows[-4]
    assert decided["user"] == "rita" and decided["before"] == "hand_review" and decided["after"] == "dismiss_and_seal"
    assert decided["reason"] == "checked the court file" and '"policy": "statute"' in decided["versions"]
    assert '"docmine"' in decided["versions"] and '"model"' in decided["versions"]


@pytest.mark.parametrize(
    "tamper, says",
    [
        ("UPDATE audit SET after = 'not_eligible' WHERE action = 'approved' AND id = (SELECT min(id) FROM audit "
         "WHERE action = 'approved')", "edited"),
        ("DELETE FROM audit WHERE id = 3", "deleted"),
        ("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)", "missing"),
    ],
)  # fmt: skip
def test_an_edited_or_deleted_audit_row_is_detected(doj_folder, tamper, says):
    _two_decisions(doj_folder)
    db = sqlite3.connect(doj_folder / ".docmine" / "review.sqlite")
    db.execute(tamper)  # behind the desk's back
    db.commit()
    db.close()
    code, text = docmine("review", "audit", str(doj_folder))
    assert code == 1
    assert "TAMPERED" in text and says in text


def test_an_identity_link_corrected_decides_the_count_as_a_person_of_its_own(doj_folder):
    """`person: separate`: the count is not this person's, so the person's priors no longer reach it."""
    app = _app(doj_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    item = _items(rita, reason="prior")[0]
    fix = {"person": "separate"}
    preview = rita.post("/api/preview", json={"count_id": item["count_id"], "corrections": fix}, headers=rh).json()
    assert preview["separate"] is True and preview["relief"] != "hand_review"
    made = _decide(rita, rh, item["count_id"], preview["relief"], "another man of the same name", fix).json()
    amos.post(f"/api/decisions/{made['decision']['id']}/approval", json={"approve": True, "note": "ok"}, headers=ah)
    _check([doj_folder.parent / "in" / "doj_bulk.csv"], doj_folder)
    counts = {r["count_id"]: r for r in _rows(doj_folder / "counts.csv")}
    row = counts[item["count_id"]]
    assert row["person_id"] == f"{item['person_id']}~{item['count_id']}"
    assert row["relief"] == preview["relief"]
    people = {r["person_id"] for r in _rows(doj_folder / "people.csv")}
    assert {item["person_id"], row["person_id"]} <= people
    assert any(r["person_id"] == item["person_id"] for r in counts.values())  # the rest stays with the person


def test_the_api_names_the_count_in_the_path_too(doj_folder):
    from urllib.parse import quote

    app = _app(doj_folder)
    rita, rh = login(app, "rita")
    amos, ah = login(app, "amos")
    queue = rita.get("/api/queue").json()
    count_id = queue["items"][0]["count_id"]
    assert queue["items"] == [i for g in queue["groups"] for i in g["items"]]
    path = f"/api/items/{quote(count_id, safe='')}"
    assert rita.get(path).json()["count_id"] == count_id
    r = rita.post(
        path + "/decision", json={"relief": "not_eligible", "reason": "a prior in the court file"}, headers=rh
    )
    assert r.status_code == 201 and r.json()["decision"]["count_id"] == count_id
    assert rita.post(path + "/decision", json={"relief": "not_eligible", "reason": "x"}).status_code == 403
    r = amos.post(path + "/approval", json={"approve": True, "note": "agreed"}, headers=ah)
    assert r.status_code == 200 and r.json()["decision"]["state"] == "approved"
    assert amos.post(path + "/approval", json={"approve": True, "note": "again"}, headers=ah).status_code == 404
    assert [(r["count_id"], r["relief"]) for r in _rows(doj_folder / "decisions.csv")] == [(count_id, "not_eligible")]
