"""Compare a kerastorch op's result with Keras's: structure, dtype, shape and values."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def _dtype(x: Any) -> str:
    return str(x.dtype).removeprefix("torch.")


def _numpy(x: Any) -> np.ndarray:
    x = x.detach().cpu()
    return x.numpy() if x.is_complex() else x.to(torch.float64).numpy()


def assert_same(ours: Any, theirs: Any, tol: float = 1e-5) -> None:
    """`ours` and `theirs` (tensors, or nested tuples/lists of them) agree."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)), f"expected a sequence, got {type(ours)}"
        assert len(ours) == len(theirs), f"{len(ours)} items != {len(theirs)}"
        for a, b in zip(ours, theirs, strict=True):
            assert_same(a, b, tol)
        return
    if not isinstance(theirs, torch.Tensor):
        assert ours == theirs, f"{ours!r} != {theirs!r}"
        return
    assert isinstance(ours, torch.Tensor), type(ours)
    assert _dtype(ours) == _dtype(theirs), f"{ours.dtype} != keras {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{ours.shape} != keras {theirs.shape}"
    np.testing.assert_allclose(_numpy(ours), _numpy(theirs), rtol=tol, atol=tol)


def assert_same_spec(ours: Any, theirs: Any) -> None:
    """Symbolic results (KerasTensors, or nested tuples/lists of them) agree in shape/dtype."""
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs), f"{len(ours)} items != {len(theirs)}"
        for a, b in zip(ours, theirs, strict=True):
            assert_same_spec(a, b)
        return
    assert (tuple(ours.shape), ours.dtype) == (tuple(theirs.shape), theirs.dtype), (
        f"{ours.shape, ours.dtype} != keras {theirs.shape, theirs.dtype}"
    )
