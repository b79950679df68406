"""The tools: the ``noopept-brief`` command line, the page scaffold, and the
system prerequisites (TeX for the PDF, Chromium for the browser tests)."""
