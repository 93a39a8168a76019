"""How the NumPy-style ops read their operands: tensors, arrays and weak Python scalars.

Keras on torch converts every operand to a tensor (Python `int` -> `int32`, `float` ->
`floatx()`, `bool` -> `bool`, NumPy keeps its dtype) and lets torch promote: a 0-d
operand is weak within its kind (`int8 tensor + 2 -> int8`, `float16 + 2.5 -> float16`),
and 64-bit tensors stay 64-bit. `tensors` reproduces that; Python scalars beside a tensor
become 0-d CPU tensors, which torch's elementwise ops accept beside tensors on any device.
`keras_pair` applies Keras's own `result_type` instead, as the ops that call it do
(`maximum`, `fmin`, `divide_no_nan`, ...). Tensors that already agree pass
through untouched.

Example:
    >>> import torch
    >>> a, b = tensors(torch.ones(2, dtype=torch.int8), 2)
    >>> torch.add(a, b).dtype
    torch.int8
    >>> [t.dtype for t in keras_pair(torch.ones(2, dtype=torch.int8), 2.5)]
    [torch.float32, torch.float32]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

SCALARS = (bool, int, float)
INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def _plain(value: Any) -> Any:
    """A Variable's tensor; anything else as it is."""
    inner = getattr(value, "value", None)
    return inner if isinstance(inner, torch.Tensor) else value


def _scalar_dtype(value: Any) -> torch.dtype:
    if isinstance(value, bool):
        return torch.bool
    if isinstance(value, int):
        return torch.int32
    return to_torch_dtype(config.floatx())


def tensors(*values: Any, raw_scalars: bool = False) -> list[Any]:
    """`values` as tensors, as Keras's torch backend converts them (dtypes unchanged).

    With `raw_scalars`, a Python scalar after a tensor stays a Python scalar where torch
    then gives the dtype Keras gives (not an `int` beside a bool tensor, nor a `float`
    beside an integer one unless `floatx()` is float32): for torch functions that take a
    Python number as their second operand (`add`, `mul`, `eq`, ...).
    """
    values = [_plain(v) for v in values]
    if all(isinstance(v, torch.Tensor) for v in values):
        return values
    alone = all(isinstance(v, SCALARS) for v in values)
    out = []
    for v in values:
        raw = raw_scalars and bool(out) and isinstance(v, SCALARS) and _weak_in_torch(out[0], v)
        if raw or isinstance(v, torch.Tensor):
            out.append(v)
        elif isinstance(v, SCALARS) and not alone:
            out.append(torch.tensor(v, dtype=_scalar_dtype(v)))
        else:
            out.append(convert_to_tensor(v))
    return out


def _weak_in_torch(tensor: torch.Tensor, scalar: Any) -> bool:
    """Whether torch promotes `tensor` with the Python `scalar` as Keras does."""
    if isinstance(scalar, bool):
        return True
    if isinstance(scalar, int):
        return tensor.dtype != torch.bool
    return tensor.is_floating_point() or config.floatx() == "float32"


def torch_pair(x1: Any, x2: Any) -> list[torch.Tensor]:
    """`x1`, `x2` as tensors of torch's promoted dtype of the two (see `tensors`)."""
    a, b = tensors(x1, x2)
    if a.dtype == b.dtype:
        return [a, b]
    target = torch.result_type(a, b)
    return [a if a.dtype == target else a.to(target), b if b.dtype == target else b.to(target)]


def keras_pair(x1: Any, x2: Any, *extra: Any) -> list[torch.Tensor]:
    """`x1`, `x2` as tensors of Keras's `result_type` of their dtypes and `extra` dtypes.

    Python scalars are weak types, NumPy scalars and arrays keep their dtypes.
    """
    a, b = _plain(x1), _plain(x2)
    same = isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor) and a.dtype == b.dtype
    if same and not extra and a.dtype not in (torch.int64, torch.float64):
        return [a, b]
    kinds = [v.dtype if isinstance(v, torch.Tensor) else _kind(v) for v in (a, b)]
    target = to_torch_dtype(result_type(*kinds, *extra))
    a, b = tensors(a, b)
    return [a if a.dtype == target else a.to(target), b if b.dtype == target else b.to(target)]


def _kind(value: Any) -> Any:
    if isinstance(value, SCALARS):
        return type(value)
    dtype = getattr(value, "dtype", None)
    return dtype if dtype is not None else convert_to_tensor(value).dtype


def floating(x: torch.Tensor) -> torch.Tensor:
    """`x`, cast to `floatx()` when it is an integer or bool tensor."""
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(config.floatx()))


def float_unary(
    name: str, function: Callable[..., torch.Tensor], module: str, doc: str
) -> Callable[..., Any]:
    """The op `name` of `module`: `function(x)`, integer and bool `x` cast to `floatx()`."""

    def op(x: Any) -> torch.Tensor:
        return function(floating(convert_to_tensor(x)))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    op.__module__ = module
    return keras_op("numpy")(op)


def canonical_axes(op: str, axis: Any, ndim: int) -> tuple[int, ...]:
    """`axis` (an int or a sequence of ints) as non-negative ints, checked against `ndim`."""
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    out = []
    for a in axes:
        if not isinstance(a, int) or isinstance(a, bool):
            raise TypeError(
                f"{op}: `axis` must be an int or a tuple of ints. Received: axis={axis}"
            )
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(
                f"{op}: `axis` {a} is out of bounds for a tensor of rank {ndim}. "
                f"Received: axis={axis}"
            )
        out.append(a % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: `axis` has repeated axes. Received: axis={axis}")
    return tuple(out)


__all__: list[str] = []
