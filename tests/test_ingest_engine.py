"""One Tesseract engine per process (`docmine.ingest.tesseract`): tesserocr's C API, loaded once,
images handed over in memory; the `tesseract` binary as the fallback. Real OCR, no mocks."""

from __future__ import annotations

import os

import numpy as np
import pytest

from docmine.ingest import tesseract
from docmine.ingest.cer import cer
from docmine.ingest.ocr import CLEAN_CONFIG, ocr_page
from docmine.synth import render

os.environ["OMP_THREAD_LIMIT"] = "1"

TEXT = (
    "COURT:                NAM:01\n19900806  CASC SAN DIEGO\n\n"
    "CNT:01        #C377421\n  11357 HS -POSS MARIJUANA\n*DISPO:CONVICTED\nCONV STATUS:MISDEMEANOR\n"
) * 2

needs_engine = pytest.mark.skipif(
    tesseract.backend() != "engine", reason="tesserocr is not installed: the binary is the fallback"
)


@pytest.fixture(scope="module")
def gray(tmp_path_factory) -> np.ndarray:
    pdf = tmp_path_factory.mktemp("engine") / "page.pdf"
    render.render_text_pdf([TEXT], pdf)
    return np.asarray(render.rasterize(pdf, 300)[0])


def _same_tesseract() -> bool:
    import subprocess

    import tesserocr

    binary = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return tesserocr.tesseract_version().split("\n")[0].strip() == binary.strip()


def _words(data: dict) -> list[str]:
    return [t.strip() for t in data["text"] if t and t.strip()]


@needs_engine
def test_the_engine_and_the_binary_read_the_same_words(gray, monkeypatch):
    engine = tesseract.read_data(gray, 300, CLEAN_CONFIG, timeout=60)
    monkeypatch.setenv("DOCMINE_TESSERACT", "cli")
    assert tesseract.backend() == "cli"
    cli = tesseract.read_data(gray, 300, CLEAN_CONFIG, timeout=60)
    if _same_tesseract():  # `make install` builds tesserocr against the binary's libtesseract
        assert engine == cli  # every word, box and confidence
        return
    # a tesserocr wheel carries its own libtesseract: the same model, another version, so the
    # same reading but for a word here and there
    assert cer(" ".join(_words(cli)), " ".join(_words(engine))) < 0.03
    for word in ("19900806", "#0377421", "MARIJUANA", "CONVICTED", "MISDEMEANOR"):
        assert word in _words(engine) and word in _words(cli)
    assert set(engine) == set(cli)  # the same columns (pytesseract's Output.DICT)

    def boxes(data):
        return [
            (t.strip(), tuple(data[k][i] for k in ("left", "top", "width", "height")))
            for i, t in enumerate(data["text"])
            if t.strip()
        ]

    theirs = boxes(engine)
    same = 0
    for word, box in boxes(cli):  # a word both read is in the same place (within 3 pixels)
        near = [b for w, b in theirs if w == word and max(abs(x - y) for x, y in zip(b, box)) <= 3]
        same += bool(near)
    assert same >= 0.85 * len(boxes(cli))


@needs_engine
def test_the_engine_is_loaded_once_per_process_and_kept(gray):
    tesseract.read_data(gray, 300, CLEAN_CONFIG, timeout=60)
    first = tesseract.engine("eng", 1, tesseract.parse_config(CLEAN_CONFIG)[2])
    tesseract.read_data(gray[:400], 300, CLEAN_CONFIG.replace("--psm 6", "--psm 4"), timeout=60)
    assert tesseract.engine("eng", 1, tesseract.parse_config(CLEAN_CONFIG)[2]) is first
    assert len(tesseract._ENGINES) == 1  # another page segmentation mode is set per call, not a new engine


@needs_engine
def test_a_black_and_white_page_handed_over_as_one_bit_reads_exactly_as_in_eight(gray):
    import cv2

    _, bilevel = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    eight = tesseract.read_data(bilevel, 300, CLEAN_CONFIG, timeout=60)
    one = tesseract.read_data(bilevel, 300, CLEAN_CONFIG, timeout=60, binary=True)
    assert "MARIJUANA" in _words(one)
    assert one == eight  # every word, box and confidence: white stays white


@needs_engine
def test_the_engine_honours_the_timeout(gray):
    big = np.tile(gray, (3, 2))
    assert tesseract.read_data(big, 300, CLEAN_CONFIG, timeout=0.001) is None


def test_a_page_reads_well_whichever_way_tesseract_is_called(gray, monkeypatch):
    for backend in ("engine", "cli"):
        monkeypatch.setenv("DOCMINE_TESSERACT", backend)
        result = ocr_page(gray, 300.0)
        assert result.error is None
        assert cer(TEXT, result.text) < 0.02, (backend, result.text)


def test_the_config_is_read_as_tesseract_reads_it():
    assert tesseract.parse_config("--oem 1 --psm 4 -c tessedit_do_invert=0 -c load_system_dawg=0 --dpi 200") == (
        1,
        4,
        {"tessedit_do_invert": "0", "load_system_dawg": "0"},
    )
