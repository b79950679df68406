"""Claims people can cite and follow: ids across pages, ``claims.json``, and
the "What changed" page.

* Every claim id is unique across the brief (checked once all pages are read).
* Every HTML build writes ``claims.json`` beside the site
  (:func:`write_claims_json`); ``{claims-data}`` links it and lists its fields.
* ``{what-changed}`` compares the claims with each release's saved copy
  (``docs/_releases/<version>/claims.json``), filled at write time like the
  evidence map.

The data and the comparison themselves are the core's
(:mod:`noopept_brief.core.claim.export`).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..core.claim.export import (
    CLAIMS_JSON,
    FIELDS,
    RELEASES_DIR,
    Changes,
    claims_data,
    compare,
    dumps,
    read_release,
    references,
    releases,
)
from ..core.claim.ids import check_unique
from ..core.claim.model import SOURCE_FIELDS, Status, json_fields
from ._upstream import builder_of
from .domain import claims_domain
from .gate import check_claims_json, remember_claims_json
from .nodes import what_changed_node
from .records import brief_of
from .source_warnings import warn
from .web_only import web_only_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: The class of the "What changed" lists, for stylesheets and tests.
CHANGES_CLASS = "what-changed"


def check_unique_ids(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: no two claims in the brief share an id."""
    claims = claims_domain(env).claims
    docnames = {str(env.doc2path(c.docname)): c.docname for c in claims}
    found = [(str(env.doc2path(c.docname)), c.line, c.id) for c in claims]
    for violation in check_unique(found):
        warn(violation, (docnames[violation.path], violation.line))


#: This build's claims.json data, by builder: made once ("What changed" reads
#: it as its page is resolved, and the file is written from it).
_data: WeakKeyDictionary[Builder, dict[str, Any]] = WeakKeyDictionary()
#: In a parallel build, the process making claims.json's text, by builder, and
#: the end of the pipe it sends (the text, what the gate found in it) down.
_making: WeakKeyDictionary[Builder, tuple[Any, Any]] = WeakKeyDictionary()


def current_data(env: BuildEnvironment, builder: Builder) -> dict[str, Any]:
    """claims.json's data, from the claims read and the bib files (once a
    build: nothing it is made from changes once the pages are read)."""
    if (data := _data.get(builder)) is None:
        claims = [
            dataclasses.replace(
                c, url=f"{builder.get_target_uri(c.docname)}#{c.anchor}"
            )
            for c in claims_domain(env).claims
        ]
        brief = brief_of(env)
        data = _data[builder] = claims_data(
            env.config.project, env.config.release, claims,
            references(brief.bib_text), brief.records[0],
        )  # fmt: skip
    return data


def make_beside_writing(app: Sphinx, builder: Builder) -> None:
    """write-started: a parallel build makes claims.json's text, and has the
    gate read it, in a process of its own. It starts as the main process
    resolves the first pages to write, alone (one core would be idle: 2 s at
    400 pages), instead of after the last page, when both are. The file is
    written at build-finished from that text, and only if the build
    succeeded; if the process fails, the text is made there instead."""
    if builder.format != "html" or not getattr(builder, "parallel_ok", False):
        return  # a serial build, or where Sphinx does not fork
    receive, send = multiprocessing.Pipe(duplex=False)
    path = Path(app.outdir, CLAIMS_JSON)

    def make() -> None:
        text = dumps(current_data(app.env, builder))
        send.send((text, check_claims_json(path, text)))

    process = multiprocessing.get_context("fork").Process(target=make, daemon=True)
    process.start()
    send.close()
    _making[builder] = (process, receive)


def _made(builder: Builder, path: Path, failed: bool) -> str | None:
    """The text the process made (None if it did not finish), and what the
    gate found in it given to the gate; the process is stopped if the build
    failed, and ended either way."""
    process, receive = _making.pop(builder)
    try:
        if failed:
            process.terminate()
            return None
        text, found = receive.recv()
    except (EOFError, OSError):  # it failed: the caller makes the text
        return None
    finally:
        process.join()
        receive.close()
    remember_claims_json(path, text, found)
    return text


def write_claims_json(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: ``claims.json`` beside the HTML site."""
    path = Path(app.outdir, CLAIMS_JSON)
    try:
        failed = exception is not None or app.builder.format != "html"
        text = _made(app.builder, path, failed) if app.builder in _making else None
        if failed:
            return
        if text is None:
            text = dumps(current_data(app.env, app.builder))
        path.write_text(text, encoding="utf-8")
    finally:
        _data.pop(app.builder, None)


# -- {claims-data}: the link, and the fields -------------------------------------


def _fields(fields: dict[str, str]) -> nodes.definition_list:
    found = nodes.definition_list(classes=["claims-data-fields"])
    for name, meaning in fields.items():
        term = nodes.term()
        term += nodes.literal(name, name)
        found += nodes.definition_list_item(
            "", term, nodes.definition("", nodes.paragraph(text=meaning))
        )
    return found


class ClaimsDataDirective(SphinxDirective):
    """```{claims-data}```: the link to claims.json and its fields (HTML only:
    the PDF has no file beside it)."""

    def run(self) -> list[nodes.Node]:
        here = posixpath.dirname(self.env.docname)
        uri = posixpath.relpath(CLAIMS_JSON, here or ".")
        intro = nodes.paragraph()
        intro += nodes.Text(
            "Every claim above is also published as data, for reviewers and "
            "other tools, without reading the pages: "
        )
        intro += nodes.reference(
            CLAIMS_JSON, "", nodes.literal(CLAIMS_JSON, CLAIMS_JSON),
            refuri=uri, classes=["claims-json"],
        )  # fmt: skip
        intro += nodes.Text(
            ", written beside the site by every build. It is JSON, in UTF-8. "
            "Its fields:"
        )
        only = web_only_node()  # the website's only: claims.json is beside it
        only += [
            intro,
            _fields(FIELDS),
            nodes.paragraph(text="Each claim has these fields:"),
            _fields(json_fields()),
            nodes.paragraph(text="Each of a claim's sources has these fields:"),
            _fields(SOURCE_FIELDS),
        ]
        return [only]


# -- {what-changed} ------------------------------------------------------------------


class WhatChangedDirective(SphinxDirective):
    """```{what-changed}```: claims.json against each release's saved copy."""

    def run(self) -> list[nodes.Node]:
        for _, path in releases(Path(self.env.srcdir)):
            self.env.note_dependency(str(path))
        node = what_changed_node()
        self.set_source_info(node)
        return [node]


class FillWhatChanged(SphinxPostTransform):
    """Fill ``{what-changed}`` from the claims read and the releases' copies."""

    default_priority = 5  # as FillClaims: before the references resolve

    def run(self, **kwargs: Any) -> None:
        # The domain knows, from reading, which pages hold the list: the
        # others are not walked (this runs on every page).
        if self.env.docname not in claims_domain(self.env).data["changes"]:
            return
        found = list(self.document.findall(what_changed_node))
        if not found:
            return
        builder = builder_of(self.env)
        for node in found:
            node.replace_self(self.changes(builder, node))

    def changes(self, builder: Builder, node: nodes.Node) -> list[nodes.Node]:
        srcdir = Path(self.env.srcdir)
        saved = []
        for version, path in releases(srcdir):
            shown = f"{srcdir.name}/{path.relative_to(srcdir).as_posix()}"
            try:
                saved.append((version, read_release(path, shown)))
            except ValueError as error:
                problem = str(error)
                self.document.reporter.warning(problem, base_node=node)
        now = current_data(self.env, builder)
        if not saved:
            return [
                nodes.paragraph(
                    text="No release has been tagged yet, so there is nothing to "
                    "compare with. The first release saves a copy of the claims "
                    f"({CLAIMS_JSON}) in {RELEASES_DIR}/<version>/ in the "
                    "repository; from then on, this page lists, release by "
                    "release, the claims added and removed, the claims whose "
                    "status or evidence basis changed, and the references "
                    "added and removed."
                )
            ]
        out: list[nodes.Node] = []
        newest_version, newest = saved[-1]
        out += self.section(
            f"Since {newest_version} (not yet released)", compare(newest, now), builder
        )
        for (before_version, before), (version, data) in zip(
            reversed(saved[:-1]), reversed(saved[1:]), strict=True
        ):
            out += self.section(
                f"{version} (since {before_version})", compare(before, data), builder
            )
        first_version, first = saved[0]
        out.append(nodes.rubric(first_version, first_version))
        out.append(
            nodes.paragraph(
                text=f"The first release saved: {len(first['claims'])} claims "
                f"and {len(first.get('references', []))} references."
            )
        )
        return out

    def section(
        self, title: str, changes: Changes, builder: Builder
    ) -> list[nodes.Node]:
        out: list[nodes.Node] = [nodes.rubric(title, title)]
        summary = changes.summary()
        out.append(nodes.paragraph(text=summary[0].upper() + summary[1:] + "."))
        if not changes:
            return out
        items = nodes.bullet_list(classes=[CHANGES_CLASS])
        docname = self.env.docname

        def item(label: str, claim: dict[str, Any] | None, text: str = "") -> None:
            para = nodes.paragraph()
            para += nodes.strong(label, label)
            para += nodes.Text(" ")
            if claim is not None:
                now = claims_domain(self.env).claim(claim.get("id", ""))
                short = nodes.Text(claim.get("short", ""))
                if now is not None:
                    para += make_refnode(
                        builder, docname, now.docname, now.anchor, short
                    )
                else:
                    para += short
            para += nodes.Text(text)
            items.append(nodes.list_item("", para))

        for claim in changes.added:
            item("Claim added:", claim)
        for claim in changes.removed:
            item("Claim removed:", claim)
        for claim, before, now in changes.status:
            item("Status changed:", claim,
                 f" (from {Status.label_of(before, before)} to {Status.label_of(now, now)})")  # fmt: skip
        for claim, before, now in changes.evidence:
            item("Evidence basis changed:", claim, f" (from {before} to {now})")
        for key in changes.refs_added:
            item("Reference added:", None, key)
        for key in changes.refs_removed:
            item("Reference removed:", None, key)
        out.append(items)
        return out


def setup(app: Sphinx) -> None:
    """Register ids across pages, claims.json and "What changed"."""
    app.add_node(what_changed_node)
    app.add_directive("claims-data", ClaimsDataDirective)
    app.add_directive("what-changed", WhatChangedDirective)
    app.add_post_transform(FillWhatChanged)
    app.connect("env-check-consistency", check_unique_ids)
    app.connect("write-started", make_beside_writing)
    app.connect("build-finished", write_claims_json)
