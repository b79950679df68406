"""One lock for every installer: nox, CI and Read the Docs install through
constraints.txt, which pins the package's dependencies and every dependency
group (`nox -s lock` refreshes it)."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

PINS = {
    re.split(r"[=;\s]", line, maxsplit=1)[0].lower()
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    if "==" in line
}


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements() -> set[str]:
    lists = [
        PYPROJECT["project"]["dependencies"],
        *PYPROJECT["dependency-groups"].values(),
    ]
    names = {
        re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0]
        for g in lists
        for r in g
        if isinstance(r, str)
    }
    return {re.sub(r"[-_.]+", "-", n).lower() for n in names}


def test_runtime_dependencies_are_the_packages_not_a_group() -> None:
    # One dependency list: the groups add test, lint and preview tools only.
    runtime = {re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0].lower()
               for r in PYPROJECT["project"]["dependencies"]}  # fmt: skip
    assert {"sphinx", "myst-parser", "sphinxcontrib-bibtex", "furo"} <= runtime
    for name, group in PYPROJECT["dependency-groups"].items():
        listed = {re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0].lower()
                  for r in group if isinstance(r, str)}  # fmt: skip
        assert not listed & runtime, f"group {name!r} repeats {listed & runtime}"


def test_constraints_pin_every_dependency_group() -> None:
    requirements = _requirements()
    assert {"sphinx", "beautifulsoup4", "pytest", "nox"} <= requirements
    assert not requirements - PINS, (
        f"not pinned in constraints.txt: {requirements - PINS} (run nox -s lock)"
    )


def test_every_installer_uses_constraints() -> None:
    installers = {
        "noxfile.py": r'CONSTRAINTS = \("-c", str\(ROOT / "constraints.txt"\)\)',
        ".ci/run": r"pip install -q -c constraints.txt nox uv",
        ".readthedocs.yaml": r"pip install -q -c constraints.txt nox uv",
    }
    for name, pattern in installers.items():
        text = (ROOT / name).read_text(encoding="utf-8")
        assert re.search(pattern, text), f"{name} must install through constraints.txt"
