"""Helpers for the image preprocessing tests: small random images and a Keras comparison."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from tests.oracle import assert_close, keras_or_skip, to_numpy


def images(shape: tuple[int, ...] = (2, 8, 7, 3), seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random(shape).astype("float32")


def assert_matches_keras(
    ours: Any, keras_name: str, kwargs: dict[str, Any], x: np.ndarray, **call_kwargs: Any
) -> torch.Tensor:
    """Run our layer and Keras's (built from the same kwargs) on `x`; compare outputs."""
    keras = keras_or_skip()
    ref = getattr(keras.layers, keras_name)(**kwargs)
    expected = to_numpy(ref(x, **call_kwargs))
    got = ours(torch.from_numpy(x), **call_kwargs)
    assert tuple(got.shape) == expected.shape
    assert_close(got, expected, atol=2e-5)
    return got
