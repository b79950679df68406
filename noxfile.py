"""Every job of noopept-brief, one nox session each. `nox` alone runs `build`.

Nothing here imports the project's package: each session installs it (editable,
through constraints.txt) and runs its command line, `noopept-brief`.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import nox

ROOT = Path(__file__).parent
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

#: noopept_brief.core.SPHINX_FLAGS, and quiet (tests/test_hosting.py compares).
SPHINX_FLAGS = ("-W", "--keep-going", "-n", "-q")
#: noopept_brief.core.JOBS: a process more than the cores (a test compares).
JOBS = ("-j", str((os.cpu_count() or 1) + 1))
#: The handout, as noopept_brief.core.PDF_NAME names it (a test compares).
PDF_NAME = "noopept-brief.pdf"
#: The suite on every core (pytest-xdist): each test module on one worker, so
#: that a module's fixtures are made once, not once a worker; in the order
#: collected, so that the browser tests (collected last) read the survey the
#: controller makes meanwhile (tests/conftest.py). bench/run.py times the
#: suite with these (a test compares).
XDIST = ("-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder")


# -- Stopping a session stops everything it started ----------------------------
# nox stops its command on Ctrl-C, but not on SIGTERM, and in either case only
# the command itself: sphinx-sitemap's manager or sphinx-autobuild's server
# went on. SIGTERM now stops nox as Ctrl-C does,
# and every long command runs through `noopept-brief run`, which gives it a
# process group of its own and stops the whole group
# (src/noopept_brief/tools/group.py).


def _stop_as_on_ctrl_c(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


signal.signal(signal.SIGTERM, _stop_as_on_ctrl_c)


def _run(session: nox.Session, *command: str) -> None:
    """Run a long command (a build, a server, the tests) in its own process
    group, stopped as a whole when nox stops or the command ends."""
    session.run("noopept-brief", "run", "--", *command)


def _install(session: nox.Session, *groups: str) -> None:
    """Install the package (editable) and dependency groups, pinned by
    constraints.txt, compiled to bytecode once: uv leaves that to the first
    import, and where PYTHONDONTWRITEBYTECODE is set (as on CI) every build
    process would compile some 600 modules again, about half a second each."""
    session.install(
        "-e", ".", *nox.project.dependency_groups(PYPROJECT, *groups), *CONSTRAINTS,
        env={"UV_COMPILE_BYTECODE": "1"},
    )  # fmt: skip


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: rules, doctests, HTML, PDF and browser tests."""
    _install(session, "test")
    # `nox -s tests -- -n 0` runs in one process.
    _run(session, "pytest", *XDIST, *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Check every page, claim and refs.bib rule quickly, without building."""
    _install(session)
    session.run("noopept-brief", "check", *session.posargs)


@nox.session
def rules(session: nox.Session) -> None:
    """Run the rules' own examples (the doctests of noopept_brief.core)."""
    _install(session)
    session.install("pytest", *CONSTRAINTS)
    _run(session, "pytest", "-q", "src/noopept_brief/core", *session.posargs)


@nox.session
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    _install(session)
    _run(
        session, "sphinx-build", "-b", "html", "docs", str(BUILD / "html"),
        *SPHINX_FLAGS, *JOBS, *session.posargs,
    )  # fmt: skip
    session.log(f"HTML: {BUILD / 'html' / 'index.html'}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the PDF handout into build/pdf/noopept-brief.pdf (Typst: Python only)."""
    _install(session)
    # The typst wheel compiles in the build's process: no TeX, no system package.
    _run(
        session, "sphinx-build", "-b", "typst", "docs", str(BUILD / "pdf"),
        *SPHINX_FLAGS, *JOBS, *session.posargs,
    )  # fmt: skip
    pdf = BUILD / "pdf" / PDF_NAME
    session.log(f"PDF: {pdf}")
    # The landing page links to the handout beside it, so a site built first
    # (as `nox` does) gets the PDF too.
    if (BUILD / "html" / "index.html").exists():
        shutil.copy2(pdf, BUILD / "html" / PDF_NAME)
        session.log(f"PDF copied beside the site: {BUILD / 'html' / PDF_NAME}")


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Check the pages and run the rules' examples, then build the HTML and the PDF.

    The whole test suite is `nox -s tests`; this runs only the fast checks
    first, so a page-policy problem stops the build before Sphinx starts.
    """
    for name in ("check", "rules", "html", "pdf"):
        session.notify(name)


@nox.session
def live(session: nox.Session) -> None:
    """Preview the HTML with live reload at http://127.0.0.1:8000."""
    _install(session, "live")
    # The landing page links to the PDF beside the site: copy the last one built.
    live, pdf = BUILD / "live", BUILD / "pdf" / PDF_NAME
    if pdf.exists():
        live.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pdf, live / PDF_NAME)
    else:
        session.log(
            "The landing page's PDF link needs the PDF: build it once with "
            "`python3 -m nox -s pdf`, then start the preview again."
        )
    # Quiet (-q: no configuration dump on every rebuild), and a warning is a
    # failure, as in the real build (SPHINX_FLAGS).
    _run(
        session, "sphinx-autobuild", *SPHINX_FLAGS, "--host", "127.0.0.1", "docs",
        str(live), *session.posargs,
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the Python, and spell-check the pages."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"), *CONSTRAINTS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell", "docs", "README.md")


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check external links (needs a network, so CI does not run it)."""
    _install(session)
    _run(
        session, "sphinx-build", "-b", "linkcheck", "docs",
        str(BUILD / "linkcheck"), *SPHINX_FLAGS,
    )  # fmt: skip


@nox.session(default=False)
def records(session: nox.Session) -> None:
    """Compare docs/_records/ with PubMed and Crossref (network; weekly in CI).

    Needs a network, like linkcheck, so CI runs it on a schedule
    (.github/workflows/records.yml), never on pull requests. Some records
    only: nox -s records -- KEY [KEY ...].
    """
    _install(session)
    session.run("noopept-brief", "records", *session.posargs)


@nox.session(name="pre-commit")
def pre_commit(session: nox.Session) -> None:
    """Run every pre-commit hook over every file (as a fresh clone would)."""
    # The page-policy hook runs this session's `noopept-brief`.
    _install(session, "precommit")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure")


@nox.session(default=False)
def changes(session: nox.Session) -> None:
    """The claims and references changed since a commit: nox -s changes -- --base REV."""
    _install(session)
    session.run("noopept-brief", "changes", *session.posargs)


@nox.session(name="new-page")
def new_page(session: nox.Session) -> None:
    """Scaffold a page: nox -s new-page -- <slug> "<Title>"."""
    if len(session.posargs) != 2:
        session.error('Usage: nox -s new-page -- <slug> "<Title>"')
    _install(session)
    session.run("noopept-brief", "new-page", *session.posargs)


@nox.session(venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Refresh constraints.txt: the package's dependencies and every group, pinned."""
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
    """Time the builds, `check` and the tests; print a table (not run in CI)."""
    _install(session, "test")
    _run(session, "python", "bench/run.py", *session.posargs)


#: Lighthouse for `audit`, pinned: 12.2.3 is the last release that runs on Node 20.
LIGHTHOUSE = "lighthouse@12.2.3"


@nox.session(default=False)
def audit(session: nox.Session) -> None:
    """Lighthouse (mobile) on every built page: scores and first-view size (not in CI)."""
    if not shutil.which("npm"):
        session.error(
            "The audit needs Node.js and npm. Install: sudo apt-get install npm"
        )
    _install(session)
    session.run("noopept-brief", "prerequisites", "--browser")
    # Lighthouse goes into this session's own folder, not into the repository.
    node = Path(session.virtualenv.location) / "lighthouse"
    lighthouse = node / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        session.run(
            "npm", "install", "--prefix", str(node), "--no-audit", "--no-fund",
            "--save-exact", LIGHTHOUSE, external=True,
        )  # fmt: skip
    site = BUILD / "audit"
    _run(session, "sphinx-build", "-b", "html", "docs", str(site), *SPHINX_FLAGS)
    _run(session, "python", "bench/audit.py", str(lighthouse), str(site))
