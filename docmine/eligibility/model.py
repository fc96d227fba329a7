"""The facts eligibility works on: one `CountFacts` per count and one `History` per person.

Both inputs become these: a count of the output contract (`from_contract_count`) and a DOJ
bulk-file count (built in `doj.py`). They are plain slotted classes, not the contract's
`Count`, so that a million DOJ rows stay cheap; each keeps where its facts came from
(`sources`: field -> provenance text) and a reference back to its origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docmine.charges import Charge
from docmine.records import Count, DispositionKind, EventType, Severity, TermKind, TimeUnit, UpdateKind

LIFE = -1  # `sentence_days` of a life term
# Release from a state prison term is followed by supervision that is part of the sentence:
# post-release community supervision "for a period of 3 years immediately following release"
# (PC 3451, releases from 2011-10-01) or parole (sources.PRCS_3_YEARS). The longest is taken.
SUPERVISION_DAYS = 3 * 365

# CountFacts field -> the DOJ bulk-file column it is read from (provenance of DOJ counts).
DOJ_COLUMNS = {
    "charge": "OFFENSE_DESCR",
    "severity": "CONV_STAT_DESCR/OFFENSE_TOC",
    "disposition": "DISP_DESCR",
    "event_date": "STP_EVENT_DATE",
    "disposition_date": "DISP_DATE",
    "arrest_date": "CYC_DATE",
    "offense_date": "(no offence date in the DOJ file)",
    "sentence": "SENT_LOC_DESCR/SENT_LENGTH/SENT_TIME_CODE",
    "place": "STP_ORI_DESCR",
    "cycle_age": "CYC_AGE",
    "updates": "DISP_DESCR",
    "county": "STP_ORI_CNTY_NAME",
    "dob": "PRI_DOB",
    "case_number": "FE_NUM_CRT_CASE/FE_NUM_DOCKET",
    "name": "PRI_NAME",
    "cii": "CII_NUMBER",
}


@dataclass(slots=True)
class CountFacts:
    key: str  # count_id (contract) or "SUBJECT_ID/CNT_ORDER" (DOJ)
    person_key: str
    charge: Charge | None
    charge_text: str
    severity: Severity
    disposition: DispositionKind
    event_type: EventType
    conviction_date: date | None  # the court event's date
    offense_date: date | None = None
    arrest_date: date | None = None
    disposition_date: date | None = None
    cycle: str = ""
    cycle_age: int | None = None  # DOJ CYC_AGE: age at the arrest cycle
    county: str | None = None
    place: str | None = None  # the court's or agency's town (`CAMC PASADENA` -> PASADENA)
    sentence_days: int | None = None  # longest custody/probation term in days; LIFE; None unknown
    probation_days: int | None = None
    prison_days: int | None = None  # a state prison term (parole or PRCS follows it): `supervision_end`
    sentence_text: str = ""
    updates: tuple = ()
    confidence: float = 1.0
    sources: dict[str, str] | None = None  # contract counts; DOJ counts derive theirs (DOJ_COLUMNS)
    origin: Any = None  # the contract Count, or the DOJ rows (list of lists)
    lines: tuple[int, ...] = ()  # input line numbers (DOJ: physical CSV lines; JSONL: line)
    row_text: str | None = None  # DOJ: the first row's line as written (its 95 cells, in order)
    document: str = ""
    # Issue #7 (people across documents): the date of birth on the count's own name entry (the
    # contract count's `person.dob`, the DOJ row's PRI_DOB), which the age rule uses; the court
    # case number; what `people.merge_sources` found when DOJ rows and a docket tell of one count.
    dob: date | None = None
    case_number: str | None = None
    number: int | None = None  # the count's number in its case (contract `Count.count`)
    plea: str = ""  # guilty | nolo contendere | not guilty, where a docket says
    conflicts: list | None = None  # [{field, values: [{source, value, where}]}] (`people.merge`)
    merged: tuple = ()  # the other sources' CountFacts folded into this one (`people.merge`)

    @property
    def convicted(self) -> bool:
        return self.disposition is DispositionKind.CONVICTED or self.disposition is DispositionKind.SUSTAINED

    @property
    def date(self) -> date | None:
        """The day that orders this count among a person's convictions."""
        return self.conviction_date or self.disposition_date

    @property
    def is_doj(self) -> bool:
        """Read from a DOJ bulk file (its origin is the rows), not from a contract count."""
        return type(self.origin) is list

    @property
    def kind(self) -> str:
        """The source as the results folder names it: doj, rap_sheet, docket or counts."""
        if self.is_doj:
            return "doj"
        doc_type = getattr(getattr(self.origin, "doc_type", None), "value", "")
        return doc_type if doc_type in ("rap_sheet", "docket") else "counts"

    def source(self, name: str) -> str:
        """Where a field was read: a page and offsets, or a DOJ file's line and column (a DOJ
        count filled from a docket by `people.merge_sources` says so in `sources`)."""
        if self.sources is not None:
            found = self.sources.get(name)
            if found is not None or type(self.origin) is not list:
                return found or ""
        column = DOJ_COLUMNS.get(name)
        if column is None or not self.lines:
            return ""
        return f"{self.document} line {self.lines[0]} {column}"

    def sentence_end(self) -> date | None:
        """When the sentence ends; `date.max` for life; None where unknown."""
        return _end(self.date, self.sentence_days)

    def probation_end(self) -> date | None:
        return _end(self.date, self.probation_days)

    def supervision_end(self) -> date | None:
        """When the parole or post-release community supervision after a prison term may end at
        the latest (`SUPERVISION_DAYS` after the term); None where no prison term is known."""
        if self.prison_days is None:
            return None
        return _end(self.date, LIFE if self.prison_days == LIFE else self.prison_days + SUPERVISION_DAYS)

    @property
    def level(self) -> Severity:
        """The conviction's level as it stands: a wobbler reduced under PC 17(b) is "a misdemeanor
        for all purposes" (sources.PC_17_B), whatever the level convicted at."""
        if (
            self.updates
            and self.severity is not Severity.INFRACTION
            and any(getattr(u, "kind", None) is UpdateKind.REDUCED_17B for u in self.updates)
        ):
            return Severity.MISDEMEANOR
        return self.severity

    @property
    def set_aside_1203_4(self) -> bool:
        return any(getattr(u, "kind", None) is UpdateKind.SET_ASIDE_1203_4 for u in self.updates)


def _end(start: date | None, days: int | None) -> date | None:
    if start is None or days is None:
        return None
    if days == LIFE:
        return date.max
    try:
        return date.fromordinal(start.toordinal() + days)
    except (OverflowError, ValueError):
        return date.max


@dataclass(frozen=True, slots=True)
class Member:
    """One input's entry for a person (a DOJ subject, or one file's counts of a person) as
    linked into a `History` by `people.link`: who the entry says the person is, and where."""

    key: str  # "doj:<SUBJECT_ID>", or "doc:<the smallest count_id>" for contract counts
    kind: str  # doj | rap_sheet | docket | counts
    document: str
    name: str | None = None
    aliases: tuple[str, ...] = ()
    dob: date | None = None
    dobs: tuple[date, ...] = ()
    cii: str | None = None
    race: str | None = None
    dob_source: str = ""


@dataclass(slots=True)
class History:
    """One person's counts: within one input as the readers make it (`group_people`,
    `doj.read_doj`), or across every input once `people.link` has joined them (then `key` is
    the person_id and `members` the entries joined)."""

    key: str
    name: str | None
    dob: date | None
    deceased: bool = False
    counts: list[CountFacts] = field(default_factory=list)
    dob_source: str = ""
    passed_over: int = 0  # counts read but not built: none could be decided (`doj.read_doj`'s `keep`)
    _convictions: list[CountFacts] | None = None
    aliases: tuple[str, ...] = ()
    dobs: tuple[date, ...] = ()  # every date of birth on record, the primary one first
    cii: str | None = None
    race: str | None = None
    kind: str = ""  # a single input's source: doj | rap_sheet | docket | counts
    document: str = ""  # a single input's file
    members: tuple[Member, ...] = ()  # set by `people.link`; () for a single input's history
    pending: Any = None  # DOJ subjects passed over: a callable that builds their counts (`people.link`)
    dob_sources: dict | None = None  # date of birth -> where it was read (`people.link`)
    links: dict | None = None  # member key -> the linking rule that joined it (`people.link`)
    # [(members, their counts)]: the entries strong rules joined, where a weak rule (a similar
    # name, a date of birth one digit off) joined the groups (`people.identity`).
    strong_parts: list | None = None
    # [(other person's History, their entry, this person's entry, why)]: a CII shared under
    # unrelated names, never joined (`people.identity`).
    identity_conflicts: list | None = None

    @property
    def convictions(self) -> list[CountFacts]:
        if self._convictions is None:
            self._convictions = [c for c in self.counts if c.convicted]
        return self._convictions

    @property
    def registrations(self) -> list[CountFacts]:
        return [c for c in self.counts if c.event_type is EventType.REGISTRATION]

    @property
    def conflicts(self) -> dict[str, list]:
        """Count key -> where its sources disagree (`CountFacts.conflicts`), for counts that have any."""
        return {c.key: c.conflicts for c in self.counts if c.conflicts}

    def entries(self) -> tuple[Member, ...]:
        """The inputs' entries for this person: `members` once linked, else this history's own."""
        if self.members:
            return self.members
        return (self.as_member(),)

    def as_member(self) -> Member:
        """This single input's history as a `Member` (what `people.link` joins)."""
        if self.kind == "doj" or self.key.startswith("doj:"):
            key, kind = self.key, "doj"
        else:
            key = "doc:" + min((c.key for c in self.counts), default=self.key)
            kind = self.kind or "counts"
        dobs = self.dobs or ((self.dob,) if self.dob is not None else ())
        return Member(
            key, kind, self.document, self.name, self.aliases, self.dob, dobs, self.cii, self.race, self.dob_source
        )

    def dob_source_of(self, dob: date) -> str:
        """Where a date of birth of this person was read."""
        if self.dob_sources and dob in self.dob_sources:
            return self.dob_sources[dob]
        return self.dob_source if dob == self.dob else ""


# --- the output contract's counts ----------------------------------------------------------

_UNIT_DAYS = {TimeUnit.DAYS: 1, TimeUnit.MONTHS: 30, TimeUnit.YEARS: 365}


def sentence_days(terms, kinds=(TermKind.PRISON, TermKind.JAIL, TermKind.PROBATION)) -> int | None:
    """The longest term of these kinds in days (LIFE for life); None where no term is known."""
    longest = None
    for term in terms:
        if term.kind not in kinds:
            continue
        if term.unit is TimeUnit.LIFE:
            return LIFE
        if term.length is None or term.unit is None:
            continue
        days = int(term.length * _UNIT_DAYS[term.unit])
        longest = days if longest is None else max(longest, days)
    return longest


def person_key_of(count: Count) -> str:
    """A contract count's person within one input: the CII, else name and date of birth."""
    person = count.person
    if person.cii:
        return "cii:" + person.cii
    if not person.name and person.dob is None:
        return "doc:" + count.document  # no identity: the document's own person, joined to no one
    return f"name:{(person.name or '').upper()}|dob:{person.dob.isoformat() if person.dob else ''}"


def _provenance_text(count: Count, name: str) -> str:
    p = count.provenance.get(name)
    if p is None:
        return f"{count.document} page {count.page}"
    return f'{count.document} page {p.page} [{p.start}:{p.end}] "{p.text}"'


def from_contract_count(count: Count, line: int) -> CountFacts:
    terms = count.sentence.terms if count.sentence else ()
    sources = {
        name: _provenance_text(count, name)
        for name in (
            "charge",
            "severity",
            "disposition",
            "event_date",
            "offense_date",
            "arrest_date",
            "disposition_date",
            "sentence",
            "court",
            "case_number",
        )
    }
    for name in ("dob", "name", "cii"):
        sources[name] = _provenance_text(count, "person." + name)
    return CountFacts(
        key=count.count_id,
        person_key=person_key_of(count),
        charge=count.charge,
        charge_text=count.charge_text,
        severity=count.severity,
        disposition=count.disposition,
        event_type=count.event_type,
        conviction_date=count.event_date
        if count.event_type is EventType.COURT
        else count.disposition_date or count.event_date,
        offense_date=count.offense_date,
        arrest_date=count.arrest_date,
        disposition_date=count.disposition_date,
        cycle=count.cycle,
        county=(count.county or "").upper() or None,
        place=_place(count.court),
        sentence_days=sentence_days(terms),
        probation_days=sentence_days(terms, (TermKind.PROBATION,)),
        prison_days=sentence_days(terms, (TermKind.PRISON,)),
        sentence_text=count.sentence.text if count.sentence else "",
        updates=count.updates,
        confidence=count.confidence,
        sources=sources,
        origin=count,
        lines=(line,),
        document=count.document,
        dob=count.person.dob,
        case_number=count.case_number,
        number=count.count,
        plea=plea_of(count.disposition_text),
    )


def plea_of(text: str) -> str:
    """The plea a docket's outcome phrase names (`PLEA OF NOLO CONTENDERE ENTERED`, `CONV-PLEA`)."""
    t = (text or "").upper()
    if "NOLO" in t or "NO CONTEST" in t:
        return "nolo contendere"
    if "NOT GUILTY" in t and "PLEA" in t:
        return "not guilty"
    if "PLEA" in t and "GUILTY" in t or "CONV-PLEA" in t:
        return "guilty"
    return ""


def _place(court: str | None) -> str | None:
    """`CAMC PASADENA` / `CASC LOS ANGELES` -> the town; other court names as written."""
    if not court:
        return None
    text = " ".join(court.upper().split())
    for prefix in ("CAMC ", "CASC ", "CAPD ", "CASO ", "CAHP "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text
