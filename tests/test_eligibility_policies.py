"""County policies as data: CFA conformance, each pilot's clauses, policy files, the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date

import pyarrow.parquet as pq
import pytest

from docmine.eligibility.decision import expand
from docmine import cli
from docmine.contract import write_counts
from docmine.eligibility import Relief, available_policies, check, load_policy
from docmine.errors import DocmineError
from docmine.records import Count, DispositionKind, DocType, EventType, Person, Severity, Update, UpdateKind
from docmine.charges import Charge
from tests.test_eligibility import ADULT, CONV, COURT, doj_line, run

FIXTURE_DATE = date(2019, 11, 11)
EXPECTED = {  # CFA determination -> the reliefs it may be (issue #6)
    "Eligible for Dismissal": {Relief.DISMISS_AND_SEAL},
    "Eligible for Reduction": {Relief.REDESIGNATE_MISDEMEANOR, Relief.RECALL_AND_RESENTENCE},
    "Hand Review": {Relief.HAND_REVIEW},
    "Maybe Eligible - Flag for Review": {Relief.HAND_REVIEW},
    "To be reviewed by City Attorneys": {Relief.REFER},
    "Not eligible": {Relief.NOT_ELIGIBLE},
}


@pytest.mark.parametrize(
    "policy, folder, stem",
    [("gogen-configurable-2019", "gogen", "configurable_flow"), ("la-pilot-2019", "gogen_pilots", "los_angeles")],
)
def test_cfa_conformance_every_expected_determination(cfa_fixtures, policy, folder, stem):
    results = {
        r.count.key: r for r in check([cfa_fixtures / folder / f"{stem}_input.csv"], load_policy(policy), FIXTURE_DATE)
    }
    expected = list(csv.DictReader(open(cfa_fixtures / folder / f"{stem}_expected.csv", encoding="utf-8")))
    assert len(expected) >= 16
    misses = []
    for row in expected:
        got = results.get(f"{row['SUBJECT_ID']}/{row['CNT_ORDER']}")
        if got is None or got.relief not in EXPECTED[row["Eligibility Determination"]]:
            misses.append((row["input_row"], row["Eligibility Determination"], got and got.relief))
        elif got.decision.reasoning.split(":")[0] != row["Eligibility Reason"]:
            assert row["Eligibility Reason"].startswith(("Dismiss all", "Reduce all")), (row, got.decision.reasoning)
    assert misses == []


@pytest.mark.parametrize(
    "policy, folder, stem",
    [("gogen-configurable-2019", "gogen", "configurable_flow"), ("la-pilot-2019", "gogen_pilots", "los_angeles")],
)
def test_cfa_conformance_through_the_command_users_run(cfa_fixtures, tmp_path, policy, folder, stem):
    """`docmine check FILE --policy P --as-of D --out R` (a subprocess, as a clerk runs it) gives every
    expected determination, as `check()` does: linking people across subjects must not change
    them (LA subjects 90675321 and 95875321 share a CII on one row each; two DOJ subjects are
    two people)."""
    from tests.test_cli import docmine

    out = tmp_path / "R"
    done = docmine(
        "check", cfa_fixtures / folder / f"{stem}_input.csv", "--policy", policy, "--as-of", "2019-11-11", "--out", out
    )
    assert done.returncode == 0, done.stderr
    rows = {r["count_id"]: r for r in csv.DictReader(open(out / "counts.csv", encoding="utf-8"))}
    expected = list(csv.DictReader(open(cfa_fixtures / folder / f"{stem}_expected.csv", encoding="utf-8")))
    misses = [
        (
            e["input_row"],
            e["Eligibility Determination"],
            rows.get(f"{e['SUBJECT_ID']}/{e['CNT_ORDER']}", {}).get("relief"),
        )
        for e in expected
        if Relief(rows.get(f"{e['SUBJECT_ID']}/{e['CNT_ORDER']}", {}).get("relief") or "hand_review")
        not in EXPECTED[e["Eligibility Determination"]]
        or f"{e['SUBJECT_ID']}/{e['CNT_ORDER']}" not in rows
    ]
    assert misses == []
    people = list(csv.DictReader(open(out / "people.csv", encoding="utf-8")))
    subjects = {r["SUBJECT_ID"] for r in rows.values()}
    assert len(people) == len(subjects)  # one person per DOJ subject, never two subjects in one


def test_one_path_check_batch_and_process_agree_with_the_conformance_test(cfa_fixtures, tmp_path):
    """The same input gives the same relief for every count through `check()`, `docmine check`,
    `docmine batch` and `docmine.process` (issue #17: the product, not only the function)."""
    import shutil

    import docmine
    from tests.test_cli import docmine as run_docmine

    source = cfa_fixtures / "gogen_pilots" / "los_angeles_input.csv"
    policy = "la-pilot-2019"
    expected = {r.count.key: r.relief.value for r in check([source], load_policy(policy), FIXTURE_DATE)}
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(source, archive / source.name)

    def reliefs(folder):
        return {
            r["count_id"]: r["relief"]
            for r in csv.DictReader(open(folder / "counts.csv", encoding="utf-8"))
            if r["relief"]
        }

    for args, out in ((("check", source), tmp_path / "check"), (("batch", archive), tmp_path / "batch")):
        done = run_docmine(*args, "--policy", policy, "--as-of", "2019-11-11", "--out", out)
        assert done.returncode == 0, done.stderr
        assert reliefs(out) == expected, args[0]
    results = docmine.process(source, policy=policy, as_of="2019-11-11", out=tmp_path / "api")
    assert reliefs(tmp_path / "api") == expected and len(results.counts) >= len(expected)


def test_every_shipped_policy_loads_and_cites_its_source():
    names = available_policies()
    assert {
        "statute",
        "gogen-configurable-2019",
        "la-pilot-2019",
        "sacramento",
        "san-joaquin",
        "contra-costa",
        "los-angeles-2020",
        "san-francisco",
    } <= set(names)
    for name in names:
        policy = load_policy(name)
        assert policy.source and len(policy.sha256) == 64
        assert all(step.clause for step in policy.steps), name


def test_policy_file_from_a_users_path_and_its_mistakes(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text(
        'name = "mine"\n[[step]]\nwhen = ["always"]\nrelief = "hand_review"\nreason = "all"\nclause = "c"\n'
    )
    assert load_policy(good).name == "mine"
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[step]]\nwhen = ["no_such_rule"]\nrelief = "hand_review"\n')
    with pytest.raises(DocmineError, match="unknown rule 'no_such_rule'"):
        load_policy(bad)
    with pytest.raises(DocmineError, match="unknown policy"):
        load_policy("nowhere-2031")


SAC, SJ, SF, LA = "SACRAMENTO", "SAN JOAQUIN", "SAN FRANCISCO", "LOS ANGELES"


def _line(subject, county, day, descr, conv, sent="", order="101001001000", dob=ADULT, disp=CONV):
    return doj_line(subject, dob, COURT, day, order, descr, conv[:1], disp, conv, sent, county=county)


# (policy, lines, expected relief of the last count, reason words)
POLICY_CASES = [
    ("sacramento", [_line("1", SAC, "20170301", "11359 HS-POSS FOR SALE", "FELONY")], Relief.NOT_ELIGIBLE, "after"),
    ("sacramento", [_line("2", SAC, "19950301", "11357(B) HS-POSS", "FELONY")], Relief.DISMISS_AND_SEAL, "11357(b)"),
    (
        "sacramento",
        [_line("3", SAC, "19950301", "11359 HS-POSS FOR SALE", "FELONY", "PRISON 2 Y")],
        Relief.DISMISS_AND_SEAL,
        "sentence ended",
    ),
    (
        "sacramento",
        [
            _line("4", SAC, "19950301", "459 PC-BURGLARY", "FELONY"),
            _line("4", SAC, "20150301", "11359 HS-POSS FOR SALE", "FELONY", order="102001001000"),
        ],
        Relief.REDESIGNATE_MISDEMEANOR,
        "recent",
    ),
    ("san-joaquin", [_line("5", SJ, "19950301", "647(F) PC-DRUNK", "MISDEMEANOR")], Relief.HAND_REVIEW, "related"),
    (
        "san-joaquin",
        [
            _line("6", SJ, "19950301", "11359 HS-POSS FOR SALE", "FELONY"),
            _line("6", SJ, "19950301", "647(F) PC-DRUNK", "MISDEMEANOR", order="101001002000"),
        ],
        Relief.DISMISS_AND_SEAL,
        "Prop 64 charge",
    ),
    (
        "contra-costa",
        [
            _line("7", "CONTRA COSTA", "19950301", "11359 HS-POSS FOR SALE", "FELONY"),
            _line("7", "CONTRA COSTA", "19950301", "4060 BP-POSS", "MISDEMEANOR", order="101001002000"),
        ],
        Relief.HAND_REVIEW,
        "BP 4060",
    ),
    (
        "san-francisco",
        [
            _line("8", SF, "19850301", "187(A) PC-MURDER", "FELONY"),
            _line("8", SF, "19950301", "11359 HS-POSS FOR SALE", "FELONY", order="102001001000"),
        ],
        Relief.NOT_ELIGIBLE,
        "super strike",
    ),
    (
        "san-francisco",
        [_line("9", SF, "19950301", "11359(D) HS-POSS FOR SALE", "FELONY")],
        Relief.NOT_ELIGIBLE,
        "Excluded",
    ),
    (
        "san-francisco",
        [
            _line("10", SF, "19950301", "11359 HS-POSS FOR SALE", "FELONY"),
            _line("10", SF, "19950301", "11364 HS-PARAPHERNALIA", "MISDEMEANOR", order="101001002000"),
        ],
        Relief.DISMISS_AND_SEAL,
        "plea",
    ),
    (
        "san-francisco",
        [
            _line("11", SF, "19950301", "11359 HS-POSS FOR SALE", "FELONY"),
            _line("11", SF, "19950301", "459 PC-BURGLARY", "FELONY", order="101001002000"),
            _line("11", SF, "19950301", "11364 HS-PARAPHERNALIA", "MISDEMEANOR", order="101001003000"),
        ],
        Relief.HAND_REVIEW,
        "plea",
    ),
    (
        "los-angeles-2020",
        [
            doj_line(
                "12",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "11357(C) HS-POSS",
                "M",
                CONV,
                "MISDEMEANOR",
                county=LA,
                ori="CAMC LANCASTER",
            )
        ],
        Relief.REFER,
        "ten cities",
    ),
    (
        "los-angeles-2020",
        [_line("13", LA, "19950301", "11359 HS-POSS FOR SALE", "FELONY", dob="19800101")],
        Relief.DISMISS_AND_SEAL,
        "beyond the law",
    ),
]


@pytest.mark.parametrize(
    "policy, lines, relief, words", POLICY_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(POLICY_CASES)]
)
def test_policy_clause(tmp_path, policy, lines, relief, words):
    results, _ = run(tmp_path, lines, policy=policy, as_of=FIXTURE_DATE)
    last = results[-1]
    assert last.relief is relief, last.decision.to_dict()
    assert words.lower() in (last.decision.reasoning + " " + last.decision.clause).lower()


def _contract_count(n: int, **changes) -> Count:
    base = dict(
        count_id=f"00000000000000aa-1-{n}",
        document="rap.pdf",
        doc_type=DocType.RAP_SHEET,
        page=1,
        person=Person(name="DOE,JANE", dob=date(1960, 1, 1), cii="A01"),
        cycle="1",
        event_type=EventType.COURT,
        count=n,
        charge=Charge.parse("HS 11359"),
        charge_text="11359 HS-POSS FOR SALE",
        event_date=date(1995, 3, 1),
        severity=Severity.FELONY,
        disposition=DispositionKind.CONVICTED,
    )
    base.update(changes)
    return Count(**base)


def test_contract_counts_set_aside_and_low_confidence(tmp_path):
    path = tmp_path / "counts.jsonl"
    write_counts(
        path,
        [
            _contract_count(1, updates=(Update(date(2000, 1, 1), UpdateKind.SET_ASIDE_1203_4, "DISM PER 1203.4 PC"),)),
            _contract_count(2, confidence=0.3),
        ],
    )
    results = list(check([path], load_policy("statute"), FIXTURE_DATE))
    assert [r.relief for r in results] == [Relief.REDESIGNATE_MISDEMEANOR, Relief.HAND_REVIEW]
    assert any(d.name == "set_aside_1203_4" for d in results[0].decision.walk())
    assert "confidence" in results[1].decision.reasoning
    results_sf = list(check([path], load_policy("san-francisco"), FIXTURE_DATE))
    assert results_sf == []  # not in San Francisco's county (no county on these counts)


def test_cli_check_writes_csv_parquet_and_summary(tmp_path, cfa_fixtures, capsys):
    source = (
        (cfa_fixtures / "gogen" / "configurable_flow_input.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    broken = tmp_path / "doj.csv"
    broken.write_text(
        "".join(source[:3]) + source[3].rstrip("\r\n") + ",EXTRA\r\n" + "".join(source[4:]), encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        cli.main(
            ["check", str(broken), "--policy", "gogen-configurable-2019", "--as-of", "2019-11-11", "--out", str(out)]
        )
    assert exit_.value.code == 0
    summary = json.loads((out / "run.json").read_text())
    assert summary["as_of"] == "2019-11-11"
    assert summary["policy_sha256"] == load_policy("gogen-configurable-2019").sha256
    assert summary["problems"] == [f"{broken}: line 4: 96 fields where the header has 95: row skipped"]
    rows = list(csv.DictReader(open(out / "counts.csv", encoding="utf-8")))
    table = pq.read_table(out / "counts.parquet")
    assert table.num_rows == len(rows) == summary["counts"] > 0
    decided = [r for r in rows if r["relief"]]
    assert len(decided) == summary["counts_decided"] > 0
    first = decided[0]
    assert first["SUBJECT_ID"] and first["CNT_ORDER"] and first["policy_sha256"] == summary["policy_sha256"]
    tree = json.loads(first["explanation"])
    assert tree["value"] == first["relief"] and tree["children"]
    facts = json.loads(first["facts"])
    assert all("source" in f for f in facts if f["name"] == "charge")
    # Compact: the tree's facts are positions in `facts`, each fact written once; expand puts them back.
    refs = [r for node in _nodes(tree) for r in node.get("facts", [])]
    assert refs and all(isinstance(r, int) for r in refs) and set(refs) == set(range(len(facts)))
    full = expand(tree, facts)
    assert all(isinstance(f, dict) and "name" in f for node in _nodes(full) for f in node.get("facts", []))
    assert len(first["explanation"]) < len(json.dumps(full, separators=(",", ":")))


def _nodes(tree):
    yield tree
    for child in tree.get("children", []):
        yield from _nodes(child)


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "/nonexistent.csv", "--policy", "statute", "--out", "OUT"], "no such file"),
        (["check", "INPUT", "--policy", "nope", "--out", "OUT"], "unknown policy"),
        (["check", "INPUT", "--policy", "statute", "--as-of", "2019-02-30", "--out", "OUT"], "not a date"),
    ],
)
def test_cli_mistakes_end_in_one_line(tmp_path, capsys, args, message):
    good = tmp_path / "doj.csv"
    good.write_text(
        ",".join(__import__("docmine.synth.doj", fromlist=["HEADER"]).HEADER)
        + "\n"
        + _line("1", SAC, "19950301", "11359 HS-POSS", "FELONY")
    )
    args = [str(good) if a == "INPUT" else str(tmp_path / "out") if a == "OUT" else a for a in args]
    with pytest.raises(SystemExit) as exit_:
        cli.main(args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_subject_split_across_the_file_is_reported(tmp_path):
    lines = [
        _line("1", SAC, "19950301", "11359 HS-POSS", "FELONY"),
        _line("2", SAC, "19950301", "11359 HS-POSS", "FELONY"),
        _line("1", SAC, "19960301", "11359 HS-POSS", "FELONY", order="102001001000"),
    ]
    _, tally = run(tmp_path, lines)
    assert [p.line for p in tally.problems] == [4] and "issue #7" in tally.problems[0].message


def test_a_wobbler_reduced_under_17b_is_a_misdemeanor_for_all_purposes(tmp_path):
    """W8 (issue #18): PC 17(b), a wobbler "is a misdemeanor for all purposes" once reduced. San
    Francisco's misdemeanor step dismisses it, whatever PC 187 earlier on the record; under the
    statute an 11359 felony reduced under 17(b) gains nothing from redesignation as a misdemeanor."""
    path = tmp_path / "counts.jsonl"
    reduced = (Update(date(1992, 1, 1), UpdateKind.REDUCED_17B, "CONV RED TO MISD PER 17(B) PC"),)
    sf = dict(county="SAN FRANCISCO", court="CASC SAN FRANCISCO")
    write_counts(
        path,
        [
            _contract_count(
                1, charge=Charge.parse("PC 187"), charge_text="187 PC-MURDER", event_date=date(1980, 1, 1), **sf
            ),
            _contract_count(
                2,
                charge=Charge.parse("HS 11357(a)"),
                charge_text="11357(A) HS-POSS CONC CANNABIS",
                event_date=date(1990, 3, 1),
                updates=reduced,
                **sf,
            ),
            _contract_count(3, charge=Charge.parse("HS 11359"), event_date=date(1995, 3, 1), updates=reduced),
        ],
    )
    (sf_result,) = [
        r for r in check([path], load_policy("san-francisco"), FIXTURE_DATE) if r.count.charge.section == "11357"
    ]
    assert sf_result.relief is Relief.DISMISS_AND_SEAL and "Misdemeanor" in sf_result.decision.reasoning
    statute = {r.count.charge.section: r for r in check([path], load_policy("statute"), FIXTURE_DATE)}
    assert statute["11359"].relief is Relief.NOT_ELIGIBLE and "PC 17(b)" in statute["11359"].decision.clause


@pytest.mark.parametrize("ori", ["CAMC LONG BEACH", "CAMC LOS ANGELES", "CAMC HAWTHORNE"])
def test_la_motion_covers_the_misdemeanors_of_its_ten_cities(tmp_path, ori):
    """W7 (issue #18): the February 2020 motion asked to dismiss "approximately 4,000 misdemeanor
    cannabis possession cases spanning 10 Los Angeles County cities: Los Angeles, Long Beach,
    Torrance, Pasadena, Inglewood, Burbank, Santa Monica, Hawthorne, Redondo Beach, and Hermosa Beach"."""
    line = doj_line(
        "w7",
        ADULT,
        COURT,
        "19950301",
        "101001001000",
        "11360(B) HS-GIVE/TRANSPORT 28.5 GRAMS OR LESS",
        "M",
        CONV,
        "MISDEMEANOR",
        county=LA,
        ori=ori,
    )
    (result,), _ = run(tmp_path, [line], "los-angeles-2020", as_of=date(2020, 2, 11))
    assert result.relief is Relief.DISMISS_AND_SEAL


def test_la_motion_ages_are_measured_on_its_own_date(tmp_path):
    """W7 (issue #18): born 1972, the person was 48 when the motion was filed (2020-02-11): not "50 or
    older", whatever --as-of says; --as-of still decides what is being served."""
    lines = [
        doj_line(
            "w7b",
            "19720301",
            COURT,
            "19950301",
            "101001001000",
            "11359 HS-POSSESS MARIJUANA FOR SALE",
            "F",
            CONV,
            "FELONY",
            county=LA,
        ),
        doj_line(
            "w7b", "19720301", COURT, "20150301", "102001001000", "459 PC-BURGLARY", "F", CONV, "FELONY", county=LA
        ),
    ]
    policy = load_policy("los-angeles-2020")
    assert policy.evaluation_date == date(2020, 2, 11)
    for as_of in (date(2020, 2, 11), date(2026, 12, 7)):
        results, _ = run(tmp_path, lines, "los-angeles-2020", as_of=as_of)
        (mj,) = [r for r in results if r.count.charge.section == "11359"]
        assert mj.relief is Relief.REDESIGNATE_MISDEMEANOR, (as_of, mj.decision.to_dict())
