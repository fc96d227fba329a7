"""Every column of the results folder, in order, with its Parquet type (see the README's
"The results folder"). Values are Python values: `str`, `bool`, `int`, `float` or None;
`cell` writes them to CSV the same way everywhere (`true`/`false`, empty for None)."""

from __future__ import annotations

from docmine.reference.doj_layout import HEADER as DOJ_HEADER

STRING, BOOL, INT, FLOAT = "string", "bool", "int", "float"

COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("count_id", STRING), ("person_id", STRING), ("source", STRING), ("document", STRING),
    ("document_sha256", STRING), ("page", INT), ("lines", STRING), ("name", STRING), ("dob", STRING),
    ("cii", STRING), ("race", STRING), ("case_number", STRING), ("court", STRING), ("county", STRING),
    ("cycle", STRING), ("charge", STRING), ("charge_text", STRING), ("marijuana", BOOL), ("attempted", BOOL),
    ("severity", STRING), ("disposition", STRING), ("conviction_date", STRING), ("offense_date", STRING),
    ("confidence", FLOAT), ("relief", STRING), ("reason", STRING), ("clause", STRING), ("explanation", STRING),
    ("facts", STRING), ("conflicts", STRING), ("decided_relief", STRING), ("decided_by", STRING),
    ("decided_on", STRING), ("decision_note", STRING), ("final_relief", STRING), ("policy", STRING),
    ("policy_sha256", STRING), ("as_of", STRING),
)

PEOPLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person_id", STRING), ("name", STRING), ("aliases", STRING), ("dob", STRING), ("dobs", STRING),
    ("cii", STRING), ("race", STRING), ("documents", INT), ("sources", STRING), ("counts", INT),
    ("convictions", INT), ("marijuana_convictions", INT), ("dismissed_and_sealed", INT), ("redesignated", INT),
    ("resentenced", INT), ("hand_review", INT), ("not_eligible", INT), ("felonies_before", INT),
    ("felonies_after", INT), ("convictions_after", INT), ("no_felony_left", BOOL), ("no_conviction_left", BOOL),
    ("links", STRING), ("identity_conflicts", STRING),
)

REVIEW_COLUMNS: tuple[str, ...] = (
    "count_id", "person_id", "name", "dob", "case_number", "court", "charge", "charge_text", "reason", "doubt",
    "document", "page", "text", "crop", "relief", "decided_relief", "decided_by", "decided_on", "decision_note",
)

DECISION_COLUMNS: tuple[str, ...] = ("count_id", "relief", "decided_by", "decided_on", "note")

ERROR_COLUMNS: tuple[str, ...] = ("path", "page", "reason")

# The reliefs a court is asked for (HS 11361.8(a), (e)-(f)): the rows of the motion exhibits.
MOTION_RELIEFS: tuple[str, ...] = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction",
                                   "recall_and_resentence")


def count_columns(with_doj: bool) -> tuple[tuple[str, str], ...]:
    """counts.csv's columns; the DOJ file's 95 columns follow when any input is a DOJ file."""
    return COUNT_COLUMNS + (tuple((name, STRING) for name in DOJ_HEADER) if with_doj else ())


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)
