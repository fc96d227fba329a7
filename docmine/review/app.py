"""`docmine review RESULTS`: the review desk, a Starlette application over a results folder.

Pages (Jinja2, every value escaped) and a JSON API under /api that the pages use for every
action, so an office can script the same calls. Sessions are signed cookies (Starlette's
SessionMiddleware: HttpOnly, SameSite=Strict); every state change needs the session and the
`X-CSRF-Token` header that log-in returns; roles are checked here, on the server. Nothing is
loaded from outside the package: no CDN, no external font.
"""

from __future__ import annotations

import io
import json
import secrets
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docmine import __version__
from docmine.eligibility.decision import expand
from docmine.errors import DocmineError
from docmine.results import corrections
from docmine.results.decisions import DECIDABLE, ReviewDecision, corrections_of, record_decision
from docmine.review.queue import Item, Queue
from docmine.review.redecide import Redecider, input_files
from docmine.review.store import APPROVED, CAN_APPROVE, CAN_DECIDE, PROPOSED, REJECTED, Store

SESSION_COOKIE = "docmine_review"
SESSION_HOURS = 8
CSRF_HEADER = "X-CSRF-Token"
PAGE_SIZE = 100
_STATIC = Path(__file__).parent / "static"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def secret_key(results: Path) -> str:
    """The key that signs session cookies: made once per results folder, readable by its owner only."""
    path = Path(results) / ".docmine" / "review-secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


class Desk:
    """What every request shares: the folder's queue, the desk's store and the re-decider."""

    def __init__(self, results: Path, annotations: Path | None = None):
        self.results = Path(results)
        self.queue = Queue(self.results)
        self.store = Store(self.results)
        self.annotations = annotations
        self._redecider: Redecider | None = None
        self.gold_threads: list = []  # gold pages being written (`gold.save_correction`)
        self.gold_problems: list[str] = []

    def wait_for_gold(self, timeout: float | None = None) -> None:
        for thread in list(self.gold_threads):
            thread.join(timeout)

    @property
    def redecider(self) -> Redecider:
        run = self.queue.folder.run
        if self._redecider is None or self._redecider.run != run:
            self._redecider = Redecider(self.results, run)
        return self._redecider

    def versions(self) -> dict:
        run = self.queue.folder.run
        model = run.get("model") or {}
        return {
            "docmine": __version__,
            "model": f"{model.get('name', '')} {model.get('version', '')}".strip(),
            "policy": run.get("policy", ""),
            "policy_sha256": run.get("policy_sha256", ""),
        }

    def state_of(self, item: Item, latest: dict, on_file: dict) -> dict:
        """Where an item stands: done (approved / in decisions.csv, `on_file`), awaiting approval,
        rejected, to do (`latest`: the desk's newest decision per count)."""
        p = latest.get(item.count_id)
        on_file = on_file.get(item.count_id)
        if p is not None and p.state == PROPOSED:
            return {"state": "awaiting approval", "relief": p.relief, "by": p.reviewer, "proposal": p.id}
        if on_file is not None:
            return {"state": "done", "relief": on_file.relief, "by": on_file.decided_by, "proposal": None}
        if p is not None and p.state == REJECTED:
            return {"state": "rejected", "relief": p.relief, "by": p.reviewer, "note": p.note, "proposal": p.id}
        return {"state": "to do", "relief": "", "by": "", "proposal": None}


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _user(request: Request):
    """The logged-in, enabled user, or None."""
    name = request.session.get("user")
    if not name:
        return None
    user = request.app.state.desk.store.user(name)
    if user is None or user.disabled:
        request.session.clear()
        return None
    return user


class Guard:
    """Every route but the log-in page, its API call and the static files needs a session; every
    state change needs the CSRF token too."""

    OPEN = ("/login", "/api/login", "/static/")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        path = scope["path"]
        if not any(path == p or (p.endswith("/") and path.startswith(p)) for p in self.OPEN):
            user = _user(request)
            if user is None:
                if path.startswith("/api/"):
                    response = _json_error(401, "log in first (POST /api/login)")
                else:
                    response = RedirectResponse("/login", status_code=303)
                return await response(scope, receive, send)
            if scope["method"] not in _SAFE_METHODS:
                token = request.headers.get(CSRF_HEADER, "")
                if not token or not secrets.compare_digest(token, request.session.get("csrf", "")):
                    return await _json_error(403, f"missing or wrong {CSRF_HEADER} header")(scope, receive, send)
            scope["state"] = {**scope.get("state", {}), "user": user}
        elif path == "/api/login" and scope["method"] != "POST":
            return await _json_error(405, "POST your username and password")(scope, receive, send)
        await self.app(scope, receive, send)


class SecurityHeaders:
    """No framing, no sniffing, scripts and styles from this server only, nothing cached."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


_templates = Environment(
    loader=PackageLoader("docmine.review", "templates"), autoescape=select_autoescape(default=True)
)


def _page(request: Request, name: str, **context) -> HTMLResponse:
    user = request.scope.get("state", {}).get("user")
    desk: Desk = request.app.state.desk
    html = _templates.get_template(name).render(
        user=user, csrf=request.session.get("csrf", ""), problem=desk.queue.folder.problem, **context
    )
    return HTMLResponse(html)


async def _body(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        raise DocmineError("the body must be JSON") from None
    if not isinstance(data, dict):
        raise DocmineError("the body must be a JSON object")
    return data


# --- log-in ----------------------------------------------------------------------------------


async def login_page(request: Request):
    if _user(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _page(request, "login.html")


async def api_login(request: Request):
    desk: Desk = request.app.state.desk
    try:
        data = await _body(request)
    except DocmineError as exc:
        return _json_error(400, str(exc))
    name, password = str(data.get("username", "")).strip(), str(data.get("password", ""))
    keys = [f"user:{name.lower()}", f"addr:{request.client.host if request.client else ''}"]
    wait = desk.store.locked_for(keys)
    if wait > 0:
        minutes = max(1, int(wait // 60) + 1)
        return JSONResponse(
            {"error": f"too many failed log-ins: try again in {minutes} minute(s)"},
            status_code=429,
            headers={"Retry-After": str(int(wait) + 1)},
        )
    user = desk.store.check_password(name, password) if name and password else None
    if user is None:
        desk.store.failed(keys)
        return _json_error(401, "wrong user name or password")
    desk.store.succeeded(keys[0])
    request.session.clear()  # a new session: nothing carried over from before the log-in
    request.session.update(user=user.name, csrf=secrets.token_urlsafe(32))
    token = request.session["csrf"]
    return JSONResponse({"user": user.name, "role": user.role, "csrf_token": token, "csrf": token})


async def api_logout(request: Request):
    request.session.clear()
    return JSONResponse({"ok": True})


async def api_me(request: Request):
    user = request.state.user
    return JSONResponse({"user": user.name, "role": user.role, "csrf_token": request.session.get("csrf", "")})


# --- the queue -------------------------------------------------------------------------------


def _filtered(desk: Desk, params) -> tuple[list[tuple[Item, dict]], dict]:
    folder = desk.queue.folder
    latest = desk.store.latest()
    reason = (params.get("reason") or "").strip().lower()
    court = (params.get("court") or "").strip().lower()
    charge = (params.get("charge") or "").strip().lower()
    person = (params.get("person") or "").strip().lower()
    state = (params.get("state") or "").strip().lower()
    chosen, tally = [], {"total": 0, "done": 0, "remaining": 0, "awaiting approval": 0}
    for item in folder.items:
        where = desk.state_of(item, latest, folder.decisions)
        tally["total"] += 1
        if where["state"] == "done":
            tally["done"] += 1
        else:
            tally["remaining"] += 1
        if where["state"] == "awaiting approval":
            tally["awaiting approval"] += 1
        if reason and reason not in item.reason_kind.lower() and reason not in item.reason.lower():
            continue
        if court and court not in item.court.lower():
            continue
        if charge and not item.charge.lower().startswith(charge):
            continue
        if person and person not in item.person_id.lower() and person not in item.name.lower():
            continue
        if state and where["state"] != state:
            continue
        chosen.append((item, where))
    return chosen, tally


def _window(params) -> tuple[int, int]:
    try:
        offset = max(0, int(params.get("offset") or 0))
        limit = min(1000, max(1, int(params.get("limit") or PAGE_SIZE)))
    except ValueError:
        raise DocmineError("offset and limit are whole numbers") from None
    return offset, limit


def _queue_data(desk: Desk, params) -> dict:
    chosen, tally = _filtered(desk, params)
    offset, limit = _window(params)
    shown = chosen[offset : offset + limit]
    groups: list[dict] = []
    for item, where in shown:
        if not groups or groups[-1]["person_id"] != item.person_id:
            groups.append({"person_id": item.person_id, "name": item.name, "dob": item.dob, "items": []})
        groups[-1]["items"].append({**item.summary(), **where})
    folder = desk.queue.folder
    return {
        **tally,
        "items": [i for g in groups for i in g["items"]],
        "matching": len(chosen),
        "offset": offset,
        "limit": limit,
        "groups": groups,
        "reasons": sorted({i.reason_kind for i in folder.items}),
        "policy": folder.run.get("policy", ""),
        "as_of": folder.run.get("as_of", ""),
    }


async def api_queue(request: Request):
    try:
        return JSONResponse(_queue_data(request.app.state.desk, request.query_params))
    except DocmineError as exc:
        return _json_error(400, str(exc))


async def queue_page(request: Request):
    desk: Desk = request.app.state.desk
    try:
        data = _queue_data(desk, request.query_params)
    except DocmineError as exc:
        return HTMLResponse(str(exc), status_code=400)
    order = [i["count_id"] for g in data["groups"] for i in g["items"]]
    return _page(request, "queue.html", q=data, params=dict(request.query_params), order=order)


# --- one item --------------------------------------------------------------------------------


def _loads(text: str):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _item_data(desk: Desk, count_id: str, user) -> dict | None:
    folder = desk.queue.folder
    item = folder.by_id.get(count_id)
    if item is None:
        return None
    row = folder.count_rows.get(count_id, {})
    latest = desk.store.latest()
    where = desk.state_of(item, latest, folder.decisions)
    history = [p.to_dict() for p in desk.store.proposals_of(count_id)]
    others = []
    for other in folder.counts.get(item.person_id, []):
        if other.get("count_id") == count_id:
            continue
        others.append(
            {k: other.get(k, "") for k in ("count_id", "charge", "charge_text", "severity", "disposition",
                                           "conviction_date", "court", "case_number", "final_relief")}
        )  # fmt: skip
    doubt_values = [part.split("=", 1)[1] for part in item.doubt.split(";") if "=" in part]
    proposal = None
    if where["state"] in ("awaiting approval", "rejected", "done"):
        proposal = {"relief": where["relief"], "from": where["state"], "by": where["by"]}
    return {
        "count_id": count_id,
        "person_id": item.person_id,
        "name": item.name,
        "dob": item.dob,
        "case_number": item.case_number,
        "court": item.court,
        "charge": item.charge,
        "charge_text": item.charge_text,
        "reason": item.reason,
        "reason_kind": item.reason_kind,
        "doubt": item.doubt,
        "doubt_values": doubt_values,
        "document": item.document,
        "page": item.page,
        "text": item.text,
        "crop": f"/crops/{item.crop.split('review/crops/', 1)[-1]}" if item.crop else "",
        "page_image": f"/pages/{count_id}" if item.crop else "",
        "source": row.get("source", ""),
        "fields": {
            k: row.get(k, "")
            for k in (
                "charge",
                "severity",
                "disposition",
                "conviction_date",
                "offense_date",
                "case_number",
                "dob",
                "cii",
            )
        },
        "relief": row.get("relief", "hand_review" if item.in_review else ""),
        "final_relief": row.get("final_relief", ""),
        "clause": row.get("clause", ""),
        "explanation": expand(_loads(row.get("explanation", "")), _loads(row.get("facts", "")) or []),
        "facts": _loads(row.get("facts", "")) or [],
        "doj": {c: row.get(c, "") for c in folder.doj_columns} if row.get("source") == "doj" else {},
        "others": others,
        "state": where,
        "proposal": proposal,
        "history": history,
        "reliefs": list(DECIDABLE),
        "correctable": corrections.FIELDS,
        "can_decide": user.role in CAN_DECIDE,
        "can_approve": user.role in CAN_APPROVE,
    }


def _count_id(request: Request) -> str:
    return request.path_params["count_id"]


async def api_item(request: Request):
    data = _item_data(request.app.state.desk, _count_id(request), request.state.user)
    if data is None:
        return _json_error(404, "no such item in the review queue")
    return JSONResponse(data)


async def item_page(request: Request):
    desk: Desk = request.app.state.desk
    data = _item_data(desk, _count_id(request), request.state.user)
    if data is None:
        return HTMLResponse("no such item in the review queue", status_code=404)
    chosen, _ = _filtered(desk, request.query_params)
    order = [i.count_id for i, _ in chosen]
    here = order.index(data["count_id"]) if data["count_id"] in order else -1
    nav = {
        "previous": order[here - 1] if here > 0 else "",
        "next": order[here + 1] if 0 <= here < len(order) - 1 else "",
        "position": here + 1,
        "of": len(order),
    }
    return _page(request, "item.html", item=data, item_json=json.dumps(data), nav=nav)


async def crop(request: Request):
    """A crop image, served only from RESULTS/review/crops/."""
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    base = (desk.results / "review" / "crops").resolve()
    target = (base / name).resolve()
    if ".." in Path(name).parts or not target.is_relative_to(base) or target == base:
        return _json_error(403, "crops are served from the results folder's review/crops only")
    if not target.is_file():
        return _json_error(404, "no such crop")
    return FileResponse(target, media_type="image/png")


async def page_image(request: Request):
    """The whole page the count was read from, rendered from the document."""
    from docmine.results.crops import page_image as render

    desk: Desk = request.app.state.desk
    item = desk.queue.folder.by_id.get(_count_id(request))
    if item is None or not item.page:
        return _json_error(404, "no page image for this item")
    files = input_files(desk.results)
    if item.document not in files:
        return _json_error(404, "the item's document is not an input of this folder")
    rendered = render(files[item.document], int(item.page))
    if rendered is None:
        return _json_error(404, f"{item.document}: page {item.page} cannot be rendered")
    buffer = io.BytesIO()
    rendered[0].save(buffer, format="PNG")
    return Response(buffer.getvalue(), media_type="image/png")


# --- deciding --------------------------------------------------------------------------------


def _checked_corrections(raw, count_id: str) -> dict[str, str]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise DocmineError("corrections must be an object of field -> value")
    return {k: corrections.check(str(k), v, count_id) for k, v in raw.items() if str(v).strip() != ""}


def _outcome(desk: Desk, count_id: str, fields: dict, by: str) -> dict:
    folder = desk.queue.folder
    final = {k: r.get("final_relief", "") for k, r in folder.count_rows.items() if k not in folder.decisions}
    return desk.redecider.outcome(count_id, fields, by, corrections_of(folder.decisions), final)


async def api_preview(request: Request):
    """What the count (and its person) would be with these corrections: nothing is saved."""
    desk: Desk = request.app.state.desk
    try:
        data = await _body(request)
        count_id = request.path_params.get("count_id") or str(data.get("count_id", ""))
        if count_id not in desk.queue.folder.by_id:
            return _json_error(404, "no such item in the review queue")
        fields = _checked_corrections(data.get("corrections"), count_id)
        return JSONResponse(_outcome(desk, count_id, fields, request.state.user.name))
    except DocmineError as exc:
        return _json_error(400, str(exc))


async def api_decide(request: Request):
    """A reviewer's decision: `count_id`, `relief`, `reason`, optional `corrections`. It waits for an approver."""
    desk: Desk = request.app.state.desk
    user = request.state.user
    if user.role not in CAN_DECIDE:
        return _json_error(403, f"a {user.role} cannot decide")
    try:
        data = await _body(request)
        count_id = request.path_params.get("count_id") or str(data.get("count_id", ""))
        item = desk.queue.folder.by_id.get(count_id)
        if item is None:
            return _json_error(404, "no such item in the review queue")
        relief = str(data.get("relief", "")).strip()
        reason = str(data.get("reason", "")).strip()
        fields = _checked_corrections(data.get("corrections"), count_id)
        if relief not in DECIDABLE:
            raise DocmineError(f"relief {relief!r}: one of {', '.join(DECIDABLE)}")
        if not reason:
            raise DocmineError("give a reason for the decision")
        outcome = _outcome(desk, count_id, fields, user.name) if fields else None
    except DocmineError as exc:
        return _json_error(400, str(exc))
    before = desk.queue.folder.count_rows.get(count_id, {}).get("final_relief", "") or "hand_review"
    p = desk.store.propose(count_id, user.name, relief, reason, fields, before, desk.versions())
    return JSONResponse({"decision": p.to_dict(), "outcome": outcome}, status_code=201)


def _write_approved(desk: Desk, proposal) -> None:
    note = f"{proposal.reason} (approved by {proposal.approver})"
    decision = ReviewDecision(
        proposal.count_id, proposal.relief, proposal.reviewer, date.today().isoformat(), note, 0,
        tuple(sorted(proposal.corrections.items())),
    )  # fmt: skip
    record_decision(desk.results, decision)
    if proposal.corrections and desk.annotations is not None:
        from docmine.review.gold import save_correction

        save_correction(desk, proposal)


async def api_approval(request: Request):
    """An approver's word on a waiting decision: `approve` (true/false) and `note`."""
    desk: Desk = request.app.state.desk
    user = request.state.user
    if user.role not in CAN_APPROVE:
        return _json_error(403, f"a {user.role} cannot approve decisions")
    if "count_id" in request.path_params:  # the count's decision that waits
        waiting = [p for p in desk.store.proposals_of(request.path_params["count_id"]) if p.state == PROPOSED]
        proposal = waiting[-1] if waiting else None
    else:
        proposal = desk.store.proposal(request.path_params["decision_id"])
    if proposal is None:
        return _json_error(404, "no such decision waiting" if "count_id" in request.path_params else "no such decision")
    if proposal.reviewer == user.name:
        return _json_error(403, "a reviewer cannot approve their own decision: another approver must")
    try:
        data = await _body(request)
        approve = data.get("approve")
        if not isinstance(approve, bool):
            raise DocmineError("approve must be true or false")
        note = str(data.get("note", "")).strip()
        if not approve and not note:
            raise DocmineError("say why the decision is rejected (note)")
        settled = desk.store.settle(
            proposal.id,
            user.name,
            approve,
            note,
            desk.versions(),
            (lambda p: _write_approved(desk, p)) if approve else None,
        )
    except DocmineError as exc:
        return _json_error(409 if "not waiting" in str(exc) else 400, str(exc))
    desk.queue.reload()
    return JSONResponse({"decision": settled.to_dict()})


async def api_decisions(request: Request):
    desk: Desk = request.app.state.desk
    state = request.query_params.get("state") or None
    if state not in (None, PROPOSED, APPROVED, REJECTED, "withdrawn"):
        return _json_error(400, "state: proposed | approved | rejected | withdrawn")
    return JSONResponse({"decisions": [p.to_dict() for p in desk.store.proposals(state)]})


async def approvals_page(request: Request):
    desk: Desk = request.app.state.desk
    waiting = []
    for p in desk.store.proposals(PROPOSED):
        item = desk.queue.folder.by_id.get(p.count_id)
        waiting.append({"p": p, "item": item})
    return _page(request, "approvals.html", waiting=waiting)


async def api_audit(request: Request):
    desk: Desk = request.app.state.desk
    if request.state.user.role != "admin":
        return _json_error(403, "only an admin reads the audit log here (or: docmine review audit RESULTS)")
    check = desk.store.verify_audit()
    return JSONResponse({"rows": check.rows, "ok": check.ok, "problem": check.problem})


def create_app(results: Path, annotations: Path | None = None) -> Starlette:
    """The desk over `results` (a folder `docmine check` or `docmine batch` wrote)."""
    results = Path(results)
    if not (results / "run.json").is_file():
        raise DocmineError(f"{results}: not a results folder (no run.json): run `docmine check` or `docmine batch`")
    desk = Desk(results, annotations)
    routes = [
        Route("/login", login_page),
        Route("/api/login", api_login, methods=["POST", "GET"]),
        Route("/api/logout", api_logout, methods=["POST"]),
        Route("/api/me", api_me),
        Route("/api/queue", api_queue),
        Route("/api/items/{count_id:path}/decision", api_decide, methods=["POST"]),
        Route("/api/items/{count_id:path}/approval", api_approval, methods=["POST"]),
        Route("/api/items/{count_id:path}/preview", api_preview, methods=["POST"]),
        Route("/api/items/{count_id:path}", api_item),
        Route("/api/preview", api_preview, methods=["POST"]),
        Route("/api/decisions", api_decide, methods=["POST"]),
        Route("/api/decisions", api_decisions, methods=["GET"]),
        Route("/api/decisions/{decision_id:int}/approval", api_approval, methods=["POST"]),
        Route("/api/audit", api_audit),
        Route("/", queue_page),
        Route("/items/{count_id:path}", item_page),
        Route("/approvals", approvals_page),
        Route("/crops/{name:path}", crop),
        Route("/pages/{count_id:path}", page_image),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=secret_key(results),
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=False,
        ),
        Middleware(Guard),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.desk = desk
    return app
