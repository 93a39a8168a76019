"""Convolution shape arithmetic: TF/Keras `"same"` padding, output shapes, data-format views.

- Padding: `"valid"`, `"same"` (TensorFlow's rule: total padding
  `max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)`, the odd element at the end) and,
  for `Conv1D`, `"causal"`. Symmetric padding goes to the kernel's `padding=` argument;
  only the one extra trailing element of an asymmetric `"same"` needs `F.pad`.
- Data formats: a `channels_last` input reaches torch's kernels as a permuted *view*
  (`x.permute(0, 3, 1, 2)` of an NHWC tensor is NCHW-shaped with channels-last strides,
  which cuDNN / oneDNN run natively); the output is permuted back as a view. No copies.

Example:
    >>> same_padding(5, kernel=3, stride=2)
    (1, 1)
    >>> same_padding(6, kernel=3, stride=2)
    (0, 1)
    >>> conv_output_shape((None, 7, 7, 3), 8, (3, 3), (2, 2), "same", "channels_last", (1, 1))
    (None, 4, 4, 8)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

Shape = tuple[int | None, ...]


def same_padding(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TF/Keras `"same"` padding `(before, after)` of one axis; the odd element goes after."""
    effective = (kernel - 1) * dilation + 1
    total = max((-(-size // stride) - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def spatial_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """The spatial axes of a rank-`rank` input in `data_format`."""
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )


def conv_output_shape(
    input_shape: Sequence[int | None],
    filters: int,
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    padding: str,
    data_format: str,
    dilation_rate: tuple[int, ...],
) -> Shape:
    """The output shape of a convolution, as Keras computes it (`None` stays unknown)."""
    input_shape = tuple(input_shape)
    rank = len(kernel_size)
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"Kernel shape must have the same length as input, but received kernel of shape "
            f"{(*kernel_size, None, filters)} and input of shape {input_shape}."
        )
    spatial = [input_shape[a] for a in spatial_axes(rank, data_format)]
    out: list[int | None] = []
    for n, k, s, d in zip(spatial, kernel_size, strides, dilation_rate, strict=True):
        if n is None:
            out.append(None)
        elif padding == "valid":
            size = (n - d * (k - 1) - 1) // s + 1
            if size <= 0:
                raise ValueError(
                    "Computed output size would be zero or negative. Received "
                    f"`inputs shape={input_shape}`, `kernel_size={kernel_size}`, "
                    f"`dilation_rate={dilation_rate}`, `strides={strides}`, "
                    f"`padding={padding}`."
                )
            out.append(size)
        else:  # "same" and "causal"
            out.append((n - 1) // s + 1)
    if data_format == "channels_last":
        return (input_shape[0], *out, filters)
    return (input_shape[0], filters, *out)


def to_channels_first(x: torch.Tensor, data_format: str) -> torch.Tensor:
    """A `channels_last` tensor as a `(batch, channels, *spatial)` view (no copy)."""
    if data_format == "channels_first":
        return x
    return x.permute(0, x.ndim - 1, *range(1, x.ndim - 1))


def from_channels_first(y: torch.Tensor, data_format: str) -> torch.Tensor:
    """Undo `to_channels_first` on a kernel's output (a view)."""
    if data_format == "channels_first":
        return y
    return y.permute(0, *range(2, y.ndim), 1)


def pad_same(
    x: torch.Tensor,
    kernel_size: tuple[int, ...],
    strides: tuple[int, ...],
    dilation_rate: tuple[int, ...],
) -> tuple[torch.Tensor, tuple[int, ...]]:
    """`"same"` padding of a channels-first `x` for a convolution.

    Returns the input (padded at the end of the axes whose padding is asymmetric, else
    untouched) and the symmetric padding to pass as the kernel's `padding=`.
    """
    sizes = x.shape[2:]
    pads = [
        same_padding(n, k, s, d)
        for n, k, s, d in zip(sizes, kernel_size, strides, dilation_rate, strict=True)
    ]
    symmetric = tuple(before for before, _ in pads)
    extra = [after - before for before, after in pads]
    if any(extra):
        flat: list[int] = []
        for e in reversed(extra):  # F.pad lists the last axis first
            flat.extend((0, e))
        x = F.pad(x, flat)
    return x, symmetric


def channel_axis_and_size(input_shape: Sequence[int | None], data_format: str) -> tuple[int, int]:
    """The channel axis (`-1` or `1`) and the number of input channels (must be known)."""
    axis = -1 if data_format == "channels_last" else 1
    channels = input_shape[axis]
    if channels is None:
        raise ValueError(
            "The channel dimension of the inputs should be defined. Found `None`. "
            f"Full input shape received: {tuple(input_shape)}"
        )
    return axis, int(channels)
