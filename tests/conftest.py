"""Shared fixtures: the docs tree, and Sphinx builds of it into temporary folders."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import multiprocessing
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# The tests read what the Sphinx builds they start print. Sphinx colours its
# output when CI=true (as in CI), and colour codes would hide "path:line:".
os.environ["NO_COLOR"] = "1"

import pytest

from noopept_brief import core
from noopept_brief.tools import scaffold

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FIXTURES = Path(__file__).parent / "fixtures"
BROWSER_TESTS = Path(__file__).parent / "test_browser.py"
#: What waits for the browser survey the xdist controller makes (pytest_sessionstart).
SURVEY_ENDS = pytest.StashKey[Callable[[], None]]()


pytest_plugins = ["sphinx.testing.fixtures"]
# The small test projects are Sphinx's to read, not pytest's (--doctest-modules
# would import each conf.py, and two of them as one module "conf").
collect_ignore = ["roots"]


#: The collector's thresholds in the test processes (pytest_configure).
TEST_GC_THRESHOLDS = (20_000, 10, 10)


def pytest_configure(config: pytest.Config) -> None:
    # sphinx-sitemap starts a multiprocessing manager for every build, and the
    # builds run in this process. Forked, a manager would inherit the pipes to
    # Playwright's driver and keep it from exiting, so the run would never end;
    # started from a fork server, it inherits nothing. (Sphinx's own parallel
    # builds still fork, by their own choice.)
    multiprocessing.set_start_method("forkserver", force=True)
    # Between builds the tests make and drop many small objects (parsed pages,
    # lists of findings): at CPython's first threshold (700) the two workers
    # collected about 2,300 times a run, 4.2 s of CPU; at 20,000, 430 times,
    # 2.4 s. A build sets its own while it runs (sphinxext/collector.py); these
    # differ, so that tests/test_collector.py sees a build set and restore them.
    gc.set_threshold(*TEST_GC_THRESHOLDS)
    _count_builds()


# -- How many Sphinx builds the run makes --------------------------------------
# The suite's cost is mostly its builds: every Sphinx build in this process
# (sphinx_build, sphinx.testing's apps) is counted, cold (a fresh environment)
# or incremental, and the total is printed at the end of the run (all xdist
# workers together). A test that builds in another process says so with
# count_build().

BUILDS = {"cold": 0, "incremental": 0}


def count_build(kind: str = "cold") -> None:
    """Count a build this process cannot see (one run in a subprocess)."""
    BUILDS[kind] += 1


def _count_builds() -> None:
    from sphinx.application import Sphinx

    build = Sphinx.build
    if getattr(build, "counted", False):
        return

    def counted(self: Sphinx, *args, **kwargs):
        count_build("cold" if self._fresh_env_used else "incremental")
        return build(self, *args, **kwargs)

    counted.counted = True  # type: ignore[attr-defined]
    Sphinx.build = counted  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(
        session.config, "workeroutput"
    ):  # an xdist worker: tell the main process
        session.config.workeroutput["builds"] = json.dumps(BUILDS)


@pytest.hookimpl(optionalhook=True)  # xdist's hook: absent with -p no:xdist
def pytest_testnodedown(node, error) -> None:
    """xdist: a worker finished; add its builds to the run's."""
    for kind, count in json.loads(node.workeroutput.get("builds", "{}")).items():
        BUILDS[kind] += count


def pytest_terminal_summary(terminalreporter) -> None:
    terminalreporter.write_line(
        f"Sphinx builds: {BUILDS['cold']} cold, {BUILDS['incremental']} incremental"
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """The xdist controller runs no test: it makes the browser survey as the run
    begins, while the workers run the other tests (tests/browser_survey.py)."""
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("dsession"):
        return  # a worker, or a run without xdist: the survey is made on demand
    if "browser" in (config.getoption("markexpr") or "") or not any(
        Path(arg.split("::")[0]).resolve()
        in (ROOT, Path(__file__).parent, BROWSER_TESTS)
        for arg in config.args
    ):
        return  # the run leaves the browser tests out, or may
    from browser_survey import start_early

    # pytest's own temporary folder of the run: xdist gives each worker a
    # folder inside it (xdist's workermanage reads it the same way).
    shared = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    config.stash[SURVEY_ENDS] = start_early(shared)


def pytest_unconfigure(config: pytest.Config) -> None:
    if SURVEY_ENDS in config.stash:
        config.stash[SURVEY_ENDS]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PDF, so `-m "not pdf"` can leave them out,
    and collect the browser tests last: xdist hands each module to one worker
    in the order collected (noxfile.py's XDIST), and the browser tests read
    the survey begun as the run began."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    for item in items:
        if "pdf_path" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pdf)


@pytest.fixture(autouse=True)
def _environment_put_back() -> Iterator[None]:
    """Builds run in this process, and conf.py sets SOURCE_DATE_EPOCH for the
    copy of docs/ it builds: put the environment back after every test, so a
    later build is dated from its own sources."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


#: sphinx.testing's claims-model root, for a test that builds it: with a fresh
#: environment, since a worker's tests build that root in one folder, and
#: whichever ran first made the others' builds incremental (so the run's count
#: of cold builds moved with the order xdist gave the modules).
CLAIMS_MODEL_BUILD = pytest.mark.sphinx("html", testroot="claims-model", freshenv=True)


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
            try:
                code = make_main(argv) if argv[0] == "-M" else build_main(argv)
            except SystemExit as stop:  # the build stopped itself, as a process would
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os.environ.clear()
        os.environ.update(environ)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


#: What Sphinx prints when it crashes instead of refusing an input.
CRASH_SIGNS = ("Traceback", "Exception occurred", "please open an issue")


def as_from_a_terminal() -> None:
    """A subprocess's ``preexec_fn``: Ctrl-C (SIGINT) as at a terminal. A
    shell's background job ("pytest &", CI scripts) ignores it, and a child
    inherits that, so a test that stops a child with SIGINT starts it so."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def assert_no_crash(result: subprocess.CompletedProcess[str]) -> None:
    """A refused input gives its warning and a finished build, never a crash."""
    out = result.stdout + result.stderr
    for sign in CRASH_SIGNS:
        assert sign not in out, f"the build crashed ({sign!r}):\n{out[-3000:]}"


def copy_docs(target: Path) -> Path:
    """A throw-away copy of docs/ to break on purpose."""
    shutil.copytree(DOCS, target, ignore=shutil.ignore_patterns("__pycache__"))
    # "How to cite" reads CITATION.cff beside docs/ (conf.py: brief_citation_file).
    if not (target.parent / "CITATION.cff").exists():
        shutil.copy(ROOT / "CITATION.cff", target.parent / "CITATION.cff")
    return target


def hostile_copy(
    root: Path,
    pages: dict[str, str],
    files: Iterable[tuple[str, str]] = (),
    unlisted: Iterable[str] = (),
) -> Path:
    """A copy of docs/ with hostile pages (docname -> text), listed in the
    landing page's toctree but for ``unlisted``, and files beside them
    ((path under docs/, text) pairs)."""
    docs = copy_docs(root / "docs")
    for name, text in pages.items():
        (docs / f"{name}.md").write_text(text, "utf-8")
    for path, text in files:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, "utf-8")
    index = docs / "index.md"
    listed = "".join(f"{n}\n" for n in pages if n not in set(unlisted))
    index.write_text(
        index.read_text("utf-8").replace("references\n", "references\n" + listed),
        "utf-8",
    )
    return docs


def checked_names(docs: Path, html: Path) -> tuple[set[str], set[str]]:
    """The files `check` and `check --built` name, each run once."""
    from noopept_brief.core.check import check_built

    return (
        {Path(v.path).name for v in core.check_all(docs)},
        {Path(v.path).name for v in check_built(docs, html)},
    )


# -- Built once per run, for every xdist worker -----------------------------------
# Under pytest-xdist each worker is a process with its own session fixtures. A
# site every worker reads is built once, by whichever worker asks first, into
# a folder beside the workers' own (under a file lock); the others wait for it
# and read the same files. Tests only read these sites (a test that changes
# one copies it first).


def built_once(
    factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Path], subprocess.CompletedProcess[str]],
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``build(folder)`` once per test run, whichever worker asks first; the
    folder and the build's result (kept as JSON for the other workers).
    The environment is put back after it: a session fixture is made before
    the per-test reset saves it, and a SOURCE_DATE_EPOCH that conf.py set
    for a copy of docs/ would otherwise date every later build."""
    saved = dict(os.environ)

    def made(root: Path) -> subprocess.CompletedProcess[str]:
        try:
            return build(root)
        finally:
            os.environ.clear()
            os.environ.update(saved)

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        root = factory.mktemp(name)
        return root, made(root)
    # The run's folder, above the workers' own: the xdist controller's.
    return made_once(factory.getbasetemp().parent, name, made)


def made_once(
    shared: Path, name: str, build: Callable[[Path], subprocess.CompletedProcess[str]]
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``build(shared / name)`` unless a process of this run has made it: the
    folder, and the result kept beside it as JSON (under a file lock)."""
    from filelock import FileLock

    root, done = shared / name, shared / f"{name}.json"
    with FileLock(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            result = build(root)
            done.write_text(
                json.dumps(
                    [result.args, result.returncode, result.stdout, result.stderr]
                ),
                encoding="utf-8",
            )
    args, code, out, err = json.loads(done.read_text(encoding="utf-8"))
    return root, subprocess.CompletedProcess(args, code, out, err)


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML site, built once per test run from the real docs/."""
    out, result = built_once(
        tmp_path_factory, "html", lambda out: sphinx_build("-b", "html", DOCS, out)
    )
    assert result.returncode == 0, f"the HTML build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDF handout, built once per test run (Typst, a Python wheel: no
    system package needed, so it never skips)."""
    out, result = built_once(
        tmp_path_factory, "pdf", lambda out: sphinx_build("-b", "typst", DOCS, out)
    )
    assert result.returncode == 0, (
        f"the PDF build failed:\n{result.stdout[-3000:]}\n{result.stderr}"
    )
    return out / core.PDF_NAME


@pytest.fixture(scope="session")
def pdf_pages(tmp_path_factory: pytest.TempPathFactory, pdf_path: Path) -> list[str]:
    """Each page's text of the handout as pypdf extracts it: the tests' own
    reader of the PDF, beside the gate's PDFium, so that two readers agree on
    it. pypdf takes about a second for the handout, so it reads it once a test
    run, in whichever worker asks first (kept as JSON for the others)."""

    def extract(_: Path) -> subprocess.CompletedProcess[str]:
        from pypdf import PdfReader

        pages = [page.extract_text() for page in PdfReader(pdf_path).pages]
        return subprocess.CompletedProcess(
            ["pypdf", str(pdf_path)], 0, json.dumps(pages)
        )

    _, result = built_once(tmp_path_factory, "pdf-pages", extract)
    return json.loads(result.stdout)


# -- One broken copy of docs/, built once for every test that needs a failure ----
# Each test file that checks a failing build reads this one build's warnings,
# each at its own file and line: one Sphinx build instead of one per file.

REFUSED = FIXTURES / "refused"
#: Refused pages (tests/test_refused_inputs.py's table), added to the toctree.
SPHINX_PAGES = ("script-in-nested-raw.md", "event-handler.md", "vendor-link.md",
                "image-without-alt.md", "heading-skips-a-level.md", "byte-order-mark.md")  # fmt: skip
#: Bib files with one problem each, added to bibtex_bibfiles.
BROKEN_BIBS = ("duplicate-key.bib", "missing-field.bib", "malformed-doi.bib")
BROKEN_PAGE = """\
# A page with broken references

```{disclaimer}
```

See {ref}`limitations`, {ref}`no-such-label` and {cite:p}`nokey1999`.

(trk-receptors)=
## A label that another page already defines

```{include} /_snippets/unsafe.md
```
"""
# An included snippet reaches readers too.
UNSAFE_SNIPPET = 'Some text.\n\n<iframe src="https://example.org/"></iframe>\n'
#: Real pages with one page rule broken each: (page, the markup cut from it).
CUT_FROM_PAGES = {
    "02-research-landscape.md": core.LIMITATIONS_REF,
    "03-systems-context.md": core.DISCLAIMER_DIRECTIVE,
}
#: The scaffold's page, left unfilled (tests/test_scaffold.py).
SCAFFOLD_SLUG, SCAFFOLD_TITLE = "unfilled", "An unfilled page"
RECORD_OF_A_BAD_KIND = Path("_records", "boyko2004.yaml")
BAD_KIND = ("kind: abstract", "kind: preprint")


def add_to_docs(docs: Path, pages: list[str], bibs: list[str]) -> None:
    """Add refused pages (listed in the toctree) and bib files to a copy of docs/."""
    for name in pages:
        if (REFUSED / name).exists():
            (docs / name).write_bytes((REFUSED / name).read_bytes())
    for name in bibs:
        (docs / name).write_bytes((FIXTURES / "bib" / name).read_bytes())
    index = docs / "index.md"
    entries = "".join(f"{Path(n).stem}\n" for n in pages)
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "references\n", "references\n" + entries
        ),
        encoding="utf-8",
    )
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nbibtex_bibfiles = {['refs.bib', *bibs]!r}\n")


@pytest.fixture(scope="session")
def broken_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One copy of docs/ broken in every way the tests check at once, built once
    as on GitHub Actions (so it prints annotations too). Returns the copy and
    the build's result."""
    root, result = built_once(tmp_path_factory, "broken", _build_broken_site)
    assert result.returncode != 0, "a -W build of the broken copy must fail"
    assert_no_crash(result)  # failed with warnings, not with a traceback
    return root / "docs", result


def _build_broken_site(root: Path) -> subprocess.CompletedProcess[str]:
    docs = copy_docs(root / "docs")
    add_to_docs(
        docs, ["no-such-page.md", *SPHINX_PAGES, "broken.md"], list(BROKEN_BIBS)
    )
    (docs / "broken.md").write_text(BROKEN_PAGE, encoding="utf-8")
    (docs / "_snippets" / "unsafe.md").write_text(UNSAFE_SNIPPET, encoding="utf-8")
    # "no-such-page" is in the toctree, but no file; orphan.md is in no toctree.
    shutil.copy(DOCS / "01-overview.md", docs / "orphan.md")
    # Every bad claim page (tests/test_claims.py), as bad-NAME.md.
    for bad in sorted((FIXTURES / "claims" / "bad").glob("*.md")):
        (docs / f"bad-{bad.name}").write_bytes(bad.read_bytes())
    for name, cut in CUT_FROM_PAGES.items():
        page = docs / name
        text = page.read_text(encoding="utf-8")
        assert cut in text, f"{name} no longer holds {cut!r}"
        page.write_text(text.replace(cut, ""), encoding="utf-8")
    bib = docs / "refs.bib"
    text = bib.read_text("utf-8")
    assert "= {10." in text, "refs.bib has no DOI left to break"
    bib.write_text(text.replace("= {10.", "= {https://doi.org/10.", 1), "utf-8")
    scaffold.new_page(SCAFFOLD_SLUG, SCAFFOLD_TITLE, docs)
    # A record of a kind not on the list (test_quotes.py), and the disclaimer's
    # old text, false now (test_record_corrections.py).
    record = docs / RECORD_OF_A_BAD_KIND
    record.write_text(record.read_text("utf-8").replace(*BAD_KIND), "utf-8")
    shutil.copy(
        FIXTURES / "record" / "old-disclaimer.md", docs / core.DISCLAIMER_SNIPPET
    )
    environ = dict(os.environ)
    os.environ.update(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(root))
    try:
        return sphinx_build("-b", "html", docs, root / "html")
    finally:
        os.environ.clear()
        os.environ.update(environ)


def warnings_at(stderr: str, path: Path, line: int | None = None) -> list[str]:
    """The warnings (with their continuation lines) located at ``path:line``."""
    where = f"{path}:{line}:" if line else f"{path}:"
    return [w for w in re.split(r"\n(?=\S+:\d+: )", stderr) if w.startswith(where)]


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


def texts_when_told(chunk: list[tuple[str, object]]) -> list[str]:
    """A writing process for a chunk of (pipe, tree): it waits for a byte on
    the pipe (until the test has looked at the tasks), then gives back each
    tree's text. For the tests of Sphinx's ParallelTasks, which fork it."""
    os.read(int(chunk[0][0]), 1)
    return [tree.astext() for _fd, tree in chunk]  # type: ignore[attr-defined]
