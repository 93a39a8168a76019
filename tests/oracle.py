"""The Keras oracle: real Keras 3 on its torch backend, imported only by tests.

`keras_or_skip()` returns the `keras` module or skips the test where it is not installed.
Tests build the same object in Keras and in kerastorch, copy weights with `set_weights`,
and compare numbers with `assert_close`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")


def keras_or_skip() -> Any:
    """The real `keras` package (torch backend), or skip the calling test."""
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "torch":
        pytest.skip("the Keras oracle must run with KERAS_BACKEND=torch")
    return keras


def to_numpy(x: Any) -> np.ndarray:
    """A NumPy array from a Keras tensor, a torch tensor, a Variable or an array."""
    if hasattr(x, "detach"):
        x = x.detach().cpu()
        return (x.double() if str(x.dtype) == "torch.bfloat16" else x).numpy()
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return np.asarray(x)


def assert_close(actual: Any, expected: Any, atol: float = 1e-5, rtol: float = 1e-5) -> None:
    """Compare two (nested lists of) arrays to float32 tolerance."""
    if isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)), f"expected a sequence, got {type(actual)}"
        assert len(actual) == len(expected), f"{len(actual)} items != {len(expected)}"
        for a, e in zip(actual, expected, strict=False):
            assert_close(a, e, atol=atol, rtol=rtol)
        return
    np.testing.assert_allclose(to_numpy(actual), to_numpy(expected), atol=atol, rtol=rtol)
