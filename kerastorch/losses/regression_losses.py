"""Regression losses: squared, absolute, percentage and logarithmic errors, cosine, Huber.

Each function takes `(y_true, y_pred)` and returns per-sample losses (the last axis
reduced); each class is a `BuiltinLoss` around one function. Numbers equal Keras 3's.

Example:
    >>> import torch
    >>> y_true, y_pred = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])
    >>> float(MeanSquaredError()(y_true, y_pred)), float(mean_squared_error(y_true, y_pred)[0])
    (0.25, 0.25)
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.losses.loss import as_tensor_pair, convert_to_tensor
from kerastorch.losses.loss_function_wrapper import WHOLE_MEANS, BuiltinLoss

Tensor = torch.Tensor


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    return torch.square(y_true - y_pred).mean(dim=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    return torch.abs(y_true - y_pred).mean(dim=-1)


WHOLE_MEANS[mean_squared_error] = torch.nn.functional.mse_loss
WHOLE_MEANS[mean_absolute_error] = torch.nn.functional.l1_loss


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    diff = torch.abs((y_true - y_pred) / y_true.abs().clamp_min(config.epsilon()))
    return 100.0 * diff.mean(dim=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    eps = config.epsilon()
    first_log = torch.log(y_pred.clamp_min(eps) + 1.0)
    second_log = torch.log(y_true.clamp_min(eps) + 1.0)
    return torch.square(first_log - second_log).mean(dim=-1)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 means same direction."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    return -torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    if x.dim() == 0:
        x = x.unsqueeze(0)
    inv_norm = torch.rsqrt(torch.square(x).sum(dim=axis, keepdim=True))
    return x * inv_norm.clamp_max(1.0 / config.epsilon())


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """Mean over the last axis of `0.5 * e**2` where `|e| <= delta`, else
    `delta * |e| - 0.5 * delta**2`, with `e = y_pred - y_true`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    if isinstance(delta, (int, float)) and delta > 0:  # torch's fused kernel, same formula
        return F.huber_loss(y_pred, y_true, reduction="none", delta=float(delta)).mean(dim=-1)
    delta = convert_to_tensor(delta, y_pred.dtype, y_pred.device)
    error = y_pred - y_true
    abs_error = error.abs()
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * torch.square(delta)
    return torch.where(abs_error <= delta, quadratic, linear).mean(dim=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred, squeeze=True)
    x = y_pred - y_true
    return (x + F.softplus(x * -2.0) - math.log(2.0)).mean(dim=-1)


class MeanSquaredError(BuiltinLoss):
    """Mean of squares of errors: `mean(square(y_true - y_pred))`.

    Example:
        >>> import torch
        >>> float(MeanSquaredError()(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]])))
        0.5
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(BuiltinLoss):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`.

    Example:
        >>> import torch
        >>> float(MeanAbsoluteError()(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 0.0]])))
        1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(BuiltinLoss):
    """`100 * mean(abs((y_true - y_pred) / y_true))`, the denominator at least epsilon.

    Example:
        >>> import torch
        >>> float(MeanAbsolutePercentageError()(torch.tensor([[2.0]]), torch.tensor([[1.0]])))
        50.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanSquaredLogarithmicError(BuiltinLoss):
    """`mean(square(log(y_true + 1) - log(y_pred + 1)))`.

    Example:
        >>> import torch
        >>> loss = MeanSquaredLogarithmicError()
        >>> round(float(loss(torch.tensor([[0.0]]), torch.tensor([[math.e - 1]]))), 4)
        1.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


class CosineSimilarity(BuiltinLoss):
    """Negative cosine similarity along `axis`: -1 for the same direction, 0 orthogonal.

    `get_config()` includes `axis` (Keras 3.15 leaves it out and loses it on reload).

    Example:
        >>> import torch
        >>> float(CosineSimilarity()(torch.tensor([[0.0, 2.0]]), torch.tensor([[0.0, 3.0]])))
        -1.0
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Huber(BuiltinLoss):
    """Huber loss: quadratic for errors up to `delta`, linear beyond.

    `get_config()` includes `delta` (Keras 3.15 leaves it out and loses it on reload).

    Example:
        >>> import torch
        >>> float(Huber(delta=1.0)(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.5, 3.0]])))
        1.3125
    """

    _config_keys = ("delta",)

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(BuiltinLoss):
    """`mean(log(cosh(y_pred - y_true)))`.

    Example:
        >>> import torch
        >>> round(float(LogCosh()(torch.tensor([[0.0]]), torch.tensor([[1.0]]))), 4)
        0.4338
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
