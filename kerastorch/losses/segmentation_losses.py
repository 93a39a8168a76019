"""Segmentation losses: `dice` and `tversky` (overlap between masks, summed over `axis`).

Example:
    >>> import torch
    >>> float(Dice()(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0]])))
    0.0
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.losses.loss import as_tensor_pair
from kerastorch.losses.loss_function_wrapper import BuiltinLoss

Tensor = torch.Tensor
AxisLike = int | tuple[int, ...] | list[int] | None


def _sum(x: Tensor, axis: AxisLike) -> Tensor:
    return x.sum() if axis is None else x.sum(dim=axis)


def dice(y_true: Any, y_pred: Any, axis: AxisLike = None) -> Tensor:
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)` over `axis`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    denominator = _sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon()
    return 1 - (2.0 * intersection) / denominator


def tversky(
    y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: AxisLike = None
) -> Tensor:
    """`1 - TP / (TP + alpha * FP + beta * FN + epsilon)`, sums over `axis`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + config.epsilon())


class Dice(BuiltinLoss):
    """Dice loss `1 - 2 * |y_true * y_pred| / (|y_true| + |y_pred|)`, sums over `axis`.

    Args:
        axis: Axes to sum over; `None` (default) sums everything into one value.

    Example:
        >>> import torch
        >>> float(Dice()(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0]])))
        0.0
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        axis: AxisLike = None,
        dtype: Any = None,
    ):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Tversky(BuiltinLoss):
    """Tversky loss: Dice with false positives weighted by `alpha`, false negatives `beta`.

    Example:
        >>> import torch
        >>> loss = Tversky(alpha=0.5, beta=0.5)
        >>> round(float(loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]))), 4)
        0.5
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        axis: AxisLike = None,
        dtype: Any = None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
