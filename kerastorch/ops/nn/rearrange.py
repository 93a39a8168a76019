"""Rearrangements of `keras.ops.nn`: `depth_to_space`, `space_to_depth`, `unfold`, `fold`.

`depth_to_space` / `space_to_depth` move `block_size x block_size` blocks between the
channels and the spatial dimensions of a 4D image, in TensorFlow's channel order (their
`data_format` defaults to `"channels_last"`, not to the global setting, as in Keras).
`unfold` (im2col) and `fold` (col2im) are torch's, on channels-first images.

Example:
    >>> import torch
    >>> x = torch.arange(8.0).reshape(1, 2, 4, 1)
    >>> space_to_depth(x, 2).shape
    torch.Size([1, 1, 2, 4])
    >>> unfold(torch.zeros(1, 2, 4, 4), 2, stride=2).shape
    torch.Size([1, 8, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.nn.arguments import data_format_of

Tensor = torch.Tensor

__all__ = ["depth_to_space", "fold", "space_to_depth", "unfold"]


def _check_block(op: str, x: Tensor, block_size: int) -> None:
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(
            f"{op}: `block_size` must be at least 2. Received: block_size={block_size}"
        )
    if x.dim() != 4:
        raise ValueError(f"{op}: requires a 4D input tensor. Received: x.shape={tuple(x.shape)}")


@keras_op("nn")
def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """`(N, H, W, C * r**2)` -> `(N, H * r, W * r, C)` (or channels first), `r = block_size`.

    Example:
        >>> import torch
        >>> depth_to_space(torch.arange(4.0).reshape(1, 1, 1, 4), 2).flatten().tolist()
        [0.0, 1.0, 2.0, 3.0]
    """
    x = convert_to_tensor(x)
    data_format = data_format_of("depth_to_space", data_format)
    _check_block("depth_to_space", x, block_size)
    r = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        if c % (r * r):
            raise ValueError(
                f"depth_to_space: the number of channels ({c}) must be divisible by "
                f"block_size**2 ({r * r})."
            )
        x = x.reshape(n, h, w, r, r, c // (r * r)).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * r, w * r, c // (r * r))
    n, c, h, w = x.shape
    if c % (r * r):
        raise ValueError(
            f"depth_to_space: the number of channels ({c}) must be divisible by "
            f"block_size**2 ({r * r})."
        )
    x = x.reshape(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (r * r), h * r, w * r)


@keras_op("nn")
def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> Tensor:
    """`(N, H * r, W * r, C)` -> `(N, H, W, C * r**2)` (or channels first), `r = block_size`.

    Example:
        >>> import torch
        >>> space_to_depth(torch.arange(4.0).reshape(1, 2, 2, 1), 2).flatten().tolist()
        [0.0, 1.0, 2.0, 3.0]
    """
    x = convert_to_tensor(x)
    data_format = data_format_of("space_to_depth", data_format)
    _check_block("space_to_depth", x, block_size)
    r = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if h % r or w % r:
        raise ValueError(
            f"space_to_depth: the height ({h}) and width ({w}) must be divisible by "
            f"block_size ({r})."
        )
    if data_format == "channels_last":
        x = x.reshape(n, h // r, r, w // r, r, c).permute(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // r, w // r, c * r * r)
    x = x.reshape(n, c, h // r, r, w // r, r).permute(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * r * r, h // r, w // r)


@keras_op("nn")
def unfold(
    x: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sliding blocks of a channels-first image `(N, C, H, W)` -> `(N, C * kH * kW, L)`.

    Args:
        x: 4D tensor `(N, C, H, W)`.
        kernel_size: int or pair, the block size.
        dilation: int or pair. Default 1.
        padding: int or pair of zero padding on both sides. Default 0.
        stride: int or pair. Default 1.
    """
    x = convert_to_tensor(x)
    if x.dim() != 4:
        raise ValueError(
            f"unfold: input must be a 4D tensor (N, C, H, W). Received: x.shape={tuple(x.shape)}"
        )
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)


@keras_op("nn")
def fold(
    x: Any,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> Tensor:
    """Sum sliding blocks `(N, C * kH * kW, L)` back into an image `(N, C, oH, oW)`.

    The inverse arrangement of `unfold` (overlapping values add up).

    Example:
        >>> import torch
        >>> fold(unfold(torch.ones(1, 1, 2, 2), 1), (2, 2), 1).flatten().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    x = convert_to_tensor(x)
    if x.dim() != 3:
        raise ValueError(
            "fold: input must be a 3D tensor (N, C * kH * kW, L). "
            f"Received: x.shape={tuple(x.shape)}"
        )
    return F.fold(x, output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)
