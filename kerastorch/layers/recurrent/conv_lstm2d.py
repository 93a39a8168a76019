"""`ConvLSTM2D`: 2D convolutional LSTM over `(batch, time, rows, cols, channels)` sequences.

Example:
    >>> import torch
    >>> ConvLSTM2D(4, 3, padding="same")(torch.ones(2, 3, 5, 5, 1)).shape
    torch.Size([2, 5, 5, 4])
"""

from __future__ import annotations

from typing import Any

from kerastorch.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM: an LSTM whose input and recurrent transforms are 2D convolutions.

    The input convolution runs over all timesteps at once (`conv2d`); the step loop runs the
    recurrent convolution only.

    Args:
        filters: number of output channels.
        kernel_size: int or 2 ints, the convolution window.
        strides: int or 2 ints, of the input convolution (`> 1` excludes
            `dilation_rate > 1`).
        padding: `"valid"` or `"same"` (case-insensitive), of the input convolution.
        data_format: `"channels_last"` or `"channels_first"` (default:
            `keras.config.image_data_format()`).
        dilation_rate: int or 2 ints, of the input convolution.
        activation: of the candidate and the output (`"tanh"`).
        recurrent_activation: of the gates (`"sigmoid"`).
        use_bias: whether to add a bias.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers.
        unit_forget_bias: the forget-gate bias starts at 1.
        kernel_regularizer / recurrent_regularizer / bias_regularizer /
            activity_regularizer: regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: constraints.
        dropout / recurrent_dropout: fraction of the inputs / states dropped (one mask per
            gate per call).
        seed: kept for the config (dropout draws from torch's global generator).
        return_sequences: return the whole output sequence.
        return_state: also return the last states `[h, c]`.
        go_backwards: process the sequence backwards (outputs in processing order).
        stateful: the last states of a batch are the initial states of the next one.

    Input shape:
        `(batch, time, rows, cols, channels)` (channels_last) or
        `(batch, time, channels, rows, cols)`.
    Output shape:
        `(batch, [time,] rows, cols, filters)` with the convolution's new spatial sizes
        (channels_last), or `(batch, [time,] filters, rows, cols)`; followed by `h` and `c`
        with `return_state`.
    Weights:
        `[kernel (*kernel_size, channels, 4*filters), recurrent_kernel (*kernel_size,
        filters, 4*filters), bias (4*filters,)]`, gates i, f, c, o.

    Example:
        >>> import torch
        >>> out, h, c = ConvLSTM2D(2, 3, return_state=True)(torch.ones(2, 3, 5, 5, 1))
        >>> out.shape == h.shape == c.shape
        True
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
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
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
