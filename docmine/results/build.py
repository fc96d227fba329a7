"""`build(inputs, out_dir, policy, as_of)`: the results folder, the same for `check` and `batch`.

    read every input -> link people across inputs -> merge a person's sources -> decide each
    count -> apply the reviewers' decisions -> write counts, people, review (with crops),
    motions, errors and run.json

Every file is written atomically and sorted, with nothing from the clock in it, so the same
inputs (and decisions) give byte-identical files. decisions.csv is the one input kept in the
folder; a run never loses what is in it (`decisions.py`)."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from docmine.eligibility.check import Problem, Tally, evaluate_history, read_histories
from docmine.eligibility.doj import Part
from docmine.eligibility.decision import Relief
from docmine.eligibility.model import History
from docmine.eligibility.policy import Policy
from docmine.errors import DocmineError
from docmine.people import identity
from docmine.results import corrections, crops, motions, review
from docmine.results.columns import ERROR_COLUMNS, MOTION_RELIEFS, PEOPLE_COLUMNS, REVIEW_COLUMNS, cell, count_columns
from docmine.results.decisions import corrections_of, keep_decisions
from docmine.results.files import write_csv, write_json
from docmine.results.inputs import InputError, InputFile
from docmine.results.people_rows import person_row
from docmine.results.rows import DojLayout, Where, count_row, document_of, person_fields
from docmine.reference.doj_layout import HEADER as DOJ_HEADER
from docmine.results.spill import Spill
from docmine.results.tables import PartWriter, TableWriter


# What was read, and from where (the review desk reads the people again from it to re-decide).
INPUTS_FILE = ".docmine/inputs.json"


class _NotStreamable(Exception):
    """A DOJ subject seen twice (its rows split in the file, or in two files): the people must be
    linked as a whole, so the run starts again in memory."""


def _path_of(item: InputFile) -> str:
    if item.kind == "document":
        return item.counts_path
    if item.kind in ("doj", "counts"):
        return item.counts_path or item.path  # batch: a copy of an archive member, read in place of `path`
    raise DocmineError(f"{item.path}: unknown input kind {item.kind!r}")


def _histories(item: InputFile, tally: Tally, part: Part | None = None) -> Iterator[History]:
    """One input's people as its reader groups them; problems name the input, not the file read."""
    path = _path_of(item)
    before = len(tally.problems)
    yield from read_histories(path, tally, name=item.path if item.kind == "doj" else None, part=part)
    if path != item.path:
        tally.problems[before:] = [Problem(item.path, p.line, p.message) for p in tally.problems[before:]]


def _where(item: InputFile) -> Where:
    return Where(item, DojLayout.of(_path_of(item)) if item.kind == "doj" else None)


def linked_people(inputs: Sequence[InputFile], tally: Tally) -> Iterator[tuple[History, Callable]]:
    """Every input read, people linked across all of them, in person order."""
    from docmine import people

    histories: list[History] = []
    by_id: dict[int, Where] = {}
    by_key: dict[tuple, Where] = {}
    for item in inputs:
        if item.kind == "document" and not item.counts_path:
            continue  # a document with no counts (another kind of paper): in run.json only
        where = _where(item)
        for history in _histories(item, tally):
            histories.append(history)
            for c in history.counts:
                by_id[id(c)] = where
                by_key[(c.document, c.key)] = where
    merged = [people.merge_sources(h) for h in people.link(histories)]
    for h in merged:
        h.counts.sort(key=lambda c: (c.key, c.document, c.lines))
    merged.sort(key=lambda h: (h.key, h.counts[0].key if h.counts else ""))

    def where_of(c) -> Where | None:
        return by_id.get(id(c)) or by_key.get((c.document, c.key))

    for person in merged:
        yield person, where_of


def _streamed(item: InputFile, part: Part | None, tally: Tally, seen: set[str]) -> Iterator[tuple[History, Callable]]:
    """A DOJ file (or a share of one): two DOJ subjects are never the same person (`people.link`),
    so each subject is linked, decided and written as it is read, and nothing of it is kept after."""
    from docmine import people

    where = _where(item)
    for history in _histories(item, tally, part):
        if history.key in seen:
            raise _NotStreamable(history.key)
        seen.add(history.key)
        for person in people.link([history]):
            person = people.merge_sources(person)
            person.counts.sort(key=lambda c: (c.key, c.document, c.lines))
            yield person, lambda c, where=where: where


@dataclass
class _Tallies:
    """What deciding people gives besides their rows; one per worker, added up in order."""

    relief: dict[str, int] = field(default_factory=dict)
    final: dict[str, int] = field(default_factory=dict)
    applied: set[str] = field(default_factory=set)
    spill: Spill | None = None  # where review rows and motion rows wait (on disk)
    problems: list[Problem] = field(default_factory=list)
    counts: int = 0
    rows: int = 0  # DOJ rows of the counts written
    merged: int = 0
    people: int = 0

    def add(self, other: "_Tallies") -> None:
        for mine, theirs in ((self.relief, other.relief), (self.final, other.final)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v
        self.applied |= other.applied
        self.spill.take(other.spill.path)
        self.problems += other.problems
        self.counts += other.counts
        self.rows += other.rows
        self.merged += other.merged
        self.people += other.people


@dataclass(frozen=True)
class _Job:
    """What deciding needs, the same for every person."""

    out_dir: Path
    policy: Policy
    as_of: date
    decisions: dict
    with_doj: bool


def _decide(persons: Iterable[tuple[History, Callable]], job: _Job, counts_table, people_table, t: _Tallies,
            progress: Callable[[int, int], None] | None = None, cropping: "_Cropping | None" = None) -> None:  # fmt: skip
    """Decide each person's counts and write their rows; add what it gives to `t`. Review crops
    go to `cropping` (rows with crops reach `t.spill` when it is closed); None: done here."""
    fixes = corrections_of(job.decisions)
    with _Cropping(t.spill) if cropping is None else nullcontext(cropping) as cropping:
        for history, where_of in corrections.applied(persons, fixes) if fixes else persons:
            _decide_person(history, where_of, job, counts_table, people_table, t, cropping)
            if progress is not None:
                progress(t.rows, t.counts)


def _decide_person(
    history, where_of, job: _Job, counts_table, people_table, t: _Tallies, cropping: "_Cropping"
) -> None:
    """One person's counts decided, their rows written, what it gives added to `t`."""
    policy, as_of, when = job.policy, job.as_of, job.as_of.isoformat()
    results = {
        id(r.count): r for r in identity.recheck(history, evaluate_history(history, policy, as_of), policy, as_of)
    }
    final: dict[str, str] = {}
    rows = []
    for c in history.counts:
        where = where_of(c)
        result = results.get(id(c))
        decision = job.decisions.get(c.key)
        if decision is not None:
            t.applied.add(c.key)
        person = person_fields(c, where)
        rows.append(
            count_row(c, history, result, decision, where, policy.name, policy.sha256, when, job.with_doj, person)
        )
        t.merged += len(getattr(c, "merged", ()))
        relief = result.relief.value if result is not None else ""
        final_relief = decision.relief if decision is not None else relief
        final[c.key] = final_relief
        if relief:
            t.relief[relief] = t.relief.get(relief, 0) + 1
        if final_relief:
            t.final[final_relief] = t.final.get(final_relief, 0) + 1
        if final_relief == Relief.HAND_REVIEW.value and result is not None:
            row, crop = _review_row(job.out_dir, history.key, c, result, where, person)
            if crop is None:
                t.spill.review(row)
            else:
                cropping.add(row, crop)
        if final_relief in MOTION_RELIEFS:
            t.spill.motion(_motion_row(c, history, person, final_relief))
    counts_table.write_group((history.key, history.counts[0].key if history.counts else ""), rows)
    people_table.write_group(str(history.key), [person_row(history, final)])
    t.counts += len(rows)
    t.rows += sum(len(c.lines) for c in history.counts)
    t.people += 1


def build(
    inputs: Sequence[InputFile],
    out_dir: Path,
    policy: Policy,
    as_of: date,
    *,
    errors: Sequence[InputError] = (),
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
) -> dict:
    """Write the results folder for `inputs` under `policy` on `as_of`; return run.json's content.
    `progress(rows, counts)` is told the DOJ rows and the counts written so far. With DOJ files only, `workers`
    processes decide shares of them at once; the files written are the same whatever the number."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    decisions, imported = keep_decisions(out_dir)
    job = _Job(out_dir, policy, as_of, decisions, any(i.kind == "doj" for i in inputs))
    crop_dir = out_dir / "review" / "crops"
    if crop_dir.is_dir():  # crops of counts no longer in review go
        shutil.rmtree(crop_dir)
    if inputs and all(i.kind == "doj" for i in inputs):
        try:
            return _build(inputs, job, imported, errors, progress, workers)
        except _NotStreamable:
            pass
    return _build(inputs, job, imported, errors, progress, 0)


def _build(inputs, job: _Job, imported, errors, progress, workers: int) -> dict:
    """`workers` 0: in memory, people linked across every input; 1 or more: DOJ files streamed."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix=".docmine-run-", dir=job.out_dir) as tmp:
        t = _Tallies(spill=Spill(Path(tmp) / "spill.sqlite"))
        try:
            return _write(inputs, job, imported, errors, progress, workers, t)
        finally:
            t.spill.close()


def _write(inputs, job: _Job, imported, errors, progress, workers: int, t: _Tallies) -> dict:
    tally = Tally()
    tail = len(DOJ_HEADER) if job.with_doj else 0
    # Crops of scanned pages are cut while the tables are finished and the exhibits drawn.
    with _Cropping(t.spill) as cropping:
        with (
            TableWriter(job.out_dir, "counts", count_columns(job.with_doj), text_tail=tail) as counts_table,
            TableWriter(job.out_dir, "people", PEOPLE_COLUMNS) as people_table,
        ):
            if workers == 0:
                _decide(linked_people(inputs, tally), job, counts_table, people_table, t, progress, cropping)
            elif workers == 1:
                seen: set[str] = set()
                for item in inputs:
                    _decide(_streamed(item, None, tally, seen), job, counts_table, people_table, t, progress, cropping)
            else:
                for share in _in_parallel(inputs, job, workers, progress):
                    counts_part, people_part, part_tallies = share
                    counts_table.append_part(counts_part)
                    people_table.append_part(people_part)
                    t.add(part_tallies)
            _finish_together(counts_table, people_table)
        tally.problems += t.problems
        motion_files = motions.write_motions(
            job.out_dir / "motions", t.spill.motions(), job.policy, job.as_of, workers=max(workers, 1)
        )

    review_count = t.spill.review_count()
    write_csv(job.out_dir / "review.csv", REVIEW_COLUMNS, t.spill.reviews())

    error_rows = sorted(
        ((e.path, "" if e.page is None else e.page, e.reason) for e in errors),
        key=lambda r: (r[0], -1 if r[1] == "" else r[1], r[2]),
    )
    write_csv(job.out_dir / "errors.csv", ERROR_COLUMNS, [[cell(v) for v in r] for r in error_rows])

    orphans = sorted(k for k in job.decisions if k not in t.applied)
    summary = _run_json(
        inputs, job.policy, job.as_of.isoformat(), t.counts, t.merged, t.people, t.relief, t.final,
        review_count, len(t.applied), orphans, imported, tally, motion_files, len(error_rows),
    )  # fmt: skip
    write_json(job.out_dir / "run.json", summary)
    write_json(job.out_dir / INPUTS_FILE, _inputs_json(inputs, job.out_dir))
    return summary


def _inputs_json(inputs: Sequence[InputFile], out_dir: Path) -> dict:
    """What was read, for reading it again (`review.redecide`): each input as `InputFile`, with the
    file read made absolute, or relative to the results folder when it lies inside it (counts
    extracted from documents, copies of archive members), so the same run into another folder
    writes the same bytes."""
    root = Path(out_dir).resolve()
    entries = []
    for i in sorted(inputs, key=lambda i: (i.path, i.sha256)):
        entry = asdict(i)
        # the input itself, absolute (an archive member: the archive, then `!member`)
        archive, bang, member = i.path.partition("!")
        entry["file"] = str(Path(archive).resolve()) + bang + member
        read = i.counts_path or (i.path if i.kind != "document" else None)
        if read is not None:
            full = Path(read).resolve()
            entry["counts_path"] = str(full.relative_to(root)) if full.is_relative_to(root) else str(full)
        entries.append(entry)
    return {"inputs": entries}


def _finish_together(*tables: TableWriter) -> None:
    """Sort and convert the tables at once, one thread each."""
    with ThreadPoolExecutor(len(tables)) as pool:
        for done in [pool.submit(table.finish) for table in tables]:
            done.result()


# What the forked workers read: set before the pool starts, so nothing large is pickled.
_SHARED: dict = {}


def _in_parallel(inputs, job: _Job, workers: int, progress) -> Iterator[tuple]:
    """Each DOJ file cut into shares at subject boundaries (`doj.parts`), decided by `workers`
    forked processes, handed back in file order. A subject in two shares means the run is
    redone in memory (`_NotStreamable`)."""
    import multiprocessing
    import tempfile
    from concurrent.futures import ProcessPoolExecutor, wait

    from docmine.eligibility.doj import parts

    shares = [(item, part) for item in inputs for part in parts(_path_of(item), workers)]
    context = multiprocessing.get_context("fork")
    done = context.Array("q", 2)  # rows, counts
    with tempfile.TemporaryDirectory(prefix=".docmine-parts-", dir=job.out_dir) as tmp:
        _SHARED.update(job=job, shares=shares, tmp=Path(tmp), done=done)
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = [pool.submit(_decide_share, k) for k in range(len(shares))]
                while progress is not None and not all(f.done() for f in futures):
                    wait(futures, timeout=0.25)
                    progress(done[0], done[1])
                seen: set[str] = set()
                for future in futures:
                    counts_part, people_part, part_tallies, keys = future.result()
                    if seen & keys:
                        raise _NotStreamable(min(seen & keys))
                    seen |= keys
                    yield counts_part, people_part, part_tallies
        finally:
            _SHARED.clear()


def _decide_share(k: int) -> tuple:
    """In a worker: decide share `k` into part files of its own."""
    job, (item, part), tmp, done = _SHARED["job"], _SHARED["shares"][k], _SHARED["tmp"], _SHARED["done"]
    tail = len(DOJ_HEADER) if job.with_doj else 0
    counts_part = PartWriter(tmp / f"counts.{k}.csv", count_columns(job.with_doj), text_tail=tail)
    people_part = PartWriter(tmp / f"people.{k}.csv", PEOPLE_COLUMNS)
    t, tally, seen = _Tallies(spill=Spill(tmp / f"spill.{k}.sqlite")), Tally(), set()
    last = [0, 0]

    def progress(rows: int, counts: int) -> None:
        with done.get_lock():
            done[0] += rows - last[0]
            done[1] += counts - last[1]
        last[:] = [rows, counts]

    try:
        _decide(_streamed(item, part, tally, seen), job, counts_part, people_part, t, progress)
    finally:
        counts_part.close()
        people_part.close()
        t.spill.close()
    t.problems += tally.problems
    return counts_part, people_part, t, seen


def _motion_row(c, history: History, person: dict, final_relief: str) -> motions.MotionRow:
    return motions.MotionRow(
        court=person["court"] or (c.county or ""), case_number=person["case_number"],
        name=person["name"] or (history.name or ""), dob=person["dob"],
        charge=c.charge.canonical if c.charge else c.charge_text,
        conviction_date=c.date.isoformat() if c.date else "", relief=final_relief, count_id=c.key,
    )  # fmt: skip


def _review_row(
    out_dir: Path, person_id: str, c, result, where: Where | None, person: dict
) -> tuple[list, tuple | None]:
    """One review.csv row, and the crop of the page where the doubtful words are (documents) to
    cut: (document, page, box, file); its column is filled in once it is written (`_Cropping`)."""
    document, _ = document_of(c, where)
    layout = where.doj if where is not None else None
    doubt = review.doubt_of(result, layout.get if layout is not None else None)
    crop = None
    if where is not None and where.input.kind == "document" and doubt.page is not None:
        crop = (where.input.path, doubt.page, doubt.box, out_dir / "review" / "crops" / f"{_safe(c.key)}.png")
    row = [
        c.key, person_id, person["name"], person["dob"], person["case_number"], person["court"],
        c.charge.canonical if c.charge else "", c.charge_text, result.decision.reasoning,
        review.doubt_text(doubt.facts), document, cell(doubt.page), doubt.text, "", result.relief.value,
        "", "", "", "",
    ]  # fmt: skip
    return row, crop


class _Cropping:
    """Review crops cut in threads while deciding goes on (decoding a scan's page is most of a
    crop's time, and OpenCV does it without the GIL); each row is spilled once its crop is
    written, with the crop's path, or none where the page could not be cut."""

    _CROP = REVIEW_COLUMNS.index("crop")
    _WAITING = 32  # rows held at most: memory stays flat

    def __init__(self, spill: Spill):
        self.spill, self.pool, self.waiting = spill, None, []

    def __enter__(self) -> "_Cropping":
        return self

    def add(self, row: list, crop: tuple) -> None:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="crop")
        self.waiting.append((row, crop[3], self.pool.submit(crops.crop_page, *crop)))
        while len(self.waiting) > self._WAITING or (self.waiting and self.waiting[0][2].done()):
            self._spill_first()

    def _spill_first(self) -> None:
        row, target, done = self.waiting.pop(0)
        if done.result():
            row[self._CROP] = f"review/crops/{target.name}"
        self.spill.review(row)

    def __exit__(self, *exc) -> None:
        try:
            while self.waiting:
                self._spill_first()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)


def _safe(key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)


def model_version() -> dict:
    """The shipped entity model's name and version (its meta.json); {} when there is none."""
    try:
        from docmine.nlp.model import default_model_dir

        meta = json.loads((default_model_dir() / "model" / "meta.json").read_text("utf-8"))
    except (OSError, ValueError, DocmineError):
        return {}
    return {"name": meta.get("name", ""), "version": meta.get("version", "")}


def _run_json(
    inputs,
    policy: Policy,
    when: str,
    counts_read: int,
    merged: int,
    people: int,
    relief: dict,
    final: dict,
    review_count: int,
    applied: int,
    orphans: list[str],
    imported: list[str],
    tally: Tally,
    motion_files: list[str],
    errors: int,
) -> dict:
    from docmine import __version__

    return {
        "docmine_version": __version__,
        "model": model_version(),
        "policy": policy.name,
        "policy_file": policy.path,
        "policy_sha256": policy.sha256,
        "as_of": when,
        "inputs": [
            {"path": i.path, "sha256": i.sha256, "kind": i.kind, "pages": i.pages, "doc_type": i.doc_type}
            for i in sorted(inputs, key=lambda i: (i.path, i.sha256))
        ],
        "counts": counts_read,
        "counts_merged": merged,  # counts another source also told, folded into one row (people.merge_sources)
        "people": people,
        "counts_decided": sum(relief.values()),
        "relief": dict(sorted(relief.items())),
        "final_relief": dict(sorted(final.items())),
        "review": review_count,
        "decisions": {"applied": applied, "orphaned": orphans, "imported_from_review": sorted(imported)},
        "motions": motion_files,
        "errors": errors,
        "problems": [str(p) for p in sorted(tally.problems, key=lambda p: (p.path, p.line, p.message))],
    }
