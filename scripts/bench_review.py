"""How fast the review desk opens a large queue: `docmine review` over a folder with 10,000+ items.

    python scripts/bench_review.py [--rows 650000] [--work /tmp/bench-review] [--repeat 20]

Draws a DOJ file (`docmine synth --doj`), decides it (`docmine check --policy statute`), which
sends about one count in sixty to hand review, adds an account, starts the real server
(`docmine review RESULTS --port P`, uvicorn) and times over HTTP, logged in:

- the server's start (reading review.csv, decisions.csv and counts.csv) until it answers;
- the queue page (`GET /`, the first 100 items of all) and the queue API (`GET /api/queue`):
  the first request, then the median and the slowest of `--repeat`;
- an item page (`GET /items/<id>`) and the item API (`GET /api/items/<id>`) for `--repeat`
  items drawn across the queue: median and slowest.

Targets (issue #22): the queue opens in under 1 s, an item in under 200 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DOCMINE = [sys.executable, "-m", "docmine"]


def _run(*args: str, cwd: Path, stdin: str | None = None) -> None:
    done = subprocess.run([*DOCMINE, *args], cwd=cwd, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"docmine {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=650_000, help="DOJ rows to draw (about 1 in 60 counts reviewed)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-review"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep a folder made before with the same --rows")
    args = parser.parse_args()

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    results = work / "results"
    stamp = work / f"made-{args.rows}"
    if not (args.reuse and stamp.is_file()):
        print(f"drawing {args.rows:,} DOJ rows and deciding them ...", flush=True)
        _run("synth", "--doj", "--rows", str(args.rows), "--out", "in", cwd=work)
        _run("check", "in/doj_bulk.csv", "--policy", "statute", "--as-of", "2024-01-01", "--out", "results", cwd=work)
        _run("review", "users", "add", "bench", "results", "--role", "reviewer", "--password-stdin", cwd=work,
             stdin="bench-password\n")  # fmt: skip
        stamp.touch()
    with open(results / "review.csv", encoding="utf-8") as handle:
        items = sum(1 for _ in handle) - 1
    counts_mb = (results / "counts.csv").stat().st_size / 1e6

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([*DOCMINE, "review", "results", "--port", str(port)], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("docmine review did not start")
                time.sleep(0.05)
        start_s = time.perf_counter() - started
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = urllib.request.Request(
            base + "/api/login", json.dumps({"username": "bench", "password": "bench-password"}).encode(),
            {"Content-Type": "application/json"},
        )  # fmt: skip
        opener.open(login).read()

        def timed(path: str) -> tuple[float, bytes]:
            t = time.perf_counter()
            body = opener.open(base + path).read()
            return time.perf_counter() - t, body

        figures = []
        for path in ("/", "/api/queue"):
            first, body = timed(path)
            times = [timed(path)[0] for _ in range(args.repeat)]
            figures.append((f"GET {path}", first, statistics.median(times), max(times)))
        queue = json.loads(timed("/api/queue?limit=1000")[1])
        ids = [i["count_id"] for g in queue["groups"] for i in g["items"]]
        random.seed(0)
        chosen = random.sample(ids, min(args.repeat, len(ids)))
        for label, prefix in (("GET /items/<id>", "/items/"), ("GET /api/items/<id>", "/api/items/")):
            times = [timed(prefix + urllib.request.quote(cid))[0] for cid in chosen]
            figures.append((label, times[0], statistics.median(times), max(times)))
    finally:
        server.terminate()
        server.wait(10)

    print(f"\nreview desk, {items:,} review items ({args.rows:,} DOJ rows, counts.csv {counts_mb:.0f} MB)")
    print(f"server start until it answers: {start_s:.2f} s")
    print(f"{'request':24} {'first ms':>9} {'median ms':>10} {'slowest ms':>11}")
    for label, first, median, slowest in figures:
        print(f"{label:24} {first * 1000:9.1f} {median * 1000:10.1f} {slowest * 1000:11.1f}")
    queue_ok = max(f[3] for f in figures[:2]) < 1.0 and max(f[1] for f in figures[:2]) < 1.0
    item_ok = max(f[3] for f in figures[2:]) < 0.2
    print(f"targets: queue under 1 s: {'met' if queue_ok else 'NOT met'}; item under 200 ms: "
          f"{'met' if item_ok else 'NOT met'}")  # fmt: skip
    if items < 10_000:
        print(f"note: {items:,} items, fewer than 10,000: draw more --rows")


if __name__ == "__main__":
    main()
