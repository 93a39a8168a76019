"""Keras's NumPy-style operations that Python operators on KerasTensors record.

`x + 1` on a KerasTensor records an `Add` operation named `add`, `x[:, 0]` a `GetItem`
named `get_item`, as Keras 3 does (`keras.src.ops.numpy`). Operations have no weights: they
run in a functional model's forward and appear in `summary()`, not in `model.layers`.
Importing this module installs the operators on `KerasTensor` (`graph/` cannot import it).

Example:
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> y = KerasTensor((None, 3)) * 2 + 1
    >>> type(y._keras_history.layer).__name__, y._keras_history.layer.name
    ('Add', 'add')
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

import torch

from kerastorch.common import registry
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation


class TorchFunction(Operation):
    """An operation that applies one torch function to its arguments."""

    _keras_module: ClassVar[str] = "keras.src.ops.numpy"
    function: ClassVar[Callable[..., Any]]

    def call(self, *args: Any) -> Any:
        return type(self).function(*(_as_tensor(a, args) for a in args))


def _as_tensor(value: Any, args: tuple[Any, ...]) -> Any:
    """Python scalars stay scalars (torch broadcasts them); lists of numbers become tensors."""
    if isinstance(value, list) and all(isinstance(v, (int, float)) for v in value):
        like = next(a for a in args if isinstance(a, torch.Tensor))
        return torch.as_tensor(value, dtype=like.dtype, device=like.device)
    return value


class Add(TorchFunction):
    function = torch.add


class Subtract(TorchFunction):
    function = torch.subtract


class Multiply(TorchFunction):
    function = torch.multiply


class TrueDivide(TorchFunction):
    function = torch.true_divide


class FloorDivide(TorchFunction):
    function = torch.floor_divide


class Mod(TorchFunction):
    function = torch.remainder


class Power(TorchFunction):
    function = torch.pow


class Matmul(TorchFunction):
    function = torch.matmul


class Less(TorchFunction):
    function = torch.less


class LessEqual(TorchFunction):
    function = torch.less_equal


class Greater(TorchFunction):
    function = torch.greater


class GreaterEqual(TorchFunction):
    function = torch.greater_equal


class LogicalAnd(TorchFunction):
    function = torch.logical_and


class LogicalOr(TorchFunction):
    function = torch.logical_or


class LogicalNot(TorchFunction):
    function = torch.logical_not


class Negative(TorchFunction):
    function = torch.negative


class Absolute(TorchFunction):
    function = torch.abs


class GetItem(TorchFunction):
    function = operator.getitem


__all__ = [
    "Absolute",
    "Add",
    "FloorDivide",
    "GetItem",
    "Greater",
    "GreaterEqual",
    "Less",
    "LessEqual",
    "LogicalAnd",
    "LogicalNot",
    "LogicalOr",
    "Matmul",
    "Mod",
    "Multiply",
    "Negative",
    "Power",
    "Subtract",
    "TrueDivide",
]


# -- Python operators on KerasTensors ---------------------------------------------------------
def _binary(op: type[Operation], reverse: bool) -> Callable[[KerasTensor, Any], Any]:
    def method(self: KerasTensor, other: Any) -> Any:
        return op()(other, self) if reverse else op()(self, other)

    return method


for _dunder, _op, _reverse in (
    ("__add__", Add, False), ("__radd__", Add, True),
    ("__sub__", Subtract, False), ("__rsub__", Subtract, True),
    ("__mul__", Multiply, False), ("__rmul__", Multiply, True),
    ("__truediv__", TrueDivide, False), ("__rtruediv__", TrueDivide, True),
    ("__floordiv__", FloorDivide, False), ("__rfloordiv__", FloorDivide, True),
    ("__mod__", Mod, False), ("__rmod__", Mod, True),
    ("__pow__", Power, False), ("__rpow__", Power, True),
    ("__matmul__", Matmul, False), ("__rmatmul__", Matmul, True),
    ("__lt__", Less, False), ("__le__", LessEqual, False),
    ("__gt__", Greater, False), ("__ge__", GreaterEqual, False),
    ("__and__", LogicalAnd, False), ("__rand__", LogicalAnd, True),
    ("__or__", LogicalOr, False), ("__ror__", LogicalOr, True),
    ("__getitem__", GetItem, False),
):  # fmt: skip
    setattr(KerasTensor, _dunder, _binary(_op, _reverse))

KerasTensor.__neg__ = lambda self: Negative()(self)
KerasTensor.__abs__ = lambda self: Absolute()(self)
KerasTensor.__invert__ = lambda self: LogicalNot()(self)

registry.register_namespace("ops", globals(), __all__)
