"""The results folder (issue #7), written the same way by `check` and `batch`, read by `report`.

    inputs, errors = prepare_inputs(paths, out_dir / ".work")   # documents extracted to counts
    summary = build(inputs, out_dir, policy, as_of, errors=errors)

`inputs` are `InputFile`s: DOJ bulk CSVs and counts JSON Lines as given, and documents
(PDFs, images, text) whose counts were already extracted into a counts JSON Lines file
(`counts_path`); `errors` are the inputs (or pages) that could not be read. See the README's
"The results folder" section for every file and column. Modules: `check` (what `docmine check` runs), `inputs`, `prepare` (sniff
and extract), `build` (the run), `rows` (counts.csv), `people_rows`, `review` + `crops`
(review.csv and its page crops), `decisions` (decisions.csv), `motions` (court exhibits),
`columns`, `tables` + `files` (atomic CSV/Parquet/JSON writing), `summary` (the printed table).
"""

from __future__ import annotations

from docmine.results.inputs import InputError, InputFile
from docmine.results.build import build
from docmine.results.prepare import prepare_inputs
from docmine.results.check import check_to_folder

__all__ = ["InputError", "InputFile", "build", "check_to_folder", "prepare_inputs"]
