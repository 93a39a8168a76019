"""`Dense`: `activation(inputs @ kernel + bias)`, wrapping `torch.nn.Linear`.

LoRA (`enable_lora`) and int8 / int4 quantization (`quantize("int8")`, `quantize("int4")`)
come from `KernelAdaptation` (see `kernel_adaptation.py`, `kernel_int4.py`); float8
training (`quantize("float8")`) from `Float8Training` (`kernel_float8.py`).

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
from kerastorch.layers.core.kernel_adaptation import (
    KernelAdaptation,
    int8_matmul,
    split_quantized_dtype,
    straight_through,
)
from kerastorch.layers.core.kernel_float8 import Float8Training, amax_history_length
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.quantizers import AbsMaxQuantizer, QuantizationConfig
from kerastorch.variables import Variable


class Dense(Float8Training, KernelAdaptation, Layer):
    """Densely-connected layer: `outputs = activation(inputs @ kernel + bias)`.

    Applies to the last axis of inputs of any rank, as Keras does.

    Args:
        units: positive int, the output size.
        activation: activation name or callable (`None`: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer / bias_initializer: initializers (`"glorot_uniform"` / `"zeros"`).
        kernel_regularizer / bias_regularizer / activity_regularizer: regularizers.
        kernel_constraint / bias_constraint: constraints applied after each optimizer step.
        lora_rank / lora_alpha: enable LoRA at build time (see `enable_lora`).
        quantization_config: the `QuantizationConfig` of a quantized layer.

    Input shape:
        `(batch, ..., input_dim)`.
    Output shape:
        `(batch, ..., units)`.
    Weights:
        `[kernel (input_dim, units), bias (units,)]` in Keras layout; the wrapped
        `nn.Linear.weight` is `(units, input_dim)`. Quantized (int8): `[bias, kernel (int8),
        kernel_scale (units,)]`, as Keras orders them; int4: `[bias, kernel (int8, two values
        a byte: (input_dim, ceil(units / 2))), kernel_scale]`, plus `kernel_zero` and `g_idx`
        with a block size. float8: `[kernel, bias]` then the six
        float8 scales and amax histories (see `kernel_float8.py`).

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
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for `units`, expected a positive integer. "
                f"Received: units={units!r}"
            )
        dtype = kwargs.get("dtype")
        kwargs["dtype"], mode = split_quantized_dtype(dtype)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_adaptation(mode, lora_rank, lora_alpha, quantization_config)
        self._amax_history_length = amax_history_length(dtype)
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
        self._input_dim = input_dim
        dtype = to_torch_dtype(self.dtype)
        self.linear = nn.utils.skip_init(
            nn.Linear, input_dim, self.units, bias=self.use_bias, dtype=dtype
        )
        if self._quantization_mode:
            self._build_quantized()
        if self._quantization_mode not in (None, "float8"):
            self.linear.weight = None  # the integer kernel replaces it
        else:  # float8 trains the float kernel
            self._kernel = self.track_variable(
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
            self._kernel.assign(self.kernel_initializer((input_dim, self.units), dtype=self.dtype))
        if self.use_bias:
            self.bias = self.track_variable(
                Variable(self.linear, "bias", "bias", constraint=self.bias_constraint),
                regularizer=self.bias_regularizer,
            )
            self.bias.assign(self.bias_initializer((self.units,), dtype=self.dtype))
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True
        self._build_adaptation()

    @property
    def kernel(self) -> Any:
        """The kernel `Variable` (int8 when quantized); with LoRA, the merged kernel tensor."""
        return self._effective_weight()

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # The parameters read from the registry directly: `self.linear.bias` is two
        # `nn.Module.__getattr__` calls, each after a failed normal lookup.
        params = self._modules["linear"]._parameters
        bias = params["bias"]
        if not inputs.is_floating_point():  # integer features (e.g. multi-hot), as Keras promotes
            inputs = inputs.to(bias.dtype if bias is not None else to_torch_dtype(self.dtype))
        if self._quantization_mode is None and not self.lora_enabled:
            return self.activation(F.linear(inputs, params["weight"], bias))
        if self._quantization_mode == "float8":
            return self._float8_call(inputs, params["weight"], bias, F.linear)
        if self._quantization_mode is None:
            x = F.linear(inputs, params["weight"])
        else:
            x = self._quantized_product(inputs)
        if self.lora_enabled:
            a, b = self.lora_kernel_a.tensor, self.lora_kernel_b.tensor
            lora = torch.matmul(torch.matmul(inputs, a.to(inputs.dtype)), b.to(inputs.dtype))
            x = x + (self.lora_alpha / self.lora_rank) * lora
        if bias is not None:
            x = x + bias.to(x.dtype)  # the compute dtype, as Keras autocasts the bias
        return self.activation(x)

    def _int8_product(self, inputs: torch.Tensor) -> torch.Tensor:
        kernel, scale = self._kernel.tensor, self.kernel_scale.tensor

        def dequantized() -> torch.Tensor:
            return torch.matmul(inputs, kernel.to(inputs.dtype) / scale)

        if self.inputs_quantizer is None:
            return dequantized()
        quantized, inputs_scale = self.inputs_quantizer(inputs, axis=-1)
        x = int8_matmul(quantized, kernel).to(inputs.dtype) / (scale * inputs_scale)
        return straight_through(x, dequantized)

    # -- KernelAdaptation hooks ----------------------------------------------------------------
    def _weight_shape(self) -> tuple[int, int]:
        return (self._input_dim, self.units)

    def _scale_shape(self) -> tuple[int]:
        return (self.units,)

    def _lora_shapes(self, rank: int) -> tuple[tuple[int, int], tuple[int, int]]:
        return (self._input_dim, rank), (rank, self.units)

    def _weight_constraint(self) -> Any:
        return self.kernel_constraint

    def _weight_regularizer(self) -> Any:
        return self.kernel_regularizer

    def _quantize_weight(self, value: torch.Tensor, config: Any) -> tuple:
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=0))
        quantized, scale = quantizer(value)
        return quantized, scale.squeeze(0)

    def _dequantize_weight(self, quantized: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        return quantized.to(to_torch_dtype(self.compute_dtype)) / scale

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return (*tuple(input_shape)[:-1], self.units)

    def get_config(self) -> dict[str, Any]:
        return self._adaptation_config(
            {
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
            }
        )
