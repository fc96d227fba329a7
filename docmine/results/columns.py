"""Every column of the results folder, in order, with its type and what it means: the one
table that the writers (`docmine.results`), the Python API's types and data dictionary
(`docmine.api`) and the README's "The results folder" follow.

Values are Python values: `str`, `bool`, `int`, `float` or None; `cell` writes them to CSV the
same way everywhere (`true`/`false`, empty for None). Dates are ISO strings in the files and
`datetime64` in the API's DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass

from docmine.reference.doj_layout import HEADER as DOJ_HEADER

# Kinds of column. Parquet stores a DATE as its ISO string.
STRING, DATE, BOOL, INT, FLOAT = "string", "date", "bool", "int", "float"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    meaning: str

    @property
    def storage(self) -> str:
        """The Parquet type: a date is stored as text."""
        return STRING if self.kind == DATE else self.kind


_RELIEF = (
    "dismiss_and_seal | redesignate_misdemeanor | redesignate_infraction | recall_and_resentence | "
    "not_eligible | hand_review | refer"
)

COUNTS: tuple[Column, ...] = (
    Column("count_id", STRING, "Stable id of the count (hash of the document, event and count ordinals)."),
    Column("person_id", STRING, "The linked person the count belongs to (see `people`)."),
    Column("source", STRING, "Where the count was read: doj | rap_sheet | docket | counts."),
    Column("document", STRING, "The input file as named (an archive member: `archive.zip!inner/path.pdf`)."),
    Column("document_sha256", STRING, "SHA-256 of the input file."),
    Column("page", INT, "Page the count starts on (1-based); empty for DOJ rows."),
    Column(
        "lines", STRING, "DOJ data rows of the count, space-separated (a count may span rows); empty for documents."
    ),
    Column("name", STRING, "Name as the record prints it (`LAST,FIRST M`)."),
    Column("dob", DATE, "Date of birth as recorded."),
    Column("cii", STRING, "California Identification and Information number, as recorded."),
    Column("race", STRING, "Race or ethnicity as recorded (RAP sheet `RAC/`, DOJ `RACE_DESCR`); never inferred."),
    Column("case_number", STRING, "Court case number."),
    Column("court", STRING, "Court (agency) that disposed the count."),
    Column("county", STRING, "County of the court or agency."),
    Column("cycle", STRING, "RAP cycle (arrest event) the count belongs to."),
    Column("charge", STRING, "Canonical charge, e.g. `HS 11359` or `HS 11357(b)`."),
    Column("charge_text", STRING, "The charge exactly as written."),
    Column("marijuana", BOOL, "A marijuana section (HS 11357-11360, attempts, the pre-1973 sections)."),
    Column("attempted", BOOL, "Attempt (PC 664)."),
    Column("severity", STRING, "felony | misdemeanor | infraction | unknown, at conviction."),
    Column(
        "disposition",
        STRING,
        "convicted | sustained | dismissed | acquitted | pending | ... (records.DispositionKind).",
    ),
    Column("conviction_date", DATE, "Date of the conviction (disposition date)."),
    Column("offense_date", DATE, "Date of the offence, where recorded."),
    Column("confidence", FLOAT, "Extraction confidence, 0-1 (calibrated); 1.0 for rows read from a DOJ file."),
    Column(
        "relief",
        STRING,
        f"Today's decision under the policy: {_RELIEF}; empty when the policy does not consider the count.",
    ),
    Column("reason", STRING, "Why, in a sentence."),
    Column("clause", STRING, "The statute or policy clause that decided it (e.g. `HS 11361.8(e)`)."),
    Column(
        "explanation",
        STRING,
        "The explanation tree, JSON: each rule's name, value, reasoning, clause and children, its facts as "
        "positions in `facts` (`docmine.eligibility.decision.expand` puts them in place).",
    ),
    Column("facts", STRING, "The facts used with where each was read, JSON."),
    Column(
        "conflicts",
        STRING,
        "Fields the sources disagree on, JSON list of {field, values:[{source, value, where}]}; empty if none.",
    ),
    Column("decided_relief", STRING, "A reviewer's decision from decisions.csv; empty if none."),
    Column("decided_by", STRING, "Who decided (decisions.csv)."),
    Column("decided_on", DATE, "When the reviewer decided (decisions.csv)."),
    Column("decision_note", STRING, "The reviewer's note (decisions.csv)."),
    Column("final_relief", STRING, "decided_relief when set, else relief: the outcome every tally uses."),
    Column("policy", STRING, "Policy name (e.g. `statute`, `los-angeles-2020`)."),
    Column("policy_sha256", STRING, "SHA-256 of the policy file, so a result names the exact rules."),
    Column("as_of", DATE, "Evaluation date."),
)
_BY_COUNT = {c.name: c for c in COUNTS}

PEOPLE: tuple[Column, ...] = (
    Column("person_id", STRING, "Linked person id."),
    Column("name", STRING, "The name most records give."),
    Column("aliases", STRING, "Other names recorded, `;`-joined."),
    Column("dob", DATE, "The date of birth most records give."),
    Column("dobs", STRING, "Every date of birth recorded, `;`-joined (ISO dates)."),
    Column("cii", STRING, "CII number."),
    Column("race", STRING, "Race or ethnicity as recorded (RAP sheet `RAC/`, DOJ `RACE_DESCR`); never inferred."),
    Column("documents", INT, "Input documents (or DOJ files) the person appears in."),
    Column("sources", STRING, "Kinds of source, `;`-joined (doj, rap_sheet, docket, counts)."),
    Column("counts", INT, "Counts read."),
    Column("convictions", INT, "Counts that are convictions."),
    Column("marijuana_convictions", INT, "Convictions under a marijuana section."),
    Column("dismissed_and_sealed", INT, "Counts whose final relief is dismiss_and_seal."),
    Column("redesignated", INT, "Counts redesignated (misdemeanor or infraction)."),
    Column("resentenced", INT, "Counts recalled and resentenced."),
    Column("hand_review", INT, "Counts still needing hand review."),
    Column("not_eligible", INT, "Counts not eligible."),
    Column("felonies_before", INT, "Felony convictions before relief."),
    Column("felonies_after", INT, "Felony convictions left after relief."),
    Column("convictions_after", INT, "Convictions left after relief."),
    Column("no_felony_left", BOOL, "Had a felony conviction, none after relief."),
    Column("no_conviction_left", BOOL, "Had a conviction, none after relief."),
    Column("links", STRING, "How each entry was joined to the person (the linking rule), `;`-joined."),
    Column("identity_conflicts", STRING, "Entries sharing this person's CII under unrelated names: never joined."),
)

REVIEW: tuple[Column, ...] = (
    _BY_COUNT["count_id"],
    _BY_COUNT["person_id"],
    _BY_COUNT["name"],
    _BY_COUNT["dob"],
    _BY_COUNT["case_number"],
    _BY_COUNT["court"],
    _BY_COUNT["charge"],
    _BY_COUNT["charge_text"],
    Column("reason", STRING, "Why a person must look (names the fact in doubt)."),
    Column("doubt", STRING, "The facts in doubt, `name=value`, `;`-joined."),
    _BY_COUNT["document"],
    _BY_COUNT["page"],
    Column("text", STRING, "The words the doubtful fact was read from."),
    Column("crop", STRING, "Page crop, relative path `review/crops/<count_id>.png`; empty with no page image."),
    Column("relief", STRING, "Today's relief (hand_review)."),
    Column("decided_relief", STRING, "For the reviewer to fill in (copied to decisions.csv)."),
    _BY_COUNT["decided_by"],
    _BY_COUNT["decided_on"],
    _BY_COUNT["decision_note"],
)

DECISIONS: tuple[Column, ...] = (
    _BY_COUNT["count_id"],
    Column("relief", STRING, "The reviewer's relief."),
    _BY_COUNT["decided_by"],
    _BY_COUNT["decided_on"],
    Column("note", STRING, "The reviewer's note."),
    Column(
        "corrections",
        STRING,
        "Optional: fields the reviewer corrected, a JSON object (`results.corrections.FIELDS`); "
        "applied before the count's person is decided.",
    ),
)

ERRORS: tuple[Column, ...] = (
    Column("path", STRING, "The input that could not be read."),
    Column("page", INT, "The page that could not be read; empty when the whole file could not."),
    Column("reason", STRING, "Why, in one line."),
)

DOJ: tuple[Column, ...] = tuple(
    Column(name, STRING, f"DOJ bulk file column `{name}` as written, from the count's first row (DOJ input only).")
    for name in DOJ_HEADER
)

# The files' column lists, as the writers and readers take them: (name, Parquet type) for the
# Parquet tables, names for the CSV-only ones.
COUNT_COLUMNS: tuple[tuple[str, str], ...] = tuple((c.name, c.storage) for c in COUNTS)
PEOPLE_COLUMNS: tuple[tuple[str, str], ...] = tuple((c.name, c.storage) for c in PEOPLE)
REVIEW_COLUMNS: tuple[str, ...] = tuple(c.name for c in REVIEW)
# A new decisions.csv has the five columns every decision needs; `corrections` is added by the
# first decision that corrects a field (`decisions.record_decision`).
DECISION_COLUMNS: tuple[str, ...] = tuple(c.name for c in DECISIONS if c.name != "corrections")
DECISION_ALL_COLUMNS: tuple[str, ...] = tuple(c.name for c in DECISIONS)
ERROR_COLUMNS: tuple[str, ...] = tuple(c.name for c in ERRORS)

# The reliefs a court is asked for (HS 11361.8(a), (e)-(f)): the rows of the motion exhibits.
MOTION_RELIEFS: tuple[str, ...] = (
    "dismiss_and_seal",
    "redesignate_misdemeanor",
    "redesignate_infraction",
    "recall_and_resentence",
)


def count_columns(with_doj: bool) -> tuple[tuple[str, str], ...]:
    """counts.csv's columns; the DOJ file's 95 columns follow when any input is a DOJ file."""
    return COUNT_COLUMNS + (tuple((c.name, c.storage) for c in DOJ) if with_doj else ())


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)
