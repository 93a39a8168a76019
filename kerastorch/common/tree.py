"""Nested structures (lists, tuples, dicts) of leaves, as Keras's `tree` module handles them.

Example:
    >>> from kerastorch.common import tree
    >>> tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> tree.pack_sequence_as({"b": [0, 0], "a": 0}, [30, 10, 20])
    {'b': [10, 20], 'a': 30}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_nested(x: Any) -> bool:
    """Whether `x` is a list, tuple or dict (a structure rather than a leaf)."""
    return isinstance(x, (list, tuple, dict))


def flatten(structure: Any) -> list[Any]:
    """Leaves of `structure` in order; dicts are visited by sorted key, as in Keras."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure: Any, flat: list[Any]) -> Any:
    """Inverse of `flatten`: rebuild `structure`'s shape with the leaves of `flat`."""
    it = iter(flat)

    def rebuild(s: Any) -> Any:
        if isinstance(s, dict):
            values = {key: rebuild(s[key]) for key in sorted(s)}
            return {key: values[key] for key in s}
        if isinstance(s, (list, tuple)):
            items = [rebuild(item) for item in s]
            if isinstance(s, tuple) and hasattr(s, "_fields"):
                return type(s)(*items)
            return type(s)(items)
        return next(it)

    return rebuild(structure)


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Apply `fn` to every leaf, keeping the structure."""
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


def is_shape(x: Any) -> bool:
    """Whether `x` is one shape: a tuple or list of ints and `None`s (possibly empty)."""
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x)


def map_shape_structure(fn: Callable[[tuple], Any], structure: Any) -> Any:
    """Apply `fn` to every shape in a structure of shapes (shapes are leaves, not lists)."""
    if is_shape(structure):
        return fn(tuple(structure))
    if isinstance(structure, dict):
        return {key: map_shape_structure(fn, value) for key, value in structure.items()}
    return type(structure)(map_shape_structure(fn, s) for s in structure)
