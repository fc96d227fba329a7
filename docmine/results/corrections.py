"""A reviewer's corrections to what was read: fields of one count set by hand, and applied
before the person is decided, so `docmine check`, `docmine batch` and the review desk decide
a corrected count with the same code.

Corrections travel in decisions.csv's optional `corrections` column, a JSON object of field ->
value, e.g. `{"conviction_date": "2017-03-02", "severity": "misdemeanor"}`. The fields a
reviewer may set are `FIELDS`; `person` with the value `separate` is the identity link: the
count is not this person's, and is decided as a person of its own (its priors no longer the
other's). A bad field or value is a one-line error naming the count."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Iterable, Mapping

from docmine.charges import Charge
from docmine.eligibility.model import CountFacts, History
from docmine.errors import DocmineError
from docmine.records import DispositionKind, Severity

SEPARATE = "separate"

# field -> what it means (the desk's form and the README list these)
FIELDS: dict[str, str] = {
    "charge": "the charge, as a section (`HS 11359(b)`, `11357 HS`)",
    "conviction_date": "the date of conviction (YYYY-MM-DD)",
    "offense_date": "the date of the offence (YYYY-MM-DD)",
    "arrest_date": "the date of arrest (YYYY-MM-DD)",
    "disposition": "convicted | dismissed | acquitted | ... (`records.DispositionKind`)",
    "severity": "felony | misdemeanor | infraction | unknown",
    "case_number": "the court case number",
    "dob": "the person's date of birth on this count's record (YYYY-MM-DD)",
    "person": "`separate`: the count is not this person's (the identity link is wrong)",
}
_DATES = ("conviction_date", "offense_date", "arrest_date", "dob")


def parse(text: str, where: str) -> dict[str, str]:
    """The corrections in a decisions.csv cell ('' for none), checked field by field."""
    if not text.strip():
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        raise DocmineError(f"{where}: corrections {text[:60]!r} are not a JSON object") from None
    if not isinstance(found, dict):
        raise DocmineError(f"{where}: corrections must be a JSON object of field -> value")
    checked = {}
    for name, value in found.items():
        checked[name] = check(name, value, where)
    return checked


def check(name: str, value, where: str) -> str:
    """One corrected field's value as text, or a one-line error saying what is wrong."""
    if name not in FIELDS:
        raise DocmineError(f"{where}: {name!r} cannot be corrected (one of {', '.join(FIELDS)})")
    text = "" if value is None else str(value).strip()
    if name in _DATES:
        try:
            if len(text) != 10:
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise DocmineError(f"{where}: {name} {text!r} is not a date (YYYY-MM-DD)") from None
    elif name == "charge":
        charge = Charge.try_parse(text)
        if charge is None:
            raise DocmineError(f"{where}: charge {text!r} names no code section")
        text = charge.canonical
    elif name == "disposition":
        if text not in {d.value for d in DispositionKind}:
            raise DocmineError(
                f"{where}: disposition {text!r} is not one of {', '.join(d.value for d in DispositionKind)}"
            )
    elif name == "severity":
        if text not in {s.value for s in Severity}:
            raise DocmineError(f"{where}: severity {text!r} is not one of {', '.join(s.value for s in Severity)}")
    elif name == "person":
        if text != SEPARATE:
            raise DocmineError(f"{where}: person {text!r}: the only identity correction is {SEPARATE!r}")
    elif not text:
        raise DocmineError(f"{where}: {name} is empty")
    return text


def corrected(count: CountFacts, fields: Mapping[str, str], by: str) -> CountFacts:
    """A copy of `count` with `fields` set; each corrected fact says who set it and what was read."""
    sources = dict(count.sources or {})
    changes: dict = {}
    for name, text in fields.items():
        if name == "person":
            continue
        was = count.source(name)
        sources[name] = f"decisions.csv: corrected by {by}" + (f" (read: {was})" if was else "")
        if name == "charge":
            changes["charge"] = Charge.parse(text)
        elif name in ("conviction_date", "offense_date", "arrest_date"):
            changes[name] = date.fromisoformat(text)
            if name == "conviction_date":
                changes["disposition_date"] = changes[name]
                sources["disposition_date"] = sources[name]
        elif name == "dob":
            changes["dob"] = date.fromisoformat(text)
        elif name == "disposition":
            changes["disposition"] = DispositionKind(text)
        elif name == "severity":
            changes["severity"] = Severity(text)
        elif name == "case_number":
            changes["case_number"] = text
    return replace(count, sources=sources, **changes)


def apply(history: History, by_count: Mapping[str, tuple[Mapping[str, str], str]]) -> list[History]:
    """`history` with its counts corrected (`by_count`: count key -> (fields, who)); a count
    marked `person: separate` leaves it and becomes a history of its own (after it)."""
    if not by_count or not any(c.key in by_count for c in history.counts):
        return [history]
    kept, apart = [], []
    for c in history.counts:
        found = by_count.get(c.key)
        if found is None:
            kept.append(c)
            continue
        fields, by = found
        fixed = corrected(c, fields, by)
        (apart if fields.get("person") == SEPARATE else kept).append(fixed)
    people = [replace(history, counts=kept, _convictions=None)] if kept else []
    for c in apart:
        people.append(
            replace(
                history, key=f"{history.key}~{c.key}", counts=[c], _convictions=None, dob=c.dob or history.dob,
                strong_parts=None, identity_conflicts=None, deceased=False,
            )
        )  # fmt: skip
    return people


def applied(histories: Iterable, by_count: Mapping[str, tuple[Mapping[str, str], str]]):
    """`apply` over (history, where_of) pairs, as `results.build` decides them."""
    for history, where_of in histories:
        for person in apply(history, by_count):
            yield person, where_of
