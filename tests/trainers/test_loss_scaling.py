"""Loss scaling in `fit`: `loss_scale_factor` and, under mixed_float16, a LossScaleOptimizer."""

import numpy as np
import pytest

import kerastorch as keras


def _fit(optimizer, epochs=2):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer, "mse")
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    model.fit(x, x[:, :2] * 2, batch_size=4, epochs=epochs, shuffle=False, verbose=0)
    return model


def test_loss_scale_factor_scales_the_loss_and_unscales_the_gradients():
    plain = _fit(keras.optimizers.SGD(0.1))
    scaled = _fit(keras.optimizers.SGD(0.1, loss_scale_factor=4.0))
    for a, b in zip(plain.get_weights(), scaled.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_an_explicit_loss_scale_optimizer_trains_like_its_inner_optimizer():
    plain = _fit(keras.optimizers.Adam(0.01))
    scaled = _fit(keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01)))
    for a, b in zip(plain.get_weights(), scaled.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("auto_scale_loss", [True, False])
def test_mixed_float16_wraps_the_optimizer_as_keras_does(auto_scale_loss):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("adam", "mse", auto_scale_loss=auto_scale_loss)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    wrapped = isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert wrapped is auto_scale_loss
    if wrapped:
        assert model.optimizer.name == "loss_scale_optimizer"
        assert isinstance(model.optimizer.inner_optimizer, keras.optimizers.Adam)


def test_mixed_float16_fit_skips_the_overflowing_first_step_and_halves_the_scale():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("adam", "mse")
        x = np.ones((16, 3), "float32")
        history = model.fit(x, x[:, :2], batch_size=16, epochs=3, verbose=0)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert np.isfinite(history.history["loss"]).all()
    assert int(model.optimizer.iterations) == 2  # 3 steps, the first skipped (2**15 overflows)
    assert float(model.optimizer.scale_loss(np.float32(1.0))) == 2.0**14
    assert all(w.dtype == "float32" for w in model.weights)
