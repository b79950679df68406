"""``python docs/_ext/brief [FILE ...]``: the command line (:mod:`brief.cli`).

Run from the repository's root, as pre-commit, CI and ``nox -s check`` do.
Where ``docs/_ext`` is already on the path, ``python -m brief`` works too.
"""

import sys
from pathlib import Path

# Nothing is written into docs/, not even a __pycache__ for this package.
sys.dont_write_bytecode = True
if not __package__:  # run as a folder: Python put this folder on the path
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from brief.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
