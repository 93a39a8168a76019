"""Crossentropies of `keras.ops.nn`, element-wise (no reduction over the batch).

As Keras's torch backend computes them: from probabilities (`from_logits=False`, the
default) the categorical ones renormalize `output` to sum to 1 over `axis` and all clip it
to `[epsilon, 1 - epsilon]` (`config.epsilon()`) before the log; from logits they use
torch's log-softmax / `binary_cross_entropy_with_logits` kernels.

Example:
    >>> import torch
    >>> target, output = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]])
    >>> round(categorical_crossentropy(target, output).item(), 4)
    0.6931
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
]


def _same_shape(op: str, target: Tensor, output: Tensor) -> None:
    if target.shape != output.shape:
        raise ValueError(
            f"{op}: arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )


@keras_op("nn", tensors=("target", "output"))
def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Element-wise binary crossentropy between `target` and `output` (same shape).

    Args:
        target: Labels in `[0, 1]`.
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.

    Example:
        >>> import torch
        >>> binary_crossentropy(torch.tensor([1.0]), torch.tensor([0.0]), from_logits=True)
        tensor([0.6931])
    """
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    _same_shape("binary_crossentropy", target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    return F.binary_cross_entropy(torch.clamp(output, eps, 1.0 - eps), target, reduction="none")


@keras_op("nn", tensors=("target", "output"))
def categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Crossentropy between one-hot (or soft) `target` and `output` over `axis`.

    Args:
        target: Class probabilities, the shape of `output`.
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis. Default `-1`.

    Returns:
        The losses, `output`'s shape without `axis`.
    """
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    _same_shape("categorical_crossentropy", target, output)
    if target.dim() < 1:
        raise ValueError(
            "categorical_crossentropy: arguments `target` and `output` must be at least rank "
            f"1. Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    if from_logits:
        log_prob = torch.log_softmax(output, dim=axis)
    else:
        eps = config.epsilon()
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -torch.sum(target * log_prob, dim=axis)


@keras_op("nn", tensors=("target", "output"))
def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Tensor:
    """Crossentropy between integer class `target` and `output` over the class `axis`.

    Args:
        target: Class indices, `output`'s shape without `axis` (a trailing size-1 axis is
            squeezed).
        output: Probabilities, or logits when `from_logits=True`.
        from_logits: Whether `output` holds logits.
        axis: The class axis of `output`. Default `-1`.

    Example:
        >>> import torch
        >>> sparse_categorical_crossentropy(torch.tensor([0]), torch.zeros(1, 4), True)
        tensor([1.3863])
    """
    target = convert_to_tensor(target).long()
    output = convert_to_tensor(output)
    if output.dim() < 1:
        raise ValueError(
            "sparse_categorical_crossentropy: argument `output` must be at least rank 1. "
            f"Received: output.shape={tuple(output.shape)}"
        )
    if target.dim() == output.dim() and target.shape[axis] == 1:
        target = target.squeeze(axis)
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy: arguments `target` and `output` must have the "
            f"same shape up until the class axis: target.shape={tuple(target.shape)}, "
            f"output.shape={tuple(output.shape)}"
        )
    squeeze = output.dim() == 1
    if squeeze:
        output, target = output.unsqueeze(0), target.unsqueeze(0)
    else:
        output = output.movedim(axis % output.dim(), 1)
    if from_logits:
        result = F.cross_entropy(output, target, reduction="none")
    else:
        eps = config.epsilon()
        output = output / torch.sum(output, dim=1, keepdim=True)
        result = F.nll_loss(
            torch.log(torch.clamp(output, eps, 1.0 - eps)), target, reduction="none"
        )
    return result.squeeze(0) if squeeze else result
