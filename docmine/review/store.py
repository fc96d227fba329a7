"""The review desk's own state, in one SQLite file: `RESULTS/.docmine/review.sqlite`.

- users: name, role (reviewer | approver | admin), an argon2id hash of the password (argon2-cffi,
  memory-hard), disabled or not. There is no default account.
- failures: failed log-ins, to throttle guessing (`THROTTLE_*`).
- decisions: what a reviewer proposed (relief, reason, corrections) and what an approver said.
  Only approved decisions leave the desk, into decisions.csv (`results.decisions.record_decision`).
- audit: an append-only log (the desk only ever inserts), each row holding the SHA-256 of the
  row before it (a hash chain), so that a row edited or deleted by any other means breaks the
  chain; the newest hash is also kept beside the database (`review-audit.head`), so that rows
  cut from the end are found too.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docmine.errors import DocmineError

ROLES = ("reviewer", "approver", "admin")
# May propose a decision / may approve another person's.
CAN_DECIDE = frozenset(ROLES)
CAN_APPROVE = frozenset({"approver", "admin"})

THROTTLE_FAILURES = 5  # failed log-ins for one name (or from one address) ...
THROTTLE_WINDOW_S = 15 * 60  # ... within this window lock further tries until the window has passed
MIN_PASSWORD = 8

PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
GENESIS = "0" * 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, count_id TEXT NOT NULL, reviewer TEXT NOT NULL, relief TEXT NOT NULL,
    reason TEXT NOT NULL, corrections TEXT NOT NULL, before TEXT NOT NULL, state TEXT NOT NULL,
    approver TEXT, note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, settled TEXT);
CREATE INDEX IF NOT EXISTS decisions_count ON decisions (count_id, id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
    count_id TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, reason TEXT NOT NULL,
    versions TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
"""
AUDIT_COLUMNS = ("id", "at", "user", "action", "count_id", "before", "after", "reason", "versions", "prev", "hash")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    created: str


@dataclass(frozen=True)
class Proposal:
    """A reviewer's decision on one count, and what became of it."""

    id: int
    count_id: str
    reviewer: str
    relief: str
    reason: str
    corrections: dict
    before: str  # the count's final relief when the reviewer decided
    state: str  # proposed | approved | rejected
    approver: str | None
    note: str
    created: str
    settled: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _row_hash(prev: str, fields: tuple) -> str:
    payload = json.dumps([prev, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    ok: bool
    problem: str = ""


class Store:
    """The desk's SQLite file. One connection, used under a lock (the server's threads share it)."""

    def __init__(self, results: Path):
        self.results = Path(results)
        folder = self.results / ".docmine"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "review.sqlite"
        self.head_path = folder / "review-audit.head"
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._hasher = PasswordHasher()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- users ---------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> User:
        name = name.strip()
        if not name or any(ch.isspace() for ch in name) or len(name) > 64:
            raise DocmineError(f"user name {name!r}: one word of at most 64 characters")
        if role not in ROLES:
            raise DocmineError(f"role {role!r}: one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise DocmineError(f"the password for {name} is too short (at least {MIN_PASSWORD} characters)")
        with self._lock:
            if self._db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise DocmineError(f"user {name} exists already")
            created = now()
            self._db.execute(
                "INSERT INTO users (name, role, hash, created) VALUES (?, ?, ?, ?)",
                (name, role, self._hasher.hash(password), created),
            )
            self.append_audit(name, "user added", "", "", role, "")
        return User(name, role, False, created)

    def users(self) -> list[User]:
        with self._lock:
            rows = self._db.execute("SELECT name, role, disabled, created FROM users ORDER BY name").fetchall()
        return [User(n, r, bool(d), c) for n, r, d, c in rows]

    def user(self, name: str) -> User | None:
        with self._lock:
            row = self._db.execute("SELECT name, role, disabled, created FROM users WHERE name = ?", (name,)).fetchone()
        return User(row[0], row[1], bool(row[2]), row[3]) if row else None

    def disable_user(self, name: str) -> None:
        with self._lock:
            if self.user(name) is None:
                raise DocmineError(f"no user {name}")
            self._db.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
            self.append_audit(name, "user disabled", "", "enabled", "disabled", "")

    def has_users(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM users WHERE disabled = 0 LIMIT 1").fetchone() is not None

    def check_password(self, name: str, password: str) -> User | None:
        """The user, when the name and password match an enabled account; else None."""
        with self._lock:
            row = self._db.execute("SELECT hash FROM users WHERE name = ? AND disabled = 0", (name,)).fetchone()
        if row is None:
            self._hasher.hash(password)  # the same work whether or not the name exists
            return None
        try:
            self._hasher.verify(row[0], password)
        except (VerificationError, InvalidHashError):
            return None
        return self.user(name)

    # --- throttling ------------------------------------------------------------------------

    def locked_for(self, keys: list[str], at: float | None = None) -> float:
        """Seconds until another log-in may be tried for any of `keys` (0: now)."""
        at = time.time() if at is None else at
        since = at - THROTTLE_WINDOW_S
        wait = 0.0
        with self._lock:
            for key in keys:
                rows = self._db.execute(
                    "SELECT at FROM failures WHERE key = ? AND at > ? ORDER BY at", (key, since)
                ).fetchall()
                if len(rows) >= THROTTLE_FAILURES:
                    wait = max(wait, rows[-THROTTLE_FAILURES][0] + THROTTLE_WINDOW_S - at)
        return wait

    def failed(self, keys: list[str]) -> None:
        at = time.time()
        with self._lock:
            self._db.executemany("INSERT INTO failures (key, at) VALUES (?, ?)", [(k, at) for k in keys])
            self._db.execute("DELETE FROM failures WHERE at < ?", (at - 2 * THROTTLE_WINDOW_S,))

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM failures WHERE key = ?", (key,))

    # --- decisions -------------------------------------------------------------------------

    def _proposal(self, row) -> Proposal:
        return Proposal(
            row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7], row[8], row[9], row[10], row[11]
        )

    _COLUMNS = "id, count_id, reviewer, relief, reason, corrections, before, state, approver, note, created, settled"

    def propose(
        self, count_id: str, reviewer: str, relief: str, reason: str, corrections: dict, before: str, versions: dict
    ) -> Proposal:
        """A reviewer's decision, waiting for an approver; a count's earlier waiting one is replaced."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "UPDATE decisions SET state = 'withdrawn', settled = ? WHERE count_id = ? AND state = ?",
                    (now(), count_id, PROPOSED),
                )
                cur = self._db.execute(
                    "INSERT INTO decisions (count_id, reviewer, relief, reason, corrections, before, state, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        count_id,
                        reviewer,
                        relief,
                        reason,
                        json.dumps(corrections, sort_keys=True),
                        before,
                        PROPOSED,
                        now(),
                    ),
                )
                after = relief + (f" {json.dumps(corrections, sort_keys=True)}" if corrections else "")
                self.append_audit(reviewer, "decided", count_id, before, after, reason, versions, in_transaction=True)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return self.proposal(cur.lastrowid)

    def proposal(self, proposal_id: int) -> Proposal | None:
        with self._lock:
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM decisions WHERE id = ?", (proposal_id,)).fetchone()
        return self._proposal(row) if row else None

    def proposals(self, state: str | None = None) -> list[Proposal]:
        with self._lock:
            if state is None:
                rows = self._db.execute(f"SELECT {self._COLUMNS} FROM decisions ORDER BY id").fetchall()
            else:
                rows = self._db.execute(
                    f"SELECT {self._COLUMNS} FROM decisions WHERE state = ? ORDER BY id", (state,)
                ).fetchall()
        return [self._proposal(r) for r in rows]

    def proposals_of(self, count_id: str) -> list[Proposal]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {self._COLUMNS} FROM decisions WHERE count_id = ? ORDER BY id", (count_id,)
            ).fetchall()
        return [self._proposal(r) for r in rows]

    def latest(self) -> dict[str, Proposal]:
        """Each count's newest decision (withdrawn ones left out)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {self._COLUMNS} FROM decisions WHERE id IN (SELECT max(id) FROM decisions "
                "WHERE state != 'withdrawn' GROUP BY count_id)"
            ).fetchall()
        return {p.count_id: p for p in map(self._proposal, rows)}

    def settle(self, proposal_id: int, approver: str, approve: bool, note: str, versions: dict, on_approve=None):
        """Approve or reject a waiting decision. `on_approve(proposal)` runs inside the
        transaction (it writes decisions.csv), so a failure there leaves the decision waiting."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                p = self.proposal(proposal_id)
                if p is None or p.state != PROPOSED:
                    raise DocmineError(f"decision {proposal_id} is not waiting for approval")
                state = APPROVED if approve else REJECTED
                self._db.execute(
                    "UPDATE decisions SET state = ?, approver = ?, note = ?, settled = ? WHERE id = ?",
                    (state, approver, note, now(), proposal_id),
                )
                self.append_audit(
                    approver, state, p.count_id, p.before if not approve else f"{p.before} (proposed {p.relief})",
                    p.relief if approve else p.before, note, versions, in_transaction=True,
                )  # fmt: skip
                if approve and on_approve is not None:
                    on_approve(self.proposal(proposal_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return self.proposal(proposal_id)

    # --- audit -----------------------------------------------------------------------------

    def append_audit(
        self,
        user: str,
        action: str,
        count_id: str,
        before: str,
        after: str,
        reason: str,
        versions: dict | None = None,
        *,
        in_transaction: bool = False,
    ) -> None:
        with self._lock:
            if not in_transaction:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                last = self._db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
                prev = last[0] if last else GENESIS
                fields = (
                    now(),
                    user,
                    action,
                    count_id,
                    before,
                    after,
                    reason,
                    json.dumps(versions or {}, sort_keys=True),
                )
                digest = _row_hash(prev, fields)
                self._db.execute(
                    "INSERT INTO audit (at, user, action, count_id, before, after, reason, versions, prev, hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*fields, prev, digest),
                )
                if not in_transaction:
                    self._db.execute("COMMIT")
            except BaseException:
                if not in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self.head_path.write_text(digest + "\n", encoding="utf-8")

    def audit_rows(self) -> list[tuple]:
        with self._lock:
            return self._db.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY id").fetchall()

    def verify_audit(self) -> ChainCheck:
        """Walk the chain: each row's hash over its fields and the hash before it; ids without gaps;
        the last hash the one kept beside the database."""
        rows = self.audit_rows()
        prev = GENESIS
        for i, row in enumerate(rows, 1):
            rid, fields, stated_prev, stated = row[0], row[1:9], row[9], row[10]
            if rid != i:
                return ChainCheck(len(rows), False, f"row {i} is missing (the next row is {rid}): a row was deleted")
            if stated_prev != prev:
                return ChainCheck(len(rows), False, f"row {rid}: does not follow row {rid - 1} (a row was changed)")
            if _row_hash(prev, tuple(fields)) != stated:
                return ChainCheck(len(rows), False, f"row {rid}: its content does not match its hash (it was edited)")
            prev = stated
        head = self.head_path.read_text(encoding="utf-8").strip() if self.head_path.is_file() else GENESIS
        if rows and head != prev:
            return ChainCheck(
                len(rows), False, "the newest rows are missing: the log ends before its last recorded row"
            )
        if not rows and head != GENESIS:
            return ChainCheck(0, False, "the log is empty but rows were recorded")
        return ChainCheck(len(rows), True)

    def export_audit(self, target: Path) -> int:
        rows = self.audit_rows()
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(AUDIT_COLUMNS)
            writer.writerows(rows)
        return len(rows)
