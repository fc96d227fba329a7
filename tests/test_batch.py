"""`docmine batch` end to end on a small synthetic archive: real files, real worker processes,
a real SQLite manifest, real SIGKILLs and a real Dask LocalCluster.

One uninterrupted run (2 workers, through the command line) is the reference; every other
way of running the same archive (1 worker, a Dask cluster, resumed after kills, run again)
must give byte-identical results files.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docmine.batch.run import Options, manifest_path, run_batch

REPO = Path(__file__).resolve().parent.parent
POLICY = "statute"
AS_OF = "2024-06-30"


def _batch_command(archive: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "docmine",
        "batch",
        str(archive),
        "--out",
        str(out),
        "--policy",
        POLICY,
        "--as-of",
        AS_OF,
        *extra,
    ]


def _run_cli(archive: Path, out: Path, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        _batch_command(archive, out, *extra), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def _results_files(out: Path) -> dict[str, bytes]:
    """Every results file (the manifest and the per-document cache under .docmine aside)."""
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] != ".docmine":
            files[str(rel)] = path.read_bytes()
    return files


def _assert_same_results(out: Path, reference: Path) -> None:
    got, want = _results_files(out), _results_files(reference)
    assert sorted(got) == sorted(want)
    different = [name for name in want if got[name] != want[name]]
    assert not different, f"files differ from the uninterrupted run: {different}"


def _manifest(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(manifest_path(out))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Synthetic records (text-layer PDFs with exact truth, clean page scans, a DOJ file)."""
    from docmine.synth import generate
    from docmine.synth.doj import write_doj_file

    root = tmp_path_factory.mktemp("corpus")
    generate(9, 11, root / "pdf", formats=("pdf",), workers=1)
    generate(2, 5, root / "png", formats=("png",), noise="none", workers=1)
    write_doj_file(root / "doj.csv", rows=40, seed=3)
    return root


@pytest.fixture(scope="module")
def archive(corpus, tmp_path_factory) -> Path:
    """A county archive: folders, a zip, a duplicate, two scans, a DOJ file, a counts file."""
    root = tmp_path_factory.mktemp("archive") / "county"
    docs = corpus / "pdf" / "docs"
    (root / "records" / "2019").mkdir(parents=True)
    for i in range(1, 7):
        shutil.copy(docs / f"doc-0000{i}.pdf", root / "records" / "2019" / f"record-{i}.pdf")
    (root / "copies").mkdir()
    shutil.copy(docs / "doc-00001.pdf", root / "copies" / "same-as-record-1.pdf")
    with zipfile.ZipFile(root / "boxes.zip", "w") as z:
        z.write(docs / "doc-00007.pdf", "box-7/record-7.pdf")
        z.write(docs / "doc-00008.pdf", "box-8/record-8.pdf")
        # Counts already extracted elsewhere (the output contract), passed through as they are.
        z.write(corpus / "pdf" / "truth" / "doc-00009.counts.jsonl", "extracted/doc-9.jsonl")
    (root / "doj").mkdir()
    shutil.copy(corpus / "doj.csv", root / "doj" / "research.csv")
    (root / "scans").mkdir()
    shutil.copy(corpus / "png" / "docs" / "doc-00001-p001.png", root / "scans" / "scan-a.png")
    shutil.copy(corpus / "png" / "docs" / "doc-00002-p001.png", root / "scans" / "scan-b.png")
    return root


@pytest.fixture(scope="module")
def reference(archive, tmp_path_factory) -> Path:
    """The uninterrupted run: `docmine batch --workers 2` through the command line."""
    out = tmp_path_factory.mktemp("reference") / "results"
    done = _run_cli(archive, out, "--workers", "2")
    assert done.returncode == 0, done.stderr
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _archive_contents(archive: Path) -> dict[str, str]:
    """sha256 of every file and zip member, by its display path."""
    out = {}
    for path in sorted(archive.rglob("*")):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    out[f"{path}!{name}"] = _sha256(z.read(name))
        elif path.is_file():
            out[str(path)] = _sha256(path.read_bytes())
    return out


def _csv_rows(path: Path) -> list[dict]:
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_file_is_accounted_for(archive, reference, corpus):
    contents = _archive_contents(archive)
    db = _manifest(reference)
    rows = {
        sha: (path, json.loads(paths), status)
        for sha, path, paths, status in db.execute("SELECT sha256, path, paths, status FROM documents")
    }
    # One row per distinct content; every path listed under it; all done.
    assert set(rows) == set(contents.values())
    assert sorted(p for _, paths, _ in rows.values() for p in paths) == sorted(contents)
    assert {status for *_, status in rows.values()} == {"done"}
    duplicate = rows[contents[str(archive / "records" / "2019" / "record-1.pdf")]]
    assert duplicate[0] == str(archive / "copies" / "same-as-record-1.pdf")  # the first in walk order
    assert duplicate[1] == [duplicate[0], str(archive / "records" / "2019" / "record-1.pdf")]
    # Each page of each document has its row; scans were OCR'd, PDFs read from their text layer.
    pages = {(sha, n): source for sha, n, source in db.execute("SELECT sha256, page, source FROM pages")}
    for sha, pages_n in db.execute("SELECT sha256, pages FROM documents WHERE kind = 'document'"):
        assert all((sha, n) in pages for n in range(1, pages_n + 1))
    assert pages[(contents[str(archive / "scans" / "scan-b.png")], 1)] == "ocr"
    assert pages[(contents[str(archive / "records" / "2019" / "record-2.pdf")], 1)] == "text_layer"
    policy, as_of = db.execute("SELECT policy, as_of FROM run").fetchone()
    assert (policy, as_of) == (POLICY, AS_OF)

    errors = _csv_rows(reference / "errors.csv")
    assert errors == []
    run = json.loads((reference / "run.json").read_text())
    assert run["as_of"] == AS_OF and run["policy"] == POLICY
    kinds = {i["kind"] for i in run["inputs"]}
    assert kinds == {"document", "doj", "counts"}
    assert len(run["inputs"]) == len(rows)


def test_counts_are_those_of_the_records(archive, reference, corpus):
    """Every count the synthetic truth holds for the text-layer PDFs is in counts.csv, once,
    and so is every count of the counts file passed through."""
    rows = _csv_rows(reference / "counts.csv")
    ids = [r["count_id"] for r in rows]
    assert len(ids) == len(set(ids))
    truth = []
    for i in range(1, 10):
        for line in (corpus / "pdf" / "truth" / f"doc-0000{i}.counts.jsonl").read_text().splitlines():
            truth.append(json.loads(line)["count_id"])
    assert truth and set(truth) <= set(ids)
    doj_rows = [r for r in rows if r["source"] == "doj"]
    assert doj_rows and {r["document"] for r in doj_rows} != {""}
    # Counts read from the two scans are there too, pointing at their pages.
    scans = [r for r in rows if "/scans/" in r["document"]]
    assert {r["document"] for r in scans} == {
        str(archive / "scans" / "scan-a.png"),
        str(archive / "scans" / "scan-b.png"),
    }
    assert {r["document"] for r in doj_rows} == {str(archive / "doj" / "research.csv")}
    assert all(r["page"] == "1" for r in scans)


def test_one_worker_gives_byte_identical_results(archive, reference, tmp_path):
    out = tmp_path / "results"
    summary = run_batch(archive, out, POLICY, as_of=AS_OF, options=Options(workers=1))
    assert summary.read_now == summary.documents - 2  # the DOJ and counts files are not "read"
    _assert_same_results(out, reference)


def test_dask_cluster_gives_byte_identical_results(archive, reference, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "results"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_batch(archive, out, POLICY, as_of=AS_OF, options=Options(scheduler=cluster.scheduler_address))
    assert summary.read_now > 0 and summary.failures == 0
    _assert_same_results(out, reference)


def test_run_again_resumes_keeps_first_as_of_and_reads_nothing(archive, reference, tmp_path):
    out = tmp_path / "results"
    shutil.copytree(reference, out)
    done = _run_cli(archive, out, "--workers", "2", "--as-of", "2031-01-01")  # the last --as-of counts
    assert done.returncode == 0, done.stderr
    assert "resuming a batch started as of 2024-06-30" in done.stderr
    assert "read by this run" in done.stdout
    read_now = next(line for line in done.stdout.splitlines() if "read by this run" in line)
    assert read_now.split()[-2] == "0"
    _assert_same_results(out, reference)


def test_other_policy_on_resume_is_refused(archive, reference, tmp_path):
    out = tmp_path / "results"
    shutil.copytree(reference, out)
    done = _run_cli(archive, out, "--workers", "1", "--policy", "la-pilot-2019")
    assert done.returncode == 2
    assert "started with policy statute" in done.stderr and "Traceback" not in done.stderr


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _alive(pids: list[int]) -> list[int]:
    import psutil

    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def _progress(out: Path) -> tuple[int, int]:
    """(runs started, documents done) as the manifest says, read while the batch writes it."""
    path = manifest_path(out)
    if not path.exists():
        return 0, -1
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT runs FROM run").fetchone()
            done = db.execute("SELECT COUNT(*) FROM documents WHERE status = 'done' AND kind = 'document'").fetchone()
            return (row[0] if row else 0), done[0]
    except sqlite3.OperationalError:
        return 0, -1  # the schema is not written yet


def test_interrupted_at_random_moments_then_resumed_equals_uninterrupted(archive, reference, tmp_path):
    """Ctrl-C once, then SIGKILL five times, each at a random moment of reading the archive
    (after a random number of documents are done, plus a random delay), resuming each time."""
    out = tmp_path / "results"
    with _manifest(reference) as db:
        total = db.execute("SELECT COUNT(*) FROM documents WHERE kind = 'document'").fetchone()[0]
    rng = random.Random(64)
    targets = sorted(rng.sample(range(total - 1), 6))  # documents done before each interruption
    plan = list(zip([signal.SIGINT] + [signal.SIGKILL] * 5, targets))
    done_counts = []
    for run, (how, target) in enumerate(plan, 1):
        proc = subprocess.Popen(
            _batch_command(archive, out, "--workers", "2"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        children: set[int] = set()
        while proc.poll() is None and _progress(out) < (run, target):
            children.update(_descendants(proc.pid))
            time.sleep(0.05)
        give_up = time.monotonic() + rng.uniform(0.0, 0.3)
        while proc.poll() is None and time.monotonic() < give_up:
            children.update(_descendants(proc.pid))
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be interrupted"
        proc.send_signal(how)
        _, stderr = proc.communicate(timeout=60)
        if how == signal.SIGINT:
            assert proc.returncode == 130 and "Traceback" not in stderr, stderr
            assert "run the same command again" in stderr
        else:
            assert proc.returncode == -signal.SIGKILL
        # Its workers go with it (after a SIGKILL the kernel kills them: PR_SET_PDEATHSIG).
        give_up = time.monotonic() + 10
        while _alive(list(children)) and time.monotonic() < give_up:
            time.sleep(0.1)
        assert not _alive(list(children))
        done_counts.append(_progress(out)[1])
    assert done_counts == sorted(done_counts)  # nothing done is ever lost
    assert 0 < done_counts[-1] <= total
    final = _run_cli(archive, out, "--workers", "2")
    assert final.returncode == 0, final.stderr
    _assert_same_results(out, reference)
    with _manifest(out) as db:
        assert db.execute("SELECT COUNT(*) FROM documents WHERE status != 'done'").fetchone()[0] == 0
        assert db.execute("SELECT runs FROM run").fetchone()[0] == len(plan) + 1
    counts_files = sorted(p.name for p in (out / ".docmine" / "counts").iterdir())
    assert not [p for p in counts_files if not p.endswith(".jsonl")]  # no temporary file left over
