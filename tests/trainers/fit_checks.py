"""Twin models for the training-loop oracle tests: the same model in Keras and kerastorch.

`twins(build)` builds `build(keras)` and `build(kerastorch)` and copies Keras's initial
weights into ours; `fit_twins` then compiles and fits both the same way (`shuffle=False`)
and returns both models and both `History` objects; `assert_same_history` compares them.

Example (what each oracle test does)::

    reference, ours, expected, actual = fit_twins(
        build, lambda K: {"optimizer": "adam", "loss": "mse"}, {"x": x, "y": y}, epochs=2
    )
    assert_same_history(expected, actual)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import kerastorch
from tests.oracle import assert_close, keras_or_skip

# The data and models the trainer tests share (drawn in this order: keep it).
RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 5)).astype("float32")
Y_SPARSE = RNG.integers(0, 3, size=(30,))
Y_REG = RNG.normal(size=(30, 2)).astype("float32")
WEIGHTS = RNG.uniform(0.1, 2.0, size=(30,)).astype("float32")


def mlp(K, regularizer=False):
    inputs = K.Input((5,))
    hidden = K.layers.Dense(
        8,
        activation="relu",
        kernel_regularizer=K.regularizers.L2(0.01) if regularizer else None,
    )(inputs)
    return K.Model(inputs, K.layers.Dense(3, activation="softmax")(hidden))


def regressor(K):
    return K.Sequential([K.Input((5,)), K.layers.Dense(6, activation="tanh"), K.layers.Dense(2)])


def twins(build: Callable[[Any], Any]) -> tuple[Any, Any]:
    """`(keras_model, our_model)`, built by `build(module)`, with the same weights."""
    keras = keras_or_skip()
    reference, ours = build(keras), build(kerastorch)
    ours.set_weights(reference.get_weights())
    return reference, ours


def fit_twins(
    build: Callable[[Any], Any],
    compile_kwargs: Callable[[Any], dict[str, Any]],
    data: dict[str, Any],
    **fit_kwargs: Any,
) -> tuple[Any, Any, Any, Any]:
    """Compile both twins with `compile_kwargs(module)` and fit them on `data`.

    Returns `(keras_model, our_model, keras_history, our_history)`.
    """
    reference, ours = twins(build)
    keras = keras_or_skip()
    histories = []
    for model, module in ((reference, keras), (ours, kerastorch)):
        model.compile(**compile_kwargs(module))
        kwargs = {"shuffle": False, "verbose": 0, **data, **fit_kwargs}
        if module is kerastorch:
            histories.append(model.fit(**kwargs))
            continue
        with warnings.catch_warnings():  # Keras's own warnings are not under test
            warnings.simplefilter("ignore")
            histories.append(model.fit(**kwargs))
    return reference, ours, histories[0], histories[1]


def assert_same_history(expected: Any, actual: Any, atol: float = 1e-5) -> None:
    """Same keys, epochs, params and (to float32 tolerance) values."""
    assert sorted(actual.history) == sorted(expected.history)
    assert actual.epoch == expected.epoch
    assert actual.params == expected.params
    for key, values in expected.history.items():
        assert_close(np.array(actual.history[key]), np.array(values), atol=atol, rtol=atol)


def assert_same_weights(expected: Any, actual: Any, atol: float = 1e-5) -> None:
    assert_close(actual.get_weights(), expected.get_weights(), atol=atol, rtol=atol)


def as_torch(x: Any) -> Any:
    """NumPy leaves as torch tensors (for calling our model directly)."""
    if isinstance(x, dict):
        return {k: as_torch(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(as_torch(v) for v in x)
    return torch.from_numpy(np.asarray(x))
