"""Builds recover on their own from what a stopped build left behind.

Each test puts an output folder in the state a Ctrl-C, a kill or a full disk
leaves, and checks that the next build succeeds and says, in one line, what
it did (src/noopept_brief/sphinxext/recovery.py). And one build at a time
writes into a folder; stopping a command run through `noopept-brief run`
stops every process it started.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from conftest import DOCS, ROOT, as_from_a_terminal, differences, sphinx_build, tree

from noopept_brief.core.build import processes
from noopept_brief.sphinxext import recovery
from noopept_brief.sphinxext.incremental import BUILD_MARKER
from noopept_brief.tools import group

pytestmark = pytest.mark.build

HTML_CACHE = (".doctrees", recovery.LOCK_NAME)
NAME = "noopept-brief"


def test_pdf_build_recovers_from_a_stopped_one(pdf_path: Path, tmp_path: Path) -> None:
    # A kill midway through writing: the Typst file and the PDF are cut short.
    out = tmp_path / "pdf"
    shutil.copytree(pdf_path.parent, out)
    for name in (f"{NAME}.typ", f"{NAME}.pdf"):
        cut = out / name
        cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    result = sphinx_build("-b", "typst", DOCS, out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    # Written whole again, every time: the same bytes as an undisturbed build.
    for name in (f"{NAME}.typ", f"{NAME}.pdf"):
        assert (out / name).read_bytes() == (pdf_path.parent / name).read_bytes()


def test_html_build_recovers_from_an_empty_buildinfo(
    html_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    shutil.copytree(html_dir, out)
    (out / ".buildinfo").write_bytes(b"")  # what a full disk leaves
    result = sphinx_build("-b", "html", DOCS, out)
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ".buildinfo" in ln]
    assert len(lines) == 1 and "was unreadable" in lines[0], result.stderr
    assert "every page is written again" in lines[0]
    now, clean = tree(out, HTML_CACHE), tree(html_dir, HTML_CACHE)
    assert now == clean, f"differs from a clean build: {differences(now, clean)}"


#: Takes the build lock on a folder, forks a child that keeps the lock's file
#: open, says "held", and (the parent) waits for its stdin to close.
HOLDER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from noopept_brief.sphinxext import recovery
    recovery.take_lock(Path(sys.argv[1]))
    child = os.fork()  # as sphinx-sitemap's manager is forked from a build
    if child == 0:
        sys.stdin.read()
        os._exit(0)
    print("child", child, flush=True)
    print("held", os.getpid(), flush=True)
    if sys.argv[2] == "wait":
        sys.stdin.read()
""")


def _holder(folder: Path, wait: bool) -> tuple[subprocess.Popen[str], dict[str, int]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), "wait" if wait else "exit"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    assert holder.stdout is not None
    pids = {}
    while len(pids) < 2:
        word, pid = holder.stdout.readline().split()
        pids[word] = int(pid)
    return holder, pids


def test_a_second_build_into_a_busy_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "html"
    holder, pids = _holder(out, wait=True)
    try:
        result = sphinx_build("-b", "html", DOCS, out)
    finally:
        holder.communicate("")
    assert result.returncode != 0, "a second build into a busy folder must stop"
    assert (
        f"another build (process {pids['held']}) is writing into {out.resolve()}"
        in result.stderr
    ), result.stderr
    assert f"kill {pids['held']}" in result.stderr
    # Refused before it touched anything: not even the first build's marker.
    assert not (out / BUILD_MARKER).exists()
    assert not list(out.glob("*.html"))


def test_the_lock_ends_with_its_build_not_with_what_it_forked(tmp_path: Path) -> None:
    # The build exits (or is killed); a process it forked lives on.
    holder, pids = _holder(tmp_path / "out", wait=False)
    try:
        holder.wait()
        assert processes.running(pids["child"]), "the forked child is gone"
        recovery.take_lock(tmp_path / "out")  # must not be refused
    finally:
        recovery._release((tmp_path / "out").resolve())
        assert holder.stdin is not None
        holder.stdin.close()


def _until(condition: Callable[[], bool], limit: float = 60.0) -> None:
    """Poll ``condition`` until it holds; fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"still not so after {limit} s"
        time.sleep(0.02)


#: Starts a grandchild in its own group, prints its pid, then waits.
SPAWNER = textwrap.dedent("""
    import subprocess, sys, time
    child = subprocess.Popen(["sleep", "600"])
    print(child.pid, flush=True)
    if sys.argv[1] == "wait":
        time.sleep(600)
""")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "left behind"])
def test_run_stops_the_whole_process_group(how: str) -> None:
    wait = how != "left behind"
    command = [sys.executable, "-m", "noopept_brief", "run", "--",
               sys.executable, "-c", SPAWNER, "wait" if wait else "exit"]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8", preexec_fn=as_from_a_terminal,
    ) as run:  # fmt: skip
        assert run.stdout is not None and run.stderr is not None
        grandchild = int(run.stdout.readline())
        if wait:
            run.send_signal(getattr(signal, how))
        code = run.wait()
        stderr = run.stderr.read()
    assert not processes.running(grandchild), (
        f"{how}: process {grandchild}, started by the command, still runs"
    )
    if wait:
        assert code == 128 + getattr(signal, how)
    else:
        assert f"left behind (pids {grandchild})" in stderr


#: Says it started, then ends by itself a moment later.
SHORT_COMMAND = 'import time; print("started", flush=True); time.sleep(1)'


def test_run_keeps_a_signal_it_was_started_to_ignore() -> None:
    """Started to ignore Ctrl-C (a shell's background job), run and its command
    go on through a SIGINT, and run ends with the command's own result: not
    130, "interrupted", for a command that finished."""
    command = [sys.executable, "-m", "noopept_brief", "run", "--",
               sys.executable, "-c", SHORT_COMMAND]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    ) as run:  # fmt: skip
        assert run.stdout is not None
        assert run.stdout.readline() == "started\n"
        run.send_signal(signal.SIGINT)
        code = run.wait(timeout=60)
    assert code == 0, f"run ended with {code} for a command that finished"


#: Starts a grandchild, writes its pid to argv[1], and ends once argv[2] exists.
TREE = textwrap.dedent("""
    import subprocess, sys, time
    from pathlib import Path
    child = subprocess.Popen(["sleep", "600"])
    Path(sys.argv[1]).write_text(str(child.pid), encoding="utf-8")
    while not Path(sys.argv[2]).exists():
        time.sleep(0.02)
""")


def test_run_without_process_groups_stops_what_the_command_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows' way (no process groups), run here: the grandchild outlives the
    # command, and is stopped because it was seen while the command ran.
    seen: list[int] = []

    def noting(pid: int) -> list[psutil.Process]:
        found = processes.descendants(pid)
        seen.extend(p.pid for p in found)
        return found

    monkeypatch.setattr(group, "descendants", noting)
    pid_file, end = tmp_path / "pid", tmp_path / "end"
    result: list[int] = []
    runner = threading.Thread(target=lambda: result.append(group._run_as_tree(
        [sys.executable, "-c", TREE, str(pid_file), str(end)]
    )))  # fmt: skip
    runner.start()
    try:
        _until(lambda: pid_file.exists() and pid_file.read_text("utf-8") != "")
        grandchild = int(pid_file.read_text("utf-8"))
        _until(lambda: grandchild in seen)
    finally:
        end.touch()
        runner.join()
    assert result == [0]
    assert not processes.running(grandchild), (
        f"process {grandchild}, left by the command, still runs"
    )


def test_nox_runs_every_long_command_in_its_own_group() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "signal.signal(signal.SIGTERM, _stop_as_on_ctrl_c)" in noxfile, (
        "noxfile.py: SIGTERM must stop nox as Ctrl-C does"
    )
    import re

    direct = re.findall(
        r'session\.run\(\s*"(sphinx-build|sphinx-autobuild|pytest|python)"', noxfile
    )
    assert not direct, (
        f"noxfile.py runs {direct} directly: use _run(session, ...), so that "
        "stopping nox stops every process the command starts"
    )
