"""The garbage collector during a build (src/noopept_brief/sphinxext/collector.py):
tuned while pages are read and written, and the program's own thresholds
back when the build ends, failed or not. The tests run builds in their own
process, so a threshold left behind would change every test after it.
"""

from __future__ import annotations

import gc

import pytest
from sphinx.errors import ExtensionError

from noopept_brief.sphinxext import collector


def test_the_thresholds_differ_from_the_default() -> None:
    # Tuning to the default thresholds would be no tuning at all.
    assert collector.THRESHOLDS[0] > 700
    assert collector.THRESHOLDS[1:] == (10, 10)


@pytest.mark.sphinx("html", testroot="claims-model")
def test_a_build_is_tuned_and_gives_the_thresholds_back_when_it_fails(app) -> None:
    seen = []

    def read(app, doctree) -> None:
        seen.append(gc.get_threshold())

    def fail(app, doctree, docname) -> None:
        raise RuntimeError("a build that fails after reading")

    app.connect("doctree-read", read)
    app.connect("doctree-resolved", fail)
    before = gc.get_threshold()
    assert before != collector.THRESHOLDS
    with pytest.raises(ExtensionError, match="fails after reading"):
        app.build()
    assert seen, "the build read no page"
    assert set(seen) == {collector.THRESHOLDS}, (
        "every page was read with tuned thresholds"
    )
    assert gc.get_threshold() == before, (
        "a failed build left its garbage-collector thresholds in the program; "
        "collector.restore must run on build-finished, failed builds included"
    )
