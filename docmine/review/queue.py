"""The review queue as the desk shows it, read from a results folder.

Items are the counts of review.csv (what a person must still decide) and the counts of
decisions.csv (decided, by the desk or by hand), each with its counts.csv row. Only the
counts.csv rows of people who have an item are kept, so a county-scale folder costs one pass
over counts.csv. The folder is read again when any of its files changes (a re-run of
`docmine check`)."""

from __future__ import annotations

import csv
import json
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from docmine.reference.doj_layout import HEADER as DOJ_HEADER
from docmine.results.decisions import ReviewDecision, read_decisions

# review.csv and decisions.csv rows may carry long OCR text
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_WATCHED = ("review.csv", "decisions.csv", "counts.csv", "run.json")
# counts.csv columns an item shows (DOJ columns are added when the folder has them)
_KEPT = (
    "count_id", "person_id", "source", "document", "page", "lines", "name", "dob", "cii", "case_number", "court",
    "county", "charge", "charge_text", "severity", "disposition", "conviction_date", "offense_date", "confidence",
    "relief", "reason", "clause", "explanation", "facts", "conflicts", "decided_relief", "final_relief",
)  # fmt: skip


def reason_kind(doubt: str) -> str:
    """A short name for why a count is in review: the names of the facts in doubt
    (`same_case_charge=HS 11361(b);prior=HS 11360` -> `prior, same_case_charge`)."""
    names = sorted({part.split("=", 1)[0].strip() for part in doubt.split(";") if part.strip()})
    return ", ".join(names) or "other"


@dataclass
class Item:
    count_id: str
    person_id: str
    name: str
    dob: str
    case_number: str
    court: str
    charge: str
    charge_text: str
    reason: str
    reason_kind: str
    doubt: str
    document: str
    page: str
    text: str
    crop: str
    in_review: bool  # still in review.csv (else: decided in decisions.csv)
    decision: ReviewDecision | None = None

    def summary(self) -> dict:
        return {
            "count_id": self.count_id,
            "person_id": self.person_id,
            "name": self.name,
            "dob": self.dob,
            "case_number": self.case_number,
            "court": self.court,
            "charge": self.charge,
            "reason": self.reason,
            "reason_kind": self.reason_kind,
        }


@dataclass
class Folder:
    """What the desk reads of one results folder."""

    root: Path
    run: dict = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    by_id: dict[str, Item] = field(default_factory=dict)
    counts: dict[str, list[dict]] = field(default_factory=dict)  # person_id -> counts.csv rows
    count_rows: dict[str, dict] = field(default_factory=dict)
    decisions: dict[str, ReviewDecision] = field(default_factory=dict)
    doj_columns: tuple[str, ...] = ()
    stamp: tuple = ()
    problem: str = ""  # why the folder could not be read (shown on every page)


def _stamp(root: Path) -> tuple:
    out = []
    for name in _WATCHED:
        try:
            st = (root / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, 0, 0))
    return tuple(out)


def _read_csv(path: Path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        yield from csv.DictReader(handle)


def read_folder(root: Path) -> Folder:
    root = Path(root)
    folder = Folder(root, stamp=_stamp(root))
    try:
        folder.run = json.loads((root / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        folder.problem = f"{root / 'run.json'}: cannot be read ({exc}); run `docmine check` or `docmine batch` first"
        return folder
    try:
        folder.decisions = read_decisions(root / "decisions.csv")
    except Exception as exc:  # a hand-edited file with a mistake: shown, not fatal
        folder.problem = str(exc)
    review_rows = list(_read_csv(root / "review.csv")) if (root / "review.csv").is_file() else []
    wanted = {r.get("person_id", "") for r in review_rows}
    decided_ids = set(folder.decisions)
    counts_path = root / "counts.csv"
    if counts_path.is_file():
        with open(counts_path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            index = {n: i for i, n in enumerate(header)}
            folder.doj_columns = tuple(c for c in DOJ_HEADER if c in index)
            keep = [c for c in (*_KEPT, *folder.doj_columns) if c in index]
            i_person, i_id = index.get("person_id"), index.get("count_id")
            if i_person is not None and i_id is not None:
                for row in reader:
                    if len(row) <= max(i_person, i_id):
                        continue
                    if row[i_person] in wanted or row[i_id] in decided_ids:
                        data = {c: row[index[c]] for c in keep if index[c] < len(row)}
                        folder.counts.setdefault(data["person_id"], []).append(data)
                        folder.count_rows[data["count_id"]] = data
    # people of decided counts that left review: their other counts too (a second, rarer pass)
    missing = {folder.count_rows[c]["person_id"] for c in decided_ids if c in folder.count_rows} - wanted
    if missing and counts_path.is_file():
        for data in _read_csv(counts_path):
            if data.get("person_id") in missing and data.get("count_id") not in folder.count_rows:
                kept = {c: data.get(c, "") for c in (*_KEPT, *folder.doj_columns)}
                folder.counts.setdefault(kept["person_id"], []).append(kept)
                folder.count_rows[kept["count_id"]] = kept
    for r in review_rows:
        cid = r.get("count_id", "")
        if not cid or cid in folder.by_id:
            continue
        item = Item(
            cid, r.get("person_id", ""), r.get("name", ""), r.get("dob", ""), r.get("case_number", ""),
            r.get("court", ""), r.get("charge", ""), r.get("charge_text", ""), r.get("reason", ""),
            reason_kind(r.get("doubt", "")), r.get("doubt", ""), r.get("document", ""), r.get("page", ""),
            r.get("text", ""), r.get("crop", ""), True, folder.decisions.get(cid),
        )  # fmt: skip
        folder.items.append(item)
        folder.by_id[cid] = item
    for cid, decision in folder.decisions.items():
        if cid in folder.by_id:
            continue
        row = folder.count_rows.get(cid, {})
        item = Item(
            cid, row.get("person_id", ""), row.get("name", ""), row.get("dob", ""), row.get("case_number", ""),
            row.get("court", ""), row.get("charge", ""), row.get("charge_text", ""),
            row.get("reason", "") or "decided in decisions.csv", "decided", "", row.get("document", ""),
            row.get("page", ""), "", "", False, decision,
        )  # fmt: skip
        folder.items.append(item)
        folder.by_id[cid] = item
    folder.items.sort(key=lambda i: (i.name, i.person_id, i.count_id))
    return folder


class Queue:
    """The folder, read again when it changes on disk."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._folder = read_folder(self.root)

    @property
    def folder(self) -> Folder:
        stamp = _stamp(self.root)
        if stamp != self._folder.stamp:
            with self._lock:
                if stamp != self._folder.stamp:
                    self._folder = read_folder(self.root)
        return self._folder

    def reload(self) -> Folder:
        with self._lock:
            self._folder = read_folder(self.root)
        return self._folder
