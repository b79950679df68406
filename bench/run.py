"""Build benchmark: times whole processes and prints a table of medians.

    python3 -m nox -s bench                 # 5 runs of everything
    python3 -m nox -s bench -- --runs 7
    python3 -m nox -s bench -- --quick      # 1 run each, a first look only

Every figure is the median wall-clock time of whole `sphinx-build` or `pytest`
processes, run one after another on a copy of docs/ in a temporary folder, with
the flags nox uses. Figures are printed, never asserted: a shared or busy
machine moves them, so the ratios are the figures to compare.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

import synthetic  # noqa: E402

from noopept_brief import core  # noqa: E402

FLAGS = (*core.SPHINX_FLAGS, "-q")
BARE_FLAGS = tuple(flag for flag in FLAGS if flag != "-W")
SCALE = (100, 200, 400)
#: The page and the entry the incremental runs change.
TOUCHED_PAGE = "02-research-landscape.md"
EDITED_KEY = "ostrovskaya2008"

# The same pages without the project's extension: myst, bibtex and stock furo.
# It lives outside the pages' folder, so its paths are absolute. The pages use
# the extension's {claim}, {evidence-map} and {pdf-download}: here they are
# stand-ins that only render their content, with none of the checks, badges
# or map. (The stock citation labels clash on "Gudasheva et al., 1996", so the
# bare build runs without -W.)
BARE_CONF = """
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

project = "bare"
extensions = ["myst_parser", "sphinxcontrib.bibtex"]
source_suffix = {{".md": "markdown"}}
exclude_patterns = ["_snippets"]
myst_enable_extensions = ["deflist", "smartquotes"]
bibtex_bibfiles = [{src!r} + "/refs.bib"]
bibtex_reference_style = "author_year"
html_theme = "furo"
html_static_path = [{src!r} + "/_static"]
html_css_files = ["brief.css"]


class Content(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {{name: directives.unchanged
                   for name in ("id", "evidence", "status", "note", "sources")}}

    def run(self):
        return self.parse_content_to_nodes()


def setup(app):
    app.add_directive("claim", Content)
    for name in ("evidence-map", "unverified-claims", "claims-data", "what-changed",
                 "how-to-cite", "page-guide"):
        app.add_directive(name, Content)
    app.add_role("pdf-download", lambda name, raw, text, *a, **k: ([nodes.Text(text)], []))
"""


def run(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> float:
    """Run one process to the end; return its wall-clock seconds."""
    # Let Python cache its bytecode, as on a developer's machine: some shells
    # set PYTHONDONTWRITEBYTECODE, and then every process recompiles Sphinx.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True,
        encoding="utf-8", errors="replace",
        env={**environ, **(env or {})}, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{result.stdout[-2000:]}"
                 f"\n{result.stderr[-3000:]}")  # fmt: skip
    return elapsed


def sphinx(src: Path, out: Path, *extra: str, flags: tuple[str, ...] = FLAGS) -> float:
    return run(sys.executable, "-m", "sphinx", "-b", "html", src, out, *flags, *extra)


def median(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(i) for i in range(runs))


def fresh_docs(tmp: Path, name: str, pages: int = 0) -> Path:
    src = tmp / name
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "CITATION.cff", tmp / "CITATION.cff")  # "How to cite"
    if pages:
        synthetic.write_pages(src, pages)
    return src


def cold(
    src: Path, out: Path, *extra: str, flags: tuple[str, ...] = FLAGS
) -> Callable[[int], float]:
    def once(_: int) -> float:
        shutil.rmtree(out, ignore_errors=True)
        return sphinx(src, out, *extra, flags=flags)

    return once


def policy_seconds(runs: int) -> float:
    """In-process time of every page and bibliography check over the real docs."""

    def once(_: int) -> float:
        core.parse.cache_clear()
        start = time.perf_counter()
        for page in core.pages(DOCS):
            core.check_page(page.read_text(encoding="utf-8"), str(page))
        bib = DOCS / "refs.bib"
        core.check_bib(bib.read_text(encoding="utf-8"), str(bib))
        return time.perf_counter() - start

    core.check_page("# warm-up: imports are Sphinx's cost anyway\n")
    return median(runs, once)


def bib_edit(src: Path, out: Path) -> Callable[[int], float]:
    """Edit one entry's title, rebuild, and record whether the citing pages show it."""
    bib = src / "refs.bib"
    citing = sorted(
        {p.with_suffix(".html").name for p in core.pages(src)
         for key, _ in core.citations(p.read_text(encoding="utf-8"))
         if key == EDITED_KEY}
    )  # fmt: skip
    stale: list[int] = []

    title = re.compile(
        rf"(\{{{EDITED_KEY},.*?title\s*=\s*\{{)([^}}]*?)( \(benchmark edit \d+\))?\}}",
        re.DOTALL,
    )

    def once(i: int) -> float:
        marker = f"benchmark edit {i}"
        text = bib.read_text(encoding="utf-8")
        text = title.sub(lambda m: f"{m[1]}{m[2]} ({marker})}}", text, count=1)
        assert marker in text, f"could not edit {EDITED_KEY}'s title in {bib}"
        bib.write_text(text, encoding="utf-8")
        elapsed = sphinx(src, out)
        stale.append(
            sum(
                marker not in (out / name).read_text(encoding="utf-8")
                for name in citing
            )
        )
        return elapsed

    once.citing = citing  # type: ignore[attr-defined]
    once.stale = stale  # type: ignore[attr-defined]
    return once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument(
        "--test-runs", type=int, help="runs of the test suite (default: --runs)"
    )
    parser.add_argument(
        "--no-tests", action="store_true", help="skip the test-suite rows"
    )
    parser.add_argument(
        "--no-stock", action="store_true", help="skip stock furo's scale series"
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the scale series")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, figure: str, goal: str = "", met: bool | None = None) -> None:
        rows.append(
            (what, figure, goal, "" if met is None else ("yes" if met else "NO"))
        )
        print(f"  {what}: {figure}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="brief-bench-") as name:
        tmp = Path(name)
        src = fresh_docs(tmp, "docs")
        out = tmp / "html"
        cold(src, out)(0)  # warm-up: bytecode and disk caches, not timed
        html = median(runs, cold(src, out))
        row("cold HTML build", f"{html:.2f} s")
        confdir = tmp / "bare-conf"
        confdir.mkdir()
        (confdir / "conf.py").write_text(
            BARE_CONF.format(src=str(src)), encoding="utf-8"
        )
        bare = median(
            runs, cold(src, tmp / "bare", "-c", str(confdir), flags=BARE_FLAGS)
        )
        row("bare configuration (no brief extension, stock furo)", f"{bare:.2f} s")
        row("cold HTML / bare", f"{html / bare:.2f}x", "<= 1.25x", html / bare <= 1.25)

        policy = policy_seconds(max(runs, 5))
        row(
            "policy check (all pages + refs.bib)",
            f"{policy * 1000:.0f} ms, {policy / html:.1%} of the HTML build",
            "<= 5%",
            policy / html <= 0.05,
        )
        # The command contributors and pre-commit run: a whole process, every rule.
        check = median(runs, lambda _: run("noopept-brief", "check"))
        row("`noopept-brief check` (whole brief, whole process)", f"{check:.2f} s",
            "<= 1 s", check <= 1)  # fmt: skip

        sphinx(src, out)  # the output is current
        noop = median(runs, lambda _: sphinx(src, out))
        row("no-op incremental build", f"{noop:.2f} s")
        page = src / TOUCHED_PAGE
        touched = median(runs, lambda _: (page.touch(), sphinx(src, out))[1])
        row(
            "incremental, one page touched",
            f"{touched:.2f} s, {touched / noop:.2f}x no-op",
            "<= 1.5x no-op",
            touched / noop <= 1.5,
        )
        edit = bib_edit(src, out)
        edited = median(runs, edit)
        worst = max(edit.stale)
        state = (
            "correct"
            if worst == 0
            else f"STALE: {worst} of {len(edit.citing)} citing pages kept the old entry"
        )
        row(
            f"incremental, one refs.bib entry edited ({len(edit.citing)} citing pages)",
            f"{edited:.2f} s, {state}",
            "correct",
            worst == 0,
        )

        def pdf(_: int) -> float:
            shutil.rmtree(tmp / "pdf", ignore_errors=True)
            # As nox builds it: the Typst builder, compiled in the same process.
            return run(
                sys.executable, "-m", "sphinx", "-b", "typst", src, tmp / "pdf", *FLAGS
            )  # fmt: skip

        pdf_time = median(runs, pdf)
        row(
            "PDF build (cold)",
            f"{pdf_time:.2f} s, {pdf_time / html:.2f}x HTML",
            "<= 1.2x HTML",
            pdf_time / html <= 1.2,
        )

        if not args.no_tests:
            pytest = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider")
            test_runs = 1 if args.quick else (args.test_runs or runs)
            # As CI runs it: a missing Chromium fails instead of skipping.
            strict = {"REQUIRE_BROWSER": "1"}
            full = median(test_runs, lambda _: run(*pytest, env=strict))
            row("test suite, all tests", f"{full:.1f} s", "<= 60 s", full <= 60)
            fast = median(
                test_runs, lambda _: run(*pytest, "-m", "not browser and not pdf")
            )
            row(
                "test suite, without browser and PDF tests",
                f"{fast:.1f} s",
                "<= 20 s",
                fast <= 20,
            )

        series = [("project", ())] + (
            []
            if args.no_stock
            else [("stock furo navigation", ("-D", "brief_navigation_cache=0"))]
        )
        for label, extra in [] if args.no_scale else series:
            times = {}
            for count in SCALE:
                scaled = fresh_docs(tmp, f"scale-{count}", count)
                times[count] = median(
                    runs, cold(scaled, tmp / f"scale-{count}-html", *extra)
                )
                row(
                    f"{label}: cold build, {count} synthetic pages",
                    f"{times[count]:.1f} s",
                )
            slope = (times[SCALE[-1]] - times[SCALE[0]]) / (SCALE[-1] - SCALE[0])
            ratio = times[SCALE[-1]] / times[SCALE[0]]
            row(
                f"{label}: per-page slope (100 to 400)", f"{slope * 1000:.0f} ms a page"
            )
            row(
                f"{label}: time(400) / time(100)",
                f"{ratio:.2f}x",
                "<= 4.4x",
                ratio <= 4.4,
            )

    cpu = os.cpu_count()
    print(f"\nBuild benchmark: median of {runs} run(s); {platform.system()} {platform.release()}, "
          f"{cpu} CPUs, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}\n")  # fmt: skip
    widths = [
        max(len(r[i]) for r in [("What", "Figure", "Goal", "Met"), *rows])
        for i in range(4)
    ]
    for line in [
        ("What", "Figure", "Goal", "Met"),
        tuple("-" * w for w in widths),
        *rows,
    ]:
        print(
            "| "
            + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
            + " |"
        )


if __name__ == "__main__":
    main()
