"""Checks of one `ops.numpy` op against the Keras oracle, eager and symbolic.

A case builds its positional arguments from a NumPy generator: NumPy arrays, torch tensors
(for dtypes NumPy lacks, such as bfloat16) and Python scalars. `assert_eager_matches`
runs the op here and in Keras on the same arguments and compares dtype, shape and value;
`assert_symbolic_matches` calls it on KerasTensors of the given `(shape, dtype)` specs and
compares the output spec with Keras's symbolic call.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

import kerastorch
from kerastorch import ops


def dtype_name(x: Any) -> str:
    return str(x.dtype).removeprefix("torch.")


def as_float64(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.is_complex():
            return x.numpy()
        return x.to(torch.float64).numpy()
    return np.asarray(x)


def _copy(value: Any) -> Any:
    return value.clone() if isinstance(value, torch.Tensor) else value


def assert_eager_matches(keras: Any, name: str, args: tuple, kwargs: dict) -> None:
    """`ops.<name>(*args, **kwargs)` here and in Keras: same dtype, shape and values."""
    ours = getattr(ops, name)(*args, **kwargs)
    with warnings.catch_warnings():  # Keras's `count_nonzero` warns about `Tensor.T`
        warnings.simplefilter("ignore")
        theirs = getattr(keras.ops, name)(*(_copy(a) for a in args), **kwargs)
    assert isinstance(ours, torch.Tensor), type(ours)
    assert dtype_name(ours) == dtype_name(theirs), f"{name}: {ours.dtype} != keras {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{name}: {ours.shape} != {theirs.shape}"
    loose = dtype_name(ours) in ("float16", "bfloat16")
    tol = 1e-2 if loose else 1e-5
    np.testing.assert_allclose(as_float64(ours), as_float64(theirs), rtol=tol, atol=tol)


def _symbolic(value: Any, make: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        return make(value[0], value[1])
    return value


def assert_symbolic_matches(keras: Any, name: str, specs: tuple, kwargs: dict) -> None:
    """The op on KerasTensors (specs: `(shape, dtype)`) has Keras's output shape and dtype."""
    ours = getattr(ops, name)(*(_symbolic(s, kerastorch.KerasTensor) for s in specs), **kwargs)
    theirs = getattr(keras.ops, name)(*(_symbolic(s, keras.KerasTensor) for s in specs), **kwargs)
    assert isinstance(ours, kerastorch.KerasTensor), type(ours)
    assert (ours.shape, ours.dtype) == (theirs.shape, theirs.dtype), (
        f"{name}: {ours.shape, ours.dtype} != keras {theirs.shape, theirs.dtype}"
    )
