"""Shared helpers of the recurrent-layer tests: run a layer here and in Keras on the same data.

`run_pair` builds a Keras layer and ours, copies Keras's weights into ours with
`set_weights`, calls both (several times for stateful layers) with the same inputs, masks
and initial states, and returns both outputs of every call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.common import tree
from tests.oracle import assert_close


def sequences(shape: tuple[int, ...] = (3, 5, 4), seed: int = 0) -> np.ndarray:
    """Standard normal float32 inputs."""
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


# Masks over (batch=3, time=5): right-padded (one row full), right-padded with a fully
# masked row, and a mask with holes (not right-padded).
RIGHT_PADDED = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
WITH_EMPTY_ROW = np.array([[1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
WITH_HOLES = np.array([[1, 0, 1, 1, 0], [0, 1, 1, 1, 1], [1, 1, 1, 0, 1]], dtype=bool)


def run_pair(
    keras: Any,
    keras_layer: Any,
    layer: Any,
    x: np.ndarray,
    *,
    calls: int = 1,
    atol: float = 1e-5,
    **call_kwargs: Any,
) -> tuple[list[Any], list[Any]]:
    """Call both layers `calls` times on `x` (with `call_kwargs`) and compare every output.

    NumPy arrays in `call_kwargs` (masks, initial states) are converted for each library.
    """
    keras_layer.build(x.shape)
    layer.build(x.shape)
    layer.set_weights(keras_layer.get_weights())
    to_keras = lambda v: keras.ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    to_torch = lambda v: torch.as_tensor(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    keras_kwargs = {k: tree.map_structure(to_keras, v) for k, v in call_kwargs.items()}
    our_kwargs = {k: tree.map_structure(to_torch, v) for k, v in call_kwargs.items()}
    ours, theirs = [], []
    for _ in range(calls):
        theirs.append(keras_layer(keras.ops.convert_to_tensor(x), **keras_kwargs))
        ours.append(layer(torch.as_tensor(x), **our_kwargs))
        assert_close(_as_list(ours[-1]), _as_list(theirs[-1]), atol=atol)
    return ours, theirs


def _as_list(out: Any) -> list[Any]:
    return list(tree.flatten(out))
