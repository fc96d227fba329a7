"""The results folder (issue #7): `docmine check` on a small scanned archive, the hand-review loop
(decisions surviving re-runs), the court motion exhibits, determinism, and user mistakes.

The archive is synthetic (`docmine.synth`): two RAP sheets (a text-layer PDF and a plain-text
file), a docket page as a PNG scan (OCR), a letter that is not a record, and a broken PDF."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest
from PIL import Image

from docmine import cli
from docmine.contract import read_counts, sha256_file
from docmine.eligibility.policy import load_policy
from docmine.errors import DocmineError
from docmine.results import InputFile, build, prepare_inputs
from docmine.results.columns import COUNT_COLUMNS, DECISION_COLUMNS, MOTION_RELIEFS, PEOPLE_COLUMNS, REVIEW_COLUMNS
from docmine.results.motions import RELIEF_WORDS, court_slug

AS_OF = "2024-01-01"
FILES = (
    "counts.csv",
    "counts.parquet",
    "people.csv",
    "people.parquet",
    "review.csv",
    "decisions.csv",
    "errors.csv",
    "run.json",
)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The results a run writes; `.docmine/` is its working state (counts extracted from the
    documents, what was read and from where), which names the folder's own files."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != ".docmine"
    }


def _check(inputs: list[Path], out: Path, *extra: str, policy: str = "statute", as_of: str = AS_OF) -> int:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["check", *map(str, inputs), "--policy", policy, "--as-of", as_of, "--out", str(out), *extra])
    return exit_.value.code


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    from docmine.synth.corpus import plan, write_document

    root = tmp_path_factory.mktemp("corpus")
    (root / "docs").mkdir()
    (root / "truth").mkdir()
    kinds = plan(9, 3)  # the documents `docmine synth --n 9 --seed 3` writes; only those used here
    for index, formats in ((1, ("pdf",)), (3, ("pdf",)), (7, ("pdf",)), (9, ("pdf", "png"))):
        write_document(index, *kinds[index - 1], 3, root, "light", formats)
    return root


@pytest.fixture(scope="session")
def archive(corpus, tmp_path_factory, tesseract) -> list[Path]:
    folder = tmp_path_factory.mktemp("archive")
    docs = corpus / "docs"
    letter = shutil.copy(docs / "doc-00001.pdf", folder / "letter.pdf")  # not a record: no counts
    rap = shutil.copy(docs / "doc-00003.pdf", folder / "rap-3.pdf")  # text layer; a hand-review count
    scan = shutil.copy(docs / "doc-00009-p001.png", folder / "docket-9.png")  # OCR'd
    pages = json.loads((corpus / "truth" / "doc-00007.pages.json").read_text("utf-8"))["pages"]
    text = folder / "rap-7.txt"  # a RAP sheet as DOJ sends it: plain text, pages split by form feeds
    text.write_text("\f".join(p["text"] for p in pages), encoding="utf-8")
    broken = folder / "broken.pdf"
    broken.write_bytes((docs / "doc-00007.pdf").read_bytes()[:300])
    return [Path(p) for p in (letter, rap, scan, text, broken)]


@pytest.fixture(scope="session")
def prepared(archive, tmp_path_factory) -> tuple[list, list]:
    """The archive extracted once (what `check` does first), for runs of `build` alone."""
    inputs, errors = prepare_inputs(archive, tmp_path_factory.mktemp("work"))
    return inputs, errors


def _rerun(prepared, out: Path) -> dict:
    inputs, errors = prepared
    return build(inputs, out, load_policy("statute"), date.fromisoformat(AS_OF), errors=errors)


@pytest.fixture(scope="session")
def checked(archive, tmp_path_factory) -> tuple[Path, str]:
    """`docmine check` over the archive: the results folder and what it printed."""
    out = tmp_path_factory.mktemp("checked") / "results"
    import io

    from rich.console import Console

    capture = pytest.MonkeyPatch()
    buffer = io.StringIO()
    capture.setattr(cli, "out", Console(file=buffer, width=120))
    try:
        assert _check(archive, out) == 0
    finally:
        capture.undo()
    return out, buffer.getvalue()


# --- docmine check on a scanned archive --------------------------------------------------


def test_check_writes_the_whole_folder_from_documents(checked, archive, corpus):
    out, printed = checked
    for name in FILES:
        assert (out / name).is_file(), name
    assert list((out / "motions").glob("*.pdf"))
    counts = _rows(out / "counts.csv")
    assert list(counts[0])[: len(COUNT_COLUMNS)] == [name for name, _ in COUNT_COLUMNS]
    assert "SUBJECT_ID" not in counts[0]  # no DOJ input, no DOJ columns
    # The text-layer RAP sheet is read exactly: every count of its truth, under the same ids.
    truth = {c.count_id for c in read_counts(corpus / "truth" / "doc-00003.counts.jsonl")}
    rap = str(archive[1])
    assert {r["count_id"] for r in counts if r["document"] == rap} == truth
    assert {r["document_sha256"] for r in counts if r["document"] == rap} == {sha256_file(archive[1])}
    # The OCR'd docket and the plain-text RAP sheet give counts too, with their sources.
    by_doc = {r["document"]: r["source"] for r in counts}
    assert by_doc[str(archive[2])] == "docket" and by_doc[str(archive[3])] == "rap_sheet"
    assert [(r["person_id"], r["count_id"]) for r in counts] == sorted((r["person_id"], r["count_id"]) for r in counts)
    assert pq.read_table(out / "counts.parquet").num_rows == len(counts)
    table = pq.read_table(out / "counts.parquet")
    assert (
        str(table.schema.field("marijuana").type) == "bool" and str(table.schema.field("confidence").type) == "double"
    )
    assert str(table.schema.field("page").type) == "int64"

    errors = _rows(out / "errors.csv")
    assert [e["path"] for e in errors] == [str(archive[4])] and errors[0]["reason"]

    run = json.loads((out / "run.json").read_text())
    assert run["policy"] == "statute" and run["policy_sha256"] == load_policy("statute").sha256
    assert run["as_of"] == AS_OF and run["docmine_version"] and run["model"]["name"]
    inputs = {i["path"]: i for i in run["inputs"]}
    assert set(inputs) == {str(p) for p in archive[:4]}
    assert inputs[str(archive[0])]["doc_type"] == "other" and inputs[str(archive[1])]["pages"] == 6
    assert all(i["sha256"] == sha256_file(i["path"]) for i in run["inputs"])
    assert run["counts"] == len(counts) and run["errors"] == 1

    people = _rows(out / "people.csv")
    assert list(people[0]) == [name for name, _ in PEOPLE_COLUMNS]
    assert {p["person_id"] for p in people} == {r["person_id"] for r in counts}
    assert sum(int(p["counts"]) for p in people) == len(counts)
    # The printed summary is the folder's: people, counts, reliefs, review, errors.
    for label, value in (
        ("people", len(people)),
        ("counts read", len(counts)),
        ("errors.csv", 1),
        ("review.csv", run["review"]),
    ):
        line = next(l for l in printed.splitlines() if label in l)
        assert line.rstrip(" │|").split()[-1] == str(value), line


def test_review_rows_name_the_doubt_and_crop_the_page(checked, archive):
    out, _ = checked
    review = _rows(out / "review.csv")
    assert review and list(review[0]) == list(REVIEW_COLUMNS)
    counts = {r["count_id"]: r for r in _rows(out / "counts.csv")}
    assert {r["count_id"] for r in review} == {k for k, r in counts.items() if r["final_relief"] == "hand_review"}
    row = review[0]
    assert row["doubt"] and "=" in row["doubt"] and row["reason"] == counts[row["count_id"]]["reason"]
    assert row["text"] and row["page"].isdigit() and row["relief"] == "hand_review"
    assert all(row[k] == "" for k in ("decided_relief", "decided_by", "decided_on", "decision_note"))
    crop = out / row["crop"]
    assert row["crop"] == f"review/crops/{row['count_id']}.png" and crop.is_file()
    with Image.open(crop) as image:  # the page's width at 150 dpi, a band of it high
        assert image.width == round(612 * 150 / 72) and 100 < image.height < 1000
        assert image.getextrema()[0] < 100  # there is print on it


# --- determinism ---------------------------------------------------------------------------


def test_a_rerun_writes_byte_identical_files(checked, prepared, tmp_path):
    """The archive extracted again (OCR included) and written to another folder: the same bytes."""
    out, _ = checked
    again = tmp_path / "results"
    _rerun(prepared, again)
    assert _snapshot(again) == _snapshot(out)
    _rerun(prepared, again)  # and over its own folder
    assert _snapshot(again) == _snapshot(out)


# --- the hand-review loop ------------------------------------------------------------------


def test_a_decision_is_applied_and_survives_reruns(checked, prepared, archive, tmp_path):
    first, _ = checked
    out = tmp_path / "results"
    shutil.copytree(first, out)
    target = _rows(out / "review.csv")[0]["count_id"]
    decisions = out / "decisions.csv"
    assert decisions.read_text() == ",".join(DECISION_COLUMNS) + "\n"
    decisions.write_text(
        decisions.read_text() + f"{target},dismiss_and_seal,A. Reviewer,2024-02-01,"
        '"registration is 290(c)? no: a drug registration, checked on the page"\n'
    )
    kept = decisions.read_bytes()
    for rerun in range(2):  # the inputs processed again, twice (the second time from the documents)
        if rerun:
            assert _check(archive, out) == 0
        else:
            _rerun(prepared, out)
        assert decisions.read_bytes() == kept
        row = next(r for r in _rows(out / "counts.csv") if r["count_id"] == target)
        assert (row["relief"], row["decided_relief"], row["final_relief"]) == (
            "hand_review",
            "dismiss_and_seal",
            "dismiss_and_seal",
        )
        assert row["decided_by"] == "A. Reviewer" and row["decided_on"] == "2024-02-01"
        assert "drug registration" in row["decision_note"]
        assert target not in {r["count_id"] for r in _rows(out / "review.csv")}
        assert not (out / "review" / "crops" / f"{target}.png").exists()
        run = json.loads((out / "run.json").read_text())
        assert run["decisions"]["applied"] == 1 and run["decisions"]["orphaned"] == []
        person = next(p for p in _rows(out / "people.csv") if p["person_id"] == row["person_id"])
        assert int(person["hand_review"]) == 0 and int(person["dismissed_and_sealed"]) >= 1
        motions = "".join(_pdf_text(p) for p in (out / "motions").glob("*.pdf"))
        assert row["case_number"] in motions


def test_a_decision_typed_into_review_csv_is_kept(checked, prepared, tmp_path):
    first, _ = checked
    out = tmp_path / "results"
    shutil.copytree(first, out)
    rows = _rows(out / "review.csv")
    rows[0].update(
        decided_relief="not_eligible",
        decided_by="B. Reviewer",
        decided_on="2024-03-01",
        decision_note="a PC 290(c) registration",
    )
    with open(out / "review.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, REVIEW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _rerun(prepared, out)  # review.csv is rewritten; the decision moved to decisions.csv
    kept = _rows(out / "decisions.csv")
    assert kept == [
        {
            "count_id": rows[0]["count_id"],
            "relief": "not_eligible",
            "decided_by": "B. Reviewer",
            "decided_on": "2024-03-01",
            "note": "a PC 290(c) registration",
        }
    ]
    assert json.loads((out / "run.json").read_text())["decisions"]["imported_from_review"] == [rows[0]["count_id"]]
    row = next(r for r in _rows(out / "counts.csv") if r["count_id"] == rows[0]["count_id"])
    assert row["final_relief"] == "not_eligible"


def test_an_orphan_decision_is_kept_and_reported(cfa_fixtures, tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    text = ",".join(DECISION_COLUMNS) + "\nno-such-count,dismiss_and_seal,C. Reviewer,2024-01-05,\n"
    (out / "decisions.csv").write_text(text)
    run = build([_doj(cfa_fixtures)], out, load_policy("statute"), date(2019, 11, 11))
    assert run["decisions"] == {"applied": 0, "orphaned": ["no-such-count"], "imported_from_review": []}
    assert (out / "decisions.csv").read_text() == text


@pytest.mark.parametrize(
    "line, message",
    [
        ("X1,dismissed,A. Reviewer,2024-01-05,", "unknown relief 'dismissed'"),
        ("X1,dismiss_and_seal,A. Reviewer,2024-13-05,", "not a date"),
        ("X1,dismiss_and_seal,,2024-01-05,", "no decided_by"),
    ],
)
def test_a_bad_decision_is_a_one_line_error_naming_file_and_line(cfa_fixtures, tmp_path, capsys, line, message):
    out = tmp_path / "results"
    out.mkdir()
    (out / "decisions.csv").write_text(
        ",".join(DECISION_COLUMNS) + "\nX0,not_eligible,A. Reviewer,2024-01-05,ok\n" + line + "\n"
    )
    with pytest.raises(DocmineError, match=f"decisions.csv: line 3: .*{message}"):
        build([_doj(cfa_fixtures)], out, load_policy("statute"), date(2019, 11, 11))
    code = _check([cfa_fixtures / "gogen" / "configurable_flow_input.csv"], out, as_of="2019-11-11")
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and "line 3" in err and len(err.splitlines()) == 1


# --- DOJ input and the motion exhibits -----------------------------------------------------


def _doj(cfa_fixtures) -> InputFile:
    path = cfa_fixtures / "gogen" / "configurable_flow_input.csv"
    return InputFile(str(path), sha256_file(path), "doj")


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def doj_results(cfa_fixtures, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("doj") / "results"
    build([_doj(cfa_fixtures)], out, load_policy("statute"), date(2019, 11, 11))
    return out


def test_doj_counts_carry_their_columns_and_no_crops(doj_results):
    counts = _rows(doj_results / "counts.csv")
    assert all(r["SUBJECT_ID"] and r["CNT_ORDER"] and r["source"] == "doj" and r["page"] == "" for r in counts)
    review = _rows(doj_results / "review.csv")
    assert review and all(r["crop"] == "" and r["text"] for r in review)
    assert not (doj_results / "review" / "crops").exists() or not list((doj_results / "review" / "crops").iterdir())


def test_one_motion_exhibit_per_court_with_rows_sorted(doj_results, cfa_fixtures, tmp_path):
    counts = _rows(doj_results / "counts.csv")
    asked = [r for r in counts if r["final_relief"] in MOTION_RELIEFS]
    courts = {court_slug(r["court"]) for r in asked}
    files = sorted((doj_results / "motions").glob("*.pdf"))
    assert len(courts) > 1 and [f.stem for f in files] == sorted(courts)
    policy = load_policy("statute")
    for pdf in files:
        mine = [r for r in asked if court_slug(r["court"]) == pdf.stem]
        text = _pdf_text(pdf)
        assert "EXHIBIT A" in text and mine[0]["court"] in text and "statute" in text and "2019-11-11" in text
        assert policy.sha256[:12] in text
        lines = [line for line in text.splitlines() if any(w in line for w in RELIEF_WORDS.values())]
        assert len(lines) == len(mine)
        expected = sorted(
            mine,
            key=lambda r: (
                r["case_number"] == "",
                r["case_number"],
                r["name"],
                r["dob"],
                r["conviction_date"],
                r["charge"],
                r["count_id"],
            ),
        )
        for line, row in zip(lines, expected):
            assert row["name"] in line and row["dob"] in line and row["charge"] in line
            assert row["conviction_date"] in line and RELIEF_WORDS[row["final_relief"]] in line
    # The same inputs again: the same bytes (fixed creation date and producer).
    again = tmp_path / "again"
    build([_doj(cfa_fixtures)], again, policy, date(2019, 11, 11))
    assert _snapshot(again / "motions") == _snapshot(doj_results / "motions")
    assert _snapshot(again) == _snapshot(doj_results)


def test_motion_rows_sort_by_case_number_then_name(tmp_path):
    from docmine.results.motions import MotionRow, write_motions

    rows = [
        MotionRow("CASC YOLO", case, name, "1970-01-01", "HS 11357", "1990-01-01", "dismiss_and_seal", f"c{i}")
        for i, (case, name) in enumerate([("F200", "ADAMS,A"), ("", "BAKER,B"), ("F100", "ZED,Z"), ("F100", "CRUZ,C")])
    ]
    rows.append(
        MotionRow("CAMC DAVIS", "M1", "DOE,J", "1970-01-01", "HS 11360", "1990-01-01", "redesignate_misdemeanor", "c9")
    )
    policy = load_policy("statute")
    assert write_motions(tmp_path, rows, policy, date(2024, 1, 1)) == [
        "motions/camc-davis.pdf",
        "motions/casc-yolo.pdf",
    ]
    text = _pdf_text(tmp_path / "casc-yolo.pdf")
    order = [text.index(n) for n in ("CRUZ,C", "ZED,Z", "ADAMS,A", "BAKER,B")]
    assert order == sorted(order)
    assert "DOE,J" not in text and "DOE,J" in _pdf_text(tmp_path / "camc-davis.pdf")
    pdf = pdfium.PdfDocument(tmp_path / "casc-yolo.pdf")
    assert pdf[0].get_size()[0] > pdf[0].get_size()[1]  # landscape
    assert pdf.get_metadata_dict()["CreationDate"].startswith("D:20240101")
    pdf.close()
    # A court with no count any more loses its exhibit.
    write_motions(tmp_path, rows[:4], policy, date(2024, 1, 1))
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["casc-yolo.pdf"]


def test_a_crop_of_a_scanned_page_image(prepared, tmp_path):
    """Boxes of an OCR'd PNG are in points at the image's resolution: the crop is that band of it."""
    from docmine.results.crops import DPI, MARGIN_PT, crop_page

    inputs, _ = prepared
    scan = next(i for i in inputs if i.path.endswith(".png"))
    count = next(c for c in read_counts(scan.counts_path) if c.provenance.get("charge") and c.provenance["charge"].box)
    where = count.provenance["charge"]
    target = tmp_path / "crop.png"
    assert crop_page(scan.path, where.page, where.box, target)
    with Image.open(scan.path) as page, Image.open(target) as crop:
        scale = page.info["dpi"][0] / 72.0
        assert crop.width == page.width
        assert abs(crop.height - (where.box[3] - where.box[1] + 2 * MARGIN_PT) * scale) <= 2
        top = int((where.box[1] - MARGIN_PT) * scale)
        band = page.convert("L").crop((0, top, page.width, top + crop.height))
        assert band.tobytes() == crop.tobytes()  # the very pixels of the page
    assert DPI and not crop_page(str(tmp_path / "missing.pdf"), 1, where.box, tmp_path / "none.png")


def test_reading_ahead_hands_over_every_batch_in_order_and_the_readers_error():
    """Parquet files are written while the CSV is parsed a few blocks ahead in another thread:
    nothing is lost or reordered, a parse error reaches the writer, and a writer that stops
    early does not leave the reader waiting."""
    from docmine.results.tables import _read_ahead

    assert list(_read_ahead(iter(range(50)))) == list(range(50))

    def broken():
        yield 1
        yield 2
        raise ValueError("CSV parse error: row 3")

    got = []
    with pytest.raises(ValueError, match="row 3"):
        for batch in _read_ahead(broken()):
            got.append(batch)
    assert got == [1, 2]

    for batch in _read_ahead(iter(range(10_000))):
        if batch == 3:
            break  # the generator's close stops and joins the reader
    import threading

    assert not [t for t in threading.enumerate() if t.name == "csv-read-ahead"]
