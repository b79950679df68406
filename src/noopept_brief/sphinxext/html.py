"""The HTML pages: accessible markup, the navigation, the meta descriptions.

Everything here changes how Sphinx and furo write the HTML (never the text):
an accessible translator, furo's sidebar tree rendered once per build instead
of once per page, and each page's front-matter summary in its meta tags.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes

from ._upstream import give_toctree_back

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


# -- HTML: accessible markup ---------------------------------------------------
# axe-core (in the browser tests) rejects two pieces of the markup that docutils
# and Sphinx write. The translator below writes them the accessible way; the
# look does not change.


class AccessibleMarkup:
    """The two fixes, mixed into whichever HTML translator the builder uses."""

    def visit_title(self, node: nodes.title) -> None:
        # A toctree caption has role="heading", which needs an aria-level
        # (axe: aria-required-attr). Level 2: under the page's one <h1>.
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            self.body.append(
                self.starttag(
                    node,
                    "p",
                    "",
                    CLASS="caption",
                    ROLE="heading",
                    **{"aria-level": "2"},
                )
            )
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)

    def visit_citation(self, node: nodes.citation) -> None:
        # docutils gives each entry role="doc-biblioentry", deprecated and not
        # allowed on a <div>, inside a role="list" that then has no list items
        # (axe: aria-deprecated-role, aria-allowed-role,
        # aria-required-children). A list of list items says the same.
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(
            self.starttag(node, "div", classes=[node.tagname], role="listitem")
        )

    # Provided by the translator this is mixed into.
    body: list[str]
    context: list[str]
    starttag: Any


def use_accessible_translator(app: Sphinx) -> None:
    """builder-inited: the builder's own translator, with the two fixes."""
    if app.builder.format == "html":
        base = app.builder.get_translator_class()
        translator = type("AccessibleHTMLTranslator", (AccessibleMarkup, base), {})
        app.set_translator(app.builder.name, translator, override=True)


def skip_docutils_stylesheets(app: Sphinx) -> None:
    """builder-inited: docutils' HTML writer looks on disk for its own
    stylesheets each time it starts on a page, for a ``<head>`` that Sphinx's
    templates never use (about 2 ms a page here; the output is the same)."""
    app.env.settings["stylesheet_path"] = ""


# -- HTML: navigation rendered once per build ----------------------------------
# Stock furo renders the whole site's toctree into every page, then re-parses it
# with BeautifulSoup: the cost of a page grows with the site, so the build grows
# with the square of the page count. Here the tree is rendered and parsed once
# per build (per output folder, since links are relative), and each page only
# marks its own branch as current before the tree is written out. The markup is
# furo's own; tests/test_navigation.py compares it, page by page, with stock
# furo's.


_MARK = "data-brief-nav"


class _Tree:
    """One folder's tree, written out once, cut at every tag a page may mark."""

    def __init__(self, soup) -> None:
        tags = soup.find_all(["ul", "li", "a", "input"])
        for number, tag in enumerate(tags):
            tag[_MARK] = str(number)
        # Odd pieces are start tags: piece 2n+1 is tags[n]'s, as furo wrote it.
        self.pieces = re.split(rf'(<[^<>]*? {_MARK}="\d+"[^<>]*>)', str(soup))
        for number, tag in enumerate(tags):
            del tag[_MARK]
            piece = self.pieces[2 * number + 1]
            self.pieces[2 * number + 1] = piece.replace(f' {_MARK}="{number}"', "")
        self.soup = soup
        self.number = {id(tag): number for number, tag in enumerate(tags)}
        self.links: dict[str, list] = {}
        for link in soup.find_all("a", href=True):
            self.links.setdefault(link["href"], []).append(link)

    def start_tag(self, tag, **changes) -> tuple[int, str]:
        """The piece of ``tag``'s start tag, and that tag with ``changes``."""
        attrs = {**tag.attrs, **changes}
        html = str(self.soup.new_tag(tag.name, attrs=attrs))
        return 2 * self.number[id(tag)] + 1, html[: html.index(">") + 1]


class NavigationCache:
    """furo's sidebar tree for one build, marked per page."""

    def __init__(self) -> None:
        self._trees: dict[str, _Tree] = {}

    def tree(self, app: Sphinx, folder: str) -> _Tree:
        """The tree as linked from ``folder``, made on first use."""
        if folder not in self._trees:
            from bs4 import BeautifulSoup
            from furo.navigation import get_navigation_tree
            from sphinx.environment.adapters.toctree import global_toctree_for_doc

            # A name no document has, in the page's folder: links come out
            # relative to that folder, and no entry is marked current.
            toctree = global_toctree_for_doc(
                app.env, _neutral(folder), app.builder, tags=app.builder.tags,
                collapse=False, includehidden=True, maxdepth=-1, titles_only=True,
            )  # fmt: skip
            html = app.builder.render_partial(toctree)["fragment"] if toctree else ""
            soup = BeautifulSoup(get_navigation_tree(html), "html.parser")
            self._trees[folder] = _Tree(soup)
        return self._trees[folder]

    def render(self, app: Sphinx, pagename: str) -> str:
        """The tree as furo writes it on ``pagename``: its branch marked current."""
        folder = posixpath.dirname(pagename)
        tree = self.tree(app, folder)
        href = app.builder.get_relative_uri(_neutral(folder), pagename)
        classes: dict[int, list[str]] = {}  # id(tag) -> its classes on this page
        changed: dict[int, tuple] = {}  # id(tag) -> (tag, attribute changes)
        branch = []
        for link in tree.links.get(href, []):
            # As Sphinx marks it: the link and all its ancestors get "current",
            # placed after "toctree-lN" on an <li> and before the writer's own
            # classes on an <a>; and the link points at the page itself.
            changed[id(link)] = (link, {"href": "#"})
            for tag in [link, *link.parents]:
                if tag.name not in ("a", "li", "ul"):
                    continue
                now = classes.setdefault(id(tag), list(tag.get("class", [])))
                at = {"a": 0, "li": 1}.get(tag.name, len(now))
                now.insert(at, "current")
                changed.setdefault(id(tag), (tag, {}))[1]["class"] = now
                if tag.name == "li":
                    branch.append(tag)
                    box = tag.find("input", class_="toctree-checkbox", recursive=False)
                    if box is not None:  # as furo does: the branch is expanded
                        changed[id(box)] = (box, {"checked": ""})
        if branch:  # as furo marks it: the deepest current entry is the page
            deepest = max(branch, key=lambda li: len(list(li.parents)))
            classes[id(deepest)].append("current-page")
        pieces = tree.pieces.copy()
        for tag, changes in changed.values():
            at, html = tree.start_tag(tag, **changes)
            pieces[at] = html
        return "".join(pieces)


def _neutral(folder: str) -> str:
    """A document name no page has, in ``folder``."""
    return posixpath.join(folder, "\0brief-navigation")


#: One navigation cache per builder, dropped with it.
_caches: WeakKeyDictionary[Builder, NavigationCache] = WeakKeyDictionary()


def cached_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    """After furo's handler: the navigation tree from the cache."""
    if not give_toctree_back(context):
        return
    cache = _caches.get(app.builder)
    if cache is None:
        cache = _caches[app.builder] = NavigationCache()
        if app.builder.parallel_ok:
            # Sphinx writes this first page itself, then forks the writers,
            # which inherit the cache: each folder's tree is made once, here,
            # instead of once in every writer.
            for folder in sorted({posixpath.dirname(d) for d in app.env.found_docs}):
                cache.tree(app, folder)
    context["furo_navigation_tree"] = cache.render(app, pagename)


def reset_navigation(app: Sphinx, env: BuildEnvironment) -> None:
    """env-updated: a new build (sphinx-autobuild keeps the process), so titles
    may have changed."""
    _caches.pop(app.builder, None)


# -- Page summaries: the meta description --------------------------------------
# The rule that every page has one is noopept_brief.core.markdown.frontmatter.check_description.


def add_meta_description(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    """Put the page's front-matter summary into its description meta tags."""
    description = (context.get("meta") or {}).get("description")
    if not description:
        return
    # A copy: context["meta"] is the build environment's own record.
    context["meta"] = {**context["meta"], "og:description": description}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="description" content="{escape(description)}" />'
    )
