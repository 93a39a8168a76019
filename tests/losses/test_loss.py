"""The `Loss` base class: reductions, sample weights, masks, dtypes, names and the logits rule."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch import losses
from kerastorch.losses.loss import attach_logits, reduce_weighted_values
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


@pytest.mark.parity
def test_loss_function_wrapper_takes_structures_like_keras():
    keras = keras_or_skip()
    a_true, a_pred = _data.regression((3, 2))
    b_true, b_pred = _data.regression((3, 1))

    def make_fn(mse):
        return lambda t, p: mse(t["a"], p["a"]) + 2 * mse(t["b"], p["b"])

    from keras.src.losses.losses import LossFunctionWrapper

    ref = LossFunctionWrapper(make_fn(keras.losses.mean_squared_error))
    ours = losses.LossFunctionWrapper(make_fn(losses.mean_squared_error))
    expected = ref({"a": a_true, "b": b_true[:, 0]}, {"a": a_pred, "b": b_pred})
    actual = ours(
        {"a": torch.as_tensor(a_true), "b": torch.as_tensor(b_true[:, 0])},
        {"a": torch.as_tensor(a_pred), "b": torch.as_tensor(b_pred)},
    )
    assert_close(actual, expected, atol=1e-6)


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


@pytest.mark.parametrize(
    ("fn", "y_true_shape", "y_pred_shape", "message"),
    [
        ("binary_crossentropy", (4, 3), (4, 2), r"same shape.*\(4, 3\).*\(4, 2\)"),
        ("categorical_crossentropy", (4, 3), (4, 2), r"same shape.*\(4, 3\).*\(4, 2\)"),
        ("sparse_categorical_crossentropy", (4, 3), (4, 3), r"one class index per prediction"),
        ("ctc", (4,), (4, 5, 3), r"`\(batch_size, max_length\)`.*\(4,\)"),
        ("ctc", (4, 2), (4, 5), r"`\(batch_size, max_length, num_classes\)`"),
    ],
)
def test_loss_function_rejects_mismatched_shapes_with_a_clear_message(
    fn, y_true_shape, y_pred_shape, message
):
    with pytest.raises(ValueError, match=message):
        getattr(losses, fn)(torch.zeros(y_true_shape), torch.ones(y_pred_shape))


def test_loss_arguments_are_checked():
    with pytest.raises(ValueError, match=r"`axis` must be of type `int`.*True"):
        losses.categorical_crossentropy(torch.ones(2, 2), torch.ones(2, 2), axis=True)
    with pytest.raises(ValueError, match=r"`q` must be in the interval \(0, 1\).*1.5"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match=r"'sigmoid' or 'softmax'.*'relu'"):
        attach_logits(torch.ones(2), torch.ones(2), "relu")


def test_reduce_weighted_values_sum_over_batch_size_divides_by_the_count():
    values = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert float(reduce_weighted_values(values)) == 2.5
    assert float(reduce_weighted_values(values, torch.tensor([0.0, 1.0]), reduction="sum")) == 6.0
    weighted = reduce_weighted_values(
        values, torch.tensor([[1.0], [3.0]]), reduction="mean_with_sample_weight"
    )
    assert float(weighted) == pytest.approx((1 + 2 + 9 + 12) / 4)


# --- DESIGN §2: crossentropy from the logits of a softmax/sigmoid output -------------------


@pytest.mark.parity
def test_attached_sigmoid_logits_give_keras_numbers_in_the_normal_range():
    keras = keras_or_skip()
    y_true, logits = _data.binary_logits((4, 3))
    probs = torch.sigmoid(torch.as_tensor(logits))
    expected = keras.losses.BinaryCrossentropy()(y_true, probs.numpy())
    plain = losses.BinaryCrossentropy()(torch.as_tensor(y_true), probs.clone())
    attached = attach_logits(probs, torch.as_tensor(logits), "sigmoid")
    via_logits = losses.BinaryCrossentropy()(torch.as_tensor(y_true), attached)
    assert_close(plain, expected, atol=1e-6)
    assert_close(via_logits, expected, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["CategoricalCrossentropy", "SparseCategoricalCrossentropy"])
@pytest.mark.parametrize("axis", [-1, 1])
def test_attached_softmax_logits_give_keras_numbers_in_the_normal_range(name, axis):
    keras = keras_or_skip()
    sparse = name.startswith("Sparse")
    make = _data.sparse if sparse else _data.one_hot
    y_true, logits = make((2, 3, 4), axis=axis, logits=True)
    probs = torch.softmax(torch.as_tensor(logits), dim=axis)
    expected = getattr(keras.losses, name)(axis=axis, reduction=None)(y_true, probs.numpy())
    attached = attach_logits(probs, torch.as_tensor(logits), "softmax", axis=axis)
    actual = getattr(losses, name)(axis=axis, reduction=None)(torch.as_tensor(y_true), attached)
    assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "activation"),
    [
        ("BinaryCrossentropy", "sigmoid"),
        ("CategoricalCrossentropy", "softmax"),
        ("SparseCategoricalCrossentropy", "softmax"),
    ],
)
def test_attached_logits_do_not_saturate_where_clipped_probabilities_do(name, activation):
    keras = keras_or_skip()
    logits = torch.tensor([[40.0, -40.0], [-25.0, 30.0]], requires_grad=True)
    if name == "SparseCategoricalCrossentropy":
        y_true = torch.tensor([1, 0])
    else:
        y_true = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    probs = torch.sigmoid(logits) if activation == "sigmoid" else torch.softmax(logits, -1)
    clipped = getattr(keras.losses, name)(reduction=None)(y_true, probs.detach())
    exact = getattr(keras.losses, name)(from_logits=True, reduction=None)(y_true, logits.detach())
    ours = getattr(losses, name)(reduction=None)(y_true, attach_logits(probs, logits, activation))
    assert torch.isfinite(ours).all()
    assert_close(ours.detach(), exact, atol=1e-4, rtol=1e-6)  # the true loss, up to ~70
    assert float(exact.max()) > 2 * float(clipped.max())  # the clipped path saturates at ~16
    ours.sum().backward()
    assert torch.isfinite(logits.grad).all()
    assert float(logits.grad.abs().max()) > 0.4  # clipping would give a zero gradient


def test_attached_logits_follow_rank_and_dtype_changes():
    logits = torch.tensor([[50.0], [-50.0]], dtype=torch.float64)
    probs = attach_logits(torch.sigmoid(logits), logits, "sigmoid")
    y_true = torch.tensor([0.0, 1.0])  # (N,) against (N, 1): Keras expands y_true
    loss = losses.BinaryCrossentropy(reduction=None)(y_true, probs)  # float64 -> float32
    assert loss.dtype == torch.float32
    assert_close(loss, np.array([50.0, 50.0]), atol=1e-5)


def test_attached_logits_of_another_activation_or_axis_are_ignored():
    logits = torch.tensor([[2.0, -1.0], [0.5, 0.3]])
    y_true = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    softmax = torch.softmax(logits, -1)
    # A 2-class softmax scored with binary crossentropy: the softmax logits are not the
    # sigmoid logits, so the probabilities are used.
    expected = losses.BinaryCrossentropy()(y_true, softmax.clone())
    assert_close(
        losses.BinaryCrossentropy()(y_true, attach_logits(softmax, logits, "softmax")), expected
    )
    over_rows = torch.softmax(logits, 0)
    expected = losses.CategoricalCrossentropy()(y_true, over_rows.clone())
    tagged = attach_logits(over_rows, logits, "softmax", axis=0)
    assert_close(losses.CategoricalCrossentropy()(y_true, tagged), expected)
