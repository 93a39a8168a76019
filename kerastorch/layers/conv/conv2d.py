"""`Conv2D`: 2D (spatial) convolution over `(batch, rows, cols, channels)` inputs.

Example:
    >>> import torch
    >>> layer = Conv2D(4, 3, padding="same")
    >>> tuple(layer(torch.ones(2, 5, 5, 3)).shape), layer.kernel.shape
    ((2, 5, 5, 4), (3, 3, 3, 4))
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.conv.base_conv import BaseConv


class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Wraps `torch.nn.Conv2d` (storage) and calls `torch.nn.functional.conv2d`.

    Args:
        filters: number of output channels.
        kernel_size: int or 2 ints, the size of the convolution window.
        strides: int or 2 ints (`strides > 1` excludes `dilation_rate > 1`).
        padding: `"valid"` or `"same"` (case-insensitive); `"same"` pads as TensorFlow does (the odd
            element at the end).
        data_format: `"channels_last"` (`(batch, rows, cols, channels)`) or
            `"channels_first"` (`(batch, channels, rows, cols)`); default
            `keras.config.image_data_format()`.
        dilation_rate: int or 2 ints, the dilation of the window.
        groups: positive int dividing the input channels and `filters`; each group of
            input channels is convolved with `filters // groups` filters.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints applied after optimizer steps.

    Input shape:
        `(batch, rows, cols, channels)` (channels_last) or `(batch, channels, rows, cols)`.
    Output shape:
        `(batch, new_rows, new_cols, filters)` (channels_last) or
        `(batch, filters, new_rows, new_cols)`.
    Weights:
        `[kernel (kh, kw, channels // groups, filters), bias (filters,)]`.

    Example:
        >>> import torch
        >>> Conv2D(2, 3, strides=2)(torch.ones(2, 5, 5, 3)).shape
        torch.Size([2, 2, 2, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
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
            rank=2,
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


Convolution2D = Conv2D
