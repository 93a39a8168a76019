"""Helpers of the optimizers: variable storage, gradient layouts, float32 step scalars.

Example:
    >>> [float(p) for p in _powers(2, 0.5, 0.9)]
    [0.25, 0.809999942779541]
"""

from __future__ import annotations

import inspect
import numbers
import os
import sys
from typing import Any

import numpy as np
import torch

from kerastorch.common import naming
from kerastorch.variables import Variable

Tensor = torch.Tensor
_f32 = np.float32
_HERE = os.path.dirname(os.path.abspath(__file__))


def _auto_name(class_name: str) -> str:
    return naming.uniquify(naming.to_snake_case(class_name))


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (Tensor, np.ndarray)) and value.ndim == 0 and value.dtype != bool:
        return float(value)
    return None


def _storage(variable: Any, owner: str) -> Tensor:
    """The torch tensor that holds `variable`."""
    if isinstance(variable, Variable):
        return variable.tensor
    if isinstance(variable, Tensor):
        return variable
    raise TypeError(
        f"Optimizer '{owner}' updates kerastorch Variables or torch tensors. Received: "
        f"{variable!r} of type {type(variable).__name__}"
    )


def _to_storage_layout(grad: Any, variable: Any, param: Tensor, owner: str) -> Tensor:
    """A gradient given in `variable`'s Keras layout, as a tensor in its torch layout."""
    if isinstance(grad, Variable):
        grad = grad.value
    if not isinstance(grad, Tensor):
        grad = torch.as_tensor(np.asarray(grad))
    grad = grad.detach().to(device=param.device, dtype=param.dtype)
    expected = tuple(variable.shape) if isinstance(variable, Variable) else tuple(param.shape)
    if tuple(grad.shape) != expected:
        name = getattr(variable, "path", None) or "variable"
        raise ValueError(
            f"Optimizer '{owner}': the gradient for '{name}' must have the variable's (Keras "
            f"layout) shape {expected}; received shape {tuple(grad.shape)}. For gradients in "
            "torch layout (`.grad`), use `optimizer.step()`."
        )
    from_keras = getattr(variable, "_from_keras", None)
    return grad if from_keras is None else from_keras(grad)


def _init_argument_names(cls: type) -> list[str]:
    names: set[str] = {"lr"}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for p in inspect.signature(init).parameters.values():
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self":
                names.add(p.name)
    return sorted(names)


def _user_stacklevel() -> int:
    """The `stacklevel` that points a warning at the first frame outside this package."""
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _HERE:
        frame, level = frame.f_back, level + 1
    return level


def _powers(step: int, *bases: float) -> list[np.float32]:
    """`base ** step` in float32, as Keras computes the bias corrections (`ops.power`)."""
    t = _f32(step)
    return [_f32(b) ** t for b in bases]
