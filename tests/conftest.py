"""Shared fixtures: the docs tree, and Sphinx builds of it into temporary folders."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path

# The tests read what the Sphinx builds they start print. Sphinx colours its
# output when CI=true (as in CI), and colour codes would hide "path:line:".
os.environ["NO_COLOR"] = "1"

import pytest

from noopept_brief import core
from noopept_brief.tools import prerequisites

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FIXTURES = Path(__file__).parent / "fixtures"


pytest_plugins = ["sphinx.testing.fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PDF, so `-m "not pdf"` can leave them out."""
    for item in items:
        if "pdf_path" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pdf)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the small test projects (roots/test-NAME)."""
    return Path(__file__).parent / "roots"


def sphinx_build(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build as nox does (same flags), and capture what it prints.

    In this process: starting Python and importing Sphinx again for every
    build cost more than most builds. The environment is put back afterwards
    (conf.py sets SOURCE_DATE_EPOCH for the build it configures).
    """
    from sphinx.cmd.build import build_main, make_main

    argv = [*map(str, args), *core.SPHINX_FLAGS]
    environ = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = make_main(argv) if argv[0] == "-M" else build_main(argv)
    finally:
        os.environ.clear()
        os.environ.update(environ)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def copy_docs(target: Path) -> Path:
    """A throw-away copy of docs/ to break on purpose."""
    shutil.copytree(DOCS, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML site, built once per test run from the real docs/."""
    out = tmp_path_factory.mktemp("html")
    result = sphinx_build("-b", "html", DOCS, out)
    assert result.returncode == 0, f"the HTML build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDF handout, built once per test run. Skips without TeX, unless
    REQUIRE_PDF=1 (as in CI), where a missing TeX is a failure."""
    if problem := prerequisites.tex_missing():
        if os.environ.get("REQUIRE_PDF") == "1":
            pytest.fail(f"REQUIRE_PDF=1 is set, but: {problem}")
        pytest.skip(problem)
    out = tmp_path_factory.mktemp("pdf")
    result = sphinx_build("-M", "latexpdf", DOCS, out)
    assert result.returncode == 0, (
        f"the PDF build failed:\n{result.stdout[-3000:]}\n{result.stderr}"
    )
    return out / "latex" / "noopept-brief.pdf"


def tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256), to compare builds.

    ``skip`` names files or folders left out anywhere in the tree, such as
    ``.doctrees``: Sphinx's cache of the parsed pages, not part of the site.
    """
    import hashlib

    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not set(path.relative_to(root).parts) & set(skip)
    }


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """The files that differ between two trees, for an assertion message."""
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
