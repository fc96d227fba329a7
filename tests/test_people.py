"""People across documents and sources (issue #7): linking, DOJ + docket merge, outcomes.

Every input is built here: contract counts (as the extractors write them) in counts JSON
Lines files, DOJ rows in the 95-column layout; all are read by the real readers
(`check.read_histories`), linked, merged and decided by the real statute.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest

from docmine.charges import Charge
from docmine.contract import count_id, write_counts
from docmine.eligibility import Relief, Tally, load_policy
from docmine.eligibility.check import read_histories
from docmine.people import histories_of, link, merge_sources, outcomes, person_id
from docmine.people import names
from docmine.records import Count, DispositionKind, DocType, EventType, Person, Provenance, Severity
from docmine.synth.doj import HEADER, write_doj_file

AS_OF = date(2019, 11, 11)
STATUTE = load_policy("statute")


# --- building inputs -----------------------------------------------------------------------------


def contract_count(
    doc: str,
    n: int,
    person: Person,
    charge: str,
    *,
    doc_type=DocType.DOCKET,
    event=1,
    severity=Severity.FELONY,
    disposition=DispositionKind.CONVICTED,
    day=date(2012, 3, 1),
    offense=None,
    case=None,
    county="SACRAMENTO",
    cycle="1",
    event_type=EventType.COURT,
    disposition_text="CONVICTED",
    filed=None,
) -> Count:
    """One count of the output contract, as an extractor would write it for document `doc`."""
    sha = hashlib.sha256(doc.encode()).hexdigest()
    docket = doc_type is DocType.DOCKET
    prov = {
        "severity": Provenance(1, 10, 11, severity.value[0].upper()),
        "charge": Provenance(1, 0, 9, charge),
        "disposition_date": Provenance(1, 20, 30, day.isoformat()),
    }
    return Count(
        count_id=count_id(sha, event, n),
        document=doc,
        doc_type=doc_type,
        page=1,
        person=person,
        cycle=cycle,
        event_type=event_type,
        count=n,
        charge=Charge.parse(charge),
        charge_text=charge,
        event_date=(filed or day) if docket else day,
        offense_date=offense,
        court="SUPERIOR COURT",
        county=county,
        case_number=case,
        severity=severity,
        disposition=disposition,
        disposition_text=disposition_text,
        disposition_date=day,
        provenance=prov,
    )


def counts_file(tmp: Path, name: str, counts: list[Count]) -> Path:
    path = tmp / f"{name}.jsonl"
    write_counts(path, counts)
    return path


def doj_row(
    subject: str,
    name: str,
    dob: str,
    order: str,
    descr: str,
    *,
    day="20120301",
    conv="FELONY",
    disp="CONVICTED-PROBATION",
    step="COURT ACTION",
    case="",
    cii="",
    county="SACRAMENTO",
    toc="F",
) -> list[str]:
    values = dict.fromkeys(HEADER, "")
    values.update(
        SUBJECT_ID=subject,
        PRI_NAME=name,
        PRI_DOB=dob,
        CII_NUMBER=cii,
        CYC_DATE="x",
        STP_EVENT_DATE=day,
        STP_TYPE_DESCR=step,
        STP_ORI_DESCR="CASC" + county,
        STP_ORI_CNTY_NAME=county,
        CNT_ORDER=order,
        DISP_DATE=day,
        OFFENSE_DESCR=descr,
        OFFENSE_TOC=toc,
        DISP_DESCR=disp,
        CONV_STAT_DESCR=conv,
        FE_NUM_CRT_CASE=case,
        RACE_DESCR="x",
    )
    return [values[h] for h in HEADER]


def doj_file(tmp: Path, name: str, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp / f"{name}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def read(*paths: Path, keep=None) -> list:
    tally = Tally()
    histories = [h for p in paths for h in read_histories(p, tally, keep)]
    assert not tally.problems, tally.problems
    return histories


def people(*paths: Path) -> list:
    return [merge_sources(h) for h in link(read(*paths))]


def decide(history, key_part: str):
    """The statute's decision for the count whose key contains `key_part`; `relief` (the fast
    path) and `evaluate` (the explanation tree) must agree."""
    count = next(c for c in history.counts if key_part in c.key)
    decision = STATUTE.decide(count, history, AS_OF)
    assert STATUTE.relief(count, history, AS_OF) is decision.value
    return count, decision


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("SMITH,JOHN ALLEN", "JOHN A SMITH", True),  # order
        ("SMITH,JOHN", "5MITH,J0HN", True),  # OCR 5/S 0/O: the same skeleton
        ("O'NEIL,MARY", "ONEIL,MARY", True),
        ("GONZALEZ,MARIA", "GONZALES,MARIA", True),  # one edit
        ("SMITH,JOHN", "SMITH,JANE", False),
        ("LEE,AMY", "LI,AMY", False),  # short names: one edit at most... LEE/LI is two
    ],
)
def test_names_compare_through_ocr_and_order(a, b, same):
    assert names.similar(names.name_parts(a), names.name_parts(b)) is same


def test_cii_and_case_numbers_normalise():
    assert names.norm_cii("A1234567O") == names.norm_cii("A12345670") == names.norm_cii("A 12345-670")
    assert names.norm_cii("12345678") != names.norm_cii("12345679")
    assert names.norm_case("18CR-012345") == names.norm_case("18 CR 12345") == names.norm_case("l8CRO12345")
    assert names.norm_case("18CR012345") != names.norm_case("18CR012346")


# --- linking -------------------------------------------------------------------------------------

JOHN = "SMITH,JOHN A"
JOHN_DOB = date(1970, 5, 12)


@pytest.fixture(scope="module")
def linked_inputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("link")
    doj = doj_file(
        tmp,
        "doj",
        [
            doj_row("100", JOHN, "19700512", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE"),
            doj_row("200", "SMITH,JANE", "19700512", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE"),
            doj_row("300", "SMITH,JOHN", "19810101", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE"),
            doj_row(
                "400",
                "SMITH,JOHN A",
                "19700512",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                cii="A99999999",
            ),
        ],
    )
    typo = counts_file(
        tmp,
        "rap_typo",
        [contract_count("rap_typo.pdf", 1, Person("SMYTH,JOHN", dob=JOHN_DOB), "PC 459", doc_type=DocType.RAP_SHEET)],
    )
    alias = counts_file(
        tmp,
        "docket_alias",
        [contract_count("docket_alias.pdf", 1, Person("DOE,RICHARD", aliases=("SMITH,JOHN",), dob=JOHN_DOB), "PC 484")],
    )
    ocr = counts_file(
        tmp,
        "docket_ocr",
        [contract_count("docket_ocr.pdf", 1, Person("5MITH,J0HN", dob=date(1970, 5, 13)), "PC 10851")],
    )
    far = counts_file(
        tmp, "docket_far", [contract_count("docket_far.pdf", 1, Person("SMYTHE,JON", dob=date(1970, 5, 14)), "PC 211")]
    )
    return [doj, typo, alias, ocr, far]


def test_link_joins_aliases_typos_and_ocr_and_keeps_others_apart(linked_inputs):
    found = list(link(read(*linked_inputs)))
    groups = {frozenset(m.key for m in h.entries()): h for h in found}
    john = next(h for h in found if any(m.key == "doj:100" for m in h.entries()))
    docs = {c.document for c in john.counts}
    # a one-letter typo with the same DOB, an alias, an OCR-damaged name with a DOB one digit off
    assert docs == {str(linked_inputs[0]), "rap_typo.pdf", "docket_alias.pdf", "docket_ocr.pdf"}
    assert john.name == JOHN and "DOE,RICHARD" in john.aliases
    assert set(john.dobs) == {JOHN_DOB, date(1970, 5, 13)} and john.dobs[0] == JOHN_DOB
    # a typo'd name AND a DOB one digit off: two weak signs are not enough
    far = next(h for h in found if any(c.document == "docket_far.pdf" for c in h.counts))
    assert far is not john and len(far.entries()) == 1
    # a different first name, a different DOB, a different CII: other people
    for subject in ("doj:200", "doj:300", "doj:400"):
        assert frozenset({subject}) in groups
    assert len(found) == 5
    # ids: P + 12 hex, from the entries; sorted; the same whatever the input order
    assert [h.key for h in found] == sorted(h.key for h in found)
    assert john.key == person_id(m.key for m in john.entries()) and len(john.key) == 13
    again = list(link(read(*reversed(linked_inputs))))
    assert [(h.key, sorted(c.key for c in h.counts)) for h in again] == [
        (h.key, sorted(c.key for c in h.counts)) for h in found
    ]


def test_cii_links_with_an_agreeing_name_and_two_ciis_never_link(tmp_path):
    doj = doj_file(
        tmp_path, "doj", [doj_row("1", "JONES,ANN", "19800101", "101001001000", "11357 HS-POSSESS", cii="A12345670")]
    )
    same = counts_file(
        tmp_path,
        "a",
        [contract_count("a.pdf", 1, Person("JONES,ANNE", dob=date(1979, 2, 2), cii="A1234567O"), "PC 459")],
    )
    other = counts_file(
        tmp_path,
        "b",
        [contract_count("b.pdf", 1, Person("JONES,ANN", dob=date(1980, 1, 1), cii="A76543210"), "PC 459")],
    )
    bridge = counts_file(
        tmp_path, "c", [contract_count("c.pdf", 1, Person("JONES,ANN", dob=date(1980, 1, 1)), "PC 484")]
    )
    found = list(link(read(doj, same, other, bridge)))
    by_doc = {c.document: h for h in found for c in h.counts}
    assert by_doc["a.pdf"] is by_doc[str(doj)]  # the same CII read through an OCR O, a similar name
    assert by_doc["b.pdf"] is not by_doc[str(doj)]  # same name and DOB, another CII
    # a document with no CII matching both by name and DOB joins one of them, never both
    assert by_doc["c.pdf"] is by_doc[str(doj)] or by_doc["c.pdf"] is by_doc["b.pdf"]
    assert len({by_doc["a.pdf"].key, by_doc["b.pdf"].key}) == 2


def test_doj_subjects_link_by_subject_id_not_by_name(tmp_path):
    rows = [
        doj_row("1", JOHN, "19700512", "101001001000", "11357 HS-POSSESS"),
        doj_row("2", JOHN, "19700512", "101001001000", "11357 HS-POSSESS"),
        doj_row("1", JOHN, "19700512", "102001001000", "11357 HS-POSSESS", day="20130101"),
    ]
    tally = Tally()
    path = doj_file(tmp_path, "doj", rows)
    found = list(link(read_histories(path, tally)))
    assert len(tally.problems) == 1  # the split subject is reported by the reader...
    one = next(h for h in found if any(m.key == "doj:1" for m in h.entries()))
    assert len(one.counts) == 2 and len(found) == 2  # ...and joined by linking; subject 2 stays apart


def test_link_scales_over_a_doj_file_without_joining_subjects(tmp_path):
    path = tmp_path / "doj.csv"
    stats = write_doj_file(path, rows=4000, seed=3)
    tally = Tally()
    histories = list(read_histories(path, tally, STATUTE.charge_prefilter()))
    found = list(link(histories))
    assert len(found) == stats.subjects == len(histories)
    assert all(h.pending is None for h in found)  # passed-over subjects' rows are released


# --- priors across documents and the date of birth of each count ------------------------------------


def test_a_prior_in_another_document_changes_the_decision(tmp_path):
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row(
                "7",
                "BROWN,KIM",
                "19700101",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                day="20120301",
                case="12F01234",
            )
        ],
    )
    rap = counts_file(
        tmp_path,
        "rap",
        [
            contract_count(
                "rap.pdf",
                1,
                Person("BROWN,KIMBERLY", aliases=("BROWN,KIM",), dob=date(1970, 1, 1)),
                "PC 187",
                doc_type=DocType.RAP_SHEET,
                day=date(1995, 6, 1),
            )
        ],
    )
    registration = counts_file(
        tmp_path,
        "reg",
        [
            contract_count(
                "reg.pdf",
                1,
                Person("BROWN,KIM", dob=date(1970, 1, 1)),
                "PC 290",
                doc_type=DocType.RAP_SHEET,
                event_type=EventType.REGISTRATION,
                disposition=DispositionKind.PENDING,
                day=date(2001, 1, 1),
            )
        ],
    )
    alone = read(doj)[0]
    _, before = decide(alone, "7/")
    assert before.value is Relief.REDESIGNATE_MISDEMEANOR
    person = people(doj, rap)
    assert len(person) == 1
    _, after = decide(person[0], "7/")
    assert after.value is Relief.HAND_REVIEW and "667(e)(2)(C)(iv)" in after.reasoning + after.clause
    assert any(f.source.startswith("rap.pdf") for f in after.all_facts() if f.name == "prior")
    person = people(doj, registration)
    _, after = decide(person[0], "7/")
    assert after.value is Relief.HAND_REVIEW and "registration" in after.reasoning


def test_a_doj_subject_passed_over_is_built_when_a_document_joins_it(tmp_path):
    # The DOJ reader passes over a subject with no charge the policy decides (a PC 187 alone);
    # joined to a docket's marijuana count, its murder conviction is a prior after all.
    doj = doj_file(
        tmp_path,
        "doj",
        [doj_row("12", "STONE,EVA", "19600101", "101001001000", "187 PC-MURDER", day="19900101", case="90F1")],
    )
    docket = counts_file(
        tmp_path,
        "docket",
        [
            contract_count(
                "e.pdf", 1, Person("STONE,EVA", dob=date(1960, 1, 1)), "HS 11360(a)", case="10F77", day=date(2010, 5, 5)
            )
        ],
    )
    tally = Tally()
    keep = STATUTE.charge_prefilter()
    passed = list(read_histories(doj, tally, keep))
    assert passed[0].passed_over == 1 and not passed[0].counts
    (person,) = [merge_sources(h) for h in link(histories_of([doj, docket], tally, keep))]
    assert sorted(c.charge.canonical for c in person.counts) == ["HS 11360(a)", "PC 187"]
    assert person.passed_over == 0 and person.pending is None
    _, decision = decide(person, count_id(hashlib.sha256(b"e.pdf").hexdigest(), 1, 1))
    assert decision.value is Relief.HAND_REVIEW and "667(e)(2)(C)(iv)" in decision.reasoning + decision.clause
    # without the document, the subject stays passed over: nothing of it is built or kept
    (alone,) = link(read_histories(doj, tally, keep))
    assert not alone.counts and alone.passed_over == 1 and alone.pending is None


def test_age_uses_the_dob_of_the_counts_own_record(tmp_path):
    # DOJ says born 1985-01-01; the docket (linked: the same name, the DOB one digit off) says
    # 1985-01-11. The docket's possession count on 2003-01-05: 17 by its own DOB, 18 by DOJ's;
    # HS 11357 is an infraction today at both ages, so the relief does not depend on which.
    doj = doj_file(tmp_path, "doj", [doj_row("8", "GREEN,AL", "19850101", "101001001000", "PC 459")])
    docket = counts_file(
        tmp_path,
        "docket",
        [
            contract_count(
                "d.pdf",
                1,
                Person("GREEN,AL", dob=date(1985, 1, 11)),
                "HS 11357",
                severity=Severity.MISDEMEANOR,
                day=date(2003, 3, 1),
                offense=date(2003, 1, 5),
                case="03M001",
            )
        ],
    )
    (person,) = people(doj, docket)
    assert set(person.dobs) == {date(1985, 1, 1), date(1985, 1, 11)} and person.dob == date(1985, 1, 1)
    count, decision = decide(person, count_id(hashlib.sha256(b"d.pdf").hexdigest(), 1, 1))
    age = next(d for d in decision.walk() if d.name == "age_at_offence")
    assert age.value == 17 and age.facts[0].value == date(1985, 1, 11) and "d.pdf" in age.facts[0].source
    # 11357(a)(1) under 18 and (a)(2) at 18-20 are both infractions today: the DOBs change nothing
    assert decision.value is Relief.REDESIGNATE_INFRACTION
    assert "dob_conflict" not in [d.name for d in decision.walk()]


def test_conflicting_dobs_that_change_the_relief_go_to_hand_review(tmp_path):
    # Cultivation on 2010-06-01: born 1985 the person was 25 (lawful today: dismiss); born 1990, 20
    # (an infraction today: redesignate). The RAP sheet lists both dates; the DOJ row has 1985.
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row("9", "WHITE,SAM", "19850101", "101001001000", "11358 HS-CULTIVATE MARIJUANA", day="20100601"),
            doj_row("9", "WHITE,SAM", "19850101", "102001001000", "11358 HS-CULTIVATE MARIJUANA", day="20150601"),
        ],
    )
    rap = counts_file(
        tmp_path,
        "rap",
        [
            contract_count(
                "rap.pdf",
                1,
                Person("WHITE,SAM", dob=date(1990, 3, 1), dobs=(date(1990, 3, 1), date(1985, 1, 1))),
                "PC 459",
                doc_type=DocType.RAP_SHEET,
                day=date(2009, 1, 1),
            )
        ],
    )
    _, alone = decide(read(doj)[0], "9/101")
    assert alone.value is Relief.DISMISS_AND_SEAL
    (person,) = people(doj, rap)
    _, decision = decide(person, "9/101")
    assert decision.value is Relief.HAND_REVIEW
    assert "1985-01-01" in decision.reasoning and "1990-03-01" in decision.reasoning
    conflict = next(d for d in decision.walk() if d.name == "dob_conflict")
    assert [f.name for f in conflict.facts[:2]] == ["dob", "other_dob"]
    assert "PRI_DOB" in conflict.facts[0].source and "rap.pdf" in conflict.facts[1].source
    # a later conviction, at 30 or 25: 21 or over by either date, so no doubt there
    _, later = decide(person, "9/102")
    assert later.value is Relief.DISMISS_AND_SEAL


# --- DOJ rows and dockets together ---------------------------------------------------------------------


@pytest.fixture()
def doj_and_docket(tmp_path):
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row(
                "5",
                "LOPEZ,ROSA",
                "19750404",
                "101002001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                case="12F-01234",
                day="20120301",
            ),
            doj_row(
                "5",
                "LOPEZ,ROSA",
                "19750404",
                "101002002000",
                "11360 HS-TRANSPORT MARIJUANA",
                case="12F-01234",
                day="20120301",
            ),
            doj_row(
                "5",
                "LOPEZ,ROSA",
                "19750404",
                "102002001000",
                "11357 HS-POSSESS MARIJUANA",
                case="",
                conv="",
                disp="CONVICTED",
                toc="M",
                day="20050707",
            ),
        ],
    )
    rosa = Person("LOPEZ,ROSA M", dob=date(1975, 4, 4))
    docket = counts_file(
        tmp_path,
        "docket",
        [
            # count 1: the subsection and the offence date DOJ lacks, the level DOJ states otherwise
            contract_count(
                "d.pdf",
                1,
                rosa,
                "HS 11359(b)",
                severity=Severity.MISDEMEANOR,
                case="12F01234",
                county="Sacramento",
                offense=date(2011, 12, 24),
                day=date(2012, 3, 1),
                disposition_text="PLEA OF NOLO CONTENDERE ENTERED",
                filed=date(2012, 1, 5),
            ),
            # count 2: agrees, and adds the offence date
            contract_count(
                "d.pdf",
                2,
                rosa,
                "HS 11360(a)",
                case="12F01234",
                county="Sacramento",
                offense=date(2011, 12, 24),
                day=date(2012, 3, 1),
                filed=date(2012, 1, 5),
            ),
            # count 3: the docket alone has it
            contract_count(
                "d.pdf",
                3,
                rosa,
                "PC 148",
                severity=Severity.MISDEMEANOR,
                case="12F01234",
                county="Sacramento",
                day=date(2012, 3, 1),
                filed=date(2012, 1, 5),
            ),
        ],
    )
    # a second docket, no case number on the DOJ row: matched by county, day and section
    older = counts_file(
        tmp_path,
        "older",
        [
            contract_count(
                "o.pdf",
                1,
                rosa,
                "HS 11357(b)",
                severity=Severity.MISDEMEANOR,
                case="05M0777",
                day=date(2005, 7, 7),
                offense=date(2005, 6, 1),
                filed=date(2005, 6, 20),
            )
        ],
    )
    return doj, docket, older


def test_doj_and_docket_merge_fill_and_flag_conflicts(doj_and_docket):
    doj, docket, older = doj_and_docket
    (person,) = people(doj, docket, older)
    keys = sorted(c.key for c in person.counts)
    sha = hashlib.sha256(b"d.pdf").hexdigest()
    assert keys == sorted(["5/101002001000", "5/101002002000", "5/102002001000", count_id(sha, 1, 3)])
    one = next(c for c in person.counts if c.key == "5/101002001000")
    two = next(c for c in person.counts if c.key == "5/101002002000")
    assert [m.document for m in one.merged] == ["d.pdf"] and one.merged[0].number == 1
    # filled from the docket, saying so
    assert one.charge.canonical == "HS 11359(b)" and one.source("charge").startswith("docket: d.pdf")
    assert one.offense_date == date(2011, 12, 24) and one.plea == "nolo contendere"
    assert one.source("disposition").endswith("DISP_DESCR")  # still DOJ's own where DOJ had it
    # the level disagrees: both shown
    assert one.conflicts == [
        {
            "field": "severity",
            "values": [
                {"source": "doj", "value": "felony", "where": f"{doj} line 2 CONV_STAT_DESCR/OFFENSE_TOC"},
                {"source": "docket", "value": "misdemeanor", "where": 'd.pdf page 1 [10:11] "M"'},
            ],
        }
    ]
    _, decision = decide(person, "5/101002001000")
    assert decision.value is Relief.HAND_REVIEW
    assert "severity" in decision.reasoning and "felony" in decision.reasoning and "misdemeanor" in decision.reasoning
    disagree = next(d for d in decision.walk() if d.name == "sources_disagree")
    assert [(f.name, f.value, f.source) for f in disagree.facts] == [
        (f"severity[{v['source']}]", v["value"], v["where"]) for v in one.conflicts[0]["values"]
    ]
    # count 2 agrees: decided on the docket's offence date, no conflict
    assert two.conflicts is None and two.offense_date == date(2011, 12, 24)
    _, decision = decide(person, "5/101002002000")
    assert decision.value is Relief.REDESIGNATE_MISDEMEANOR
    timing = next(d for d in decision.walk() if d.name == "offence_before_prop64")
    assert timing.facts[0].name == "offense_date" and "d.pdf" in timing.facts[0].source
    # no case number on the DOJ row: county, day and section; the docket's case number is kept
    old = next(c for c in person.counts if c.key == "5/102002001000")
    assert old.merged and old.case_number == "05M0777" and old.charge.canonical == "HS 11357(b)"
    assert old.offense_date == date(2005, 6, 1)


def test_disagreeing_disposition_goes_to_review_as_a_conviction(tmp_path):
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row(
                "6",
                "KING,LEO",
                "19600101",
                "101001001000",
                "11360 HS-TRANSPORT",
                disp="DISMISSED",
                conv="",
                case="99F100",
            )
        ],
    )
    docket = counts_file(
        tmp_path,
        "docket",
        [
            contract_count(
                "k.pdf", 1, Person("KING,LEO", dob=date(1960, 1, 1)), "HS 11360(a)", case="99F100", day=date(2012, 3, 1)
            )
        ],
    )
    (person,) = people(doj, docket)
    (count,) = person.counts
    assert count.convicted and [c["field"] for c in count.conflicts] == ["disposition"]
    assert STATUTE.in_scope(count, person, AS_OF)
    _, decision = decide(person, "6/")
    assert decision.value is Relief.HAND_REVIEW and "dismissed" in decision.reasoning


def test_a_conviction_on_the_rap_sheet_and_in_the_doj_file_counts_once(tmp_path):
    # Two earlier HS 11359 convictions would send the 2012 one to review as possible priors;
    # the 2000 one is on the RAP sheet and in the DOJ file, so there is only one.
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row(
                "13", "REED,TOM", "19700101", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE", day="20000301"
            ),
            doj_row(
                "13", "REED,TOM", "19700101", "102001001000", "11359 HS-POSSESS MARIJUANA FOR SALE", day="20120301"
            ),
        ],
    )
    rap = counts_file(
        tmp_path,
        "rap",
        [
            contract_count(
                "r.pdf",
                1,
                Person("REED,TOM", dob=date(1970, 1, 1)),
                "HS 11359",
                doc_type=DocType.RAP_SHEET,
                day=date(2000, 3, 1),
            )
        ],
    )
    unmerged = next(link(read(doj, rap)))
    assert len(unmerged.counts) == 3
    _, decision = decide(unmerged, "13/102")
    assert decision.value is Relief.HAND_REVIEW  # what counting it twice would do
    (person,) = people(doj, rap)
    assert len(person.counts) == 2 and [m.document for c in person.counts for m in c.merged] == ["r.pdf"]
    _, decision = decide(person, "13/102")
    assert decision.value is Relief.REDESIGNATE_MISDEMEANOR


def test_merge_leaves_counts_of_different_cases_apart(linked_inputs):
    # John's DOJ count and his RAP sheet's burglary share a county and a day, not a section
    for h in link(read(*linked_inputs)):
        assert merge_sources(h) is h and all(not c.merged for c in h.counts)


# --- outcomes --------------------------------------------------------------------------------------


def test_outcomes_count_what_relief_leaves(doj_and_docket):
    doj, docket, older = doj_and_docket
    (person,) = people(doj, docket, older)
    sha = hashlib.sha256(b"d.pdf").hexdigest()
    resisting = count_id(sha, 1, 3)  # PC 148, the docket's alone: a misdemeanor no policy considers
    final = {
        c.key: r.value
        for c in person.counts
        if STATUTE.in_scope(c, person, AS_OF) and (r := STATUTE.relief(c, person, AS_OF)) is not None
    }
    # the disputed level; 11360(a) a misdemeanor today; 11357(b) in 2005 (28.5 g or less) lawful today
    assert final == {
        "5/101002001000": "hand_review",
        "5/101002002000": "redesignate_misdemeanor",
        "5/102002001000": "dismiss_and_seal",
    }
    o = outcomes(person, final)
    assert (o.person_id, o.name, o.dob, o.counts, o.convictions, o.marijuana_convictions) == (
        person.key,
        "LOPEZ,ROSA",
        date(1975, 4, 4),
        4,
        4,
        3,
    )
    assert (o.documents, o.sources) == (3, ("docket", "doj"))
    assert (o.dismissed_and_sealed, o.redesignated, o.hand_review, o.resentenced) == (1, 1, 1, 0)
    assert (o.felonies_before, o.felonies_after, o.convictions_after) == (2, 1, 3)
    assert not o.no_felony_left and not o.no_conviction_left
    # the reviewer decides the disputed count: dismissed and sealed; no felony left, PC 148 stays
    o = outcomes(person, {**final, "5/101002001000": "dismiss_and_seal"})
    assert (o.felonies_after, o.convictions_after, o.no_felony_left, o.no_conviction_left) == (0, 2, True, False)
    everything = {**{k: "dismiss_and_seal" for k in final}, resisting: "dismiss_and_seal"}
    o = outcomes(person, everything)
    assert (o.convictions_after, o.no_conviction_left, o.no_felony_left) == (0, True, True)
    # an infraction left by redesignation is still a conviction on the record (HS 11361.8(h))
    o = outcomes(person, {**everything, "5/101002002000": "redesignate_infraction"})
    assert (o.convictions_after, o.felonies_after, o.no_conviction_left, o.no_felony_left) == (1, 0, False, True)
    row = o.to_row()
    assert list(row) == [
        "person_id",
        "name",
        "aliases",
        "dob",
        "dobs",
        "cii",
        "race",
        "documents",
        "sources",
        "counts",
        "convictions",
        "marijuana_convictions",
        "dismissed_and_sealed",
        "redesignated",
        "resentenced",
        "hand_review",
        "not_eligible",
        "felonies_before",
        "felonies_after",
        "convictions_after",
        "no_felony_left",
        "no_conviction_left",
    ]
    assert (
        row["dob"] == "1975-04-04" and row["sources"] == "docket;doj" and row["aliases"] == ""
    )  # ROSA M: the same name
    assert all(isinstance(v, (str, int, bool)) for v in row.values())


def test_resentenced_felony_is_a_misdemeanor_when_it_is_one_today(tmp_path):
    doj = doj_file(
        tmp_path,
        "doj",
        [
            doj_row("11", "HILL,BO", "19700101", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE", day="20160101"),
            doj_row("11", "HILL,BO", "19700101", "101002001000", "11358 HS-CULTIVATE MARIJUANA", day="20160101"),
        ],
    )
    (person,) = people(doj)
    o = outcomes(person, {"11/101001001000": "recall_and_resentence"})
    assert (o.resentenced, o.felonies_before, o.felonies_after, o.convictions_after) == (1, 2, 1, 2)
    o = outcomes(person, {"11/101001001000": "recall_and_resentence", "11/101002001000": "recall_and_resentence"})
    # 11359 at 46: a misdemeanor today (HS 11359(b)); 11358: lawful today, taken as an infraction left
    assert (o.felonies_after, o.convictions_after, o.no_felony_left, o.no_conviction_left) == (0, 2, True, False)
