"""`Conv1D`: 1D (temporal) convolution over `(batch, steps, channels)` inputs.

Example:
    >>> import torch
    >>> layer = Conv1D(4, 3, padding="same")
    >>> tuple(layer(torch.ones(2, 7, 3)).shape), layer.kernel.shape
    ((2, 7, 4), (3, 3, 4))
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.conv.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution).

    Wraps `torch.nn.Conv1d` (storage) and calls `torch.nn.functional.conv1d`.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 1 int, the size of the convolution window.
        strides: int or tuple of 1 int (`strides > 1` excludes `dilation_rate > 1`).
        padding: `"valid"`, `"same"` or `"causal"` (case-insensitive);
            `"same"` pads as TensorFlow does (the odd element at the end);
            `"causal"` pads only the start, so that `output[t]` sees no input after `t`.
        data_format: `"channels_last"` (`(batch, steps, channels)`) or
            `"channels_first"` (`(batch, channels, steps)`); default
            `keras.config.image_data_format()`.
        dilation_rate: int or tuple of 1 int, the dilation of the window.
        groups: positive int dividing the input channels and `filters`; each group of
            input channels is convolved with `filters // groups` filters.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints applied after optimizer steps.

    Input shape:
        `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.
    Output shape:
        `(batch, new_steps, filters)` (channels_last) or
        `(batch, filters, new_steps)`.
    Weights:
        `[kernel (kernel_size, channels // groups, filters), bias (filters,)]`.

    Example:
        >>> import torch
        >>> Conv1D(2, 3, strides=2)(torch.ones(2, 7, 3)).shape
        torch.Size([2, 3, 2])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
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
            rank=1,
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


Convolution1D = Conv1D
