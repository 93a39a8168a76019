"""`DepthwiseConv1D`, `DepthwiseConv2D`: one filter bank per input channel.

Each input channel is convolved with its own `depth_multiplier` filters: a grouped
convolution with `groups = channels` (torch's `conv*d(..., groups=channels)`). Output channel
`c * depth_multiplier + m` comes from input channel `c` and filter `m`, as in Keras.

Example:
    >>> import torch
    >>> layer = DepthwiseConv2D(3, depth_multiplier=2, padding="same")
    >>> layer(torch.ones(1, 5, 5, 3)).shape, layer.kernel.shape
    (torch.Size([1, 5, 5, 6]), (3, 3, 3, 2))
"""

from __future__ import annotations

import functools
from typing import Any

import torch
from torch import nn

from kerastorch.layers.conv.conv_args import check_conv_args
from kerastorch.layers.conv.conv_layer import ConvLayer
from kerastorch.layers.conv.conv_shapes import Shape, channel_axis_and_size, conv_output_shape
from kerastorch.layers.conv.kernel_layout import CONV_FN, conv_module, track_kernel
from kerastorch.variables import Variable


def _depthwise_to_keras(t: torch.Tensor, rank: int, channels: int) -> torch.Tensor:
    # torch (channels * multiplier, 1, *k) -> Keras (*k, channels, multiplier): a view.
    t = t.permute(*range(2, rank + 2), 1, 0)  # (*k, 1, channels * multiplier)
    return t.reshape(*t.shape[:rank], channels, -1)


def _depthwise_from_keras(t: torch.Tensor, rank: int, channels: int) -> torch.Tensor:
    t = t.reshape(*t.shape[:rank], 1, -1)  # (*k, 1, channels * multiplier)
    return t.permute(rank + 1, rank, *range(rank))


def depthwise_transforms(rank: int, channels: int) -> tuple[Any, Any]:
    """`(to_keras, from_keras)` between torch's and Keras's depthwise kernel layouts."""
    return (
        functools.partial(_depthwise_to_keras, rank=rank, channels=channels),
        functools.partial(_depthwise_from_keras, rank=rank, channels=channels),
    )


def build_depthwise(
    layer: ConvLayer, channels: int, name: str, use_bias: bool
) -> tuple[nn.Module, Variable]:
    """The depthwise `nn.Conv{rank}d` of `layer` and its Keras-layout kernel variable `name`.

    Reads `layer.rank`, `kernel_size`, `depth_multiplier`, `depthwise_initializer`,
    `depthwise_regularizer`, `depthwise_constraint` (`DepthwiseConv*D`, `SeparableConv*D`).
    """
    module = conv_module(
        layer.rank, channels, channels * layer.depth_multiplier, layer.kernel_size, channels,
        use_bias, layer.dtype,
    )  # fmt: skip
    kernel = track_kernel(
        layer, module, name, (*layer.kernel_size, channels, layer.depth_multiplier),
        layer.depthwise_initializer, layer.depthwise_regularizer, layer.depthwise_constraint,
        depthwise_transforms(layer.rank, channels),
    )  # fmt: skip
    return module, kernel


class BaseDepthwiseConv(ConvLayer):
    """N-D depthwise convolution: `activation(depthwise_conv(x, kernel) + bias)`.

    Args:
        rank: number of spatial dimensions (1 or 2).
        depth_multiplier: number of filters per input channel.
        kernel_size: int or `rank` ints.
        strides: int or `rank` ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or `rank` ints.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias.
        depthwise_initializer / bias_initializer: initializers.
        depthwise_regularizer / bias_regularizer / activity_regularizer: regularizers.
        depthwise_constraint / bias_constraint: constraints.

    Weights:
        `[kernel (*kernel_size, channels, depth_multiplier), bias (channels * depth_multiplier,)]`
        in Keras layout; the wrapped `nn.Conv{rank}d` stores
        `(channels * depth_multiplier, 1, *kernel_size)`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self._init_window(rank, kernel_size, strides, dilation_rate, padding)
        self._init_output(data_format, activation, use_bias)
        self._init_weight_args(
            depthwise=(depthwise_initializer, depthwise_regularizer, depthwise_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint),
        )
        check_conv_args(
            self.kernel_size, self.strides, self.dilation_rate,
            depth_multiplier=depth_multiplier, check_strides_and_dilation=False,
        )  # fmt: skip
        self._conv_fn = CONV_FN[rank]
        self._channels = 0

    def build(self, input_shape: Shape) -> None:
        channels = self._build_input_spec(input_shape)
        self.compute_output_shape(input_shape)
        self._channels = channels
        self.conv, self.kernel = build_depthwise(self, channels, "kernel", self.use_bias)
        self._build_bias(self.conv, channels * self.depth_multiplier)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, pad = self._kernel_input(inputs)
        conv = self.conv
        y = self._conv_fn(
            x, conv.weight, conv.bias, self.strides, pad, self.dilation_rate, self._channels
        )
        return self._kernel_output(y)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        _, channels = channel_axis_and_size(input_shape, self.data_format)
        return conv_output_shape(
            input_shape, channels * self.depth_multiplier, self.kernel_size, self.strides,
            self.padding, self.data_format, self.dilation_rate,
        )  # fmt: skip

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            **self._output_config(),
        }


class DepthwiseConv1D(BaseDepthwiseConv):
    """1D depthwise convolution over `(batch, steps, channels)` inputs.

    Args: as `BaseDepthwiseConv` (without `rank`).

    Example:
        >>> import torch
        >>> DepthwiseConv1D(3, depth_multiplier=2)(torch.ones(1, 6, 4)).shape
        torch.Size([1, 4, 8])
    """

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            1, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
            activation, use_bias, depthwise_initializer, bias_initializer,
            depthwise_regularizer, bias_regularizer, activity_regularizer, depthwise_constraint,
            bias_constraint, **kwargs,
        )  # fmt: skip


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution over `(batch, rows, cols, channels)` inputs.

    Args: as `BaseDepthwiseConv` (without `rank`).

    Example:
        >>> import torch
        >>> DepthwiseConv2D(3, strides=2, padding="same")(torch.ones(1, 5, 5, 2)).shape
        torch.Size([1, 3, 3, 2])
    """

    def __init__(
        self,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            2, depth_multiplier, kernel_size, strides, padding, data_format, dilation_rate,
            activation, use_bias, depthwise_initializer, bias_initializer,
            depthwise_regularizer, bias_regularizer, activity_regularizer, depthwise_constraint,
            bias_constraint, **kwargs,
        )  # fmt: skip
