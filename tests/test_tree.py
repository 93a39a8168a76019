"""`kerastorch.tree` against `keras.tree` on a table of nested structures."""

import collections

import numpy as np
import pytest

from kerastorch import tree
from tests.oracle import keras_or_skip

Point = collections.namedtuple("Point", ["x", "y"])
OD = collections.OrderedDict

STRUCTURES = [
    1,
    None,
    [],
    [1, None, 2],
    (1,),
    [[1, 2, 3], [4, [5], [[6]]]],
    {"b": 1, "a": (2, 3), "c": {"B": 4, "z": 5}},
    {100: "world!", 6: "Hello"},
    OD(b=1, a=[2, 3]),
    collections.defaultdict(list, b=1, a=2),
    Point(x=1, y=(2, 3)),
    collections.deque([1, [2, 3]]),
    [{"a": [(1, 2)], "b": {}}, ((),), "leaf", np.float32(3.0)],
    {"shape": (None, 4), "other": [(2,), [3, None]], "none": None},
]
IDS = [f"s{i}" for i in range(len(STRUCTURES))]


def _same(ours, theirs):
    assert type(ours) is type(theirs)
    assert ours == theirs


@pytest.mark.parity
@pytest.mark.parametrize("structure", STRUCTURES, ids=IDS)
def test_tree_matches_keras_on_one_structure(structure):
    keras = keras_or_skip()
    kt = keras.tree
    assert tree.is_nested(structure) == kt.is_nested(structure)
    assert tree.flatten(structure) == kt.flatten(structure)
    assert tree.flatten_with_path(structure) == kt.flatten_with_path(structure)
    flat = list(range(len(kt.flatten(structure))))
    _same(tree.pack_sequence_as(structure, flat), kt.pack_sequence_as(structure, flat))

    def double(x):
        return None if x is None else str(x) * 2

    _same(tree.map_structure(double, structure), kt.map_structure(double, structure))
    _same(
        tree.map_structure(lambda a, b: (a, b), structure, structure),
        kt.map_structure(lambda a, b: (a, b), structure, structure),
    )
    _same(tree.lists_to_tuples(structure), kt.lists_to_tuples(structure))
    _same(tree.map_shape_structure(repr, structure), kt.map_shape_structure(repr, structure))
    for top_down in (True, False):
        ours, theirs = [], []
        _same(
            tree.traverse(lambda x, seen=ours: seen.append(repr(x)), structure, top_down),
            kt.traverse(lambda x, seen=theirs: seen.append(repr(x)), structure, top_down),
        )
        assert ours == theirs
    tree.assert_same_structure(structure, structure)
    tree.assert_same_paths(structure, structure)


PAIRS = [  # (a, b): structures compared by assert_same_structure / assert_same_paths
    ([1, 2], (1, 2)),
    ([1, [2]], [1, 2]),
    ({"a": 1, "b": 2}, {"a": 1, "c": 2}),
    ({"a": 1, "b": 2}, OD(b=3, a=4)),
    ([1, None], [1, 2]),
    ([1, 2], [1]),
    (Point(1, 2), (1, 2)),
    (1, [1]),
]


def _outcome(fn, *args):
    try:
        return fn(*args)
    except ValueError:
        return "ValueError"


@pytest.mark.parity
@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"p{i}" for i in range(len(PAIRS))])
def test_tree_structure_checks_match_keras(a, b):
    keras = keras_or_skip()
    for name in ("assert_same_structure", "assert_same_paths"):
        assert _outcome(getattr(tree, name), a, b) == _outcome(getattr(keras.tree, name), a, b)
    if _outcome(keras.tree.assert_same_structure, a, b) is None:
        _same(
            tree.map_structure(lambda x, y: (x, y), a, b),
            keras.tree.map_structure(lambda x, y: (x, y), a, b),
        )


UP_TO = [  # (shallow, func, structures)
    ([None, None], len, ([[1, 1], [2, 2, 2]],)),
    ((None, [None, None]), str, ([[1, 1], [2, 2]],)),
    ([None, None], str, (([1, 1], [2, 2]),)),
    ({"a": None}, str, ({"a": [1], "b": 2},)),
    ({"b": None, "a": [None]}, lambda x, y: (x, y), ({"a": [1], "b": (2,)}, {"b": 3, "a": [4]})),
]


@pytest.mark.parity
@pytest.mark.parametrize(("shallow", "func", "structures"), UP_TO, ids=[f"u{i}" for i in range(5)])
def test_tree_map_structure_up_to_matches_keras(shallow, func, structures):
    keras = keras_or_skip()
    ours = _outcome(tree.map_structure_up_to, shallow, func, *structures)
    theirs = _outcome(keras.tree.map_structure_up_to, shallow, func, *structures)
    assert ours == theirs


def test_tree_sorts_nested_dicts_too():
    # Keras documents sorted keys at every level (its optree backend does so); on torch it
    # sorts only the outermost dict. kerastorch follows the documented rule.
    structure = {"b": {"z": 1, "y": 2}, "a": 3}
    assert tree.flatten(structure) == [3, 2, 1]
    assert tree.flatten_with_path(structure)[1] == (("b", "y"), 2)
    assert tree.pack_sequence_as(structure, [30, 20, 10]) == {"b": {"z": 10, "y": 20}, "a": 30}


def test_tree_traverse_map_to_none_and_none_is_leaf():
    def replace(x):
        return tree.MAP_TO_NONE if isinstance(x, tuple) else None

    assert tree.traverse(replace, [(1, 2), [3]]) == [None, [3]]
    assert tree.traverse(lambda x: 0 if isinstance(x, tuple) else None, {"b": (4,), "a": 5}) == {
        "a": 5,
        "b": 0,
    }
    assert tree.map_structure(lambda a: a * 2, [1, None], none_is_leaf=False) == [2, None]
    with pytest.raises(ValueError, match="some arguments are None"):
        tree.map_structure(lambda a, b: a, [None], [1], none_is_leaf=False)
    with pytest.raises(TypeError, match="callable"):
        tree.traverse(3, [1])


def test_tree_errors_name_the_problem():
    with pytest.raises(ValueError, match="has 3 items but `structure` holds 2 leaves"):
        tree.pack_sequence_as([0, 0], [1, 2, 3])
    with pytest.raises(ValueError, match="Node type mismatch"):
        tree.assert_same_structure([1], (1,))
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure_up_to([None], len)
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)
