import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


def _fit(keras, callback):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[1.0], [1.0], [np.inf], [1.0], [1.0], [1.0]], "float32")
    batches = []
    record = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b))
    history = model.fit(
        x, np.ones((6, 1), "float32"), batch_size=2, epochs=3, shuffle=False, verbose=0,
        callbacks=[callback, record],
    )  # fmt: skip
    return history, batches


@pytest.mark.parity
def test_terminate_on_nan_stops_at_the_same_batch_as_keras(capsys):
    keras = keras_or_skip()
    history, batches = _fit(kt, kt.callbacks.TerminateOnNaN())
    ours = capsys.readouterr().out
    expected, expected_batches = _fit(keras, keras.callbacks.TerminateOnNaN())
    assert ours == capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"
    assert batches == expected_batches == [0, 1]
    assert history.epoch == expected.epoch == [0]
    assert not np.isfinite(history.history["loss"][0])


def test_terminate_on_nan_raise_error():
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        _fit(kt, kt.callbacks.TerminateOnNaN(raise_error=True))
