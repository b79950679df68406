"""Incremental builds are correct: after a refs.bib edit, and after a Ctrl-C.

One copy of docs/ is built in full, then one refs.bib entry is edited (its
title and year). The right answer is a clean build of the edited copy; an
incremental build in the old output folder, and one stopped mid-way and run
again, must both give exactly that.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DOCS,
    as_from_a_terminal,
    built_once,
    copy_docs,
    differences,
    sphinx_build,
    tree,
)

from noopept_brief import core
from noopept_brief.sphinxext.incremental import BUILD_MARKER

pytestmark = pytest.mark.build

KEY = "boiko2000"
OLD_TITLE, NEW_TITLE = (
    "Pharmacokinetics of new nootropic",
    "Kinetics of a new nootropic",
)
OLD_YEAR, NEW_YEAR = "year    = {2000}", "year    = {2001}"
HTML_CACHE = (".doctrees",)


class Edited:
    """The built copy before the edit, and the clean build after it."""

    def __init__(self, root: Path) -> None:
        self.docs = root / "docs"
        self.before = root / "before"
        self.clean = root / "clean"
        self.citing = sorted(
            page.stem
            for page in core.pages(self.docs)
            if KEY
            in [key for key, _ in core.citations(page.read_text(encoding="utf-8"))]
        )


@pytest.fixture(scope="session")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Edited:
    """Built once a run, whichever worker asks first; the tests copy it."""
    root, result = built_once(tmp_path_factory, "incremental", _build_and_edit)
    assert result.returncode == 0, result.stderr
    return Edited(root)


def _build_and_edit(root: Path) -> subprocess.CompletedProcess[str]:
    docs = copy_docs(root / "docs")
    result = sphinx_build("-b", "html", docs, root / "before")
    assert result.returncode == 0, result.stderr
    bib = docs / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    entry = text[text.index(f"{{{KEY},") :].split("\n}", 1)[0]
    assert OLD_TITLE in entry and OLD_YEAR in entry, "the test's entry has changed"
    new_entry = entry.replace(OLD_TITLE, NEW_TITLE).replace(OLD_YEAR, NEW_YEAR)
    bib.write_text(text.replace(entry, new_entry), encoding="utf-8")
    return sphinx_build("-b", "html", docs, root / "clean")


def _copy_of_before(state: Edited, name: str) -> Path:
    out = state.before.parent / name
    shutil.copytree(state.before, out)  # keeps the files' times
    return out


def test_bib_edit_updates_every_citing_page(edited: Edited) -> None:
    assert len(edited.citing) >= 2, f"too few pages cite {KEY}: {edited.citing}"
    out = _copy_of_before(edited, "incremental")
    pages = {p.stem: p for p in out.glob("*.html")}
    times = {name: page.stat().st_mtime_ns for name, page in pages.items()}
    result = sphinx_build("-b", "html", edited.docs, out)
    assert result.returncode == 0, result.stderr
    for name in edited.citing:
        html = pages[name].read_text(encoding="utf-8")
        assert NEW_TITLE in html and OLD_TITLE not in html, (
            f"{name}.html shows the old title"
        )
        assert "2001" in html, f"{name}.html shows the old year"
    rewritten = {n for n, page in pages.items() if page.stat().st_mtime_ns != times[n]}
    # Sphinx itself rewrites the References page (it depends on refs.bib) and
    # the landing page (its toctree lists the References page); the evidence
    # map shows the sources of every claim.
    untouched = {p.stem for p in core.pages(edited.docs)} - {
        *edited.citing,
        "references",
        "index",
        "evidence-map",
    }
    assert untouched, "no page is left to show that the others are not rewritten"
    assert not rewritten & untouched, (
        f"pages citing nothing changed were rewritten: {rewritten & untouched}"
    )
    now, clean = tree(out, HTML_CACHE), tree(edited.clean, HTML_CACHE)
    assert now == clean, f"differs from a clean build: {differences(now, clean)}"


def test_a_build_stopped_midway_leaves_the_next_build_correct(edited: Edited) -> None:
    out = _copy_of_before(edited, "interrupted")
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        str(edited.docs),
        str(out),
        *core.SPHINX_FLAGS,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=env,
        preexec_fn=as_from_a_terminal,
    ) as build:
        assert build.stdout is not None
        for line in build.stdout:
            if line.startswith("writing output... ["):  # pages are being written
                build.send_signal(signal.SIGINT)
                break
        output = line + build.stdout.read()
    assert build.returncode != 0 and "Interrupted" in output, (
        f"the build was not stopped:\n{output}"
    )
    assert (out / BUILD_MARKER).exists(), "a stopped build must leave its marker"
    result = sphinx_build("-b", "html", edited.docs, out)
    assert result.returncode == 0, result.stderr
    now, clean = tree(out, HTML_CACHE), tree(edited.clean, HTML_CACHE)
    assert now == clean, f"differs from a clean build: {differences(now, clean)}"


def test_a_page_changed_since_the_gate_passed_it_is_checked_again(
    html_dir: Path, tmp_path: Path
) -> None:
    """The output gate checks each page as it is written; a page a build does
    not write is read again only if it is not the file that passed before
    (its SHA-256). A page changed in the output folder after its build fails
    the next build, which writes nothing new."""
    docs, out = DOCS, tmp_path / "html"
    shutil.copytree(html_dir, out)  # the session's build: the next ones reuse it
    page = out / "05-observed-patterns.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace("</body>", "<script>alert(1)</script></body>"), "utf-8"
    )
    result = sphinx_build("-b", "html", docs, out)
    assert result.returncode != 0, "an unchanged build passed a page changed since"
    assert f"{docs / '05-observed-patterns.md'}:" in result.stderr, result.stderr
    assert "[built-script]" in result.stderr or "built-script" in result.stderr
    # Put back as written, it passes again without being rewritten.
    page.write_text(html, encoding="utf-8")
    result = sphinx_build("-b", "html", docs, out)
    assert result.returncode == 0, result.stderr
