"""`Embedding`: turn integer indices into dense vectors, with `F.embedding`.

LoRA (`enable_lora`) and int8 / int4 quantization (`quantize("int8")`, `quantize("int4")`)
come from `KernelAdaptation` (see `kernel_adaptation.py` and `kernel_int4.py`).

Example:
    >>> import kerastorch as keras
    >>> keras.layers.Embedding(1000, 64)(keras.Input((10,), dtype="int32")).shape
    (None, 10, 64)
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from kerastorch import constraints, initializers, regularizers
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.layers.core.kernel_adaptation import KernelAdaptation, split_quantized_dtype
from kerastorch.layers.layer import Layer
from kerastorch.quantizers import AbsMaxQuantizer, QuantizationConfig, unpack_int4

Tensor = torch.Tensor


class Embedding(KernelAdaptation, Layer):
    """Map each index in `[0, input_dim)` to a trainable vector of size `output_dim`.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        embeddings_initializer: initializer of the matrix (`"uniform"`: RandomUniform in
            `[-0.05, 0.05]`, as Keras).
        embeddings_regularizer / activity_regularizer / embeddings_constraint: as in Keras.
        mask_zero: index 0 is padding: the output carries the mask `inputs != 0`
            (`input_dim` must then be the vocabulary size + 1).
        weights: optional initial matrix (or a one-element list holding it).
        lora_rank / lora_alpha: enable LoRA at build time (see `enable_lora`).
        quantization_config: the `QuantizationConfig` of a quantized layer.
        input_length: tf.keras's argument: the (fixed) sequence length, taken as the input
            shape when the layer starts a `Sequential`.

    Input shape:
        integer tensor `(batch, ...)`; floating inputs are cast to int32, as in Keras.
    Output shape:
        `(batch, ..., output_dim)`.
    Weights:
        `[embeddings (input_dim, output_dim)]`, the same layout as `nn.Embedding.weight`;
        quantized (int8): `[embeddings (int8), embeddings_scale (input_dim,)]`; int4:
        `[embeddings (int8, two values a byte: (input_dim, ceil(output_dim / 2))),
        embeddings_scale]`, plus `embeddings_zero` and `g_idx` with a block size.

    Example:
        >>> import torch
        >>> layer = Embedding(10, 3, mask_zero=True)
        >>> y = layer(torch.tensor([[1, 2, 0]]))
        >>> y.shape, y._keras_mask.tolist()
        (torch.Size([1, 3, 3]), [[True, True, False]])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"`{arg}` must be a positive integer. Received: {arg}={value} "
                    f"(of type {type(value).__name__})."
                )
        input_length = kwargs.pop("input_length", None)
        if input_length is not None and not any(
            kwargs.get(k) is not None for k in ("input_shape", "batch_input_shape")
        ):
            kwargs["input_shape"] = (input_length,)  # tf.keras: the first layer's input shape
        kwargs["dtype"], mode = split_quantized_dtype(kwargs.get("dtype"))
        super().__init__(**kwargs)
        self._init_adaptation(mode, lora_rank, lora_alpha, quantization_config)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        if self._quantization_mode:
            self._build_quantized()
        else:
            self._kernel = self.add_weight(
                shape=(self.input_dim, self.output_dim),
                initializer=self.embeddings_initializer,
                name="embeddings",
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint,
            )
        self.built = True
        self._build_adaptation()

    @property
    def embeddings(self) -> Any:
        """The matrix `Variable` (int8 when quantized); with LoRA, the merged matrix tensor."""
        return self._effective_weight()

    def call(self, inputs: Tensor) -> Tensor:
        if inputs.dtype not in (torch.int32, torch.int64):
            inputs = inputs.to(torch.int32)
        dtype = to_torch_dtype(self.compute_dtype)
        try:
            outputs = F.embedding(inputs, self._kernel.tensor)
            if self._quantization_mode == "int8":
                scale = F.embedding(inputs, self.embeddings_scale.tensor[:, None])
                outputs = outputs.to(dtype) / scale
            elif self._quantization_mode == "int4":
                outputs = self._int4_rows(inputs, outputs, dtype)
        except IndexError as error:  # raised by the CPU kernel: name the layer and the index
            raise self._index_error(inputs) from error
        if self.lora_enabled:
            a, b = self.lora_embeddings_a.tensor, self.lora_embeddings_b.tensor
            lora = torch.matmul(F.embedding(inputs, a), b)
            outputs = outputs + (self.lora_alpha / self.lora_rank) * lora
        return outputs.to(dtype)

    def _int4_rows(self, inputs: Tensor, packed: Tensor, dtype: torch.dtype) -> Tensor:
        """Dequantize the looked-up packed int4 rows, as Keras's `_int4_call`."""
        values = unpack_int4(packed, self.output_dim, axis=-1).to(dtype)
        scale = self.embeddings_scale.tensor
        if self._int4_block_size is None:
            return values / F.embedding(inputs, scale[:, None])
        groups = self.g_idx.tensor.to(torch.int64)
        zero = F.embedding(inputs, self.embeddings_zero.tensor)[..., groups]
        scale = F.embedding(inputs, scale)[..., groups]
        return (values - zero.to(scale.dtype)) * scale

    # -- KernelAdaptation hooks ----------------------------------------------------------------
    _weight_name = "embeddings"
    _serialization_spec = {
        None: ("embeddings",),
        "int8": ("embeddings", "embeddings_scale"),
        "int4": ("embeddings", "embeddings_scale", "embeddings_zero", "g_idx"),
    }
    _int4_group_axis = 1

    def _int4_inputs_quantizer(self) -> Any:
        return None  # an Embedding's lookup has no inputs to quantize

    def _weight_shape(self) -> tuple[int, int]:
        return (self.input_dim, self.output_dim)

    def _scale_shape(self) -> tuple[int]:
        return (self.input_dim,)

    def _lora_shapes(self, rank: int) -> tuple[tuple[int, int], tuple[int, int]]:
        return (self.input_dim, rank), (rank, self.output_dim)

    def _weight_constraint(self) -> Any:
        return self.embeddings_constraint

    def _weight_regularizer(self) -> Any:
        return self.embeddings_regularizer

    def _quantize_weight(self, value: Tensor, config: Any) -> tuple:
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=-1))
        quantized, scale = quantizer(value)
        return quantized, scale.squeeze(-1)

    def _dequantize_weight(self, quantized: Tensor, scale: Tensor) -> Tensor:
        return quantized.to(to_torch_dtype(self.compute_dtype)) / scale[:, None]

    def _index_error(self, inputs: Tensor) -> ValueError:
        bad = inputs[(inputs < 0) | (inputs >= self.input_dim)]
        value = bad.flatten()[0].item() if bad.numel() else "?"
        return ValueError(
            f"Layer '{self.name}' (Embedding) has input_dim={self.input_dim}: its input "
            f"indices must be in [0, {self.input_dim}), but it received the index {value}. "
            "Make `input_dim` the vocabulary size (+1 when index 0 is padding)."
        )

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict[str, Any]:
        return self._adaptation_config(
            {
                **super().get_config(),
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
            }
        )
