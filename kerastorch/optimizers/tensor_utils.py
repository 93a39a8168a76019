"""Torch-side helpers of the optimizers: a variable's storage, gradients in its layout, and
float32 step scalars.

Example:
    >>> [float(p) for p in powers(2, 0.5, 0.9)]
    [0.25, 0.809999942779541]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.variables import Variable

__all__ = ["f32", "powers", "storage", "to_storage_layout"]

Tensor = torch.Tensor
f32 = np.float32


def storage(variable: Any, owner: str) -> Tensor:
    """The torch tensor that holds `variable` (`owner` names the optimizer in errors)."""
    if isinstance(variable, Variable):
        return variable.tensor
    if isinstance(variable, Tensor):
        return variable
    raise TypeError(
        f"Optimizer '{owner}' updates kerastorch Variables or torch tensors. Received: "
        f"{variable!r} of type {type(variable).__name__}"
    )


def to_storage_layout(grad: Any, variable: Any, param: Tensor, owner: str) -> Tensor:
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


def powers(step: int, *bases: float) -> list[np.float32]:
    """`base ** step` in float32, as Keras computes the bias corrections (`ops.power`)."""
    t = f32(step)
    return [f32(b) ** t for b in bases]
