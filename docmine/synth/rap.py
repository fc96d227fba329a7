"""California DOJ RAP sheet text, drawn from a `History`, with exact truth.

The format follows the public fictional fixtures in Code for America's rap-sheet-assistant
(`/work/shared/external/cfa/rap-sheet-assistant/*.txt`): a CLETS response header, the
subject block (`CII/`, `DOB/`, `SEX/ RAC/`, `NAM/01` and aliases), cycles split by
`* * * *`, events split by `- - - -`, `CNT:` blocks with the charge line, `DISPO:` lines,
`CONV STATUS:`, `SEN:` and dated later updates, `PAGE n OF m` page breaks with a repeated
header. Spacing, abbreviations and optional lines vary per document.

About a third of the sheets also take the variety of real printouts as a cloud OCR returned
them (`Variety`, issue #17; seen in `shared/external/cfa/rap_sheet_parser`): the subject block
at a left margin, aliases not indented, `NAM:02` on its own line under an event header or the
date on the header's line, `TOC:F` lines, the case number on its own line, `-BENCH WARRANT`
and `1170 (H) PC-SENTENCING` lines inside a count, sentences abbreviated (`3 YR PROB, 90 DS
JL`) or given only in a comment (`COM: SEN-X3 YR PROB`), and lone `Page n` footers. These are
drawn from their own generator, seeded by the subject, so the rest of a sheet is drawn as
before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from docmine import labels as L
from docmine.records import DispositionKind, EventType, Person, Sentence, SentenceTerm, Severity, TermKind, TimeUnit
from docmine.records import Update, UpdateKind
from docmine.synth import names as N
from docmine.synth.facts import LATEST, CountDraft, CountFacts, Drawn, EventFacts, History, SentenceFacts, UpdateFacts
from docmine.synth.facts import spell_charge
from docmine.synth.layout import Body, Close, Line, Mark, Open, Token, collapse, paginate, pad_to, wrap

LAYOUT = "rap"

# --- vocabularies -----------------------------------------------------------------------

DISPO_TEXT: dict[DispositionKind, tuple[str, ...]] = {
    DispositionKind.CONVICTED: ("CONVICTED",),
    DispositionKind.SUSTAINED: ("SUSTAINED", "PETITION SUSTAINED", "JUV PETITION SUSTAINED", "SUSTAINED/602 WI"),
    DispositionKind.DISMISSED: (
        "DISMISSED",
        "DISMISSED/PLEA BARGAIN",
        "DISMISSED-INSUFFICIENT EVIDENCE",
        "DISMISSED/DEF CONV OTHER CHG",
    ),
    DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE: (
        "DISMISSED/FURTHERANCE OF JUSTICE",
        "DISMISSED/FURTHERANCE OF JUSTICE",
        "1385 PC-DISMISSED/FURTHERANCE OF JUSTICE",
        "DISMISSED IN FURTHERANCE OF JUSTICE",
        "DISMISSSED/FURTHERANCE OF JUSTICE",
        "DISMISSED/FURTHERENCE OF JUSTICE",
    ),
    DispositionKind.ACQUITTED: ("ACQUITTED", "NOT GUILTY", "ACQUITTED/NOT GUILTY BY JURY"),
    DispositionKind.PROSECUTION_REJECTED: (
        "PROS REJ-LACK OF SUFFICIENT EVIDENCE",
        "PROSECUTION REJECTED",
        "PROS REJ-INTEREST OF JUSTICE",
        "PROS REJECTED-INSUFFICIENT EVID",
        "PROS REJ-VICTIM DECLINES",
    ),
    DispositionKind.DIVERSION: ("DIVERSION", "DIVERTED PER 1000 PC", "DIVERSION PROGRAM", "DEFERRED ENTRY OF JUDGMENT"),
    DispositionKind.DETENTION_ONLY: (
        "RELEASED/DETENTION ONLY",
        "DETENTION ONLY",
        "RELEASED-849(B)(1) PC/DET ONLY",
        "RELEASED/INSUFFICIENT GROUNDS/DET ONLY",
    ),
}

SEVERITY_TEXT = {Severity.FELONY: "FELONY", Severity.MISDEMEANOR: "MISDEMEANOR", Severity.INFRACTION: "INFRACTION"}


# How this format words each later update (the generator draws one at random).
_UPDATE_WORDS: dict[UpdateKind, tuple[str, ...]] = {
    UpdateKind.SET_ASIDE_1203_4: (
        "CONV SET ASIDE & DISM PER 1203.4 PC",
        "CONV SET ASIDE & DISM PER 1203.4 PC",
        "CONVICTION SET ASIDE & DISMISSED PER 1203.4 PC",
        "DISMISSED PER 1203.4 PC",
        "1203.4 PC-CONV SET ASIDE & DISMISSED",
    ),
    UpdateKind.REDUCED_17B: (
        "CONV RED TO MISD PER 17(B) PC",
        "FEL CONV REDUCED TO MISD PER 17(B)(3) PC",
        "REDUCED TO MISDEMEANOR PER 17(B) PC",
    ),
    UpdateKind.SENTENCE_MODIFIED: ("SENTENCE MODIFIED", "SEN MODIFIED", "SENTENCE MODIFIED"),
    UpdateKind.PROBATION_REVOKED: ("PROBATION REVOKED", "PROB REVOKED", "PROBATION REVOKED AND SENTENCED"),
    UpdateKind.PROBATION_TERMINATED: ("PROBATION TERMINATED", "PROB TERMINATED EARLY", "PROBATION TERMINATED/EXPIRED"),
    UpdateKind.RESENTENCED: ("RESENTENCED", "DEFENDANT RESENTENCED"),
    UpdateKind.DISMISSED: (
        "CONV DISMISSED PER 11361.8 HS",
        "CONVICTION DISMISSED PER 11361.8 HS",
        "DISMISSED PER 11361.8 HS",
    ),
}


def update_text(u: UpdateFacts, rng: random.Random, severity: Severity) -> str:
    k = u.kind
    if k in _UPDATE_WORDS:
        return rng.choice(_UPDATE_WORDS[k])
    if k == UpdateKind.REDESIGNATED:
        if u.basis == "11361.8 HS":
            to = "INFRACTION" if severity == Severity.MISDEMEANOR else "MISD"
            return rng.choice(
                (
                    f"CONV REDESIGNATED AS {to} PER 11361.8 HS",
                    f"REDESIGNATED AS {to} PER 11361.8 HS",
                    "REDESIGNATED PER 11361.8 HS",
                )
            )
        return rng.choice(
            (
                "REDESIGNATED AS MISD PER 1170.18 PC",
                "FEL REDESIGNATED MISD PER 1170.18 PC",
                "CONV REDESIGNATED MISD PER 1170.18 PC",
            )
        )
    if k == UpdateKind.SEALED:
        if u.basis == "11361.8 HS":
            return rng.choice(("RECORD SEALED PER 11361.8 HS", "SEALED PER 11361.8 HS"))
        return rng.choice((f"RECORD SEALED PER {u.basis}", f"SEALED PER {u.basis}"))
    return "UPDATE"


def rap_term(t: SentenceTerm, rng: random.Random, pad: bool) -> tuple[str, SentenceTerm]:
    """A term as RAP sheets spell it, and the term as that spelling states it."""

    def num(x: float | None) -> str:
        v = int(x or 0)
        return f"{v:03d}" if pad else str(v)

    unit_word = {TimeUnit.DAYS: "DAYS", TimeUnit.MONTHS: "MONTHS", TimeUnit.YEARS: "YEARS"}
    if t.kind == TermKind.PROBATION:
        return f"{num(t.length)} {unit_word[t.unit]} PROBATION", SentenceTerm(TermKind.PROBATION, t.length, t.unit)
    if t.kind == TermKind.JAIL:
        ss = t.detail == "suspended"
        return (
            f"{num(t.length)} DAYS JAIL" + (" SS" if ss else ""),
            SentenceTerm(TermKind.JAIL, t.length, TimeUnit.DAYS, None, "suspended" if ss else ""),
        )
    if t.kind == TermKind.PRISON:
        if t.detail == "to life":
            return (
                f"{num(t.length)} YEARS TO LIFE PRISON",
                SentenceTerm(TermKind.PRISON, t.length, TimeUnit.YEARS, None, "to life"),
            )
        return f"{num(t.length)} {unit_word[t.unit]} PRISON", SentenceTerm(TermKind.PRISON, t.length, t.unit)
    if t.kind == TermKind.FINE:
        ss = t.detail == "suspended"
        return "FINE" + (" SS" if ss else ""), SentenceTerm(TermKind.FINE, None, None, None, "suspended" if ss else "")
    if t.kind == TermKind.RESTITUTION:
        return "RESTN", SentenceTerm(TermKind.RESTITUTION)
    if t.kind == TermKind.COMMUNITY_SERVICE:
        return "COMM SERV", SentenceTerm(TermKind.COMMUNITY_SERVICE)
    if t.kind == TermKind.SUSPENDED:
        return "IMP SEN SS", SentenceTerm(TermKind.SUSPENDED, None, None, None, "imposition")
    if t.kind == TermKind.CREDIT:
        return f"CRED TIME SERVED {int(t.length or 0)} DAYS", SentenceTerm(TermKind.CREDIT, t.length, TimeUnit.DAYS)
    return "OTHER", SentenceTerm(TermKind.OTHER)


_ABBREV_UNITS = {
    TimeUnit.DAYS: ("DS", "DAYS"),
    TimeUnit.MONTHS: ("MO", "MOS", "MONTHS"),
    TimeUnit.YEARS: ("YR", "YRS", "YEARS"),
}


def rap_term_abbrev(t: SentenceTerm, rng: random.Random) -> tuple[str, SentenceTerm]:
    """A term as clerks abbreviate it in comments and some `SEN:` lines (`36 MO PROB`, `90 DS JL SS`);
    the term it states is `rap_term`'s."""
    text, term = rap_term(t, rng, False)
    n = int(t.length or 0)
    if t.kind == TermKind.PROBATION:
        return f"{n} {rng.choice(_ABBREV_UNITS[t.unit])} PROB", term
    if t.kind == TermKind.JAIL:
        return f"{n} DS JL" + (" SS" if term.detail == "suspended" else ""), term
    if t.kind == TermKind.PRISON and t.detail != "to life":
        return f"{n} {rng.choice(_ABBREV_UNITS[t.unit])} PRISON", term
    return text, term


@dataclass(frozen=True)
class Variety:
    """How far a sheet departs from the clean CLETS layout, the way real printouts do (module docstring)."""

    subject_margin: int = 0  # spaces before the subject block's lines
    alias_indent: int = 4  # 0: aliases printed at the left edge
    nam_own_line: bool = False  # `NAM:02` on its own line under the event header
    date_on_header: bool = False  # `COURT: NAM:01 19960718 CASC ...`
    toc: float = 0.0  # chance of a `TOC:F` line (or `TOC:F` right of an arrest's date line)
    case_own_line: bool = False  # `CNT:001` / `#65131`
    warrants: float = 0.0  # chance of a `-BENCH WARRANT` / `WARRANT #...` line in a count
    sentencing: float = 0.0  # chance of a `1170 (H) PC-SENTENCING` line beside a sentenced count's charge
    sentence_style: str = "sen"  # sen | abbrev (`SEN: 3 YR PROB`) | comment (`COM: SEN-X3 YR PROB`)
    lone_page: bool = False  # footers `Page 2` without `OF m`

    @classmethod
    def draw(cls, rng: random.Random) -> "Variety":
        if rng.random() >= 0.35:
            return cls()
        return cls(
            subject_margin=rng.choice((2, 4, 8)) if rng.random() < 0.5 else 0,
            alias_indent=0 if rng.random() < 0.3 else 4, nam_own_line=rng.random() < 0.3,
            date_on_header=rng.random() < 0.15, toc=0.5 if rng.random() < 0.4 else 0.0,
            case_own_line=rng.random() < 0.2, warrants=0.05 if rng.random() < 0.5 else 0.0,
            sentencing=0.15 if rng.random() < 0.4 else 0.0,
            sentence_style=rng.choices(("sen", "abbrev", "comment"), weights=(2, 1, 1))[0],
            lone_page=rng.random() < 0.3,
        )  # fmt: skip


def history_dates(history: History) -> list[date]:
    out = []
    for c in history.cycles:
        for e in c.events:
            out.append(e.date)
            for cf in e.counts:
                out += [d for d in (cf.dispo_date, cf.offense_date) if d]
                out += [u.date for u in cf.updates]
    return out


def report_date(history: History, rng: random.Random) -> date:
    """When the sheet was printed: after everything on it; most were pulled 2017-2019."""
    last = max(history_dates(history), default=date(1990, 1, 1))
    lo = last + timedelta(days=rng.randint(2, 60))
    if rng.random() < 0.65 and lo < date(2017, 1, 1):
        lo = date(2017, 1, 1)
    return min(LATEST, lo + timedelta(days=rng.randint(0, 400)))


def ymd(d: date) -> str:
    return d.strftime("%Y%m%d")


# --- style --------------------------------------------------------------------------------


@dataclass
class RapStyle:
    cnt_digits: int
    cnt_gap: int
    charge_indent: int
    sub_indent: int
    event_col: int  # column of NAM:nn on event header lines (0 = one space after the colon)
    date_gap: int
    blank_between_counts: float
    star_all_dispos: bool
    pad_numbers: float
    show_conv_status: float
    page_style: str  # "header", "footer", "both"
    lines_per_page: int
    desc_sep: str
    name_comma_space: float
    page_break_in_counts: bool
    blank_runs: float  # chance of a run of blank lines (as in scanned printouts)

    @classmethod
    def draw(cls, rng: random.Random) -> "RapStyle":
        return cls(
            cnt_digits=rng.choice((2, 2, 2, 3)), cnt_gap=rng.choice((5, 5, 5, 4, 3, 6, 8)),
            charge_indent=rng.choice((2, 2, 2, 1, 3)), sub_indent=rng.choice((3, 3, 3, 2, 4)),
            event_col=rng.choice((22, 22, 22, 0, 20, 24)), date_gap=rng.choice((2, 2, 2, 1, 3)),
            blank_between_counts=rng.choice((1.0, 1.0, 0.9, 0.5)), star_all_dispos=rng.random() < 0.2,
            pad_numbers=rng.choice((0.0, 0.2, 0.8, 1.0)), show_conv_status=rng.choice((0.97, 0.9, 0.8)),
            page_style=rng.choice(("header", "footer", "both")), lines_per_page=rng.randint(54, 64),
            desc_sep=rng.choice(("-", "-", "-", "-", " -")), name_comma_space=rng.choice((0.0, 0.0, 0.15, 0.5)),
            page_break_in_counts=rng.random() < 0.6, blank_runs=rng.choice((0.0, 0.03, 0.08)),
        )  # fmt: skip


# --- the drawer ---------------------------------------------------------------------------


class _Rap:
    def __init__(self, history: History, rng: random.Random):
        self.h = history
        self.rng = rng
        self.st = RapStyle.draw(rng)
        # the printout variety from its own generator: the main draws stay as they were
        self.vr = random.Random(f"rap-variety:{history.person.cii}:{history.person.dob}")
        self.v = Variety.draw(self.vr)
        self.body = Body()
        self.drafts: list[CountDraft] = []
        self.cnt_lines: set[int] = set()
        p = history.person
        self.report_date = report_date(history, rng)
        self.report_time = f"{rng.randint(6, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        self.requester = rng.choice(("ORGANA", "PDSF", "LADA", "PUBDEF", "CLEARMJ", "DAOFF", "SOLIS", "KWAN"))
        self.ori = "CA" + "".join(rng.choice("0123456789") for _ in range(7))
        # names as printed
        sp = lambda: rng.random() < self.st.name_comma_space  # noqa: E731
        self.name_str = N.format_name(p.last, p.first, p.middle, space_after_comma=False)
        self.alias_strs = [N.format_name(*a, space_after_comma=sp()) for a in p.aliases]
        self.all_names = [self.name_str, *self.alias_strs]
        self.person = Person(
            name=self.name_str, aliases=tuple(self.alias_strs), dob=p.dob, dobs=tuple(p.dobs), cii=p.cii,
            sex=p.sex, race=p.race,
        )  # fmt: skip
        self.person_marks: dict[str, Mark] = {}
        self.event_ordinal = 0

    # -- helpers
    def num(self, x: int) -> str:
        return f"{x:0{self.st.cnt_digits}d}"

    def add(self, *tokens, keep: bool = False) -> int:
        self.body.add(*tokens, keep_with_next=keep)
        return len(self.body.lines) - 1

    def maybe_blank_run(self) -> None:
        if self.rng.random() < self.st.blank_runs:
            self.body.blank(self.rng.randint(2, 5))

    # -- header
    def header(self) -> None:
        rng, p = self.rng, self.h.person
        rd = self.report_date
        if rng.random() < 0.5:
            self.add(
                f"TO: {rng.choice(('JDI3', 'CJIS', 'PD01', 'DA22', 'SFPD'))}{rng.randint(1, 9)} FROM: CLETS"
                f"{' ' * rng.randint(8, 16)}{rd.strftime('%m/%d/%y')} {self.report_time}"
            )
            self.add("")
            self.add(
                f"{rng.randint(1, 9)}{''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') for _ in range(9))}.IH"
            )
            self.add("")
        self.re_line = (
            f"RE: QHY.{self.ori}.{p.cii[1:]}.{self.requester}-"
            f"{' ' * rng.randint(4, 8)}DATE:{ymd(rd)} TIME:{self.report_time}"
        )
        self.add(self.re_line)
        self.add("RESTRICTED-DO NOT USE FOR EMPLOYMENT,LICENSING OR CERTIFICATION PURPOSES")
        self.add(f"ATTN:{self.requester}-{''.join(rng.choice('0123456789') for _ in range(9))}")
        self.add("")
        if rng.random() < 0.15:
            self.add("    *    *    *                    *    *    *")
            self.add("THE FOLLOWING CII NUMBER(S) IS BEING CONSOLIDATED WITH THIS CII RECORD:")
            self.add(f"                    CII/{''.join(rng.choice('0123456789') for _ in range(8))}")
            self.add("    *    *    *                    *    *    *")
            self.add("")
        if rng.random() < 0.3 and self.report_date.year >= 2000:
            self.add("*" * 72)
            self.add("DO NOT COLLECT DNA. DNA SAMPLE HAS BEEN RECEIVED,")
            self.add("TYPED, AND UPLOADED INTO THE CAL-DNA DATA BANK. FOR")
            self.add("INFO CONTACT THE DNA LAB (PHONE NUMBER ON FILE).")
            self.add("*" * 72)
        stars = "*  " * 20 + "*"
        if rng.random() < 0.55:
            self.add(stars)
            self.add("** PALM PRINT ON FILE AT DOJ FOR ADDITIONAL INFORMATION PLEASE E-")
            self.add("MAIL PALM.PRINT@DOJ.CA.GOV")
        self.add(
            rng.choice(
                (
                    "III CALIFORNIA ONLY SOURCE RECORD",
                    "III CALIFORNIA ONLY SOURCE RECORD",
                    "III MULTI-SOURCE OFFENDER--DO NOT USE FOR ILLEGAL PURPOSES",
                )
            )
        )
        self.add("")
        if rng.random() < 0.7:
            self.add("**LIVE SCAN")
        m_cii = Mark(L.CII, "cii")
        margin = " " * self.v.subject_margin
        self.add(margin, "CII/", wrap([p.cii], m_cii))
        self.person_marks["person.cii"] = m_cii
        m_dob = Mark(L.DOB, "dob")
        self.person_marks["person.dob"] = m_dob
        self.add(margin, "DOB/", wrap([ymd(p.dob)], m_dob), f" SEX/{p.sex} RAC/{p.race}")
        if rng.random() < 0.8:
            self.add(f"{margin}HGT/{p.hgt} WGT/{p.wgt} EYE/{p.eye} HAIR/{p.hair} POB/{p.pob}")
        m_name = Mark(L.PERSON_NAME, "name")
        self.person_marks["person.name"] = m_name
        self.add(margin, "NAM/01 ", wrap([self.name_str], m_name))
        alias_lead = " " * (self.v.subject_margin + self.v.alias_indent if self.v.alias_indent else 0)
        for i, a in enumerate(self.alias_strs, start=2):
            self.add(f"{alias_lead}{i:02d} ", wrap([a], Mark(L.PERSON_NAME)))
        if rng.random() < 0.25:
            self.add(f"MON/{rng.choice(('SPOOKY', 'SMOKEY', 'LITTLE MAN', 'FLACO', 'GUERO', 'TINY', 'DOC'))}")
        if rng.random() < 0.5:
            self.add("")
            self.add(f"FBI/{p.fbi}")
        if len(p.dobs) > 1:
            toks: list[Token] = [margin, "DOB/"]
            for i, d in enumerate(p.dobs[1:]):
                if i:
                    toks.append(" ")
                toks.extend(wrap([ymd(d)], Mark(L.DOB)))
            self.add(*toks)
        if rng.random() < 0.5:
            self.add(f"CDL/{p.cdl}")
        if rng.random() < 0.3:
            self.add(f"SOC/9{''.join(rng.choice('0123456789') for _ in range(8))}")
        if rng.random() < 0.3:
            self.add(
                f"OCC/{rng.choice(('LABORER', 'COOK', 'UNEMPLOYED', 'MECHANIC', 'STUDENT', 'DRIVER', 'CONSTRUCTION', 'FARMER; LABORER'))}"
            )
        if rng.random() < 0.2:
            self.add(f"SMT/{rng.choice(('TAT R ARM', 'TAT L ARM; SC FACE', 'TAT CHEST; TAT BACK', 'SC L HND'))}")
        self.add("")

    # -- events
    def event_header(self, e: EventFacts) -> tuple[Mark, Mark | None]:
        """Header + date/agency lines. Returns (date mark, county mark or None)."""
        rng, st = self.rng, self.st
        word = {
            EventType.ARREST: "ARR/DET/CITE",
            EventType.COURT: "COURT",
            EventType.REGISTRATION: "REGISTRATION",
            EventType.CUSTODY: "CUSTODY",
            EventType.PROBATION: "PROBATION",
            EventType.DECEASED: "DECEASED",
        }[e.kind]
        head = word + (f":{e.custody_type}" if e.kind == EventType.CUSTODY else ":")
        if e.kind == EventType.ARREST and rng.random() < 0.05:
            head = word  # no colon, as some printouts have it
        toks: Line = [head]
        show_nam = e.kind != EventType.DECEASED and (e.kind != EventType.COURT or rng.random() < 0.8)
        v = self.v
        own_line = v.nam_own_line and head.endswith(":")
        if show_nam:
            nam: Line = [f"{'NAME' if rng.random() < 0.04 else 'NAM'}:{e.name_index:02d}"]
            if e.dob_index is not None and e.kind == EventType.ARREST:
                nam.append(" DOB:" if st.event_col == 0 or own_line else "  DOB:")
                nam.extend(wrap([ymd(self.h.person.dobs[e.dob_index])], Mark(L.DOB)))
            if own_line:
                self.add(*toks, keep=True)
                toks = nam
            else:
                toks = pad_to(toks, st.event_col) if st.event_col else [*toks, " "]
                toks.extend(nam)
        same_line = v.date_on_header and not own_line and head.endswith(":")
        if not same_line:
            self.add(*toks, keep=True)
        m_date = Mark(L.EVENT_DATE, "event_date")
        m_agency = Mark(L.COURT if e.court else L.AGENCY, "agency")
        agency_toks: list[Token]
        county_mark = None
        if e.county.name in e.agency:
            county_mark = Mark(None, "county")
            i = e.agency.index(e.county.name)
            agency_toks = [
                e.agency[:i],
                Open(county_mark),
                e.county.name,
                Close(county_mark),
                e.agency[i + len(e.county.name) :],
            ]
            agency_toks = [t for t in agency_toks if t != ""]
        else:
            agency_toks = [e.agency]
        date_line: Line = [*wrap([ymd(e.date)], m_date), " " * st.date_gap, *wrap(agency_toks, m_agency)]
        toc = self._toc(e) if e.kind == EventType.ARREST and self.vr.random() < v.toc else None
        if toc and self.vr.random() < 0.5:
            date_line = pad_to(date_line, 26) + [toc]
            toc = None
        self.add(*(toks + [" "] if same_line else []), *date_line)
        if toc:
            self.add(toc)
        self._agency_mark = m_agency
        return m_date, county_mark

    def _toc(self, e: EventFacts) -> str:
        """The type of charge of an event's first count, as `TOC:F` lines print it."""
        cf = e.counts[0] if e.counts else None
        letter = {Severity.FELONY: "F", Severity.MISDEMEANOR: "M", Severity.INFRACTION: "I"}.get(
            cf.severity if cf is not None else None, "F"
        )
        return f"TOC:{letter}"

    def draw(self) -> Drawn:
        rng, st = self.rng, self.st
        self.header()
        cycle_no = 0
        for cycle in self.h.cycles:
            cycle_no += 1
            self.add("* * * *")
            if rng.random() < 0.25:
                self.add("")
            arrest_date_mark: Mark | None = None
            arrest_date: date | None = None
            for ei, e in enumerate(cycle.events):
                if ei:
                    self.add("- - - -")
                    if rng.random() < 0.2:
                        self.add("")
                self.event_ordinal += 1
                m_date, county_mark = self.event_header(e)
                if e.kind == EventType.ARREST:
                    arrest_date_mark, arrest_date = m_date, e.date
                if e.kind == EventType.DECEASED:
                    if e.comment:
                        self.add(" " * st.sub_indent + f"COM: {e.comment}")
                    continue
                self.add("")
                self.draw_counts(e, cycle_no, m_date, county_mark, arrest_date, arrest_date_mark)
                self.maybe_blank_run()
            if cycle.felony_strike and rng.random() < 0.8:
                self.add("* * * * * * * * * * *")
                self.add(f"**{' ' * rng.choice((1, 3))}POTENTIAL FELONY STRIKE ENTRY{' ' * rng.choice((1, 2, 4))}**")
                self.add("* * * * * * * * * * *")
        if rng.random() < 0.3:
            self.add("*    *    *    *")
            self.add('"PROBATION FLAGS AND/OR DEPARTMENT OF MENTAL HEALTH FLAGS ON THIS RECORD')
            self.add('MAY NOT BE BASED ON FINGERPRINT IDENTIFICATION"')
        self.add("")
        self.add("     *    *    *    END OF MESSAGE    *    *    *")
        pages = self.paginate()
        return Drawn(pages, self.drafts, "rap_sheet", LAYOUT)

    def draw_counts(
        self,
        e: EventFacts,
        cycle_no: int,
        m_date: Mark,
        county_mark: Mark | None,
        arrest_date: date | None,
        arrest_mark: Mark | None,
    ) -> None:
        rng, st = self.rng, self.st
        number = 0
        count_ordinal = 0
        m_case = Mark(L.CASE_NUMBER, "case")
        for ci, cf in enumerate(e.counts):
            # identical counts: a range (CNT:001-003) or one block each
            as_range = cf.multiplicity > 1 and rng.random() < 0.6
            blocks = (
                [(number + 1, number + cf.multiplicity)]
                if as_range
                else [(number + k, number + k) for k in range(1, cf.multiplicity + 1)]
            )
            number += cf.multiplicity
            for lo, hi in blocks:
                if ci or lo > 1:
                    if rng.random() < st.blank_between_counts:
                        self.add("")
                self.draw_count_block(
                    e, cf, lo, hi, cycle_no, m_date, county_mark, arrest_date, arrest_mark,
                    m_case if lo == 1 else None, count_ordinal,
                )  # fmt: skip
                count_ordinal += hi - lo + 1

    def draw_count_block(
        self,
        e: EventFacts,
        cf: CountFacts,
        lo: int,
        hi: int,
        cycle_no: int,
        m_date: Mark,
        county_mark: Mark | None,
        arrest_date: date | None,
        arrest_mark: Mark | None,
        m_case: Mark | None,
        ordinal_before: int,
    ) -> None:
        rng, st = self.rng, self.st
        ind = " " * st.charge_indent
        sub = " " * st.sub_indent
        m_no = Mark(L.COUNT_NO, "count")
        if lo == hi:
            no_text = self.num(lo)
        else:  # a range: CNT:001-004 (the DOJ's own form) or in the sheet's digits
            no_text = f"{lo:03d}-{hi:03d}" if rng.random() < 0.6 else f"{self.num(lo)}-{self.num(hi)}"
        cnt_toks: Line = ["CNT:", *wrap([no_text], m_no)]
        v, vr = self.v, self.vr
        case_line: Line | None = None
        if m_case is not None and e.case_number:
            if v.case_own_line:
                case_line = ["#", *wrap([e.case_number], m_case)]
            else:
                cnt_toks += [" " * st.cnt_gap, "#", *wrap([e.case_number], m_case)]
        idx = self.add(*cnt_toks)
        self.cnt_lines.add(idx)
        if case_line:
            self.add(*case_line)
        if vr.random() < v.warrants:
            self.add(vr.choice((f"{ind}-BENCH WARRANT", f"{ind} WARRANT #{vr.randint(10000, 999999)}")))
        if e.kind != EventType.ARREST and vr.random() < v.toc * 0.3:
            self.add(self._toc(e))
        prov: dict[str, Mark] = {"count": m_no, "event_date": m_date, **self.person_marks}
        if e.case_number:
            prov["case_number"] = self._case_mark(m_case)
        if e.kind == EventType.ARREST and rng.random() < 0.05:
            self.add(f"{ind} -WARRANT")
        # charge line, or SEE COMMENT FOR CHARGE with the charge in a comment
        charge = cf.charge
        spelled = spell_charge(charge, rng, "rap")
        desc = rng.choice(cf.cdef.descs)
        m_charge = Mark(L.CHARGE, "charge")
        m_desc = Mark(L.CHARGE_DESC, "desc")
        if rng.random() < 0.04:
            if rng.random() < 0.5:
                self.add(f"{ind}SEE COMMENT FOR CHARGE")
            else:
                self.add(ind, *wrap([desc], m_desc))
            self.add(sub, "COM: CHRG", rng.choice((" ", "-")), *wrap([spelled], m_charge))
        else:
            sentencing = cf.sentence is not None and vr.random() < v.sentencing
            before = sentencing and vr.random() < 0.5
            if before:
                self.add(vr.choice((" .1170 (H) PC-SENTENCING", f"{ind}1170(H) PC-SENTENCING")))
            self.add(ind, *wrap([spelled], m_charge), st.desc_sep, *wrap([desc], m_desc))
            if sentencing and not before:
                self.add(f"{ind}1170 (H) PC-SENTENCING")
            if rng.random() < 0.05:
                self.add(f"{sub}COM: {rng.choice(('WARRANT NBR A-', 'SCN-', 'CITE #'))}{rng.randint(100000, 9999999)}")
        prov["charge"] = m_charge
        if e.kind == EventType.CUSTODY and e.sen_from:
            self.add(
                f"{sub}SEN FROM: {e.sen_from}" if rng.random() < 0.7 else f"{sub}CRT #:{e.sen_from.split('#')[-1]}"
            )
        # disposition
        dispo_text = ""
        dispo_date = cf.dispo_date
        severity = Severity.UNKNOWN
        sentence = None
        if cf.disposition not in (DispositionKind.PENDING, DispositionKind.UNRECOGNIZED):
            date_mark = m_date
            separate = dispo_date is not None and (
                dispo_date != e.date or (e.kind == EventType.ARREST and rng.random() < 0.6)
            )
            if separate:
                date_mark = Mark(L.DISPOSITION_DATE, "dispo_date")
                self.add(*wrap([ymd(dispo_date)], date_mark))
            dispo_text = rng.choice(DISPO_TEXT[cf.disposition])
            m_dispo = Mark(L.DISPOSITION, "dispo")
            star = "*" if (cf.disposition.is_conviction or st.star_all_dispos) else " "
            sep = ":" if rng.random() < 0.93 else ": "
            self.add(star, "DISPO", sep, *wrap([dispo_text], m_dispo))
            prov["disposition"] = m_dispo
            prov["disposition_date"] = date_mark
            if (
                cf.disposition == DispositionKind.CONVICTED
                and cf.severity in SEVERITY_TEXT
                and rng.random() < st.show_conv_status
            ):
                m_sev = Mark(L.SEVERITY, "severity")
                self.add(sub, "CONV STATUS:", *wrap([SEVERITY_TEXT[cf.severity]], m_sev))
                prov["severity"] = m_sev
                severity = cf.severity
        if cf.sentence is not None:
            if e.court and "disposition_date" in prov:
                sentence = self.draw_sentence(cf.sentence, sub, prov, prov["disposition_date"], cf.dispo_date)
            else:  # custody and probation entries: the sentence as of the entry's date
                sentence = self.draw_sentence(cf.sentence, sub, prov, m_date, e.date)
        if cf.disposition == DispositionKind.UNRECOGNIZED and cf.dispo_date:
            # custody release: the count's disposition as the record gives it
            m_dd = Mark(L.DISPOSITION_DATE, "dispo_date")
            self.add("")
            self.add(*wrap([ymd(cf.dispo_date)], m_dd))
            dispo_text = rng.choice(("PAROLED", "PAROLED", "DISCHARGED", "RELEASED ON PAROLE"))
            m_dispo = Mark(L.DISPOSITION, "dispo")
            self.add(" DISPO:", *wrap([dispo_text], m_dispo))
            prov["disposition"] = m_dispo
            prov["disposition_date"] = m_dd
        updates = []
        for ui, u in enumerate(cf.updates):
            m_ud = Mark(L.UPDATE_DATE, "update_date")
            self.add(*wrap([ymd(u.date)], m_ud))
            text = update_text(u, rng, cf.severity)
            m_u = Mark(L.UPDATE, "update")
            lead = rng.choice(("  DISPO:", " DISPO:", "  "))
            if u.new_sentence is not None:
                sen_text, _ = self.sentence_text(u.new_sentence)
                lines = self.sentence_lines(sen_text, sub)
                # the update's mark runs over its SEN: line(s)
                self.add(lead, Open(m_u), text, keep=True)
                for li, (pre, body) in enumerate(lines):
                    last = li == len(lines) - 1
                    self.add(pre, body, *([Close(m_u)] if last else []), keep=not last)
                full = collapse(text + " " + " ".join(p.strip() + " " + b for p, b in lines))
            else:
                self.add(lead, *wrap([text], m_u))
                full = text
            updates.append(Update(u.date, u.kind, full))
            prov[f"updates.{ui}"] = m_u
            prov[f"updates.{ui}.date"] = m_ud
        # county and court
        court = e.agency if e.court else None
        if e.court:
            prov["court"] = self._agency_mark
        if county_mark is not None:
            prov["county"] = county_mark
        if arrest_mark is not None and arrest_date is not None:
            prov["arrest_date"] = arrest_mark
        for k in range(lo, hi + 1):
            self.drafts.append(
                CountDraft(
                    event_ordinal=self.event_ordinal,
                    count_ordinal=ordinal_before + (k - lo) + 1,
                    cycle=str(cycle_no),
                    event_type=e.kind,
                    number=k,
                    charge=charge,
                    charge_text=spelled,
                    person=self.person,
                    first_mark=m_no,
                    event_date=e.date,
                    arrest_date=arrest_date,
                    court=court,
                    county=e.county.name,
                    case_number=e.case_number,
                    severity=severity,
                    disposition=cf.disposition,
                    disposition_text=dispo_text,
                    disposition_date=dispo_date if cf.disposition != DispositionKind.PENDING else None,
                    updates=list(updates),
                    sentence=sentence,
                    prov=dict(prov),
                )
            )

    def _case_mark(self, m: Mark | None) -> Mark:
        if m is not None:
            self._last_case = m
        return self._last_case

    def sentence_text(self, s: SentenceFacts) -> tuple[str, list[SentenceTerm]]:
        pad = self.rng.random() < self.st.pad_numbers
        parts, terms = [], []
        for t in s.terms:
            text, term = rap_term(t, self.rng, pad)
            parts.append(text)
            terms.append(term)
        return ", ".join(parts), terms

    def sentence_lines(self, text: str, sub: str) -> list[tuple[str, str]]:
        """`SEN: ...` wrapped the RAP way: continuation lines indented under the text."""
        width = self.rng.choice((38, 44, 52, 60))
        out: list[tuple[str, str]] = []
        words = text.split(" ")
        cur = ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        out.append(cur)
        first = f"{sub}SEN: "
        cont = " " * (len(sub) + 5)
        return [(first if i == 0 else cont, body) for i, body in enumerate(out)]

    def draw_sentence(self, s: SentenceFacts, sub: str, prov: dict, date_mark: Mark, when: date) -> Sentence:
        if self.v.sentence_style != "sen":
            parts, terms = [], []
            for t in s.terms:
                text, term = rap_term_abbrev(t, self.vr)
                parts.append(text)
                terms.append(term)
            text = self.vr.choice((", ", ",")).join(parts)
            if self.v.sentence_style == "comment":  # the sentence only in a comment, on one line
                m = Mark(L.SENTENCE, "sentence")
                self.add(sub, self.vr.choice(("COM: SEN-X", "COM: SEN-X", "COM: XSEN:")), *wrap([text], m))
                prov["sentence"] = m
                prov["sentence.date"] = date_mark
                return Sentence(text=collapse(text), terms=tuple(terms), date=when)
        else:
            text, terms = self.sentence_text(s)
        lines = self.sentence_lines(text, sub)
        m = Mark(L.SENTENCE, "sentence")
        for i, (pre, body) in enumerate(lines):
            toks: list[Token] = [pre]
            if i == 0:
                toks.append(Open(m))
            toks.append(body)
            last = i == len(lines) - 1
            if last:
                toks.append(Close(m))
            self.add(*toks, keep=not last)
        prov["sentence"] = m
        prov["sentence.date"] = date_mark
        return Sentence(text=collapse(" ".join(b for _, b in lines)), terms=tuple(terms), date=when)

    # -- pages
    def paginate(self) -> list[list[Line]]:
        rng, st, p = self.rng, self.st, self.h.person
        width = rng.choice((68, 72, 76))

        def page_label(n: int, m: int) -> str:
            return f"Page {n}" if self.v.lone_page else f"PAGE {n} OF {m}"

        def cii_tokens() -> list[Token]:
            return ["CII/", *wrap([p.cii], Mark(L.CII))]

        def header(n: int, m: int) -> list[Line]:
            if st.page_style == "footer":
                if n == 1:
                    return []
                return [[self.re_line], [*cii_tokens()], [""]]
            lab = page_label(n, m)
            if st.page_style == "both":  # label in the footer, subject at the top of later pages
                if n == 1:
                    return []
                return [[*cii_tokens(), "  ", *wrap([self.name_str], Mark(L.PERSON_NAME))], [""]]
            if n == 1:
                return [[" " * (width - len(lab)) + lab], [""]]
            left: Line = [*cii_tokens(), "  ", *wrap([self.name_str], Mark(L.PERSON_NAME))]
            return [pad_to(left, width - len(lab)) + [lab], [""]]

        def first_header(n: int, m: int) -> list[Line]:
            return header(1, m)

        def footer(n: int, m: int) -> list[Line]:
            if st.page_style == "header":
                return []
            lab = page_label(n, m)
            return [[""], [" " * ((width - len(lab)) // 2) + lab]]

        prefer = None
        if st.page_break_in_counts:
            cnt = self.cnt_lines
            prefer = lambda k: (k - 1) in cnt or (k - 2) in cnt  # noqa: E731
        return paginate(
            self.body, st.lines_per_page, rng, header=header, footer=footer, first_header=first_header, slack=1,
            prefer_break=prefer,
        )  # fmt: skip


def draw_rap_sheet(history: History, rng: random.Random) -> Drawn:
    """Draw one RAP sheet for `history`; truth drafts come from the facts as drawn."""
    return _Rap(history, rng).draw()
