"""A table written as CSV and Parquet side by side, each file atomically, in flat memory.

Rows come in groups (a person's counts), each with a sort key; the CSV is written as they come
and, if they did not come in key order, rewritten in key order at the end from the groups'
offsets (an out-of-core sort: only the keys and offsets are held in memory). The Parquet file
is then read from the finished CSV by Arrow's streaming CSV reader and written in row groups,
with real types (bool, int64, float64) where `columns` says so: no row is ever held twice.
Nothing in either file depends on the clock or on how the work was split, so the same rows
give the same bytes."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from pathlib import Path
from typing import Iterator, Sequence

from docmine.results.columns import BOOL, FLOAT, INT, cell
from docmine.results.files import atomic_path
from docmine.results.rows import RowText

BLOCK_BYTES = 8 << 20  # CSV read per Parquet row group


def _arrow_type(kind: str):
    import pyarrow as pa

    return {BOOL: pa.bool_(), INT: pa.int64(), FLOAT: pa.float64()}.get(kind, pa.string())


def _key_text(key) -> str:
    """A group's sort key as one string that sorts as the key does: a tuple's parts joined by
    NUL, which sorts before any character of theirs."""
    return "\x00".join(key) if isinstance(key, tuple) else str(key)


class _Index:
    """The groups' keys and byte ranges, in SQLite on disk (the sort of a county-scale table
    needs no memory of its own): `add`, then `ordered()` by key, then arrival."""

    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False)  # finished in a thread of its own
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE g (arrival INTEGER PRIMARY KEY, key TEXT, start INTEGER, length INTEGER)")
        self._pending: list[tuple] = []
        self.count = 0

    def add(self, key: str, start: int, length: int) -> None:
        self._pending.append((self.count, key, start, length))
        self.count += 1
        if len(self._pending) >= 10_000:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO g VALUES (?, ?, ?, ?)", self._pending)
        self._pending.clear()

    def ordered(self) -> Iterator[tuple[int, int]]:
        self._flush()
        yield from self._db.execute("SELECT start, length FROM g ORDER BY key, arrival")

    def close(self) -> None:
        self._db.close()
        self.path.unlink(missing_ok=True)


def _has_breaks(text: str, rows: int) -> bool:
    """Whether CSV text of `rows` rows has a line break inside a value (record text may)."""
    return text.count("\n") != rows or "\r" in text


def _render(writer, buffer: io.StringIO, rows: Sequence[Sequence], cut: int) -> None:
    """Rows as CSV text: `cell` writes the values before `cut`, the rest are text already. A
    row that ends in a `RowText` has the rest as CSV text already, appended as it is."""
    write = writer.writerow
    for row in rows:
        head = [v if type(v) is str else cell(v) for v in row[:cut]]
        tail = row[cut:]
        if len(tail) == 1 and type(tail[0]) is RowText:
            write(head)
            buffer.seek(buffer.tell() - 1)  # over the line end just written
            buffer.write(f",{tail[0]}\n")
            continue
        head += tail
        write(head)


class TableWriter:
    """`with TableWriter(out_dir, "counts", columns) as t: t.write_group(key, rows)` ->
    counts.csv and counts.parquet, rows in key order (groups with equal keys in arrival order)."""

    def __init__(self, out_dir: Path, stem: str, columns: Sequence[tuple[str, str]], *, text_tail: int = 0):
        """`text_tail`: how many last columns always hold text already (a DOJ row's), written as given."""
        self.out_dir, self.stem, self.columns = out_dir, stem, tuple(columns)
        self._cut = len(self.columns) - text_tail
        self.rows = 0

    def __enter__(self) -> "TableWriter":
        self._csv_ctx = atomic_path(self.out_dir / f"{self.stem}.csv")
        self._path = self._csv_ctx.__enter__()
        self._handle = open(self._path, "w", newline="", encoding="utf-8")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._writer.writerow([name for name, _ in self.columns])
        self._offset = 0
        self._breaks = False  # a value with a line break in it: Arrow must then read quotes to cut blocks
        self._header_len = self._flush_text() + self._offset
        self._index = _Index(self._path.with_name(self._path.name + ".index"))
        self._in_order, self._last = True, None
        return self

    def _flush_text(self, rows: int = 1) -> int:
        text = self._buffer.getvalue()
        self._breaks = self._breaks or _has_breaks(text, rows)
        self._buffer.seek(0)
        self._buffer.truncate()
        data = text.encode("utf-8")
        self._handle.write(text)
        start = self._offset
        self._offset += len(data)
        return start

    def write_group(self, key, rows: Sequence[Sequence]) -> None:
        _render(self._writer, self._buffer, rows, self._cut)
        self.rows += len(rows)
        start = self._flush_text(len(rows))
        key = _key_text(key)
        if self._last is not None and key < self._last:
            self._in_order = False
        self._last = key
        self._index.add(_key_text(key), start, self._offset - start)

    def write(self, row: Sequence) -> None:
        """One row as a group of its own, keyed by its first cell."""
        self.write_group(row[0], [row])

    def append_part(self, part: "PartWriter") -> None:
        """The groups another process wrote (`PartWriter`), in their order, after those here."""
        self._handle.flush()
        with open(part.path, "r", encoding="utf-8", newline="") as source:
            while block := source.read(1 << 20):
                self._handle.write(block)
        with open(part.index_path, encoding="utf-8", newline="") as index:
            for line in index:
                key, start, length = line.rstrip("\n").rsplit("\t", 2)
                if self._last is not None and key < self._last:
                    self._in_order = False
                self._last = key
                self._index.add(key, self._offset + int(start), int(length))
        self._offset += part.size
        self.rows += part.rows
        self._breaks = self._breaks or part.breaks

    def __exit__(self, kind, value, tb) -> None:
        failed = kind is not None
        exc = (kind, value, tb) if failed else (None, None, None)
        try:
            self._handle.close()
            if not failed:
                self.finish()
        except BaseException:
            self._index.close()
            self._csv_ctx.__exit__(*exc)
            raise
        self._index.close()
        self._csv_ctx.__exit__(*exc)

    def finish(self) -> None:
        """The CSV in key order, then the Parquet file (Arrow works outside the GIL, so two
        tables can finish at once, each in a thread)."""
        if getattr(self, "_finished", False):
            return
        self._handle.close()
        if not self._in_order:
            self._sort()
        self._parquet()
        self._finished = True

    def _sort(self) -> None:
        """Rewrite the CSV with its groups in key order, reading each group back by offset."""
        order = self._index.ordered()
        sorted_path = self._path.with_name(self._path.name + ".sorted")
        try:
            with open(self._path, "rb") as source, open(sorted_path, "wb") as target:
                target.write(source.read(self._header_len))
                for start, length in order:
                    source.seek(start)
                    target.write(source.read(length))
            os.replace(sorted_path, self._path)
        finally:
            if sorted_path.exists():
                sorted_path.unlink()

    def _parquet(self) -> None:
        """Arrow parses CSV blocks in one thread while this one encodes and compresses the blocks
        before them into row groups (both let go of the GIL): at county scale this halves the
        time of parsing then writing in turn (1M rows: 3.9 s against 7.3 s), the same bytes."""
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        schema = pa.schema([(name, _arrow_type(kind)) for name, kind in self.columns])
        reader = pacsv.open_csv(
            self._path,
            read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=self._breaks),
            convert_options=pacsv.ConvertOptions(
                column_types=schema,
                null_values=[""],
                strings_can_be_null=False,
                true_values=["true"],
                false_values=["false"],
            ),
        )
        with atomic_path(self.out_dir / f"{self.stem}.parquet") as target:
            with pq.ParquetWriter(target, schema, compression="zstd") as writer:
                wrote = False
                for batch in _read_ahead(reader):
                    writer.write_table(pa.Table.from_batches([batch], schema=schema))
                    wrote = True
                if not wrote:
                    writer.write_table(schema.empty_table())


def _read_ahead(reader, depth: int = 2) -> Iterator:
    """`reader`'s batches, read in a thread of their own at most `depth` ahead of the consumer."""
    import queue
    import threading

    done = object()
    batches: queue.Queue = queue.Queue(maxsize=depth)
    failed: list[BaseException] = []
    stop = threading.Event()

    def hand_over(item) -> bool:
        """Queue `item` once there is room; False when the consumer has stopped."""
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in reader:
                if not hand_over(batch):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            failed.append(exc)
        finally:
            hand_over(done)

    thread = threading.Thread(target=read, name="csv-read-ahead", daemon=True)
    thread.start()
    try:
        while (batch := batches.get()) is not done:
            yield batch
        if failed:
            raise failed[0]
    finally:
        stop.set()
        thread.join()


class PartWriter:
    """A worker's share of a table: its rows as CSV text (no header) in a file of its own, and
    the groups' keys and offsets, for `TableWriter.append_part` to take in order."""

    def __init__(self, path: Path, columns: Sequence[tuple[str, str]], *, text_tail: int = 0):
        self.path, self.rows, self.size, self.breaks = Path(path), 0, 0, False
        self.index_path = self.path.with_name(self.path.name + ".index")
        self._index = open(self.index_path, "w", encoding="utf-8", newline="")
        self._cut = len(tuple(columns)) - text_tail
        self._handle = open(self.path, "w", encoding="utf-8", newline="")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def write_group(self, key, rows: Sequence[Sequence]) -> None:
        _render(self._writer, self._buffer, rows, self._cut)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        self._handle.write(text)
        self.breaks = self.breaks or _has_breaks(text, len(rows))
        length = len(text.encode("utf-8"))
        self._index.write(f"{_key_text(key)}\t{self.size}\t{length}\n")
        self.size += length
        self.rows += len(rows)

    def close(self) -> None:
        self._handle.close()
        self._index.close()

    def __getstate__(self) -> dict:  # sent back to the parent: no open file
        return {"path": self.path, "index_path": self.index_path, "rows": self.rows, "size": self.size,
                "breaks": self.breaks}  # fmt: skip

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
