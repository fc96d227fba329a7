import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "external" / "cfa"


@pytest.fixture(scope="session")
def cfa_fixtures() -> Path:
    """Code for America's public fictional fixtures, beside the checkout as ../shared."""
    if not SHARED.is_dir():
        pytest.skip("../shared/external/cfa is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def tesseract() -> str:
    path = shutil.which("tesseract")
    assert path, "tesseract is not installed: run `make test`, which installs it"
    return path
