"""git that refuses the checkout ("dubious ownership") costs no dates.

A fake git stands in front of the real one and refuses, as git does for a
repository another user owns, unless safe.directory is given on its command
line or in GIT_CONFIG_* (the trust a user's `git config --global --add
safe.directory` would give). The build warns once, naming that command, and
keeps every date: its HTML is the session's, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DOCS, differences, sphinx_build, tree

from noopept_brief import core
from noopept_brief.core.build import git

FAKE_GIT = """#!/bin/sh
for word in "$@"; do
  case "$word" in safe.directory=*) exec {git} "$@";; esac
done
if [ "$GIT_CONFIG_KEY_0" = safe.directory ]; then exec {git} "$@"; fi
echo "fatal: detected dubious ownership in repository at '{repo}'" >&2
echo "To add an exception for this directory, call:" >&2
exit 128
"""

# Before any fixture (the session's HTML build) is made for nothing.
pytestmark = pytest.mark.skipif(
    git.git(DOCS, "rev-parse", "--show-toplevel") is None,
    reason="needs a git checkout: a source tree without .git (a tarball) has "
    "no commit dates for a refusing git to cost",
)


@pytest.fixture
def refusing_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    real = shutil.which("git")
    if real is None:
        pytest.skip("git is not installed")
    repo = git.git(DOCS, "rev-parse", "--show-toplevel")
    assert repo, "the checkout was there when the module was read"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(FAKE_GIT.format(git=real, repo=repo), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(git, "_trusted", [])
    return repo


def test_refused_checkout_keeps_its_commit_date(
    refusing_git: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(git, "_trusted", [refusing_git])  # the real git, trusted
        expected = core.source_date_epoch(DOCS)
    assert core.source_date_epoch(DOCS) == expected
    assert core.git_dates_known(DOCS)
    warned = [ln for ln in capsys.readouterr().err.splitlines() if "dubious" in ln]
    assert len(warned) == 1, f"warn once, not {len(warned)} times: {warned}"
    assert f"git config --global --add safe.directory {refusing_git}" in warned[0]


def test_refused_checkout_builds_with_every_date(
    refusing_git: str, html_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    result = sphinx_build("-b", "html", DOCS, out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("dubious ownership") == 1, result.stderr
    skip = (".doctrees",)
    now, want = tree(out, skip), tree(html_dir, skip)
    assert now == want, f"dates lost without git: {differences(now, want)}"
