"""Processes a build leaves behind: process groups, and tools at work in a folder.

:func:`stop_group` stops what is left of a process group, and
:func:`stop` what is left of a command's :func:`descendants` (``noopept-brief
run`` uses the first on POSIX, the second on Windows, which has no process
groups); :func:`left_in` finds the build tools (make, latexmk, XeLaTeX) still
working in an output folder after their build was killed, so that the next
build can stop them before they race with it. psutil reads the process table,
so this works wherever psutil does: Linux, macOS and Windows.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

import psutil

#: The programs a PDF build runs in build/latex (make runs latexmk, which runs
#: XeLaTeX through sh, then xdvipdfmx).
BUILD_TOOLS = frozenset({
    "make", "gmake", "latexmk", "xelatex", "xetex", "xdvipdfmx", "lualatex",
    "pdflatex", "makeindex", "xindy",
})  # fmt: skip

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


def _tool_name(word: str) -> str:
    """A program's name as BUILD_TOOLS spells it: /usr/bin/latexmk and
    C:\\texlive\\bin\\latexmk.exe are both "latexmk"."""
    return Path(word.split()[0]).name.lower().removesuffix(".exe")


def left_in(folder: Path) -> dict[int, str]:
    """The build tools (:data:`BUILD_TOOLS`) whose working folder is ``folder``
    or below it, but this process's own ancestors: pid -> command line."""
    folder = folder.resolve()
    me = psutil.Process()
    mine = {me.pid} | {p.pid for p in me.parents()}
    found = {}
    for process in psutil.process_iter(["cwd", "cmdline"]):
        # Unreadable fields (another user's process, one just ended) are None.
        cwd, argv = process.info["cwd"], process.info["cmdline"] or []
        if process.pid in mine or not cwd:
            continue
        cwd = Path(cwd)
        if cwd != folder and folder not in cwd.parents:
            continue
        if {_tool_name(w) for w in argv[:3] if w.split()} & BUILD_TOOLS:
            found[process.pid] = " ".join(argv)
    return found


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
