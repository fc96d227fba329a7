"""Rendering synthetic records: real files, exact truth, identical bytes on every run."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image

from docmine.synth import noise
from docmine.synth.render import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    layout,
    rasterize,
    render_document,
    render_text_pdf,
    write_image_pdf,
    write_pngs,
    write_tiff,
)


def _page(n: int) -> str:
    head = [
        f"STATE OF CALIFORNIA            DEPARTMENT OF JUSTICE                 PAGE {n}",
        "CALIFORNIA CRIMINAL HISTORY RECORD         CII/A12345678",
        "",
        "NAM/01 DOE,JOHN ALLEN   DOB/19780412  SEX/M",
        "=" * 96,
    ]
    body = [
        f"{(i % 12) + 1:02d}/{(i * 7) % 28 + 1:02d}/{1990 + i}  CASCSAN DIEGO  CNT:{i:02d}  "
        f"#{10000 + 37 * i * n}  11357(B) HS-POSSESS MARIJUANA  DISPO:CONVICTED  \u00a7 {i}"
        for i in range(1, 41)
    ]
    return "\n".join(head + body)


PAGES = [_page(1), _page(2)]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory):
    d = tmp_path_factory.mktemp("text")
    truths = render_text_pdf(PAGES, d / "a.pdf", title="sample")
    render_text_pdf(PAGES, d / "b.pdf", title="sample")
    return d / "a.pdf", d / "b.pdf", truths


@pytest.fixture(scope="module")
def clean_300(text_pdf):
    return rasterize(text_pdf[0], dpi=300)


def test_text_pdf_is_byte_deterministic_with_fixed_metadata(text_pdf):
    a, b, _ = text_pdf
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert b"/CreationDate (D:20000101000000Z)" in data
    assert b"/ID [<" in data
    # A different text must change the content-derived ID.
    other = a.with_name("c.pdf")
    render_text_pdf([PAGES[0] + "X"], other)
    assert other.read_bytes().split(b"/ID")[1] != data.split(b"/ID")[1]


def test_truth_words_offsets_and_bounds(text_pdf):
    _, _, truths = text_pdf
    assert [t.number for t in truths] == [1, 2]
    for t in truths:
        assert (t.width, t.height) == (PAGE_WIDTH, PAGE_HEIGHT)
        assert t.text == PAGES[t.number - 1]  # nothing needed cleaning: \u00a7 is Latin-1
        assert [w.text for w in t.words] == t.text.split()
        for w in t.words:
            assert t.text[w.start : w.end] == w.text
            x0, y0, x1, y1 = w.box
            assert 0 <= x0 < x1 <= PAGE_WIDTH and 0 <= y0 < y1 <= PAGE_HEIGHT
            assert x1 - x0 == pytest.approx(0.6 * t.font_size * len(w.text))


def test_text_layer_matches_truth_text_and_boxes(text_pdf):
    path, _, truths = text_pdf
    tol = 1.0
    with pdfplumber.open(path) as pdf:
        for t, page in zip(truths, pdf.pages):
            chars = page.chars
            # Rebuild the fixed-width grid from character positions: exact text back.
            adv, lead = 0.6 * t.font_size, 1.2 * t.font_size
            rows: dict[int, dict[int, str]] = {}
            for c in chars:
                r = round((c["top"] - chars[0]["top"]) / lead)
                rows.setdefault(r, {})[round((c["x0"] - 43.2) / adv)] = c["text"]
            rebuilt = [
                "".join(rows.get(r, {}).get(k, " ") for k in range(max(rows.get(r, {0: ""})) + 1))
                for r in range(len(t.text.split("\n")))
            ]
            assert [ln.rstrip() for ln in rebuilt] == [ln.rstrip() for ln in t.text.split("\n")]
            # Horizontal extents of every glyph sit inside its word's box.
            ink = [c for c in chars if not c["text"].isspace()]
            owners = [w for w in t.words for _ in w.text]
            assert "".join(c["text"] for c in ink) == "".join(w.text for w in t.words)
            for c, w in zip(ink, owners):
                assert w.box[0] - tol <= c["x0"] and c["x1"] <= w.box[2] + tol
    # Vertical extents: pdfium's tight glyph boxes against the Courier ascent/descent box.
    doc = pdfium.PdfDocument(str(path))
    try:
        for t in truths:
            page = doc[t.number - 1]
            tp = page.get_textpage()
            text = tp.get_text_range()
            assert text.split() == t.text.split()
            ink = [i for i in range(tp.count_chars()) if not tp.get_text_range(i, 1).isspace()]
            owners = [w for w in t.words for _ in w.text]
            assert len(ink) == len(owners)
            for i, w in zip(ink, owners):
                left, bottom, right, top = tp.get_charbox(i)
                y_top, y_bottom = PAGE_HEIGHT - top, PAGE_HEIGHT - bottom
                assert w.box[0] - tol <= left and right <= w.box[2] + tol
                assert w.box[1] - tol <= y_top and y_bottom <= w.box[3] + tol
            tp.close()
            page.close()
    finally:
        doc.close()


def test_layout_cleans_text_and_shrinks_oversized_pages():
    t = layout("A\tB \u2014 caf\u00e9\r\nnext", 1)
    assert t.text == "A       B ? caf\u00e9\nnext"
    wide = layout("X" * 150 + "\n" + "\n".join(["y"] * 80), 3)
    assert wide.font_size < 9.0
    assert all(w.box[2] <= PAGE_WIDTH and w.box[3] <= PAGE_HEIGHT for w in wide.words)


def test_rasterize_is_grayscale_letter_and_deterministic(text_pdf, clean_300):
    expected = [("L", (2550, 3300), (300, 300))] * 2
    assert [(i.mode, i.size, i.info["dpi"]) for i in clean_300] == expected
    again = rasterize(text_pdf[1], dpi=300)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(clean_300, again))
    assert np.asarray(clean_300[0]).min() < 50  # there is ink


def test_degrade_levels(clean_300):
    clean = clean_300[0]
    out, tr = noise.degrade_with_transform(clean, "none", np.random.default_rng(0))
    assert out is clean and tr.angle == 0 and tr.dpi == 300

    light = noise.degrade(clean, "light", np.random.default_rng(5))
    assert light.size == clean.size and light.info["dpi"] == (300, 300)
    diff = np.abs(np.asarray(light, np.int16) - np.asarray(clean, np.int16)).mean()
    assert diff > 2.0

    heavy, htr = noise.degrade_with_transform(clean, "heavy", np.random.default_rng(5))
    assert heavy.size == (1700, 2200) and heavy.info["dpi"] == (200, 200)
    assert htr.scale[0] == pytest.approx(2 / 3)
    small = np.asarray(clean.resize((1700, 2200)), np.int16)
    hdiff = np.abs(np.asarray(heavy.convert("L"), np.int16) - small).mean()
    assert hdiff > diff  # heavy is measurably worse than light

    # Same seed, same pixels; another seed, other pixels.
    again = noise.degrade(clean, "heavy", np.random.default_rng(5))
    assert again.tobytes() == heavy.tobytes()
    assert noise.degrade(clean, "heavy", np.random.default_rng(6)).tobytes() != heavy.tobytes()
    with pytest.raises(ValueError):
        noise.degrade(clean, "medium", np.random.default_rng(0))


def test_transform_maps_points_onto_the_warped_page():
    # A black square at a known point must land where the transform says.
    w, h = 2550, 3300
    src = np.full((h, w), 255, np.uint8)
    x_pt, y_pt = 144.0, 216.0  # 600, 900 px at 300 dpi
    src[900 - 12 : 900 + 12, 600 - 12 : 600 + 12] = 0
    tr = noise._make_transform(300, 200, 2.2, (2 / 3, 2 / 3 * 1.01), (9.0, -6.0), (w, h), (1700, 2200))
    out = noise._warp(src, tr)
    ys, xs = np.nonzero(out < 250)
    wt = 255.0 - out[ys, xs]
    cx, cy = ((xs + 0.5) * wt).sum() / wt.sum(), ((ys + 0.5) * wt).sum() / wt.sum()
    mx, my = tr.map_point(x_pt, y_pt)
    assert abs(cx - mx) < 0.5 and abs(cy - my) < 0.5


def test_degraded_ink_sits_in_mapped_word_boxes(text_pdf, clean_300):
    truth = text_pdf[2][0]
    for seed in (1, 2):  # one binarised fax page, one grey copy (checked below)
        rng = np.random.default_rng([seed, 1])
        img, tr = noise.degrade_with_transform(clean_300[0], "heavy", rng)
        a = np.asarray(img.convert("L"), np.float32)
        paper = float(np.percentile(a, 90))  # faded/shadowed copies have grey paper

        def darkness(dy: int) -> float:
            vals = []
            for wd in truth.words:
                x0, y0, x1, y1 = (int(round(v)) for v in tr.map_box(wd.box))
                vals.append(paper - a[y0 + dy : y1 + dy, x0:x1].mean())
            return float(np.mean(vals))

        # Ink is densest exactly where the mapped boxes are (to 2 px), and clearly
        # denser there than half a line off.
        shifts = list(range(-8, 9))
        best = shifts[int(np.argmax([darkness(dy) for dy in shifts]))]
        assert abs(best) <= 2
        half_line = int(round(0.6 * truth.font_size * tr.dpi / 72))
        assert darkness(0) > 1.3 * darkness(half_line)
    modes = {noise.degrade(clean_300[0], "heavy", np.random.default_rng([s, 1])).mode for s in (1, 2)}
    assert modes == {"1", "L"}


def test_writers_are_deterministic(tmp_path, text_pdf):
    clean = rasterize(text_pdf[0], dpi=150)  # small: noisy pages compress slowly
    imgs = [noise.degrade(i, "light", np.random.default_rng(n)) for n, i in enumerate(clean)]
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        write_image_pdf(imgs, tmp_path / d / "s.pdf")
        write_pngs(imgs, tmp_path / d / "s")
        write_tiff(imgs, tmp_path / d / "s.tif")
    names = ["s.pdf", "s-p001.png", "s-p002.png", "s.tif"]
    for n in names:
        assert _digest(tmp_path / "x" / n) == _digest(tmp_path / "y" / n), n
    with Image.open(tmp_path / "x" / "s.tif") as tif:
        assert tif.n_frames == 2 and tif.info["compression"] == "tiff_adobe_deflate"
        assert tuple(round(v) for v in tif.info["dpi"]) == (150, 150)
    faxes = [i.convert("1") for i in imgs]
    write_tiff(faxes, tmp_path / "fax.tif")
    with Image.open(tmp_path / "fax.tif") as tif:
        assert tif.n_frames == 2 and tif.info["compression"] == "group4"


def test_render_document_all_formats(tmp_path):
    runs = [render_document(PAGES, tmp_path / d, "rap", noise="heavy", seed=11, dpi=150) for d in ("one", "two")]
    assert runs[0] == runs[1]
    res = json.loads(json.dumps(runs[0]))  # plain JSON data
    files = res["files"]
    assert files == {
        "pdf": "rap.pdf",
        "scan_pdf": "rap.scan.pdf",
        "png": ["rap-p001.png", "rap-p002.png"],
        "tiff": "rap.tif",
    }
    written = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert written == sorted(["rap.pdf", "rap.scan.pdf", "rap-p001.png", "rap-p002.png", "rap.tif"])
    for name in written:
        assert _digest(tmp_path / "one" / name) == _digest(tmp_path / "two" / name), name

    # The scan has pages of Letter size and no text layer at all.
    doc = pdfium.PdfDocument(str(tmp_path / "one" / "rap.scan.pdf"))
    try:
        assert len(doc) == 2
        for i in range(2):
            page = doc[i]
            assert page.get_size() == pytest.approx((PAGE_WIDTH, PAGE_HEIGHT), abs=0.5)
            tp = page.get_textpage()
            assert tp.count_chars() == 0
            tp.close()
            page.close()
    finally:
        doc.close()
    with pdfplumber.open(tmp_path / "one" / "rap.scan.pdf") as pdf:
        assert all(not p.chars and len(p.images) == 1 for p in pdf.pages)

    with Image.open(tmp_path / "one" / "rap.tif") as tif:
        assert tif.n_frames == 2
    with Image.open(tmp_path / "one" / "rap-p001.png") as png:
        assert tuple(round(v) for v in png.info["dpi"]) == (150, 150)

    for page in res["pages"]:
        scan = page["scan"]
        assert scan["dpi"] == 150 and len(scan["word_boxes"]) == len(page["words"])
        assert scan["transform"]["angle"] != 0
        for x0, y0, x1, y1 in scan["word_boxes"]:
            assert -5 < x0 < x1 < PAGE_WIDTH + 5 and -5 < y0 < y1 < PAGE_HEIGHT + 5
        for w in page["words"]:
            assert page["text"][w["start"] : w["end"]] == w["text"]

    only_pdf = render_document(PAGES[:1], tmp_path / "three", "t", formats=("pdf",))
    assert "scan" not in only_pdf["pages"][0]
    assert [p.name for p in (tmp_path / "three").iterdir()] == ["t.pdf"]
