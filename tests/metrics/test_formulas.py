import numpy as np
import pytest
import torch

from kerastorch import losses, metrics
from kerastorch.metrics import formulas
from tests.metrics.metric_checks import labels, one_hot, probs, rng, uniform
from tests.oracle import assert_close, keras_or_skip

r = rng(100)
REGRESSION = (r.normal(size=(6, 4)).astype("float32"), r.normal(size=(6, 4)).astype("float32"))
POSITIVE = (uniform(r, 6, 4) * 3, uniform(r, 6, 4) * 3)
PROBS = (probs(r, 6, 4), probs(r, 6, 4))
BINARY = (labels(r, 2, 6, 4).astype("float32"), uniform(r, 6, 4))
LOGITS = (labels(r, 2, 6, 4).astype("float32"), r.normal(size=(6, 4)).astype("float32"))
ONE_HOT = (one_hot(labels(r, 4, 6), 4), probs(r, 6, 4))
SPARSE = (labels(r, 4, 6), probs(r, 6, 4))
SPARSE_SEQ = (labels(r, 4, 2, 3), probs(r, 2, 3, 4))
SIGNED = (2 * labels(r, 2, 6, 4).astype("float32") - 1, r.normal(size=(6, 4)).astype("float32"))

CASES = [
    ("mean_squared_error", REGRESSION, {}),
    ("mean_absolute_error", REGRESSION, {}),
    ("mean_absolute_percentage_error", REGRESSION, {}),
    ("mean_squared_logarithmic_error", POSITIVE, {}),
    ("log_cosh", REGRESSION, {}),
    ("huber", REGRESSION, {}),
    ("huber", REGRESSION, {"delta": 0.3}),
    ("kl_divergence", PROBS, {}),
    ("poisson", POSITIVE, {}),
    ("binary_crossentropy", BINARY, {}),
    ("binary_crossentropy", BINARY, {"label_smoothing": 0.2}),
    ("binary_crossentropy", LOGITS, {"from_logits": True}),
    ("categorical_crossentropy", ONE_HOT, {}),
    ("categorical_crossentropy", ONE_HOT, {"label_smoothing": 0.1}),
    ("categorical_crossentropy", LOGITS, {"from_logits": True}),
    ("categorical_crossentropy", PROBS, {"axis": 0}),
    ("sparse_categorical_crossentropy", SPARSE, {}),
    ("sparse_categorical_crossentropy", SPARSE, {"from_logits": True}),
    ("sparse_categorical_crossentropy", SPARSE_SEQ, {"ignore_class": 1}),
    ("hinge", BINARY, {}),
    ("hinge", SIGNED, {}),
    ("squared_hinge", BINARY, {}),
    ("squared_hinge", SIGNED, {}),
    ("categorical_hinge", ONE_HOT, {}),
    ("binary_focal_crossentropy", BINARY, {}),
    ("binary_focal_crossentropy", LOGITS, {"from_logits": True, "apply_class_balancing": True}),
    ("binary_focal_crossentropy", BINARY, {"gamma": 1.0, "label_smoothing": 0.1}),
    ("categorical_focal_crossentropy", ONE_HOT, {}),
    ("categorical_focal_crossentropy", LOGITS, {"from_logits": True, "alpha": 0.5}),
    ("categorical_focal_crossentropy", ONE_HOT, {"label_smoothing": 0.1, "gamma": 3.0}),
    ("pearson_correlation", REGRESSION, {}),
    ("pearson_correlation", REGRESSION, {"axis": 0}),
    ("concordance_correlation", REGRESSION, {}),
    ("concordance_correlation", REGRESSION, {"axis": 0}),
]


@pytest.mark.parity
@pytest.mark.parametrize(("fn", "data", "kwargs"), CASES)
def test_metric_functions_match_keras(fn, data, kwargs):
    keras = keras_or_skip()
    y_true, y_pred = data
    ours = getattr(metrics, fn)(torch.from_numpy(y_true), torch.from_numpy(y_pred), **kwargs)
    expected = getattr(keras.metrics, fn)(y_true, y_pred, **kwargs)
    assert tuple(ours.shape) == tuple(expected.shape)
    assert_close(ours, expected, atol=1e-6, rtol=1e-5)
    # The same numbers from NumPy inputs.
    assert_close(getattr(metrics, fn)(y_true, y_pred, **kwargs), expected, atol=1e-6, rtol=1e-5)


@pytest.mark.parity
@pytest.mark.parametrize("axis", [-1, 1])
def test_cosine_similarity_matches_keras_metric_function(axis):
    keras_or_skip()
    from keras.src.metrics.regression_metrics import cosine_similarity

    y_true, y_pred = r.normal(size=(3, 4, 5)), r.normal(size=(3, 4, 5))
    y_true[0, 0] = 0.0  # a zero vector: the norm is floored at epsilon
    y_true, y_pred = y_true.astype("float32"), y_pred.astype("float32")
    ours = formulas.cosine_similarity(torch.from_numpy(y_true), torch.from_numpy(y_pred), axis)
    assert_close(ours, cosine_similarity(y_true, y_pred, axis=axis), atol=1e-6)


def test_sparse_categorical_crossentropy_marks_ignored_entries():
    y_true = torch.tensor([[0, 1, 2]])
    out = metrics.sparse_categorical_crossentropy(
        y_true, torch.full((1, 3, 3), 1 / 3), ignore_class=1
    )
    assert out._keras_mask.tolist() == [[True, False, True]]
    assert out[0, 1] == 0.0


def test_crossentropies_reject_mismatched_shapes():
    assert metrics.binary_crossentropy is losses.binary_crossentropy  # one function, as in Keras
    with pytest.raises(ValueError, match=r"y_true.shape=\(2,\), y_pred.shape=\(2, 1\)"):
        metrics.binary_crossentropy(np.zeros(2), np.zeros((2, 1), dtype="float32"))
    with pytest.raises(ValueError, match="must hold one class index per prediction"):
        metrics.sparse_categorical_crossentropy(np.zeros(3), np.ones((2, 4), dtype="float32"))
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        metrics.categorical_crossentropy(np.zeros((2, 2)), np.ones((2, 2)), axis=True)


def test_categorical_crossentropy_warns_on_a_single_class_like_keras():
    with pytest.warns(SyntaxWarning, match="Consider using 'binary_crossentropy'"):
        metrics.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1), dtype="float32"))


def test_metric_functions_keep_gradients():
    y_pred = torch.tensor([[0.2, 0.8]], requires_grad=True)
    metrics.mean_squared_error(torch.tensor([[0.0, 1.0]]), y_pred).sum().backward()
    assert_close(y_pred.grad, torch.tensor([[0.2, -0.2]]))
