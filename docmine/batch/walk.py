"""Every file of an archive, in a fixed order: folders (sorted, symbolic links followed once)
and zip archives (members read in place, never extracted beside the archive).

`walk(archive)` yields an `Entry` per file to read and a `Problem` per thing that cannot be
(a symbolic link loop, a broken link, a zip entry whose path escapes the archive, a corrupt
zip). Paths are shown as `display` strings: the archive path as given joined with the
relative path, zip members as `archive.zip!inner/path.pdf`, and bytes of a file name that
are not UTF-8 written as `\\xNN` escapes (a name read off an old server keeps its bytes on
disk, and the outputs stay valid UTF-8).
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from dataclasses import dataclass
from typing import Iterator

ZIP_SUFFIXES = (".zip",)
# A zip member is read into memory to be hashed and to a temporary file to be read; one
# claiming more than this is refused before either (zip bombs state small sizes too, so
# the read is capped as well).
MAX_MEMBER_BYTES = 2 << 30


@dataclass(frozen=True)
class Entry:
    """One file to read: on disk (`member` None) or a member of the zip at `path`."""

    display: str  # how it is named in every output
    path: str  # the file (or the zip) on disk; os.fsdecode'd, so odd bytes survive
    member: str | None = None
    size: int = 0
    mtime_ns: int = 0

    @property
    def name(self) -> str:
        """The document's own name (what extraction calls it): the last part of `display`."""
        if self.member is not None:
            return display_path(self.member).replace("\\", "/").rsplit("/", 1)[-1]
        return self.display.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.name)[1].lower()


@dataclass(frozen=True)
class Problem:
    """Something in the archive that cannot be read, and why (one line)."""

    display: str
    reason: str


def display_path(path: str | os.PathLike) -> str:
    """A path as readable UTF-8: bytes that are not UTF-8 become `\\xNN`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def walk(archive: str | os.PathLike, *, skip: tuple[str, ...] = ()) -> Iterator[Entry | Problem]:
    """Entries and problems of a folder or zip archive, in a fixed order (sorted by name).

    `skip`: folders never entered (the results folder, when it lies inside the archive).
    """
    root = os.fspath(archive)
    skipped = {os.path.realpath(s) for s in skip}
    if os.path.isdir(root):
        yield from _walk_folder(root, skipped)
    elif os.path.isfile(root):
        yield from _file(root, display_path(root))
    else:
        yield Problem(display_path(root), "no such file or folder")


def count(archive: str | os.PathLike, *, skip: tuple[str, ...] = ()) -> int:
    """How many entries and problems `walk` will yield (for a progress bar's total)."""
    return sum(1 for _ in walk_names(archive, skip=skip))


def walk_names(archive: str | os.PathLike, *, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """`walk` without reading anything but folder listings and zip directories."""
    for item in walk(archive, skip=skip):
        yield item.display


def _walk_folder(root: str, skipped: set[str]) -> Iterator[Entry | Problem]:
    root_real = os.path.realpath(root)
    outside: set[str] = set()  # folders outside the archive reached by links: read once
    problems: list[Problem] = []

    def failed(exc: OSError) -> None:
        problems.append(Problem(display_path(exc.filename or root), f"folder cannot be read: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=failed):
        yield from problems
        problems.clear()
        here = os.path.realpath(folder)
        kept = []
        for d in sorted(dirs):
            full = os.path.join(folder, d)
            target = os.path.realpath(full)
            if target in skipped:
                continue
            if os.path.islink(full):
                if _within(here, target):
                    yield Problem(display_path(full), "symbolic link loop: it points back to a folder that holds it")
                    continue
                if _within(target, root_real) or target in outside:
                    continue  # a second way to a folder that is read under its own path
                outside.add(target)
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            full = os.path.join(folder, name)
            yield from _file(full, display_path(full))
    yield from problems


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _file(full: str, display: str) -> Iterator[Entry | Problem]:
    try:
        st = os.stat(full)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Problem(display, "symbolic link loop: the link never reaches a file")
        elif exc.errno == errno.ENOENT and os.path.islink(full):
            yield Problem(display, f"broken symbolic link: its target {display_path(os.readlink(full))} does not exist")
        else:
            yield Problem(display, f"cannot be read: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield Problem(display, "not a regular file (a device, socket or pipe): not read")
        return
    if display.lower().endswith(ZIP_SUFFIXES) or _is_zip(full):
        yield from _walk_zip(full, display, st.st_mtime_ns)
        return
    yield Entry(display, full, None, st.st_size, st.st_mtime_ns)


def _is_zip(path: str) -> bool:
    """A zip archive without the suffix (files off old systems often have none). DOCX/XLSX
    are zips too but carry their own suffix, and are reported as unsupported by the reader."""
    if os.path.splitext(path)[1]:
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return head in (b"PK\x03\x04", b"PK\x05\x06")


def escapes(member: str) -> bool:
    """Whether a zip member's name would land outside the archive's folder if unpacked."""
    name = member.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in name.split("/"))


def _walk_zip(path: str, display: str, mtime_ns: int) -> Iterator[Entry | Problem]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = sorted(archive.infolist(), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        yield Problem(display, f"corrupt zip archive: {exc}")
        return
    for info in infos:
        if info.is_dir():
            continue
        where = f"{display}!{display_path(info.filename)}"
        if escapes(info.filename):
            yield Problem(where, "path escapes the archive: zip entry refused")
        elif info.flag_bits & 0x1:
            yield Problem(where, "encrypted zip entry: it needs a password")
        elif stat.S_ISLNK(info.external_attr >> 16):
            yield Problem(where, "symbolic link inside the zip archive: not followed")
        elif info.filename.lower().endswith(ZIP_SUFFIXES):
            yield Problem(where, "a zip archive inside a zip archive: not read (unpack it into the archive)")
        elif info.file_size > MAX_MEMBER_BYTES:
            yield Problem(where, f"zip entry of {info.file_size:,} bytes is over the limit of {MAX_MEMBER_BYTES:,}")
        else:
            yield Entry(where, path, info.filename, info.file_size, mtime_ns)


def open_member(entry: Entry):
    """A binary stream of an entry's bytes (the caller closes it)."""
    if entry.member is None:
        return open(entry.path, "rb")
    archive = zipfile.ZipFile(entry.path)
    try:
        handle = archive.open(entry.member)
    except BaseException:
        archive.close()
        raise
    return _Member(archive, handle)


class _Member:
    """A zip member's stream that closes its archive with it, and stops at the size cap."""

    def __init__(self, archive: zipfile.ZipFile, handle):
        self.archive, self.handle, self.read_bytes = archive, handle, 0

    def read(self, n: int = -1) -> bytes:
        block = self.handle.read(n)
        self.read_bytes += len(block)
        if self.read_bytes > MAX_MEMBER_BYTES:
            raise ValueError(f"zip entry inflates past {MAX_MEMBER_BYTES:,} bytes (a zip bomb?)")
        return block

    def close(self) -> None:
        self.handle.close()
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
