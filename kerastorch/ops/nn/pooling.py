"""Pooling ops of `keras.ops.nn`: `max_pool`, `average_pool` and their adaptive forms.

Inputs follow `data_format` (`"channels_last"` by default) and have 1 to 3 spatial
dimensions. `"same"` padding is Keras's on torch: an even padding is given to torch (padded
cells are ignored by the max and by the average's count); an uneven one (the extra cell at
the end) pads by repeating the edge values, which then count in the average, as in Keras.

Example:
    >>> import torch
    >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
    >>> max_pool(x, 2).flatten().tolist()
    [5.0, 7.0, 13.0, 15.0]
    >>> adaptive_average_pool(x, 1, data_format="channels_last").flatten().tolist()
    [7.5]
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

__all__ = ["adaptive_average_pool", "adaptive_max_pool", "average_pool", "max_pool"]

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}


def _pool(
    op: str,
    functions: dict,
    inputs: Any,
    pool_size: Any,
    strides: Any,
    padding: str,
    data_format: str | None,
    **options: Any,
) -> Tensor:
    x = convert_to_tensor(inputs)
    data_format = data_format_of(op, data_format)
    padding = check_padding(op, padding)
    n = spatial_rank(op, x)
    pool_size = spatial_tuple(op, pool_size, n, "pool_size")
    strides = pool_size if strides is None else spatial_tuple(op, strides, n, "strides")
    x = to_channels_first(x, data_format)
    pad: Any = 0
    if padding == "same":
        pads = [same_padding(x.shape[2 + i], pool_size[i], strides[i]) for i in range(n)]
        if all(a == b for a, b in pads):
            pad = [a for a, _ in pads]
        else:
            x = F.pad(x, [p for pair in reversed(pads) for p in pair], mode="replicate")
    out = functions[n](x, kernel_size=pool_size, stride=strides, padding=pad, **options)
    return from_channels_first(out, data_format)


@keras_op("nn", tensors=("inputs",))
def max_pool(
    inputs: Any,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> Tensor:
    """Max pooling over the spatial dimensions (1D, 2D, 3D).

    Args:
        inputs: Tensor of rank N+2 in `data_format`.
        pool_size: int or tuple of N ints, the window.
        strides: int or tuple of N ints; `None` (default) is `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `config.image_data_format()`.

    Example:
        >>> import torch
        >>> max_pool(torch.tensor([[[1.0], [3.0], [2.0]]]), 2, 1).flatten().tolist()
        [3.0, 3.0]
    """
    return _pool("max_pool", _MAX, inputs, pool_size, strides, padding, data_format)


@keras_op("nn", tensors=("inputs",))
def average_pool(
    inputs: Any,
    pool_size: Any,
    strides: Any = None,
    padding: str = "valid",
    data_format: str | None = None,
) -> Tensor:
    """Average pooling over the spatial dimensions (1D, 2D, 3D).

    Args:
        inputs: Tensor of rank N+2 in `data_format`.
        pool_size: int or tuple of N ints, the window.
        strides: int or tuple of N ints; `None` (default) is `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:
        >>> import torch
        >>> average_pool(torch.tensor([[[1.0], [3.0], [2.0]]]), 2, 1).flatten().tolist()
        [2.0, 2.5]
    """
    return _pool(
        "average_pool",
        _AVG,
        inputs,
        pool_size,
        strides,
        padding,
        data_format,
        count_include_pad=False,
    )


def _adaptive(
    op: str, functions: dict, inputs: Any, output_size: Any, data_format: str | None
) -> Tensor:
    x = convert_to_tensor(inputs)
    data_format = data_format_of(op, data_format)
    n = spatial_rank(op, x)
    size = spatial_tuple(op, output_size, n, "output_size")
    out = functions[n](to_channels_first(x, data_format), size)
    return from_channels_first(out, data_format)


@keras_op("nn", tensors=("inputs",))
def adaptive_max_pool(inputs: Any, output_size: Any, data_format: str | None = None) -> Tensor:
    """Max pooling to a fixed spatial `output_size`, windows chosen as torch chooses them.

    Args:
        inputs: Tensor of rank N+2 (N = 1, 2, 3) in `data_format`.
        output_size: int or tuple of N ints.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:
        >>> import torch
        >>> adaptive_max_pool(torch.zeros(2, 8, 8, 3), (2, 4)).shape
        torch.Size([2, 2, 4, 3])
    """
    return _adaptive("adaptive_max_pool", _ADAPTIVE_MAX, inputs, output_size, data_format)


@keras_op("nn", tensors=("inputs",))
def adaptive_average_pool(inputs: Any, output_size: Any, data_format: str | None = None) -> Tensor:
    """Average pooling to a fixed spatial `output_size`.

    Args:
        inputs: Tensor of rank N+2 (N = 1, 2, 3) in `data_format`.
        output_size: int or tuple of N ints.
        data_format: `"channels_last"` or `"channels_first"`.

    Example:
        >>> import torch
        >>> adaptive_average_pool(torch.zeros(2, 3, 8), 4, data_format="channels_first").shape
        torch.Size([2, 3, 4])
    """
    return _adaptive("adaptive_average_pool", _ADAPTIVE_AVG, inputs, output_size, data_format)
