"""`docmine extract` and `docmine evaluate` on real files: PDFs, a scan, plain text, bad input."""

import json
import subprocess
import sys

import pytest

from docmine.contract import validate_count
from docmine.synth.corpus import generate


def _docmine(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "docmine", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract-cli")
    generate(6, 21, out, noise="light", formats=("pdf",), workers=1)
    return out


def test_extract_writes_the_contract_and_scores_perfectly_on_text_layers(archive, tmp_path):
    manifest = json.loads((archive / "manifest.json").read_text())
    pdfs = [str(archive / d["files"]["pdf"]) for d in manifest["documents"]]
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")  # truncated
    (tmp_path / "rap.txt").write_text("not a record at all, just a note\n")
    out = tmp_path / "counts.jsonl"
    done = _docmine(
        "extract", *pdfs, str(tmp_path / "broken.pdf"), str(tmp_path / "rap.txt"), "--out", str(out), "--rules-only"
    )
    assert done.returncode == 0, done.stderr
    assert "broken.pdf" in done.stderr and "Traceback" not in done.stderr
    predicted = [json.loads(line) for line in out.read_text().splitlines()]
    for count in predicted:
        validate_count(count)
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join((archive / d["files"]["counts"]).read_text() for d in manifest["documents"]))
    assert len(predicted) == len(gold_file.read_text().splitlines())
    scored = _docmine("evaluate", str(gold_file), str(out), "--json")
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
    assert report["paired"] == report["gold_counts"]
    for name in ("charge", "disposition", "severity", "event_date", "disposition_date", "case_number", "attempted"):
        assert report["fields"][name]["accuracy"] == 1.0, name
    # Text layers are read with full confidence: nothing is sent to review.
    assert report["review_rate"] == 0.0


def test_extract_reads_a_plain_text_rap_sheet(cfa_fixtures, tmp_path):
    out = tmp_path / "counts.jsonl"
    done = _docmine(
        "extract",
        str(cfa_fixtures / "rap-sheet-assistant" / "skywalker_prop64_two_cases_both_convicted.txt"),
        "--out",
        str(out),
        "--rules-only",
    )
    assert done.returncode == 0, done.stderr
    charges = {json.loads(line)["charge"] for line in out.read_text().splitlines()}
    assert any(c and c.startswith("HS 1135") for c in charges)


def test_extract_fails_cleanly_when_nothing_is_readable(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    done = _docmine("extract", str(tmp_path / "empty.pdf"), "--out", str(tmp_path / "c.jsonl"), "--rules-only")
    assert done.returncode == 2
    assert "empty.pdf" in done.stderr and "Traceback" not in done.stderr


def test_evaluate_names_a_bad_line(tmp_path):
    good = tmp_path / "gold.jsonl"
    good.write_text(json.dumps({"document": "a", "count": 1, "charge": "HS 11357"}) + "\n")
    bad = tmp_path / "pred.jsonl"
    bad.write_text(json.dumps({"document": "a", "count": 1}) + "\n{oops\n")
    done = _docmine("evaluate", str(good), str(bad))
    assert done.returncode == 2
    assert "pred.jsonl: line 2" in done.stderr and "Traceback" not in done.stderr
