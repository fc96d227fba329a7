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
from docmine.results import columns

if TYPE_CHECKING:  # pandas is imported when a folder is read, so `import docmine` stays light
    import pandas as pd

PathLike = Union[str, "os.PathLike[str]"]

# Types, as pandas names them.
STRING, DATE, BOOL, INT, FLOAT = "string", "datetime64[ns]", "boolean", "Int64", "float64"
_PANDAS = {columns.STRING: STRING, columns.DATE: DATE, columns.BOOL: BOOL, columns.INT: INT, columns.FLOAT: FLOAT}


def _dictionary(table: tuple[columns.Column, ...]) -> dict[str, tuple[str, str]]:
    return {c.name: (_PANDAS[c.kind], c.meaning) for c in table}


# Every column's type and meaning comes from `docmine.results.columns`, the one table.
COUNTS = _dictionary(columns.COUNTS)
PEOPLE = _dictionary(columns.PEOPLE)
REVIEW = _dictionary(columns.REVIEW)
ERRORS = _dictionary(columns.ERRORS)
DOJ = _dictionary(columns.DOJ)

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
    lines = [
        "# Data dictionary",
        "",
        "What `docmine.load_results(RESULTS)` (and `docmine.process`) return: `Results.counts`, `.people`, "
        "`.review` and `.errors` are pandas DataFrames with these columns and types "
        '(`string`: pandas string, empty text is `""`; `datetime64[ns]`: missing is `NaT`; '
        "`boolean` and `Int64`: nullable, missing is `<NA>`). `Results.run` is run.json as a dict. "
        "Generated from `docmine.api.DATA_DICTIONARY` (`python -m docmine.api > docs/data-dictionary.md`).",
        "",
    ]
    for table, table_columns in DATA_DICTIONARY.items():
        lines += [f"## {table}", "", _TABLE_NOTES[table], "", "| column | type | meaning |", "|---|---|---|"]
        for name, (kind, meaning) in table_columns.items():
            if name in DOJ and table == "counts":
                continue
            cell = meaning.replace("|", "\\|")  # a bar inside a cell would end it
            lines.append(f"| `{name}` | {kind} | {cell} |")
        if table == "counts":
            lines += [
                "",
                "DOJ input adds, all `string`, as written in the file: " + ", ".join(f"`{n}`" for n in DOJ) + ".",
            ]
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
        return (
            f"Results({str(self.path)!r}: {len(self.counts)} counts, {len(self.people)} people, "
            f"{len(self.review)} to review, {len(self.errors)} errors)"
        )


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
                out[name] = pd.array(
                    [words.get(v.lower()) if isinstance(v, str) else None for v in text], dtype="boolean"
                )
        elif kind == INT:
            out[name] = pd.to_numeric(text.replace("", None) if text is not None else column, errors="coerce").astype(
                "Int64"
            )
        else:
            out[name] = pd.to_numeric(text.replace("", None) if text is not None else column, errors="coerce").astype(
                "float64"
            )
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
        raise DocmineError(
            f"{bad}: cannot be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
        ) from None
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
        path=folder, counts=_read_table(folder, "counts", "counts"),
        people=_read_table(folder, "people", "people"), review=_read_table(folder, "review", "review"),
        errors=_read_table(folder, "errors", "errors"), run=run,
    )  # fmt: skip


def process(
    paths: Union[PathLike, Iterable[PathLike]],
    policy: str = "statute",
    as_of: Union[str, date, None] = None,
    out: PathLike | None = None,
    *,
    use_model: bool = True,
    workers: int = 1,
) -> Results:
    """Run what `docmine check PATHS --policy POLICY --as-of AS_OF --out OUT` runs and read the result.

    `paths`: documents (PDFs, images, text), DOJ bulk CSVs and counts JSON Lines, in any mix.
    `policy`: a shipped policy name or a policy .toml file. `as_of`: the evaluation date
    (a `date` or `YYYY-MM-DD`; default today). `out`: the results folder (default: a new
    temporary folder, kept, named by `Results.path`). `use_model`, `workers`: as
    `docmine check --rules-only` and `--workers` (the entity model on OCR'd pages; OCR processes).
    """
    from docmine.results import check_to_folder

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
