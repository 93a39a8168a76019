"""Noise-robust losses: categorical generalized crossentropy `(1 - p ** q) / q`.

Example:
    >>> import torch
    >>> y_true, y_pred = torch.tensor([1]), torch.tensor([[0.75, 0.25]])
    >>> float(categorical_generalized_cross_entropy(y_true, y_pred, q=0.5)[0])
    1.0
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.losses.loss import convert_to_tensor
from kerastorch.losses.loss_function_wrapper import INTEGER_LABELS, BuiltinLoss

Tensor = torch.Tensor


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Tensor:
    """`(1 - p ** q) / q`, with `p` the predicted probability of the integer label."""
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true, device=y_pred.device).long()
    one_hot = F.one_hot(labels.clamp_min(0), y_pred.shape[-1]) * (labels >= 0).unsqueeze(-1)
    p = torch.sum(y_pred * one_hot.to(y_pred.dtype), dim=-1)
    return (1 - torch.pow(p, q)) / q


INTEGER_LABELS.add(categorical_generalized_cross_entropy)


class CategoricalGeneralizedCrossEntropy(BuiltinLoss):
    """Generalized crossentropy `(1 - p ** q) / q` for integer labels, robust to label noise.

    Example:
        >>> import torch
        >>> loss = CategoricalGeneralizedCrossEntropy(q=0.5)
        >>> float(loss(torch.tensor([1]), torch.tensor([[0.75, 0.25]])))
        1.0
    """

    _config_keys = ("q",)

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: `q` must be in the interval (0, 1). "
                f"Received: q={q!r}"
            )
        super().__init__(
            categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q
        )
