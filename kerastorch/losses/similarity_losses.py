"""Similarity losses: Circle loss (Sun et al., 2020), for metric learning on embeddings.

Example:
    >>> import torch
    >>> emb = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])  # unit-norm rows
    >>> circle(torch.tensor([0, 0, 1]), emb).shape
    torch.Size([3])
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.losses.loss import convert_to_tensor
from kerastorch.losses.loss_function_wrapper import INTEGER_LABELS, BuiltinLoss

Tensor = torch.Tensor


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> Tensor:
    """Circle loss (Sun et al., 2020) on unit-norm embeddings `y_pred` with labels `y_true`."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device).to(torch.int32)
    ref_embeddings = y_pred if ref_embeddings is None else convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else convert_to_tensor(ref_labels).to(torch.int32)
    distances = (1 - y_pred @ ref_embeddings.T).clamp_min(0.0)  # pairwise cosine distances
    query, key = y_true.reshape(-1, 1), ref_labels.reshape(-1, 1)
    positive = query == key.T
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(query.numel(), key.numel(), dtype=torch.bool, device=positive.device)
        positive = positive & ~eye
    pos_weights = ((margin + distances) * positive).clamp_min(0.0)
    neg_weights = ((1 + margin - distances) * negative).clamp_min(0.0)
    pos_wdists = -1 * gamma * pos_weights * (margin - distances)
    neg_wdists = gamma * neg_weights * (1 - margin - distances)
    p_loss = torch.logsumexp(torch.where(positive, pos_wdists, -math.inf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_wdists, -math.inf), dim=1)
    loss = F.softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0
    return loss


INTEGER_LABELS.add(circle)


class Circle(BuiltinLoss):
    """Circle loss for metric learning on unit-norm embeddings (see `circle`).

    Example:
        >>> import torch
        >>> emb = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])  # unit-norm rows
        >>> round(float(Circle()(torch.tensor([0, 0, 1]), emb)), 4)
        3.2008
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
