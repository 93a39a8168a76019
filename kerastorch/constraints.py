"""Keras 3's weight constraints: projections applied to a weight after each optimizer step.

A constraint takes the weight in Keras layout (a Dense kernel is `(in, out)`, a Conv2D kernel
`(kh, kw, in, out)`) and returns the projected tensor; `axis` refers to that layout.

Example:
    >>> import torch
    >>> from kerastorch import constraints
    >>> constraints.get("non_neg")(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
import torch

from kerastorch import config
from kerastorch.common import registry, serialization
from kerastorch.common.naming import to_snake_case

Axis = int | Sequence[int]

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]


def _tensor(w: Any) -> torch.Tensor:
    if isinstance(w, torch.Tensor):
        return w
    if isinstance(getattr(w, "value", None), torch.Tensor):  # a kerastorch Variable
        return w.value
    return torch.as_tensor(np.asarray(w))


def _norms(w: torch.Tensor, axis: Axis) -> torch.Tensor:
    """L2 norms over `axis`, kept as size-1 axes so that they broadcast against `w`."""
    dims = axis if isinstance(axis, int) else tuple(axis)
    return torch.sqrt(w.square().sum(dim=dims, keepdim=True))


class Constraint:
    """Base class of constraints: `__call__(w)` returns the projected weight.

    Example:
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return w.clamp(-1, 1)
        >>> Clip()(torch.tensor([-3.0, 0.5]))
        tensor([-1.0000,  0.5000])
    """

    _keras_module: ClassVar[str] = "keras.constraints"

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        """The projected weight (the base class returns `w` unchanged)."""
        return w

    def get_config(self) -> dict[str, Any]:
        """The constraint's arguments as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Constraint:
        """Rebuild a constraint from the output of `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class MaxNorm(Constraint):
    """Rescale each slice along `axis` whose L2 norm exceeds `max_value` down to it.

    Args:
        max_value: The largest allowed norm. Defaults to `2`.
        axis: Axis (or axes) the norms are taken over: `0` for a Dense kernel `(in, out)`,
            `[0, 1, 2]` for a Conv2D kernel `(kh, kw, in, out)`. Defaults to `0`.

    Example:
        >>> MaxNorm(1.0)(torch.tensor([[3.0], [4.0]]))
        tensor([[0.6000],
                [0.8000]])
    """

    def __init__(self, max_value: float = 2, axis: Axis = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Move the L2 norm of each slice along `axis` into `[min_value, max_value]`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`: `rate=1`
    enforces the bounds at once, smaller rates move towards them gradually.

    Args:
        min_value: Smallest allowed norm. Defaults to `0.0`.
        max_value: Largest allowed norm. Defaults to `1.0`.
        rate: Rate of enforcement. Defaults to `1.0`.
        axis: As in `MaxNorm`. Defaults to `0`.
    """

    def __init__(
        self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Axis = 0
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        norms = _norms(w, self.axis)
        desired = (
            self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


class NonNeg(Constraint):
    """Set negative weights to zero."""

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return torch.clamp(_tensor(w), min=0)


class UnitNorm(Constraint):
    """Scale each slice along `axis` to unit L2 norm (`axis` as in `MaxNorm`; default `0`)."""

    def __init__(self, axis: Axis = 0):
        self.axis = axis

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        w = _tensor(w)
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


# Keras's snake_case aliases.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT: dict[str, type[Constraint]] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})


def serialize(constraint: Constraint) -> dict[str, Any]:
    """The Keras config dict of a constraint."""
    return serialization.serialize_keras_object(constraint)


def deserialize(
    config: str | dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Constraint:
    """The constraint a Keras config (or a bare name) describes."""
    return serialization.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier: Any) -> Callable[..., Any] | None:
    """Resolve a constraint from a name (`"max_norm"`, `"non_neg"`, ...), a config dict, a
    class or a callable.

    Example:
        >>> type(get("unit_norm")).__name__, get(None)
        ('UnitNorm', None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")


registry.register_namespace("constraints", globals(), __all__)
