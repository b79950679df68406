"""No rule can hang on a run of one character (issue 20, "linear time").

Each page rule (through check_page, which bounds a page's size before any
other rule reads it), the bibliography rules, and the output gate's text
checks (the content and reader-text rules, the HTML and Typst checks) read
a 1 MB run of each character that markup gives a meaning to, and a run just
under the page limit. The runs are read in a process of their own, with a
generous limit for each: a hang guard, not a speed assertion. That process
imports the rules once and reads one run after another; after a hang it is
stopped, and the next run gets a new one.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from noopept_brief.core.markdown.structure import MAX_PAGE_BYTES

CHARACTERS = ["<", "[", "`", "{", "*", "-", "|", ":", "(", "@", "\\", "&", "#"]
#: Far above what any run takes; only a hang (or worse than linear time on
#: this size) reaches it.
HANG = 300
#: Reads requests, one JSON line each ([probe, argument]), and answers each
#: with one JSON line: what the probe returned, or the error it raised.
SERVER = """
import json, sys, traceback
from noopept_brief.core.registry import check_page
from noopept_brief.core.markdown.content_rules import check_text
from noopept_brief.core.markdown.reader_text import check_reader_text
from noopept_brief.core.markdown.structure import MAX_PAGE_BYTES
from noopept_brief.core.output.site import check_html
from noopept_brief.core.refs.bib import check_bib
from noopept_brief.sphinxext.gate import check_typst

def run(char):
    huge, under = char * 1_000_000, char * (MAX_PAGE_BYTES - 1)
    assert [str(v.rule) for v in check_page(huge)] == ["limits"]
    check_page(under)
    # In a directive's first line and options, which some rules read whole.
    check_page("# T\\n\\n```{note} " + under[:90_000] + "\\n:class: " + under[:5000] + "\\n```\\n")
    check_text(huge, "x", 1)
    check_reader_text(huge, "x", 1)
    check_bib(huge, "x.bib")
    check_html(huge, "x.html", "x.html", expected=None)
    check_typst(huge, "x.typ")
    return "done"

def hyphens(_):
    return len(check_text("1-mg " * 200_000, "x", 1))

for line in sys.stdin:
    name, argument = json.loads(line)
    try:
        answer = {"result": globals()[name](argument)}
    except BaseException:
        answer = {"error": traceback.format_exc()[-3000:]}
    print(json.dumps(answer), flush=True)
"""


class Prober:
    """The probe process, started on first use and again after a hang."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.answers: queue.Queue[str] = queue.Queue()

    def ask(self, probe: str, argument: str = "") -> dict[str, object] | None:
        """What ``probe`` answered, or None if it was still busy after HANG s."""
        if self.process is None:
            self._start()
        assert self.process and self.process.stdin
        self.process.stdin.write(json.dumps([probe, argument]) + "\n")
        self.process.stdin.flush()
        try:
            answer = self.answers.get(timeout=HANG)
        except queue.Empty:
            self.stop()
            return None
        if not answer:  # it ended (a crash): the next probe gets a new one
            self.stop()
            return {"error": "the probe process ended without an answer"}
        return json.loads(answer)

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        self.answers = answers = queue.Queue()
        stdout = self.process.stdout

        def read() -> None:  # a thread, so that a hang can be waited on
            for line in stdout:
                answers.put(line)
            answers.put("")  # the process ended

        threading.Thread(target=read, daemon=True).start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def prober() -> Iterator[Prober]:
    prober = Prober()
    yield prober
    prober.stop()


@pytest.mark.build
@pytest.mark.parametrize("char", CHARACTERS)
def test_no_rule_hangs_on_a_run_of_one_character(prober: Prober, char: str) -> None:
    answer = prober.ask("run", char)
    if answer is None:
        pytest.fail(f"a run of {char!r} kept the rules busy past {HANG} s: a hang")
    assert answer == {"result": "done"}, answer.get("error")


def test_a_page_past_the_limit_is_refused_with_a_clear_message() -> None:
    from noopept_brief.core.registry import check_page

    problems = check_page("[" * (MAX_PAGE_BYTES + 1), "docs/big.md")
    assert [str(p) for p in problems] == [
        f"docs/big.md:1: [limits] the page is larger than {MAX_PAGE_BYTES} bytes. "
        "Split it into several pages."
    ]


def test_words_broken_by_hyphens_are_read_in_linear_time(prober: Prober) -> None:
    """A megabyte of hyphen-broken amounts: each match is placed among the
    hyphens by bisection (a scan of every hyphen for every match hung here),
    and is reported once, not once as written and again as joined."""
    answer = prober.ask("hyphens")
    if answer is None:
        pytest.fail(f"hyphen-broken words kept the content rules busy past {HANG} s")
    assert answer == {"result": 200_000}, answer.get("error")
