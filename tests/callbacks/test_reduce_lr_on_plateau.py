import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


class _StubModel:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.metrics = []


def _replay(callback, optimizer, sequence):
    callback.set_model(_StubModel(optimizer))
    callback.on_train_begin()
    trace = []
    for epoch, value in enumerate(sequence):
        logs = {"loss": value, "val_loss": value}
        callback.on_epoch_end(epoch, logs)
        lr = float(np.asarray(optimizer.learning_rate.numpy()))
        trace.append((logs["learning_rate"], lr, callback.wait, callback.cooldown_counter))
    return trace


_SEQUENCE = [1.0, 0.9, 0.9, 0.91, 0.95, 0.8, 0.80001, 0.81, 0.82, 0.83, 0.7, 0.9, 0.9, 0.9]


@pytest.mark.parity
@pytest.mark.parametrize(
    "config",
    [
        {"patience": 1},
        {"patience": 2, "factor": 0.5, "cooldown": 2},
        {"patience": 0, "factor": 0.2, "min_lr": 0.01},
        {"patience": 1, "min_delta": 0.05, "cooldown": 1},
        {"patience": 1, "mode": "max"},
        {"patience": 1, "min_delta": 0.0},
    ],
)
def test_reduce_lr_on_plateau_reduces_as_keras_on_the_same_logs(config):
    keras = keras_or_skip()
    ours = _replay(kt.callbacks.ReduceLROnPlateau(**config), kt.optimizers.SGD(0.1), _SEQUENCE)
    theirs = _replay(
        keras.callbacks.ReduceLROnPlateau(**config), keras.optimizers.SGD(0.1), _SEQUENCE
    )
    assert ours == theirs


def test_reduce_lr_on_plateau_in_fit_sets_the_optimizer_learning_rate():
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(1)])
    model.compile(optimizer=kt.optimizers.Adam(0.01), loss="mse")
    reduce = kt.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=1e3)
    history = model.fit(np.ones((8, 2)), np.ones(8), epochs=3, verbose=0, callbacks=[reduce])
    # The logged rate is the one the epoch ran with; each epoch then halves it.
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.005])
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.0025)


def test_reduce_lr_on_plateau_bad_factor_and_missing_key():
    with pytest.raises(
        ValueError, match=r"does not support a factor >= 1\.0\. Received factor=1\.5"
    ):
        kt.callbacks.ReduceLROnPlateau(factor=1.5)
    callback = kt.callbacks.ReduceLROnPlateau(monitor="val_loss", mode="min")
    callback.set_model(_StubModel(kt.optimizers.SGD(0.1)))
    callback.on_train_begin()
    with pytest.warns(
        UserWarning, match="Learning rate reduction is conditioned on metric `val_loss`"
    ):
        callback.on_epoch_end(0, {"loss": 1.0})


@pytest.mark.parity
def test_reduce_lr_on_plateau_verbose_message_matches_keras(capsys):
    keras = keras_or_skip()
    config = {"patience": 0, "verbose": 1, "factor": 0.5}
    _replay(kt.callbacks.ReduceLROnPlateau(**config), kt.optimizers.SGD(0.1), [1.0, 1.0])
    ours = capsys.readouterr().out
    _replay(keras.callbacks.ReduceLROnPlateau(**config), keras.optimizers.SGD(0.1), [1.0, 1.0])
    assert ours == capsys.readouterr().out
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05" in ours
