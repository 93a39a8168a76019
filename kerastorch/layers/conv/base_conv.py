"""`BaseConv`: the N-D convolution behind `Conv1D`, `Conv2D` and `Conv3D`.

`activation(conv(x, kernel) + bias)` with Keras's arguments, checks and config; the kernel
lives in a wrapped `nn.Conv{rank}d` (see `kernel_layout`), padding and data formats are
handled as in `conv_shapes`.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from kerastorch.layers.conv.conv_args import check_conv_args, check_positive
from kerastorch.layers.conv.conv_layer import ConvLayer
from kerastorch.layers.conv.conv_shapes import Shape
from kerastorch.layers.conv.kernel_layout import (
    CONV_FN,
    conv_module,
    kernel_permutation,
    track_kernel,
)


class BaseConv(ConvLayer):
    """N-D convolution (`Conv1D`, `Conv2D`, `Conv3D`): `activation(conv(x, kernel) + bias)`.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or `rank` ints.
        strides: int or `rank` ints (`> 1` excludes `dilation_rate > 1`).
        padding: `"valid"`, `"same"` or, for rank 1, `"causal"`.
        data_format: `"channels_last"` (default from `image_data_format()`) or
            `"channels_first"`.
        dilation_rate: int or `rank` ints.
        groups: number of groups the input channels are split into.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints.

    Weights:
        `[kernel (*kernel_size, in_channels // groups, filters), bias (filters,)]` in Keras
        layout; the wrapped `nn.Conv{rank}d` stores `(filters, in // groups, *kernel_size)`.
    """

    conv: nn.Module

    def __init__(
        self,
        rank: int,
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
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if lora_rank:
            raise ValueError(
                f"{type(self).__name__}: LoRA is not supported by kerastorch. "
                f"Received: lora_rank={lora_rank}"
            )
        self.filters = filters
        self.groups = groups
        self._init_window(rank, kernel_size, strides, dilation_rate, padding, rank == 1)
        self._init_output(data_format, activation, use_bias)
        self._init_weight_args(
            kernel=(kernel_initializer, kernel_regularizer, kernel_constraint),
            bias=(bias_initializer, bias_regularizer, bias_constraint),
        )
        check_positive(filters, "filters")
        if groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={groups}."
            )
        if filters % groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        check_conv_args(self.kernel_size, self.strides, self.dilation_rate)
        self._conv_fn = CONV_FN[rank]

    def build(self, input_shape: Shape) -> None:
        channels = self._build_input_spec(input_shape)
        if channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of "
                f"groups. Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # validates the spatial sizes
        self.conv = conv_module(
            self.rank, channels, self.filters, self.kernel_size, self.groups, self.use_bias,
            self.dtype,
        )  # fmt: skip
        self.kernel = track_kernel(
            self, self.conv, "kernel", (*self.kernel_size, channels // self.groups, self.filters),
            self.kernel_initializer, self.kernel_regularizer, self.kernel_constraint,
            kernel_permutation(self.rank),
        )  # fmt: skip
        self._build_bias(self.conv, self.filters)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x, pad = self._kernel_input(inputs)
        conv = self.conv
        y = self._conv_fn(
            x, conv.weight, conv.bias, self.strides, pad, self.dilation_rate, self.groups
        )
        if self.padding == "causal":  # symmetric padding, then drop the trailing outputs
            y = y[..., : (x.shape[-1] - 1) // self.strides[0] + 1]
        return self._kernel_output(y)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            **self._output_config(),
        }
