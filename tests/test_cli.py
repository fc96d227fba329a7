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
