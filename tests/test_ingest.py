"""Ingest on real files made at run time: every input type, triage, OCR, failures, output.

Files are drawn with docmine.synth.render (Courier, fixed width, exact truth) and Pillow;
pages are short so the whole module runs in well under a minute.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import time
import zlib
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image

from docmine.errors import DocumentError
from docmine.ingest import iter_pages, load, to_hocr, to_json, to_text
from docmine.ingest.cer import cer, levenshtein, normalize
from docmine.ingest.triage import measure, plausible
from docmine.ingest.textlayer import TextLayer
from docmine.ingest.layout import RawWord
from docmine.records import TextSource
from docmine.synth import noise as synth_noise
from docmine.synth import render

os.environ["OMP_THREAD_LIMIT"] = "1"

PAGE_1 = """\
CII/A99000015
DOB/19570119 SEX/M RAC/WHITE
NAM/01 SKYWALKER,LUKE JAY
    02 SKYWALKER,LUKE

* * * *
ARR/DET/CITE:         NAM:02 DOB:19550505
19840725  CASO LOS ANGELES

CNT:01     #1111111
  11357 HS-POSSESS MARIJUANA
*DISPO:CONVICTED
   CONV STATUS:MISDEMEANOR"""

PAGE_2 = """\
COURT:                NAM:01
19840918  CASC LOS ANGELES

CNT:02     #1234567
  11358 HS-CULTIVATION MARIJUANA
*DISPO:DISMISSED
   SEN: 2 YEARS PROBATION, 30 DAYS JAIL"""


def _lines(text: str) -> list[str]:
    """Lines without trailing blanks and without the indentation common to all."""
    lines = [ln.rstrip() for ln in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln), default=0)
    return [ln[indent:] for ln in lines]


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("ingest")
    out: dict[str, Path] = {}
    out["text_pdf"] = d / "text.pdf"
    render.render_text_pdf([PAGE_1, PAGE_2], out["text_pdf"])
    clean = render.rasterize(out["text_pdf"], 300)
    out["image_pdf"] = render.write_image_pdf(clean[:1], d / "image.pdf")
    out["png"] = render.write_pngs(clean[:1], d / "page")[0]
    out["jpeg"] = render.write_jpeg(clean[1], d / "page.jpg", quality=90)
    out["tiff1"] = render.write_tiff(clean[:1], d / "one.tif")
    out["tiff2"] = render.write_tiff(clean, d / "two.tif")
    out["misnamed"] = d / "really_a_png.pdf"
    out["misnamed"].write_bytes(out["png"].read_bytes())
    noisy, transform = synth_noise.degrade_with_transform(clean[0], "heavy", np.random.default_rng(3))
    out["noisy_png"] = render.write_pngs([noisy], d / "noisy")[0]
    out["noisy_transform"] = transform
    out["mixed_pdf"] = _mixed_pdf(d / "mixed.pdf", clean[1])
    out["garbage_layer"] = _layered_pdf(d / "garbage_layer.pdf", clean[0], _garbage(PAGE_1))
    out["good_layer"] = _layered_pdf(d / "good_layer.pdf", clean[0], PAGE_1)
    out["label_only"] = _layered_pdf(d / "label_only.pdf", clean[0], "PAGE 1 OF 2", visible=True)
    return out


def _garbage(text: str) -> str:
    """What a bad old OCR pass leaves: letters, digits and symbols in soup."""
    rng = random.Random(4)
    soup = "~^`|l1I!;:,.'\"{}[]<>0OQ@#%&xqzjv"
    return "\n".join(
        " ".join("".join(rng.choice(soup) for _ in range(rng.randint(1, 6))) for _ in range(max(1, len(ln) // 6)))
        for ln in text.split("\n")
    )


def _layered_pdf(path: Path, image: Image.Image, text: str, visible: bool = False) -> Path:
    """A scanned page with a text layer over it (invisible unless `visible`)."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf.image(buf, x=0, y=0, w=612, h=792)
    pdf.set_font("Courier", size=9)
    if not visible:
        pdf.text_mode = TextMode.INVISIBLE
    for i, line in enumerate(text.split("\n")):
        if line.strip():
            pdf.text(render.LEFT_MARGIN, render.TOP_MARGIN + 9 * 0.629 + i * 10.8, line)
    pdf.output(str(path))
    return path


def _mixed_pdf(path: Path, image: Image.Image) -> Path:
    """Page 1 with a text layer, page 2 a scan without one."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Courier", size=9)
    for i, line in enumerate(PAGE_1.split("\n")):
        if line.strip():
            pdf.text(render.LEFT_MARGIN, render.TOP_MARGIN + 9 * 0.629 + i * 10.8, line)
    pdf.add_page()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf.image(buf, x=0, y=0, w=612, h=792)
    pdf.output(str(path))
    return path


def _check_page_geometry(doc) -> None:
    for page in doc.pages:
        for w in page.words:
            x0, y0, x1, y1 = w.box
            assert 0 <= x0 <= x1 <= page.width + 1e-6, (page.number, w)
            assert 0 <= y0 <= y1 <= page.height + 1e-6, (page.number, w)
            assert page.text[w.start : w.end] == w.text, (page.number, w)


# --- input types --------------------------------------------------------------------------


def test_text_pdf_keeps_text_and_columns(files):
    doc = load(files["text_pdf"])
    assert doc.media_type == "application/pdf"
    assert len(doc.pages) == 2 and len(doc.sha256) == 64
    for page, truth in zip(doc.pages, (PAGE_1, PAGE_2)):
        assert page.source is TextSource.TEXT_LAYER
        assert page.source_reason.startswith("text layer:")
        assert _lines(page.text) == _lines(truth)  # rows, blank lines and columns exact
        assert all(w.confidence == 1.0 for w in page.words)
    _check_page_geometry(doc)
    # A word's box is where the renderer drew it (Courier cells, top-left points).
    word = next(w for w in doc.pages[0].words if w.text == "SKYWALKER,LUKE")
    assert word.box[0] == pytest.approx(render.LEFT_MARGIN + 7 * 9 * 0.6, abs=0.5)


def test_rotated_page_reads_along_its_lines(files, tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(files["text_pdf"]))
    pdf[0].set_rotation(90)
    path = tmp_path / "rotated.pdf"
    pdf.save(str(path))
    pdf.close()
    page = load(path).pages[0]
    assert (page.width, page.height) == (792, 612)  # as displayed
    assert page.source is TextSource.TEXT_LAYER
    assert _lines(page.text) == _lines(PAGE_1)
    _check_page_geometry(load(path))
    first = page.words[0]  # top-left of the drawn page is now the top-right corner
    assert first.text == "CII/A99000015" and first.box[0] > 700


@pytest.mark.parametrize(
    "name,media",
    [
        ("image_pdf", "application/pdf"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("tiff1", "image/tiff"),
        ("misnamed", "image/png"),
    ],
)
def test_images_are_ocrd(files, name, media):
    doc = load(files[name])
    assert doc.media_type == media
    assert len(doc.pages) == 1
    page = doc.pages[0]
    assert page.source is TextSource.OCR and page.error is None
    truth = PAGE_2 if name == "jpeg" else PAGE_1
    assert cer(truth, page.text) < 0.03, page.text
    assert page.width == pytest.approx(612, abs=1) and page.height == pytest.approx(792, abs=1)
    _check_page_geometry(doc)
    # OCR boxes land where the text was drawn.
    first = next(w for w in page.words if w.text.startswith("CII") or w.text.startswith("COURT"))
    assert first.box[0] == pytest.approx(render.LEFT_MARGIN, abs=3)


def test_a_grey_png_is_decoded_to_the_pixels_pillow_reads(files, tmp_path):
    """Scanners' grey PNGs go through OpenCV's decoder (faster, and free of the GIL); any other
    PNG, or one cut short, is left to Pillow, which names the fault."""
    from docmine.ingest.sources import png_gray

    data = files["png"].read_bytes()
    with Image.open(files["png"]) as img:
        assert img.mode == "L"
        assert np.array_equal(png_gray(data), np.asarray(img))
        buffer = io.BytesIO()
        img.convert("RGB").save(buffer, format="PNG")
    assert png_gray(buffer.getvalue()) is None
    assert png_gray(data[: len(data) // 2]) is None


def test_multipage_tiff_in_parallel_matches_serial(files):
    serial = load(files["tiff2"])
    parallel = load(files["tiff2"], workers=2)
    assert [p.number for p in parallel.pages] == [1, 2]
    assert [p.text for p in parallel.pages] == [p.text for p in serial.pages]
    assert cer(PAGE_2, parallel.pages[1].text) < 0.03


def test_noisy_scan_is_cleaned_up(files):
    page = load(files["noisy_png"]).pages[0]
    assert page.source is TextSource.OCR
    assert "200 dpi" in page.source_reason  # heavy photocopies come at 200 dpi
    assert "deskew" in page.source_reason and "median" in page.source_reason
    assert cer(PAGE_1, page.text) < 0.12, page.text
    # Boxes come back onto the tilted page as scanned: where the synth transform put the words.
    transform = files["noisy_transform"]
    truth: dict[str, list] = {}
    for w in render.layout(PAGE_1, 1).words:
        truth.setdefault(w.text, []).append(transform.map_box_points(w.box))

    def nearest(box, boxes):  # a word printed twice (`SKYWALKER,LUKE`) is matched to the nearer one
        return min(boxes, key=lambda b: abs(b[0] - box[0]) + abs(b[1] - box[1]))

    hits = [(w.box, nearest(w.box, truth[w.text])) for w in page.words if w.text in truth and len(w.text) > 4]
    assert len(hits) >= 8
    for got, want in hits:
        assert abs((got[0] + got[2]) / 2 - (want[0] + want[2]) / 2) < 3, (got, want)
        assert abs((got[1] + got[3]) / 2 - (want[1] + want[3]) / 2) < 3, (got, want)


def test_missing_resolution_is_assumed_and_said(files, tmp_path):
    path = tmp_path / "nodpi.png"
    Image.open(files["png"]).save(path)  # no pHYs chunk
    page = load(path).pages[0]
    assert "assumed 300 dpi" in page.source_reason


# --- triage --------------------------------------------------------------------------------


def test_triage_decisions(files):
    garbage = load(files["garbage_layer"]).pages[0]
    assert garbage.source is TextSource.OCR
    assert "garbage" in garbage.source_reason
    assert cer(PAGE_1, garbage.text) < 0.03

    good = load(files["good_layer"]).pages[0]
    assert good.source is TextSource.TEXT_LAYER
    assert "invisible" in good.source_reason
    assert _lines(good.text) == _lines(PAGE_1)

    label = load(files["label_only"]).pages[0]  # a real label, but the scan holds the page
    assert label.source is TextSource.OCR
    assert "nearly empty" in label.source_reason or "incomplete" in label.source_reason


def test_plausibility_measures():
    assert all(
        plausible(t)
        for t in (
            "CII/A99000015",
            "11357(A)",
            "#1111111",
            "DOB:19550505",
            "SKYWALKER,LUKE",
            "*DISPO:CONVICTED",
            "****",
            "E-",
            "PC-RECEIVE/ETC",
        )
    )
    assert not any(plausible(t) for t in ("l1I|", "tHe", "~;'", "xqzjv", "a~b^"))

    def layer(text):
        ws = tuple(RawWord(t, (0, 0, 1, 1), 1.0, (0, 0, 1, 1)) for t in text.split())
        return TextLayer(ws, sum(len(w.text) for w in ws), 0, 0, 0.0)

    good, bad = measure(layer(PAGE_1 + PAGE_2)), measure(layer(_garbage(PAGE_1 + PAGE_2)))
    assert good.plausible > 0.95 and bad.plausible < 0.5


# --- timeouts and failures -----------------------------------------------------------------


def test_page_timeout_keeps_other_pages(files):
    doc = load(files["mixed_pdf"], ocr_timeout=0.05)
    first, second = doc.pages
    assert first.source is TextSource.TEXT_LAYER and "CII/A99000015" in first.text
    assert second.source is TextSource.NONE and second.text == "" and second.words == ()
    assert "timed out" in second.error
    again = load(files["mixed_pdf"], ocr_timeout=0.05, workers=2)
    assert [p.source for p in again.pages] == [TextSource.TEXT_LAYER, TextSource.NONE]


def test_tesseract_is_stopped_at_the_deadline(files):
    from docmine.ingest.ocr import ocr_page

    img = Image.open(files["png"]).convert("L")
    dense = np.vstack([np.asarray(img)] * 8)  # eight pages' worth of text: seconds of OCR
    started = time.monotonic()
    result = ocr_page(dense, 300, timeout=0.6)
    assert "timed out" in result.error
    assert time.monotonic() - started < 2.5  # killed, not waited for


def _png_header_only(path: Path, width: int, height: int) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(
    "case,problem",
    [
        ("empty", "empty file"),
        ("blank", "empty file"),
        ("corrupt_pdf", "corrupt PDF"),
        ("truncated_pdf", "truncated PDF"),
        ("truncated_png", "truncated PNG"),
        ("truncated_jpeg", "JPEG image"),
        ("encrypted", "encrypted PDF"),
        ("bomb", "decompression bomb"),
        ("gif", "unsupported file type: a GIF image"),
        ("text", "unsupported file type: plain text"),
        ("zip", "unsupported file type: a ZIP archive"),
        ("missing", "no such file"),
    ],
)
def test_failures_raise_document_error(files, tmp_path, case, problem):
    path = tmp_path / f"{case}.pdf"  # the extension never matters
    if case == "empty":
        path.write_bytes(b"")
    elif case == "blank":
        path.write_bytes(b"\n\n  \n")
    elif case == "corrupt_pdf":
        path.write_bytes(b"%PDF-1.4\n" + bytes(random.Random(1).getrandbits(8) for _ in range(3000)) + b"\n%%EOF\n")
    elif case == "truncated_pdf":
        data = files["text_pdf"].read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "truncated_png":
        data = files["png"].read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "truncated_jpeg":
        data = files["jpeg"].read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif case == "encrypted":
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Courier", size=9)
        pdf.text(20, 20, "SEALED")
        pdf.set_encryption(owner_password="owner", user_password="secret")
        pdf.output(str(path))
    elif case == "bomb":
        _png_header_only(path, 100_000, 100_000)
    elif case == "gif":
        Image.new("L", (20, 20), 255).save(path, format="GIF")
    elif case == "text":
        path.write_text(PAGE_1)
    elif case == "zip":
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    elif case == "missing":
        path = tmp_path / "nowhere.pdf"
    with pytest.raises(DocumentError) as err:
        load(path)
    assert err.value.path == str(path)
    assert problem in err.value.problem
    assert str(path) in str(err.value)


def test_pixel_cap_is_configurable(files):
    with pytest.raises(DocumentError, match="decompression bomb"):
        load(files["png"], max_pixels=1_000_000)
    with pytest.raises(DocumentError, match="decompression bomb"):
        load(files["image_pdf"], max_pixels=1_000_000)  # the embedded image is checked


def test_empty_pdf_has_no_pages(tmp_path):
    import pypdfium2 as pdfium

    path = tmp_path / "nopages.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.save(str(path))
    with pytest.raises(DocumentError, match="no pages"):
        load(path)


# --- outputs and measuring -----------------------------------------------------------------


def test_outputs(files):
    doc = load(files["mixed_pdf"], ocr_timeout=0.05)
    text = to_text(doc)
    assert "\f" in text and "CII/A99000015" in text
    data = json.loads(to_json(doc))
    assert data["media_type"] == "application/pdf"
    assert [p["source"] for p in data["pages"]] == ["text_layer", "none"]
    assert data["errors"][0]["page"] == 2 and "timed out" in data["errors"][0]["error"]
    word = data["pages"][0]["words"][0]
    assert set(word) == {"text", "box", "confidence", "start", "end"}
    root = ElementTree.fromstring(to_hocr(doc).split("\n", 2)[2])
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = root.findall(".//h:div[@class='ocr_page']", ns)
    assert len(pages) == 2 and pages[1].get("data-error")
    words = root.findall(".//h:span[@class='ocrx_word']", ns)
    assert words[0].text == "CII/A99000015" and "x_wconf 100" in words[0].get("title")


def test_iter_pages_streams_in_order(files):
    numbers = [p.number for p in iter_pages(files["text_pdf"])]
    assert numbers == [1, 2]


def test_cer():
    rng = random.Random(2)

    def slow(a, b):
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    for _ in range(300):
        a = "".join(rng.choice("ab c") for _ in range(rng.randint(0, 40)))
        b = "".join(rng.choice("abd ") for _ in range(rng.randint(0, 40)))
        assert levenshtein(a, b) == slow(a, b)
    assert normalize("  A   B \n\n* * * *\n- - - -\n  C") == "A B\nC"
    assert cer("CNT:01  #1", "CNT:01 #1") == 0.0
    assert cer("ABCD", "ABXD") == 0.25


def test_print_height_ignores_stretched_boxes():
    """On a speckled fax most word boxes are stretched by dots touching them; the print's
    height is the one most words share, not the median (which made words read as marks)."""
    from docmine.ingest.ocr import _common

    heights = sorted([15.0, 16, 16, 16, 16, 17, 17, 17, 16, 15] + [24.0, 31, 36, 44, 45, 48, 19, 21, 30, 53, 60])
    assert _common(heights) == 16
    assert _common([20.0] * 9 + [40.0]) == 20  # a clean page: all alike
    assert _common([]) == 0.0


def test_separator_row_read_as_letters_is_marks():
    """`* * * *` read one asterisk at a time as `we ke ke wk`: Tesseract's boxes span the
    line, but each holds one blob of mark height, so the row is marks; a row of unsure
    short words printed at capital height is not."""
    from docmine.ingest import marks

    binary = np.zeros((120, 400), np.uint8)
    stars, letters = [], []
    for k, text in enumerate(["we", "ke", "ke", "wk", "we", "&e"]):
        x = 10 + 60 * k
        binary[12:25, x : x + 12] = 1  # an asterisk: 13 px where capitals are 23
        stars.append((text, 40.0, (x - 2.0, 5.0, x + 14.0, 31.0), 1))
        binary[70:93, x : x + 12] = 1  # a capital, 23 px
        binary[70:93, x + 16 : x + 28] = 1
        letters.append(("OK", 40.0, (x - 2.0, 68.0, x + 30.0, 94.0), 2))
    caps = [("SUPERIOR-COURT-OF-CALIFORNIA-COUNTY-OF-ORANGE", 95.0, (10.0, 100.0, 390.0, 119.0), 3)]
    found = marks.find(stars + letters + caps, binary, 23.0)
    assert found[:6] == [True] * 6
    assert found[6:] == [False] * 7
