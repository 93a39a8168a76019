"""Reductions and scans of `keras.ops.numpy`: `sum`, `mean`, `max`, `argmax`, `cumsum`, ...

`axis` is `None` (every axis), an int or a tuple of ints, negative counting from the end;
`keepdims=True` keeps reduced axes with size 1 (also for `axis=None`, as NumPy and
Keras's symbolic shapes do). Dtypes follow Keras on torch: `sum` of small integers and
bools is `int32`, `mean`/`std`/`var` of integers `float32`, `argmax` `int32`.

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.reductions import argmax, mean, sum
    >>> x = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int8)
    >>> sum(x, axis=0).tolist(), sum(x).dtype
    ([5, 7, 9], torch.int32)
    >>> mean(x, axis=-1, keepdims=True).tolist()
    [[2.0], [5.0]]
    >>> argmax(x, axis=1).tolist()
    [2, 2]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import canonical_axes

_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _dtype_name(dtype: Any) -> str | None:
    """A `dtype` argument as Keras records it in the op's config: a name, or None."""
    return None if dtype is None else standardize_dtype(dtype)


def _dims(op: str, x: torch.Tensor, axis: Any) -> tuple[int, ...]:
    """`axis` as a tuple of non-negative dims (every dim for `None`)."""
    return tuple(range(x.ndim)) if axis is None else canonical_axes(op, axis, x.ndim)


@keras_op("numpy")
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The sum along `axis`; bools and 8/16-bit integers sum to `int32`."""
    x = convert_to_tensor(x)
    dims = _dims("sum", x, axis)
    if not dims:
        return x
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    return torch.sum(x, dim=dims, keepdim=keepdims, dtype=dtype)


def prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> torch.Tensor:
    """The product along `axis`; bools and 8/16-bit integers multiply to `int32`."""
    return _prod(x, axis, keepdims, _dtype_name(dtype))


@keras_op("numpy", class_name="Prod")
def _prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: str | None = None) -> Any:
    x = convert_to_tensor(x)
    if dtype is None:
        dtype = "int32" if x.dtype in _SMALL_INTS else result_type(x.dtype)
    dtype = to_torch_dtype(dtype)
    dims = _dims("prod", x, axis)
    if len(dims) == x.ndim and not keepdims:
        return torch.prod(x, dtype=dtype)
    for dim in sorted(dims, reverse=True):
        x = torch.prod(x, dim=dim, keepdim=keepdims, dtype=dtype)
    return x.to(dtype)


@keras_op("numpy")
def mean(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The arithmetic mean along `axis`; integers and bools give `float32`."""
    x = convert_to_tensor(x)
    dims = _dims("mean", x, axis)
    if not dims:
        return x
    compute = to_torch_dtype(result_type(x.dtype, "float32"))
    dtype = x.dtype if x.is_floating_point() else compute
    return torch.mean(x.to(compute), dim=dims, keepdim=keepdims).to(dtype)


@keras_op("numpy")
def std(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The population standard deviation (`ddof=0`) along `axis`."""
    x = convert_to_tensor(x)
    if not x.is_floating_point():
        x = x.to(torch.float32)
    return torch.std(x, dim=_dims("std", x, axis), keepdim=keepdims, correction=0)


@keras_op("numpy")
def var(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The population variance (`ddof=0`) along `axis`."""
    x = convert_to_tensor(x)
    dtype = to_torch_dtype(result_type(x.dtype, float))
    dims = _dims("var", x, axis)
    if not dims:
        return torch.zeros_like(x, dtype=dtype)
    compute = to_torch_dtype(result_type(x.dtype, "float32"))
    return torch.var(x.to(compute), dim=dims, keepdim=keepdims, correction=0).to(dtype)


def _extreme(
    op: str, function: Any, combine: Any, x: Any, axis: Any, keepdims: bool, initial: Any
) -> torch.Tensor:
    x = convert_to_tensor(x)
    if x.numel() == 0 and 0 in x.shape:
        if initial is None:
            raise ValueError(f"{op}: cannot compute the {op} of an empty tensor without `initial`.")
        shape = (1,) * x.ndim if keepdims else ()
        return torch.full(shape, initial, dtype=x.dtype, device=x.device)
    dims = _dims(op, x, axis)
    result = function(x, dim=dims, keepdim=keepdims) if dims else x
    if initial is None:
        return result
    return combine(result, torch.tensor(initial, dtype=result.dtype))


@keras_op("numpy")
def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> torch.Tensor:
    """The maximum along `axis`, at least `initial` when given."""
    return _extreme("max", torch.amax, torch.maximum, x, axis, keepdims, initial)


@keras_op("numpy")
def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> torch.Tensor:
    """The minimum along `axis`, at most `initial` when given."""
    return _extreme("min", torch.amin, torch.minimum, x, axis, keepdims, initial)


@keras_op("numpy")
def amax(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The maximum along `axis`."""
    return _extreme("amax", torch.amax, torch.maximum, x, axis, keepdims, None)


@keras_op("numpy")
def amin(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """The minimum along `axis`."""
    return _extreme("amin", torch.amin, torch.minimum, x, axis, keepdims, None)


def _arg(op: str, function: Any, x: Any, axis: Any, keepdims: bool) -> torch.Tensor:
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is not None:
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"{op}: `axis` must be an int or None. Received: axis={axis}")
        (axis,) = canonical_axes(op, axis, x.ndim)
    return function(x, dim=axis, keepdim=keepdims).to(torch.int32)


@keras_op("numpy")
def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
    """The index of the maximum along `axis` (of the flattened `x` for `None`), `int32`."""
    return _arg("argmax", torch.argmax, x, axis, keepdims)


@keras_op("numpy")
def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
    """The index of the minimum along `axis` (of the flattened `x` for `None`), `int32`."""
    return _arg("argmin", torch.argmin, x, axis, keepdims)


@keras_op("numpy")
def count_nonzero(x: Any, axis: Any = None) -> torch.Tensor:
    """The number of non-zero elements along `axis`, `int32`."""
    x = convert_to_tensor(x)
    dims = _dims("count_nonzero", x, axis)
    if not dims:
        return torch.ne(x, 0).to(torch.int32)
    return torch.count_nonzero(x, dim=dims).to(torch.int32)


def _scan(op: str, function: Any, x: Any, axis: Any, dtype: Any) -> torch.Tensor:
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = x.flatten(), 0
    elif not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"{op}: `axis` must be an int or None. Received: axis={axis}")
    else:
        (axis,) = canonical_axes(op, axis, x.ndim)
    dtype = result_type(dtype or x.dtype)
    return function(x, dim=axis, dtype=to_torch_dtype("int32" if dtype == "bool" else dtype))


def cumsum(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """The cumulative sum along `axis` (of the flattened `x` for `None`); bools give `int32`."""
    return _cumsum(x, axis, _dtype_name(dtype))


@keras_op("numpy", class_name="Cumsum")
def _cumsum(x: Any, axis: int | None = None, dtype: str | None = None) -> Any:
    return _scan("cumsum", torch.cumsum, x, axis, dtype)


def cumprod(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """The cumulative product along `axis` (of the flattened `x` for `None`)."""
    return _cumprod(x, axis, _dtype_name(dtype))


@keras_op("numpy", class_name="Cumprod")
def _cumprod(x: Any, axis: int | None = None, dtype: str | None = None) -> Any:
    return _scan("cumprod", torch.cumprod, x, axis, dtype)


__all__ = [
    "amax",
    "amin",
    "argmax",
    "argmin",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "max",
    "mean",
    "min",
    "prod",
    "std",
    "sum",
    "var",
]
