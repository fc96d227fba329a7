"""Where documents are read: a pool of local worker processes, or a Dask cluster.

Both take `Task`s and give back `Outcome`s, at most `capacity` documents in flight.

`LocalPool`: one process per worker (a fresh interpreter, `OMP_THREAD_LIMIT=1`), one
document at a time each. A worker runs under an address-space cap (`RLIMIT_AS`) and in its own process
group; when a document runs past its time cap the group is killed (Tesseract with it) and
a fresh worker takes the slot, so one bad file costs only its own outcome. A worker is
replaced after `recycle_after` documents, which keeps memory flat however long the archive.
Workers die with the batch (`PR_SET_PDEATHSIG`), so a killed batch leaves nothing running.

`DaskPool`: the same `process` function submitted to a `dask.distributed` scheduler, the
document's bytes sent along (the workers need not see the archive). Dask's own worker memory
limit stands in for `RLIMIT_AS`; a document past its time cap is cancelled and reported.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_any
from typing import Any

from docmine.batch.work import Outcome, Task, failed

_THREAD_ENV = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass
class _Slot:
    process: subprocess.Popen | None = None
    send: Connection | None = None
    recv: Connection | None = None
    task: Task | None = None
    started: float | None = None  # when the worker began the document (its clock)
    queued: float = 0.0
    done: int = 0


class LocalPool:
    """Worker processes on this machine, each reading one document at a time.

    Workers are fresh interpreters (`python -m docmine.batch.worker`), not forks: nothing
    of the batch's state (threads, open files, the caller's `__main__`) is carried into them.
    A document's time cap runs from when its worker begins it, not from when it was queued
    behind the worker's start-up.
    """

    def __init__(
        self,
        workers: int,
        *,
        timeout: float = 600.0,
        memory_mb: int = 4096,
        use_model: bool = True,
        recycle_after: int = 1000,
        recycle_rss_mb: float = 1536.0,
        log_path: str | None = None,
    ):
        self.timeout, self.memory_mb, self.use_model, self.log_path = timeout, memory_mb, use_model, log_path
        self.recycle_after, self.recycle_rss_mb = recycle_after, recycle_rss_mb
        self.slots = [_Slot() for _ in range(max(1, workers))]
        self.started_workers = 0

    @property
    def capacity(self) -> int:
        return len(self.slots)

    @property
    def busy(self) -> int:
        return sum(1 for s in self.slots if s.task is not None)

    def start(self) -> None:
        """Start every worker now (each warms up while the batch walks the archive)."""
        for slot in self.slots:
            if slot.process is None:
                self._start(slot)

    def _start(self, slot: _Slot) -> None:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        command = [
            sys.executable,
            "-m",
            "docmine.batch.worker",
            str(task_r),
            str(result_w),
            str(self.memory_mb),
            str(os.getpid()),
            "1" if self.use_model else "0",
        ]
        # A worker's own messages (a warning, a dying worker's traceback) go to a log beside
        # the manifest, not over the progress bar.
        log = open(self.log_path, "ab") if self.log_path else None
        try:
            # process_group=0: its own group, so a timeout kills its Tesseract along with it.
            process = subprocess.Popen(
                command, pass_fds=(task_r, result_w), env={**os.environ, **_THREAD_ENV}, stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, process_group=0,
            )  # fmt: skip
        finally:
            os.close(task_r)
            os.close(result_w)
            if log is not None:
                log.close()
        self.started_workers += 1
        slot.process, slot.done = process, 0
        slot.send, slot.recv = Connection(task_w, readable=False), Connection(result_r, writable=False)

    def _stop(self, slot: _Slot, *, kill: bool) -> None:
        process, send, recv = slot.process, slot.send, slot.recv
        slot.process = slot.send = slot.recv = None
        slot.task, slot.started = None, None
        if process is None:
            return
        if not kill:
            try:
                send.send(None)  # type: ignore[union-attr]
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                kill = True
        if kill:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # the worker and its Tesseract
            except (ProcessLookupError, PermissionError):
                process.kill()
            process.wait()
        send.close()  # type: ignore[union-attr]
        recv.close()  # type: ignore[union-attr]

    def submit(self, task: Task) -> None:
        slot = next(s for s in self.slots if s.task is None)
        if slot.process is not None and slot.process.poll() is not None:
            self._stop(slot, kill=True)
        if slot.process is None:
            self._start(slot)
        try:
            slot.send.send(task)  # type: ignore[union-attr]
        except OSError:
            pass  # it died since: `wait` reports the document as failed
        slot.task, slot.started, slot.queued = task, None, time.monotonic()

    def wait(self, timeout: float | None = None) -> list[Outcome]:
        """Outcomes of documents finished (or failed) within `timeout` seconds (default: until one is)."""
        running = [s for s in self.slots if s.task is not None]
        if not running:
            return []
        outcomes: list[Outcome] = []
        give_up = None if timeout is None else time.monotonic() + timeout
        while not outcomes:
            now = time.monotonic()
            deadlines = [s.started + self.timeout for s in running if s.started is not None]
            limit = max(0.0, min(deadlines) - now) if deadlines else None
            if give_up is not None:
                limit = max(0.0, give_up - now) if limit is None else min(limit, max(0.0, give_up - now))
            by_conn = {s.recv: s for s in running if s.task is not None}
            if not by_conn:
                break
            for conn in wait_any(list(by_conn), timeout=limit):
                outcome = self._receive(by_conn[conn])
                if outcome is not None:
                    outcomes.append(outcome)
            now = time.monotonic()
            for slot in running:
                if slot.task is not None and slot.started is not None and now >= slot.started + self.timeout:
                    task = slot.task
                    self._stop(slot, kill=True)
                    outcomes.append(failed(task, f"took longer than {self.timeout:g} s: stopped", self.timeout))
            if give_up is not None and now >= give_up:
                break
        return outcomes

    def _receive(self, slot: _Slot) -> Outcome | None:
        """The worker's next message: None when it only says it began its document."""
        task = slot.task
        assert task is not None and slot.recv is not None and slot.process is not None
        try:
            message = slot.recv.recv()
        except (EOFError, OSError):
            code = slot.process.wait()
            began = slot.started if slot.started is not None else slot.queued
            self._stop(slot, kill=True)
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            cap = f" (over the memory cap of {self.memory_mb} MB?)" if self.memory_mb > 0 else ""
            return failed(task, f"the worker reading it died ({how}){cap}", round(time.monotonic() - began, 3))
        if message == "begin":
            slot.started = time.monotonic()
            return None
        outcome, rss_mb = message
        slot.task, slot.started = None, None
        slot.done += 1
        if slot.done >= self.recycle_after or rss_mb > self.recycle_rss_mb:
            self._stop(slot, kill=False)  # a fresh process: memory stays flat on long archives
        return outcome

    def close(self, *, kill: bool = False) -> None:
        for slot in self.slots:
            self._stop(slot, kill=kill or slot.task is not None)


class DaskPool:
    """Documents read on a Dask distributed cluster (`--scheduler tcp://host:port`)."""

    def __init__(self, address: str, *, timeout: float = 600.0, per_worker: int = 2):
        from docmine.errors import DocmineError

        try:
            from distributed import Client
        except ImportError:
            raise DocmineError("--scheduler needs dask.distributed: pip install 'docmine[distributed]'") from None
        try:
            self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise DocmineError(f"--scheduler {address}: cannot connect ({exc})") from None
        self.timeout = timeout
        threads = sum(self.client.nthreads().values()) or 1
        self.capacity = per_worker * threads
        self.running: dict[Any, tuple[Task, float]] = {}

    @property
    def busy(self) -> int:
        return len(self.running)

    def start(self) -> None:
        """Nothing to start: the cluster's workers are already running."""

    def submit(self, task: Task) -> None:
        from docmine.batch.walk import Entry, open_member

        with open_member(Entry(task.display, task.path or "", task.member)) as handle:
            data = handle.read()
        remote = replace(task, path=None, member=None, data=data)
        argument: Any = remote
        if len(data) > (1 << 20):
            # Large scans go straight to a worker instead of through the scheduler.
            argument = self.client.scatter(remote, direct=False)
        future = self.client.submit(
            _process_remote,
            argument,
            pure=False,
            key=f"docmine-batch-{task.sha256[:16]}-{os.getpid()}-{time.monotonic_ns()}",
        )
        self.running[future] = (task, time.monotonic())

    def wait(self, timeout: float | None = None) -> list[Outcome]:
        from distributed import wait as dask_wait

        if not self.running:
            return []
        limit = min(0.5 if timeout is None else timeout, 0.5)
        try:
            dask_wait(list(self.running), timeout=limit, return_when="FIRST_COMPLETED")
        except Exception:  # noqa: BLE001 - a timeout: nothing finished yet
            pass
        outcomes = []
        now = time.monotonic()
        for future, (task, started) in list(self.running.items()):
            if future.status == "finished":
                outcomes.append(future.result())
            elif future.status in ("error", "cancelled", "lost"):
                outcomes.append(failed(task, _dask_error(future), now - started))
            elif now - started > self.timeout:
                future.cancel()
                outcomes.append(failed(task, f"took longer than {self.timeout:g} s: stopped", now - started))
            else:
                continue
            del self.running[future]
        return outcomes

    def close(self, *, kill: bool = False) -> None:
        for future in self.running:
            future.cancel()
        self.running.clear()
        self.client.close()


def _process_remote(task: Task) -> Outcome:
    from docmine.batch.work import process

    return process(task)


def _dask_error(future) -> str:
    try:
        exc = future.exception(timeout=5)
    except Exception as err:  # noqa: BLE001
        exc = err
    if type(exc).__name__ == "KilledWorker":
        return "the Dask worker reading it died (over its memory limit?)"
    return f"failed on the Dask cluster: {type(exc).__name__}: {exc}"
