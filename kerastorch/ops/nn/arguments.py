"""Argument checks and layout moves shared by the `ops.nn` groups.

Keras's image ops take `data_format` (`"channels_last"` by default), per-dimension tuples
(`strides`, `pool_size`, `dilation_rate`) and `padding` (`"valid"` / `"same"`); torch's
functions take channels-first tensors and symmetric integer padding. These helpers check
Keras's arguments (errors name the op and the argument) and move between the two layouts.

Example:
    >>> spatial_tuple("conv", 2, 3, "strides")
    (2, 2, 2)
    >>> same_padding(5, 2, 2)  # Keras pads the extra element at the end
    (0, 1)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config

Tensor = torch.Tensor

__all__ = [
    "check_padding",
    "data_format_of",
    "from_channels_first",
    "same_padding",
    "spatial_rank",
    "spatial_tuple",
    "to_channels_first",
]


def data_format_of(op: str, data_format: str | None) -> str:
    """`data_format` checked (`None` -> `config.image_data_format()`), naming `op` on error."""
    if data_format is None:
        return config.image_data_format()
    value = str(data_format).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError(
            f"{op}: the `data_format` argument must be one of 'channels_first', "
            f"'channels_last'. Received: data_format={data_format!r}"
        )
    return value


def check_padding(op: str, padding: str) -> str:
    """`padding` lower-cased and checked to be `"valid"` or `"same"`."""
    value = str(padding).lower()
    if value not in ("valid", "same"):
        raise ValueError(
            f"{op}: the `padding` argument must be one of 'valid', 'same'. "
            f"Received: padding={padding!r}"
        )
    return value


def spatial_tuple(op: str, value: Any, n: int, name: str, allow_zero: bool = False) -> tuple:
    """An int or a sequence of `n` ints as a tuple of `n` positive (or >= 0) ints."""
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            values = ()
        if len(values) != n:
            raise ValueError(
                f"{op}: the `{name}` argument must be an int or a tuple of {n} integers. "
                f"Received: {name}={value!r}"
            )
    low = 0 if allow_zero else 1
    if any(v < low for v in values):
        raise ValueError(
            f"{op}: the `{name}` argument must hold integers >= {low}. Received: {name}={value!r}"
        )
    return values


def spatial_rank(op: str, x: Tensor, ranks: tuple[int, ...] = (1, 2, 3)) -> int:
    """The number of spatial dimensions of a batched image `x` (`x.ndim - 2`), checked."""
    n = x.dim() - 2
    if n not in ranks:
        allowed = ", ".join(str(r + 2) for r in ranks)
        raise ValueError(
            f"{op}: `inputs` must have rank {allowed} (batch, spatial dims and channels). "
            f"Received: inputs.shape={tuple(x.shape)}"
        )
    return n


def to_channels_first(x: Tensor, data_format: str) -> Tensor:
    """`(batch, *spatial, channels)` -> `(batch, channels, *spatial)` when channels last."""
    if data_format == "channels_first":
        return x
    return x.movedim(-1, 1)


def from_channels_first(x: Tensor, data_format: str) -> Tensor:
    """The inverse of `to_channels_first`."""
    if data_format == "channels_first":
        return x
    return x.movedim(1, -1)


def same_padding(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """Keras's `"same"` padding `(before, after)` of one dimension; the extra goes after."""
    effective = (kernel - 1) * dilation + 1
    if stride == 1:
        total = effective - 1
    else:
        out = (length + stride - 1) // stride
        total = max(0, (out - 1) * stride + effective - length)
    return total // 2, total - total // 2
