"""Synthetic California DOJ bulk research files (the 95-column extract counties got under AB 1793).

`write_doj_file(path, rows, seed)` writes `rows` data rows in exactly the layout of the
public fixture `gogen/configurable_flow_input.csv`: the same header and column order, CRLF
line ends, `PRI_NAME` quoted, dates `YYYYMMDD`, `#` in the segment separators that carry one
there, `x` in the columns the fixture redacts, and the fixed-width padding that spills into
the next column (`OFFENSE_QUAL_LST` pads `OFFENSE_DESCR` to 50, `CONV_STAT_CODE` pads
`DISP_DESCR` to 24, `STP_ORI_TYPE` pads `STP_TYPE_DESCR` to 21, `SENT_TIME_DESCR` is 18
blanks when there is no sentence, `OFN` may read `NULL  `).

One row per subject x cycle x step x count (x sentence part): a count with a two-part sentence
(probation and jail, say) gets two rows with the same `CNT_ORDER`, as in the real file.
`CNT_ORDER` is `CCCSSSNNN000`: cycle (100 + `CYC_ORDER`, so the first cycle reads `101` as
in the fixture), step and count, each three digits.

Every person is fictional: names are random pairs from common-name lists, identifiers are
generated. The rows are drawn from tables of real California code sections so that the file
can drive a Prop 64 (HS 11361.8) eligibility checker: marijuana counts, look-alikes that are
not marijuana, unrelated charges, super strikes, PC 290 offences and registrations, deaths.

With `truth_path`, one JSON object per written row (same order) records what the generator
decided, never a parse of the row. Dates are ISO 8601. Per row:

- `row` (1-based data row), `subject_id`, `cii`, `name` (`LAST,FIRST M`), `gender`, `dob`,
  `race_code`, `race`, `subject_deceased`, `cycles` (as written, after the file's last
  subject is cut to fit), `cycle`, `cycle_date`, `cyc_age`, `step`, `event_type` (arrest,
  court, probation, custody, registration, deceased), `event_date`, `ori`, `county`;
- `count`, `cnt_order`, `sentence_part` (0: no sentence; 1, 2, ...: the parts of one count's
  sentence, each its own row with the same `cnt_order`), so (`subject_id`, `cnt_order`,
  `sentence_part`) is unique;
- `charge` (`Charge.canonical`, e.g. `HS 11357(b)`; `PC 290` on registrations, null on a
  death), `attempted` (PC 664), `offense_descr` and `comment_text` as written (the charge
  is in `comment_text` when `charge_in_comment`, i.e. OFFENSE_DESCR reads
  `SEE COMMENT FOR CHARGE`);
- `toc` (as charged) and `severity` (the conviction's level where convicted, else as
  charged): felony, misdemeanor, infraction or null;
- `disposition`: one of `DISPOSITION_KINDS`, what this row's DISP_DESCR says. `pending`
  means the row states none: arrest rows whose case went on to court (blank or
  `REL/TOT OTHER JURIS/AUTH`), court rows not yet disposed, and the probation, custody,
  registration and death rows, which repeat or record without disposing. `convicted` is
  true on the court row of a conviction (or sustained juvenile petition) only;
  `disposition_text`, `disposition_date` (null when pending);
- `is_marijuana_section` (HS 11357-11360, attempts included), `pre_1973_marijuana` (the old
  sections in `PRE_1973_MARIJUANA_SECTIONS`), `category` (marijuana, pre_1973_marijuana,
  lookalike, other, super_strike, pc290, registration, deceased), `super_strike`
  (PC 667(e)(2)(C)(iv)), `pc290_registrable`, `pc290_registration`;
- `sentence` ({kind: prison/probation/jail/fine, length, unit: days/months/years/life}
  or null), `age_at_event`, `quirks` (see `QUIRKS`; empty unless `quirks=True`).
"""

from __future__ import annotations

import hashlib
import json
import time
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from math import log
from pathlib import Path
from random import Random

from docmine.charges import Charge
from docmine.synth.doj_tables import _LA, _MJ, _OLD, _OT, _SS, _SX, CATEGORIES, COUNTIES, DISPOSITION_KINDS
from docmine.synth.doj_tables import MARIJUANA_SECTIONS, OFFENSES, Offense, PRE_1973_MARIJUANA_SECTIONS
from docmine.synth.doj_tables import _ARREST_RELEASED, _COMMENTS, _COMPANIONS, _CONVICTED_TEXT, _COUNTY_PLACES
from docmine.synth.doj_tables import _DISP_TEXTS, _EMERALD, _GIVEN_T, _LOC, _POPULATION, _PRISONS, _RACES
from docmine.synth.doj_tables import _REGISTRATION_CHARGE, _REGISTRATION_DESCR, _SEE_COMMENT, _SEVERITY_NAME
from docmine.synth.doj_tables import _SEVERITY_WORD, _SPELLINGS, _SURNAMES_T, _TIME, _given_group
from docmine.reference.doj_layout import DISP_WIDTH, HEADER, OFFENSE_WIDTH, SENTENCE_TIME_WIDTH, STEP_TYPE_WIDTH

__all__ = [
    "CATEGORIES",
    "COUNTIES",
    "DISPOSITION_KINDS",
    "EVALUATION_END",
    "HEADER",
    "MARIJUANA_SECTIONS",
    "OFFENSES",
    "PRE_1973_MARIJUANA_SECTIONS",
    "QUIRKS",
    "DojStats",
    "Offense",
    "write_doj_file",
]

# --- the layout ----------------------------------------------------------------------------


# What the fixture holds in the columns the generator does not vary. `x` where the fixture
# redacts a column, `#` in REQ_SEG_SEP, SENT_SEG_SEP and END_OF_REC, blank elsewhere.
_CONSTANT: dict[str, str] = {name: "" for name in HEADER}
_CONSTANT.update(
    {
        "RECORD_ID": "x",
        "SUBJECT_STATUS": "x",
        "REQ_SEG_SEP": "#",
        "PRI_CDL": "x       ",
        "PRI_IDN": "x",
        "PRI_INN": "x",
        "FBI_NUMBER": "x",
        "PDR_SEG_SEP": "x",
        "CYC_SEG_SEP": "x",
        "STP_SEG_SEP": "x",
        "STP_TYPE_CODE": "x",
        "STP_ORI_TYPE_DESCR": "x",
        "STP_ORI_CODE": "x",
        "OFFENSE_CODE": "x",
        "SENT_SEG_SEP": "#",
    }
)
# The descriptive columns the fixture redacts, EYE_COLOR_CODE through CITIZENSHIP_LIST.
for _name in HEADER[HEADER.index("EYE_COLOR_CODE") : HEADER.index("CITIZENSHIP_LIST") + 1]:
    _CONSTANT[_name] = "x"

# The columns each level of the record fills; everything else comes from _CONSTANT.
_SUBJECT_VARS = tuple(
    """
    SUBJECT_ID REQ_CII_NUMBER CII_NUMBER PRI_NAME GENDER PRI_DOB RACE_CODE RACE_DESCR
    """.split()
)
_CYCLE_VARS = ("CYC_ORDER", "CYC_DATE")
_STEP_VARS = tuple(
    """
    STP_ORDER STP_EVENT_DATE STP_TYPE_DESCR STP_ORI_TYPE STP_ORI_DESCR STP_ORI_CNTY_CODE STP_ORI_CNTY_NAME
    CNT_SEG_SEP
    """.split()
)
_COUNT_VARS = tuple(
    """
    CNT_ORDER DISP_DATE OFN OFFENSE_DESCR OFFENSE_TOC OFFENSE_QUAL_LST DISP_DESCR CONV_STAT_CODE
    CONV_STAT_DESCR SENT_LOC_CODE SENT_LOC_DESCR SENT_LENGTH SENT_TIME_CODE SENT_TIME_DESCR CYC_AGE
    COMMENT_TEXT END_OF_REC
    """.split()
)
_CONSTANT.update({"STP_ORI_CNTY_CODE": "x", "CNT_SEG_SEP": "x", "END_OF_REC": "#"})

_SEGMENT_BOUNDS = (
    (0, HEADER.index("CYC_ORDER"), _SUBJECT_VARS),
    (HEADER.index("CYC_ORDER"), HEADER.index("STP_ORDER"), _CYCLE_VARS),
    (HEADER.index("STP_ORDER"), HEADER.index("CNT_ORDER"), _STEP_VARS),
    (HEADER.index("CNT_ORDER"), len(HEADER), _COUNT_VARS),
)


def _segment_template(start: int, stop: int, variables: tuple[str, ...]) -> str:
    names = HEADER[start:stop]
    assert tuple(n for n in names if n in variables) == variables, variables
    return ",".join("%s" if n in variables else _CONSTANT[n] for n in names)


_SUBJECT_T, _CYCLE_T, _STEP_T, _COUNT_T = (_segment_template(*b) for b in _SEGMENT_BOUNDS)

_NO_SENTENCE = " " * SENTENCE_TIME_WIDTH  # SENT_TIME_DESCR of a row without a sentence

EVALUATION_END = date(2019, 10, 31)  # no event after this day
_FIRST_DAY = date(1961, 1, 1)

# --- dates as table look-ups (ordinals -> strings), so rows never call strftime --------------

_BASE = date(1880, 1, 1).toordinal()  # the oldest DOB is 1961 minus 66 years
_TOP = date(2021, 1, 1).toordinal()
_DAYS = [date.fromordinal(o) for o in range(_BASE, _TOP)]  # index: ordinal - _BASE
_D8: list[str] = [f"{d.year:04d}{d.month:02d}{d.day:02d}" for d in _DAYS]
_ISO: list[str] = [d.isoformat() for d in _DAYS]
_YEAR: list[int] = [d.year for d in _DAYS]
_MMDD: list[int] = [d.month * 100 + d.day for d in _DAYS]
del _DAYS


def _ord(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _age(dob: int, when: int) -> int:
    i, j = dob - _BASE, when - _BASE
    years = _YEAR[j] - _YEAR[i]
    return years - 1 if _MMDD[j] < _MMDD[i] else years


_START = _FIRST_DAY.toordinal()
_END = EVALUATION_END.toordinal()
_HS_RECODIFIED = _ord("1973-03-07")  # the Health and Safety Code drug sections renumbered
_Y1975, _Y1990, _Y2017 = _ord("1975-01-01"), _ord("1990-01-01"), _ord("2017-01-01")
_COURT_UNIFICATION = _ord("1998-06-01")  # municipal courts merge into the superior courts (1998-2001)
_RECENT = _ord("2018-06-01")  # cases this recent may still be pending

# --- sampling helpers ---------------------------------------------------------------------


class _Picker:
    """Weighted choice driven by one uniform draw (`random()` only, so streams are stable)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        self.items = tuple(item for item, _ in pairs)
        cum, acc = [], 0.0
        for _, weight in pairs:
            acc += weight
            cum.append(acc)
        self.cum, self.total = cum, acc

    def pick(self, u: float):
        return self.items[bisect_right(self.cum, u * self.total)]


def _eras() -> tuple[list[int], list[dict[str, _Picker]]]:
    bounds = sorted(
        {_START}
        | {o.start for o in OFFENSES if o.start > _START}
        | {o.end for o in OFFENSES if _START < o.end <= _END + 1}
    )
    pools: list[dict[str, _Picker]] = []
    for day in bounds:
        era = {}
        for category in CATEGORIES:
            live = [(o, o.weight) for o in OFFENSES if o.category == category and o.start <= day < o.end]
            if live:
                era[category] = _Picker(live)
        pools.append(era)
    return bounds, pools


_ERA_BOUNDS, _ERA_POOLS = _eras()
_COMPANION_PICK = {k: _Picker(v) for k, v in _COMPANIONS.items()}
_RACE_PICK = _Picker([((code, descr, group), w) for code, descr, w, group in _RACES])
_COUNTY_PICK = _Picker([(i, _POPULATION[name]) for i, name in enumerate(COUNTIES)])
_CYCLES_PICK = _Picker(
    [(1, 30), (2, 22), (3, 15), (4, 10), (5, 8), (6, 5), (7, 3), (8, 2.5), (9, 1.8), (10, 1.2), (11, 0.8), (12, 0.7)]
)
_AGE_PICK = _Picker([((14, 17), 4), ((18, 20), 27), ((21, 25), 24), ((26, 35), 25), ((36, 50), 15), ((51, 66), 5)])
_SINGLE_DISPO = _Picker(
    [
        ("convicted", 66),
        ("dismissed", 12),
        ("dismissed_furtherance_of_justice", 7),
        ("acquitted", 3),
        ("diversion", 7),
        ("pending", 1),
    ]
)
_EXTRA_DISPO = _Picker(
    [("convicted", 32), ("dismissed", 45), ("dismissed_furtherance_of_justice", 20), ("acquitted", 3)]
)
_PRISON_TERMS = ((16, "M"), (2, "Y"), (2, "Y"), (3, "Y"), (3, "Y"), (4, "Y"), (5, "Y"), (6, "Y"), (8, "Y"))
_LONG_TERMS = ((7, "Y"), (9, "Y"), (11, "Y"), (15, "Y"), (25, "Y"), (0, "L"))
_FEL_PROBATION = ((3, "Y"), (3, "Y"), (5, "Y"), (5, "Y"), (2, "Y"), (4, "Y"), (36, "M"))
_MIS_PROBATION = ((1, "Y"), (2, "Y"), (3, "Y"), (3, "Y"), (36, "M"), (18, "M"))
_JAIL_DAYS = (2, 5, 10, 15, 30, 30, 45, 60, 90, 90, 120, 180, 270, 365)


# --- the generator ------------------------------------------------------------------------


# A count as the generator decided it, before it becomes rows.
@dataclass(slots=True)
class _Count:
    offense: Offense | None  # None: a registration or death row (see `charge`)
    charge: Charge | None
    descr: str  # OFFENSE_DESCR
    toc: str  # OFFENSE_TOC as charged
    level: str  # the severity that stands (conviction level, else as charged): F/M/I/""
    kind: str  # disposition kind
    disp: str  # DISP_DESCR
    disp_day: int  # DISP_DATE (ordinal)
    parts: list  # sentence parts [(kind, length, time code)], [] when none
    comment: str = ""
    in_comment: bool = False
    category: str = ""
    registration: bool = False


@dataclass(slots=True)
class _Step:
    day: int
    kind: str  # arrest, court, probation, custody, registration, deceased
    ori: str
    county: str
    ofn: str
    counts: list


@dataclass(slots=True)
class _Cycle:
    day: int
    steps: list


_STEP_TYPE = {
    "arrest": "ARREST/DETAINED/CITED",
    "court": "COURT ACTION",
    "probation": "PROBATION",
    "custody": "CUSTODY",
    "registration": "REGISTRATION",
    "deceased": "DECEASED",
}
_STEP_ORI_TYPE = {k: " " * (STEP_TYPE_WIDTH - len(v)) + "x" for k, v in _STEP_TYPE.items()}


_FIRST_SUBJECT_ID = 10_000_000


class _Generator:
    """Draws subjects one after another; `first_subject` numbers them across blocks."""

    def __init__(self, seed: int, first_subject: int):
        self.rng = Random(seed)
        self.u = self.rng.random
        self.subject_number = first_subject

    # small draws
    def pick(self, seq):
        return seq[int(self.u() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return lo + int(self.u() * (hi - lo + 1))

    def offense(self, category: str, day: int) -> Offense:
        if category == _MJ and day < _HS_RECODIFIED:
            category = _OLD
        elif category == _OLD and day >= _HS_RECODIFIED:
            category = _MJ
        pools = _ERA_POOLS[bisect_right(_ERA_BOUNDS, day) - 1]
        return pools[category].pick(self.u())

    def descr(self, off: Offense) -> str:
        forms = _SPELLINGS[id(off)]
        if off.charge.attempted:
            return forms[int(self.u() * len(forms))]
        return forms[0] if self.u() < 0.8 else forms[1]

    # -- subjects --
    def subject(self):
        u = self.u
        number = self.subject_number
        self.subject_number += 1
        # Unique and increasing: each subject owns its own stretch of 37 numbers.
        sid = str(_FIRST_SUBJECT_ID + number * 37 + int(u() * 37))
        serial = (number * 387_420_489 + 271_828_182) % 1_000_000_000  # a bijection: unique
        cii = ("A" if u() < 0.12 else str(int(u() * 4))) + f"{serial:09d}"
        race_code, race_descr, group = _RACE_PICK.pick(u())
        gender = "M" if u() < 0.81 else "F"
        surname = self.pick(_SURNAMES_T[group])
        if group == "hisp" and u() < 0.08:
            surname += " " + self.pick(_SURNAMES_T["hisp"])
        given_pool = _GIVEN_T[(_given_group(group), gender)]
        name = f"{surname},{self.pick(given_pool)}"
        r = u()
        if r < 0.6:
            name += " " + chr(65 + int(u() * 26))
        elif r < 0.66:
            name += " " + self.pick(given_pool)

        # When the record starts and how old the person was then.
        r = u()
        if r < 0.08:
            first = self.between(_START, _Y1975 - 1)
        elif r < 0.38:
            first = self.between(_Y1975, _Y1990 - 1)
        elif r < 0.94:
            first = self.between(_Y1990, _Y2017 - 1)
        else:
            first = self.between(_Y2017, _END - 200)
        lo, hi = _AGE_PICK.pick(u())
        age = self.between(lo, hi)
        start_day = date.fromordinal(first)
        birthday = start_day.replace(
            year=start_day.year - age, day=min(start_day.day, 28) if start_day.month == 2 else start_day.day
        )
        dob = birthday.toordinal() - self.between(0, 360)  # `age` years old on the first day
        home = _COUNTY_PICK.pick(u())

        n = _CYCLES_PICK.pick(u())
        days = [first]
        for _ in range(n - 1):
            gap = 30 + int(-1100.0 * _log1m(u()))
            if days[-1] + gap > _END - 30:
                break
            days.append(days[-1] + gap)
        n = len(days)

        r = u()
        mj_subject = r < 0.92
        kinds = []
        repeat = mj_subject and u() < 0.12
        for _ in range(n):
            r = u()
            if mj_subject and r < (0.7 if repeat else 0.38):
                kinds.append(_MJ)
            elif r < 0.62:
                kinds.append(_OT)
            else:
                kinds.append(_LA if u() < 0.6 else _OT)
        if mj_subject and _MJ not in kinds:
            kinds[int(u() * n)] = _MJ
        if u() < 0.025:
            kinds[int(u() * n)] = _SS
        if u() < 0.03:
            kinds[int(u() * n)] = _SX
        fixed = self.offense(_MJ, days[kinds.index(_MJ)]) if repeat and _MJ in kinds else None

        cycles = []
        for day, kind in zip(days, kinds):
            county = home if u() < 0.8 else _COUNTY_PICK.pick(u())
            cycles.append(self.cycle(day, kind, county, dob, fixed))

        # PC 290: registrations after the first registrable conviction; rarely with none on file.
        registrable = [
            c
            for cyc in cycles
            for s in cyc.steps
            for c in s.counts
            if s.kind == "court" and c.offense is not None and c.offense.pc290 and c.kind in ("convicted", "sustained")
        ]
        start = None
        if registrable:
            first_reg = min(registrable, key=lambda c: c.disp_day)
            start = first_reg.disp_day + _time_served(first_reg.parts)  # registers once released
        elif u() < 0.003:
            start = days[0] - self.between(30, 2000)
            start = max(start, dob + 18 * 366, _START)
        if start is not None:
            day = start + self.between(20, 700)
            for _ in range(1 + int(u() * 4)):
                if day > _END:
                    break
                cycles.append(self.registration(day, home))
                day += self.between(300, 430)

        cycles.sort(key=lambda c: c.day)
        if u() < 0.03:  # deceased
            last = max(s.day for c in cycles for s in c.steps)
            death = last + self.between(60, 6000)
            if death > _END:
                death = self.between(last, _END)
            cycles.append(self.death(death, home))
        return sid, cii, name, gender, dob, race_code, race_descr, cycles

    # -- cycles --
    def ori(self, county: int, kind: str, day: int, level: str = "F") -> tuple[str, str]:
        u = self.u
        name = COUNTIES[county]
        if kind == "court":
            if level != "F" and day < _COURT_UNIFICATION and u() < 0.7:
                return f"CAMC {self.pick(_COUNTY_PLACES[county])}", name
            return f"CASC {name}", name
        if kind in ("arrest", "registration"):
            r = u()
            if r < 0.55:
                return f"CAPD {self.pick(_COUNTY_PLACES[county])}", name
            if r < 0.88:
                return f"CASO {name}", name
            return f"CAHP {self.pick(_COUNTY_PLACES[county])}", name
        if kind == "probation":
            return f"CAPR {name}", name
        if kind == "custody":
            prison, where = self.pick(_PRISONS)
            return f"CACDC {prison}", where
        return f"CACO {name}", name  # coroner

    def ofn(self, court: bool) -> str:
        r = self.u()
        if r < 0.12:
            return "NULL  " if court else ""
        if r < 0.22:
            return ""
        return str(self.between(100_000, 99_999_999) if court else self.between(100_000, 9_999_999))

    def cycle(self, day: int, kind: str, county: int, dob: int, fixed: Offense | None) -> _Cycle:
        u = self.u
        main = (
            fixed if (fixed is not None and fixed.start <= day < fixed.end and u() < 0.7) else self.offense(kind, day)
        )
        if main.charge.section in ("11358", "11540") and u() < 0.2:
            county = _EMERALD[int(u() * 3)]
        charges = [main]
        r = u()
        extra = 0 if r < 0.5 else 1 if r < 0.82 else 2 if r < 0.95 else 3
        companions = _COMPANION_PICK[main.category]
        for _ in range(extra):
            cat = companions.pick(u())
            if cat == _OLD and day >= _HS_RECODIFIED:
                cat = _MJ
            charges.append(self.offense(cat, day))
        serious = kind in (_SS, _SX)

        steps: list[_Step] = []
        has_arrest = u() < (0.85 if serious else 0.7)
        outcome = "court"
        if has_arrest and not serious:
            r = u()
            outcome = "rejected" if r < 0.09 else "detention" if r < 0.12 else "no_dispo" if r < 0.18 else "court"
        if has_arrest:
            ori, cname = self.ori(county, "arrest", day)
            ofn = self.ofn(False)
            counts = []
            for off in charges:
                toc = self.charged_toc(off)
                if outcome == "rejected":
                    k = "prosecution_rejected"
                elif outcome == "detention":
                    k = "detention_only"
                else:
                    k = "pending"
                disp = (
                    self.pick(_DISP_TEXTS[k])
                    if k != "pending"
                    else (_ARREST_RELEASED if outcome == "court" and u() < 0.25 else "")
                )
                counts.append(self.count(off, toc, toc, k, disp, day, []))
            steps.append(_Step(day, "arrest", ori, cname, ofn, counts))
        if outcome != "court":
            return _Cycle(day, steps)

        court_day = day + (self.between(1, 40) if u() < 0.5 else self.between(41, 400)) if has_arrest else day
        if court_day > _END:
            court_day = _END
        juvenile = _age(dob, court_day) < 18
        court_charges = list(charges)
        if main.category == _MJ and main.charge.section in ("11359", "11360") and u() < 0.12:
            court_charges[0] = self.offense(_MJ, court_day)  # amended / plea to another count
        level_main = court_charges[0].toc
        ori, cname = self.ori(county, "court", court_day, level_main)
        ofn = self.ofn(True)
        disp_day = court_day if u() < 0.96 else min(_END, court_day + self.between(1, 30))
        recent = court_day >= _RECENT
        counts = []
        main_kind = None
        for i, off in enumerate(court_charges):
            toc = self.charged_toc(off)
            if i == 0:
                if serious:
                    k = "convicted" if u() < 0.92 else "dismissed"
                elif recent and u() < 0.3:
                    k = "pending"
                else:
                    k = (
                        _SINGLE_DISPO.pick(u())
                        if len(court_charges) == 1
                        else ("convicted" if u() < 0.75 else _SINGLE_DISPO.pick(u()))
                    )
                if k == "diversion" and not off.possession:
                    k = "dismissed"
                main_kind = k
            else:
                if main_kind in ("convicted", "sustained"):
                    k = _EXTRA_DISPO.pick(u())
                elif main_kind == "pending":
                    k = "pending"
                else:
                    k = main_kind if main_kind != "diversion" or off.possession else "dismissed"
            if k == "convicted" and juvenile and u() < 0.7:
                k = "sustained"
            level = toc
            parts: list = []
            if k in ("convicted", "sustained"):
                if toc == "F" and off.wobbler and u() < 0.3:
                    level = "M"
                parts = self.sentence(level, off, k == "sustained")
                if k == "sustained":
                    disp = _DISP_TEXTS["sustained"][0]
                else:
                    disp = "CONVICTED" if u() < 0.15 else _CONVICTED_TEXT[parts[0][0]]
            elif k == "pending":
                disp = ""
            else:
                disp = self.pick(_DISP_TEXTS[k])
            counts.append(self.count(off, toc, level, k, disp, disp_day, parts))
        steps.append(_Step(court_day, "court", ori, cname, ofn, counts))

        # Later steps that repeat the convicted counts: probation, custody.
        convicted = [c for c in counts if c.kind in ("convicted", "sustained")]
        kinds = {c.parts[0][0] for c in convicted if c.parts}
        if "probation" in kinds and u() < 0.25:
            when = min(_END, court_day + self.between(1, 45))
            ori, cname = self.ori(county, "probation", when)
            steps.append(_Step(when, "probation", ori, cname, "", [self.follow(c, when) for c in convicted]))
        if "prison" in kinds and u() < 0.6:
            when = min(_END, court_day + self.between(14, 120))
            ori, cname = self.ori(county, "custody", when)
            steps.append(
                _Step(
                    when,
                    "custody",
                    ori,
                    cname,
                    "",
                    [self.follow(c, when) for c in convicted if c.parts and c.parts[0][0] == "prison"],
                )
            )
        steps.sort(key=lambda step: step.day)  # stable: the arrest, then the court, then the rest
        return _Cycle(day, steps)

    def charged_toc(self, off: Offense) -> str:
        if off.wobbler and off.toc == "F" and self.u() < 0.2:
            return "M"
        return off.toc

    def count(self, off: Offense, toc: str, level: str, kind: str, disp: str, disp_day: int, parts: list) -> _Count:
        u = self.u
        descr = self.descr(off)
        c = _Count(off, off.charge, descr, toc, level, kind, disp, disp_day, parts, category=off.category)
        r = u()
        if r < 0.007:
            c.descr, c.comment, c.in_comment = _SEE_COMMENT, descr, True
        elif r < 0.03 and kind != "pending":
            c.comment = self.pick(_COMMENTS)
        return c

    def follow(self, c: _Count, day: int) -> _Count:
        """The same count repeated on a probation or custody step: no disposition, no sentence."""
        return _Count(
            c.offense, c.charge, c.descr, c.toc, c.level, "pending", "", day, [], comment=c.comment,
            in_comment=c.in_comment, category=c.category,
        )  # fmt: skip

    def sentence(self, level: str, off: Offense, juvenile: bool) -> list:
        u, pick = self.u, self.pick
        if juvenile:
            return [("probation",) + pick(((6, "M"), (1, "Y"), (2, "Y")))]
        if level == "I":
            return [("fine", None, "")]
        r = u()
        if level == "F":
            if off.super_strike and r < 0.85:
                length, code = pick(_LONG_TERMS)
                return [("prison", None if code == "L" else length, code)]
            if r < 0.27:
                return [("prison",) + pick(_PRISON_TERMS)]
            if r < 0.85:
                parts = [("probation",) + pick(_FEL_PROBATION)]
                if u() < 0.4:
                    parts.append(("jail", pick(_JAIL_DAYS), "D"))
                if u() < 0.08:
                    parts.append(("fine", None, ""))
                return parts
            return [("jail", pick(_JAIL_DAYS[6:]), "D")] if u() < 0.7 else [("jail", pick((6, 9, 12)), "M")]
        if r < 0.5:
            parts = [("probation",) + pick(_MIS_PROBATION)]
            if u() < 0.3:
                parts.append(("jail", pick(_JAIL_DAYS[:10]), "D"))
            if u() < 0.1:
                parts.append(("fine", None, ""))
            return parts
        if r < 0.8:
            return [("jail", pick(_JAIL_DAYS[:12]), "D")]
        return [("fine", None, "")]

    def registration(self, day: int, county: int) -> _Cycle:
        ori, cname = self.ori(county, "registration", day)
        c = _Count(
            None, _REGISTRATION_CHARGE, _REGISTRATION_DESCR, "", "", "pending", "", day, [],
            category="registration", registration=True,
        )  # fmt: skip
        return _Cycle(day, [_Step(day, "registration", ori, cname, str(self.between(100_000, 999_999)), [c])])

    def death(self, day: int, county: int) -> _Cycle:
        ori, cname = self.ori(county, "deceased", day)
        c = _Count(None, None, "", "", "", "pending", "", day, [], comment="DECEASED", category="deceased")
        return _Cycle(day, [_Step(day, "deceased", ori, cname, "", [c])])


def _time_served(parts: list) -> int:
    """Days in custody under a sentence (prison or jail parts); a life term never ends here."""
    days = 0
    for kind, length, code in parts:
        if kind in ("prison", "jail"):
            if code == "L":
                return _FOREVER_DAYS
            days += (length or 0) * {"D": 1, "M": 30, "Y": 365}[code]
    return days


_FOREVER_DAYS = 100 * 365


def _log1m(u: float) -> float:
    return log(1.0 - u)  # an exponential draw: -mean * log(1 - u)


# --- quirks (quirks=True): the untidiness of real extracts --------------------------------

_QUIRK_RATE = 0.06  # share of rows that get one quirk
QUIRKS: tuple[str, ...] = (
    "stray_comma",  # an unquoted comma inside OFFENSE_DESCR or COMMENT_TEXT: the row has 96 fields
    "quoted_comma",  # a comma inside a properly quoted field
    "lower_case",  # OFFENSE_DESCR in lower or mixed case (`11357(b)hs-possess marijuana`)
    "county_case",  # STP_ORI_CNTY_NAME in title case
    "padded",  # blank padding inside fields: county, DISP_DESCR, code and separator columns
    "blank_severity",  # CONV_STAT_DESCR or OFFENSE_TOC left blank
    "ori_glued",  # `CASCSACRAMENTO` for `CASC SACRAMENTO`
    "cyc_date_placeholder",  # CYC_DATE as the fixture's `x       `
    "dash_spaces",  # `4060 BP - POSSESS ...`, a leading blank before the section
    "tab_padding",  # SENT_TIME_DESCR padded with tabs
    "no_end_of_rec",  # END_OF_REC left blank
)
# File and subject level: the header line ends in a stray comma (as gogen's extra_comma.csv),
# and some names are written `LAST, FIRST`.
HEADER_LINE = ",".join(HEADER)
_JSON = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))


@dataclass(frozen=True)
class DojStats:
    """What `write_doj_file` wrote."""

    path: str
    truth_path: str | None
    seed: int
    rows: int
    subjects: int
    cycles: int
    counts: int  # distinct (subject, CNT_ORDER)
    marijuana_rows: int  # rows whose charge is HS 11357-11360
    marijuana_convictions: int  # distinct convicted marijuana counts
    pre_1973_marijuana_rows: int
    lookalike_rows: int
    super_strike_convictions: int
    pc290_registration_rows: int
    deceased_subjects: int
    quirk_rows: int
    bytes: int
    seconds: float

    def __str__(self) -> str:
        rate = self.rows / self.seconds if self.seconds else float("inf")
        return (
            f"{self.rows} rows, {self.subjects} subjects, {self.counts} counts "
            f"({self.marijuana_convictions} marijuana convictions), {self.bytes / 1e6:.1f} MB "
            f"in {self.seconds:.2f}s ({rate:,.0f} rows/s)"
        )


_BLOCK_SUBJECTS = 400  # subjects per block: each block has its own seed, so any worker can draw it
_COUNTERS = (
    "subjects",
    "cycles",
    "counts",
    "marijuana_rows",
    "marijuana_convictions",
    "pre_1973_marijuana_rows",
    "lookalike_rows",
    "super_strike_convictions",
    "pc290_registration_rows",
    "deceased_subjects",
    "quirk_rows",
)


def _block_seed(seed: int, block: int, salt: str) -> int:
    digest = hashlib.sha256(f"docmine.synth.doj/{seed}/{block}/{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(slots=True)
class _Block:
    rows: int
    csv: str
    truth: str  # unless `numbered`, row numbers left as %d (and any '%' doubled) for the writer
    counters: list
    numbered: bool = False


def _render_block(
    seed: int, block: int, quirks: bool, want_truth: bool, limit: int | None = None, first_row: int | None = None
) -> _Block:
    """Rows for the subjects of one block, stopping after `limit` rows (the file's last block).

    With `first_row` (the file's row number of the block's first row) the truth lines are
    numbered here; without it (a worker process, which cannot know) the writer numbers them.
    """
    gen = _Generator(_block_seed(seed, block, "subjects"), block * _BLOCK_SUBJECTS)
    noise = Random(_block_seed(seed, block, "quirks"))
    nu = noise.random
    n_subjects = n_cycles = n_counts = mj_rows = mj_conv = old_rows = la_rows = ss_conv = 0
    reg_rows = n_deceased = quirk_rows = 0
    written = 0
    dumps = _JSON.encode
    D8, ISO = _D8, _ISO
    B = _BASE
    count_t, step_t, cycle_t, subject_t = _COUNT_T, _STEP_T, _CYCLE_T, _SUBJECT_T
    numbered = first_row is not None
    truth_t = '{"row":%d,' + _TRUTH_T[1:] if numbered else _TRUTH_T
    row_number = (first_row or 0) - 1
    fact_cache: dict = {}
    sentence_cache: dict = {}
    js_cache: dict = {}
    lines: list[str] = []
    truths: list[str] = []
    for _ in range(_BLOCK_SUBJECTS):
        if limit is not None and written >= limit:
            break
        sid, cii, name, gender, dob, race_code, race_descr, cycles = gen.subject()
        # Flatten to rows; the file's last subject is cut to fit exactly.
        flat = []
        for ci, cyc in enumerate(cycles, 1):
            for si, step in enumerate(cyc.steps, 1):
                for ni, c in enumerate(step.counts, 1):
                    if c.parts:
                        for pi, part in enumerate(c.parts, 1):
                            flat.append((ci, cyc, si, step, ni, c, pi, part))
                    else:
                        flat.append((ci, cyc, si, step, ni, c, 0, None))
        if limit is not None and len(flat) > limit - written:
            del flat[limit - written :]
        deceased = flat[-1][3].kind == "deceased"
        n_subjects += 1
        n_deceased += deceased
        n_cycles += flat[-1][0]

        subject_quirks: list[str] = []
        shown_name = name
        if quirks and nu() < 0.02:
            shown_name = name.replace(",", ", ", 1)
            subject_quirks.append("name_space")
        subject_seg = subject_t % (sid, cii, cii, f'"{shown_name}"', gender, D8[dob - B], race_code, race_descr) + ","
        subject_frag = (
            dumps(
                {
                    "subject_id": sid,
                    "cii": cii,
                    "name": name,
                    "gender": gender,
                    "dob": ISO[dob - B],
                    "race_code": race_code,
                    "race": race_descr,
                    "subject_deceased": deceased,
                    "cycles": flat[-1][0],
                }
            )[1:-1]
            if want_truth
            else ""
        )
        last_cycle = last_step = last_count = None
        cycle_seg = step_seg = cycle_frag = step_frag = cyc_date = ""
        cyc_age = step_age = 0
        step_vals: list = []
        for ci, cyc, si, step, ni, c, pi, part in flat:
            if cyc is not last_cycle:
                last_cycle = cyc
                cyc_age = _age(dob, cyc.day)
                cyc_date = D8[cyc.day - B]
                cycle_seg = cycle_t % (ci, cyc_date) + ","
                if want_truth:
                    cycle_frag = f'"cycle":{ci},"cycle_date":"{ISO[cyc.day - B]}","cyc_age":{cyc_age}'
            if step is not last_step:
                last_step = step
                step_vals = [
                    si,
                    D8[step.day - B],
                    _STEP_TYPE[step.kind],
                    _STEP_ORI_TYPE[step.kind],
                    step.ori,
                    "x",
                    step.county,
                    "x",
                ]
                step_seg = step_t % tuple(step_vals) + ","
                step_age = _age(dob, step.day)
                if want_truth:
                    step_frag = (
                        f'"step":{si},"event_type":"{step.kind}","event_date":"{ISO[step.day - B]}",'
                        f'"ori":{_js(step.ori)},"county":{_js(step.county)}'
                    )
            off = c.offense
            convicted = c.kind in ("convicted", "sustained") and step.kind == "court"
            if c is not last_count:  # once per count, not per sentence part
                last_count = c
                n_counts += 1
                if off is not None:
                    category = off.category
                    if category == _MJ:
                        mj_conv += convicted
                    elif off.super_strike:
                        ss_conv += convicted
            cnt_order = f"{100 + ci:03d}{si:03d}{ni:03d}000"
            descr = c.descr
            level = c.level
            disp = c.disp
            if part is None:
                loc_code = loc_descr = length = tcode = ""
                tdescr = _NO_SENTENCE
            else:
                kind_, n_, tcode = part
                loc_code, loc_descr = _LOC[kind_]
                length = "" if n_ is None else str(n_)
                tdescr = _TIME[tcode][0] if tcode else ""
            vals = [
                cnt_order,
                D8[c.disp_day - B],
                step.ofn,
                descr,
                c.toc,
                " " * (OFFENSE_WIDTH - len(descr)) if descr else "",
                disp,
                " " * (DISP_WIDTH - len(disp)),
                _SEVERITY_WORD[level],
                loc_code,
                loc_descr,
                length,
                tcode,
                tdescr,
                str(cyc_age),
                c.comment,
                "#",
            ]
            row_quirks = subject_quirks
            seg_c, seg_s = cycle_seg, step_seg
            if quirks and nu() < _QUIRK_RATE:
                q, vals, seg_c, seg_s = _apply_quirk(noise, vals, ci, step_vals, seg_c, seg_s)
                if q:
                    row_quirks = subject_quirks + [q]
            lines.append(subject_seg + seg_c + seg_s + count_t % tuple(vals) + "\r\n")
            written += 1
            quirk_rows += bool(row_quirks)
            if off is not None:
                category = off.category
                mj_rows += category == _MJ
                old_rows += category == _OLD
                la_rows += category == _LA
            reg_rows += c.registration
            if want_truth:
                fkey = id(off) if off is not None else c.category
                facts = fact_cache.get(fkey)
                if facts is None:
                    facts = fact_cache[fkey] = _count_facts(c)
                sentence = sentence_cache.get(part)
                if sentence is None:
                    sentence = sentence_cache[part] = _sentence_json(part)
                if row_quirks:
                    js_descr, js_comment, js_disp = _js(_unquote(vals[3])), _js(_unquote(vals[15])), _js(vals[6])
                else:  # the generator's own strings: few, so remember them
                    js_descr = js_cache.get(descr) or js_cache.setdefault(descr, _js(descr))
                    js_comment = js_cache.get(c.comment) or js_cache.setdefault(c.comment, _js(c.comment))
                    js_disp = js_cache.get(disp) or js_cache.setdefault(disp, _js(disp))
                fields = (
                    subject_frag,
                    cycle_frag,
                    step_frag,
                    ni,
                    cnt_order,
                    pi,
                    facts,
                    js_descr,
                    js_comment,
                    _JS_BOOL[c.in_comment],
                    _JS_SEV[c.toc],
                    _JS_SEV[level],
                    c.kind,
                    js_disp,
                    '"%s"' % ISO[c.disp_day - B] if c.kind != "pending" else "null",
                    _JS_BOOL[convicted],
                    _JS_BOOL[c.registration],
                    sentence,
                    step_age,
                    dumps(row_quirks) if row_quirks else "[]",
                )
                truths.append(truth_t % ((row_number + written,) + fields if numbered else fields))
    truth = ""
    if numbered:
        truth = "".join(truths)
    elif want_truth and truths:
        # Leave the row number to the writer, which knows where this block starts.
        text = "".join(truths).replace("%", "%%")
        truth = '{"row":%d,' + text[1:].replace("\n{", '\n{"row":%d,')
    counters = [
        n_subjects,
        n_cycles,
        n_counts,
        mj_rows,
        mj_conv,
        old_rows,
        la_rows,
        ss_conv,
        reg_rows,
        n_deceased,
        quirk_rows,
    ]
    return _Block(written, "".join(lines), truth, counters, numbered)


def _blocks(seed: int, quirks: bool, want_truth: bool, workers: int) -> Iterator[tuple[int, _Block | None]]:
    """Blocks 0, 1, 2, ... in order: (number, None) for the caller to draw itself, or (number,
    block) drawn ahead by `workers` processes. The bytes are the same either way."""
    if workers <= 1:
        block = 0
        while True:
            yield block, None
            block += 1
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    try:
        pending: deque = deque()
        block = 0
        while True:
            while len(pending) < 2 * workers:
                pending.append((block, pool.submit(_render_block, seed, block, quirks, want_truth)))
                block += 1
            number, future = pending.popleft()
            yield number, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def write_doj_file(
    path: str | Path,
    rows: int,
    seed: int,
    truth_path: str | Path | None = None,
    *,
    quirks: bool = False,
    workers: int = 1,
) -> DojStats:
    """Write `rows` data rows of a synthetic DOJ bulk research file (plus the header) to `path`.

    The same `seed` (and `quirks`) gives a byte-identical file, whatever `workers` is.
    With `truth_path`, write one JSON object per data row, in row order (`row` is the 1-based
    data row), holding the generator's facts. `quirks=True` adds the untidiness real extracts
    have (see `QUIRKS`); the truth lists each row's quirks. `workers` > 1 draws blocks of
    subjects in that many processes. Memory stays flat: every block goes straight to disk.
    """
    if rows < 0:
        raise ValueError("rows must be >= 0")
    started = time.perf_counter()
    path = Path(path)
    want_truth = truth_path is not None
    totals = [0] * len(_COUNTERS)
    written = nbytes = 0
    truth_handle = open(truth_path, "w", encoding="ascii", newline="\n") if want_truth else None
    try:
        with open(path, "w", encoding="ascii", newline="") as handle:
            header = HEADER_LINE + ("," if quirks else "") + "\r\n"
            handle.write(header)
            nbytes += len(header)
            if rows:
                blocks = _blocks(seed, quirks, want_truth, workers)
                try:
                    for number, block in blocks:
                        left = rows - written
                        if block is None or block.rows > left:
                            block = _render_block(seed, number, quirks, want_truth, limit=left, first_row=written + 1)
                        handle.write(block.csv)
                        nbytes += len(block.csv)
                        if truth_handle is not None and block.rows:
                            truth_handle.write(
                                block.truth
                                if block.numbered
                                else block.truth % tuple(range(written + 1, written + block.rows + 1))
                            )
                        written += block.rows
                        totals = [a + b for a, b in zip(totals, block.counters)]
                        if written >= rows:
                            break
                finally:
                    blocks.close()
    finally:
        if truth_handle is not None:
            truth_handle.close()
    return DojStats(
        path=str(path), truth_path=str(truth_path) if want_truth else None, seed=seed, rows=written, bytes=nbytes,
        seconds=time.perf_counter() - started, **dict(zip(_COUNTERS, totals)),
    )  # fmt: skip


# One truth line: the row, subject, cycle and step fragments, then the count's facts.
_TRUTH_T = (
    '{%s,%s,%s,"count":%d,"cnt_order":"%s","sentence_part":%d,%s,"offense_descr":%s,'
    '"comment_text":%s,"charge_in_comment":%s,"toc":%s,"severity":%s,"disposition":"%s",'
    '"disposition_text":%s,"disposition_date":%s,"convicted":%s,"pc290_registration":%s,'
    '"sentence":%s,"age_at_event":%d,"quirks":%s}\n'
)
_JS_BOOL = {True: "true", False: "false"}
_JS_SEV = {k: ("null" if v is None else f'"{v}"') for k, v in _SEVERITY_NAME.items()}


def _js(text: str) -> str:
    """A JSON string; the fast path covers the generator's plain ASCII text."""
    if '"' in text or "\\" in text or not (text.isascii() and text.isprintable()):
        return _JSON.encode(text)
    return '"' + text + '"'


def _count_facts(c: _Count) -> str:
    off, ch = c.offense, c.charge
    return _JSON.encode(
        {
            "charge": ch.canonical if ch else None,
            "attempted": ch.attempted if ch else False,
            "is_marijuana_section": off is not None and off.category == _MJ,
            "pre_1973_marijuana": off is not None and off.category == _OLD,
            "category": c.category,
            "super_strike": bool(off and off.super_strike),
            "pc290_registrable": bool(off and off.pc290),
        }
    )[1:-1]


def _sentence_json(part) -> str:
    if part is None:
        return "null"
    kind, length, code = part
    return _JSON.encode({"kind": kind, "length": length, "unit": _TIME[code][1] if code else None})


def _unquote(text: str) -> str:
    return text[1:-1] if text[:1] == '"' else text


def _apply_quirk(noise: Random, vals: list, ci: int, step_vals: list, cycle_seg: str, step_seg: str):
    """Give one row one quirk; return (its name or None, count values, cycle and step segments)."""
    nu = noise.random
    q = QUIRKS[int(nu() * len(QUIRKS))]
    vals = list(vals)
    descr = vals[3]
    if descr == _SEE_COMMENT:  # the charge is in COMMENT_TEXT: leave this row alone
        return None, vals, cycle_seg, step_seg
    has_descr = bool(descr) and "-" in descr
    if q in ("stray_comma", "quoted_comma"):
        if has_descr and " " in descr.split("-", 1)[1] and nu() < 0.6:
            head, tail = descr.split("-", 1)
            words = tail.split(" ", 1)
            text = f"{head}-{words[0]}, {words[1]}"
            vals[3] = text if q == "stray_comma" else f'"{text}"'
        else:
            text = "FINE $500, RESTN $150"
            vals[15] = text if q == "stray_comma" else f'"{text}"'
    elif q == "lower_case":
        if not has_descr:
            return None, vals, cycle_seg, step_seg
        r = nu()
        if r < 0.4:
            vals[3] = descr.lower()
        elif r < 0.7:  # subsection letters only: 11357(b) HS-...
            head, tail = descr.split("-", 1)
            vals[3] = (
                head.lower().replace(" hs", " HS").replace(" pc", " PC").replace(" vc", " VC").replace(" bp", " BP")
                + "-"
                + tail
            )
        else:
            head, tail = descr.split("-", 1)
            vals[3] = head + "-" + tail.title()
    elif q == "county_case":
        step_vals = list(step_vals)
        step_vals[6] = step_vals[6].title()
        step_seg = _STEP_T % tuple(step_vals) + ","
    elif q == "padded":
        step_vals = list(step_vals)
        step_vals[6] = step_vals[6].ljust(15)
        step_vals[5] = "  x"
        step_vals[7] = "   x"
        step_seg = _STEP_T % tuple(step_vals) + ","
        if vals[6]:
            vals[6] = vals[6].ljust(DISP_WIDTH)
            vals[7] = ""
    elif q == "blank_severity":
        if not vals[4] or not vals[8]:
            return None, vals, cycle_seg, step_seg
        if nu() < 0.5:
            vals[8] = ""
        else:
            vals[4] = ""
    elif q == "ori_glued":
        step_vals = list(step_vals)
        step_vals[4] = step_vals[4].replace(" ", "", 1)
        step_seg = _STEP_T % tuple(step_vals) + ","
    elif q == "cyc_date_placeholder":
        cycle_seg = _CYCLE_T % (ci, "x       ") + ","
    elif q == "dash_spaces":
        if not has_descr:
            return None, vals, cycle_seg, step_seg
        vals[3] = " " + descr.replace("-", " - ", 1)
    elif q == "tab_padding":
        if vals[13] != _NO_SENTENCE:
            return None, vals, cycle_seg, step_seg
        vals[13] = "\t" * 18
    elif q == "no_end_of_rec":
        vals[16] = ""
    return q, vals, cycle_seg, step_seg
