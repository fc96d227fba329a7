"""Linking people across inputs without merging two people on thin evidence (issue #17).

Each rule has a case that linked wrongly before: two DOJ subjects sharing a CII; an entry with
no identity; a CII shared under unrelated names; a prior reached only through a weak link.
The end-to-end cases run `docmine check` on RAP-sheet PDFs with a text layer and a left
margin, written here from the DOJ format (fictional people)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from fpdf import FPDF

from docmine.eligibility import Tally, load_policy
from docmine.eligibility.check import read_histories
from docmine.eligibility.decision import Relief, expand
from docmine.people import link
from docmine.people.identity import recheck
from docmine.eligibility.check import evaluate_history
from docmine.records import Person
from tests.test_cli import docmine
from tests.test_people import JOHN, contract_count, counts_file, doj_file, doj_row


def read(*paths) -> list:
    tally = Tally()
    return [h for p in paths for h in read_histories(p, tally)]


# --- the rules, each with a case that merged wrongly before ------------------------------------------


def test_two_doj_subjects_are_two_people_even_with_a_cii_in_common(tmp_path):
    path = doj_file(
        tmp_path,
        "doj",
        [
            doj_row(
                "90675321",
                "GROUCH,OSCAR THE",
                "19600101",
                "101001001000",
                "314(1) PC-INDECENT EXPOSURE",
                cii="A11111111",
            ),
            doj_row(
                "95875321",
                "VONWINKLE,ERNIE",
                "19690101",
                "101001001000",
                "11358 HS-CULTIVATE MARIJUANA",
                cii="A11111111",
            ),
        ],
    )
    people = list(link(read(path)))
    assert len(people) == 2 and all(len(h.members) == 1 for h in people)


def test_an_entry_with_no_name_no_dob_and_no_cii_links_to_nobody(tmp_path):
    """Two documents whose headers could not be read, in one counts file: two people, not one
    person keyed on an empty name and date of birth."""
    blank = Person(None)
    both = counts_file(
        tmp_path, "ab", [contract_count("a.pdf", 1, blank, "HS 11357(b)"), contract_count("b.pdf", 1, blank, "PC 220")]
    )
    other = counts_file(tmp_path, "c", [contract_count("c.pdf", 1, blank, "PC 459")])
    people = list(link(read(both, other)))
    assert len(people) == 3


def test_a_cii_under_unrelated_names_is_a_conflict_not_a_link(tmp_path):
    a = counts_file(
        tmp_path, "a", [contract_count("a.pdf", 1, Person("SOLO,HAN", dob=date(1970, 1, 1), cii="A12345678"), "PC 220")]
    )
    c = counts_file(
        tmp_path,
        "c",
        [contract_count("c.pdf", 1, Person("KENOBI,BEN", dob=date(1970, 1, 1), cii="A12345678"), "HS 11357(b)")],
    )
    people = list(link(read(a, c)))
    assert len(people) == 2
    for h in people:
        ((other, theirs, ours, why),) = h.identity_conflicts
        assert "A12345678" in why and theirs.name != ours.name and other is not h


def test_a_cii_with_a_similar_name_links_and_records_its_rule(tmp_path):
    a = counts_file(
        tmp_path, "a", [contract_count("a.pdf", 1, Person("SOLO,HAN", dob=date(1970, 1, 1), cii="A12345678"), "PC 220")]
    )
    c = counts_file(
        tmp_path,
        "c",
        [contract_count("c.pdf", 1, Person("SOLO,HANN", dob=date(1971, 1, 1), cii="A12345678"), "HS 11357(b)")],
    )
    (person,) = list(link(read(a, c)))
    assert set(person.links.values()) == {"the same CII and an agreeing name or date of birth"}
    assert not person.identity_conflicts and person.strong_parts is None


def test_a_cii_and_birthday_join_a_married_name(tmp_path):
    """The same CII and date of birth under a new last name (the first name kept) is one person."""
    a = counts_file(
        tmp_path,
        "a",
        [contract_count("a.pdf", 1, Person("SMITH,JANE", dob=date(1970, 1, 1), cii="A12345678"), "PC 220")],
    )
    c = counts_file(
        tmp_path,
        "c",
        [contract_count("c.pdf", 1, Person("JONES,JANE", dob=date(1970, 1, 1), cii="A12345678"), "HS 11357(b)")],
    )
    (person,) = list(link(read(a, c)))
    assert not person.identity_conflicts


def test_the_rule_of_a_link_is_in_people_csv_and_the_explanation(tmp_path):
    a = counts_file(
        tmp_path, "a", [contract_count("a.pdf", 1, Person("SOLO,HAN", dob=date(1970, 1, 1), cii="A12345678"), "PC 220")]
    )
    c = counts_file(
        tmp_path,
        "c",
        [
            contract_count(
                "c.pdf", 1, Person("SOLO,HAN", dob=date(1970, 1, 1), cii="A12345678"), "HS 11359", day=date(2010, 1, 1)
            )
        ],
    )
    out = tmp_path / "R"
    done = docmine("check", a, c, "--policy", "statute", "--as-of", "2020-01-01", "--out", out)
    assert done.returncode == 0, done.stderr
    (person,) = list(csv.DictReader(open(out / "people.csv", encoding="utf-8")))
    assert person["links"].count("the same CII and an agreeing name or date of birth") == 2
    row = next(r for r in csv.DictReader(open(out / "counts.csv", encoding="utf-8")) if r["charge"] == "HS 11359")
    links = json.loads(row["explanation"])["person_links"]
    assert {link["entry"].split(", read from ")[-1] for link in links} == {"a.pdf", "c.pdf"}


def test_a_prior_reached_only_through_a_weak_link_that_changes_relief_goes_to_identity_review(tmp_path):
    """JOHN's PC 220 (a super strike) on one document; the same name with a date of birth one digit off on
    another, holding an HS 11359 felony: joined only by a weak link, the prior would deny relief."""
    prior = counts_file(
        tmp_path, "a", [contract_count("a.pdf", 1, Person(JOHN, dob=date(1970, 5, 12)), "PC 220", day=date(2001, 1, 1))]
    )
    mj = counts_file(
        tmp_path,
        "b",
        [contract_count("b.pdf", 1, Person(JOHN, dob=date(1970, 5, 13)), "HS 11359", day=date(2010, 1, 1))],
    )
    (person,) = list(link(read(prior, mj)))
    assert person.strong_parts is not None and "weak" in " ".join(person.links.values())
    policy = load_policy("statute")
    results = {
        r.count.charge.section: r
        for r in recheck(person, evaluate_history(person, policy, date(2020, 1, 1)), policy, date(2020, 1, 1))
    }
    decided = results["11359"]
    assert decided.relief is Relief.HAND_REVIEW and decided.decision.name == "identity"
    named = [f.value for f in decided.decision.facts]
    assert any("a.pdf" in v for v in named) and any("b.pdf" in v for v in named)


# --- end to end: RAP-sheet PDFs through `docmine check` --------------------------------------------

# Both printouts carry the same notice of a CII consolidated into the record: not the subject's own.
HEADER = """THE FOLLOWING CII NUMBER(S) IS BEING CONSOLIDATED WITH THIS CII RECORD:
                    CII/99000012
    *    *    *                    *    *    *

CII/{cii}
DOB/19700101      SEX/M  RAC/WHITE
NAM/01 {name}
    02 {alias}
"""
MARIJUANA = """* * * *
COURT:                 NAM:01
19950315  CASC SAN FRANCISCO

CNT:01     #9512345
  11357(B) HS-POSSESS MARIJUANA
*DISPO:CONVICTED
   CONV STATUS:MISDEMEANOR
   SEN: 012 MONTHS PROBATION
* * * *
COURT:                 NAM:01
20000620  CASC SAN FRANCISCO

CNT:01     #0054321
  11359 HS-POSSESS MARIJUANA FOR SALE
*DISPO:CONVICTED
   CONV STATUS:FELONY
   SEN: 036 MONTHS PROBATION
"""
PRIORS = """* * * *
COURT:                 NAM:01
19900110  CASC SAN FRANCISCO

CNT:01     #9000123
  220 PC-ASSAULT W/INTENT TO COMMIT RAPE
*DISPO:CONVICTED
   CONV STATUS:FELONY
   SEN: 006 YEARS PRISON
* * * *
REGISTRATION:          NAM:01
19960701  CASO SAN FRANCISCO

CNT:01
  290 PC-REGISTRATION OF SEX OFFENDER
"""
END = "* * * END OF MESSAGE * * *\n"


def _pdf(path: Path, text: str) -> Path:
    """A one-page RAP sheet with a text layer, 1 inch from the left edge (a printout's margin) and
    the subject block indented further, as DOJ printouts set it."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Courier", size=9)
    subject = True
    for i, line in enumerate(text.split("\n")):
        subject = subject and not line.startswith("* * * *")
        if line.strip():
            pdf.text(72 + 43 * subject, 60 + i * 11, line)
    pdf.output(str(path))
    return path


def _sheets(tmp_path: Path) -> dict[str, Path]:
    return {
        "solo": _pdf(
            tmp_path / "solo.pdf",
            HEADER.format(cii="A12345678", name="SOLO,HAN", alias="SOLO,H") + PRIORS + MARIJUANA + END,
        ),
        "organa": _pdf(
            tmp_path / "organa.pdf",
            HEADER.format(cii="A87654321", name="ORGANA,LEIA", alias="ORGANA,L") + MARIJUANA + END,
        ),
        "kenobi": _pdf(
            tmp_path / "kenobi.pdf",
            HEADER.format(cii="A12345678", name="KENOBI,BEN", alias="KENOBI,B") + MARIJUANA + END,
        ),
    }


def _check(tmp_path: Path, name: str, *pdfs: Path) -> tuple[dict[str, dict], list[dict]]:
    out = tmp_path / name
    done = docmine("check", *pdfs, "--policy", "statute", "--as-of", "2020-01-01", "--out", out)
    assert done.returncode == 0, done.stderr
    counts = list(csv.DictReader(open(out / "counts.csv", encoding="utf-8")))
    people = list(csv.DictReader(open(out / "people.csv", encoding="utf-8")))
    by_doc = {}
    for c in counts:
        if c["relief"]:
            by_doc.setdefault(Path(c["document"]).stem, {})[c["charge"]] = c["relief"]
    return by_doc, people


def test_two_people_same_birthday_same_counts_are_decided_each_on_their_own_record(tmp_path):
    sheets = _sheets(tmp_path)
    together, people = _check(tmp_path, "both", sheets["solo"], sheets["organa"])
    assert sorted((p["name"], p["cii"], p["dob"]) for p in people) == [
        ("ORGANA,LEIA", "A87654321", "1970-01-01"),
        ("SOLO,HAN", "A12345678", "1970-01-01"),
    ]
    alone_solo, _ = _check(tmp_path, "solo", sheets["solo"])
    alone_organa, _ = _check(tmp_path, "organa", sheets["organa"])
    assert together["solo"] == alone_solo["solo"] and together["organa"] == alone_organa["organa"]
    # the priors are SOLO's alone: they decide his felony, and never ORGANA's
    assert together["organa"]["HS 11359"] != together["solo"]["HS 11359"]


def test_a_third_sheet_sharing_a_cii_and_birthday_under_another_name_is_a_conflict(tmp_path):
    sheets = _sheets(tmp_path)
    decided, people = _check(tmp_path, "three", *sheets.values())
    assert len(people) == 3
    by_name = {p["name"]: p for p in people}
    assert (
        "A12345678" in by_name["SOLO,HAN"]["identity_conflicts"]
        and "KENOBI,BEN" in by_name["SOLO,HAN"]["identity_conflicts"]
    )
    assert "SOLO,HAN" in by_name["KENOBI,BEN"]["identity_conflicts"]
    assert by_name["ORGANA,LEIA"]["identity_conflicts"] == ""
    # KENOBI's felony would be decided on SOLO's priors were they one man: a person decides
    assert decided["kenobi"]["HS 11359"] == "hand_review"
    row = {
        c["charge"]: c
        for c in csv.DictReader(open(tmp_path / "three" / "counts.csv", encoding="utf-8"))
        if Path(c["document"]).stem == "kenobi"
    }["HS 11359"]
    tree = expand(json.loads(row["explanation"]), json.loads(row["facts"]))  # the facts in place
    assert "identity" in tree["name"] and "solo.pdf" in json.dumps(tree)
