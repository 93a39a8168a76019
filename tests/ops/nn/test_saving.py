"""`ops.nn` inside functional models: `.keras` files round-trip here and with real Keras."""

import inspect

import numpy as np
import pytest
import torch

import kerastorch
from kerastorch.ops.keras_op import OP_CLASSES
from tests.oracle import assert_close, keras_or_skip

RNG = np.random.default_rng(0)
KERNEL = RNG.normal(size=(3, 3, 2, 4)).astype("float32")
MEAN, VAR = RNG.normal(size=(4,)).astype("float32"), RNG.uniform(1, 2, size=(4,)).astype("float32")
IMAGES = RNG.normal(size=(2, 6, 6, 2)).astype("float32")
LABELS = np.array([[0, 4, -1], [1, 2, 3]], "int32")


def build(k):
    """The same two-input model with `k` = kerastorch or keras."""
    image = k.Input((6, 6, 2))
    labels = k.Input((3,), dtype="int32")
    y = k.ops.nn.conv(image, KERNEL, strides=2, padding="same")
    y = k.ops.batch_normalization(y, MEAN, VAR, axis=-1, epsilon=1e-3)
    y = k.ops.nn.relu(y)
    y = k.ops.max_pool(y, 2, strides=1, padding="same")
    y = k.ops.softmax(k.ops.gelu(y, approximate=False), axis=-1)
    y = k.ops.depth_to_space(y, 2)
    encoded = k.ops.one_hot(labels, 5, axis=1)
    return k.Model([image, labels], [y, encoded])


def test_nn_model_round_trips_in_kerastorch(tmp_path):
    model = build(kerastorch)
    expected = model([torch.from_numpy(IMAGES), torch.from_numpy(LABELS)])
    path = str(tmp_path / "nn.keras")
    model.save(path)
    loaded = kerastorch.saving.load_model(path)
    assert_close(loaded([torch.from_numpy(IMAGES), torch.from_numpy(LABELS)]), expected)
    assert [t.shape for t in expected] == [(2, 6, 6, 1), (2, 5, 3)]


@pytest.mark.parity
def test_nn_model_saved_here_loads_in_keras_and_back(tmp_path):
    keras = keras_or_skip()
    ours = build(kerastorch)
    path = str(tmp_path / "ours.keras")
    ours.save(path)
    theirs = keras.saving.load_model(path)
    expected = ours([torch.from_numpy(IMAGES), torch.from_numpy(LABELS)])
    assert_close(theirs([IMAGES, LABELS]), expected)
    # And a model Keras built and saved loads here with Keras's numbers.
    keras_model = build(keras)
    keras_path = str(tmp_path / "theirs.keras")
    keras_model.save(keras_path)
    loaded = kerastorch.saving.load_model(keras_path)
    assert_close(
        loaded([torch.from_numpy(IMAGES), torch.from_numpy(LABELS)]), keras_model([IMAGES, LABELS])
    )


@pytest.mark.parity
def test_nn_op_classes_are_keras_classes_with_keras_constructor_arguments():
    keras_or_skip()
    from keras.src.ops import nn as keras_nn

    ours = {n: c for n, c in OP_CLASSES.items() if c._keras_module == "keras.src.ops.nn"}
    assert len(ours) == 53  # the 55 names of ops.nn less the aliases swish and hard_swish
    for name, cls in ours.items():
        theirs = getattr(keras_nn, name)
        expected = set(inspect.signature(theirs.__init__).parameters) - {"self", "name", "kwargs"}
        config = set(inspect.signature(cls.function).parameters) - set(cls.tensor_names)
        assert config == expected, name
