"""The results folder (issue #7), written the same way by `check`, `batch` and `report`'s inputs.

    summary = build(inputs, out_dir, policy, as_of, errors=errors)

`inputs` are `InputFile`s: DOJ bulk CSVs and counts JSON Lines as given, and documents
(PDFs, images, text) whose counts were already extracted into a counts JSON Lines file
(`counts_path`); `errors` are the inputs (or pages) that could not be read. See the README's
"Results folder" section for every file and column.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputFile:
    path: str  # the file as the user named it (an archive member: "archive.zip!inner/path.pdf")
    sha256: str
    kind: str  # "doj" | "counts" | "document"
    counts_path: str | None = None  # documents: the counts JSON Lines extracted from it
    pages: int = 0
    doc_type: str = ""  # documents: rap_sheet | docket | other | unrecognized


@dataclass(frozen=True)
class InputError:
    path: str
    reason: str
    page: int | None = None  # None: the whole file
