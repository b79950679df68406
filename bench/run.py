"""Build benchmark: times whole processes and prints a table of medians.

    python3 -m nox -s bench                     # everything, 5 runs of each
    python3 -m nox -s bench -- --runs 3 --scale 100,400,1000
    python3 -m nox -s bench -- --quick          # 1 run each, a first look only
    python3 -m nox -s bench -- --scale-only --scale 5,10 --runs 1   # try the series
    python3 -m nox -s bench -- --scale-only --peer  # beside MyST-MD (bench/README.md)
    python3 -m nox -s bench -- --scale-only --scale 400 --against f4c7e22  # before/after

Every figure is the median wall-clock time of whole `sphinx-build`, `myst` or
`pytest` processes, run one after another on a copy of docs/ in a temporary
folder, with the flags nox uses, and peak memory is that process's own. The
scale series builds copies of a real page (bench/synthetic.py). Figures are
printed, never asserted: a shared or busy machine moves them, so the ratios
are the figures to compare. bench/README.md says how to read them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

import synthetic  # noqa: E402

from noopept_brief import core  # noqa: E402

# As nox builds (on every core); the bare build too, so the ratio is fair.
FLAGS = (*core.SPHINX_FLAGS, *core.JOBS, "-q")
BARE_FLAGS = tuple(flag for flag in FLAGS if flag != "-W")
#: How `nox -s tests` runs the suite on every core (noxfile.py's XDIST; a
#: test compares).
XDIST = ("-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder")
#: The scale series' sizes: copies of a real page (--scale).
SCALE = (100, 400, 1000)
#: Issue 21's goals for the series: (smaller, larger, most time(larger) may
#: be, as a multiple of time(smaller)). Linear growth, and a little over.
SCALE_GOALS = ((400, 1000, 2.6), (100, 1000, 10.0))
#: Issue 21's goal for the 400-page build, in seconds.
SECONDS_AT_400 = 25
#: Where the local MyST-MD site theme is built (bench/README.md; --peer-theme).
PEER_THEME = ROOT / "build" / "myst-theme"
#: The page and the entry the incremental runs change.
TOUCHED_PAGE = "02-research-landscape.md"
EDITED_KEY = "ostrovskaya2008"

# The same pages without the project's extension: myst, bibtex and stock furo.
# It lives outside the pages' folder, so its paths are absolute. The pages use
# the extension's {claim}, {disclaimer}, {web-only}, {evidence-map} and
# {pdf-download}: here they are stand-ins that only render their content (the
# disclaimer: its snippet), with none of the checks, badges or map. (The stock citation labels clash on "Gudasheva et al., 1996", so the
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
                   for name in ("id", "evidence", "status", "note", "sources", "quote")}}

    def run(self):
        return self.parse_content_to_nodes()


class Disclaimer(SphinxDirective):
    def run(self):
        snippet = open({src!r} + "/_snippets/disclaimer.md", encoding="utf-8").read()
        return self.parse_text_to_nodes(snippet)


def setup(app):
    app.add_directive("claim", Content)
    app.add_directive("disclaimer", Disclaimer)
    for name in ("web-only", "evidence-map", "unverified-claims", "claims-data", "what-changed",
                 "how-to-cite", "page-guide"):
        app.add_directive(name, Content)
    app.add_role("pdf-download", lambda name, raw, text, *a, **k: ([nodes.Text(text)], []))
"""


@dataclass(frozen=True)
class Measured:
    """One whole process: its wall-clock seconds, its peak memory (MB), its
    CPU seconds (user and system, with the children it waited for: on a
    shared machine the wall clock measures the neighbours too) and the end
    of what it printed; and the machine's busy CPU seconds meanwhile, every
    process counted (a browser's processes are not all waited for, so its
    CPU is missing from ``cpu``; on a shared machine this counts the
    neighbours too)."""

    seconds: float
    peak_mb: float
    cpu: float = 0.0
    printed: str = ""
    machine_cpu: float = 0.0


#: The machine's speed, timed beside every row: a fixed loop of ten million
#: additions, in a Python process of its own. On the 2-core development
#: machine it took 0.80 to 1.57 s within one session, and a build that keeps
#: every core busy moves with it (README, Performance).
SPEED_PROBE = """
import time
start, total = time.perf_counter(), 0
for i in range(10_000_000):
    total += i
print(time.perf_counter() - start)
"""
#: Rows printed within this many seconds of the last probe share its figure.
PROBE_EVERY = 10.0


def loop_seconds() -> float:
    """The :data:`SPEED_PROBE` loop's seconds, now."""
    done = subprocess.run(
        [sys.executable, "-c", SPEED_PROBE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return float(done.stdout)


class Speed:
    """The loop's seconds before and after each row's measurements: the
    speed of the minutes a figure was measured in."""

    def __init__(
        self,
        probe: Callable[[], float] = loop_seconds,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.probe, self.clock = probe, clock
        self.last, self.at, self.cell = probe(), clock(), ""

    def now(self) -> str:
        """The loop at the last probe and now, as a table cell; rows printed
        together (one measurement's figures) share one probe."""
        if not self.cell or self.clock() - self.at > PROBE_EVERY:
            before, self.last = self.last, self.probe()
            self.at, self.cell = self.clock(), f"{before:.2f} to {self.last:.2f} s"
        return self.cell


def _busy() -> float:
    """The machine's CPU seconds spent on anything but waiting, since boot
    (Linux counts a guest's time in user time too: counted once here)."""
    idle = ("idle", "iowait", "guest", "guest_nice")
    return sum(v for k, v in psutil.cpu_times()._asdict().items() if k not in idle)


class Failed(Exception):
    """A measured process ended with an error; the message holds its output."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output  # the end of what it printed


def measure(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> Measured:
    """Run one process to the end; its time and peak memory, or Failed."""
    # Let Python cache its bytecode, as on a developer's machine: some shells
    # set PYTHONDONTWRITEBYTECODE, and then every process recompiles Sphinx.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [str(a) for a in args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start, busy = time.perf_counter(), _busy()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=err, env={**environ, **(env or {})}
        )
        # wait4 gives this child's own peak memory; getrusage(RUSAGE_CHILDREN)
        # would give the largest of every child so far.
        _, status, usage = os.wait4(process.pid, 0)
        elapsed, machine = time.perf_counter() - start, _busy() - busy
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output = f"{_tail(out, 2000)}\n{_tail(err, 3000)}"
            raise Failed(
                f"failed (exit {process.returncode}): {' '.join(command)}\n{output}",
                output,
            )
        printed = _tail(out, 2000)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(elapsed, usage.ru_maxrss * scale / 1e6, cpu, printed, machine)


def _tail(stream: IO[bytes], size: int) -> str:
    stream.seek(0)
    return stream.read().decode("utf-8", "replace")[-size:]


def run(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> float:
    """Run one process to the end; its wall-clock seconds. Stop on an error."""
    try:
        return measure(*args, cwd=cwd, env=env).seconds
    except Failed as error:
        sys.exit(str(error))


def installed(name: str) -> str | None:
    """A command installed beside this Python (its venv's bin), or on PATH."""
    here = str(Path(sys.executable).parent)
    return shutil.which(name, path=os.pathsep.join((here, os.environ["PATH"])))


def sphinx(src: Path, out: Path, *extra: str, flags: tuple[str, ...] = FLAGS) -> float:
    return run(sys.executable, "-m", "sphinx", "-b", "html", src, out, *flags, *extra)


def median(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(i) for i in range(runs))


def fresh_docs(tmp: Path, name: str, copies: int = 0) -> Path:
    """A copy of docs/ in ``tmp``, with ``copies`` copies of a real page added."""
    src = tmp / name
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "CITATION.cff", tmp / "CITATION.cff")  # "How to cite"
    if copies:
        synthetic.write_copies(src, copies)
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


# -- The PDF -------------------------------------------------------------------
# One function, so that the PDF rows follow the PDF builder when it changes:
# point pdf_command at what `nox -s pdf` runs.


def pdf_command(src: Path, out: Path) -> list[str | Path]:
    """The cold PDF build, as `nox -s pdf` builds it: the Typst builder,
    compiled in the same process."""
    return [sys.executable, "-m", "sphinx", "-b", "typst", src, out, *FLAGS]


def pdf_seconds(src: Path, tmp: Path, runs: int) -> tuple[float, float]:
    """Median seconds of a cold PDF build of ``src``, and of a cold HTML build
    run in turn with it. On a shared machine the load moves within a minute:
    against the HTML row, timed a minute earlier, the same PDF build once read
    1.35x; in turn with it, 1.04x."""
    pdf, html, out = [], [], tmp / "pdf"
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        pdf.append(run(*pdf_command(src, out)))
        html.append(cold(src, tmp / "pdf-html")(0))
    return statistics.median(pdf), statistics.median(html)


# -- The scale series ----------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """One size of the scale series: what was built, and how it went."""

    copies: int
    pages: int
    claims: int
    seconds: float | None = None  # None: the build failed
    peak_mb: float = 0.0
    failure: str = ""
    #: The fastest and the slowest run: how far the machine moved the median.
    fastest: float = 0.0
    slowest: float = 0.0


def build_size(
    tmp: Path, copies: int, runs: int, command: Callable[[Path, Path], list[str | Path]]
) -> Size:
    """Cold builds of docs/ plus ``copies`` copies (see :func:`build_sizes`)."""
    return build_sizes(tmp, [copies], runs, command)[copies]


def build_sizes(
    tmp: Path,
    sizes: list[int],
    runs: int,
    command: Callable[[Path, Path], list[str | Path]],
) -> dict[int, Size]:
    """Cold builds of docs/ plus each number of copies in ``sizes``: for each,
    the median time and the largest peak memory, or the first failure.

    The sizes take turns (100, 400, 1,000, 100, ...), so that a change in the
    machine's speed during the series (up to half on this machine) moves
    every size's median alike instead of the ratios between them."""
    docs = {n: fresh_docs(tmp, f"scale-{n}", n) for n in sizes}
    pages = {n: core.pages(src) for n, src in docs.items()}
    claims = {
        n: sum(len(core.claims(p.read_text(encoding="utf-8"))) for p in found)
        for n, found in pages.items()
    }
    results: dict[int, list[Measured]] = {n: [] for n in sizes}
    failed: dict[int, Size] = {}
    for _ in range(runs):
        for n in [n for n in sizes if n not in failed]:
            out = tmp / f"scale-{n}-out"
            shutil.rmtree(out, ignore_errors=True)
            try:
                results[n].append(measure(*command(docs[n], out), cwd=docs[n]))
            except Failed as error:
                # The line that says why: Sphinx's first error or warning.
                first = next(
                    (line for line in error.output.splitlines()
                     if "error" in line.lower() or "warning" in line.lower()),
                    str(error).splitlines()[0],
                )  # fmt: skip
                print(str(error), file=sys.stderr)
                failed[n] = Size(
                    n, len(pages[n]), claims[n], failure=first.strip()[:200]
                )
    return {
        n: failed.get(n)
        or Size(
            n,
            len(pages[n]),
            claims[n],
            statistics.median(r.seconds for r in results[n]),
            max(r.peak_mb for r in results[n]),
            fastest=min(r.seconds for r in results[n]),
            slowest=max(r.seconds for r in results[n]),
        )
        for n in sizes
    }


def project_command(*extra: str) -> Callable[[Path, Path], list[str | Path]]:
    def command(src: Path, out: Path) -> list[str | Path]:
        return [sys.executable, "-m", "sphinx", "-b", "html", src, out, *FLAGS, *extra]

    return command


def scale_rows(label: str, sizes: dict[int, Size], row: Row, goals: bool) -> None:
    """One row a size, then (``goals``) issue 21's goals for the project's own
    build, as met or not: printed, never asserted."""
    base = min(sizes)
    for copies, size in sizes.items():
        what = (
            f"{label}: cold build, {copies} copies "
            f"({size.pages} pages, {size.claims:,} claims)"
        )
        goal, met = (
            (f"<= {SECONDS_AT_400} s", None if size.seconds is None
             else size.seconds <= SECONDS_AT_400)
            if goals and copies == 400 else ("", None)
        )  # fmt: skip
        if size.seconds is None:
            row(what, f"FAILED: {size.failure}", goal, False if goal else None)
            continue
        ratio = size.seconds / sizes[base].seconds if sizes[base].seconds else 0
        spread = (
            f" (runs {size.fastest:.1f} to {size.slowest:.1f} s)"
            if size.slowest > size.fastest
            else ""
        )
        row(
            what,
            f"{size.seconds:.1f} s{spread}, {ratio:.2f}x the {base}-copy build, "
            f"peak {size.peak_mb:.0f} MB",
            goal,
            met,
        )
    if goals and 400 not in sizes:
        row(f"{label}: cold build, 400 copies", "not measured (--scale needs 400)",
            f"<= {SECONDS_AT_400} s")  # fmt: skip
    for small, large, limit in SCALE_GOALS if goals else ():
        what = f"{label}: time({large}) / time({small})"
        goal = f"<= {limit:g}x"
        if small not in sizes or large not in sizes:
            row(what, f"not measured (--scale needs {small} and {large})", goal)
        elif failed := [n for n in (small, large) if sizes[n].seconds is None]:
            row(what, f"not met: the {failed[0]}-copy build failed", goal, False)
        else:
            ratio = sizes[large].seconds / sizes[small].seconds  # type: ignore[operator]
            row(what, f"{ratio:.2f}x", goal, ratio <= limit)


# -- The peer: MyST-MD on the same pages ---------------------------------------


def myst_command() -> str | None:
    """The `myst` command (the mystmd package): beside this Python, or on PATH."""
    return installed("myst")


def peer_problem(theme: Path) -> str | None:
    """Why MyST-MD cannot build here, or None."""
    readme = 'bench/README.md, "The peer: MyST-MD"'
    myst = myst_command()
    if not myst:
        return ("the `myst` command is not installed. Install it into this "
                f"environment (pip install mystmd) and build its theme: see {readme}.")  # fmt: skip
    node = shutil.which("node")
    if not node:
        return f"MyST-MD runs on Node.js (20 or later), which is not installed: see {readme}."
    if not (theme / "template.yml").is_file():
        return (f"there is no local MyST-MD site theme in {theme}. MyST-MD "
                "downloads its theme from api.mystmd.org and GitHub at build "
                "time, which this machine cannot reach, and a download would "
                f"be timed with the build. Build the theme once as {readme} says, "
                "or name its folder with --peer-theme.")  # fmt: skip
    if not (theme / "node_modules").is_dir():
        return (f"the theme in {theme} has no node_modules: run `npm ci "
                f"--ignore-scripts` in it (see {readme}).")  # fmt: skip
    return None


def myst_version() -> str:
    result = subprocess.run(
        [myst_command() or "myst", "--version"], capture_output=True, text=True,
        encoding="utf-8", check=False,
    )  # fmt: skip
    words = result.stdout.split()
    return words[-1] if words else "unknown"


def write_myst_config(src: Path, theme: Path) -> None:
    """A myst.yml beside the pages: the same pages (the copies nested under
    their index, as in Sphinx's toctree), the same refs.bib, and the local
    theme. JSON is YAML, and needs no quoting."""
    order = [
        p.relative_to(src).as_posix()
        for p in core.pages(src)
        if not p.relative_to(src).as_posix().startswith(f"{synthetic.COPIES}/")
    ]
    copies = sorted(p.name for p in (src / synthetic.COPIES).glob("copy-*.md"))
    toc: list[dict[str, object]] = [{"file": "index.md"}]
    toc += [{"file": name} for name in order if name != "index.md"]
    if copies:
        toc.append({
            "file": f"{synthetic.COPIES}/index.md",
            "children": [{"file": f"{synthetic.COPIES}/{name}"} for name in copies],
        })  # fmt: skip
    config = {
        "version": 1,
        "project": {"title": "Benchmark", "bibliography": ["refs.bib"], "toc": toc},
        "site": {"template": str(theme)},
    }
    (src / "myst.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")


#: A claim's opening and options, as the project writes them.
CLAIM = re.compile(
    r"^([ \t]*(?:[-*+][ \t]+)?)```\{claim\}[ \t]*(.*)\n((?:[ \t]*:[a-z]+:.*\n)*)",
    re.MULTILINE,
)
DISCLAIMER = re.compile(r"^```\{disclaimer\}\n```$", re.MULTILINE)


def peer_page(text: str, depth: int) -> str:
    """A page as MyST-MD can read it, with the same text to parse and render.

    MyST-MD drops the body of a directive it does not know, so the project's
    claims would cost it nothing: each claim becomes an admonition with the
    same title, body and citations, labelled with the claim's anchor so that
    links to it resolve, and the disclaimer directive includes its snippet.
    The back-matter directives ({evidence-map}, {page-guide}...) stay unknown:
    MyST-MD has nothing that builds them."""

    def claim(match: re.Match[str]) -> str:
        start, title, options = match[1], match[2], match[3]
        indent = " " * len(start)  # a claim in a list item is indented
        claim_id = re.search(r":id:[ \t]+(\S+)", options)
        label = f"{indent}:label: claim-{claim_id[1]}\n" if claim_id else ""
        return f"{start}```{{admonition}} {title}\n{label}{indent}:class: claim\n"

    snippet = "../" * depth + core.DISCLAIMER_SNIPPET
    text = DISCLAIMER.sub(f"```{{include}} {snippet}\n```", text)
    return CLAIM.sub(claim, text)


def peer_command(theme: Path) -> Callable[[Path, Path], list[str | Path]]:
    def command(src: Path, out: Path) -> list[str | Path]:
        for page in core.pages(src):
            depth = len(page.relative_to(src).parts) - 1
            text = page.read_text(encoding="utf-8")
            page.write_text(peer_page(text, depth), encoding="utf-8")
        write_myst_config(src, theme)
        # Cold: no cache from the last run (MyST-MD keeps it in _build).
        shutil.rmtree(src / "_build", ignore_errors=True)
        return [myst_command() or "myst", "build", "--html", "--ci"]

    return command


# -- Before and after, side by side (--against) -----------------------------------


def source_at(revision: str, tmp: Path) -> Path:
    """The package's source at a git revision (``git archive``), to import
    through PYTHONPATH in place of this checkout's."""
    safe = re.sub(r"[^\w.-]", "_", revision)
    dest = tmp / f"src-at-{safe}"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "src"


def side_by_side(src: Path, tmp: Path, other: Path) -> tuple[float, float]:
    """CPU seconds (user and system, with every process it waited for) of
    two cold builds of ``src`` started together: this checkout's, and the
    one whose package is at ``other``. Run at the same time, both meet the
    same machine: this machine's speed moves by half within an hour, more
    than most changes save, so one after the other would measure the hour."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = []
    cpu = []
    with contextlib.ExitStack() as stack:
        for name, path in (("this", None), ("other", other)):
            out = tmp / f"side-{name}"
            shutil.rmtree(out, ignore_errors=True)
            env = {**environ, "PYTHONPATH": str(path)} if path else environ
            log = stack.enter_context(tempfile.TemporaryFile())
            command = [sys.executable, "-m", "sphinx", "-b", "html", src, out, *FLAGS]
            started.append((subprocess.Popen(command, cwd=src, env=env, stdout=log,
                                             stderr=subprocess.STDOUT), log))  # fmt: skip
        ended = [(os.wait4(process.pid, 0), log) for process, log in started]
        for (_, status, usage), log in ended:  # both waited for, then judged
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"--against: a build of {src} failed:\n{_tail(log, 3000)}")
            cpu.append(usage.ru_utime + usage.ru_stime)
    return cpu[0], cpu[1]


def against_rows(
    revision: str, tmp: Path, sizes: list[int], runs: int, row: Row
) -> None:
    """This checkout against ``revision``, side by side, at each size."""
    other = source_at(revision, tmp)
    for copies in sizes:
        src = fresh_docs(tmp, f"side-{copies}", copies)
        pairs = [side_by_side(src, tmp, other) for _ in range(runs)]
        ours = statistics.median(p[0] for p in pairs)
        theirs = statistics.median(p[1] for p in pairs)
        each = ", ".join(f"{a:.1f} against {b:.1f}" for a, b in pairs)
        row(
            f"CPU side by side with {revision}, {copies} copies",
            f"{ours:.1f} s against {theirs:.1f} s ({ours / theirs - 1:+.1%}; "
            f"each pair: {each})",
        )


# -- The table -----------------------------------------------------------------

Row = Callable[..., None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="one run each")
    parser.add_argument(
        "--scale",
        default=",".join(map(str, SCALE)),
        help="the scale series' sizes, in copies of a real page (default: %(default)s)",
    )
    parser.add_argument(
        "--scale-only", action="store_true",
        help="only the scale series (and the peer, with --peer)",
    )  # fmt: skip
    parser.add_argument("--no-scale", action="store_true", help="skip the scale series")
    parser.add_argument(
        "--peer", action="store_true",
        help="build the same pages with MyST-MD too (bench/README.md)",
    )  # fmt: skip
    parser.add_argument(
        "--peer-theme", type=Path, default=PEER_THEME,
        help="the local MyST-MD site theme (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--jobs", metavar="N",
        help="also the scale series built with Sphinx's -j N (1: serially; "
        "the main series builds as nox does, on every core)",
    )  # fmt: skip
    parser.add_argument(
        "--stock", action="store_true",
        help="also the scale series with stock furo's navigation (slow: quadratic)",
    )  # fmt: skip
    # Stock furo's series is opt-in now (--stock); older commands still run.
    parser.add_argument("--no-stock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--against", metavar="REVISION",
        help="also build each --scale size with the package at a git revision, "
        "at the same time as this checkout's, and compare their CPU time",
    )  # fmt: skip
    parser.add_argument(
        "--test-runs", type=int, help="runs of the test suite (default: --runs)"
    )
    parser.add_argument(
        "--no-tests", action="store_true", help="skip the test-suite rows"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    try:
        sizes = sorted({int(n) for n in args.scale.split(",") if n.strip()})
    except ValueError:
        parser.error(f"--scale takes sizes joined by commas, such as 100,400,1000: "
                     f"{args.scale!r}")  # fmt: skip
    if not sizes or sizes[0] < 1:
        parser.error("--scale needs at least one size of 1 or more")
    theme = args.peer_theme.resolve()
    if args.peer and (problem := peer_problem(theme)):
        # Say so before any timing, and fail: a missing peer is not a result.
        sys.exit(f"--peer: MyST-MD cannot run here: {problem}")
    rows: list[tuple[str, ...]] = []
    speed = Speed()

    def row(what: str, figure: str, goal: str = "", met: bool | None = None) -> None:
        loop = speed.now()
        rows.append(
            (what, figure, goal, "" if met is None else ("yes" if met else "NO"), loop)
        )
        print(f"  {what}: {figure} (loop {loop})", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="brief-bench-") as name:
        tmp = Path(name)
        src = fresh_docs(tmp, "docs")
        out = tmp / "html"
        cold(src, out)(0)  # warm-up: bytecode and disk caches, not timed
        if not args.scale_only:
            main_rows(args, runs, tmp, src, out, row)

        series = [("project", project_command())]
        if args.jobs:
            series.append(
                (f"project, -j {args.jobs}", project_command("-j", args.jobs))
            )  # fmt: skip
        if args.stock:
            series.append(
                ("stock furo navigation",
                 project_command("-D", "brief_navigation_cache=0"))
            )  # fmt: skip
        if args.peer:
            series.append((f"MyST-MD {myst_version()}", peer_command(theme)))
        measured: dict[str, dict[int, Size]] = {}
        for label, command in [] if args.no_scale else series:
            if label != "project":  # its warm-up was the first HTML build
                build_size(tmp, sizes[0], 1, command)  # warm-up, not timed
            measured[label] = build_sizes(tmp, list(sizes), runs, command)
            scale_rows(label, measured[label], row, goals=label == "project")
        if args.against:
            against_rows(args.against, tmp, sizes, runs, row)
        if args.peer and not args.no_scale:
            ours, peer = measured["project"], measured[series[-1][0]]
            for n in sizes:
                a, b = ours[n].seconds, peer[n].seconds
                row(
                    f"project / MyST-MD, {n} copies",
                    f"{a / b:.2f}x" if a and b else "not measured: a build failed",
                )

    cpu = os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBuild benchmark: median of {runs} run(s); {platform.system()} {platform.release()}, "
          f"{cpu} CPUs, Python {platform.python_version()}, load average {load} at the end, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}\n")  # fmt: skip
    print("Loop: the machine's speed before and after each row, as the seconds "
          "of a fixed loop (bench/README.md); the faster it ran, the lower.\n")  # fmt: skip
    header = ("What", "Figure", "Goal", "Met", "Loop")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for line in [
        header,
        tuple("-" * w for w in widths),
        *rows,
    ]:
        print(
            "| "
            + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
            + " |"
        )


def main_rows(
    args: argparse.Namespace, runs: int, tmp: Path, src: Path, out: Path, row: Row
) -> None:
    """The rows on the brief itself: build, check, incremental, PDF, tests."""
    confdir = tmp / "bare-conf"
    confdir.mkdir()
    (confdir / "conf.py").write_text(BARE_CONF.format(src=str(src)), encoding="utf-8")
    # In turn, as the PDF row is, so that the machine's load moves both alike:
    # single runs here gave 1.26x and 1.32x within fifteen minutes.
    brief, stock = (
        cold(src, out),
        cold(src, tmp / "bare", "-c", str(confdir), flags=BARE_FLAGS),
    )
    pairs = [(brief(i), stock(i)) for i in range(runs)]
    html = statistics.median(h for h, _ in pairs)
    bare = statistics.median(b for _, b in pairs)
    row("cold HTML build", f"{html:.2f} s")
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
    check = median(
        runs, lambda _: run(installed("noopept-brief") or "noopept-brief", "check")
    )
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

    pdf, beside = pdf_seconds(src, tmp, runs)
    row("PDF build (cold)", f"{pdf:.2f} s, {pdf / beside:.2f}x HTML built in turn "
        f"({beside:.2f} s)", "<= 1.2x HTML", pdf / beside <= 1.2)  # fmt: skip

    if not args.no_tests:
        test_rows(args, runs, row)


#: What tests/conftest.py prints at the end of a run.
BUILDS = re.compile(r"Sphinx builds: (\d+) cold, (\d+) incremental")


def test_rows(args: argparse.Namespace, runs: int, row: Callable[..., None]) -> None:
    """The suite as `nox -s tests` runs it (on every core), with its CPU time
    and the number of Sphinx builds it made."""
    pytest = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *XDIST)
    test_runs = 1 if args.quick else (args.test_runs or runs)
    # As CI runs it: a missing Chromium fails instead of skipping.
    strict = {"REQUIRE_BROWSER": "1"}
    for label, extra, goal in (
        ("all tests", (), 60),
        ("without browser and PDF tests", ("-m", "not browser and not pdf"), 20),
    ):
        try:
            results = [measure(*pytest, *extra, env=strict) for _ in range(test_runs)]
        except Failed as error:
            sys.exit(str(error))
        wall = statistics.median(r.seconds for r in results)
        cpu = statistics.median(r.cpu for r in results)
        machine = statistics.median(r.machine_cpu for r in results)
        builds = BUILDS.search(results[-1].printed)
        cold = int(builds[1]) if builds else None
        row(
            f"test suite, {label}",
            f"{wall:.1f} s wall, {cpu:.1f} s CPU (user+sys; the machine's: "
            f"{machine:.1f} s), "
            + (f"{cold} cold builds" if cold is not None else "builds not counted"),
            f"<= {goal} s" + (", <= 25 cold builds" if not extra else ""),
            wall <= goal and (bool(extra) or (cold is not None and cold <= 25)),
        )


if __name__ == "__main__":
    main()
