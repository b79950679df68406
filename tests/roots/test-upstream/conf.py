# A one-page project for tests/test_upstream.py: sphinx-sitemap's queue.
extensions = ["sphinx_sitemap"]
html_baseurl = "https://example.org/"
