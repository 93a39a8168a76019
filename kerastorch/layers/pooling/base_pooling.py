"""`BasePooling`: what max and average pooling share (arguments, shapes, `"same"` padding).

`"same"` follows TensorFlow: output size `ceil(n / stride)`, total padding
`max((ceil(n / s) - 1) * s + pool - n, 0)` with the odd element at the end, and padded
positions never count (ignored by max, excluded from the average's divisor).

No padded copy of the input is made, even where the padding is asymmetric (one more
element at the end than at the start):
- with stride 1, torch pads both ends by the larger amount and the first output (one window
  too early) is dropped, as a view;
- with a larger stride, torch pads both ends by the smaller amount with `ceil_mode=True`,
  which lets the last window run one element past the end.
torch's kernels ignore padded elements (average pooling with `count_include_pad=False`
divides by the real ones), exactly as TF does.

Example:
    >>> pool_same_args(5, pool=3, stride=2)  # symmetric
    (1, False, False)
    >>> pool_same_args(6, pool=3, stride=2)  # (0, 1): ceil mode
    (0, True, False)
    >>> pool_same_args(6, pool=2, stride=1)  # (0, 1): pad 1 and drop the first output
    (1, False, True)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.config import standardize_data_format
from kerastorch.layers.conv.conv_args import standardize_tuple
from kerastorch.layers.conv.conv_shapes import (
    Shape,
    from_channels_first,
    same_padding,
    spatial_axes,
    to_channels_first,
)
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


def pool_same_args(size: int, pool: int, stride: int) -> tuple[int, bool, bool]:
    """`(padding, needs_ceil_mode, drop_first)` of one axis for torch under TF `"same"`."""
    before, after = same_padding(size, pool, stride)
    if after == before:
        return before, False, False
    if stride == 1:
        return after, False, True
    return before, True, False


def pooling_output_shape(
    input_shape: Any,
    pool_size: tuple[int, ...],
    strides: tuple[int, ...],
    padding: str,
    data_format: str,
) -> Shape:
    """The output shape of a pooling layer, as Keras computes it."""
    input_shape = tuple(input_shape)
    rank = len(pool_size)
    spatial = [input_shape[a] for a in spatial_axes(rank, data_format)]
    out: list[int | None] = []
    for n, k, s in zip(spatial, pool_size, strides, strict=True):
        if n is None:
            out.append(None)
        elif padding == "valid":
            size = (n - k) // s + 1
            if size <= 0:
                raise ValueError(
                    f"Computed output size would be zero or negative. Received: "
                    f"`inputs.shape={input_shape}`, `pool_size={pool_size}`, "
                    f"`strides={strides}`, `padding={padding}`."
                )
            out.append(size)
        else:
            out.append((n - 1) // s + 1)
    if data_format == "channels_last":
        return (input_shape[0], *out, input_shape[-1])
    return (input_shape[0], input_shape[1], *out)


class BasePooling(Layer):
    """N-D max or average pooling over the spatial axes.

    Args:
        pool_size: int or `rank` ints, the window size.
        strides: int or `rank` ints, or None (= `pool_size`).
        rank: number of spatial dimensions (1, 2 or 3).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(
        self,
        pool_size: Any,
        strides: Any,
        rank: int,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_size = standardize_tuple(pool_size, rank, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        padding_name = padding.lower() if isinstance(padding, str) else padding
        if padding_name not in ("valid", "same"):
            raise ValueError(
                f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding}"
            )
        self.padding = padding_name
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True  # no weights: built at construction, as in Keras

    def _torch_padding(self, x: torch.Tensor) -> tuple[tuple[int, ...], bool, tuple[bool, ...]]:
        """torch's `padding=`, `ceil_mode=`, and the axes whose first output is dropped."""
        if self.padding == "valid":
            return (0,) * self.rank, False, (False,) * self.rank
        args = [
            pool_same_args(n, k, s)
            for n, k, s in zip(x.shape[2:], self.pool_size, self.strides, strict=True)
        ]
        return tuple(a[0] for a in args), any(a[1] for a in args), tuple(a[2] for a in args)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = to_channels_first(inputs, self.data_format)
        padding, ceil_mode, drop_first = self._torch_padding(x)
        y = self._pool(x, padding, ceil_mode)
        if any(drop_first):
            y = y[(slice(None), slice(None), *(slice(int(d), None) for d in drop_first))]
        return from_channels_first(y, self.data_format)

    def _pool(self, x: torch.Tensor, padding: tuple[int, ...], ceil_mode: bool) -> torch.Tensor:
        raise NotImplementedError

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return pooling_output_shape(
            input_shape, self.pool_size, self.strides, self.padding, self.data_format
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
