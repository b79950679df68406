"""Every job of noopept-brief, one nox session each. `nox` alone runs `build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))

sys.path.insert(0, str(DOCS / "_ext"))
import brief  # noqa: E402  (stdlib-only at import time)

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

SPHINX_FLAGS = (*brief.SPHINX_FLAGS, "-q")


def _install(session: nox.Session, *groups: str) -> None:
    """Install dependency groups from pyproject.toml, pinned by constraints.txt."""
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups), *CONSTRAINTS)


def _source_date_epoch() -> str:
    """The last commit's time, so two builds of one commit are identical."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return os.environ.get("SOURCE_DATE_EPOCH") or out or "0"


def _env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": _source_date_epoch()}


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite: page policy, bibliography, doctests, HTML and PDF builds."""
    _install(session, "test")
    session.run("pytest", *session.posargs, env=_env())


@nox.session
def html(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    _install(session, "docs")
    session.run(
        "sphinx-build", "-b", "html", "docs", str(BUILD / "html"), *SPHINX_FLAGS,
        *session.posargs, env=_env(),
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
        *session.posargs, env={**_env(), "LATEXMKOPTS": "-quiet -halt-on-error"},
    )  # fmt: skip
    session.log(f"PDF: {BUILD / 'latex' / 'noopept-brief.pdf'}")


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
        *SPHINX_FLAGS, env=_env(),
    )  # fmt: skip


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
    session.run("python", "bench/run.py", *session.posargs, env=_env())


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
        "sphinx-build", "-b", "html", "docs", str(site), *SPHINX_FLAGS, env=_env()
    )  # fmt: skip
    session.run("python", "bench/audit.py", str(lighthouse), str(site))
