"""Element-wise activations of `keras.ops.nn`, with Keras's argument names and defaults.

Each keeps its input's shape and dtype (`glu` halves `axis`). They are written on
`torch.nn.functional` directly, as Keras's torch backend computes them: `hard_sigmoid` is
torch's `relu6(x + 3) / 6`, `gelu(approximate=True)` is the tanh approximation.
`swish` is `silu` and `hard_swish` is `hard_silu` (the same ops, as in Keras).

Example:
    >>> import torch
    >>> x = torch.tensor([-2.0, 0.0, 2.0])
    >>> relu(x).tolist(), leaky_relu(x).tolist()
    ([0.0, 0.0, 2.0], [-0.4000000059604645, 0.0, 2.0])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
]


@keras_op("nn")
def relu(x: Any) -> Tensor:
    """`max(x, 0)`.

    Example:
        >>> relu([-1.0, 2.0]).tolist()
        [0.0, 2.0]
    """
    return F.relu(convert_to_tensor(x))


@keras_op("nn")
def relu6(x: Any) -> Tensor:
    """`min(max(x, 0), 6)`."""
    return F.relu6(convert_to_tensor(x))


@keras_op("nn")
def sigmoid(x: Any) -> Tensor:
    """`1 / (1 + exp(-x))`."""
    return torch.sigmoid(convert_to_tensor(x))


@keras_op("nn")
def sparse_sigmoid(x: Any) -> Tensor:
    """`0` for `x <= -1`, `(x + 1) / 2` between, `1` for `x >= 1`.

    Example:
        >>> sparse_sigmoid([-2.0, 0.0, 2.0]).tolist()
        [0.0, 0.5, 1.0]
    """
    x = convert_to_tensor(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


@keras_op("nn")
def softplus(x: Any) -> Tensor:
    """`log(exp(x) + 1)`."""
    return F.softplus(convert_to_tensor(x))


@keras_op("nn")
def softsign(x: Any) -> Tensor:
    """`x / (abs(x) + 1)`."""
    return F.softsign(convert_to_tensor(x))


@keras_op("nn")
def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0."""
    return F.softshrink(convert_to_tensor(x), lambd=threshold)


@keras_op("nn")
def sparse_plus(x: Any) -> Tensor:
    """`0` for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Example:
        >>> sparse_plus([-2.0, 0.0, 2.0]).tolist()
        [0.0, 0.25, 2.0]
    """
    x = convert_to_tensor(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


@keras_op("nn")
def silu(x: Any) -> Tensor:
    """`x * sigmoid(x)` (also `swish`)."""
    return F.silu(convert_to_tensor(x))


swish = silu


@keras_op("nn")
def squareplus(x: Any, b: float = 4) -> Tensor:
    """`(x + sqrt(x**2 + b)) / 2`."""
    x = convert_to_tensor(x)
    return (x + torch.sqrt(x**2 + b)) / 2


@keras_op("nn")
def log_sigmoid(x: Any) -> Tensor:
    """`log(sigmoid(x))`, computed stably."""
    return F.logsigmoid(convert_to_tensor(x))


@keras_op("nn")
def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """`x` for `x >= 0`, `negative_slope * x` below."""
    return F.leaky_relu(convert_to_tensor(x), negative_slope=negative_slope)


@keras_op("nn")
def hard_sigmoid(x: Any) -> Tensor:
    """`relu6(x + 3) / 6` (what Keras's torch backend computes)."""
    return F.hardsigmoid(convert_to_tensor(x))


@keras_op("nn")
def hard_silu(x: Any) -> Tensor:
    """`x * relu6(x + 3) / 6` (also `hard_swish`)."""
    return F.hardswish(convert_to_tensor(x))


hard_swish = hard_silu


@keras_op("nn")
def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """`x` for `x > 0`, `alpha * (exp(x) - 1)` below."""
    return F.elu(convert_to_tensor(x), alpha)


@keras_op("nn")
def selu(x: Any) -> Tensor:
    """`scale * elu(x, alpha)` with the self-normalizing constants."""
    return F.selu(convert_to_tensor(x))


@keras_op("nn")
def gelu(x: Any, approximate: bool = True) -> Tensor:
    """Gaussian error linear unit; `approximate=True` (Keras's default) uses the tanh form."""
    return F.gelu(convert_to_tensor(x), approximate="tanh" if approximate else "none")


@keras_op("nn")
def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """`x` for `x >= 0`, `alpha * (exp(x / alpha) - 1)` below."""
    return F.celu(convert_to_tensor(x), alpha=alpha)


@keras_op("nn")
def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: `a * sigmoid(b)`, `x` split in halves `a`, `b` along `axis`.

    Example:
        >>> glu([[1.0, 0.0]]).tolist()
        [[0.5]]
    """
    x = convert_to_tensor(x)
    if x.shape[axis] % 2:
        raise ValueError(
            "glu: the size of `axis` must be divisible by 2. "
            f"Received: x.shape={tuple(x.shape)} with axis={axis}"
        )
    return F.glu(x, dim=axis)


@keras_op("nn")
def tanh_shrink(x: Any) -> Tensor:
    """`x - tanh(x)`."""
    return F.tanhshrink(convert_to_tensor(x))


@keras_op("nn")
def hard_tanh(x: Any) -> Tensor:
    """`x` clipped to `[-1, 1]`."""
    return F.hardtanh(convert_to_tensor(x), min_val=-1.0, max_val=1.0)


@keras_op("nn")
def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """`x` where `abs(x) > threshold`, else 0."""
    return F.hardshrink(convert_to_tensor(x), lambd=threshold)


@keras_op("nn")
def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """`x` where `x > threshold`, else `default_value`.

    Example:
        >>> threshold([1.0, 3.0], 2.0, -1.0).tolist()
        [-1.0, 3.0]
    """
    return F.threshold(convert_to_tensor(x), threshold, default_value)
