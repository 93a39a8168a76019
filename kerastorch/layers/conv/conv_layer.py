"""`ConvLayer`: what every convolution layer shares (window, output, weight arguments).

`BaseConv`, `BaseConvTranspose`, `BaseDepthwiseConv` and `BaseSeparableConv` build on it:
constructor steps in Keras's order, the Keras config of the weight arguments, the
channels-first kernel input (with `"same"` / `"causal"` padding) and the output back in
`data_format` through the activation.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.config import standardize_data_format
from kerastorch.layers.conv.conv_args import standardize_padding, standardize_tuple
from kerastorch.layers.conv.conv_shapes import (
    Shape,
    channel_axis_and_size,
    conv_output_shape,
    from_channels_first,
    pad_same,
    to_channels_first,
)
from kerastorch.layers.conv.kernel_layout import track_bias
from kerastorch.layers.input_spec import InputSpec, assert_shape_compatibility
from kerastorch.layers.layer import Layer


class ConvLayer(Layer):
    """The common part of the convolution layers (not a Keras class).

    Constructor steps, called in Keras's order so that errors come in the same order:
    `_init_window` (rank, kernel_size, strides, dilation_rate, padding), `_init_output`
    (data_format, activation, use_bias), `_init_weight_args` (`<weight>_initializer` /
    `_regularizer` / `_constraint` for each weight). `build` uses `_build_input_spec` and
    `_build_bias`; `call` uses `_kernel_input` and `_kernel_output`.
    """

    def _init_window(
        self,
        rank: int,
        kernel_size: Any,
        strides: Any,
        dilation_rate: Any,
        padding: str,
        allow_causal: bool = False,
    ) -> None:
        self.rank = rank
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=allow_causal)

    def _init_output(self, data_format: str | None, activation: Any, use_bias: bool) -> None:
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    def _init_weight_args(self, **weights: tuple[Any, Any, Any]) -> None:
        """`name=(initializer, regularizer, constraint)` -> `self.<name>_initializer`, ...

        Resolved as Keras does: every initializer, then every regularizer, then every
        constraint (in the order of `weights`).
        """
        self._weight_arg_names = tuple(weights)
        for name, (initializer, _, _) in weights.items():
            setattr(self, f"{name}_initializer", initializers.get(initializer))
        for name, (_, regularizer, _) in weights.items():
            setattr(self, f"{name}_regularizer", regularizers.get(regularizer))
        for name, (_, _, constraint) in weights.items():
            setattr(self, f"{name}_constraint", constraints.get(constraint))

    def _output_config(self) -> dict[str, Any]:
        """`activation`, `use_bias` and the weight arguments, in Keras's config order."""
        names = self._weight_arg_names
        return {
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **{
                f"{n}_initializer": initializers.serialize(getattr(self, f"{n}_initializer"))
                for n in names
            },
            **{
                f"{n}_regularizer": regularizers.serialize(getattr(self, f"{n}_regularizer"))
                for n in names
            },
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            **{
                f"{n}_constraint": constraints.serialize(getattr(self, f"{n}_constraint"))
                for n in names
            },
        }

    def _build_input_spec(self, input_shape: Shape) -> int:
        """Check the input's rank, fix the channel count in `input_spec`; returns it."""
        assert_shape_compatibility(self, input_shape, InputSpec(ndim=self.rank + 2))
        axis, channels = channel_axis_and_size(input_shape, self.data_format)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        return channels

    def _build_bias(self, module: nn.Module, size: int) -> None:
        """`self.bias`: `module.bias` as the Keras variable, or None without `use_bias`."""
        self.bias = None
        if self.use_bias:
            self.bias = track_bias(
                self, module, size, self.bias_initializer, self.bias_regularizer,
                self.bias_constraint,
            )  # fmt: skip

    def _kernel_input(self, inputs: torch.Tensor) -> tuple[torch.Tensor, tuple[int, ...]]:
        """The channels-first view of `inputs` and the kernel's symmetric `padding=`.

        `"same"` pads the odd trailing element here; `"causal"` pads both ends by
        `(k - 1) * d` (the caller drops the trailing outputs).
        """
        x = to_channels_first(inputs, self.data_format)
        if self.padding == "same":
            return pad_same(x, self.kernel_size, self.strides, self.dilation_rate)
        if self.padding == "causal":
            return x, ((self.kernel_size[0] - 1) * self.dilation_rate[0],)
        return x, (0,) * self.rank

    def _kernel_output(self, y: torch.Tensor) -> torch.Tensor:
        """A kernel's channels-first output back in `data_format`, through the activation."""
        y = from_channels_first(y, self.data_format)
        return y if self.activation is activations.linear else self.activation(y)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The output shape for a layer with `filters` output channels."""
        return conv_output_shape(
            input_shape, self.filters, self.kernel_size, self.strides, self.padding,
            self.data_format, self.dilation_rate,
        )  # fmt: skip
