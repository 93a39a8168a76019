"""kerastorch.constraints against keras.constraints, on Keras-layout kernels."""

import numpy as np
import pytest
import torch

from kerastorch import constraints
from tests.oracle import assert_close, keras_or_skip


def _kernels():
    rng = np.random.default_rng(1)
    dense = (2 * rng.normal(size=(6, 4))).astype("float32")  # (in, out)
    dense[:, 1] = 0.0  # a zero column: epsilon keeps it finite
    dense[:, 2] *= 0.01  # a small column: below min norms
    conv = rng.normal(size=(3, 3, 2, 5)).astype("float32")  # (kh, kw, in, out)
    return [(dense, 0), (dense, 1), (conv, [0, 1, 2]), (conv, 3)]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("MaxNorm", {}),
        ("MaxNorm", {"max_value": 0.5}),
        ("MinMaxNorm", {}),
        ("MinMaxNorm", {"min_value": 1.0, "max_value": 3.0, "rate": 0.5}),
        ("UnitNorm", {}),
        ("NonNeg", {}),
    ],
)
def test_constraint_matches_keras(name, kwargs):
    keras = keras_or_skip()
    for kernel, axis in _kernels():
        args = kwargs if name == "NonNeg" else {**kwargs, "axis": axis}
        expected = getattr(keras.constraints, name)(**args)(kernel)
        actual = getattr(constraints, name)(**args)(torch.from_numpy(kernel))
        assert actual.shape == kernel.shape
        assert_close(actual, expected, atol=1e-6, rtol=1e-6)


def test_max_norm_caps_column_norms_of_a_dense_kernel():
    w = torch.tensor([[3.0, 0.1], [4.0, 0.0]])  # column norms 5 and 0.1
    out = constraints.MaxNorm(max_value=2.0)(w)
    assert_close(out.norm(dim=0), torch.tensor([2.0, 0.1]), atol=1e-6)
    assert torch.isfinite(constraints.UnitNorm()(torch.zeros(3, 2))).all()


@pytest.mark.parity
@pytest.mark.parametrize(
    "name", ["max_norm", "min_max_norm", "non_neg", "unit_norm", "MaxNorm", "NonNeg"]
)
def test_get_string_matches_keras(name):
    keras = keras_or_skip()
    expected = keras.constraints.serialize(keras.constraints.get(name))
    assert constraints.serialize(constraints.get(name)) == expected


@pytest.mark.parity
@pytest.mark.parametrize(
    "ours",
    [
        constraints.MaxNorm(3, axis=[0, 1, 2]),
        constraints.MinMaxNorm(0.5, 2.0, rate=0.3, axis=1),
        constraints.UnitNorm(axis=-1),
        constraints.NonNeg(),
    ],
)
def test_serialize_equals_keras_and_round_trips(ours):
    keras = keras_or_skip()
    reference = getattr(keras.constraints, type(ours).__name__)(**ours.get_config())
    expected = keras.constraints.serialize(reference)
    config = constraints.serialize(ours)
    assert config == expected
    restored = constraints.get(expected)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()
    assert keras.constraints.serialize(keras.constraints.get(config)) == expected


def test_get_takes_classes_instances_and_callables():
    assert isinstance(constraints.get(constraints.NonNeg), constraints.NonNeg)
    c = constraints.UnitNorm()
    assert constraints.get(c) is c
    assert constraints.get(None) is None
    assert constraints.get(torch.abs) is torch.abs
    assert torch.equal(constraints.Constraint()(torch.ones(2)), torch.ones(2))


@pytest.mark.parity
def test_get_unknown_raises_keras_error():
    keras = keras_or_skip()
    with pytest.raises(ValueError) as expected:
        keras.constraints.get("positive")
    with pytest.raises(ValueError, match="Could not interpret constraint identifier") as actual:
        constraints.get("positive")
    assert str(actual.value) == str(expected.value)
