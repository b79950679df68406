"""The shapes of the project's own directives: their arguments, options and body.

MyST reads a directive by its class's attributes (how many arguments, which
options, whether it has a body). Each of the project's directives takes them
from a shape here (``ClaimDirective(ClaimShape, SphinxDirective)``), and the
core reads pages with the same shapes (:func:`shape_of`), so ``check`` and
the build read every option alike, and refuse the same ones. Directives the
project does not define are read with every option taken as text.
"""

from __future__ import annotations

from typing import ClassVar

from .._upstream import AnyShape, DirectiveShape, text
from ..claim.model import claim_options


class ClaimShape(DirectiveShape):
    """```{claim} short text```, its options the claim fields it reads."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = dict.fromkeys(claim_options(), text)


class DisclaimerShape(DirectiveShape):
    """```{disclaimer}```: no argument, no option, no body."""

    option_spec: ClassVar = {}


class WebOnlyShape(DirectiveShape):
    """```{web-only}```: a body of Markdown that only the website shows."""

    has_content = True
    option_spec: ClassVar = {}


#: The directive that inserts the disclaimer snippet. Defined here, below the
#: page reading (``parse`` reads pages by these shapes), so that
#: :mod:`.disclaimer`, which reads pages, can name it without an import circle;
#: everything else about the disclaimer is there.
DISCLAIMER_DIRECTIVE_NAME = "disclaimer"
#: Directives that take nothing: lists filled at write time.
PLACEHOLDERS = ("evidence-map", "unverified-claims", "claims-data", "what-changed")
#: The project's own directives, by name.
SHAPES: dict[str, type[DirectiveShape]] = {
    "claim": ClaimShape,
    DISCLAIMER_DIRECTIVE_NAME: DisclaimerShape,
    "web-only": WebOnlyShape,
    **dict.fromkeys(PLACEHOLDERS, DirectiveShape),
}


def shape_of(name: str) -> type[DirectiveShape]:
    """The shape a directive is read by."""
    return SHAPES.get(name, AnyShape)
