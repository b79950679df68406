"""Processes a command leaves behind: its process group, or its descendants.

:func:`stop_group` stops what is left of a process group, and :func:`stop`
what is left of a command's :func:`descendants` (``noopept-brief run`` uses
the first on POSIX, the second on Windows, which has no process groups).
psutil reads the process table, so this works wherever psutil does: Linux,
macOS and Windows. (The PDF is compiled inside the build's own process, by
the typst wheel: no build tool is left working in an output folder.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable

import psutil

#: How long processes get to stop after SIGTERM before SIGKILL.
GRACE_SECONDS = 10.0

#: Gone, or a zombie: still in the table, but no longer running.
_ENDED = frozenset({psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD})


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() not in _ENDED
    except psutil.Error:
        return False


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        return _alive(psutil.Process(pid))
    except psutil.Error:
        return False


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes in process group ``pgid`` (POSIX).

    A zombie the init process has not reaped yet still counts for
    ``killpg``, but no longer runs.
    """
    members = []
    for process in psutil.process_iter():
        with contextlib.suppress(OSError, psutil.Error):
            if os.getpgid(process.pid) == pgid and _alive(process):
                members.append(process.pid)
    return members


def stop_group(pgid: int, first: int = signal.SIGTERM) -> list[int]:
    """Stop every process left in group ``pgid`` (POSIX); return those left."""
    left = group_members(pgid)
    if not left:
        return []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, first)
    deadline = time.monotonic() + GRACE_SECONDS
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if group_members(pgid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    return left


def descendants(pid: int) -> list[psutil.Process]:
    """The processes ``pid`` started, and theirs; none if ``pid`` is gone."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _terminate(processes: list[psutil.Process]) -> None:
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    # Polled, not psutil.wait_procs: that reaps this process's own children,
    # whose exit code belongs to their Popen.
    deadline = time.monotonic() + GRACE_SECONDS
    while any(map(_alive, processes)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for process in filter(_alive, processes):
        with contextlib.suppress(psutil.Error):
            process.kill()


def stop(targets: Iterable[int | psutil.Process]) -> list[int]:
    """Stop those of ``targets`` still running: SIGTERM (Windows:
    TerminateProcess), then a kill after the grace. Return their pids.

    A psutil Process remembers its start time, so a pid the system has since
    given to another process is left alone.
    """
    left = []
    for target in targets:
        with contextlib.suppress(psutil.Error):
            if not isinstance(target, psutil.Process):
                target = psutil.Process(target)
            if _alive(target):
                left.append(target)
    _terminate(left)
    return [p.pid for p in left]
