"""`tf.GradientTape`: gradients in Keras layout that `apply_gradients` takes."""

import numpy as np
import pytest
import torch

import kerastorch as keras
from kerastorch import tf_standin as tf


def test_gradients_of_model_variables_are_in_keras_layout():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    x = torch.randn(4, 3)
    with tf.GradientTape() as tape:
        loss = (model(x) ** 2).sum()
    kernel_grad, bias_grad = tape.gradient(loss, model.trainable_variables)
    kernel = model.layers[0].kernel
    expected = torch.autograd.functional.jacobian(
        lambda k: ((x @ k + model.layers[0].bias.value.detach()) ** 2).sum(),
        kernel.value.detach(),
    )
    assert kernel_grad.shape == (3, 2)
    torch.testing.assert_close(kernel_grad, expected)
    assert bias_grad.shape == (2,)


def test_custom_loop_trains_and_non_persistent_tape_is_single_use():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.SGD(0.1)
    x = np.random.rand(16, 2).astype("float32")
    y = x @ np.array([[1.0], [-2.0]], "float32")
    losses = []
    for _ in range(30):
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        losses.append(float(loss.detach()))
    assert losses[-1] < losses[0] / 2
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(loss, model.trainable_variables)


def test_watch_persistent_and_unconnected():
    x = torch.tensor(2.0)
    unused = torch.tensor(1.0, requires_grad=True)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x**3
    assert float(tape.gradient(y, x)) == 12.0
    assert tape.gradient(y, [x, unused])[1] is None
    assert tape.gradient(y, {"u": unused}, unconnected_gradients="zero")["u"].item() == 0.0
