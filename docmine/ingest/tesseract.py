"""Tesseract on an image array: the one place docmine calls Tesseract.

One engine per process, loaded once and kept (`Engine`: Tesseract's C API through tesserocr):
a page, a second reading and the enlarged code-like words (`reread`) are handed over in memory
and read by the same engine, instead of each starting a `tesseract` process that loads its
model again (a quarter of a second per call, more than the recognition of a small image).
Where tesserocr is not installed, or `DOCMINE_TESSERACT=cli` says so, each call runs the
`tesseract` binary through pytesseract, as before. Both give Tesseract's TSV as columns
(`image_to_data`'s dict): level, page/block/paragraph/line/word numbers, box, conf, text.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from functools import lru_cache

import cv2
import numpy as np

_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height")
# variables that Tesseract reads only when the engine starts (the rest are set per call)
_INIT_ONLY = ("load_system_dawg", "load_freq_dawg", "load_punc_dawg", "load_number_dawg", "load_unambig_dawg",
              "load_bigram_dawg", "user_words_suffix", "user_patterns_suffix")  # fmt: skip


def backend() -> str:
    """`engine` (tesserocr, loaded once per process) or `cli` (one `tesseract` process per call)."""
    if os.environ.get("DOCMINE_TESSERACT", "").lower() == "cli":
        return "cli"
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "cli"
    return "engine"


def parse_config(config: str) -> tuple[int, int, dict[str, str]]:
    """`--oem 1 --psm 6 -c name=value ...` -> (oem, psm, variables)."""
    oem, psm, variables = 1, 3, {}
    tokens = config.split()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("--oem", "--psm", "-c", "--dpi") and i + 1 < len(tokens):
            value = tokens[i + 1]
            if t == "--oem":
                oem = int(value)
            elif t == "--psm":
                psm = int(value)
            elif t == "-c" and "=" in value:
                name, _, v = value.partition("=")
                variables[name] = v
            i += 2
            continue
        i += 1
    return oem, psm, variables


@lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """Where the installed Tesseract keeps its models: TESSDATA_PREFIX, else what
    `tesseract --list-langs` names, else the Debian folders."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix and os.path.isdir(prefix):
        return prefix.rstrip("/") + "/"
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
        m = re.search(r'"([^"]+)"', out.stdout + out.stderr)
        if m and os.path.isdir(m.group(1)):
            return m.group(1).rstrip("/") + "/"
    except (OSError, subprocess.SubprocessError):
        pass
    for candidate in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                      "/usr/share/tessdata", "/usr/local/share/tessdata"):  # fmt: skip
        if os.path.isfile(os.path.join(candidate, "eng.traineddata")):
            return candidate + "/"
    return None


class Engine:
    """A Tesseract engine kept loaded: one per process, language and start-up variables."""

    def __init__(self, lang: str, oem: int, init_vars: dict[str, str]):
        import tesserocr

        self.api = tesserocr.PyTessBaseAPI(
            path=tessdata_dir() or "", lang=lang, oem=oem, init=True, variables=dict(init_vars)
        )
        self._set: dict[str, str] = {}
        self.lock = threading.Lock()

    def read(
        self, image: np.ndarray, dpi: float, psm: int, variables: dict[str, str], timeout: float, binary: bool = False
    ) -> dict | None:
        """The TSV of one image; None when Tesseract's own timeout stopped it. A `binary` image
        (only 0 and 255) goes over as 1 bit a pixel: the same TSV, and Tesseract skips its own
        thresholding (2-3% of a page's time)."""

        api = self.api
        with self.lock:
            for name, value in variables.items():
                if name in _INIT_ONLY or self._set.get(name) == value:
                    continue
                api.SetVariable(name, value)
                self._set[name] = value
            api.SetPageSegMode(psm)
            height, width = image.shape[:2]
            if binary:  # the API's 1-bit convention: a set bit is white, as 255 is in 8 bits
                bits = np.packbits(image >= 128, axis=1)
                api.SetImageBytes(bits.tobytes(), width, height, 0, bits.shape[1])
            else:
                gray = np.ascontiguousarray(image, dtype=np.uint8)
                api.SetImageBytes(gray.tobytes(), width, height, 1, width)
            api.SetSourceResolution(int(round(dpi)))
            ok = api.Recognize(max(1, int(timeout * 1000)))
            if not ok:
                api.Clear()
                return None
            tsv = api.GetTSVText(0)
            api.Clear()
        return _columns(tsv)


_ENGINES: dict[tuple, Engine] = {}
_NO_ENGINE: list[str] = []  # set when tesserocr failed to start in this process


def engine(lang: str, oem: int, variables: dict[str, str]) -> Engine:
    """This process's engine for `lang`. A worker forked from a process that had loaded one
    (`warm`) starts with its own copy, already loaded: nothing is shared after the fork, and
    Tesseract runs no threads of its own here (OMP_THREAD_LIMIT=1)."""
    init_vars = {k: v for k, v in variables.items() if k in _INIT_ONLY}
    key = (lang, oem, tuple(sorted(init_vars.items())))
    found = _ENGINES.get(key)
    if found is None:
        found = _ENGINES[key] = Engine(lang, oem, init_vars)
    return found


def warm(config: str, lang: str = "eng") -> None:
    """Load the engine now (before worker processes are forked, so that each starts with it)."""
    if backend() == "engine" and not _NO_ENGINE:
        oem, _, variables = parse_config(config)
        try:
            engine(lang, oem, variables)
        except RuntimeError:
            _NO_ENGINE.append(lang)


def _columns(tsv: str) -> dict:
    """Tesseract's TSV (no header) as pytesseract's `Output.DICT`."""
    data: dict[str, list] = {name: [] for name in (*_COLUMNS, "conf", "text")}
    for line in tsv.splitlines():
        cells = line.split("\t")
        if len(cells) < 11:
            continue
        for name, cell in zip(_COLUMNS, cells):
            data[name].append(int(cell))
        # whole numbers, as the binary's TSV gives them (docmine's thresholds were set on those)
        data["conf"].append(int(float(cells[10])))
        data["text"].append(cells[11] if len(cells) > 11 else "")
    return data


def read_data(
    image: np.ndarray, dpi: float, config: str, *, lang: str = "eng", timeout: float, binary: bool = False
) -> dict | None:
    """Tesseract's TSV for `image` as columns (`image_to_data`), or None on timeout."""
    if backend() == "engine" and not _NO_ENGINE:
        oem, psm, variables = parse_config(config)
        try:
            found = engine(lang, oem, variables)
        except RuntimeError:  # tesserocr cannot start (no model where it looks): the binary reads
            _NO_ENGINE.append(lang)
        else:
            return found.read(image, dpi, psm, variables, timeout, binary)
    return _read_cli(image, dpi, config, lang=lang, timeout=timeout, binary=binary)


def _read_cli(image: np.ndarray, dpi: float, config: str, *, lang: str, timeout: float, binary: bool) -> dict | None:
    import pytesseract

    with tempfile.TemporaryDirectory(prefix="docmine-ocr-") as tmp:
        # Uncompressed: fastest to write and read. A black-and-white page goes as 1 bit
        # (PBM): the same words, boxes and confidences as the 8-bit PGM, and Tesseract
        # spends 9% less time on it (it skips thresholding and moves 1/8 of the bytes).
        image_path = os.path.join(tmp, "page.pbm" if binary else "page.pgm")
        cv2.imwrite(image_path, image)
        config = f"{config} --dpi {int(round(dpi))}"
        try:
            return pytesseract.image_to_data(
                image_path, lang=lang, config=config, timeout=timeout, output_type=pytesseract.Output.DICT
            )
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                return None
            raise
