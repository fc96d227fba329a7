"""docmine.process / docmine.load_results: typed DataFrames over a results folder, and the data dictionary."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

import pytest

from docmine.api import COUNTS, DATA_DICTIONARY, DOJ, ERRORS, PEOPLE, REVIEW

PEOPLE_COLUMNS = list(PEOPLE)
RACES = ("WHITE", "BLACK", "HISPANIC", "ASIAN", "")
SECTIONS = ("HS 11357", "HS 11357(b)", "HS 11358", "HS 11359", "HS 11360(a)", "PC 459", "VC 23152(a)")
RELIEFS = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction", "not_eligible", "hand_review")


def write_schema_results(folder: Path, people: int = 9, seed: int = 5) -> Path:
    """A results folder written by hand exactly as the shared spec (README, "The results
    folder") lays it out: documents only (no DOJ columns), varied races, sections, decades,
    reliefs, a reviewer's decision, a count to review with its crop, an unreadable page."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from PIL import Image

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts, persons, review = [], [], []
    for p in range(people):
        pid = f"P{p:04d}"
        race = RACES[p % len(RACES)]
        name, dob = f"DOE{p},JANE", f"19{60 + p}-0{1 + p % 9}-1{p % 9}"
        tallies = dict.fromkeys(
            (
                "dismissed_and_sealed",
                "redesignated",
                "resentenced",
                "hand_review",
                "not_eligible",
                "felonies_before",
                "felonies_after",
                "convictions_after",
                "convictions",
                "marijuana_convictions",
            ),
            0,
        )
        n = 2 + p % 4
        source = "rap_sheet" if p % 3 else "docket"
        for c in range(n):
            charge = SECTIONS[rng.randrange(len(SECTIONS))]
            marijuana = charge.startswith("HS")
            convicted = c != 1 or p % 2 == 0
            severity = ("felony", "misdemeanor")[rng.randrange(2)]
            relief = RELIEFS[(p + c) % len(RELIEFS)] if marijuana and convicted else ""
            decided = "dismiss_and_seal" if (relief == "hand_review" and p == 2) else ""
            final = decided or relief
            year = 1978 + rng.randrange(40)
            cid = f"{p:03d}{c:03d}" + "ab" * 29
            counts.append(
                {
                    "count_id": cid,
                    "person_id": pid,
                    "source": source,
                    "document": f"docs/doc-{p:05d}.pdf",
                    "document_sha256": f"{p:064x}",
                    "page": str(1 + c // 2),
                    "lines": "",
                    "name": name,
                    "dob": dob,
                    "cii": f"A{p:08d}",
                    "race": race,
                    "case_number": f"CR{year}{p:03d}{c}",
                    "court": f"SUPERIOR COURT {p % 3}",
                    "county": ("LOS ANGELES", "SAN FRANCISCO", "SACRAMENTO")[p % 3],
                    "cycle": str(c + 1),
                    "charge": charge,
                    "charge_text": charge.split()[1] + " " + charge.split()[0],
                    "marijuana": marijuana,
                    "attempted": False,
                    "severity": severity,
                    "disposition": "convicted" if convicted else "dismissed",
                    "conviction_date": f"{year}-0{1 + c}-15" if convicted else "",
                    "offense_date": f"{year}-0{1 + c}-01",
                    "confidence": round(0.35 + 0.6 * rng.random(), 4),
                    "relief": relief,
                    "reason": {
                        "hand_review": "the conviction date is in doubt",
                        "not_eligible": "a super strike (PC 667(e)(2)(C)(iv))",
                    }.get(relief, relief and "eligible under HS 11361.8"),
                    "clause": "HS 11361.8(f)" if relief else "",
                    "explanation": "{}" if relief else "",
                    "facts": "[]" if relief else "",
                    "conflicts": "",
                    "decided_relief": decided,
                    "decided_by": "reviewer 1" if decided else "",
                    "decided_on": "2024-02-01" if decided else "",
                    "decision_note": "date read on the docket" if decided else "",
                    "final_relief": final,
                    "policy": "statute",
                    "policy_sha256": "0" * 64,
                    "as_of": "2024-01-01",
                }
            )
            if convicted:
                tallies["convictions"] += 1
                tallies["marijuana_convictions"] += marijuana
                tallies["felonies_before"] += severity == "felony"
                cleared = final in ("dismiss_and_seal",)
                reduced = final in ("redesignate_misdemeanor", "redesignate_infraction")
                tallies["dismissed_and_sealed"] += cleared
                tallies["redesignated"] += reduced
                tallies["hand_review"] += final == "hand_review"
                tallies["not_eligible"] += final == "not_eligible"
                tallies["convictions_after"] += not cleared
                tallies["felonies_after"] += severity == "felony" and not cleared and not reduced
            if final == "hand_review":
                crop = f"review/crops/{cid}.png" if source == "rap_sheet" else ""
                review.append(
                    {
                        "count_id": cid,
                        "person_id": pid,
                        "name": name,
                        "dob": dob,
                        "case_number": counts[-1]["case_number"],
                        "court": counts[-1]["court"],
                        "charge": charge,
                        "charge_text": counts[-1]["charge_text"],
                        "reason": counts[-1]["reason"],
                        "doubt": "conviction_date=" + counts[-1]["conviction_date"],
                        "document": counts[-1]["document"],
                        "page": counts[-1]["page"],
                        "text": "DISPO:CONVICTED",
                        "crop": crop,
                        "relief": relief,
                        "decided_relief": "",
                        "decided_by": "",
                        "decided_on": "",
                        "decision_note": "",
                    }
                )
                if crop:
                    (folder / crop).parent.mkdir(parents=True, exist_ok=True)
                    Image.new("L", (120, 30), 255).save(folder / crop)
        persons.append(
            {
                "person_id": pid,
                "name": name,
                "aliases": f"DOE{p},J" if p % 4 == 0 else "",
                "dob": dob,
                "dobs": dob,
                "cii": f"A{p:08d}",
                "race": race,
                "documents": 1,
                "sources": source,
                "counts": n,
                **tallies,
                "no_felony_left": tallies["felonies_before"] > 0 and tallies["felonies_after"] == 0,
                "no_conviction_left": tallies["convictions"] > 0 and tallies["convictions_after"] == 0,
                "links": "",
                "identity_conflicts": "",
            }
        )
    counts.sort(key=lambda r: (r["person_id"], r["count_id"]))
    review.sort(key=lambda r: (r["person_id"], r["count_id"]))

    def text(value):
        return ("true" if value else "false") if isinstance(value, bool) else str(value)

    def write(stem: str, rows: list[dict], columns: list[str], parquet_types: dict | None) -> None:
        with open(folder / f"{stem}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([text(r[c]) for c in columns] for r in rows)
        if parquet_types is not None:
            fields = [(c, parquet_types.get(c, pa.string())) for c in columns]
            arrays = [pa.array([r[c] if c in parquet_types else text(r[c]) for r in rows], t) for c, t in fields]
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), folder / f"{stem}.parquet")

    write(
        "counts", counts, list(COUNTS), {"marijuana": pa.bool_(), "attempted": pa.bool_(), "confidence": pa.float64()}
    )
    write(
        "people",
        persons,
        PEOPLE_COLUMNS,
        {
            **{c: pa.int64() for c, (t, _) in PEOPLE.items() if t == "Int64"},
            "no_felony_left": pa.bool_(),
            "no_conviction_left": pa.bool_(),
        },
    )
    write("review", review, list(REVIEW), None)
    write(
        "errors",
        [{"path": "docs/doc-99999.scan.pdf", "page": "2", "reason": "page image is blank"}],
        list(ERRORS),
        None,
    )
    (folder / "decisions.csv").write_text("count_id,relief,decided_by,decided_on,note\n", encoding="utf-8")
    (folder / "run.json").write_text(
        json.dumps(
            {
                "docmine_version": "0.1.0",
                "policy": "statute",
                "policy_sha256": "0" * 64,
                "as_of": "2024-01-01",
                "inputs": [],
                "counts": len(counts),
                "people": len(persons),
                "problems": [],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return folder


AS_OF = "2024-01-01"


def synthetic_inputs(root: Path) -> list[Path]:
    """A small synthetic DOJ bulk file and the text-layer PDFs of a few synthetic documents
    (RAP sheets, dockets, one paper that is no record), made once per test session."""
    from docmine.synth.corpus import generate
    from docmine.synth.doj import write_doj_file

    done = root / "inputs.done"
    if not done.exists():
        root.mkdir(parents=True, exist_ok=True)
        write_doj_file(root / "doj_bulk.csv", rows=1500, seed=3)
        generate(6, 11, root / "corpus", formats=("pdf",), workers=1)
        done.write_text("ok")
    return [root / "doj_bulk.csv", *sorted((root / "corpus" / "docs").glob("*.pdf"))]


def real_results(tmp_path_factory) -> Path:
    """RESULTS written by the real `docmine check` command over `synthetic_inputs`, once per session."""
    import subprocess
    import sys

    base = tmp_path_factory.getbasetemp() / "docmine-real-run"
    folder = base / "RESULTS"
    if not (folder / "run.json").is_file():
        inputs = synthetic_inputs(base / "inputs")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "docmine",
                "check",
                *map(str, inputs),
                "--policy",
                "statute",
                "--as-of",
                AS_OF,
                "--out",
                str(folder),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> Path:
    return real_results(tmp_path_factory)


@pytest.fixture(scope="module")
def schema_results(tmp_path_factory) -> Path:
    return write_schema_results(tmp_path_factory.mktemp("results") / "RESULTS")


def test_load_results_types_every_column(schema_results):
    import pandas as pd

    import docmine

    results = docmine.load_results(schema_results)
    assert list(results.counts.columns) == list(COUNTS)
    assert list(results.people.columns) == PEOPLE_COLUMNS
    assert list(results.review.columns) == list(REVIEW)
    assert list(results.errors.columns) == list(ERRORS)
    for table in ("counts", "people", "review", "errors"):
        frame = getattr(results, table)
        for column in frame.columns:
            assert str(frame[column].dtype) == DATA_DICTIONARY[table][column][0], (table, column)
    counts = results.counts
    assert pd.api.types.is_datetime64_any_dtype(counts["conviction_date"])
    # An unconvicted count has no conviction date: missing, not an empty string.
    assert counts.loc[counts["disposition"] == "dismissed", "conviction_date"].isna().all()
    assert counts.loc[counts["disposition"] == "convicted", "conviction_date"].notna().all()
    assert results.people["no_felony_left"].dtype == "boolean"
    assert (results.people["felonies_after"] <= results.people["felonies_before"]).all()
    assert results.errors.loc[0, "page"] == 2
    assert results.run["policy"] == "statute"
    # CSV is read the same way as Parquet.
    for parquet in schema_results.glob("*.parquet"):
        parquet.rename(parquet.with_suffix(".parquet.bak"))
    try:
        from_csv = docmine.load_results(schema_results)
    finally:
        for backup in schema_results.glob("*.parquet.bak"):
            backup.rename(backup.with_suffix(""))
    pd.testing.assert_frame_equal(from_csv.counts, counts)
    pd.testing.assert_frame_equal(from_csv.people, results.people)


def test_dictionary_matches_a_real_results_folder(real_run):
    """The columns `docmine check` writes are exactly the dictionary's, in order, with its types."""
    import pyarrow.parquet as pq

    import docmine

    assert pq.read_schema(real_run / "counts.parquet").names == list(COUNTS) + list(
        DOJ
    )  # a DOJ input: its columns follow
    assert pq.read_schema(real_run / "people.parquet").names == PEOPLE_COLUMNS
    for stem, columns in (("review", REVIEW), ("errors", ERRORS)):
        with open(real_run / f"{stem}.csv", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == list(columns), stem
    results = docmine.load_results(real_run)
    for table in ("counts", "people", "review", "errors"):
        frame = getattr(results, table)
        assert [str(frame[c].dtype) for c in frame.columns] == [DATA_DICTIONARY[table][c][0] for c in frame.columns], (
            table
        )
    counts, people = results.counts, results.people
    assert set(counts["source"]) == {"doj", "rap_sheet", "docket"}
    assert counts.loc[counts["source"] == "doj", "page"].isna().all()
    assert counts.loc[counts["source"] != "doj", "page"].ge(1).all()
    convicted = counts["disposition"].isin(("convicted", "sustained"))
    assert counts.loc[convicted, "conviction_date"].notna().mean() > 0.9
    assert counts["as_of"].eq(pd_timestamp(AS_OF)).all()
    # people's tallies are the counts' tallies
    per_person = counts[convicted].groupby("person_id").size()
    assert people.set_index("person_id")["convictions"].reindex(per_person.index).tolist() == per_person.tolist()
    assert int(people["no_felony_left"].sum()) == int(
        ((people["felonies_before"] > 0) & (people["felonies_after"] == 0)).sum()
    )
    assert results.run["policy"] == "statute" and len(results.run["inputs"]) == 7


def pd_timestamp(text: str):
    import pandas as pd

    return pd.Timestamp(text)


def test_process_runs_what_check_runs(real_run, tmp_path_factory):
    """`docmine.process` over the same inputs gives the same DataFrames as the `docmine check` command."""
    import pandas as pd

    import docmine

    inputs = synthetic_inputs(tmp_path_factory.getbasetemp() / "docmine-real-run" / "inputs")
    results = docmine.process(
        [str(p) for p in inputs], policy="statute", as_of=AS_OF, out=tmp_path_factory.mktemp("process") / "RESULTS"
    )
    expected = docmine.load_results(real_run)
    assert (results.path / "run.json").is_file() and results.path != expected.path
    for table in ("counts", "people", "review", "errors"):
        pd.testing.assert_frame_equal(getattr(results, table), getattr(expected, table))
    assert results.run["relief"] == expected.run["relief"]
    # Another policy gives another result, into a temporary folder by default.
    other = docmine.process(inputs[:1], policy="san-francisco", as_of=__import__("datetime").date(2024, 1, 1))
    try:
        assert (
            other.run["policy"] == "san-francisco"
            and other.path.is_dir()
            and other.path.name.startswith("docmine-results-")
        )
        assert (other.counts["final_relief"] != "").sum() < (expected.counts["final_relief"] != "").sum()
    finally:
        shutil.rmtree(other.path)


def test_process_bad_input_is_one_line_error(tmp_path):
    import docmine
    from docmine.errors import DocmineError

    with pytest.raises(DocmineError) as info:
        docmine.process([tmp_path / "missing.csv"], out=tmp_path / "R")
    assert "missing.csv" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(DocmineError, match="no input files"):
        docmine.process([])


def test_load_results_user_mistakes_are_one_line_errors(tmp_path):
    from docmine.api import load_results
    from docmine.errors import DocmineError

    with pytest.raises(DocmineError, match="no such results folder"):
        load_results(tmp_path / "missing")
    with pytest.raises(DocmineError, match="not a results folder"):
        load_results(tmp_path)
    (tmp_path / "counts.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DocmineError, match=r"counts\.parquet: cannot be read") as info:
        load_results(tmp_path)
    assert "\n" not in str(info.value)


def test_data_dictionary_is_documented():
    """Every column has a type and a meaning, and docs/data-dictionary.md is the dictionary as generated."""
    from docmine.api import data_dictionary_markdown

    for table, columns in DATA_DICTIONARY.items():
        for name, (kind, meaning) in columns.items():
            assert kind in ("string", "datetime64[ns]", "boolean", "Int64", "float64"), (table, name)
            assert meaning.strip(), (table, name)
    assert len(DOJ) == 95
    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-dictionary.md").read_text("utf-8")
    assert doc == data_dictionary_markdown(), "regenerate: python -m docmine.api > docs/data-dictionary.md"
    assert "| `no_felony_left` | boolean |" in doc and "`RACE_DESCR`" in doc


def test_import_docmine_stays_light():
    import subprocess
    import sys

    code = "import sys, docmine; assert 'pandas' not in sys.modules; assert callable(docmine.process); print('ok')"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "ok"
    )
