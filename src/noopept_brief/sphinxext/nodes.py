"""The doctree nodes of the claims: a claim, and the placeholders of the lists
made from every page's claims (the evidence map, the unverified claims).

They live in the pickled doctrees between reading and writing. At write time
:class:`~.transforms.FillClaims` turns a claim into a plain container with its
badge, and each placeholder into its list, so no writer needs to know them.
"""

from __future__ import annotations

from docutils import nodes


class claim_node(nodes.container):  # lower case, as docutils names nodes
    """One ``{claim}``: its body, and its fields in ``node["claim"]``."""


class evidence_map_node(nodes.General, nodes.Element):
    """Where ``{evidence-map}`` stands: filled from every page's claims."""


class unverified_claims_node(nodes.General, nodes.Element):
    """Where ``{unverified-claims}`` stands: every claim not confirmed."""


class what_changed_node(nodes.General, nodes.Element):
    """Where ``{what-changed}`` stands: claims.json against each release."""
