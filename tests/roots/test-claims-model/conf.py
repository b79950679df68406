# A one-page brief for tests/test_claims_model.py: a claim with a status the
# test adds to the model, and the evidence map and claims.json it flows to.
project = "Model"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "noopept_brief"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
exclude_patterns = ["_build"]
