"""What contributors meet outside the pages: the issue forms and chooser, the
pre-commit hooks (local, pinned as constraints.txt pins them), the licence and
the citation file. (tests/test_hosting.py validates the forms against their
schemas.)"""

from __future__ import annotations

import datetime
import subprocess
import tomllib
from pathlib import Path

import yaml
from conftest import ROOT
from test_hosting import (
    HOSTING,
    ISSUE_CONFIG,
    ISSUE_FORMS,
    PRE_COMMIT,
    _check_jsonschema,
    _pins,
    _yaml,
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
