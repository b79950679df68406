"""Processes a build leaves behind: process groups, and tools at work in a folder.

:func:`stop_group` stops what is left of a process group (``noopept-brief
run`` uses it); :func:`left_in` finds the build tools (make, latexmk, XeLaTeX)
still working in an output folder after their build was killed, so that the
next build can stop them before they race with it. Linux reads /proc; where
there is none, :func:`left_in` finds nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

#: The programs a PDF build runs in build/latex (make runs latexmk, which runs
#: XeLaTeX through sh, then xdvipdfmx).
BUILD_TOOLS = frozenset({
    "make", "gmake", "latexmk", "xelatex", "xetex", "xdvipdfmx", "lualatex",
    "pdflatex", "makeindex", "xindy",
})  # fmt: skip
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


def _argv(pid: int) -> list[str]:
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


def _ancestors() -> set[int]:
    """This process and its parents: never stopped, whatever their folder."""
    found, pid = set(), os.getpid()
    while pid > 1 and pid not in found:
        found.add(pid)
        try:
            stat = (_PROC / str(pid) / "stat").read_text(encoding="utf-8")
        except OSError:
            break
        pid = int(stat[stat.rindex(")") + 2 :].split()[1])
    return found


def left_in(folder: Path) -> dict[int, str]:
    """The build tools (:data:`BUILD_TOOLS`) whose working folder is ``folder``
    or below it, but this process's own ancestors: pid -> command line."""
    if not _PROC.is_dir():
        return {}
    folder = folder.resolve()
    mine = _ancestors()
    found = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd != folder and folder not in cwd.parents:
            continue
        argv = _argv(int(entry.name))
        words = {Path(w.split()[0]).name for w in argv[:3] if w.split()}
        if words & BUILD_TOOLS:
            found[int(entry.name)] = " ".join(argv)
    return found


def stop(pids: list[int]) -> None:
    """SIGTERM each process, then SIGKILL those still running after the grace."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.05)
    for pid in pids:
        if _running(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] not in "ZX"
