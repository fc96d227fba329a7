"""RAP-sheet variety as DOJ prints it and a cloud OCR returned it (issue #17): one test per
pattern, each with the literal record line, and the rap_sheet_parser suite scored through
`docmine extract` as a user runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from docmine.extract.rap import parse_rap
from docmine.extract.route import route
from docmine.doctext import DocText
from docmine.records import DispositionKind, EventType, Severity, TermKind
from tests.test_extract_rap import SHA, court, rap

RSP = Path(__file__).parent.parent.parent / "shared" / "external" / "cfa" / "rap_sheet_parser"


def sheet(text: str) -> list:
    return parse_rap(DocText.from_texts("t", SHA, [text]))


def durations(count) -> list[tuple]:
    return [
        (t.kind, t.length, t.unit and t.unit.value)
        for t in count.sentence.terms
        if t.kind in (TermKind.PROBATION, TermKind.JAIL, TermKind.PRISON)
    ]


# --- event headers -------------------------------------------------------------------------


def test_name_number_line_between_header_and_date():
    (c,) = rap(
        "* * * *",
        "CUSTODY:",
        "NAM:001",
        "19910105 CAPD CONCORD",
        "TOC:F",
        "CNT:001",
        "#65131",
        "496.1 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
        "DISPO:CONVICTED",
    )
    assert (c.event_type, c.event_date.isoformat(), c.case_number, str(c.charge)) == (
        EventType.CUSTODY,
        "1991-01-05",
        "65131",
        "PC 496.1",
    )


def test_header_name_number_and_date_on_one_line():
    (c,) = rap(
        "* * * *",
        "COURT: NAM:01 19960718 CASC SAN FRANCISCO CO",
        "CNT:01     #164789",
        "11360(A) HS-SELL/FURNISH/ETC MARIJUANA/HASH",
        "DISPO: CLARIFICATION REQUESTED",
    )
    assert (c.event_type, c.event_date.isoformat(), c.court, str(c.charge)) == (
        EventType.COURT,
        "1996-07-18",
        "CASC SAN FRANCISCO CO",
        "HS 11360(a)",
    )
    assert c.disposition is DispositionKind.UNRECOGNIZED


def test_date_line_with_the_type_of_charge_at_its_right():
    (c,) = rap(
        "* * * *",
        "ARR/DET/CITE:           NAM:001",
        "19910105 CAPD CONCORD     TOC:F",
        "CNT:001 #65131",
        "496.1 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
    )
    assert (c.event_type, c.event_date.isoformat()) == (EventType.ARREST, "1991-01-05")


def test_first_event_with_a_date_and_no_agency():
    counts = sheet(
        "super\narbitrary\n* * * *\nREGISTRATION:\n\n19960101\n\nCNT:01 #ABCDE\n"
        "  11590 HS-REGISTRATION OF CNTL SUB OFFENDER\n- - - -\n20030101\n\nCNT:01 #EFHIHJ\n"
        "  290 PC-PREREGISTRATION OF SEX OFFENDER\n"
    )
    assert [(c.event_type, c.event_date.isoformat(), str(c.charge)) for c in counts] == [
        (EventType.REGISTRATION, "1996-01-01", "HS 11590"),
        (EventType.REGISTRATION, "2003-01-01", "PC 290"),
    ]


def test_header_as_first_event_of_a_sheet_with_nothing_else():
    counts = sheet(
        "info\n* * * *\nDECEASED:              NAM:01\n20130817  CACO SAN FRANCISCO\n\n"
        "CNT:01     #0064-64074-20790144\n  DECEASED\n\n   COM: SCN-L87G2300013\n* * * END OF MESSAGE * * *\n"
    )
    assert [(c.event_type, c.event_date.isoformat()) for c in counts] == [(EventType.DECEASED, "2013-08-17")]


# --- lines inside a count that are not its charge ---------------------------------------------


@pytest.mark.parametrize("line", ["TOC:M", "-BENCH WARRANT", "  WARRANT #ABCD", " .1170 (H) PC-SENTENCING"])
def test_lines_that_are_not_the_charge(line):
    (c,) = court("CNT: 001  #346477", line, "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "*DISPO:CONVICTED")
    assert str(c.charge) == "PC 496"


def test_sentencing_provision_after_the_charge_is_not_a_second_count():
    counts = court(
        "CNT: 001  #346477", "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "1170 (H) PC-SENTENCING", "*DISPO:CONVICTED"
    )
    assert [str(c.charge) for c in counts] == ["PC 496"]


def test_type_of_charge_after_the_description():
    (c,) = court("CNT: 001  #346477", "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY TOC:M")
    assert str(c.charge) == "PC 496"


@pytest.mark.parametrize(
    "line, charge",
    [("484-487 (A) PC-GRAND THEFT", "PC 484-487(a)"), ("594(A)-(B) (2) (A) PC-VANDALISM", "PC 594(a)-(b)(2)(a)")],
)
def test_combined_sections(line, charge):
    (c,) = court("CNT: 001  #346477", line, "*DISPO:CONVICTED")
    assert str(c.charge) == charge


def test_combined_prop64_sections_stay_unread_for_a_person():
    (c,) = court("CNT: 001  #346477", "11357-11359 HS-POSS/SALE MARIJUANA", "*DISPO:CONVICTED")
    assert c.charge is None and c.charge_text.startswith("11357-11359 HS")


def test_comment_charge_with_combined_sections():
    (c,) = court("CNT: 001  #346477", "DISPO:CONVICTED", "COM: CNT 01 CHRG-484-487 (A) PC")
    assert str(c.charge) == "PC 484-487(a)"


# --- dispositions ----------------------------------------------------------------------------


def test_disposition_word_spaced_by_the_scan():
    (c,) = court(
        "CNT: 001  #346477",
        "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
        "DI SP O:CONVICTED blah .",
        "CONV STATUS:MISDEMEANOR",
    )
    assert (c.disposition, c.severity) == (DispositionKind.CONVICTED, Severity.MISDEMEANOR)


def test_convicted_with_a_reversal_is_not_read_as_a_conviction():
    (c,) = court("CNT: 001  #346477", "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "DISPO:CONVICTED REVERSED ON APPEAL")
    assert c.disposition is not DispositionKind.CONVICTED


# --- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, want, text",
    [
        (
            "COM: SEN-X24 MO PROB, 8 DS JL, RSTN",
            [("probation", 24, "months"), ("jail", 8, "days")],
            "24 MO PROB, 8 DS JL, RSTN",
        ),
        ("COM: SEN-X3 YR PROB", [("probation", 3, "years")], "3 YR PROB"),
        ("COM: SEN-X,3 YR PROB", [("probation", 3, "years")], "3 YR PROB"),
        (
            "COM: XSEN:3 YR PROB,90 DS JL, FINE FNSS RSTN",
            [("probation", 3, "years"), ("jail", 90, "days")],
            "3 YR PROB,90 DS JL, FINE FNSS RSTN",
        ),
        (
            "COM: SEN-X3 YR PROB, 6 MO JL WORK, $971 FINE $420 RSTN",
            [("probation", 3, "years"), ("jail", 6, "months")],
            "3 YR PROB, 6 MO JL WORK, $971 FINE $420 RSTN",
        ),
    ],
)
def test_sentence_given_only_in_a_comment(line, want, text):
    (c,) = court(
        "CNT: 001  #346477", "487.2 PC-GRAND THEFT FROM PERSON", "DISPO:CONVICTED", "CONV STATUS:MISDEMEANOR", line
    )
    assert [(k.value, n, u) for k, n, u in durations(c)] == [(k, float(n), u) for k, n, u in want]
    assert c.sentence.text == text


def test_a_sen_line_wins_over_a_comment():
    (c,) = court(
        "CNT: 001  #346477",
        "487.2 PC-GRAND THEFT FROM PERSON",
        "DISPO:CONVICTED",
        "SEN: 012 MONTHS PROBATION",
        "COM: SEN-X3 YR PROB",
    )
    assert [(k.value, n) for k, n, _ in durations(c)] == [("probation", 12.0)]


@pytest.mark.parametrize(
    "line, want",
    [
        ("SEN: PROBATION", [("probation", None, None)]),
        ("SEN: JAIL", [("jail", None, None)]),
        ("SEN: PRISON,270 DAYS JAIL, IMP SEN SS", [("prison", None, None), ("jail", 270.0, "days")]),
    ],
)
def test_terms_of_no_stated_length(line, want):
    (c,) = court("CNT: 001  #346477", "487.2 PC-GRAND THEFT FROM PERSON", "DISPO:CONVICTED", line)
    assert [(k.value, n, u) for k, n, u in durations(c)] == want


def test_fine_suspended_among_noise():
    (c,) = court(
        "CNT: 001  #346477", "487.2 PC-GRAND THEFT FROM PERSON", "DISPO:CONVICTED", "SEN: BL FINE SS AH, CONCURRENT B A"
    )
    kinds = [(t.kind, t.detail) for t in c.sentence.terms]
    assert (TermKind.FINE, "suspended") in kinds and durations(c) == []


# --- the subject block -----------------------------------------------------------------------


def test_subject_block_at_any_left_margin_with_unindented_aliases():
    counts = sheet(
        "        CII/A99000099\n        DOB/19660119      SEX/M  RAC/WHITE\n"
        "        NAM/01 SKYWALKER,LUKE JAY\n02 SKYWALKER,LUKE\n\n        03 WALKER,LUKE\n"
        "* * * *\nCOURT: NAM:01\n19820915 CASC SN JOSE\nCNT: 001  #346477\n"
        "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY\n*DISPO:CONVICTED\n"
    )
    p = counts[0].person
    assert (p.cii, p.dob.isoformat(), p.name, p.aliases, p.sex, p.race) == (
        "A99000099",
        "1966-01-19",
        "SKYWALKER,LUKE JAY",
        ("SKYWALKER,LUKE", "WALKER,LUKE"),
        "M",
        "WHITE",
    )


def test_consolidated_cii_is_not_the_subjects():
    counts = sheet(
        "THE FOLLOWING CII NUMBER(S) IS BEING CONSOLIDATED WITH THIS CII RECORD:\n"
        "                    CII/99000012\n    *    *    *\n\nCII/A99000015\nNAM/01 SKYWALKER,LUKE JAY\n"
        "* * * *\nCOURT: NAM:01\n19820915 CASC SN JOSE\nCNT: 001  #346477\n"
        "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY\n*DISPO:CONVICTED\n"
    )
    assert counts[0].person.cii == "A99000015"


def test_court_name_without_the_speck_before_a_word():
    counts = sheet(
        "* * * *\nCOURT: NAM:01\n19820915 CAMC LOS .ANGELES METRO\nCNT: 001  #4.5.6\n"
        "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY\n*DISPO:CONVICTED\n"
    )
    assert (counts[0].court, counts[0].case_number) == ("CAMC LOS ANGELES METRO", "4.5.6")


def test_a_lone_page_number_is_not_an_update():
    (c,) = court(
        "CNT: 001  #346477",
        "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
        "*DISPO:CONVICTED",
        "SEN: 012 MONTHS PROBATION",
        "Page 3",
        "19900101",
        "  DISPO:CONV SET ASIDE & DISM PER 1203.4 PC",
    )
    assert len(c.updates) == 1 and "Page" not in c.sentence.text


# --- routing ---------------------------------------------------------------------------------


def test_router_never_refuses_a_short_rap_sheet():
    text = (
        "info\n* * * *\nCOURT: NAME7OZ\n19820915 CASC SN JOSE\n\nCNT: 001  #346477\n"
        "496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY\n* * * END OF MESSAGE * * *\n"
    )
    assert route([text]).doc_type.value == "rap_sheet"


def test_router_structure_needs_a_count_or_an_event():
    assert route(["Dear counsel,\n* * * *\nPlease find the enclosed minute order.\n"]).doc_type.value != "rap_sheet"


# --- the suite, as users run it ----------------------------------------------------------------


def test_rap_sheet_parser_suite_through_docmine_extract(tmp_path):
    """The CfA rap_sheet_parser texts scored by their own scorer, running `docmine extract` (issue #17:
    count recall >= 0.99, field accuracy >= 0.97)."""
    exe = Path(sys.executable).parent / "docmine"
    done = subprocess.run(
        [sys.executable, str(RSP / "score.py"), "--docmine", str(exe), "--show-errors", "20"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    m = re.search(r"count_recall=([0-9.]+) field_acc=([0-9.]+)", done.stdout)
    assert m, done.stdout
    assert float(m.group(1)) >= 0.99 and float(m.group(2)) >= 0.97, done.stdout


@pytest.mark.parametrize(
    "agency, county",
    [
        ("CASC YOLO", "YOLO"),
        ("CASO LAKE", "LAKE"),
        ("CASC DEL NORTE", "DEL NORTE"),
        ("CAPD LAKE ELSINORE", None),
        ("CAPD KINGS BEACH", None),
    ],
)
def test_county_of_any_of_the_58_from_a_county_agency(agency, county):
    """`CASC YOLO` is Yolo County, though the synthetic generator draws only 18 counties; a city
    police department whose town begins with a county's name is not that county."""
    from docmine.extract.rap_values import county_of

    assert county_of(agency)[0] == county


@pytest.mark.parametrize(
    "text, want",
    [
        ("002 YEARS 008 MONTHS PRISON", [("prison", 32.0, "months")]),
        ("1 YEAR 6 MONTHS PROBATION", [("probation", 18.0, "months")]),
        ("1 MONTH 15 DAYS JAIL", [("jail", 45.0, "days")]),
        ("3 YEARS FORMAL PROBATION", [("probation", 3.0, "years")]),
        ("90 DAYS COUNTY JAIL", [("jail", 90.0, "days")]),
        ("LIFE", [("prison", None, "life")]),
    ],
)
def test_sentence_lengths_never_read_short(text, want):
    """A term's length decides whether a sentence is still being served (HS 11361.8(a)): a length in
    two units or with a word before its kind must be read whole, never as its last part."""
    from docmine.extract.rap_values import sentence_terms

    got = [
        (t.kind.value, t.length, t.unit and t.unit.value)
        for t in sentence_terms(text)
        if t.kind in (TermKind.PROBATION, TermKind.JAIL, TermKind.PRISON)
    ]
    assert got == want


@pytest.mark.parametrize("text", ["RSTN", "RESTN", "RESTITUTION", "$420 RSTN"])
def test_restitution_spellings(text):
    from docmine.extract.rap_values import sentence_terms

    assert [t.kind for t in sentence_terms(text)] == [TermKind.RESTITUTION]


@pytest.mark.parametrize(
    "text, want",
    [
        ("SENTENCED TO 2 YEARS 8 MONTHS IN STATE PRISON", [("prison", 32.0, "months")]),
        ("1 YEAR AND 4 MONTHS STATE PRISON", [("prison", 16.0, "months")]),
        ("1 YEAR 6 MONTHS PROBATION", [("probation", 18.0, "months")]),
    ],
)
def test_docket_sentence_lengths_never_read_short(text, want):
    from docmine.extract.docket_values import sentence_terms

    got = [
        (t.kind.value, t.length, t.unit and t.unit.value)
        for t in sentence_terms(text)
        if t.kind in (TermKind.PROBATION, TermKind.JAIL, TermKind.PRISON)
    ]
    assert got == want
