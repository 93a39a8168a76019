"""Float8 training (Keras 3.15's `quantize("float8")`) for `Dense` and `EinsumDense`.

The kernel stays a float variable; the layer gains six float32 variables, all trainable
with Keras's `overwrite_with_gradient` flag: `inputs_scale`, `inputs_amax_history`,
`kernel_scale`, `kernel_amax_history`, `outputs_grad_scale`, `outputs_grad_amax_history`
(scales `()`, initialized to 1; histories `(amax_history_length,)`, zeros).

Each call quantize-dequantizes the inputs and the kernel to `float8_e4m3fn` (divided by
their scale, clipped, rounded, multiplied back) and runs the float product; the backward
pass quantize-dequantizes the gradient of the product to `float8_e5m2`. This is the
fake-quant path Keras itself runs (no float8 matmul kernel). Delayed scaling: the scale
used in a step is the one computed from the amax history *before* it, and each step
pushes `max(|x|)` into the history.

In Keras the new scale and history are the "gradients" of those variables, and the
optimizer assigns them (`overwrite_with_gradient`). Here the backward pass assigns them
in place and hands the optimizer no gradient for them (it skips variables without one):
the same values after each training step, without any optimizer support. The inputs and
kernel variables update when the call ran with `training=True` (as in Keras); the output
gradient variables update in every backward pass, as Keras's gradient does.

Example:
    >>> import torch
    >>> from kerastorch.layers.core.dense import Dense
    >>> layer = Dense(4)
    >>> layer.build((None, 8))
    >>> layer.quantize("float8")
    >>> [w.name for w in layer.weights][:4]
    ['kernel', 'bias', 'inputs_scale', 'inputs_amax_history']
    >>> x = torch.ones(2, 8)
    >>> layer(x, training=True).sum().backward()
    >>> layer.inputs_amax_history.value[0].item(), layer.outputs_grad_amax_history.value[0].item()
    (1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.dtype_policies import QuantizedFloat8DTypePolicy, get
from kerastorch.layers.layer import CALL_CONTEXT
from kerastorch.quantizers.quantizers import (
    FLOAT8_MAX,
    compute_float8_amax_history,
    compute_float8_scale,
    quantize_and_dequantize,
)

Tensor = torch.Tensor

# Keras's `variable_serialization_spec["float8"]`, after "kernel" and "bias".
FLOAT8_VARIABLES = (
    "inputs_scale",
    "inputs_amax_history",
    "kernel_scale",
    "kernel_amax_history",
    "outputs_grad_scale",
    "outputs_grad_amax_history",
)
_FORWARD, _BACKWARD = "float8_e4m3fn", "float8_e5m2"


def amax_history_length(dtype: Any) -> int:
    """The amax history length a layer's `dtype` argument asks for (default 1024).

    Example:
        >>> amax_history_length(QuantizedFloat8DTypePolicy("float8", "float32", 16))
        16
        >>> amax_history_length("float32")
        1024
    """
    default = QuantizedFloat8DTypePolicy.default_amax_history_length
    if isinstance(dtype, dict) and dtype.get("class_name") == "QuantizedFloat8DTypePolicy":
        return int(dtype.get("config", {}).get("amax_history_length", default))
    return int(getattr(dtype, "amax_history_length", default))


def _assign(variables: tuple[Tensor, Tensor], values: tuple[Tensor, Tensor]) -> None:
    with torch.no_grad():
        for variable, value in zip(variables, values, strict=True):
            variable.copy_(value)


class _QuantizeDequantize(torch.autograd.Function):
    """`float8_e4m3fn` fake quantization of a product's operand, with delayed scaling.

    Forward: the operand quantize-dequantized with the current scale. Backward: the
    gradient passes straight through; with `training`, the scale and amax history
    (computed in the forward pass from their values then) are written in place.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, scale: Tensor, history: Tensor, dtype: Any, training: bool):
        ctx.update = None
        if training:
            new_scale = compute_float8_scale(history.max(), scale, FLOAT8_MAX[_FORWARD])
            ctx.update = (new_scale, compute_float8_amax_history(x, history))
            ctx.variables = (scale, history)
        return quantize_and_dequantize(x, scale, _FORWARD, dtype)

    @staticmethod
    def backward(ctx: Any, upstream: Tensor) -> tuple:
        if ctx.update is not None and ctx.needs_input_grad[1]:
            _assign(ctx.variables, ctx.update)
        return upstream, None, None, None, None


class _QuantizeDequantizeGradient(torch.autograd.Function):
    """Identity forward; backward: the gradient fake-quantized to `float8_e5m2`, and the
    output-gradient scale and amax history updated in place (delayed scaling)."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, scale: Tensor, history: Tensor, dtype: Any) -> Tensor:
        ctx.variables = (scale, history)
        ctx.dtype = dtype
        return x.view_as(x)

    @staticmethod
    def backward(ctx: Any, upstream: Tensor) -> tuple:
        scale, history = ctx.variables
        new_scale = compute_float8_scale(history.max(), scale, FLOAT8_MAX[_BACKWARD])
        quantized = quantize_and_dequantize(upstream, scale, _BACKWARD, ctx.dtype)
        if ctx.needs_input_grad[1]:
            _assign(ctx.variables, (new_scale, compute_float8_amax_history(upstream, history)))
        return quantized, None, None, None


class Float8Training:
    """Keras's float8 mode for a `KernelAdaptation` layer (see the module docstring).

    The layer sets `self._amax_history_length` in `__init__` (from its `dtype` argument,
    with `amax_history_length`), keeps its float kernel in float8 mode, and calls
    `_float8_call(inputs, kernel, bias, product)` when `quantization_mode == "float8"`.
    `KernelAdaptation` calls `_build_float8` and `_quantize_float8`.
    """

    _amax_history_length: int = QuantizedFloat8DTypePolicy.default_amax_history_length

    def _build_float8(self) -> None:
        """Create the six scale / amax history variables (Keras's `_float8_build`)."""
        length = self._amax_history_length
        for name in FLOAT8_VARIABLES:  # paths under where the layer was built, as Keras
            is_scale = name.endswith("_scale")
            variable = self.add_weight(
                name=name,
                shape=() if is_scale else (length,),
                initializer="ones" if is_scale else "zeros",
                dtype="float32",
                trainable=True,
                autocast=False,
                overwrite_with_gradient=True,
            )
            setattr(self, name, variable)

    def _quantize_float8(self, config: Any) -> None:
        """`quantize("float8")`: keep the kernel, add the float8 variables."""
        self.quantization_config = config
        self._quantization_mode = "float8"
        self._policy_mode = "float8"
        self._build_float8()

    def _quantized_policy(self) -> Any:
        if self._quantization_mode == "float8":
            return QuantizedFloat8DTypePolicy("float8", self._dtype, self._amax_history_length)
        return super()._quantized_policy()

    def _float8_call(
        self, inputs: Tensor, kernel: Tensor, bias: Tensor | None, product: Callable
    ) -> Tensor:
        """`activation(product(qdq(inputs), qdq(kernel)) + bias)` (Keras's `_float8_call`)."""
        if self.lora_enabled:
            raise NotImplementedError("Currently, `_float8_call` doesn't support LoRA")
        dtype = to_torch_dtype(self.compute_dtype)
        training = bool(CALL_CONTEXT.training)
        x = _QuantizeDequantize.apply(
            inputs.to(dtype), self.inputs_scale.tensor, self.inputs_amax_history.tensor,
            dtype, training,
        )  # fmt: skip
        kernel = _QuantizeDequantize.apply(
            kernel.to(dtype), self.kernel_scale.tensor, self.kernel_amax_history.tensor,
            dtype, training,
        )  # fmt: skip
        x = _QuantizeDequantizeGradient.apply(
            product(x, kernel), self.outputs_grad_scale.tensor,
            self.outputs_grad_amax_history.tensor, dtype,
        )  # fmt: skip
        if bias is not None:
            if dtype == torch.float32:  # Keras rounds a float32 bias through bfloat16
                bias = bias.to(torch.bfloat16).to(torch.float32)
            x = x + bias.to(dtype)
        return self.activation(x)

    # -- saving: Keras's order ---------------------------------------------------------------
    def _float8_variables(self) -> list[Any]:
        bias = [] if self.bias is None else [self.bias]
        return [self._kernel, *bias, *(getattr(self, name) for name in FLOAT8_VARIABLES)]

    def save_own_variables(self, store: Any) -> None:
        """Write `kernel, bias, <the six float8 variables>` (float8), else as the base."""
        if self._quantization_mode != "float8" or not self.built:
            return super().save_own_variables(store)
        if self.lora_enabled:  # Keras cannot merge LoRA into a float8 kernel either
            raise ValueError("Unsupported quantization mode: float8")
        for index, variable in enumerate(self._float8_variables()):
            store[str(index)] = variable.value.detach().cpu().numpy()

    def load_own_variables(self, store: Any) -> None:
        """Read variables saved by `save_own_variables` (here or by Keras)."""
        if self._quantization_mode != "float8" or not self.built:
            return super().load_own_variables(store)
        variables = self._float8_variables()
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expected {len(variables)} "
                f"variables, but received {len(store.keys())} variables during loading. "
                f"Expected: {[v.name for v in variables]}"
            )
        values = [np.asarray(store[str(index)]) for index in range(len(variables))]
        for variable, value in zip(variables, values, strict=True):
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) weight '{variable.name}': "
                    f"expected shape {tuple(variable.shape)}, found shape "
                    f"{tuple(value.shape)} in the file."
                )
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)
        if self.lora_enabled:
            for variable in self._lora_variables():
                variable.assign(torch.zeros(variable.shape))

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        dtype = config.get("dtype")
        if isinstance(dtype, dict) and dtype.get("class_name") == "QuantizedFloat8DTypePolicy":
            config = {**config, "dtype": get(dtype)}  # the policy keeps amax_history_length
        return super().from_config(config)
