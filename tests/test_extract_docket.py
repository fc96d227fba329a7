"""Court dockets: one test per pattern with the literal docket line, and whole synthetic
dockets against the generator's truth (every layout, `mixed` included)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from docmine.contract import count_to_dict
from docmine.extract.docket import parse_docket, read_date
from docmine.doctext import DocText, Entity
from docmine.records import DispositionKind, Severity, TermKind, TimeUnit, UpdateKind

SHA = hashlib.sha256(b"docket-tests").hexdigest()

HEADER = """\
                    SUPERIOR COURT OF CALIFORNIA, COUNTY OF LOS ANGELES
                                  CRIMINAL DOCKET

CASE NO: BA123456                               FILED: 03/14/1989
DEFENDANT: MARTINEZ, JOSE LUIS                    DOB: 05/02/1965  SEX: M
AKA: MARTINEZ, JOE
CII NO: A12345678
ARREST DATE: 03/10/1989    ARRESTING AGENCY: LAPD
CASE TYPE: FELONY    JUDGE: HON. A. SMITH    DEPT: 12

"""

LISTING = """\
CHARGES:
CT 01: H&S 11530 - POSSESS MARIJUANA (F)
CT 02: PC 459 - BURGLARY, A FELONY
CT 03: HS 11357(B) - POSS MARIJ 1 OZ/LESS (MISDEMEANOR)

MINUTE ENTRIES

"""


def docket(*entries: str, pages: list[str] | None = None) -> list:
    text = HEADER + LISTING + "\n".join(entries)
    return parse_docket(DocText.from_texts("test-docket", SHA, pages or [text]))


def entry(date: str, *lines: str) -> str:
    return "\n".join([date, *("    " + line for line in lines)]) + "\n"


def by_number(counts) -> dict:
    return {c.count: c for c in counts}


# --- header ------------------------------------------------------------------------------


def test_case_header():
    c = docket()[0]
    assert c.court == "SUPERIOR COURT OF CALIFORNIA, COUNTY OF LOS ANGELES"
    assert c.county == "LOS ANGELES"
    assert c.case_number == "BA123456"
    assert c.event_date == dt.date(1989, 3, 14)
    assert c.arrest_date == dt.date(1989, 3, 10)
    assert c.person.name == "MARTINEZ, JOSE LUIS"
    assert c.person.aliases == ("MARTINEZ, JOE",)
    assert c.person.dob == dt.date(1965, 5, 2) and c.person.dobs == (dt.date(1965, 5, 2),)
    assert c.person.cii == "A12345678"
    assert c.person.sex == "M" and c.person.race is None
    assert c.cycle == "1" and c.event_type.value == "court" and c.doc_type.value == "docket"
    assert c.count_id == f"{SHA[:16]}-1-1"
    assert c.provenance["case_number"].text == "BA123456"
    assert c.provenance["county"].text == "LOS ANGELES"


@pytest.mark.parametrize(
    "line, county",
    [
        ("LOS ANGELES COUNTY SUPERIOR COURT", "LOS ANGELES"),
        ("MUNICIPAL COURT OF CALIFORNIA, COUNTY OF SAN BERNARDINO, VICTOR VALLEY JUDICIAL DISTRICT", "SAN BERNARDINO"),
        ("OAKLAND-PIEDMONT JUDICIAL DISTRICT MUNICIPAL COURT, COUNTY OF ALAMEDA", "ALAMEDA"),
        ("SUPERIOR COURT OF THE STATE OF CALIFORNIA IN AND FOR THE COUNTY OF SAN LUIS OBISPO", "SAN LUIS OBISPO"),
    ],
)
def test_county_from_court_name(line, county):
    text = f"   {line}\nCASE NO: 123456\n\nCT 1: PC 459 - BURGLARY\n"
    (c,) = parse_docket(DocText.from_texts("d", SHA, [text]))
    assert c.court == line and c.county == county


# --- count listing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, charge, attempted, severity",
    [
        ("CT 01: H&S 11530 - POSSESS MARIJUANA (F)", "HS 11530", False, Severity.FELONY),
        ("COUNT 1: HSC 11357 - POSSESSION OF MARIJUANA (FELONY)", "HS 11357", False, Severity.FELONY),
        ("CNT 002: 11359 HS - POSS MARIJ FOR SALE, A FELONY", "HS 11359", False, Severity.FELONY),
        ("CT 3: HS11357(b) - POSS MARIJ 1 OZ/LESS (M)", "HS 11357(b)", False, Severity.MISDEMEANOR),
        ("CT 4: P.C. 415(1) - FIGHTING IN PUBLIC, AN INFRACTION", "PC 415(1)", False, Severity.INFRACTION),
        ("CT 5: HS 664/11359 - ATT POSS MARIJ FOR SALE (FEL)", "HS 11359", True, Severity.FELONY),
        ("CT 6: 10851(A) VEH - TAKE VEHICLE W/O CONSENT", "VC 10851(a)", False, Severity.UNKNOWN),
    ],
)
def test_charge_list_line(line, charge, attempted, severity):
    (c,) = parse_docket(DocText.from_texts("d", SHA, [HEADER + "CHARGES:\n" + line + "\n"]))
    assert str(c.charge) == charge and c.attempted is attempted and c.severity is severity
    assert c.disposition is DispositionKind.PENDING


def test_charge_list_line_wrapped_severity():
    text = HEADER + "CHARGES:\nCT 01: HS 11360(A) - SELL/FURNISH/ETC MARIJUANA/HASH\n    (FELONY)\n"
    (c,) = parse_docket(DocText.from_texts("d", SHA, [text]))
    assert c.severity is Severity.FELONY and c.provenance["severity"].text == "FELONY"


TABLE = """\
CHARGES/DISPOSITIONS
CT   STATUTE          DESCRIPTION               LVL  PLEA       FINDING              DISP DATE
---- ---------------- ------------------------- ---- ---------- -------------------- ----------
01   HS 11531         SALE/TRANSPORT MARIJUANA  F    GUILTY     CONVICTED            08/06/1964
02   H&S 11530.5      POSS MARIJ FOR SALE       F    NOT GUILTY DISM PC 1385         08/06/1964
03   HSC 11530        POSSESS MARIJUANA         M    NOT GUILTY NOT GUILTY-JURY      09/01/1964
04   B&P 4060         POSS CNTL SUB W/O RX      M    NOT GUILTY DISM/FURTH OF JUSTICE 09/01/1964
05   VC 23152(A)      DUI ALCOHOL               M               PENDING
06   PC 484           PETTY THEFT               I    NOLO       WRIT OF MANDATE      09/02/1964
"""


def test_count_table_rows():
    counts = by_number(parse_docket(DocText.from_texts("d", SHA, [HEADER + TABLE])))
    assert [str(counts[n].charge) for n in range(1, 7)] == [
        "HS 11531",
        "HS 11530.5",
        "HS 11530",
        "BP 4060",
        "VC 23152(a)",
        "PC 484",
    ]
    assert [counts[n].severity for n in range(1, 7)] == [Severity.FELONY] * 2 + [Severity.MISDEMEANOR] * 3 + [
        Severity.INFRACTION
    ]
    assert counts[1].disposition is DispositionKind.CONVICTED and counts[1].disposition_date == dt.date(1964, 8, 6)
    assert counts[2].disposition is DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE
    assert counts[3].disposition is DispositionKind.ACQUITTED and counts[3].disposition_text == "NOT GUILTY-JURY"
    assert counts[4].disposition_text == "DISM/FURTH OF JUSTICE"
    assert counts[5].disposition is DispositionKind.PENDING and counts[5].disposition_date is None
    # an outcome the tables do not know: kept with its text, never guessed
    assert counts[6].disposition is DispositionKind.UNRECOGNIZED and counts[6].disposition_text == "WRIT OF MANDATE"


def test_table_without_outcomes_then_minutes():
    text = (
        HEADER
        + """\
CHARGES FILED
NO.  CHARGE           DESCRIPTION                             TYPE
---- ---------------- --------------------------------------- ----
01   HS 11357(A)      POSSESS CONCENTRATED CANNABIS           F

PROCEEDINGS

07-MAR-2002
    DEFENDANT CONVICTED OF COUNT 01, A VIOLATION OF HS 11357(a), A FELONY.
"""
    )
    (c,) = parse_docket(DocText.from_texts("d", SHA, [text]))
    assert c.severity is Severity.FELONY and c.provenance["severity"].text == "F"
    assert c.disposition is DispositionKind.CONVICTED and c.disposition_date == dt.date(2002, 3, 7)


# --- dispositions in minute entries ------------------------------------------------------


@pytest.mark.parametrize(
    "line, kind, text",
    [
        (
            "DEFENDANT CONVICTED OF COUNT 01, A VIOLATION OF H&S 11530, A FELONY.",
            DispositionKind.CONVICTED,
            "CONVICTED",
        ),
        (
            "PLEA OF NOLO CONTENDERE ENTERED AS TO COUNT 01.",
            DispositionKind.CONVICTED,
            "PLEA OF NOLO CONTENDERE ENTERED",
        ),
        ("PLEA OF GUILTY ENTERED AS TO COUNT 01.", DispositionKind.CONVICTED, "PLEA OF GUILTY ENTERED"),
        ("AS TO COUNT 01, DEFENDANT FOUND GUILTY BY JURY.", DispositionKind.CONVICTED, "FOUND GUILTY BY JURY"),
        (
            "AS TO COUNT 01, DEFENDANT FOUND GUILTY BY THE COURT.",
            DispositionKind.CONVICTED,
            "FOUND GUILTY BY THE COURT",
        ),
        ("AS TO COUNT 01, DEFENDANT FOUND NOT GUILTY.", DispositionKind.ACQUITTED, "FOUND NOT GUILTY"),
        ("DEFENDANT ACQUITTED ON COUNT 01.", DispositionKind.ACQUITTED, "ACQUITTED"),
        ("COUNT 01 DISMISSED.", DispositionKind.DISMISSED, "DISMISSED"),
        ("COUNT 01 DISMISSED ON MOTION OF THE PEOPLE.", DispositionKind.DISMISSED, "DISMISSED ON MOTION OF THE PEOPLE"),
        ("COUNT 01 ORDERED DISMISSED.", DispositionKind.DISMISSED, "ORDERED DISMISSED"),
        (
            "COUNT 01 DISMISSED PURSUANT TO PC 1385.",
            DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
            "DISMISSED PURSUANT TO PC 1385",
        ),
        (
            "COUNT 01 DISMISSED IN THE FURTHERANCE OF JUSTICE PER PC 1385.",
            DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
            "DISMISSED IN THE FURTHERANCE OF JUSTICE PER PC 1385",
        ),
        ("COUNT 01 DISMISSED PER 1385 PC.", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE, "DISMISSED PER 1385 PC"),
        ("DIVERSION GRANTED PER PC 1000 AS TO COUNT 01.", DispositionKind.DIVERSION, "DIVERSION GRANTED PER PC 1000"),
        (
            "DEFERRED ENTRY OF JUDGMENT GRANTED AS TO COUNT 01.",
            DispositionKind.DIVERSION,
            "DEFERRED ENTRY OF JUDGMENT GRANTED",
        ),
    ],
)
def test_disposition_phrase(line, kind, text):
    counts = by_number(docket(entry("06/29/1989", "CHANGE OF PLEA. " + line)))
    assert counts[1].disposition is kind and counts[1].disposition_text == text
    assert counts[1].disposition_date == dt.date(1989, 6, 29)
    assert counts[1].provenance["disposition"].text == text
    assert counts[1].provenance["disposition_date"].text == "06/29/1989"
    assert counts[2].disposition is DispositionKind.PENDING and counts[3].disposition is DispositionKind.PENDING


def test_arraignment_not_guilty_plea_is_no_disposition():
    counts = docket(
        entry("03/20/1989", "ARRAIGNMENT. DEFENDANT PLEADS NOT GUILTY TO ALL COUNTS."),
        entry("03/21/1989", "ARRAIGNMENT. NOT GUILTY PLEA ENTERED."),
    )
    assert all(c.disposition is DispositionKind.PENDING for c in counts)


def test_each_phrase_goes_to_its_own_count_never_a_neighbour():
    counts = by_number(
        docket(
            entry(
                "01/06/1990",
                "DEFENDANT CONVICTED OF COUNT 02, A VIOLATION OF PC 459, A FELONY. AS TO",
                "COUNT 03, DEFENDANT FOUND NOT GUILTY. PLEA OF GUILTY ENTERED AS TO COUNT 01.",
            )
        )
    )
    assert counts[1].disposition_text == "PLEA OF GUILTY ENTERED"
    assert counts[2].disposition is DispositionKind.CONVICTED
    assert counts[3].disposition is DispositionKind.ACQUITTED


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "COUNTS 1 AND 3 DISMISSED.",
            {1: DispositionKind.DISMISSED, 2: DispositionKind.PENDING, 3: DispositionKind.DISMISSED},
        ),
        (
            "COUNTS 1-2 DISMISSED.",
            {1: DispositionKind.DISMISSED, 2: DispositionKind.DISMISSED, 3: DispositionKind.PENDING},
        ),
        (
            "ALL COUNTS DISMISSED.",
            {1: DispositionKind.DISMISSED, 2: DispositionKind.DISMISSED, 3: DispositionKind.DISMISSED},
        ),
        (
            "PLEA OF GUILTY ENTERED AS TO COUNT 2. REMAINING COUNTS DISMISSED.",
            {1: DispositionKind.DISMISSED, 2: DispositionKind.CONVICTED, 3: DispositionKind.DISMISSED},
        ),
    ],
)
def test_count_references(line, expected):
    counts = by_number(docket(entry("02/02/1990", line)))
    assert {n: c.disposition for n, c in counts.items()} == expected


# --- sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term",
    [
        ("16 MONTHS STATE PRISON", (TermKind.PRISON, 16.0, TimeUnit.MONTHS, None, "")),
        ("THE MIDTERM OF 3 YEARS STATE PRISON", (TermKind.PRISON, 3.0, TimeUnit.YEARS, None, "")),
        ("25 YEARS TO LIFE IN STATE PRISON", (TermKind.PRISON, 25.0, TimeUnit.YEARS, None, "to life")),
        ("3 YEARS PROBATION", (TermKind.PROBATION, 3.0, TimeUnit.YEARS, None, "")),
        ("36 MONTHS FORMAL PROBATION", (TermKind.PROBATION, 36.0, TimeUnit.MONTHS, None, "formal")),
        ("1 YEAR SUMMARY PROBATION", (TermKind.PROBATION, 1.0, TimeUnit.YEARS, None, "summary")),
        ("24 MONTHS COURT PROBATION", (TermKind.PROBATION, 24.0, TimeUnit.MONTHS, None, "summary")),
        ("30 DAYS JAIL", (TermKind.JAIL, 30.0, TimeUnit.DAYS, None, "")),
        ("1 DAY IN COUNTY JAIL", (TermKind.JAIL, 1.0, TimeUnit.DAYS, None, "")),
        ("180 DAYS COUNTY JAIL, EXECUTION SUSPENDED", (TermKind.JAIL, 180.0, TimeUnit.DAYS, None, "suspended")),
        ("FINE OF $300", (TermKind.FINE, None, None, 300.0, "")),
        ("FINE $1,200", (TermKind.FINE, None, None, 1200.0, "")),
        ("$500 FINE, STAYED", (TermKind.FINE, None, None, 500.0, "suspended")),
        ("FINE AND PENALTY ASSESSMENTS", (TermKind.FINE, None, None, None, "")),
        ("FINES AND FEES", (TermKind.FINE, None, None, None, "")),
        ("RESTITUTION $2,500", (TermKind.RESTITUTION, None, None, 2500.0, "")),
        ("VICTIM RESTITUTION", (TermKind.RESTITUTION, None, None, None, "")),
        ("RESTITUTION AMOUNT TO BE DETERMINED", (TermKind.RESTITUTION, None, None, None, "")),
        ("40 HOURS COMMUNITY SERVICE", (TermKind.COMMUNITY_SERVICE, None, None, None, "40 hours")),
        ("IMPOSITION OF SENTENCE SUSPENDED", (TermKind.SUSPENDED, None, None, None, "imposition")),
        ("CREDIT FOR 9 DAYS TIME SERVED", (TermKind.CREDIT, 9.0, TimeUnit.DAYS, None, "")),
        ("OTHER TERMS", (TermKind.OTHER, None, None, None, "")),
    ],
)
def test_sentence_term_spelling(text, term):
    counts = by_number(docket(entry("09/11/1990", f"DEFENDANT SENTENCED AS TO COUNT 02: {text}.")))
    s = counts[2].sentence
    assert s is not None and s.text == text and s.date == dt.date(1990, 9, 11)
    (t,) = s.terms
    assert (t.kind, t.length, t.unit, t.amount, t.detail) == term
    assert counts[1].sentence is None and counts[3].sentence is None
    assert counts[2].provenance["sentence.date"].text == "09/11/1990"


def test_sentence_over_lines_and_table_section():
    text = (
        HEADER
        + TABLE
        + """
JUDGMENT AND SENTENCE
09/17/1964  COUNT 01: 24 MONTHS FORMAL PROBATION, 180 DAYS JAIL, EXECUTION
            SUSPENDED, FINE OF $300
"""
    )
    c = by_number(parse_docket(DocText.from_texts("d", SHA, [text])))[1]
    assert c.sentence.text == "24 MONTHS FORMAL PROBATION, 180 DAYS JAIL, EXECUTION SUSPENDED, FINE OF $300"
    assert [t.kind for t in c.sentence.terms] == [TermKind.PROBATION, TermKind.JAIL, TermKind.FINE]
    assert c.provenance["sentence"].text == (
        "24 MONTHS FORMAL PROBATION, 180 DAYS JAIL, EXECUTION\n            SUSPENDED, FINE OF $300"
    )


# --- later updates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        (
            "MOTION PURSUANT TO PC 1203.4 GRANTED. PLEA WITHDRAWN, CONVICTION SET ASIDE AND CASE DISMISSED",
            UpdateKind.SET_ASIDE_1203_4,
        ),
        ("CONVICTION SET ASIDE AND DISMISSED PER PC 1203.4", UpdateKind.SET_ASIDE_1203_4),
        ("OFFENSE REDUCED TO A MISDEMEANOR PURSUANT TO PC 17(B)", UpdateKind.REDUCED_17B),
        ("MOTION PER PC 17(B)(3) GRANTED, FELONY REDUCED TO MISDEMEANOR", UpdateKind.REDUCED_17B),
        ("PROBATION REVOKED", UpdateKind.PROBATION_REVOKED),
        ("PROBATION REVOKED AND TERMINATED", UpdateKind.PROBATION_REVOKED),
        ("PROBATION TERMINATED EARLY PER PC 1203.3", UpdateKind.PROBATION_TERMINATED),
        ("PRIOR SENTENCE MODIFIED", UpdateKind.SENTENCE_MODIFIED),
        ("DEFENDANT RESENTENCED", UpdateKind.RESENTENCED),
        ("PETITION PURSUANT TO HS 11361.8 GRANTED. CONVICTION REDESIGNATED AS AN INFRACTION", UpdateKind.REDESIGNATED),
        ("APPLICATION PER PC 1170.18(F) GRANTED, OFFENSE REDESIGNATED A MISDEMEANOR", UpdateKind.REDESIGNATED),
        ("CONVICTION DISMISSED PURSUANT TO HS 11361.8", UpdateKind.DISMISSED),
        ("PETITION PER HS 11361.8 GRANTED, CONVICTION DISMISSED", UpdateKind.DISMISSED),
        ("RECORD ORDERED SEALED PURSUANT TO HS 11361.8", UpdateKind.SEALED),
        ("POST-JUDGMENT ORDER", UpdateKind.UNRECOGNIZED),
    ],
)
def test_update_kind(text, kind):
    counts = by_number(
        docket(
            entry("06/29/1989", "PLEA OF GUILTY ENTERED AS TO COUNT 01. PLEA OF GUILTY ENTERED AS TO COUNT 03."),
            entry("12/14/2018", f"AS TO COUNT 03: {text}."),
        )
    )
    (u,) = counts[3].updates
    assert (u.kind, u.text, u.date) == (kind, text, dt.date(2018, 12, 14))
    assert counts[1].updates == () and counts[2].updates == ()
    assert counts[3].provenance["updates.0.date"].text == "12/14/2018"


def test_update_with_new_sentence_keeps_it_in_the_text():
    counts = by_number(
        docket(
            entry("06/29/1989", "PLEA OF GUILTY ENTERED AS TO COUNT 02."),
            entry("07/20/1989", "DEFENDANT SENTENCED AS TO COUNT 02: 3 YEARS FORMAL PROBATION."),
            entry(
                "02/02/1991",
                "AS TO COUNT 02: PROBATION REVOKED. DEFENDANT SENTENCED TO THE MIDTERM OF 16",
                "MONTHS STATE PRISON.",
            ),
        )
    )
    c = counts[2]
    assert c.sentence.text == "3 YEARS FORMAL PROBATION"
    (u,) = c.updates
    assert u.kind is UpdateKind.PROBATION_REVOKED
    assert u.text == "PROBATION REVOKED. DEFENDANT SENTENCED TO THE MIDTERM OF 16 MONTHS STATE PRISON"


# --- pages -------------------------------------------------------------------------------


def test_page_break_between_and_inside_entries():
    page1 = (
        HEADER
        + LISTING
        + entry("06/29/1989", "PLEA OF GUILTY ENTERED AS TO COUNT 01.")
        + "\n\n                                  PAGE 1 OF 2"
    )
    page2 = "CASE NO: BA123456  MARTINEZ, JOSE LUIS                              PAGE 2 OF 2\n\n" + entry(
        "07/20/1989",
        "DEFENDANT SENTENCED AS TO COUNT 01: 3 YEARS FORMAL PROBATION, 30 DAYS",
        "COUNTY JAIL. COUNT 02 DISMISSED.",
    )
    counts = by_number(parse_docket(DocText.from_texts("d", SHA, [page1, page2])))
    assert counts[1].sentence.text == "3 YEARS FORMAL PROBATION, 30 DAYS COUNTY JAIL"
    assert counts[1].provenance["sentence"].page == 2
    assert counts[2].disposition is DispositionKind.DISMISSED
    assert counts[1].case_number == "BA123456"  # the repeated header line is furniture


def test_entry_broken_by_a_page_break():
    page1 = (
        HEADER
        + LISTING
        + "07/20/1989\n    DEFENDANT SENTENCED AS TO COUNT 01: 3 YEARS FORMAL PROBATION,\n\n   PAGE 1 OF 2"
    )
    page2 = "CASE NO: BA123456  MARTINEZ, JOSE LUIS\n\n    30 DAYS COUNTY JAIL.\n"
    c = by_number(parse_docket(DocText.from_texts("d", SHA, [page1, page2])))[1]
    assert c.sentence.text == "3 YEARS FORMAL PROBATION, 30 DAYS COUNTY JAIL"
    assert [t.kind for t in c.sentence.terms] == [TermKind.PROBATION, TermKind.JAIL]


# --- OCR and robustness ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/14/1989", dt.date(1989, 3, 14)),
        ("3-14-89", dt.date(1989, 3, 14)),
        ("14-MAR-1989", dt.date(1989, 3, 14)),
        ("MAR 14, 1989", dt.date(1989, 3, 14)),
        ("1S-JUL-1968", dt.date(1968, 7, 15)),
        ("ocT 31, 2008", dt.date(2008, 10, 31)),
        ("05/30{1999", dt.date(1999, 5, 30)),
        ("AUG 26, 2619", None),
        ("09/97/1979", None),
    ],
)
def test_read_date(text, expected):
    assert read_date(text) == expected


def test_ocr_damaged_lines():
    text = (
        HEADER.replace("DOB:", "DCB:")
        + """\
CHARGES:
COURT 001: 11357(a) H&S - POSSESS HASHISH, A MISDEMEANOR
CHT 002: 4&S11530 - POSS MARIJUANA (MISOEMEANOR)

MINUTE ENTRIES

06/29/1989
    DEFENDANT C0NVICTED OF COUNT 001, A VIOLATION OF HS11357(a), A MISDEMEANOR.
"""
    )
    counts = by_number(parse_docket(DocText.from_texts("d", SHA, [text])))
    assert counts[1].person.dob == dt.date(1965, 5, 2)
    assert str(counts[1].charge) == "HS 11357(a)" and counts[1].disposition is DispositionKind.CONVICTED
    assert str(counts[2].charge) == "HS 11530" and counts[2].severity is Severity.MISDEMEANOR


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\f\f",
        "CASE NO:\nCT 01:\n01/01/2000\n    AS TO COUNT 1:",
        "CT 1: HS 11357 - X\n01/01/2000\n    COUNTS 1 THROUGH 999 DISMISSED. ALL COUNTS:",
    ],
)
def test_never_crashes(text):
    parse_docket(DocText.from_texts("d", SHA, [text]))


def test_model_entities_are_only_a_fallback():
    text = HEADER + LISTING + entry("06/29/1989", "AS TO COUNT 01, THE MATTER WAS RESOLVED BY WRIT.")
    plain = by_number(parse_docket(DocText.from_texts("d", SHA, [text])))
    assert plain[1].disposition is DispositionKind.PENDING
    doc = DocText.from_texts("d", SHA, [text])
    start = doc.text.index("RESOLVED BY WRIT")
    ents = [Entity(start, start + len("RESOLVED BY WRIT"), "DISPOSITION", 0.9)]
    helped = by_number(parse_docket(doc, ents))
    assert helped[1].disposition is DispositionKind.UNRECOGNIZED
    assert helped[1].disposition_text == "RESOLVED BY WRIT" and helped[1].confidence < 1.0
    assert helped[2].disposition is DispositionKind.PENDING


# --- whole synthetic dockets against the generator's truth --------------------------------

FIELDS = (
    "count",
    "charge",
    "charge_text",
    "attempted",
    "severity",
    "disposition",
    "disposition_text",
    "disposition_date",
    "event_date",
    "offense_date",
    "arrest_date",
    "court",
    "county",
    "case_number",
    "person",
    "sentence",
    "updates",
    "page",
    "cycle",
    "event_type",
)


@pytest.mark.parametrize("layout", ["table", "minute", "mixed"])
def test_golden_synthetic_dockets(layout):
    from docmine.synth.corpus import build_counts, text_document

    for seed in range(700, 740):
        d = text_document("docket", layout, seed)
        sha = hashlib.sha256(f"{layout}-{seed}".encode()).hexdigest()
        truth = {c.count_id: count_to_dict(c) for c in build_counts(d, f"{layout}-{seed}", sha)}
        got = {c.count_id: count_to_dict(c) for c in parse_docket(DocText.from_texts(f"{layout}-{seed}", sha, d.texts))}
        assert got.keys() == truth.keys(), (layout, seed)
        for key, want in truth.items():
            for f in FIELDS:
                assert got[key][f] == want[f], (layout, seed, key, f)
            spans = {k: (v["page"], v["start"], v["end"]) for k, v in want["provenance"].items()}
            assert {k: (v["page"], v["start"], v["end"]) for k, v in got[key]["provenance"].items()} == spans


# --- model fallbacks and OCR damage (entities given explicitly) -----------------------------


def _doc(listing: str, *entries: str) -> DocText:
    return DocText.from_texts("d", SHA, [HEADER + listing + "\n".join(entries)])


def _entity(doc: DocText, text: str, label: str, score: float = 0.9) -> Entity:
    at = doc.text.index(text)
    return Entity(at, at + len(text), label, score)


BENT_LISTING = """\
CHARGES:
CNT 1: HS 11357 - POSS MARIJUANA, A MISDEMEANOR
Cnr 2: H&S 11359 - POSS MARIJUANA FOR SALE, A FELONY

MINUTE ENTRIES

"""


def test_model_charge_recovers_a_listing_line_whose_count_word_was_bent():
    doc = _doc(BENT_LISTING, entry("06/29/1989", "COUNT 2 DISMISSED."))
    assert [c.count for c in parse_docket(doc)] == [1]
    got = by_number(parse_docket(doc, [_entity(doc, "H&S 11359", "CHARGE", 0.8)]))
    assert str(got[2].charge) == "HS 11359" and got[2].severity is Severity.FELONY
    assert got[2].disposition is DispositionKind.DISMISSED
    assert got[2].provenance["charge"].confidence == pytest.approx(0.8) and got[2].confidence < got[1].confidence


def test_model_charge_does_not_take_an_out_of_turn_number():
    listing = BENT_LISTING.replace("Cnr 2:", "Cnr 7:")
    doc = _doc(listing)
    assert [c.count for c in parse_docket(doc, [_entity(doc, "H&S 11359", "CHARGE")])] == [1]


def test_model_disposition_scales_its_provenance_confidence():
    doc = _doc(LISTING, entry("06/29/1989", "AS TO COUNT 01, THE MATTER WAS RESOLVED BY WRIT."))
    got = by_number(parse_docket(doc, [_entity(doc, "RESOLVED BY WRIT", "DISPOSITION", 0.75)]))
    assert got[1].provenance["disposition"].confidence == pytest.approx(0.75)


def test_entry_date_bent_past_the_date_pattern_still_opens_an_entry():
    counts = by_number(docket(entry("07. 31/2909", "JURY TRIAL. COUNT 01 DISMISSED PURSUANT TO PC 1385.")))
    assert counts[1].disposition is DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE
    assert counts[1].disposition_date is None  # `2909` is no year: the date is left unread


def test_entry_date_with_a_comma_for_a_slash():
    counts = by_number(docket(entry("07,24/1989", "COUNT 02 DISMISSED.")))
    assert counts[2].disposition is DispositionKind.DISMISSED and counts[2].disposition_date == dt.date(1989, 7, 24)


def test_count_reference_glued_to_as_to():
    counts = by_number(docket(entry("06/29/1989", "PLEA OF NOLO CONTENDERE ENTEREDASTOCOUNT1.")))
    assert counts[1].disposition is DispositionKind.CONVICTED and counts[2].disposition is DispositionKind.PENDING


@pytest.mark.parametrize(
    "line, want",
    [("CT 02: H&S 11357(B} - POSS MARIJ", "HS 11357(b)"), ("CT 02: H&S 11357(\u00a2) - POSS MARIJ", "HS 11357(c)")],
)
def test_braced_or_cent_sign_subsection(line, want):
    counts = by_number(
        parse_docket(DocText.from_texts("d", SHA, [HEADER + "CHARGES:\nCT 01: PC 459 - BURGLARY\n" + line + "\n"]))
    )
    assert str(counts[2].charge) == want
