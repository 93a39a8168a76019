"""`Dense`: `activation(inputs @ kernel + bias)`, wrapping `torch.nn.Linear`.

Example:
    >>> import kerastorch as keras
    >>> keras.layers.Dense(4, activation="relu")(keras.Input((3,))).shape
    (None, 4)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.layouts import transpose
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable


class Dense(Layer):
    """Densely-connected layer: `outputs = activation(inputs @ kernel + bias)`.

    Applies to the last axis of inputs of any rank, as Keras does.

    Args:
        units: positive int, the output size.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints applied after each optimizer step.

    Input shape:
        `(batch, ..., input_dim)`.
    Output shape:
        `(batch, ..., units)`.
    Weights:
        `[kernel (input_dim, units), bias (units,)]` in Keras layout; the wrapped
        `nn.Linear.weight` is `(units, input_dim)`.

    Example:
        >>> import torch
        >>> layer = Dense(2)
        >>> layer(torch.ones(5, 3)).shape, layer.kernel.shape
        (torch.Size([5, 2]), (3, 2))
    """

    linear: nn.Linear

    def __init__(
        self,
        units: int,
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
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for `units`, expected a positive integer. "
                f"Received: units={units!r}"
            )
        if lora_rank or quantization_config:
            raise ValueError("Dense: LoRA and quantization are not supported by kerastorch.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        input_dim = input_shape[-1]
        dtype = to_torch_dtype(self.dtype)
        self.linear = nn.utils.skip_init(
            nn.Linear, input_dim, self.units, bias=self.use_bias, dtype=dtype
        )
        self.kernel = self.track_variable(
            Variable(
                self.linear,
                "weight",
                "kernel",
                constraint=self.kernel_constraint,
                to_keras=transpose,
                from_keras=transpose,
            ),
            regularizer=self.kernel_regularizer,
        )
        self.kernel.assign(self.kernel_initializer((input_dim, self.units), dtype=self.dtype))
        if self.use_bias:
            self.bias = self.track_variable(
                Variable(self.linear, "bias", "bias", constraint=self.bias_constraint),
                regularizer=self.bias_regularizer,
            )
            self.bias.assign(self.bias_initializer((self.units,), dtype=self.dtype))
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        weight = self.linear.weight
        if not inputs.is_floating_point():  # integer features (e.g. multi-hot), as Keras promotes
            inputs = inputs.to(weight.dtype)
        return self.activation(F.linear(inputs, weight, self.linear.bias))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }
