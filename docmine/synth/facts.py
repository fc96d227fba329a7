"""A person's criminal history as data, with exact truth.

* Facts: `make_history(rng)` draws a fictional person (names from `names.py`) and their
  arrest cycles, events and counts, with era-correct charge codes (old HS 115xx marijuana
  sections before the 1972-73 recodification, HS 11357 subsections only from 1976, the
  Prop 64 subsections only from 9 Nov 2016), every disposition kind, sentences, priors
  that matter (super strikes, PC 290 registrable offences) and dated later updates.
  Formats (`rap.py`, `docket.py`) draw these facts; they never parse their own output.

* Drawing lives in `docmine.synth.layout`: a document is built as lines of tokens; `Mark`s wrap the characters of a value
  (`open`/`close` tokens, nestable, allowed to span lines). `paginate` breaks the lines into
  pages (never inside a mark), adds running headers/footers such as `PAGE n OF m`, and
  `assemble` turns each page into its exact text plus the page/offsets of every mark, from
  which entity spans and count provenance are written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Sequence

from docmine.charges import Charge
from docmine.records import DispositionKind, EventType, SentenceTerm, Severity, TermKind, TimeUnit, UpdateKind
from docmine.reference.counties import BY_NAME, County
from docmine.synth.layout import Line, Mark
from docmine.synth import names as N

# --- time ---------------------------------------------------------------------------------

EARLIEST = date(1961, 1, 1)
LATEST = date(2019, 12, 31)
RECODIFIED = date(1973, 1, 1)  # Uniform Controlled Substances Act (1972): HS 11357-11360 replace HS 115xx
MOSCONE = date(1976, 1, 1)  # SB 95: HS 11357(a)-(d), HS 11360(a)/(b)
SB1449 = date(2011, 1, 1)  # HS 11357(b) (28.5 g or less) becomes an infraction
PROP47 = date(2014, 11, 5)  # PC 1170.18 redesignation
PROP64 = date(2016, 11, 9)  # AUMA: new subsections, HS 11361.8
MUNI_MERGED = date(2001, 1, 1)  # municipal courts gone (trial court unification 1998-2001)


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


# --- charges ------------------------------------------------------------------------------

F, M, I = Severity.FELONY, Severity.MISDEMEANOR, Severity.INFRACTION


@dataclass(frozen=True)
class ChargeDef:
    """One charge as the catalogue knows it: canonical charge, descriptions as records
    abbreviate them, possible levels (first is the usual), kind tags and the era it was
    charged in (inclusive)."""

    charge: Charge
    descs: tuple[str, ...]
    levels: tuple[Severity, ...]
    tags: frozenset[str]
    start: date = EARLIEST
    end: date = LATEST

    def in_force(self, when: date) -> bool:
        return self.start <= when <= self.end


def _c(text: str) -> Charge:
    code, rest = text.split(" ", 1)
    section, subs = rest, ()
    if "(" in rest:
        section = rest[: rest.index("(")]
        subs = tuple(s.rstrip(")").lower() for s in rest[rest.index("(") + 1 :].split("("))
    return Charge(code=code, section=section, subsections=subs)


def _d(
    charge: str, descs: Iterable[str], levels: Iterable[Severity], tags: str, start: date = EARLIEST, end: date = LATEST
) -> ChargeDef:
    return ChargeDef(_c(charge), tuple(descs), tuple(levels), frozenset(tags.split()), start, end)


_PRE = RECODIFIED - timedelta(days=1)
_PRE_MOSCONE = MOSCONE - timedelta(days=1)
_PRE64 = PROP64 - timedelta(days=1)

# Marijuana sections before the 1972-73 recodification. The modern section each one became
# is our reading of the old code (possession 11530 -> 11357, possession for sale 11530.5 ->
# 11359, sale/transport 11531 -> 11360, cultivation 11540 -> 11358); the eligibility stage
# verifies this mapping before it clears anything, this table only makes the records.
OLD_MARIJUANA_SECTIONS: dict[str, str] = {
    "HS 11530": "HS 11357",
    "HS 11530.5": "HS 11359",
    "HS 11531": "HS 11360",
    "HS 11540": "HS 11358",
}

MARIJUANA: tuple[ChargeDef, ...] = (
    # 1961-1972: old Health and Safety Code sections.
    _d(
        "HS 11530",
        ["POSSESSION OF MARIJUANA", "POSS MARIJUANA", "POSSESS MARIJUANA"],
        [F, M],
        "mj old possession",
        end=_PRE,
    ),
    _d("HS 11530.5", ["POSSESS MARIJUANA FOR SALE", "POSS MARIJ FOR SALE"], [F], "mj old sale", end=_PRE),
    _d(
        "HS 11531",
        ["SALE/TRANSPORT MARIJUANA", "SELL/FURNISH/ETC MARIJUANA", "TRANSPORT/SELL MARIJUANA"],
        [F],
        "mj old sale",
        end=_PRE,
    ),
    _d("HS 11540", ["CULTIVATE MARIJUANA", "PLANT/CULTIVATE MARIJUANA"], [F], "mj old cultivation", end=_PRE),
    # 1973-1975: new sections, no subsections yet.
    _d(
        "HS 11357",
        ["POSSESS MARIJUANA", "POSSESSION OF MARIJUANA", "POSS MARIJUANA"],
        [F, M],
        "mj possession",
        RECODIFIED,
        _PRE_MOSCONE,
    ),
    _d(
        "HS 11358",
        ["CULTIVATION MARIJUANA", "CULTIVATE MARIJUANA", "PLANT/CULTIVATE/ETC MARIJUANA/HASH"],
        [F],
        "mj cultivation",
        RECODIFIED,
        _PRE64,
    ),
    _d(
        "HS 11359",
        ["POSSESS MARIJUANA FOR SALE", "POSS MARIJ/HASH FOR SALE", "POSSESS MARIJUANA/HASH FOR SALE"],
        [F],
        "mj sale",
        RECODIFIED,
        _PRE64,
    ),
    _d(
        "HS 11360",
        ["SELL/FURNISH/ETC MARIJUANA/HASH", "TRANSPORT/SELL MARIJUANA", "SALE/TRANSPORTATION MARIJUANA"],
        [F],
        "mj sale",
        RECODIFIED,
        _PRE_MOSCONE,
    ),
    # 1976 - 8 Nov 2016 (Moscone Act): 11357(a)-(d), 11360(a)/(b).
    _d("HS 11357", ["POSSESS MARIJUANA", "POSS MARIJUANA"], [M], "mj possession", MOSCONE, _PRE64),
    _d(
        "HS 11357(a)",
        ["POSSESS CONCENTRATED CANNABIS", "POSS CONC CANNABIS", "POSSESS HASHISH"],
        [F, M],
        "mj possession",
        MOSCONE,
        _PRE64,
    ),
    _d(
        "HS 11357(b)",
        [
            "POSSESS MARIJUANA 28.5 GRMS OR LESS",
            "POSS MARIJ 1 OZ OR LESS",
            "POSSESS MARIJUANA",
            "POSSESS UNDER 1 OZ MARIJUANA",
        ],
        [M],
        "mj possession",
        MOSCONE,
        _PRE64,
    ),
    _d(
        "HS 11357(c)",
        ["POSSESS MARIJUANA OVER 28.5 GRMS", "POSS MARIJ OVER 1 OZ", "POSSESS MARIJUANA OVER 1 OZ"],
        [M],
        "mj possession",
        MOSCONE,
        _PRE64,
    ),
    _d(
        "HS 11357(d)",
        ["POSSESS MARIJUANA ON SCHOOL GROUNDS", "POSS MARIJ 1 OZ/LESS:SCHOOL", "POSSESS MARIJ SCHOOL GRNDS"],
        [M],
        "mj possession",
        MOSCONE,
        _PRE64,
    ),
    _d(
        "HS 11360(a)",
        ["SELL/FURNISH/ETC MARIJUANA/HASH", "TRANSPORT/SELL MARIJUANA", "TRANSPORT/ETC MARIJUANA"],
        [F],
        "mj sale",
        MOSCONE,
        _PRE64,
    ),
    _d(
        "HS 11360(b)",
        [
            "GIVE/TRANSPORT/ETC 28.5 GRMS OR LESS MARIJ",
            "TRANSPORT MARIJ 1 OZ OR LESS",
            "GIVE AWAY/TRANSPORT UNDER 1 OZ MARIJUANA",
        ],
        [M],
        "mj sale",
        MOSCONE,
        _PRE64,
    ),
    # From 9 Nov 2016 (Prop 64).
    _d(
        "HS 11357(a)(1)",
        ["POSS MARIJ/CONC CANNABIS UNDER 21", "POSSESS MARIJUANA UNDER 21"],
        [I],
        "mj possession",
        PROP64,
    ),
    _d(
        "HS 11357(a)(2)",
        ["POSS MARIJ 18-21 OVER 28.5 GRMS", "POSSESS MARIJUANA OVER LIMIT 18-21"],
        [I],
        "mj possession",
        PROP64,
    ),
    _d(
        "HS 11357(b)(2)",
        ["POSSESS MARIJUANA OVER 28.5 GRMS", "POSS MARIJ OVER 28.5 GRMS 21+"],
        [M],
        "mj possession",
        PROP64,
    ),
    _d("HS 11357(c)", ["POSSESS MARIJUANA ON SCHOOL GROUNDS", "POSS MARIJ SCHOOL GRNDS"], [M], "mj possession", PROP64),
    _d(
        "HS 11358(c)",
        ["CULTIVATE OVER 6 MARIJUANA PLANTS", "CULTIVATE MARIJUANA OVER 6 PLANTS"],
        [M],
        "mj cultivation",
        PROP64,
    ),
    _d(
        "HS 11358(d)",
        ["CULTIVATE MARIJUANA W/PRIORS", "CULTIVATE MARIJ/ENVIRONMENTAL VIOL"],
        [F],
        "mj cultivation",
        PROP64,
    ),
    _d("HS 11359(b)", ["POSSESS MARIJUANA FOR SALE", "POSS MARIJ FOR SALE 18+"], [M], "mj sale", PROP64),
    _d("HS 11359(c)", ["POSS MARIJ FOR SALE W/PRIOR", "POSSESS MARIJUANA FOR SALE W/PRIORS"], [F], "mj sale", PROP64),
    _d("HS 11360(a)(2)", ["TRANSPORT/SELL MARIJUANA", "SELL/FURNISH/ETC MARIJUANA"], [M], "mj sale", PROP64),
    _d("HS 11360(a)(3)", ["SELL/TRANSPORT MARIJUANA W/PRIOR", "SELL MARIJUANA TO MINOR"], [F], "mj sale", PROP64),
    _d(
        "HS 11360(b)",
        ["GIVE AWAY 28.5 GRMS OR LESS MARIJUANA", "GIVE/TRANSPORT 28.5 GRMS MARIJ"],
        [I],
        "mj sale",
        PROP64,
    ),
)

# Sections that look like marijuana charges (or sit next to them) but are not HS 11357-11360.
LOOKALIKE: tuple[ChargeDef, ...] = (
    _d(
        "HS 11357.5(a)",
        ["SELL/ETC SYNTHETIC CANNABINOID", "SYNTHETIC CANNABINOID COMPOUND"],
        [I, M],
        "lookalike",
        date(2012, 1, 1),
    ),
    _d(
        "HS 11350(a)",
        ["POSSESS NARCOTIC CONTROLLED SUBSTANCE", "POSS NARC CONTROLLED SUBSTANCE", "POSSESS CONTROLLED SUBSTANCE"],
        [F, M],
        "lookalike drug possession",
        RECODIFIED,
    ),
    _d(
        "HS 11351",
        ["POSSESS/PURCHASE FOR SALE NARCOTIC/CNTL SUB", "POSS NARC CNTL SUB FOR SALE"],
        [F],
        "lookalike drug",
        RECODIFIED,
    ),
    _d(
        "HS 11364",
        ["POSSESS CONTROLLED SUBSTANCE PARAPHERNALIA", "POSS UNLAWFUL PARAPHERNALIA", "POSS DRUG PARAPHERNALIA"],
        [M],
        "lookalike drug",
        RECODIFIED,
    ),
    _d(
        "HS 11366",
        ["OPEN/MAINTAIN PLACE:SELL/USE CNTL SUB", "MAINTAIN PLACE FOR CNTL SUB"],
        [F, M],
        "lookalike drug",
        RECODIFIED,
    ),
    _d(
        "HS 11377(a)",
        ["POSSESS CONTROLLED SUBSTANCE", "POSS CNTL SUBSTANCE"],
        [F, M],
        "lookalike drug possession",
        RECODIFIED,
    ),
    _d(
        "HS 11361(a)",
        ["EMPLOY MINOR TO SELL/ETC MARIJUANA", "USE MINOR TO SELL MARIJUANA"],
        [F],
        "lookalike",
        RECODIFIED,
    ),
    _d(
        "HS 11362.3(a)(1)",
        ["SMOKE/INGEST MARIJUANA IN PUBLIC", "SMOKE MARIJUANA IN PUBLIC PLACE"],
        [I],
        "lookalike",
        date(2017, 1, 1),
    ),
    _d(
        "HS 11550(a)",
        ["UNDER INFLUENCE OF CONTROLLED SUBSTANCE", "UNDER INFL CNTL SUB", "UNDER INFLUENCE CONTROL SUBSTANCE"],
        [M],
        "lookalike drug",
        RECODIFIED,
    ),
    _d(
        "HS 11379(a)",
        ["TRANSPORT/SELL CONTROLLED SUBSTANCE", "TRANSPORT/ETC CNTL SUB"],
        [F],
        "lookalike drug",
        RECODIFIED,
    ),
    # Pre-1973 drug sections that are not marijuana.
    _d("HS 11500", ["POSSESSION OF NARCOTICS", "POSS NARCOTIC"], [F], "lookalike drug old", end=_PRE),
    _d("HS 11501", ["SALE OF NARCOTICS", "SELL/FURNISH NARCOTIC"], [F], "lookalike drug old", end=_PRE),
    _d(
        "HS 11721",
        ["ADDICT/UNDER INFLUENCE NARCOTIC", "USE/UNDER INFLUENCE NARCOTIC"],
        [M],
        "lookalike drug old",
        end=_PRE,
    ),
    _d(
        "HS 11910",
        ["POSSESS RESTRICTED DANGEROUS DRUG", "POSS DANGEROUS DRUGS"],
        [F, M],
        "lookalike drug old",
        end=_PRE,
    ),
    _d("HS 11555", ["POSSESS NARCOTIC PARAPHERNALIA", "POSS NARC PARAPHERNALIA"], [M], "lookalike drug old", end=_PRE),
)

UNRELATED: tuple[ChargeDef, ...] = (
    _d("PC 459", ["BURGLARY"], [F], "property"),
    _d("PC 460(b)", ["BURGLARY:SECOND DEGREE", "BURGLARY 2ND DEGREE"], [F, M], "property", date(1983, 1, 1)),
    _d("PC 484(a)", ["THEFT OF PERSONAL PROPERTY", "PETTY THEFT"], [M], "property"),
    _d("PC 488", ["PETTY THEFT"], [M], "property"),
    _d("PC 487(a)", ["GRAND THEFT:MONEY/LABOR/PROPERTY", "GRAND THEFT"], [F, M], "property", date(1982, 1, 1)),
    _d(
        "PC 496",
        ["RECEIVE/ETC KNOWN STOLEN PROPERTY", "RECEIVE KNOWN STOLEN PROPERTY"],
        [F, M],
        "property",
        end=date(1982, 12, 31),
    ),
    _d(
        "PC 496(a)",
        ["RECEIVE/ETC KNOWN STOLEN PROPERTY", "RECEIVE/CONCEAL STOLEN PROPERTY"],
        [F, M],
        "property",
        date(1983, 1, 1),
    ),
    _d("PC 666", ["PETTY THEFT W/PRIOR JAIL:SPECIFIED OFFENSES", "PETTY THEFT W/PRIOR"], [F, M], "property"),
    _d("PC 211", ["ROBBERY"], [F], "violent serious"),
    _d("PC 242", ["BATTERY"], [M], "violent"),
    _d(
        "PC 243(e)(1)",
        ["BATTERY ON SPOUSE/EX SPOUSE/DATE/ETC", "BATTERY:SPOUSE/COHABITANT"],
        [M],
        "violent",
        date(1986, 1, 1),
    ),
    _d("PC 245(a)(1)", ["FORCE/ADW NOT FIREARM:GBI LIKELY", "ASSAULT W/DEADLY WEAPON"], [F, M], "violent serious"),
    _d(
        "PC 273.5(a)",
        ["INFLICT CORPORAL INJ SPOUSE/COHAB", "CORPORAL INJURY ON SPOUSE/COHABITANT"],
        [F, M],
        "violent",
        date(1977, 1, 1),
    ),
    _d(
        "PC 148(a)(1)",
        ["OBSTRUCT/RESIST PUBLIC OFFICER/ETC", "RESIST/DELAY/OBSTRUCT OFFICER"],
        [M],
        "public",
        date(1990, 1, 1),
    ),
    _d("PC 148", ["RESIST/OBSTRUCT/DELAY PEACE OFFICER"], [M], "public", end=date(1989, 12, 31)),
    _d("PC 647(f)", ["DISORDERLY CONDUCT:INTOX DRUG/ALCOHOL", "DRUNK IN PUBLIC"], [M], "public"),
    _d("PC 594(a)", ["VANDALISM", "VANDALISM:DEFACE PROPERTY"], [M, F], "property", date(1977, 1, 1)),
    _d(
        "PC 12020(a)",
        ["POSSESS/MANUFACTURE/SELL DANGEROUS WEAPON", "POSS DEADLY WEAPON"],
        [F, M],
        "weapon",
        end=date(2011, 12, 31),
    ),
    _d(
        "PC 12025(a)(1)",
        ["CARRY CONCEALED WEAPON IN VEHICLE", "CARRY CONCEALED FIREARM"],
        [M, F],
        "weapon",
        date(1986, 1, 1),
        date(2011, 12, 31),
    ),
    _d(
        "PC 29800(a)(1)",
        ["FELON/ADDICT/ETC POSSESS/ETC FIREARM", "FELON IN POSSESSION OF FIREARM"],
        [F],
        "weapon",
        date(2012, 1, 1),
    ),
    _d("PC 166(a)(4)", ["CONTEMPT OF COURT:DISOBEY COURT ORDER", "CONTEMPT:DISOBEY COURT ORDER"], [M], "public"),
    _d("PC 415(1)", ["FIGHT/CHALLENGE FIGHT PUBLIC PLACE", "DISTURBING THE PEACE"], [M, I], "public"),
    _d("PC 470(a)", ["FORGERY:SIGN OTHERS NAME", "FORGERY"], [F, M], "property", date(1990, 1, 1)),
    _d("PC 530.5(a)", ["GET CREDIT/ETC OTHERS ID", "IDENTITY THEFT"], [F, M], "property", date(1998, 1, 1)),
    _d(
        "PC 422",
        ["THREATEN CRIME W/INTENT TO TERRORIZE", "CRIMINAL THREATS"],
        [F, M],
        "violent serious",
        date(1988, 1, 1),
    ),
    _d("PC 853.7", ["FAIL TO APPEAR AFTER WRITTEN PROMISE", "FAILURE TO APPEAR"], [M], "public"),
    _d("PC 1320(b)", ["FAIL TO APPEAR WHILE ON BAIL:FELONY", "FTA ON FELONY O/R"], [F], "public"),
    _d("PC 4573", ["BRING CNTL SUB/ETC INTO PRISON/JAIL", "BRING DRUGS INTO JAIL"], [F], "public"),
    _d("VC 10851(a)", ["TAKE VEH W/O OWNER CONSENT/VEH THEFT", "TAKE VEHICLE W/O CONSENT"], [F, M], "vehicle"),
    _d("VC 23152(a)", ["DUI ALCOHOL/DRUGS", "DRIVING UNDER INFLUENCE"], [M], "vehicle", date(1982, 1, 1)),
    _d("VC 23152(b)", ["DUI ALCOHOL/0.08 PERCENT", "DUI .08 BAC"], [M], "vehicle", date(1990, 1, 1)),
    _d("VC 23102(a)", ["DRUNK DRIVING", "DRIVE UNDER INFLUENCE ALCOHOL"], [M], "vehicle", end=date(1981, 12, 31)),
    _d("VC 14601.1(a)", ["DRIVE WHILE LIC SUSPENDED/ETC", "DRIVE W/LIC SUSP"], [M], "vehicle"),
    _d("VC 12500(a)", ["DRIVE W/O LICENSE", "UNLICENSED DRIVER"], [M, I], "vehicle"),
    _d(
        "VC 2800.2(a)",
        ["EVADE PEACE OFFICER:RECKLESS DRIVING", "EVADING PEACE OFFICER"],
        [F, M],
        "vehicle",
        date(1989, 1, 1),
    ),
    _d("BP 25662(a)", ["MINOR POSSESS ALCOHOL", "MINOR IN POSSESSION ALCOHOL"], [M], "public", date(1968, 1, 1)),
    _d(
        "BP 4060",
        ["POSSESS CONTROLLED SUBSTANCE W/O PRESCRIPTION", "POSS CNTL SUB W/O RX"],
        [M],
        "lookalike drug",
        date(1997, 1, 1),
    ),
)

# Priors that matter for HS 11361.8: "super strikes" (PC 667(e)(2)(C)(iv)) and offences
# that require PC 290 registration.
SUPER_STRIKE: tuple[ChargeDef, ...] = (
    _d("PC 187(a)", ["MURDER"], [F], "super_strike violent serious"),
    _d("PC 187(a)", ["ATTEMPTED MURDER", "ATTEMPT MURDER"], [F], "super_strike violent serious attempt"),
    _d("PC 207(a)", ["KIDNAPPING"], [F], "super_strike violent serious"),
    _d(
        "PC 288(a)",
        ["LEWD/LASCIV ACT W/CHILD UNDER 14", "LEWD OR LASCIVIOUS ACTS W/CHILD UNDER 14"],
        [F],
        "super_strike registrable",
    ),
    _d(
        "PC 261(a)(2)",
        ["RAPE BY FORCE/FEAR/ETC", "RAPE BY FORCE"],
        [F],
        "super_strike registrable violent",
        date(1980, 1, 1),
    ),
    _d("PC 269(a)", ["AGGRAVATED SEX ASSAULT OF CHILD"], [F], "super_strike registrable", date(1994, 1, 1)),
)

REGISTRABLE: tuple[ChargeDef, ...] = (
    _d("PC 314.1", ["INDECENT EXPOSURE"], [M], "registrable"),
    _d("PC 647.6(a)", ["ANNOY/MOLEST CHILDREN", "ANNOY/MOLEST CHILD UNDER 18"], [M], "registrable", date(1988, 1, 1)),
    _d("PC 243.4(a)", ["SEXUAL BATTERY", "SEXUAL BATTERY:RESTRAINED PERSON"], [F, M], "registrable", date(1983, 1, 1)),
    _d(
        "PC 311.11(a)",
        ["POSSESS/ETC MATTER DEPICTING MINOR:SEX ACT", "POSS CHILD PORNOGRAPHY"],
        [F, M],
        "registrable",
        date(1990, 1, 1),
    ),
)

REGISTRATION_290 = _d("PC 290", ["REGISTRATION OF SEX OFFENDER", "SEX OFFENDER REGISTRATION"], [M], "registration")
REGISTRATION_11590 = _d(
    "HS 11590",
    ["REGISTRATION OF NARCOTIC OFFENDER", "CNTL SUB OFFENDER REGISTRATION"],
    [M],
    "registration",
    end=date(2011, 12, 31),
)

CATALOGUE: tuple[ChargeDef, ...] = MARIJUANA + LOOKALIKE + UNRELATED + SUPER_STRIKE + REGISTRABLE


def charges_in_force(pool: Sequence[ChargeDef], when: date) -> list[ChargeDef]:
    return [d for d in pool if d.in_force(when)]


def is_marijuana(cdef: ChargeDef) -> bool:
    return "mj" in cdef.tags


def level_for(cdef: ChargeDef, when: date, rng: random.Random) -> Severity:
    """Era-correct level: HS 11357(b) and 11360(b) became infractions in 2011."""
    if cdef.charge.section in ("11357", "11360") and cdef.charge.subsections == ("b",) and when >= SB1449:
        return I
    if len(cdef.levels) > 1 and rng.random() < 0.3:
        return cdef.levels[1]
    return cdef.levels[0]


# --- places -------------------------------------------------------------------------------


# The counties the RAP-sheet and docket generators draw: each with its weight, the style its
# courts number felony and misdemeanour cases in (see `case_number`), and how many of its
# cities (the reference's first, `drawn_cities`) the generator prints. Cities and court
# districts are reference data (`docmine.reference.counties`).
_DRAWN: tuple[tuple[str, float, str, str, int], ...] = (
    ("LOS ANGELES", 30, "LA6", "LAM", 9),
    ("SAN FRANCISCO", 6, "D7", "D7", 1),
    ("ALAMEDA", 7, "AL", "AL", 5),
    ("SACRAMENTO", 7, "YYF5", "YYM5", 3),
    ("SAN DIEGO", 9, "SD", "SDM", 5),
    ("ORANGE", 8, "ORF", "ORM", 5),
    ("RIVERSIDE", 5, "RIF", "RIM", 4),
    ("SAN BERNARDINO", 6, "SBF", "SBM", 4),
    ("SANTA CLARA", 6, "SCC", "SCB", 4),
    ("FRESNO", 4, "F8", "M8", 3),
    ("KERN", 3, "BF", "BM", 3),
    ("HUMBOLDT", 2, "CR", "CR", 3),
    ("MENDOCINO", 2, "MEN", "MEN", 3),
    ("CONTRA COSTA", 3, "CC", "CC", 4),
    ("SAN JOAQUIN", 2, "SJF", "SJM", 3),
    ("SONOMA", 2, "SCR", "SCR", 3),
    ("TULARE", 2, "VCF", "VCM", 3),
    ("SANTA CRUZ", 2, "YYF5", "YYM5", 2),
)
COUNTIES: tuple[County, ...] = tuple(BY_NAME[name] for name, *_ in _DRAWN)
COUNTY_WEIGHTS: tuple[float, ...] = tuple(weight for _, weight, *_ in _DRAWN)
_CASE_STYLE: dict[str, tuple[str, str]] = {name: (felony, misd) for name, _, felony, misd, _ in _DRAWN}
_CITIES_DRAWN: dict[str, int] = {name: n for name, *_, n in _DRAWN}


def drawn_cities(county: County) -> tuple[str, ...]:
    """The cities of `county` whose police the generator prints."""
    return county.cities[: _CITIES_DRAWN[county.name]]


_LA_FELONY_PREFIX = ("BA", "KA", "LA", "VA", "GA", "SA", "TA", "NA", "PA", "YA", "MA")


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def case_number(rng: random.Random, county: County, when: date, felony: bool) -> str:
    """A case number in the county's style for that era (fictional digits)."""
    yy = f"{when.year % 100:02d}"
    pattern = _CASE_STYLE[county.name][0 if felony else 1]
    if when.year < 1980 and rng.random() < 0.6:
        return rng.choice(("A", "C", "")) + _digits(rng, 6)
    if pattern == "LA6":
        return rng.choice(_LA_FELONY_PREFIX) + _digits(rng, 6)
    if pattern == "LAM":
        return f"{when.year % 10}{rng.choice(('CA', 'MP', 'LB', 'PS', 'CP'))}{_digits(rng, 5)}"
    if pattern == "D7":
        return _digits(rng, 7) if rng.random() < 0.6 else "SCN" + _digits(rng, 6)
    if pattern == "AL":
        return rng.choice("HCNW") + _digits(rng, 6)
    if pattern == "YYF5":
        return f"{yy}F{_digits(rng, 5)}"
    if pattern == "YYM5":
        return f"{yy}M{_digits(rng, 5)}"
    if pattern == "SD":
        return rng.choice(("SCD", "SCN", "SCS", "SCE")) + _digits(rng, 6)
    if pattern == "SDM":
        return rng.choice(("M", "CN", "CS")) + _digits(rng, 6)
    if pattern == "ORF":
        return f"{yy}{rng.choice(('NF', 'HF', 'WF', 'CF'))}{_digits(rng, 4)}"
    if pattern == "ORM":
        return f"{yy}{rng.choice(('NM', 'HM', 'WM', 'CM'))}{_digits(rng, 5)}"
    if pattern in ("RIF", "RIM"):
        return rng.choice(("RI", "IN", "SW")) + pattern[-1] + _digits(rng, 6)
    if pattern in ("SBF", "SBM"):
        return pattern[-1] + rng.choice(("SB", "VA", "WV", "VI")) + _digits(rng, 6)
    if pattern == "SCC":
        return f"C{yy}{_digits(rng, 5)}"
    if pattern == "SCB":
        return "B" + _digits(rng, 7)
    if pattern in ("F8", "M8"):
        return pattern[0] + _digits(rng, 8)
    if pattern in ("BF", "BM"):
        return pattern + _digits(rng, 6) + "A"
    if pattern == "CR":
        return f"CR{yy}{_digits(rng, 4)}"
    if pattern == "MEN":
        return f"SCUK-CRCR-{yy}-{_digits(rng, 5)}"
    if pattern == "CC":
        return f"{_digits(rng, 6)}-{_digits(rng, 1)}"
    if pattern in ("SJF", "SJM"):
        return ("SF" if felony else "SM") + _digits(rng, 6) + "A"
    if pattern == "SCR":
        return "SCR" + _digits(rng, 6)
    if pattern in ("VCF", "VCM"):
        return pattern + _digits(rng, 6)
    return _digits(rng, 7)


def booking_number(rng: random.Random, when: date) -> str:
    kind = rng.random()
    if kind < 0.45:
        return _digits(rng, rng.choice((6, 7, 8)))
    if kind < 0.6:
        return _digits(rng, 6) + rng.choice("TABX")
    if kind < 0.75:
        return f"{when.year % 100:02d}-{_digits(rng, 5)}"
    if kind < 0.88:
        return _digits(rng, 7) + "," + _digits(rng, 8)
    return rng.choice("SCXT") + _digits(rng, 6)


# --- sentences and updates ----------------------------------------------------------------


@dataclass
class SentenceFacts:
    """A sentence as pronounced: its terms (lengths in the unit the court used)."""

    terms: list[SentenceTerm]
    date: date


@dataclass
class UpdateFacts:
    date: date
    kind: UpdateKind
    basis: str = ""  # the law it rests on: "1203.4 PC", "17(B) PC", "11361.8 HS", "1170.18 PC", ...
    new_sentence: SentenceFacts | None = None  # for revocations, modifications, resentencing


def make_sentence(rng: random.Random, severity: Severity, cdef: ChargeDef, when: date) -> SentenceFacts:
    terms: list[SentenceTerm] = []
    T = SentenceTerm
    if "super_strike" in cdef.tags and rng.random() < 0.7:
        if cdef.charge.section == "187" and "attempt" not in cdef.tags:
            terms.append(
                T(TermKind.PRISON, 25.0, TimeUnit.YEARS, None, "to life")
                if rng.random() < 0.6
                else T(TermKind.PRISON, 15.0, TimeUnit.YEARS, None, "to life")
            )
        else:
            terms.append(T(TermKind.PRISON, float(rng.choice((6, 8, 9, 12, 15))), TimeUnit.YEARS))
        return SentenceFacts(terms, when)
    if severity == Severity.INFRACTION:
        terms.append(
            T(TermKind.FINE, None, None, float(rng.choice((100, 100, 150, 250))) if rng.random() < 0.6 else None)
        )
        return SentenceFacts(terms, when)
    if severity == Severity.FELONY and rng.random() < 0.4:
        unit = rng.choice((TimeUnit.MONTHS, TimeUnit.YEARS, TimeUnit.YEARS))
        length = float(16 if unit == TimeUnit.MONTHS else rng.choice((2, 3, 4, 5)))
        terms.append(T(TermKind.PRISON, length, unit))
        if rng.random() < 0.2:
            terms.append(T(TermKind.FINE))
        return SentenceFacts(terms, when)
    # probation (formal for felonies, summary/court for misdemeanours) with jail and money
    if rng.random() < 0.85:
        if rng.random() < 0.5:
            terms.append(
                T(
                    TermKind.PROBATION,
                    float(rng.choice((12, 18, 24, 36, 36, 60))),
                    TimeUnit.MONTHS,
                    None,
                    "formal" if severity == Severity.FELONY else "summary",
                )
            )
        else:
            terms.append(
                T(
                    TermKind.PROBATION,
                    float(rng.choice((1, 2, 3, 3, 5))),
                    TimeUnit.YEARS,
                    None,
                    "formal" if severity == Severity.FELONY else "summary",
                )
            )
    if rng.random() < 0.75:
        days = rng.choice((1, 2, 5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 365))
        suspended = rng.random() < 0.12
        terms.append(T(TermKind.JAIL, float(days), TimeUnit.DAYS, None, "suspended" if suspended else ""))
        if not suspended and rng.random() < 0.15:
            terms.append(T(TermKind.CREDIT, float(rng.randint(1, min(days, 30))), TimeUnit.DAYS))
    if rng.random() < 0.55:
        amount = float(rng.choice((100, 150, 200, 250, 300, 500, 750, 1000, 1200))) if rng.random() < 0.5 else None
        terms.append(T(TermKind.FINE, None, None, amount, "suspended" if rng.random() < 0.1 else ""))
    if rng.random() < 0.25:
        amount = float(rng.choice((50, 100, 200, 350, 600, 1500))) if rng.random() < 0.4 else None
        terms.append(T(TermKind.RESTITUTION, None, None, amount))
    if rng.random() < 0.08:
        terms.append(T(TermKind.COMMUNITY_SERVICE, None, None, None, f"{rng.choice((40, 80, 100, 200))} hours"))
    if rng.random() < 0.1:
        terms.append(T(TermKind.SUSPENDED, None, None, None, "imposition"))
    if not terms:
        terms.append(T(TermKind.JAIL, float(rng.choice((10, 30, 90))), TimeUnit.DAYS))
    return SentenceFacts(terms, when)


def make_updates(rng: random.Random, count: "CountFacts", dob: date) -> list[UpdateFacts]:
    """Dated later entries on a convicted count, in date order, all before LATEST."""
    if not count.disposition.is_conviction or count.dispo_date is None:
        return []
    out: list[UpdateFacts] = []
    when = count.dispo_date
    s = count.sentence
    on_probation = s is not None and any(t.kind == TermKind.PROBATION for t in s.terms)
    mj = is_marijuana(count.cdef)

    def later(lo_days: int, hi_days: int) -> date | None:
        d = when + timedelta(days=rng.randint(lo_days, hi_days))
        return d if d <= LATEST else None

    if count.disposition == DispositionKind.SUSTAINED:
        d = later(365, 365 * 12)
        if d and rng.random() < 0.35:
            out.append(UpdateFacts(d, UpdateKind.SEALED, rng.choice(("781 WI", "1203.45 PC"))))
        return out
    if on_probation and rng.random() < 0.18:
        d = later(60, 700)
        if d:
            new = SentenceFacts(
                [SentenceTerm(TermKind.PRISON, float(rng.choice((16, 24, 32))), TimeUnit.MONTHS)]
                if count.severity == Severity.FELONY
                else [SentenceTerm(TermKind.JAIL, float(rng.choice((30, 60, 90, 180))), TimeUnit.DAYS)],
                d,
            )
            out.append(UpdateFacts(d, UpdateKind.PROBATION_REVOKED, "", new if rng.random() < 0.7 else None))
            when = d
            on_probation = False
    if on_probation and rng.random() < 0.1:
        d = later(30, 500)
        if d:
            new = SentenceFacts(
                [
                    SentenceTerm(TermKind.PROBATION, float(rng.choice((24, 36, 60))), TimeUnit.MONTHS),
                    SentenceTerm(TermKind.JAIL, float(rng.choice((30, 60, 90))), TimeUnit.DAYS),
                ],
                d,
            )
            out.append(UpdateFacts(d, UpdateKind.SENTENCE_MODIFIED, "", new if rng.random() < 0.7 else None))
            when = d
    if on_probation and rng.random() < 0.08:
        d = later(200, 900)
        if d:
            out.append(UpdateFacts(d, UpdateKind.PROBATION_TERMINATED, ""))
            when = d
    if count.severity == Severity.FELONY and on_probation and rng.random() < 0.15:
        d = later(300, 3000)
        if d:
            out.append(UpdateFacts(d, UpdateKind.REDUCED_17B, "17(B) PC"))
            when = d
    if on_probation and rng.random() < 0.22:
        d = later(400, 365 * 15)
        if d:
            out.append(UpdateFacts(d, UpdateKind.SET_ASIDE_1203_4, "1203.4 PC"))
            when = d
    if rng.random() < 0.04:
        d = later(100, 2000)
        if d:
            new = SentenceFacts([SentenceTerm(TermKind.PRISON, float(rng.choice((2, 3))), TimeUnit.YEARS)], d)
            out.append(UpdateFacts(d, UpdateKind.RESENTENCED, "", new))
            when = d
    prop47 = {"11350", "11377", "496", "484", "488", "459", "460", "666", "470", "530.5"}
    if (
        count.cdef.charge.section in prop47
        and count.severity == Severity.FELONY
        and when < PROP47
        and rng.random() < 0.4
    ):
        d = rand_date(rng, max(PROP47, when + timedelta(days=1)), LATEST)
        out.append(UpdateFacts(d, UpdateKind.REDESIGNATED, "1170.18 PC"))
        when = d
    if mj and rng.random() < 0.25:
        d = rand_date(rng, max(PROP64, when + timedelta(days=1)), LATEST)
        kind = rng.choice((UpdateKind.REDESIGNATED, UpdateKind.DISMISSED, UpdateKind.DISMISSED))
        out.append(UpdateFacts(d, kind, "11361.8 HS"))
        when = d
        if kind == UpdateKind.DISMISSED and rng.random() < 0.3:
            d2 = min(LATEST, d + timedelta(days=rng.randint(0, 60)))
            out.append(UpdateFacts(d2, UpdateKind.SEALED, "11361.8 HS"))
    return out


# --- people and histories ----------------------------------------------------------------


@dataclass
class PersonFacts:
    pool: str
    sex: str
    race: str
    last: str
    first: str
    middle: str
    aliases: list[tuple[str, str, str]]
    dobs: list[date]  # primary first
    cii: str
    hgt: str
    wgt: str
    eye: str
    hair: str
    pob: str
    fbi: str
    cdl: str

    @property
    def name(self) -> str:
        return N.format_name(self.last, self.first, self.middle)

    @property
    def dob(self) -> date:
        return self.dobs[0]


@dataclass
class CountFacts:
    cdef: ChargeDef
    severity: Severity
    disposition: DispositionKind
    dispo_date: date | None
    attempted: bool = False
    sentence: SentenceFacts | None = None
    updates: list[UpdateFacts] = field(default_factory=list)
    offense_date: date | None = None
    multiplicity: int = 1  # several identical counts (drawn as a range or one by one)

    @property
    def charge(self) -> Charge:
        c = self.cdef.charge
        return Charge(c.code, c.section, c.subsections, self.attempted)


@dataclass
class EventFacts:
    kind: EventType
    date: date
    agency: str  # as RAP sheets print it: CAPD SAN JOSE, CASC LOS ANGELES, CASD CORRECTIONS
    county: County
    counts: list[CountFacts]
    case_number: str | None = None
    court: bool = False  # the agency is a court
    juvenile: bool = False
    custody_type: str = ""  # CDC, CYA, JAIL
    sen_from: str = ""  # custody: where the sentence came from
    name_index: int = 1  # NAM:nn used on the event
    dob_index: int | None = None  # DOB:... shown on the event (index into person.dobs)
    comment: str = ""


@dataclass
class CycleFacts:
    events: list[EventFacts]
    felony_strike: bool = False  # a felony conviction: RAP sheets flag POTENTIAL FELONY STRIKE ENTRY

    @property
    def arrest_date(self) -> date | None:
        for e in self.events:
            if e.kind == EventType.ARREST:
                return e.date
        return None


@dataclass
class History:
    person: PersonFacts
    cycles: list[CycleFacts]


def _alt_dob(rng: random.Random, dob: date) -> date:
    kind = rng.random()
    try:
        if kind < 0.35 and dob.day <= 12 and dob.day != dob.month:
            return dob.replace(month=dob.day, day=dob.month)
        if kind < 0.6:
            return dob.replace(year=dob.year + rng.choice((-1, 1, -2)))
        if kind < 0.8:
            return dob.replace(day=rng.randint(1, 28))
        return dob.replace(month=rng.randint(1, 12), day=min(dob.day, 28))
    except ValueError:
        return dob + timedelta(days=rng.randint(1, 400))


def make_person(rng: random.Random) -> PersonFacts:
    sex = "M" if rng.random() < 0.82 else "F"
    pool = N.pick_pool(rng)
    last, first, middle = N.draw_name(rng, pool, sex)
    # Born so that there is time to have a record between 1961 and 2019.
    year = int(rng.triangular(1928, 1999, 1962))
    dob = date(year, rng.randint(1, 12), rng.randint(1, 28))
    n_dobs = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    dobs = [dob]
    while len(dobs) < n_dobs:
        alt = _alt_dob(rng, dob)
        if alt not in dobs:
            dobs.append(alt)
    n_alias = rng.choices((0, 1, 2, 3, 4, 6), weights=(30, 30, 20, 10, 6, 4))[0]
    aliases = N.alias_names(rng, pool, sex, last, first, middle, n_alias)
    hgt = (
        f"{rng.randint(5, 6)}{rng.randint(0, 11):02d}"
        if sex == "M"
        else f"{rng.choice((4, 5, 5, 5))}{rng.randint(0, 11):02d}"
    )
    return PersonFacts(
        pool=pool, sex=sex, race=N.race_for(pool, rng), last=last, first=first, middle=middle, aliases=aliases,
        dobs=dobs, cii="A" + _digits(rng, 8), hgt=hgt, wgt=str(rng.randint(105, 290)),
        eye=rng.choice(("BRO", "BRO", "BLK", "BLU", "GRN", "HAZ")),
        hair=rng.choice(("BLK", "BLK", "BRO", "BRO", "BLN", "RED", "GRY", "BAL")),
        pob=rng.choice(("CA", "CA", "CA", "CA", "MX", "TX", "AZ", "NY", "IL", "VN", "PH", "LA")),
        fbi=_digits(rng, 6) + rng.choice(("AA", "AB", "HA", "KB", "JC")) + _digits(rng, 1),
        cdl=rng.choice("ABCDNPY") + _digits(rng, 7),
    )  # fmt: skip


def _agency_arrest(rng: random.Random, county: County) -> str:
    r = rng.random()
    if r < 0.55:
        return f"CAPD {rng.choice(drawn_cities(county))}"
    if r < 0.88:
        return f"CASO {county.name}"
    return f"CAHP {rng.choice(drawn_cities(county))}"


def _court_agency(rng: random.Random, county: County, when: date, felony: bool, juvenile: bool) -> str:
    if juvenile:
        return f"CASC {county.name} JUV" if rng.random() < 0.7 else f"CASC {county.name}"
    if not felony and when < MUNI_MERGED and rng.random() < 0.75:
        return f"CAMC {rng.choice(county.courts)}"
    return f"CASC {county.name}" + (" CO" if rng.random() < 0.12 else "")


def _pick_charge(rng: random.Random, when: date, kind: str) -> tuple[ChargeDef, bool]:
    """A charge of a kind in force on `when`; returns (def, attempted)."""
    pools = {
        "mj": MARIJUANA,
        "lookalike": LOOKALIKE,
        "unrelated": UNRELATED,
        "super": SUPER_STRIKE,
        "registrable": REGISTRABLE,
    }
    options = charges_in_force(pools[kind], when)
    if not options:
        options = charges_in_force(UNRELATED, when)
    cdef = rng.choice(options)
    attempted = "attempt" in cdef.tags or (kind == "mj" and rng.random() < 0.07)
    return cdef, attempted


def _court_disposition(rng: random.Random, juvenile: bool, cdef: ChargeDef, when: date) -> DispositionKind:
    if juvenile:
        return rng.choices(
            (DispositionKind.SUSTAINED, DispositionKind.DISMISSED, DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
            weights=(70, 18, 12),
        )[0]
    diversion_ok = "possession" in cdef.tags and when >= RECODIFIED
    return rng.choices(
        (
            DispositionKind.CONVICTED,
            DispositionKind.DISMISSED,
            DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
            DispositionKind.ACQUITTED,
            DispositionKind.DIVERSION,
        ),
        weights=(64, 12, 14, 3, 7 if diversion_ok else 0),
    )[0]


def make_history(rng: random.Random, *, marijuana_bias: float | None = None) -> History:
    """A person and 1-9 arrest cycles, 1961-2019, every date in range and in order."""
    person = make_person(rng)
    dob = person.dob
    p_mj = marijuana_bias if marijuana_bias is not None else rng.uniform(0.35, 0.85)
    home = rng.choices(COUNTIES, weights=COUNTY_WEIGHTS)[0]
    start_age = rng.choices((14, 16, 18, 19, 21, 24, 28, 35), weights=(8, 10, 18, 16, 16, 12, 10, 10))[0]
    first = max(EARLIEST, add_years(dob, start_age) + timedelta(days=rng.randint(0, 700)))
    if first > date(2019, 6, 1):
        first = rand_date(rng, max(EARLIEST, add_years(dob, 14)), date(2019, 6, 1))
    n_cycles = rng.choices(range(1, 10), weights=(14, 18, 18, 14, 11, 9, 7, 5, 4))[0]
    cycles: list[CycleFacts] = []
    when = first
    registered = False  # PC 290
    registered_narc = False  # HS 11590 (repealed 2011)
    for _ in range(n_cycles):
        if when > date(2019, 9, 30):
            break
        county = home if rng.random() < 0.7 else rng.choices(COUNTIES, weights=COUNTY_WEIGHTS)[0]
        age = (when - dob).days / 365.25
        cycle = _make_cycle(rng, person, when, county, juvenile=age < 18, p_mj=p_mj)
        cycles.append(cycle)
        # Priors that matter bring registration (PC 290) entries.
        convicted_reg = any(
            "registrable" in c.cdef.tags and c.disposition.is_conviction
            for e in cycle.events
            for c in e.counts
            if e.court
        )
        last_date = max(e.date for e in cycle.events)
        if convicted_reg and not registered:
            registered = True
            cycles.append(_registration_cycle(rng, last_date, county))
            last_date = max(e.date for e in cycles[-1].events)
        elif (
            not registered_narc
            and any("mj" in c.cdef.tags or "drug" in c.cdef.tags for e in cycle.events for c in e.counts)
            and last_date < date(2011, 1, 1)
            and rng.random() < 0.06
        ):
            registered_narc = True
            cycles.append(_registration_cycle(rng, last_date, county, narcotic=True))
            last_date = max(e.date for e in cycles[-1].events)
        when = last_date + timedelta(days=rng.randint(60, 365 * 6))
    if cycles and rng.random() < 0.03:
        last = max(e.date for c in cycles for e in c.events)
        if last < date(2019, 6, 1):
            d = rand_date(rng, last + timedelta(days=30), LATEST)
            cycles.append(
                CycleFacts(
                    [
                        EventFacts(
                            EventType.DECEASED,
                            d,
                            f"CACO {home.name}",
                            home,
                            [],
                            comment=f"DATE OF DEATH {(d - timedelta(days=rng.randint(1, 9))).strftime('%Y%m%d')}",
                        )
                    ]
                )
            )
    return History(person, cycles)


def _registration_cycle(rng: random.Random, after: date, county: County, narcotic: bool = False) -> CycleFacts:
    d = min(LATEST, after + timedelta(days=rng.randint(5, 400)))
    cdef = REGISTRATION_11590 if narcotic and d <= REGISTRATION_11590.end else REGISTRATION_290
    events = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if d > LATEST:
            break
        agency = f"CASO {county.name}" if rng.random() < 0.5 else f"CAPD {rng.choice(drawn_cities(county))}"
        events.append(
            EventFacts(
                EventType.REGISTRATION,
                d,
                agency,
                county,
                [CountFacts(cdef, Severity.UNKNOWN, DispositionKind.PENDING, None)],
                case_number=_digits(rng, rng.choice((5, 6))),
            )
        )
        d = d + timedelta(days=rng.randint(200, 900))
    return CycleFacts(events)


def _make_cycle(
    rng: random.Random, person: PersonFacts, when: date, county: County, *, juvenile: bool, p_mj: float
) -> CycleFacts:
    n_names = 1 + len(person.aliases)
    name_index = 1 if rng.random() < 0.6 else rng.randint(1, n_names)
    dob_index = rng.randrange(len(person.dobs)) if rng.random() < 0.5 else None
    # what is charged
    r = rng.random()
    kind = "mj" if r < p_mj else ("lookalike" if r < p_mj + 0.18 else "unrelated")
    if not juvenile and rng.random() < 0.05:
        kind = "super"
    elif not juvenile and rng.random() < 0.04:
        kind = "registrable"
    n_counts = rng.choices((1, 2, 3, 4, 5), weights=(40, 30, 16, 9, 5))[0]
    arrest_counts: list[tuple[ChargeDef, bool]] = [_pick_charge(rng, when, kind)]
    for _ in range(n_counts - 1):
        k2 = rng.choices(("mj", "lookalike", "unrelated"), weights=(p_mj, 0.3, 0.5))[0]
        arrest_counts.append(_pick_charge(rng, when, k2))
    # cycles before the recodification stay before it
    hi = _PRE if when <= _PRE else LATEST
    shape = rng.choices(
        ("arr_court", "arr_only", "arr_detention", "arr_rejected", "court_only"), weights=(62, 6, 8, 9, 15)
    )[0]
    if juvenile and shape == "court_only":
        shape = "arr_court"
    events: list[EventFacts] = []
    arrest_agency = _agency_arrest(rng, county)

    def arrest_event(dispo: DispositionKind, dispo_date: date | None) -> EventFacts:
        counts = [CountFacts(cd, Severity.UNKNOWN, dispo, dispo_date, att) for cd, att in arrest_counts]
        return EventFacts(
            EventType.ARREST, when, arrest_agency, county, counts, case_number=booking_number(rng, when),
            juvenile=juvenile, name_index=name_index, dob_index=dob_index,
        )  # fmt: skip

    if shape == "arr_only":
        events.append(arrest_event(DispositionKind.PENDING, None))
        return CycleFacts(events)
    if shape == "arr_detention":
        d = min(hi, when + timedelta(days=rng.choice((0, 1, 1, 2, 3))))
        events.append(arrest_event(DispositionKind.DETENTION_ONLY, d))
        return CycleFacts(events)
    if shape == "arr_rejected":
        d = min(hi, when + timedelta(days=rng.randint(1, 40)))
        events.append(arrest_event(DispositionKind.PROSECUTION_REJECTED, d))
        return CycleFacts(events)
    if shape == "arr_court":
        events.append(arrest_event(DispositionKind.PENDING, None))
    court_date = min(hi, when + timedelta(days=rng.randint(7, 240)))
    # the court's counts: the arrest charges, some reduced (sale -> possession), maybe one added
    court_defs: list[tuple[ChargeDef, bool]] = []
    for cd, att in arrest_counts:
        if rng.random() < 0.12 and len(arrest_counts) > 1:
            continue  # not filed
        if "sale" in cd.tags and rng.random() < 0.3:
            lesser = [d for d in charges_in_force(MARIJUANA, court_date) if "possession" in d.tags]
            if lesser:
                cd, att = rng.choice(lesser), False
        court_defs.append((cd, att))
    if not court_defs:
        court_defs = arrest_counts[:1]
    if rng.random() < 0.1:
        court_defs.append(_pick_charge(rng, court_date, "unrelated"))
    counts: list[CountFacts] = []
    any_conviction = False
    for cd, att in court_defs:
        level = level_for(cd, court_date, rng)
        dispo = _court_disposition(rng, juvenile, cd, court_date)
        dispo_date = court_date if rng.random() < 0.85 else min(hi, court_date + timedelta(days=rng.randint(1, 90)))
        c = CountFacts(cd, level, dispo, dispo_date, att)
        if dispo.is_conviction:
            any_conviction = True
        if rng.random() < 0.07 and dispo in (
            DispositionKind.CONVICTED,
            DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        ):
            c.multiplicity = rng.randint(2, 4)
        counts.append(c)
    # every case with a conviction ends with a sentence on the last convicted count (or each)
    convicted = [c for c in counts if c.disposition == DispositionKind.CONVICTED]
    if convicted:
        each = rng.random() < 0.35
        # the most serious conviction drives a single case sentence
        rank = lambda c: ("super_strike" in c.cdef.tags, c.severity == Severity.FELONY)  # noqa: E731
        driver = max(convicted, key=rank)
        for c in convicted if each else convicted[-1:]:
            basis = c if each else driver
            c.sentence = make_sentence(rng, basis.severity, basis.cdef, c.dispo_date or court_date)
    for c in counts:
        c.updates = make_updates(rng, c, person.dob)
        c.offense_date = when
    felony_conv = any(c.disposition == DispositionKind.CONVICTED and c.severity == Severity.FELONY for c in counts)
    felony_case = any(c.severity == Severity.FELONY for c in counts)
    agency = _court_agency(rng, county, court_date, felony_case, juvenile)
    events.append(
        EventFacts(
            EventType.COURT,
            court_date,
            agency,
            county,
            counts,
            case_number=case_number(rng, county, court_date, felony_case),
            court=True,
            juvenile=juvenile,
            name_index=name_index if rng.random() < 0.7 else 1,
        )
    )
    # prison -> a CDC custody entry; formal probation -> sometimes a probation entry
    sentenced = [c for c in counts if c.sentence]
    prison = [c for c in sentenced if any(t.kind == TermKind.PRISON for t in c.sentence.terms)]
    if prison and rng.random() < 0.6:
        c = prison[-1]
        d = min(hi, court_date + timedelta(days=rng.randint(10, 90)))
        paroled = rng.random() < 0.5
        years = next(t.length or 2 for t in c.sentence.terms if t.kind == TermKind.PRISON)
        out = d + timedelta(days=int(365 * min(years, 12) * rng.uniform(0.4, 0.8)))
        cust = CountFacts(
            c.cdef, Severity.UNKNOWN,
            DispositionKind.UNRECOGNIZED if paroled and out <= min(hi, LATEST) else DispositionKind.PENDING,
            out if paroled and out <= min(hi, LATEST) else None, c.attempted,
            sentence=SentenceFacts(list(c.sentence.terms), d),
        )  # fmt: skip
        events.append(
            EventFacts(
                EventType.CUSTODY,
                d,
                "CASD CORRECTIONS",
                county,
                [cust],
                case_number=rng.choice("CDEFHJKPTV") + _digits(rng, 5),
                custody_type="CDC",
                sen_from=f"{county.name} CO CRT #{events[-1].case_number}",
                name_index=rng.randint(1, n_names),
            )
        )
    elif juvenile and any_conviction and rng.random() < 0.25:
        c = next(c for c in counts if c.disposition.is_conviction)
        d = min(hi, court_date + timedelta(days=rng.randint(10, 60)))
        events.append(
            EventFacts(
                EventType.CUSTODY,
                d,
                rng.choice(("CAYA PRESTON", "CAYA NORTHERN RECEPTION CTR", "CAYA SOUTHERN RECEPTION CTR")),
                county,
                [CountFacts(c.cdef, Severity.UNKNOWN, DispositionKind.PENDING, None, c.attempted)],
                case_number="Y" + _digits(rng, 5),
                custody_type="CYA",
                juvenile=True,
            )
        )
    elif (
        sentenced
        and any(t.kind == TermKind.PROBATION and t.detail == "formal" for c in sentenced for t in c.sentence.terms)
        and rng.random() < 0.35
    ):
        c = sentenced[-1]
        d = min(hi, court_date + timedelta(days=rng.randint(1, 30)))
        events.append(
            EventFacts(
                EventType.PROBATION,
                d,
                f"CAPR {county.name}",
                county,
                [
                    CountFacts(
                        c.cdef,
                        Severity.UNKNOWN,
                        DispositionKind.PENDING,
                        None,
                        c.attempted,
                        sentence=SentenceFacts([t for t in c.sentence.terms], d),
                    )
                ],
                case_number=rng.choice(("X", "P", "")) + _digits(rng, 6),
            )
        )
    return CycleFacts(events, felony_strike=felony_conv)


# --- charge spellings ---------------------------------------------------------------------


def _subs(charge: Charge, rng: random.Random, *, lower: bool, allow_glued: bool, allow_space: bool) -> str:
    if not charge.subsections:
        return ""
    subs = [s.lower() if lower else s.upper() for s in charge.subsections]
    if allow_glued and len(subs) == 1 and subs[0].isalpha() and len(subs[0]) == 1 and rng.random() < 0.3:
        return subs[0]  # 11357B
    text = "".join(f"({s})" for s in subs)
    if allow_space and rng.random() < 0.08:
        text = " " + text  # 11357 (B)
    return text


def spell_charge(charge: Charge, rng: random.Random, style: str = "rap") -> str:
    """The charge as a record would print it; `Charge.parse` of it gives `charge` back.

    style "rap": section first (`11357(B) HS`, `11357B HS`, `664/11359 HS`, `66411357(C) HS`);
    style "docket": code first most of the time (`HS 11357(b)`, `H&S 11359`, `HS11357(b)`).
    """
    code = charge.code
    if style == "rap":
        subs = _subs(charge, rng, lower=False, allow_glued=code == "HS", allow_space=True)
        core = f"{charge.section}{subs}"
        if charge.attempted:
            form = rng.choices(("slash", "dash", "glued", "space"), weights=(55, 20, 15, 10))[0]
            core = {"slash": f"664/{core}", "dash": f"664-{core}", "glued": f"664{core}", "space": f"664 {core}"}[form]
        return f"{core} {code}"
    # docket
    lower = rng.random() < 0.5
    subs = _subs(charge, rng, lower=lower, allow_glued=False, allow_space=False)
    core = f"{charge.section}{subs}"
    if charge.attempted:
        core = rng.choice(("664/", "664-", "664 ")) + core
    names = {
        "HS": ("HS", "HS", "H&S", "H&S", "HSC", "H&S"),
        "PC": ("PC", "PC", "P.C.", "PEN"),
        "VC": ("VC", "VC", "V.C.", "VEH"),
        "BP": ("BP", "B&P"),
        "WI": ("WI", "W&I"),
    }.get(code, (code,))
    name = rng.choice(names)
    r = rng.random()
    if r < 0.12 and code == "HS" and not charge.attempted:
        return f"{name}{core}"  # HS11357(b)
    if r < 0.25:
        return f"{core} {name}"
    return f"{name} {core}"


# --- truth drafts -------------------------------------------------------------------------


@dataclass
class CountDraft:
    """What a drawing stage knows about one count: values, and the marks they came from.

    `corpus` turns drafts into `docmine.records.Count`s once pages are assembled (marks
    placed) and the text-layer PDF exists (its sha256 gives the count ids).
    """

    event_ordinal: int
    count_ordinal: int
    cycle: str
    event_type: EventType
    number: int
    charge: Charge | None
    charge_text: str
    person: "object"  # docmine.records.Person
    first_mark: Mark  # the count starts where this mark is (its page is the count's page)
    event_date: date | None = None
    offense_date: date | None = None
    arrest_date: date | None = None
    court: str | None = None
    county: str | None = None
    case_number: str | None = None
    severity: Severity = Severity.UNKNOWN
    disposition: DispositionKind = DispositionKind.PENDING
    disposition_text: str = ""
    disposition_date: date | None = None
    updates: list = field(default_factory=list)  # docmine.records.Update
    sentence: "object | None" = None  # docmine.records.Sentence
    prov: dict[str, Mark] = field(default_factory=dict)


@dataclass
class Drawn:
    """A drawn document before assembly: paginated lines and the count drafts."""

    pages: list[list[Line]]
    drafts: list[CountDraft]
    doc_type: str  # a docmine.records.DocType value
    layout: str
    allowed_labels: frozenset[str] | None = None  # labels to keep as spans (None: all)
