"""Signal ops of `keras.ops.nn`: `psnr` (peak signal-to-noise ratio) and `polar`.

Example:
    >>> import torch
    >>> round(psnr(torch.zeros(4), torch.full((4,), 0.1), 1.0).item(), 4)
    20.0
    >>> polar(torch.tensor([2.0]), torch.tensor([0.0]))
    tensor([2.+0.j])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["polar", "psnr"]


@keras_op("nn", tensors=("x1", "x2"), class_name="PSNR")
def psnr(x1: Any, x2: Any, max_val: float) -> Tensor:
    """`20 * log10(max_val) - 10 * log10(mean((x1 - x2) ** 2))`, a scalar.

    Args:
        x1: The first signal.
        x2: The second signal, of `x1`'s shape.
        max_val: The largest possible signal value.
    """
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            f"psnr: `x1` and `x2` must have the same shape. Received: x1.shape="
            f"{tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    peak = torch.as_tensor(max_val, dtype=x1.dtype, device=x1.device)
    mse = torch.mean((x1 - x2) ** 2)
    return 20 * torch.log10(peak) - 10 * torch.log10(mse)


@keras_op("nn", tensors=("abs_", "angle"))
def polar(abs_: Any, angle: Any) -> Tensor:
    """The complex tensor `abs_ * (cos(angle) + 1j * sin(angle))` (as `torch.polar`).

    Args:
        abs_: The magnitudes.
        angle: The angles, in radians.

    Returns:
        A complex tensor (`complex64` for float32 inputs).
    """
    abs_, angle = convert_to_tensor(abs_), convert_to_tensor(angle)
    return torch.complex(abs_ * torch.cos(angle), abs_ * torch.sin(angle))
