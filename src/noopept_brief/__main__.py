"""``python -m noopept_brief``: the same as the ``noopept-brief`` command."""

import sys

from .tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
