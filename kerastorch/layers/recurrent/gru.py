"""`GRUCell` and `GRU` (Cho et al., 2014), on torch's fused GRU kernel when `reset_after=True`.

Example:
    >>> import torch
    >>> GRU(4)(torch.ones(2, 5, 3)).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import activations
from kerastorch.layers.recurrent.fused_rnn import (
    FusedRNN,
    FusedRNNCell,
    cell_property,
    gru_bias_transform,
    gru_matrix_from_keras,
    gru_matrix_to_keras,
    is_activation,
    split_dropout,
)

Tensor = torch.Tensor


class GRUCell(FusedRNNCell):
    """Cell class for the GRU layer: one step, gates z, r, h (Keras's order).

    Args:
        units: positive int, dimensionality of the output space.
        activation: activation of the candidate state (`"tanh"`).
        recurrent_activation: activation of the gates (`"sigmoid"`).
        use_bias: whether to use biases.
        kernel_initializer / recurrent_initializer / bias_initializer: initializers
            (`"glorot_uniform"` / `"orthogonal"` / `"zeros"`), applied in Keras's layout.
        kernel_regularizer / recurrent_regularizer / bias_regularizer: regularizers.
        kernel_constraint / recurrent_constraint / bias_constraint: constraints.
        dropout / recurrent_dropout: dropout fractions (one mask per call).
        reset_after: apply the reset gate after the recurrent matrix product (Keras 3's
            default and torch's/cuDNN's formula, with separate input and recurrent biases).
            `False` is the original formula, which has no torch kernel: step loop.
        seed: kept for the config; dropout uses torch's global generator.

    Call arguments:
        inputs: `(batch, features)`.
        states: `h (batch, units)` or `[h]`.
        training: whether dropout applies.

    Weights:
        `[kernel (in, 3u), recurrent_kernel (u, 3u), bias]` in Keras's layout and gate
        order z, r, h; `bias` is `(2, 3u)` (input and recurrent rows) with `reset_after`,
        else `(3u,)`. Stored in torch's layout and gate order r, z, n: `weight_ih (3u, in)`,
        `weight_hh (3u, u)`, `bias_ih_hh (2, 3u)` (or `bias_ih (3u,)`).

    Example:
        >>> cell = GRUCell(3)
        >>> h, [h] = cell(torch.ones(2, 5), [torch.zeros(2, 3)])
        >>> h.shape, cell.bias.shape
        (torch.Size([2, 3]), (2, 9))
    """

    _mode = "GRU"
    _dropout_mask_count = 3

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
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
        reset_after: bool = True,
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
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape: tuple) -> None:
        self._build_matrices(input_shape[-1], 3, gru_matrix_to_keras, gru_matrix_from_keras)
        if not self.use_bias:
            self.bias = None
            return
        if self.reset_after:
            shape: tuple[int, ...] = (2, 3 * self.units)
            self._build_bias("bias_ih_hh", shape, gru_bias_transform)
        else:
            shape = (3 * self.units,)
            self._build_bias("bias_ih", shape, gru_bias_transform)
        self.bias.assign(self.bias_initializer(shape, dtype=self.dtype))

    def _biases(self) -> tuple[Tensor | None, Tensor | None]:
        """(input bias, recurrent bias), torch gate order r, z, n."""
        if not self.use_bias:
            return None, None
        if self.reset_after:
            return self.bias_ih_hh[0], self.bias_ih_hh[1]
        return self.bias_ih, None

    def fused_weights(self) -> list[Tensor]:
        b_ih, b_hh = self._biases()
        if b_ih is None:
            return [self.weight_ih, self.weight_hh]
        return [self.weight_ih, self.weight_hh, b_ih, b_hh]

    def fused_mode(self) -> str | None:
        ok = (
            self.reset_after
            and is_activation(self.activation, "tanh")
            and is_activation(self.recurrent_activation, "sigmoid")
        )
        return "GRU" if ok else None

    def _adopt_flat_weights(self, flat: list[Tensor]) -> None:
        self.weight_ih.data = flat[0]
        self.weight_hh.data = flat[1]
        if len(flat) == 4:
            b_ih, b_hh = flat[2], flat[3]
            step = b_ih.element_size() * b_ih.numel()
            if b_hh.data_ptr() == b_ih.data_ptr() + step:  # adjacent: one (2, 3u) view
                self.bias_ih_hh.data = b_ih.as_strided((2, b_ih.numel()), (b_ih.numel(), 1))

    def call(self, inputs: Tensor, states: Any, training: bool = False) -> tuple[Tensor, Any]:
        nested = isinstance(states, (list, tuple))
        h_tm1 = states[0] if nested else states
        b_ih, b_hh = self._biases()
        dp_mask = self.get_dropout_mask(inputs) if training else None
        rec_mask = self.get_recurrent_dropout_mask(h_tm1) if training else None
        # Torch gate order r, z, n; Keras's masks are indexed z, r, h.
        w_ih, w_hh = self.weight_ih.chunk(3), self.weight_hh.chunk(3)
        bi = b_ih.chunk(3) if b_ih is not None else [None] * 3
        bh = b_hh.chunk(3) if b_hh is not None else [None] * 3
        if isinstance(dp_mask, list) or rec_mask is not None:
            x_z, x_r, x_h = split_dropout(inputs, dp_mask, 3)
            h_z, h_r, h_h = split_dropout(h_tm1, rec_mask, 3)
        else:
            x = inputs * dp_mask if dp_mask is not None else inputs
            x_z = x_r = x_h = x
            h_z = h_r = h_h = h_tm1
        z = self.recurrent_activation(F.linear(x_z, w_ih[1], bi[1]) + F.linear(h_z, w_hh[1], bh[1]))
        r = self.recurrent_activation(F.linear(x_r, w_ih[0], bi[0]) + F.linear(h_r, w_hh[0], bh[0]))
        if self.reset_after:
            recurrent_h = r * F.linear(h_h, w_hh[2], bh[2])
        else:
            recurrent_h = F.linear(r * h_h, w_hh[2])
        hh = self.activation(F.linear(x_h, w_ih[2], bi[2]) + recurrent_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, ([h] if nested else h)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


class GRU(FusedRNN):
    """Gated Recurrent Unit layer, on torch's fused GRU kernel (cuDNN on CUDA).

    The fused kernel runs when Keras would use cuDNN: `reset_after=True`,
    `activation="tanh"`, `recurrent_activation="sigmoid"`, `recurrent_dropout=0`,
    `unroll=False`, and no mask or a right-padded one. `reset_after=False` (tf.keras 1's
    formula) has no torch kernel and runs the step loop.

    Args:
        units: positive int, dimensionality of the output space.
        activation / recurrent_activation / use_bias / *_initializer / *_regularizer /
            *_constraint / dropout / recurrent_dropout / reset_after / seed: as `GRUCell`.
        return_sequences / return_state / go_backwards / stateful / unroll: as `RNN`.
        use_cudnn: `"auto"`, `True` (raise when the fused kernel cannot run) or `False`.

    Input shape:
        `(batch, timesteps, features)`.
    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`; `+ [h]` with `return_state`.
    Weights:
        `[kernel (in, 3u), recurrent_kernel (u, 3u), bias (2, 3u) or (3u,)]`, gates z, r, h;
        see `GRUCell`.

    Example:
        >>> output, h = GRU(3, return_state=True)(torch.ones(2, 4, 5))
        >>> output.shape, h.shape
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
        reset_after: bool = True,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
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
            reset_after=reset_after,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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
    reset_after = cell_property("reset_after")
