"""Hostile edits, as a contributor with bad intent would write them (issue 10).

Each edit is one page (or one file) added to a copy of docs/; the copy is
built once with -W, and every edit must be refused: the build names its file
(no traceback), and `noopept-brief check` names it too where a source rule
can see it, or `check --built` does. The classes follow the issue's list;
the last group is edits the issue does not name.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    DOCS,
    ROOT,
    assert_no_crash,
    checked_names,
    hostile_copy,
    sphinx_build,
)

from noopept_brief import core

ZW = "\u200b"
PAGE = """---
description: "A hostile edit, for the tests."
---

# {title}

{disclaimer}

Read it with {{ref}}`limitations` in mind.

{edit}
"""
DISCLAIMER = "```{disclaimer}\n```"
NEST = "".join("`" * (80 - i) + "{note}\n" for i in range(60))

# name: (class, the edit, does a source rule see it?)
EDITS: dict[str, tuple[str, str, bool]] = {
    # 1. reading files from outside the brief
    "literalinclude": ("files", "```{literalinclude} /etc/passwd\n```", True),
    "include-git": ("files", "```{include} ../.git/config\n```", True),
    "csv-file": ("files", "```{csv-table} Environ\n:file: /proc/self/environ\n```", True),
    "download-role": ("files", "{download}`/etc/passwd`", True),
    "local-link": ("files", "[env](../../../../../../../etc/passwd)", True),
    "rst-include": ("files", "```{eval-rst}\n.. include:: /etc/passwd\n```", True),
    "rst-literalinclude": ("files", "```{eval-rst}\n.. literalinclude:: /etc/hostname\n```", True),
    "rst-download": ("files", "```{eval-rst}\n:download:`x </etc/passwd>`\n```", True),
    "math-input": ("files", "```{math}\n\\input{/etc/passwd}\n```", False),
    "raw-latex-input": ("files", "```{raw} latex\n\\input{/etc/passwd}\n```", True),
    # 2. links that dodge a deny list
    "percent-host": ("links", "[x](https://%61mazon.com)", True),
    "punycode": ("links", "[x](https://xn--mazon-3ve.com/)", True),
    "shortener": ("links", "[x](https://bit.ly/abc)", True),
    "http-pubmed": ("links", "[x](http://pubmed.ncbi.nlm.nih.gov/1/)", True),
    "rst-http": ("links", "```{eval-rst}\n`x <http://example.org>`_\n```", True),
    "rst-js-split": ("links", "```{eval-rst}\n`x <java\nscript:alert(1)>`_\n```", True),
    "image-target": ("links", "```{image} _static/favicon.svg\n:alt: icon\n:target: http://evil.example\n```", True),
    "toctree-url": ("links", "```{toctree}\nShop <https://shop.example>\n```", True),
    "user-info": ("links", "[x](https://doi.org@evil.example/)", True),
    "suffix-host": ("links", "[x](https://doi.org.evil.example/)", True),
    "upper-case": ("links", "[x](HTTPS://EVIL.EXAMPLE/)", True),
    "trailing-dot": ("links", "[x](https://evil.example./)", True),
    "protocol-relative": ("links", "[x](//evil.example/x)", True),
    "ip-decimal": ("links", "[x](https://2130706433/)", True),
    "port": ("links", "[x](https://doi.org:8443/x)", True),
    "autolink": ("links", "<https://evil.example>", True),
    "javascript": ("links", "[x](javascript:alert(1))", True),
    "data-url": ("links", "[x](data:text/html,hi)", True),
    "math-href": ("links", "{math}`\\href{javascript:alert(1)}{x}`", False),
    "mailto": ("links", "[x](mailto:buy@shop.example)", True),
    "fullwidth": ("links", "[x](https://\uff45\uff56\uff49\uff4c.example/)", True),
    "tab-in-scheme": ("links", "[x](<java\tscript:alert(1)>)", True),
    # 3. per-page configuration in front matter
    "meta-refresh": ("front matter", 'myst:\n  html_meta:\n    "http-equiv=refresh": "0;url=https://shop.example"', True),
    "substitution-html": ("front matter", 'myst:\n  substitutions:\n    x: "<b>hi</b>"', True),
    "linkify": ("front matter", "myst:\n  enable_extensions: [linkify]", True),
    "url-schemes": ("front matter", "myst:\n  url_schemes: [http, javascript]", True),
    "html-meta-top": ("front matter", 'html_meta:\n  keywords: "buy noopept"', True),
    # 4. the disclaimer and the Limitations link, hidden from the reader
    "disclaimer-dropdown": ("disclaimer", "!````{note}\n:class: dropdown\n```{disclaimer}\n```\n````", True),
    "disclaimer-hidden": ("disclaimer", "!````{container} visually-hidden\n```{disclaimer}\n```\n````", True),
    "disclaimer-literal": ("disclaimer", "!````text\n```{disclaimer}\n```\n````", True),
    "disclaimer-comment": ("disclaimer", "!% ```{disclaimer}\n% ```", True),
    "limitations-zero-width": ("limitations", f"@See {{ref}}`{ZW}{ZW} <limitations>`.", False),
    "limitations-latex-only": ("limitations", "@```{only} latex\n{ref}`limitations`\n```", False),
    "limitations-hidden": ("limitations", "@```{container} sr-only\n{ref}`limitations`\n```", False),
    # 5. dosing and human-use language
    "amount-per-day": ("content", "People take 10 mg per day.", True),
    "how-much": ("content", "Ask the vendor how much to take.", True),
    "where-to-buy": ("content", "Here is where to buy it online.", True),
    "stack": ("content", "A popular stack pairs it with choline.", True),
    "cycle": ("content", "Users cycle it, five days on, two off.", True),
    "recommended-dose": ("content", "The recommended dose for adults is small.", True),
    "capsules-daily": ("content", "Some report 2 capsules daily.", True),
    "in-a-claim-title": ("content", "```{admonition} Buy in bulk\nText.\n```", True),
    # 8. page structure
    "second-h1": ("structure", "# Another title", True),
    "empty-title": ("structure", f"^# {ZW}", True),
    "reference-link": ("structure", "See [the record][nowhere].", True),
    "rst-image-no-alt": ("structure", "```{eval-rst}\n.. image:: _static/favicon.svg\n```", True),
    "alt-zero-width": ("structure", f"![{ZW}](_static/favicon.svg)", True),
    "orphan": ("structure", "orphan: true", True),
    # 9. slow or crashing input
    "cite-2000-keys": ("limits", "{cite:p}`" + ",".join(f"k{i}" for i in range(2000)) + "`", True),
    "deep-nesting": ("limits", NEST, True),
    # invented: raw markup by other routes, and meta from reStructuredText
    "script-tag": ("invented", "<script>alert(1)</script>", True),
    "raw-html": ("invented", "```{raw} html\n<b>x</b>\n```", True),
    "rst-raw": ("invented", "```{eval-rst}\n.. raw:: html\n\n   <script>x</script>\n```", True),
    "rst-raw-role": ("invented", "```{eval-rst}\n.. role:: r(raw)\n   :format: html\n```", True),
    "rst-meta-refresh": ("invented", "```{eval-rst}\n.. meta::\n   :http-equiv=refresh: 0;url=https://shop.example\n```", False),
    "svg-image-link": ("invented", "![a drawing](https://evil.example/x.svg)", True),
}  # fmt: skip
FRONT = {"front matter", "structure"}
# Files put beside the pages: (path under docs/, content); only the build
# (and check's asset rule) can see them.
FILES = {
    "svg-script": ("_static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "svg-onload": ("_static/icon.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    "htm-page": ("_static/offer.htm", "<html><script>alert(1)</script></html>"),
    "shadow-furo": ("_static/scripts/furo.js", "alert(1)"),
    "template-refresh": ("_templates/layout.html", '{% extends "!layout.html" %}{% block extrahead %}<meta http-equiv="refresh" content="0;url=https://shop.example">{% endblock %}'),
}  # fmt: skip
# 7. the bibliography: one entry each in a bib file of its own
BIB = """@article{hostileempty,
  author  = {Smith, J.},
  title   = {},
  journal = {J},
  year    = {2001}
}
@article{hostileothers,
  author  = {others},
  title   = {A title},
  journal = {J},
  year    = {2001}
}
@article{hostilepercent,
  author  = {Smith, J.},
  title   = {Up 50% in rats, and the rest is cut},
  journal = {J},
  year    = {2001}
}
@article{hostilejs,
  author  = {Smith, J.},
  title   = {A title},
  journal = {J},
  year    = {2001},
  url     = {javascript:alert(1)}
}
@article{hostilehttp,
  author  = {Smith, J.},
  title   = {A title},
  journal = {J},
  year    = {2001},
  url     = {http://example.org/paper}
}
"""
BIB_LINES = {"hostileempty": 1, "hostileothers": 7, "hostilepercent": 15, "hostilejs": 19, "hostilehttp": 26}  # fmt: skip


def _page(name: str, kind: str, edit: str) -> str:
    title = f"Hostile edit {name}"
    if kind in FRONT and edit.startswith(("myst:", "orphan", "html_meta")):
        page = PAGE.format(title=title, disclaimer=DISCLAIMER, edit="")
        return page.replace("---\n\n#", f"{edit}\n---\n\n#", 1)
    if edit.startswith("!"):  # the edit replaces the disclaimer
        return PAGE.format(title=title, disclaimer=edit[1:], edit="")
    if edit.startswith("@"):  # the edit replaces the Limitations link
        page = PAGE.format(title=title, disclaimer=DISCLAIMER, edit="")
        return page.replace("Read it with {ref}`limitations` in mind.", edit[1:])
    if edit.startswith("^"):  # the edit replaces the title
        return PAGE.format(title=title, disclaimer=DISCLAIMER, edit="").replace(
            f"# {title}", edit[1:]
        )
    return PAGE.format(title=title, disclaimer=DISCLAIMER, edit=edit)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    pages = {
        f"hostile-{name}": _page(name, kind, edit)
        for name, (kind, edit, _) in EDITS.items()
    }
    docs = hostile_copy(root, pages, FILES.values(), unlisted={"hostile-orphan"})
    (docs / "hostile.bib").write_text(BIB, "utf-8")
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nbibtex_bibfiles = ['refs.bib', 'hostile.bib']\n")
    result = sphinx_build("-b", "html", docs, root / "html")
    return docs, root / "html", result


@pytest.fixture(scope="module")
def checked(hostile_site) -> tuple[set[str], set[str]]:
    docs, html, _ = hostile_site
    return checked_names(docs, html)


def test_the_build_fails_without_a_traceback(hostile_site) -> None:
    _, _, result = hostile_site
    assert result.returncode != 0
    assert_no_crash(result)


@pytest.mark.parametrize("name", EDITS, ids=list(EDITS))
def test_the_build_refuses_each_edit(hostile_site, name: str) -> None:
    docs, _, result = hostile_site
    where = f"{docs}/hostile-{name}.md:"
    found = [w for w in result.stderr.splitlines() if w.startswith(where)]
    assert found, f"nothing refused {name}:\n{result.stderr[-2000:]}"


@pytest.mark.parametrize("name", EDITS, ids=list(EDITS))
def test_check_refuses_each_edit_it_can_see(checked, name: str) -> None:
    source, built = checked
    # What only the output gate sees, check --built must name.
    named = source if EDITS[name][2] else built
    assert f"hostile-{name}.md" in named, f"check let {name} through"


@pytest.mark.parametrize("name", FILES, ids=list(FILES))
def test_files_beside_the_pages_are_refused(hostile_site, checked, name: str) -> None:
    docs, _, result = hostile_site
    path = FILES[name][0]
    assert f"{docs}/{path}:1:" in result.stderr, result.stderr[-2000:]
    assert Path(path).name in checked[0]


@pytest.mark.parametrize("key", BIB_LINES, ids=list(BIB_LINES))
def test_bad_bib_entries_are_refused(hostile_site, key: str) -> None:
    docs, _, result = hostile_site
    text = (docs / "hostile.bib").read_text("utf-8")
    problems = core.check_bib(text, "hostile.bib")
    assert any(key in v.message or v.line == BIB_LINES[key] for v in problems), problems
    assert f"{docs}/hostile.bib:" in result.stderr


def test_no_hostile_text_reaches_the_site(hostile_site) -> None:
    _, html, _ = hostile_site
    text = "".join(p.read_text("utf-8", "replace") for p in html.rglob("*.html"))
    # The build failed, so nothing is published; even so, no file was read.
    for secret in ("root:x:0:0", "repositoryformatversion"):
        assert secret not in text


def test_the_disclaimer_snippet_is_pinned() -> None:
    """Changing the disclaimer takes a deliberate, reviewed change of this hash."""
    digest = hashlib.sha256((DOCS / core.DISCLAIMER_SNIPPET).read_bytes()).hexdigest()
    assert digest == SNIPPET_SHA256, (
        "docs/_snippets/disclaimer.md changed. If a maintainer has reviewed the "
        f"new text, put its hash here: {digest}"
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


SNIPPET_SHA256 = "94fc22b02eb1664ea733939a683e3f138b948a389e3cec14d39d4126598dfb5d"
