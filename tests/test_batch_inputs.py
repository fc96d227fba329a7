"""`docmine batch` on a corpus of bad inputs: every bad one reported in errors.csv with a clear
reason, every good one read, the run going on (and exiting non-zero only with --strict).
Also the walk's rules (zip paths, links) and the per-document time and memory caps."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from docmine.batch.walk import Entry, Problem, escapes, walk
from docmine.batch.work import Task, process

REPO = Path(__file__).resolve().parent.parent


def _run(archive: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "docmine",
        "batch",
        str(archive),
        "--out",
        str(out),
        "--policy",
        "statute",
        "--as-of",
        "2024-06-30",
        *extra,
    ]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG that claims width x height pixels but holds a few bytes: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, bytes]:
    """Good text-layer records: RAP sheets and a docket (synthetic)."""
    from docmine.synth import generate

    root = tmp_path_factory.mktemp("records")
    manifest = generate(6, 21, root, formats=("pdf",), workers=1)
    raps = [d for d in manifest.documents if d.doc_type == "rap_sheet" and d.counts]
    dockets = [d for d in manifest.documents if d.doc_type == "docket" and d.counts]
    assert len(raps) >= 3 and dockets
    return {
        "rap1": (root / raps[0].files["pdf"]).read_bytes(),
        "rap2": (root / raps[1].files["pdf"]).read_bytes(),
        "rap3": (root / raps[2].files["pdf"]).read_bytes(),
        "docket": (root / dockets[0].files["pdf"]).read_bytes(),
    }


# (file, what errors.csv must say); the paths are relative to the archive.
EXPECTED = {
    "zero.pdf": "empty file (0 bytes)",
    "truncated.pdf": "truncated PDF",
    "encrypted.pdf": "encrypted PDF",
    "corrupt.tif": "corrupt TIFF image",
    "notes.pdf": "plain text named .pdf",
    "huge.png": "decompression bomb",
    "nopages.pdf": "PDF has no pages",
    "links/loop-a": "symbolic link loop",
    "links/loop-b": "symbolic link loop",
    "links/back": "symbolic link loop",
    "links/gone.pdf": "broken symbolic link",
    "bundle.zip!../escape.pdf": "path escapes the archive",
    "bundle.zip!/etc/abs.pdf": "path escapes the archive",
    "bundle.zip!inner/bad.tif": "corrupt TIFF image",
}


@pytest.fixture(scope="module")
def bad_archive(records, tmp_path_factory) -> Path:
    import pypdfium2 as pdfium
    from fpdf import FPDF

    root = tmp_path_factory.mktemp("bad") / "archive"
    root.mkdir()
    (root / "good.pdf").write_bytes(records["rap1"])
    (root / "zero.pdf").write_bytes(b"")
    (root / "truncated.pdf").write_bytes(records["rap2"][: len(records["rap2"]) // 2])
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Courier", size=9)
    pdf.text(20, 20, "SEALED")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(root / "encrypted.pdf"))
    (root / "corrupt.tif").write_bytes(b"II*\x00" + bytes(random.Random(2).getrandbits(8) for _ in range(2000)))
    (root / "notes.pdf").write_text("Meeting notes: order more toner for the scanner room.\n")
    _png_header_only(root / "huge.png", 40_000, 40_000)
    empty = pdfium.PdfDocument.new()
    empty.save(str(root / "nopages.pdf"))
    empty.close()
    links = root / "links"
    links.mkdir()
    os.symlink("loop-b", links / "loop-a")
    os.symlink("loop-a", links / "loop-b")
    os.symlink("..", links / "back")  # a folder link back into the archive
    os.symlink("nowhere.pdf", links / "gone.pdf")
    # A name that is not UTF-8 (Latin-1 e-acute), as files copied off an old server keep.
    with open(os.path.join(os.fsencode(root), b"r\xe9cord.pdf"), "wb") as f:
        f.write(records["rap3"])
    with zipfile.ZipFile(root / "bundle.zip", "w") as z:
        z.writestr("../escape.pdf", records["rap2"])
        z.writestr("/etc/abs.pdf", records["rap2"])
        z.writestr("inner/docket.pdf", records["docket"])
        z.writestr("inner/bad.tif", b"MM\x00*" + bytes(random.Random(3).getrandbits(8) for _ in range(800)))
    return root


@pytest.fixture(scope="module")
def bad_run(bad_archive, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("bad-results") / "results"
    return _run(bad_archive, out, "--workers", "2", "--rules-only"), out


def test_every_bad_input_is_reported_and_every_good_one_read(bad_archive, bad_run):
    done, out = bad_run
    assert done.returncode == 0, done.stderr  # errors are reported, not fatal, without --strict
    assert "Traceback" not in done.stderr
    with open(out / "errors.csv", newline="", encoding="utf-8") as f:
        errors = list(csv.DictReader(f))
    reasons = {row["path"]: row["reason"] for row in errors}
    expected = {f"{bad_archive}/{name}": reason for name, reason in EXPECTED.items()}
    assert sorted(reasons) == sorted(expected)
    for path, reason in expected.items():
        assert reason in reasons[path], (path, reasons[path])
    # A zip member is read from a temporary copy; messages still name it as the archive does.
    assert "docmine-batch-" not in "".join(reasons.values())
    assert f"{bad_archive}/bundle.zip!inner/bad.tif" in reasons[f"{bad_archive}/bundle.zip!inner/bad.tif"]

    run = json.loads((out / "run.json").read_text("utf-8"))
    good = {f"{bad_archive}/good.pdf", f"{bad_archive}/r\\xe9cord.pdf", f"{bad_archive}/bundle.zip!inner/docket.pdf"}
    assert {i["path"] for i in run["inputs"]} == good
    with open(out / "counts.csv", newline="", encoding="utf-8") as f:
        documents = {row["document"] for row in csv.DictReader(f)}
    assert documents == good  # each good record's counts are in the results


def test_strict_exits_non_zero_when_anything_was_unreadable(bad_archive, bad_run):
    _, out = bad_run
    again = _run(bad_archive, out, "--workers", "1", "--rules-only", "--strict")  # resumes: nothing to read
    assert again.returncode == 1
    assert "could not be read" in again.stderr and "errors.csv" in again.stderr


def test_decompression_bomb_is_refused_without_being_decoded(bad_archive):
    started = time.perf_counter()
    outcome = process(Task("0" * 64, "huge.png", "huge.png", str(bad_archive / "huge.png"), use_model=False))
    assert outcome.status == "error" and "decompression bomb" in outcome.error
    assert time.perf_counter() - started < 5  # 1.6 gigapixels would take far longer to decode


def test_zip_member_names_that_escape():
    for name in ("../x.pdf", "a/../../x.pdf", "/etc/passwd", "C:/x.pdf", "..\\x.pdf", "a\\..\\..\\x"):
        assert escapes(name), name
    for name in ("a/b.pdf", "a..b.pdf", "..a/b.pdf", "x/.../y.pdf"):
        assert not escapes(name), name


def test_walk_is_sorted_and_skips_the_results_folder(tmp_path):
    root = tmp_path / "a"
    (root / "b").mkdir(parents=True)
    (root / "results").mkdir()
    for name in ("z.pdf", "b/y.pdf", "m.pdf", "results/r.pdf"):
        (root / name).write_bytes(b"%PDF-1.4\n")
    items = list(walk(root, skip=(str(root / "results"),)))
    assert all(isinstance(i, Entry) for i in items)
    assert [i.display for i in items] == [f"{root}/m.pdf", f"{root}/z.pdf", f"{root}/b/y.pdf"]


def test_a_corrupt_zip_is_reported(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (items,) = list(walk(tmp_path))
    assert isinstance(items, Problem) and "corrupt zip archive" in items.reason


@pytest.fixture(scope="module")
def one_scan(tmp_path_factory) -> Path:
    from docmine.synth import generate

    root = tmp_path_factory.mktemp("scan")
    generate(1, 8, root / "corpus", formats=("png",), noise="none", workers=1)
    archive = root / "archive"
    archive.mkdir()
    shutil.copy(sorted((root / "corpus" / "docs").glob("*-p001.png"))[0], archive / "page.png")
    return archive


def test_a_document_over_the_time_cap_is_stopped_and_reported(one_scan, tmp_path):
    started = time.monotonic()
    done = _run(one_scan, tmp_path / "results", "--workers", "1", "--rules-only", "--timeout", "1")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(open(tmp_path / "results" / "errors.csv", encoding="utf-8")))
    assert [(r["path"], r["reason"]) for r in rows] == [(f"{one_scan}/page.png", "took longer than 1 s: stopped")]
    assert time.monotonic() - started < 60


def test_a_worker_over_the_memory_cap_is_reported(one_scan, tmp_path):
    done = _run(one_scan, tmp_path / "results", "--workers", "1", "--rules-only", "--memory-mb", "160")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(open(tmp_path / "results" / "errors.csv", encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["path"] == f"{one_scan}/page.png"
    assert "over the memory cap of 160 MB" in rows[0]["reason"]


def test_two_batches_cannot_write_one_results_folder(tmp_path):
    import fcntl

    from docmine.batch.run import run_batch
    from docmine.errors import DocmineError

    (tmp_path / "archive").mkdir()
    state = tmp_path / "results" / ".docmine"
    state.mkdir(parents=True)
    with open(state / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running batch holds it
        with pytest.raises(DocmineError, match="another docmine batch is writing"):
            run_batch(tmp_path / "archive", tmp_path / "results", "statute")
