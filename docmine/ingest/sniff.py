"""What a file is, from its first bytes: records arrive misnamed (`scan.pdf` that is a TIFF,
`page1.jpg` that is a PNG), so the extension is never asked.

`kind_of(path)` is the one place that decides what kind of input a file is: a document
(PDF or image), a plain-text record, counts JSON Lines (the output contract) or a DOJ bulk
file. `sniff(path)` gives a document's media type for the readers."""

from __future__ import annotations

import enum
import os

from docmine.errors import DocumentError
from docmine.reference.doj_layout import is_doj_line

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
SUPPORTED = (PDF, PNG, JPEG, TIFF)

# Types that are not read, named so the error says what the file looks like.
_OTHERS = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a RIFF file (WebP image or media)"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 codestream"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (DOC/XLS)"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"\x1f\x8b", "a gzip file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"<?xml", "an XML file"),
    (b"<!DOCTYPE html", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"\x89HDF", "an HDF5 file"),
    (b"II\xbc", "a JPEG XR image"),
)


class InputKind(str, enum.Enum):
    DOCUMENT = "document"  # a PDF or an image
    TEXT = "text"  # a plain-text record (a RAP sheet's .txt)
    COUNTS = "counts"  # counts JSON Lines, the output contract
    DOJ = "doj"  # a DOJ bulk research file (95-column CSV)


_KIND_HEAD = 65536  # bytes read to tell a table's kind from its first line


def kind_of(path: str | os.PathLike) -> InputKind:
    """What kind of input `path` is, from its content; DocumentError for a file that is none."""
    return kind_of_head(_head(path, _KIND_HEAD), path)


def kind_of_head(head: bytes, path: str | os.PathLike) -> InputKind:
    """The kind of input whose first bytes are `head` (an archive member's, say)."""
    try:
        _media_type(head, path)
        return InputKind.DOCUMENT
    except _PlainText:
        pass
    text = head.decode("utf-8", "replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        return InputKind.COUNTS
    if is_doj_line(first):
        return InputKind.DOJ
    return InputKind.TEXT


class _PlainText(Exception):
    pass


def sniff(path: str | os.PathLike) -> str:
    """The media type of a document read from its content; DocumentError for anything else
    (plain text included: `kind_of` tells what such a file is)."""
    head = _head(path, 2048)
    try:
        return _media_type(head, path)
    except _PlainText:
        raise DocumentError(path, "unsupported file type: plain text; docmine reads PDF, PNG, JPEG and TIFF") from None


def _head(path: str | os.PathLike, size: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot be opened: {exc.strerror or exc}") from None


def _media_type(head: bytes, path: str | os.PathLike) -> str:
    if not head:
        raise DocumentError(path, "empty file (0 bytes)")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    # The PDF header may follow some junk (mail gateways add it); readers accept 1 KiB.
    if b"%PDF-" in head[:1024]:
        return PDF
    if not head.strip(b" \t\r\n\x00"):
        raise DocumentError(path, "empty file (only blank bytes)")
    lowered = head[:64].lstrip().lower()
    for magic, name in _OTHERS:
        if head.startswith(magic) or lowered.startswith(magic.lower()):
            raise DocumentError(path, f"unsupported file type: {name}; docmine reads PDF, PNG, JPEG and TIFF")
    if _is_text(head[:2048]):
        raise _PlainText
    raise DocumentError(
        path, f"unsupported file type (starts with {head[:8].hex(' ')}); docmine reads PDF, PNG, JPEG and TIFF"
    )


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
            return False
    return b"\x00" not in head
