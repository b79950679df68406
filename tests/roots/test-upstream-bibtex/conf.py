# A one-page project for tests/test_upstream.py: sphinxcontrib-bibtex's domain data.
extensions = ["sphinxcontrib.bibtex"]
bibtex_bibfiles = ["refs.bib"]
