"""The output gate: what the build wrote, read with a real HTML parser.

The source rules read what a contributor wrote; this reads what readers get,
so a spelling the source rules miss is still refused. Everything is judged
against an allowlist, and whatever the list does not know is refused:

* elements (:data:`ELEMENTS`), and no ``on...=`` handler, no meta refresh;
* every URL in every attribute (:func:`.allowlist.refused_url`);
* scripts: only the theme's and Sphinx's files (:data:`KNOWN_SCRIPTS`) and
  inline scripts and styles known by their SHA-256 (:data:`KNOWN_INLINE`);
* files under ``_static/``: the theme's and Sphinx's own, and those the
  project lists in ``docs/static-manifest.txt`` (:mod:`.assets`);
* on every page of the brief: the disclaimer block, at the page's top level,
  visible, with the snippet's exact text; and a visible link to Limitations;
* the content rules (:mod:`..markdown.content_rules`) over the page's text.

The pages are read with lxml (libxml2, in C). The Sphinx layer runs it on
each page as the page is written, with the navigation tree that every page
carries checked once (:func:`check_html`'s ``checked``); a warning, so ``-W``
fails. ``noopept-brief check --built build/html`` runs it over a build
folder (:func:`check_site`).
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..markdown.allowlist import refused_url
from ..markdown.content_rules import check_read_text
from ..markdown.disclaimer import DISCLAIMER_CLASS, DISCLAIMER_SNIPPET, read_disclaimer
from ..markdown.parse import pages
from ..markdown.policy import LIMITATIONS_LABEL
from ..markdown.reader_text import visible_text
from ..rules import Rule
from ..violations import Violation
from .assets import check_static
from .pages import classes, has_class, located, normal, parse, site_pages, text_of
from .reader import disclaimer_seen, reader_channels

#: Elements a page may hold: what Sphinx, furo and MyST write for the brief,
#: and plain text markup. Anything else (iframe, object, embed, form targets,
#: base, details...) is refused.
ELEMENTS = frozenset(
    [
        # the document
        "html", "head", "body", "title", "meta", "link", "style", "script",
        "noscript", "main", "header", "footer", "nav", "article", "aside",
        "section",
        # text
        "p", "div", "span", "a", "abbr", "b", "i", "em", "strong", "small", "code",
        "kbd", "var", "cite", "sub", "sup", "br", "hr", "blockquote", "pre", "h1",
        "h2", "h3", "h4", "h5", "h6",
        # lists and tables
        "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "colgroup", "col",
        "thead", "tbody", "tfoot", "tr", "th", "td",
        # figures
        "img", "figure", "figcaption",
        # furo's search box, menu toggles and theme button; Sphinx's search page
        "form", "input", "label", "button",
        # furo's SVG icons
        "svg", "symbol", "use", "path", "line", "polyline", "circle", "rect",
    ]
)  # fmt: skip
#: Attributes that hold a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "cite",
     "background", "xlink:href", "manifest", "ping", "longdesc", "srcset"}
)  # fmt: skip
#: Script files a page may load: the theme's and Sphinx's, and nothing else.
KNOWN_SCRIPTS: dict[str, str] = {
    "_static/documentation_options.js": "Sphinx: the site's options for its scripts",
    "_static/doctools.js": "Sphinx: keyboard navigation",
    "_static/sphinx_highlight.js": "Sphinx: highlights search terms",
    "_static/scripts/furo.js": "furo: the theme toggle and the mobile menus",
    "_static/searchtools.js": "Sphinx: the search page",
    "_static/language_data.js": "Sphinx: the search page's stemmer",
    "searchindex.js": "Sphinx: the search index",
}
#: Inline scripts and styles a page may hold, by the SHA-256 of their text.
KNOWN_INLINE: dict[str, str] = {
    "c92bd3d8f1197ae787182d72d9cacdb8d4dfa610729c53cfee2f94db57c4817d": (
        "furo: applies the reader's saved colour theme before the page paints"
    ),
    "5d63698a4708c4160bc1afb7dc96b1bff08d6c0f3520f3228cc3658cce186a9a": (
        "furo: the code colours of the Pygments styles, light and dark"
    ),
}
#: Class names that hide an element (furo, Sphinx, common frameworks); any
#: class with "hidden", "hide" or "collapse" in it counts too.
HIDING_CLASSES = frozenset(
    {"sr-only", "screen-reader-text", "d-none", "invisible", "only-dark",
     "only-light", "only-print", "offscreen", "toggle", "dropdown"}
)  # fmt: skip
HIDING_WORDS = re.compile(r"hidden|hide|collapse", re.I)
#: The largest HTML file the gate reads.
MAX_HTML = 5_000_000


def _hidden(element, stop) -> str | None:
    """Why ``element`` (or an ancestor up to ``stop``) is hidden from readers, or None."""
    node = element
    while node is not None and node is not stop:
        if "hidden" in node.attrib or node.get("aria-hidden") == "true":
            return f"<{node.tag}> is marked hidden"
        if "style" in node.attrib:
            return f"<{node.tag}> has a style attribute"
        if node.tag in ("details", "template", "noscript"):
            return f"it is inside a <{node.tag}>"
        if bad := sorted(
            c for c in classes(node) if c in HIDING_CLASSES or HIDING_WORDS.search(c)
        ):
            return f"<{node.tag}> has the class {bad[0]!r}"
        node = node.getparent()
    return None


def _resolve(src: str, page: str, base_path: str) -> str:
    path = urlsplit(src).path
    if path.startswith("/"):
        return path[len(base_path) :] if path.startswith(base_path) else path
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


class Expected:
    """What every page of the brief must show, read once from the sources."""

    def __init__(self, docs_dir: Path) -> None:
        disclaimer = read_disclaimer(docs_dir)
        self.disclaimer = normal(f"{disclaimer.title} {disclaimer.body}")
        #: The disclaimer block's classes, exactly (the snippet's admonition).
        self.disclaimer_classes = disclaimer.classes
        self.title = normal(disclaimer.title)


@functools.lru_cache(maxsize=65536)
def _refused(url: str, base_url: str | tuple[str, ...]) -> str | None:
    """:func:`.allowlist.refused_url`, once per URL: every page links to every
    page in the navigation, and to the same few records."""
    return refused_url(url, base_url)


# -- The checks -----------------------------------------------------------------


def check_html(
    html: str,
    page: str,
    shown: str,
    *,
    expected: Expected | None,
    base_url: str | tuple[str, ...] = "",
    checked: str = "",
) -> list[Violation]:
    """Every violation in one written HTML file.

    ``page`` is the file's path in the site (for relative URLs), ``shown``
    the path messages name, and ``expected`` what a page of the brief must
    show (None for Sphinx's own pages: search, index, 404). ``checked`` is
    markup already checked once for the whole build (the navigation tree
    every page carries, :func:`check_markup`): cut out of the page before it
    is read, so a page costs what its own content costs.
    """
    if len(html) > MAX_HTML:
        return [
            Violation(shown, 1, Rule.BUILT_MARKUP,
                      f"the page is larger than {MAX_HTML} bytes; split it.")
        ]  # fmt: skip
    if checked and html.count(checked) == 1:
        html = html.replace(checked, "")
    root = parse(html)
    if root is None:
        return []
    problems = check_markup(root, page, shown, base_url=base_url)
    problems += reader_channels(root, shown)
    if expected is not None:
        problems += _check_brief_page(root, shown, expected)
    return problems


def check_markup(
    root: Any, page: str, shown: str, *, base_url: str | tuple[str, ...] = ""
) -> list[Violation]:
    """The markup rules over a parsed page (or piece): elements, attributes,
    URLs, scripts and styles."""
    problems: list[Violation] = []

    def refuse(rule: Rule, message: str, subject: str = "") -> None:
        problems.append(Violation(shown, 1, rule, message, subject=subject))

    site = base_url if isinstance(base_url, str) else (base_url or ("",))[0]
    base_path = urlsplit(site).path or "/"
    for tag in root.iter(etree.Element):
        name_ = tag.tag
        if name_ not in ELEMENTS:
            refuse(Rule.BUILT_MARKUP, f"the page holds a <{name_}> element, "
                   "which the site does not allow. Write the content in MyST "
                   "Markdown; templates and the theme are reviewed code.")  # fmt: skip
        for name, value in tag.attrib.items():
            lower = name.lower()
            if lower.startswith("on"):
                refuse(Rule.BUILT_MARKUP, f"<{name_}> has an event handler "
                       f"{name}=, which runs code in every reader's browser. Remove it.")  # fmt: skip
            elif lower in URL_ATTRIBUTES:
                urls = (
                    [u.split()[0] for u in value.split(",") if u.strip()]
                    if name == "srcset"
                    else [value]
                )
                for url in urls:
                    if why := _refused(url, base_url):
                        refuse(Rule.BUILT_LINK, f"<{name_} {name}>: {why}", url)
            elif name == "style" and _LOADS.search(value):
                refuse(Rule.BUILT_MARKUP, f"<{name_}> has a style that loads "
                       "or runs something. Styles belong in docs/_static/brief.css.")  # fmt: skip
        if name_ == "meta":
            if (tag.get("http-equiv") or "").strip():
                refuse(Rule.BUILT_MARKUP, f"<meta http-equiv={tag.get('http-equiv')!r}> "
                       "can send readers elsewhere or change how the page loads. Remove it.")  # fmt: skip
            content = tag.get("content") or ""
            og = (tag.get("property") or "").startswith("og:")
            if og and "://" in content and (why := _refused(content, base_url)):
                refuse(Rule.BUILT_LINK,
                       f"<meta property={tag.get('property')!r}>: {why}", content)  # fmt: skip
        elif name_ == "script" and tag.get("src"):
            path = _resolve(tag.get("src"), page, base_path)
            if path not in KNOWN_SCRIPTS:
                refuse(Rule.BUILT_SCRIPT, f"the page loads the script {tag.get('src')}, "
                       "which is not one of the theme's or Sphinx's "
                       "(core/output/site.py, KNOWN_SCRIPTS). The brief adds no scripts: remove it.")  # fmt: skip
        elif name_ in ("script", "style"):
            digest = hashlib.sha256((tag.text or "").encode()).hexdigest()
            if digest not in KNOWN_INLINE:
                refuse(Rule.BUILT_SCRIPT, f"the page holds an inline <{name_}> "
                       f"(SHA-256 {digest[:12]}...) that is not the theme's "
                       "(core/output/site.py, KNOWN_INLINE). The brief adds none: remove it.")  # fmt: skip
    return problems


_LOADS = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:", re.I)


#: The elements with a class attribute, found by lxml in C (the others have
#: no class to match).
_WITH_CLASS = etree.XPath("descendant-or-self::*[@class]")


def _check_brief_page(root: Any, shown: str, expected: Expected) -> list[Violation]:
    problems = []
    article = next((a for a in root.iter("article") if a.get("role") == "main"), root)
    section = next(article.iter("section"), None)
    blocks = [d for d in _WITH_CLASS(root) if has_class(d, DISCLAIMER_CLASS)]
    top = [d for d in blocks if section is not None and d.getparent() is section]
    fix = "Show it with ```{disclaimer}``` just below the page title, at the page's top level."
    if not top:
        where = "inside another block" if blocks else "missing"
        problems.append(Violation(shown, 1, Rule.BUILT_DISCLAIMER,
                        f"the disclaimer block is {where} on the written page. {fix}"))  # fmt: skip
    for block in top:
        found = set(classes(block))
        why = (
            f"it has the classes {sorted(found)}"
            if found != expected.disclaimer_classes
            else _hidden(block, article)
        )
        if why:
            problems.append(Violation(shown, 1, Rule.BUILT_DISCLAIMER,
                            f"the disclaimer block may be hidden from readers ({why}). {fix}"))  # fmt: skip
        elif normal(text_of(block, " ")) != expected.disclaimer:
            problems.append(Violation(shown, 1, Rule.BUILT_DISCLAIMER,
                            "the disclaimer block's text is not the snippet's "
                            f"({normal(text_of(block, ' '))[:80]!r}...). The one "
                            f"source of the text is docs/{DISCLAIMER_SNIPPET}; "
                            f"{fix}"))  # fmt: skip
    links = [
        a for a in article.iter("a")
        if urlsplit(a.get("href") or "").fragment == LIMITATIONS_LABEL
        and not has_class(a, "headerlink")
    ]  # fmt: skip
    # The Limitations page itself holds the label's target: a link to itself
    # would only send readers back to where they are (issue 14).
    is_target = bool(article.xpath(".//*[@id=$label]", label=LIMITATIONS_LABEL))
    if not is_target and not any(
        any(c.isalnum() for c in visible_text(text_of(a))) and not _hidden(a, article)
        for a in links
    ):
        problems.append(Violation(shown, 1, Rule.BUILT_LIMITATIONS,
                        "the page has no visible link to the Limitations section "
                        "(a link with readable text, not hidden). Write "
                        "{ref}`limitations` in the page's text."))  # fmt: skip
    text = text_of(article, " ")
    problems += check_read_text(text, shown, 1, "the page's text")
    problems += disclaimer_seen(blocks, article, section, shown, expected)
    return problems


def check_site(
    html_dir: Path, docs_dir: Path, base_url: str | tuple[str, ...] = ""
) -> list[Violation]:
    """Every violation in a built HTML site: its pages and its ``_static`` files.

    The brief's pages (``docs_dir``'s) must show the disclaimer, and messages
    name their source file, relative to the repository's root.
    """
    expected = Expected(docs_dir)
    root = docs_dir.resolve().parent
    source_of = {
        p.relative_to(docs_dir).with_suffix(".html").as_posix():
            p.resolve().relative_to(root).as_posix()
        for p in pages(docs_dir)
    }  # fmt: skip
    problems = []
    for path in site_pages(html_dir):
        page = path.relative_to(html_dir).as_posix()
        shown = source_of.get(page) or str(path)
        html = path.read_text(encoding="utf-8", errors="replace")
        found = check_html(
            html, page, shown, expected=expected if page in source_of else None,
            base_url=base_url,
        )  # fmt: skip
        problems += located(found, root / shown)  # root / an absolute path: itself
    problems += check_static(html_dir, docs_dir)
    return list(dict.fromkeys(problems))


def own_urls(base_url: str, theme_options: dict) -> tuple[str, ...]:
    """The site's own address, and the repository links conf.py configures
    (furo's "edit this page" and "view source"), as URL prefixes."""
    links = [
        str(theme_options.get(key) or "").split("{filename}")[0]
        for key in ("source_edit_link", "source_view_link")
    ]
    return tuple(u for u in (base_url, *links) if u)
