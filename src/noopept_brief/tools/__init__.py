"""The tools: the ``noopept-brief`` command line, the page scaffold, and the
system prerequisite (Chromium, for the browser tests)."""
