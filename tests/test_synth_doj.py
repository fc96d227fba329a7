"""The synthetic DOJ bulk research file: layout, determinism, and ground truth that matches the rows."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from docmine.charges import Charge
from docmine.synth.doj import (
    DISPOSITION_KINDS,
    HEADER,
    MARIJUANA_SECTIONS,
    OFFENSES,
    PRE_1973_MARIJUANA_SECTIONS,
    QUIRKS,
    write_doj_file,
)

FIXTURE = Path("/work/shared/external/cfa/gogen/configurable_flow_input.csv")
ROWS = 1500  # enough for every kind of row to appear, still well under a second


def _write(tmp_path: Path, rows: int = ROWS, seed: int = 11, name: str = "doj", **kw):
    csv_path, truth_path = tmp_path / f"{name}.csv", tmp_path / f"{name}.truth.jsonl"
    stats = write_doj_file(csv_path, rows=rows, seed=seed, truth_path=truth_path, **kw)
    return stats, csv_path, truth_path


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("doj")
    stats, csv_path, truth_path = _write(tmp)
    with open(csv_path, newline="", encoding="ascii") as handle:
        table = list(csv.reader(handle))
    truth = [json.loads(line) for line in truth_path.read_text("ascii").splitlines()]
    return stats, csv_path, table[0], table[1:], truth


def _col(name: str) -> int:
    return HEADER.index(name)


# --- layout -----------------------------------------------------------------------------------


@pytest.mark.skipif(not FIXTURE.exists(), reason="CfA fixture not present")
def test_header_is_the_fixtures_exactly(generated):
    _, csv_path, header, _, _ = generated
    fixture_first = FIXTURE.read_bytes().split(b"\r\n", 1)[0]
    ours_first = csv_path.read_bytes().split(b"\r\n", 1)[0]
    assert ours_first == fixture_first
    with open(FIXTURE, newline="") as handle:
        fixture_header = next(csv.reader(handle))
    assert header == fixture_header == list(HEADER)
    assert len(header) == 95


def test_every_row_has_95_columns_with_csv_and_pandas(generated):
    stats, csv_path, _, rows, _ = generated
    assert len(rows) == stats.rows == ROWS
    assert {len(r) for r in rows} == {95}
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert frame.shape == (ROWS, 95)
    assert list(frame.columns) == list(HEADER)


def test_fixture_conventions(generated):
    _, csv_path, _, rows, _ = generated
    raw = csv_path.read_bytes()
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == ROWS + 1 and b"\n" not in raw.replace(b"\r\n", b"")
    for line, row in zip(raw.decode("ascii").split("\r\n")[1:], rows):
        assert f',"{row[_col("PRI_NAME")]}",' in line  # PRI_NAME always quoted, as in the fixture
    for row in rows:
        assert row[_col("REQ_SEG_SEP")] == row[_col("SENT_SEG_SEP")] == row[_col("END_OF_REC")] == "#"
        for name in ("RECORD_ID", "SUBJECT_STATUS", "FBI_NUMBER", "OFFENSE_CODE", "STP_ORI_CODE"):
            assert row[_col(name)] == "x"
        assert row[_col("PRI_CDL")] == "x       "
        for name in ("PRI_DOB", "STP_EVENT_DATE", "CYC_DATE", "DISP_DATE"):
            value = row[_col(name)]
            assert len(value) == 8 and value.isdigit(), (name, value)
        descr, disp = row[_col("OFFENSE_DESCR")], row[_col("DISP_DESCR")]
        assert len(descr) <= 50 and row[_col("OFFENSE_QUAL_LST")] == (" " * (50 - len(descr)) if descr else "")
        assert len(disp) <= 24 and row[_col("CONV_STAT_CODE")] == " " * (24 - len(disp))
        if not row[_col("SENT_LOC_DESCR")]:
            assert row[_col("SENT_TIME_DESCR")] == " " * 18
        assert row[_col("OFN")] in ("", "NULL  ") or row[_col("OFN")].isdigit()
        assert row[_col("STP_ORI_TYPE")].strip() == "x"
        assert row[_col("STP_TYPE_DESCR")] in (
            "ARREST/DETAINED/CITED",
            "COURT ACTION",
            "PROBATION",
            "CUSTODY",
            "REGISTRATION",
            "DECEASED",
        )
        assert row[_col("OFFENSE_TOC")] in ("F", "M", "I", "")
        assert row[_col("CONV_STAT_DESCR")] in ("FELONY", "MISDEMEANOR", "INFRACTION", "")


def test_cnt_order_encodes_cycle_step_count(generated):
    _, _, _, rows, truth = generated
    for row, t in zip(rows, truth):
        order = row[_col("CNT_ORDER")]
        assert len(order) == 12 and order.isdigit() and order.endswith("000")
        assert int(order[:3]) == 100 + int(row[_col("CYC_ORDER")]) == 100 + t["cycle"]
        assert int(order[3:6]) == int(row[_col("STP_ORDER")]) == t["step"]
        assert int(order[6:9]) == t["count"]
    keys = Counter((t["subject_id"], t["cnt_order"], t["sentence_part"]) for t in truth)
    assert max(keys.values()) == 1  # (subject, CNT_ORDER, sentence part) is a row's key
    # A count with a sentence in several parts has several rows with the same CNT_ORDER.
    assert any(t["sentence_part"] == 2 for t in truth)


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    _, a_csv, a_truth = _write(tmp_path, rows=400, seed=5, name="a")
    _, b_csv, b_truth = _write(tmp_path, rows=400, seed=5, name="b")
    _, c_csv, _ = _write(tmp_path, rows=400, seed=6, name="c")
    assert a_csv.read_bytes() == b_csv.read_bytes()
    assert a_truth.read_bytes() == b_truth.read_bytes()
    assert a_csv.read_bytes() != c_csv.read_bytes()


def test_workers_do_not_change_the_bytes(tmp_path):
    # 4,000 rows span two blocks of subjects (400 subjects each), so the pool really splits the work.
    _, one_csv, one_truth = _write(tmp_path, rows=4000, seed=3, name="one")
    _, two_csv, two_truth = _write(tmp_path, rows=4000, seed=3, name="two", workers=2)
    assert one_csv.read_bytes() == two_csv.read_bytes()
    assert one_truth.read_bytes() == two_truth.read_bytes()


def test_exact_row_counts_and_prefixes(tmp_path):
    for rows in (0, 1, 7):
        stats, csv_path, truth_path = _write(tmp_path, rows=rows, seed=2, name=f"n{rows}")
        lines = csv_path.read_bytes().split(b"\r\n")
        assert stats.rows == rows and len(lines) == rows + 2 and lines[-1] == b""
        assert len(truth_path.read_text().splitlines()) == rows
    _, short, _ = _write(tmp_path, rows=200, seed=2, name="short")
    _, long, _ = _write(tmp_path, rows=500, seed=2, name="long")
    # The data rows are the same; only the cut of the last subject differs.
    assert long.read_bytes().startswith(short.read_bytes())


def test_rejects_negative_rows(tmp_path):
    with pytest.raises(ValueError):
        write_doj_file(tmp_path / "x.csv", rows=-1, seed=0)


# --- ground truth -----------------------------------------------------------------------------


def test_offense_table_spellings_parse_to_their_charge():
    for offense in OFFENSES:
        for spelling in offense.spellings():
            parsed = Charge.parse(spelling)
            assert parsed.canonical == offense.canonical, spelling
            assert parsed.attempted == offense.charge.attempted, spelling
        base = offense.charge.section
        assert (offense.category == "marijuana") == (offense.charge.code == "HS" and base in MARIJUANA_SECTIONS)
        assert (offense.category == "pre_1973_marijuana") == (offense.charge.base in PRE_1973_MARIJUANA_SECTIONS)


def test_truth_matches_the_rows(generated):
    _, _, _, rows, truth = generated
    assert [t["row"] for t in truth] == list(range(1, len(rows) + 1))
    for row, t in zip(rows, truth):
        assert row[_col("SUBJECT_ID")] == t["subject_id"]
        assert row[_col("CII_NUMBER")] == row[_col("REQ_CII_NUMBER")] == t["cii"]
        assert row[_col("PRI_NAME")] == t["name"]
        assert row[_col("GENDER")] == t["gender"]
        assert row[_col("RACE_CODE")] == t["race_code"] and row[_col("RACE_DESCR")] == t["race"]
        assert row[_col("PRI_DOB")] == t["dob"].replace("-", "")
        assert row[_col("CNT_ORDER")] == t["cnt_order"]
        assert row[_col("STP_EVENT_DATE")] == t["event_date"].replace("-", "")
        assert row[_col("CYC_DATE")] == t["cycle_date"].replace("-", "")
        assert row[_col("STP_ORI_CNTY_NAME")] == t["county"] and row[_col("STP_ORI_DESCR")] == t["ori"]
        assert row[_col("DISP_DESCR")] == t["disposition_text"]
        assert row[_col("OFFENSE_DESCR")] == t["offense_descr"]
        assert row[_col("COMMENT_TEXT")] == t["comment_text"]
        assert int(row[_col("CYC_AGE")]) == t["cyc_age"]
        if t["disposition_date"]:
            assert row[_col("DISP_DATE")] == t["disposition_date"].replace("-", "")
        assert t["disposition"] in DISPOSITION_KINDS
        toc = {"F": "felony", "M": "misdemeanor", "I": "infraction", "": None}
        assert toc[row[_col("OFFENSE_TOC")]] == t["toc"]
        assert toc[row[_col("CONV_STAT_DESCR")][:1]] == t["severity"]
        # The charge: OFFENSE_DESCR, or COMMENT_TEXT where the row says to look there.
        text = t["comment_text"] if t["charge_in_comment"] else t["offense_descr"]
        if t["charge_in_comment"]:
            assert t["offense_descr"] == "SEE COMMENT FOR CHARGE"
        parsed = Charge.try_parse(text)
        assert (parsed.canonical if parsed else None) == t["charge"], text
        assert (parsed.attempted if parsed else False) == t["attempted"]
        # The flags follow from the charge (the truth's own facts, checked against each other).
        is_mj = bool(parsed) and parsed.code == "HS" and parsed.section in MARIJUANA_SECTIONS
        assert t["is_marijuana_section"] == is_mj
        assert t["pre_1973_marijuana"] == (bool(parsed) and parsed.base in PRE_1973_MARIJUANA_SECTIONS)
        if t["sentence"]:
            assert row[_col("SENT_LOC_DESCR")] == t["sentence"]["kind"].upper()
            assert row[_col("SENT_LENGTH")] == ("" if t["sentence"]["length"] is None else str(t["sentence"]["length"]))
        if t["pc290_registration"]:
            assert row[_col("STP_TYPE_DESCR")] == "REGISTRATION" and t["charge"] == "PC 290"
        if t["convicted"]:
            assert t["event_type"] == "court" and t["disposition"] in ("convicted", "sustained")
        if row[_col("DISP_DESCR")].startswith("CONVICTED"):
            assert t["disposition"] == "convicted"
    # Every DISP_DESCR means one disposition kind.
    kinds = defaultdict(set)
    for t in truth:
        kinds[t["disposition_text"]].add(t["disposition"])
    assert all(len(v) == 1 for k, v in kinds.items() if k not in ("", "REL/TOT OTHER JURIS/AUTH"))


def test_marijuana_lookalikes_and_priors_are_all_there(generated):
    _, _, _, _, truth = generated
    categories = Counter(t["category"] for t in truth)
    for category in ("marijuana", "lookalike", "other", "pre_1973_marijuana", "super_strike", "registration"):
        assert categories[category] > 0, category
    charges = {t["charge"] for t in truth if t["charge"]}
    assert {"HS 11357(b)", "HS 11358", "HS 11359"} <= charges
    lookalike_sections = {Charge.parse(t["charge"]).base for t in truth if t["category"] == "lookalike"}
    assert len(lookalike_sections & {"HS 11350", "HS 11351", "HS 11364", "HS 11377", "HS 11550"}) >= 3
    assert not any(t["is_marijuana_section"] for t in truth if t["category"] == "lookalike")
    convicted_mj = [t for t in truth if t["convicted"] and t["is_marijuana_section"]]
    assert convicted_mj and any(t["attempted"] for t in truth if t["is_marijuana_section"])
    kinds = Counter(t["disposition"] for t in truth)
    for kind in (
        "convicted",
        "dismissed",
        "dismissed_furtherance_of_justice",
        "acquitted",
        "prosecution_rejected",
        "pending",
    ):
        assert kinds[kind] > 0, kind
    assert any(t["subject_deceased"] for t in truth)
    assert any(t["age_at_event"] < 21 for t in convicted_mj)
    assert any(2019 - int(t["dob"][:4]) >= 57 for t in truth)
    by_subject = defaultdict(Counter)
    for t in truth:
        if t["convicted"] and t["sentence_part"] <= 1 and t["charge"]:
            by_subject[t["subject_id"]][Charge.parse(t["charge"]).base] += 1
    assert any(n >= 2 for c in by_subject.values() for n in c.values())  # priors of the same section


def test_dates_ages_and_order(generated):
    _, _, _, rows, truth = generated
    by_subject = defaultdict(list)
    for row, t in zip(rows, truth):
        by_subject[t["subject_id"]].append((row, t))
    assert len(by_subject) > 50
    for items in by_subject.values():
        cycles = []
        for row, t in items:
            assert "1961-01-01" <= t["event_date"] <= "2019-12-31"
            assert "1961-01-01" <= t["cycle_date"] <= t["event_date"]
            assert t["dob"] < t["cycle_date"]
            assert t["age_at_event"] >= t["cyc_age"] >= 14
            # Charged under the law of the arrest date: the old sections before the 1973 renumbering.
            if t["pre_1973_marijuana"]:
                assert t["cycle_date"] < "1973-03-07"
            if t["is_marijuana_section"]:
                assert t["cycle_date"] >= "1973-03-07"
            if t["disposition_date"]:
                assert t["disposition_date"] >= t["event_date"]
            if not cycles or cycles[-1][0] != t["cycle"]:
                cycles.append((t["cycle"], t["cycle_date"]))
        assert [c for c, _ in cycles] == list(range(1, len(cycles) + 1))
        assert [d for _, d in cycles] == sorted(d for _, d in cycles)
        steps = defaultdict(list)
        for row, t in items:
            steps[t["cycle"]].append((t["step"], t["event_date"]))
        for seq in steps.values():
            assert [d for _, d in seq] == sorted(d for _, d in seq)
        deaths = [t for _, t in items if t["event_type"] == "deceased"]
        if deaths:
            assert items[-1][1]["event_type"] == "deceased"
            assert all(t["event_date"] <= deaths[0]["event_date"] for _, t in items)
        assert all(t["subject_deceased"] == bool(deaths) for _, t in items)


def test_stats_agree_with_the_truth(generated):
    stats, _, _, _, truth = generated
    assert stats.subjects == len({t["subject_id"] for t in truth})
    assert stats.counts == len({(t["subject_id"], t["cnt_order"]) for t in truth})
    assert stats.marijuana_rows == sum(t["is_marijuana_section"] for t in truth)
    assert stats.marijuana_convictions == sum(
        t["is_marijuana_section"] and t["convicted"] and t["sentence_part"] <= 1 for t in truth
    )
    assert stats.pre_1973_marijuana_rows == sum(t["pre_1973_marijuana"] for t in truth)
    assert stats.pc290_registration_rows == sum(t["pc290_registration"] for t in truth)
    assert stats.deceased_subjects == len({t["subject_id"] for t in truth if t["subject_deceased"]})
    assert stats.quirk_rows == 0
    assert str(stats).startswith(f"{ROWS} rows")


# --- quirks -----------------------------------------------------------------------------------


def test_quirks_keep_the_data_and_mark_each_quirk(tmp_path, generated):
    _, clean_csv, _, _, _ = generated
    stats, csv_path, truth_path = _write(tmp_path, quirks=True, name="quirky")
    truth = [json.loads(line) for line in truth_path.read_text().splitlines()]
    text = csv_path.read_bytes().decode("ascii")
    lines = text.split("\r\n")
    assert lines[0] == ",".join(HEADER) + ","  # a stray comma after the header, as in extra_comma.csv
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert len(rows) == len(truth) == ROWS
    seen = Counter(q for t in truth for q in t["quirks"])
    assert set(seen) <= set(QUIRKS) | {"name_space"}
    assert stats.quirk_rows == sum(bool(t["quirks"]) for t in truth) > 0
    assert seen["stray_comma"] and seen["lower_case"] + seen["county_case"] and seen["padded"]
    for row, t in zip(rows, truth):
        assert len(row) == (96 if "stray_comma" in t["quirks"] else 95)
        # However a charge is spelled, it still reads as the truth's charge.
        text = t["comment_text"] if t["charge_in_comment"] else t["offense_descr"]
        parsed = Charge.try_parse(text)
        assert (parsed.canonical if parsed else None) == t["charge"], (text, t["quirks"])
    # The quirks change how rows are written, never what they say: rows without one are the
    # clean file's rows, byte for byte.
    clean = clean_csv.read_bytes().decode("ascii").split("\r\n")
    for i, t in enumerate(truth, 1):
        if not t["quirks"]:
            assert lines[i] == clean[i]
