"""A table written as CSV and Parquet side by side, streamed in batches, each file atomically.

Parquet gets real types (bool, int64, float64) where `columns` says so; CSV gets `cell`'s
text. Nothing in either file depends on the clock, so the same rows give the same bytes."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from docmine.results.columns import BOOL, FLOAT, INT, cell
from docmine.results.files import atomic_path

BATCH = 20_000


def _arrow_type(kind: str):
    import pyarrow as pa

    return {BOOL: pa.bool_(), INT: pa.int64(), FLOAT: pa.float64()}.get(kind, pa.string())


class TableWriter:
    """`with TableWriter(out_dir, "counts", columns) as t: t.write(row)` -> counts.csv, counts.parquet."""

    def __init__(self, out_dir: Path, stem: str, columns: Sequence[tuple[str, str]]):
        self.out_dir, self.stem, self.columns = out_dir, stem, tuple(columns)
        self.rows = 0

    def __enter__(self) -> "TableWriter":
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._csv_ctx = atomic_path(self.out_dir / f"{self.stem}.csv")
        self._pq_ctx = atomic_path(self.out_dir / f"{self.stem}.parquet")
        self._handle = open(self._csv_ctx.__enter__(), "w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow([name for name, _ in self.columns])
        self._schema = pa.schema([(name, _arrow_type(kind)) for name, kind in self.columns])
        self._parquet = pq.ParquetWriter(self._pq_ctx.__enter__(), self._schema, compression="zstd")
        self._batch: list[Sequence] = []
        return self

    def write(self, row: Sequence) -> None:
        self._writer.writerow([v if type(v) is str else cell(v) for v in row])
        self._batch.append(row)
        self.rows += 1
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._batch:
            return
        arrays = [
            pa.array([None if v == "" and kind != "string" else v for v in col], _arrow_type(kind))
            for (_, kind), col in zip(self.columns, zip(*self._batch))
        ]
        self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._batch.clear()

    def __exit__(self, kind, value, tb) -> None:
        failed = kind is not None
        try:
            if not failed:
                self._flush()
        finally:
            self._handle.close()
            self._parquet.close()
            exc = (kind, value, tb) if failed else (None, None, None)
            self._csv_ctx.__exit__(*exc)
            self._pq_ctx.__exit__(*exc)
