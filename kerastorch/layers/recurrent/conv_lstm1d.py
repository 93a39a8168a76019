"""`ConvLSTM1D`: 1D convolutional LSTM over `(batch, time, rows, channels)` sequences.

Example:
    >>> import torch
    >>> ConvLSTM1D(4, 3, padding="same")(torch.ones(2, 3, 8, 1)).shape
    torch.Size([2, 8, 4])
"""

from __future__ import annotations

from kerastorch.layers.recurrent.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM: an LSTM whose input and recurrent transforms are 1D convolutions.

    The input convolution runs over all timesteps at once (`conv1d`); the step loop runs the
    recurrent convolution only.

    Args:
        filters: number of output channels.
        kernel_size: int or 1 ints, the convolution window.
        strides: int or 1 ints, of the input convolution (`> 1` excludes
            `dilation_rate > 1`).
        padding: `"valid"` or `"same"` (case-insensitive), of the input convolution.
        data_format: `"channels_last"` or `"channels_first"` (default:
            `keras.config.image_data_format()`).
        dilation_rate: int or 1 ints, of the input convolution.
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
        `(batch, time, rows, channels)` (channels_last) or `(batch, time, channels, rows)`.
    Output shape:
        `(batch, [time,] rows, filters)` with the convolution's new spatial sizes
        (channels_last), or `(batch, [time,] filters, rows)`; followed by `h` and `c`
        with `return_state`.
    Weights:
        `[kernel (*kernel_size, channels, 4*filters), recurrent_kernel (*kernel_size,
        filters, 4*filters), bias (4*filters,)]`, gates i, f, c, o.

    Example:
        >>> import torch
        >>> out, h, c = ConvLSTM1D(2, 3, return_state=True)(torch.ones(2, 3, 8, 1))
        >>> out.shape == h.shape == c.shape
        True
    """

    rank = 1
