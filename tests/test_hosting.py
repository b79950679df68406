"""Hosting and CI files: they validate against their published schemas (offline,
with check-jsonschema's built-in copies), and they run what the README and the
noxfile run, with the same dependency groups and pins."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT
from test_readme_contract import _quickstart_commands

from noopept_brief import core
from noopept_brief.tools import prerequisites

RTD = ROOT / ".readthedocs.yaml"
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CONSTRAINTS = ROOT / "constraints.txt"


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
        ("vendor.readthedocs", RTD, FIXTURES / "hosting" / "bad-readthedocs.yaml"),
        (
            "vendor.github-workflows",
            WORKFLOW,
            FIXTURES / "hosting" / "bad-workflow.yml",
        ),
    ],
    ids=["readthedocs", "github-workflow"],
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


def test_readthedocs_installs_tex_and_builds_with_the_nox_sessions() -> None:
    config = _yaml(RTD)
    build = config["build"]
    assert build["apt_packages"] == prerequisites.TEX_PACKAGES.split(), (
        "Read the Docs must install the README's TeX packages (prerequisites.TEX_PACKAGES)"
    )
    assert build["jobs"]["install"] == [
        "python -m pip install -q -c constraints.txt nox uv"
    ], "install the task runner through constraints.txt, as the README does"
    html = build["jobs"]["build"]["html"]
    assert html[0] == "python -m nox -s html pdf", "build with the noxfile's sessions"
    assert any("$READTHEDOCS_OUTPUT/html" in c for c in html)
    pdf = " ".join(build["jobs"]["build"]["pdf"])
    assert f"build/latex/{core.PDF_NAME} $READTHEDOCS_OUTPUT/pdf/" in pdf
    assert "pdf" in config["formats"]
    assert config["sphinx"]["fail_on_warning"] is True
    assert "git fetch --unshallow || true" in build["jobs"]["post_checkout"]


def test_nox_builds_fail_on_warnings() -> None:
    # Read the Docs and CI build through the nox sessions, which pass these.
    assert {"-W", "--keep-going", "-n"} <= set(core.SPHINX_FLAGS)
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    flags = ", ".join(f'"{flag}"' for flag in (*core.SPHINX_FLAGS, "-q"))
    assert f"SPHINX_FLAGS = ({flags})" in noxfile, "nox builds as the tests do"


def test_noxfile_does_not_import_the_package() -> None:
    # nox reads the noxfile before any session has installed the package.
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "import noopept_brief" not in noxfile
    assert "from noopept_brief" not in noxfile


# -- The CI workflow ------------------------------------------------------------


def _steps() -> list[dict]:
    workflow = _yaml(WORKFLOW)
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_runs_on_pull_requests_and_pushes() -> None:
    # PyYAML reads the key "on" as True.
    triggers = _yaml(WORKFLOW)[True]
    assert {"pull_request", "push"} <= set(triggers)


def test_workflow_runs_the_readme_commands() -> None:
    runs = [line.strip() for s in _steps() for line in s.get("run", "").splitlines()]
    for command in _quickstart_commands()[1:]:
        assert command in runs, f"the workflow must run the README command {command!r}"
    assert any(prerequisites.TEX_PACKAGES in line for line in runs), (
        "install the TeX line"
    )
    assert any(line.endswith("python3 -m nox -s check") for line in runs)
    assert _yaml(WORKFLOW)["jobs"]["build"]["env"]["REQUIRE_PDF"] == "1"


def test_workflow_uploads_the_site_and_the_pdf() -> None:
    uploads = {
        s["with"]["path"].rstrip("/")
        for s in _steps()
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"build/html", f"build/latex/{core.PDF_NAME}"}


def test_workflow_pins_every_action() -> None:
    uses = [s["uses"] for s in _steps() if "uses" in s]
    assert uses
    loose = [u for u in uses if not re.search(r"@(v\d+\.\d+\.\d+|[0-9a-f]{40})$", u)]
    assert not loose, f"pin these to an exact release or a commit: {loose}"


def test_workflow_fetches_the_history_for_last_updated_dates() -> None:
    checkout = next(
        s for s in _steps() if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["fetch-depth"] == 0


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
    assert entries["page-policy"] == "noopept-brief check"
    assert "vendor.readthedocs" in entries["check-readthedocs"]
    assert "vendor.github-workflows" in entries["check-github-workflows"]
    assert {"ruff-check", "ruff-format", "codespell", "trailing-whitespace",
            "end-of-file-fixer"} <= set(entries)  # fmt: skip


# -- Licence and citation -------------------------------------------------------


def test_citation_file_validates_and_matches_the_project() -> None:
    cff = ROOT / "CITATION.cff"
    result = _check_jsonschema("vendor.citation-file-format", cff)
    assert result.returncode == 0, result.stdout + result.stderr
    refused = _check_jsonschema(
        "vendor.citation-file-format", FIXTURES / "hosting" / "bad-CITATION.cff"
    )
    assert refused.returncode == 1, refused.stdout
    citation = _yaml(cff)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert citation["version"] == project["version"]
    assert " AND ".join(citation["license"]) == project["license"]


def test_license_says_what_covers_the_text_and_the_code() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text
    assert "Permission is hereby granted, free of charge" in text  # MIT, in full
    assert "src/" in text and "docs/refs.bib" in text
