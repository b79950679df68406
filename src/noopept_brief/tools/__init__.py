"""The tools: the ``noopept-brief`` command line (``cli``), the page scaffold
(``scaffold``), ``changes`` (what changed in the claims), ``record_lookup``
(the record files against PubMed and Crossref), ``group`` (builds in their
own process group) and the system prerequisite (``prerequisites``: Chromium,
for the browser tests)."""
