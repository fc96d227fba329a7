"""DOJ agency codes as RAP sheets and DOJ rows print them (`CAPD SAN JOSE`, `CASC YOLO`).

The first four letters say what kind of agency it is, and so what kind of event it records:
police, sheriff and highway patrol arrest; courts convict; corrections hold in custody;
probation departments supervise. A county-level agency prints its county as its place.
"""

from __future__ import annotations

from docmine.records import EventType

AGENCY_KINDS: dict[str, EventType] = {
    "CAPD": EventType.ARREST,
    "CASO": EventType.ARREST,
    "CAHP": EventType.ARREST,
    "CASC": EventType.COURT,
    "CAMC": EventType.COURT,
    "CAJC": EventType.COURT,
    "CASD": EventType.CUSTODY,
    "CAPR": EventType.PROBATION,
}
# Agencies whose place is their county (superior court, sheriff, probation, juvenile court).
COUNTY_LEVEL: frozenset[str] = frozenset({"CASC", "CASO", "CAPR", "CAJC"})
# Every prefix an ORI may carry before its place, longest first where one begins another.
ORI_PREFIXES: tuple[str, ...] = ("CACDC", "CAPD", "CASO", "CAHP", "CASC", "CAMC", "CAPR", "CACO")


def kind_of_agency(agency: str) -> EventType:
    """The kind of event an agency records, from its code (UNRECOGNIZED for any other)."""
    return AGENCY_KINDS.get(agency.strip().upper()[:4], EventType.UNRECOGNIZED)


__all__ = ["AGENCY_KINDS", "COUNTY_LEVEL", "ORI_PREFIXES", "kind_of_agency"]
