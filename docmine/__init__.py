"""docmine: read scanned and PDF California criminal-court records, extract convictions,
and decide which of them Proposition 64 clears, with every decision traced to its page."""

from docmine.charges import Charge, ChargeParseError
from docmine.errors import DocmineError

__version__ = "0.1.0"

__all__ = ["Charge", "ChargeParseError", "DocmineError", "__version__", "load_results", "process"]


def __getattr__(name: str):
    # The notebook API (`docmine.process`, `docmine.load_results`) is imported on first use,
    # so `import docmine` stays light (pandas is loaded only when a results folder is read).
    if name in ("process", "load_results"):
        from docmine import api

        return getattr(api, name)
    raise AttributeError(f"module 'docmine' has no attribute {name!r}")
