"""Where shipped data lives, in a source checkout and in an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def models_dir() -> Path:
    """The shipped models: `docmine/_models` inside a wheel, `models/` in a checkout."""
    installed = _PACKAGE / "_models"
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / "models"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("docmine's models folder is missing from this installation")
