"""The CI workflow: it runs the README's commands word for word, pins every
action by commit with its release tag (Dependabot moves both), caches what it
downloads, and its problem matcher turns each Sphinx warning into an
annotation on the file and line it names. (tests/test_hosting.py validates the
workflow against its schema.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_hosting import DEPENDABOT, HOSTING, WORKFLOW, _yaml
from test_readme_contract import _quickstart_commands

from noopept_brief import core

# -- The CI workflow ------------------------------------------------------------


def _steps() -> list[dict]:
    workflow = _yaml(WORKFLOW)
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_runs_on_pull_requests_and_pushes_to_main() -> None:
    # PyYAML reads the key "on" as True.
    triggers = _yaml(WORKFLOW)[True]
    assert {"pull_request", "push"} <= set(triggers)
    # A pushed branch with a pull request would otherwise run twice.
    assert triggers["push"] == {"branches": ["main"]}, (
        f"{WORKFLOW}: run `push` for main only: `push: {{branches: [main]}}`"
    )


def test_workflow_cancels_superseded_pull_request_runs_only() -> None:
    concurrency = _yaml(WORKFLOW)["concurrency"]
    # One group per pull request (its number), else per branch or tag.
    assert "github.event.pull_request.number" in concurrency["group"]
    assert "github.ref" in concurrency["group"]
    # Cancelling is an expression true only for pull requests: a run on main
    # always finishes.
    cancel = concurrency["cancel-in-progress"]
    assert cancel == "${{ github.event_name == 'pull_request' }}", (
        f"{WORKFLOW}: never cancel runs on main; set cancel-in-progress to "
        "${{ github.event_name == 'pull_request' }}"
    )


def test_workflow_caches_downloads_keyed_on_the_pins() -> None:
    caches = [s for s in _steps() if s.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 1, "one cache step, for uv's and pip's downloads"
    cache = caches[0]["with"]
    assert "~/.cache/uv" in cache["path"].split()
    assert "hashFiles('constraints.txt')" in cache["key"], (
        f"{WORKFLOW}: key the download cache on hashFiles('constraints.txt')"
    )
    # The cache is restored before anything installs.
    steps = _steps()
    first_install = next(
        i for i, s in enumerate(steps) if "pip install" in s.get("run", "")
    )
    assert steps.index(caches[0]) < first_install


def test_workflow_registers_the_sphinx_problem_matcher_before_building() -> None:
    steps = _steps()
    register = [
        i for i, s in enumerate(steps)
        if f"::add-matcher::{MATCHER.relative_to(ROOT).as_posix()}" in s.get("run", "")
    ]  # fmt: skip
    assert register, f"{WORKFLOW}: register {MATCHER.name} with ::add-matcher::"
    first_nox = next(i for i, s in enumerate(steps) if "nox" in s.get("run", ""))
    assert register[0] < first_nox, "register the matcher before the first build"


def test_workflow_summarises_files_that_need_review_on_pull_requests() -> None:
    step = next(s for s in _steps() if ".ci/review_summary.py" in s.get("run", ""))
    assert step["if"] == "github.event_name == 'pull_request'"
    assert step["shell"] == "bash"  # pipefail: a failed git diff fails the step
    assert '"$BASE_SHA...$HEAD_SHA"' in step["run"]
    assert "git -c core.quotepath=off diff --name-only -z" in step["run"]
    assert step["run"].rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert step["env"]["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"


def test_workflow_runs_the_readme_commands() -> None:
    runs = [line.strip() for s in _steps() for line in s.get("run", "").splitlines()]
    for command in _quickstart_commands()[1:]:
        assert command in runs, f"the workflow must run the README command {command!r}"
    assert not any("texlive" in line or "latexmk" in line for line in runs), (
        "the PDF needs no TeX: the typst wheel builds it"
    )
    assert any(line.endswith("python3 -m nox -s check") for line in runs)
    assert "REQUIRE_PDF" not in _yaml(WORKFLOW)["jobs"]["build"]["env"]


def test_workflow_uploads_the_site_and_the_pdf() -> None:
    uploads = {
        s["with"]["path"].rstrip("/")
        for s in _steps()
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"build/html", f"build/pdf/{core.PDF_NAME}"}


_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?:#\s*(?P<tag>\S+))?")
_PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@[0-9a-f]{40}$")
_TAG = re.compile(r"^v(\d+)\.\d+\.\d+$")


def _action_pins(path: Path) -> list[tuple[int, str, str | None]]:
    """Every `uses:` of a workflow: its line, what it uses, the comment's tag."""
    pins = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if match := _USES.match(line):
            pins.append((number, match["ref"], match["tag"]))
    return pins


def unpinned_actions(path: Path) -> list[str]:
    """`uses:` lines not pinned by a full commit SHA with `# vX.Y.Z` after it."""
    problems = []
    for number, ref, tag in _action_pins(path):
        if ref.startswith("./"):
            continue  # an action in this repository: pinned by the checkout
        if not _PINNED.match(ref) or not (tag and _TAG.match(tag)):
            problems.append(
                f"{path}:{number}: {ref}{f' # {tag}' if tag else ''} is not pinned. "
                "Pin the release's full 40-character commit SHA, with its tag "
                "in a comment: `uses: owner/action@<commit sha> # vX.Y.Z`."
            )
    return problems


#: The first release of each action that runs on node24; GitHub's hosted
#: runners have had no Node 20 since September 2026. Later releases pass.
NODE24_FLOOR = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/upload-artifact": 7,
    "actions/cache": 5,
    "astral-sh/setup-uv": 10,
}


def node20_actions(path: Path) -> list[str]:
    """Pinned actions whose release is older than NODE24_FLOOR's."""
    problems = []
    for number, ref, tag in _action_pins(path):
        action = ref.partition("@")[0]
        floor = NODE24_FLOOR.get(action)
        if floor and tag and (m := _TAG.match(tag)) and int(m[1]) < floor:
            problems.append(
                f"{path}:{number}: {action} {tag} runs on Node 20, which GitHub's "
                f"runners no longer have. Pin v{floor} or later (by commit SHA)."
            )
    return problems


def test_workflow_pins_every_action_by_commit_with_its_tag() -> None:
    assert _action_pins(WORKFLOW), "the workflow uses no action?"
    assert unpinned_actions(WORKFLOW) == []
    assert node20_actions(WORKFLOW) == []


def test_pin_checks_refuse_loose_and_node20_pins() -> None:
    bad = HOSTING / "unpinned-workflow.yml"
    problems = unpinned_actions(bad)
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{bad}:{n}" for n in (10, 11, 12, 13)
    ], problems
    assert "actions/setup-python@v7.0.0 is not pinned" in problems[0]
    assert all("`uses: owner/action@<commit sha> # vX.Y.Z`" in p for p in problems)
    old = HOSTING / "old-node-workflow.yml"
    assert node20_actions(old) == [
        f"{old}:9: actions/checkout v4.2.2 runs on Node 20, which GitHub's runners "
        "no longer have. Pin v7 or later (by commit SHA).",
        f"{old}:10: actions/upload-artifact v4.6.2 runs on Node 20, which GitHub's "
        "runners no longer have. Pin v7 or later (by commit SHA).",
    ]


def test_dependabot_updates_the_actions() -> None:
    updates = _yaml(DEPENDABOT)["updates"]
    ecosystems = {u["package-ecosystem"]: u for u in updates}
    assert ecosystems["github-actions"]["directory"] == "/"
    # Python pins are not Dependabot's: the file says why (constraints.txt is
    # a whole resolution, refreshed by `nox -s lock`).
    assert "pip" not in ecosystems and "uv" not in ecosystems
    assert "nox -s lock" in DEPENDABOT.read_text(encoding="utf-8")


def test_workflow_fetches_the_history_for_last_updated_dates() -> None:
    checkout = next(
        s for s in _steps() if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["fetch-depth"] == 0


# -- The Sphinx problem matcher ---------------------------------------------------

MATCHER = ROOT / ".github" / "sphinx-problem-matcher.json"
SPHINX_OUTPUT = HOSTING / "sphinx-output.txt"
_DOCS = "/home/runner/work/noopept-brief/noopept-brief/docs"

#: What each Sphinx problem line of the sample must become (in this order, for
#: the uncoloured lines and again for the coloured ones).
EXPECTED_ANNOTATIONS = [
    ("error", f"{_DOCS}/bad.rst", "4", 'Unknown directive type "nosuch".', None),
    ("warning", f"{_DOCS}/bad.rst", "6", "Inline interpreted text or phrase "
     "reference start-string without end-string.", "docutils"),
    ("warning", f"{_DOCS}/index.md", "5",
     "Unknown directive type: 'nosuchdirective'", "myst.directive_unknown"),
    ("warning", f"{_DOCS}/index.md", "9",
     "Non-consecutive header level increase; H1 to H3", "myst.header"),
    ("warning", f"{_DOCS}/index.md", "11", "image file not readable: missing.png",
     "image.not_readable"),
    # No line number: the whole document is the problem.
    ("warning", f"{_DOCS}/bad.rst", None, "document isn't included in any toctree",
     "toc.not_included"),
    ("warning", f"{_DOCS}/orphan.md", None,
     "document isn't included in any toctree", "toc.not_included"),
    ("warning", f"{_DOCS}/index.md", "3",
     "'myst' cross-reference target not found: 'nowhere'", "myst.xref_missing"),
    ("warning", f"{_DOCS}/index.md", "3", "undefined label: 'nolabel'", "ref.ref"),
]  # fmt: skip
#: After them, a node with a source but no line ("path:: WARNING:").
EXPECTED_LAST = [
    ("warning", f"{_DOCS}/01-overview.md", None,
     "a node with a source but no line", "myst.header"),
]  # fmt: skip


def _annotations(line: str) -> list[tuple]:
    """What the matcher makes of one output line, as GitHub's runner applies it."""
    found = []
    for matcher in json.loads(MATCHER.read_text(encoding="utf-8"))["problemMatcher"]:
        (pattern,) = matcher["pattern"]  # single-line matchers only
        if match := re.search(pattern["regexp"], line):
            found.append((
                matcher["severity"],
                *(match[pattern[key]] for key in ("file", "line", "message", "code")),
            ))  # fmt: skip
    return found


def test_problem_matcher_annotates_every_sphinx_warning() -> None:
    lines = SPHINX_OUTPUT.read_text(encoding="utf-8").splitlines()
    got, wrong = [], []
    for number, line in enumerate(lines, 1):
        annotations = _annotations(line)
        got.extend(annotations)
        if len(annotations) > 1:
            wrong.append(f"{SPHINX_OUTPUT}:{number}: matched twice: {annotations}")
    expected = EXPECTED_ANNOTATIONS * 2 + EXPECTED_LAST
    for want, have in zip(expected, got, strict=False):
        if want != have:
            wrong.append(f"expected {want}, the matcher gave {have}")
    assert not wrong and len(got) == len(expected), (
        "\n".join(wrong) + f"\n{len(got)} annotations, {len(expected)} expected. "
        f"Fix the regexp in {MATCHER}."
    )


@pytest.mark.parametrize(
    "line",
    [
        # Sphinx, but no file to put it on: the log shows it, -W fails the build.
        "WARNING: html_static_path entry '_nothere' does not exist",
        "<unknown>:12: WARNING: duplicate label intro [ref.duplicate]",
        # The project's own rules: already ::error annotations on the diff line.
        f"{_DOCS}/01-overview.md:7: WARNING: No disclaimer. [brief.disclaimer]",
        "\x1b[91mdocs/a.md:7: WARNING: No disclaimer. [brief.disclaimer]\x1b[39;49;00m",
        # Not Sphinx.
        "WARNING: Running pip as the 'root' user can result in broken permissions.",
        "docs/01-overview.md:7: [disclaimer] The page has no disclaimer include.",
        "build succeeded, 9 warnings.",
        "tests/test_hosting.py:120: AssertionError",
        "src/x.c:3:1: warning: unused variable",
    ],
)
def test_problem_matcher_leaves_other_lines_alone(line: str) -> None:
    assert _annotations(line) == [], (
        f"{MATCHER} must not annotate {line!r}; narrow its regexp"
    )
