"""Python operators on KerasTensors, and `get_item` (`x[key]`).

`x + 1` on a KerasTensor records the `add` op (an `Add` operation named `add`), `x / 2`
`true_divide`, `x & y` `logical_and`, `x[:, 0]` a `GetItem` named `get_item`: the ops and
class names that Keras 3's `KerasTensor` operators record, so `.keras` files interoperate.
Operations have no weights: they run in a functional model's forward and appear in
`summary()`, not in `model.layers`. Importing this module installs the operators on
`KerasTensor` (`graph/` cannot import the ops floor above it).

Example:
    >>> from kerastorch.graph.keras_tensor import KerasTensor
    >>> y = KerasTensor((None, 3)) * 2 + 1
    >>> type(y._keras_history.layer).__name__, y._keras_history.layer.name
    ('Add', 'add')
    >>> z = y[:, 0]
    >>> z.shape, type(z._keras_history.layer).__name__
    ((None,), 'GetItem')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import torch

from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.graph.operation import Operation
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import OP_CLASSES
from kerastorch.ops.numpy.arithmetic import (
    absolute,
    add,
    floor_divide,
    mod,
    multiply,
    negative,
    power,
    round,
    subtract,
    true_divide,
)
from kerastorch.ops.numpy.linear import matmul
from kerastorch.ops.numpy.logic import (
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)


def _index(x: Any, key: Any) -> torch.Tensor:
    if isinstance(key, list):  # as Keras: a list key is a tuple of indices
        key = tuple(key)
    return convert_to_tensor(x)[key]


class GetItem(Operation):
    """`x[key]`; the key (ints, slices, `None`, `Ellipsis`) is an argument of each call."""

    _keras_module: ClassVar[str] = "keras.src.ops.numpy"

    def call(self, x: Any, key: Any) -> torch.Tensor:
        return _index(x, key)


OP_CLASSES["GetItem"] = GetItem


def get_item(x: Any, key: Any) -> torch.Tensor:
    """`x[key]`: NumPy basic indexing with ints, slices, `None` and `Ellipsis`.

    Example:
        >>> import torch
        >>> get_item(torch.arange(6).reshape(2, 3), (slice(None), 0)).tolist()
        [0, 3]
    """
    if isinstance(x, KerasTensor):
        return GetItem()(x, key)
    return _index(x, key)


def _binary(op: Callable[..., Any], reverse: bool) -> Callable[[KerasTensor, Any], Any]:
    def method(self: KerasTensor, other: Any) -> Any:
        return op(other, self) if reverse else op(self, other)

    return method


for _dunder, _op, _reverse in (
    ("__add__", add, False), ("__radd__", add, True),
    ("__sub__", subtract, False), ("__rsub__", subtract, True),
    ("__mul__", multiply, False), ("__rmul__", multiply, True),
    ("__truediv__", true_divide, False), ("__rtruediv__", true_divide, True),
    ("__floordiv__", floor_divide, False), ("__rfloordiv__", floor_divide, True),
    ("__mod__", mod, False), ("__rmod__", mod, True),
    ("__pow__", power, False), ("__rpow__", power, True),
    ("__matmul__", matmul, False), ("__rmatmul__", matmul, True),
    ("__lt__", less, False), ("__le__", less_equal, False),
    ("__gt__", greater, False), ("__ge__", greater_equal, False),
    ("__ne__", not_equal, False),
    ("__and__", logical_and, False), ("__rand__", logical_and, True),
    ("__or__", logical_or, False), ("__ror__", logical_or, True),
    ("__xor__", logical_xor, False), ("__rxor__", logical_xor, True),
    ("__getitem__", get_item, False),
):  # fmt: skip
    setattr(KerasTensor, _dunder, _binary(_op, _reverse))

KerasTensor.__neg__ = negative
KerasTensor.__abs__ = absolute
KerasTensor.__invert__ = logical_not
KerasTensor.__round__ = lambda self, ndigits=None: round(self, decimals=ndigits or 0)

__all__ = ["get_item"]
