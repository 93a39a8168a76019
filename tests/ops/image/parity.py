"""Shared checks of the image-op tests: one op against Keras, eagerly and on KerasTensors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import kerastorch
from kerastorch.ops import image as kimage
from tests.oracle import assert_close, keras_or_skip

# Channels-last and channels-first views of one small batch, and of one image.
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(size=(2, 8, 8, 3)).astype("float32")
LAYOUTS = {
    "channels_last": IMAGES,
    "channels_first": np.ascontiguousarray(IMAGES.transpose(0, 3, 1, 2)),
}


def dtype_name(x: Any) -> str:
    return str(x.dtype).removeprefix("torch.")


def assert_matches_keras(name: str, args: tuple, kwargs: dict, atol: float = 1e-5) -> Any:
    """`ops.image.<name>(*args, **kwargs)` equals Keras's: dtype, shape and values."""
    keras = keras_or_skip()
    ours = getattr(kimage, name)(*args, **kwargs)
    theirs = getattr(keras.ops.image, name)(*args, **kwargs)
    assert dtype_name(ours) == dtype_name(theirs)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert_close(ours, theirs, atol=atol)
    return ours


def assert_symbolic_matches_keras(build: Callable[[Any, Any], Any]) -> None:
    """`build(keras_module, image_ops)` gives the same shape and dtype in both libraries."""
    keras = keras_or_skip()
    ours = build(kerastorch, kimage)
    theirs = build(keras, keras.ops.image)
    assert isinstance(ours, kerastorch.KerasTensor)
    assert (ours.shape, ours.dtype) == (tuple(theirs.shape), theirs.dtype)
