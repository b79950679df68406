"""No rule can hang on a run of one character (issue 20, "linear time").

Each page rule (through check_page, which bounds a page's size before any
other rule reads it), the bibliography rules, and the output gate's text
checks (the content and reader-text rules, the HTML and Typst checks) read
a 1 MB run of each character that markup gives a meaning to, and a run just
under the page limit. Each character runs in a subprocess with a generous
limit: a hang guard, not a speed assertion.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from noopept_brief.core.markdown.structure import MAX_PAGE_BYTES

CHARACTERS = ["<", "[", "`", "{", "*", "-", "|", ":", "(", "@", "\\", "&", "#"]
#: Far above what any run takes; only a hang (or worse than linear time on
#: this size) reaches it.
HANG = 300
PROBE = """
import sys
from noopept_brief.core.registry import check_page
from noopept_brief.core.markdown.content_rules import check_text
from noopept_brief.core.markdown.reader_text import check_reader_text
from noopept_brief.core.output.site import check_html
from noopept_brief.core.refs.bib import check_bib
from noopept_brief.sphinxext.gate import check_typst

char = sys.argv[1]
huge, under = char * 1_000_000, char * ({limit} - 1)
assert [str(v.rule) for v in check_page(huge)] == ["limits"]
check_page(under)
# In a directive's first line and options, which some rules read whole.
check_page("# T\\n\\n```{{note}} " + under[:90_000] + "\\n:class: " + under[:5000] + "\\n```\\n")
for text in (huge,):
    check_text(text, "x", 1)
    check_reader_text(text, "x", 1)
    check_bib(text, "x.bib")
    check_html(text, "x.html", "x.html", expected=None)
    check_typst(text, "x.typ")
print("done")
"""


@pytest.mark.build
@pytest.mark.parametrize("char", CHARACTERS)
def test_no_rule_hangs_on_a_run_of_one_character(char: str) -> None:
    probe = PROBE.format(limit=MAX_PAGE_BYTES)
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe, char],
            capture_output=True, text=True, encoding="utf-8", timeout=HANG,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"a run of {char!r} kept the rules busy past {HANG} s: a hang")
    assert result.returncode == 0 and "done" in result.stdout, result.stderr[-3000:]


def test_a_page_past_the_limit_is_refused_with_a_clear_message() -> None:
    from noopept_brief.core.registry import check_page

    problems = check_page("[" * (MAX_PAGE_BYTES + 1), "docs/big.md")
    assert [str(p) for p in problems] == [
        f"docs/big.md:1: [limits] the page is larger than {MAX_PAGE_BYTES} bytes. "
        "Split it into several pages."
    ]


def test_words_broken_by_hyphens_are_read_in_linear_time() -> None:
    """A megabyte of hyphen-broken amounts: each match is placed among the
    hyphens by bisection (a scan of every hyphen for every match hung here),
    and is reported once, not once as written and again as joined."""
    probe = (
        "from noopept_brief.core.markdown.content_rules import check_text\n"
        "print(len(check_text('1-mg ' * 200_000, 'x', 1)))"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True,
            encoding="utf-8", timeout=HANG, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"hyphen-broken words kept the content rules busy past {HANG} s")
    assert result.stdout.strip() == "200000", result.stderr[-3000:]
