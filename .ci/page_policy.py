#!/usr/bin/env python3
"""pre-commit's page-policy hook: ``noopept-brief check`` from this checkout.

pre-commit installs the hook's pinned packages (.pre-commit-config.yaml,
``additional_dependencies``) into an environment of its own, but it cannot
install the project itself from a local hook. This puts the checkout's
``src/`` first on the import path and runs the command, so a fresh clone needs
only ``pre-commit install``: no ``pip install -e .`` by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from noopept_brief.tools.cli import main

if __name__ == "__main__":
    sys.exit(main(["check", *sys.argv[1:]]))
