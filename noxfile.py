"""Every job of noopept-brief, one nox session each. `nox` alone runs `build`."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))

# Nothing is written into docs/, not even a __pycache__ for the brief package.
sys.dont_write_bytecode = True
sys.path.insert(0, str(DOCS / "_ext"))
import brief  # noqa: E402  (stdlib-only at import time)

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

SPHINX_FLAGS = (*brief.SPHINX_FLAGS, "-q")


def _install(session: nox.Session, *groups: str) -> None:
    """Install dependency groups from pyproject.toml, pinned by constraints.txt."""
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups), *CONSTRAINTS)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite: page policy, bibliography, doctests, HTML and PDF builds."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    _install(session, "docs")
    session.run(
        "sphinx-build", "-b", "html", "docs", str(BUILD / "html"), *SPHINX_FLAGS,
        *session.posargs,
    )  # fmt: skip
    session.log(f"HTML: {BUILD / 'html' / 'index.html'}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the PDF handout into build/latex/noopept-brief.pdf (needs TeX)."""
    if problem := brief.tex_missing():
        session.error(problem)
    _install(session, "docs")
    session.run(
        # -M (make mode) must come first; it runs latexmk after the LaTeX build.
        "sphinx-build", "-M", "latexpdf", "docs", str(BUILD), *SPHINX_FLAGS,
        *session.posargs, env={"LATEXMKOPTS": "-quiet -halt-on-error"},
    )  # fmt: skip
    pdf = BUILD / "latex" / brief.PDF_NAME
    session.log(f"PDF: {pdf}")
    # The landing page links to the handout beside it, so a site built first
    # (as `nox` does) gets the PDF too.
    if (BUILD / "html" / "index.html").exists():
        shutil.copy2(pdf, BUILD / "html" / brief.PDF_NAME)
        session.log(f"PDF copied beside the site: {BUILD / 'html' / brief.PDF_NAME}")


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Build everything: the tests, then the HTML site, then the PDF handout."""
    session.notify("tests")
    session.notify("html")
    session.notify("pdf")


@nox.session
def live(session: nox.Session) -> None:
    """Preview the HTML with live reload at http://127.0.0.1:8000."""
    _install(session, "live")
    session.run(
        "sphinx-autobuild", "-n", "--host", "127.0.0.1", "docs",
        str(BUILD / "live"), *session.posargs,
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the Python, and spell-check the pages."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell", "docs", "README.md")


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check external links (needs a network, so CI does not run it)."""
    _install(session, "docs")
    session.run(
        "sphinx-build", "-b", "linkcheck", "docs", str(BUILD / "linkcheck"),
        *SPHINX_FLAGS,
    )  # fmt: skip


@nox.session
def check(session: nox.Session) -> None:
    """Check the page policy and the bibliography quickly, without building."""
    _install(session, "docs")
    session.run("python", str(DOCS / "_ext" / "brief"), *session.posargs)


@nox.session(name="pre-commit")
def pre_commit(session: nox.Session) -> None:
    """Run every pre-commit hook over every file (as a fresh clone would)."""
    _install(session, "precommit")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure")


@nox.session(name="new-page", venv_backend="none")
def new_page(session: nox.Session) -> None:
    """Scaffold a page: nox -s new-page -- <slug> "<Title>"."""
    if len(session.posargs) != 2:
        session.error('Usage: nox -s new-page -- <slug> "<Title>"')
    try:
        page = brief.new_page(*session.posargs)
    except ValueError as error:
        session.error(str(error).rstrip("."))  # nox adds its own full stop
    session.log(
        f"Wrote {page.relative_to(ROOT)} and added it to the end of "
        f'"{brief.TOCTREE_CAPTION}" in docs/index.md. Fill in its description '
        "and its citation; the checks refuse both placeholders until you do."
    )


@nox.session(venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Refresh constraints.txt: every dependency group, pinned with its dependencies."""
    session.run(
        "uv", "pip", "compile", "--quiet", "--universal", "--python-version", "3.11",
        *(f"--group={group}" for group in PYPROJECT["dependency-groups"]),
        "pyproject.toml", "-o", "constraints.txt", "--no-header", "--no-annotate",
        *session.posargs,
    )  # fmt: skip


@nox.session(venv_backend="none")
def clean(session: nox.Session) -> None:
    """Remove the build outputs (build/) and nothing else."""
    shutil.rmtree(BUILD, ignore_errors=True)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the builds and the tests; print a table of medians (not run in CI)."""
    _install(session, "test")
    session.run("python", "bench/run.py", *session.posargs)


#: Lighthouse for `audit`, pinned: 12.2.3 is the last release that runs on Node 20.
LIGHTHOUSE = "lighthouse@12.2.3"


@nox.session(default=False)
def audit(session: nox.Session) -> None:
    """Lighthouse (mobile) on every built page: scores and first-view size (not in CI)."""
    if problem := brief.browser_missing():
        session.error(problem)
    if not shutil.which("npm"):
        session.error(
            "The audit needs Node.js and npm. Install: sudo apt-get install npm"
        )
    _install(session, "docs")
    # Lighthouse goes into this session's own folder, not into the repository.
    node = Path(session.virtualenv.location) / "lighthouse"
    lighthouse = node / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        session.run(
            "npm", "install", "--prefix", str(node), "--no-audit", "--no-fund",
            "--save-exact", LIGHTHOUSE, external=True,
        )  # fmt: skip
    site = BUILD / "audit"
    session.run(
        "sphinx-build", "-b", "html", "docs", str(site), *SPHINX_FLAGS
    )  # fmt: skip
    session.run("python", "bench/audit.py", str(lighthouse), str(site))
