"""The Markdown sources: how a page is read, and the rules a page is held to.

``parse`` (the one cached MyST parse, typed items, the lists of source files),
``frontmatter``, ``shapes`` (the project's directives' arguments and options),
``policy`` (the page rules and the disclaimer), ``safety`` (raw HTML, file
insertion, links, images), ``allowlist`` (the allowed domains,
``allowed-domains.txt``), ``structure``, ``fences``, ``content_rules`` and
``negatives`` (wording the records disprove).
"""
