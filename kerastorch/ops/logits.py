"""Logits tagging: a softmax/sigmoid output that remembers the logits it was computed from.

`activations.softmax` and `activations.sigmoid` tag their output with `attach_logits`;
the crossentropy losses read the tag back with `logits_of` and compute from the logits,
which never saturates where the probabilities round to 0 or 1 (what Keras does on
TensorFlow). `carry_logits` keeps the tag through a reshape, dtype or device change.
The tag is three Python attributes on the tensor: reading it never syncs with the device.

Example:
    >>> import torch
    >>> z = torch.tensor([[30.0, -30.0]])
    >>> p = attach_logits(torch.softmax(z, -1), z, "softmax")
    >>> logits_of(p, "softmax") is not None, logits_of(p, "sigmoid")
    (True, None)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Tensor = torch.Tensor

__all__ = ["attach_logits", "carry_logits", "logits_of"]


def attach_logits(probs: Tensor, logits: Tensor, activation: str, axis: int = -1) -> Tensor:
    """Mark `probs` as `activation(logits)`, so crossentropies can use the logits.

    Softmax and sigmoid activations call this on their output. Binary, categorical and
    sparse categorical crossentropy with `from_logits=False` then compute from the logits
    when they match (sigmoid for binary; softmax over the loss's `axis` for categorical):
    the same numbers as the 1e-7-clipped probabilities in the normal range, and no
    saturation where the probabilities round to 0 or 1 (what Keras does on TensorFlow).

    Args:
        probs: The activation's output; gets the attributes `_keras_logits`,
            `_keras_logits_activation` and `_keras_logits_axis`.
        logits: The activation's input, same shape as `probs`.
        activation: `"sigmoid"` or `"softmax"`.
        axis: The softmax axis (ignored for sigmoid).

    Returns:
        `probs`, with the attributes set.

    Example:
        >>> import torch
        >>> z = torch.tensor([[30.0, -30.0]])
        >>> p = attach_logits(torch.softmax(z, -1), z, "softmax")
        >>> p._keras_logits_activation
        'softmax'
    """
    if activation not in ("sigmoid", "softmax"):
        raise ValueError(
            "attach_logits: `activation` must be 'sigmoid' or 'softmax'. "
            f"Received: activation={activation!r}"
        )
    probs._keras_logits = logits
    probs._keras_logits_activation = activation
    probs._keras_logits_axis = axis
    return probs


def logits_of(y_pred: Tensor, activation: str, axis: int = -1) -> Tensor | None:
    """The logits attached to `y_pred` by `attach_logits`, if they fit, else `None`.

    They fit when they were attached by `activation` (and, for softmax, over `axis`) and
    have `y_pred`'s shape. This reads Python attributes only: no device synchronisation.
    """
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None or getattr(y_pred, "_keras_logits_activation", None) != activation:
        return None
    if logits.shape != y_pred.shape:
        return None
    if activation == "softmax":
        ndim = max(y_pred.dim(), 1)
        if getattr(y_pred, "_keras_logits_axis", -1) % ndim != axis % ndim:
            return None
    return logits.to(y_pred.dtype)


def carry_logits(src: Any, dst: Tensor, fn: Callable[[Tensor], Tensor]) -> Tensor:
    """Give `dst = fn(src)` the logits attached to `src`, transformed by `fn`.

    Example:
        >>> import torch
        >>> z = torch.zeros(3)
        >>> p = attach_logits(torch.sigmoid(z), z, "sigmoid")
        >>> carry_logits(p, p.unsqueeze(-1), lambda t: t.unsqueeze(-1))._keras_logits.shape
        torch.Size([3, 1])
    """
    logits = getattr(src, "_keras_logits", None)
    if logits is not None and dst is not src:
        attach_logits(
            dst,
            fn(logits),
            src._keras_logits_activation,
            getattr(src, "_keras_logits_axis", -1),
        )
    return dst
