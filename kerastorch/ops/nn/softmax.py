"""Normalizing activations of `keras.ops.nn`: `softmax`, `log_softmax`, `sparsemax`.

`axis` is an int, a tuple of ints (the values over those axes are normalized together) or
`None` (over all values). `float16` is computed in `float32` on the CPU, as Keras does.
A softmax over an axis of size 1 warns, as Keras does (it is always 1).

Example:
    >>> import torch
    >>> softmax(torch.zeros(2, 2), axis=(0, 1)).tolist()
    [[0.25, 0.25], [0.25, 0.25]]
    >>> sparsemax(torch.tensor([2.0, 0.0])).tolist()
    [1.0, 0.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["log_softmax", "softmax", "sparsemax"]


def _over_axes(fn: Callable[[Tensor, int], Tensor], x: Tensor, axis: Any) -> Tensor:
    """`fn(values, -1)` over `axis` (an int, a tuple of ints or None), in float32 for
    float16 on the CPU."""
    dtype = x.dtype
    if dtype == torch.float16 and x.device.type == "cpu":
        x = x.float()
    if isinstance(axis, int):
        out = fn(x, axis)
    else:
        axes = tuple(range(x.dim())) if axis is None else tuple(a % x.dim() for a in axis)
        rest = [d for d in range(x.dim()) if d not in axes]
        moved = x.permute(*rest, *axes)
        order = rest + list(axes)
        flat = fn(moved.reshape(*moved.shape[: len(rest)], -1), -1)
        out = flat.reshape(moved.shape).permute(*sorted(range(x.dim()), key=order.__getitem__))
    return out.to(dtype)


@keras_op("nn")
def softmax(x: Any, axis: Any = -1) -> Tensor:
    """`exp(x) / sum(exp(x))` over `axis`.

    Args:
        x: Input tensor.
        axis: int, tuple of ints, or `None` (all axes). Default `-1`.

    Example:
        >>> softmax([0.0, 0.0]).tolist()
        [0.5, 0.5]
    """
    x = convert_to_tensor(x)
    if isinstance(axis, int) and -x.dim() <= axis < x.dim() and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape "
            f"{tuple(x.shape)}. This axis has size 1. The softmax operation will always "
            "return the value 1, which is likely not what you intended. "
            "Did you mean to use a sigmoid instead?",
            stacklevel=2,
        )
    return _over_axes(torch.softmax, x, axis)


@keras_op("nn")
def log_softmax(x: Any, axis: Any = -1) -> Tensor:
    """`x - log(sum(exp(x)))` over `axis` (int, tuple of ints or `None`), computed stably.

    Example:
        >>> log_softmax([0.0, 0.0]).tolist()
        [-0.6931471824645996, -0.6931471824645996]
    """
    return _over_axes(torch.log_softmax, convert_to_tensor(x), axis)


@keras_op("nn")
def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """Sparsemax along `axis`, exactly as Keras 3.15 computes it (on every backend).

    `max(x - tau, 0)` with `k` the support size and `tau = (sum of the sorted cumulative sums
    over the support - 1) / k`. Note: the published sparsemax uses the cumulative sum at `k`
    only; the two agree when one value is in the support, otherwise Keras's outputs do not
    sum to 1. Kept as Keras's for parity of trained models.

    Example:
        >>> sparsemax([2.0, 0.0]).tolist()
        [1.0, 0.0]
        >>> sparsemax([0.5, 0.4, -1.0]).tolist()  # Keras's numbers (the paper's: 0.55, 0.45)
        [0.30000001192092896, 0.20000001788139343, 0.0]
    """
    x = convert_to_tensor(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumsum = torch.cumsum(ordered, dim=axis)
    shape = [1] * x.dim()
    shape[axis] = -1
    rank = torch.arange(1, x.shape[axis] + 1, device=x.device, dtype=x.dtype).view(shape)
    support = ordered - (cumsum - 1) / rank > 0
    k = torch.sum(support, dim=axis, keepdim=True)
    tau = (torch.sum(torch.where(support, cumsum, 0.0), dim=axis, keepdim=True) - 1) / k
    return torch.clamp(x - tau, min=0.0)
