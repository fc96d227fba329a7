"""The batch manifest: one SQLite file in RESULTS/.docmine/manifest.sqlite that says, for every
document of the archive (keyed by content hash), whether it is done, its pages, its error
and how long it took, and what the first run was asked (policy, as-of date).

It is what makes a batch resumable: a document is marked done only after its counts file
is in place (written to a temporary name, then renamed), in one transaction, so a run
killed at any moment leaves each document either done (kept) or not (read again).
The parent process is its only writer.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version INTEGER NOT NULL,
    docmine_version TEXT NOT NULL,
    archive TEXT NOT NULL,
    policy TEXT NOT NULL,
    policy_file TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    as_of TEXT NOT NULL,
    use_model INTEGER NOT NULL,
    runs INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,              -- the first path it was found under (walk order)
    paths TEXT NOT NULL,             -- JSON list of every path holding these bytes
    kind TEXT NOT NULL,              -- document | doj | counts | unknown (a table that is neither)
    status TEXT NOT NULL,            -- pending | done | error
    doc_type TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    counts INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    seconds REAL NOT NULL DEFAULT 0,
    max_rss_mb REAL NOT NULL DEFAULT 0,
    counts_file TEXT NOT NULL DEFAULT '',  -- relative to RESULTS
    seen_run INTEGER NOT NULL DEFAULT 0    -- the last run whose walk found it (results: this run's only)
);
CREATE TABLE IF NOT EXISTS pages (
    sha256 TEXT NOT NULL,
    page INTEGER NOT NULL,
    source TEXT NOT NULL,            -- text_layer | ocr | text | none
    status TEXT NOT NULL,            -- ok | error
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sha256, page)
);
CREATE TABLE IF NOT EXISTS files (  -- content hashes by path, so a resumed run need not re-read
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (  -- what the walk could not read (no content hash)
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class RunInfo:
    archive: str
    policy: str
    policy_file: str
    policy_sha256: str
    as_of: str
    use_model: bool
    docmine_version: str
    runs: int = 1


@dataclass(frozen=True)
class DocumentRow:
    sha256: str
    path: str
    paths: tuple[str, ...]
    kind: str
    status: str
    doc_type: str
    pages: int
    counts: int
    error: str
    seconds: float
    counts_file: str


class Manifest:
    """The manifest of one results folder (open it with `Manifest.open`)."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db, self.path = db, path
        self.run_number = 0  # set by `start`

    @classmethod
    def open(cls, path: str | Path) -> "Manifest":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
        # WAL: a commit is atomic and survives the process being killed at any moment.
        # NORMAL: a power cut may forget the last commits, which only means reading those
        # documents again (their counts files are synced before their rows are committed).
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> RunInfo | None:
        row = self.db.execute(
            "SELECT archive, policy, policy_file, policy_sha256, as_of, use_model, docmine_version, runs FROM run"
        ).fetchone()
        if row is None:
            return None
        return RunInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7])

    def start(self, info: RunInfo) -> RunInfo:
        """Record the first run's settings, or count one more run; returns the first run's."""
        first = self.run()
        with self.db:
            if first is None:
                self.db.execute(
                    "INSERT INTO run (id, schema_version, docmine_version, archive, policy, policy_file, policy_sha256,"
                    " as_of, use_model) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        SCHEMA_VERSION,
                        info.docmine_version,
                        info.archive,
                        info.policy,
                        info.policy_file,
                        info.policy_sha256,
                        info.as_of,
                        int(info.use_model),
                    ),
                )
            else:
                self.db.execute("UPDATE run SET runs = runs + 1")
        first = self.run()
        assert first is not None
        self.run_number = first.runs
        return first

    # --- content hashes by path ----------------------------------------------------------------

    def cached_sha256(self, path: str, size: int, mtime_ns: int) -> str | None:
        row = self.db.execute("SELECT size, mtime_ns, sha256 FROM files WHERE path = ?", (path,)).fetchone()
        if row is not None and row[0] == size and row[1] == mtime_ns:
            return row[2]
        return None

    def cache_sha256(self, path: str, size: int, mtime_ns: int, sha256: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)",
            (path, size, mtime_ns, sha256),
        )

    # --- documents ---------------------------------------------------------------------------------

    def status(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT status FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def add_path(self, sha256: str, path: str, kind: str) -> tuple[str, str]:
        """Note that `path` holds these bytes; returns the document's status (pending when
        new) and the first path it was found under."""
        row = self.db.execute(
            "SELECT status, paths, path, seen_run FROM documents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO documents (sha256, path, paths, kind, status, seen_run) VALUES (?, ?, ?, ?, 'pending', ?)",
                (sha256, path, json.dumps([path], ensure_ascii=False), kind, self.run_number),
            )
            return "pending", path
        paths = json.loads(row[1])
        if path not in paths:
            paths.append(path)
            self.db.execute(
                "UPDATE documents SET paths = ?, seen_run = ? WHERE sha256 = ?",
                (json.dumps(paths, ensure_ascii=False), self.run_number, sha256),
            )
        elif row[3] != self.run_number:
            self.db.execute("UPDATE documents SET seen_run = ? WHERE sha256 = ?", (self.run_number, sha256))
        return row[0], row[2]

    def finish(
        self,
        sha256: str,
        *,
        status: str,
        doc_type: str = "",
        pages: int = 0,
        counts: int = 0,
        error: str = "",
        seconds: float = 0.0,
        max_rss_mb: float = 0.0,
        counts_file: str = "",
        page_rows: tuple[tuple[int, str, str, str], ...] = (),
    ) -> None:
        """A document's outcome and its pages, in one transaction."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "UPDATE documents SET status = ?, doc_type = ?, pages = ?, counts = ?, error = ?, seconds = ?,"
                " max_rss_mb = ?, counts_file = ? WHERE sha256 = ?",
                (status, doc_type, pages, counts, error, seconds, max_rss_mb, counts_file, sha256),
            )
            self.db.execute("DELETE FROM pages WHERE sha256 = ?", (sha256,))
            self.db.executemany(
                "INSERT INTO pages (sha256, page, source, status, error) VALUES (?, ?, ?, ?, ?)",
                [(sha256, *row) for row in page_rows],
            )

    def documents(self, status: str | None = None, *, this_run: bool = False) -> Iterator[DocumentRow]:
        """Documents sorted by content hash (the order results are built in). `this_run`:
        only those this run's walk found (a file changed or removed since is left out)."""
        query = (
            "SELECT sha256, path, paths, kind, status, doc_type, pages, counts, error, seconds, counts_file"
            " FROM documents WHERE 1 = 1"
        )
        args: list = []
        if status is not None:
            query += " AND status = ?"
            args.append(status)
        if this_run:
            query += " AND seen_run = ?"
            args.append(self.run_number)
        for row in self.db.execute(query + " ORDER BY sha256", args):
            yield DocumentRow(
                row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                row[10],
            )  # fmt: skip

    def page_errors(self) -> Iterator[tuple[str, int, str]]:
        """(document path, page, error) of every page that could not be read, sorted."""
        yield from self.db.execute(
            "SELECT d.path, p.page, p.error FROM pages p JOIN documents d USING (sha256)"
            " WHERE p.status = 'error' AND d.status = 'done' AND d.seen_run = ? ORDER BY d.path, p.page",
            (self.run_number,),
        )

    # --- problems of the walk ----------------------------------------------------------------------

    def set_problems(self, problems: list[tuple[str, str]]) -> None:
        """This run's walk problems (the walk finds them again on every run)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM problems")
            self.db.executemany("INSERT OR REPLACE INTO problems (path, reason) VALUES (?, ?)", problems)

    def problems(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT path, reason FROM problems ORDER BY path"))

    def tally(self, *, this_run: bool = False) -> dict[str, int]:
        """Documents by status, and pages and counts of those done (`this_run`: of those
        this run's walk found)."""
        where, args = ("WHERE seen_run = ?", (self.run_number,)) if this_run else ("", ())
        out = {
            s: n for s, n in self.db.execute(f"SELECT status, COUNT(*) FROM documents {where} GROUP BY status", args)
        }
        pages, counts = self.db.execute(
            "SELECT COALESCE(SUM(pages), 0), COALESCE(SUM(counts), 0) FROM documents WHERE status = 'done'"
            + (" AND seen_run = ?" if this_run else ""),
            args,
        ).fetchone()
        out["pages"], out["counts"] = pages, counts
        return out
