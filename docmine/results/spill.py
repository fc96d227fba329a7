"""Rows a run gathers for its last files (motion exhibits, the review queue), kept on disk in
SQLite rather than in memory, so that a county-scale file needs no more memory than a small
one. Each worker process writes its own database; the parent takes them in, in order."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterator, Sequence

from docmine.results.motions import MotionRow

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS motion (n INTEGER PRIMARY KEY, court TEXT, case_number TEXT, name TEXT, dob TEXT, "
    "charge TEXT, conviction_date TEXT, relief TEXT, count_id TEXT)",
    "CREATE TABLE IF NOT EXISTS review (n INTEGER PRIMARY KEY, person_id TEXT, count_id TEXT, row TEXT)",
)
_BATCH = 5000


class Spill:
    """`motion(row)` and `review(row)` as a run goes; `motions()` and `reviews()` to read them back."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._motions: list[tuple] = []
        self._reviews: list[tuple] = []

    def motion(self, row: MotionRow) -> None:
        self._motions.append(
            (row.court, row.case_number, row.name, row.dob, row.charge, row.conviction_date, row.relief, row.count_id)
        )
        if len(self._motions) >= _BATCH:
            self.flush()

    def review(self, row: Sequence[str]) -> None:
        self._reviews.append((row[1], row[0], json.dumps(list(row), ensure_ascii=False)))
        if len(self._reviews) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        self._db.executemany(
            "INSERT INTO motion (court, case_number, name, dob, charge, conviction_date, relief, count_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self._motions,
        )
        self._db.executemany("INSERT INTO review (person_id, count_id, row) VALUES (?, ?, ?)", self._reviews)
        self._db.commit()
        self._motions.clear()
        self._reviews.clear()

    def take(self, other: Path) -> None:
        """Another process's spill, after the rows here."""
        self.flush()
        self._db.execute("ATTACH DATABASE ? AS part", (str(other),))
        self._db.execute(
            "INSERT INTO motion (court, case_number, name, dob, charge, conviction_date, relief, count_id) "
            "SELECT court, case_number, name, dob, charge, conviction_date, relief, count_id FROM part.motion ORDER BY n"
        )
        self._db.execute(
            "INSERT INTO review (person_id, count_id, row) SELECT person_id, count_id, row FROM part.review ORDER BY n"
        )
        self._db.commit()
        self._db.execute("DETACH DATABASE part")

    def motions(self) -> Iterator[MotionRow]:
        self.flush()
        for values in self._db.execute(
            "SELECT court, case_number, name, dob, charge, conviction_date, relief, count_id FROM motion ORDER BY n"
        ):
            yield MotionRow(*values)

    def reviews(self) -> Iterator[list[str]]:
        """The review rows by person, then count (review.csv's order)."""
        self.flush()
        for (row,) in self._db.execute("SELECT row FROM review ORDER BY person_id, count_id"):
            yield json.loads(row)

    def review_count(self) -> int:
        self.flush()
        return self._db.execute("SELECT COUNT(*) FROM review").fetchone()[0]

    def close(self) -> None:
        self.flush()
        self._db.close()

    def __getstate__(self) -> dict:  # sent back to the parent: the path only
        return {"path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
