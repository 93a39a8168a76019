"""Sequence losses: CTC, the Connectionist Temporal Classification loss (`F.ctc_loss`).

Example:
    >>> import torch
    >>> ctc(torch.tensor([[1, 0]]), torch.zeros(1, 3, 2)).shape
    torch.Size([1])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.losses.loss import convert_to_tensor
from kerastorch.losses.loss_function_wrapper import INTEGER_LABELS, BuiltinLoss

Tensor = torch.Tensor


def ctc(y_true: Any, y_pred: Any) -> Tensor:
    """Connectionist Temporal Classification loss, one value per sequence.

    Args:
        y_true: Integer labels `(batch, max_label_length)`, padded with 0 (the blank).
        y_pred: Logits `(batch, time, num_classes)`; class 0 is the blank.
    """
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dim() != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if y_pred.dim() != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    batch, time = y_pred.shape[:2]
    targets = y_true.long()
    target_lengths = (targets != 0).sum(dim=-1)
    input_lengths = torch.full((batch,), time, dtype=torch.long, device=y_pred.device)
    dtype = torch.promote_types(y_pred.dtype, torch.float32)
    log_probs = F.log_softmax(y_pred.to(dtype).transpose(0, 1), dim=-1)  # (time, batch, classes)
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="none")


INTEGER_LABELS.add(ctc)


class CTC(BuiltinLoss):
    """Connectionist Temporal Classification loss (see `ctc`): blank = 0 = padding.

    Example:
        >>> import torch
        >>> loss = CTC(reduction=None)
        >>> loss(torch.tensor([[1, 0]]), torch.zeros(1, 3, 2)).shape
        torch.Size([1])
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "ctc", dtype: Any = None
    ):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
