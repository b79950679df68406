"""The ``{pdf-download}`` role: a link to the handout beside the site."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from ..core.build.flags import PDF_NAME


def pdf_download_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{pdf-download}`text```: a link to the handout beside the site.

    A role rather than a Markdown link: the PDF is not a source file, so MyST
    could not resolve a link to it, and raw HTML is refused in pages.
    """
    link = nodes.reference(rawtext, text, refuri=PDF_NAME, classes=["pdf-download"])
    link["type"] = "application/pdf"
    return [link], []
