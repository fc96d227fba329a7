"""The command line: its subcommands, and errors that name the file instead of a traceback."""

import json
import subprocess
import sys

from docmine.contract import count_to_dict
from tests.test_contract import full_count


def docmine(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "docmine", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_help_lists_the_subcommands():
    result = docmine("--help")
    assert result.returncode == 0
    for command in ("synth", "schema", "validate"):
        assert command in result.stdout


def test_schema_prints_the_shipped_schema():
    result = docmine("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "docmine count"


def test_validate_accepts_a_good_file(tmp_path):
    path = tmp_path / "counts.jsonl"
    path.write_text(json.dumps(count_to_dict(full_count())) + "\n")
    result = docmine("validate", path)
    assert result.returncode == 0, result.stderr
    assert "1 counts follow the output contract" in result.stdout


def test_a_user_mistake_is_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "bad counts.jsonl"
    good = count_to_dict(full_count())
    bad = dict(good, severity="F")
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    result = docmine("validate", path)
    assert result.returncode == 2
    assert "bad counts.jsonl" in result.stderr and "line 2" in result.stderr and "severity" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_named(tmp_path):
    result = docmine("validate", tmp_path / "nowhere.jsonl")
    assert result.returncode == 2
    assert "nowhere.jsonl" in result.stderr
    assert "Traceback" not in result.stderr


def test_synth_writes_an_archive_and_a_doj_file(tmp_path):
    result = docmine("synth", "--n", 2, "--seed", 5, "--noise", "none", "--workers", 1, "--out", tmp_path / "a")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert len(manifest["documents"]) == 2
    for doc in manifest["documents"]:
        assert (tmp_path / "a" / doc["files"]["pdf"]).is_file()
        assert doc["stem"] in result.stdout
    result = docmine("synth", "--doj", "--rows", 50, "--seed", 5, "--out", tmp_path / "d")
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "d" / "doj_bulk.csv").read_text().splitlines()
    assert len(lines) == 51 and lines[0].startswith("RECORD_ID,SUBJECT_STATUS,SUBJECT_ID")


def test_ocr_reads_a_scanned_page_in_every_format(tmp_path):
    from docmine.synth.render import render_document

    page = "CII/A12345678\nNAM/01 ORGANA,LEIA\n\nCNT:01   #84321\n  11357(B) HS-POSSESS MARIJUANA\n*DISPO:CONVICTED"
    files = render_document([page], tmp_path, "rap", noise="none", seed=1, formats=("png",))["files"]
    image = tmp_path / files["png"][0]
    text = docmine("ocr", image)
    assert text.returncode == 0, text.stderr
    assert "11357(B) HS-POSSESS MARIJUANA" in text.stdout and "*DISPO:CONVICTED" in text.stdout
    as_json = json.loads(docmine("ocr", image, "--format", "json").stdout)
    assert as_json["pages"][0]["source"] == "ocr"
    page_json = as_json["pages"][0]
    assert "NAM/01 ORGANA,LEIA" in page_json["text"]
    for word in page_json["words"]:  # every word points at its own characters in the page text
        assert page_json["text"][word["start"] : word["end"]] == word["text"]
    hocr = docmine("ocr", image, "--format", "hocr").stdout
    assert "ocrx_word" in hocr and "ORGANA" in hocr


def test_ocr_names_a_file_it_cannot_read(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<<")  # truncated
    result = docmine("ocr", bad)
    assert result.returncode == 2
    assert "scan.pdf" in result.stderr and "Traceback" not in result.stderr
