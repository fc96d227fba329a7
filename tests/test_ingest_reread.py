"""The second look at unsure code-like words (`docmine.ingest.reread`): case numbers and
dates cut out of the page, enlarged and read again by Tesseract itself (no mocks)."""

from __future__ import annotations

import os

import numpy as np
import pytesseract
import pytest

from docmine.ingest import preprocess, reread
from docmine.ingest.cer import cer
from docmine.ingest.ocr import NOISY_CONFIG, OcrOptions, ocr_page
from docmine.synth import render

os.environ["OMP_THREAD_LIMIT"] = "1"

LINES = (
    "COURT:                NAM:01\n19900806  CASC SAN DIEGO\n\n"
    "CNT:01        #C377421\n  11357 HS -POSS MARIJUANA\n*DISPO:CONVICTED\n"
) * 3


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A page of RAP-sheet lines at 200 dpi, prepared as OCR prepares it, and Tesseract's reading."""
    pdf = tmp_path_factory.mktemp("reread") / "codes.pdf"
    render.render_text_pdf([LINES], pdf)
    gray = np.asarray(render.rasterize(pdf, 200)[0])
    prepared = preprocess.prepare(gray, 200.0)
    data = pytesseract.image_to_data(
        prepared.image, config=f"{NOISY_CONFIG} --dpi 200", output_type=pytesseract.Output.DICT
    )
    return prepared, data


def _rows(data, text):
    return [i for i, t in enumerate(data["text"]) if (t or "").strip() == text]


@pytest.mark.parametrize(
    "word, expected",
    [
        ("#C377421", True),
        ("19900806", True),
        ("11357(A)", True),
        ("#85-71522", True),
        ("#A1", False),
        ("CNT:01", False),
        ("MARIJUANA", False),
        ("HS", False),
    ],
)
def test_which_words_are_codes(word, expected):
    assert reread.is_code(word) is expected


def test_an_unsure_misreading_is_corrected_by_the_enlarged_readings(page):
    prepared, data = page
    rows = _rows(data, "19900806")
    assert len(rows) == 3, "the page reading itself must see the three dates"
    misread = {key: list(values) for key, values in data.items()}
    misread["text"][rows[0]], misread["conf"][rows[0]] = "19900306", 20.0  # what a photocopy gave
    out, note = reread.reread_codes(prepared.image, prepared.dpi, misread, timeout=60)
    assert out["text"][rows[0]] == "19900806"
    assert out["conf"][rows[0]] > 20.0
    assert "corrected" in note and "0 corrected" not in note
    assert misread["text"][rows[0]] == "19900306", "the input is not changed in place"


def test_an_unsure_right_reading_is_confirmed_and_a_sure_one_left_alone(page):
    prepared, data = page
    dates = _rows(data, "19900806")
    assert dates
    unsure = {key: list(values) for key, values in data.items()}
    unsure["conf"][dates[0]] = 40.0
    unsure["conf"][dates[1]] = 99.0  # above REREAD_BELOW: never looked at again
    out, note = reread.reread_codes(prepared.image, prepared.dpi, unsure, timeout=60)
    assert out["text"][dates[0]] == "19900806" and out["conf"][dates[0]] > 40.0
    assert out["conf"][dates[1]] == 99.0
    assert "confirmed" in note


def test_a_misreading_the_enlargements_do_not_agree_on_is_kept_but_trusted_less(page):
    prepared, data = page
    rows = _rows(data, "19900806")
    blank = {key: list(values) for key, values in data.items()}
    # The box now covers blank paper: the enlargements read nothing, so the page reading stays.
    i = rows[1]
    blank["left"][i] = 5
    blank["top"][i] = 5
    blank["text"][i], blank["conf"][i] = "19900306", 50.0
    out, _ = reread.reread_codes(prepared.image, prepared.dpi, blank, timeout=60)
    assert out["text"][i] == "19900306" and out["conf"][i] == 50.0


def test_a_page_with_nothing_unsure_costs_no_tesseract_call(page):
    prepared, data = page
    sure = {key: list(values) for key, values in data.items()}
    sure["conf"] = [99.0 if float(c) >= 0 else c for c in sure["conf"]]
    out, note = reread.reread_codes(prepared.image, prepared.dpi, sure, timeout=60)
    assert out is sure and note == ""


def test_ocr_page_says_what_the_second_look_did_and_it_can_be_turned_off(page):
    prepared, _ = page
    with_look = ocr_page(prepared.image, 200.0)
    without = ocr_page(prepared.image, 200.0, options=OcrOptions(second_look=False))
    assert "second look" not in without.reason
    # A clean page reads surely: the codes it has are rarely unsure, and never made worse.
    assert cer(with_look.text, LINES) <= cer(without.text, LINES)


def test_a_case_numbers_first_letter_is_read_without_the_hash_beside_it(tmp_path):
    """Beside `#`, Tesseract reads the letter of `#C377421` as a 0 even on clean print at
    300 dpi; the second look reads the number without its `#` and puts the letter back."""
    pdf = tmp_path / "cases.pdf"
    render.render_text_pdf(["CNT:01     #C377421\n  11357 HS -POSS MARIJUANA\n" * 4], pdf)
    gray = np.asarray(render.rasterize(pdf, 300)[0])
    without = ocr_page(gray, 300.0, options=OcrOptions(second_look=False))
    with_look = ocr_page(gray, 300.0)
    assert without.text.count("#0377421") == 4, "the page reading alone misreads the letter"
    assert with_look.text.count("#C377421") == 4
    assert "4 corrected" in with_look.reason
