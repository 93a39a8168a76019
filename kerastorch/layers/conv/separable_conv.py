"""`SeparableConv1D`, `SeparableConv2D`: a depthwise convolution, then a 1x1 convolution.

The depthwise step applies `depth_multiplier` filters to each input channel (strides,
padding and dilation apply here); the pointwise step mixes the channels into `filters`
outputs and adds the bias. Both run as torch convolutions on the channels-first view.

Example:
    >>> import torch
    >>> layer = SeparableConv2D(4, 3, padding="same")
    >>> layer(torch.ones(1, 5, 5, 2)).shape
    torch.Size([1, 5, 5, 4])
    >>> [w.name for w in layer.weights], [w.shape for w in layer.weights]
    (['depthwise_kernel', 'pointwise_kernel', 'bias'], [(3, 3, 2, 1), (1, 1, 2, 4), (4,)])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.conv.conv_args import check_conv_args
from kerastorch.layers.conv.conv_layer import ConvLayer
from kerastorch.layers.conv.conv_shapes import Shape
from kerastorch.layers.conv.depthwise_conv import build_depthwise
from kerastorch.layers.conv.kernel_layout import (
    CONV_FN,
    conv_module,
    kernel_permutation,
    track_kernel,
)


class BaseSeparableConv(ConvLayer):
    """N-D separable convolution: depthwise (`depth_multiplier` per channel), then pointwise.

    Args:
        rank: number of spatial dimensions (1 or 2).
        depth_multiplier: depthwise filters per input channel.
        filters: number of output channels.
        kernel_size: int or `rank` ints (of the depthwise step).
        strides: int or `rank` ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or `rank` ints.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias (after the pointwise step).
        depthwise_initializer / pointwise_initializer / bias_initializer: initializers.
        depthwise_regularizer / pointwise_regularizer / bias_regularizer /
            activity_regularizer: regularizers.
        depthwise_constraint / pointwise_constraint / bias_constraint: constraints.

    Weights (Keras order and layout):
        `[depthwise_kernel (*kernel_size, channels, depth_multiplier),
        pointwise_kernel (*(1,) * rank, channels * depth_multiplier, filters), bias (filters,)]`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self._init_window(rank, kernel_size, strides, dilation_rate, padding)
        self._init_output(data_format, activation, use_bias)
        self._init_weight_args(
            depthwise=(depthwise_initializer, depthwise_regularizer, depthwise_constraint),
            pointwise=(pointwise_initializer, pointwise_regularizer, pointwise_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint),
        )
        check_conv_args(
            self.kernel_size, self.strides, self.dilation_rate, filters=filters,
            depth_multiplier=depth_multiplier, check_strides_and_dilation=False,
        )  # fmt: skip
        self._conv_fn = CONV_FN[rank]
        self._channels = 0

    def build(self, input_shape: Shape) -> None:
        channels = self._build_input_spec(input_shape)
        self.compute_output_shape(input_shape)
        self._channels = channels
        middle = channels * self.depth_multiplier
        self.depthwise, self.depthwise_kernel = build_depthwise(
            self, channels, "depthwise_kernel", False
        )
        self.pointwise = conv_module(
            self.rank, middle, self.filters, (1,) * self.rank, 1, self.use_bias, self.dtype
        )
        self.pointwise_kernel = track_kernel(
            self, self.pointwise, "pointwise_kernel", (*(1,) * self.rank, middle, self.filters),
            self.pointwise_initializer, self.pointwise_regularizer, self.pointwise_constraint,
            kernel_permutation(self.rank),
        )  # fmt: skip
        self._build_bias(self.pointwise, self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, pad = self._kernel_input(inputs)
        conv = self._conv_fn
        y = conv(
            x, self.depthwise.weight, None, self.strides, pad, self.dilation_rate, self._channels
        )
        y = conv(y, self.pointwise.weight, self.pointwise.bias)
        return self._kernel_output(y)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            **self._output_config(),
        }


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution over `(batch, steps, channels)` inputs.

    Args: as `BaseSeparableConv` (without `rank`; `filters` and `kernel_size` first).

    Example:
        >>> import torch
        >>> SeparableConv1D(4, 3, depth_multiplier=2)(torch.ones(1, 6, 3)).shape
        torch.Size([1, 4, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            1, depth_multiplier, filters, kernel_size, strides, padding, data_format,
            dilation_rate, activation, use_bias, depthwise_initializer, pointwise_initializer,
            bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer, depthwise_constraint, pointwise_constraint, bias_constraint,
            **kwargs,
        )  # fmt: skip


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution over `(batch, rows, cols, channels)` inputs.

    Args: as `BaseSeparableConv` (without `rank`; `filters` and `kernel_size` first).

    Example:
        >>> import torch
        >>> SeparableConv2D(4, 3, strides=2)(torch.ones(1, 7, 7, 3)).shape
        torch.Size([1, 3, 3, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            2, depth_multiplier, filters, kernel_size, strides, padding, data_format,
            dilation_rate, activation, use_bias, depthwise_initializer, pointwise_initializer,
            bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer, depthwise_constraint, pointwise_constraint, bias_constraint,
            **kwargs,
        )  # fmt: skip


SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
