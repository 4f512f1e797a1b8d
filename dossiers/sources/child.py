"""Hostile bytes read in a forked child: limited in time and memory, and killed with its parent.

HTML and PDF parsers are large C and Python libraries that a crafted file can keep busy
for hours or make allocate without end; a child can be stopped where a thread cannot.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys

READ_SECONDS = 60  # a document whose reading takes longer is refused: a hostile file may never finish
# address space the reading child may hold, what it shares with its parent included: no process of a command passes it
READ_MEMORY = 2 * 2**30
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Have Linux kill this process when its parent dies, kill -9 included (elsewhere, nothing)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def in_child(function, raw: bytes) -> tuple:
    """function(raw), a tuple, computed in a forked child; else ('timeout', seconds), ('memory', GiB) or ('failed',
    why)."""
    seconds = READ_SECONDS
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, raw, sending, os.getpid()), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            return "timeout", seconds
        return receiving.recv()
    except (EOFError, OSError):
        return "failed", "the reader stopped on it"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()


def _child(function, raw: bytes, sending, parent: int) -> None:
    die_with_parent()
    if os.getppid() != parent:  # the parent died before it could be asked to take this child along
        os._exit(1)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (READ_MEMORY, READ_MEMORY))
    except (ValueError, OSError):
        pass
    try:
        outcome = function(raw)
    except MemoryError:
        outcome = "memory", READ_MEMORY // 2**30
    except Exception as error:  # a parser's failure on a hostile file is the file's problem: say so, no traceback
        outcome = "failed", f"{type(error).__name__}: {str(error)[:200]}"
    try:
        sending.send(outcome)
    except MemoryError:
        sending.send(("memory", READ_MEMORY // 2**30))
