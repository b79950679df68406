"""Builds that recover on their own from what a stopped build left behind.

At the start of every build (``builder-inited``), before Sphinx reads a page:

1. **One build per output folder.** A second build into a folder that a
   running build holds is refused, with the first build's process id. The
   lock is a POSIX record lock on ``.brief-build.lock``: the kernel drops it
   when its process ends, SIGKILL included, and processes forked from the
   build (sphinx-sitemap's manager) do not inherit it. The LaTeX build keeps
   it until its process ends, because ``sphinx-build -M latexpdf`` runs
   latexmk after Sphinx has finished.
2. **Leftover TeX processes.** make, latexmk or XeLaTeX still at work in the
   output folder belong to a build that was killed (a live one would hold the
   lock): they are stopped before they race with this build.
3. **A LaTeX run stopped midway** (Ctrl-C, a kill, a full disk) leaves a
   truncated ``.aux`` or a record latexmk trusts ("Nothing to do"): latexmk's
   files are removed, so the PDF is built afresh.
4. **An unreadable ``.buildinfo``** (0 bytes after a full disk) crashed every
   later HTML build: it is removed, so every page is written again.

Each recovery prints one line on stderr: never a Sphinx warning, which -W
would turn into the very failure this avoids.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import SphinxError

from ..core.processes import left_in, stop
from ..core.texlog import remove_run_state, unfinished_run
from ._upstream import build_info_unreadable

if TYPE_CHECKING:
    from sphinx.application import Sphinx

try:
    import fcntl
except ImportError:  # Windows: no POSIX record locks, but msvcrt's
    fcntl = None  # type: ignore[assignment]
    import msvcrt

#: The lock file, in the output folder.
LOCK_NAME = ".brief-build.lock"
#: Where the Windows lock sits: past the pid the file holds, which a refused
#: build must still be able to read.
_WINDOWS_LOCK_AT = 1 << 30
#: Output folders this process holds (a process never refuses itself).
_held: dict[Path, int] = {}


class BuildRefused(SphinxError):
    category = "Build refused"


def notice(message: str) -> None:
    """One line about what a build did on its own, on stderr."""
    print(f"noopept-brief: {message}", file=sys.stderr, flush=True)


def _locked(fd: int) -> bool:
    """Take the lock on open file ``fd``; False if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    finally:
        os.lseek(fd, 0, os.SEEK_SET)
    return True


def _release(outdir: Path) -> None:
    fd = _held.pop(outdir, None)
    if fd is None:
        return
    path = Path(outdir, LOCK_NAME)
    if fcntl is not None:
        # Remove the file while it is still locked, then unlock by closing it.
        path.unlink(missing_ok=True)
        os.close(fd)
    else:  # Windows removes no file that is open: close it first
        os.close(fd)
        with contextlib.suppress(OSError):  # another build opened it meanwhile
            path.unlink(missing_ok=True)


def take_lock(outdir: Path) -> None:
    """Hold ``outdir`` for this process, or refuse the build if another holds it."""
    outdir = outdir.resolve()
    if outdir in _held:
        return
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _locked(fd):
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise BuildRefused(
                f"another build (process {holder}) is writing into {outdir}. "
                f"Wait for it to finish, or stop it (kill {holder}), then build "
                "again; or build into another folder."
            ) from None
        # The holder before us may have removed the file between our open and
        # our lock: then the lock is on a file nobody else sees. Start again.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    _held[outdir] = fd


def start_build(app: Sphinx) -> None:
    """Lock the output folder, then clear what a stopped build left in it."""
    outdir = Path(app.outdir)
    take_lock(outdir)
    if app.builder.name == "latex":
        # latexmk runs after Sphinx, in this process (make mode): keep the lock.
        atexit.register(_release, outdir.resolve())
        left = left_in(outdir)
        if left:
            stop(list(left))
            notice(
                f"stopped {len(left)} process(es) a killed build left working in "
                f"{outdir}: "
                + "; ".join(f"{pid} ({cmd[:200]})" for pid, cmd in left.items())
            )
        for document in app.config.latex_documents:
            name = Path(document[1]).stem
            if reason := unfinished_run(outdir, name):
                removed = remove_run_state(outdir, name)
                notice(
                    f"the last PDF build in {outdir} did not finish ({reason}); "
                    f"removed latexmk's files ({', '.join(removed)}) so that this "
                    "build starts afresh."
                )
    if app.builder.format == "html":
        info = outdir / ".buildinfo"
        if reason := build_info_unreadable(info):
            info.unlink()
            notice(
                f"{info} was unreadable ({reason}; a full disk?); removed it, "
                "so every page is written again."
            )


def finish_build(app: Sphinx, exception: Exception | None) -> None:
    """Free the output folder, except for latexmk, which runs after Sphinx."""
    if app.builder.name != "latex":
        _release(Path(app.outdir).resolve())
