"""Exponentials and logarithms of `keras.ops.numpy`: `exp`, `log1p`, `logaddexp`, `i0`, ...

Integer and bool inputs give `floatx()`; float inputs keep their dtype. Called on
KerasTensors each records the Keras operation of the same name (`Exp`, `Logaddexp`, ...).

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.exponential import exp, logaddexp
    >>> exp(torch.tensor([0])).tolist(), exp(torch.tensor([0])).dtype
    ([1.0], torch.float32)
    >>> round(logaddexp(0.0, 0.0).item(), 4)
    0.6931
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import float_unary, tensors

exp = float_unary("exp", torch.exp, __name__, "`e ** x`, elementwise.")
exp2 = float_unary("exp2", torch.exp2, __name__, "`2 ** x`, elementwise.")
expm1 = float_unary("expm1", torch.expm1, __name__, "`e ** x - 1`, elementwise, accurate near 0.")
log = float_unary("log", torch.log, __name__, "The natural logarithm, elementwise.")
log2 = float_unary("log2", torch.log2, __name__, "The base-2 logarithm, elementwise.")
log10 = float_unary("log10", torch.log10, __name__, "The base-10 logarithm, elementwise.")
log1p = float_unary("log1p", torch.log1p, __name__, "`log(1 + x)`, elementwise, accurate near 0.")


def _float_pair(x1: Any, x2: Any) -> tuple[list[torch.Tensor], torch.dtype]:
    """Both operands in Keras's float result dtype, and that dtype."""
    a, b = tensors(x1, x2)
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype, float))
    return [a.to(dtype), b.to(dtype)], dtype


@keras_op("numpy", tensors=("x1", "x2"))
def logaddexp(x1: Any, x2: Any) -> torch.Tensor:
    """`log(exp(x1) + exp(x2))`, elementwise, without overflow."""
    (a, b), _ = _float_pair(x1, x2)
    return torch.logaddexp(a, b)


@keras_op("numpy", tensors=("x1", "x2"))
def logaddexp2(x1: Any, x2: Any) -> torch.Tensor:
    """`log2(2**x1 + 2**x2)`, elementwise, without overflow."""
    (a, b), _ = _float_pair(x1, x2)
    return torch.logaddexp2(a, b)


@keras_op("numpy")
def i0(x: Any) -> torch.Tensor:
    """The modified Bessel function of the first kind, order 0, elementwise."""
    x = convert_to_tensor(x)
    if x.dtype in (torch.int64, torch.float64):
        dtype = torch.float64
    elif x.dtype in (torch.float16, torch.bfloat16):
        dtype = x.dtype
    else:
        dtype = to_torch_dtype(config.floatx())
    return torch.i0(x.to(dtype))


__all__ = ["exp", "exp2", "expm1", "i0", "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2"]
