"""`LSTMCell` and `LSTM` (Hochreiter & Schmidhuber, 1997), on torch's fused LSTM kernel.

Example:
    >>> import torch
    >>> LSTM(4, return_sequences=True)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 5, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import activations
from kerastorch.common.layouts import transpose
from kerastorch.layers.recurrent.fused_rnn import (
    FusedRNN,
    FusedRNNCell,
    cell_property,
    is_activation,
    split_dropout,
)

Tensor = torch.Tensor


class LSTMCell(FusedRNNCell):
    """Cell class for the LSTM layer: one step, gates i, f, c, o (Keras's order).

    Args:
        units: positive int, dimensionality of the output space.
        activation: activation of the cell candidate and the output (`"tanh"`).
        recurrent_activation: activation of the gates (`"sigmoid"`).
        use_bias: whether to use a bias vector.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers
            (`"glorot_uniform"` / `"orthogonal"` / `"zeros"`), applied in Keras's layout.
        unit_forget_bias: add 1 to the forget-gate bias at initialization.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: constraints.
        dropout: fraction of the inputs dropped (one mask per call, shared by the steps).
        recurrent_dropout: fraction of the recurrent state dropped (one mask per gate).
        seed: kept for the config; dropout uses torch's global generator.

    Call arguments:
        inputs: `(batch, features)`.
        states: `[h (batch, units), c (batch, units)]`.
        training: whether dropout applies.

    Weights:
        `[kernel (input_dim, 4*units), recurrent_kernel (units, 4*units), bias (4*units,)]`
        in Keras's layout; stored as torch's `weight_ih (4u, in)`, `weight_hh (4u, u)`,
        `bias_ih (4u,)` (same gate order), plus a zero `bias_hh` buffer that torch's kernel
        takes and that is neither trained nor counted.

    Example:
        >>> cell = LSTMCell(3)
        >>> h, [h, c] = cell(torch.ones(2, 5), [torch.zeros(2, 3), torch.zeros(2, 3)])
        >>> h.shape, cell.kernel.shape
        (torch.Size([2, 3]), (5, 12))
    """

    _mode = "LSTM"
    _dropout_mask_count = 4

    def __init__(
        self,
        units: int,
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
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        kwargs.pop("implementation", None)  # Keras's kernel choice; torch picks its own
        super().__init__(
            units, activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed, **kwargs,
        )  # fmt: skip
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        self._build_matrices(input_shape[-1], 4, transpose, transpose)
        if self.use_bias:
            self._build_bias("bias_ih", (4 * self.units,))
            u = self.units
            if self.unit_forget_bias:
                value = torch.cat(
                    [
                        torch.as_tensor(self.bias_initializer((u,), dtype=self.dtype)),
                        torch.ones(u),
                        torch.as_tensor(self.bias_initializer((2 * u,), dtype=self.dtype)),
                    ]
                )
            else:
                value = self.bias_initializer((4 * u,), dtype=self.dtype)
            self.bias.assign(value)
            self._zero_bias_hh(4 * u)
        else:
            self.bias = None

    def fused_mode(self) -> str | None:
        ok = is_activation(self.activation, "tanh") and is_activation(
            self.recurrent_activation, "sigmoid"
        )
        return "LSTM" if ok else None

    def call(self, inputs: Tensor, states: Any, training: bool = False) -> tuple[Tensor, list]:
        h_tm1, c_tm1 = states[0], states[1]
        bias = self.bias_ih if self.use_bias else None
        dp_mask = self.get_dropout_mask(inputs) if training else None
        rec_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        if isinstance(dp_mask, list) or rec_mask is not None:
            # Keras's implementation 1: a dropout mask per gate.
            xs = split_dropout(inputs, dp_mask, 4)
            hs = split_dropout(h_tm1, rec_mask, 4)
            w_ih, w_hh = self.weight_ih.chunk(4), self.weight_hh.chunk(4)
            b = bias.chunk(4) if bias is not None else [None] * 4
            z = [F.linear(xs[g], w_ih[g], b[g]) + F.linear(hs[g], w_hh[g]) for g in range(4)]
        else:
            if dp_mask is not None:
                inputs = inputs * dp_mask
            z = (F.linear(inputs, self.weight_ih, bias) + F.linear(h_tm1, self.weight_hh)).chunk(
                4, dim=-1
            )  # (B, u) each: i, f, c, o
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_tm1 + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }


class LSTM(FusedRNN):
    """Long Short-Term Memory layer, on torch's fused LSTM kernel (cuDNN on CUDA).

    The fused kernel runs when Keras would use cuDNN: `activation="tanh"`,
    `recurrent_activation="sigmoid"`, `recurrent_dropout=0`, `unroll=False`, and no mask or a
    right-padded one (packed into a `PackedSequence`). `use_bias=False` runs fused too.
    Otherwise a Python step loop runs the `LSTMCell`.

    Args:
        units: positive int, dimensionality of the output space.
        activation / recurrent_activation / use_bias / kernel_initializer /
            recurrent_initializer / bias_initializer / unit_forget_bias / *_regularizer /
            *_constraint / dropout / recurrent_dropout / seed: as `LSTMCell`.
        return_sequences / return_state / go_backwards / stateful / unroll: as `RNN`.
        use_cudnn: `"auto"` (fused kernel when possible), `True` (raise when it is not
            possible) or `False` (always the step loop).

    Input shape:
        `(batch, timesteps, features)`.
    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`; `+ [h, c]` with `return_state`.
    Weights:
        `[kernel (in, 4u), recurrent_kernel (u, 4u), bias (4u,)]`, gates i, f, c, o, in
        `layer.cell`; see `LSTMCell`.

    Example:
        >>> output, h, c = LSTM(3, return_state=True)(torch.ones(2, 4, 5))
        >>> output.shape, c.shape
        (torch.Size([2, 3]), torch.Size([2, 3]))
    """

    def __init__(
        self,
        units: int,
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
        unroll: bool = False,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias,
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
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
            seed=seed,
            implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(
            cell,
            use_cudnn=use_cudnn,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    recurrent_activation = cell_property("recurrent_activation")
    unit_forget_bias = cell_property("unit_forget_bias")
