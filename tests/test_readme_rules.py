"""The README's table of rules is the rule registry's (src/noopept_brief/core/
registry.py).

When the registry changes, rewrite the README's table with:
    python tests/test_readme_rules.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START = "<!-- rules: generated from src/noopept_brief/core/registry.py -->\n"
END = "<!-- rules: end -->\n"


def _readme_table(text: str) -> str | None:
    if START not in text or END not in text.split(START, 1)[1]:
        return None
    return text.split(START, 1)[1].split(END, 1)[0]


def _with_table(text: str, table: str) -> str:
    head, rest = text.split(START, 1)
    return head + START + table + END + rest.split(END, 1)[1]


def test_readme_table_is_the_registry() -> None:
    from noopept_brief.core.registry import table

    found = _readme_table(README.read_text(encoding="utf-8"))
    assert found is not None, (
        f"README.md has no table of rules between {START.strip()!r} and "
        f"{END.strip()!r}; put the two markers back, then run "
        "python tests/test_readme_rules.py"
    )
    assert found == table(), (
        "README.md's table of rules differs from the rule registry "
        "(src/noopept_brief/core/registry.py). Rewrite it: "
        "python tests/test_readme_rules.py"
    )


def test_a_changed_table_is_caught() -> None:
    from noopept_brief.core.registry import table

    text = f"# R\n\n{START}{table()}{END}\nAfter.\n"
    assert _readme_table(text) == table()
    edited = text.replace("| `disclaimer` |", "| `disclaimer-old` |")
    assert _readme_table(edited) != table()
    assert _readme_table("# R\n") is None
    assert _with_table(edited, table()) == text


if __name__ == "__main__":
    from noopept_brief.core.registry import table

    text = README.read_text(encoding="utf-8")
    if _readme_table(text) is None:
        sys.exit(f"README.md lacks the markers {START.strip()} and {END.strip()}")
    README.write_text(_with_table(text, table()), encoding="utf-8")
    print("README.md: the table of rules rewritten from the registry")
