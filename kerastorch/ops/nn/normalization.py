"""Statistics and normalizations of `keras.ops.nn`: `moments`, `batch_normalization`,
`layer_normalization`, `rms_normalization`, `normalize`.

They follow Keras's torch backend: `moments` computes the variance as `E[x^2] - E[x]^2`
(in float32 for float16 inputs); layer and RMS normalization compute in at least float32
and return the input's dtype, through `F.layer_norm` / `F.rms_norm` when the axes are
contiguous; `epsilon=None` is `config.epsilon()`.

Example:
    >>> import torch
    >>> mean, var = moments(torch.tensor([0.0, 2.0]), axes=[0])
    >>> mean.item(), var.item()
    (1.0, 1.0)
    >>> normalize(torch.tensor([3.0, 4.0])).tolist()
    [0.6000000238418579, 0.800000011920929]
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = [
    "batch_normalization",
    "layer_normalization",
    "moments",
    "normalize",
    "rms_normalization",
]


def _axes(axis: Any, ndim: int) -> list[int]:
    """`axis` (an int or a sequence) as sorted non-negative axes."""
    axes = [axis] if isinstance(axis, int) else list(axis)
    return sorted(a % ndim for a in axes)


def _contiguous_to_end(axes: list[int], ndim: int) -> bool:
    """Whether `axes` are the last `len(axes)` axes, which torch's norm kernels need."""
    return axes == list(range(ndim - len(axes), ndim))


@keras_op("nn", class_name="Moments")
def moments(x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False) -> tuple:
    """The mean and variance of `x` over `axes`.

    Args:
        x: Input tensor.
        axes: int or list of ints.
        keepdims: keep the reduced axes with size 1.
        synchronized: Keras's TensorFlow-only cross-replica option; `True` raises
            `NotImplementedError` (as Keras's torch backend does).

    Returns:
        `(mean, variance)`.
    """
    if synchronized:
        raise NotImplementedError(
            "moments: `synchronized=True` (cross-replica statistics) is not supported on torch."
        )
    x = convert_to_tensor(x)
    dtype = x.dtype
    if dtype == torch.float16:
        x = x.float()
    dims = _axes(axes, max(x.dim(), 1)) if x.dim() else []
    mean = torch.mean(x, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(x), dim=dims, keepdim=True) - torch.square(mean)
    if not keepdims:
        mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    if dtype == torch.float16:
        info = torch.finfo(torch.float16)
        mean = mean.clamp(info.min, info.max).to(dtype)
        variance = variance.clamp(info.min, info.max).to(dtype)
    return mean, variance


@keras_op("nn", tensors=("x", "mean", "variance", "offset", "scale"), class_name="BatchNorm")
def batch_normalization(
    x: Any,
    mean: Any,
    variance: Any,
    axis: int,
    offset: Any = None,
    scale: Any = None,
    epsilon: float = 1e-3,
) -> Tensor:
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, the vectors along `axis`.

    Args:
        x: Input tensor.
        mean: Vector of length `x.shape[axis]`.
        variance: Vector of length `x.shape[axis]`.
        axis: The axis of the vectors.
        offset: Optional vector added after normalizing.
        scale: Optional vector multiplied after normalizing.
        epsilon: Added to the variance.

    Example:
        >>> import torch
        >>> batch_normalization(torch.ones(2, 2), torch.ones(2), torch.ones(2), 1).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    x = convert_to_tensor(x)
    shape = [1] * x.dim()
    shape[axis] = x.shape[axis]
    vectors = {"mean": mean, "variance": variance, "offset": offset, "scale": scale}
    for name, value in vectors.items():
        if value is None:
            continue
        value = convert_to_tensor(value)
        if tuple(value.shape) != (x.shape[axis],):
            raise ValueError(
                f"batch_normalization: `{name}` must be a vector of length x.shape[axis] = "
                f"{x.shape[axis]}. Received: {name}.shape={tuple(value.shape)}"
            )
        vectors[name] = value.reshape(shape)
    factor = torch.rsqrt(vectors["variance"] + epsilon)
    if vectors["scale"] is not None:
        factor = factor * vectors["scale"]
    out = (x - vectors["mean"]) * factor
    return out if vectors["offset"] is None else out + vectors["offset"]


def _compute_dtype(x: Tensor) -> torch.dtype:
    return to_torch_dtype(result_type(x.dtype, "float32"))


def _broadcast(v: Tensor | None, axes: list[int], shape: tuple) -> Tensor | None:
    """A weight over `axes` reshaped to broadcast against `shape`."""
    if v is None or v.dim() == len(shape):
        return v
    target = [1] * len(shape)
    for a in axes:
        target[a] = shape[a]
    return v.reshape(target)


@keras_op("nn", tensors=("x", "gamma", "beta"), class_name="LayerNorm")
def layer_normalization(
    x: Any,
    gamma: Any = None,
    beta: Any = None,
    axis: Any = -1,
    epsilon: float | None = None,
    rms_scaling: bool = False,
) -> Tensor:
    """Layer normalization: `(x - mean) / sqrt(var + epsilon) * gamma + beta` over `axis`.

    Args:
        x: Input tensor.
        gamma: Optional scale, of the shape of the normalized axes.
        beta: Optional offset, of the shape of the normalized axes.
        axis: int or sequence of ints. Default `-1`.
        epsilon: Added to the variance; `None` is `config.epsilon()`.
        rms_scaling: deprecated in Keras (it warns): divide by the standard deviation
            without centering.

    Example:
        >>> import torch
        >>> layer_normalization(torch.tensor([[1.0, 3.0]])).round(decimals=3).tolist()
        [[-1.0, 1.0]]
    """
    if rms_scaling:
        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly "
            "scales the input by the variance, not the root mean square. To correctly use "
            "RMS Normalization, please use `keras.ops.rms_normalization` / "
            "`keras.ops.nn.rms_normalization` instead.",
            stacklevel=2,
        )
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = convert_to_tensor(x)
    dtype = x.dtype
    x = x.to(_compute_dtype(x))
    gamma = None if gamma is None else convert_to_tensor(gamma).to(x.dtype)
    beta = None if beta is None else convert_to_tensor(beta).to(x.dtype)
    axes = _axes(axis, x.dim())
    if rms_scaling:
        inv = torch.rsqrt(torch.var(x, dim=axes, keepdim=True, unbiased=False) + epsilon)
        out = x * inv
        if gamma is not None:
            out = out * _broadcast(gamma, axes, tuple(x.shape))
    elif _contiguous_to_end(axes, x.dim()):
        out = F.layer_norm(x, [x.shape[a] for a in axes], gamma, beta, epsilon)
    else:
        mean, variance = moments(x, axes, keepdims=True)
        inv = torch.rsqrt(variance + epsilon)
        if gamma is not None:
            inv = inv * _broadcast(gamma, axes, tuple(x.shape))
        out = x * inv - mean * inv
        if beta is not None:
            out = out + _broadcast(beta, axes, tuple(x.shape))
    return out.to(dtype)


@keras_op("nn", tensors=("x", "scale"), class_name="RMSNorm")
def rms_normalization(
    x: Any, scale: Any = None, axis: Any = -1, epsilon: float | None = None
) -> Tensor:
    """Root-mean-square normalization: `x * rsqrt(mean(x**2) + epsilon) * scale` over `axis`.

    Args:
        x: Input tensor.
        scale: Optional scale.
        axis: int or sequence of ints. Default `-1`.
        epsilon: `None` is `config.epsilon()`.

    Example:
        >>> import torch
        >>> y = rms_normalization(torch.tensor([[3.0, 4.0]]))
        >>> round((y**2).mean().item(), 4)  # mean square 1
        1.0
    """
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = convert_to_tensor(x)
    dtype = x.dtype
    x = x.to(_compute_dtype(x))
    scale = None if scale is None else convert_to_tensor(scale).to(x.dtype)
    if x.dim() == 0:
        x = x.reshape(1)
    axes = _axes(axis, x.dim())
    if _contiguous_to_end(axes, x.dim()):
        out = F.rms_norm(x, [x.shape[a] for a in axes], scale, epsilon)
    else:
        out = x * torch.rsqrt(torch.mean(torch.square(x), dim=axes, keepdim=True) + epsilon)
        if scale is not None:
            out = out * scale
    return out.to(dtype)


@keras_op("nn")
def normalize(x: Any, axis: Any = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """`x / max(norm(x, order), epsilon)` over `axis`.

    Args:
        x: Input tensor.
        axis: int or tuple of ints (a pair is a matrix norm, as in Keras). Default `-1`.
        order: The norm's order, an int >= 1. Default 2.
        epsilon: Lower bound of the norm; `None` is `config.epsilon()`.
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1. Received: order={order!r}")
    x = convert_to_tensor(x)
    if x.dim() == 0:
        x = x.reshape(1)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        return x * torch.clamp(inv, max=1.0 / epsilon)
    if not x.is_floating_point():
        x = x.to(to_torch_dtype(config.floatx()))
    norm = torch.linalg.norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)
