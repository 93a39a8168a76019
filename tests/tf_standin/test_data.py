"""`tf.data.Dataset`: the chained pipeline methods, and `fit` on the result."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import tf_standin as tf


def test_from_tensor_slices_map_batch_and_lengths():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10))
    assert len(ds) == 5
    batched = ds.map(lambda x, y: (x + 1, y)).batch(2)
    assert [x.tolist() for x, _ in batched] == [[1, 2], [3, 4], [5]]
    assert len(batched) == 3
    assert len(ds.batch(2, drop_remainder=True)) == 2
    assert [b.tolist() for b, _ in ds.batch(2, drop_remainder=True)] == [[0, 1], [2, 3]]


def test_dict_elements_take_skip_repeat_zip():
    ds = tf.data.Dataset.from_tensor_slices({"a": np.ones((4, 2)), "b": np.arange(4)})
    first = next(iter(ds))
    assert set(first) == {"a", "b"}
    assert first["a"].shape == (2,)
    assert [e["b"].item() for e in ds.skip(1).take(2)] == [1, 2]
    assert len(ds.repeat(3)) == 12
    assert len(list(ds.repeat(2))) == 8
    assert ds.repeat().cardinality().item() == -1
    pairs = tf.data.Dataset.zip((ds, tf.data.Dataset.from_tensor_slices(np.arange(3))))
    assert len(list(pairs)) == 3
    assert list(ds.filter(lambda e: e["b"] % 2 == 0).as_numpy_iterator())[1]["b"] == 2


def test_shuffle_is_a_permutation_reproducible_with_a_seed():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(20))
    once = [int(x) for x in ds.shuffle(8, seed=1, reshuffle_each_iteration=False)]
    again = [int(x) for x in ds.shuffle(8, seed=1, reshuffle_each_iteration=False)]
    assert sorted(once) == list(range(20))
    assert once == again
    assert once != list(range(20))


def test_bad_inputs_are_clear():
    with pytest.raises(ValueError, match="same first dimension"):
        tf.data.Dataset.from_tensor_slices((np.ones(3), np.ones(4)))
    with pytest.raises(ValueError, match="batch_size must be positive"):
        tf.data.Dataset.from_tensor_slices(np.ones(3)).batch(0)


def test_fit_and_plain_torch_loop_accept_the_dataset():
    x = np.random.rand(64, 3).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 1.5).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=0).batch(16)
    ds = ds.prefetch(tf.data.AUTOTUNE).cache()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    seen = sum(xb.shape[0] for xb, _ in torch.utils.data.DataLoader(ds.dataset, batch_size=None))
    assert seen == 64
