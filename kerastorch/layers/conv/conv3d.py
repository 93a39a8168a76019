"""`Conv3D`: 3D (volumetric) convolution over `(batch, d1, d2, d3, channels)` inputs.

Example:
    >>> import torch
    >>> layer = Conv3D(4, 3, padding="same")
    >>> tuple(layer(torch.ones(1, 5, 5, 5, 2)).shape), layer.kernel.shape
    ((1, 5, 5, 5, 4), (3, 3, 3, 2, 4))
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.conv.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Wraps `torch.nn.Conv3d` (storage) and calls `torch.nn.functional.conv3d`.

    Args:
        filters: number of output channels.
        kernel_size: int or 3 ints, the size of the convolution window.
        strides: int or 3 ints (`strides > 1` excludes `dilation_rate > 1`).
        padding: `"valid"` or `"same"` (case-insensitive); `"same"` pads as TensorFlow does (the odd
            element at the end).
        data_format: `"channels_last"` (`(batch, d1, d2, d3, channels)`) or
            `"channels_first"` (`(batch, channels, d1, d2, d3)`); default
            `keras.config.image_data_format()`.
        dilation_rate: int or 3 ints, the dilation of the window.
        groups: positive int dividing the input channels and `filters`; each group of
            input channels is convolved with `filters // groups` filters.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints applied after optimizer steps.

    Input shape:
        `(batch, d1, d2, d3, channels)` (channels_last) or `(batch, channels, d1, d2, d3)`.
    Output shape:
        `(batch, new_d1, new_d2, new_d3, filters)` (channels_last) or
        `(batch, filters, new_d1, new_d2, new_d3)`.
    Weights:
        `[kernel (k1, k2, k3, channels // groups, filters), bias (filters,)]`.

    Example:
        >>> import torch
        >>> Conv3D(2, 3, strides=2)(torch.ones(1, 5, 5, 5, 2)).shape
        torch.Size([1, 2, 2, 2, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1, 1),
        groups: int = 1,
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
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


Convolution3D = Conv3D
