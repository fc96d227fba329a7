"""The output contract: schema, exact JSON round trip, stable count ids."""

import dataclasses
import json
import shutil
from datetime import date

import jsonschema
import pytest

from docmine.charges import Charge
from docmine.contract import (
    ContractError,
    count_from_dict,
    count_id,
    count_to_dict,
    counts_schema,
    dumps_count,
    read_counts,
    sha256_file,
    validate_count,
    write_counts,
)
from docmine.records import (
    Count,
    DispositionKind,
    DocType,
    EventType,
    Person,
    Provenance,
    Sentence,
    SentenceTerm,
    Severity,
    TermKind,
    TimeUnit,
    Update,
    UpdateKind,
)

DOC_HASH = "3f" * 32


def full_count(**changes) -> Count:
    base = Count(
        count_id=count_id(DOC_HASH, 3, 1),
        document="archive/box1/rap_0001.pdf",
        doc_type=DocType.RAP_SHEET,
        page=2,
        person=Person(
            name="ORGANA,LEIA",
            aliases=("ORGANA,LEA", "SOLO,LEIA"),
            dob=date(1956, 10, 21),
            dobs=(date(1956, 10, 21), date(1957, 1, 1)),
            cii="A12345678",
            sex="F",
            race="WHITE",
        ),
        cycle="c02",
        event_type=EventType.COURT,
        count=1,
        charge=Charge.parse("664/11359 HS"),
        charge_text="664/11359 HS-POSSESS MARIJUANA FOR SALE",
        event_date=date(1989, 3, 14),
        offense_date=None,
        arrest_date=date(1989, 2, 1),
        court="CASC SAN FRANCISCO",
        county="SAN FRANCISCO",
        case_number="89-12345",
        severity=Severity.FELONY,
        disposition=DispositionKind.CONVICTED,
        disposition_text="*DISPO:CONVICTED",
        disposition_date=date(1989, 3, 14),
        updates=(Update(date(1994, 6, 1), UpdateKind.SET_ASIDE_1203_4, "DISPO:CONV SET ASIDE & DISM PER 1203.4 PC"),),
        sentence=Sentence(
            "SEN: 036 MONTHS PROBATION, 090 DAYS JAIL, FINE $500",
            (
                SentenceTerm(TermKind.PROBATION, 36, TimeUnit.MONTHS, detail="formal"),
                SentenceTerm(TermKind.JAIL, 90, TimeUnit.DAYS),
                SentenceTerm(TermKind.FINE, amount=500.0),
            ),
            date(1989, 3, 14),
        ),
        confidence=0.93,
        provenance={
            "charge": Provenance(2, 120, 132, "664/11359 HS", (43.2, 110.0, 108.0, 119.0), 0.97),
            "disposition": Provenance(2, 170, 186, "*DISPO:CONVICTED", None, 1.0),
        },
    )
    return dataclasses.replace(base, **changes)


def minimal_count() -> Count:
    return Count(
        count_id=count_id(DOC_HASH, 0, 0),
        document="x.png",
        doc_type=DocType.DOCKET,
        page=1,
        person=Person(),
        cycle="c01",
        event_type=EventType.UNRECOGNIZED,
        count=1,
        charge=None,
        charge_text="SEE COMMENT FOR CHARGE",
    )


@pytest.mark.parametrize("make", [full_count, minimal_count])
def test_counts_validate_against_the_shipped_schema(make):
    validate_count(count_to_dict(make()))


@pytest.mark.parametrize("make", [full_count, minimal_count])
def test_json_round_trip_is_exact(make):
    count = make()
    line = dumps_count(count)
    back = count_from_dict(json.loads(line))
    assert back == count
    assert dumps_count(back) == line


def test_round_trip_through_a_file(tmp_path):
    counts = [full_count(), minimal_count(), full_count(count=2, count_id=count_id(DOC_HASH, 3, 2))]
    path = tmp_path / "counts.jsonl"
    assert write_counts(path, counts) == 3
    assert list(read_counts(path)) == counts
    first = path.read_bytes()
    write_counts(path, read_counts_list(path))
    assert path.read_bytes() == first


def read_counts_list(path):
    return list(read_counts(path))


def test_contract_fields_and_forms():
    data = count_to_dict(full_count())
    for name in (
        "document",
        "doc_type",
        "page",
        "person",
        "cycle",
        "event_type",
        "event_date",
        "offense_date",
        "arrest_date",
        "court",
        "county",
        "case_number",
        "count",
        "charge",
        "charge_text",
        "attempted",
        "severity",
        "disposition",
        "disposition_text",
        "disposition_date",
        "updates",
        "sentence",
        "confidence",
        "provenance",
        "count_id",
    ):
        assert name in data
    assert data["charge"] == "HS 11359" and data["attempted"] is True
    assert data["event_date"] == "1989-03-14"
    assert data["person"]["dobs"] == ["1956-10-21", "1957-01-01"]
    assert data["updates"][0] == {
        "date": "1994-06-01",
        "kind": "set_aside_1203_4",
        "text": "DISPO:CONV SET ASIDE & DISM PER 1203.4 PC",
    }
    assert data["sentence"]["terms"][0] == {
        "kind": "probation",
        "length": 36,
        "unit": "months",
        "amount": None,
        "detail": "formal",
    }
    assert data["provenance"]["charge"]["box"] == [43.2, 110.0, 108.0, 119.0]


def test_attempt_flag_is_one_fact():
    count = full_count(charge=Charge.parse("11359 HS"), attempted=True)
    assert count.charge.attempted and count.attempted


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("charge", "11357(B) HS", "charge"),
        ("event_date", "03/14/1989", "event_date"),
        ("severity", "F", "severity"),
        ("disposition", "CONVICTED", "disposition"),
        ("page", 0, "page"),
        ("count_id", "not-an-id", "count_id"),
        ("confidence", 1.5, "confidence"),
    ],
)
def test_schema_rejects_what_breaks_the_contract(field, value, message):
    data = count_to_dict(full_count())
    data[field] = value
    with pytest.raises(ContractError, match=message):
        validate_count(data)


def test_schema_rejects_unknown_and_missing_fields():
    data = count_to_dict(full_count())
    data["surprise"] = 1
    with pytest.raises(ContractError):
        validate_count(data)
    data = count_to_dict(full_count())
    del data["charge_text"]
    with pytest.raises(ContractError):
        validate_count(data)


def test_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(counts_schema())


def test_count_id_is_stable_across_names_and_runs(tmp_path, cfa_fixtures):
    source = cfa_fixtures / "rap-sheet-assistant" / "skywalker_rap_sheet_page_1.txt"
    copy = tmp_path / "renamed elsewhere.txt"
    shutil.copyfile(source, copy)
    assert sha256_file(source) == sha256_file(copy)
    assert count_id(sha256_file(source), 4, 2) == count_id(sha256_file(copy), 4, 2)
    # Same document, other position: another count. Other content, same position: another count.
    assert count_id(sha256_file(source), 4, 2) != count_id(sha256_file(source), 4, 3)
    copy.write_bytes(source.read_bytes() + b"\n")
    assert count_id(sha256_file(source), 4, 2) != count_id(sha256_file(copy), 4, 2)
    # The format is part of the contract: changing it would orphan every stored decision.
    assert count_id("0123456789abcdef" + "0" * 48, 4, 2) == "0123456789abcdef-4-2"


def test_count_id_refuses_what_is_not_a_hash():
    with pytest.raises(ValueError):
        count_id("report.pdf", 1, 1)
    with pytest.raises(ValueError):
        count_id(DOC_HASH)


def test_reading_a_broken_counts_file_names_the_line(tmp_path):
    path = tmp_path / "counts.jsonl"
    path.write_text(dumps_count(full_count()) + "\n" + '{"count_id": 1}\n')
    with pytest.raises(ContractError, match="line 2"):
        list(read_counts(path))


def test_lettered_sections_are_valid_canonical_charges():
    count = full_count(charge=Charge.parse("273A(A) PC"), attempted=False)
    data = count_to_dict(count)
    assert data["charge"] == "PC 273a(a)"
    validate_count(data)
    assert count_from_dict(data) == count
