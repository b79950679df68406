"""One lock for every installer: nox, CI and Read the Docs install through
constraints.txt, which pins every dependency group (`nox -s lock` refreshes it)."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

PINS = {
    re.split(r"[=;\s]", line, maxsplit=1)[0].lower()
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    if "==" in line
}


def _requirements() -> set[str]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "dependency-groups"
    ]
    names = {
        re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0]
        for g in groups.values()
        for r in g
        if isinstance(r, str)
    }
    return {re.sub(r"[-_.]+", "-", n).lower() for n in names}


def test_constraints_pin_every_dependency_group() -> None:
    requirements = _requirements()
    assert {"sphinx", "pytest", "nox"} <= requirements
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
