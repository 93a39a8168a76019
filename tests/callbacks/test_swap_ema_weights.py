import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import assert_close, keras_or_skip


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-1.0], [2.0]]) + 0.5).astype("float32")
    return x[:24], y[:24], x[24:], y[24:]


def _model(keras, weights=None, use_ema=True):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    if weights is not None:
        model.set_weights(weights)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1, momentum=0.5, use_ema=use_ema, ema_momentum=0.9),
        loss="mse",
    )
    return model


@pytest.mark.parity
@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_swap_ema_weights_fit_matches_keras(swap_on_epoch):
    keras = keras_or_skip()
    x, y, vx, vy = _data()
    ours = _model(kt)
    theirs = _model(keras, ours.get_weights())
    kwargs = {
        "validation_data": (vx, vy),
        "epochs": 3,
        "batch_size": 8,
        "shuffle": False,
        "verbose": 0,
    }
    history = ours.fit(x, y, callbacks=[kt.callbacks.SwapEMAWeights(swap_on_epoch)], **kwargs)
    expected = theirs.fit(x, y, callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch)], **kwargs)
    for key in ("loss", "val_loss"):
        assert_close(history.history[key], expected.history[key])
    assert_close(ours.get_weights(), theirs.get_weights())
    assert_close(ours.evaluate(vx, vy, verbose=0), theirs.evaluate(vx, vy, verbose=0))


def test_swap_ema_weights_evaluates_with_the_averages_and_restores_the_weights():
    x, y, vx, vy = _data()
    model = _model(kt)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # ends with weights = averages
    for _ in range(3):
        model.train_on_batch(x[:8], y[:8])  # now the weights and their averages differ
    trained = model.get_weights()
    callback = kt.callbacks.SwapEMAWeights()
    with_ema = model.evaluate(vx, vy, verbose=0, callbacks=[callback])
    assert_close(model.get_weights(), trained)  # swapped back after evaluation
    plain = model.evaluate(vx, vy, verbose=0)
    assert with_ema != pytest.approx(plain)
    model.optimizer.swap_ema_weights()
    assert model.evaluate(vx, vy, verbose=0) == pytest.approx(with_ema)
    model.optimizer.swap_ema_weights()
    model.predict(vx, verbose=0, callbacks=[callback])
    assert_close(model.get_weights(), trained)  # predict swaps back too


def test_swap_ema_weights_without_ema_raises():
    x, y, vx, vy = _data()
    model = _model(kt, use_ema=False)
    with pytest.raises(
        ValueError, match=r"must be used when `use_ema=True` is set on the optimizer"
    ):
        model.fit(
            x,
            y,
            validation_data=(vx, vy),
            epochs=1,
            verbose=0,
            callbacks=[kt.callbacks.SwapEMAWeights()],
        )
