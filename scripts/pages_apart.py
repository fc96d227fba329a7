"""A second page set for the OCR benchmarks, drawn apart from `docmine synth`.

`docmine synth` lays out Courier with fpdf2, rasterises with pdfium and degrades with its own
noise model (`docmine/synth/noise.py`); docmine's OCR was tuned on those pages. This module
shares none of that: it draws the text straight onto a raster with Pillow in a TrueType
monospace font (DejaVu Sans Mono, 9-10.5 pt, 80 columns, on US Letter), and degrades it with its own
model, in three classes:

  clean     300 dpi, upright, a light grey background, nothing else;
  moderate  300 dpi (photocopy-grade): skew up to 1.2 degrees, blur, light speckle, JPEG quality 60;
  heavy     200 dpi (fax-grade): skew up to 2.5 degrees, a grey FILED stamp over the text,
            uneven light, blur, speckle, binarisation, salt and pepper.

The words come from Code for America's fictional RAP sheets (`../shared/external/cfa/
rap-sheet-assistant/*.txt`) and from `docmine synth`'s dockets and letters (content only).
Nothing here is read by docmine's own tuning: the page set is for measuring.

    python scripts/pages_apart.py --out DIR [--pages 12] [--seed 5]   # DIR/<class>/page-NN.png + .txt
"""

from __future__ import annotations

import argparse
import json
import random
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CLASSES = ("clean", "moderate", "heavy")


def _font_file() -> str:
    """DejaVu Sans Mono: Debian's, else the copy matplotlib ships."""
    system = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    if system.is_file():
        return str(system)
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf")


FONT = _font_file()
CFA = Path(__file__).resolve().parents[2] / "shared" / "external" / "cfa" / "rap-sheet-assistant"
LETTER_IN = (8.5, 11.0)
MARGIN_IN = 0.75


def page_texts(n: int, seed: int) -> list[str]:
    """n page texts: CfA's fictional RAP sheets cut into pages, then docmine synth's dockets
    and letters (their words only), alternating."""
    rng = random.Random(seed)
    cfa_pages: list[str] = []
    for path in sorted(CFA.glob("*.txt")) if CFA.is_dir() else []:
        lines = [line.rstrip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        for start in range(0, len(lines), 56):
            chunk = "\n".join(lines[start : start + 56]).strip("\n")
            if sum(ch.isalnum() for ch in chunk) > 200:
                cfa_pages.append(chunk)
    rng.shuffle(cfa_pages)
    from docmine.synth import text_document

    synth_pages: list[str] = []
    kinds = [("docket", "table"), ("docket", "minute"), ("other", "letter"), ("rap_sheet", "rap")]
    k = 0
    while len(synth_pages) < n:
        doc_type, style = kinds[k % len(kinds)]
        doc = text_document(doc_type, style, seed * 1000 + k)
        synth_pages.extend(p for p in doc.texts if sum(ch.isalnum() for ch in p) > 200)
        k += 1
    out: list[str] = []
    while len(out) < n:
        source = cfa_pages if (len(out) % 2 == 0 and cfa_pages) else synth_pages
        out.append(source.pop(0) if source else synth_pages.pop(0))
    return [_fit(t) for t in out]


def _fit(text: str, width: int = 80, height: int = 58) -> str:
    lines = [line.replace("\t", "    ")[:width].rstrip() for line in text.splitlines()][:height]
    return "\n".join(lines)


def render(text: str, dpi: int, size_pt: float, rng: random.Random) -> Image.Image:
    """The text drawn in the monospace font on a white Letter page at `dpi`."""
    w, h = int(LETTER_IN[0] * dpi), int(LETTER_IN[1] * dpi)
    page = Image.new("L", (w, h), 255)
    font = ImageFont.truetype(FONT, size=max(6, round(size_pt * dpi / 72)))
    draw = ImageDraw.Draw(page)
    pitch = size_pt * 1.18 * dpi / 72
    x0 = MARGIN_IN * dpi + rng.uniform(-0.1, 0.1) * dpi
    y = MARGIN_IN * dpi + rng.uniform(-0.1, 0.1) * dpi
    ink = rng.randint(0, 40)
    for line in text.splitlines():
        draw.text((x0, y), line, fill=ink, font=font)
        y += pitch
    return page


def _skew(img: np.ndarray, degrees: float) -> np.ndarray:
    import cv2

    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _stamp(img: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """A grey FILED stamp in a box, turned a little, laid over the text."""
    size = int(1.8 * dpi)
    stamp = Image.new("L", (size, size // 2), 0)
    d = ImageDraw.Draw(stamp)
    d.rectangle([4, 4, size - 5, size // 2 - 5], outline=255, width=max(2, dpi // 60))
    font = ImageFont.truetype(FONT, size=int(0.32 * dpi))
    d.text((size * 0.14, size * 0.08), "FILED", fill=255, font=font)
    small = ImageFont.truetype(FONT, size=int(0.12 * dpi))
    when = f"{rng.choice(['JAN', 'MAR', 'JUN', 'OCT'])} {rng.randint(1, 28):02d} 19{rng.randint(70, 99)}"
    d.text((size * 0.12, size * 0.3), when, fill=255, font=small)
    stamp = stamp.rotate(rng.uniform(-15, 15), expand=True)
    x = rng.randint(int(0.3 * img.width), int(0.6 * img.width))
    y = rng.randint(int(0.05 * img.height), int(0.6 * img.height))
    grey = Image.new("L", stamp.size, rng.randint(110, 160))
    out = img.copy()
    region = out.crop((x, y, x + stamp.width, y + stamp.height))
    darker = Image.fromarray(np.minimum(np.asarray(region), np.asarray(grey)))
    out.paste(Image.composite(darker, region, stamp), (x, y))
    return out


def degrade(page: Image.Image, kind: str, dpi: int, rng: random.Random) -> Image.Image:
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    if kind == "clean":
        a = np.asarray(page, dtype=np.float32)
        a = np.minimum(a, 255 - rng.randint(0, 12))
        return Image.fromarray(a.astype(np.uint8))
    if kind == "heavy":
        page = _stamp(page, rng, dpi)
    a = np.asarray(page, dtype=np.float32)
    limit = 1.2 if kind == "moderate" else 2.5
    a = _skew(a, rng.uniform(-limit, limit))
    if kind == "heavy":  # uneven light: a gradient across the page
        h, w = a.shape
        gx = np.linspace(0, 1, w)[None, :] * rng.uniform(15, 40)
        gy = np.linspace(0, 1, h)[:, None] * rng.uniform(0, 25)
        a = a - (gx + gy) if rng.random() < 0.5 else a - (gx[:, ::-1] + gy)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(radius=0.6 if kind == "moderate" else 0.8))
    a = np.asarray(img, dtype=np.float32)
    speckle = 0.0015 if kind == "moderate" else 0.004
    dots = nrng.random(a.shape) < speckle
    a[dots] = nrng.uniform(0, 120, dots.sum())
    a += nrng.normal(0, 6 if kind == "moderate" else 8, a.shape)
    a = np.clip(a, 0, 255)
    if kind == "moderate":
        buffer = BytesIO()
        Image.fromarray(a.astype(np.uint8)).save(buffer, format="JPEG", quality=60)
        return Image.open(BytesIO(buffer.getvalue())).convert("L")
    a = np.where(a < rng.uniform(120, 150), 0, 255).astype(np.uint8)  # binarised, as a fax is
    salt = nrng.random(a.shape)
    a[salt < 0.003] = 0
    a[salt > 0.997] = 255
    return Image.fromarray(a)


def draw_set(out: Path, pages: int, seed: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    texts = page_texts(pages, seed)
    made = {}
    for kind in CLASSES:
        folder = out / kind
        folder.mkdir(exist_ok=True)
        rng = random.Random(f"{seed}-{kind}")
        for i, text in enumerate(texts, 1):
            dpi = 200 if kind == "heavy" else 300
            img = degrade(render(text, dpi, rng.uniform(9.0, 10.5), rng), kind, dpi, rng)
            img.save(folder / f"page-{i:02d}.png", dpi=(dpi, dpi))
            (folder / f"page-{i:02d}.txt").write_text(text + "\n", encoding="utf-8")
        made[kind] = pages
    (out / "pageset.json").write_text(json.dumps({"renderer": "pages_apart", "seed": seed, "pages": made}) + "\n")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    made = draw_set(args.out, args.pages, args.seed)
    print(f"{args.out}: {', '.join(f'{k} {v}' for k, v in made.items())} pages")


if __name__ == "__main__":
    main()
