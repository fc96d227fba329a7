"""Pages scanned on their side or upside down: found, read upright, boxes on the page as given.

Pages are real synthetic RAP-sheet pages (docmine.synth, Courier at 300 dpi, and one heavy
photocopy at 200 dpi) turned with Pillow, so the truth of every word's place is known.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from docmine.ingest import load, preprocess
from docmine.ingest.cer import cer
from docmine.records import TextSource
from docmine.synth import noise as synth_noise
from docmine.synth import render
from docmine.synth.corpus import text_document

os.environ["OMP_THREAD_LIMIT"] = "1"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> dict:
    """The top of a synthetic RAP sheet's first page (40 lines keep OCR quick)."""
    d = tmp_path_factory.mktemp("orientation")
    text = "\n".join(text_document("rap_sheet", "rap", 4).texts[0].split("\n")[:40])
    truth = render.render_text_pdf([text], d / "sheet.pdf")[0]
    clean = render.rasterize(d / "sheet.pdf", 300)[0]
    noisy, transform = synth_noise.degrade_with_transform(clean, "heavy", np.random.default_rng(3))
    return {"dir": d, "text": truth.text, "clean": clean, "noisy": noisy, "transform": transform, "truth": truth}


def _turn_point(x: float, y: float, w: float, h: float, angle: int) -> tuple[float, float]:
    """Where Pillow's rotate(angle, expand=True) (counter-clockwise) puts a point of a w x h page."""
    if angle == 90:
        return y, w - x
    if angle == 180:
        return w - x, h - y
    if angle == 270:
        return h - y, x
    return x, y


def _turn_box(box, w: float, h: float, angle: int):
    (ax, ay), (bx, by) = _turn_point(box[0], box[1], w, h, angle), _turn_point(box[2], box[3], w, h, angle)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _save(img: Image.Image, path: Path, dpi: float) -> Path:
    img.save(path, dpi=(dpi, dpi))
    return path


def _inside(page) -> None:
    assert page.words
    for w in page.words:
        x0, y0, x1, y1 = w.box
        assert 0 <= x0 <= x1 <= page.width + 1e-6 and 0 <= y0 <= y1 <= page.height + 1e-6, w
        assert page.text[w.start : w.end] == w.text


def _near(page, expected: dict, tolerance: float = 3.0) -> None:
    """Words land where they were drawn on the page as it was scanned (centres, points)."""
    hits = [(w.box, expected[w.text]) for w in page.words if w.text in expected and len(w.text) > 4]
    assert len(hits) >= 15
    for got, want in hits:
        assert abs((got[0] + got[2]) / 2 - (want[0] + want[2]) / 2) < tolerance, (got, want)
        assert abs((got[1] + got[3]) / 2 - (want[1] + want[3]) / 2) < tolerance, (got, want)


def _unique_boxes(truth) -> dict:
    seen: dict = {}
    for w in truth.words:
        seen.setdefault(w.text, []).append(w.box)
    return {t: boxes[0] for t, boxes in seen.items() if len(boxes) == 1}


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_turned_scan_is_read_upright(sheet, angle):
    path = _save(sheet["clean"].rotate(angle, expand=True), sheet["dir"] / f"turned{angle}.png", 300)
    page = load(path).pages[0]
    assert page.source is TextSource.OCR and page.error is None
    # Pillow turned it counter-clockwise; reading it takes as much clockwise.
    assert f"turned {angle}\u00b0 clockwise" in page.source_reason, page.source_reason
    assert "orientation check" in page.source_reason
    assert cer(sheet["text"], page.text) < 0.02, page.text
    w, h = render.PAGE_WIDTH, render.PAGE_HEIGHT
    assert (page.width, page.height) == pytest.approx((h, w) if angle in (90, 270) else (w, h), abs=1)
    _inside(page)
    # Boxes are on the page as scanned (turned), not on the upright copy that was read.
    _near(page, {t: _turn_box(b, w, h, angle) for t, b in _unique_boxes(sheet["truth"]).items()})


def test_upright_page_is_not_checked(sheet):
    page = load(_save(sheet["clean"], sheet["dir"] / "upright.png", 300)).pages[0]
    assert "orientation check" not in page.source_reason and "turned" not in page.source_reason
    assert cer(sheet["text"], page.text) < 0.02


def test_turned_photocopy(sheet):
    """A heavy photocopy (200 dpi, tilted, speckled) on its side: turned, deskewed, read."""
    path = _save(sheet["noisy"].rotate(90, expand=True), sheet["dir"] / "noisy90.png", 200)
    page = load(path).pages[0]
    assert "turned 90\u00b0 clockwise" in page.source_reason and "deskew" in page.source_reason
    assert cer(sheet["text"], page.text) < 0.12, page.text
    _inside(page)
    tr = sheet["transform"]
    w, h = tr.size[0] * 72.0 / tr.dpi, tr.size[1] * 72.0 / tr.dpi
    expected = {t: _turn_box(tr.map_box_points(b), w, h, 90) for t, b in _unique_boxes(sheet["truth"]).items()}
    _near(page, expected)


def test_mixed_orientations_in_parallel(sheet):
    """A multi-page TIFF with an upright page and an upside-down one, two workers."""
    path = sheet["dir"] / "mixed.tif"
    render.write_tiff([sheet["clean"], sheet["clean"].rotate(180)], path)
    doc = load(path, workers=2)
    first, second = doc.pages
    assert "turned" not in first.source_reason
    assert "turned 180\u00b0 clockwise" in second.source_reason
    assert first.text == second.text
    for page in doc.pages:
        _inside(page)


def test_turn_maps_back_to_the_page():
    img = np.zeros((30, 50), np.uint8)
    img[2, 7] = 255  # one lit pixel: its centre is (7.5, 2.5)
    for rotation in (0, 90, 180, 270):
        turned, back = preprocess.turn(img, rotation)
        y, x = (int(v) for v in np.argwhere(turned == 255)[0])
        ox, oy = back @ np.array([x + 0.5, y + 0.5, 1.0])
        assert (ox, oy) == pytest.approx((7.5, 2.5)), rotation
    with pytest.raises(ValueError):
        preprocess.turn(img, 45)


def test_text_axis(sheet):
    gray = np.asarray(sheet["clean"])
    across = preprocess.text_axis(gray, 300)
    down = preprocess.text_axis(np.ascontiguousarray(np.rot90(gray)), 300)
    assert across > 1.25 > 0.8 > down
    assert preprocess.text_axis(np.full((600, 500), 255, np.uint8), 300) == 1.0  # nothing to tell
