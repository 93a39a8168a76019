"""Elementwise arithmetic of `keras.ops.numpy`: `add`, `divide`, `clip`, `round`, ...

Operands broadcast as in NumPy and promote as Keras does on torch (`operands.py`):
`int32 + float16 -> float16`, `int8 + 2 -> int8`, integer `divide` -> `float32`. Each op
is one torch call when its operands already agree; called on KerasTensors it records
the Keras operation of the same name (`Add`, `Clip`, `Absolute`, ...).

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.arithmetic import add, divide, clip
    >>> add(torch.tensor([1, 2], dtype=torch.int8), 2).tolist()
    [3, 4]
    >>> divide(torch.tensor([1, 2]), 2).dtype
    torch.float32
    >>> clip(torch.tensor([-1.0, 0.5, 2.0]), 0.0, 1.0).tolist()
    [0.0, 0.5, 1.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import (
    INT_DTYPES,
    SCALARS,
    floating,
    keras_pair,
    tensors,
    torch_pair,
)

# -- binary arithmetic ---------------------------------------------------------------------------


@keras_op("numpy", tensors=("x1", "x2"))
def add(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 + x2`, elementwise."""
    a, b = tensors(x1, x2, raw_scalars=True)
    return torch.add(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def subtract(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 - x2`, elementwise (a bool operand takes the other's dtype)."""
    a, b = tensors(x1, x2, raw_scalars=not isinstance(x2, bool))  # torch refuses `t - True`
    if not isinstance(b, torch.Tensor):  # a Python scalar; a float one beside bools is float32
        bool_float = a.dtype == torch.bool and isinstance(b, float)
        return torch.subtract(a.to(torch.float32) if bool_float else a, b)
    if a.dtype == torch.bool:
        a = a.to(b.dtype)
    if b.dtype == torch.bool:
        b = b.to(a.dtype)
    return torch.subtract(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def multiply(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 * x2`, elementwise."""
    a, b = tensors(x1, x2, raw_scalars=True)
    return torch.multiply(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def divide(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 / x2`, elementwise; integers divide to `float32`."""
    a, b = tensors(x1, x2, raw_scalars=True)
    return torch.divide(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def true_divide(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 / x2`, elementwise (the same as `divide`)."""
    a, b = tensors(x1, x2, raw_scalars=True)
    return torch.divide(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def divide_no_nan(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 / x2`, with 0 where `x2` is 0; always a float dtype."""
    a, b = keras_pair(x1, x2, float)
    zero = b == 0
    return torch.where(zero, 0, torch.divide(a, torch.where(zero, 1, b)))


@keras_op("numpy", tensors=("x1", "x2"))
def floor_divide(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 // x2`, elementwise."""
    a, b = tensors(x1, x2)
    if a.dtype == b.dtype and a.dtype not in (torch.int64, torch.float64):
        return torch.floor_divide(a, b)
    dtype = to_torch_dtype(result_type(*(_weak(v, t) for v, t in ((x1, a), (x2, b)))))
    return torch.floor_divide(a, b).to(dtype)


def _weak(value: Any, tensor: torch.Tensor) -> Any:
    """A Python scalar's weak type for `result_type`, else the tensor's dtype."""
    return type(value) if isinstance(value, SCALARS) else tensor.dtype


def _bool_to_int(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if a.dtype == torch.bool and b.dtype == torch.bool:
        return a.to(torch.int32), b.to(torch.int32)
    return a, b


@keras_op("numpy", tensors=("x1", "x2"))
def mod(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 % x2` with the sign of `x2` (NumPy's `mod`)."""
    return torch.remainder(*_bool_to_int(*tensors(x1, x2)))


@keras_op("numpy", tensors=("x1", "x2"))
def fmod(x1: Any, x2: Any) -> torch.Tensor:
    """The remainder of `x1 / x2` with the sign of `x1` (C's `fmod`)."""
    return torch.fmod(*_bool_to_int(*tensors(x1, x2)))


@keras_op("numpy", tensors=("x1", "x2"))
def power(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 ** x2`, elementwise."""
    a, b = tensors(x1, x2)
    return torch.pow(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def maximum(x1: Any, x2: Any) -> torch.Tensor:
    """The larger of `x1` and `x2`, elementwise (NaN wins)."""
    return torch.maximum(*keras_pair(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def minimum(x1: Any, x2: Any) -> torch.Tensor:
    """The smaller of `x1` and `x2`, elementwise (NaN wins)."""
    return torch.minimum(*keras_pair(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def fmax(x1: Any, x2: Any) -> torch.Tensor:
    """The larger of `x1` and `x2`, elementwise, ignoring NaNs."""
    return torch.fmax(*keras_pair(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def fmin(x1: Any, x2: Any) -> torch.Tensor:
    """The smaller of `x1` and `x2`, elementwise, ignoring NaNs."""
    return torch.fmin(*keras_pair(x1, x2))


_SMALL_INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


def _float_of_ints(x1: Any, x2: Any) -> list[torch.Tensor]:
    """Operands promoted as Keras's `heaviside`/`hypot`: integer results become float."""
    a, b = tensors(x1, x2)
    dtype = result_type(a.dtype, b.dtype)
    if dtype in _SMALL_INTS:
        dtype = config.floatx()
    elif dtype == "int64":
        dtype = "float64"
    target = to_torch_dtype(dtype)
    return [a.to(target), b.to(target)]


@keras_op("numpy", tensors=("x1", "x2"))
def heaviside(x1: Any, x2: Any) -> torch.Tensor:
    """The Heaviside step: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`."""
    return torch.heaviside(*_float_of_ints(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def hypot(x1: Any, x2: Any) -> torch.Tensor:
    """`sqrt(x1**2 + x2**2)`, elementwise."""
    return torch.hypot(*_float_of_ints(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def gcd(x1: Any, x2: Any) -> torch.Tensor:
    """The greatest common divisor of integer `x1` and `x2`, elementwise."""
    return torch.gcd(*torch_pair(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def lcm(x1: Any, x2: Any) -> torch.Tensor:
    """The least common multiple of integer `x1` and `x2`, elementwise."""
    return torch.lcm(*torch_pair(x1, x2))


@keras_op("numpy", tensors=("x1", "x2"))
def ldexp(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 * 2**x2`, elementwise; `x2` must be an integer tensor."""
    a, b = tensors(x1, x2)
    if b.dtype not in INT_DTYPES:
        raise TypeError(f"ldexp: the exponent `x2` must be an integer type. Received: {b.dtype}")
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype, float))
    return torch.ldexp(a, b).to(dtype)


@keras_op("numpy", tensors=("x1", "x2"))
def nextafter(x1: Any, x2: Any) -> torch.Tensor:
    """The next representable float after `x1` towards `x2` (computed in float64)."""
    a, b = tensors(x1, x2)
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype, float))
    return torch.nextafter(a.to(torch.float64), b.to(torch.float64)).to(dtype)


# -- unary arithmetic ----------------------------------------------------------------------------


@keras_op("numpy", class_name="Absolute")
def absolute(x: Any) -> torch.Tensor:
    """`|x|`, elementwise (bools stay bools)."""
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.abs(x)


abs = absolute  # (Keras's `abs` records `Absolute`)


@keras_op("numpy")
def fabs(x: Any) -> torch.Tensor:
    """`|x|` as a float, elementwise (integers become `floatx()`)."""
    x = convert_to_tensor(x)
    if x.is_complex():
        raise TypeError(f"fabs does not support complex inputs. Received: x.dtype={x.dtype}")
    return torch.abs(floating(x))


@keras_op("numpy")
def negative(x: Any) -> torch.Tensor:
    """`-x`, elementwise."""
    return torch.negative(convert_to_tensor(x))


@keras_op("numpy")
def sign(x: Any) -> torch.Tensor:
    """-1, 0 or 1 by the sign of `x`, elementwise, in `x`'s dtype."""
    return torch.sign(convert_to_tensor(x))


@keras_op("numpy")
def signbit(x: Any) -> torch.Tensor:
    """Whether the sign bit of `x` is set (`True` for -0.0), elementwise."""
    return torch.signbit(convert_to_tensor(x))


@keras_op("numpy")
def reciprocal(x: Any) -> torch.Tensor:
    """`1 / x`, elementwise (integers become `floatx()`)."""
    return torch.reciprocal(floating(convert_to_tensor(x)))


@keras_op("numpy")
def square(x: Any) -> torch.Tensor:
    """`x * x`, elementwise (bools become `int32`)."""
    x = convert_to_tensor(x)
    return torch.square(x.to(torch.int32) if x.dtype == torch.bool else x)


@keras_op("numpy")
def sqrt(x: Any) -> torch.Tensor:
    """The square root, elementwise (integers become `floatx()`)."""
    return torch.sqrt(floating(convert_to_tensor(x)))


@keras_op("numpy")
def cbrt(x: Any) -> torch.Tensor:
    """The cube root, elementwise (integers become `floatx()`, `int64` `float64`)."""
    x = convert_to_tensor(x)
    x = x.to(torch.float64) if x.dtype == torch.int64 else floating(x)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


@keras_op("numpy", tensors=("x",))
def clip(x: Any, x_min: Any, x_max: Any) -> torch.Tensor:
    """`x` limited to `[x_min, x_max]`, elementwise (bools become `int32`)."""
    x = convert_to_tensor(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    low = None if x_min is None else tensors(x, x_min)[1]
    high = None if x_max is None else tensors(x, x_max)[1]
    return torch.clip(x, min=low, max=high)


@keras_op("numpy", tensors=("x",))
def round(x: Any, decimals: int = 0) -> torch.Tensor:
    """`x` rounded half to even to `decimals` decimals; integers keep their dtype."""
    x = convert_to_tensor(x)
    if x.dtype in INT_DTYPES:
        return torch.round(floating(x), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


def _float_for_rounding(x: torch.Tensor) -> torch.dtype:
    if x.dtype == torch.int64:
        return to_torch_dtype(config.floatx())
    return to_torch_dtype(result_type(x.dtype, float))


@keras_op("numpy")
def ceil(x: Any) -> torch.Tensor:
    """The smallest integer `>= x`, elementwise, as a float dtype."""
    x = convert_to_tensor(x)
    return torch.ceil(x.to(_float_for_rounding(x)))


@keras_op("numpy")
def floor(x: Any) -> torch.Tensor:
    """The largest integer `<= x`, elementwise, as a float dtype."""
    x = convert_to_tensor(x)
    return torch.floor(x.to(_float_for_rounding(x)))


@keras_op("numpy")
def trunc(x: Any) -> torch.Tensor:
    """`x` rounded towards zero, elementwise, in `x`'s dtype."""
    x = convert_to_tensor(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


@keras_op("numpy", tensors=("x",))
def nan_to_num(
    x: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> torch.Tensor:
    """`x` with NaN, +inf and -inf replaced (by default by 0 and the dtype's extremes)."""
    return torch.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


# -- complex parts -------------------------------------------------------------------------------


@keras_op("numpy")
def conjugate(x: Any) -> torch.Tensor:
    """The complex conjugate, elementwise (real tensors are returned as they are)."""
    return torch.conj(convert_to_tensor(x)).resolve_conj()


conj = conjugate  # Keras's `conj` records `Conjugate`


@keras_op("numpy")
def real(x: Any) -> torch.Tensor:
    """The real part, elementwise."""
    return torch.real(convert_to_tensor(x))


@keras_op("numpy")
def imag(x: Any) -> torch.Tensor:
    """The imaginary part of a complex tensor, elementwise."""
    x = convert_to_tensor(x)
    if not x.is_complex():
        raise TypeError(f"imag: `x` must be a complex tensor. Received: x.dtype={x.dtype}")
    return torch.imag(x)


__all__ = [
    "abs",
    "absolute",
    "add",
    "cbrt",
    "ceil",
    "clip",
    "conj",
    "conjugate",
    "divide",
    "divide_no_nan",
    "fabs",
    "floor",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "gcd",
    "heaviside",
    "hypot",
    "imag",
    "lcm",
    "ldexp",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "nan_to_num",
    "negative",
    "nextafter",
    "power",
    "real",
    "reciprocal",
    "round",
    "sign",
    "signbit",
    "sqrt",
    "square",
    "subtract",
    "trunc",
    "true_divide",
]
