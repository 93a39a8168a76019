"""`ConvLSTMCell`: one step of a convolutional LSTM (the cell inside `ConvLSTM1D/2D/3D`).

The four gates (i, f, c, o, Keras's order) are computed by one convolution each way: the
kernels are stored in torch's layout `(4 * filters, in, *kernel_size)`, so the input-to-hidden
convolution of all four gates is a single `conv{rank}d` (a grouped one, `groups=4`, when each
gate has its own dropout mask). The layers run the input convolution over every timestep at
once (`input_gates`) and loop only over the recurrent convolution (`recurrent_gates`).

Example:
    >>> import torch
    >>> cell = ConvLSTMCell(2, filters=3, kernel_size=3, padding="same")
    >>> h, [h, c] = cell(torch.ones(2, 5, 5, 4), [torch.zeros(2, 5, 5, 3)] * 2)
    >>> h.shape, cell.kernel.shape
    (torch.Size([2, 5, 5, 3]), (3, 3, 4, 12))
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.config import standardize_data_format
from kerastorch.layers.conv.conv_args import standardize_padding, standardize_tuple
from kerastorch.layers.conv.conv_shapes import (
    conv_output_shape,
    from_channels_first,
    pad_same,
    to_channels_first,
)
from kerastorch.layers.conv.kernel_layout import CONV_FN, kernel_permutation
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

Tensor = torch.Tensor
_GATES = 4


class ConvLSTMCell(Layer):
    """Cell class of the ConvLSTM layers: an LSTM step whose transforms are convolutions.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels (the size of the states' channel axis).
        kernel_size / strides / dilation_rate: int or `rank` ints, of the input convolution
            (the recurrent convolution has stride 1, no dilation and `"same"` padding).
            `strides > 1` excludes `dilation_rate > 1`.
        padding: `"valid"` or `"same"` (TensorFlow's rule), of the input convolution.
        data_format: `"channels_last"` or `"channels_first"` (default: the global setting).
        activation / recurrent_activation: of the candidate and output (`"tanh"`) / of the
            gates (`"sigmoid"`).
        use_bias: whether to add a bias (to the input convolution).
        kernel_initializer / recurrent_initializer / bias_initializer: initializers
            (`"glorot_uniform"` / `"orthogonal"` / `"zeros"`), applied in Keras's layout.
        unit_forget_bias: the forget-gate bias starts at 1.
        *_regularizer / *_constraint: for `kernel`, `recurrent_kernel` and `bias`.
        dropout / recurrent_dropout: fraction of the inputs / states dropped, one mask per gate
            per call (shared by all steps), drawn from torch's global generator.
        seed: kept for the config.

    Weights:
        `[kernel (*kernel_size, in_channels, 4*filters),
        recurrent_kernel (*kernel_size, filters, 4*filters), bias (4*filters,)]` in Keras's
        layout; stored as `weight_ih (4f, in, *k)`, `weight_hh (4f, f, *k)`, `bias_ih (4f,)`.
    """

    dropout_mask_count = _GATES

    def __init__(
        self,
        rank: int,
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
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.seed = seed
        self.rank = rank
        if rank > 3:
            raise ValueError(
                f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}"
            )
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please "
                "provide `strides=1` or `dilation_rate=1`. Received: "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # the states are feature maps: see `get_initial_state`
        self._dropout_mask: list[Tensor] | None = None
        self._recurrent_dropout_mask: list[Tensor] | None = None
        self._conv = CONV_FN[rank]
        self._ones = (1,) * rank

    # -- weights ---------------------------------------------------------------------------
    def build(self, inputs_shape: tuple, states_shape: Any = None) -> None:
        inputs_shape = tuple(inputs_shape)
        if self.data_format == "channels_first":
            channel_axis, self.spatial_dims = 1, inputs_shape[2:]
        else:
            channel_axis, self.spatial_dims = -1, inputs_shape[1:-1]
        if None in self.spatial_dims:
            raise ValueError(
                "ConvLSTM layers only support static input shapes for the spatial dimension. "
                f"Received invalid input shape: input_shape={inputs_shape}"
            )
        if inputs_shape[channel_axis] is None:
            raise ValueError(
                "The channel dimension of the inputs (last axis) should be defined. Found "
                f"None. Full input shape received: input_shape={inputs_shape}"
            )
        self.input_spec = InputSpec(ndim=self.rank + 3, shape=(None, *inputs_shape[1:]))
        self.input_dim = int(inputs_shape[channel_axis])
        size, k = _GATES * self.filters, self.kernel_size
        dtype = to_torch_dtype(self.dtype)
        self.weight_ih = nn.Parameter(torch.empty(size, self.input_dim, *k, dtype=dtype))
        self.weight_hh = nn.Parameter(torch.empty(size, self.filters, *k, dtype=dtype))
        to_keras, from_keras = kernel_permutation(self.rank)
        self.kernel = self._track("weight_ih", "kernel", self.kernel_regularizer,
                                  self.kernel_constraint, to_keras, from_keras)  # fmt: skip
        self.recurrent_kernel = self._track(
            "weight_hh", "recurrent_kernel", self.recurrent_regularizer,
            self.recurrent_constraint, to_keras, from_keras,
        )  # fmt: skip
        self.kernel.assign(self.kernel_initializer((*k, self.input_dim, size), dtype=self.dtype))
        self.recurrent_kernel.assign(
            self.recurrent_initializer((*k, self.filters, size), dtype=self.dtype)
        )
        self.bias = None
        if self.use_bias:
            self.bias_ih = nn.Parameter(torch.empty(size, dtype=dtype))
            self.bias = self._track("bias_ih", "bias", self.bias_regularizer, self.bias_constraint)
            f = self.filters
            if self.unit_forget_bias:
                parts = [
                    self.bias_initializer((f,), dtype=self.dtype),
                    torch.ones(f),
                    self.bias_initializer((2 * f,), dtype=self.dtype),
                ]
                value = torch.cat([torch.as_tensor(p, dtype=dtype) for p in parts])
            else:
                value = self.bias_initializer((size,), dtype=self.dtype)
            self.bias.assign(value)

    def _track(
        self, attr: str, name: str, regularizer: Any, constraint: Any, *transforms: Any
    ) -> Variable:
        to_keras, from_keras = transforms or (None, None)
        variable = Variable(
            self, attr, name, constraint=constraint, to_keras=to_keras, from_keras=from_keras
        )
        return self.track_variable(variable, regularizer=regularizer)

    # -- the pieces of a step, on channels-first tensors -------------------------------------
    def input_gates(self, x: Tensor, groups: int = 1) -> Tensor:
        """The input convolution of the four gates: `(N, 4f, *out)` from `x (N, in, *spatial)`.

        `groups=4`: `x` is `(N, 4 * in, *spatial)`, each gate's own (masked) input
        (`masked_gates`), convolved as one grouped convolution.
        """
        pad: tuple[int, ...] = (0,) * self.rank
        if self.padding == "same":
            x, pad = pad_same(x, self.kernel_size, self.strides, self.dilation_rate)
        bias = self.bias_ih if self.use_bias else None
        return self._conv(x, self.weight_ih, bias, self.strides, pad, self.dilation_rate, groups)

    def recurrent_gates(self, h: Tensor, groups: int = 1) -> Tensor:
        """The recurrent convolution (stride 1, `"same"`) of the four gates, `(N, 4f, *out)`."""
        h, pad = pad_same(h, self.kernel_size, self._ones, self._ones)
        return self._conv(h, self.weight_hh, None, self._ones, pad, self._ones, groups)

    def gates_step(self, z: Tensor, c_tm1: Tensor) -> tuple[Tensor, Tensor]:
        """`(h, c)` from the summed gate pre-activations `z (N, 4f, *out)` and the carry."""
        zi, zf, zc, zo = z.chunk(_GATES, dim=1)
        i = self.recurrent_activation(zi)
        f = self.recurrent_activation(zf)
        c = f * c_tm1 + i * self.activation(zc)
        o = self.recurrent_activation(zo)
        return o * self.activation(c), c

    def step_masks(self, training: bool, x: Tensor, h: Tensor) -> tuple[Any, Any]:
        """This call's channels-first dropout masks `(input, recurrent)` (None when off).

        `x` / `h` are step-shaped tensors in `data_format`, as Keras's masks are.
        """
        dp = rec = None
        if training and 0.0 < self.dropout < 1.0:
            dp = [to_channels_first(m, self.data_format) for m in self.get_dropout_mask(x)]
        if training and 0.0 < self.recurrent_dropout < 1.0:
            rec = [
                to_channels_first(m, self.data_format) for m in self.get_recurrent_dropout_mask(h)
            ]
        return dp, rec

    def call(self, inputs: Tensor, states: Any, training: bool = False) -> tuple[Tensor, list]:
        h_tm1, c_tm1 = states[0], states[1]
        dp, rec = self.step_masks(bool(training), inputs, h_tm1)
        fmt = self.data_format
        x, h = to_channels_first(inputs, fmt), to_channels_first(h_tm1, fmt)
        z = self.input_gates(masked_gates(x, dp, 1), gate_groups(dp)) + self.recurrent_gates(
            masked_gates(h, rec, 1), gate_groups(rec)
        )
        h, c = self.gates_step(z, to_channels_first(c_tm1, fmt))
        h, c = from_channels_first(h, fmt), from_channels_first(c, fmt)
        return h, [h, c]

    # -- dropout masks (Keras's DropoutRNNCell, four masks per call) ------------------------
    def _make_masks(self, like: Tensor, rate: float) -> list[Tensor]:
        ones = torch.ones_like(like)
        return [F.dropout(ones, p=rate, training=True) for _ in range(_GATES)]

    def get_dropout_mask(self, step_input: Tensor) -> list[Tensor] | None:
        """The four input dropout masks of this call, made on first use."""
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._make_masks(step_input, self.dropout)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input: Tensor) -> list[Tensor] | None:
        """The four recurrent dropout masks of this call, made on first use."""
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._make_masks(step_input, self.recurrent_dropout)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self) -> None:
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        self._recurrent_dropout_mask = None

    # -- shapes and states -----------------------------------------------------------------
    def compute_output_shape(self, inputs_shape: tuple, states_shape: Any = None) -> Any:
        shape = conv_output_shape(
            inputs_shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate,
        )  # fmt: skip
        return shape, [shape, shape]

    def get_initial_state(self, batch_size: int | None = None) -> list[Tensor]:
        """Zero `[h, c]` feature maps of the output's shape."""
        if self.data_format == "channels_last":
            input_shape = (batch_size, *self.spatial_dims, self.input_dim)
        else:
            input_shape = (batch_size, self.input_dim, *self.spatial_dims)
        shape = self.compute_output_shape(input_shape)[0]
        weight = self.weight_ih
        return [torch.zeros(shape, dtype=weight.dtype, device=weight.device) for _ in range(2)]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


def masked_gates(x: Tensor, masks: list[Tensor] | None, dim: int) -> Tensor:
    """`x` itself without masks, else the four masked copies concatenated along `dim`."""
    if masks is None:
        return x
    return torch.cat([x * m for m in masks], dim=dim)


def gate_groups(masks: list[Tensor] | None) -> int:
    """The `groups` of a gate convolution: 4 when each gate has its own masked input."""
    return 1 if masks is None else _GATES
