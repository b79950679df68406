"""The build's memory (src/noopept_brief/sphinxext/collector.py): the garbage
collector tuned while pages are read and written, and the program's own
thresholds back when the build ends, failed or not. The tests run builds in
their own process, so a threshold left behind would change every test after
it. A parallel build's page processes run without the collector, each
reading process sends back only its own pages, and the build writes with
what it read frozen, unfrozen at its end, and frees each page's tree as soon
as the process that writes it has its copy; what a build leaves is not
collected again as the program exits.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import weakref

import pytest
from conftest import CLAIMS_MODEL_BUILD, texts_when_told
from docutils.core import publish_doctree
from sphinx.errors import ExtensionError

from noopept_brief.sphinxext import collector


def test_the_thresholds_differ_from_the_default() -> None:
    # Tuning to the default thresholds would be no tuning at all.
    assert collector.THRESHOLDS[0] > 700
    assert collector.THRESHOLDS[1:] == (10, 10)


@CLAIMS_MODEL_BUILD(parallel=2)
def test_a_build_is_tuned_and_gives_the_thresholds_back_when_it_fails(
    app, monkeypatch
) -> None:
    at_exit, frozen = [], []
    monkeypatch.setattr(collector, "_frozen_at_exit", [])
    register = collector.atexit.register

    def registered(handler, *args, **kwargs):  # others' handlers still count
        at_exit.append(handler)
        return handler if handler is gc.freeze else register(handler, *args, **kwargs)

    monkeypatch.setattr(collector.atexit, "register", registered)

    def read(app, doctree) -> None:  # in a page process: told by a file
        with open(app.outdir / "thresholds-read", "a", encoding="utf-8") as file:
            file.write(f"{gc.get_threshold()}\n")

    def fail(app, doctree, docname) -> None:
        frozen.append(gc.get_freeze_count())  # the page is resolved to be written
        raise RuntimeError("a build that fails after reading")

    app.connect("doctree-read", read)
    app.connect("doctree-resolved", fail)
    before = gc.get_threshold()
    assert before != collector.THRESHOLDS
    with pytest.raises(ExtensionError, match="fails after reading"):
        app.build()
    read_with = app.outdir / "thresholds-read"
    seen = (
        read_with.read_text(encoding="utf-8").splitlines() if read_with.exists() else []
    )
    assert seen, "the build read no page"
    assert set(seen) == {str(collector.THRESHOLDS)}, (
        "every page was read with tuned thresholds"
    )
    assert frozen and frozen[0] > 0, (
        "a parallel build wrote with what it read unfrozen: connect "
        "collector.freeze_read to write-started (noopept_brief/sphinxext/__init__.py)"
    )
    assert gc.get_freeze_count() == 0, (
        "a failed build left what it read frozen: collector.restore must unfreeze it"
    )
    assert gc.get_threshold() == before, (
        "a failed build left its garbage-collector thresholds in the program; "
        "collector.restore must run on build-finished, failed builds included"
    )
    # (multiprocessing registers its own exit handler when the build forks.)
    assert at_exit.count(gc.freeze) == 1, (
        "the build did not have the program's exit skip collecting what it left: "
        "connect collector.freeze_at_exit to build-finished "
        "(noopept_brief/sphinxext/__init__.py)"
    )


#: A program that leaves an object with a finalizer in a reference cycle, as a
#: build leaves its trees, and exits: only the exit's final collection would
#: run the finalizer. With an argument, it first does what a build does at its
#: end (collector.freeze_at_exit).
AT_EXIT = """
import sys
if sys.argv[1:]:
    from noopept_brief.sphinxext import collector
    collector.freeze_at_exit(None, None)
class Garbage:
    def __del__(self):
        print("collected at exit", flush=True)
garbage = Garbage()
garbage.cycle = garbage
del garbage
"""


def test_the_program_exit_does_not_collect_what_a_build_left() -> None:
    """What a build leaves is garbage once sphinx-build returns; at 400 pages
    collecting it as the program exits took 2.3 to 2.9 s. The extension has
    the exit freeze it instead (collector.freeze_at_exit)."""
    plain, built = (
        subprocess.run(
            [sys.executable, "-c", AT_EXIT, *argument],
            capture_output=True, text=True, encoding="utf-8", check=True,
        ).stdout
        for argument in ([], ["after a build"])
    )  # fmt: skip
    assert plain == "collected at exit\n", "the probe itself no longer works"
    assert "collected at exit" not in built, (
        "the program collected its garbage as it exited after a build: "
        "collector.freeze_at_exit must have the exit freeze it (gc.freeze)"
    )


def _collector_in_a_forked_process() -> bool:
    """Whether a process forked now has its cyclic collector on."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        os.write(write, b"1" if gc.isenabled() else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.close(read)
    os.waitpid(child, 0)
    return answer == b"1"


def test_page_processes_run_without_the_collector() -> None:
    """A parallel build forks a process a chunk of pages, between tune and
    restore: it needs no collector. A process forked at any other time keeps
    it, and so does the build's own."""
    assert gc.isenabled() and _collector_in_a_forked_process(), "no build yet"
    collector.tune(None)  # type: ignore[arg-type]
    try:
        during = _collector_in_a_forked_process()
        assert gc.isenabled(), "the build's own process must keep its collector"
    finally:
        collector.restore(None, None)  # type: ignore[arg-type]
    assert not during, (
        "a process a build forks for its pages ran with the cyclic collector: "
        "collector.tune must register collector.in_page_process with os.fork"
    )
    assert _collector_in_a_forked_process(), (
        "a process forked after the build has no collector: "
        "collector.in_page_process must act only while a build is under way"
    )


def test_only_a_parallel_build_freezes_what_it_read() -> None:
    """A serial build keeps every page's tree from reading for writing; frozen,
    each would stay to the end of the build instead of going once written."""

    class App:
        parallel = 1

    collector.freeze_read(App(), None)  # type: ignore[arg-type]
    assert gc.get_freeze_count() == 0, "collector.freeze_read froze a serial build"
    App.parallel = 3
    collector.freeze_read(App(), None)  # type: ignore[arg-type]
    try:
        assert gc.get_freeze_count() > 0, "a parallel build (-j 3) froze nothing"
    finally:
        collector.restore(App(), None)  # type: ignore[arg-type]
    assert gc.get_freeze_count() == 0


def test_the_exit_handler_is_registered_once(monkeypatch) -> None:
    registered = []
    monkeypatch.setattr(collector, "_frozen_at_exit", [])
    monkeypatch.setattr(collector.atexit, "register", registered.append)
    for _ in range(3):  # three builds in one program
        collector.freeze_at_exit(None, None)  # type: ignore[arg-type]
    assert registered == [gc.freeze], (
        "collector.freeze_at_exit must register gc.freeze once a program"
    )


def test_a_released_tree_is_freed_without_a_collection() -> None:
    """Every node of a page's tree is in a reference cycle (its parent holds
    it); collector.release_tree breaks them all, so the tree goes at once."""
    # As Sphinx loads a page's tree to write it (what made it is gone).
    page = "A *page*\n\n- with a list\n- and `a link <https://example.org>`_\n"
    tree = pickle.loads(pickle.dumps(publish_doctree(page)))
    alive = [weakref.ref(node) for node in tree.findall()]
    assert len(alive) > 8
    gc.disable()
    try:
        del tree
        assert all(ref() for ref in alive), "the probe itself no longer works"
        tree = alive[0]()
        collector.release_tree(tree)
        del tree
        left = [ref() for ref in alive if ref() is not None]
    finally:
        gc.enable()
    assert not left, (
        f"{len(left)} nodes of a released tree are left for the collector "
        f"(first: {type(left[0]).__name__}): collector.release_tree must empty "
        "every element"
    )


def test_a_chunk_is_released_once_its_process_has_started_and_not_before(
    monkeypatch,
) -> None:
    """Sphinx's parallel writer, as collector.release_written sets it up: the
    main process frees a chunk's trees once the chunk's process has forked,
    and the process still writes them whole; a chunk still waiting for a
    process keeps its trees."""
    import sphinx.builders

    released: list[str] = []
    release_tree = collector.release_tree

    def release(tree) -> None:
        released.append(tree.astext())
        release_tree(tree)

    monkeypatch.setattr(collector, "release_tree", release)
    read, write = os.pipe()
    done: list[list[str]] = []
    first = [(str(read), publish_doctree("first page"))]
    second = [(str(read), publish_doctree("second page"))]

    class Builder:
        parallel_ok = True  # Sphinx writes in parallel

    collector.release_written(None, Builder())  # type: ignore[arg-type]
    tasks = sphinx.builders.ParallelTasks(1)
    try:
        for chunk in (first, second):
            tasks.add_task(
                texts_when_told, chunk, lambda arg, result: done.append(result)
            )
        assert released == ["first page"], "the started chunk was not released"
        assert first == [] and len(second) == 1, (
            "collector.release_written must free only the chunks whose process "
            "has started (a waiting chunk's process has not copied it yet)"
        )
        os.write(write, b"xx")
        tasks.join()
    finally:
        tasks.terminate()  # a process still waiting on the pipe, if a check failed
        collector.restore(None, None)  # type: ignore[arg-type]
        os.close(read)
        os.close(write)
    assert released == ["first page", "second page"]
    assert done == [["first page"], ["second page"]], (
        "a writing process lost its trees when the main process freed its own"
    )
    assert sphinx.builders.ParallelTasks.__module__ == "sphinx.util.parallel"


#: What the main process has merged, as a forked reading process sees it.
_merged: list[str] = []


def _merged_when_forked(chunk: str) -> list[str]:
    return list(_merged)


def test_reading_processes_start_before_any_chunk_is_merged() -> None:
    """collector.merge_when_all_read: each reading process is forked from what
    the main process had before reading, so it sends back only its own pages;
    the merges run once every chunk is read, in the order of the chunks."""
    import sphinx.builders

    seen: list[list[str]] = []

    def merge(chunk: str, merged_before: list[str]) -> None:
        _merged.append(chunk)
        seen.append(merged_before)

    collector.merge_when_all_read(None)  # type: ignore[arg-type]
    # One process at a time, as a build with more chunks than processes.
    tasks = sphinx.builders.ParallelTasks(1)
    try:
        for chunk in ("first", "second", "third"):
            tasks.add_task(_merged_when_forked, chunk, merge)
        tasks.join()
    finally:
        tasks.terminate()
        collector.restore(None, None)  # type: ignore[arg-type]
        merged, _merged[:] = _merged.copy(), []
    assert seen == [[], [], []], (
        "a reading process started after chunks were merged, so it sent them "
        f"back again (what each process saw: {seen}): connect "
        "collector.merge_when_all_read to env-before-read-docs "
        "(src/noopept_brief/sphinxext/__init__.py)"
    )
    assert merged == ["first", "second", "third"], (
        f"merged in the order the processes ended ({merged}), not the chunks'"
    )
    assert sphinx.builders.ParallelTasks.__module__ == "sphinx.util.parallel"


@pytest.mark.parametrize("after_reading", [False, True])
def test_a_serial_writer_writes_with_sphinxs_own_tasks(after_reading: bool) -> None:
    # After a parallel reader too, whose tasks merge_when_all_read put in place.
    import sphinx.builders

    class Builder:
        parallel_ok = False  # Sphinx writes serially

    if after_reading:
        collector.merge_when_all_read(None)  # type: ignore[arg-type]
    collector.release_written(None, Builder())  # type: ignore[arg-type]
    try:
        assert sphinx.builders.ParallelTasks.__module__ == "sphinx.util.parallel", (
            "a serial writer kept another ParallelTasks in sphinx.builders: "
            "collector.release_written must leave or put back Sphinx's own "
            "(src/noopept_brief/sphinxext/collector.py)"
        )
    finally:
        collector.restore(None, None)  # type: ignore[arg-type]
