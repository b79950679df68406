"""Hostile edits, as a contributor with bad intent would write them (issues 10
and 20): the first round one spelling each, the second one principle each,
tried with variations (another directive, channel, character or language); a
rule that needed a new spelling for a variation would not be kept.

Every edit is one page (or one file) added to ONE copy of docs/, built once
with -W: the build must name the file (no traceback), and `noopept-brief
check` must name it too where a source rule can see it (else `check --built`).
"""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import (
    assert_no_crash,
    built_once,
    checked_names,
    hostile_copy,
    sphinx_build,
)

from noopept_brief import core

ZW, WJ, SHY = "\u200b", "\u2060", "\u00ad"
HANGUL, BRAILLE, HALF = "\u3164", "\u2800", "\uffa0"
CYR_U, CYR_I = "\u0443", "\u0456"
PAGE = """---
description: "{description}"
{front}---

# {title}

{disclaimer}

{limitations}

{edit}
"""
DISCLAIMER = "```{disclaimer}\n```"
LIMITATIONS = "Read it with {ref}`limitations` in mind."
FAKE_TITLE = "Research context only: not medical advice"
TABLE = "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(600))
NEST = "".join("`" * (80 - i) + "{note}\n" for i in range(60))

# name: (class, where the edit goes, the edit, does a source rule see it?)
# where: "body" (below the Limitations link), "disclaimer" (instead of it),
# "limitations" (instead of the link), "title", "description", "front" (a
# line of front matter).
EDITS: dict[str, tuple[str, str, str, bool]] = {
    # == Round 1 (issue 10): one spelling each ================================
    # 1. reading files from outside the brief
    "literalinclude": ("files", "body", "```{literalinclude} /etc/passwd\n```", True),
    "include-git": ("files", "body", "```{include} ../.git/config\n```", True),
    "csv-file": ("files", "body", "```{csv-table} Environ\n:file: /proc/self/environ\n```", True),
    "download-role": ("files", "body", "{download}`/etc/passwd`", True),
    "local-link": ("files", "body", "[env](../../../../../../../etc/passwd)", True),
    "rst-include": ("files", "body", "```{eval-rst}\n.. include:: /etc/passwd\n```", True),
    "rst-literalinclude": ("files", "body", "```{eval-rst}\n.. literalinclude:: /etc/hostname\n```", True),
    "rst-download": ("files", "body", "```{eval-rst}\n:download:`x </etc/passwd>`\n```", True),
    "math-input": ("files", "body", "```{math}\n\\input{/etc/passwd}\n```", False),
    "raw-latex-input": ("files", "body", "```{raw} latex\n\\input{/etc/passwd}\n```", True),
    # 2. links that dodge a deny list
    "percent-host": ("links", "body", "[x](https://%61mazon.com)", True),
    "punycode": ("links", "body", "[x](https://xn--mazon-3ve.com/)", True),
    "shortener": ("links", "body", "[x](https://bit.ly/abc)", True),
    "http-pubmed": ("links", "body", "[x](http://pubmed.ncbi.nlm.nih.gov/1/)", True),
    "rst-http": ("links", "body", "```{eval-rst}\n`x <http://example.org>`_\n```", True),
    "rst-js-split": ("links", "body", "```{eval-rst}\n`x <java\nscript:alert(1)>`_\n```", True),
    "image-target": ("links", "body", "```{image} _static/favicon.svg\n:alt: icon\n:target: http://evil.example\n```", True),
    "toctree-url": ("links", "body", "```{toctree}\nShop <https://shop.example>\n```", True),
    "user-info": ("links", "body", "[x](https://doi.org@evil.example/)", True),
    "suffix-host": ("links", "body", "[x](https://doi.org.evil.example/)", True),
    "upper-case": ("links", "body", "[x](HTTPS://EVIL.EXAMPLE/)", True),
    "trailing-dot": ("links", "body", "[x](https://evil.example./)", True),
    "protocol-relative": ("links", "body", "[x](//evil.example/x)", True),
    "ip-decimal": ("links", "body", "[x](https://2130706433/)", True),
    "port": ("links", "body", "[x](https://doi.org:8443/x)", True),
    "autolink": ("links", "body", "<https://evil.example>", True),
    "javascript": ("links", "body", "[x](javascript:alert(1))", True),
    "data-url": ("links", "body", "[x](data:text/html,hi)", True),
    "math-href": ("links", "body", "{math}`\\href{javascript:alert(1)}{x}`", False),
    "mailto": ("links", "body", "[x](mailto:buy@shop.example)", True),
    "fullwidth": ("links", "body", "[x](https://\uff45\uff56\uff49\uff4c.example/)", True),
    "tab-in-scheme": ("links", "body", "[x](<java\tscript:alert(1)>)", True),
    # 3. per-page configuration in front matter
    "meta-refresh": ("front matter", "front", 'myst:\n  html_meta:\n    "http-equiv=refresh": "0;url=https://shop.example"', True),
    "substitution-html": ("front matter", "front", 'myst:\n  substitutions:\n    x: "<b>hi</b>"', True),
    "linkify": ("front matter", "front", "myst:\n  enable_extensions: [linkify]", True),
    "url-schemes": ("front matter", "front", "myst:\n  url_schemes: [http, javascript]", True),
    "html-meta-top": ("front matter", "front", 'html_meta:\n  keywords: "buy noopept"', True),
    # 4. the disclaimer and the Limitations link, hidden from the reader
    "disclaimer-dropdown": ("disclaimer", "disclaimer", "````{note}\n:class: dropdown\n```{disclaimer}\n```\n````", True),
    "disclaimer-hidden": ("disclaimer", "disclaimer", "````{container} visually-hidden\n```{disclaimer}\n```\n````", True),
    "disclaimer-literal": ("disclaimer", "disclaimer", "````text\n```{disclaimer}\n```\n````", True),
    "disclaimer-comment": ("disclaimer", "disclaimer", "% ```{disclaimer}\n% ```", True),
    "limitations-zero-width": ("limitations", "limitations", f"See {{ref}}`{ZW}{ZW} <limitations>`.", False),
    "limitations-latex-only": ("limitations", "limitations", "```{only} latex\n{ref}`limitations`\n```", False),
    "limitations-hidden": ("limitations", "limitations", "```{container} sr-only\n{ref}`limitations`\n```", False),
    # 5. dosing and human-use language
    "amount-per-day": ("content", "body", "People take 10 mg per day.", True),
    "how-much": ("content", "body", "Ask the vendor how much to take.", True),
    "where-to-buy": ("content", "body", "Here is where to buy it online.", True),
    "stack": ("content", "body", "A popular stack pairs it with choline.", True),
    "cycle": ("content", "body", "Users cycle it, five days on, two off.", True),
    "recommended-dose": ("content", "body", "The recommended dose for adults is small.", True),
    "capsules-daily": ("content", "body", "Some report 2 capsules daily.", True),
    "in-a-claim-title": ("content", "body", "```{admonition} Buy in bulk\nText.\n```", True),
    # 8. page structure
    "second-h1": ("structure", "body", "# Another title", True),
    "empty-title": ("structure", "title", ZW, True),
    "reference-link": ("structure", "body", "See [the record][nowhere].", True),
    "rst-image-no-alt": ("structure", "body", "```{eval-rst}\n.. image:: _static/favicon.svg\n```", True),
    "alt-zero-width": ("structure", "body", f"![{ZW}](_static/favicon.svg)", True),
    "orphan": ("structure", "front", "orphan: true", True),
    # 9. slow or crashing input
    "cite-2000-keys": ("limits", "body", "{cite:p}`" + ",".join(f"k{i}" for i in range(2000)) + "`", True),
    "deep-nesting": ("limits", "body", NEST, True),
    # invented: raw markup by other routes, and meta from reStructuredText
    "script-tag": ("invented", "body", "<script>alert(1)</script>", True),
    "raw-html": ("invented", "body", "```{raw} html\n<b>x</b>\n```", True),
    "rst-raw": ("invented", "body", "```{eval-rst}\n.. raw:: html\n\n   <script>x</script>\n```", True),
    "rst-raw-role": ("invented", "body", "```{eval-rst}\n.. role:: r(raw)\n   :format: html\n```", True),
    "rst-meta-refresh": ("invented", "body", "```{eval-rst}\n.. meta::\n   :http-equiv=refresh: 0;url=https://shop.example\n```", False),
    "svg-image-link": ("invented", "body", "![a drawing](https://evil.example/x.svg)", True),
    # == Round 2 (issue 20): one principle each, with variations ==============
    # -- content: dosing, amounts, buying, in every channel and spelling ------
    "amount-words": ("content", "body", "People take two hundred milligrams of it.", True),
    "amount-cyrillic-unit": ("content", "body", "The usual amount is 200 мг.", True),
    "amount-russian": ("content", "body", "Принимать по 10 мг два раза в день.", True),
    "amount-german": ("content", "body", "Man nimmt zweimal täglich zehn Milligramm.", True),
    "frequency-french": ("content", "body", "On le prend deux fois par jour.", True),
    "frequency-spanish": ("content", "body", "Se toma dos veces al día.", True),
    "frequency-thrice": ("content", "body", "Users swallow it thrice daily.", True),
    "frequency-3x": ("content", "body", "Some report 3x daily with food.", True),
    "amount-fullwidth": ("content", "body", "About 10 \uff4d\uff47 is common.", True),
    "amount-squared-mg": ("content", "body", "About 10 \u338e is common.", True),
    "amount-split-emphasis": ("content", "body", "About 10 *mg* each morning.", True),
    "amount-split-table": ("content", "body", "| Amount | Unit | When |\n|---|---|---|\n| 200 | mg | morning |", True),
    "amount-in-alt": ("content", "body", "![take 10 mg twice daily](_static/favicon.svg)", True),
    "amount-in-heading": ("content", "body", "## Three hundred milligrams", True),
    "amount-in-footnote": ("content", "body", "A remark.[^n]\n\n[^n]: Forum users take 10 mg in the morning.", True),
    "amount-in-admonition-title": ("content", "body", "```{admonition} Take 5 capsules\n:class: record-note\n\nText.\n```", True),
    "amount-in-table-caption": ("content", "body", "```{table} Ten tablets a day\n| a | b |\n|---|---|\n| 1 | 2 |\n```", True),
    "amount-in-deflist": ("content", "body", "Amount\n: five capsules", True),
    "amount-in-description": ("content", "description", "Forum users take two hundred milligrams, the page says.", True),
    "buy-zero-width": ("content", "body", f"You can bu{ZW}y it online.", True),
    "buy-soft-hyphen": ("content", "body", f"You can pur{SHY}chase it.", True),
    "buy-cyrillic": ("content", "body", f"You can bu{CYR_U} it here.", True),
    "buy-in-link-text": ("content", "body", "[buy it here](01-overview.md)", True),
    "buy-in-ref-text": ("content", "body", "See {ref}`where to buy <limitations>`.", True),
    "vendor-in-title": ("content", "title", "Reputable vendors of Noopept", True),
    # -- the disclaimer: hidden, moved, doubled, imitated ---------------------
    "disclaimer-hidden-class": ("disclaimer", "disclaimer", "````{admonition} Note\n:class: hidden\n\n```{disclaimer}\n```\n````", True),
    "disclaimer-sr-only": ("disclaimer", "disclaimer", "````{admonition} Note\n:class: sr-only\n\n```{disclaimer}\n```\n````", True),
    "disclaimer-at-end": ("disclaimer", "disclaimer", "Some text first.\n\n" + LIMITATIONS.replace("Read", "Also read") + "\n\n" + DISCLAIMER, True),
    "disclaimer-after-paragraph": ("disclaimer", "disclaimer", "An introduction.\n\n" + DISCLAIMER, True),
    "disclaimer-twice": ("disclaimer", "disclaimer", DISCLAIMER + "\n\n" + DISCLAIMER, True),
    "disclaimer-in-only": ("disclaimer", "disclaimer", "```{only} latex\n" + DISCLAIMER + "\n```", True),
    "disclaimer-in-web-only": ("disclaimer", "disclaimer", "````{web-only}\n" + DISCLAIMER + "\n````", True),
    "disclaimer-imitated-admonition": ("disclaimer", "body", f"```{{admonition}} {FAKE_TITLE}\n:class: record-note\n\nDosing is fine.\n```", False),
    "disclaimer-imitated-class": ("disclaimer", "body", "```{admonition} Notice\n:class: disclaimer\n\nText.\n```", True),
    "disclaimer-imitated-warning": ("disclaimer", "body", "```{warning}\nThis replaces the disclaimer.\n```", True),
    # -- the Limitations link: blank, punctuation, hidden ---------------------
    "limitations-hangul-filler": ("limitations", "limitations", f"See {{ref}}`{HANGUL} <limitations>`.", True),
    "limitations-halfwidth-filler": ("limitations", "limitations", f"See {{ref}}`{HALF}{HALF} <limitations>`.", True),
    "limitations-braille-blank": ("limitations", "limitations", f"See {{ref}}`{BRAILLE} <limitations>`.", True),
    "limitations-word-joiner": ("limitations", "limitations", f"See {{ref}}`{WJ}{WJ} <limitations>`.", True),
    "limitations-punctuation": ("limitations", "limitations", "See {ref}`... <limitations>`.", True),
    "limitations-in-hidden-admonition": ("limitations", "limitations", "```{admonition} x\n:class: collapse\n\n{ref}`limitations`\n```", True),
    "limitations-in-only": ("limitations", "limitations", "```{only} latex\n{ref}`limitations`\n```", True),
    # -- structure and size ---------------------------------------------------
    "cite-31-keys": ("structure", "body", "{cite:p}`" + ",".join(["boiko2000"] * 31) + "`", True),
    "table-600-rows": ("structure", "body", TABLE, True),
    "page-600-kb": ("structure", "body", ("Plain words. " * 10 + "\n\n") * 4500, True),
    "title-hangul": ("structure", "title", HANGUL, True),
    "title-braille": ("structure", "title", BRAILLE * 3, True),
    "toctree-elsewhere": ("structure", "body", "```{toctree}\n01-overview\n```", True),
    "label-hijack-name": ("structure", "body", "```{admonition} Box\n:class: record-note\n:name: limitations\n\nText.\n```", True),
    "two-classes": ("structure", "body", "```{admonition} Box\n:class: record-note key-points\n\nText.\n```", True),
    "figure-width": ("structure", "body", "```{figure} _static/favicon.svg\n:alt: the icon\n:width: 1px\n```", True),
    "table-widths": ("structure", "body", "```{table} A table\n:widths: 1 99\n| a | b |\n|---|---|\n| 1 | 2 |\n```", True),
    "toctree-option-glob": ("structure", "body", "```{toctree}\n:glob:\n*\n```", True),
    "rubric": ("structure", "body", "```{rubric} A heading that is not one\n```", True),
    "topic": ("structure", "body", "```{topic} Aside\nText.\n```", True),
    "sidebar": ("structure", "body", "```{sidebar} Aside\nText.\n```", True),
    "contents": ("structure", "body", "```{contents}\n```", True),
    # -- links ----------------------------------------------------------------
    "link-zero-width-host": ("links", "body", f"[x](https://doi.org{ZW}.evil.example/)", True),
    "link-cyrillic-host": ("links", "body", f"[x](https://do{CYR_I}.org/10.1/x)", True),
    "link-in-footnote": ("links", "body", "A remark.[^u]\n\n[^u]: <https://evil.example/>", True),
    "image-target-option": ("links", "body", "```{image} _static/favicon.svg\n:alt: icon\n:target: https://doi.org/10.1/x\n```", True),
    "link-text-hidden-word": ("links", "body", f"[pub{ZW}med](https://doi.org/10.1/x)", True),
    # -- raw: anything that reaches the output unchecked ----------------------
    "raw-typst": ("raw", "body", "```{raw} typst\n#link(\"https://evil.example\")[x]\n```", True),
    "raw-colon-fence": ("raw", "body", ":::{raw} html\n<b>x</b>\n:::", True),
    "raw-nested-admonition": ("raw", "body", "````{admonition} Box\n:class: record-note\n\n```{raw} html\n<b>x</b>\n```\n````", True),
    "eval-rst-rst-class": ("raw", "body", "```{eval-rst}\n.. rst-class:: hidden\n\nText.\n```", True),
    "eval-rst-nested": ("raw", "body", "````{admonition} Box\n:class: key-points\n\n```{eval-rst}\nText.\n```\n````", True),
    "eval-rst-plain": ("raw", "body", "```{eval-rst}\nJust text.\n```", True),
    "tabularcolumns": ("raw", "body", "```{tabularcolumns} |p{1cm}|\n```", True),
    "math-role": ("raw", "body", "See {math}`x^2`.", True),
    "math-directive": ("raw", "body", "```{math}\nx^2\n```", True),
    "math-colon-fence": ("raw", "body", ":::{math}\nx^2\n:::", True),
    "math-nested": ("raw", "body", "````{admonition} Box\n:class: record-note\n\n```{math}\nx\n```\n````", True),
    "only-html": ("raw", "body", "```{only} html\nOnly on the website.\n```", True),
    "only-latex": ("raw", "body", "```{only} latex\nOnly in the PDF.\n```", True),
    "only-colon-fence": ("raw", "body", ":::{only} latex\nOnly in the PDF.\n:::", True),
    # -- markup: free classes, containers, unknown roles and directives -------
    "container": ("markup", "body", "```{container}\nText.\n```", True),
    "container-class": ("markup", "body", "```{container} claim\nA fake claim box.\n```", True),
    "container-colon": ("markup", "body", ":::{container} sr-only\nText.\n:::", True),
    "admonition-free-class": ("markup", "body", "```{admonition} Box\n:class: only-dark\n\nText.\n```", True),
    "note-class": ("markup", "body", "```{note}\n:class: dropdown\nText.\n```", True),
    "role-sub": ("markup", "body", "H{sub}`2`O.", True),
    "role-abbr": ("markup", "body", "{abbr}`mg (take 10 mg daily)`", True),
    "role-raw-html": ("markup", "body", "{raw-html}`<b>x</b>`", True),
    "role-download": ("markup", "body", "{download}`favicon <_static/favicon.svg>`", True),
    "role-class": ("markup", "body", "{class}`hidden`", True),
    "directive-index": ("markup", "body", "```{index} single: buy\n```", True),
    "directive-code-block": ("markup", "body", "```{code-block} text\n:caption: x\ncode\n```", True),
    "directive-list-table": ("markup", "body", "```{list-table}\n* - a\n  - b\n```", True),
    "web-only-elsewhere": ("markup", "body", "```{web-only}\nOnly on the website.\n```", True),
}  # fmt: skip
#: The second round's classes, each tried at least once.
ROUND_2 = {"content", "disclaimer", "limitations", "structure", "links", "raw",
           "markup", "files"}  # fmt: skip
# Files put beside the pages: (path under docs/, content). Only the build (and
# check's asset and manifest rules) can see them; only files of the kinds
# docs/content-manifest.txt lists may be there.
FILES: dict[str, tuple[str, str]] = {
    "svg-script": ("_static/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "svg-onload": ("_static/icon.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    "htm-page": ("_static/offer.htm", "<html><script>alert(1)</script></html>"),
    "shadow-furo": ("_static/scripts/furo.js", "alert(1)"),
    "template-refresh": ("_templates/layout.html", '{% extends "!layout.html" %}{% block extrahead %}<meta http-equiv="refresh" content="0;url=https://shop.example">{% endblock %}'),
    "locale-catalog": ("locales/en/LC_MESSAGES/index.po", 'msgid "Noopept: a research-context brief"\nmsgstr "Buy Noopept"\n'),
    "docutils-conf": ("docutils.conf", "[general]\nraw_enabled: true\n"),
    "python-file": ("helper.py", "print('hi')\n"),
    "rst-page": ("offer.rst", "Offer\n=====\n\nBuy it.\n"),
    "text-file": ("notes.txt", "notes\n"),
    "snippet": ("_snippets/extra.md", "Buy it.\n"),
    "svg-image": ("images/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    "nested-page": ("sub/page.md", "# Sub\n"),
    "hidden-page": (".hidden.md", "# Hidden\n"),
    "html-file": ("offer.html", "<p>Buy</p>\n"),
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


def _page(name: str, where: str, edit: str) -> str:
    parts = {
        "description": "A hostile edit, for the tests.",
        "front": "",
        "title": f"Hostile edit {name}",
        "disclaimer": DISCLAIMER,
        "limitations": LIMITATIONS,
        "edit": "",
    }
    parts["edit" if where == "body" else where] = edit + (
        "\n" if where == "front" else ""
    )
    return PAGE.format(**parts)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    """Every edit, file and bib entry in one copy of docs/, built once a run."""
    root, result = built_once(tmp_path_factory, "hostile", _build_hostile_site)
    return root / "docs", root / "html", result


def _build_hostile_site(root: Path) -> CompletedProcess[str]:
    pages = {
        f"hostile-{n}": _page(n, where, edit)
        for n, (_, where, edit, _) in EDITS.items()
    }
    docs = hostile_copy(root, pages, FILES.values(), unlisted={"hostile-orphan"})
    (docs / "hostile.bib").write_text(BIB, "utf-8")
    with (docs / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nbibtex_bibfiles = ['refs.bib', 'hostile.bib']\n")
    return sphinx_build("-b", "html", docs, root / "html")


@pytest.fixture(scope="module")
def checked(hostile_site) -> tuple[set[str], set[str]]:
    docs, html, _ = hostile_site
    return checked_names(docs, html)


def test_the_second_round_has_at_least_80_cases_in_every_class() -> None:
    # Issue 20's cases are each table's second part.
    edits = list(EDITS)[list(EDITS).index("amount-words") :]
    files = list(FILES)[list(FILES).index("locale-catalog") :]
    assert len(edits) + len(files) >= 80
    assert {EDITS[n][0] for n in edits} | {"files"} == ROUND_2


def test_the_build_fails_without_a_traceback(hostile_site) -> None:
    _, _, result = hostile_site
    assert result.returncode != 0
    assert_no_crash(result)


@pytest.mark.parametrize("name", EDITS, ids=list(EDITS))
def test_the_build_refuses_each_edit(hostile_site, name: str) -> None:
    docs, _, result = hostile_site
    where = f"{docs}/hostile-{name}.md:"
    found = [w for w in result.stderr.splitlines() if w.startswith(where)]
    assert found, f"nothing refused {name}"


@pytest.mark.parametrize("name", EDITS, ids=list(EDITS))
def test_check_refuses_each_edit_it_can_see(checked, name: str) -> None:
    source, built = checked
    # What only the output gate sees, check --built must name.
    named = source if EDITS[name][3] else built
    assert f"hostile-{name}.md" in named, f"check let {name} through"


@pytest.mark.parametrize("name", FILES, ids=list(FILES))
def test_files_beside_the_pages_are_refused(hostile_site, checked, name: str) -> None:
    docs, _, result = hostile_site
    path = FILES[name][0]
    assert f"{docs}/{path}:" in result.stderr, f"the build let {path} through"
    assert Path(path).name in checked[0], f"check let {path} through"


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
