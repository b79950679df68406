"""The output gate's HTML pages, checked as they are written (issue 21).

The rules are :mod:`noopept_brief.core.output.site`'s; this is how they run in
a build. :func:`watch_html_pages` hands every page the builder renders to
:class:`PageGate` before it is written; :func:`.gate.check_output` calls
:meth:`PageGate.finish` at the end for the pages this build did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ..core.markdown.parse import pages
from ..core.output.pages import located, parse, site_pages
from ..core.output.site import Expected, check_html, check_markup, own_urls
from ..core.violations import Violation
from ._upstream import watch_rendered_pages
from .source_warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


# -- HTML pages, checked as they are written -----------------------------------
# The gate reads each page once, from the string the builder is about to write
# (no second read from disk), and the navigation tree every page carries once
# per folder: a page then costs what its own content costs, and the build grows
# linearly. A page this build did not write is checked at the end unless it is
# the very file that passed the gate before (its SHA-256 in the ledger).

#: The pages that passed the gate, by SHA-256, kept beside the doctrees.
LEDGER = "brief-gate.json"
#: In a parallel build (-j), the pages each writing process checked: one file
#: a process, read back by the main process at the end.
WRITERS = "brief-gate-writers"


class PageGate:
    """The output gate of one HTML build."""

    def __init__(self, app: Sphinx) -> None:
        docs = Path(app.srcdir)
        self.app = app
        self.expected = Expected(docs)
        self.brief = {
            p.relative_to(docs).with_suffix("").as_posix() for p in pages(docs)
        }
        self.own = own_urls(
            app.config.html_baseurl or "", app.config.html_theme_options
        )
        self.suffix = app.builder.out_suffix
        #: Folders whose navigation tree is checked (links are relative to it).
        self.navigation: set[str] = set()
        #: Pages written by this build, and the SHA-256 of those that passed.
        self.written: set[str] = set()
        self.passed: dict[str, str] = {}
        self.pid = os.getpid()
        self.writers = Path(app.doctreedir, WRITERS)
        shutil.rmtree(self.writers, ignore_errors=True)

    def _source(self, pagename: str, page: str) -> str:
        env = self.app.env
        if pagename in env.found_docs:
            return str(env.doc2path(pagename))
        return str(Path(self.app.outdir, page))

    def page_written(self, context: dict[str, Any], output: str) -> None:
        """Check one page from the HTML the builder writes."""
        pagename = context["pagename"]
        page = f"{pagename}{self.suffix}"
        shown = self._source(pagename, page)
        navigation = context.get("furo_navigation_tree") or ""
        found = []
        folder = posixpath.dirname(pagename)
        if navigation and folder not in self.navigation:
            # Each page marks its own branch current (classes, href="#"),
            # nothing else: one copy a folder stands for them all.
            self.navigation.add(folder)
            if (tree := parse(navigation)) is not None:
                found += check_markup(tree, page, shown, base_url=self.own)
        found += check_html(
            output, page, shown, base_url=self.own, checked=navigation,
            expected=self.expected if pagename in self.brief else None,
        )  # fmt: skip
        self.written.add(page)
        digest = None
        if found:
            for violation in located(found, self._resolve(shown)):
                warn(violation, f"{violation.path}:{violation.line}")
        else:
            encoding = context.get("encoding") or "utf-8"
            data = output.encode(encoding, errors="xmlcharrefreplace")
            digest = self.passed[page] = hashlib.sha256(data).hexdigest()
        if os.getpid() != self.pid:
            # A writing process of a parallel build: its sets die with it, so
            # it tells the main process (Sphinx forwards its warnings itself).
            self.writers.mkdir(parents=True, exist_ok=True)
            with Path(self.writers, f"{os.getpid()}.jsonl").open(
                "a", encoding="utf-8"
            ) as out:
                out.write(json.dumps([page, digest]) + "\n")

    def _from_writers(self) -> None:
        """Take in what the writing processes of a parallel build checked."""
        for path in sorted(self.writers.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                page, digest = json.loads(line)
                self.written.add(page)
                if digest:
                    self.passed[page] = digest
        shutil.rmtree(self.writers, ignore_errors=True)

    def _resolve(self, shown: str) -> Path:
        source = Path(shown)
        return source if source.is_absolute() else Path(self.app.srcdir).parent / source

    def finish(self) -> list[Violation]:
        """The pages in the output folder this build did not write: unchanged
        since they passed, or checked now. Keeps the ledger."""
        self._from_writers()
        outdir = Path(self.app.outdir)
        ledger_path = Path(self.app.doctreedir, LEDGER)
        try:
            ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
            before = ledger["pages"] if ledger.get("outdir") == str(outdir) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            before = {}
        source_of = {
            f"{docname}{self.suffix}": str(self.app.env.doc2path(docname))
            for docname in self.app.env.found_docs
        }
        problems: list[Violation] = []
        for path in site_pages(outdir):
            page = path.relative_to(outdir).as_posix()
            if page in self.written:
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if before.get(page) == digest:
                self.passed[page] = digest
                continue
            shown = source_of.get(page) or str(path)
            found = check_html(
                data.decode("utf-8", errors="replace"), page, shown,
                expected=self.expected if page[: -len(self.suffix)] in self.brief else None,
                base_url=self.own,
            )  # fmt: skip
            if found:
                problems += located(found, self._resolve(shown))
            else:
                self.passed[page] = digest
        ledger_path.parent.mkdir(parents=True, exist_ok=True)
        ledger_path.write_text(
            json.dumps(
                {"outdir": str(outdir), "pages": dict(sorted(self.passed.items()))}
            ),
            encoding="utf-8",
        )
        return list(dict.fromkeys(problems))


#: One gate per builder, dropped with it.
_gates: WeakKeyDictionary[Builder, PageGate] = WeakKeyDictionary()


def gate_of(app: Sphinx) -> PageGate:
    """This build's gate."""
    if app.builder not in _gates:
        _gates[app.builder] = PageGate(app)
    return _gates[app.builder]


def watch_html_pages(app: Sphinx) -> None:
    """builder-inited: check every HTML page as the builder writes it."""
    if app.builder.format == "html":
        _gates.pop(app.builder, None)
        watch_rendered_pages(
            app.builder, lambda ctx, html: gate_of(app).page_written(ctx, html)
        )
