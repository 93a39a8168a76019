"""`keras.tree`: Keras's utilities for nested structures of lists, tuples, dicts and leaves.

Dicts are visited in sorted key order (`OrderedDict`s in insertion order), `None` is a leaf,
namedtuples and deques are structures. Built on `kerastorch.common.tree`.

Example:
    >>> from kerastorch import tree
    >>> tree.flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    >>> tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])
    [2, 3]
"""

from __future__ import annotations

import collections
import warnings
from collections.abc import Callable
from typing import Any

from kerastorch.common.tree import (
    assert_same_structure as _assert_same_structure,
)
from kerastorch.common.tree import (
    children,
    flatten,
    is_nested,
    is_shape,
    map_structure,
    rebuild,
)
from kerastorch.common.tree import pack_sequence_as as _pack_sequence_as


class MAP_TO_NONE:
    """Returned by a `traverse` function to replace a sub-tree by `None`."""


def flatten_with_path(structure: Any) -> list[tuple[tuple, Any]]:
    """`(path, leaf)` pairs; a path is the tuple of indices and dict keys leading to the leaf.

    Example:
        >>> flatten_with_path({"b": (1, 2), "a": 3})
        [(('a',), 3), (('b', 0), 1), (('b', 1), 2)]
    """
    if not is_nested(structure):
        return [((), structure)]
    return [
        ((key, *path), leaf)
        for key, child in children(structure)
        for path, leaf in flatten_with_path(child)
    ]


def assert_same_structure(a: Any, b: Any, check_types: bool | None = None) -> None:
    """Raise `ValueError` unless `a` and `b` have the same nested structure.

    Container types must match (`list` and `tuple` differ; two namedtuple classes differ),
    except that any dicts match each other by key. `check_types` is deprecated, as in Keras.

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
        >>> assert_same_structure([0, 1], (2, 3))
        Traceback (most recent call last):
        ...
        ValueError: Node type mismatch; expected <class 'list'>, but got <class 'tuple'>.
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect, please "
            "remove. For a looser check, use `keras.tree.assert_same_paths()`.",
            DeprecationWarning,
            stacklevel=2,
        )
    _assert_same_structure(a, b)


def assert_same_paths(a: Any, b: Any) -> None:
    """Raise `ValueError` unless `a` and `b` have the same leaf paths (container types are
    ignored: `[0, 1]` and `(2, 3)` match).

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def pack_sequence_as(structure: Any, flat_sequence: Any) -> Any:
    """`flat_sequence`'s items arranged as `structure` (the inverse of `flatten`).

    Example:
        >>> pack_sequence_as((("a", "b"), "c"), [1, 2, 3])
        ((1, 2), 3)
    """
    flat_sequence = list(flat_sequence)
    count = len(flatten(structure))
    if len(flat_sequence) != count:
        raise ValueError(
            f"pack_sequence_as: `flat_sequence` has {len(flat_sequence)} items but "
            f"`structure` holds {count} leaves. Received: structure={structure!r}"
        )
    return _pack_sequence_as(structure, flat_sequence)


def map_structure_up_to(shallow_structure: Any, func: Callable[..., Any], *structures: Any) -> Any:
    """Apply `func` to the sub-trees of `structures` found at the leaves of
    `shallow_structure`; the result has `shallow_structure`'s layout.

    Example:
        >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
        ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise ValueError("Must provide at least one structure")
    if not is_nested(shallow_structure):
        return func(*structures)
    for s in structures:
        _assert_same_node(shallow_structure, s)
    if isinstance(shallow_structure, dict):
        return rebuild(shallow_structure, {
            key: map_structure_up_to(child, func, *(s[key] for s in structures))
            for key, child in shallow_structure.items()
        })  # fmt: skip
    return rebuild(shallow_structure, [
        map_structure_up_to(child, func, *items)
        for child, *items in zip(shallow_structure, *structures, strict=True)
    ])  # fmt: skip


def _assert_same_node(a: Any, b: Any) -> None:
    """Check one level: the same container type (dicts alike), keys or length."""
    if not is_nested(b):
        raise ValueError(
            f"Structures don't have the same nested structure: {b!r} is shallower than {a!r}."
        )
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            raise ValueError(
                f"Node keys mismatch; missing key(s): {set(a) - set(b)}; extra key(s): "
                f"{set(b) - set(a)}."
            )
        return
    if type(a) is not type(b):
        raise ValueError(f"Node type mismatch; expected {type(a)}, but got {type(b)}.")
    if len(a) != len(b):
        raise ValueError(f"Node arity mismatch; expected {len(a)}, but got {len(b)}.")


def _sorted_dicts(structure: Any) -> Any:
    """`structure` with every dict re-made in visiting order (sorted keys; `OrderedDict`s
    keep theirs), as Keras's `traverse` and `map_shape_structure` return them."""
    if not is_nested(structure):
        return structure
    pairs = [(key, _sorted_dicts(child)) for key, child in children(structure)]
    if isinstance(structure, collections.defaultdict):
        return collections.defaultdict(structure.default_factory, pairs)
    if isinstance(structure, dict):
        return type(structure)(pairs)
    return rebuild(structure, [child for _, child in pairs])


def traverse(func: Callable[[Any], Any], structure: Any, top_down: bool = True) -> Any:
    """Apply `func` to each sub-tree (structures and leaves) of `structure`.

    Top-down, a non-`None` result replaces the sub-tree and is not traversed further;
    bottom-up, children are traversed first and a non-`None` result replaces the sub-tree.
    Return `MAP_TO_NONE` to replace a sub-tree by `None`.

    Example:
        >>> v = []
        >>> traverse(v.append, [(1, 2), [3], {"a": 4}], top_down=True)
        [(1, 2), [3], {'a': 4}]
        >>> v
        [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    """
    if not callable(func):
        raise TypeError(f"traverse: `func` must be callable. Received: func={func!r}")
    return _traverse(func, _sorted_dicts(structure), top_down)


def _traverse(func: Callable[[Any], Any], structure: Any, top_down: bool) -> Any:
    def traverse_children() -> Any:
        if not is_nested(structure):
            return structure
        values = {key: _traverse(func, child, top_down) for key, child in children(structure)}
        if isinstance(structure, dict):
            return rebuild(structure, values)
        return rebuild(structure, list(values.values()))

    if top_down:
        result = func(structure)
        if result is None:
            return traverse_children()
    else:
        structure = traverse_children()
        result = func(structure)
        if result is None:
            return structure
    return None if result is MAP_TO_NONE else result


def lists_to_tuples(structure: Any) -> Any:
    """The same structure with every list turned into a tuple.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure, False)


def map_shape_structure(func: Callable[[Any], Any], structure: Any) -> Any:
    """Apply `func` to each shape (a list or tuple of ints and `None`s) in `structure`; the
    shapes are passed as they are, and `None` leaves are passed too.

    Example:
        >>> map_shape_structure(len, {"b": (1, None), "a": [(2,), [3, 4]]})
        {'a': [1, 2], 'b': 2}
    """
    if is_shape(structure) or not is_nested(structure):
        return func(structure)
    structure = _sorted_dicts(structure)
    values = {key: map_shape_structure(func, child) for key, child in children(structure)}
    if isinstance(structure, dict):
        return rebuild(structure, values)
    return rebuild(structure, list(values.values()))


__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]
