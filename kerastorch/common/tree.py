"""Nested structures (lists, tuples, namedtuples, deques, dicts) of leaves, as Keras's `tree`.

Dicts are visited in sorted key order, except `OrderedDict`s, visited in insertion order;
`None` is a leaf. `kerastorch.tree` (Keras's public `keras.tree`) is built on these.

Example:
    >>> from kerastorch.common import tree
    >>> tree.flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> tree.pack_sequence_as({"b": [0, 0], "a": 0}, [30, 10, 20])
    {'b': [10, 20], 'a': 30}
    >>> tree.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

_SEQUENCES = (list, tuple, collections.deque)


def is_nested(x: Any) -> bool:
    """Whether `x` is a list, tuple (namedtuple), deque or dict: a structure, not a leaf."""
    return isinstance(x, (list, tuple, dict, collections.deque))


def dict_keys(d: dict) -> list[Any]:
    """The keys of `d` in visiting order: sorted, or insertion order for an `OrderedDict`."""
    return list(d) if isinstance(d, collections.OrderedDict) else sorted(d)


def children(x: Any) -> list[tuple[Any, Any]]:
    """`(key or index, child)` pairs of a nested `x`, in visiting order."""
    if isinstance(x, dict):
        return [(key, x[key]) for key in dict_keys(x)]
    return list(enumerate(x))


def rebuild(like: Any, values: dict[Any, Any] | list[Any]) -> Any:
    """A container of `like`'s type holding `values` (by key for dicts, which keep `like`'s
    key order; in order for sequences)."""
    if isinstance(like, dict):
        items = [(key, values[key]) for key in like]
        if isinstance(like, collections.defaultdict):
            return collections.defaultdict(like.default_factory, items)
        return type(like)(items) if type(like) is not dict else dict(items)
    if isinstance(like, tuple) and hasattr(like, "_fields"):
        return type(like)(*values)
    if isinstance(like, collections.deque):
        return collections.deque(values, maxlen=like.maxlen)
    return type(like)(values)


def flatten(structure: Any) -> list[Any]:
    """Leaves of `structure` in order; dicts are visited by sorted key, as in Keras."""
    kind = type(structure)
    if kind is list or kind is tuple:
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in dict_keys(structure) for leaf in flatten(structure[key])]
    if is_nested(structure):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure: Any, flat: list[Any]) -> Any:
    """Inverse of `flatten`: rebuild `structure`'s shape with the leaves of `flat`."""
    it = iter(flat)

    def pack(s: Any) -> Any:
        if not is_nested(s):
            return next(it)
        if isinstance(s, dict):
            return rebuild(s, {key: pack(child) for key, child in children(s)})
        return rebuild(s, [pack(item) for item in s])

    return pack(structure)


def assert_same_structure(a: Any, b: Any) -> None:
    """Raise `ValueError` unless `a` and `b` nest alike: same container types (any dicts
    match each other, by key), same lengths, leaves at the same places."""
    if not is_nested(a) and not is_nested(b):
        return
    if not is_nested(a) or not is_nested(b):
        raise ValueError(
            f"Structures don't have the same nested structure: {a!r} does not match {b!r}."
        )
    both_dicts = isinstance(a, dict) and isinstance(b, dict)
    if not both_dicts and type(a) is not type(b):
        raise ValueError(f"Node type mismatch; expected {type(a)}, but got {type(b)}.")
    if both_dicts:
        if set(a) != set(b):
            raise ValueError(
                f"Node keys mismatch; missing key(s): {set(a) - set(b)}; extra key(s): "
                f"{set(b) - set(a)}."
            )
        for key in a:
            assert_same_structure(a[key], b[key])
        return
    if len(a) != len(b):
        raise ValueError(f"Node arity mismatch; expected {len(a)}, but got {len(b)}.")
    for x, y in zip(a, b, strict=True):
        assert_same_structure(x, y)


def map_structure(
    fn: Callable[..., Any], structure: Any, *structures: Any, none_is_leaf: bool = True
) -> Any:
    """Apply `fn` to every leaf (to the matching leaves of several structures), keeping the
    first structure's layout. `none_is_leaf=False` keeps `None` leaves without calling `fn`.
    """
    if not structures:
        if none_is_leaf and type(structure) is list:  # the common case, kept fast
            return [map_structure(fn, item) for item in structure]
        return _map(fn, (structure,), none_is_leaf)
    for other in structures:
        assert_same_structure(structure, other)
    return _map(fn, (structure, *structures), none_is_leaf)


def _map(fn: Callable[..., Any], structures: tuple, none_is_leaf: bool) -> Any:
    first = structures[0]
    if not is_nested(first):
        if first is None and not none_is_leaf:
            if any(s is not None for s in structures):
                raise ValueError(
                    "Structure mismatch: some arguments are None, others are not. Received "
                    f"arguments: {structures}."
                )
            return None
        return fn(*structures)
    if isinstance(first, dict):
        return rebuild(
            first, {key: _map(fn, tuple(s[key] for s in structures), none_is_leaf) for key in first}
        )
    return rebuild(
        first, [_map(fn, items, none_is_leaf) for items in zip(*structures, strict=True)]
    )


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
