"""The `kerastorch` command (also `python -m kerastorch`).

    kerastorch run SCRIPT.py [args...]     run a tf.keras / Keras script unchanged
    kerastorch run NOTEBOOK.ipynb          run a notebook's code cells in order

Example:
    >>> main(["--help"])  # doctest: +ELLIPSIS
    usage: kerastorch run FILE [args...]
    ...
    0
"""

from __future__ import annotations

import os
import sys

from kerastorch import runner

USAGE = """usage: kerastorch run FILE [args...]

Run a Python script or a Jupyter notebook (.ipynb) with kerastorch standing in for `keras`,
`tensorflow.keras`, `tf_keras` and `tensorflow`, for this run only. The script's arguments
follow the file name."""


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] != "run" or len(argv) < 2:
        print(USAGE, file=sys.stderr)
        print(f"\nkerastorch: unknown command {' '.join(argv)!r}", file=sys.stderr)
        return 2
    path, args = argv[1], argv[2:]
    if not os.path.isfile(path):
        print(f"kerastorch run: no such file: {path}", file=sys.stderr)
        return 2
    if path.endswith(".ipynb"):
        return runner.run_notebook(path, args)
    return runner.run_script(path, args)


__all__ = ["main"]
