"""Shared checks for the `ops.nn` oracle tables: one op, eager and symbolic, vs Keras.

A case is `(name, make, kwargs)`: `make(rng)` gives the positional arguments (NumPy arrays,
Python values). `check_eager` runs `ops.nn.<name>` here and `keras.ops.nn.<name>` and compares
dtypes, shapes and values of every output; `check_symbolic` replaces each NumPy array by a
KerasTensor (the arguments at the positions in `unknown` with an unknown batch size) and
compares the output specs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import kerastorch
from kerastorch.ops import nn
from tests.oracle import to_numpy


def _dtype(x: Any) -> str:
    return str(x.dtype).removeprefix("torch.")


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _leaves(item)]
    return [x]


def compare(ours: Any, theirs: Any, atol: float = 1e-5, rtol: float = 1e-5) -> None:
    """Same structure, dtypes, shapes and values (NaN equal to NaN)."""
    a, b = _leaves(ours), _leaves(theirs)
    assert len(a) == len(b), f"{len(a)} outputs != {len(b)}"
    for x, y in zip(a, b, strict=True):
        assert _dtype(x) == _dtype(y), f"dtype {_dtype(x)} != keras {_dtype(y)}"
        assert tuple(x.shape) == tuple(y.shape), f"shape {tuple(x.shape)} != {tuple(y.shape)}"
        np.testing.assert_allclose(to_numpy(x), to_numpy(y), atol=atol, rtol=rtol)


def check_eager(keras: Any, name: str, args: tuple, kwargs: dict, atol: float = 1e-5) -> None:
    ours = getattr(nn, name)(*args, **kwargs)
    theirs = getattr(keras.ops.nn, name)(*args, **kwargs)
    compare(ours, theirs, atol=atol, rtol=atol)


def _symbolic(value: Any, make: Any, batch_none: bool) -> Any:
    if isinstance(value, np.ndarray):
        shape = value.shape
        if batch_none and value.ndim > 0:
            shape = (None, *shape[1:])
        return make(shape, str(value.dtype))
    return value


def check_symbolic(
    keras: Any,
    name: str,
    args: tuple,
    kwargs: dict,
    unknown: tuple = (0,),
    check_dtype: bool = True,
) -> None:
    """The op on KerasTensors has Keras's output shapes (and dtypes)."""
    ours = getattr(nn, name)(
        *(_symbolic(a, kerastorch.KerasTensor, i in unknown) for i, a in enumerate(args)), **kwargs
    )
    theirs = getattr(keras.ops.nn, name)(
        *(_symbolic(a, keras.KerasTensor, i in unknown) for i, a in enumerate(args)), **kwargs
    )
    a, b = _leaves(ours), _leaves(theirs)
    assert len(a) == len(b), f"{len(a)} outputs != {len(b)}"
    for x, y in zip(a, b, strict=True):
        assert isinstance(x, kerastorch.KerasTensor), type(x)
        assert tuple(x.shape) == tuple(y.shape), f"shape {x.shape} != keras {y.shape}"
        if check_dtype:
            assert x.dtype == y.dtype, f"dtype {x.dtype} != keras {y.dtype}"
