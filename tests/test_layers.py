"""The package's three layers only import downward: the core knows nothing of
Sphinx or the other layers, and the tools know nothing of the Sphinx layer.
No module imports itself round a circle, and none is over 400 lines. (Read
from the sources, so a lazy import inside a function counts too.)"""

from __future__ import annotations

import ast
from itertools import pairwise
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


def _imports(
    path: Path, src: Path = ROOT / "src", names: bool = False
) -> list[tuple[int, str]]:
    """Every module a file under ``src`` imports, made absolute, with its line.

    With ``names`` (for :func:`_graph`), ``from package import name`` also
    gives ``package.name`` (the name may be a module), and the imports under
    ``if TYPE_CHECKING:`` are left out: they never run, so they close no
    circle (annotations only); a lazy import inside a function does run."""
    package = ".".join(path.relative_to(src).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if names
        and isinstance(node, ast.If)
        and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
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
            if names:
                found += [(node.lineno, f"{name}.{a.name}") for a in node.names]
    return found


def _graph(src: Path) -> dict[str, dict[str, int]]:
    """The package's own modules -> the own modules each imports (-> the line)."""
    files = {}
    for path in sorted((src / "noopept_brief").rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return {
        module: {
            name: line
            for line, name in _imports(path, src, names=True)
            if name in files
        }
        for module, path in files.items()
    }


def _circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each import circle once, as the modules round it, first repeated last."""
    circles, done = [], set()
    for start in sorted(graph):
        # A path from start back to itself through modules not yet reported.
        stack = [(start, [start])]
        seen = set()
        while stack:
            module, path = stack.pop()
            for name in sorted(graph[module]):
                if name == start and len(path) > 1:
                    circles.append([*path, start])
                    stack.clear()
                    break
                if name not in seen and name not in done and name != start:
                    seen.add(name)
                    stack.append((name, [*path, name]))
        done.add(start)
    return circles


def _described(circle: list[str], graph: dict[str, dict[str, int]]) -> str:
    steps = [f"{a} (line {graph[a][b]}) imports {b}" for a, b in pairwise(circle)]
    return (
        "import circle: " + "; ".join(steps) + ". Move what both need into a "
        "module they can both import, or pass it in; a lazy import inside a "
        "function only hides the circle."
    )


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


def test_no_import_circles() -> None:
    graph = _graph(ROOT / "src")
    problems = [_described(circle, graph) for circle in _circles(graph)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_import_circle(tmp_path: Path) -> None:
    """Two rooms that import each other, one of them lazily, are refused; an
    import for annotations only is not a circle."""
    rooms = tmp_path / "src" / "noopept_brief" / "core"
    rooms.mkdir(parents=True)
    (rooms.parent / "__init__.py").write_text("", encoding="utf-8")
    (rooms / "__init__.py").write_text("", encoding="utf-8")
    (rooms / "fences.py").write_text(
        "def check():\n    from .policy import DIRECTIVE\n", encoding="utf-8"
    )
    (rooms / "policy.py").write_text(
        "from .fences import check\nfrom .typed import T\nDIRECTIVE = 1\n",
        encoding="utf-8",
    )
    # An import for annotations only never runs: no circle.
    (rooms / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from .policy import DIRECTIVE\nT = 1\n",
        encoding="utf-8",
    )
    (rooms / "alone.py").write_text("from . import policy\n", encoding="utf-8")
    graph = _graph(tmp_path / "src")
    circles = _circles(graph)
    assert circles == [
        ["noopept_brief.core.fences", "noopept_brief.core.policy",
         "noopept_brief.core.fences"]
    ]  # fmt: skip
    message = _described(circles[0], graph)
    assert (
        "noopept_brief.core.fences (line 2) imports noopept_brief.core.policy"
        in message
    )


#: Issue 18: an engine module a newcomer can read whole.
MAX_LINES = 400


def _long_files(package: Path) -> list[str]:
    return [
        f"{path.relative_to(package.parent.parent)}: {count} lines, more than "
        f"{MAX_LINES}. Split it by what it owns (see README, Where things live), "
        "or cut what is dead or repeated"
        for path in sorted(package.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]


def test_no_engine_file_is_over_the_limit(tmp_path: Path) -> None:
    assert not _long_files(PACKAGE), "\n".join(_long_files(PACKAGE))
    long = tmp_path / "src" / "noopept_brief" / "core" / "long.py"
    long.parent.mkdir(parents=True)
    long.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert _long_files(long.parent.parent) == [
        f"src/noopept_brief/core/long.py: {MAX_LINES + 1} lines, more than {MAX_LINES}. "
        "Split it by what it owns (see README, Where things live), or cut what "
        "is dead or repeated"
    ]
