"""`ConvLSTM`: the N-D convolutional LSTM layer behind `ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D`.

The input-to-hidden convolution runs once over every timestep (one `conv{rank}d` on the
`(batch * time)` flattened sequence, a zero-copy channels-first view of a channels-last
input); only the recurrent convolution runs in the step loop, on channels-first states.
Masks, `go_backwards`, `stateful` and dropout follow Keras's RNN loop.

Example:
    >>> import torch
    >>> from kerastorch.layers.recurrent.conv_lstm2d import ConvLSTM2D
    >>> ConvLSTM2D(4, 3, padding="same", return_sequences=True)(torch.ones(2, 3, 5, 5, 1)).shape
    torch.Size([2, 3, 5, 5, 4])
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from kerastorch import regularizers
from kerastorch.common import tree
from kerastorch.layers.conv.conv_shapes import from_channels_first, to_channels_first
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.recurrent.conv_lstm_cell import ConvLSTMCell, gate_groups, masked_gates
from kerastorch.layers.recurrent.fused_rnn import cell_property
from kerastorch.layers.recurrent.rnn import RNN
from kerastorch.layers.recurrent.stacked_rnn_cells import config_with_dtype_name

Tensor = torch.Tensor
_CELL_ONLY_KEYS = ("name", "trainable", "dtype")


class ConvLSTM(RNN):
    """N-D convolutional LSTM (the base of `ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D`).

    An LSTM whose input and recurrent transforms are convolutions; the states are feature
    maps of the input convolution's output shape.

    A subclass sets `rank`, the number of spatial dimensions (1, 2 or 3), and inherits the
    constructor.

    Args:
        filters / kernel_size / strides / padding / data_format / dilation_rate /
            activation / recurrent_activation / use_bias / *_initializer /
            unit_forget_bias / *_regularizer / *_constraint / dropout /
            recurrent_dropout / seed: as `ConvLSTMCell`.
        activity_regularizer: regularizer of the layer's output.
        return_sequences / return_state / go_backwards / stateful: as `RNN` (`unroll` and
            `zero_output_for_mask` are accepted as keyword arguments too).

    Input shape:
        `(batch, time, *spatial, channels)` (channels_last) or
        `(batch, time, channels, *spatial)` (channels_first).
    Output shape:
        `(batch, [time,] *new_spatial, filters)` (channels_last) or
        `(batch, [time,] filters, *new_spatial)`; `+ [h, c]` with `return_state`.
    Weights:
        `[kernel, recurrent_kernel, bias]` in `layer.cell`, see `ConvLSTMCell`.
    """

    rank: ClassVar[int]

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
        cell = ConvLSTMCell(
            rank=self.rank,
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
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=self.rank + 3)

    filters = cell_property("filters")
    kernel_size = cell_property("kernel_size")
    strides = cell_property("strides")
    padding = cell_property("padding")
    data_format = cell_property("data_format")
    dilation_rate = cell_property("dilation_rate")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    kernel_initializer = cell_property("kernel_initializer")
    recurrent_initializer = cell_property("recurrent_initializer")
    bias_initializer = cell_property("bias_initializer")
    unit_forget_bias = cell_property("unit_forget_bias")
    kernel_regularizer = cell_property("kernel_regularizer")
    recurrent_regularizer = cell_property("recurrent_regularizer")
    bias_regularizer = cell_property("bias_regularizer")
    kernel_constraint = cell_property("kernel_constraint")
    recurrent_constraint = cell_property("recurrent_constraint")
    bias_constraint = cell_property("bias_constraint")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    # -- shapes and masks ------------------------------------------------------------------
    def compute_output_shape(
        self, sequences_shape: tuple, initial_state_shape: Any = None, **kwargs: Any
    ) -> Any:
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        step_shape = (batch_size, *tuple(sequences_shape[2:]))
        state_shape = tuple(self.cell.compute_output_shape(step_shape)[0][1:])
        if self.return_sequences:
            output_shape: tuple = (batch_size, steps, *state_shape)
        else:
            output_shape = (batch_size, *state_shape)
        if self.return_state:
            return output_shape, (batch_size, *state_shape), (batch_size, *state_shape)
        return output_shape

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        mask = tree.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, None, None]
        return output_mask

    # -- the computation -------------------------------------------------------------------
    def _fused_loop(
        self, sequences: Tensor, initial_state: list[Any], mask: Tensor | None, training: bool
    ) -> tuple[Tensor, Tensor, list[Tensor]]:
        """The input convolution over all steps at once, then the recurrent step loop."""
        cell: ConvLSTMCell = self.cell
        fmt = cell.data_format
        batch, steps = sequences.shape[0], sequences.shape[1]
        dp, rec = cell.step_masks(training, sequences[:, 0], initial_state[0])
        x = to_channels_first(sequences.flatten(0, 1), fmt)  # (B*T, C, *spatial), a view
        if dp is not None:  # each gate's mask, shared by the steps
            x = x.unflatten(0, (batch, steps))
            x = masked_gates(x, [m.unsqueeze(1) for m in dp], dim=2).flatten(0, 1)
        zx = cell.input_gates(x, gate_groups(dp)).unflatten(0, (batch, steps))
        h = to_channels_first(initial_state[0], fmt)
        c = to_channels_first(initial_state[1], fmt)
        rec_groups = gate_groups(rec)
        order = reversed(range(steps)) if self.go_backwards else range(steps)
        outputs: list[Tensor] = []
        prev: Tensor | None = None
        for t in order:
            z = zx[:, t] + cell.recurrent_gates(masked_gates(h, rec, 1), rec_groups)
            h_new, c_new = cell.gates_step(z, c)
            if mask is None:
                output, h, c = h_new, h_new, c_new
            else:
                keep = mask[:, t].reshape(batch, *([1] * (h_new.ndim - 1)))
                if prev is None:
                    prev = torch.zeros_like(h_new)
                fill = torch.zeros_like(h_new) if self.zero_output_for_mask else prev
                output = torch.where(keep, h_new, fill)
                h, c = torch.where(keep, h_new, h), torch.where(keep, c_new, c)
            prev = output
            if self.return_sequences:
                outputs.append(output)
        last = from_channels_first(prev, fmt)
        if outputs:
            stacked = torch.stack(outputs, dim=1).flatten(0, 1)
            stacked = from_channels_first(stacked, fmt).unflatten(0, (batch, len(outputs)))
        else:
            stacked = last.unsqueeze(1)
        return last, stacked, [from_channels_first(h, fmt), from_channels_first(c, fmt)]

    # -- config ----------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["cell"]
        cell_config = {k: v for k, v in self.cell.get_config().items() if k not in _CELL_ONLY_KEYS}
        return {
            **config,
            **cell_config,
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> ConvLSTM:
        return cls(**config_with_dtype_name(config))
