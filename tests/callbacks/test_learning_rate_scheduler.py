import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


def _fit(keras, callbacks, epochs=4):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(
        np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), epochs=epochs, verbose=0,
        callbacks=callbacks,
    )  # fmt: skip
    return model, history


_SCHEDULES = [
    lambda epoch, lr: lr if epoch < 2 else lr * 0.5,
    lambda epoch: 0.01 * (epoch + 1),
    lambda epoch, lr: float(np.float32(lr) * np.float32(0.9)),
    lambda epoch, lr: np.float32(0.05),
]


@pytest.mark.parity
@pytest.mark.parametrize("schedule", _SCHEDULES)
def test_learning_rate_scheduler_logs_the_same_rates_as_keras(schedule):
    keras = keras_or_skip()
    model, history = _fit(kt, [kt.callbacks.LearningRateScheduler(schedule)])
    _, expected = _fit(keras, [keras.callbacks.LearningRateScheduler(schedule)])
    assert history.history["learning_rate"] == expected.history["learning_rate"]
    last = float(model.optimizer.learning_rate.numpy())
    assert last == expected.history["learning_rate"][-1]


def test_learning_rate_scheduler_rejects_non_float_results():
    scheduler = kt.callbacks.LearningRateScheduler(lambda epoch: 1)
    with pytest.raises(
        ValueError, match=r"output of the `schedule` function should be a float\. Got: 1"
    ):
        _fit(kt, [scheduler], epochs=1)


@pytest.mark.parity
def test_learning_rate_scheduler_verbose_message_matches_keras(capsys):
    keras = keras_or_skip()
    _fit(kt, [kt.callbacks.LearningRateScheduler(lambda epoch: 0.5 / (epoch + 1), verbose=1)], 2)
    ours = capsys.readouterr().out
    _fit(
        keras,
        [keras.callbacks.LearningRateScheduler(lambda epoch: 0.5 / (epoch + 1), verbose=1)],
        2,
    )
    assert ours == capsys.readouterr().out
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.25." in ours
