"""One counts.csv row per count read: the record's facts, the policy's decision, the reviewer's.

A count is a `CountFacts` (eligibility's view) whose `origin` is either the contract `Count`
(documents and counts JSON Lines) or the DOJ rows it was read from; the row takes the
person, case and court from there. Columns are `columns.count_columns`'s, in order."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from docmine.eligibility import statute
from docmine.eligibility.check import Result
from docmine.eligibility.model import CountFacts, History
from docmine.records import Count, EventType
from docmine.results.decisions import ReviewDecision
from docmine.results.inputs import InputFile
from docmine.reference.agencies import AGENCY_KINDS
from docmine.reference.doj_layout import HEADER as DOJ_HEADER


# One encoder for every row (json.dumps builds a new one per call when given options).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode


def _json(value: Any) -> str:
    return _ENCODE(value)


def _iso(d) -> str:
    return d.isoformat() if d is not None else ""


@lru_cache(maxsize=1 << 16)  # the same dates and ORIs come back on every count of a file
def _ymd(text: str) -> str:
    """DOJ's YYYYMMDD as ISO (as written when it is not a date)."""
    t = text.strip()
    if len(t) == 8 and t.isdigit():
        return f"{t[:4]}-{t[4:6]}-{t[6:]}"
    return "" if t.lower() == "x" else t


_ORI_PREFIXES = tuple(code for code, kind in AGENCY_KINDS.items() if kind is EventType.COURT)


@lru_cache(maxsize=1 << 16)
def court_of_ori(text: str) -> str:
    """A DOJ court ORI description with its spacing made regular: `CASCSACRAMENTO` -> `CASC SACRAMENTO`."""
    t = " ".join(_clean(text).upper().split())
    for prefix in _ORI_PREFIXES:
        if t.startswith(prefix) and len(t) > len(prefix):
            return f"{prefix} {t[len(prefix) :].strip()}"
    return t


def _clean(text: str) -> str:
    t = (text or "").strip()
    return "" if t == "x" else t


@dataclass
class DojLayout:
    """A DOJ file's column order, to read its rows by column name."""

    columns: tuple[str, ...]
    index: dict[str, int] = field(default_factory=dict)
    _positions: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, path: str) -> "DojLayout":
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            first = next(csv.reader(handle), [])
        names = [n.strip() for n in first]
        while names and names[-1] == "":
            names.pop()
        columns = tuple(names) if "SUBJECT_ID" in names else tuple(DOJ_HEADER)
        return cls(columns, {n: i for i, n in enumerate(columns)})

    def get(self, row: Sequence[str], name: str) -> str:
        i = self.index.get(name)
        return row[i] if i is not None and i < len(row) else ""

    def cells(self, row: Sequence[str], names: tuple[str, ...]) -> list[str]:
        """The row's values under `names` ("" for a column the file lacks)."""
        where = self._positions.get(names)
        if where is None:
            where = self._positions[names] = [self.index.get(n, len(row) + 10**6) for n in names]
        n = len(row)
        return [row[i] if i < n else "" for i in where]

    def standard(self, row: Sequence[str]) -> list[str]:
        """The row's values under the 95 standard DOJ columns, in their order."""
        if self.columns == DOJ_HEADER:  # the usual layout: the row as it is
            return list(row[: len(DOJ_HEADER)]) + [""] * (len(DOJ_HEADER) - len(row))
        return [self.get(row, name) for name in DOJ_HEADER]


@dataclass(frozen=True)
class Where:
    """The input a count came from."""

    input: InputFile
    doj: DojLayout | None = None


def source_of(c: CountFacts, where: Where | None) -> str:
    if isinstance(c.origin, list):
        return "doj"
    if isinstance(c.origin, Count) and c.origin.doc_type.value in ("rap_sheet", "docket"):
        return c.origin.doc_type.value
    return "counts"


def document_of(c: CountFacts, where: Where | None) -> tuple[str, str]:
    """The document's name as the user knows it, and its SHA-256 where known."""
    if where is not None and where.input.kind in ("doj", "document"):
        return where.input.path, where.input.sha256
    return c.document, ""


# The DOJ columns a count's person fields are read from (`_record_fields`).
_PERSON_CELLS = ("PRI_NAME", "PRI_DOB", "CII_NUMBER", "RACE_DESCR", "FE_NUM_CRT_CASE", "FE_NUM_DOCKET", "STP_ORI_DESCR")


def person_fields(c: CountFacts, where: Where | None) -> dict[str, str]:
    """name, dob, cii, race, case_number, court of the count, as its record prints them (a case
    number another source filled in, `people.merge_sources`, where the record has none)."""
    found = _record_fields(c, where)
    if not found["case_number"] and getattr(c, "case_number", None):
        found["case_number"] = c.case_number
    if not found["dob"] and getattr(c, "dob", None) is not None:
        found["dob"] = c.dob.isoformat()
    return found


def _record_fields(c: CountFacts, where: Where | None) -> dict[str, str]:
    origin = c.origin
    if isinstance(origin, Count):
        p = origin.person
        return {
            "name": p.name or "",
            "dob": _iso(p.dob),
            "cii": p.cii or "",
            "race": p.race or "",
            "case_number": origin.case_number or "",
            "court": origin.court or "",
        }
    if isinstance(origin, list) and origin:
        layout = (
            where.doj
            if where is not None and where.doj is not None
            else DojLayout(tuple(DOJ_HEADER), {n: i for i, n in enumerate(DOJ_HEADER)})
        )
        name, dob, cii, race, case, docket, ori = layout.cells(origin[0], _PERSON_CELLS)
        return {
            "name": _clean(name),
            "dob": _ymd(dob),
            "cii": _clean(cii),
            "race": _clean(race),
            "case_number": _clean(case) or _clean(docket),
            "court": court_of_ori(ori),
        }
    return {"name": "", "dob": "", "cii": "", "race": "", "case_number": "", "court": ""}


def conflicts_of(c: CountFacts) -> str:
    """Where the sources of one count disagree (`people.merge_sources` records it on the count:
    [{field, values: [{source, value, where}]}]); "" if none."""
    found = getattr(c, "conflicts", None)
    return _json(found) if found else ""


def count_row(
    c: CountFacts,
    history: History,
    result: Result | None,
    decision: ReviewDecision | None,
    where: Where | None,
    policy_name: str,
    policy_sha: str,
    as_of: str,
    with_doj: bool,
    person: dict[str, str] | None = None,
) -> list:
    """One counts.csv row; `person`: `person_fields(c, where)`, when the caller has it already."""
    document, sha = document_of(c, where)
    if person is None:
        person = person_fields(c, where)
    page = c.origin.page if isinstance(c.origin, Count) else None
    if result is not None:
        d = result.decision
        relief, reason, clause = d.value.value, d.reasoning, d.clause
        tree, used = d.compact()  # each fact written once, in `facts`; the tree points at them
        if history.links:  # the person was joined from several entries: by which rules
            from docmine.people.identity import links_of

            tree["person_links"] = links_of(history)
        explanation = _json(tree)
        facts = _json(used)
    else:
        relief = reason = clause = explanation = facts = ""
    decided = decision.relief if decision else ""
    row = [
        c.key,
        history.key,
        source_of(c, where),
        document,
        sha,
        page,
        " ".join(map(str, c.lines)),
        person["name"],
        person["dob"],
        person["cii"],
        person["race"],
        person["case_number"],
        person["court"],
        c.county or "",
        c.cycle,
        c.charge.canonical if c.charge else "",
        c.charge_text,
        statute.candidate(c) is not None,
        bool(c.charge and c.charge.attempted),
        c.severity.value,
        c.disposition.value,
        _iso(c.date) if c.convicted else "",
        _iso(c.offense_date),
        float(c.confidence),
        relief,
        reason,
        clause,
        explanation,
        facts,
        conflicts_of(c),
        decided,
        decision.decided_by if decision else "",
        decision.decided_on if decision else "",
        decision.note if decision else "",
        decided or relief,
        policy_name,
        policy_sha,
        as_of,
    ]
    if with_doj:
        if isinstance(c.origin, list) and c.origin:
            if c.row_text is not None:  # the 95 cells as the file wrote them, copied whole
                row.append(RowText(c.row_text))
                return row
            layout = where.doj if where is not None and where.doj is not None else None
            first = c.origin[0]
            row.extend(
                layout.standard(first)
                if layout
                else [first[i] if i < len(first) else "" for i in range(len(DOJ_HEADER))]
            )
        else:
            row.extend("" for _ in DOJ_HEADER)
    return row


class RowText(str):
    """The last cells of a row as CSV text already (a DOJ row's line, as the file wrote it)."""
