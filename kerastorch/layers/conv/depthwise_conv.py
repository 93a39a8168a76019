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

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.config import standardize_data_format
from kerastorch.layers.conv.base_conv import (
    CONV_FN,
    Shape,
    channel_axis_and_size,
    check_conv_args,
    conv_module,
    conv_output_shape,
    from_channels_first,
    pad_same,
    standardize_padding,
    standardize_tuple,
    to_channels_first,
    track_bias,
    track_kernel,
)
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


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


class BaseDepthwiseConv(Layer):
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
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        check_conv_args(
            self.kernel_size, self.strides, self.dilation_rate,
            depth_multiplier=depth_multiplier, check_strides_and_dilation=False,
        )  # fmt: skip
        self._conv_fn = CONV_FN[rank]
        self._channels = 0

    def build(self, input_shape: Shape) -> None:
        axis, channels = channel_axis_and_size(input_shape, self.data_format)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        self.compute_output_shape(input_shape)
        self._channels = channels
        out = channels * self.depth_multiplier
        self.conv = conv_module(
            self.rank, channels, out, self.kernel_size, channels, self.use_bias, self.dtype
        )
        self.kernel = track_kernel(
            self, self.conv, "kernel", (*self.kernel_size, channels, self.depth_multiplier),
            self.depthwise_initializer, self.depthwise_regularizer, self.depthwise_constraint,
            depthwise_transforms(self.rank, channels),
        )  # fmt: skip
        self.bias = None
        if self.use_bias:
            self.bias = track_bias(
                self, self.conv, out, self.bias_initializer, self.bias_regularizer,
                self.bias_constraint,
            )  # fmt: skip

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = to_channels_first(inputs, self.data_format)
        if self.padding == "same":
            x, pad = pad_same(x, self.kernel_size, self.strides, self.dilation_rate)
        else:
            pad = (0,) * self.rank
        conv = self.conv
        y = self._conv_fn(
            x, conv.weight, conv.bias, self.strides, pad, self.dilation_rate, self._channels
        )
        y = from_channels_first(y, self.data_format)
        return y if self.activation is activations.linear else self.activation(y)

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
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
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
