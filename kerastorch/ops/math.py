"""`keras.ops` math group: segment reductions, top-k, `logsumexp`, `erf`, `cdist`, FFTs, ...

The Fourier ops (`fft`, `rfft`, `stft`, ...) live in `spectral.py` and are gathered here, as
Keras keeps them all in `keras.src.ops.math`. Complex values travel as `(real, imag)` tuples.

Example:
    >>> import torch
    >>> segment_sum(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0, 0, 1]), num_segments=2).tolist()
    [3.0, 3.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor, promote
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.spectral import fft, fft2, ifft2, irfft, istft, rfft, stft

_INITIAL = {"sum": 0.0, "amax": -float("inf"), "amin": float("inf"), "prod": 1.0}


def _segment(op: str, data: Any, segment_ids: Any, num_segments: Any, reduce: str) -> Any:
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids)
    if segment_ids.ndim != 1:
        raise ValueError(
            f"{op}: argument `segment_ids` should be a 1-D vector, got shape "
            f"{tuple(segment_ids.shape)}."
        )
    if data.ndim < 1 or segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"{op}: `segment_ids` and `data` should have the same leading dimension. Got "
            f"{tuple(segment_ids.shape)} vs {tuple(data.shape)}."
        )
    ids = segment_ids.long()
    if num_segments is None:  # the output size depends on the data: one host sync
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    ids = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    work = data if data.is_floating_point() else data.float()
    result = torch.full(
        (num_segments + 1, *data.shape[1:]), _INITIAL[reduce], dtype=work.dtype, device=data.device
    )
    result = result.scatter_reduce(0, ids, work, reduce)
    return result[:-1].to(data.dtype)


@keras_op("math", tensors=("data", "segment_ids"))
def segment_sum(
    data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False
) -> torch.Tensor:
    """Sums of `data` rows per segment id; ids outside `[0, num_segments)` are dropped.

    Without `num_segments` the output size is read from the ids (one host sync).
    """
    return _segment("segment_sum", data, segment_ids, num_segments, "sum")


@keras_op("math", tensors=("data", "segment_ids"))
def segment_max(
    data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False
) -> torch.Tensor:
    """Maxima of `data` rows per segment id (empty segments: `-inf`, as Keras on torch)."""
    return _segment("segment_max", data, segment_ids, num_segments, "amax")


@keras_op("math", tensors=("data", "segment_ids"))
def segment_min(
    data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False
) -> torch.Tensor:
    """Minima of `data` rows per segment id (empty segments: `inf`, as Keras on torch)."""
    return _segment("segment_min", data, segment_ids, num_segments, "amin")


@keras_op("math", tensors=("data", "segment_ids"))
def segment_prod(
    data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False
) -> torch.Tensor:
    """Products of `data` rows per segment id (empty segments: 1)."""
    return _segment("segment_prod", data, segment_ids, num_segments, "prod")


@keras_op("math", class_name="TopK")
def top_k(x: Any, k: int, sorted: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """`(values, indices)` of the `k` largest entries along the last axis.

    Example:
        >>> import torch
        >>> values, indices = top_k(torch.tensor([5, 9, 1, 7]), 2)
        >>> values.tolist(), indices.tolist()
        ([9, 7], [1, 3])
    """
    x = convert_to_tensor(x)
    values, indices = torch.topk(x, k, sorted=sorted)
    return values, indices


@keras_op("math", tensors=("targets", "predictions"), class_name="InTopK")
def in_top_k(targets: Any, predictions: Any, k: int) -> torch.Tensor:
    """Whether each target class is among the `k` highest `predictions` (ties count in)."""
    targets = convert_to_tensor(targets).long()[:, None]
    predictions = convert_to_tensor(predictions)
    kth = torch.topk(predictions, k).values[..., -1:]
    return (torch.take_along_dim(predictions, targets, dim=-1) >= kth)[..., 0]


@keras_op("math")
def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis` (all axes by default), computed stably."""
    x = convert_to_tensor(x)
    axis = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@keras_op("math", tensors=("x", "y"), class_name="CDist")
def cdist(x: Any, y: Any) -> torch.Tensor:
    """Euclidean distances between the rows of `x` `(..., N, D)` and `y` `(..., M, D)`."""
    x, y = promote(x, y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(
            f"cdist: inputs must have rank >= 2. Received: x.shape={tuple(x.shape)}, "
            f"y.shape={tuple(y.shape)}"
        )
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(
            f"cdist: the last dimension of `x` and `y` must match. Received: "
            f"x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}"
        )
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


@keras_op("math")
def extract_sequences(x: Any, sequence_length: int, sequence_stride: int) -> torch.Tensor:
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis."""
    x = convert_to_tensor(x)
    return torch.unfold_copy(x, dimension=-1, size=sequence_length, step=sequence_stride)


@keras_op("math")
def rsqrt(x: Any) -> torch.Tensor:
    """`1 / sqrt(x)` element-wise."""
    return torch.rsqrt(convert_to_tensor(x))


@keras_op("math")
def erf(x: Any) -> torch.Tensor:
    """The Gauss error function, element-wise."""
    return torch.erf(convert_to_tensor(x))


@keras_op("math")
def erfc(x: Any) -> torch.Tensor:
    """The complementary error function `1 - erf(x)`, element-wise."""
    return torch.erfc(convert_to_tensor(x))


@keras_op("math")
def erfinv(x: Any) -> torch.Tensor:
    """The inverse error function, element-wise."""
    return torch.erfinv(convert_to_tensor(x))


@keras_op("math")
def logdet(x: Any) -> torch.Tensor:
    """The log-determinant of square matrices `(..., M, M)`."""
    return torch.logdet(convert_to_tensor(x))


@keras_op("math")
def view_as_complex(x: Any) -> torch.Tensor:
    """A `complex64` tensor from a real one of shape `(..., 2)` (real, imaginary)."""
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex: the last dimension of `x` must be size 2 (real and imaginary). "
            f"Received shape: {tuple(x.shape)}"
        )
    return torch.complex(x[..., 0].float(), x[..., 1].float())


@keras_op("math")
def view_as_real(x: Any) -> torch.Tensor:
    """A real tensor of shape `(..., 2)` (real, imaginary) from a complex one."""
    x = convert_to_tensor(x)
    if not x.is_complex():
        return torch.stack((x, torch.zeros_like(x)), dim=-1)
    return torch.stack((x.real, x.imag), dim=-1)


__all__ = [
    "cdist",
    "erf",
    "erfc",
    "erfinv",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "in_top_k",
    "irfft",
    "istft",
    "logdet",
    "logsumexp",
    "rfft",
    "rsqrt",
    "segment_max",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "stft",
    "top_k",
    "view_as_complex",
    "view_as_real",
]
