"""Nothing lost: builds write only under their output folder, and `nox -s clean`
removes the build outputs and nothing else. (A build stopped mid-way is
covered in test_incremental_builds.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOCS, ROOT, copy_docs, differences, tree

# docs/ as collected, before any test builds the site from it.
DOCS_BEFORE = tree(DOCS)


@pytest.mark.build
def test_a_build_writes_nothing_under_docs(html_dir: Path) -> None:
    # html_dir is the session's build of the real docs/ (conftest.py).
    assert (html_dir / "index.html").exists()
    after = tree(DOCS)
    assert after == DOCS_BEFORE, (
        f"the build wrote into docs/: {differences(DOCS_BEFORE, after)}"
    )


def test_nox_clean_removes_build_and_nothing_else(tmp_path: Path) -> None:
    for name in ("noxfile.py", "pyproject.toml", "constraints.txt", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    copy_docs(tmp_path / "docs")
    for name in ("build/html/index.html", "build/pdf/noopept-brief.pdf",
                 "build/doctrees/environment.pickle", ".nox/tests/marker", "builder.txt"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    before = {k: v for k, v in tree(tmp_path).items() if not k.startswith("build/")}
    result = subprocess.run(
        [sys.executable, "-m", "nox", "-s", "clean"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "build").exists(), "nox -s clean left build/ behind"
    # Python's cache of the noxfile itself (git ignores it) is not a change.
    after = {
        k: v for k, v in tree(tmp_path).items() if not k.startswith("__pycache__/")
    }
    assert before == after, f"nox -s clean touched: {differences(before, after)}"
