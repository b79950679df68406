"""The README's quickstart is the contract: CI must run exactly its commands."""

from __future__ import annotations

import re

from conftest import ROOT

from noopept_brief.tools import prerequisites

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_readme_has_the_apt_line_and_two_commands() -> None:
    commands = _quickstart_commands()
    assert len(commands) == 3, (
        f"expected the apt-get line and two commands, got {commands}"
    )
    assert commands[0].endswith(f"install {prerequisites.SYSTEM_PACKAGES}"), (
        f"README.md, Quickstart: the apt-get line reads {commands[0]!r}, but "
        f"SYSTEM_PACKAGES in src/noopept_brief/tools/prerequisites.py is "
        f"{prerequisites.SYSTEM_PACKAGES!r}. Make the line install exactly that."
    )


def test_ci_runs_the_readme_commands_verbatim() -> None:
    ci_lines = {line.strip() for line in CI.splitlines()}
    for command in _quickstart_commands()[1:]:
        assert command in ci_lines, (
            f".ci/run does not run the README command {command!r}. "
            "Copy it into .ci/run unchanged."
        )
    installs = [line.strip() for line in CI.splitlines() if "apt-get install" in line]
    wanted = f"apt-get install -y -qq {prerequisites.SYSTEM_PACKAGES} >/dev/null"
    assert installs == [wanted], (
        f".ci/run installs with {installs}: it must install the README's packages "
        f"and nothing else, in one line: `{wanted}` (SYSTEM_PACKAGES in "
        "src/noopept_brief/tools/prerequisites.py)."
    )
    assert "export REQUIRE_BROWSER=1" in CI, ".ci/run must require the browser tests"
