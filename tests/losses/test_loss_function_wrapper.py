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
