"""Crossentropies: sparse labels, `ignore_class`, warnings, and the logits of a softmax/sigmoid
output (DESIGN §2)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kerastorch import losses
from kerastorch.ops.logits import attach_logits
from tests.losses import _data
from tests.oracle import assert_close, keras_or_skip


def _torch(x):
    return None if x is None else torch.as_tensor(x) if isinstance(x, np.ndarray) else x


@pytest.mark.parity
@pytest.mark.parametrize("labels_dtype", ["int64", "int32", "float32"])
def test_sparse_categorical_crossentropy_takes_int_or_float_labels_and_a_trailing_axis(
    labels_dtype,
):
    keras = keras_or_skip()
    y_true, y_pred = _data.sparse((5, 4))
    y_true = y_true.reshape(5, 1).astype(labels_dtype)
    expected = keras.losses.SparseCategoricalCrossentropy(reduction=None)(y_true, y_pred)
    actual = losses.SparseCategoricalCrossentropy(reduction=None)(
        torch.as_tensor(y_true), torch.as_tensor(y_pred)
    )
    assert actual.shape == (5,)
    assert_close(actual, expected, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight"])
def test_sparse_categorical_crossentropy_ignore_class_masks_like_keras(reduction):
    keras = keras_or_skip()
    y_true, y_pred = _data.sparse_logits((3, 4, 5))
    y_true[0, :2] = -1  # padding label
    weight = np.random.default_rng(0).uniform(0, 1, size=(3, 4)).astype("float32")
    kwargs = {"from_logits": True, "ignore_class": -1, "reduction": reduction}
    ref = keras.losses.SparseCategoricalCrossentropy(**kwargs)
    ours = losses.SparseCategoricalCrossentropy(**kwargs)
    for sample_weight in [None, weight]:
        expected = ref(y_true, y_pred, sample_weight=sample_weight)
        actual = ours(torch.as_tensor(y_true), torch.as_tensor(y_pred), _torch(sample_weight))
        assert_close(actual, expected, atol=1e-6)
    per_sample = losses.sparse_categorical_crossentropy(
        torch.as_tensor(y_true), torch.as_tensor(y_pred), from_logits=True, ignore_class=-1
    )
    assert per_sample._keras_mask.tolist() == (y_true != -1).tolist()
    assert float(per_sample[0, 0]) == 0.0


@pytest.mark.parity
def test_categorical_crossentropy_warns_like_keras_for_a_single_class():
    keras_or_skip()
    y_true, y_pred = np.ones((3, 1), "float32"), np.full((3, 1), 0.7, "float32")
    with pytest.warns(SyntaxWarning, match="num_classes > 1"):
        loss = losses.categorical_crossentropy(y_true, y_pred)
    assert_close(loss, np.zeros(3), atol=1e-6)  # renormalised: probability 1


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
