"""Convolutions of `keras.ops.nn`: `conv`, `depthwise_conv`, `separable_conv`, `conv_transpose`.

Inputs follow `data_format` (`"channels_last"` by default: `(batch, *spatial, channels)`);
kernels are in Keras's layout: `(*spatial, in_channels, out_channels)` for `conv`,
`(*spatial, in_channels, multiplier)` for `depthwise_conv`, `(*spatial, out_channels,
in_channels)` for `conv_transpose`. They run on `torch.nn.functional.conv{1,2,3}d` /
`conv_transpose{1,2,3}d`; `"same"` padding is Keras's (the extra element of an uneven
padding goes at the end), and `conv_transpose` crops or zero-pads torch's full output to the
window Keras computes, so `output_padding` behaves as in Keras.

Example:
    >>> import torch
    >>> x = torch.ones(1, 5, 5, 2)  # channels last
    >>> kernel = torch.ones(3, 3, 2, 4)  # (kh, kw, in, out)
    >>> conv(x, kernel, strides=2, padding="same").shape
    torch.Size([1, 3, 3, 4])
    >>> conv_transpose(torch.ones(1, 3, 3, 4), torch.ones(3, 3, 2, 4), strides=2).shape
    torch.Size([1, 7, 7, 2])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.nn.arguments import (
    check_padding,
    data_format_of,
    from_channels_first,
    same_padding,
    spatial_rank,
    spatial_tuple,
    to_channels_first,
)

Tensor = torch.Tensor

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _check_kernel(op: str, x: Tensor, kernel: Tensor, name: str = "kernel") -> None:
    if kernel.dim() != x.dim():
        raise ValueError(
            f"{op}: `{name}` must have the rank of `inputs` ({x.dim()}: {x.dim() - 2} spatial "
            f"dims, then 2 channel dims). Received: inputs.shape={tuple(x.shape)}, "
            f"{name}.shape={tuple(kernel.shape)}"
        )


def _check_channels(op: str, channels: int, kernel_channels: int, data_format: str) -> None:
    if channels != kernel_channels:
        raise ValueError(
            f"{op}: the number of input channels must match the kernel's input channels. "
            f"Received: input channels={channels}, kernel input channels={kernel_channels}, "
            f"data_format='{data_format}'."
        )


def _torch_kernel(kernel: Tensor) -> Tensor:
    """Keras `(*spatial, a, b)` -> torch `(b, a, *spatial)`."""
    n = kernel.dim() - 2
    return kernel.permute(n + 1, n, *range(n))


def _conv_first(
    op: str, x: Tensor, kernel: Tensor, strides: Any, padding: str, dilation_rate: Any
) -> Tensor:
    """Convolution of a channels-first `x` by a kernel in Keras's layout (groups inferred)."""
    n = x.dim() - 2
    strides = spatial_tuple(op, strides, n, "strides")
    dilation = spatial_tuple(op, dilation_rate, n, "dilation_rate")
    weight = _torch_kernel(kernel)
    if x.shape[1] % weight.shape[1] != 0:
        raise ValueError(
            f"{op}: the input channels ({x.shape[1]}) must be divisible by the kernel's input "
            f"channels ({weight.shape[1]}). Received: inputs.shape={tuple(x.shape)}, "
            f"kernel.shape={tuple(kernel.shape)}"
        )
    groups = x.shape[1] // weight.shape[1]
    pad: Any = 0
    if padding == "same":
        pads = [
            same_padding(x.shape[2 + i], weight.shape[2 + i], strides[i], dilation[i])
            for i in range(n)
        ]
        if all(a == b for a, b in pads):
            pad = [a for a, _ in pads]
        else:
            x = F.pad(x, [p for pair in reversed(pads) for p in pair])
    return _CONV[n](x, weight, stride=strides, padding=pad, dilation=dilation, groups=groups)


@keras_op("nn", tensors=("inputs", "kernel"))
def conv(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """General N-D convolution (1D, 2D, 3D), as Keras's `ops.conv`.

    Args:
        inputs: Tensor of rank N+2, `(batch, *spatial, channels)` for `"channels_last"`
            or `(batch, channels, *spatial)` for `"channels_first"`.
        kernel: Tensor `(*kernel_spatial, in_channels, out_channels)`. When `in_channels`
            divides the input's channels, the convolution is grouped.
        strides: int or tuple of N ints.
        padding: `"valid"` or `"same"` (Keras's: the extra element goes at the end).
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.
        dilation_rate: int or tuple of N ints.

    Returns:
        The convolution, of rank N+2, in `data_format`.

    Example:
        >>> import torch
        >>> conv(torch.ones(1, 4, 1), torch.ones(2, 1, 1)).flatten().tolist()
        [2.0, 2.0, 2.0]
    """
    x, kernel = convert_to_tensor(inputs), convert_to_tensor(kernel)
    data_format = data_format_of("conv", data_format)
    padding = check_padding("conv", padding)
    spatial_rank("conv", x)
    _check_kernel("conv", x, kernel)
    x = to_channels_first(x, data_format)
    out = _conv_first("conv", x, kernel, strides, padding, dilation_rate)
    return from_channels_first(out, data_format)


@keras_op("nn", tensors=("inputs", "kernel"))
def depthwise_conv(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """Depthwise N-D convolution: each input channel convolved by its own `multiplier` filters.

    Args:
        inputs: Tensor of rank N+2 in `data_format`.
        kernel: Tensor `(*kernel_spatial, in_channels, multiplier)`; the output has
            `in_channels * multiplier` channels.
        strides: int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or tuple of N ints.

    Example:
        >>> import torch
        >>> depthwise_conv(torch.ones(1, 4, 4, 3), torch.ones(2, 2, 3, 2)).shape
        torch.Size([1, 3, 3, 6])
    """
    x, kernel = convert_to_tensor(inputs), convert_to_tensor(kernel)
    data_format = data_format_of("depthwise_conv", data_format)
    padding = check_padding("depthwise_conv", padding)
    spatial_rank("depthwise_conv", x)
    _check_kernel("depthwise_conv", x, kernel)
    x = to_channels_first(x, data_format)
    _check_channels("depthwise_conv", x.shape[1], kernel.shape[-2], data_format)
    kernel = kernel.reshape(*kernel.shape[:-2], 1, kernel.shape[-2] * kernel.shape[-1])
    out = _conv_first("depthwise_conv", x, kernel, strides, padding, dilation_rate)
    return from_channels_first(out, data_format)


@keras_op("nn", tensors=("inputs", "depthwise_kernel", "pointwise_kernel"))
def separable_conv(
    inputs: Any,
    depthwise_kernel: Any,
    pointwise_kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: Tensor of rank N+2 in `data_format`.
        depthwise_kernel: `(*kernel_spatial, in_channels, multiplier)`.
        pointwise_kernel: `(*ones, in_channels * multiplier, out_channels)`.
        strides: int or tuple of N ints (of the depthwise step).
        padding: `"valid"` or `"same"` (of the depthwise step).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or tuple of N ints.

    Example:
        >>> import torch
        >>> separable_conv(torch.ones(1, 4, 3), torch.ones(2, 3, 2), torch.ones(1, 6, 5)).shape
        torch.Size([1, 3, 5])
    """
    x = convert_to_tensor(inputs)
    depthwise_kernel = convert_to_tensor(depthwise_kernel)
    pointwise_kernel = convert_to_tensor(pointwise_kernel)
    data_format = data_format_of("separable_conv", data_format)
    padding = check_padding("separable_conv", padding)
    spatial_rank("separable_conv", x)
    _check_kernel("separable_conv", x, depthwise_kernel, "depthwise_kernel")
    _check_kernel("separable_conv", x, pointwise_kernel, "pointwise_kernel")
    x = to_channels_first(x, data_format)
    _check_channels("separable_conv", x.shape[1], depthwise_kernel.shape[-2], data_format)
    kernel = depthwise_kernel.reshape(
        *depthwise_kernel.shape[:-2], 1, depthwise_kernel.shape[-2] * depthwise_kernel.shape[-1]
    )
    out = _conv_first("separable_conv", x, kernel, strides, padding, dilation_rate)
    out = _conv_first("separable_conv", out, pointwise_kernel, 1, "valid", dilation_rate)
    return from_channels_first(out, data_format)


def _transpose_crops(
    kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> tuple[int, int]:
    """How much Keras's window differs from torch's full transposed output, per side.

    torch (padding 0) gives `(in - 1) * stride + effective_kernel`; Keras pads the dilated
    input by `(left, right)` before a "valid" convolution. Crop `effective_kernel - 1 - pad`
    on each side (a negative crop pads with zeros).
    """
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        left, right = effective - 1, effective - 1 + extra
    else:
        if output_padding is None:
            total = stride + effective - 2
        else:
            total = effective + effective % 2 - 2 + output_padding
        left = min(total // 2 + total % 2, effective - 1)
        right = total - left
    return effective - 1 - left, effective - 1 - right


@keras_op("nn", tensors=("inputs", "kernel"))
def conv_transpose(
    inputs: Any,
    kernel: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    data_format: str | None = None,
    dilation_rate: Any = 1,
) -> Tensor:
    """General N-D transposed convolution (1D, 2D, 3D), as Keras's `ops.conv_transpose`.

    Args:
        inputs: Tensor of rank N+2 in `data_format`.
        kernel: Tensor `(*kernel_spatial, out_channels, in_channels)`.
        strides: int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        output_padding: int or tuple of N ints added at the end of each spatial output
            dimension; `None` infers it (output `in * stride` for `"same"`).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or tuple of N ints.

    Example:
        >>> import torch
        >>> conv_transpose(torch.ones(1, 2, 1), torch.ones(2, 1, 1), strides=2).flatten().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    x, kernel = convert_to_tensor(inputs), convert_to_tensor(kernel)
    data_format = data_format_of("conv_transpose", data_format)
    padding = check_padding("conv_transpose", padding)
    n = spatial_rank("conv_transpose", x)
    _check_kernel("conv_transpose", x, kernel)
    strides = spatial_tuple("conv_transpose", strides, n, "strides")
    dilation = spatial_tuple("conv_transpose", dilation_rate, n, "dilation_rate")
    extras = (
        (None,) * n
        if output_padding is None
        else spatial_tuple("conv_transpose", output_padding, n, "output_padding", True)
    )
    x = to_channels_first(x, data_format)
    _check_channels("conv_transpose", x.shape[1], kernel.shape[-1], data_format)
    # Keras (*spatial, out, in) -> torch (in, out, *spatial).
    weight = kernel.permute(n + 1, n, *range(n))
    out = _CONV_TRANSPOSE[n](x, weight, stride=strides, dilation=dilation)
    crops = [
        _transpose_crops(kernel.shape[i], strides[i], dilation[i], padding, extras[i])
        for i in range(n)
    ]
    if any(c != 0 for pair in crops for c in pair):
        out = F.pad(out, [-c for pair in reversed(crops) for c in pair])
    return from_channels_first(out, data_format)
