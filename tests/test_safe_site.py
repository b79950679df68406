"""The built site runs only its own scripts, and links out only over https.

The page rules (brief/safety.py) refuse unsafe markup in the sources; this checks
the result, every built HTML page, so that nothing the theme, an extension or
a template adds slips through either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DOCS, ROOT

from noopept_brief import core

pytestmark = pytest.mark.build

# The only inline script allowed: furo's, which applies the saved light/dark theme.
THEME_SCRIPT = 'document.body.dataset.theme = localStorage.getItem("theme") || "auto";'
# Script types that hold data, not code (for example, structured metadata).
DATA_SCRIPTS = frozenset({"application/ld+json", "application/json"})
EMBEDS = frozenset({"iframe", "object", "embed", "frame", "applet"})


class _Audit(HTMLParser):
    """Collects what a page would run or load, as (line, problem) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self.inline: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name in values:
            if name.startswith("on"):
                self.problems.append(
                    (line, f"event-handler attribute {name}= on <{tag}>")
                )
        for name in ("href", "src", "action", "formaction", "data", "poster"):
            if name in values:
                self._url(line, tag, values[name])
        if tag in EMBEDS:
            self.problems.append((line, f"<{tag}> element"))
        if tag == "script" and values.get("type", "") not in DATA_SCRIPTS:
            if "src" in values:
                if urlsplit(values["src"]).scheme or values["src"].startswith("//"):
                    self.problems.append(
                        (line, f"script from another site: {values['src']}")
                    )
            else:
                self.inline = (line, [])

    def handle_data(self, data: str) -> None:
        if self.inline is not None:
            self.inline[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.inline is not None:
            line, parts = self.inline
            if "".join(parts).strip() != THEME_SCRIPT:
                self.problems.append(
                    (line, f"inline script: {''.join(parts).strip()[:80]!r}")
                )
            self.inline = None

    def _url(self, line: int, tag: str, url: str) -> None:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme in core.UNSAFE_SCHEMES:
            self.problems.append((line, f"{scheme}: URL on <{tag}>"))
        elif scheme not in ("", "https") or (not scheme and url.startswith("//")):
            # XML namespaces, and a local build's canonical links to the local
            # preview (Read the Docs builds give its https address instead).
            if not (
                tag == "svg"
                or url.startswith("http://www.w3.org/")
                or url.startswith(core.LOCAL_BASE_URL)
            ):
                self.problems.append((line, f"link that is not https: {url}"))
        elif scheme == "https" and core.refused_url(url, _OWN):
            self.problems.append(
                (line, f"link to {parts.hostname}: not on the allowlist")
            )


# The repository's own "edit" and "view source" links (conf.py), when git names one.
_OWN = (
    *tuple(
        v.split("{filename}")[0] for v in core.source_links(os.environ, DOCS).values()
    ),
    core.LOCAL_BASE_URL,
)


def test_the_site_runs_only_its_own_scripts(html_dir: Path) -> None:
    pages = sorted(html_dir.rglob("*.html"))
    assert len(pages) >= 8, f"too few pages to mean anything: {pages}"
    problems = []
    for page in pages:
        audit = _Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(html_dir).as_posix()
        problems += [f"{rel}:{line}: {what}" for line, what in audit.problems]
    assert not problems, "\n".join(problems)


def test_the_audit_catches_what_it_must() -> None:
    bad = (
        '<script>alert(1)</script>\n<img src="x" onerror="alert(1)">\n'
        '<a href="javascript:alert(1)">x</a>\n<iframe src="https://example.org"></iframe>\n'
        '<script src="https://cdn.example.org/x.js"></script>\n<a href="http://example.org">x</a>\n'
        '<a href="https://www.amazon.com/x">x</a>\n'
    )
    audit = _Audit()
    audit.feed(bad)
    assert sorted({line for line, _ in audit.problems}) == [1, 2, 3, 4, 5, 6, 7], (
        audit.problems
    )


def test_check_built_runs_from_the_command_line(tmp_path: Path, html_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "noopept_brief", "check", "--built", str(html_dir)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    broken = tmp_path / "html"
    shutil.copytree(html_dir, broken)
    page = broken / "01-overview.html"
    page.write_text(
        page.read_text("utf-8").replace("</body>", "<script>alert(1)</script></body>"),
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "noopept_brief", "check", "--built", str(broken)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "docs/01-overview.md:" in result.stderr and "[built-script]" in result.stderr
