"""Claims: the claim model, the ``{claim}`` markup and its rules, claim ids,
and claims.json with what changed between releases.

``model`` (:class:`~.model.Claim`, :class:`~.model.Status`,
:class:`~.model.Evidence`), ``markup`` (claims read from a page, and their
rules), ``ids`` (stable ids, retired ids, legacy anchors) and ``export``
(claims.json and its comparison).
"""
