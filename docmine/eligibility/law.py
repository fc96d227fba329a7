"""The law of Proposition 64 relief as plain functions; each docstring cites what it encodes.

Sources are the addresses in `docmine.eligibility.sources` (named in capitals below). The
order in which these rules are applied is `statute.py`; county policies (`policies/*.toml`)
reuse them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

import regex

from docmine.charges import Charge
from docmine.eligibility.decision import Relief
from docmine.eligibility.eras import Possession
from docmine.records import Severity
from docmine.reference.marijuana import PRE_1973_MARIJUANA, PROP64_SECTIONS, OldSection  # noqa: F401  (law's names)


# Prop 64 passed on 8 November 2016 and took effect the next day; 11361.8 reaches offences
# committed before then ("had that act been in effect at the time of the offense").
PROP64_OPERATIVE = date(2016, 11, 9)

# Division 10 (HS 11000-11651) was repealed and re-enacted by Stats. 1972, ch. 1407
# (sources.RECODIFICATION_1972); no source read gives its operative day, and a sale on 1973-03-08
# was charged under the new HS 11360 (RECODIFICATION_VAN_ALSTYNE). An HS 11357-11360 offence
# before this day may be under the old numbering, where those numbers named other offences.
RECODIFIED = date(1973, 3, 8)


# What marks a charge text as a marijuana count when its charge cannot be read
# (`11357B2 HS` before this reader knew it, `11360(B) SELL/...` with no code, `POSS CONC
# CANNABIS`): one of the four sections digit for digit (not 11357.5), or the substance named.
# An OCR'd section may carry a letter for a digit (`1136O`, `I1357`).
_MARIJUANA_TEXT = regex.compile(
    r"(?<![0-9.])[1Il]{2}3(?:5[789]|6[0O])(?![0-9]|\.[0-9])|MARIJUANA|MARIHUANA|CANNABIS|\bMJ\b", regex.IGNORECASE
)


def looks_like_marijuana(text: str | None) -> bool:
    """Whether an unread charge's text names a Prop 64 section or marijuana (see above)."""
    return bool(text) and _MARIJUANA_TEXT.search(text) is not None


def is_prop64_charge(charge: Charge | None) -> bool:
    """HS 11357, 11358, 11359 or 11360 (attempts included), the sections HS 11361.8(a) and (e)
    name (HS_11361_8, HS_11361_8_E_F). Digit for digit: HS 11357.5 (synthetic cannabinoids),
    HS 11361 or HS 11362.3 are not these sections."""
    return charge is not None and charge.code == "HS" and charge.section in PROP64_SECTIONS


def pre_1973_section(charge: Charge | None) -> OldSection | None:
    """The old HS marijuana section a charge names, if any. HS 11361.8 names only HS
    11357-11360 "as those sections have been amended" (HS_11361_8 (a), (e)); whether it reaches
    their predecessors is for a court, so under `statute` these go to hand review."""
    if charge is None or charge.code != "HS":
        return None
    return PRE_1973_MARIJUANA.get(charge.section)


_PROP64_IN_TEXT = regex.compile(r"(?<!\d)113(?:57|58|59|60)(?![\d.])")


def is_conspiracy_to_prop64(charge: Charge | None, text: str) -> bool:
    """PC 182 (conspiracy) whose written charge names HS 11357-11360 as its object. 11361.8
    speaks of convictions "under Sections 11357, 11358, 11359, and 11360" (HS_11361_8_E_F (e));
    a conspiracy conviction is under PC 182, so a person decides."""
    return (
        charge is not None
        and charge.code == "PC"
        and charge.section == "182"
        and bool(_PROP64_IN_TEXT.search(text or ""))
    )


class Band(str, enum.Enum):
    """Age at the offence, as today's marijuana sections grade it."""

    UNDER_18 = "under 18"
    AGE_18_20 = "18 to 20"
    AGE_21_PLUS = "21 or over"


def age_band(age: int) -> Band:
    """HS 11357(a)(1)-(2), 11358(a)-(b), 11359(a)-(b), 11360(a)(1)-(2) grade by 18 and 21
    (HS_11357_TODAY, HS_11358_TODAY, HS_11359_TODAY, HS_11360_TODAY)."""
    if age < 18:
        return Band.UNDER_18
    if age < 21:
        return Band.AGE_18_20
    return Band.AGE_21_PLUS


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Today(str, enum.Enum):
    """What the same conduct is under the law as Prop 64 left it."""

    LEGAL = "legal"
    INFRACTION = "infraction"
    MISDEMEANOR = "misdemeanor"
    UNCHANGED = "unchanged"  # the same offence and penalty as before: no lesser offence


@dataclass(frozen=True, slots=True)
class TodayReading:
    level: Today
    reasoning: str
    clause: str
    presumed: tuple[str, ...] = ()  # facts taken in the person's favour


def todays_level(section: str, subsections: tuple[str, ...], possession: Possession | None, band: Band) -> TodayReading:
    """What the conduct of an HS 11357-11360 conviction is today, for a person of `band` at the
    offence. Facts the record cannot show (an amount, a number of plants, a sale to a minor)
    are presumed in the person's favour, as HS 11361.8(b) and (f) presume eligibility
    (HS_11361_8, HS_11361_8_E_F)."""
    minor = band is Band.UNDER_18
    young = band is Band.AGE_18_20
    if section == "11357":
        if possession in (Possession.OVER_28_5,):
            if minor:
                return TodayReading(
                    Today.INFRACTION, "more than 28.5 g under 18 is an infraction today", "HS 11357(b)(1)"
                )
            return TodayReading(
                Today.UNCHANGED,
                "more than 28.5 g at 18 or over is still a misdemeanor with the "
                "same penalty (up to 6 months, $500): no lesser offence",
                "HS 11357(b)(2)",
            )
        if possession is Possession.SCHOOL_ADULT:
            return TodayReading(
                Today.UNCHANGED,
                "possession on school grounds at 18 or over is still a misdemeanor: no lesser offence",
                "HS 11357(c)",
            )
        if possession is Possession.SCHOOL_MINOR:
            return TodayReading(
                Today.INFRACTION, "possession on school grounds under 18 is an infraction today", "HS 11357(d)"
            )
        presumed = ()
        what = "28.5 g or less"
        if possession is Possession.CONCENTRATED:
            presumed, what = ("8 g or less of concentrated cannabis",), "8 g or less of concentrated cannabis"
        elif possession in (Possession.ANY_AMOUNT, Possession.UNKNOWN_SUBSECTION, None):
            presumed = ("28.5 g or less",)
        if minor:
            return TodayReading(
                Today.INFRACTION, f"possession of {what} under 18 is an infraction today", "HS 11357(a)(1)", presumed
            )
        if young:
            return TodayReading(
                Today.INFRACTION, f"possession of {what} at 18-20 is an infraction today", "HS 11357(a)(2)", presumed
            )
        return TodayReading(
            Today.LEGAL, f"possession of {what} at 21 or over is lawful today", "HS 11362.1(a)(1)-(2)", presumed
        )
    if section == "11358":
        presumed = ("six living plants or fewer",)
        if minor:
            return TodayReading(
                Today.INFRACTION, "cultivation under 18 is an infraction today", "HS 11358(a)", presumed
            )
        if young:
            return TodayReading(
                Today.INFRACTION,
                "cultivating six plants or fewer at 18-20 is an infraction today",
                "HS 11358(b)",
                presumed,
            )
        return TodayReading(
            Today.LEGAL,
            "cultivating six plants or fewer at 21 or over is lawful today",
            "HS 11362.1(a)(3), 11362.2",
            presumed,
        )
    if section == "11359":
        if minor:
            return TodayReading(
                Today.INFRACTION,
                "possession for sale under 18 is punished as HS 11357(b)(1), an infraction",
                "HS 11359(a)",
            )
        return TodayReading(
            Today.MISDEMEANOR,
            "possession for sale at 18 or over is a misdemeanor today",
            "HS 11359(b)",
            ("no sale to a minor (11359(c)(3)), no minor employed (11359(d))",),
        )
    if section == "11360":
        if subsections[:1] == ("b",):
            if minor or young:
                return TodayReading(
                    Today.INFRACTION,
                    "giving away or transporting 28.5 g or less under 21 is an infraction today",
                    "HS 11360(b)",
                )
            return TodayReading(
                Today.LEGAL,
                "giving away or transporting 28.5 g or less at 21 or over is lawful today",
                "HS 11362.1(a)(1)",
                ("28.5 g or less, given without compensation",),
            )
        if minor:
            return TodayReading(
                Today.INFRACTION,
                "sale or transport under 18 is punished as HS 11357(b)(1), an infraction",
                "HS 11360(a)(1)",
            )
        return TodayReading(
            Today.MISDEMEANOR,
            "sale or transport at 18 or over is a misdemeanor today",
            "HS 11360(a)(2)",
            ("no sale to a minor (11360(a)(3)(C)), no import/export over 28.5 g (11360(a)(3)(D))",),
        )
    raise ValueError(f"not a Prop 64 section: {section}")


def relief_for(level: Today, severity: Severity, serving: bool) -> tuple[Relief, str, str]:
    """Relief for a conviction whose conduct is `level` today (HS_11361_8, HS_11361_8_E_F).

    - serving a sentence: recall or dismissal of sentence, 11361.8(a); the court may refuse for
      an unreasonable risk of danger to public safety, 11361.8(b);
    - no offence today: dismissal and sealing, 11361.8(e)-(f);
    - a lesser offence today: redesignation as a misdemeanor or infraction, 11361.8(e)-(f);
      a conviction already at that level gains nothing;
    - the same offence today: no relief, 11361.8(e) requires no offence or a lesser one.
    Returns (relief, reasoning, clause).
    """
    if level is Today.UNCHANGED:
        return (
            Relief.NOT_ELIGIBLE,
            "the same offence today: 11361.8 relief needs no offence or a lesser one",
            "HS 11361.8(e)",
        )
    if serving:
        return (
            Relief.RECALL_AND_RESENTENCE,
            "a sentence is still being served: petition to recall or dismiss "
            "the sentence; the court may refuse for an unreasonable risk to public safety",
            "HS 11361.8(a)-(b)",
        )
    if level is Today.LEGAL:
        return Relief.DISMISS_AND_SEAL, "no offence today: dismiss and seal", "HS 11361.8(e)-(f)"
    target = Severity.INFRACTION if level is Today.INFRACTION else Severity.MISDEMEANOR
    if severity is Severity.UNKNOWN:
        return (
            Relief.HAND_REVIEW,
            f"the conviction's level (felony, misdemeanor, infraction) is not on the record; "
            f"it decides whether redesignation as {target.value} changes anything",
            "HS 11361.8(e)-(f)",
        )
    rank = {Severity.INFRACTION: 0, Severity.MISDEMEANOR: 1, Severity.FELONY: 2}
    if rank[severity] <= rank[target]:
        return (
            Relief.NOT_ELIGIBLE,
            f"already {severity.value}: redesignation as {target.value} changes nothing",
            "HS 11361.8(e)",
        )
    relief = Relief.REDESIGNATE_INFRACTION if target is Severity.INFRACTION else Relief.REDESIGNATE_MISDEMEANOR
    return relief, f"a lesser offence today: redesignate the {severity.value} as {target.value}", "HS 11361.8(e)-(f)"


# --- priors: PC 667(e)(2)(C)(iv) and PC 290(c) ------------------------------------------------


class Match(str, enum.Enum):
    CERTAIN = "certain"  # the code section alone is the listed offence
    DEPENDS = "depends on facts"  # listed only with facts beyond the code (a victim's age, intent, a life term)


@dataclass(frozen=True, slots=True)
class Listed:
    code: str
    section: str
    subsections: tuple[str, ...]  # a prefix the charge's subsections must start with; () any
    match: Match
    item: str


def _l(spec: str, match: Match, item: str) -> Listed:
    charge = Charge.parse(spec)
    return Listed(charge.code, charge.section, charge.subsections, match, item)


C, D = Match.CERTAIN, Match.DEPENDS

# PC 667(e)(2)(C)(iv), items (I)-(VIII) (PC_667). Sexually violent offences (I) are those of
# WIC 6600(b) committed by force or against a child, (II)-(III) need a child under 14,
# (VIII) any serious or violent felony punishable by life: all depend on facts the code
# section does not carry, so they match as DEPENDS.
SUPER_STRIKES: tuple[Listed, ...] = (
    _l("PC 187", C, "(IV) homicide, 187-191.5, attempts included"),
    _l("PC 188", C, "(IV) homicide, 187-191.5"),
    _l("PC 189", C, "(IV) homicide, 187-191.5"),
    _l("PC 190", C, "(IV) homicide, 187-191.5"),
    _l("PC 191", C, "(IV) homicide, 187-191.5"),
    _l("PC 191.5", C, "(IV) homicide, 187-191.5"),
    _l("PC 653f(b)", C, "(V) solicitation to commit murder"),
    _l("PC 653f", D, "(V) solicitation to commit murder (which subdivision?)"),
    _l("PC 245(d)(3)", C, "(VI) assault with a machine gun on a peace officer or firefighter"),
    _l("PC 11418(a)(1)", C, "(VII) possession of a weapon of mass destruction"),
    _l("PC 261", D, "(I) sexually violent offence (WIC 6600(b))"),
    _l("PC 262", D, "(I) sexually violent offence (WIC 6600(b))"),
    _l("PC 264.1", D, "(I) sexually violent offence (WIC 6600(b))"),
    _l("PC 269", D, "(I) sexually violent offence (WIC 6600(b))"),
    _l("PC 286", D, "(I)-(II) sexually violent offence or sodomy with a child under 14"),
    _l("PC 287", D, "(I)-(II) sexually violent offence or oral copulation with a child under 14"),
    _l("PC 288a", D, "(I)-(II) sexually violent offence or oral copulation with a child under 14"),
    _l("PC 288", D, "(I)-(III) lewd act on a child under 14"),
    _l("PC 288.5", D, "(I) continuous sexual abuse of a child"),
    _l("PC 289", D, "(I)-(II) sexual penetration by force or of a child under 14"),
    _l("PC 207", D, "(I) kidnapping with intent to commit a sexual offence (WIC 6600(b))"),
    _l("PC 209", D, "(I) or (VIII) kidnapping with sexual intent, or punishable by life"),
    _l("PC 220", D, "(I) assault with intent to commit a sexual offence (WIC 6600(b))"),
    _l("PC 136.1", D, "(VIII) punishable by life with a gang enhancement (186.22(b)(4))"),
    _l("PC 186.22(b)(4)", D, "(VIII) gang enhancement carrying a life term"),
    _l("PC 215", D, "(VIII) carjacking punishable by life with a gang enhancement"),
    _l("PC 218", D, "(VIII) train wrecking, punishable by life"),
    _l("PC 12310", D, "(VIII) exploding a destructive device, punishable by life"),
)

# PC 290(c) registrable offences (PC_290_C; human trafficking, PC 236.1(b) and (c), added by
# Prop 35 in 2012: PC_290_C_236_1). Where 290(c) itself adds a condition (intent, force, a
# felony) the entry is DEPENDS.
PC_290_C: tuple[Listed, ...] = tuple(
    _l(spec, m, "PC 290(c)")
    for spec, m in (
        ("PC 187", D),
        ("PC 207", D),
        ("PC 209", D),
        ("PC 220", D),
        ("PC 236.1(b)", C),
        ("PC 236.1(c)", C),
        ("PC 243.4", C),
        ("PC 261", D),
        ("PC 262(a)(1)", D),
        ("PC 264.1", C),
        ("PC 266", C),
        ("PC 266c", C),
        ("PC 266h(b)", C),
        ("PC 266i(b)", C),
        ("PC 266j", C),
        ("PC 267", C),
        ("PC 269", C),
        ("PC 272", D),
        ("PC 285", C),
        ("PC 286", C),
        ("PC 287", C),
        ("PC 288", C),
        ("PC 288a", C),
        ("PC 288.2", D),
        ("PC 288.3", C),
        ("PC 288.4", C),
        ("PC 288.5", C),
        ("PC 288.7", C),
        ("PC 289", C),
        ("PC 311.1", C),
        ("PC 311.2(b)", C),
        ("PC 311.2(c)", C),
        ("PC 311.2(d)", C),
        ("PC 311.3", C),
        ("PC 311.4", C),
        ("PC 311.10", C),
        ("PC 311.11", C),
        ("PC 314(1)", C),
        ("PC 314(2)", C),
        ("PC 314", D),
        ("PC 647.6", C),
        ("PC 653f(c)", C),
    )
)


_MATCHES: dict[tuple[int, Charge], Listed | None] = {}


def listed_match(charge: Charge | None, table: tuple[Listed, ...]) -> Listed | None:
    """The most specific entry of `table` the charge falls under, or None (remembered)."""
    if charge is None:
        return None
    key = (id(table), charge)
    if key in _MATCHES:
        return _MATCHES[key]
    _MATCHES[key] = found = _listed_match(charge, table)
    return found


def _listed_match(charge: Charge, table: tuple[Listed, ...]) -> Listed | None:
    best = None
    for entry in table:
        if (
            entry.code == charge.code
            and entry.section == charge.section
            and charge.subsections[: len(entry.subsections)] == entry.subsections
        ):
            if best is None or len(entry.subsections) > len(best.subsections):
                best = entry
    return best


def super_strike(charge: Charge | None) -> Listed | None:
    """A PC 667(e)(2)(C)(iv) offence ("super strike"), which keeps HS 11358(d), 11359(c)(1) and
    11360(a)(3)(A) punishable as felonies when it is a prior conviction (HS_11358_PRIORS,
    HS_11359_TODAY, HS_11360_TODAY). Attempted homicide is included by item (IV)."""
    found = listed_match(charge, SUPER_STRIKES)
    if found is not None and charge.attempted and not found.item.startswith("(IV)"):
        return Listed(found.code, found.section, found.subsections, Match.DEPENDS, found.item + ", attempted")
    return found


def pc290c_offence(charge: Charge | None) -> Listed | None:
    """An offence requiring registration under PC 290(c), the other prior that keeps HS 11358(d),
    11359(c)(1) and 11360(a)(3)(A) felonies (same sources)."""
    return listed_match(charge, PC_290_C)


TWO_PRIORS_SUBDIVISION = {"11358": ("c",), "11359": ("b",), "11360": ("a", "2")}


def prior_under_new_subdivision(prior: Charge, section: str) -> bool:
    """A prior conviction under the misdemeanor subdivision Prop 64 made: two of them keep
    HS 11358(d)(2), 11359(c)(2), 11360(a)(3)(B) felonies (HS_11358_PRIORS, HS_11359_TODAY,
    HS_11360_TODAY)."""
    want = TWO_PRIORS_SUBDIVISION[section]
    return prior.code == "HS" and prior.section == section and prior.subsections[: len(want)] == want
