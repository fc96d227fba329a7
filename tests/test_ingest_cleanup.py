"""Clean-up of photocopy-grade pages: despeckling, the stroke measure behind the median
decision, the second reading of faxes, letters broken into fragments, rubber stamps and
toner streaks.

Pages are synthetic (docmine.synth) and rebuilt pixel for pixel from their seeds: the
three OCR'd ones are heavy photocopies on which each fix was found (a dithered fax and a
fax of hairline strokes from `scripts/bench_ocr.py`'s set, a stamped docket page).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from docmine.ingest import marks, preprocess
from docmine.ingest.cer import cer
from docmine.ingest.ocr import OcrOptions, ocr_page
from docmine.synth import noise as synth_noise
from docmine.synth import render, text_document

os.environ["OMP_THREAD_LIMIT"] = "1"

SHORT = "CII/A99000015\nDOB/19570119 SEX/M RAC/WHITE\nNAM/01 SKYWALKER,LUKE JAY\n" * 6


@pytest.fixture(scope="module")
def raster_200(tmp_path_factory):
    """A clean page of print at 200 dpi, grey."""
    pdf = tmp_path_factory.mktemp("cleanup") / "short.pdf"
    render.render_text_pdf([SHORT], pdf)
    return np.asarray(render.rasterize(pdf, 200)[0])


def _fax(gray: np.ndarray, threshold: int, bold: bool, dots: float, seed: int = 0) -> np.ndarray:
    """Black and white as a fax makes it, with a share `dots` of the page dithered black."""
    img = cv2.erode(gray, np.ones((2, 2), np.uint8)) if bold else gray
    out = np.where(img < threshold, 0, 255).astype(np.uint8)
    out[np.random.default_rng(seed).random(out.shape) < dots] = 0
    return out


def _bench_page(kind: str, layout: str, doc_seed: int, page_number: int, seed: int = 5) -> tuple[np.ndarray, str]:
    """Page `page_number` of a heavy set like the bench's: its text is page 1 of a
    synthetic document, its noise drawn from the set's seed (the bench's: 5) for that
    page number."""
    text = text_document(kind, layout, doc_seed).texts[0]
    truth = render.layout(text, 1)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "p.pdf")
        render.render_text_pdf([text], pdf)
        clean = render.rasterize(pdf, 300)[0]
    img = synth_noise.degrade(clean, "heavy", render.page_rng(seed, page_number))
    return np.asarray(img.convert("L")), truth.text


def test_despeckle_drops_dust_keeps_print():
    img = np.full((60, 120), 255, np.uint8)
    img[10, 10] = 0  # a dot of dust
    img[20:22, 20:22] = 0  # a 2x2 clump
    img[30:33, 30:33] = 0  # a period: 9 pixels
    img[10:40, 60:63] = 0  # a stroke
    out = preprocess.despeckle(img, 8)
    assert out[10, 10] == 255 and (out[20:22, 20:22] == 255).all()
    assert (out[30:33, 30:33] == 0).all() and (out[10:40, 60:63] == 0).all()
    assert (preprocess.despeckle(img, 4)[30:33, 30:33] == 0).all()


def test_stroke_measure_sees_through_dither(raster_200):
    """Dither dots are all edge: counted with the print they made bold faxes look like
    hairlines, which kept their median off (CER 51% on such a page). Without them, bold
    print measures bold and hairlines thin, however many dots lie around."""
    for dots in (0.0, 0.02, 0.1):
        bold, _, _ = preprocess.measure(_fax(raster_200, 200, True, dots), 200)
        thin, _, _ = preprocess.measure(_fax(raster_200, 160, False, dots), 200)
        assert bold.bilevel and thin.bilevel
        assert bold.stroke >= preprocess.THIN > thin.stroke, (dots, bold.stroke, thin.stroke)
        assert preprocess.plan(bold)[0] == "median" and "despeckle" not in preprocess.plan(bold)
        assert "median" not in preprocess.plan(thin) and preprocess.plan(thin)[-1] == "despeckle"
        # The other clean-up, for a second reading, swaps the two.
        assert preprocess.alternative(bold, preprocess.plan(bold)) == ("despeckle",)
        assert preprocess.alternative(thin, preprocess.plan(thin)) == ("median",)
    # A grey page is binarised (Otsu) first and has no second clean-up.
    grey, _, _ = preprocess.measure(raster_200, 200)
    assert not grey.bilevel and "otsu" in preprocess.plan(grey)
    assert preprocess.alternative(grey, preprocess.plan(grey)) is None


def test_dithered_fax_is_read_through_a_median():
    """A bold fax whose lower half is dither (bench heavy page 34): 51% CER before."""
    gray, truth = _bench_page("docket", "mixed", 11028, 34)
    result = ocr_page(gray, 200)
    assert "median" in result.reason and "clean-up by confidence" in result.reason, result.reason
    assert cer(truth, result.text) < 0.12, result.text


def test_hairline_fax_keeps_its_words():
    """A fax of hairline strokes (bench heavy page 1): despeckled, not median-filtered
    (which erases the print: CER 82%), and its letters, broken into fragments each shorter
    than an asterisk, are not taken for rows of asterisks (`GROUNDS` came out `*******`)."""
    gray, truth = _bench_page("rap_sheet", "rap", 11000, 1)
    result = ocr_page(gray, 200)
    assert "despeckle" in result.reason, result.reason
    assert cer(truth, result.text) < 0.08, result.text
    for word in ("GROUNDS", "OFFICER", "ANGELES", "CULTIVATE"):
        assert word in result.text, word
    # One reading only: the same page without the second reading reads no better.
    single = ocr_page(gray, 200, options=OcrOptions(reread=False))
    assert cer(truth, result.text) <= cer(truth, single.text)


def test_fragmented_letters_are_not_marks():
    """A confident word whose letters are each two fragments (a faded fax): stacked, the
    fragments are capital height, so it is not a run of misread asterisks."""
    binary = np.zeros((60, 300), np.uint8)
    rows = []
    for k in range(7):
        x = 10 + 18 * k
        binary[10:19, x : x + 12] = 1  # upper half of a letter, 9 px of a 23 px capital
        binary[21:33, x + 2 : x + 10] = 1  # lower half
    rows.append(("GROUNDS", 95.0, (8.0, 8.0, 140.0, 34.0), 1))
    for k in range(6):  # a run of asterisks, 13 px high, on the next line
        x = 10 + 18 * k
        binary[40:53, x : x + 12] = 1
    rows.append(("KKEKEK", 40.0, (8.0, 36.0, 122.0, 60.0), 2))
    assert marks.find(rows, binary, 23.0) == [False, True]


def test_rows_under_a_stamp_are_read():
    """Bench heavy page 4 of the second set: a CONFORMED COPY stamp over four rows of
    minutes. With the stamp in, Tesseract dropped two of those rows whole (CER 14.7%)."""
    gray, truth = _bench_page("docket", "minute", 23002, 4, seed=9)
    result = ocr_page(gray, 200)
    assert "destamp" in result.reason, result.reason
    for row in ("PROBATION AND SENTENCE", "PROOF OF COMPLETION"):
        assert row in result.text, row
    steps = tuple(s for s in preprocess.plan(preprocess.measure(gray, 200)[0]) if s != "destamp")
    without = ocr_page(gray, 200, options=OcrOptions(steps=steps))
    assert cer(truth, result.text) < 0.08 < cer(truth, without.text)


def _binary(gray: np.ndarray) -> np.ndarray:
    return np.where(gray < 160, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("shape", ["box", "oval"])
def test_stamp_frame_and_lettering_are_taken_out(raster_200, shape):
    """A tilted stamp (frame and large lettering) over print: frame and lettering go, print
    outside the stamp stays pixel for pixel, and a page without a stamp is left alone."""
    page = _binary(raster_200)
    assert preprocess.destamp(page, 200)[1] == 0
    stamped = page.copy()
    centre, size, angle = (500, 300), (420, 170), -8.0
    if shape == "box":
        corners = cv2.boxPoints((centre, size, angle)).astype(np.int32)
        cv2.polylines(stamped, [corners], True, 0, 5)
    else:
        cv2.ellipse(stamped, (centre, size, angle), 0, 5)
    cv2.putText(stamped, "FILED", (380, 325), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 0, 5)  # ~40 px tall
    out, found = preprocess.destamp(stamped, 200)
    assert found == 1
    corners = cv2.boxPoints((centre, size, angle))
    x0, y0 = (int(v) - 5 for v in corners.min(axis=0))  # the stamp's box, with a margin
    x1, y1 = (int(v) + 6 for v in corners.max(axis=0))
    outside = np.ones(page.shape, bool)
    outside[y0:y1, x0:x1] = False
    assert (out[outside] == page[outside]).all()
    # What is left inside is (nearly) the print alone.
    left = (out[y0:y1, x0:x1] == 0) & (page[y0:y1, x0:x1] == 255)
    assert left.sum() < 0.05 * (stamped[y0:y1, x0:x1] == 0).sum()


def test_toner_streak_is_found_and_painted_out(raster_200):
    """A streak down a grainy 200 dpi page (a photocopy): measured, planned, painted over
    in paper grey; print beside it is not touched."""
    rng = np.random.default_rng(1)
    page = raster_200.astype(np.float32) + rng.normal(0, 10, raster_200.shape).astype(np.float32)
    page[200:1800, 400:403] *= 0.45  # a streak 3 px wide, 8 inches long
    page = np.clip(page, 0, 255).astype(np.uint8)
    stats, _, _ = preprocess.measure(page, 200)
    assert stats.photocopy and stats.streaks >= 6, stats
    assert "destreak" in preprocess.plan(stats)
    grainy = raster_200.astype(np.float32) + rng.normal(0, 10, raster_200.shape).astype(np.float32)
    clean, _, _ = preprocess.measure(np.clip(grainy, 0, 255).astype(np.uint8), 200)
    assert clean.streaks < preprocess.MIN_STREAK and "destreak" not in preprocess.plan(clean)
    prepared = preprocess.prepare(page, 200, ("median", "destreak", "otsu"))
    column = prepared.image[300:1700, 398:405]
    assert (column == 0).mean() < 0.05  # the streak is gone, up to the print it crossed
    away = (slice(0, 2200), slice(0, 390))
    plain = preprocess.prepare(raster_200, 200, ("median", "otsu")).image
    assert (prepared.image[away] == plain[away]).mean() > 0.99


def test_asterisks_read_as_capitals_are_put_back(cfa_fixtures, tmp_path):
    """A RAP sheet's `* * * *` rows in a font whose asterisk is 0.6 of a capital (DejaVu Sans
    Mono: the second page set, `scripts/pages_apart.py`, Code for America's RAP sheets): Tesseract
    reads each as `OK`, its box stretched to the line; no blob of it is 3/4 of a capital tall,
    so it is a mark (these pages: CER 6.8% -> 2.2%)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import pages_apart

    pages_apart.draw_set(tmp_path, 6, 5)
    dist = total = 0
    for png in sorted((tmp_path / "clean").glob("page-*.png")):
        truth = png.with_suffix(".txt").read_text(encoding="utf-8")
        read = ocr_page(np.asarray(Image.open(png).convert("L")), 300.0).text
        assert "OK OK" not in read, png.name
        dist += round(cer(truth, read) * len(truth))
        total += len(truth)
    assert dist / total < 0.035
