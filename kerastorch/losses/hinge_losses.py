"""Hinge losses: `hinge`, `squared_hinge` (labels {0, 1} become {-1, 1}), `categorical_hinge`.

`convert_binary_labels_to_hinge` is also what the hinge metrics use.

Example:
    >>> import torch
    >>> float(Hinge()(torch.tensor([[1.0]]), torch.tensor([[0.5]])))
    0.5
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.losses.loss import as_tensor_pair
from kerastorch.losses.loss_function_wrapper import BuiltinLoss

Tensor = torch.Tensor


def convert_binary_labels_to_hinge(y_true: Tensor) -> Tensor:
    """Labels in {0, 1} become {-1, 1}; other labels are kept (decided on the device)."""
    is_binary = ((y_true == 0) | (y_true == 1)).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; labels {0, 1} become {-1, 1}."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.clamp_min(1.0 - y_true * y_pred, 0.0).mean(dim=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; {0, 1} become {-1, 1}."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.square(torch.clamp_min(1.0 - y_true * y_pred, 0.0)).mean(dim=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` (last axis)."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp_min(neg - pos + 1.0, 0.0)


class Hinge(BuiltinLoss):
    """`mean(maximum(1 - y_true * y_pred, 0))`; labels in {0, 1} are mapped to {-1, 1}.

    Example:
        >>> import torch
        >>> float(Hinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])))
        1.0
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "hinge", dtype: Any = None
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(BuiltinLoss):
    """`mean(square(maximum(1 - y_true * y_pred, 0)))`; labels {0, 1} become {-1, 1}.

    Example:
        >>> import torch
        >>> float(SquaredHinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])))
        1.25
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(BuiltinLoss):
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Example:
        >>> import torch
        >>> y_true, y_pred = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, 0.7]])
        >>> round(float(CategoricalHinge()(y_true, y_pred)), 4)
        0.6
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
