"""How a build runs: sphinx-build's flags and date, git, hosting, the
handout's edition block, and process groups.

``flags`` (:data:`~.flags.SPHINX_FLAGS`, the PDF's name, the build's date),
``git``, ``hosting`` (the base URL, the repository links), ``handout`` (the
edition block, the version) and ``processes`` (process groups, stopped as a
whole).
"""
