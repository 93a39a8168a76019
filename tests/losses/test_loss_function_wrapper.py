"""`LossFunctionWrapper`: structures of tensors, and Keras's serialized form."""

from __future__ import annotations

import pytest
import torch

from kerastorch import losses
from tests.losses import _data
from tests.oracle import assert_close, keras_or_skip


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


@pytest.mark.parity
def test_loss_function_wrapper_serializes_like_keras():
    keras = keras_or_skip()
    from keras.src.losses.losses import LossFunctionWrapper

    ref = LossFunctionWrapper(keras.losses.huber, name="w", delta=2.0)
    ours = losses.LossFunctionWrapper(losses.huber, name="w", delta=2.0)
    assert losses.serialize(ours) == keras.losses.serialize(ref)
    restored = losses.deserialize(keras.losses.serialize(ref))
    assert restored.fn is losses.huber
    assert restored.get_config() == ref.get_config()
    y_true, y_pred = torch.zeros(2, 3), torch.linspace(-3, 3, 6).reshape(2, 3)
    assert_close(restored(y_true, y_pred), ref(y_true, y_pred))


@pytest.mark.parametrize(
    ("cls", "fn"),
    [
        (losses.MeanSquaredError, losses.mean_squared_error),
        (losses.MeanAbsoluteError, losses.mean_absolute_error),
    ],
)
def test_whole_mean_fast_path_equals_the_per_sample_reduction(cls, fn):
    torch.manual_seed(0)
    y_true, y_pred = torch.randn(6, 4), torch.randn(6, 4, requires_grad=True)
    slow_pred = y_pred.detach().clone().requires_grad_(True)
    loss = cls()
    assert loss._whole_mean is not None
    fast = loss(y_true, y_pred)
    slow = fn(y_true, slow_pred).sum() / 6  # Keras: per-sample means, sum over batch size
    torch.testing.assert_close(fast, slow)
    fast.backward()
    slow.backward()
    torch.testing.assert_close(y_pred.grad, slow_pred.grad)
    # compile(loss="mse") wraps the function: the same fast path
    assert losses.LossFunctionWrapper(fn)._whole_mean is loss._whole_mean


def test_whole_mean_is_skipped_where_it_would_differ():
    y_true, y_pred = torch.zeros(2, 3), torch.ones(2, 3)
    weights = torch.tensor([1.0, 0.0])
    mse = losses.MeanSquaredError()
    assert float(mse(y_true, y_pred, sample_weight=weights)) == pytest.approx(0.5)
    assert float(losses.MeanSquaredError(reduction="sum")(y_true, y_pred)) == 2.0
    # (N,) labels against (N, 1) predictions: Keras squeezes, then the per-sample path
    assert float(mse(torch.zeros(2), torch.ones(2, 1))) == 1.0
    masked = torch.tensor([[1.0, 1.0, 1.0], [3.0, 3.0, 3.0]])
    masked._keras_mask = torch.tensor([True, False])
    assert float(mse(y_true, masked)) == 1.0  # the mean over the unmasked sample

    class Doubled(losses.LossFunctionWrapper):
        def call(self, y_true, y_pred):
            return 2 * super().call(y_true, y_pred)

    doubled = Doubled(losses.mean_squared_error)
    assert doubled._whole_mean is None
    assert float(doubled(y_true, y_pred)) == 2.0
    with_kwargs = losses.LossFunctionWrapper(losses.huber, delta=0.5)
    assert with_kwargs._whole_mean is None


def test_integer_label_functions_keep_their_labels_when_wrapped():
    # compile(loss="sparse_categorical_crossentropy") wraps the function: the labels go to
    # it as integers, as with the class (no float32 round trip)
    seen = []

    def spy(y_true, y_pred):
        seen.append(y_true.dtype)
        return losses.sparse_categorical_crossentropy(y_true, y_pred)

    losses.loss_function_wrapper.INTEGER_LABELS.add(spy)
    try:
        wrapped = losses.LossFunctionWrapper(spy)
        y_true, y_pred = torch.tensor([2, 0]), torch.softmax(torch.randn(2, 3), -1)
        expected = losses.SparseCategoricalCrossentropy()(y_true, y_pred)
        torch.testing.assert_close(wrapped(y_true, y_pred), expected)
        assert seen == [torch.int64]
        assert wrapped(y_true.float(), y_pred) == pytest.approx(float(expected))  # floats too
    finally:
        losses.loss_function_wrapper.INTEGER_LABELS.discard(spy)
    for fn in (losses.sparse_categorical_crossentropy, losses.ctc):
        assert losses.LossFunctionWrapper(fn)._integer_labels
    assert not losses.LossFunctionWrapper(losses.mean_squared_error)._integer_labels
    assert losses.SparseCategoricalCrossentropy()._integer_labels
