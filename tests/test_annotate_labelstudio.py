"""A real Label Studio takes our export: project with our labeling config, tasks with
pre-annotations imported, an annotation submitted, the project exported and read back.

Label Studio is a Django application (about 1 GB installed), so it is not a docmine
dependency. The test runs when a `label-studio` executable is found (`LABEL_STUDIO_BIN`, or
on PATH), e.g. after `python -m venv /tmp/ls && /tmp/ls/bin/pip install label-studio` and
`LABEL_STUDIO_BIN=/tmp/ls/bin/label-studio`; otherwise it is skipped and the export is
checked against the documented format only (`test_annotate.py`). It starts a local server
on a SQLite database in a temporary folder, offline.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from docmine.annotate.gold import read_gold, write_jsonl
from docmine.annotate.workflow import export, import_annotations

BIN = os.environ.get("LABEL_STUDIO_BIN") or shutil.which("label-studio")
pytestmark = pytest.mark.skipif(not BIN, reason="Label Studio is not installed (set LABEL_STUDIO_BIN)")
TOKEN = "docmine0test0token0not0a0secret00000000"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Api:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "HOME": str(data),
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",
    }
    log = (data / "server.log").open("w")
    server = subprocess.Popen(
        [
            BIN,
            "start",
            "--no-browser",
            "--port",
            str(port),
            "--data-dir",
            str(data),
            "--username",
            "docmine@example.org",
            "--password",
            "docmine-test-pass",
            "--user-token",
            TOKEN,
            "--enable-legacy-api-token",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=data,
    )
    api = _Api(port)
    deadline = time.time() + 420
    try:
        while True:
            try:
                api.call("GET", "/api/projects")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail("Label Studio did not start: " + (data / "server.log").read_text()[-2000:])
                time.sleep(2)
        yield api
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_label_studio_imports_our_tasks_and_its_export_comes_back(label_studio, tmp_path):
    from docmine.nlp.model import shipped_model
    from docmine.synth.corpus import derive_seed, plan, text_document

    pages = []
    for i, (doc_type, layout) in enumerate(plan(3, 4711), start=1):
        doc = text_document(doc_type, layout, derive_seed(4711, "doc", i))
        pages += [{"id": f"d{i}-p{n}", "text": t, "spans": []} for n, t in enumerate(doc.texts, start=1)]
    write_jsonl(tmp_path / "pages.jsonl", pages)
    result = export([tmp_path / "pages.jsonl"], "label-studio", tmp_path / "tasks.json", nlp=shipped_model())
    tasks = json.loads(result.out.read_text("utf-8"))

    api = label_studio
    project = api.call("POST", "/api/projects", {"title": "docmine", "label_config": result.config.read_text("utf-8")})
    imported = api.call("POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == len(tasks)
    assert imported["prediction_count"] == len(tasks)

    # The annotator accepts the first task's pre-annotations minus one region.
    stored = api.call("GET", f"/api/tasks?project={project['id']}&fields=all")
    stored = stored["tasks"] if isinstance(stored, dict) else stored
    first = min(stored, key=lambda t: t["id"])
    predictions = api.call("GET", f"/api/predictions?task={first['id']}")
    result_regions = predictions[0]["result"][1:]
    api.call("POST", f"/api/tasks/{first['id']}/annotations", {"result": result_regions})

    exported = api.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=false")
    path = tmp_path / "project-export.json"
    path.write_text(json.dumps(exported, indent=1), "utf-8")
    back = import_annotations([path], "label-studio", tmp_path / "imported")
    assert back.pages == 1 and not back.rejected
    (page,) = read_gold(back.jsonl)
    sent = next(t for t in tasks if t["data"]["page_id"] == page.id)
    expected = {
        (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in sent["predictions"][0]["result"][1:]
    }
    assert set(page.spans) == expected and page.text == sent["data"]["text"]
