"""Reference data (`docmine.reference`): every county's courts and agencies name their county,
the DOJ layout is the fixture's, and the generators draw from the same tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from docmine.extract.docket_values import county_name
from docmine.extract.rap_values import county_of
from docmine.reference.agencies import kind_of_agency
from docmine.reference.case_numbers import COURT_SHAPES
from docmine.reference.counties import CALIFORNIA_COUNTIES, COUNTIES, county_named
from docmine.reference.doj_layout import HEADER
from docmine.records import EventType

FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "external" / "cfa" / "gogen" / "configurable_flow_input.csv"


@pytest.mark.parametrize("county", COUNTIES, ids=lambda c: c.name)
def test_every_court_and_agency_of_a_county_names_it(county):
    """All 58: the superior court, sheriff and probation print the county; a municipal court
    district and a city's police name it through the table; a docket's court line names it."""
    for agency in (
        f"CASC {county.name}",
        f"CASO {county.name}",
        f"CAPR {county.name}",
        f"CASC {county.name} CO",
        f"CAJC {county.name} JUV",
    ):
        found, start, end = county_of(agency)
        assert found == county.name, agency
        assert agency[start:end] == county.name, agency
    for court in county.courts:
        assert county_of(f"CAMC {court}")[0] == county.name, court
    for city in county.cities:
        assert county_of(f"CAPD {city}")[0] == county.name, city
        assert county_named(city) == county.name
    assert county_name(f"SUPERIOR COURT OF CALIFORNIA, COUNTY OF {county.name}".split("OF ")[-1]) == county.name


def test_fifty_eight_counties_no_place_in_two():
    assert len(CALIFORNIA_COUNTIES) == 58 == len(set(CALIFORNIA_COUNTIES))
    places = [p for c in COUNTIES for p in {c.name, *c.cities, *c.courts}]
    assert len(places) == len(set(places))


def test_a_county_agency_with_a_town_beginning_with_a_county_name_is_not_that_county():
    assert county_of("CAPD LAKE ELSINORE")[0] is None  # Riverside County, not Lake
    assert county_of("CAMC SAN DIEGO NORTH")[0] == "SAN DIEGO"
    assert county_of("CASC YOLO")[0] == "YOLO"


def test_agency_codes_say_the_kind_of_event():
    assert kind_of_agency("CAPD SAN JOSE") == EventType.ARREST
    assert kind_of_agency("CASC YOLO") == EventType.COURT
    assert kind_of_agency("CASD CORRECTIONS") == EventType.CUSTODY
    assert kind_of_agency("CAPR SONOMA") == EventType.PROBATION
    assert kind_of_agency("XXXX") == EventType.UNRECOGNIZED


def test_case_number_shapes_are_keyed_by_counties():
    assert set(COURT_SHAPES) <= set(CALIFORNIA_COUNTIES)


@pytest.mark.skipif(not FIXTURE.exists(), reason="CfA fixture not beside the repository")
def test_doj_layout_is_the_fixture_header():
    with FIXTURE.open(newline="", encoding="utf-8") as f:
        first = next(csv.reader(f))
    assert tuple(n.strip() for n in first if n.strip()) == HEADER


def test_generators_draw_from_the_reference_tables():
    from docmine.synth import doj, facts

    assert doj.COUNTIES == CALIFORNIA_COUNTIES
    assert all(c in COUNTIES for c in facts.COUNTIES)
