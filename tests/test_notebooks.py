"""Every notebook in notebooks/ runs top to bottom (nbclient, a real ipykernel) on its small synthetic
parameters, shows its tables and charts, and is what scripts/make_notebooks.py writes, outputs cleared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("01-quickstart.ipynb", "02-policy-comparison.ipynb", "03-error-analysis.ipynb")


def execute(name: str, work: Path):
    """Run a notebook as papermill would: a cell after the `parameters` cell sets WORK."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
    notebook.cells.insert(
        at + 1, nbformat.v4.new_code_cell(f"WORK = {str(work / 'work')!r}", metadata={"tags": ["injected-parameters"]})
    )
    work.mkdir(parents=True, exist_ok=True)
    NotebookClient(notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
    return notebook


def outputs(notebook, kind: str) -> list:
    return [
        o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == kind
    ]


def images(notebook) -> int:
    return sum(
        "image/png" in o.get("data", {}) for kind in ("display_data", "execute_result") for o in outputs(notebook, kind)
    )


def html_tables(notebook) -> list[str]:
    return [
        o["data"]["text/html"]
        for kind in ("display_data", "execute_result")
        for o in outputs(notebook, kind)
        if "text/html" in o.get("data", {})
    ]


def test_notebooks_are_generated_and_clean():
    import nbformat

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_notebooks.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for name in NAMES:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name
        assert any("parameters" in c.metadata.get("tags", []) for c in notebook.cells), name


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, tmp_path):
    notebook = execute(name, tmp_path)
    assert outputs(notebook, "error") == []
    tables = html_tables(notebook)
    work = tmp_path / "work"
    if name.startswith("01"):
        assert images(notebook) >= 1
        assert (work / "RESULTS" / "counts.parquet").is_file() and (work / "RESULTS" / "report.html").is_file()
        assert any("no_felony_left" in t for t in tables)
    elif name.startswith("02"):
        assert images(notebook) >= 2
        for policy in ("statute", "los-angeles-2020", "san-francisco", "sacramento"):
            assert (work / policy / "run.json").is_file(), policy
        comparison = next(t for t in tables if "people with no conviction left" in t)
        assert all(p in comparison for p in ("los-angeles-2020", "san-francisco", "sacramento"))
        assert any("relieved_pct" in t for t in tables)
    else:
        assert images(notebook) >= 3  # the page, the field chart, at least one error beside its crop
        assert any("characters similar" in t for t in tables) and any("text layer" in t for t in tables)
        assert len(list((work / "corpus" / "docs").glob("*.png"))) <= 3
