"""Trigonometric and hyperbolic functions of `keras.ops.numpy`: `sin`, `arctan2`, `sinc`, ...

Integer and bool inputs give `floatx()`; float inputs keep their dtype. Called on
KerasTensors each records the Keras operation of the same name (`Sin`, `Arctan2`, ...).

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.trigonometry import arctan2, deg2rad, sin
    >>> sin(torch.tensor([0])).tolist(), sin(torch.tensor([0])).dtype
    ([0.0], torch.float32)
    >>> round(arctan2(1, 1).item(), 4), round(deg2rad(torch.tensor([180])).item(), 4)
    (0.7854, 3.1416)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import float_unary, floating, tensors

sin = float_unary("sin", torch.sin, __name__, "Trigonometric sine, elementwise.")
cos = float_unary("cos", torch.cos, __name__, "Trigonometric cosine, elementwise.")
tan = float_unary("tan", torch.tan, __name__, "Trigonometric tangent, elementwise.")
arcsin = float_unary("arcsin", torch.arcsin, __name__, "Inverse sine, elementwise.")
arccos = float_unary("arccos", torch.arccos, __name__, "Inverse cosine, elementwise.")
arctan = float_unary("arctan", torch.arctan, __name__, "Inverse tangent, elementwise.")
sinh = float_unary("sinh", torch.sinh, __name__, "Hyperbolic sine, elementwise.")
cosh = float_unary("cosh", torch.cosh, __name__, "Hyperbolic cosine, elementwise.")
tanh = float_unary("tanh", torch.tanh, __name__, "Hyperbolic tangent, elementwise.")
arcsinh = float_unary("arcsinh", torch.arcsinh, __name__, "Inverse hyperbolic sine.")
arccosh = float_unary("arccosh", torch.arccosh, __name__, "Inverse hyperbolic cosine.")
arctanh = float_unary("arctanh", torch.arctanh, __name__, "Inverse hyperbolic tangent.")
sinc = float_unary("sinc", torch.sinc, __name__, "The normalized sinc, `sin(pi x) / (pi x)`.")
angle = float_unary("angle", torch.angle, __name__, "The angle of complex `x` (0 or pi for reals).")


def _angle_unit(name: str, function: Callable[..., torch.Tensor], doc: str) -> Callable[..., Any]:
    """`deg2rad` / `rad2deg`: as `float_unary`, but `int64` gives `float64`."""

    def op(x: Any) -> torch.Tensor:
        x = convert_to_tensor(x)
        return function(x.to(torch.float64) if x.dtype == torch.int64 else floating(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    op.__module__ = __name__
    return keras_op("numpy")(op)


deg2rad = _angle_unit("deg2rad", torch.deg2rad, "Degrees to radians, elementwise.")
rad2deg = _angle_unit("rad2deg", torch.rad2deg, "Radians to degrees, elementwise.")


@keras_op("numpy", tensors=("x1", "x2"))
def arctan2(x1: Any, x2: Any) -> torch.Tensor:
    """The angle of the point `(x2, x1)`, elementwise, in `(-pi, pi]`."""
    a, b = tensors(x1, x2)
    dtype = to_torch_dtype(result_type(a.dtype, b.dtype, float))
    return torch.arctan2(a.to(dtype), b.to(dtype))


__all__ = [
    "angle",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "cos",
    "cosh",
    "deg2rad",
    "rad2deg",
    "sin",
    "sinc",
    "sinh",
    "tan",
    "tanh",
]
