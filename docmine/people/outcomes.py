"""What relief does for a person, as offices report it (people.csv of the results folder).

`outcomes(history, final_relief)` applies each count's final relief (reviewers' decisions
included) to the person's convictions and counts what is left:

* `dismiss_and_seal` removes the conviction: HS 11361.8(f) dismisses and seals it "as legally
  invalid", and (h) treats it so for all purposes.
* `redesignate_misdemeanor` makes a felony a misdemeanor; `redesignate_infraction` makes it an
  infraction (HS 11361.8(f); (h): "considered a misdemeanor or infraction for all purposes").
  An infraction is still a conviction on the record (of an infraction, not of a felony or a
  misdemeanor), so it counts in `convictions_after`: `no_conviction_left` means nothing is left
  on the record, and only dismissal and sealing gives that. The choice is deliberate: it
  never reports a person as clear who still has an entry a court can see.
* `recall_and_resentence` (HS 11361.8(a)-(b), a sentence still being served): the person is
  resentenced under the sections "as amended" (11361.8(b)), so the count is taken at the
  level its conduct has today where that is lower (`law.todays_level`, as the statute reads
  it for the person's age): a misdemeanor where it is a misdemeanor today (HS 11359(b),
  11360(a)(2)), an infraction where it is an infraction or lawful today (the sentence is
  recalled or dismissed, but the conviction stays until the person also applies under
  11361.8(e): an assumption, taken the way that never over-reports relief). Where the level
  today cannot be read, a resentenced felony is taken as a misdemeanor.
* any other relief, or none (not considered, hand review, not eligible): unchanged.

Felonies are convictions recorded as felonies; a conviction whose level is not on the record
counts as a conviction, not as a felony.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Mapping

from docmine.eligibility import law, statute
from docmine.eligibility.eras import hs11357_meaning
from docmine.eligibility.model import CountFacts, History
from docmine.records import Severity

DISMISS = "dismiss_and_seal"
REDESIGNATED = ("redesignate_misdemeanor", "redesignate_infraction")
RESENTENCE = "recall_and_resentence"


@dataclass(frozen=True, slots=True)
class PersonOutcome:
    """One people.csv row (the results folder's columns, in order)."""

    person_id: str
    name: str
    aliases: tuple[str, ...]
    dob: date | None
    dobs: tuple[date, ...]
    cii: str
    race: str
    documents: int
    sources: tuple[str, ...]
    counts: int
    convictions: int
    marijuana_convictions: int
    dismissed_and_sealed: int
    redesignated: int
    resentenced: int
    hand_review: int
    not_eligible: int
    felonies_before: int
    felonies_after: int
    convictions_after: int
    no_felony_left: bool
    no_conviction_left: bool

    def to_row(self) -> dict:
        """The row as people.csv writes it: lists `;`-joined, dates ISO 8601, ints and bools as is."""
        row = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = ";".join(v.isoformat() if isinstance(v, date) else str(v) for v in value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif value is None:
                value = ""
            row[f.name] = value
        return row


def level_after(count: CountFacts, relief: str, history: History) -> Severity | None:
    """The conviction's level once `relief` is granted; None where no conviction is left."""
    if relief == DISMISS:
        return None
    if relief == "redesignate_misdemeanor":
        return Severity.MISDEMEANOR
    if relief == "redesignate_infraction":
        return Severity.INFRACTION
    if relief == RESENTENCE:
        today = _level_today(count, history)
        if today in (law.Today.LEGAL, law.Today.INFRACTION):
            return Severity.INFRACTION
        if today is law.Today.UNCHANGED:
            return count.severity
        if count.severity in (Severity.INFRACTION,):
            return count.severity
        return Severity.MISDEMEANOR
    return count.severity


def _level_today(count: CountFacts, history: History) -> law.Today | None:
    """What the count's conduct is today, as the statute reads it (None where it cannot tell)."""
    charge = count.charge
    if charge is None or not law.is_prop64_charge(charge):
        return None
    day = statute.offence_timing_value(count)[2]
    if day is None:
        return None
    possession = hs11357_meaning(charge.subsections, day)[0] if charge.section == "11357" else None
    band = law.age_band(statute.age_value(count, history, day))
    return law.todays_level(charge.section, charge.subsections, possession, band).level


def outcomes(history: History, final_relief: Mapping[str, str]) -> PersonOutcome:
    """The person's row: reliefs granted and what is left (module docstring). `final_relief`
    maps `CountFacts.key` to the relief after reviewers' decisions; counts not in it keep their
    conviction as it is."""
    counts = history.counts
    convictions = [c for c in counts if c.convicted]
    tally = {DISMISS: 0, "redesignated": 0, RESENTENCE: 0, "hand_review": 0, "not_eligible": 0}
    felonies_before = felonies_after = convictions_after = 0
    for c in convictions:
        relief = final_relief.get(c.key, "") or ""
        if relief in REDESIGNATED:
            tally["redesignated"] += 1
        elif relief in tally:
            tally[relief] += 1
        after = level_after(c, relief, history)
        if c.severity is Severity.FELONY:
            felonies_before += 1
        if after is not None:
            convictions_after += 1
            if after is Severity.FELONY:
                felonies_after += 1
    entries = history.entries()
    documents = {c.document for c in counts} | {m.document for c in counts for m in c.merged}
    documents |= {e.document for e in entries if e.document}
    kinds = {c.kind for c in counts} | {m.kind for c in counts for m in c.merged} | {e.kind for e in entries}
    dobs = history.dobs or ((history.dob,) if history.dob else ())
    return PersonOutcome(
        person_id=history.key, name=history.name or "", aliases=tuple(history.aliases), dob=history.dob, dobs=dobs,
        cii=history.cii or "", race=history.race or "", documents=len(documents - {""}),
        sources=tuple(sorted(kinds)), counts=len(counts) + history.passed_over, convictions=len(convictions),
        marijuana_convictions=sum(1 for c in convictions if statute.candidate(c) is not None),
        dismissed_and_sealed=tally[DISMISS], redesignated=tally["redesignated"], resentenced=tally[RESENTENCE],
        hand_review=tally["hand_review"], not_eligible=tally["not_eligible"], felonies_before=felonies_before,
        felonies_after=felonies_after, convictions_after=convictions_after,
        no_felony_left=felonies_before > 0 and felonies_after == 0,
        no_conviction_left=bool(convictions) and convictions_after == 0,
    )  # fmt: skip
