"""`.keras` files with optimizer state, both ways with Keras, for the optimizer tests."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import kerastorch
from tests.oracle import assert_close, keras_or_skip


def check_keras_file_round_trip(make: Callable[[Any], Any], directory: str) -> None:
    """A compiled model whose optimizer (`make(library)`) took two steps, saved to `.keras`
    by kerastorch and loaded by Keras, and the other way: the optimizer class and every
    state variable survive.

    A wrapping optimizer's inner optimizers are also written in their own groups
    (`optimizer/inner_optimizer`, `optimizer/optimizers/<name>`), as Keras writes them:
    without them Keras would warn that it skips those groups.
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
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # no "Skipping variable loading"
            loaded = target.saving.load_model(path)
        assert type(loaded.optimizer).__name__ == type(model.optimizer).__name__
        saved = [np.asarray(v.numpy()) for v in model.optimizer.variables]
        assert_close([np.asarray(v.numpy()) for v in loaded.optimizer.variables], saved)
