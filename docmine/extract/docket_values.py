"""Phrase tables for court dockets: dispositions, sentence terms, later updates, counties.

Kept apart from the parser (`docmine.extract.docket`) so the vocabulary can grow without
touching the structure rules. Every pattern is written for what California dockets print
in general (a count table cell, a minute-order sentence), not for one docket layout.
"""

from __future__ import annotations

import regex

from docmine.extract.dispositions import winner
from docmine.records import SentenceTerm, Severity, TermKind, TimeUnit, UpdateKind
from docmine.extract.rap_values import two_unit_length
from docmine.reference.counties import CALIFORNIA_COUNTIES


# --- severity ------------------------------------------------------------------------------

SEVERITY_WORDS: dict[str, Severity] = {
    "F": Severity.FELONY,
    "FEL": Severity.FELONY,
    "FELONY": Severity.FELONY,
    "M": Severity.MISDEMEANOR,
    "MISD": Severity.MISDEMEANOR,
    "MISDEMEANOR": Severity.MISDEMEANOR,
    "I": Severity.INFRACTION,
    "INF": Severity.INFRACTION,
    "INFRACTION": Severity.INFRACTION,
}
# A level as a table cell or a bare token: longest words first.
SEVERITY_TOKEN = regex.compile(
    r"(?<![A-Z0-9/&.])(?:FELONY|MISDEMEANOR|INFRACTION|MISD|FEL|INF|F|M|I)(?![A-Z0-9/&])", regex.IGNORECASE
)
# A level in prose: `(FELONY)`, `(F)`, `, A MISDEMEANOR`, `AN INFRACTION`.
SEVERITY_PROSE = regex.compile(
    r"\(\s*(?P<sev>FELONY|MISDEMEANOR|INFRACTION|MISD|FEL|INF|F|M|I)\s*\)"
    r"|\bAN?\s+(?P<sev>FELONY|MISDEMEANOR|INFRACTION)\b",
    regex.IGNORECASE,
)
# A level word in prose damaged by OCR (`(MISOEMEANOR)`, `A FELOMY`).
SEVERITY_FUZZY = regex.compile(
    r"(?:\(\s*|\bAN?\s+)(?P<sev>(?:FELONY){e<=1}|(?:MISDEMEANOR){e<=2}|(?:INFRACTION){e<=2})(?=\s*\)|\W*$)",
    regex.IGNORECASE | regex.BESTMATCH,
)


def fuzzy_severity(word: str) -> Severity:
    first = word.strip().upper()[:1]
    return {"F": Severity.FELONY, "M": Severity.MISDEMEANOR, "I": Severity.INFRACTION}.get(first, Severity.UNKNOWN)


def severity_of(word: str) -> Severity:
    return SEVERITY_WORDS.get(word.strip().upper(), Severity.UNKNOWN)


# --- later updates --------------------------------------------------------------------------

# The kind of a dated post-judgment entry, first match wins (a 1203.4 set-aside also says
# "DISMISSED"; an 11361.8 petition may redesignate or dismiss).
UPDATE_KINDS: tuple[tuple[UpdateKind, regex.Pattern], ...] = tuple(
    (kind, regex.compile(p, regex.IGNORECASE))
    for kind, p in (
        (UpdateKind.SET_ASIDE_1203_4, r"1203\s?[.,]\s?4\b|\bSET\s+ASIDE\b|(?:SET\s+ASIDE){e<=2}"),
        (UpdateKind.REDUCED_17B, r"\b17\s?\(\s?B\s?\)|\bREDUCED\s+TO\s+(?:A\s+)?MISD|(?:REDUCED){e<=1}\s+TO\s+A"),
        (UpdateKind.REDESIGNATED, r"REDESIGNAT|1170\s?[.,]\s?18|(?:REDESIGNATED){e<=2}"),
        (UpdateKind.SEALED, r"\bSEALED\b|(?:SEALED){e<=1}\s+(?:PER|PURSUANT)"),
        (
            UpdateKind.DISMISSED,
            r"11361\s?[.,]\s?8.*DISMISS|DISMISS\w*\s+(?:PER|PURSUANT\s+TO)\s+(?:HS\s+)?11361\s?[.,]\s?8",
        ),
        (UpdateKind.PROBATION_REVOKED, r"\bPROBATION\s+REVOKED\b|(?:PROBATION\s+REVOKED){e<=2}"),
        (UpdateKind.PROBATION_TERMINATED, r"\bPROBATION\s+TERMINATED\b|(?:PROBATION\s+TERMINATED){e<=2}"),
        (UpdateKind.RESENTENCED, r"\bRE-?SENTENCED\b|(?:RESENTENCED){e<=1}"),
        (UpdateKind.SENTENCE_MODIFIED, r"\bSENTENCE\s+MODIFIED\b|\bMODIFIED\b|(?:SENTENCE\s+MODIFIED){e<=2}"),
        (UpdateKind.DISMISSED, r"\bCONVICTION\s+DISMISSED\b|\bCASE\s+DISMISSED\b"),
    )
)


def update_kind(text: str) -> UpdateKind | None:
    """The kind a post-judgment entry states, or None where it states no known change."""
    for kind, pattern in UPDATE_KINDS:
        if pattern.search(text):
            return kind
    return None


# --- sentence terms -------------------------------------------------------------------------

_N = r"(?P<n>\d{1,4}(?:\.\d+)?)"
_UNIT = r"(?P<unit>DAYS?|DYS?|MONTHS?|MOS?\.?|YEARS?|YRS?\.?)"
# A length in two units (`2 YEARS 8 MONTHS IN STATE PRISON`): read whole, never as its last part.
_LEN = rf"(?:(?P<n1>\d{{1,4}})\s+(?P<unit1>YEARS?|YRS?\.?|MONTHS?|MOS?\.?)\s+(?:AND\s+)?)?{_N}\s+{_UNIT}"
_MONEY = r"\$\s?(?P<amt>\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+(?:\.\d{2})?)"

# (kind, pattern): each pattern reads one term; `finditer` over the alternation reads them
# all in the order written. Named groups: n, unit, amt, plus flags read below.
TERM_PATTERNS: tuple[tuple[TermKind, str], ...] = (
    (TermKind.SUSPENDED, r"(?P<what>IMPOSITION|EXECUTION)\s+OF\s+SENTENCE\s+(?:IS\s+)?SUSPENDED"),
    (TermKind.CREDIT, rf"CREDIT\s+(?:FOR\s+)?{_N}\s+{_UNIT}(?:\s+(?:TIME\s+SERVED|ACTUAL\s+CUSTODY))?"),
    (TermKind.PRISON, rf"{_N}\s+{_UNIT}\s+TO\s+LIFE(?:\s+IN)?\s+(?:STATE\s+PRISON|CDC)"),
    (
        TermKind.PRISON,
        rf"(?:THE\s+(?:LOW|MID|UPPER|HIGH)\s*TERM\s+OF\s+)?{_LEN}\s+(?:IN\s+)?(?:STATE\s+PRISON|CDCR?|PRISON)",
    ),
    (
        TermKind.PROBATION,
        rf"{_LEN}\s+(?:(?P<formal>FORMAL|FELONY)\s+|(?P<summary>SUMMARY|COURT|INFORMAL|CONDITIONAL)\s+)?PROBATION",
    ),
    (TermKind.PROBATION, rf"PROBATION\s+(?:(?:GRANTED\s+)?FOR\s+)?{_N}\s+{_UNIT}"),
    (
        TermKind.JAIL,
        rf"{_LEN}\s+(?:IN\s+)?(?:(?:THE\s+)?COUNTY\s+)?JAIL(?P<ss>,?\s+EXECUTION\s+SUSPENDED|,?\s+STAYED|,?\s+SUSPENDED)?",
    ),
    (TermKind.JAIL, rf"{_N}\s+{_UNIT}\s+(?:CJ|CNTY\s+JAIL)(?P<ss>,?\s+(?:EXECUTION\s+)?SUSPENDED)?"),
    (
        TermKind.FINE,
        rf"(?:FINE\s+(?:OF\s+)?{_MONEY}|{_MONEY}\s+FINE|FINES?\s+AND\s+(?:PENALTY\s+ASSESSMENTS|FEES)|FINE\s+AND\s+PENALTY\s+ASSESSMENTS)(?P<ss>,?\s+(?:STAYED|SUSPENDED))?",
    ),
    (TermKind.RESTITUTION, rf"(?:VICTIM\s+)?RESTITUTION(?:\s+(?:OF\s+)?{_MONEY}|\s+AMOUNT\s+TO\s+BE\s+DETERMINED)?"),
    (TermKind.COMMUNITY_SERVICE, r"(?P<hours>\d{1,4})\s+HOURS?\s+(?:OF\s+)?COMMUNITY\s+SERVICE"),
    (TermKind.OTHER, r"OTHER\s+TERMS"),
)
TERM = regex.compile(
    r"(?<![A-Z0-9$])(?:" + "|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(TERM_PATTERNS)) + r")", regex.IGNORECASE
)

_UNITS = {"D": TimeUnit.DAYS, "M": TimeUnit.MONTHS, "Y": TimeUnit.YEARS}


def term_from_match(match: regex.Match) -> SentenceTerm:
    """The `SentenceTerm` one `TERM` match states."""
    index = winner(match, "t", len(TERM_PATTERNS))
    kind = TERM_PATTERNS[index][0]
    # Names repeat across alternatives; only the winning one captured anything.
    group = match.group

    n, unit_text, amt = group("n"), group("unit"), group("amt")
    length = float(n) if n else None
    unit = _UNITS.get((unit_text or "")[:1].upper()) if unit_text else None
    amount = float(amt.replace(",", "")) if amt else None
    first = _UNITS.get((group("unit1") or "")[:1].upper()) if group("n1") else None
    if first is not None and unit is not None and length is not None:
        length, unit = two_unit_length(float(group("n1")), first, length, unit)
    detail = ""
    if kind == TermKind.PROBATION:
        detail = "formal" if group("formal") else "summary" if group("summary") else ""
    elif kind in (TermKind.JAIL, TermKind.FINE):
        detail = "suspended" if group("ss") else ""
        if kind == TermKind.JAIL:
            unit = unit or TimeUnit.DAYS
    elif kind == TermKind.PRISON and "LIFE" in match.group(0).upper():
        detail = "to life"
    elif kind == TermKind.SUSPENDED:
        detail = (group("what") or "imposition").lower()
    elif kind == TermKind.COMMUNITY_SERVICE:
        detail = f"{group('hours')} hours"
    return SentenceTerm(kind, length, unit, amount, detail)


def sentence_terms(text: str) -> tuple[SentenceTerm, ...]:
    return tuple(term_from_match(m) for m in TERM.finditer(text))


# --- counties -------------------------------------------------------------------------------

# California's 58 counties (`docmine.reference`): a court's county is read from its name and checked against these.
COUNTIES: tuple[str, ...] = CALIFORNIA_COUNTIES
_COUNTY_SET = frozenset(COUNTIES)


def county_name(text: str) -> str | None:
    """The county `text` names (exactly, or within a couple of OCR errors), else None."""
    key = " ".join(text.upper().split())
    if key in _COUNTY_SET:
        return key
    best, best_cost = None, 3
    for county in COUNTIES:
        if abs(len(county) - len(key)) > 2:
            continue
        m = regex.fullmatch(rf"(?:{regex.escape(county)}){{e<=2}}", key, regex.BESTMATCH)
        if m is not None:
            cost = sum(m.fuzzy_counts)
            if cost < best_cost:
                best, best_cost = county, cost
    return best
