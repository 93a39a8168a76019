"""kerastorch.regularizers against keras.regularizers (the oracle)."""

import numpy as np
import pytest
import torch

from kerastorch import regularizers
from tests.oracle import assert_close, keras_or_skip


def _weights():
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(5, 4)).astype("float32")
    with_zero_row = kernel.copy()
    with_zero_row[2] = 0.0  # exercises the epsilon guard of the normalization
    return [kernel, with_zero_row, (10 * kernel[:3]).astype("float32")]


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("L1", {}),
        ("L1", {"l1": 0.3}),
        ("L2", {}),
        ("L2", {"l2": 1.5}),
        ("L1L2", {}),
        ("L1L2", {"l1": 0.01, "l2": 0.02}),
        ("L1L2", {"l2": 0.1}),
        ("OrthogonalRegularizer", {}),
        ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
        ("OrthogonalRegularizer", {"factor": 2.0, "mode": "rows"}),
    ],
)
def test_penalty_matches_keras(name, kwargs):
    keras = keras_or_skip()
    reference = getattr(keras.regularizers, name)(**kwargs)
    ours = getattr(regularizers, name)(**kwargs)
    for w in _weights():
        penalty = ours(torch.from_numpy(w))
        assert isinstance(penalty, torch.Tensor)
        assert penalty.shape == ()
        assert_close(penalty, reference(torch.from_numpy(w)), atol=1e-6, rtol=1e-6)
    assert ours(torch.ones(3, 3, dtype=torch.float64)).dtype == torch.float64


def test_penalty_is_differentiable():
    w = torch.randn(4, 3, requires_grad=True)
    (regularizers.L1L2(0.1, 0.2)(w) + regularizers.OrthogonalRegularizer()(w)).backward()
    assert torch.isfinite(w.grad).all()
    assert w.grad.abs().sum() > 0


def test_orthogonal_regularizer_needs_rank_2_and_valid_mode():
    with pytest.raises(ValueError, match=r"must have rank 2. Received: inputs.shape=\(2, 2, 2\)"):
        regularizers.OrthogonalRegularizer()(torch.ones(2, 2, 2))
    with pytest.raises(ValueError, match="Received: mode=diagonal"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


@pytest.mark.parametrize("value", [-0.1, float("inf"), float("nan"), "0.1"])
def test_factors_must_be_non_negative_numbers(value):
    with pytest.raises(ValueError, match="expected a non-negative float"):
        regularizers.L2(value)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["l1", "l2", "l1l2", "L1", "L2", "L1L2", "orthogonal_regularizer"])
def test_get_string_matches_keras(name):
    keras = keras_or_skip()
    expected = keras.regularizers.serialize(keras.regularizers.get(name))
    assert regularizers.serialize(regularizers.get(name)) == expected


def test_get_l1_l2_string_uses_0_01_for_both():
    # tf.keras's spelling (Keras 3 no longer accepts it): both factors 0.01, as documented.
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.l1_l2 is regularizers.L1L2


@pytest.mark.parity
@pytest.mark.parametrize(
    "ours",
    [
        regularizers.L1(0.2),
        regularizers.L2(0.3),
        regularizers.L1L2(l1=0.1, l2=0.05),
        regularizers.OrthogonalRegularizer(0.1, "columns"),
    ],
)
def test_serialize_equals_keras_and_round_trips(ours):
    keras = keras_or_skip()
    reference = getattr(keras.regularizers, type(ours).__name__)(**ours.get_config())
    expected = keras.regularizers.serialize(reference)
    config = regularizers.serialize(ours)
    assert config == expected
    restored = regularizers.get(expected)
    assert type(restored) is type(ours)
    assert restored.get_config() == ours.get_config()
    assert keras.regularizers.serialize(keras.regularizers.get(config)) == expected


def test_get_takes_classes_instances_and_callables():
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    reg = regularizers.L1()
    assert regularizers.get(reg) is reg
    assert regularizers.get(None) is None

    def total(x):
        return x.sum()

    assert regularizers.get(total) is total


@pytest.mark.parity
def test_get_unknown_raises_keras_error():
    keras = keras_or_skip()
    with pytest.raises(ValueError) as expected:
        keras.regularizers.get("l3")
    with pytest.raises(
        ValueError, match="Could not interpret regularizer identifier: l3"
    ) as actual:
        regularizers.get("l3")
    assert str(actual.value) == str(expected.value)


def test_base_regularizer_penalizes_nothing_and_has_no_config():
    assert regularizers.Regularizer()(torch.ones(2)) == 0.0
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        regularizers.Regularizer().get_config()
    assert repr(regularizers.L2(0.5)) == "L2(l2=0.5)"
