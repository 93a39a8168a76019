"""`Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`: transposed convolutions.

Output sizes and values follow Keras (TensorFlow's rule): with `"same"` and no
`output_padding` the output is `input * stride`; with `"valid"` it is
`(input - 1) * stride + max(kernel, stride)`; an explicit `output_padding` gives
`(input - 1) * stride + kernel % 2 + output_padding` (`"same"`) or
`(input - 1) * stride + kernel + output_padding` (`"valid"`), with the dilated kernel size.

torch's `conv_transpose*d` crops its natural output (`(input - 1) * stride + kernel`)
symmetrically by `padding` and extends it at the end by `output_padding`; where Keras's crop
fits that form it is done by the kernel, otherwise the remainder is sliced off the output (a
view) or padded with zeros.

Example:
    >>> import torch
    >>> layer = Conv2DTranspose(4, 3, strides=2, padding="same")
    >>> layer(torch.ones(2, 5, 5, 3)).shape, layer.kernel.shape
    (torch.Size([2, 10, 10, 4]), (3, 3, 4, 3))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.conv.conv_args import check_conv_args, standardize_tuple
from kerastorch.layers.conv.conv_layer import ConvLayer
from kerastorch.layers.conv.conv_shapes import Shape, spatial_axes, to_channels_first
from kerastorch.layers.conv.kernel_layout import kernel_permutation, track_kernel

TORCH_CONV_TRANSPOSE: dict[int, type[nn.Module]] = {
    1: nn.ConvTranspose1d,
    2: nn.ConvTranspose2d,
    3: nn.ConvTranspose3d,
}
CONV_TRANSPOSE_FN: dict[int, Callable[..., torch.Tensor]] = {
    1: F.conv_transpose1d,
    2: F.conv_transpose2d,
    3: F.conv_transpose3d,
}


def transpose_output_size(
    size: int | None,
    kernel: int,
    stride: int,
    padding: str,
    output_padding: int | None,
    dilation: int,
) -> int | None:
    """Keras's output size of a transposed convolution along one axis."""
    if size is None:
        return None
    k = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return (size - 1) * stride + k + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + k % 2 + output_padding


def transpose_crops(
    kernel: int, stride: int, padding: str, output_padding: int | None, dilation: int
) -> tuple[int, int]:
    """How much Keras removes from each end of torch's natural output along one axis.

    The natural output of `conv_transpose` has `(input - 1) * stride + k` elements (`k` the
    dilated kernel size). Keras pads the stride-dilated input by `(before, after)`
    (TensorFlow's rule); that is the natural output cropped by `k - 1 - before` at the start
    and `k - 1 - after` at the end (a negative crop extends with zeros).
    """
    k = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        before, after = k - 1, k - 1 + extra
    else:
        total = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
        before = min(total // 2 + total % 2, k - 1)
        after = total - before
    return k - 1 - before, k - 1 - after


def torch_transpose_args(
    crops: list[tuple[int, int]], strides: tuple[int, ...], dilation_rate: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...], list[tuple[int, int]]]:
    """torch's `(padding, output_padding)` and what is left to crop after the kernel.

    torch crops `padding` from both ends and gives back `output_padding` at the end, which
    must be `< max(stride, dilation)`.
    """
    padding, output_padding, rest = [], [], []
    for (start, end), s, d in zip(crops, strides, dilation_rate, strict=True):
        if start >= 0 and 0 <= start - end < max(s, d):
            padding.append(start)
            output_padding.append(start - end)
            rest.append((0, 0))
        else:
            p = max(min(start, end), 0)
            padding.append(p)
            output_padding.append(0)
            rest.append((start - p, end - p))
    return tuple(padding), tuple(output_padding), rest


def crop_or_pad(y: torch.Tensor, rest: list[tuple[int, int]]) -> torch.Tensor:
    """Remove `rest[i] = (start, end)` elements from spatial axis `i` (negative: add zeros)."""
    if not any(a or b for a, b in rest):
        return y
    index = [slice(None), slice(None)]
    for start, end in rest:
        index.append(slice(max(start, 0), y.shape[len(index)] - max(end, 0)))
    y = y[tuple(index)]
    if any(a < 0 or b < 0 for a, b in rest):
        flat: list[int] = []
        for start, end in reversed(rest):
            flat.extend((max(-start, 0), max(-end, 0)))
        y = F.pad(y, flat)
    return y


class BaseConvTranspose(ConvLayer):
    """N-D transposed convolution: `activation(conv_transpose(x, kernel) + bias)`.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or `rank` ints.
        strides: int or `rank` ints (`> 1` excludes `dilation_rate > 1`).
        padding: `"valid"` or `"same"`.
        output_padding: int or `rank` ints (each `< strides`), or None for Keras's default.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or `rank` ints.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as in
            `Conv2D`.

    Weights:
        `[kernel (*kernel_size, filters, in_channels), bias (filters,)]` in Keras layout; the
        wrapped `nn.ConvTranspose{rank}d` stores `(in_channels, filters, *kernel_size)`.
    """

    conv: nn.Module

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self._init_window(rank, kernel_size, strides, dilation_rate, padding)
        self.output_padding = (
            None
            if output_padding is None
            else standardize_tuple(output_padding, rank, "output_padding", allow_zero=True)
        )
        self._init_output(data_format, activation, use_bias)
        self._init_weight_args(
            kernel=(kernel_initializer, kernel_regularizer, kernel_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint),
        )
        check_conv_args(self.kernel_size, self.strides, self.dilation_rate, filters=filters)
        if self.output_padding is not None:
            for i, (op, s) in enumerate(zip(self.output_padding, self.strides, strict=True)):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {op} but `strides` "
                        f"is {s}. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}"
                    )
        self._conv_fn = CONV_TRANSPOSE_FN[rank]
        output_paddings = self.output_padding or (None,) * rank
        crops = [
            transpose_crops(k, s, self.padding, op, d)
            for k, s, op, d in zip(
                self.kernel_size, self.strides, output_paddings, self.dilation_rate, strict=True
            )
        ]
        # Shape-independent: computed once, here.
        self._torch_padding, self._torch_output_padding, self._rest = torch_transpose_args(
            crops, self.strides, self.dilation_rate
        )

    def build(self, input_shape: Shape) -> None:
        channels = self._build_input_spec(input_shape)
        self.conv = nn.utils.skip_init(
            TORCH_CONV_TRANSPOSE[self.rank],
            channels,
            self.filters,
            self.kernel_size,
            bias=self.use_bias,
            dtype=to_torch_dtype(self.dtype),
        )
        self.kernel = track_kernel(
            self, self.conv, "kernel", (*self.kernel_size, self.filters, channels),
            self.kernel_initializer, self.kernel_regularizer, self.kernel_constraint,
            kernel_permutation(self.rank),
        )  # fmt: skip
        self._build_bias(self.conv, self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = to_channels_first(inputs, self.data_format)
        conv = self.conv
        y = self._conv_fn(
            x, conv.weight, conv.bias, self.strides, self._torch_padding,
            self._torch_output_padding, 1, self.dilation_rate,
        )  # fmt: skip
        return self._kernel_output(crop_or_pad(y, self._rest))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        output_paddings = self.output_padding or (None,) * self.rank
        spatial = [input_shape[a] for a in spatial_axes(self.rank, self.data_format)]
        out = [
            transpose_output_size(n, k, s, self.padding, op, d)
            for n, k, s, op, d in zip(
                spatial,
                self.kernel_size,
                self.strides,
                output_paddings,
                self.dilation_rate,
                strict=True,
            )
        ]
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            **self._output_config(),
        }


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution (deconvolution) over `(batch, steps, channels)` inputs.

    Args: as `BaseConvTranspose` (without `rank`).

    Example:
        >>> import torch
        >>> Conv1DTranspose(2, 3, strides=2)(torch.ones(1, 4, 3)).shape
        torch.Size([1, 9, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            1, filters, kernel_size, strides, padding, output_padding, data_format,
            dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
            kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
            bias_constraint, **kwargs,
        )  # fmt: skip


class Conv2DTranspose(BaseConvTranspose):
    """2D transposed convolution (deconvolution) over `(batch, rows, cols, channels)` inputs.

    Args: as `BaseConvTranspose` (without `rank`).

    Example:
        >>> import torch
        >>> Conv2DTranspose(2, 3, strides=2, padding="same")(torch.ones(1, 3, 3, 1)).shape
        torch.Size([1, 6, 6, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        output_padding: Any = None,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            2, filters, kernel_size, strides, padding, output_padding, data_format,
            dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
            kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
            bias_constraint, **kwargs,
        )  # fmt: skip


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution over `(batch, d1, d2, d3, channels)` inputs.

    Args: as `BaseConvTranspose` (without `rank`); note Keras's argument order here:
        `data_format` comes before `output_padding`.

    Example:
        >>> import torch
        >>> Conv3DTranspose(2, 2, strides=2)(torch.ones(1, 2, 2, 2, 1)).shape
        torch.Size([1, 4, 4, 4, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        output_padding: Any = None,
        dilation_rate: Any = (1, 1, 1),
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            3, filters, kernel_size, strides, padding, output_padding, data_format,
            dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
            kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
            bias_constraint, **kwargs,
        )  # fmt: skip


Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
