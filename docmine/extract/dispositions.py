"""Disposition words: what each kind of record writes for each `DispositionKind`, in one place.

Each format has its own table, in its own order (the first match wins, so the specific
readings come before the general ones): a RAP sheet's `DISPO:` codes (`RAP_DISPOSITIONS`), a
DOJ row's DISP_DESCR (`doj_disposition`), a docket's minute-order prose (`ENTRY_DISPOSITIONS`), its count table's short forms
(`TABLE_DISPOSITIONS`), and the OCR-damaged forms tried where the exact ones found nothing
(`FUZZY_DISPOSITIONS`, `FUZZY_TABLE_DISPOSITIONS`). The readers (`rap_values`,
`docket_values`) take them from here.
"""

from __future__ import annotations

import regex

from docmine.records import DispositionKind

# --- RAP sheets ------------------------------------------------------------------------------

# First match wins, so the specific readings come before the general ones: `DET ONLY`
# before anything that says RELEASED, furtherance of justice before plain DISMISSED.
RAP_DISPOSITIONS: tuple[tuple[DispositionKind, regex.Pattern], ...] = tuple(
    (kind, regex.compile(pattern, regex.IGNORECASE | regex.BESTMATCH))
    for kind, pattern in (
        (DispositionKind.DETENTION_ONLY, r"DET(?:ENTION)?\s*ONLY|849\s*\(?B\)?"),
        (DispositionKind.PROSECUTION_REJECTED, r"^\W*PROS(?:ECUTION)?\s*REJ|(?:PROSECUTION\s*REJECTED){e<=2}"),
        (
            DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
            r"(?:FURTHERANCE){e<=2}\s*OF\s*(?:JUSTICE){e<=1}|^\W*1385\b",
        ),
        (DispositionKind.ACQUITTED, r"(?:ACQUITTED){e<=2}|NOT\s*GUILTY"),
        (DispositionKind.SUSTAINED, r"(?:SUSTAINED){e<=2}"),
        (DispositionKind.DIVERSION, r"(?:DIVERSION){e<=1}|DIVERTED|DEFERRED\s*ENTRY"),
        (DispositionKind.DISMISSED, r"^\W*(?:DISMISSED){e<=2}"),
        # `CONVICTED` may carry trailing words (`CONVICTED BY PLEA`, a scan's noise), never a reversal.
        (
            DispositionKind.CONVICTED,
            r"^\W*(?:CONVICTED){e<=2}(?:\W*$|\s(?!.*(?:REVERS|VACAT|SET\s*ASIDE|DISM|ACQUIT)))",
        ),
    )
)


def rap_disposition(text: str) -> DispositionKind:
    """`CONVICTED` -> CONVICTED, `1385 PC-DISMISSED/FURTHERANCE OF JUSTICE` -> ..., else UNRECOGNIZED."""
    value = text.strip()
    if not value:
        return DispositionKind.UNRECOGNIZED
    for kind, pattern in RAP_DISPOSITIONS:
        if pattern.search(value):
            return kind
    return DispositionKind.UNRECOGNIZED


# --- DOJ bulk files ----------------------------------------------------------------------------


def doj_disposition(text: str) -> DispositionKind:
    """A DOJ row's DISP_DESCR (`CONVICTED-PROBATION`, `DISM/FURTHERANCE OF JUSTICE`,
    `REL/TOT OTHER JURIS/AUTH`): fixed words, read in this order."""
    t = text.strip().upper()
    if t.startswith("CONVICTED"):
        return DispositionKind.CONVICTED
    if "SUSTAINED" in t:
        return DispositionKind.SUSTAINED
    if "1385" in t or "FURTHERANCE" in t:
        return DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE
    if t.startswith("DISM"):
        return DispositionKind.DISMISSED
    if "ACQUIT" in t or "NOT GUILTY" in t:
        return DispositionKind.ACQUITTED
    if t.startswith("PROS RE"):
        return DispositionKind.PROSECUTION_REJECTED
    if "DIVER" in t or "DEF ENTRY" in t:
        return DispositionKind.DIVERSION
    if "DETENTION" in t or "DET ONLY" in t:
        return DispositionKind.DETENTION_ONLY
    if t == "" or t.startswith("REL/TOT"):
        return DispositionKind.PENDING
    return DispositionKind.UNRECOGNIZED


# --- dockets ---------------------------------------------------------------------------------

_PC1385 = r"(?:P\.?\s?C\.?\s*1385|1385\s*P\.?\s?C\.?|1385)"
_PC1000 = r"(?:P\.?\s?C\.?\s*1000(?:\.\d+)?|1000(?:\.\d+)?\s*P\.?\s?C\.?)"

# Phrases a minute order writes (the phrase only, never the count reference around it).
# Order matters: the first alternative that matches at a position wins, so specific first.
ENTRY_DISPOSITIONS: tuple[tuple[DispositionKind, str], ...] = (
    (
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        rf"(?:ORDERED\s+)?DISMISSED\s+(?:IN\s+(?:THE\s+)?)?FURTHERANCE\s+OF\s+JUSTICE(?:\s+(?:PER|PURSUANT\s+TO|UNDER)\s+{_PC1385})?",
    ),
    (
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        rf"(?:ORDERED\s+)?DISMISSED\s+(?:(?:PER|PURSUANT\s+TO|UNDER)\s+)?{_PC1385}",
    ),
    (
        DispositionKind.DISMISSED,
        r"(?:ORDERED\s+)?DISMISSED(?:\s+ON\s+(?:THE\s+)?MOTION\s+OF\s+(?:THE\s+)?(?:PEOPLE|DISTRICT\s+ATTORNEY|PROSECUTION))?",
    ),
    (
        DispositionKind.ACQUITTED,
        r"(?:FOUND\s+NOT\s+GUILTY(?:\s+BY\s+(?:THE\s+)?(?:JURY|COURT))?|ACQUITTED|VERDICT\s+OF\s+NOT\s+GUILTY)",
    ),
    (
        DispositionKind.CONVICTED,
        r"(?:FOUND\s+GUILTY(?:\s+BY\s+(?:THE\s+)?(?:JURY|COURT))?"
        r"|PLEA\s+OF\s+(?:GUILTY|NOLO\s+CONTENDERE|NO\s+CONTEST)(?:\s+ENTERED)?"
        r"|(?<!NOT\s)(?:GUILTY|NOLO(?:\s+CONTENDERE)?|NO\s+CONTEST)\s+PLEA\s+ENTERED"
        r"|PLEADS?\s+(?:GUILTY|NOLO\s+CONTENDERE|NO\s+CONTEST)"
        r"|CONVICTED)",
    ),
    (
        DispositionKind.DIVERSION,
        rf"(?:(?:DRUG\s+)?DIVERSION(?:\s+GRANTED)?(?:\s+(?:PER|PURSUANT\s+TO|UNDER)\s+{_PC1000})?"
        r"|DEFERRED\s+ENTRY\s+OF\s+JUDGMENT(?:\s+GRANTED)?|DEJ\s+GRANTED)",
    ),
)
# Short forms of a count table's disposition cell, on top of the prose phrases.
TABLE_DISPOSITIONS: tuple[tuple[DispositionKind, str], ...] = (
    (
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        rf"(?:DISM(?:ISSED|ISSAL|\.)?\s*[/-]?\s*(?:IN\s+)?FURTH(?:ERANCE)?\.?\s*OF\s*JUSTICE|DISM(?:ISSED)?\.?\s+(?:PER\s+)?{_PC1385}|1385\s+DISMISSAL)",
    ),
    (
        DispositionKind.DISMISSED,
        r"DISM(?:ISSED)?\.?\s*[/-]\s*(?:PEOPLE(?:'?S)?\s+MOTION|PLEA\s+BARGAIN|INTEREST\s+OF\s+JUSTICE|LACK\s+OF\s+EVIDENCE)",
    ),
    (DispositionKind.ACQUITTED, r"NOT\s+GUILTY(?:\s*[-/]\s*(?:JURY|COURT))?"),
    (
        DispositionKind.CONVICTED,
        r"CONV(?:ICTED)?\.?(?:\s*[-/]\s*(?:PLEA|JURY|COURT))?|GUILTY(?:\s*[-/]\s*(?:PLEA|JURY|COURT))?",
    ),
    (DispositionKind.DIVERSION, rf"DIVERSION(?:\s+{_PC1000})?|DEJ(?:\s+GRANTED)?"),
    (DispositionKind.PENDING, r"PENDING|OPEN|ACTIVE"),
    *ENTRY_DISPOSITIONS,
)


def _alternation(table: tuple[tuple[DispositionKind, str], ...], glued: bool = False) -> regex.Pattern:
    parts = [f"(?P<d{i}>{pattern})" for i, (_, pattern) in enumerate(table)]
    # In a table the plea and outcome cells can run together on a scan (`NOT GUILTYCONVICTED`).
    lead = "" if glued else r"(?<![A-Z])"
    return regex.compile(lead + r"(?:" + "|".join(parts) + r")(?![A-Z])", regex.IGNORECASE)


ENTRY_DISPOSITION = _alternation(ENTRY_DISPOSITIONS)
TABLE_DISPOSITION = _alternation(TABLE_DISPOSITIONS, glued=True)


def docket_disposition(match: regex.Match, table: tuple[tuple[DispositionKind, str], ...]) -> DispositionKind:
    return table[winner(match, "d", len(table))][0]


def winner(match: regex.Match, prefix: str, n: int) -> int:
    """Which alternative `prefix<i>` of an alternation matched."""
    for i in range(n):
        if match.group(f"{prefix}{i}") is not None:
            return i
    raise ValueError("no alternative matched")


# OCR-damaged keywords (`C0NVICTED`, `DlSMISSED`), tried only where a clause names a count
# and the exact phrases found nothing; `regex` fuzzy matching with a few errors.
FUZZY_DISPOSITIONS: tuple[tuple[DispositionKind, regex.Pattern], ...] = (
    (
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        regex.compile(r"(?:(?:DISMISSED){e<=2}\s+\S.{0,40}?1385)", regex.IGNORECASE | regex.BESTMATCH),
    ),
    (
        DispositionKind.ACQUITTED,
        regex.compile(r"(?:FOUND\s+NOT\s+GUILTY){e<=2}|(?:ACQUITTED){e<=2}", regex.IGNORECASE | regex.BESTMATCH),
    ),
    (
        DispositionKind.CONVICTED,
        regex.compile(
            r"(?:CONVICTED){e<=2}|(?:FOUND\s+GUILTY){e<=2}|(?:PLEA\s+OF\s+(?:GUILTY|NOLO\s+CONTENDERE)\s+ENTERED){e<=3}",
            regex.IGNORECASE | regex.BESTMATCH,
        ),
    ),
    (DispositionKind.DISMISSED, regex.compile(r"(?:DISMISSED){e<=2}", regex.IGNORECASE | regex.BESTMATCH)),
    (
        DispositionKind.DIVERSION,
        regex.compile(r"(?:DIVERSION){e<=2}|(?:DEFERRED\s+ENTRY){e<=2}", regex.IGNORECASE | regex.BESTMATCH),
    ),
)

# A table cell the exact forms missed (`ONVICTED-JURY`, `CORV-PLEA`): the closest short form.
FUZZY_TABLE_DISPOSITIONS: tuple[tuple[DispositionKind, regex.Pattern], ...] = (
    (
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        regex.compile(r"(?:FURTH(?:ERANCE)?\s*OF\s*JUSTICE){e<=3}|1385", regex.IGNORECASE | regex.BESTMATCH),
    ),
    (
        DispositionKind.ACQUITTED,
        regex.compile(r"(?:NOT\s*GUILTY){e<=2}|(?:ACQUITTED){e<=2}", regex.IGNORECASE | regex.BESTMATCH),
    ),
    (
        DispositionKind.CONVICTED,
        regex.compile(
            r"(?:CONVICTED){e<=2}|(?:CONV-PLEA){e<=2}|^\W*(?:GUILTY){e<=1}\W*$", regex.IGNORECASE | regex.BESTMATCH
        ),
    ),
    (
        DispositionKind.DISMISSED,
        regex.compile(
            r"(?:DISMISSED){e<=2}|(?:DISM-PEOPLE){e<=2}|(?:DISM/PLEA){e<=2}", regex.IGNORECASE | regex.BESTMATCH
        ),
    ),
    (
        DispositionKind.DIVERSION,
        regex.compile(r"(?:DIVERSION){e<=2}|(?:DEJ\s+GRANTED){e<=2}", regex.IGNORECASE | regex.BESTMATCH),
    ),
)
