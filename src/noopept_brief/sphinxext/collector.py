"""The build's memory: the garbage collector, tuned for its many page trees,
and what the processes of a parallel build carry.

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
process. In the main process nothing is switched off: the trees are still
freed, in fewer and larger collections.

A parallel build forks a process for each chunk of pages it reads or
writes; it lives for one chunk, and ends without freeing anything. Such a
process runs without the cyclic collector (:func:`in_page_process`): each
of its collections walked what it inherited as well as what it made, and
touched, so copied, memory it shares with the main process. At 400 pages,
side by side: 0.4 to 1.1 s less CPU a build (1.2% and 2.8% in two
measurements), and in one measurement less memory, not more (all
processes' own memory at its peak: 523 MB against 576 MB).

When a parallel build starts writing, what it read (the environment, and
what merging the page processes' results left) lives on, or is garbage to
be freed at the end, while the main process resolves page after page and
holds each page's tree until its chunk is written: at 1,000 pages millions
of objects, which every older-generation collection walked again.
:func:`freeze_read` freezes what is there when writing starts
(``gc.freeze``), so the write phase's collections walk only what writing
makes; :func:`restore` unfreezes it. At 1,000 pages, side by side: 6% less
CPU (110.4 s against 117.4 s) with a probe's variant runner, 3.9% (114.6 s
against 119.2 s) with ``bench/run.py --against``; at 400 pages, 1% and 2.5%.
The cost: 150 MB more at the peak at 1,000 pages (950 MB against 801 MB).
Serial builds are left alone: they keep every page's tree from reading
for writing, and would then keep them all to the end.

Sphinx's parallel writer also holds each chunk of resolved trees in the
main process until the chunk's writing process ends, though that process
has its own copy from the fork: 420,000 nodes at 400 pages, which lived
into the older generations and died as cyclic garbage.
:func:`release_written` has them freed as soon as the chunk's process has
started (:func:`release_tree`, by reference counting). The main process's
peak memory: 260 MB against 400 MB at 400 pages, 442 MB against 950 MB at
1,000; CPU, side by side, the same (59.9 s against 59.9 s at 400 pages,
142.8 s against 143.4 s at 1,000); the write phase's wall time, in turns,
16.8 s against 18.4 s at 400 pages (medians of four).

Sphinx's parallel reader merged each chunk's environment as the chunk
ended, and forked the next chunk's process after that merge, so each
process sent back every page merged before it too: at 1,013 pages, 18
chunks sent 55 MB, for the main process to unpickle and drop.
:func:`merge_when_all_read` has the merges wait until every chunk is read
(``_upstream.MergeLaterTasks``), so each process sends its own pages.
Three builds each, in turns (2026-12-07, 22:55 to 23:05 UTC): the main
process's CPU while reading 0.8 to 0.9 s against 3.1 to 3.7 s at 1,000
pages, and 0.4 to 0.5 s against 0.7 to 0.9 s at 400.

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
import os
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ._upstream import (
    merge_reads_when_all_read,
    release_trees_when_forked,
    sphinx_own_tasks,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: A young collection after 150,000 new objects instead of 700, as mypy does;
#: the older generations keep CPython's ratios.
THRESHOLDS = (150_000, 10, 10)

#: The thresholds before the build, for each build under way in this process.
_before: list[tuple[int, int, int]] = []
#: Whether this process freezes its objects as it exits (registered once).
_frozen_at_exit: list[bool] = []
#: Whether this process has told os.fork about page processes (once).
_fork_hooked: list[bool] = []
#: Whether the build under way froze what it read (freeze_read).
_frozen: list[bool] = []


def tune(app: Sphinx, *args: Any) -> None:
    """env-before-read-docs: fewer collections while the build runs."""
    _before.append(gc.get_threshold())
    gc.set_threshold(*THRESHOLDS)
    if not _fork_hooked:
        os.register_at_fork(after_in_child=in_page_process)
        _fork_hooked.append(True)


def in_page_process() -> None:
    """In a process just forked: while a build is under way (between tune and
    restore), it is one of the build's page processes, and needs no collector.
    """
    if _before:
        gc.disable()


def freeze_read(app: Sphinx, builder: Any) -> None:
    """write-started: a parallel build's collections walk only what writing makes."""
    if app.parallel > 1 and not _frozen:
        gc.freeze()
        _frozen.append(True)


def merge_when_all_read(app: Sphinx, *args: Any) -> None:
    """env-before-read-docs: a parallel build's reading processes each send
    back only the pages they read."""
    merge_reads_when_all_read()


def release_written(app: Sphinx, builder: Any) -> None:
    """write-started: a parallel build frees each chunk's page trees in the
    main process as soon as the chunk's page process has started. (Sphinx
    sets ``parallel_ok`` when it will write in parallel: not only ``-j``, but
    every extension safe for it.) A serial writer gets Sphinx's own tasks
    back from the reader."""
    if getattr(builder, "parallel_ok", False):
        release_trees_when_forked(release_tree)
    else:
        sphinx_own_tasks()


def release_tree(tree: nodes.document) -> None:
    """Free a page's tree now, by reference counting, instead of in a later
    collection: empty every element (its children, its parent, its
    attributes), so that no node is left in a reference cycle. Text nodes
    are freed with the element that held them."""
    stack: list[nodes.Element] = [tree]
    while stack:
        element = stack.pop()
        stack.extend([n for n in element.children if isinstance(n, nodes.Element)])
        element.__dict__.clear()


def restore(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the thresholds the program had before the build, what
    the build froze back among what the collector walks, and Sphinx's own
    ``ParallelTasks`` (release_written)."""
    sphinx_own_tasks()
    if _frozen:
        gc.unfreeze()
        _frozen.clear()
    if _before:
        gc.set_threshold(*_before.pop())


def freeze_at_exit(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the program's exit skips collecting what builds left."""
    if not _frozen_at_exit:
        atexit.register(gc.freeze)
        _frozen_at_exit.append(True)
