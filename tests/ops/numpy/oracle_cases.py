"""Shared checks for the `ops.numpy` oracle tables: one op, eager and symbolic, vs Keras.

A case is `(name, make, kwargs)`: `make(rng)` gives the positional arguments (NumPy arrays,
Python values, lists of arrays). `check_eager` runs `ops.<name>` here and in Keras and
compares dtypes, shapes and values of every output; `check_symbolic` replaces each NumPy
array (also inside lists) by a KerasTensor of its shape and dtype and compares the output
specs with Keras's symbolic call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import kerastorch
from kerastorch import ops
from tests.oracle import to_numpy


def _dtype(x: Any) -> str:
    return str(x.dtype).removeprefix("torch.")


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _leaves(item)]
    return [x]


def _float64(x: Any) -> np.ndarray:
    if hasattr(x, "detach"):
        x = x.detach().to("cpu", torch.float64)
    return to_numpy(x).astype("float64")


def compare(ours: Any, theirs: Any, atol: float = 1e-5) -> None:
    """Same structure, dtypes, shapes and values (NaN equal to NaN)."""
    assert isinstance(ours, (list, tuple)) == isinstance(theirs, (list, tuple)), (ours, theirs)
    a, b = _leaves(ours), _leaves(theirs)
    assert len(a) == len(b), f"{len(a)} outputs != {len(b)}"
    for x, y in zip(a, b, strict=True):
        if isinstance(y, (int, float, bool)) and not hasattr(y, "dtype"):
            assert x == y
            continue
        assert _dtype(x) == _dtype(y), f"dtype {_dtype(x)} != keras {_dtype(y)}"
        assert tuple(x.shape) == tuple(y.shape), f"shape {tuple(x.shape)} != {tuple(y.shape)}"
        np.testing.assert_allclose(_float64(x), _float64(y), atol=atol, rtol=1e-5)


def check_eager(keras: Any, name: str, args: tuple, kwargs: dict, atol: float = 1e-5) -> None:
    ours = getattr(ops, name)(*args, **kwargs)
    theirs = getattr(keras.ops, name)(*args, **kwargs)
    compare(ours, theirs, atol=atol)


def _symbolic(value: Any, make: Any) -> Any:
    if isinstance(value, np.ndarray):
        return make(value.shape, str(value.dtype))
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return [_symbolic(v, make) for v in value]
    return value


def has_arrays(args: tuple) -> bool:
    return any(
        isinstance(a, np.ndarray)
        or (isinstance(a, list) and any(isinstance(v, np.ndarray) for v in a))
        for a in args
    )


def check_symbolic(keras: Any, name: str, args: tuple, kwargs: dict) -> None:
    """The op on KerasTensors has Keras's output shapes and dtypes."""
    ours = getattr(ops, name)(*(_symbolic(a, kerastorch.KerasTensor) for a in args), **kwargs)
    theirs = getattr(keras.ops, name)(*(_symbolic(a, keras.KerasTensor) for a in args), **kwargs)
    a, b = _leaves(ours), _leaves(theirs)
    assert len(a) == len(b), f"{len(a)} outputs != {len(b)}"
    for x, y in zip(a, b, strict=True):
        assert isinstance(x, kerastorch.KerasTensor), type(x)
        assert (x.shape, x.dtype) == (y.shape, y.dtype), (
            f"{x.shape, x.dtype} != keras {y.shape, y.dtype}"
        )


def check_unknown_batch(keras: Any, name: str, shapes: list, extra: tuple, kwargs: dict) -> None:
    """The op on KerasTensors of `shapes` (with `None` sizes) matches Keras's output spec."""
    ours = getattr(ops, name)(*(kerastorch.KerasTensor(s) for s in shapes), *extra, **kwargs)
    theirs = getattr(keras.ops, name)(*(keras.KerasTensor(s) for s in shapes), *extra, **kwargs)
    for x, y in zip(_leaves(ours), _leaves(theirs), strict=True):
        assert (x.shape, x.dtype) == (y.shape, y.dtype), f"{x.shape, x.dtype} != {y.shape, y.dtype}"
