"""What `build` is given: the inputs read (`InputFile`) and those that could not be (`InputError`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputFile:
    path: str  # the file as the user named it (an archive member: "archive.zip!inner/path.pdf")
    sha256: str
    kind: str  # "doj" | "counts" | "document"
    counts_path: str | None = (
        None  # documents: the counts JSON Lines extracted from it; doj/counts: a readable copy (zip member)
    )
    pages: int = 0
    doc_type: str = ""  # documents: rap_sheet | docket | other | unrecognized


@dataclass(frozen=True)
class InputError:
    path: str
    reason: str
    page: int | None = None  # None: the whole file
