"""Shapes as error messages and `summary()` print them.

Example:
    >>> format_shape((None, 3)), format_shape((4,)), format_shape((4,), trailing_comma=False)
    ('(None, 3)', '(4,)', '(4)')
"""

from __future__ import annotations

from typing import Any


def format_shape(shape: Any, trailing_comma: bool = True) -> str:
    """`(None, 3)`; a 1-tuple reads `(4,)` as Python writes it, or `(4)` as Keras's summary."""
    comma = "," if trailing_comma and len(shape) == 1 else ""
    return "(" + ", ".join(str(d) for d in shape) + comma + ")"
