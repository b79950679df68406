"""Hosting files: every hosting, CI and contributor file validates against its
published schema (offline, with check-jsonschema's built-in copies), and Read
the Docs and nox run what the README runs, with the same dependency groups,
pins and Sphinx flags. The workflow's own checks are in
tests/test_ci_workflow.py; the issue forms', pre-commit's and the citation
file's in tests/test_contributor_files.py."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT

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
    jobs = re.search(r"^JOBS = (.+)$", noxfile, re.M)
    assert jobs, "noxfile.py sets JOBS, the -j of its builds"
    assert eval(jobs[1], {"os": os}) == core.JOBS, (
        "nox builds with as many processes as core.JOBS says: write JOBS in "
        "noxfile.py as src/noopept_brief/core/build/flags.py does"
    )


def test_noxfile_does_not_import_the_package() -> None:
    # nox reads the noxfile before any session has installed the package.
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "import noopept_brief" not in noxfile
    assert "from noopept_brief" not in noxfile
