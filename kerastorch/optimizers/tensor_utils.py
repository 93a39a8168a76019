"""Torch-side helpers of the optimizers: a variable's storage, gradients in its layout, and
float32 step scalars.

The step scalars (bias corrections and the like) depend only on the step number. Eagerly the
step is a host integer and they are host float32 numbers (no device kernel, no sync); inside a
compiled step (`jit_compile=True`) the step is a float32 device tensor and they are tensors,
computed in the graph, so that the graph does not change from one step to the next.
`powers`, `sqrt` and `scalar` take either.

Example:
    >>> [float(p) for p in powers(2, 0.5, 0.9)]
    [0.25, 0.809999942779541]
    >>> import torch
    >>> [p.tolist() for p in powers(torch.tensor(2.0), 0.5, 0.9)]
    [0.25, 0.809999942779541]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.variables import Variable

__all__ = ["f32", "powers", "scalar", "sqrt", "step_tensor", "storage", "to_storage_layout"]

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


def powers(step: int | Tensor, *bases: float) -> list[Any]:
    """`base ** step` in float32, as Keras computes the bias corrections (`ops.power`).

    A host step gives NumPy float32 numbers; a float32 tensor step gives tensors.
    """
    if isinstance(step, Tensor):
        return [torch.pow(float(f32(b)), step) for b in bases]
    t = f32(step)
    return [f32(b) ** t for b in bases]


def step_tensor(step: int | Tensor) -> tuple[Tensor, Callable[[Tensor], Any]]:
    """`(t, host)`: the step as a float32 tensor (a host step on the CPU), and how to pass a
    scalar computed from it to a kernel (`float` for a host step, else the tensor itself)."""
    if isinstance(step, Tensor):
        return step, _identity
    return torch.tensor(float(step), dtype=torch.float32), float


def _identity(value: Tensor) -> Tensor:
    return value


def sqrt(value: Any) -> Any:
    """The float32 square root of a step scalar (NumPy float32 or tensor)."""
    return torch.sqrt(value) if isinstance(value, Tensor) else f32(np.sqrt(value))


def scalar(value: Any) -> Any:
    """A step scalar as a kernel argument: a Python float, or the tensor itself."""
    return value if isinstance(value, Tensor) else float(value)
