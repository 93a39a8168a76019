"""`History`: `fit`'s return value, with Keras's `history`, `params` and `epoch`."""

import numpy as np
import pytest

import kerastorch
from kerastorch.callbacks import History
from tests.trainers.fit_checks import assert_same_history, fit_twins

X = np.random.default_rng(4).normal(size=(20, 3)).astype("float32")
Y = np.random.default_rng(5).normal(size=(20, 1)).astype("float32")


def dense(K):
    return K.Sequential([K.Input((3,)), K.layers.Dense(1)])


@pytest.mark.parity
@pytest.mark.parametrize(
    "fit_kwargs",
    [
        {"epochs": 2, "verbose": 0},
        {"epochs": 4, "initial_epoch": 2, "batch_size": 6, "verbose": 2},
        {"epochs": 3, "validation_split": 0.5, "validation_freq": [1, 3], "verbose": 0},
    ],
)
def test_history_attributes_match_keras(fit_kwargs, capsys):
    _, ours, expected, actual = fit_twins(
        dense, lambda K: {"optimizer": "sgd", "loss": "mse", "metrics": ["mae"]},
        {"x": X, "y": Y}, **fit_kwargs,
    )  # fmt: skip
    assert_same_history(expected, actual)
    assert set(actual.params) == {"verbose", "epochs", "steps"}
    assert ours.history is actual
    capsys.readouterr()


def test_history_records_each_epoch():
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 0.5})
    history.on_epoch_end(1, {"loss": 0.25, "val_loss": 0.3})
    assert history.history == {"loss": [0.5, 0.25], "val_loss": [0.3]}
    assert history.epoch == [0, 1]


def test_history_is_a_fresh_object_per_fit():
    model = dense(kerastorch)
    model.compile(optimizer="sgd", loss="mse")
    first = model.fit(X, Y, epochs=1, verbose=0)
    second = model.fit(X, Y, epochs=2, verbose=0)
    assert first is not second
    assert len(first.history["loss"]) == 1
    assert len(second.history["loss"]) == 2
