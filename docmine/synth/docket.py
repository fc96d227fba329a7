"""County superior (and, before 2001, municipal) court case dockets, with exact truth.

Three layouts:

* `table`  - a count table (count / charge / description / level / plea / disposition /
             date), a dated sentence section and a post-judgment section;
* `minute` - free-text minute-order entries, dated (`PLEA OF GUILTY ENTERED AS TO COUNT 1`,
             `DEFENDANT SENTENCED TO 36 MONTHS FORMAL PROBATION`, `COUNT 2 DISMISSED
             PURSUANT TO PC 1385`);
* `mixed`  - a count table without outcomes, then minute entries for them. Held out of
             every training split (`corpus.HELD_OUT_LAYOUTS`): it measures transfer to a
             layout no model was trained on.

One docket is one court case: one event (ordinal 1), cycle "1", event type `court`.
`event_date` is the filing date; `arrest_date`/`offense_date` are set where printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from docmine import labels as L
from docmine.records import DispositionKind, EventType, Person, Sentence, SentenceTerm, Severity, TermKind, TimeUnit
from docmine.records import Update, UpdateKind
from docmine.synth import names as N
from docmine.synth.facts import drawn_cities, LATEST, MUNI_MERGED, RECODIFIED, CountDraft, CountFacts, Drawn
from docmine.synth.facts import EventFacts, History, SentenceFacts, UpdateFacts, is_marijuana, make_history
from docmine.synth.facts import spell_charge
from docmine.synth.layout import Body, Close, Line, Mark, Open, Token, collapse, paginate, pad_to, wrap, wrap_tokens

LAYOUTS: tuple[str, ...] = ("table", "minute", "mixed")

SEV_CODE = {
    Severity.FELONY: ("F", "FEL", "FELONY"),
    Severity.MISDEMEANOR: ("M", "MISD", "MISDEMEANOR"),
    Severity.INFRACTION: ("I", "INF", "INFRACTION"),
}

# Dispositions as a table cell (short) and as a minute-order phrase.
TABLE_DISPO: dict[DispositionKind, tuple[str, ...]] = {
    DispositionKind.CONVICTED: ("CONVICTED", "CONVICTED", "GUILTY", "CONV-PLEA", "CONVICTED-JURY"),
    DispositionKind.DISMISSED: ("DISMISSED", "DISMISSED", "DISM-PEOPLE MOTION", "DISM/PLEA BARGAIN"),
    DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE: (
        "DISM PC 1385",
        "DISMISSED PC 1385",
        "DISM/FURTH OF JUSTICE",
        "1385 DISMISSAL",
    ),
    DispositionKind.ACQUITTED: ("NOT GUILTY", "ACQUITTED", "NOT GUILTY-JURY"),
    DispositionKind.DIVERSION: ("DIVERSION", "DIVERSION PC 1000", "DEJ GRANTED"),
}
MINUTE_DISPO: dict[DispositionKind, tuple[str, ...]] = {
    DispositionKind.CONVICTED: (
        "CONVICTED",
        "FOUND GUILTY BY JURY",
        "FOUND GUILTY BY THE COURT",
        "PLEA OF GUILTY ENTERED",
        "PLEA OF NOLO CONTENDERE ENTERED",
    ),
    DispositionKind.DISMISSED: ("DISMISSED", "DISMISSED ON MOTION OF THE PEOPLE", "ORDERED DISMISSED"),
    DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE: (
        "DISMISSED PURSUANT TO PC 1385",
        "DISMISSED IN THE FURTHERANCE OF JUSTICE PER PC 1385",
        "DISMISSED PER 1385 PC",
    ),
    DispositionKind.ACQUITTED: ("FOUND NOT GUILTY", "ACQUITTED"),
    DispositionKind.DIVERSION: ("DIVERSION GRANTED PER PC 1000", "DEFERRED ENTRY OF JUDGMENT GRANTED"),
}


def _fits(phrase: str, mode: str) -> bool:
    """Whether a disposition phrase suits the hearing (a plea, a jury or a court trial)."""
    if "JURY" in phrase:
        return mode == "jury"
    if "BY THE COURT" in phrase:
        return mode == "court"
    if phrase.startswith("PLEA OF"):
        return mode == "plea"
    if phrase in ("FOUND NOT GUILTY", "ACQUITTED"):
        return mode in ("jury", "court")
    return True


def money(x: float, rng: random.Random) -> str:
    v = int(x)
    return f"${v:,}" if v >= 1000 and rng.random() < 0.6 else f"${v}"


def docket_term(t: SentenceTerm, rng: random.Random) -> tuple[str, SentenceTerm]:
    """A term as a clerk writes it, and the term that spelling states."""
    n = int(t.length or 0)
    unit = (
        {TimeUnit.DAYS: "DAY", TimeUnit.MONTHS: "MONTH", TimeUnit.YEARS: "YEAR"}
        if n == 1
        else {TimeUnit.DAYS: "DAYS", TimeUnit.MONTHS: "MONTHS", TimeUnit.YEARS: "YEARS"}
    )
    if t.kind == TermKind.PROBATION:
        shown = t.detail if rng.random() < 0.8 else ""
        word = {"formal": "FORMAL ", "summary": rng.choice(("SUMMARY ", "SUMMARY ", "COURT ")), "": ""}[shown]
        detail = "summary" if word == "COURT " else shown
        return f"{n} {unit[t.unit]} {word}PROBATION", SentenceTerm(TermKind.PROBATION, t.length, t.unit, None, detail)
    if t.kind == TermKind.JAIL:
        ss = t.detail == "suspended"
        place = rng.choice(("COUNTY JAIL", "IN COUNTY JAIL", "JAIL"))
        return (
            f"{n} {unit[TimeUnit.DAYS]} {place}" + (", EXECUTION SUSPENDED" if ss else ""),
            SentenceTerm(TermKind.JAIL, t.length, TimeUnit.DAYS, None, "suspended" if ss else ""),
        )
    if t.kind == TermKind.PRISON:
        if t.detail == "to life":
            return f"{n} YEARS TO LIFE IN STATE PRISON", SentenceTerm(
                TermKind.PRISON, t.length, TimeUnit.YEARS, None, "to life"
            )
        return (
            f"{rng.choice(('', '', 'THE MIDTERM OF '))}{n} {unit[t.unit]} STATE PRISON",
            SentenceTerm(TermKind.PRISON, t.length, t.unit),
        )
    if t.kind == TermKind.FINE:
        ss = t.detail == "suspended"
        if t.amount is not None:
            text = rng.choice(
                (f"FINE {money(t.amount, rng)}", f"{money(t.amount, rng)} FINE", f"FINE OF {money(t.amount, rng)}")
            )
        else:
            text = rng.choice(("FINE AND PENALTY ASSESSMENTS", "FINES AND FEES"))
        return text + (", STAYED" if ss else ""), SentenceTerm(
            TermKind.FINE, None, None, t.amount, "suspended" if ss else ""
        )
    if t.kind == TermKind.RESTITUTION:
        if t.amount is not None:
            return f"RESTITUTION {money(t.amount, rng)}", SentenceTerm(TermKind.RESTITUTION, None, None, t.amount)
        return rng.choice(("VICTIM RESTITUTION", "RESTITUTION AMOUNT TO BE DETERMINED")), SentenceTerm(
            TermKind.RESTITUTION
        )
    if t.kind == TermKind.COMMUNITY_SERVICE:
        hours = t.detail.split()[0] if t.detail else "40"
        return f"{hours} HOURS COMMUNITY SERVICE", SentenceTerm(
            TermKind.COMMUNITY_SERVICE, None, None, None, f"{hours} hours"
        )
    if t.kind == TermKind.SUSPENDED:
        return "IMPOSITION OF SENTENCE SUSPENDED", SentenceTerm(TermKind.SUSPENDED, None, None, None, "imposition")
    if t.kind == TermKind.CREDIT:
        return f"CREDIT FOR {n} {unit[TimeUnit.DAYS]} TIME SERVED", SentenceTerm(
            TermKind.CREDIT, t.length, TimeUnit.DAYS
        )
    return "OTHER TERMS", SentenceTerm(TermKind.OTHER)


def sentence_phrase(s: SentenceFacts, rng: random.Random) -> tuple[str, list[SentenceTerm]]:
    parts, terms = [], []
    for t in s.terms:
        text, term = docket_term(t, rng)
        parts.append(text)
        terms.append(term)
    # "SUSPENDED" first reads naturally: IMPOSITION OF SENTENCE SUSPENDED, 36 MONTHS ...
    order = sorted(range(len(parts)), key=lambda i: terms[i].kind != TermKind.SUSPENDED)
    return ", ".join(parts[i] for i in order), [terms[i] for i in order]


# How this format words each later update (the generator draws one at random).
_UPDATE_PHRASES: dict[UpdateKind, tuple[str, ...]] = {
    UpdateKind.SET_ASIDE_1203_4: (
        "MOTION PURSUANT TO PC 1203.4 GRANTED. PLEA WITHDRAWN, CONVICTION SET ASIDE AND CASE DISMISSED",
        "CONVICTION SET ASIDE AND DISMISSED PER PC 1203.4",
        "PETITION PER 1203.4 PC GRANTED, GUILTY PLEA SET ASIDE, NOT GUILTY PLEA ENTERED, CASE DISMISSED",
    ),
    UpdateKind.REDUCED_17B: (
        "OFFENSE REDUCED TO A MISDEMEANOR PURSUANT TO PC 17(B)",
        "MOTION PER PC 17(B)(3) GRANTED, FELONY REDUCED TO MISDEMEANOR",
    ),
    UpdateKind.PROBATION_REVOKED: ("PROBATION REVOKED", "PROBATION REVOKED AND TERMINATED"),
    UpdateKind.SENTENCE_MODIFIED: ("SENTENCE MODIFIED", "PRIOR SENTENCE MODIFIED"),
    UpdateKind.PROBATION_TERMINATED: ("PROBATION TERMINATED", "PROBATION TERMINATED EARLY PER PC 1203.3"),
    UpdateKind.DISMISSED: (
        "CONVICTION DISMISSED PURSUANT TO HS 11361.8",
        "PETITION PER HS 11361.8 GRANTED, CONVICTION DISMISSED",
    ),
}


def update_phrase(u: UpdateFacts, rng: random.Random, severity: Severity) -> str:
    k = u.kind
    if k in _UPDATE_PHRASES:
        return rng.choice(_UPDATE_PHRASES[k])
    if k == UpdateKind.RESENTENCED:
        return "DEFENDANT RESENTENCED"
    if k == UpdateKind.REDESIGNATED:
        if u.basis == "11361.8 HS":
            to = "AN INFRACTION" if severity == Severity.MISDEMEANOR else "A MISDEMEANOR"
            return rng.choice(
                (
                    f"PETITION PURSUANT TO HS 11361.8 GRANTED. CONVICTION REDESIGNATED AS {to}",
                    f"CONVICTION REDESIGNATED AS {to} PER HS 11361.8",
                )
            )
        return rng.choice(
            (
                "PETITION PURSUANT TO PC 1170.18 GRANTED. FELONY REDESIGNATED AS MISDEMEANOR",
                "APPLICATION PER PC 1170.18(F) GRANTED, OFFENSE REDESIGNATED A MISDEMEANOR",
            )
        )
    if k == UpdateKind.SEALED:
        return rng.choice(
            (f"RECORD ORDERED SEALED PURSUANT TO {_basis(u.basis)}", f"RECORDS SEALED PER {_basis(u.basis)}")
        )
    return "POST-JUDGMENT ORDER"


def _basis(b: str) -> str:
    """'11361.8 HS' -> 'HS 11361.8' as dockets write it."""
    parts = b.split()
    return f"{parts[1]} {parts[0]}" if len(parts) == 2 else b


# --- the case -----------------------------------------------------------------------------


@dataclass
class DocketCount:
    number: int
    facts: CountFacts


def pick_case(rng: random.Random) -> tuple[History, EventFacts, date | None]:
    """A history and one adult court event in it (marijuana cases preferred)."""
    best = None
    for _ in range(40):
        h = make_history(rng, marijuana_bias=0.75)
        for cyc in h.cycles:
            arrest = cyc.arrest_date
            for e in cyc.events:
                if e.kind == EventType.COURT and not e.juvenile and e.counts:
                    mj = any(is_marijuana(c.cdef) for c in e.counts)
                    if mj or rng.random() < 0.25:
                        return h, e, arrest
                    best = best or (h, e, arrest)
    if best is None:
        raise RuntimeError("no adult court case drawn")
    return best


def court_name(rng: random.Random, e: EventFacts, felony: bool) -> tuple[list[Token], str, Mark]:
    """Tokens of the court line (with a county mark inside), its text, and the county mark."""
    county = e.county.name
    cm = Mark(None, "county")
    muni = not felony and e.date < MUNI_MERGED and rng.random() < 0.6
    if muni:
        district = rng.choice(e.county.courts)
        forms = [
            ("MUNICIPAL COURT OF CALIFORNIA, COUNTY OF ", f", {district} JUDICIAL DISTRICT"),
            (f"{district} JUDICIAL DISTRICT MUNICIPAL COURT, COUNTY OF ", ""),
        ]
    else:
        forms = [
            ("SUPERIOR COURT OF CALIFORNIA, COUNTY OF ", ""),
            ("SUPERIOR COURT OF THE STATE OF CALIFORNIA, COUNTY OF ", ""),
            ("", " COUNTY SUPERIOR COURT"),
            ("SUPERIOR COURT OF CALIFORNIA - COUNTY OF ", ""),
        ]
        if e.date < date(1998, 1, 1):
            forms.append(("SUPERIOR COURT OF THE STATE OF CALIFORNIA IN AND FOR THE COUNTY OF ", ""))
    pre, post = rng.choice(forms)
    toks = [t for t in (pre, Open(cm), county, Close(cm), post) if t != ""]
    return toks, f"{pre}{county}{post}", cm


class _Docket:
    def __init__(self, rng: random.Random, layout: str):
        self.rng = rng
        self.layout = layout
        self.h, self.e, self.arrest = pick_case(rng)
        e = self.e
        self.counts: list[DocketCount] = []
        n = 0
        for cf in e.counts:
            for _ in range(cf.multiplicity):
                n += 1
                self.counts.append(DocketCount(n, cf))
        self.felony = any(c.facts.severity == Severity.FELONY for c in self.counts)
        hi = RECODIFIED - timedelta(days=1) if e.date < RECODIFIED else LATEST
        first_dispo = min(c.facts.dispo_date or e.date for c in self.counts)
        # charged on the cycle's date (the arrest, or the citation for a court-only case)
        self.charged = self.arrest or min(c.facts.offense_date or e.date for c in self.counts)
        self.filed = min(first_dispo, self.charged + timedelta(days=rng.randint(1, 12)))
        self.arraigned = min(first_dispo, self.filed + timedelta(days=rng.randint(0, 20)))
        # a sentencing hearing weeks after the plea, or the same day
        self.sentence_dates: dict[int, date] = {}
        delay = rng.choice((0, 0, 14, 21, 28, 35, 42))
        for c in self.counts:
            s = c.facts.sentence
            if s is not None:
                self.sentence_dates[c.number] = min(hi, LATEST, (c.facts.dispo_date or e.date) + timedelta(days=delay))
        self.date_fmt = rng.choice(("%m/%d/%Y", "%m/%d/%Y", "%m/%d/%Y", "%m/%d/%y", "%b %d, %Y", "%d-%b-%Y"))
        self.width = rng.choice((84, 88, 92, 96))
        self.body = Body()
        self.drafts: list[CountDraft] = []
        self.marks: dict[str, Mark] = {}
        p = self.h.person
        self.name_str = N.format_name(p.last, p.first, p.middle, space_after_comma=rng.random() < 0.6)
        if rng.random() < 0.15:
            self.name_str = f"{p.first} {p.middle + ' ' if p.middle else ''}{p.last}"
        self.aka = [N.format_name(*a, space_after_comma=True) for a in p.aliases[: rng.choice((0, 0, 1, 2))]]
        self.show_cii = rng.random() < 0.3
        self.show_sex = rng.random() < 0.5
        self.show_race = self.show_sex and rng.random() < 0.5
        self.show_arrest = self.arrest is not None and rng.random() < 0.7
        self.show_offense = rng.random() < 0.45
        self.offense_date = self.charged
        self.person = Person(
            name=self.name_str, aliases=tuple(self.aka), dob=p.dob, dobs=(p.dob,),
            cii=p.cii if self.show_cii else None, sex=p.sex if self.show_sex else None,
            race=p.race if self.show_race else None,
        )  # fmt: skip
        self.count_style = rng.choice(("{n}", "{n}", "{n:02d}", "{n:03d}"))
        self.count_word = rng.choice(("COUNT", "COUNT", "CT", "CNT"))

    def d(self, when: date) -> str:
        return when.strftime(self.date_fmt).upper()

    def cn(self, n: int) -> str:
        return self.count_style.format(n=n)

    def add(self, *toks, keep: bool = False) -> None:
        self.body.add(*toks, keep_with_next=keep)

    def center(self, toks: list[Token]) -> Line:
        text_len = sum(len(t) for t in toks if isinstance(t, str))
        return [" " * max(0, (self.width - text_len) // 2), *toks]

    # -- header ------------------------------------------------------------------------------
    def header(self) -> None:
        rng, e = self.rng, self.e
        ctoks, self.court_text, cmark = court_name(rng, e, self.felony)
        m_court = Mark(L.COURT, "court")
        self.marks["court"], self.marks["county"] = m_court, cmark
        self.add(*self.center(wrap(ctoks, m_court)))
        title = {
            "table": ("CRIMINAL DOCKET", "CASE SUMMARY", "CRIMINAL CASE HISTORY", "DOCKET REPORT"),
            "minute": ("MINUTE ORDER", "MINUTES", "CRIMINAL MINUTE ORDERS", "DOCKET - MINUTE ENTRIES"),
            "mixed": ("CASE PRINT", "CRIMINAL CASE SUMMARY AND MINUTES", "DOCKET HISTORY"),
        }[self.layout]
        self.add(*self.center([rng.choice(title)]))
        self.add("")
        m_case = Mark(L.CASE_NUMBER, "case")
        m_filed = Mark(L.EVENT_DATE, "filed")
        self.marks["case_number"], self.marks["event_date"] = m_case, m_filed
        case_lab = rng.choice(("CASE NO: ", "CASE NUMBER: ", "CASE NO. ", "CASE #: "))
        filed_lab = rng.choice(("FILED: ", "DATE FILED: ", "FILING DATE: "))
        line = [case_lab, *wrap([e.case_number], m_case)]
        self.add(*pad_to(line, 48), filed_lab, *wrap([self.d(self.filed)], m_filed))
        if rng.random() < 0.6:
            vs = ["THE PEOPLE OF THE STATE OF CALIFORNIA VS. ", *wrap([self.name_str], Mark(L.PERSON_NAME))]
            self.add(*vs)
        m_name = Mark(L.PERSON_NAME, "name")
        m_dob = Mark(L.DOB, "dob")
        self.marks["person.name"], self.marks["person.dob"] = m_name, m_dob
        left = [
            rng.choice(("DEFENDANT: ", "DEFENDANT 01: ", "DEF: ", "DEFENDANT NAME: ")),
            *wrap([self.name_str], m_name),
        ]
        line = pad_to(left, 50) + ["DOB: ", *wrap([self.d(self.h.person.dob)], m_dob)]
        if self.show_sex:
            line += ["  SEX: ", self.h.person.sex]
        self.add(*line)
        if self.show_race:
            self.add(f"RACE: {self.h.person.race}")
        for a in self.aka:
            self.add("AKA: ", *wrap([a], Mark(L.PERSON_NAME)))
        if self.show_cii:
            m_cii = Mark(L.CII, "cii")
            self.marks["person.cii"] = m_cii
            self.add("CII NO: ", *wrap([self.h.person.cii], m_cii))
        if self.show_arrest:
            m_arr = Mark(L.ARREST_DATE, "arrest")
            self.marks["arrest_date"] = m_arr
            agency = rng.choice((f"{rng.choice(drawn_cities(e.county))} PD", f"{e.county.name} SO", "CHP"))
            self.add("ARREST DATE: ", *wrap([self.d(self.arrest)], m_arr), f"    ARRESTING AGENCY: {agency}")
        if self.show_offense:
            m_off = Mark(L.OFFENSE_DATE, "offense")
            self.marks["offense_date"] = m_off
            self.add(
                rng.choice(("OFFENSE DATE: ", "VIOLATION DATE: ", "DATE OF OFFENSE: ")),
                *wrap([self.d(self.offense_date)], m_off),
            )
        judge = N.draw_name(rng, N.pick_pool(rng), rng.choice("MF"))
        self.add(
            f"CASE TYPE: {'FELONY' if self.felony else 'MISDEMEANOR'}    "
            f"JUDGE: HON. {judge[1][0]}. {judge[0]}    DEPT: {rng.randint(1, 130)}"
        )
        self.add("")

    # -- count listing ----------------------------------------------------------------------
    def count_table(self, with_outcomes: bool) -> dict[int, dict[str, Mark]]:
        """The charges table; returns per count number the marks drawn in it."""
        rng = self.rng
        heads = {
            "cnt": rng.choice(("CNT", "CT", "NO.")),
            "chg": rng.choice(("CHARGE", "STATUTE", "CODE/SECTION", "VIOLATION")),
            "desc": "DESCRIPTION",
            "lvl": rng.choice(("LVL", "TYPE", "F/M", "CLASS")),
            "plea": "PLEA",
            "dispo": rng.choice(("DISPOSITION", "FINDING", "DISPO")),
            "date": rng.choice(("DATE", "DISP DATE", "DISPO DATE")),
        }
        date_w = len(self.d(date(2000, 12, 28)))
        show_plea = with_outcomes and rng.random() < 0.6
        sev_style = rng.choice((0, 0, 1))
        cols = [("cnt", 5), ("chg", 17), ("desc", 26 if with_outcomes else 40), ("lvl", 6 if sev_style else 5)]
        if with_outcomes:
            if show_plea:
                cols.append(("plea", 11))
            cols += [("dispo", 21), ("date", max(date_w, len(heads["date"])) + 1)]
        cols = [(k, max(w, len(heads[k]) + 1)) for k, w in cols]
        self.add(
            rng.choice(("CHARGES", "COUNTS CHARGED", "CHARGES/DISPOSITIONS" if with_outcomes else "CHARGES FILED"))
        )
        line: Line = []
        col = 0
        for key, w in cols:
            line = pad_to(line, col) if line else line
            line.append(heads[key])
            col += w
        self.add(*line)
        rule: Line = []
        col = 0
        for key, w in cols:
            rule = pad_to(rule, col) if rule else rule
            rule.append("-" * (w - 1))
            col += w
        self.add(*rule)
        out: dict[int, dict[str, Mark]] = {}
        for c in self.counts:
            f = c.facts
            marks: dict[str, Mark] = {}
            spelled = spell_charge(f.charge, rng, "docket")
            desc = rng.choice(f.cdef.descs)
            desc_w = dict(cols)["desc"] - 1
            desc = desc[:desc_w].rstrip()
            cells: dict[str, list[Token]] = {}
            for key, label in (("cnt", L.COUNT_NO), ("chg", L.CHARGE), ("desc", L.CHARGE_DESC), ("lvl", L.SEVERITY)):
                text = {
                    "cnt": self.cn(c.number),
                    "chg": spelled,
                    "desc": desc,
                    "lvl": SEV_CODE[f.severity][sev_style] if f.severity in SEV_CODE else "",
                }[key]
                if not text:
                    cells[key] = []
                    continue
                m = Mark(label, key)
                marks[key] = m
                cells[key] = wrap([text], m)
            marks["_charge_text"] = spelled  # type: ignore[assignment]
            if with_outcomes:
                if f.disposition in TABLE_DISPO:
                    txt = rng.choice(TABLE_DISPO[f.disposition])
                    m = Mark(L.DISPOSITION, "dispo")
                    marks["dispo"] = m
                    marks["_dispo_text"] = txt  # type: ignore[assignment]
                    cells["dispo"] = wrap([txt], m)
                    if f.dispo_date:
                        md = Mark(L.DISPOSITION_DATE, "dispo_date")
                        marks["dispo_date"] = md
                        cells["date"] = wrap([self.d(f.dispo_date)], md)
                    if show_plea:
                        plea = (
                            "GUILTY"
                            if txt not in ("CONVICTED-JURY",) and f.disposition == DispositionKind.CONVICTED
                            else "NOT GUILTY"
                        )
                        if plea == "GUILTY" and rng.random() < 0.2:
                            plea = "NOLO"
                        cells["plea"] = [plea]
                else:
                    cells["dispo"] = ["PENDING"]
            line = []
            col = 0
            for key, w in cols:
                if line:
                    line = pad_to(line, col)
                line.extend(cells.get(key, []))
                col += w
            self.add(*line)
            out[c.number] = marks
        self.add("")
        return out

    def routine_entries(self) -> list[tuple[date, str]]:
        """Hearings that decide nothing about a count: continuances, warrants, motions."""
        rng = self.rng
        first = min(c.facts.dispo_date or self.e.date for c in self.counts)
        last = max([c.facts.dispo_date or self.e.date for c in self.counts] + list(self.sentence_dates.values()))
        before = [
            "PRETRIAL CONFERENCE. MATTER CONTINUED AT THE REQUEST OF THE DEFENSE.",
            "DEFENDANT WAIVES TIME FOR TRIAL. MATTER CONTINUED.",
            "READINESS CONFERENCE. BOTH SIDES ANNOUNCE READY.",
            f"DEFENDANT FAILED TO APPEAR. BENCH WARRANT ISSUED, BAIL SET AT ${rng.choice((5000, 10000, 25000, 50000)):,}.",
            "BENCH WARRANT RECALLED. DEFENDANT REMANDED TO CUSTODY OF SHERIFF.",
            "MOTION TO SUPPRESS EVIDENCE PER PC 1538.5 HEARD AND DENIED.",
            "DEFENDANT RELEASED ON OWN RECOGNIZANCE. NEXT COURT DATE SET.",
            "DISCOVERY ORDERED. PEOPLE TO PROVIDE LAB REPORT.",
        ]
        if self.felony:
            before += [
                "PRELIMINARY HEARING HELD. DEFENDANT HELD TO ANSWER.",
                "INFORMATION FILED. ARRAIGNMENT ON INFORMATION.",
            ]
        after = [
            "PROBATION PROGRESS REPORT RECEIVED. DEFENDANT IN COMPLIANCE.",
            "FINE PAID IN FULL.",
            "PROOF OF COMPLETION OF DRUG EDUCATION PROGRAM FILED.",
            "RESTITUTION PAID IN FULL. RECEIPT FILED.",
            "ABSTRACT OF JUDGMENT FILED.",
        ]
        out = []
        gap = (first - self.arraigned).days
        for text in rng.sample(before, k=min(len(before), rng.choice((0, 1, 2, 3, 5, 8)))):
            if gap > 2:
                out.append((self.arraigned + timedelta(days=rng.randint(1, gap - 1)), text))
        hi = min(LATEST, last + timedelta(days=700))
        if hi > last + timedelta(days=2):
            for text in rng.sample(after, k=rng.choice((0, 0, 1, 2, 3))):
                out.append((last + timedelta(days=rng.randint(1, (hi - last).days - 1)), text))
        return sorted(out)

    # -- drafts -------------------------------------------------------------------------------
    def draft(
        self,
        c: DocketCount,
        listing: dict[str, Mark],
        dispo: tuple[str, Mark, Mark | None] | None,
        sentence: tuple[Sentence, Mark, Mark] | None,
        updates: list[tuple[Update, Mark, Mark]],
    ) -> None:
        f = c.facts
        prov: dict[str, Mark] = {k: v for k, v in self.marks.items()}
        prov["count"] = listing["cnt"]
        prov["charge"] = listing["chg"]
        severity = Severity.UNKNOWN
        if "lvl" in listing:
            prov["severity"] = listing["lvl"]
            severity = f.severity
        disposition, dispo_text, dispo_date = DispositionKind.PENDING, "", None
        if dispo is not None:
            dispo_text, m, md = dispo
            disposition = f.disposition
            prov["disposition"] = m
            if md is not None:
                prov["disposition_date"] = md
                dispo_date = f.dispo_date
        sen = None
        if sentence is not None:
            sen, m, md = sentence
            prov["sentence"], prov["sentence.date"] = m, md
        ups = []
        for i, (u, m, md) in enumerate(updates):
            ups.append(u)
            prov[f"updates.{i}"], prov[f"updates.{i}.date"] = m, md
        self.drafts.append(
            CountDraft(
                event_ordinal=1,
                count_ordinal=c.number,
                cycle="1",
                event_type=EventType.COURT,
                number=c.number,
                charge=f.charge,
                charge_text=listing["_charge_text"],
                person=self.person,  # type: ignore[arg-type]
                first_mark=listing["cnt"],
                event_date=self.filed,
                offense_date=self.offense_date if self.show_offense else None,
                arrest_date=self.arrest if self.show_arrest else None,
                court=self.court_text,
                county=self.e.county.name,
                case_number=self.e.case_number,
                severity=severity,
                disposition=disposition,
                disposition_text=dispo_text,
                disposition_date=dispo_date,
                updates=ups,
                sentence=sen,
                prov=prov,
            )
        )

    # -- layouts --------------------------------------------------------------------------------
    def draw_table(self) -> None:
        rng = self.rng
        listing = self.count_table(with_outcomes=True)
        routine = self.routine_entries()
        if routine and rng.random() < 0.7:
            self.add(rng.choice(("HEARINGS", "CALENDAR HISTORY", "PROCEEDINGS")))
            for when, text in [(self.arraigned, "ARRAIGNMENT. NOT GUILTY PLEA ENTERED."), *routine]:
                self.body.extend(wrap_tokens([self.d(when), "  ", text], self.width, indent=len(self.d(when)) + 2))
            self.add("")
        sentences: dict[int, tuple[Sentence, Mark, Mark]] = {}
        sentenced = [c for c in self.counts if c.facts.sentence is not None]
        if sentenced:
            self.add(rng.choice(("SENTENCE", "SENTENCING", "JUDGMENT AND SENTENCE")))
            for c in sentenced:
                when = self.sentence_dates[c.number]
                text, terms = sentence_phrase(c.facts.sentence, rng)
                md, ms, mc = Mark(L.SENTENCE_DATE), Mark(L.SENTENCE), Mark(L.COUNT_NO)
                toks = [
                    *wrap([self.d(when)], md),
                    "  ",
                    f"{self.count_word} ",
                    *wrap([self.cn(c.number)], mc),
                    ": ",
                    *wrap([text], ms),
                ]
                lines = wrap_tokens(toks, self.width, indent=len(self.d(when)) + 2)
                self.body.extend(lines, keep_together=True)
                sentences[c.number] = (Sentence(collapse(text), tuple(terms), when), ms, md)
            self.add("")
        updates: dict[int, list[tuple[Update, Mark, Mark]]] = {c.number: [] for c in self.counts}
        rows = sorted(
            ((u.date, c.number, i, u) for c in self.counts for i, u in enumerate(c.facts.updates)),
            key=lambda r: (r[0], r[1], r[2]),
        )
        if rows:
            self.add(rng.choice(("POST-JUDGMENT", "SUBSEQUENT PROCEEDINGS", "POST CONVICTION ACTIVITY")))
            for when, number, _, u in rows:
                c = self.counts[number - 1]
                text = update_phrase(u, rng, c.facts.severity)
                md, mu, mc = Mark(L.UPDATE_DATE), Mark(L.UPDATE), Mark(L.COUNT_NO)
                toks = [
                    *wrap([self.d(when)], md),
                    "  ",
                    f"{self.count_word} ",
                    *wrap([self.cn(number)], mc),
                    ": ",
                    *wrap([text], mu),
                ]
                self.body.extend(wrap_tokens(toks, self.width, indent=len(self.d(when)) + 2), keep_together=True)
                updates[number].append((Update(when, u.kind, collapse(text)), mu, md))
            self.add("")
        for c in self.counts:
            m = listing[c.number]
            dispo = (m["_dispo_text"], m["dispo"], m.get("dispo_date")) if "dispo" in m else None  # type: ignore[assignment]
            self._pending.append((c, m, dispo, sentences.get(c.number), updates[c.number]))

    def draw_minutes(self, listing: dict[int, dict[str, Mark]] | None) -> None:
        """Minute entries; with `listing` None the counts are first listed as prose lines."""
        rng = self.rng
        if listing is None:
            listing = {}
            self.add(rng.choice(("COMPLAINT FILED CHARGING:", "CHARGES:", "INFORMATION FILED AS FOLLOWS:")))
            for c in self.counts:
                f = c.facts
                m_no, m_chg, m_desc, m_sev = (
                    Mark(L.COUNT_NO, "cnt"),
                    Mark(L.CHARGE, "chg"),
                    Mark(L.CHARGE_DESC),
                    Mark(L.SEVERITY, "lvl"),
                )
                spelled = spell_charge(f.charge, rng, "docket")
                toks: list[Token] = [
                    f"{self.count_word} ",
                    *wrap([self.cn(c.number)], m_no),
                    ": ",
                    *wrap([spelled], m_chg),
                    " - ",
                    *wrap([rng.choice(f.cdef.descs)], m_desc),
                ]
                marks = {"cnt": m_no, "chg": m_chg, "_charge_text": spelled}
                if f.severity in SEV_CODE:
                    sev = SEV_CODE[f.severity][rng.choice((0, 2, 2))]
                    toks += (
                        [" (", *wrap([sev], m_sev), ")"]
                        if rng.random() < 0.6
                        else [", A ", *wrap([SEV_CODE[f.severity][2]], m_sev)]
                    )
                    marks["lvl"] = m_sev
                self.body.extend(wrap_tokens(toks, self.width, indent=4), keep_together=True)
                listing[c.number] = marks  # type: ignore[assignment]
            self.add("")
        self.add(rng.choice(("PROCEEDINGS", "MINUTE ENTRIES", "DOCKET ENTRIES")))
        self.add("")
        entries: list[tuple[date, int, list[Token], bool]] = []  # (date, order, tokens after the date, date label)
        # arraignment
        counsel = rng.choice(("DEPUTY PUBLIC DEFENDER", "PRIVATE COUNSEL", "ALTERNATE DEFENSE COUNSEL", "DPD"))
        entries.append(
            (
                self.arraigned,
                0,
                [
                    f"ARRAIGNMENT. DEFENDANT PRESENT IN COURT WITH {counsel}. "
                    "DEFENDANT ADVISED OF RIGHTS. DEFENDANT PLEADS NOT GUILTY TO ALL COUNTS."
                ],
                False,
            )
        )
        for when, text in self.routine_entries():
            entries.append((when, 0, [text], False))
        dispo_marks: dict[int, tuple[str, Mark, Mark | None]] = {}
        by_date: dict[date, list[DocketCount]] = {}
        for c in self.counts:
            if c.facts.disposition in MINUTE_DISPO and c.facts.dispo_date:
                by_date.setdefault(c.facts.dispo_date, []).append(c)
        sentence_marks: dict[int, tuple[Sentence, Mark, Mark]] = {}
        sen_by_date: dict[date, list[DocketCount]] = {}
        for c in self.counts:
            if c.facts.sentence is not None:
                sen_by_date.setdefault(self.sentence_dates[c.number], []).append(c)
        all_dates = sorted(set(by_date) | set(sen_by_date))
        date_marks: dict[date, Mark] = {}
        for when in all_dates:
            label = L.DISPOSITION_DATE if when in by_date else L.SENTENCE_DATE
            date_marks[when] = Mark(label)
            toks: list[Token] = []
            mode = rng.choices(("plea", "jury", "court"), weights=(75, 18, 7))[0]
            for c in by_date.get(when, []):
                f = c.facts
                phrase = rng.choice(
                    [p for p in MINUTE_DISPO[f.disposition] if _fits(p, mode)] or MINUTE_DISPO[f.disposition]
                )
                m_d, m_no = Mark(L.DISPOSITION, "dispo"), Mark(L.COUNT_NO)
                no = wrap([self.cn(c.number)], m_no)
                if phrase.startswith("PLEA OF"):
                    toks += [*wrap([phrase], m_d), " AS TO COUNT ", *no, ". "]
                elif phrase == "CONVICTED":
                    sev = SEV_CODE.get(f.severity, ("", "", "AN OFFENSE"))[2]
                    art = "AN" if sev[:1] in "AEIOU" else "A"
                    toks += [
                        "DEFENDANT ",
                        *wrap([phrase], m_d),
                        " OF COUNT ",
                        *no,
                        ", A VIOLATION OF ",
                        *wrap([spell_charge(f.charge, rng, "docket")], Mark(L.CHARGE)),
                        f", {art} ",
                        *(wrap([sev], Mark(L.SEVERITY)) if f.severity in SEV_CODE else [sev]),
                        ". ",
                    ]
                elif phrase.startswith("FOUND"):
                    toks += ["AS TO COUNT ", *no, ", DEFENDANT ", *wrap([phrase], m_d), ". "]
                elif phrase in ("ACQUITTED",):
                    toks += ["DEFENDANT ", *wrap([phrase], m_d), " ON COUNT ", *no, ". "]
                elif f.disposition == DispositionKind.DIVERSION:
                    toks += [*wrap([phrase], m_d), " AS TO COUNT ", *no, ". "]
                else:
                    toks += ["COUNT ", *no, " ", *wrap([phrase], m_d), ". "]
                dispo_marks[c.number] = (phrase, m_d, date_marks[when])
            for c in sen_by_date.get(when, []):
                text, terms = sentence_phrase(c.facts.sentence, rng)
                m_s, m_no = Mark(L.SENTENCE), Mark(L.COUNT_NO)
                lead = rng.choice(("DEFENDANT SENTENCED AS TO COUNT ", "AS TO COUNT ", "JUDGMENT AS TO COUNT "))
                toks += [lead, *wrap([self.cn(c.number)], m_no), ": ", *wrap([text], m_s), ". "]
                sentence_marks[c.number] = (Sentence(collapse(text), tuple(terms), when), m_s, date_marks[when])
            only_dismissals = all(not c.facts.disposition.is_conviction for c in by_date.get(when, []))
            title = (
                "PROBATION AND SENTENCE HEARING. "
                if when not in by_date
                else rng.choice(("MOTION TO DISMISS. ", "PRETRIAL CONFERENCE. ", "READINESS CONFERENCE. "))
                if only_dismissals and mode == "plea"
                else {
                    "plea": rng.choice(("CHANGE OF PLEA. ", "PRETRIAL CONFERENCE. ", "")),
                    "jury": "JURY TRIAL. ",
                    "court": "COURT TRIAL. ",
                }[mode]
                + ("SENTENCING. " if when in sen_by_date and rng.random() < 0.5 else "")
            )
            entries.append((when, 1, [title, *toks], True))
        update_marks: dict[int, list[tuple[Update, Mark, Mark]]] = {c.number: [] for c in self.counts}
        for c in self.counts:
            for u in c.facts.updates:
                m_u, m_d, m_no = Mark(L.UPDATE), Mark(L.UPDATE_DATE), Mark(L.COUNT_NO)
                text = update_phrase(u, rng, c.facts.severity)
                new = ""
                if u.new_sentence is not None:
                    new, _ = sentence_phrase(u.new_sentence, rng)
                    text = f"{text}. DEFENDANT SENTENCED TO {new}"
                toks = ["AS TO COUNT ", *wrap([self.cn(c.number)], m_no), ": ", *wrap([text], m_u), "."]
                entries.append((u.date, 2 + c.number, toks, m_d))  # type: ignore[arg-type]
                update_marks[c.number].append((Update(u.date, u.kind, collapse(text)), m_u, m_d))
        entries.sort(key=lambda x: (x[0], x[1]))
        for when, order, toks, dl in entries:
            if isinstance(dl, Mark):
                date_toks = wrap([self.d(when)], dl)
            elif dl:
                date_toks = wrap([self.d(when)], date_marks[when])
            else:
                date_toks = [self.d(when)]
            dept = f"  DEPT {rng.randint(1, 120)}" if rng.random() < 0.4 else ""
            head = [*date_toks, dept]
            self.add(*head, keep=True)
            body = wrap_tokens([t for t in toks], self.width, indent=4, first_indent=4)
            # strip a trailing space token left by ". " joins
            self.body.extend(body, keep_together=len(body) <= 6)
            if rng.random() < 0.7:
                self.add("")
        for c in self.counts:
            d = dispo_marks.get(c.number)
            self._pending.append((c, listing[c.number], d, sentence_marks.get(c.number), update_marks[c.number]))

    def draw(self) -> Drawn:
        rng = self.rng
        self._pending: list = []
        self.header()
        if self.layout == "table":
            self.draw_table()
        elif self.layout == "minute":
            self.draw_minutes(None)
        else:
            listing = self.count_table(with_outcomes=False)
            self.draw_minutes(listing)
        for c, listing, dispo, sen, ups in self._pending:
            self.draft(c, listing, dispo, sen, ups)
        self.add("")
        self.add(rng.choice(("*** END OF DOCKET ***", "END OF REPORT", "--- END ---", "")))
        pages = self.paginate()
        return Drawn(pages, self.drafts, "docket", self.layout)

    def paginate(self) -> list[list[Line]]:
        rng = self.rng
        style = rng.choice(("header", "footer"))
        printed = min(
            LATEST,
            max(self.filed, *(u.date for c in self.counts for u in c.facts.updates), self.filed)
            + timedelta(days=rng.randint(30, 3000)),
        )

        def header(n: int, m: int) -> list[Line]:
            if n == 1:
                if style == "header":
                    lab = f"PAGE {n} OF {m}"
                    return [
                        [f"PRINTED: {self.d(printed)}", " " * (self.width - 9 - len(self.d(printed)) - len(lab)), lab],
                        [""],
                    ]
                return []
            left = [
                "CASE NO: ",
                *wrap([self.e.case_number], Mark(L.CASE_NUMBER)),
                "  ",
                *wrap([self.name_str], Mark(L.PERSON_NAME)),
            ]
            if style == "header":
                lab = f"PAGE {n} OF {m}"
                return [pad_to(left, self.width - len(lab)) + [lab], [""]]
            return [left, [""]]

        def footer(n: int, m: int) -> list[Line]:
            if style == "header":
                return []
            lab = f"PAGE {n} OF {m}"
            return [[""], [" " * ((self.width - len(lab)) // 2) + lab]]

        return paginate(
            self.body, rng.randint(54, 62), rng, header=header, footer=footer,
            first_header=lambda n, m: header(1, m), slack=2,
        )  # fmt: skip


def draw_docket(rng: random.Random, layout: str) -> Drawn:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown docket layout {layout!r}")
    return _Docket(rng, layout).draw()
