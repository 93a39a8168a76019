"""Operation layers: arithmetic, comparisons and slicing applied to KerasTensors.

`x + y` on KerasTensors records an `Add` operation named `add`, `x[:, 0]` a `GetItem` named
`get_item`, as Keras 3 does. They are layers without weights: they run in the model's
forward and appear in `summary()`, but not in `model.layers` (as in Keras).

Example:
    >>> import kerastorch as keras
    >>> x = keras.Input((3,))
    >>> y = x * 2 + 1
    >>> y._keras_history.layer.class_name, y._keras_history.layer.name
    ('Add', 'add')
"""

from __future__ import annotations

import operator
from typing import Any

import torch

from kerastorch.common import naming
from kerastorch.layers.layer import Layer

_FUNCTIONS = {
    "add": ("Add", torch.add),
    "subtract": ("Subtract", torch.subtract),
    "multiply": ("Multiply", torch.multiply),
    "true_divide": ("TrueDivide", torch.true_divide),
    "floor_divide": ("FloorDivide", torch.floor_divide),
    "mod": ("Mod", torch.remainder),
    "power": ("Power", torch.pow),
    "matmul": ("Matmul", torch.matmul),
    "less": ("Less", torch.less),
    "less_equal": ("LessEqual", torch.less_equal),
    "greater": ("Greater", torch.greater),
    "greater_equal": ("GreaterEqual", torch.greater_equal),
    "logical_and": ("LogicalAnd", torch.logical_and),
    "logical_or": ("LogicalOr", torch.logical_or),
    "logical_not": ("LogicalNot", torch.logical_not),
    "negative": ("Negative", torch.negative),
    "absolute": ("Absolute", torch.abs),
    "get_item": ("GetItem", operator.getitem),
}


class Operation(Layer):
    """A weightless layer applying one named tensor function (`"add"`, `"get_item"`, ...)."""

    _keras_module = "keras.src.ops.numpy"

    def __init__(self, function: str, name: str | None = None, **kwargs: Any):
        if function not in _FUNCTIONS:
            raise ValueError(
                f"Unknown operation {function!r}. Expected one of {sorted(_FUNCTIONS)}."
            )
        super().__init__(name=name or naming.uniquify(function), **kwargs)
        self.function = function
        self._class_name, self._fn = _FUNCTIONS[function]

    @property
    def class_name(self) -> str:
        """Keras's class name of the operation (`"Add"`, `"GetItem"`, ...)."""
        return self._class_name

    def call(self, *args: Any) -> Any:
        args = tuple(_as_tensor(a, args) for a in args)
        return self._fn(*args)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "function": self.function}


def _as_tensor(value: Any, args: tuple[Any, ...]) -> Any:
    """Python scalars stay scalars (torch broadcasts them); lists become tensors."""
    if isinstance(value, (list,)) and all(isinstance(v, (int, float)) for v in value):
        like = next(a for a in args if isinstance(a, torch.Tensor))
        return torch.as_tensor(value, dtype=like.dtype, device=like.device)
    return value


def symbolic_op(function: str, *args: Any) -> Any:
    """Record `function(*args)` on KerasTensors as an `Operation` node."""
    return Operation(function)(*args)
