import numpy as np
import pytest

import kerastorch as kt
from tests.oracle import keras_or_skip


def _write(callback, epochs_logs, runs=1):
    for _ in range(runs):
        callback.on_train_begin()
        for epoch, logs in enumerate(epochs_logs):
            callback.on_epoch_end(epoch, dict(logs))
        callback.on_train_end()


_LOGS = [
    [{"loss": 0.6931471824645996, "accuracy": 0.5, "val_loss": 0.7, "val_accuracy": 0.25}],
    [{"loss": 1.0, "mae": 0.1234567890123}, {"loss": 0.5, "mae": 0.1}],
    [{"loss": np.float32(0.25), "lr": np.array(0.1), "vec": np.array([1.0, 2.5]), "name": "x"}],
    [{"val_loss": 0.3, "loss": 0.2}, {"loss": 0.1}],
]


@pytest.mark.parity
@pytest.mark.parametrize("logs", _LOGS)
@pytest.mark.parametrize(
    ("separator", "append", "runs"), [(",", False, 1), (";", True, 2), ("\t", False, 2)]
)
def test_csv_logger_writes_the_same_bytes_as_keras(logs, separator, append, runs, tmp_path):
    keras = keras_or_skip()
    ours, theirs = tmp_path / "ours.csv", tmp_path / "keras.csv"
    _write(kt.callbacks.CSVLogger(ours, separator=separator, append=append), logs, runs)
    _write(keras.callbacks.CSVLogger(str(theirs), separator=separator, append=append), logs, runs)
    assert ours.read_bytes() == theirs.read_bytes()


def test_csv_logger_rows_hold_the_history_of_a_fit(tmp_path):
    path = tmp_path / "log.csv"
    model = kt.Sequential([kt.Input((2,)), kt.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.random.default_rng(0).normal(size=(12, 2)).astype("float32")
    history = model.fit(
        x,
        x[:, :1],
        validation_split=0.25,
        epochs=3,
        verbose=0,
        callbacks=[kt.callbacks.CSVLogger(path)],
    )
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    for epoch, line in enumerate(lines[1:]):
        values = [float(v) for v in line.split(",")]
        assert values[0] == epoch
        expected = [history.history[k][epoch] for k in ("loss", "mae", "val_loss", "val_mae")]
        assert values[1:] == expected  # exact: Python's repr round-trips
