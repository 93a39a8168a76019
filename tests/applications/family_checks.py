"""Checks shared by the family tests of InceptionV3, Xception, InceptionResNetV2 and NASNet:
Keras's weights moved off their initial values, Keras's validation errors, Keras's ImageNet
file layout loaded from the cache and from a path, and "tf"-mode preprocessing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

from tests.applications import conv_app_checks as checks
from tests.oracle import assert_close


def perturbed(theirs: Any) -> Any:
    """Keras's model with its vectors (biases, BatchNormalization scales, offsets and
    statistics) moved off their initial values by up to 0.1, so that they count in the
    comparison; the kernels keep their random initialization, so activations stay finite."""
    rng = np.random.default_rng(0)
    theirs.set_weights(
        [
            w + rng.uniform(-0.1, 0.1, w.shape).astype(w.dtype) if w.ndim == 1 else w
            for w in theirs.get_weights()
        ]
    )
    return theirs


def assert_same_outputs(ours: Any, theirs: Any, x: np.ndarray) -> None:
    """Both models predict the same finite numbers on `x` (atol 1e-4, rtol 1e-3)."""
    expected = theirs.predict(x, verbose=0)
    assert np.isfinite(expected).all()
    assert_close(ours.predict(x, verbose=0), expected, atol=checks.ATOL, rtol=1e-3)


def assert_same_error(
    ours_ctor: Callable[..., Any], theirs_ctor: Callable[..., Any], match: str, **kwargs: Any
) -> None:
    """Both constructors refuse `kwargs` with a ValueError, and the same message."""
    with pytest.raises(ValueError, match=match) as ours:
        ours_ctor(**kwargs)
    with pytest.raises(ValueError) as theirs:
        theirs_ctor(**kwargs)
    assert str(ours.value) == str(theirs.value)


def assert_loads_imagenet_file(
    ctor: Callable[..., Any],
    theirs: Any,
    fname: str,
    set_hash: Callable[[str], None],
    monkeypatch: Any,
    tmp_path: Any,
    **kwargs: Any,
) -> None:
    """`theirs`'s weights written by Keras as its downloadable ImageNet files are laid out
    (legacy HDF5) load through `weights=<path>` (same predictions as Keras) and through
    `weights="imagenet"` from Keras's cache (same weights; `set_hash` gets the file's md5)."""
    set_hash(checks.cache_imagenet_file(theirs, fname, monkeypatch, tmp_path))
    x = np.random.default_rng(1).uniform(-1, 1, (1, *theirs.input_shape[1:])).astype("float32")
    assert_same_outputs(
        ctor(weights=str(tmp_path / "home" / "models" / fname), **kwargs), theirs, x
    )
    checks.assert_same_weights(ctor(weights="imagenet", **kwargs), theirs)


def assert_tf_mode_preprocessing(ours: Callable[..., Any], theirs: Callable[..., Any]) -> None:
    """`preprocess_input` scales [0, 255] to [-1, 1] as Keras's does, arrays and tensors."""
    x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = theirs(x.copy())
    assert_close(ours(x.copy()), expected)
    assert_close(ours(x.copy(), data_format="channels_first"), expected)
    assert_close(ours(torch.from_numpy(x)), expected)
