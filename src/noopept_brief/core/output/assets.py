"""The files the site may publish: ``docs/static-manifest.txt``, and the rules.

Rule *asset* (:func:`check_assets`, over the sources): every file under ``docs/_static/`` and ``docs/_templates/`` must be listed in
the manifest with its purpose. Even a listed file is refused if it is an
HTML page in ``_static/`` or an SVG that holds a script, an event handler or
a link out; an unlisted file named like one of the theme's or Sphinx's own
assets would replace it on every page. Rule *built-asset*
(:func:`check_static`, over the built site, for the output gate): every file
under the site's ``_static/`` is the theme's, Sphinx's or listed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..rules import Rule
from ..violations import Violation, relative

#: The manifest, relative to the docs folder.
MANIFEST = "static-manifest.txt"
#: The folders the manifest covers.
COVERED = ("_static", "_templates")
#: What furo and Sphinx write into the site's _static/ themselves.
THEME_ASSETS = frozenset(
    [
        "basic.css",
        "doctools.js",
        "documentation_options.js",
        "file.png",
        "language_data.js",
        "minus.png",
        "plus.png",
        "searchtools.js",
        "sphinx_highlight.js",
        "pygments.css",
        "base-stemmer.js",
        "english-stemmer.js",
        "skeleton.css",
        "debug.css",
        "scripts/furo.js",
        "scripts/furo-extensions.js",
        "scripts/furo.js.LICENSE.txt",
        "scripts/furo.js.map",
        "styles/furo.css",
        "styles/furo.css.map",
        "styles/furo-extensions.css",
        "styles/furo-extensions.css.map",
        "jquery.js",
        "underscore.js",
        "_sphinx_javascript_frameworks_compat.js",
    ]
)
#: Templates furo and Sphinx ship, which a file in _templates/ would replace.
THEME_TEMPLATES = frozenset(
    [
        "page.html",
        "base.html",
        "layout.html",
        "search.html",
        "genindex.html",
        "domainindex.html",
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/navigation.html",
        "sidebar/scroll-start.html",
        "sidebar/scroll-end.html",
        "sidebar/ethical-ads.html",
        "partials/icons.html",
        "partials/_head_css_variables.html",
    ]
)
# In an SVG: anything that runs code, embeds HTML or loads something.
SVG_DANGER = re.compile(
    r"<\s*(?:script|foreignObject|iframe|embed|object)\b|\son[a-z]{1,40}\s*=|"
    r"javascript:|(?:xlink:)?href\s*=\s*[\"']?\s*(?!#)[a-z]{1,20}:",
    re.I,
)


def read_manifest(docs_dir: Path) -> dict[str, int]:
    """The files the manifest lists, each with its line (relative to docs/)."""
    path = docs_dir / MANIFEST
    if not path.is_file():
        return {}
    listed = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        name = line.partition("#")[0].strip()
        if name:
            listed[name] = number
    return listed


def check_assets(docs_dir: Path, shown_root: Path | None = None) -> list[Violation]:
    """Rule *asset*: every file in ``_static/`` and ``_templates/`` is listed and safe.

    Messages name each file relative to ``shown_root``, or by its full path.
    """
    listed = read_manifest(docs_dir)
    problems = []
    for folder in COVERED:
        for path in sorted((docs_dir / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            name = path.relative_to(docs_dir).as_posix()
            inner = path.relative_to(docs_dir / folder).as_posix()
            why = None
            if folder == "_static" and path.suffix.lower() in (
                ".htm",
                ".html",
                ".xhtml",
                ".shtml",
            ):
                why = ("is an HTML page: published as it is, it could run "
                       "anything. Write the page in MyST under docs/ instead")  # fmt: skip
            elif path.suffix.lower() in (".svg", ".svgz") and SVG_DANGER.search(
                path.read_bytes().decode("utf-8", "replace")
            ):
                why = ("holds a script, an event handler, embedded HTML or a "
                       "link out, which runs in readers' browsers. Use a plain "
                       "drawing, with no script or link")  # fmt: skip
            elif name not in listed:
                theme = THEME_ASSETS if folder == "_static" else THEME_TEMPLATES
                what = (" and shadows the theme's or Sphinx's own file of that name"
                        if inner in theme else "")  # fmt: skip
                why = (f"is not listed in docs/{MANIFEST}{what}. Remove it, or "
                       "list it there with its purpose (a change a maintainer reviews)")  # fmt: skip
            if why:
                shown = relative(path, shown_root)
                problems.append(Violation(shown, 1, Rule.ASSET, f"{name} {why}."))
    return problems


def check_static(html_dir: Path, docs_dir: Path) -> list[Violation]:
    """Every file under the site's ``_static/`` is the theme's, Sphinx's or listed."""
    listed = read_manifest(docs_dir)
    static = html_dir / "_static"
    problems = []
    for path in sorted(static.rglob("*")) if static.is_dir() else ():
        if path.is_dir():
            continue
        name = path.relative_to(static).as_posix()
        if name in THEME_ASSETS or f"_static/{name}" in listed:
            continue
        problems.append(
            Violation(str(path), 1, Rule.BUILT_ASSET,
                      f"the site publishes _static/{name}, which is neither the "
                      "theme's nor Sphinx's, nor listed in docs/static-manifest.txt. "
                      "Remove it, or list it there with its purpose (a reviewed change).")
        )  # fmt: skip
    return problems
