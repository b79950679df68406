"""Files and subprocess output are read and written as UTF-8, explicitly.

Where the locale's encoding is not UTF-8 (Windows; PYTHONUTF8=0 with
LC_ALL=C), Python's default is not UTF-8 either, and the pages, the logs
and what the tools print are.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

#: Calls that open text without saying which encoding.
SUBPROCESS = {"run", "Popen", "check_output", "call"}


def _unspecified(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(getattr(func, "value", None), "id", None)
        words = {k.arg for k in node.keywords}
        if "encoding" in words:
            continue
        text_mode = {"text", "universal_newlines"} & words
        problem = None
        if name in SUBPROCESS and text_mode:
            problem = f"{name}(text=True)"
        elif (name == "read_text" and not node.args) or (
            name == "write_text" and len(node.args) < 2
        ):
            problem = f"{name}()"
        elif name == "open" and owner != "os":
            args = node.args[1:] if isinstance(func, ast.Name) else node.args
            modes = [a.value for a in args[:1] if isinstance(a, ast.Constant)]
            modes += [k.value.value for k in node.keywords
                      if k.arg == "mode" and isinstance(k.value, ast.Constant)]  # fmt: skip
            if not any("b" in str(m) for m in modes):
                problem = "open()"
        if problem:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {problem}")
    return found


def test_every_text_file_and_pipe_names_its_encoding() -> None:
    sources = [
        p for folder in ("src", "tests", "bench", "docs", ".ci")
        for p in (ROOT / folder).rglob("*.py") if "fixtures" not in p.parts
    ] + [ROOT / "noxfile.py"]  # fmt: skip
    found = [problem for path in sorted(sources) for problem in _unspecified(path)]
    assert not found, (
        "these read or write text in the locale's encoding, which need not be "
        "UTF-8: add encoding='utf-8'.\n" + "\n".join(found)
    )


def test_the_tools_work_in_a_locale_that_is_not_utf_8(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Café ⁂\n\nBuy it now, “today”.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    result = subprocess.run(
        [sys.executable, "-m", "noopept_brief", "check", str(page)], cwd=ROOT,
        env=env, capture_output=True, check=False,
    )  # fmt: skip
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, f"check under LC_ALL=C:\n{err}"
    assert result.returncode == 1 and f"{page}:3: [content] 'Buy'" in err
