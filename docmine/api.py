"""The Python API for notebook work: run a check, or read a results folder, as pandas DataFrames.

    import docmine
    results = docmine.process(["doj_bulk.csv", "rap-0001.pdf"], policy="los-angeles-2020", as_of="2024-01-01")
    results = docmine.load_results("RESULTS")       # a folder `docmine check` or `docmine batch` wrote
    results.counts, results.people, results.review  # DataFrames, one row per count / person / count to review
    results.errors, results.run                     # unreadable inputs (DataFrame); run.json (dict)

Columns get the types `DATA_DICTIONARY` names (dates as datetime64, flags as nullable
booleans, tallies as nullable integers, text as pandas strings), whether the folder holds
Parquet or only CSV, so a notebook can filter and group without converting. Every column
of the results folder (README, "The results folder") is in `DATA_DICTIONARY`, with its type and
what it means; `docs/data-dictionary.md` is the same table for reading.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Union

from docmine.errors import DocmineError

if TYPE_CHECKING:  # pandas is imported when a folder is read, so `import docmine` stays light
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]

# Types, as pandas names them.
STRING, DATE, BOOL, INT, FLOAT = "string", "datetime64[ns]", "boolean", "Int64", "float64"

_RELIEF = ("dismiss_and_seal | redesignate_misdemeanor | redesignate_infraction | recall_and_resentence | "
           "not_eligible | hand_review | refer")

COUNTS: dict[str, tuple[str, str]] = {
    "count_id": (STRING, "Stable id of the count (hash of the document, event and count ordinals)."),
    "person_id": (STRING, "The linked person the count belongs to (see `people`)."),
    "source": (STRING, "Where the count was read: doj | rap_sheet | docket | counts."),
    "document": (STRING, "The input file as named (an archive member: `archive.zip!inner/path.pdf`)."),
    "document_sha256": (STRING, "SHA-256 of the input file."),
    "page": (INT, "Page the count starts on (1-based); empty for DOJ rows."),
    "lines": (STRING, "DOJ data rows of the count, space-separated (a count may span rows); empty for documents."),
    "name": (STRING, "Name as the record prints it (`LAST,FIRST M`)."),
    "dob": (DATE, "Date of birth as recorded."),
    "cii": (STRING, "California Identification and Information number, as recorded."),
    "race": (STRING, "Race or ethnicity as recorded (RAP sheet `RAC/`, DOJ `RACE_DESCR`); never inferred."),
    "case_number": (STRING, "Court case number."),
    "court": (STRING, "Court (agency) that disposed the count."),
    "county": (STRING, "County of the court or agency."),
    "cycle": (STRING, "RAP cycle (arrest event) the count belongs to."),
    "charge": (STRING, "Canonical charge, e.g. `HS 11359` or `HS 11357(b)`."),
    "charge_text": (STRING, "The charge exactly as written."),
    "marijuana": (BOOL, "A marijuana section (HS 11357-11360, attempts, the pre-1973 sections)."),
    "attempted": (BOOL, "Attempt (PC 664)."),
    "severity": (STRING, "felony | misdemeanor | infraction | unknown, at conviction."),
    "disposition": (STRING, "convicted | sustained | dismissed | acquitted | pending | ... (records.DispositionKind)."),
    "conviction_date": (DATE, "Date of the conviction (disposition date)."),
    "offense_date": (DATE, "Date of the offence, where recorded."),
    "confidence": (FLOAT, "Extraction confidence, 0-1 (calibrated); 1.0 for rows read from a DOJ file."),
    "relief": (STRING, f"Today's decision under the policy: {_RELIEF}; empty when the policy does not consider the count."),
    "reason": (STRING, "Why, in a sentence."),
    "clause": (STRING, "The statute or policy clause that decided it (e.g. `HS 11361.8(e)`)."),
    "explanation": (STRING, "The explanation tree, JSON."),
    "facts": (STRING, "The facts used with where each was read, JSON."),
    "conflicts": (STRING, "Fields the sources disagree on, JSON list of {field, values:[{source, value, where}]}; empty if none."),
    "decided_relief": (STRING, "A reviewer's decision from decisions.csv; empty if none."),
    "decided_by": (STRING, "Who decided (decisions.csv)."),
    "decided_on": (DATE, "When the reviewer decided (decisions.csv)."),
    "decision_note": (STRING, "The reviewer's note (decisions.csv)."),
    "final_relief": (STRING, "decided_relief when set, else relief: the outcome every tally uses."),
    "policy": (STRING, "Policy name (e.g. `statute`, `los-angeles-2020`)."),
    "policy_sha256": (STRING, "SHA-256 of the policy file, so a result names the exact rules."),
    "as_of": (DATE, "Evaluation date."),
}

PEOPLE: dict[str, tuple[str, str]] = {
    "person_id": (STRING, "Linked person id."),
    "name": (STRING, "The name most records give."),
    "aliases": (STRING, "Other names recorded, `;`-joined."),
    "dob": (DATE, "The date of birth most records give."),
    "dobs": (STRING, "Every date of birth recorded, `;`-joined (ISO dates)."),
    "cii": (STRING, "CII number."),
    "race": (STRING, "Race or ethnicity as recorded (RAP sheet `RAC/`, DOJ `RACE_DESCR`); never inferred."),
    "documents": (INT, "Input documents (or DOJ files) the person appears in."),
    "sources": (STRING, "Kinds of source, `;`-joined (doj, rap_sheet, docket, counts)."),
    "counts": (INT, "Counts read."),
    "convictions": (INT, "Counts that are convictions."),
    "marijuana_convictions": (INT, "Convictions under a marijuana section."),
    "dismissed_and_sealed": (INT, "Counts whose final relief is dismiss_and_seal."),
    "redesignated": (INT, "Counts redesignated (misdemeanor or infraction)."),
    "resentenced": (INT, "Counts recalled and resentenced."),
    "hand_review": (INT, "Counts still needing hand review."),
    "not_eligible": (INT, "Counts not eligible."),
    "felonies_before": (INT, "Felony convictions before relief."),
    "felonies_after": (INT, "Felony convictions left after relief."),
    "convictions_after": (INT, "Convictions left after relief."),
    "no_felony_left": (BOOL, "Had a felony conviction, none after relief."),
    "no_conviction_left": (BOOL, "Had a conviction, none after relief."),
    "links": (STRING, "How each entry was joined to the person (the linking rule), `;`-joined."),
    "identity_conflicts": (STRING, "Entries sharing this person's CII under unrelated names: never joined."),
}

REVIEW: dict[str, tuple[str, str]] = {
    "count_id": COUNTS["count_id"],
    "person_id": COUNTS["person_id"],
    "name": COUNTS["name"],
    "dob": COUNTS["dob"],
    "case_number": COUNTS["case_number"],
    "court": COUNTS["court"],
    "charge": COUNTS["charge"],
    "charge_text": COUNTS["charge_text"],
    "reason": (STRING, "Why a person must look (names the fact in doubt)."),
    "doubt": (STRING, "The facts in doubt, `name=value`, `;`-joined."),
    "document": COUNTS["document"],
    "page": COUNTS["page"],
    "text": (STRING, "The words the doubtful fact was read from."),
    "crop": (STRING, "Page crop, relative path `review/crops/<count_id>.png`; empty with no page image."),
    "relief": (STRING, "Today's relief (hand_review)."),
    "decided_relief": (STRING, "For the reviewer to fill in (copied to decisions.csv)."),
    "decided_by": COUNTS["decided_by"],
    "decided_on": COUNTS["decided_on"],
    "decision_note": COUNTS["decision_note"],
}

ERRORS: dict[str, tuple[str, str]] = {
    "path": (STRING, "The input that could not be read."),
    "page": (INT, "The page that could not be read; empty when the whole file could not."),
    "reason": (STRING, "Why, in one line."),
}


def _doj_columns() -> dict[str, tuple[str, str]]:
    from docmine.reference.doj_layout import HEADER

    return {name: (STRING, f"DOJ bulk file column `{name}` as written, from the count's first row (DOJ input only).")
            for name in HEADER}


DOJ = _doj_columns()

# Table -> column -> (pandas dtype, meaning). `counts` gains the DOJ columns when an input was a DOJ file.
DATA_DICTIONARY: dict[str, dict[str, tuple[str, str]]] = {
    "counts": {**COUNTS, **DOJ},
    "people": PEOPLE,
    "review": REVIEW,
    "errors": ERRORS,
}


_TABLE_NOTES = {
    "counts": "`counts.parquet` / `counts.csv`: one row per count read (decided or not), sorted by "
              "(person_id, count_id). When an input is a DOJ bulk file its 95 columns follow, as strings, "
              "from the count's first row.",
    "people": "`people.parquet` / `people.csv`: one row per linked person, sorted by person_id. Outcomes use "
              "`final_relief` (reviewers' decisions applied).",
    "review": "`review.csv`: one row per count that still needs a person (relief hand_review, no decision yet), "
              "sorted by (person_id, count_id).",
    "errors": "`errors.csv`: every input (or page) that could not be read.",
}


def data_dictionary_markdown() -> str:
    """docs/data-dictionary.md: every table and column with its type and meaning."""
    lines = ["# Data dictionary", "",
             "What `docmine.load_results(RESULTS)` (and `docmine.process`) return: `Results.counts`, `.people`, "
             "`.review` and `.errors` are pandas DataFrames with these columns and types "
             "(`string`: pandas string, empty text is `\"\"`; `datetime64[ns]`: missing is `NaT`; "
             "`boolean` and `Int64`: nullable, missing is `<NA>`). `Results.run` is run.json as a dict. "
             "Generated from `docmine.api.DATA_DICTIONARY` (`python -m docmine.api > docs/data-dictionary.md`).", ""]
    for table, columns in DATA_DICTIONARY.items():
        lines += [f"## {table}", "", _TABLE_NOTES[table], "", "| column | type | meaning |", "|---|---|---|"]
        for name, (kind, meaning) in columns.items():
            if name in DOJ and table == "counts":
                continue
            cell = meaning.replace("|", "\\|")  # a bar inside a cell would end it
            lines.append(f"| `{name}` | {kind} | {cell} |")
        if table == "counts":
            lines += ["", "DOJ input adds, all `string`, as written in the file: " + ", ".join(f"`{n}`" for n in DOJ) + "."]
        lines.append("")
    return "\n".join(lines)


@dataclass(frozen=True)
class Results:
    """A results folder read into DataFrames (see `DATA_DICTIONARY` for every column)."""

    path: Path
    counts: "pd.DataFrame"
    people: "pd.DataFrame"
    review: "pd.DataFrame"
    errors: "pd.DataFrame"
    run: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"Results({str(self.path)!r}: {len(self.counts)} counts, {len(self.people)} people, "
                f"{len(self.review)} to review, {len(self.errors)} errors)")


def _typed(frame: "pd.DataFrame", table: str) -> "pd.DataFrame":
    """Give every known column its dictionary type; empty text is a missing value for
    dates, flags and numbers, and stays an empty string for text."""
    import pandas as pd

    types = DATA_DICTIONARY[table]
    out = {}
    for name in frame.columns:
        column = frame[name]
        kind = types.get(name, (STRING, ""))[0]
        if kind == STRING:
            out[name] = column.astype("string").fillna("")
            continue
        # CSV (and a writer that kept everything as text) gives strings to parse; Parquet may give typed columns.
        is_text = column.dtype == object or pd.api.types.is_string_dtype(column.dtype)
        text = column.astype("string").str.strip() if is_text else None
        if kind == DATE:
            parsed = pd.to_datetime(text if text is not None else column, errors="coerce", format="ISO8601")
            out[name] = parsed.astype(DATE)  # one resolution whatever pandas infers
        elif kind == BOOL:
            if text is None:
                out[name] = column.astype("boolean")
            else:
                words = {"true": True, "false": False, "1": True, "0": False}
                out[name] = pd.array([words.get(v.lower()) if isinstance(v, str) else None for v in text],
                                     dtype="boolean")
        elif kind == INT:
            out[name] = pd.to_numeric(text.replace("", None) if text is not None else column, errors="coerce").astype("Int64")
        else:
            out[name] = pd.to_numeric(text.replace("", None) if text is not None else column, errors="coerce").astype("float64")
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _read_table(folder: Path, stem: str, table: str) -> "pd.DataFrame":
    """`stem`.parquet when there, else `stem`.csv; a missing table is an empty frame with its columns."""
    import pandas as pd

    parquet, csv_path = folder / f"{stem}.parquet", folder / f"{stem}.csv"
    try:
        if parquet.is_file():
            frame = pd.read_parquet(parquet)
        elif csv_path.is_file():
            frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
        else:
            base = COUNTS if table == "counts" else DATA_DICTIONARY[table]
            frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in base})
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        bad = parquet if parquet.is_file() else csv_path
        raise DocmineError(f"{bad}: cannot be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    return _typed(frame, table)


def load_results(path: PathLike) -> Results:
    """Read a results folder (`docmine check ... --out RESULTS`, `docmine batch ... --out RESULTS`)."""
    folder = Path(path)
    if not folder.is_dir():
        raise DocmineError(f"{folder}: no such results folder")
    if not any((folder / name).is_file() for name in ("counts.parquet", "counts.csv", "run.json")):
        raise DocmineError(f"{folder}: not a results folder (no counts.parquet, counts.csv or run.json)")
    run: dict = {}
    if (folder / "run.json").is_file():
        try:
            run = json.loads((folder / "run.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise DocmineError(f"{folder / 'run.json'}: not JSON ({exc})") from None
    return Results(
        path=folder,
        counts=_read_table(folder, "counts", "counts"),
        people=_read_table(folder, "people", "people"),
        review=_read_table(folder, "review", "review"),
        errors=_read_table(folder, "errors", "errors"),
        run=run,
    )


def process(paths: Union[PathLike, Iterable[PathLike]], policy: str = "statute", as_of: Union[str, date, None] = None,
            out: PathLike | None = None, *, use_model: bool = True, workers: int = 1) -> Results:
    """Run what `docmine check PATHS --policy POLICY --as-of AS_OF --out OUT` runs and read the result.

    `paths`: documents (PDFs, images, text), DOJ bulk CSVs and counts JSON Lines, in any mix.
    `policy`: a shipped policy name or a policy .toml file. `as_of`: the evaluation date
    (a `date` or `YYYY-MM-DD`; default today). `out`: the results folder (default: a new
    temporary folder, kept, named by `Results.path`). `use_model`, `workers`: as
    `docmine check --rules-only` and `--workers` (the entity model on OCR'd pages; OCR processes).
    """
    from docmine.eligibility.output import check_to_folder

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    inputs = [Path(p) for p in paths]
    if not inputs:
        raise DocmineError("process: no input files given")
    if isinstance(as_of, date):
        as_of = as_of.isoformat()
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="docmine-results-"))
    check_to_folder(inputs, policy, as_of, folder, use_model=use_model, workers=workers)
    return load_results(folder)


__all__ = ["DATA_DICTIONARY", "Results", "data_dictionary_markdown", "load_results", "process"]

if __name__ == "__main__":
    print(data_dictionary_markdown(), end="")
