"""Builds that recover on their own from what a stopped build left behind.

At the start of every build (``builder-inited``), before Sphinx reads a page:

1. **One build per output folder.** A second build into a folder that a
   running build holds is refused, with the first build's process id. The
   lock is a POSIX record lock on ``.brief-build.lock``: the kernel drops it
   when its process ends, SIGKILL included, and processes forked from the
   build (sphinx-sitemap's manager) do not inherit it. (The PDF is compiled
   inside the build's own process, by the typst wheel: nothing outlives it.)
2. **An unreadable ``.buildinfo``** (0 bytes after a full disk) crashed every
   later HTML build: it is removed, so every page is written again.

Each recovery prints one line on stderr: never a Sphinx warning, which -W
would turn into the very failure this avoids.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import SphinxError

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
    if app.builder.format == "html":
        info = outdir / ".buildinfo"
        if reason := build_info_unreadable(info):
            info.unlink()
            notice(
                f"{info} was unreadable ({reason}; a full disk?); removed it, "
                "so every page is written again."
            )


def finish_build(app: Sphinx, exception: Exception | None) -> None:
    """Free the output folder."""
    _release(Path(app.outdir).resolve())
