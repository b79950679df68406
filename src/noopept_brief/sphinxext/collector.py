"""The garbage collector during a build, tuned for its many page trees.

A build makes a docutils tree for every page, and drops it once the page is
written. Each node points to its parent, so every tree is a web of reference
cycles that only Python's cyclic collector frees. At CPython's thresholds
(700, 10, 10) the collector also walks everything that lives on, the whole
environment included, about twenty times in a 400-page build: about 10 s of
the main process's 30 s, and as much again in the processes that read and
write pages. mypy tunes its own builds the same way (``gc.set_threshold`` in
``mypy/build.py``).

:func:`tune` raises the thresholds before the first page is read
(``env-before-read-docs``); the processes a parallel build forks inherit
them. :func:`restore` gives the program back its own when the build ends,
failed or not (``build-finished``), since the tests run builds in their own
process. Nothing is switched off: the trees are still freed, in fewer and
larger collections.

What a build leaves (its application, environment and trees: 1.3 million
objects at 400 pages) is garbage once ``sphinx-build`` returns, and only
the final collection at the program's exit would free it: 2.3 to 2.9 s of a
25 s build, for memory the system takes back anyway. :func:`freeze_at_exit`
has the program freeze its objects as it exits (``gc.freeze`` as an exit
handler), so that the final collection skips them. A long-lived program is
unaffected until it exits; a parallel build's page processes end without
running exit handlers.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: A young collection after 150,000 new objects instead of 700, as mypy does;
#: the older generations keep CPython's ratios.
THRESHOLDS = (150_000, 10, 10)

#: The thresholds before the build, for each build under way in this process.
_before: list[tuple[int, int, int]] = []
#: Whether this process freezes its objects as it exits (registered once).
_frozen_at_exit: list[bool] = []


def tune(app: Sphinx, *args: Any) -> None:
    """env-before-read-docs: fewer collections while the build runs."""
    _before.append(gc.get_threshold())
    gc.set_threshold(*THRESHOLDS)


def restore(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the thresholds the program had before the build."""
    if _before:
        gc.set_threshold(*_before.pop())


def freeze_at_exit(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the program's exit skips collecting what builds left."""
    if not _frozen_at_exit:
        atexit.register(gc.freeze)
        _frozen_at_exit.append(True)
