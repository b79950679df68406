"""git, run for the build's dates, and trusted once where it refuses a checkout.

git refuses a repository that another user owns ("dubious ownership": a
container, a CI runner, a shared folder). The build then lost its dates
silently: no "last updated", and the PDF dated from file times. Here the
refusal is reported once, with the command that ends it, and git is asked
again with ``-c safe.directory=<that repository>`` for this build only;
:func:`trust_environment` passes the same trust to the git that
sphinx-last-updated-by-git runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: Repositories git refused and this process reads with safe.directory.
_trusted: list[str] = []
_REFUSED = re.compile(r"dubious ownership in repository at '([^']+)'")


def git(root: Path, *args: str) -> str | None:
    """git's output (stripped) for ``args`` run in ``root``; None if it fails."""
    trust = [f"safe.directory={repo}" for repo in _trusted]
    result = _run(root, trust, args)
    if result is None:
        return None
    refused = _REFUSED.search(result.stderr)
    if result.returncode != 0 and refused and refused[1] not in _trusted:
        repo = refused[1]
        _trusted.append(repo)
        print(
            f"noopept-brief: git refuses to read {repo} (\"dubious ownership\": "
            "another user owns it). This build reads its dates with "
            f"`git -c safe.directory={repo}`; to fix it for good, run: "
            f"git config --global --add safe.directory {repo}",
            file=sys.stderr, flush=True,
        )  # fmt: skip
        result = _run(root, [*trust, f"safe.directory={repo}"], args)
        if result is None:
            return None
    return result.stdout.strip() if result.returncode == 0 else None


def _run(
    root: Path, config: list[str], args: tuple[str, ...]
) -> subprocess.CompletedProcess[str] | None:
    options = [word for item in config for word in ("-c", item)]
    try:
        return subprocess.run(
            ["git", *options, *args], cwd=root, capture_output=True,
            encoding="utf-8", errors="replace", check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None


def trust_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Environment entries that give git run by other tools the same trust.

    git reads ``GIT_CONFIG_COUNT``, ``GIT_CONFIG_KEY_<n>`` and
    ``GIT_CONFIG_VALUE_<n>`` as if given with ``-c``, the only place besides
    the user's and the system's configuration where it accepts safe.directory.
    Entries already set are kept. Nothing, if git refused no repository.

    >>> _trusted[:] = ["/srv/brief"]
    >>> trust_environment({})
    {'GIT_CONFIG_COUNT': '1', 'GIT_CONFIG_KEY_0': 'safe.directory', 'GIT_CONFIG_VALUE_0': '/srv/brief'}
    >>> trust_environment({"GIT_CONFIG_COUNT": "1"})["GIT_CONFIG_KEY_1"]
    'safe.directory'
    >>> _trusted.clear(); trust_environment({})
    {}
    """
    if not _trusted:
        return {}
    count = int(environ.get("GIT_CONFIG_COUNT", "0") or 0)
    added: dict[str, str] = {}
    for n, repo in enumerate(_trusted, start=count):
        added[f"GIT_CONFIG_KEY_{n}"] = "safe.directory"
        added[f"GIT_CONFIG_VALUE_{n}"] = repo
    return {"GIT_CONFIG_COUNT": str(count + len(_trusted)), **added}
