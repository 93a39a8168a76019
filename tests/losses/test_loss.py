"""The `Loss` base class: reductions, sample weights, masks, dtypes and names."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch import losses
from kerastorch.losses.loss import reduce_weighted_values
from tests.losses import _data
from tests.oracle import assert_close, keras_or_skip

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none"]


class SquaredError(losses.Loss):
    """Element-wise squared error: per-sample losses keep every axis."""

    def call(self, y_true, y_pred):
        return torch.square(y_pred - y_true)


def _keras_squared_error(keras):
    class KerasSquaredError(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.square(y_pred - y_true)

    return KerasSquaredError


def _with_mask(x: np.ndarray, mask: np.ndarray) -> torch.Tensor:
    t = torch.as_tensor(x)
    t._keras_mask = torch.as_tensor(mask)
    return t


@pytest.mark.parity
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "weight_shape", [None, (), (3, 1), (3, 4), (3, 4, 1), (4,), (1, 4)], ids=str
)
def test_loss_reduces_and_broadcasts_sample_weight_like_keras(reduction, weight_shape):
    keras = keras_or_skip()
    y_true, y_pred = _data.regression((3, 4))
    weight = None
    if weight_shape is not None:
        weight = np.random.default_rng(2).uniform(0, 2, size=weight_shape).astype("float32")
    expected = _keras_squared_error(keras)(reduction=reduction)(y_true, y_pred, weight)
    actual = SquaredError(reduction=reduction)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred), None if weight is None else weight
    )
    assert tuple(actual.shape) == tuple(expected.shape)
    assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, (3, 4), (3, 4, 1)], ids=str)
def test_loss_applies_the_keras_mask_of_y_pred_like_keras(reduction, weight_shape):
    keras = keras_or_skip()
    y_true, y_pred = _data.regression((3, 4, 2))
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=bool)
    weight = None
    if weight_shape is not None:
        weight = np.random.default_rng(2).uniform(0, 2, size=weight_shape).astype("float32")
    expected = keras.losses.MeanSquaredError(reduction=reduction)(
        y_true, _with_mask(y_pred, mask), weight
    )
    actual = losses.MeanSquaredError(reduction=reduction)(
        torch.as_tensor(y_true), _with_mask(y_pred, mask), weight
    )
    assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
def test_loss_with_everything_masked_is_zero_like_keras():
    keras = keras_or_skip()
    y_true, y_pred = _data.regression((2, 3, 2))
    mask = np.zeros((2, 3), dtype=bool)
    expected = keras.losses.MeanSquaredError()(y_true, _with_mask(y_pred, mask))
    actual = losses.MeanSquaredError()(torch.as_tensor(y_true), _with_mask(y_pred, mask))
    assert float(actual) == 0.0
    assert_close(actual, expected)


@pytest.mark.parity
def test_loss_on_an_empty_batch_matches_keras():
    keras = keras_or_skip()
    y = np.zeros((0, 3), dtype="float32")
    expected = keras.losses.MeanSquaredError()(y, y)
    actual = losses.MeanSquaredError()(torch.as_tensor(y), torch.as_tensor(y))
    assert tuple(actual.shape) == tuple(expected.shape) == (0,)


def test_loss_names_are_unique_per_session_like_keras():
    assert [losses.Loss().name, losses.Loss().name] == ["loss", "loss_1"]
    assert SquaredError().name == "squared_error"
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber(name="h").name == "h"


def test_loss_reduction_is_checked_and_tf_keras_auto_is_accepted():
    with pytest.raises(ValueError, match=r"Invalid value for argument `reduction`.*'avg'"):
        losses.MeanSquaredError(reduction="avg")
    assert losses.MeanSquaredError(reduction="auto").reduction == "sum_over_batch_size"
    assert losses.MeanSquaredError(reduction=losses.Reduction.NONE).reduction == "none"


def test_loss_dtype_accepts_strings_torch_dtypes_and_policies():
    class Policy:
        compute_dtype = "float16"

    assert losses.Loss().dtype == "float32"
    assert losses.Loss(dtype=torch.float64).dtype == "float64"
    assert losses.Loss(dtype="mixed_bfloat16").dtype == "bfloat16"
    assert losses.Loss(dtype=Policy()).dtype == "float16"


def test_loss_without_call_says_what_to_implement():
    with pytest.raises(NotImplementedError, match=r"Loss must implement `call\(y_true, y_pred\)`"):
        losses.Loss()(torch.zeros(2), torch.zeros(2))


@pytest.mark.parity
def test_loss_rejects_sample_weight_that_does_not_broadcast_like_keras():
    keras = keras_or_skip()
    y_true, y_pred = _data.regression((3, 4))
    weight = np.ones(3, dtype="float32")  # per-sample weights against (3, 4) losses
    with pytest.raises(RuntimeError):  # Keras: torch's broadcasting error
        _keras_squared_error(keras)()(y_true, y_pred, weight)
    with pytest.raises(
        ValueError, match=r"sample_weight of shape \(3,\).*losses of shape \(3, 4\)"
    ):
        SquaredError()(torch.as_tensor(y_true), torch.as_tensor(y_pred), weight)


def test_reduce_weighted_values_sum_over_batch_size_divides_by_the_count():
    values = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert float(reduce_weighted_values(values)) == 2.5
    assert float(reduce_weighted_values(values, torch.tensor([0.0, 1.0]), reduction="sum")) == 6.0
    weighted = reduce_weighted_values(
        values, torch.tensor([[1.0], [3.0]]), reduction="mean_with_sample_weight"
    )
    assert float(weighted) == pytest.approx((1 + 2 + 9 + 12) / 4)


# -- the fast path of `Loss.__call__` (tensors that already agree) ------------------------------


def _spy(monkeypatch, name: str) -> list[int]:
    """Count the calls of `kerastorch.losses.loss.<name>`: `_device_of` runs only on the
    general conversion path of `Loss.__call__`, `reduce_weighted_values` only on the general
    weighting and reduction path."""
    from kerastorch.losses import loss as loss_module

    calls: list[int] = []
    general = getattr(loss_module, name)

    def spy(*args, **kwargs):
        calls.append(1)
        return general(*args, **kwargs)

    monkeypatch.setattr(loss_module, name, spy)
    return calls


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["MeanSquaredError", "SparseCategoricalCrossentropy"])
def test_loss_fast_path_gives_the_general_paths_numbers(monkeypatch, reduction, name):
    rng = np.random.default_rng(0)
    y_pred = torch.softmax(torch.as_tensor(rng.normal(size=(6, 4)), dtype=torch.float32), -1)
    if name == "MeanSquaredError":
        y_true = torch.as_tensor(rng.normal(size=(6, 4)), dtype=torch.float32)
    else:
        y_true = torch.as_tensor(rng.integers(0, 4, size=(6,)))  # integer labels: kept
    loss = getattr(losses, name)(reduction=reduction)
    general = reduce_weighted_values(loss.call(y_true, y_pred), reduction=reduction)
    conversions, reductions = (
        _spy(monkeypatch, "_device_of"),
        _spy(monkeypatch, "reduce_weighted_values"),
    )
    fast = loss(y_true, y_pred)
    assert conversions == []
    assert reductions == []
    assert fast.dtype == general.dtype
    # MSE's mean over the batch is one kernel (`F.mse_loss`): the same mean, to rounding
    same = torch.testing.assert_close if loss._whole_mean is not None else _assert_equal
    same(fast, general)
    from_arrays = loss(y_true.numpy(), y_pred.numpy())  # arrays: the general conversions
    assert conversions == [1]
    same(fast, from_arrays)


def _assert_equal(actual, expected):
    assert torch.equal(actual, expected)


def test_loss_fast_path_is_skipped_for_weights_masks_and_other_dtypes(monkeypatch):
    y_true, y_pred = torch.zeros(4, 3), torch.ones(4, 3)
    loss = losses.MeanSquaredError()
    conversions, reductions = (
        _spy(monkeypatch, "_device_of"),
        _spy(monkeypatch, "reduce_weighted_values"),
    )
    weights = torch.tensor([1.0, 0.0, 2.0, 1.0])
    assert float(loss(y_true, y_pred, sample_weight=weights)) == 1.0
    assert reductions == [1]
    masked = y_pred.clone()
    masked._keras_mask = torch.tensor([True, False, True, False])
    assert float(loss(y_true, masked)) == 1.0
    assert reductions == [1, 1]
    assert conversions == []
    assert reductions == [1, 1]


@pytest.mark.parametrize("loss_dtype", ["float32", "float16"])
@pytest.mark.parametrize("name", ["MeanSquaredError", "SparseCategoricalCrossentropy"])
def test_loss_casts_tensors_of_other_dtypes_as_the_general_path(monkeypatch, loss_dtype, name):
    rng = np.random.default_rng(1)
    y_pred = torch.softmax(torch.as_tensor(rng.normal(size=(5, 3))), -1)  # float64
    labels = rng.integers(0, 3, size=(5,))
    y_true = torch.as_tensor(rng.normal(size=(5, 3)) if name == "MeanSquaredError" else labels)
    loss = getattr(losses, name)(dtype=loss_dtype)
    conversions = _spy(monkeypatch, "_device_of")
    cast = loss(y_true, y_pred)  # tensors: cast without the structure walk
    assert conversions == []
    general = loss(y_true.numpy(), y_pred.numpy())
    assert conversions == [1]
    assert cast.dtype == general.dtype == getattr(torch, loss_dtype)
    assert torch.equal(cast, general)
    # A float loss on integer labels gets them as floats, as Keras's wrapper casts them.
    as_function = losses.LossFunctionWrapper(losses.sparse_categorical_crossentropy)
    labels_cast = as_function(torch.as_tensor(labels), y_pred.float())
    general = as_function(labels, y_pred.float().numpy())
    assert torch.equal(labels_cast, general)
