"""Comparisons, predicates and logic of `keras.ops.numpy`: `equal`, `isclose`, `all`, ...

Every op returns a `bool` tensor. Operands broadcast as in NumPy and are compared in
their promoted dtype. Called on KerasTensors each records the Keras operation of the
same name (`Equal`, `LogicalAnd`, `IsIn`, `AllClose`, ...).

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.logic import all, greater, isclose
    >>> greater(torch.tensor([1, 3]), 2).tolist()
    [False, True]
    >>> all(torch.tensor([[True, False], [True, True]]), axis=1).tolist()
    [False, True]
    >>> isclose(torch.tensor([1.0]), 1.0 + 1e-7).tolist()
    [True]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import canonical_axes, tensors

# -- comparisons ---------------------------------------------------------------------------------


@keras_op("numpy", tensors=("x1", "x2"))
def equal(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 == x2`, elementwise."""
    return torch.eq(*tensors(x1, x2, raw_scalars=True))


@keras_op("numpy", tensors=("x1", "x2"))
def not_equal(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 != x2`, elementwise."""
    return torch.ne(*tensors(x1, x2, raw_scalars=True))


@keras_op("numpy", tensors=("x1", "x2"))
def greater(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 > x2`, elementwise."""
    return torch.gt(*tensors(x1, x2, raw_scalars=True))


@keras_op("numpy", tensors=("x1", "x2"))
def greater_equal(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 >= x2`, elementwise."""
    return torch.ge(*tensors(x1, x2, raw_scalars=True))


@keras_op("numpy", tensors=("x1", "x2"))
def less(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 < x2`, elementwise."""
    return torch.lt(*tensors(x1, x2, raw_scalars=True))


@keras_op("numpy", tensors=("x1", "x2"))
def less_equal(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 <= x2`, elementwise."""
    return torch.le(*tensors(x1, x2, raw_scalars=True))


def _close(x1: Any, x2: Any, rtol: float, atol: float, equal_nan: bool) -> torch.Tensor:
    """`|x1 - x2| <= atol + rtol * |x2|` in the operands' promoted dtype; equality for ints."""
    a, b = tensors(x1, x2)
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype))
    a, b = a.to(dtype), b.to(dtype)
    if dtype.is_floating_point:
        return torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(a, b)


@keras_op("numpy", tensors=("x1", "x2", "rtol", "atol"))
def isclose(
    x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> torch.Tensor:
    """Whether `|x1 - x2| <= atol + rtol * |x2|`, elementwise."""
    return _close(x1, x2, rtol, atol, equal_nan)


@keras_op("numpy", tensors=("x1", "x2"), class_name="AllClose")
def allclose(
    x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> torch.Tensor:
    """Whether `isclose(x1, x2)` holds everywhere: a 0-d bool tensor."""
    return torch.all(_close(x1, x2, rtol, atol, equal_nan))


@keras_op("numpy", tensors=("x1", "x2"), class_name="IsIn")
def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False) -> torch.Tensor:
    """Whether each element of `x1` occurs in `x2` (its negation with `invert=True`)."""
    a, b = tensors(x1, x2)
    if a.dtype == torch.bool and b.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    elif a.dtype == torch.bool:
        a = a.to(b.dtype)
    elif b.dtype == torch.bool:
        b = b.to(a.dtype)
    return torch.isin(a, b.to(a.device), assume_unique=assume_unique, invert=invert)


# -- predicates ----------------------------------------------------------------------------------


@keras_op("numpy")
def isfinite(x: Any) -> torch.Tensor:
    """Whether `x` is neither infinite nor NaN, elementwise."""
    return torch.isfinite(convert_to_tensor(x))


@keras_op("numpy")
def isinf(x: Any) -> torch.Tensor:
    """Whether `x` is +inf or -inf, elementwise."""
    return torch.isinf(convert_to_tensor(x))


@keras_op("numpy")
def isnan(x: Any) -> torch.Tensor:
    """Whether `x` is NaN, elementwise."""
    return torch.isnan(convert_to_tensor(x))


@keras_op("numpy")
def isneginf(x: Any) -> torch.Tensor:
    """Whether `x` is -inf, elementwise."""
    return torch.isneginf(convert_to_tensor(x))


@keras_op("numpy")
def isposinf(x: Any) -> torch.Tensor:
    """Whether `x` is +inf, elementwise."""
    return torch.isposinf(convert_to_tensor(x))


@keras_op("numpy")
def isreal(x: Any) -> torch.Tensor:
    """Whether `x` has no imaginary part, elementwise (always true for real dtypes)."""
    return torch.isreal(convert_to_tensor(x))


# -- logic ---------------------------------------------------------------------------------------


@keras_op("numpy", tensors=("x1", "x2"))
def logical_and(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 and x2` of the truth values, elementwise."""
    return torch.logical_and(*tensors(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def logical_or(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 or x2` of the truth values, elementwise."""
    return torch.logical_or(*tensors(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def logical_xor(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 != x2` of the truth values, elementwise."""
    return torch.logical_xor(*tensors(x1, x2))


@keras_op("numpy")
def logical_not(x: Any) -> torch.Tensor:
    """`not x` of the truth values, elementwise."""
    return torch.logical_not(convert_to_tensor(x))


def _reduce_bool(op: str, function: Any, x: Any, axis: Any, keepdims: bool) -> torch.Tensor:
    x = convert_to_tensor(x)
    if axis is None:
        return function(x, dim=None, keepdim=keepdims).to(torch.bool)
    dims = canonical_axes(op, axis, x.ndim)
    if not dims:
        return x.to(torch.bool)
    return function(x, dim=dims, keepdim=keepdims).to(torch.bool)


@keras_op("numpy")
def all(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """Whether every element along `axis` (an int, a tuple, or `None` for all) is true."""
    return _reduce_bool("all", torch.all, x, axis, keepdims)


@keras_op("numpy")
def any(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """Whether some element along `axis` (an int, a tuple, or `None` for all) is true."""
    return _reduce_bool("any", torch.any, x, axis, keepdims)


__all__ = [
    "all",
    "allclose",
    "any",
    "equal",
    "greater",
    "greater_equal",
    "isclose",
    "isfinite",
    "isin",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "not_equal",
]
