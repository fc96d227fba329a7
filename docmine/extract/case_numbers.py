"""Case numbers checked against the shapes their county's courts print, and OCR misreads
inside them undone where exactly one shape fits.

A court case number is not free text: Orange County prints `85WF4655` (two digits of the
filing year, a court letter pair, four digits), San Bernardino `FVI397294`, Kern
`BF123456A`. On a scan, Tesseract reads `85WF4655` as `8SWF4655` or `00WF2029` as
`OOWF2029` with high confidence, so its own word confidence cannot tell the misread from
the truth; the shape can. `settle` tries the usual OCR confusions (O/0, C/0, I/1, S/5,
B/8, Z/2, G/6, P/F) on the letters and digits read; when exactly one reading fits one of the county's
shapes (a filing year that matches the event's year decides between two), that reading is
the case number. A number that fits no shape is left as read and marked unshaped, which the
count's confidence (`docmine.extract.confidence`) takes as a reason for review.

The shapes are reference data (`docmine.reference.case_numbers.COURT_SHAPES`): a county not
listed there is never checked. Only court events are checked: arrest, custody and
probation numbers are agency numbers with no county-wide format.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

import regex

from docmine.confusions import ALTERNATIVES
from docmine.doctext import DocText
from docmine.records import Count, EventType, TextSource
from docmine.reference.case_numbers import COURT_SHAPES, EARLY_BEFORE, EARLY_SHAPES


MAX_READINGS = 4096  # readings tried for one number at most


@dataclass(frozen=True)
class CaseNumberReading:
    """A case number as settled: its value, whether it fits its county's shapes (None when
    the county or the kind of event has none to check), and whether OCR misreads were undone."""

    value: str
    shaped: bool | None
    repaired: bool = False


@lru_cache(maxsize=512)
def _shapes(county: str, year: int | None) -> tuple[regex.Pattern, ...]:
    yy = f"{year % 100:02d}" if year is not None else r"\d\d"
    y = yy[-1] if year is not None else r"\d"
    # The year in a number is the filing year, and the event date printed beside it may be
    # the arrest before it or the disposition after it: the years either side count too.
    if year is not None:
        near = [f"{(year + d) % 100:02d}" for d in (-1, 0, 1)]
        yy, y = f"(?:{'|'.join(near)})", f"[{''.join(n[-1] for n in near)}]"
    patterns = [p.replace("{yy}", yy).replace("{y}", y) for p in COURT_SHAPES.get(county, ())]
    if year is None or year < EARLY_BEFORE:
        patterns += EARLY_SHAPES
    return tuple(regex.compile(p) for p in patterns)


def fits(value: str, county: str | None, when: dt.date | None) -> bool | None:
    """Whether `value` has one of the shapes of `county`'s court case numbers in the year of
    `when`; None when docmine knows no shapes for the county."""
    if county not in COURT_SHAPES:
        return None
    year = when.year if when else None
    return any(p.fullmatch(value) for p in _shapes(county, year))


def settle(read: str, county: str | None, when: dt.date | None, *, repair: bool = True) -> CaseNumberReading:
    """The court case number `read` off the page, checked against `county`'s shapes for the
    year of `when` (the event date) and, with `repair`, its OCR confusions undone where
    exactly one reading fits."""
    shaped = fits(read, county, when)
    if shaped is None or shaped or not repair:
        return CaseNumberReading(read, shaped)
    # Case numbers are printed in capitals: a lower-case letter is OCR's, not the court's.
    candidates = sorted(set(_fitting(read.upper(), county, when)))
    if len(candidates) == 1:
        return CaseNumberReading(candidates[0], True, repaired=True)
    return CaseNumberReading(read, False)


def _fitting(read: str, county: str, when: dt.date | None):
    choices = [ch + ALTERNATIVES.get(ch, "") for ch in read]
    if math.prod(len(c) for c in choices) > MAX_READINGS:
        return
    for chars in itertools.product(*choices):
        value = "".join(chars)
        if fits(value, county, when):
            yield value


def settle_counts(counts: Sequence[Count], doc: DocText) -> list[Count]:
    """The counts with their court case numbers settled: repaired where the words came from
    OCR (a text layer prints the number as filed, so it is only checked)."""
    sources = {p.page.number: p.page.source for p in doc.pages}
    settled = []
    for count in counts:
        where = count.provenance.get("case_number")
        if count.event_type != EventType.COURT or not count.case_number or where is None:
            settled.append(count)
            continue
        reading = settle(
            count.case_number, count.county, count.event_date, repair=sources.get(where.page) == TextSource.OCR
        )
        settled.append(replace(count, case_number=reading.value) if reading.repaired else count)
    return settled


def unshaped(count: Count) -> bool:
    """A court count whose case number fits none of its county's shapes (or is missing where
    its county has shapes)."""
    if count.event_type != EventType.COURT or count.county not in COURT_SHAPES:
        return False
    return not count.case_number or not fits(count.case_number, count.county, count.event_date)


__all__ = ["COURT_SHAPES", "CaseNumberReading", "fits", "settle", "settle_counts", "unshaped"]
