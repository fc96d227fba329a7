"""Benchmark docmine's ingest against plain Tesseract, and its text-layer fast path.

OCR: the same synthetic record pages (RAP sheets, dockets, other papers from
docmine.synth) in three classes - clean 300 dpi renders, light photocopies, heavy
photocopies/faxes (200 dpi, tilted, speckled, stamped) - are read by

  plain    `tesseract IMG - --psm 6`, 2 processes at a time, one per PNG;
  docmine  `docmine.ingest.load(TIFF, workers=2)` on a multi-page TIFF of the same
           pixels: sniffing, decoding, preprocessing, one Tesseract call per page, layout.

It prints pages/s (median of --runs), the speed ratio (docmine over plain within each
run, median over runs; each run's ratio too), CPU seconds per page
of each path (this process and its children: what other load on the machine changes
least) and their ratio, and CER per class (edit distance
over reference length, summed over the class's pages; `docmine.ingest.cer` normalises).
`--ablation` adds CER with each preprocessing step left out (and with upscaling added).

A second page set (`--sets apart`, `scripts/pages_apart.py`): the same measures on pages
drawn by another renderer (Pillow, a TrueType monospace font) with another noise model,
classes clean / moderate (photocopy) / heavy (fax); docmine was never tuned on it.

Text layer: pages/s of `iter_pages` on a long text PDF (--textlayer-pages, 2000 by
default), and peak RSS in a fresh process for 1/10 of it and all of it, streaming
(`iter_pages`) and collecting (`load`).

    python scripts/bench_ocr.py                 # everything, ~5 minutes on 2 cores
    python scripts/bench_ocr.py --skip-textlayer --pages 6 --runs 3
    python scripts/bench_ocr.py --skip-textlayer --sets apart --pages 12 --runs 3
    python scripts/bench_ocr.py --skip-textlayer --pages 24 --texts-seed 23 --noise-seed 9
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from docmine.ingest import load  # noqa: E402
from docmine.ingest.cer import levenshtein, normalize  # noqa: E402
from docmine.ingest.ocr import OcrOptions, ocr_page  # noqa: E402
from docmine.synth import text_document  # noqa: E402
from docmine.synth.render import render_document, render_text_pdf  # noqa: E402

CLASSES = ("clean", "light", "heavy")
NOISE = {"clean": "none", "light": "light", "heavy": "heavy"}


def page_texts(n: int, seed: int = 11) -> list[str]:
    """n page texts from synthetic documents of every kind, deterministic."""
    kinds = [("rap_sheet", "rap"), ("docket", "table"), ("docket", "minute"), ("docket", "mixed"), ("other", "letter")]
    texts: list[str] = []
    i = 0
    while len(texts) < n:
        kind, layout = kinds[i % len(kinds)]
        try:
            doc = text_document(kind, layout, seed * 1000 + i)
        except ValueError:
            from docmine.synth.corpus import OTHER_LAYOUTS

            doc = text_document(kind, OTHER_LAYOUTS[i % len(OTHER_LAYOUTS)], seed * 1000 + i)
        texts.extend(t for t in doc.texts[:2] if t.strip())
        i += 1
    return texts[:n]


def apart_pages(out: Path, n: int, seed: int = 5) -> dict[str, dict]:
    """The second page set (`scripts/pages_apart.py`: another renderer and noise model, never
    tuned on): PNGs and, for docmine, a multi-page TIFF of the same pixels per class."""
    import pages_apart

    pages_apart.draw_set(out, n, seed)
    sets = {}
    for cls in pages_apart.CLASSES:
        pngs = sorted(str(p) for p in (out / cls).glob("page-*.png"))
        images = [Image.open(p) for p in pngs]
        dpi = images[0].info.get("dpi", (300, 300))
        tiff = out / cls / "pages.tiff"
        images[0].save(tiff, save_all=True, append_images=images[1:], dpi=dpi, compression="tiff_lzw")
        refs = [Path(p).with_suffix(".txt").read_text(encoding="utf-8") for p in pngs]
        sets[f"apart {cls}"] = {"refs": refs, "pngs": pngs, "tiff": str(tiff)}
    return sets


def make_pages(out: Path, n: int, texts_seed: int = 11, noise_seed: int = 5) -> dict[str, dict]:
    texts = page_texts(n, texts_seed)
    sets = {}
    for cls in CLASSES:
        d = out / cls
        truth = render_document(texts, d, "p", noise=NOISE[cls], seed=noise_seed, formats=("png", "tiff"))
        sets[cls] = {
            "refs": [p["text"] for p in truth["pages"]],
            "pngs": [str(d / f) for f in truth["files"]["png"]],
            "tiff": str(d / truth["files"]["tiff"]),
        }
    return sets


def _cpu() -> float:
    """CPU seconds of this process and of every child process it has waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def plain_tesseract(pngs: list[str]) -> tuple[float, float, list[str]]:
    def one(path: str) -> str:
        return subprocess.run(["tesseract", path, "-", "--psm", "6"], capture_output=True, text=True, check=True).stdout

    t, c = time.perf_counter(), _cpu()
    with ThreadPoolExecutor(2) as pool:  # 2 tesseract processes at a time
        texts = list(pool.map(one, pngs))
    return time.perf_counter() - t, _cpu() - c, texts


def docmine_ocr(tiff: str) -> tuple[float, float, list[str]]:
    t, c = time.perf_counter(), _cpu()
    doc = load(tiff, workers=2)  # the pool's workers are joined (and counted) on return
    return time.perf_counter() - t, _cpu() - c, [p.text for p in doc.pages]


def class_cer(refs: list[str], hyps: list[str]) -> float:
    dist = total = 0
    for ref, hyp in zip(refs, hyps):
        r = normalize(ref)
        dist += levenshtein(r, normalize(hyp))
        total += len(r)
    return dist / max(total, 1)


def bench_ocr(sets: dict, runs: int) -> dict:
    results = {}
    for cls in sets:
        s = sets[cls]
        n = len(s["pngs"])
        plain_t, dm_t, plain_c, dm_c, ratios = [], [], [], [], []
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            t, c, plain_texts = plain_tesseract(s["pngs"])
            plain_t.append(t)
            plain_c.append(c)
            t, c, dm_texts = docmine_ocr(s["tiff"])
            dm_t.append(t)
            dm_c.append(c)
            ratios.append(plain_t[-1] / dm_t[-1])
        p_rate, d_rate = n / statistics.median(plain_t), n / statistics.median(dm_t)
        # The ratio within each run (both paths timed back to back, under the same load),
        # then the median over runs: a burst of other load in one run moves one ratio,
        # where a ratio of medians could pair a slow run of one path with a quiet one of
        # the other.
        ratio = statistics.median(ratios)
        # CPU seconds per page: what the machine's other load changes least.
        p_cpu, d_cpu = statistics.median(plain_c) / n, statistics.median(dm_c) / n
        results[cls] = {
            "pages": n,
            "plain_pages_per_s": round(p_rate, 3),
            "docmine_pages_per_s": round(d_rate, 3),
            "ratio": round(ratio, 3),
            "ratio_per_run": [round(r, 3) for r in ratios],
            "plain_cpu_s_per_page": round(p_cpu, 3),
            "docmine_cpu_s_per_page": round(d_cpu, 3),
            "cpu_ratio": round(p_cpu / d_cpu, 3),
            "plain_cer": round(class_cer(s["refs"], plain_texts), 4),
            "docmine_cer": round(class_cer(s["refs"], dm_texts), 4),
        }
        print(
            f"{cls:14s} {n} pages  plain {p_rate:.2f} p/s CER {results[cls]['plain_cer']:.2%}   "
            f"docmine {d_rate:.2f} p/s CER {results[cls]['docmine_cer']:.2%}   "
            f"speed ratio {ratio:.2f} (runs {', '.join(f'{r:.2f}' for r in ratios)}; "
            f"CPU s/page {p_cpu:.2f} vs {d_cpu:.2f}: {p_cpu / d_cpu:.2f})",
            flush=True,
        )
    total_n = sum(r["pages"] for r in results.values())
    p_all = total_n / sum(r["pages"] / r["plain_pages_per_s"] for r in results.values())
    d_all = total_n / sum(r["pages"] / r["docmine_pages_per_s"] for r in results.values())
    results["all"] = {
        "plain_pages_per_s": round(p_all, 3),
        "docmine_pages_per_s": round(d_all, 3),
        "ratio": round(d_all / p_all, 3),
    }
    print(f"all    plain {p_all:.2f} p/s  docmine {d_all:.2f} p/s  ratio {d_all / p_all:.2f}", flush=True)
    return results


def _ocr_png(args):
    path, options = args
    img = Image.open(path)
    dpi = float(img.info.get("dpi", (300, 300))[0] or 300)
    return ocr_page(np.asarray(img.convert("L")), round(dpi), options=options).text


def _with_upscale(steps: tuple[str, ...]) -> tuple[str, ...]:
    """The steps with upscaling before binarising and despeckling (after deskew)."""
    cut = next((i for i, x in enumerate(steps) if x in ("otsu", "despeckle")), len(steps))
    return steps[:cut] + ("upscale",) + steps[cut:]


def ablation(sets: dict) -> dict:
    """CER per noisy class: the whole path; without the second reading of black-and-white
    photocopies (`OcrOptions.reread`); then each page's planned steps forced (which turns
    the second reading off), with each step left out, with none, and with upscaling added."""
    from concurrent.futures import ProcessPoolExecutor

    from docmine.ingest import preprocess

    out = {}
    with ProcessPoolExecutor(2) as pool:
        for cls in ("light", "heavy"):
            s = sets[cls]
            plans = []
            for path in s["pngs"]:
                img = Image.open(path)
                dpi = float(img.info.get("dpi", (300, 300))[0] or 300)
                stats, _, _ = preprocess.measure(np.asarray(img.convert("L")), round(dpi))
                plans.append(preprocess.plan(stats))
            n = len(plans)
            variants = {"all": [OcrOptions()] * n, "without second reading": [OcrOptions(reread=False)] * n}
            forced = {"planned steps": plans, "none": [() for _ in plans]}
            for step in ("flatten", "median", "destreak", "deskew", "otsu", "destamp", "despeckle"):
                forced[f"without {step}"] = [tuple(x for x in p if x != step) for p in plans]
            forced["with upscale"] = [_with_upscale(p) for p in plans]
            for name, steps in forced.items():
                variants[name] = [OcrOptions(steps=st) for st in steps]
            row = {}
            for name, options in variants.items():
                texts = list(pool.map(_ocr_png, zip(s["pngs"], options)))
                row[name] = round(class_cer(s["refs"], texts), 4)
            out[cls] = row
            print(f"ablation {cls}: " + "  ".join(f"{k} {v:.2%}" for k, v in row.items()), flush=True)
    return out


# --- text layer ------------------------------------------------------------------------------


# Peak RSS from VmHWM: ru_maxrss would carry the parent's peak over fork and exec.
_RSS_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})
from docmine.ingest import iter_pages, load
mode, path, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.perf_counter(); n = 0; chars = 0
if mode == "stream":
    for page in iter_pages(path):
        n += 1; chars += len(page.text)
        if n >= limit: break
else:
    doc = load(path); n = len(doc.pages)
dt = time.perf_counter() - t
hwm = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
print(n, dt, hwm)
"""


def bench_textlayer(out: Path, pages: int) -> dict:
    texts = page_texts(20, seed=29)
    long_pdf, short_pdf = out / "long.pdf", out / "short.pdf"
    t = time.perf_counter()
    render_text_pdf([texts[i % len(texts)] for i in range(pages)], long_pdf)
    render_text_pdf([texts[i % len(texts)] for i in range(max(1, pages // 10))], short_pdf)
    print(f"text PDFs written ({pages} and {pages // 10} pages) in {time.perf_counter() - t:.0f} s", flush=True)
    code = _RSS_CHILD.format(root=str(Path(__file__).resolve().parent.parent))
    res = {}
    for mode in ("stream", "load"):
        for name, path in (("short", short_pdf), ("long", long_pdf)):
            proc = subprocess.run(
                [sys.executable, "-c", code, mode, str(path), str(pages)], capture_output=True, text=True, check=True
            )
            n, dt, rss = proc.stdout.split()
            res[f"{mode}_{name}"] = {
                "pages": int(n),
                "seconds": round(float(dt), 2),
                "pages_per_s": round(int(n) / float(dt), 1),
                "peak_rss_mib": round(int(rss) / 1024, 1),
            }
            r = res[f"{mode}_{name}"]
            print(
                f"text layer {mode:6s} {r['pages']:5d} pages: {r['pages_per_s']:7.1f} pages/s, "
                f"peak RSS {r['peak_rss_mib']:.0f} MiB",
                flush=True,
            )
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=8, help="pages per OCR class")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--texts-seed", type=int, default=11, help="seed of the page texts (other page sets)")
    ap.add_argument("--noise-seed", type=int, default=5, help="seed of the scan noise (other page sets)")
    ap.add_argument("--textlayer-pages", type=int, default=2000)
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument(
        "--sets", nargs="+", default=["synth", "apart"], choices=["synth", "apart"],
        help="synth: docmine synth's pages (clean/light/heavy); apart: scripts/pages_apart.py's (clean/moderate/heavy)",
    )  # fmt: skip
    ap.add_argument("--apart-seed", type=int, default=5, help="seed of the second page set")
    ap.add_argument("--skip-ocr", action="store_true")
    ap.add_argument("--skip-textlayer", action="store_true")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    report: dict = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="docmine-bench-") as tmp:
        tmp_path = Path(tmp)
        if not args.skip_ocr:
            sets = {}
            if "synth" in args.sets:
                sets.update(make_pages(tmp_path / "synth", args.pages, args.texts_seed, args.noise_seed))
            if "apart" in args.sets:
                sets.update(apart_pages(tmp_path / "apart", args.pages, args.apart_seed))
            report["ocr"] = bench_ocr(sets, args.runs)
            if args.ablation and "synth" in args.sets:
                report["ablation"] = ablation(sets)
        if not args.skip_textlayer:
            report["textlayer"] = bench_textlayer(tmp_path, args.textlayer_pages)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
