"""Hosting and CI files: they validate against their published schemas (offline,
with check-jsonschema's built-in copies), and they run what the README and the
noxfile run, with the same dependency groups and pins."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT
from test_readme_contract import _quickstart_commands

from noopept_brief import core

RTD = ROOT / ".readthedocs.yaml"
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
ISSUE_FORMS = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("[0-9]*.yml"))
ISSUE_CONFIG = ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CONSTRAINTS = ROOT / "constraints.txt"
HOSTING = FIXTURES / "hosting"


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema's command, run in this process (as pre-commit runs it)."""
    from check_jsonschema.cli.main_command import main
    from click.testing import CliRunner

    args = ["--builtin-schema", schema, str(path)]
    result = CliRunner().invoke(main, args)
    return subprocess.CompletedProcess(args, result.exit_code, result.output, "")


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ("vendor.readthedocs", RTD, HOSTING / "bad-readthedocs.yaml"),
        ("vendor.github-workflows", WORKFLOW, HOSTING / "bad-workflow.yml"),
        ("vendor.dependabot", DEPENDABOT, HOSTING / "bad-dependabot.yml"),
        *(
            ("vendor.github-issue-forms", form, HOSTING / "bad-issue-form.yml")
            for form in ISSUE_FORMS
        ),
        ("vendor.github-issue-config", ISSUE_CONFIG, HOSTING / "bad-issue-config.yml"),
    ],
    ids=[
        "readthedocs",
        "github-workflow",
        "dependabot",
        *(f"issue-form-{form.stem}" for form in ISSUE_FORMS),
        "issue-config",
    ],
)
def test_file_validates_against_its_schema(schema: str, good: Path, bad: Path) -> None:
    result = _check_jsonschema(schema, good)
    assert result.returncode == 0, result.stdout + result.stderr
    # The same check refuses a broken file, and names it.
    refused = _check_jsonschema(schema, bad)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert str(bad) in refused.stdout + refused.stderr


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line):
            pins.setdefault(match[1].lower(), match[2])
    return pins


# -- Read the Docs --------------------------------------------------------------


def test_readthedocs_installs_no_system_packages_and_builds_with_nox() -> None:
    config = _yaml(RTD)
    build = config["build"]
    # The PDF is built by the typst wheel; the browser tests do not run there.
    assert "apt_packages" not in build, "Read the Docs needs no apt packages"
    assert build["jobs"]["install"] == [
        "python -m pip install -q -c constraints.txt nox uv"
    ], "install the task runner through constraints.txt, as the README does"
    html = build["jobs"]["build"]["html"]
    assert html[0] == "python -m nox -s html pdf", "build with the noxfile's sessions"
    assert any("$READTHEDOCS_OUTPUT/html" in c for c in html)
    pdf = " ".join(build["jobs"]["build"]["pdf"])
    assert f"build/pdf/{core.PDF_NAME} $READTHEDOCS_OUTPUT/pdf/" in pdf
    assert "pdf" in config["formats"]
    assert "git fetch --unshallow || true" in build["jobs"]["post_checkout"]


def test_readthedocs_takes_w_from_the_commands_not_from_fail_on_warning() -> None:
    # build.jobs.build.html replaces Read the Docs' own Sphinx step, the only
    # one sphinx.fail_on_warning applies to: the key would promise what it
    # does not do. The -W is in the nox sessions (test_nox_builds_fail_on_warnings).
    assert "fail_on_warning" not in _yaml(RTD).get("sphinx", {}), (
        f"{RTD}: drop sphinx.fail_on_warning: it has no effect when "
        "build.jobs.build.html overrides the HTML step; -W comes from nox."
    )


def _run_pdf_job(tmp_path: Path, pdfs_built: int, stale: list[str]):
    """Run .readthedocs.yaml's PDF commands as Read the Docs does, one shell
    each, in a scratch checkout with `pdfs_built` handouts built and `stale`
    files already in the output folder."""
    (tmp_path / "build" / "pdf").mkdir(parents=True)
    for _ in range(pdfs_built):
        (tmp_path / "build" / "pdf" / core.PDF_NAME).write_bytes(b"%PDF-1.7\n")
    output = tmp_path / "rtd-output"
    (output / "pdf").mkdir(parents=True)
    for name in stale:
        (output / "pdf" / name).write_bytes(b"%PDF-1.7\n")
    env = {"PATH": os.environ["PATH"], "READTHEDOCS_OUTPUT": str(output)}
    for command in _yaml(RTD)["build"]["jobs"]["build"]["pdf"]:
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
            text=True, encoding="utf-8", check=False,
        )  # fmt: skip
        if result.returncode:
            return result
    return result


def test_readthedocs_pdf_job_passes_with_exactly_one_pdf(tmp_path: Path) -> None:
    result = _run_pdf_job(tmp_path, pdfs_built=1, stale=[])
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs = sorted(p.name for p in (tmp_path / "rtd-output" / "pdf").iterdir())
    assert pdfs == [core.PDF_NAME]


def test_readthedocs_pdf_job_fails_unless_exactly_one_pdf(tmp_path: Path) -> None:
    # A second PDF beside the handout: Read the Docs would offer either one.
    result = _run_pdf_job(tmp_path, pdfs_built=1, stale=["old-handout.pdf"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "holds 2 PDF files" in result.stdout
    assert f"Copy only build/pdf/{core.PDF_NAME} there" in result.stdout
    assert ".readthedocs.yaml, build.jobs.build.pdf" in result.stdout
    assert "old-handout.pdf" in result.stdout  # the listing shows the culprit
    # No PDF built at all: the copy fails before the count does.
    result = _run_pdf_job(tmp_path / "none", pdfs_built=0, stale=[])
    assert result.returncode != 0
    assert core.PDF_NAME in result.stderr


def test_nox_builds_fail_on_warnings() -> None:
    # Read the Docs and CI build through the nox sessions, which pass these.
    assert {"-W", "--keep-going", "-n"} <= set(core.SPHINX_FLAGS)
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    flags = ", ".join(f'"{flag}"' for flag in (*core.SPHINX_FLAGS, "-q"))
    assert f"SPHINX_FLAGS = ({flags})" in noxfile, "nox builds as the tests do"
    jobs = ", ".join(f'"{flag}"' for flag in core.JOBS)
    assert f"JOBS = ({jobs})" in noxfile, "nox builds on as many cores as core says"


def test_noxfile_does_not_import_the_package() -> None:
    # nox reads the noxfile before any session has installed the package.
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "import noopept_brief" not in noxfile
    assert "from noopept_brief" not in noxfile


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


# -- Issue forms -------------------------------------------------------------------


def issue_form_problems(path: Path) -> list[str]:
    """What GitHub's schema leaves open: every field has an id (the issue's
    text and any automation name fields by it), and no id is used twice."""
    document = yaml.compose(path.read_text(encoding="utf-8"))
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [
        f"{path}:1: no {key!r}. Add `{key}:` at the top level."
        for key in ("name", "description", "body")
        if not form.get(key)
    ]
    body = next((v for k, v in document.value if k.value == "body"), None)
    seen: dict[str, int] = {}
    for node, element in zip(
        body.value if body else [], form.get("body") or [], strict=True
    ):
        line = node.start_mark.line + 1
        kind = element.get("type")
        if not kind:
            problems.append(f"{path}:{line}: a body element has no type. Add one.")
        elif kind != "markdown" and not element.get("id"):
            problems.append(
                f"{path}:{line}: this {kind} has no id. Add `id: <a-short-name>` "
                "(letters, digits, - and _), unique in the form."
            )
        elif kind != "markdown" and element["id"] in seen:
            problems.append(
                f"{path}:{line}: id {element['id']!r} is used twice (first at line "
                f"{seen[element['id']]}). Give this field another id."
            )
        if element.get("id"):
            seen.setdefault(element["id"], line)
    return problems


def _fields(form: Path) -> dict[str, dict]:
    return {e["id"]: e for e in _yaml(form)["body"] if "id" in e}


def test_issue_forms_have_named_unique_fields() -> None:
    assert [f.stem for f in ISSUE_FORMS] == [
        "1-claim-is-wrong", "2-build-fails", "3-reads-badly",
    ]  # fmt: skip
    for form in ISSUE_FORMS:
        assert issue_form_problems(form) == []
    bad = HOSTING / "bad-issue-form.yml"
    assert issue_form_problems(bad) == [
        f"{bad}:1: no 'description'. Add `description:` at the top level.",
        f"{bad}:9: this input has no id. Add `id: <a-short-name>` (letters, "
        "digits, - and _), unique in the form.",
        f"{bad}:16: id 'claim' is used twice (first at line 12). Give this "
        "field another id.",
    ]


def test_claim_form_asks_for_page_claim_record_and_what_it_shows() -> None:
    fields = _fields(ROOT / ".github" / "ISSUE_TEMPLATE" / "1-claim-is-wrong.yml")
    assert list(fields) == ["page", "claim", "record", "shows"]
    assert all(f["validations"]["required"] for f in fields.values())
    record = fields["record"]["attributes"]
    assert "DOI" in record["label"] and "PMID" in record["label"]


def test_issue_chooser_says_why_blank_issues_are_allowed() -> None:
    assert _yaml(ISSUE_CONFIG)["blank_issues_enabled"] is True
    assert "no other place" in ISSUE_CONFIG.read_text(encoding="utf-8")


def test_no_codeowners_with_invented_handles() -> None:
    # The repository has no owners' handles yet; the review list stands in.
    for where in ("", ".github/", "docs/"):
        assert not (ROOT / where / "CODEOWNERS").exists()


# -- pre-commit -----------------------------------------------------------------


def _hooks() -> list[dict]:
    return [hook for repo in _yaml(PRE_COMMIT)["repos"] for hook in repo["hooks"]]


def test_pre_commit_hooks_are_local_only() -> None:
    # This machine cannot clone hook repositories; the package index is enough.
    assert {repo["repo"] for repo in _yaml(PRE_COMMIT)["repos"]} == {"local"}


def test_pre_commit_pins_match_constraints() -> None:
    pins = _pins()
    for hook in _hooks():
        for requirement in hook.get("additional_dependencies", []):
            name, _, version = requirement.partition("==")
            assert version, f"{hook['id']}: pin {requirement!r} with =="
            assert pins.get(name.lower()) == version, (
                f"{hook['id']}: {requirement} differs from constraints.txt "
                f"({name}=={pins.get(name.lower())}); copy the pin from there."
            )


def test_pre_commit_runs_the_project_checks() -> None:
    entries = {hook["id"]: hook["entry"] for hook in _hooks()}
    assert entries["page-policy"] == "python .ci/page_policy.py"
    assert "vendor.readthedocs" in entries["check-readthedocs"]
    assert "vendor.github-workflows" in entries["check-github-workflows"]
    assert {"ruff-check", "ruff-format", "codespell", "trailing-whitespace",
            "end-of-file-fixer"} <= set(entries)  # fmt: skip


def test_pre_commit_page_hook_installs_what_check_imports() -> None:
    # A fresh clone runs `pre-commit install` and nothing else (issue 20): the
    # page hook's own environment must hold every package the core and the
    # command line import, or the hook fails with ModuleNotFoundError.
    import ast
    import importlib.metadata
    import sys

    hook = next(h for h in _hooks() if h["id"] == "page-policy")
    assert hook["language"] == "python"
    installed = {r.partition("==")[0].lower() for r in hook["additional_dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    needed = set()
    for layer in ("core", "tools"):
        for path in (ROOT / "src" / "noopept_brief" / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module] if isinstance(node, ast.ImportFrom)
                    and node.module and not node.level else []
                )  # fmt: skip
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top == "noopept_brief":
                        continue
                    needed |= {d.lower() for d in distributions.get(top, [top])}
    # Sphinx, docutils and markdown-it come with myst-parser.
    assert needed - installed <= {"docutils"}, (
        f"the page-policy hook lacks {sorted(needed - installed)}: add each, "
        "pinned as constraints.txt pins it, to its additional_dependencies"
    )


def test_pre_commit_page_hook_runs_the_checkout_without_an_install() -> None:
    # What the hook runs, as pre-commit runs it: from the repository's root,
    # with the checkout's src/ first on the path (not the installed package).
    import subprocess
    import sys

    # The project is not installed in pre-commit's environment: hide this
    # environment's editable install (its metadata, and its path entry).
    script = ROOT / ".ci" / "page_policy.py"
    probe = f"""
import runpy, sys
for finder in sys.meta_path:
    found = getattr(finder, "find_distributions", None)
    if found:
        finder.find_distributions = lambda *a, _f=found, **k: (
            d for d in _f(*a, **k) if d.metadata["Name"] != "noopept-brief")
sys.modules.pop("noopept_brief", None)
runpy.run_path({str(script)!r}, run_name="__main__")
"""
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# -- Licence and citation -------------------------------------------------------


CITATION = ROOT / "CITATION.cff"


def citation_problems(cff: Path) -> list[str]:
    """Where CITATION.cff disagrees with pyproject.toml, the one source of the
    version and the licence, or lacks its release date."""
    citation = _yaml(cff)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    problems = []
    if str(citation.get("version")) != project["version"]:
        problems.append(
            f"{cff}: version {citation.get('version')!r} is not pyproject.toml's "
            f"[project].version {project['version']!r}. Write "
            f'version: "{project["version"]}".'
        )
    if not isinstance(citation.get("date-released"), datetime.date):
        problems.append(
            f"{cff}: no date-released. Add the day the version was released, "
            "as `date-released: YYYY-MM-DD` (unquoted)."
        )
    if " AND ".join(citation.get("license", [])) != project["license"]:
        problems.append(
            f"{cff}: license {citation.get('license')} is not pyproject.toml's "
            f"{project['license']!r}. List its parts, one a line."
        )
    return problems


def test_citation_file_validates_and_matches_the_project() -> None:
    result = _check_jsonschema("vendor.citation-file-format", CITATION)
    assert result.returncode == 0, result.stdout + result.stderr
    refused = _check_jsonschema(
        "vendor.citation-file-format", HOSTING / "bad-CITATION.cff"
    )
    assert refused.returncode == 1, refused.stdout
    assert citation_problems(CITATION) == []


def test_citation_check_refuses_a_stale_citation_file() -> None:
    stale = HOSTING / "stale-CITATION.cff"
    # Valid as CFF: only the project check can find what is wrong.
    assert _check_jsonschema("vendor.citation-file-format", stale).returncode == 0
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "version"
    ]
    assert citation_problems(stale) == [
        f"{stale}: version '0.0.9' is not pyproject.toml's [project].version "
        f'{version!r}. Write version: "{version}".',
        f"{stale}: no date-released. Add the day the version was released, as "
        "`date-released: YYYY-MM-DD` (unquoted).",
        f"{stale}: license None is not pyproject.toml's 'CC-BY-4.0 AND MIT'. "
        "List its parts, one a line.",
    ]


def test_license_says_what_covers_the_text_and_the_code() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    assert "Permission is hereby granted, free of charge" in text  # MIT, in full
    assert "src/" in text and "docs/refs.bib" in text
