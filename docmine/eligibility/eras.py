"""What an HS 11357 subsection meant when the offence was committed: the era table.

HS 11357's subsections changed meaning over time, so `11357(c)` on a 1990 record is not
`11357(c)` today. The conviction is read with the law of its own era (by the offence date,
else the arrest date, else the conviction date), then compared with today's law.

| era | from | to | meaning | sources |
|---|---|---|---|---|
| `single_section` | recodification (1972-73) | 1975-12-31 | one section: possession, any amount | MOSCONE_ACT |
| `moscone` | 1976-01-01 | 2010-12-31 | (a) concentrated cannabis; (b) 28.5 g or less, a misdemeanour ($100 fine); (c) over 28.5 g; (d) 28.5 g or less on school grounds, 18 and over; (e) the same under 18 | MOSCONE_ACT, MOSCONE_ACT_SB95, HS_11357_MOSCONE_ERA |
| `sb1449` | 2011-01-01 | 2016-11-08 | as `moscone`, but (b) an infraction | SB_1449, SB_1449_EFFECTIVE |
| `prop64` | 2016-11-09 | | today's subdivisions; not a candidate | HS_11357_TODAY |

The recodification itself is Stats. 1972, Ch. 1407, which repealed and re-enacted Division 10
(RECODIFICATION_1972; HS 11650 is its transition rule, RECODIFICATION_TRANSITION); a sale on
1973-03-08 was already charged under the new HS 11360 (RECODIFICATION_VAN_ALSTYNE).

Unverified, and therefore handled conservatively: the operative day of the recodification (no
source read gives it; docmine's synthetic records use 1973-01-01 and 1973-03-07; an HS 11357
count dated before either is read as `single_section`) and the year subdivision (e) was added
(an `(e)` is read as school grounds under 18 whatever its date).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from docmine.eligibility import sources


class Possession(str, enum.Enum):
    """The conduct an HS 11357 conviction shows, read in its era."""

    ANY_AMOUNT = "possession, amount not stated"  # single-section era, or a bare 11357 later
    CONCENTRATED = "possession of concentrated cannabis"
    SMALL = "possession of 28.5 grams or less"
    OVER_28_5 = "possession of more than 28.5 grams"
    SCHOOL_ADULT = "possession of 28.5 grams or less on school grounds, 18 or over"
    SCHOOL_MINOR = "possession on school grounds, under 18"
    UNKNOWN_SUBSECTION = "a subsection this era did not have"
    AFTER_PROP64 = "a Prop 64 subdivision (offence after 2016-11-08)"


@dataclass(frozen=True, slots=True)
class Era:
    name: str
    start: date
    end: date  # last day, inclusive
    meanings: dict[str, Possession]  # first subsection letter -> conduct; "" for a bare 11357
    small_is_infraction: bool
    sources: tuple[str, ...]

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


# HS 11357's subsections from the Moscone Act (1976) until Prop 64: what each letter meant.
_MOSCONE_SUBSECTIONS: dict[str, Possession] = {
    "": Possession.ANY_AMOUNT,
    "a": Possession.CONCENTRATED,
    "b": Possession.SMALL,
    "c": Possession.OVER_28_5,
    "d": Possession.SCHOOL_ADULT,
    "e": Possession.SCHOOL_MINOR,
}

HS_11357_ERAS: tuple[Era, ...] = (
    Era(
        "single_section",
        date(1973, 1, 1),
        date(1975, 12, 31),
        {"": Possession.ANY_AMOUNT},
        False,
        (sources.MOSCONE_ACT, sources.RECODIFICATION_1972),
    ),
    Era(
        "moscone",
        date(1976, 1, 1),
        date(2010, 12, 31),
        _MOSCONE_SUBSECTIONS,
        False,
        (sources.MOSCONE_ACT, sources.MOSCONE_ACT_SB95, sources.MOSCONE_SIGNED, sources.HS_11357_MOSCONE_ERA),
    ),
    Era(
        "sb1449",
        date(2011, 1, 1),
        date(2016, 11, 8),
        _MOSCONE_SUBSECTIONS,
        True,
        (sources.SB_1449, sources.SB_1449_EFFECTIVE, sources.HS_11357_MOSCONE_ERA),
    ),
    Era("prop64", date(2016, 11, 9), date(9999, 12, 31), {}, True, (sources.HS_11357_TODAY,)),
)


def era_of(day: date) -> Era:
    """The HS 11357 era of an offence on `day`; anything before 1976 is the single section."""
    for era in HS_11357_ERAS:
        if era.covers(day):
            return era
    return HS_11357_ERAS[0]


def hs11357_meaning(subsections: tuple[str, ...], day: date) -> tuple[Possession, Era]:
    """What an HS 11357 conviction with these subsections showed on `day` (see the table)."""
    era = era_of(day)
    if era.name == "prop64":
        return Possession.AFTER_PROP64, era
    if era.name == "single_section":
        return Possession.ANY_AMOUNT, era  # subsections did not exist; a letter is a clerk's
    key = subsections[0] if subsections else ""
    return era.meanings.get(key, Possession.UNKNOWN_SUBSECTION), era
