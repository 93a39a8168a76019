"""`kerastorch.common.tree`: the internal structure helpers, Keras's ordering rules."""

import collections

import pytest

from kerastorch.common import tree


def test_common_tree_flatten_and_pack_round_trip_every_container():
    point = collections.namedtuple("Point", ["x", "y"])
    structure = [
        {"b": 1, "a": (2, point(3, 4))},
        collections.OrderedDict(z=5, y=6),
        collections.deque([7]),
        None,
    ]
    flat = tree.flatten(structure)
    assert flat == [2, 3, 4, 1, 5, 6, 7, None]
    packed = tree.pack_sequence_as(structure, [x * 10 if x else x for x in flat])
    assert packed[0] == {"b": 10, "a": (20, point(30, 40))}
    assert list(packed[1].items()) == [("z", 50), ("y", 60)]
    assert packed[2] == collections.deque([70])
    assert packed[3] is None
    assert list(packed[0]) == ["b", "a"]  # the structure's own key order is kept


def test_common_tree_map_structure_several_structures_and_shapes():
    assert tree.map_structure(lambda a, b: a + b, {"a": 1, "b": [2]}, {"b": [3], "a": 4}) == {
        "a": 5,
        "b": [5],
    }
    with pytest.raises(ValueError, match="arity"):
        tree.map_structure(lambda a, b: a, [1, 2], [1])
    assert tree.map_shape_structure(len, {"x": (None, 3), "y": [(1,), []]}) == {
        "x": 2,
        "y": [1, 0],
    }
    assert tree.is_shape([])
    assert not tree.is_shape([[1]])
