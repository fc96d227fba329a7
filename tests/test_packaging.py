"""A plain, non-editable `pip install .` carries the schema and the shipped models."""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(REPO),
        ],
        check=True,
    )
    (built,) = dist.glob("docmine-*.whl")
    return built


def test_wheel_contains_schema_and_models(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "docmine/schema/count.schema.json" in names
    shipped = {p.relative_to(REPO / "models").as_posix() for p in (REPO / "models").rglob("*") if p.is_file()}
    assert shipped, "models/ is empty"
    for name in shipped:
        assert f"docmine/_models/{name}" in names


def test_installed_wheel_finds_its_models_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True)
    # Dependencies come from the test environment; docmine itself only from the fresh install.
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"] + os.pathsep + sysconfig.get_paths()["platlib"])
    probe = (
        "import docmine, docmine.paths, docmine.contract;"
        "print(docmine.__file__);"
        "print(docmine.paths.models_dir());"
        "print(docmine.contract.counts_schema()['title'])"
    )
    result = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env, check=True
    )
    package_file, models, title = result.stdout.strip().splitlines()
    assert Path(package_file).is_relative_to(env_dir)
    assert Path(models).is_relative_to(env_dir) and Path(models).name == "_models"
    assert (Path(models) / "README.md").is_file()
    assert title == "docmine count"
    # The shipped entity model loads from the wheel; spaCy finds the factory by entry point.
    nlp_probe = (
        "import spacy; spacy.blank('en').add_pipe('docmine_patterns');"
        "from docmine.nlp.model import default_model_dir, load_model;"
        "print(default_model_dir()); print(','.join(load_model().pipe_names))"
    )
    result = subprocess.run(
        [str(python), "-c", nlp_probe], capture_output=True, text=True, cwd=tmp_path, env=env, check=True
    )
    model_dir, pipe_names = result.stdout.strip().splitlines()
    assert Path(model_dir) == Path(models) / "docmine-ner"
    assert pipe_names.split(",")[-2:] == ["docmine_patterns", "ner"]
