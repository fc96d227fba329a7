"""A local batch worker: `python -m docmine.batch.worker TASK_FD RESULT_FD MEMORY_MB PARENT_PID MODEL`.

It reads `Task`s from one pipe and answers on the other, one document at a time: "begin"
when it starts one (the batch's clock for the time cap starts then), then the `Outcome`
and its resident memory in MB. It ends on None or when the pipe closes. Started by
`docmine.batch.pool.LocalPool`.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection


def _die_with_parent(parent_pid: int) -> None:
    """Linux: the kernel kills this process when the batch that started it dies."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:  # the batch died before that took effect
        os._exit(0)


def _lazy(name: str) -> None:
    """Import `name` only when first used: pytesseract imports pandas (a quarter of a worker's
    start-up) just to offer DataFrame output, which reading never asks for."""
    import importlib.util

    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def main(argv: list[str]) -> None:
    task_fd, result_fd, memory_mb, parent_pid, use_model = (int(a) for a in argv)
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    if memory_mb > 0:
        import resource

        cap = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    tasks, results = Connection(task_fd, writable=False), Connection(result_fd, readable=False)
    _lazy("pandas")
    from docmine.batch.work import process, warm

    warm(use_model=bool(use_model))

    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            results.send("begin")
            outcome = process(task)
            results.send((outcome, _rss_mb()))
        except OSError:
            return


def _rss_mb() -> float:
    """Resident memory now (not the peak): what says whether the worker should be replaced."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0.0


if __name__ == "__main__":
    main(sys.argv[1:])
