"""`tf.nn`: the activations and losses that tf.keras tutorials call, on torch tensors.

Example:
    >>> import torch
    >>> relu(torch.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> round(float(sparse_softmax_cross_entropy_with_logits([0], [[2.0, 0.0]])[0]), 4)
    0.1269
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.tf_standin.missing import missing


def _t(x: Any) -> torch.Tensor:
    return convert_to_tensor(x)


def relu(features: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.relu`."""
    return F.relu(_t(features))


def relu6(features: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.relu6`."""
    return F.relu6(_t(features))


def sigmoid(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.sigmoid`."""
    return torch.sigmoid(_t(x))


def tanh(x: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.tanh`."""
    return torch.tanh(_t(x))


def softmax(logits: Any, axis: int | None = None, name: str | None = None) -> torch.Tensor:
    """`tf.nn.softmax` (last axis by default)."""
    return torch.softmax(_t(logits), dim=-1 if axis is None else axis)


def log_softmax(logits: Any, axis: int | None = None, name: str | None = None) -> torch.Tensor:
    """`tf.nn.log_softmax` (last axis by default)."""
    return torch.log_softmax(_t(logits), dim=-1 if axis is None else axis)


def elu(features: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.elu`."""
    return F.elu(_t(features))


def selu(features: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.selu`."""
    return F.selu(_t(features))


def gelu(features: Any, approximate: bool = False, name: str | None = None) -> torch.Tensor:
    """`tf.nn.gelu` (exact by default, as TF)."""
    return F.gelu(_t(features), approximate="tanh" if approximate else "none")


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> torch.Tensor:
    """`tf.nn.leaky_relu` (slope 0.2 by default, as TF)."""
    return F.leaky_relu(_t(features), alpha)


def softplus(features: Any, name: str | None = None) -> torch.Tensor:
    """`tf.nn.softplus`."""
    return F.softplus(_t(features))


def swish(features: Any, beta: float = 1.0) -> torch.Tensor:
    """`tf.nn.swish` / `tf.nn.silu`."""
    x = _t(features)
    return x * torch.sigmoid(beta * x)


silu = swish


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1,
                                      name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.nn.softmax_cross_entropy_with_logits`: per-example loss from probability labels."""
    logits = _t(logits)
    return -(_t(labels).to(logits.dtype) * torch.log_softmax(logits, dim=axis)).sum(dim=axis)


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any,
                                             name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.nn.sparse_softmax_cross_entropy_with_logits`: per-example loss from class ids."""
    logits = _t(logits)
    labels = _t(labels).long()
    return -torch.log_softmax(logits, dim=-1).gather(-1, labels[..., None])[..., 0]


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                      name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.nn.sigmoid_cross_entropy_with_logits`: elementwise loss."""
    logits = _t(logits)
    return F.binary_cross_entropy_with_logits(logits, _t(labels).to(logits.dtype),
                                              reduction="none")  # fmt: skip


def dropout(x: Any, rate: float, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None) -> torch.Tensor:  # fmt: skip
    """`tf.nn.dropout`: always drops (it is the training-time op), scaling by 1/(1-rate)."""
    if noise_shape is not None:
        raise missing("tf.nn.dropout", "noise_shape")
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
    x = _t(x)
    keep = torch.rand(x.shape, generator=generator).to(x.device) >= rate
    return torch.where(keep, x / (1 - rate), torch.zeros_like(x))


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12,
                 name: str | None = None, dim: Any = None) -> torch.Tensor:  # fmt: skip
    """`tf.nn.l2_normalize` (`tf.math.l2_normalize`): over all axes by default."""
    x = _t(x)
    axis = dim if axis is None else axis
    dims = tuple(range(x.ndim)) if axis is None else axis
    squares = torch.sum(x * x, dim=dims, keepdim=True)
    return x * torch.rsqrt(torch.clamp(squares, min=epsilon))


def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False,
            name: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    """`tf.nn.moments`: the mean and (biased) variance over `axes`."""
    x = _t(x)
    mean = x.mean(dim=tuple(axes), keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=tuple(axes), keepdim=keepdims)
    return (mean if keepdims else mean.squeeze(tuple(axes))), variance


def __getattr__(name: str) -> Any:
    raise missing("tf.nn", name)


__all__ = [
    "dropout", "elu", "gelu", "l2_normalize", "leaky_relu", "log_softmax", "moments", "relu",
    "relu6", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits", "silu", "softmax",
    "softmax_cross_entropy_with_logits", "softplus", "sparse_softmax_cross_entropy_with_logits",
    "swish", "tanh",
]  # fmt: skip
