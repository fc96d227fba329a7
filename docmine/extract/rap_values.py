"""What RAP-sheet slots say: dispositions, later updates, sentence terms, agencies' counties.

`rap.py` finds the slots (`DISPO:`, `SEN:`, the agency on an event's date line); this
module reads their values. Every table comes from how DOJ printouts spell things (the
public CFA fixtures and `docmine/synth/rap.py`, which draws from the same vocabulary).
A value no rule knows becomes UNRECOGNIZED / OTHER with its text kept, never a guess.

Matching is fuzzy (the `regex` package's `{e<=n}`) only for long words where one or two
OCR errors cannot turn one meaning into another (`CONVICTED`, `FURTHERANCE`).
"""

from __future__ import annotations

from functools import lru_cache

import regex

from docmine.records import DispositionKind, SentenceTerm, TermKind, TimeUnit, UpdateKind
from docmine.synth.facts import COUNTIES

# --- dispositions -----------------------------------------------------------------------

# First match wins, so the specific readings come before the general ones: `DET ONLY`
# before anything that says RELEASED, furtherance of justice before plain DISMISSED.
_DISPOSITIONS: tuple[tuple[DispositionKind, regex.Pattern], ...] = tuple(
    (kind, regex.compile(pattern, regex.IGNORECASE | regex.BESTMATCH))
    for kind, pattern in (
        (DispositionKind.DETENTION_ONLY, r"DET(?:ENTION)?\s*ONLY|849\s*\(?B\)?"),
        (DispositionKind.PROSECUTION_REJECTED, r"^\W*PROS(?:ECUTION)?\s*REJ|(?:PROSECUTION\s*REJECTED){e<=2}"),
        (DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
         r"(?:FURTHERANCE){e<=2}\s*OF\s*(?:JUSTICE){e<=1}|^\W*1385\b"),
        (DispositionKind.ACQUITTED, r"(?:ACQUITTED){e<=2}|NOT\s*GUILTY"),
        (DispositionKind.SUSTAINED, r"(?:SUSTAINED){e<=2}"),
        (DispositionKind.DIVERSION, r"(?:DIVERSION){e<=1}|DIVERTED|DEFERRED\s*ENTRY"),
        (DispositionKind.DISMISSED, r"^\W*(?:DISMISSED){e<=2}"),
        (DispositionKind.CONVICTED, r"^\W*(?:CONVICTED){e<=2}\W*$"),
    )
)


def disposition_kind(text: str) -> DispositionKind:
    """`CONVICTED` -> CONVICTED, `1385 PC-DISMISSED/FURTHERANCE OF JUSTICE` -> ..., else UNRECOGNIZED."""
    value = text.strip()
    if not value:
        return DispositionKind.UNRECOGNIZED
    for kind, pattern in _DISPOSITIONS:
        if pattern.search(value):
            return kind
    return DispositionKind.UNRECOGNIZED


# --- dated later updates ----------------------------------------------------------------

_UPDATES: tuple[tuple[UpdateKind, regex.Pattern], ...] = tuple(
    (kind, regex.compile(pattern, regex.IGNORECASE))
    for kind, pattern in (
        (UpdateKind.SET_ASIDE_1203_4, r"1203\.4(?!5)|SET\s*ASIDE"),
        (UpdateKind.REDUCED_17B, r"17\s*\(\s*B\s*\)|RED(?:UCED)?\s+TO\s+MISD"),
        (UpdateKind.REDESIGNATED, r"REDESIGNAT"),
        (UpdateKind.SEALED, r"SEALED"),
        (UpdateKind.PROBATION_REVOKED, r"PROB(?:ATION)?\s*REVOKED"),
        (UpdateKind.PROBATION_TERMINATED, r"PROB(?:ATION)?\s*TERMINATED"),
        (UpdateKind.RESENTENCED, r"RESENTENCED"),
        (UpdateKind.SENTENCE_MODIFIED, r"SEN(?:TENCE)?\s*MODIFIED"),
        (UpdateKind.DISMISSED, r"DISMISSED"),
    )
)


def update_kind(text: str) -> UpdateKind:
    """`CONV SET ASIDE & DISM PER 1203.4 PC` -> SET_ASIDE_1203_4, ..., else UNRECOGNIZED."""
    for kind, pattern in _UPDATES:
        if pattern.search(text):
            return kind
    return UpdateKind.UNRECOGNIZED


# --- sentences ----------------------------------------------------------------------------

_UNIT = {"DAY": TimeUnit.DAYS, "DAYS": TimeUnit.DAYS, "MONTH": TimeUnit.MONTHS, "MONTHS": TimeUnit.MONTHS,
         "MOS": TimeUnit.MONTHS, "YEAR": TimeUnit.YEARS, "YEARS": TimeUnit.YEARS, "YRS": TimeUnit.YEARS}
_N = r"(?P<n>[0-9]{1,4})"
_U = r"(?P<u>DAYS?|MONTHS?|MOS|YEARS?|YRS)"
_TERMS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (name, regex.compile(pattern, regex.IGNORECASE))
    for name, pattern in (
        ("life", rf"^{_N}\s*{_U}\s*TO\s*LIFE(?:\s*PRISON)?$"),
        ("probation", rf"^{_N}\s*{_U}\s*PROB(?:ATION)?$"),
        ("jail", rf"^{_N}\s*{_U}\s*JAIL(?P<ss>\s*SS)?$"),
        ("prison", rf"^{_N}\s*{_U}\s*PRISON$"),
        ("credit", rf"^CRED(?:IT)?\s*(?:TIME\s*SERVED)?\s*{_N}\s*{_U}$"),
        ("fine", r"^FINE(?P<ss>\s*SS)?$"),
        ("restitution", r"^RESTN$|^RESTITUTION$"),
        ("community_service", r"^COMM(?:UNITY)?\s*SERV(?:ICE)?$"),
        ("suspended", r"^IMP(?:OSITION)?\s*(?:OF\s*)?SEN(?:TENCE)?\s*SS$"),
        ("other", r"^OTHER$"),
    )
)


def sentence_terms(text: str) -> tuple[SentenceTerm, ...]:
    """`36 MONTHS PROBATION, 90 DAYS JAIL SS, FINE` -> the terms it states, in order.

    A piece no rule reads becomes an OTHER term carrying the piece as its detail."""
    terms: list[SentenceTerm] = []
    for piece in text.split(","):
        piece = " ".join(piece.split())
        if piece:
            terms.append(_term(piece))
    return tuple(terms)


def _term(piece: str) -> SentenceTerm:
    for name, pattern in _TERMS:
        m = pattern.match(piece)
        if not m:
            continue
        groups = m.groupdict()
        length = float(groups["n"]) if groups.get("n") else None
        unit = _UNIT.get((groups.get("u") or "").upper())
        suspended = "suspended" if groups.get("ss") else ""
        if name == "life":
            return SentenceTerm(TermKind.PRISON, length, unit, None, "to life")
        if name == "probation":
            return SentenceTerm(TermKind.PROBATION, length, unit)
        if name == "jail":
            return SentenceTerm(TermKind.JAIL, length, unit, None, suspended)
        if name == "prison":
            return SentenceTerm(TermKind.PRISON, length, unit)
        if name == "credit":
            return SentenceTerm(TermKind.CREDIT, length, unit)
        if name == "fine":
            return SentenceTerm(TermKind.FINE, None, None, None, suspended)
        if name == "restitution":
            return SentenceTerm(TermKind.RESTITUTION)
        if name == "community_service":
            return SentenceTerm(TermKind.COMMUNITY_SERVICE)
        if name == "suspended":
            return SentenceTerm(TermKind.SUSPENDED, None, None, None, "imposition")
        return SentenceTerm(TermKind.OTHER)
    return SentenceTerm(TermKind.OTHER, detail=piece)


# --- counties -----------------------------------------------------------------------------

COUNTY_NAMES: tuple[str, ...] = tuple(sorted({c.name for c in COUNTIES}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """City and municipal-court names -> county, for agencies that do not print the county
    (`CAPD ANAHEIM`, `CAMC HARBOR`). A name claimed by two counties is left out."""
    seen: dict[str, set[str]] = {}
    for county in COUNTIES:
        for place in (*county.cities, *county.muni, county.name):
            seen.setdefault(place, set()).add(county.name)
    return {place: next(iter(names)) for place, names in seen.items() if len(names) == 1}


_AGENCY = regex.compile(r"^\s*(?P<code>CA[A-Z]{2})\s+(?P<place>[A-Z][A-Z .'&/-]*?)(?:\s+(?:CO|JUV|CENTRAL))*\s*$")


def county_of(agency: str) -> tuple[str | None, int, int]:
    """The county an agency sits in, and where its name is printed in `agency` (start,
    end; -1, -1 when the county is known from a place name only)."""
    text = agency.upper()
    for name in COUNTY_NAMES:  # longest first: SAN BERNARDINO before nothing shorter inside it
        at = _find_word(text, name)
        if at >= 0:
            return name, at, at + len(name)
    m = _AGENCY.match(text)
    if m:
        county = _places().get(m.group("place").strip())
        if county:
            return county, -1, -1
    return None, -1, -1


def _find_word(text: str, word: str) -> int:
    start = 0
    while True:
        at = text.find(word, start)
        if at < 0:
            return -1
        before = text[at - 1] if at else " "
        after = text[at + len(word)] if at + len(word) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return at
        start = at + 1
