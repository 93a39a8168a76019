"""`.keras` files with optimizer state, both ways with Keras, for the optimizer tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import kerastorch
from tests.oracle import assert_close, keras_or_skip


def check_keras_file_round_trip(
    make: Callable[[Any], Any], directory: str, wrapper: bool = False
) -> None:
    """A compiled model whose optimizer (`make(library)`) took two steps, saved to `.keras`
    by kerastorch and loaded by Keras, and the other way: the optimizer class and every
    state variable survive.

    `wrapper`: the optimizer wraps others. Keras also writes each inner optimizer's state
    in its own group (`optimizer/inner_optimizer`, `optimizer/optimizers/<name>`), which
    kerastorch's saving does not write yet: Keras then warns that it skips those groups
    (the wrapper's own group holds the whole state, so nothing is lost).
    """
    keras = keras_or_skip()
    rng = np.random.default_rng(0)
    grads = [[rng.normal(size=(3, 2)).astype("float32"), rng.normal(size=2).astype("float32")]]
    grads.append([g * 2 for g in grads[0]])
    for source, target in [(kerastorch, keras), (keras, kerastorch)]:
        model = source.Sequential([source.Input((3,)), source.layers.Dense(2)])
        model.compile(optimizer=make(source), loss="mse")
        for step in grads:
            model.optimizer.apply([torch.tensor(g) for g in step], model.trainable_variables)
        path = os.path.join(directory, f"{source.__name__}.keras")
        model.save(path)
        if wrapper and target is keras:
            with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
                loaded = target.saving.load_model(path)
        else:
            loaded = target.saving.load_model(path)
        assert type(loaded.optimizer).__name__ == type(model.optimizer).__name__
        saved = [np.asarray(v.numpy()) for v in model.optimizer.variables]
        assert_close([np.asarray(v.numpy()) for v in loaded.optimizer.variables], saved)
