"""Worker processes for rendering PDFs, and Ctrl-C that stops a build wherever it is."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager

from ..sources.child import die_with_parent


def _worker_start() -> None:
    """Workers leave Ctrl-C to the parent, and die with it (Linux), so none outlives a killed build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def run_tasks(tasks: list[tuple[Callable, tuple]], weights: list[int], jobs: int, done: Callable[[], None]) -> list:
    """The result of each `fn(*args)`, in the order given; heaviest first over `jobs` processes.

    With one job, or one task, no process is started: everything runs here.
    """
    if jobs <= 1 or len(tasks) <= 1:
        results = []
        for fn, args in tasks:
            results.append(fn(*args))
            done()
        return results
    order = sorted(range(len(tasks)), key=lambda i: -weights[i])
    results: list = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_worker_start) as pool:
        futures = {pool.submit(tasks[i][0], *tasks[i][1]): i for i in order}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                results[futures[future]] = future.result()
                done()
    return results


@contextmanager
def interruptible() -> Iterator[Callable[[], None]]:
    """Make Ctrl-C stop a build even when a library swallows the KeyboardInterrupt it raises.

    The signal is remembered; calling the yielded function (after each finished item)
    raises it again from our own code. Outside the main thread this changes nothing.
    """
    interrupted = []

    def on_interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    def check() -> None:
        if interrupted:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread
        yield check
        return
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
