"""Constant, Zeros, Ones and Identity against keras.initializers (the oracle)."""

import numpy as np
import pytest
import torch

from kerastorch import initializers
from tests.oracle import keras_or_skip, to_numpy


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs", "shape", "dtype"),
    [
        ("Zeros", {}, (3, 4), None),
        ("Zeros", {}, (2, 2, 3), "int32"),
        ("Ones", {}, (5,), "float64"),
        ("Ones", {}, (2, 3), "bool"),
        ("Constant", {"value": 2.5}, (2, 3), None),
        ("Constant", {"value": -1}, (4,), "int64"),
        ("Constant", {"value": np.array([1.0, 2.0, 3.0])}, (2, 3), None),
        ("Identity", {}, (3, 3), None),
        ("Identity", {"gain": 2.0}, (2, 4), None),
        ("Identity", {"gain": 0.5}, (4, 2), "float64"),
    ],
)
def test_deterministic_initializer_equals_keras(name, kwargs, shape, dtype):
    keras = keras_or_skip()
    expected = to_numpy(getattr(keras.initializers, name)(**kwargs)(shape, dtype=dtype))
    actual = getattr(initializers, name)(**kwargs)(shape, dtype=dtype)
    assert isinstance(actual, torch.Tensor)
    assert tuple(actual.shape) == shape
    assert str(actual.dtype).removeprefix("torch.") == (dtype or "float32")
    np.testing.assert_array_equal(actual.numpy(), expected)


def test_identity_rejects_other_ranks():
    with pytest.raises(ValueError, match=r"only be used for 2D matrices. Received: shape=\(3,\)"):
        initializers.Identity()((3,))


@pytest.mark.parity
def test_identity_config_keeps_gain_and_loads_in_keras():
    keras = keras_or_skip()
    config = initializers.serialize(initializers.Identity(gain=2.0))
    assert config["config"] == {"gain": 2.0}  # Keras 3.15 drops the gain here
    restored = keras.initializers.deserialize(config)
    np.testing.assert_array_equal(to_numpy(restored((2, 2))), 2.0 * np.eye(2))
    assert initializers.get(config).gain == 2.0
