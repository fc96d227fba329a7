"""Nothing vanishes (issue #17): a conviction that looks like a marijuana count (its section
digits, or `MARIJUANA`, `CANNABIS`, `MJ` in its text) but whose charge cannot be read reaches
review.csv with its text, from every source, through `docmine check`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from docmine.eligibility.law import looks_like_marijuana
from tests.test_cli import docmine
from tests.test_people import doj_file, doj_row


def _check(tmp_path: Path, *inputs: Path) -> tuple[dict, list[dict]]:
    out = tmp_path / "R"
    done = docmine("check", *inputs, "--policy", "statute", "--as-of", "2020-01-01", "--out", out)
    assert done.returncode == 0, done.stderr
    counts = {r["charge_text"]: r for r in csv.DictReader(open(out / "counts.csv", encoding="utf-8"))}
    review = list(csv.DictReader(open(out / "review.csv", encoding="utf-8")))
    return counts, review


@pytest.mark.parametrize(
    "text, looks",
    [
        ("11360(B) SELL/TRANSPORT MARIJUANA", True),
        ("POSS CONC CANNABIS", True),
        ("MJ POSS FOR SALE", True),
        ("1136O(B) - TRANSPORT", True),
        ("11357.5 HS-SYNTH CANNABINOID", False),
        ("11350 HS-POSS NARC", False),
        ("459 PC-BURGLARY", False),
        ("111357 HS", False),
    ],
)
def test_what_looks_like_a_marijuana_count(text, looks):
    assert looks_like_marijuana(text) is looks


def test_doj_rows_gogens_generator_spells(tmp_path):
    path = doj_file(
        tmp_path,
        "doj",
        [
            doj_row("1", "DOE,JANE", "19700101", "101001001000", "11360(B) SELL/TRANSPORT MARIJUANA", day="20100301"),
            doj_row("2", "ROE,RICK", "19710101", "101001001000", "POSS CONC CANNABIS", day="20100301"),
            doj_row("3", "POE,PAT", "19720101", "101001001000", "11357B2 HS", day="20100301", conv="MISDEMEANOR"),
            doj_row("4", "LOE,LEE", "19730101", "101001001000", "459 PC-BURGLARY", day="20100301"),
        ],
    )
    counts, review = _check(tmp_path, path)
    assert {r["charge_text"] for r in review} >= {"11360(B) SELL/TRANSPORT MARIJUANA", "POSS CONC CANNABIS"}
    for text in ("11360(B) SELL/TRANSPORT MARIJUANA", "POSS CONC CANNABIS"):
        assert counts[text]["relief"] == "hand_review" and "cannot be read" in counts[text]["reason"]
    assert counts["11357B2 HS"]["charge"] == "HS 11357(b)(2)" and counts["11357B2 HS"]["relief"] != "hand_review"
    assert counts["459 PC-BURGLARY"]["relief"] == ""  # not a marijuana count: passed over, as before


def test_rap_sheet_combined_prop64_sections(tmp_path):
    sheet = tmp_path / "rap.txt"
    sheet.write_text(
        "CII/A12345678\nDOB/19700101  SEX/M  RAC/WHITE\nNAM/01 DOE,JOHN\n* * * *\n"
        "COURT:                 NAM:01\n20100301  CASC SACRAMENTO\n\nCNT:01     #1012345\n"
        "  11357-11359 HS-POSS/SALE MARIJUANA\n*DISPO:CONVICTED\n   CONV STATUS:FELONY\n"
        "* * * END OF MESSAGE * * *\n",
        encoding="utf-8",
    )
    counts, review = _check(tmp_path, sheet)
    (row,) = [r for r in review if r["charge_text"].startswith("11357-11359 HS")]
    assert row["relief"] == "hand_review" and row["charge"] == ""


def test_docket_charge_with_a_misread_section(tmp_path):
    docket = tmp_path / "docket.txt"
    docket.write_text(
        "                    SUPERIOR COURT OF CALIFORNIA, COUNTY OF LOS ANGELES\n"
        "                                  CRIMINAL DOCKET\n\n"
        "CASE NO: BA123456                               FILED: 03/14/1989\n"
        "DEFENDANT: MARTINEZ, JOSE LUIS                    DOB: 05/02/1965  SEX: M\n"
        "CII NO: A12345678\nARREST DATE: 03/10/1989    ARRESTING AGENCY: LAPD\n"
        "CASE TYPE: FELONY    JUDGE: HON. A. SMITH    DEPT: 12\n\n"
        "CHARGES:\nCT 01: 1136O(B) - TRANSPORT MJ (F)\nCT 02: PC 459 - BURGLARY, A FELONY\n\nMINUTE ENTRIES\n\n"
        "04/02/1989\n    DEFENDANT PLEADS GUILTY TO COUNT 01. CONVICTED.\n    COUNT 02 DISMISSED PC 1385.\n",
        encoding="utf-8",
    )
    counts, review = _check(tmp_path, docket)
    assert [r["charge_text"] for r in review] == ["1136O(B) - TRANSPORT MJ (F)"]
