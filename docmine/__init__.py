"""docmine: read scanned and PDF California criminal-court records, extract convictions,
and decide which of them Proposition 64 clears, with every decision traced to its page."""

from docmine.charges import Charge, ChargeParseError
from docmine.errors import DocmineError

__version__ = "0.1.0"

__all__ = ["Charge", "ChargeParseError", "DocmineError", "__version__"]
