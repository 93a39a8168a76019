"""Helpers for the augmentation layer tests: Keras's `transform_images` with our draws.

A random layer here exposes `_sample(batch, device)` (Keras's "transformation", as a dict
of tensors) and `_augment(nchw_images, transformation)`. `assert_transform_matches_keras`
draws one transformation, applies it here and hands the same values to Keras's
`transform_images`, so the random layers are compared value for value with Keras.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from tests.oracle import assert_close, keras_or_skip, to_numpy


@contextlib.contextmanager
def quiet_keras() -> Iterator[None]:
    """Silence the UserWarnings Keras's own torch code raises (e.g. `Tensor.T` on 0-D)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def assert_transform_matches_keras(
    layer: Any,
    keras_kwargs: dict[str, Any],
    x: np.ndarray,
    to_keras: Callable[[dict[str, torch.Tensor]], Any] = lambda params: params,
    atol: float = 2e-5,
    rtol: float = 1e-5,
) -> torch.Tensor:
    """Apply one draw of `layer` to `x` here and in Keras (same class name); compare."""
    keras = keras_or_skip()
    images = torch.from_numpy(x)
    nchw, _ = layer._to_nchw(images)
    params = layer._sample(nchw.shape[0], nchw.device)
    got = layer._from_nchw(layer._augment(nchw, params), False)
    ref = getattr(keras.layers, type(layer).__name__)(**keras_kwargs)
    with quiet_keras():
        expected = ref.transform_images(keras.ops.convert_to_tensor(x), to_keras(params))
    assert tuple(got.shape) == tuple(expected.shape)
    assert_close(got, to_numpy(expected), atol=atol, rtol=rtol)
    return got


def assert_seeded_and_inference_identity(layer_cls: type, kwargs: dict[str, Any]) -> None:
    """Same seed -> same outputs; training=False -> the input; 3-D input keeps its shape;
    the draws advance; it runs on the `meta` device (no host sync)."""
    x = torch.rand(4, 6, 5, 3) * 255 if "value_range" not in kwargs else _in_range(kwargs)
    first = layer_cls(**kwargs, seed=7)(x, training=True)
    second = layer_cls(**kwargs, seed=7)(x, training=True)
    assert torch.equal(first, second)
    assert first.dtype == torch.float32
    assert first.shape == x.shape
    assert torch.equal(layer_cls(**kwargs, seed=7)(x, training=False), x)
    assert layer_cls(**kwargs, seed=7)(x[0], training=True).shape == x[0].shape
    layer = layer_cls(**kwargs, seed=7)
    assert not torch.equal(layer(x, training=True), layer(x, training=True))  # stream advances
    assert_no_host_sync(layer_cls(**kwargs, seed=7))


def assert_no_host_sync(layer: Any) -> None:
    """The layer runs on `meta` tensors: no step reads device values back to the host."""
    meta = torch.empty(2, 6, 5, 3, device="meta")
    out = layer(meta, training=True)
    assert out.device.type == "meta"
    assert out.shape == meta.shape


def _in_range(kwargs: dict[str, Any]) -> torch.Tensor:
    low, high = sorted(kwargs["value_range"])
    return torch.rand(4, 6, 5, 3) * (high - low) + low
