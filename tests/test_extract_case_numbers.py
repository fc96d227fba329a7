"""Court case numbers against their county's shapes: one test per misread, each with the
literal RAP-sheet lines Tesseract gave on the synthetic scans (`scripts/eval_extract.py`)."""

from __future__ import annotations

import datetime as dt

import pytest

from docmine.extract import extract, extract_text
from docmine.extract.case_numbers import COURT_SHAPES, fits, settle, unshaped
from docmine.extract.confidence import Calibrator, count_features
from docmine.doctext import DocText
from docmine.ingest import load
from docmine.records import EventType, Page, TextSource
from docmine.synth import render
from tests.test_extract_rap import HEADER

SHA = "cd" * 32


def court_counts(event_line: str, case_line: str, charge_line: str, *, ocr: bool = True):
    text = (
        HEADER
        + "\n".join(
            (
                "* * * *",
                "COURT:                NAM:01",
                event_line,
                "",
                case_line,
                charge_line,
                "*DISPO:CONVICTED",
                "CONV STATUS:MISDEMEANOR",
                "SEN: 010 DAYS JAIL",
                "",
            )
        )
        + "\n"
    )
    source = TextSource.OCR if ocr else TextSource.TEXT_LAYER
    doc = DocText("t", SHA, [Page(1, 612.0, 792.0, text, source=source)])
    return extract_text(doc).counts


@pytest.mark.parametrize(
    "event_line, case_line, charge_line, expected",
    [
        # Orange: two digits of the filing year, a court letter pair, four digits; S read for 5.
        (
            "19851023  CASC ORANGE",
            "CNT:01      #8SWF4655",
            "  11358 HS-PLANT/CULTIVATE/ETC MARIJUANA/HASHISH",
            "85WF4655",
        ),
        # ...and the year's zeros read as the letter O.
        ("20000115   CASC ORANGE", "CNT:01    #OOWF2029", "  11357(A) HS -POSSESS HASHISH", "00WF2029"),
        ("20080625  CASC ORANGE", "CNT:01     #O8NF4462", "  11357 HS-POSSESS MARIJUANA", "08NF4462"),
        # San Bernardino: F or M, a court (VI = Victorville), six digits; the I read as 1.
        ("19870124  CASC SAN BERNARDINO", "CNT:001     #FV1397294", "  207(A) PC -KIDNAPPING", "FVI397294"),
        # Kern: B, F or M, six digits, A; zeros read as O.
        ("19900305  CASC KERN", "CNT:01      #BFOO7861A", "  11359 HS-POSSESS MARIJUANA FOR SALE", "BF007861A"),
        # Santa Clara before 1980: C and six digits, the C read as a zero.
        ("19750219  CASC SANTA CLARA", "CNT:01     #0377421", "  211 PC -ROBBERY", "C377421"),
        # San Diego: SC and a court letter; the S read as 8, and a lower-case reading.
        ("19900416  CASC SAN DIEGO", "CNT:01     #8CD351056", "  11360(A) HS-TRANSPORT MARIJUANA", "SCD351056"),
    ],
)
def test_misread_case_number_is_repaired_by_its_county_shape(event_line, case_line, charge_line, expected):
    (count,) = court_counts(event_line, case_line, charge_line)
    assert count.case_number == expected
    assert count.provenance["case_number"].text != expected  # the words stay as read
    features = count_features(count, DocText("t", SHA, [Page(1, 612.0, 792.0, "", source=TextSource.OCR)]))
    assert features["case_number_repaired"] == 1.0 and features["case_number_unshaped"] == 0.0


def test_text_layer_case_number_is_checked_not_repaired():
    """A text layer prints the number as the court filed it: never rewritten."""
    (count,) = court_counts("19851023  CASC ORANGE", "CNT:01      #8SWF4655", "  11358 HS-PLANT/CULTIVATE", ocr=False)
    assert count.case_number == "8SWF4655"
    assert unshaped(count)


def test_a_lost_digit_is_left_as_read_and_marked_unshaped():
    """`#89CM97057` with a streak over its last digit: no confusion explains it, so it is
    kept as read, and its count's confidence learns the number fits no Orange shape."""
    (count,) = court_counts(
        "19890728  CAMC HARBOR", "CNT:01     #89CM9705", "  11357(B) HS-POSSESS UNDER 1 OZ MARIJUANA"
    )
    assert count.county == "ORANGE" and count.case_number == "89CM9705"
    assert unshaped(count)
    doc = DocText("t", SHA, [Page(1, 612.0, 792.0, "", source=TextSource.OCR)])
    assert count_features(count, doc)["case_number_unshaped"] == 1.0


def test_well_read_case_numbers_are_untouched():
    (count,) = court_counts("19840918  CASC LOS ANGELES", "CNT:01     #BA123456", "  11360(A) HS-TRANSPORT MARIJUANA")
    assert count.case_number == "BA123456" and not unshaped(count)


def test_one_fitting_reading_is_taken():
    """San Francisco numbers are seven digits, or SCN and six: each misread below has one
    reading that fits."""
    assert settle("12345O6", "SAN FRANCISCO", dt.date(1995, 1, 1)).value == "1234506"
    reading = settle("SCNI2345G", "SAN FRANCISCO", dt.date(1995, 1, 1))
    assert reading.value == "SCN123456" and reading.repaired
    # Los Angeles misdemeanours start with the year's last digit.
    assert settle("BCA12345", "LOS ANGELES", dt.date(1988, 6, 1)).value == "8CA12345"


def test_two_fitting_readings_are_not_guessed():
    """Contra Costa: six digits, a dash, one digit. The last `S` of `12345B-S` may be a 5 or
    an 8; both fit, so the number is left as read, unshaped, for review."""
    reading = settle("12345B-S", "CONTRA COSTA", dt.date(1995, 1, 1))
    assert reading == type(reading)("12345B-S", False, repaired=False)


def test_filing_year_in_the_shape_follows_the_event_year():
    """A year slot accepts the event's year or one either side (a docket's filing date in
    December, the number given in January), and no other."""
    assert fits("85WF4655", "ORANGE", dt.date(1985, 3, 1))
    assert fits("84WF4655", "ORANGE", dt.date(1985, 3, 1))
    assert fits("06CF5620", "ORANGE", dt.date(2005, 10, 27))
    assert not fits("79WF4655", "ORANGE", dt.date(1985, 3, 1))


def test_unknown_county_is_never_checked():
    assert fits("ANYTHING1", "ALPINE", dt.date(1990, 1, 1)) is None
    assert settle("0OO1", None, None).value == "0OO1"


def test_arrest_numbers_are_not_court_case_numbers():
    text = (
        HEADER
        + "\n".join(
            (
                "* * * *",
                "ARR/DET/CITE:         NAM:01",
                "19851020  CAPD ANAHEIM",
                "",
                "CNT:01     #OO12345",
                "  11357 HS-POSSESS MARIJUANA",
                "",
            )
        )
        + "\n"
    )
    doc = DocText("t", SHA, [Page(1, 612.0, 792.0, text, source=TextSource.OCR)])
    (count,) = extract_text(doc).counts
    assert count.event_type == EventType.ARREST and count.case_number == "OO12345" and not unshaped(count)


def test_every_county_shape_compiles_for_any_year():
    for county in COURT_SHAPES:
        for year in (1965, 1999, 2000, 2019):
            assert fits("?", county, dt.date(year, 1, 1)) is False


def test_shipped_calibrator_flags_an_unshaped_case_number_and_trusts_a_shaped_one(tmp_path):
    """The shipped count confidence (`models/confidence.json`, boosted trees) on a printed
    RAP sheet scanned at 300 dpi and read by Tesseract: two counts that differ only in their
    case number. The one that fits Orange's shape is trusted; the one a digit short is
    flagged for review."""
    calibrator = Calibrator.load()
    assert calibrator.trees, "the shipped calibrator is the boosted trees"
    event = (
        "* * * *\nCOURT:                NAM:01\n19890728  CAMC HARBOR\n\n"
        "CNT:01     #{case}\n  11357(B) HS-POSSESS UNDER 1 OZ MARIJUANA\n*DISPO:CONVICTED\n"
        "   CONV STATUS:MISDEMEANOR\n   SEN: 010 DAYS JAIL\n"
    )
    text = HEADER + event.format(case="89CM97057") + event.format(case="89CM9705")
    pdf = tmp_path / "sheet.pdf"
    render.render_text_pdf([text], pdf)
    (image,) = render.rasterize(pdf, 300)
    scan = render.write_pngs([image], tmp_path / "scan")[0]
    result = extract(load(scan), name="scan")
    whole, short = result.counts
    assert whole.case_number == "89CM97057" and short.case_number == "89CM9705"
    assert whole.confidence >= calibrator.review_below > short.confidence
    assert result.flagged == (short,)
