"""Errors a user can cause and fix: the CLI prints their message, never a traceback."""


class DocmineError(Exception):
    """Base for errors about the user's input (a file, an option); the message names it."""


class DocumentError(DocmineError):
    """A document cannot be read (corrupt, truncated, encrypted, empty, unsupported, too large)."""

    def __init__(self, path: str, problem: str, page: int | None = None):
        self.path, self.problem, self.page = str(path), problem, page
        where = f"{path}" + (f", page {page}" if page is not None else "")
        super().__init__(f"{where}: {problem}")
