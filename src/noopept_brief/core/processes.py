"""Processes a command leaves behind: its process group.

:func:`stop_group` stops what is left of a process group (``noopept-brief
run`` uses it). Linux reads /proc; elsewhere the group's leader stands for it.
(The PDF is compiled inside the build's process, by the typst wheel: no build
tool is left working in an output folder any more.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

_PROC = Path("/proc")


#: How long the group gets to stop after SIGTERM before SIGKILL.
GRACE_SECONDS = 10.0


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes in process group ``pgid``.

    Read from /proc where there is one: a zombie the init process has not
    reaped yet still counts for ``killpg``, but no longer runs.
    """
    if not _PROC.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    members = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] not in "ZX":
            members.append(int(entry.name))
    return members


def stop_group(pgid: int, first: int = signal.SIGTERM) -> list[int]:
    """Stop every process left in group ``pgid``; return those that were left."""
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


def _running(pid: int) -> bool:
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] not in "ZX"
