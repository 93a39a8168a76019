"""`split_dataset` and the `(x, y, sample_weight)` packing helpers, against Keras."""

import numpy as np
import pytest
import torch
from torch.utils.data import Subset, TensorDataset

import kerastorch
from kerastorch.utils import pack_x_y_sample_weight, split_dataset, unpack_x_y_sample_weight
from tests.oracle import keras_or_skip


def _rows(subset):
    return np.stack([np.asarray(sample[0]) for sample in subset])


SPLITS = [
    ("array_left_fraction", lambda: np.arange(20.0).reshape(10, 2), {"left_size": 0.8}),
    ("tuple_right_int", lambda: (np.arange(9.0), np.arange(9)), {"right_size": 4}),
    ("list_both", lambda: [np.arange(8.0), np.ones(8)], {"left_size": 5, "right_size": 3}),
    ("torch_dataset", lambda: TensorDataset(torch.arange(7.0)), {"left_size": 0.5}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("name", "make", "kwargs"), SPLITS, ids=[c[0] for c in SPLITS])
def test_seeded_split_matches_keras(name, make, kwargs):
    keras = keras_or_skip()
    ours = split_dataset(make(), shuffle=True, seed=3, **kwargs)
    theirs = keras.utils.split_dataset(make(), shuffle=True, seed=3, **kwargs)
    for mine, keras_part in zip(ours, theirs, strict=True):
        assert isinstance(mine, Subset)
        assert len(mine) == len(keras_part)
        np.testing.assert_array_equal(_rows(mine), _rows(keras_part))


def test_unshuffled_split_keeps_order_and_drops_the_middle():
    left, right = split_dataset(np.arange(10), left_size=3, right_size=0.2)
    assert [int(s[0]) for s in left] == [0, 1, 2]
    assert [int(s[0]) for s in right] == [8, 9]


def test_split_is_reproducible_and_disjoint():
    data = (np.arange(12.0), np.arange(12))
    a_left, a_right = split_dataset(data, left_size=0.75, shuffle=True, seed=7)
    b_left, _ = split_dataset(data, left_size=0.75, shuffle=True, seed=7)
    left, right = {int(s[1]) for s in a_left}, {int(s[1]) for s in a_right}
    assert [int(s[1]) for s in a_left] == [int(s[1]) for s in b_left]
    assert not left & right
    assert len(left | right) == 12


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "At least one of the `left_size` or `right_size`"),
        ({"left_size": 1.5}, ValueError, "`left_size` should be either a positive integer"),
        ({"right_size": 10}, ValueError, "`right_size` should be either a positive integer"),
        ({"left_size": "a"}, TypeError, "Invalid `left_size` Type"),
        ({"left_size": 0.7, "right_size": 0.6}, ValueError, "is greater than 1"),
        ({"left_size": 6, "right_size": 6}, ValueError, "should be smaller than the 10"),
        ({"left_size": 0.01}, ValueError, "Resulting left side dataset split will be empty"),
    ],
)
def test_split_size_errors(kwargs, error, message):
    with pytest.raises(error, match=message.replace("`", ".")):
        split_dataset(np.arange(10), **kwargs)


def test_split_rejects_other_data():
    with pytest.raises(ValueError, match="preferred_backend='tensorflow' is not available"):
        split_dataset(np.zeros(3), left_size=1, preferred_backend="tensorflow")
    with pytest.raises(TypeError, match=r"must be a `torch\.utils\.data\.Dataset`"):
        split_dataset({"a": np.zeros(3)}, left_size=1)
    with pytest.raises(ValueError, match="different lengths"):
        split_dataset([np.zeros(3), np.zeros(4)], left_size=1)


def test_fit_on_a_split():
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    train, test = split_dataset((x, x.sum(1, keepdims=True)), left_size=0.75, shuffle=True, seed=0)
    model = kerastorch.Sequential([kerastorch.Input((3,)), kerastorch.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(train, batch_size=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(model.evaluate(test, batch_size=4, verbose=0))


PACKS = [(1,), (1, 2), (1, 2, 3), ([1, 2],), ((1, 2), None, 3)]


@pytest.mark.parity
@pytest.mark.parametrize("args", PACKS)
def test_pack_and_unpack_match_keras(args):
    keras = keras_or_skip()
    assert pack_x_y_sample_weight(*args) == keras.utils.pack_x_y_sample_weight(*args)
    packed = pack_x_y_sample_weight(*args)
    assert unpack_x_y_sample_weight(packed) == keras.utils.unpack_x_y_sample_weight(packed)
    assert unpack_x_y_sample_weight([1, 2]) == keras.utils.unpack_x_y_sample_weight([1, 2])


def test_unpack_rejects_long_tuples():
    with pytest.raises(ValueError, match="Data is expected to be in format"):
        unpack_x_y_sample_weight((1, 2, 3, 4))
