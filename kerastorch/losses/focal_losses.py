"""Focal crossentropies: binary and categorical crossentropy that down-weight easy examples.

Example:
    >>> import torch
    >>> loss = BinaryFocalCrossentropy(gamma=2.0)
    >>> round(float(loss(torch.tensor([[1.0]]), torch.tensor([[0.5]]))), 4)
    0.1733
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.losses.loss import as_tensor_pair
from kerastorch.losses.loss_function_wrapper import BuiltinLoss
from kerastorch.losses.probabilistic_losses import (
    bce_on_probs,
    categorical_inputs,
    check_same_shape,
    normalized_probs,
    smooth_labels,
)

Tensor = torch.Tensor


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Focal binary crossentropy: `(1 - p_t) ** gamma * bce`, optionally weighted by
    `alpha` (positives) and `1 - alpha` (negatives); averaged over `axis`."""
    y_true, y_pred = as_tensor_pair(y_true, y_pred)
    y_true = smooth_labels(y_true, label_smoothing, 2)
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    bce = bce_on_probs(y_true, y_pred)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return focal_bce.mean(dim=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Focal categorical crossentropy: `sum(alpha * (1 - p) ** gamma * -y * log(p), axis)`."""
    y_true, y_pred = categorical_inputs(
        "categorical_focal_crossentropy", y_true, y_pred, axis, label_smoothing
    )
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = normalized_probs(y_pred, axis)
    cce = -y_true * torch.log(output)
    focal_cce = torch.pow(1.0 - output, gamma) * alpha * cce
    return focal_cce.sum(dim=axis)


class BinaryFocalCrossentropy(BuiltinLoss):
    """Binary crossentropy down-weighting easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: Weight positives by `alpha` and negatives by `1 - alpha`.
        alpha: Class balance weight. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits, label_smoothing, axis: As in `BinaryCrossentropy`.

    Example:
        >>> import torch
        >>> loss = BinaryFocalCrossentropy(gamma=2.0)
        >>> round(float(loss(torch.tensor([[1.0]]), torch.tensor([[0.5]]))), 4)
        0.1733
    """

    _config_keys = (
        "from_logits",
        "label_smoothing",
        "axis",
        "apply_class_balancing",
        "alpha",
        "gamma",
    )

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(BuiltinLoss):
    """Categorical crossentropy weighted by `alpha * (1 - p) ** gamma` per class.

    Args:
        alpha: Weighting factor. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits, label_smoothing, axis: As in `CategoricalCrossentropy`.

    Example:
        >>> import torch
        >>> loss = CategoricalFocalCrossentropy()
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))), 4)
        0.0433
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
