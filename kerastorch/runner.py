"""`kerastorch run`: a tf.keras script or notebook, unchanged, with kerastorch standing in.

`run_script` runs a Python file as `__main__` with the import aliases of `standin`
installed for that run only and `sys.argv` as the script expects; an uncaught exception
prints the script's traceback without the runner's and kerastorch's frames (where any of
the script's own remain) and gives exit code 1, `sys.exit(n)` gives `n`.

`run_notebook` executes an `.ipynb` file's code cells in order in one namespace. IPython
lines (`%matplotlib inline`, `!pip install ...`, `%%time` cells) are skipped with a
one-line note each; the value of a cell's last expression is printed, as Jupyter shows it.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "s.py")
    >>> with open(path, "w") as f:
    ...     _ = f.write("import tensorflow as tf\\nprint(tf.keras.__name__)\\n")
    >>> run_script(path, [])
    kerastorch
    0
"""

from __future__ import annotations

import ast
import json
import os
import runpy
import sys
import traceback
from typing import Any

from kerastorch import standin

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_internal(filename: str) -> bool:
    if filename.startswith("<frozen runpy"):
        return True
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR + os.sep) or os.path.basename(path) == "runpy.py"


def print_trimmed_traceback(error: BaseException) -> None:
    """Print `error`'s traceback without the frames of the runner, runpy and kerastorch,
    unless no frame of the user's code would remain."""
    frames = traceback.extract_tb(error.__traceback__)
    kept = [f for f in frames if not _is_internal(f.filename)]
    summary = traceback.StackSummary.from_list(kept or frames[-1:])
    sys.stderr.write("Traceback (most recent call last):\n")
    sys.stderr.write("".join(summary.format()))
    sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))


def _exit_code(error: SystemExit) -> int:
    if error.code is None:
        return 0
    if isinstance(error.code, int):
        return error.code
    sys.stderr.write(f"{error.code}\n")
    return 1


def run_script(path: str, args: list[str]) -> int:
    """Run the script at `path` with `args` as its arguments; returns the exit code."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    standin.install()
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as error:
        return _exit_code(error)
    except BaseException as error:  # the script's own error, reported as Python would
        print_trimmed_traceback(error)
        return 1
    finally:
        standin.uninstall()
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


def notebook_cells(path: str) -> list[str]:
    """The source of each code cell of the notebook at `path`."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append("".join(source) if isinstance(source, list) else source)
    return cells


def strip_ipython(source: str) -> tuple[str, list[str]]:
    """The cell without IPython magics and shell lines, and the lines removed."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return "", [lines[0].strip() + " (whole cell)"]
    kept, skipped = [], []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or _is_shell_assignment(stripped):
            skipped.append(stripped)
            kept.append("")  # keep line numbers for tracebacks
        else:
            kept.append(line)
    return "\n".join(kept), skipped


def _is_shell_assignment(line: str) -> bool:
    """`files = !ls` or `x = %time f()`."""
    name, sep, rest = line.partition("=")
    return bool(sep) and name.strip().isidentifier() and rest.lstrip().startswith(("!", "%"))


def run_cell(source: str, namespace: dict[str, Any], filename: str) -> None:
    """Execute one cell; print the value of its last expression (if not None)."""
    tree = ast.parse(source, filename=filename)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body = tree.body[:-1]
    exec(compile(tree, filename, "exec"), namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        if value is not None:
            print(repr(value))


def run_notebook(path: str, args: list[str]) -> int:
    """Run the notebook at `path` cell by cell; returns the exit code."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    standin.install()
    try:
        for number, cell in enumerate(notebook_cells(path), start=1):
            source, skipped = strip_ipython(cell)
            for line in skipped:
                print(f"[kerastorch run] cell {number}: skipped IPython line: {line}")
            if source.strip():
                run_cell(source, namespace, f"<cell {number}>")
    except SystemExit as error:
        return _exit_code(error)
    except BaseException as error:
        print_trimmed_traceback(error)
        return 1
    finally:
        standin.uninstall()
        sys.argv, sys.path[:] = saved_argv, saved_path
    return 0


__all__ = ["notebook_cells", "run_cell", "run_notebook", "run_script", "strip_ipython"]
