"""Every loss class and function of kerastorch.losses against keras.losses (the oracle), and the
checks that all loss families share."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch import losses
from kerastorch.ops.logits import attach_logits
from tests.losses import _data
from tests.oracle import assert_close, keras_or_skip, to_numpy

REDUCTIONS = [
    "sum_over_batch_size",
    "sum",
    "mean_with_sample_weight",
    None,
]  # "mean", "none": aliases

# (class name, constructor arguments, data generator, input shape)
CASES = [
    ("MeanSquaredError", {}, _data.regression, (5,)),
    ("MeanSquaredError", {}, _data.regression, (4, 3)),
    ("MeanSquaredError", {}, _data.regression, (2, 3, 4)),
    ("MeanAbsoluteError", {}, _data.regression, (4, 3)),
    ("MeanAbsoluteError", {}, _data.regression, (2, 3, 4)),
    ("MeanAbsolutePercentageError", {}, _data.regression, (4, 3)),
    ("MeanSquaredLogarithmicError", {}, _data.regression, (4, 3)),
    ("MeanSquaredLogarithmicError", {}, _data.positive, (2, 3, 4)),
    ("CosineSimilarity", {}, _data.regression, (4, 3)),
    ("CosineSimilarity", {"axis": 1}, _data.regression, (2, 3, 4)),
    ("Huber", {}, _data.regression, (4, 3)),
    ("Huber", {"delta": 0.5}, _data.regression, (2, 3, 4)),
    ("Huber", {"delta": 2.0}, _data.regression, (5,)),
    ("LogCosh", {}, _data.regression, (4, 3)),
    ("Hinge", {}, _data.plus_minus_one, (4, 3)),
    ("Hinge", {}, _data.zero_one_hinge, (2, 3, 4)),
    ("SquaredHinge", {}, _data.plus_minus_one, (4, 3)),
    ("SquaredHinge", {}, _data.zero_one_hinge, (4, 3)),
    ("CategoricalHinge", {}, _data.one_hot, (4, 3)),
    ("KLDivergence", {}, _data.distribution, (4, 3)),
    ("KLDivergence", {}, _data.distribution, (2, 3, 4)),
    ("Poisson", {}, _data.positive, (4, 3)),
    ("BinaryCrossentropy", {}, _data.binary, (4, 3)),
    ("BinaryCrossentropy", {}, _data.binary, (5,)),
    ("BinaryCrossentropy", {"from_logits": True}, _data.binary_logits, (4, 3)),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, _data.binary, (2, 3, 4)),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.2, "axis": -2},
        _data.binary_logits,
        (2, 3, 4),
    ),
    ("BinaryFocalCrossentropy", {}, _data.binary, (4, 3)),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5},
        _data.binary,
        (2, 3, 4),
    ),
    (
        "BinaryFocalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        _data.binary_logits,
        (4, 3),
    ),
    ("CategoricalCrossentropy", {}, _data.one_hot, (4, 3)),
    ("CategoricalCrossentropy", {}, _data.one_hot, (5,)),
    ("CategoricalCrossentropy", {"from_logits": True}, _data.one_hot_logits, (4, 3)),
    ("CategoricalCrossentropy", {"from_logits": True}, _data.one_hot_logits, (5,)),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, _data.one_hot, (2, 3, 4)),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        _data.one_hot_logits,
        (2, 3, 4),
    ),
    ("CategoricalCrossentropy", {"axis": 1}, lambda s: _data.one_hot(s, axis=1), (2, 3, 4)),
    (
        "CategoricalCrossentropy",
        {"axis": 1, "from_logits": True},
        lambda s: _data.one_hot(s, axis=1, logits=True),
        (2, 3, 4),
    ),
    ("CategoricalFocalCrossentropy", {}, _data.one_hot, (4, 3)),
    (
        "CategoricalFocalCrossentropy",
        {"alpha": 0.5, "gamma": 1.0, "label_smoothing": 0.1},
        _data.one_hot,
        (2, 3, 4),
    ),
    ("CategoricalFocalCrossentropy", {"from_logits": True}, _data.one_hot_logits, (4, 3)),
    ("SparseCategoricalCrossentropy", {}, _data.sparse, (4, 3)),
    ("SparseCategoricalCrossentropy", {}, _data.sparse, (5,)),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, _data.sparse_logits, (4, 3)),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, _data.sparse_logits, (2, 3, 4)),
    ("SparseCategoricalCrossentropy", {"axis": 1}, lambda s: _data.sparse(s, axis=1), (2, 3, 4)),
    (
        "SparseCategoricalCrossentropy",
        {"from_logits": True, "ignore_class": 0},
        _data.sparse_logits,
        (2, 3, 4),
    ),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, _data.sparse, (6, 3)),
    ("CTC", {}, _data.ctc, (2, 6, 4)),
    ("Dice", {}, _data.segmentation, (4, 3)),
    ("Dice", {"axis": (1, 2)}, _data.segmentation, (2, 3, 4)),
    ("Tversky", {}, _data.segmentation, (4, 3)),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": 1}, _data.segmentation, (4, 3)),
    ("Circle", {}, _data.embeddings, (6, 4)),
    ("Circle", {"gamma": 10.0, "margin": 0.2, "remove_diagonal": False}, _data.embeddings, (6, 4)),
    ("CategoricalGeneralizedCrossEntropy", {}, _data.integer_labels, (4, 3)),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.7}, _data.integer_labels, (4, 3)),
]


def _case_id(case: tuple) -> str:
    name, kwargs, _, shape = case
    args = ",".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{name}({args})-{'x'.join(map(str, shape))}"


def _sample_weights(loss_shape: tuple[int, ...]) -> list:
    """Sample weights Keras accepts for per-sample losses of `loss_shape`."""
    rng = np.random.default_rng(3)
    weights = [None, 0.5, rng.uniform(0, 2, size=loss_shape).astype("float32")]
    if len(loss_shape) >= 1:
        weights.append(rng.uniform(0, 2, size=(*loss_shape, 1)).astype("float32"))
    if len(loss_shape) >= 2:
        weights.append(rng.uniform(0, 2, size=(loss_shape[0], 1)).astype("float32"))
    if len(loss_shape) == 0:
        weights.append(rng.uniform(0, 2, size=(3,)).astype("float32"))
    return weights


def _torch(x):
    return None if x is None else torch.as_tensor(x) if isinstance(x, np.ndarray) else x


@pytest.mark.parity
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_loss_class_matches_keras(case, reduction):
    keras = keras_or_skip()
    name, kwargs, make_data, shape = case
    y_true, y_pred = make_data(shape)
    ref = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    loss_shape = tuple(getattr(keras.losses, name)(reduction=None, **kwargs)(y_true, y_pred).shape)
    for sample_weight in _sample_weights(loss_shape):
        try:
            expected = ref(y_true, y_pred, sample_weight=sample_weight)
        except RuntimeError:
            # With a mask (ignore_class, Circle), Keras multiplies the weights by it in place,
            # which fails for weights smaller than the mask (a scalar, `(N, 1)`). Such
            # weights mean the same as the full array they broadcast to.
            full = np.broadcast_to(np.float32(sample_weight), loss_shape)
            expected = ref(y_true, y_pred, sample_weight=np.ascontiguousarray(full))
        actual = ours(_torch(y_true), _torch(y_pred), sample_weight=_torch(sample_weight))
        assert tuple(actual.shape) == tuple(expected.shape)
        assert actual.dtype == torch.float32
        assert_close(actual, expected, atol=1e-6, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("case", CASES[::3], ids=_case_id)
def test_loss_class_takes_numpy_inputs_like_keras(case):
    keras = keras_or_skip()
    name, kwargs, make_data, shape = case
    y_true, y_pred = make_data(shape)
    expected = getattr(keras.losses, name)(**kwargs)(y_true, y_pred)
    assert_close(getattr(losses, name)(**kwargs)(y_true, y_pred), expected, atol=1e-6)


# (function name, keyword arguments, data generator, input shape)
FUNCTION_CASES = [
    ("mean_squared_error", {}, _data.regression, (4, 3)),
    ("mean_absolute_error", {}, _data.regression, (2, 3, 4)),
    ("mean_absolute_percentage_error", {}, _data.regression, (4, 3)),
    ("mean_squared_logarithmic_error", {}, _data.positive, (4, 3)),
    ("cosine_similarity", {"axis": 0}, _data.regression, (4, 3)),
    ("huber", {"delta": 0.7}, _data.regression, (4, 3)),
    ("log_cosh", {}, _data.regression, (2, 3, 4)),
    ("hinge", {}, _data.zero_one_hinge, (4, 3)),
    ("squared_hinge", {}, _data.plus_minus_one, (4, 3)),
    ("categorical_hinge", {}, _data.one_hot, (4, 3)),
    ("kl_divergence", {}, _data.distribution, (4, 3)),
    ("poisson", {}, _data.positive, (4, 3)),
    ("binary_crossentropy", {}, _data.binary, (4, 3)),
    (
        "binary_crossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        _data.binary_logits,
        (2, 3, 4),
    ),
    ("binary_focal_crossentropy", {"apply_class_balancing": True}, _data.binary, (4, 3)),
    ("binary_focal_crossentropy", {"from_logits": True, "gamma": 3.0}, _data.binary_logits, (4, 3)),
    ("categorical_crossentropy", {}, _data.one_hot, (4, 3)),
    (
        "categorical_crossentropy",
        {"from_logits": True, "label_smoothing": 0.3},
        _data.one_hot_logits,
        (2, 3, 4),
    ),
    ("categorical_focal_crossentropy", {"from_logits": True}, _data.one_hot_logits, (4, 3)),
    ("sparse_categorical_crossentropy", {}, _data.sparse, (4, 3)),
    (
        "sparse_categorical_crossentropy",
        {"from_logits": True, "ignore_class": 1},
        _data.sparse_logits,
        (2, 3, 4),
    ),
    ("ctc", {}, _data.ctc, (2, 6, 4)),
    ("dice", {"axis": -1}, _data.segmentation, (4, 3)),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, _data.segmentation, (2, 3, 4)),
    ("circle", {"gamma": 20}, _data.embeddings, (6, 4)),
    ("categorical_generalized_cross_entropy", {"q": 0.5}, _data.integer_labels, (4, 3)),
]


@pytest.mark.parity
@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_case_id)
def test_loss_function_matches_keras(case):
    keras = keras_or_skip()
    name, kwargs, make_data, shape = case
    y_true, y_pred = make_data(shape)
    expected = to_numpy(getattr(keras.losses, name)(_torch(y_true), _torch(y_pred), **kwargs))
    for args in [(_torch(y_true), _torch(y_pred)), (y_true, y_pred)]:
        actual = getattr(losses, name)(*args, **kwargs)
        assert tuple(actual.shape) == expected.shape
        assert_close(actual, expected, atol=1e-6, rtol=1e-5)


@pytest.mark.parity
def test_losses_export_every_keras_name():
    keras = keras_or_skip()
    public = {name for name in dir(keras.losses) if not name.startswith("_")}
    missing = sorted(name for name in public if not hasattr(losses, name))
    assert not missing, f"kerastorch.losses lacks {missing}"
    assert set(public) <= set(losses.__all__)


@pytest.mark.parity
@pytest.mark.parametrize(
    ("name", "y_true_shape", "y_pred_shape"),
    [
        ("BinaryCrossentropy", (4,), (4, 1)),
        ("BinaryCrossentropy", (4, 1), (4,)),
        ("MeanSquaredError", (4, 1), (4,)),
        ("MeanAbsoluteError", (2, 3), (2, 3, 1)),
        ("Hinge", (4,), (4, 1)),
        ("Poisson", (2, 3, 1), (2, 3)),
    ],
)
def test_loss_class_squeezes_or_expands_ranks_like_keras(name, y_true_shape, y_pred_shape):
    keras = keras_or_skip()
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, size=y_true_shape).astype("float32")
    y_pred = rng.uniform(0.1, 0.9, size=y_pred_shape).astype("float32")
    for reduction in ["sum_over_batch_size", None]:
        expected = getattr(keras.losses, name)(reduction=reduction)(y_true, y_pred)
        actual = getattr(losses, name)(reduction=reduction)(_torch(y_true), _torch(y_pred))
        assert tuple(actual.shape) == tuple(expected.shape)
        assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
def test_loss_class_casts_int_targets_to_the_prediction_dtype_like_keras():
    keras = keras_or_skip()
    y_true = np.array([[0, 1, 2], [3, 1, 0]], dtype="int64")
    y_pred = np.array([[0.5, 1.5, 2.0], [2.0, 0.0, 1.0]], dtype="float32")
    for name in ["MeanSquaredError", "Huber", "Poisson", "LogCosh"]:
        expected = getattr(keras.losses, name)()(y_true, y_pred)
        actual = getattr(losses, name)()(torch.as_tensor(y_true), torch.as_tensor(y_pred))
        assert actual.dtype == torch.float32
        assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("reduction", [None, "sum_over_batch_size"])
def test_loss_dtype_float64_matches_keras(reduction):
    keras = keras_or_skip()
    y_true, y_pred = _data.one_hot((4, 3))
    ref = keras.losses.CategoricalCrossentropy(dtype="float64", reduction=reduction)
    ours = losses.CategoricalCrossentropy(dtype="float64", reduction=reduction)
    actual = ours(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    assert ours.dtype == "float64"
    # Keras 3.15 rounds the reduced loss to float32 (its `divide_no_nan` promotes to floatx);
    # the per-sample values are float64 in both.
    assert actual.dtype == torch.float64
    assert_close(actual, ref(y_true, y_pred), atol=1e-12, rtol=1e-7)


def test_loss_classes_expose_their_arguments_as_attributes():
    loss = losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0)
    assert (loss.apply_class_balancing, loss.alpha, loss.gamma) == (True, 0.3, 1.0)
    assert losses.CategoricalCrossentropy(from_logits=True).from_logits is True
    assert losses.SparseCategoricalCrossentropy(ignore_class=4).ignore_class == 4
    assert losses.Huber(delta=3.0).delta == 3.0


def test_loss_gradient_reaches_the_predictions():
    y_pred = torch.tensor([[0.2, 0.8], [0.6, 0.4]], requires_grad=True)
    loss = losses.CategoricalCrossentropy()(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), y_pred)
    loss.backward()
    assert torch.isfinite(y_pred.grad).all()
    assert float(y_pred.grad.abs().sum()) > 0


@pytest.mark.parametrize("case", [c for c in CASES if c[0] != "CTC"], ids=_case_id)
def test_loss_class_runs_on_meta_tensors_so_never_syncs_with_the_host(case):
    # `.item()`, `bool(tensor)` or a Python branch on a tensor value raise on the meta device:
    # a loss that runs there never waits for the accelerator. (CTC has no meta kernel.)
    name, kwargs, make_data, shape = case
    y_true, y_pred = (torch.as_tensor(x, device="meta") for x in make_data(shape))
    per_sample = getattr(losses, name)(reduction=None, **kwargs)(y_true, y_pred)
    weight = torch.ones(per_sample.shape, device="meta")
    for reduction in ["sum_over_batch_size", "mean_with_sample_weight"]:
        loss = getattr(losses, name)(reduction=reduction, **kwargs)
        assert loss(y_true, y_pred, sample_weight=weight).shape == ()


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
