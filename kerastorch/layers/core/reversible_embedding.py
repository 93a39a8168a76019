"""`ReversibleEmbedding`: an `Embedding` that can also project back to the vocabulary.

Example:
    >>> import torch
    >>> layer = ReversibleEmbedding(100, 8)
    >>> hidden = layer(torch.tensor([[3, 7, 0]]))
    >>> layer(hidden, reverse=True).shape  # logits over the 100 tokens
    torch.Size([1, 3, 100])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.graph.keras_tensor import KerasTensor
from kerastorch.layers.core.embedding import Embedding
from kerastorch.layers.core.kernel_int4 import dequantize_int4, int4_block_size
from kerastorch.layers.core.quantized_matmul import int8_matmul
from kerastorch.ops.numpy.linear import matmul
from kerastorch.quantizers import (
    AbsMaxQuantizer,
    QuantizationConfig,
    abs_max_quantize_grouped_with_zero_point,
    pack_int4,
    unpack_int4,
)

Tensor = torch.Tensor

_REVERSE_NAMES = {
    None: ("reverse_embeddings",),
    "int8": ("reverse_embeddings", "reverse_embeddings_scale"),
    "int4": ("reverse_embeddings", "reverse_embeddings_scale", "reverse_embeddings_zero"),
}


class ReversibleEmbedding(Embedding):
    """An `Embedding` whose `reverse=True` call maps `output_dim` vectors to `input_dim` logits.

    The reverse projection is `inputs @ embeddings.T` (weights tied, the default) or
    `inputs @ reverse_embeddings` (`tie_weights=False`, a separate trainable
    `(output_dim, input_dim)` matrix), optionally soft-capped:
    `tanh(logits / logit_soft_cap) * logit_soft_cap`. There is no bias.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        tie_weights: whether the reverse projection uses the transposed `embeddings`.
        embeddings_initializer / embeddings_regularizer / embeddings_constraint / mask_zero:
            as in `Embedding` (the initializer also initializes `reverse_embeddings`).
        reverse_dtype: dtype the reverse projection is computed in (default: the inputs').
        logit_soft_cap: the soft cap of the reverse logits, or None.
        **kwargs: other `Embedding` arguments (`name`, `dtype`, `trainable`, ...).

    Call arguments:
        inputs: integer indices, or (with `reverse=True`) vectors `(..., output_dim)`.
        reverse: project back to the vocabulary instead of embedding.

    Weights:
        `[embeddings (input_dim, output_dim)]`, plus `reverse_embeddings
        (output_dim, input_dim)` when `tie_weights=False`.

    As in Keras, `compute_mask` returns None: with `mask_zero=True` the eager output carries
    the mask `inputs != 0`, symbolic outputs carry none.

    Quantized (`quantize("int8")` / `quantize("int4")`), the reverse projection uses the
    quantized `embeddings` (tied) or a quantized `reverse_embeddings` with its own
    `reverse_embeddings_scale` (and `reverse_embeddings_zero` with an int4 block size); its
    inputs are quantized too unless the config's activation quantizer is None. As in Keras,
    LoRA and `reverse_dtype` do not apply to the quantized reverse projection.
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        reverse_dtype: Any = None,
        logit_soft_cap: float | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        if not tie_weights:  # Keras's variable_serialization_spec: the reverse matrix follows
            self._serialization_spec = {
                mode: (*names, *_REVERSE_NAMES[mode])
                for mode, names in Embedding._serialization_spec.items()
            }

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights and self._quantization_mode is None:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )

    def call(self, inputs: Tensor, reverse: bool = False) -> Tensor:
        if not reverse:
            outputs = super().call(inputs)
            if self.mask_zero:
                outputs._keras_mask = inputs != 0
            return outputs
        if self._quantization_mode is not None:
            logits = self._quantized_reverse(inputs)
        else:
            if self.tie_weights:
                embeddings = self.embeddings
                kernel = getattr(embeddings, "value", embeddings).t()
            else:
                kernel = self.reverse_embeddings.value
            if self.reverse_dtype is not None:
                dtype = to_torch_dtype(self.reverse_dtype)
                inputs, kernel = inputs.to(dtype), kernel.to(dtype)
            logits = matmul(inputs, kernel)  # Keras's result dtype (float64 operands: float32)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return None

    # -- quantization (Keras's ReversibleEmbedding int8 / int4) -------------------------------
    def _reverse_weights(self) -> tuple[Tensor, Tensor, Tensor | None]:
        """The reverse kernel `(output_dim, input_dim)` as stored integers, its scale and its
        zero point (int4 with a block size), laid out as `reverse_embeddings` is."""
        if not self.tie_weights:
            zero = getattr(self, "reverse_embeddings_zero", None)
            zero = None if zero is None else zero.tensor
            return self.reverse_embeddings.tensor, self.reverse_embeddings_scale.tensor, zero
        scale = self.embeddings_scale.tensor
        zero = getattr(self, "embeddings_zero", None)
        if zero is not None:
            return self._kernel.tensor.t(), scale.t(), zero.tensor.t()
        return self._kernel.tensor.t(), scale, None

    def _quantized_reverse(self, inputs: Tensor) -> Tensor:
        """Keras's `_int8_call` / `_int4_call` with `reverse=True` (no LoRA, no reverse_dtype)."""
        dtype = to_torch_dtype(self.compute_dtype)
        kernel, scale, zero = self._reverse_weights()
        if self._quantization_mode == "int4":
            kernel = unpack_int4(kernel, self.output_dim, axis=0)
        if self.inputs_quantizer is not None:
            inputs, inputs_scale = self.inputs_quantizer(inputs)
        else:
            inputs_scale = torch.ones((1,), dtype=dtype, device=inputs.device)
        if zero is not None:  # int4 sub-channel: dequantize first
            kernel = dequantize_int4(kernel, scale, zero, self.g_idx.tensor, 0).to(dtype)
            return torch.matmul(inputs.to(dtype), kernel) / inputs_scale
        if inputs.dtype == torch.int8:
            logits = int8_matmul(inputs, kernel)
        else:
            logits = torch.matmul(inputs, kernel.to(inputs.dtype))
        return logits.to(dtype) / (inputs_scale * scale)

    def _build_quantized(self) -> None:
        super()._build_quantized()
        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, AbsMaxQuantizer(axis=-1)
        )
        if self.tie_weights:
            return
        int4, block_size = self._quantization_mode == "int4", self._int4_block_size
        rows = (self.output_dim + 1) // 2 if int4 else self.output_dim
        shape: tuple[int, ...] = (self.input_dim,)
        if int4 and block_size is not None:
            shape = (-(-self.output_dim // block_size), self.input_dim)
        self.reverse_embeddings = self._add_named_weight(
            "reverse_embeddings", shape=(rows, self.input_dim), initializer="zeros", dtype="int8"
        )
        self.reverse_embeddings_scale = self._add_named_weight(
            "reverse_embeddings_scale", shape=shape, initializer="ones"
        )
        if int4 and block_size is not None:  # float32, as Keras creates it
            self.reverse_embeddings_zero = self._add_named_weight(
                "reverse_embeddings_zero", shape=shape, initializer="zeros"
            )

    def _quantize_integer(self, mode: str, config: Any) -> None:
        if self.tie_weights:
            super()._quantize_integer(mode, config)
            return
        with torch.no_grad():
            values = _quantize_reverse(self.reverse_embeddings.value.detach(), mode, config)
        self._untrack(self.reverse_embeddings)
        self._parameters.pop("reverse_embeddings", None)
        super()._quantize_integer(mode, config)
        names = ("reverse_embeddings", "reverse_embeddings_scale", "reverse_embeddings_zero")
        for name, value in zip(names, values, strict=True):
            if value is not None:
                getattr(self, name).assign(value)

    def compute_output_spec(self, inputs: KerasTensor, reverse: bool = False) -> KerasTensor:
        shape = list(inputs.shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return KerasTensor(tuple(shape), dtype=self.compute_dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }


def _quantize_reverse(
    reverse: Tensor, mode: str, config: Any
) -> tuple[Tensor, Tensor, Tensor | None]:
    """Keras's quantization of `reverse_embeddings` `(output_dim, input_dim)`: per column
    (int4: packed two values a byte along the rows, grouped along them with a block size)."""
    block_size = int4_block_size(config, None) if mode == "int4" else None
    if block_size is not None:
        values, scale, zero = abs_max_quantize_grouped_with_zero_point(reverse, block_size)
    else:
        value_range = (-8, 7) if mode == "int4" else (-127, 127)
        default = AbsMaxQuantizer(axis=0, value_range=value_range, output_dtype="int8")
        values, scale = QuantizationConfig.weight_quantizer_or_default(config, default)(reverse)
        scale, zero = scale.squeeze(0), None
    if mode == "int4":
        values, _, _ = pack_int4(values, axis=0)
    return values, scale, zero
