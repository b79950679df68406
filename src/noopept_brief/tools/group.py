"""Run a build in a process group of its own, and stop the whole group.

``noopept-brief run -- COMMAND ...`` is how the nox sessions start
sphinx-build and sphinx-autobuild. A build starts more processes than one:
sphinx-sitemap's ``multiprocessing`` manager for the HTML, a web server for
the live preview (the PDF is compiled in the build's own process).
Stopping only the first of them (as nox does with its child on Ctrl-C or
SIGTERM) left the others running, racing with the next build or holding
port 8000.

Here the command gets a new session (so a new process group). Ctrl-C,
SIGTERM and SIGHUP are passed on to the whole group (one this process was
started to ignore, as a shell's background job ignores Ctrl-C, stays ignored,
as the command inherits it), and whatever is left of
the group when the command ends, stopped or not, is stopped too: first
politely, then with SIGKILL. Windows has no process groups: there the
command's descendants are noted while it runs, and those still running when
it ends are stopped (Ctrl-C reaches them all through the console). A SIGKILL
of this process itself cannot be handled; the build's lock
(:mod:`noopept_brief.sphinxext.recovery`) keeps the next build safe then.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

import psutil

from ..core.build.processes import descendants, stop, stop_group

_FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP")


def run_in_group(command: Sequence[str]) -> int:
    """Run ``command`` in a new process group; stop the whole group at the end."""
    if os.name != "posix":
        return _run_as_tree(command)
    child = subprocess.Popen(list(command), start_new_session=True)
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signum)

    previous = {
        name: signal.signal(getattr(signal, name), forward)
        for name in _FORWARDED
        if signal.getsignal(getattr(signal, name)) is not signal.SIG_IGN
    }
    try:
        code = child.wait()
    finally:
        left = stop_group(child.pid)
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
    _report(left)
    if received:
        return 128 + received[-1]
    return code if code >= 0 else 128 - code


def _run_as_tree(command: Sequence[str]) -> int:
    """Without process groups (Windows): note the command's descendants while
    it runs, and stop those still running when it ends. One started and left
    between two looks (0.2 s apart) escapes: a Job Object would catch it."""
    child = subprocess.Popen(list(command))
    seen: dict[int, psutil.Process] = {}
    try:
        while True:
            seen.update((p.pid, p) for p in descendants(child.pid))
            try:
                code = child.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                continue
    finally:  # also on Ctrl-C, which reaches this process and the command alike
        seen.update((p.pid, p) for p in descendants(child.pid))
        stop([child.pid])
        left = stop(seen.values())
    _report(left)
    return code


def _report(left: list[int]) -> None:
    if left:
        print(
            f"noopept-brief run: stopped {len(left)} process(es) the command "
            f"left behind (pids {', '.join(map(str, left))}).",
            file=sys.stderr,
        )
