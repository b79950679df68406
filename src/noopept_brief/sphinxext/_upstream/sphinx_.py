"""Sphinx's internals (pinned ``sphinx>=9,<10``).

* Sphinx gives a post-transform no public way to the builder it runs for,
  yet ``make_refnode`` needs one (Sphinx's own ``ReferencesResolver`` reads
  the same private attribute): :func:`builder_of`.
* Sphinx's HTML builder reads ``.buildinfo`` with a private class, and
  crashes (IndexError) on a file a full disk left empty:
  :func:`build_info_unreadable` reads it the same way first.
* Sphinx's HTML builder renders each page with its ``templates.render``
  and writes the result, with no event that sees the written HTML: the
  output gate checks each page from that string
  (:func:`watch_rendered_pages`).
* Sphinx's smartquotes transform runs docutils' ``educate_tokens`` over
  every text of every page, most of which hold nothing it changes:
  :class:`SmartQuotes` hands those over as ``literal`` tokens, which it
  passes through as they are (:func:`use_smartquotes`, in Sphinx's registry).
* Sphinx's parallel writer holds each chunk of page trees until it is
  written, though the chunk's process has its own copy once it has forked:
  :func:`release_trees_when_forked` (:class:`TreeReleasingTasks`).
* Sphinx's parallel reader merges each chunk's environment as soon as the
  chunk is read, and forks the next chunk's process after that merge: each
  process then pickles back every page merged before it, so reading grows
  faster than the page count. :func:`merge_reads_when_all_read`
  (:class:`MergeLaterTasks`) merges once every chunk is read.
* Sphinx reads every page with settings from a new docutils option parser
  (``_get_settings``, which also reads docutils' config files from disk):
  :func:`settings_once_a_build` makes each parser once a build.
* Sphinx's ``HighlightLanguageTransform`` walks every node of every page
  twice, in the main process as it resolves each page for writing, to find
  its code blocks: :class:`HighlightLanguage` finds them in one walk
  (:func:`use_highlight_language`, in Sphinx's registry).
* Sphinx's ``EventManager`` connects and disconnects handlers by id, but has
  no public way to find another extension's: :func:`disconnect_module` reads
  its ``listeners`` (for the sitemap's and the git dates' modules here).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx.builders
import sphinx.util.docutils
from docutils import nodes
from docutils.frontend import OptionParser, Values
from docutils.utils import DependencyList
from sphinx import addnodes
from sphinx.transforms import SphinxSmartQuotes
from sphinx.transforms.post_transforms.code import (
    HighlightLanguageTransform,
    HighlightLanguageVisitor,
)
from sphinx.util.parallel import ParallelTasks

from ...core._upstream import SMARTY_WORK

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.events import EventManager


def build_info_unreadable(path: Path) -> str | None:
    """Why Sphinx cannot read the ``.buildinfo`` at ``path``; None if it can
    (or if there is none: a first build)."""
    from sphinx.builders.html._build_info import BuildInfo

    try:
        BuildInfo.load(path)
    except FileNotFoundError:
        return None
    except Exception as error:  # IndexError for an empty file, ValueError, ...
        return (
            f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        )
    return None


def builder_of(env: BuildEnvironment) -> Builder:
    """The builder a post-transform runs for (private: ``env._app``)."""
    return env._app.builder


class _WatchedTemplates:
    """The builder's template renderer, telling ``written`` each page it renders."""

    def __init__(self, templates: Any, written: Callable[[dict, str], None]) -> None:
        self._templates = templates
        self._written = written

    def render(self, template: str, context: dict[str, Any]) -> str:
        output = self._templates.render(template, context)
        if template.endswith(".html") and "pagename" in context:
            self._written(context, output)
        return output

    def __getattr__(self, name: str) -> Any:
        return getattr(self._templates, name)


def watch_rendered_pages(
    builder: Builder, written: Callable[[dict[str, Any], str], None]
) -> None:
    """Call ``written(context, html)`` with every page the HTML builder renders,
    just before it writes the page (private: Sphinx's ``handle_page`` renders
    each page through ``builder.templates.render``)."""
    builder.templates = _WatchedTemplates(builder.templates, written)


class SmartQuotes(SphinxSmartQuotes):
    """Sphinx's smartquotes transform, passing over the texts it would leave
    as they are. A text with no null escape and nothing ``SMARTY_WORK``
    finds comes out of ``educate_tokens`` unchanged, smart-quotable or not
    (Sphinx's ``is_smartquotable`` walks up every text's parents); as a
    literal token it also gives the next text the same last character to
    read quotes by."""

    def get_tokens(self, txtnodes: list[nodes.Text]) -> Iterator[tuple[str, str]]:
        upstream = super().get_tokens
        for node in txtnodes:
            text = str(node)
            if "\x00" not in text and not SMARTY_WORK.search(text):
                yield "literal", text
            else:
                yield from upstream([node])


def use_smartquotes(app: Sphinx) -> None:
    """Put :class:`SmartQuotes` in Sphinx's place (its registry's list of
    transforms, which has no public way to replace one)."""
    transforms = app.registry.transforms
    transforms[transforms.index(SphinxSmartQuotes)] = SmartQuotes


class TreeReleasingTasks(ParallelTasks):
    """Sphinx's ``ParallelTasks``, handing each chunk of page trees to
    :attr:`release` once the chunk's process has started, so has its own copy
    (private: ``_join_one`` starts waiting tasks; ``_precvs`` holds the
    started ones, ``_args`` their chunks, the writer's as (docname, tree))."""

    release: Callable[[nodes.document], None] = staticmethod(lambda tree: None)

    def _join_one(self) -> bool:
        joined = super()._join_one()
        for tid in self._precvs:
            chunk = self._args.get(tid)
            if chunk and isinstance(chunk, list) and _trees(chunk):
                for _docname, tree in chunk:
                    self.release(tree)
                chunk.clear()
        return joined


def _trees(chunk: list[Any]) -> bool:
    return all(isinstance(item, tuple) and isinstance(item[-1], nodes.document)
               for item in chunk)  # fmt: skip


def release_trees_when_forked(release: Callable[[nodes.document], None]) -> None:
    """Have Sphinx's parallel writer give each chunk's trees to ``release`` once
    the chunk's process has them (private: ``sphinx.builders`` makes its
    ``ParallelTasks`` by that name); :func:`sphinx_own_tasks` undoes it."""
    TreeReleasingTasks.release = staticmethod(release)
    sphinx.builders.ParallelTasks = TreeReleasingTasks  # type: ignore[misc]


def sphinx_own_tasks() -> None:
    """Sphinx's own ``ParallelTasks`` back in ``sphinx.builders`` (undoes
    :func:`release_trees_when_forked` and :func:`merge_reads_when_all_read`)."""
    sphinx.builders.ParallelTasks = ParallelTasks  # type: ignore[misc]


class MergeLaterTasks(ParallelTasks):
    """Sphinx's ``ParallelTasks``, running each task's result function at
    :meth:`join`, in the order the tasks were added, instead of as each task
    ends (private: Sphinx's parallel reader passes its ``merge`` as the
    result function, and calls ``join`` once every chunk is added).

    Every process is then forked from the environment as it was before
    reading, so each sends back its own chunk's pages only. (Merged as each
    ended, the 18 chunks of 1,013 pages sent 55 MB in all, growing from 1.3
    to 4.9 MB, and the main process used 2.3 to 2.8 s more CPU while
    reading.) The merges also no longer depend on which chunk happened to
    end first. Sphinx's progress line for reading moves when the merges run,
    at the end."""

    def __init__(self, nproc: int) -> None:
        super().__init__(nproc)
        self._ended: list[tuple[int, Callable[[Any, Any], Any], Any, Any]] = []

    def add_task(
        self,
        task_func: Callable[[Any], Any] | Callable[[], Any],
        arg: Any = None,
        result_func: Callable[[Any, Any], Any] | None = None,
    ) -> None:
        tid, then = self._taskid, result_func or (lambda arg, result: None)

        def ended(arg: Any, result: Any) -> None:
            self._ended.append((tid, then, arg, result))

        super().add_task(task_func, arg, ended)

    def join(self) -> None:
        super().join()
        self.merge_ended()

    def merge_ended(self) -> None:
        """Run the ended tasks' result functions, in the order of the tasks."""
        ended, self._ended = sorted(self._ended, key=lambda task: task[0]), []
        for _tid, then, arg, result in ended:
            then(arg, result)


def merge_reads_when_all_read() -> None:
    """Have Sphinx's parallel reader merge what its processes read once they
    have all ended (private: ``sphinx.builders`` makes its ``ParallelTasks``
    by that name); :func:`sphinx_own_tasks` undoes it."""
    sphinx.builders.ParallelTasks = MergeLaterTasks  # type: ignore[misc]


#: Sphinx's own, put back by :func:`settings_as_sphinx_makes_them`.
_SPHINX_GET_SETTINGS = sphinx.util.docutils._get_settings
#: This build's option parsers, by the classes of the components they are for:
#: (the defaults each was made with, the parser).
_parsers: dict[tuple[Any, ...], tuple[dict[str, Any], OptionParser]] = {}


def settings_of(
    *components: Any, defaults: dict[str, Any], read_config_files: bool = False
) -> Values:
    """Sphinx's ``_get_settings``, from an option parser made once a build for
    each set of components and defaults (a new one read over a hundred options
    and docutils' config files for every page). Each page still gets settings
    of its own, and its own list of the files it depends on, as a new parser
    gives it (``tests/test_upstream.py`` compares the two)."""
    key = (tuple(c if isinstance(c, type) else type(c) for c in components),
           read_config_files)  # fmt: skip
    made = _parsers.get(key)
    if made is None or made[0] != defaults:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            parser = OptionParser(
                components=components, defaults=defaults,
                read_config_files=read_config_files,
            )  # fmt: skip
        made = _parsers[key] = (dict(defaults), parser)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        settings = made[1].get_default_values()
    settings.record_dependencies = DependencyList()  # shared by the parser
    return settings


def settings_once_a_build(app: Sphinx) -> None:
    """At ``builder-inited``: Sphinx reads pages with :func:`settings_of`
    (private: ``_parse_str_to_doctree`` calls ``_get_settings`` by that
    name), from parsers made anew for this build, as config files may have
    changed since the last."""
    _parsers.clear()
    sphinx.util.docutils._get_settings = settings_of


def settings_as_sphinx_makes_them(app: Sphinx, exception: Exception | None) -> None:
    """At ``build-finished``, failed builds too: Sphinx's own back."""
    _parsers.clear()
    sphinx.util.docutils._get_settings = _SPHINX_GET_SETTINGS


#: What Sphinx's visitor acts on, by class name (docutils dispatches visits by
#: name): anything but code blocks and inlined pages sends a page to Sphinx's
#: own walk.
_HIGHLIGHT_NODES = frozenset({"literal_block", "highlightlang", "start_of_file",
                              "document"})  # fmt: skip
#: Without a ``highlight`` setting, an inlined page (``start_of_file``, as in
#: the PDF's one document) starts again from the default: nothing to track.
_FAST_NODES = frozenset({"literal_block", "start_of_file"})


class HighlightLanguage(HighlightLanguageTransform):
    """Sphinx's transform, finding a page's code blocks in one walk instead of
    a visitor's walk and a search. On a page whose only such nodes are code
    blocks and inlined pages, each code block gets the default language, as
    the visitor gives it; any ``highlight`` setting goes to Sphinx's own
    code."""

    def apply(self, **kwargs: Any) -> None:
        found = [
            node for node in self.document.findall(nodes.Element)
            if type(node).__name__ in _HIGHLIGHT_NODES
            or isinstance(node, addnodes.highlightlang)
        ][1:]  # fmt: skip
        if any(type(node).__name__ not in _FAST_NODES for node in found):
            super().apply(**kwargs)
            return
        visitor = HighlightLanguageVisitor(
            self.document, self.config.highlight_language
        )
        visitor.visit_document(self.document)
        for node in found:
            if type(node).__name__ == "literal_block":
                visitor.visit_literal_block(node)


def disconnect_module(
    events: EventManager, module: str, names: tuple[str, ...]
) -> None:
    """Disconnect every handler that ``module`` connected to the events
    ``names`` (Sphinx's ``EventManager.listeners``, which has no public
    reader)."""
    for name in names:
        for listener in list(events.listeners.get(name, ())):
            if getattr(listener.handler, "__module__", "") == module:
                events.disconnect(listener.id)


def use_highlight_language(app: Sphinx) -> None:
    """Put :class:`HighlightLanguage` in Sphinx's place (its registry's list of
    post-transforms, which has no public way to replace one)."""
    transforms = app.registry.post_transforms
    transforms[transforms.index(HighlightLanguageTransform)] = HighlightLanguage
