"""OCR repairs, one test per pattern with the literal record line, and the offset map."""

import pytest

from docmine.normalize import normalize

REPAIRS = [
    ("CHT:01     #19514114", "CNT:01     #19514114"),
    ("CNI:02", "CNT:02"),
    ("CNT;03", "CNT:03"),
    # The count number slot holds digits only.
    ("CNT:Q1     #LA684844", "CNT:01     #LA684844"),
    ("CNT:D1   #H471600", "CNT:01   #H471600"),
    ("CNT:OO1-004  #BA123456", "CNT:001-004  #BA123456"),
    ("  1l359 HS-POSSESS MARIJUANA FOR SALE", "  11359 HS-POSSESS MARIJUANA FOR SALE"),
    ("  11357(B) HS-POSSESS MARIJUANA", "  11357(B) HS-POSSESS MARIJUANA"),
    # A glued capital A-H is a subsection, never a misread digit.
    ("  11360B HS-TRANSPORT MARIJUANA", "  11360B HS-TRANSPORT MARIJUANA"),
    ("  1l357D HS-POSSESS MARIJUANA", "  11357D HS-POSSESS MARIJUANA"),
    ("  1135O HS-POSSESS NARCOTIC", "  11350 HS-POSSESS NARCOTIC"),
    ("  I1360(A) HS-TRANSPORT/SELL MARIJUANA", "  11360(A) HS-TRANSPORT/SELL MARIJUANA"),
    ("1989O314  CASC SAN FRANCISCO", "19890314  CASC SAN FRANCISCO"),
    ("1989.0314  CASC SAN FRANCISCO", "19890314  CASC SAN FRANCISCO"),
    ("l9870S12", "19870512"),
    ("DOB/19570119 1960O915 SEX/M", "DOB/19570119 19600915 SEX/M"),
    ("CNT:01     #l9514114", "CNT:01     #19514114"),
    ("CNT:01 #F1234S678", "CNT:01 #F12345678"),
    ("*DISPO:COMVICTED", "*DISPO:CONVICTED"),
    ("*DISPO:CO N VI CTE D", "*DISPO:CONVICTED"),
    (" DISPO:DISMlSSED/FURTHERANCE OF JUSTICE", " DISPO:DISMISSED/FURTHERANCE OF JUSTICE"),
    ("CONV STATUS:MISDEMEAN0R", "CONV STATUS:MISDEMEANOR"),
    ("CONV STATUS:FELOMY", "CONV STATUS:FELONY"),
]

LEFT_ALONE = [
    "THE DEFENDANT WAS CONFUSED ABOUT SOLD ITEMS",  # free text: no slot, no repair
    "CNT:01 #BA123456",  # a letter prefix is part of the case number
    "CNT:OK",  # no digit in the slot: not a count number
    "CNT:01     #388555T,8989",  # a letter suffix too
    "  496.1 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
    "SEN: 036 MONTHS PROBATION, 090 DAYS JAIL",
    "NAM/01 SKYWALKER,LUKE JAY",
    "  CONVICTED OF FELONY BY JURY",
]


@pytest.mark.parametrize("line,repaired", REPAIRS, ids=[r[0] for r in REPAIRS])
def test_repair(line, repaired):
    assert normalize(line).text == repaired


@pytest.mark.parametrize("line", LEFT_ALONE)
def test_left_alone(line):
    result = normalize(line)
    assert result.text == line and not result.edits


def test_clean_fixture_rap_sheets_are_not_touched(cfa_fixtures):
    for path in sorted((cfa_fixtures / "rap-sheet-assistant").glob("*.txt")):
        text = path.read_text()
        assert normalize(text).text == text, path.name


def test_spans_map_back_to_the_words_as_read():
    source = "CHT:01     #l9514114\n  1l357(B) HS-POSSESS MARIJUANA\n*DISPO:CO N VI CTE D\n19890314"
    result = normalize(source)
    for word, original in [
        ("CNT:01", "CHT:01"),
        ("19514114", "l9514114"),
        ("11357(B) HS", "1l357(B) HS"),
        ("CONVICTED", "CO N VI CTE D"),
        ("POSSESS MARIJUANA", "POSSESS MARIJUANA"),
        ("19890314", "19890314"),
    ]:
        start = result.text.index(word)
        assert result.source_text(start, start + len(word)) == original
    # Untouched text maps one to one, and the whole maps to the whole.
    assert result.source_span(0, len(result.text)) == (0, len(source))
    assert len(result.offsets) == len(result.text) + 1
    assert list(result.offsets) == sorted(result.offsets)


def test_shortening_and_lengthening_repairs_keep_offsets_in_order():
    source = " DISPO:DISMISED/FURTHERANCE\n1989.0314 X"
    result = normalize(source)
    assert result.text == " DISPO:DISMISSED/FURTHERANCE\n19890314 X"
    start = result.text.index("DISMISSED")
    assert result.source_text(start, start + 9) == "DISMISED"
    start = result.text.index("FURTHERANCE")
    assert result.source_text(start, start + 11) == "FURTHERANCE"
    start = result.text.index("X")
    assert result.source_text(start, start + 1) == "X"
