import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


class _StubModel:
    """Just what the callbacks touch: `stop_training`, weights, `metrics`."""

    def __init__(self):
        self.stop_training = False
        self.metrics = []
        self.weights = [np.zeros(2)]

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]


def _replay(callback, sequence, key="val_loss"):
    """Feed `sequence` as epoch logs; return what the callback decided at each epoch."""
    model = _StubModel()
    callback.set_model(model)
    callback.on_train_begin()
    decisions = []
    for epoch, value in enumerate(sequence):
        model.weights = [np.full(2, float(epoch))]
        callback.on_epoch_end(epoch, {"loss": 1.0, key: value})
        decisions.append((model.stop_training, callback.wait, callback.best))
        if model.stop_training:
            break
    callback.on_train_end()
    return decisions, callback.stopped_epoch, callback.best_epoch, model.weights[0][0]


_SEQUENCES = [
    [1.0, 0.9, 0.95, 0.97, 0.85, 0.86, 0.87, 0.88, 0.89],
    [0.5, 0.5, 0.5, 0.5, 0.5],
    [0.3, 0.2999999, 0.29, 0.3, 0.31, 0.28, 0.35, 0.36, 0.37, 0.38],
    [2.0, 1.0, 0.5, 0.25, 0.125],
]
_CONFIGS = [
    {},
    {"patience": 2},
    {"patience": 2, "min_delta": 0.02},
    {"patience": 1, "baseline": 0.6},
    {"patience": 3, "baseline": 0.2, "restore_best_weights": True},
    {"patience": 1, "restore_best_weights": True},
    {"patience": 1, "start_from_epoch": 3},
    {"patience": 2, "mode": "max"},
    {"patience": 2, "mode": "max", "min_delta": 0.01, "baseline": 0.9},
]


@pytest.mark.parity
@pytest.mark.parametrize("config", _CONFIGS)
@pytest.mark.parametrize("sequence", _SEQUENCES)
def test_early_stopping_decides_as_keras_on_the_same_logs(config, sequence):
    keras = keras_or_skip()
    ours = _replay(kt.callbacks.EarlyStopping(**config), sequence)
    theirs = _replay(keras.callbacks.EarlyStopping(**config), sequence)
    assert ours[0] == [(stop, wait, None if b is None else float(b)) for stop, wait, b in theirs[0]]
    assert ours[1:] == theirs[1:]


def _data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 0.0]) > 0).astype("float32")[:, None]
    return x, y


@pytest.mark.parity
@pytest.mark.parametrize(
    "config",
    [
        {"monitor": "val_loss", "patience": 1, "min_delta": 0.05},
        {"monitor": "val_accuracy", "patience": 0},
        {"monitor": "loss", "patience": 2, "min_delta": 0.03, "restore_best_weights": True},
    ],
)
def test_early_stopping_in_fit_stops_where_keras_stops_on_the_same_history(config):
    keras = keras_or_skip()
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer=kt.optimizers.SGD(0.05), loss="binary_crossentropy", metrics=["accuracy"]
    )
    weights = []
    record = kt.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.append(model.get_weights())
    )
    x, y = _data()
    stopper = kt.callbacks.EarlyStopping(**config)
    history = model.fit(
        x, y, validation_split=0.25, epochs=12, batch_size=8, shuffle=False, verbose=0,
        callbacks=[record, stopper],
    )  # fmt: skip
    # Keras's EarlyStopping, replaying our History on a compiled Keras model.
    ref = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    ref.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    ref.fit(x, y, epochs=1, verbose=0)
    replay = keras.callbacks.EarlyStopping(**config)
    replay.set_model(ref)
    ref.stop_training = False
    replay.on_train_begin()
    epochs_run = len(history.epoch)
    for epoch in range(epochs_run):
        replay.on_epoch_end(epoch, {k: v[epoch] for k, v in history.history.items()})
        if ref.stop_training:
            break
    assert epoch + 1 == epochs_run
    assert ref.stop_training == (epochs_run < 12)
    assert (stopper.stopped_epoch, stopper.best_epoch) == (replay.stopped_epoch, replay.best_epoch)
    if config.get("restore_best_weights"):
        for ours, best in zip(model.get_weights(), weights[stopper.best_epoch], strict=True):
            np.testing.assert_array_equal(ours, best)


def test_early_stopping_missing_key_warns_and_keeps_training():
    model = kt.Sequential([kt.Input((4,)), kt.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = _data(16)
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not available"):
        history = model.fit(
            x, y, epochs=3, verbose=0, callbacks=[kt.callbacks.EarlyStopping(patience=0)]
        )
    assert history.epoch == [0, 1, 2]


@pytest.mark.parity
def test_early_stopping_verbose_messages_match_keras(capsys):
    keras = keras_or_skip()
    sequence = [1.0, 0.5, 0.6, 0.7]
    config = {"patience": 2, "verbose": 1, "restore_best_weights": True}
    _replay(kt.callbacks.EarlyStopping(**config), sequence)
    ours = capsys.readouterr().out
    _replay(keras.callbacks.EarlyStopping(**config), sequence)
    assert ours == capsys.readouterr().out
    assert "Epoch 4: early stopping" in ours
    assert "Restoring model weights from the end of the best epoch: 2." in ours
