"""A batch in two phases over one archive, resumable through the manifest.

Phase 1 reads every document (in parallel: `docmine.batch.pool`) and keeps its counts as
RESULTS/.docmine/counts/<sha256>.jsonl (the output contract). Phase 2 links people across
the whole archive and decides relief over all their records at once (a disqualifying prior
may sit in another file), writing the results folder with `docmine.results.build`.
Inputs go to phase 2 sorted by content hash, so the results do not depend on the number
of workers or on the order documents finished in.
"""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from docmine.batch.manifest import Manifest, RunInfo
from docmine.batch.walk import Entry, Problem, open_member, walk
from docmine.batch.work import Outcome, Task
from docmine.errors import DocmineError
from docmine.results.files import atomic_path

STATE_DIR = ".docmine"
MANIFEST = "manifest.sqlite"
# Files passed to phase 2 as they are (no extraction), told apart by their first line.
PASS_THROUGH_SUFFIXES = (".csv", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Options:
    workers: int = 1
    scheduler: str | None = None  # tcp://host:port of a Dask scheduler
    timeout: float = 600.0  # seconds per document
    memory_mb: int = 4096  # address space per local worker
    use_model: bool = True
    recycle_after: int = 1000  # documents per local worker process before a fresh one
    recycle_rss_mb: float = 1536.0  # ... or sooner, once its resident memory passes this


@dataclass
class Summary:
    """What a batch did: this run's work and the archive's totals."""

    archive: str
    out_dir: str
    policy: str
    policy_sha256: str
    as_of: str
    entries: int = 0  # files and zip members found (with what could not be read)
    documents: int = 0  # distinct contents
    duplicates: int = 0  # files whose content was seen under another path
    resumed: int = 0  # documents already done by an earlier run
    read_now: int = 0  # documents read by this run
    pages_now: int = 0
    pages: int = 0
    counts: int = 0
    failures: int = 0  # rows of errors.csv
    seconds: float = 0.0
    reading_seconds: float = 0.0  # phase 1
    warnings: list[str] = field(default_factory=list)
    results: Any = None  # what docmine.results.build returned

    @property
    def pages_per_second(self) -> float:
        return self.pages_now / self.seconds if self.seconds > 0 else 0.0

    @property
    def deciding_seconds(self) -> float:
        return self.seconds - self.reading_seconds


class Events:
    """Progress callbacks (the command line draws a progress bar from them); silent here."""

    def started(self, total: int) -> None: ...

    def item(self, *, pages: int = 0, failed: bool = False, done_before: bool = False) -> None: ...

    def phase(self, name: str) -> None: ...

    def warn(self, text: str) -> None: ...

    def finished(self) -> None: ...


def state_dir(out_dir: str | Path) -> Path:
    return Path(out_dir) / STATE_DIR


def manifest_path(out_dir: str | Path) -> Path:
    return state_dir(out_dir) / MANIFEST


def run_batch(
    archive: str | Path,
    out_dir: str | Path,
    policy: str,
    *,
    as_of: str | None = None,
    options: Options = Options(),
    events: Events | None = None,
) -> Summary:
    """Read a whole archive, then write the results folder; resumes where a run stopped."""
    from docmine import __version__
    from docmine.eligibility.policy import load_policy

    events = events or Events()
    archive, out_dir = Path(archive), Path(out_dir)
    if not archive.exists() and not archive.is_symlink():
        raise DocmineError(f"{archive}: no such file or folder")
    loaded = load_policy(policy)
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise DocmineError(f"--as-of {as_of!r}: not a date (YYYY-MM-DD)") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    (state_dir(out_dir) / "counts").mkdir(parents=True, exist_ok=True)
    (state_dir(out_dir) / "inputs").mkdir(parents=True, exist_ok=True)
    lock = _lock(out_dir)
    _remove_parts(state_dir(out_dir))
    manifest = Manifest.open(manifest_path(out_dir))
    try:
        asked = RunInfo(
            str(archive), loaded.name, loaded.path, loaded.sha256, as_of or date.today().isoformat(),
            options.use_model, __version__,
        )  # fmt: skip
        warnings = _check_resume(manifest.run(), asked, as_of, out_dir)
        first = manifest.start(asked)
        summary = Summary(str(archive), str(out_dir), first.policy, first.policy_sha256, first.as_of, warnings=warnings)
        for warning in warnings:
            events.warn(warning)
        started = time.perf_counter()
        events.phase("reading")
        _phase1(archive, out_dir, manifest, options, events, summary)
        summary.reading_seconds = time.perf_counter() - started
        events.phase("deciding")
        summary.results = _phase2(out_dir, manifest, loaded, first.as_of, summary, options.workers)
        summary.seconds = time.perf_counter() - started
        tally = manifest.tally(this_run=True)
        summary.documents = sum(tally.get(s, 0) for s in ("done", "error", "pending"))
        summary.pages, summary.counts = tally["pages"], tally["counts"]
        events.finished()
        return summary
    finally:
        manifest.close()
        lock.close()


def _lock(out_dir: Path):
    """An exclusive lock on RESULTS for the run (two batches writing one folder would mix)."""
    import fcntl

    handle = open(state_dir(out_dir) / "lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise DocmineError(f"{out_dir}: another docmine batch is writing this results folder") from None
    return handle


def _check_resume(first: RunInfo | None, asked: RunInfo, as_of: str | None, out_dir: Path) -> list[str]:
    """What a resumed run keeps from the first: refused where results would mix, else warnings."""
    if first is None:
        return []
    if first.policy_sha256 != asked.policy_sha256:
        raise DocmineError(
            f"{out_dir}: this results folder was started with policy {first.policy} "
            f"(sha256 {first.policy_sha256[:12]}); resume it with the same policy, or give a new --out"
        )
    if first.use_model != asked.use_model:
        raise DocmineError(
            f"{out_dir}: this results folder was started "
            f"{'with' if first.use_model else 'without'} the entity model; resume it the same way"
        )
    warnings = []
    if as_of is not None and as_of != first.as_of:
        warnings.append(
            f"resuming a batch started as of {first.as_of}: --as-of {as_of} is ignored "
            "(give a new --out to decide as of another date)"
        )
    if first.archive != asked.archive:
        warnings.append(f"this results folder was started on {first.archive}, not {asked.archive}")
    return warnings


def _remove_parts(state: Path) -> None:
    """Temporary files a killed run left behind (never read: only renamed files count)."""
    for folder in (state / "counts", state / "inputs"):
        for part in folder.glob("*.part"):
            part.unlink(missing_ok=True)


# --- phase 1 ---------------------------------------------------------------------------------


def _phase1(
    archive: Path, out_dir: Path, manifest: Manifest, options: Options, events: Events, summary: Summary
) -> None:
    from docmine.batch.pool import DaskPool, LocalPool
    from docmine.batch.walk import count

    skip = (str(out_dir),)
    pool: Any = None

    def open_pool() -> Any:
        if options.scheduler:
            return DaskPool(options.scheduler, timeout=options.timeout)
        return LocalPool(
            options.workers, timeout=options.timeout, memory_mb=options.memory_mb, use_model=options.use_model,
            recycle_after=options.recycle_after, recycle_rss_mb=options.recycle_rss_mb,
            log_path=str(state_dir(out_dir) / "workers.log"),
        )  # fmt: skip

    problems: list[tuple[str, str]] = []
    queued: set[str] = set()  # documents in flight

    def finish(outcome: Outcome) -> None:
        _record(out_dir, manifest, outcome)
        queued.discard(outcome.sha256)  # only documents in flight are held: memory stays flat
        summary.read_now += 1
        summary.pages_now += outcome.pages
        events.item(
            pages=outcome.pages, failed=outcome.status != "done" or any(r[2] == "error" for r in outcome.page_rows)
        )

    try:
        tally = manifest.tally()
        if tally.get("pending", 0) or not any(tally.get(s, 0) for s in ("done", "error")):
            pool = open_pool()  # a first or unfinished run: workers warm up while the archive is walked
            pool.start()
        events.started(count(archive, skip=skip))
        for item in walk(archive, skip=skip):
            summary.entries += 1
            if isinstance(item, Problem):
                problems.append((item.display, item.reason))
                events.item(failed=True)
                continue
            try:
                sha256, kind = _identify(item, manifest)
            except (OSError, ValueError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error) as exc:
                problems.append((item.display, f"cannot be read: {exc}"))
                events.item(failed=True)
                continue
            status, first_path = manifest.add_path(sha256, item.display, kind)
            if first_path != item.display:
                summary.duplicates += 1  # the same bytes under another name: read once
            if sha256 in queued:
                events.item()
                continue
            if status != "pending":
                summary.resumed += int(first_path == item.display)
                events.item(done_before=True, failed=status == "error")
                continue
            if kind != "document":
                outcome = _pass_through(item, sha256, kind, state_dir(out_dir))
                _record(out_dir, manifest, outcome)
                events.item(failed=outcome.status != "done")
                continue
            if pool is None:
                pool = open_pool()
            while pool.busy >= pool.capacity:
                for outcome in pool.wait():
                    finish(outcome)
            pool.submit(
                Task(
                    sha256,
                    item.name,
                    item.display,
                    item.path,
                    item.member,
                    timeout=options.timeout,
                    use_model=options.use_model,
                )
            )
            queued.add(sha256)
        while pool is not None and pool.busy:
            for outcome in pool.wait():
                finish(outcome)
    finally:
        if pool is not None:
            pool.close(kill=True)
    manifest.set_problems(problems)


def _identify(entry: Entry, manifest: Manifest) -> tuple[str, str]:
    """The entry's content hash (cached by path, size and time) and kind of input:
    document, doj or counts (a table told apart by its first line), or unknown."""
    table = entry.suffix in PASS_THROUGH_SUFFIXES
    sha256 = manifest.cached_sha256(entry.display, entry.size, entry.mtime_ns)
    head = b""
    with open_member(entry) as handle:
        if sha256 is None:
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                if table and len(head) < _HEAD:
                    head += block[: _HEAD - len(head)]
                digest.update(block)
            sha256 = digest.hexdigest()
            manifest.cache_sha256(entry.display, entry.size, entry.mtime_ns, sha256)
        elif table:
            head = handle.read(_HEAD)
    return sha256, (_table_kind(head, entry.display) if table else "document")


_HEAD = 65536


def _table_kind(head: bytes, name: str) -> str:
    from docmine.errors import DocumentError
    from docmine.ingest.sniff import InputKind, kind_of_head

    try:
        kind = kind_of_head(head, name)
    except DocumentError:
        return "unknown"
    # neither a DOJ file nor counts: reported with its first line by `_pass_through`
    return {InputKind.DOJ: "doj", InputKind.COUNTS: "counts"}.get(kind, "unknown")


def _pass_through(entry: Entry, sha256: str, kind: str, state: Path) -> Outcome:
    """DOJ bulk files and counts files go to phase 2 as they are: a copy under
    .docmine/inputs (a zip member has no path of its own; a copy is also what makes a
    rerun independent of the archive changing)."""
    if kind == "unknown":
        with open_member(entry) as handle:
            head = handle.read(4096).decode("utf-8", "replace")
        first = next((line for line in head.splitlines() if line.strip()), "")
        reason = (
            "empty file" if not first else f"neither counts JSON Lines nor a DOJ bulk CSV (first line: {first[:60]!r})"
        )
        return Outcome(sha256, "error", error=reason)
    target = state / "inputs" / f"{sha256}{'.csv' if kind == 'doj' else '.jsonl'}"
    if not target.exists():
        with atomic_path(target, fsync=True) as part, open_member(entry) as src, open(part, "wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                dst.write(block)
    return Outcome(sha256, "done", doc_type="doj_bulk" if kind == "doj" else "counts")


def _record(out_dir: Path, manifest: Manifest, outcome: Outcome) -> None:
    """Counts file first (atomically), then the manifest row: done means both are there."""
    from docmine.contract import write_counts

    counts_file = ""
    if outcome.status == "done" and outcome.doc_type not in ("doj_bulk", "counts"):
        relative = f"{STATE_DIR}/counts/{outcome.sha256}.jsonl"
        target = out_dir / relative
        with atomic_path(target, fsync=True) as part:
            write_counts(part, outcome.counts)
        counts_file = relative
    elif outcome.status == "done":
        counts_file = f"{STATE_DIR}/inputs/{outcome.sha256}{'.csv' if outcome.doc_type == 'doj_bulk' else '.jsonl'}"
    manifest.finish(
        outcome.sha256, status=outcome.status, doc_type=outcome.doc_type, pages=outcome.pages,
        counts=len(outcome.counts), error=outcome.error, seconds=outcome.seconds, max_rss_mb=outcome.max_rss_mb,
        counts_file=counts_file, page_rows=outcome.page_rows,
    )  # fmt: skip


# --- phase 2 ---------------------------------------------------------------------------------


def inputs_and_errors(out_dir: str | Path, manifest: Manifest) -> tuple[list, list]:
    """What phase 2 reads: `InputFile`s by content hash, `InputError`s sorted."""
    from docmine.results import InputError, InputFile

    out_dir = Path(out_dir)
    inputs, errors = [], []
    for row in manifest.documents(this_run=True):
        if row.status == "done":
            kind = {"doj_bulk": "doj", "counts": "counts"}.get(row.doc_type, "document")
            if kind == "document":
                counts_path = str(out_dir / row.counts_file) if row.counts else None  # no counts: run.json only
                inputs.append(InputFile(row.path, row.sha256, kind, counts_path, row.pages, row.doc_type))
            else:
                # DOJ and counts files are read where they are; a zip member (or a name that is
                # not UTF-8) from the copy phase 1 kept, still named by its path in the archive.
                in_place = "!" not in row.path and os.path.isfile(row.path)
                copy = None if in_place else str(out_dir / row.counts_file)
                inputs.append(InputFile(row.path, row.sha256, kind, copy, 0, ""))
        elif row.status == "error":
            errors.extend(InputError(path, row.error) for path in row.paths)
        else:
            raise DocmineError(f"{row.path}: still pending after phase 1 (a bug: please report it)")
    errors.extend(InputError(path, error, page) for path, page, error in manifest.page_errors())
    errors.extend(InputError(path, reason) for path, reason in manifest.problems())
    errors.sort(key=lambda e: (e.path, e.page or 0, e.reason))
    return inputs, errors


def _phase2(out_dir: Path, manifest: Manifest, policy: Any, as_of: str, summary: Summary, workers: int = 1) -> Any:
    inputs, errors = inputs_and_errors(out_dir, manifest)
    summary.failures = len(errors)
    build = _builder()
    return build(inputs, out_dir, policy, date.fromisoformat(as_of), errors=errors, workers=workers)


def _builder() -> Callable[..., Any]:
    import docmine.results as results

    build = getattr(results, "build", None)
    if build is None:
        raise DocmineError("the results folder writer (docmine.results.build) is not available in this version")
    return build
