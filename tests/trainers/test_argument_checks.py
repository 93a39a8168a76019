"""`fit`/`evaluate`/`predict` refuse bad counting arguments before reading any data."""

import numpy as np
import pytest

import kerastorch
from kerastorch.trainers.argument_checks import check_fit_arguments, check_loop_arguments
from tests.oracle import keras_or_skip

X = np.random.default_rng(0).normal(size=(10, 4)).astype("float32")
Y = np.random.default_rng(1).normal(size=(10, 1)).astype("float32")


def regressor(keras=kerastorch):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("batch_size", [0, -5, 2.5, "32", True])
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_batch_size_not_a_positive_int_is_refused_before_any_step(method, batch_size):
    model = regressor()
    before = model.get_weights()
    args = (X,) if method == "predict" else (X, Y)
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer") as info:
        getattr(model, method)(*args, batch_size=batch_size, verbose=0)
    assert f"batch_size={batch_size!r}" in str(info.value)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("steps_per_epoch", 0),
        ("steps_per_epoch", -1),
        ("steps_per_epoch", 1.5),
        ("validation_steps", 0),
        ("validation_steps", -2),
        ("validation_batch_size", 0),
    ],
)
def test_fit_steps_not_a_positive_int_are_refused(argument, value):
    with pytest.raises(ValueError, match=f"`{argument}` must be a positive integer"):
        regressor().fit(X, Y, validation_data=(X, Y), verbose=0, **{argument: value})


@pytest.mark.parametrize("method", ["evaluate", "predict"])
@pytest.mark.parametrize("steps", [0, -1, 1.5])
def test_evaluate_and_predict_steps_not_a_positive_int_are_refused(method, steps):
    args = (X,) if method == "predict" else (X, Y)
    with pytest.raises(ValueError, match="`steps` must be a positive integer"):
        getattr(regressor(), method)(*args, steps=steps, verbose=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs": -1}, "`epochs` must be a non-negative integer. Received: epochs=-1"),
        ({"epochs": 2.5}, r"epochs=2.5 \(of type float\)"),
        ({"initial_epoch": -1}, "`initial_epoch` must be a non-negative integer"),
        ({"epochs": 1, "initial_epoch": 2}, "initial_epoch=2, epochs=1"),
    ],
)
def test_fit_epochs_and_initial_epoch_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        regressor().fit(X, Y, verbose=0, **kwargs)


@pytest.mark.parametrize(("epochs", "initial_epoch"), [(0, 0), (2, 2)])
def test_fit_with_no_epoch_to_run_returns_an_empty_history_like_keras(epochs, initial_epoch):
    history = regressor().fit(X, Y, epochs=epochs, initial_epoch=initial_epoch, verbose=0)
    assert history.history == {}
    assert history.epoch == []
    keras = keras_or_skip()
    reference = regressor(keras).fit(X, Y, epochs=epochs, initial_epoch=initial_epoch, verbose=0)
    assert reference.history == history.history


def test_check_fit_arguments_accepts_numpy_integers_and_none():
    check_fit_arguments(np.int64(8), np.int32(3), 1, None, np.int64(2), None)
    check_loop_arguments(None, None)
