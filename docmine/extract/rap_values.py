"""What RAP-sheet slots say: dispositions, later updates, sentence terms, agencies' counties.

`rap.py` finds the slots (`DISPO:`, `SEN:`, the agency on an event's date line); this
module reads their values. Every table comes from how DOJ printouts spell things (the
public CFA fixtures and `docmine/synth/rap.py`, which draws from the same vocabulary).
A value no rule knows becomes UNRECOGNIZED / OTHER with its text kept, never a guess.

Matching is fuzzy (the `regex` package's `{e<=n}`) only for long words where one or two
OCR errors cannot turn one meaning into another (`CONVICTED`, `FURTHERANCE`).
"""

from __future__ import annotations


import regex

from docmine.records import EventType, SentenceTerm, TermKind, TimeUnit, UpdateKind
from docmine.reference.agencies import COUNTY_LEVEL, kind_of_agency
from docmine.reference.counties import CALIFORNIA_COUNTIES, county_named

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

_UNIT = {"D": TimeUnit.DAYS, "M": TimeUnit.MONTHS, "Y": TimeUnit.YEARS}
_KIND = {
    "PROB": TermKind.PROBATION,
    "JAIL": TermKind.JAIL,
    "JL": TermKind.JAIL,
    "CJ": TermKind.JAIL,
    "PRISON": TermKind.PRISON,
    "PRIS": TermKind.PRISON,
    "CDC": TermKind.PRISON,
}
_N = r"(?P<n>[0-9]{1,4}(?:\.[0-9])?)"
# DOJ spells units in full, abbreviated (`YR`, `MO`, `DS`) and in the plural (`MOS`, `YRS`).
_U = r"(?P<u>D(?:AY|S)?S?|M(?:ONTH|TH|O)?S?|Y(?:EAR|R)?S?)"
_CUSTODY = r"(?P<k>PROB(?:ATION)?|JAIL|JL|CJ|PRISON|PRIS|CDC)"
# Words between a term's length and its kind (`3 YEARS FORMAL PROBATION`, `90 DAYS COUNTY JAIL`).
_QUALIFIER = r"(?:(?:FORMAL|INFORMAL|SUMMARY|SUPERVISED|CONDITIONAL|COURT|BENCH|COUNTY|STATE)\s*)?"
# A length in two units (`002 YEARS 008 MONTHS PRISON`, `1 MONTH 15 DAYS JAIL`): the first part.
_N1U1 = r"(?P<n1>[0-9]{1,4})\s*(?P<u1>Y(?:EAR|R)?S?|M(?:ONTH|TH|O)?S?)\s*"
# Each term reads anywhere in a comma piece, so `$971 FINE $420 RSTN` gives a fine and
# restitution and `6 MO JL WORK` a jail term; a piece with no term is OTHER with its text.
_TERMS: tuple[tuple[str, regex.Pattern], ...] = tuple(
    (name, regex.compile(pattern, regex.IGNORECASE))
    for name, pattern in (
        ("life", rf"\b{_N}\s*{_U}\s*TO\s*LIFE(?:\s*PRISON)?\b"),
        ("custody", rf"\b{_N1U1}{_N}\s*{_U}\s*{_QUALIFIER}{_CUSTODY}\b(?P<ss>\s*SS\b)?"),
        ("custody", rf"\b{_N}\s*{_U}\s*{_QUALIFIER}{_CUSTODY}\b(?P<ss>\s*SS\b)?"),
        ("life", r"\bLIFE(?:\s*(?:IN\s*)?PRISON)?\b(?P<life>)"),
        ("credit", rf"\bCRED(?:IT)?\s*(?:TIME\s*SERVED)?\s*{_N}\s*{_U}\b"),
        ("suspended", r"\bIMP(?:OSITION)?\s*(?:OF\s*)?SEN(?:TENCE)?\s*SS\b"),
        # a term of no stated length (`SEN: PROBATION`, `PRISON,270 DAYS JAIL`)
        ("custody", rf"(?<![0-9]\s*)\b{_CUSTODY}\b(?P<ss>\s*SS\b)?"),
        ("fine", r"\$?[0-9]*\s*\bFINE\b(?P<ss>\s*SS\b)?|\bF(?:INE|N)SS\b(?P<fnss>)"),
        ("restitution", r"\$?[0-9]*\s*\bR(?:ESTITUTIO|E?ST)N\b"),
        ("community_service", r"\bCOMM(?:UNITY)?\s*SERV(?:ICE)?\b"),
    )
)
_WORD = regex.compile(r"[A-Z]{3,}", regex.IGNORECASE)


def sentence_terms(text: str) -> tuple[SentenceTerm, ...]:
    """`36 MONTHS PROBATION, 90 DAYS JAIL SS, FINE` -> the terms it states, in order.

    A piece no rule reads (or words left over beside the terms, `CONCURRENT`) becomes an
    OTHER term carrying the piece as its detail."""
    terms: list[SentenceTerm] = []
    for piece in text.split(","):
        piece = " ".join(piece.split())
        if piece:
            terms.extend(_terms(piece))
    return tuple(terms)


def _terms(piece: str) -> list[SentenceTerm]:
    found: list[tuple[int, SentenceTerm]] = []
    taken = [False] * len(piece)
    for name, pattern in _TERMS:
        for m in pattern.finditer(piece):
            if any(taken[m.start() : m.end()]) or not m.group(0).strip():
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), _term(name, m)))
    leftover = "".join(" " if t else c for c, t in zip(piece, taken))
    if piece.upper() == "OTHER":
        found.append((0, SentenceTerm(TermKind.OTHER)))
    elif not found or _WORD.search(leftover):
        detail = piece if not found else " ".join(leftover.split())
        found.append((len(piece), SentenceTerm(TermKind.OTHER, detail=detail)))
    return [term for _, term in sorted(found, key=lambda f: f[0])]


_DAYS_IN = {TimeUnit.YEARS: 365, TimeUnit.MONTHS: 30, TimeUnit.DAYS: 1}


def two_unit_length(first: float, first_unit: TimeUnit, length: float, unit: TimeUnit) -> tuple[float, TimeUnit]:
    """A length printed in two units, read whole: `2 YEARS 8 MONTHS` is 32 months, `1 MONTH 15
    DAYS` 45 days (RAP sheets and dockets alike)."""
    if first_unit is TimeUnit.YEARS and unit is TimeUnit.MONTHS:
        return length + first * 12, TimeUnit.MONTHS
    return first * _DAYS_IN[first_unit] + length * _DAYS_IN[unit], TimeUnit.DAYS


def _term(name: str, m: regex.Match) -> SentenceTerm:
    groups = m.groupdict()
    length = float(groups["n"]) if groups.get("n") else None
    unit = _UNIT.get((groups.get("u") or "").upper()[:1])
    first_unit = _UNIT.get((groups.get("u1") or "").upper()[:1])
    if groups.get("n1") and first_unit and unit and length is not None:
        length, unit = two_unit_length(float(groups["n1"]), first_unit, length, unit)
    suspended = "suspended" if groups.get("ss") or groups.get("fnss") is not None else ""
    if name == "life":
        if groups.get("life") is not None:  # `LIFE` with no minimum term
            return SentenceTerm(TermKind.PRISON, None, TimeUnit.LIFE, None, "life")
        return SentenceTerm(TermKind.PRISON, length, unit, None, "to life")
    if name == "custody":
        word = groups["k"].upper()
        kind = _KIND["PROB" if word.startswith("PROB") else word]
        return SentenceTerm(kind, length, unit, None, suspended if kind == TermKind.JAIL else "")
    if name == "credit":
        return SentenceTerm(TermKind.CREDIT, length, unit)
    if name == "fine":
        return SentenceTerm(TermKind.FINE, None, None, None, suspended)
    if name == "restitution":
        return SentenceTerm(TermKind.RESTITUTION)
    if name == "community_service":
        return SentenceTerm(TermKind.COMMUNITY_SERVICE)
    return SentenceTerm(TermKind.SUSPENDED, None, None, None, "imposition")


# --- counties -----------------------------------------------------------------------------

# Longest first, so that SAN BERNARDINO is found before anything shorter inside it.
COUNTY_NAMES: tuple[str, ...] = tuple(sorted(CALIFORNIA_COUNTIES, key=len, reverse=True))
_AGENCY = regex.compile(r"^\s*(?P<code>CA[A-Z]{2})\s+(?P<place>[A-Z][A-Z .'&/-]*?)(?:\s+(?:CO|JUV|CENTRAL))*\s*$")


def county_of(agency: str) -> tuple[str | None, int, int]:
    """The county an agency sits in, and where its name is printed in `agency` (start,
    end; -1, -1 when the county is known from a city or court district only).

    A city or court district (`CAPD ANAHEIM`, `CAMC HARBOR`) names its county through
    `docmine.reference.counties`; a county-level agency, court or sheriff (`CASC YOLO`,
    `CAMC SAN DIEGO NORTH`) prints its county first. A police department whose town begins
    with a county's name (`CAPD LAKE ELSINORE`) is no county docmine can tell."""
    text = agency.upper()
    m = _AGENCY.match(text)
    if m is None:  # not an agency as DOJ prints one: a county's name anywhere in it
        return _printed(text, 0)
    place = m.group("place").strip()
    county = county_named(place)
    code = m.group("code")
    if county is None and kind_of_agency(code) != EventType.COURT and code not in COUNTY_LEVEL:
        return None, -1, -1  # police and others name a town, not a county
    if county is None:
        for name in COUNTY_NAMES:
            if place == name or place.startswith(name + " "):
                county = name
                break
    if county is None:
        return None, -1, -1
    found, start, end = _printed(text, m.start("place"))
    return (county, start, end) if found == county else (county, -1, -1)


def _printed(text: str, start: int) -> tuple[str | None, int, int]:
    """The first county name printed whole in `text` from `start`, and where."""
    for name in COUNTY_NAMES:
        at = _find_word(text[start:], name)
        if at >= 0:
            return name, start + at, start + at + len(name)
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
