"""`EinsumDense`: a dense layer whose product with the kernel is an einsum equation.

Equations that are a plain dense product (`"ab,bc->ac"`, `"...b,bc->...c"`, `"abc,cd->abd"`)
run as one `torch.matmul`; others through `torch.einsum`. LoRA (`enable_lora`) and int8 /
int4 quantization (`quantize("int8")`, `quantize("int4")`) come from `KernelAdaptation`
(`kernel_adaptation.py`, `kernel_int4.py`), float8 training (`quantize("float8")`) from
`Float8Training` (`kernel_float8.py`).

Example:
    >>> import kerastorch as keras
    >>> layer = EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")
    >>> layer(keras.Input((3, 5))).shape, layer.kernel.shape, layer.bias.shape
    ((None, None, 4, 8), (5, 4, 8), (4, 8))
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import activations, constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.initializers import VarianceScaling
from kerastorch.layers.core.einsum_spec import analyze_einsum, quantization_axes, split_equation
from kerastorch.layers.core.kernel_adaptation import (
    KernelAdaptation,
    split_quantized_dtype,
    straight_through,
)
from kerastorch.layers.core.kernel_float8 import Float8Training, amax_history_length
from kerastorch.layers.core.kernel_int4 import default_int4_quantizer
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer
from kerastorch.quantizers import AbsMaxQuantizer, QuantizationConfig

Tensor = torch.Tensor


class EinsumDense(Float8Training, KernelAdaptation, Layer):
    """`activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: `"[X],[Y]->[Z]"`, `"...[X],[Y]->...[Z]"` or `"[X]...,[Y]->[Z]..."`: the
            inputs' labels, the kernel's and the output's.
        output_shape: the output shape without the batch axis (and without elided axes);
            `None` for an axis that equals the input's. An int is a 1-D shape.
        activation: activation name or callable (`None`: linear).
        bias_axes: output labels that the bias spans (`None`: no bias).
        kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
            kernel_constraint / bias_constraint: as in `Dense`.
        lora_rank / lora_alpha: enable LoRA at build time (see `enable_lora`).
        gptq_unpacked_column_size: Keras's GPTQ bookkeeping (kept in the config only).
        quantization_config: the `QuantizationConfig` of a quantized layer.

    Weights:
        `[kernel, bias]` with the shapes the equation implies, in Keras's layout;
        quantized (int8): `[bias, kernel (int8), kernel_scale]`; int4: the kernel as a 2-D
        (reduced axes, other axes) matrix packed two values a byte, `kernel_scale`, and with a
        block size `kernel_zero` and `g_idx`, as Keras stores them.

    Example:
        >>> import torch
        >>> layer = EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c")
        >>> layer(torch.ones(2, 3)).shape
        torch.Size([2, 4])
    """

    def __init__(
        self,
        equation: str,
        output_shape: Any,
        activation: Any = None,
        bias_axes: str | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        gptq_unpacked_column_size: int | None = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        dtype = kwargs.get("dtype")
        kwargs["dtype"], mode = split_quantized_dtype(dtype)
        super().__init__(**kwargs)
        self._init_adaptation(mode, lora_rank, lora_alpha, quantization_config)
        self._amax_history_length = amax_history_length(dtype)
        split_equation(equation)  # a clear error for a malformed equation, now
        self.equation = equation
        self.partial_output_shape = (
            (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        )
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self._matmul = False

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        spec = analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        self._kernel_shape = tuple(spec.kernel_shape)
        self._axes = quantization_axes(self.equation, len(input_shape))
        self._matmul = _is_matmul(self.equation, len(input_shape))
        self.input_spec = InputSpec(ndim=len(input_shape))
        if self._quantization_mode:
            self._build_quantized()
        if self._quantization_mode in (None, "float8"):  # float8 trains the float kernel
            self._kernel = self.add_weight(
                name="kernel",
                shape=self._kernel_shape,
                initializer=self._fan_aware_initializer(spec.input_axes, spec.output_axes),
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )
        if spec.bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(spec.bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True
        self._build_adaptation()

    def _fan_aware_initializer(self, input_axes: list[int], output_axes: list[int]) -> Any:
        """A VarianceScaling initializer told which kernel axes are fan-in / fan-out."""
        init = self.kernel_initializer
        if not isinstance(init, VarianceScaling) or (
            init.input_axes is not None and init.output_axes is not None
        ):
            return init
        config = {**init.get_config(), "input_axes": input_axes, "output_axes": output_axes}
        return type(init).from_config(config)

    @property
    def kernel(self) -> Any:
        """The kernel `Variable` (int8 when quantized); with LoRA, the merged kernel tensor."""
        return self._effective_weight()

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        spec = analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        return tuple(spec.output_shape)

    def call(self, inputs: Tensor) -> Tensor:
        if self._quantization_mode is not None:
            if self._quantization_mode == "float8":
                bias = None if self.bias is None else self.bias.value
                return self._float8_call(inputs, self._kernel.value, bias, self._product)
            x = self._quantized_product(inputs)
            if self.lora_enabled:
                lora = self._product(inputs, self.lora_kernel_a.value.to(inputs.dtype))
                lora = torch.matmul(lora, self.lora_kernel_b.value.to(inputs.dtype))
                x = x + (self.lora_alpha / self.lora_rank) * lora
            if self.bias is not None:  # in the compute dtype, as Keras autocasts the bias
                x = x + self.bias.value.to(x.dtype)
            return self.activation(x)
        kernel = self.kernel  # LoRA merged, as Keras computes it
        x = self._product(inputs, getattr(kernel, "value", kernel))
        if self.bias is not None:
            x = x + self.bias.value
        return self.activation(x)

    def _product(self, inputs: Tensor, kernel: Tensor) -> Tensor:
        if self._matmul:
            return torch.matmul(inputs, kernel)
        return torch.einsum(self.equation, inputs, kernel)

    def _int8_product(self, inputs: Tensor) -> Tensor:
        kernel, scale = self._kernel.tensor, self.kernel_scale.tensor

        def dequantized() -> Tensor:
            return self._product(inputs, self._dequantize_weight(kernel, scale))

        if self.inputs_quantizer is None:
            return dequantized()
        quantized, inputs_scale = self.inputs_quantizer(
            inputs, axis=tuple(self._axes.input_reduced)
        )
        inputs_scale = _adjust_for_quant(
            inputs_scale, self._axes.input_transpose, self._axes.input_expand,
            self._axes.input_squeeze,
        )  # fmt: skip
        x = self._product(quantized.to(torch.float32), kernel.to(torch.float32))
        x = x.to(inputs.dtype) / (inputs_scale * scale)
        return straight_through(x, dequantized)

    def _int4_product(self, inputs: Tensor) -> Tensor:
        """Keras's int4 product: the dequantized kernel (inputs quantized per channel)."""
        kernel = self._float_weight().to(inputs.dtype)
        if self._int4_block_size is not None or self.inputs_quantizer is None:
            return self._product(inputs, kernel)
        axes = self._axes
        quantized, inputs_scale = self.inputs_quantizer(inputs, axis=tuple(axes.input_reduced))
        inputs_scale = _adjust_for_quant(
            inputs_scale, axes.input_transpose, axes.input_expand, axes.input_squeeze
        )
        x = self._product(quantized.to(inputs.dtype), kernel) / inputs_scale
        return straight_through(x, lambda: self._product(inputs, kernel))

    # -- KernelAdaptation hooks ----------------------------------------------------------------
    def _weight_shape(self) -> tuple[int, ...]:
        return self._kernel_shape

    def _int4_matrix_shape(self) -> tuple[int, int]:
        """Keras's int4 layout: the kernel reshaped to (reduced axes, other axes)."""
        rows = math.prod(
            d for i, d in enumerate(self._kernel_shape) if i in self._axes.kernel_reduced
        )
        return rows, math.prod(self._kernel_shape) // rows

    def _int4_weight_quantizer(self, config: Any) -> Any:
        return default_int4_quantizer(0)  # Keras's EinsumDense ignores the config's quantizer

    def _scale_shape(self) -> list[int]:
        axes = self._axes
        shape = [1 if i in axes.kernel_reduced else d for i, d in enumerate(self._kernel_shape)]
        shape = [shape[i] for i in axes.kernel_transpose]
        for a in sorted(axes.kernel_expand):
            shape.insert(a, 1)
        for a in sorted(axes.kernel_squeeze, reverse=True):
            shape.pop(a)
        return shape

    def _lora_shapes(self, rank: int) -> tuple[tuple[int, ...], tuple[int, int]]:
        return (*self._kernel_shape[:-1], rank), (rank, self._kernel_shape[-1])

    def _weight_constraint(self) -> Any:
        return self.kernel_constraint

    def _weight_regularizer(self) -> Any:
        return self.kernel_regularizer

    def _quantize_weight(self, value: Tensor, config: Any) -> tuple[Tensor, Tensor]:
        default = AbsMaxQuantizer(axis=tuple(self._axes.kernel_reduced))
        quantized, scale = QuantizationConfig.weight_quantizer_or_default(config, default)(value)
        axes = self._axes
        return quantized, _adjust_for_quant(
            scale, axes.kernel_transpose, axes.kernel_expand, axes.kernel_squeeze
        )

    def _dequantize_weight(self, quantized: Tensor, scale: Tensor) -> Tensor:
        axes = self._axes
        if axes.kernel_squeeze:
            scale = _expand_dims(scale, axes.kernel_squeeze)
        if axes.kernel_expand:
            scale = scale.squeeze(tuple(axes.kernel_expand))
        if axes.kernel_transpose:
            inverse = sorted(
                range(len(axes.kernel_transpose)), key=axes.kernel_transpose.__getitem__
            )
            scale = scale.permute(inverse)
        return quantized.to(to_torch_dtype(self.compute_dtype)) / scale

    def get_config(self) -> dict[str, Any]:
        config = self._adaptation_config(
            {
                **super().get_config(),
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        if self.gptq_unpacked_column_size:
            config["gptq_unpacked_column_size"] = self.gptq_unpacked_column_size
        return config


def _is_matmul(equation: str, input_ndim: int) -> bool:
    """Whether the equation is `x @ kernel`: one contracted last input axis, a 2-D kernel."""
    input_spec, weight_spec, output_spec, side = split_equation(equation)
    if len(weight_spec) != 2 or side == "right" or not input_spec:
        return False
    reduced, new = weight_spec
    return input_spec[-1] == reduced and output_spec == input_spec[:-1] + new


def _expand_dims(x: Tensor, axes: list[int]) -> Tensor:
    ndim = x.ndim + len(axes)
    positions = sorted(a % ndim for a in axes)
    shape = list(x.shape)
    for a in positions:
        shape.insert(a, 1)
    return x.reshape(shape)


def _adjust_for_quant(
    scale: Tensor, transpose: list[int], expand: list[int], squeeze: list[int]
) -> Tensor:
    """Keras's `_adjust_scale_for_quant`: lay a reduced-axes scale out like the output."""
    if transpose:
        scale = scale.permute(transpose)
    if expand:
        scale = _expand_dims(scale, expand)
    if squeeze:
        scale = scale.squeeze(tuple(squeeze))
    return scale
