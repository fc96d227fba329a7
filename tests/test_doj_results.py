"""County-scale DOJ files through `docmine check` (issue #20): streamed subject by subject, the
same bytes whatever `--workers`, the same rows as the in-memory path, a progress bar."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROWS = 12_000  # about 4.6 MB: enough for `--workers 2` to cut the file in two shares


def _docmine(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "docmine", *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def doj(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("doj")
    _docmine("synth", "--doj", "--rows", str(ROWS), "--seed", "20", "--out", str(out))
    return out / "doj_bulk.csv"


@pytest.mark.parametrize("policy", ["statute", "gogen-configurable-2019"])
def test_the_same_bytes_whatever_the_number_of_workers(doj, tmp_path, policy):
    from docmine.eligibility.doj import parts

    assert len(parts(doj, 2)) == 2  # the file is really cut in two
    folders = []
    for workers in ("1", "2"):
        folder = tmp_path / f"w{workers}"
        done = _docmine("check", str(doj), "--policy", policy, "--as-of", "2024-01-01", "--out", str(folder),
                        "--workers", workers)  # fmt: skip
        assert "rows/s" in done.stderr  # the progress bar
        folders.append(folder)
    one, two = (_digests(f) for f in folders)
    assert one == two
    assert {"counts.csv", "counts.parquet", "people.csv", "people.parquet", "run.json"} <= set(one)


def test_streamed_rows_are_the_in_memory_rows(doj, tmp_path):
    """A counts file beside the DOJ file makes the run link people across inputs in memory; the
    DOJ file's rows come out the same as when it is streamed alone."""
    empty = tmp_path / "none.jsonl"
    empty.write_text("", "utf-8")
    streamed, in_memory = tmp_path / "streamed", tmp_path / "in-memory"
    _docmine("check", str(doj), "--policy", "statute", "--as-of", "2024-01-01", "--out", str(streamed))
    _docmine("check", str(doj), str(empty), "--policy", "statute", "--as-of", "2024-01-01", "--out", str(in_memory))
    for name in ("counts.csv", "people.csv", "review.csv"):
        assert (streamed / name).read_bytes() == (in_memory / name).read_bytes(), name


def test_a_subject_split_in_the_file_is_still_one_person(doj, tmp_path):
    """A subject whose rows are not together (its first row moved to the end) cannot be streamed:
    the run links the file in memory and the subject stays one person."""
    lines = doj.read_bytes().split(b"\r\n")
    header, rows = lines[0], [line for line in lines[1:] if line]
    moved = rows.pop(0)
    split = tmp_path / "split.csv"
    split.write_bytes(b"\r\n".join([header, *rows, moved]) + b"\r\n")
    out = tmp_path / "out"
    _docmine("check", str(split), "--policy", "statute", "--as-of", "2024-01-01", "--out", str(out), "--workers", "2")
    subject = next(csv.reader([moved.decode()]))[header.decode().split(",").index("SUBJECT_ID")]
    with open(out / "counts.csv", newline="", encoding="utf-8") as handle:
        persons = {r["person_id"] for r in csv.DictReader(handle) if r["SUBJECT_ID"] == subject}
    assert len(persons) == 1


def test_a_line_break_inside_a_cell_reaches_the_parquet_file_whole(doj, tmp_path):
    """Arrow cuts a CSV into blocks at line ends unless told values hold them; a table with one
    (record text is untrusted) is read quote by quote, and none is lost or split."""
    import pyarrow.parquet as pq

    with open(doj, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    comment = rows[0].index("COMMENT_TEXT")
    for row in rows[1:]:  # most line ends inside values: Arrow's blocks (8 MB) would end in one
        row[comment] = "SEE ATTACHED\nSECOND LINE\r\nTHIRD"
    broken = tmp_path / "broken.csv"
    with open(broken, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    out = tmp_path / "out"
    _docmine("check", str(broken), "--policy", "statute", "--as-of", "2024-01-01", "--out", str(out), "--workers", "2")
    with open(out / "counts.csv", newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    table = pq.read_table(out / "counts.parquet")
    assert (out / "counts.csv").stat().st_size > 8 << 20  # more than one of Arrow's blocks
    assert table.num_rows == len(written) >= ROWS // 2
    assert table.column("COMMENT_TEXT").to_pylist() == [r["COMMENT_TEXT"] for r in written]
    assert set(table.column("COMMENT_TEXT").to_pylist()) == {"SEE ATTACHED\nSECOND LINE\r\nTHIRD"}
