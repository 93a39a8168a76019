"""`SimpleRNNCell` and `SimpleRNN`: `h = activation(x @ kernel + h_prev @ recurrent_kernel + b)`.

Example:
    >>> import torch
    >>> SimpleRNN(4)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch.common.layouts import transpose
from kerastorch.layers.recurrent.fused_rnn import (
    FusedRNN,
    FusedRNNCell,
    is_activation,
)

Tensor = torch.Tensor


class SimpleRNNCell(FusedRNNCell):
    """Cell class for SimpleRNN: one step of a fully-connected recurrence.

    Args:
        units: positive int, dimensionality of the output space.
        activation: activation (`"tanh"`; `None` is linear).
        use_bias: whether to use a bias vector.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers
            (`"glorot_uniform"` / `"orthogonal"` / `"zeros"`), applied in Keras's layout.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: constraints.
        dropout / recurrent_dropout: dropout fractions (one mask per call).
        seed: kept for the config; dropout uses torch's global generator.

    Call arguments:
        sequence: `(batch, features)`, one step.
        states: `h (batch, units)` or `[h]`.
        training: whether dropout applies.

    Weights:
        `[kernel (in, u), recurrent_kernel (u, u), bias (u,)]` in Keras's layout; stored as
        torch's `weight_ih (u, in)`, `weight_hh (u, u)`, `bias_ih (u,)` plus a zero
        `bias_hh` buffer (not trained, not counted).

    Example:
        >>> cell = SimpleRNNCell(3)
        >>> h, [h] = cell(torch.ones(2, 5), [torch.zeros(2, 3)])
        >>> h.shape
        torch.Size([2, 3])
    """

    _mode = "RNN_TANH"

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            units, activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed, **kwargs,
        )  # fmt: skip
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        self._build_matrices(input_shape[-1], 1, transpose, transpose)
        if self.use_bias:
            self._build_bias("bias_ih", (self.units,))
            self.bias.assign(self.bias_initializer((self.units,), dtype=self.dtype))
            self._zero_bias_hh(self.units)
        else:
            self.bias = None

    def fused_mode(self) -> str | None:
        if is_activation(self.activation, "tanh"):
            return "RNN_TANH"
        if is_activation(self.activation, "relu"):
            return "RNN_RELU"
        return None

    def call(self, sequence: Tensor, states: Any, training: bool = False) -> tuple[Tensor, Any]:
        nested = isinstance(states, (list, tuple))
        prev_output = states[0] if nested else states
        dp_mask = self.get_dropout_mask(sequence) if training else None
        rec_mask = self.get_recurrent_dropout_mask(prev_output) if training else None
        if dp_mask is not None:
            sequence = sequence * dp_mask
        if rec_mask is not None:
            prev_output = prev_output * rec_mask
        bias = self.bias_ih if self.use_bias else None
        output = F.linear(sequence, self.weight_ih, bias) + F.linear(prev_output, self.weight_hh)
        output = self.activation(output)
        return output, ([output] if nested else output)


class SimpleRNN(FusedRNN):
    """Fully-connected RNN where the output is fed back as the new input.

    Runs torch's fused `rnn_tanh` / `rnn_relu` kernel (cuDNN on CUDA) when the activation
    is `"tanh"` or `"relu"`, `recurrent_dropout=0`, `unroll=False` and any mask is
    right-padded; otherwise a Python step loop runs the `SimpleRNNCell`.

    Args:
        units: positive int, dimensionality of the output space.
        activation / use_bias / *_initializer / *_regularizer / *_constraint / dropout /
            recurrent_dropout / seed: as `SimpleRNNCell`.
        return_sequences / return_state / go_backwards / stateful / unroll: as `RNN`.

    Input shape:
        `(batch, timesteps, features)`.
    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`; `+ [h]` with `return_state`.
    Weights:
        `[kernel (in, u), recurrent_kernel (u, u), bias (u,)]`; see `SimpleRNNCell`.

    Example:
        >>> SimpleRNN(3, return_sequences=True)(torch.ones(2, 4, 5)).shape
        torch.Size([2, 4, 3])
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        if "use_cudnn" in kwargs:  # LSTM and GRU take it; Keras's SimpleRNN does not
            raise TypeError("Unrecognized keyword arguments passed to SimpleRNN: 'use_cudnn'")
        cell = SimpleRNNCell(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["seed"]  # Keras's SimpleRNN config has no seed (its cell's has)
        return config
