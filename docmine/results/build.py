"""`build(inputs, out_dir, policy, as_of)`: the results folder, the same for `check` and `batch`.

    read every input -> link people across inputs -> merge a person's sources -> decide each
    count -> apply the reviewers' decisions -> write counts, people, review (with crops),
    motions, errors and run.json

Every file is written atomically and sorted, with nothing from the clock in it, so the same
inputs (and decisions) give byte-identical files. decisions.csv is the one input kept in the
folder; a run never loses what is in it (`decisions.py`)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, Sequence

from docmine.eligibility.check import Problem, Tally, evaluate_history, read_histories
from docmine.eligibility.decision import Relief
from docmine.eligibility.model import History
from docmine.eligibility.policy import Policy
from docmine.errors import DocmineError
from docmine.people import identity
from docmine.results import crops, motions, review
from docmine.results.columns import ERROR_COLUMNS, MOTION_RELIEFS, PEOPLE_COLUMNS, REVIEW_COLUMNS, cell, count_columns
from docmine.results.decisions import keep_decisions
from docmine.results.files import write_csv, write_json
from docmine.results.inputs import InputError, InputFile
from docmine.results.people_rows import person_row
from docmine.results.rows import DojLayout, Where, count_row, document_of, person_fields
from docmine.reference.doj_layout import HEADER as DOJ_HEADER
from docmine.results.tables import TableWriter


class _NotStreamable(Exception):
    """A DOJ subject seen twice (its rows split in the file, or in two files): the people must be
    linked as a whole, so the run starts again in memory."""


def _path_of(item: InputFile) -> str:
    if item.kind == "document":
        return item.counts_path
    if item.kind in ("doj", "counts"):
        return item.counts_path or item.path  # batch: a copy of an archive member, read in place of `path`
    raise DocmineError(f"{item.path}: unknown input kind {item.kind!r}")


def _histories(item: InputFile, tally: Tally) -> Iterator[History]:
    """One input's people as its reader groups them; problems name the input, not the file read."""
    path = _path_of(item)
    before = len(tally.problems)
    yield from read_histories(path, tally, name=item.path if item.kind == "doj" else None)
    if path != item.path:
        tally.problems[before:] = [Problem(item.path, p.line, p.message) for p in tally.problems[before:]]


def _where(item: InputFile) -> Where:
    return Where(item, DojLayout.of(_path_of(item)) if item.kind == "doj" else None)


def _in_memory(inputs: Sequence[InputFile], tally: Tally) -> Iterator[tuple[History, Callable]]:
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


def _streamed(inputs: Sequence[InputFile], tally: Tally) -> Iterator[tuple[History, Callable]]:
    """DOJ files only: two DOJ subjects are never the same person (`people.link`), so each subject
    is linked, decided and written as it is read, and nothing of it is kept after."""
    from docmine import people

    seen: set[str] = set()
    for item in inputs:
        where = _where(item)
        for history in _histories(item, tally):
            if history.key in seen:
                raise _NotStreamable(history.key)
            seen.add(history.key)
            for person in people.link([history]):
                person = people.merge_sources(person)
                person.counts.sort(key=lambda c: (c.key, c.document, c.lines))
                yield person, lambda c, where=where: where


def build(
    inputs: Sequence[InputFile],
    out_dir: Path,
    policy: Policy,
    as_of: date,
    *,
    errors: Sequence[InputError] = (),
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Write the results folder for `inputs` under `policy` on `as_of`; return run.json's content.
    `progress(counts)` is told the counts written so far, person by person."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    decisions, imported = keep_decisions(out_dir)
    if inputs and all(i.kind == "doj" for i in inputs):
        try:
            return _build(inputs, out_dir, policy, as_of, errors, decisions, imported, _streamed, progress)
        except _NotStreamable:
            pass
    return _build(inputs, out_dir, policy, as_of, errors, decisions, imported, _in_memory, progress)


def _build(inputs, out_dir, policy, as_of, errors, decisions, imported, persons, progress) -> dict:
    tally = Tally()
    with_doj = any(i.kind == "doj" for i in inputs)
    when = as_of.isoformat()

    relief_tally: dict[str, int] = {}
    final_tally: dict[str, int] = {}
    applied: set[str] = set()
    review_items: list[tuple] = []
    motion_rows: list[motions.MotionRow] = []
    counts_read = merged = people = 0
    with (
        TableWriter(
            out_dir, "counts", count_columns(with_doj), text_tail=len(DOJ_HEADER) if with_doj else 0
        ) as counts_table,
        TableWriter(out_dir, "people", PEOPLE_COLUMNS) as people_table,
    ):
        for history, where_of in persons(inputs, tally):
            results = {
                id(r.count): r
                for r in identity.recheck(history, evaluate_history(history, policy, as_of), policy, as_of)
            }
            final: dict[str, str] = {}
            rows = []
            for c in history.counts:
                where = where_of(c)
                result = results.get(id(c))
                decision = decisions.get(c.key)
                if decision is not None:
                    applied.add(c.key)
                person = person_fields(c, where)
                row = count_row(c, history, result, decision, where, policy.name, policy.sha256, when, with_doj, person)
                rows.append(row)
                merged += len(getattr(c, "merged", ()))
                relief = result.relief.value if result is not None else ""
                final_relief = decision.relief if decision is not None else relief
                final[c.key] = final_relief
                if relief:
                    relief_tally[relief] = relief_tally.get(relief, 0) + 1
                if final_relief:
                    final_tally[final_relief] = final_tally.get(final_relief, 0) + 1
                if final_relief == Relief.HAND_REVIEW.value and result is not None:
                    document, _ = document_of(c, where)
                    review_items.append((history.key, c.key, c, result, where, person, document))
                if final_relief in MOTION_RELIEFS:
                    motion_rows.append(_motion_row(c, history, person, final_relief))
            counts_table.write_group((history.key, history.counts[0].key if history.counts else ""), rows)
            counts_read += len(rows)
            people_table.write_group(str(history.key), [person_row(history, final)])
            people += 1
            if progress is not None:
                progress(counts_read)

    review_rows = _review(out_dir, sorted(review_items, key=lambda t: (t[0], t[1])))
    write_csv(out_dir / "review.csv", REVIEW_COLUMNS, review_rows)
    motion_files = motions.write_motions(out_dir / "motions", motion_rows, policy, as_of)

    error_rows = sorted(
        ((e.path, "" if e.page is None else e.page, e.reason) for e in errors),
        key=lambda r: (r[0], -1 if r[1] == "" else r[1], r[2]),
    )
    write_csv(out_dir / "errors.csv", ERROR_COLUMNS, [[cell(v) for v in r] for r in error_rows])

    orphans = sorted(k for k in decisions if k not in applied)
    summary = _run_json(
        inputs, policy, when, counts_read, merged, people, relief_tally, final_tally, len(review_rows),
        len(applied), orphans, imported, tally, motion_files, len(error_rows),
    )  # fmt: skip
    write_json(out_dir / "run.json", summary)
    return summary


def _motion_row(c, history: History, person: dict, final_relief: str) -> motions.MotionRow:
    return motions.MotionRow(
        court=person["court"] or (c.county or ""), case_number=person["case_number"],
        name=person["name"] or (history.name or ""), dob=person["dob"],
        charge=c.charge.canonical if c.charge else c.charge_text,
        conviction_date=c.date.isoformat() if c.date else "", relief=final_relief, count_id=c.key,
    )  # fmt: skip


def _review(out_dir: Path, items: list[tuple]) -> list[list[str]]:
    crop_dir = out_dir / "review" / "crops"
    if crop_dir.is_dir():  # crops of counts no longer in review go
        shutil.rmtree(crop_dir)
    rows = []
    for person_id, key, c, result, where, person, document in items:
        layout = where.doj if where is not None else None
        doubt = review.doubt_of(result, layout.get if layout is not None else None)
        crop = ""
        if where is not None and where.input.kind == "document" and doubt.page is not None:
            name = f"{_safe(key)}.png"
            if crops.crop_page(where.input.path, doubt.page, doubt.box, crop_dir / name):
                crop = f"review/crops/{name}"
        rows.append(
            [
                key,
                person_id,
                person["name"],
                person["dob"],
                person["case_number"],
                person["court"],
                c.charge.canonical if c.charge else "",
                c.charge_text,
                result.decision.reasoning,
                review.doubt_text(doubt.facts),
                document,
                cell(doubt.page),
                doubt.text,
                crop,
                result.relief.value,
                "",
                "",
                "",
                "",
            ]
        )
    return rows


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
