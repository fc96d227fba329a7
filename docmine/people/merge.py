"""One count told by two sources, made one: DOJ rows and the court docket of the same case.

An office with the DOJ bulk extract and scanned dockets has most convictions twice. Within
one linked person (`people.link`), `merge_sources` finds the pairs and folds each docket count
(and RAP sheet count) into the count of the stronger-ranked source (DOJ, then RAP sheet,
then docket: the DOJ count keeps its key and rows, so the results keep its 95 columns):

* court events only, matched by case: the county where both say it (`names.norm_county`) and
  the case number normalised (`names.norm_case`: DOJ FE_NUM_CRT_CASE, else FE_NUM_DOCKET);
  where a DOJ row has no case number (the extract often leaves it blank) or the docket none,
  by county, the conviction's date and the charge's section instead;
* within a case, count for count: the same count number with the same section, then the same
  section in order, then the one count left on each side (its charge then a disagreement);
* the other source fills what the kept count lacks (a subsection, the level, the disposition,
  the offence, arrest and conviction dates, the sentence, later updates, the plea, the case
  number), each filled field's provenance naming the source it came from;
* where both state a fact and differ (charge, severity, disposition, conviction date,
  offence date) the count gets `conflicts` [{field, values: [{source, value, where}]}], and
  the statute sends it to hand review showing both (`statute.sources_disagree`). A count one
  source calls a conviction and the other not is kept as a conviction, so that it is reviewed.

The folded count is kept on the merged one (`CountFacts.merged`) and leaves `History.counts`,
so no conviction is counted twice (as two priors, say). The kept count is updated in place
(the results keep their references to it); the history returned is a new one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from docmine.eligibility.model import CountFacts, History
from docmine.people import names
from docmine.records import DispositionKind, EventType, Severity

RANK = {"doj": 0, "rap_sheet": 1, "docket": 2, "counts": 3}
_UNSTATED = (DispositionKind.PENDING, DispositionKind.UNRECOGNIZED)


def merge_sources(history: History) -> History:
    """The person's counts with each count two sources tell folded into one (module docstring)."""
    kinds = {c.kind for c in history.counts if c.event_type is EventType.COURT}
    if len(kinds) < 2:
        return history
    pool: list[CountFacts] = []  # the counts kept so far, of the stronger sources
    folded: set[int] = set()
    for kind in sorted(kinds, key=lambda k: RANK.get(k, 9)):
        incoming = [c for c in history.counts if c.event_type is EventType.COURT and c.kind == kind]
        targets = [p for p in pool if p.kind != kind and all(m.kind != kind for m in p.merged)]
        for keep, other in _pairs(targets, incoming):
            _fold(keep, other)
            folded.add(id(other))
        pool += [c for c in incoming if id(c) not in folded]
    if not folded:
        return history
    return replace(history, counts=[c for c in history.counts if id(c) not in folded], _convictions=None)


def decided_on(c: CountFacts) -> date | None:
    """The day of the conviction (or other disposition): a docket's disposition date (its event
    date is the filing), else the court event's date."""
    if c.kind == "docket":
        return c.disposition_date or c.conviction_date
    return c.conviction_date or c.disposition_date


def _section(c: CountFacts) -> tuple | None:
    return (c.charge.code, c.charge.section) if c.charge is not None else None


def _pairs(targets: list[CountFacts], incoming: list[CountFacts]) -> list[tuple[CountFacts, CountFacts]]:
    """(kept, folded) pairs: by case first, then by county, day and section."""
    out: list[tuple[CountFacts, CountFacts]] = []
    used: set[int] = set()
    cases: dict[str, list[CountFacts]] = {}
    for t in targets:
        case = names.norm_case(t.case_number)
        if case:
            cases.setdefault(case, []).append(t)
    by_case: dict[str, list[CountFacts]] = {}
    for c in incoming:
        case = names.norm_case(c.case_number)
        if case and case in cases:
            by_case.setdefault(case, []).append(c)
    for case, theirs in by_case.items():
        ours = [t for t in cases[case] if id(t) not in used]
        groups: dict[str | None, tuple[list, list]] = {}
        for t in ours:
            groups.setdefault(names.norm_county(t.county), ([], []))[0].append(t)
        for c in theirs:
            county = names.norm_county(c.county)
            if county is None and len(groups) == 1:
                county = next(iter(groups))
            if county not in groups and None in groups:
                county = None
            groups.setdefault(county, ([], []))[1].append(c)
        for mine, other in groups.values():
            for pair in _within_case(mine, other):
                used.add(id(pair[0]))
                used.add(id(pair[1]))
                out.append(pair)
    # No case number to go by: the same county, day and section.
    for c in incoming:
        if id(c) in used or _section(c) is None or decided_on(c) is None:
            continue
        for t in targets:
            if id(t) in used or (t.case_number and c.case_number):
                continue
            if _section(t) == _section(c) and decided_on(t) == decided_on(c) and _same_county(t, c):
                used.add(id(t))
                used.add(id(c))
                out.append((t, c))
                break
    return out


def _same_county(a: CountFacts, b: CountFacts) -> bool:
    x, y = names.norm_county(a.county), names.norm_county(b.county)
    return x is None or y is None or x == y


def _number(c: CountFacts) -> int | None:
    """The count's number in its case: the contract's, or a DOJ CNT_ORDER's count digits."""
    if c.number is not None:
        return c.number
    if c.is_doj:
        order = c.key.rpartition("/")[2]
        if len(order) >= 9 and order[6:9].isdigit():
            return int(order[6:9])
    return None


def _within_case(mine: list[CountFacts], theirs: list[CountFacts]) -> list[tuple[CountFacts, CountFacts]]:
    """Count for count within one case: number and section, then section, then the last left."""
    out = []
    left_mine, left_theirs = list(mine), list(theirs)

    def take(test) -> None:
        for c in list(left_theirs):
            for t in left_mine:
                if test(t, c):
                    out.append((t, c))
                    left_mine.remove(t)
                    left_theirs.remove(c)
                    break

    take(lambda t, c: _number(t) is not None and _number(t) == _number(c) and _compatible(t, c))
    take(_compatible)
    if len(left_mine) == 1 and len(left_theirs) == 1:
        out.append((left_mine[0], left_theirs[0]))
    return out


def _compatible(a: CountFacts, b: CountFacts) -> bool:
    return a.charge is None or b.charge is None or _section(a) == _section(b)


# --- folding one count into another ---------------------------------------------------------------


def _where(c: CountFacts, name: str) -> str:
    """Where a count's field was read (the names `CountFacts.source` knows)."""
    if name == "conviction_date":
        name = "disposition_date" if c.kind == "docket" else "event_date"
    elif name == "sentence_text":
        name = "sentence"
    return c.source(name)


def _fold(keep: CountFacts, other: CountFacts) -> None:
    """Fill `keep` from `other` and record where they disagree (module docstring)."""
    sources = dict(keep.sources) if keep.sources is not None else {}
    conflicts: list[dict] = list(keep.conflicts or [])
    filled = False

    def fill(name: str, value, source_name: str | None = None) -> None:
        nonlocal filled
        setattr(keep, name, value)
        sources[source_name or name] = f"{other.kind}: {_where(other, name) or other.document}"
        filled = True

    def disagree(name: str, mine, theirs, show=str) -> None:
        conflicts.append(
            {
                "field": name,
                "values": [
                    {"source": keep.kind, "value": show(mine), "where": _where(keep, name)},
                    {"source": other.kind, "value": show(theirs), "where": _where(other, name)},
                ],
            }
        )

    # the charge: a subsection the kept count lacks is filled, a different one is a disagreement
    a, b = keep.charge, other.charge
    if a is None and b is not None:
        fill("charge", b)
        keep.charge_text = keep.charge_text or other.charge_text
    elif a is not None and b is not None and a != b:
        if (
            _section(keep) == _section(other)
            and a.attempted == b.attempted
            and (a.subsections == b.subsections[: len(a.subsections)])
        ):
            if len(b.subsections) > len(a.subsections):
                fill("charge", b)
        elif not (
            _section(keep) == _section(other)
            and b.subsections == a.subsections[: len(b.subsections)]
            and a.attempted == b.attempted
        ):
            disagree("charge", a, b, lambda c: c.canonical)
    if keep.severity is Severity.UNKNOWN and other.severity is not Severity.UNKNOWN:
        fill("severity", other.severity)
    elif other.severity is not Severity.UNKNOWN and other.severity is not keep.severity:
        disagree("severity", keep.severity, other.severity, lambda s: s.value)
    if keep.disposition in _UNSTATED and other.disposition not in _UNSTATED:
        fill("disposition", other.disposition)
    elif other.disposition not in _UNSTATED and other.disposition is not keep.disposition:
        disagree("disposition", keep.disposition, other.disposition, lambda d: d.value)
        if other.convicted and not keep.convicted:  # one source says convicted: a person looks
            keep.disposition = other.disposition
    mine, theirs = decided_on(keep), decided_on(other)
    if mine is None and theirs is not None:
        fill("conviction_date", theirs, "event_date")
        if keep.disposition_date is None:
            keep.disposition_date = theirs
            sources["disposition_date"] = sources["event_date"]
    elif mine is not None and theirs is not None and mine != theirs:
        disagree("conviction_date", mine, theirs, date.isoformat)
    if keep.offense_date is None and other.offense_date is not None:
        fill("offense_date", other.offense_date)
    elif other.offense_date is not None and other.offense_date != keep.offense_date:
        disagree("offense_date", keep.offense_date, other.offense_date, date.isoformat)
    if keep.arrest_date is None and other.arrest_date is not None:
        fill("arrest_date", other.arrest_date)
    if (
        keep.sentence_days is None
        and not keep.sentence_text
        and (other.sentence_days is not None or other.sentence_text)
    ):
        keep.sentence_days, keep.probation_days = other.sentence_days, other.probation_days
        keep.prison_days = other.prison_days
        fill("sentence_text", other.sentence_text, "sentence")
    if other.updates:
        known = {(u.kind, u.date) for u in keep.updates}
        extra = tuple(u for u in other.updates if (u.kind, u.date) not in known)
        if extra:
            keep.updates = tuple(keep.updates) + extra
            sources["updates"] = f"{other.kind}: {other.source('updates') or other.document}"
            filled = True
    for name in ("plea", "case_number", "number", "county", "place", "dob"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    if filled:
        keep.confidence = min(keep.confidence, other.confidence)
    keep.sources = sources
    keep.conflicts = conflicts or None
    keep.merged = tuple(keep.merged) + (other,)
