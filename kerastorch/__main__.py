"""`python -m kerastorch run FILE [args...]`: the `kerastorch` command."""

import sys

from kerastorch.cli import main

if __name__ == "__main__":
    sys.exit(main())
