"""The package's three layers only import downward: the core knows nothing of
Sphinx or the other layers, and the tools know nothing of the Sphinx layer.
(Read from the sources, so a lazy import inside a function counts too.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "src" / "noopept_brief"
#: Each layer, and what its modules must never import.
FORBIDDEN = {
    "core": ("sphinx", "docutils", "noopept_brief.sphinxext", "noopept_brief.tools"),
    "tools": ("sphinx", "docutils", "noopept_brief.sphinxext"),
}
#: The one exception, fenced: the core's _upstream.py uses docutils' smartquotes
#: (plain text in, plain text out) so that claims read as the prose does.
ALLOWED = {("core/_upstream.py", "docutils.utils.smartquotes")}


def _imports(path: Path, src: Path = ROOT / "src") -> list[tuple[int, str]]:
    """Every module a file under ``src`` imports, made absolute, with its line."""
    package = ".".join(path.relative_to(src).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


@pytest.mark.parametrize("layer", FORBIDDEN)
def test_layer_imports_only_downward(layer: str) -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: imports {name}, which the {layer} "
        f"layer must not use; move that code to a layer above it"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer])
        and (path.relative_to(PACKAGE).as_posix(), name) not in ALLOWED
    ]
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = PACKAGE / "core" / "markdown" / "policy.py"
    source = (
        bad.read_text(encoding="utf-8") + "\nfrom ...sphinxext import source_warnings\n"
    )
    copy = tmp_path / "src" / "noopept_brief" / "core" / "markdown" / "policy.py"
    copy.parent.mkdir(parents=True)
    copy.write_text(source, encoding="utf-8")
    names = [name for _, name in _imports(copy, tmp_path / "src")]
    assert "noopept_brief.sphinxext" in names
