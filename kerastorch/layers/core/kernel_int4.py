"""int4 weights for `KernelAdaptation` layers: Keras 3.15's `_int4_build` and int4 `quantize`.

The weight is seen as a 2-D matrix `(rows, columns)` (Dense: the kernel; EinsumDense: the
kernel reshaped to (reduced axes, other axes); Embedding: the embeddings), quantized to
`[-8, 7]` along `group_axis` (the reduced one: 0 for Dense / EinsumDense, 1 for Embedding)
and stored packed two values per int8 byte along the columns: `(rows, ceil(columns / 2))`,
half the bytes of int8.

- Per channel (`block_size` None or -1): symmetric abs-max, one float scale per channel.
- Sub-channel (`block_size` > 0): `ceil(reduced / block_size)` groups per channel, each with
  its own scale and int8 zero point (asymmetric), plus `g_idx` (the group of each reduced
  position, float32), as Keras stores them.

Example:
    >>> import torch
    >>> packed, scale, zero = quantize_int4(torch.tensor([[1.0, -2.0], [0.5, 4.0]]), None, 0,
    ...                                     default_int4_quantizer(0))
    >>> packed.tolist(), unpack_int4(packed, 2, axis=-1).tolist(), zero is None
    ([[-57], [115]], [[7, -4], [3, 7]], True)
"""

from __future__ import annotations

from typing import Any, ClassVar

import torch

from kerastorch.layers.core.quantized_matmul import int8_matmul, straight_through
from kerastorch.quantizers import (
    AbsMaxQuantizer,
    Int4QuantizationConfig,
    QuantizationConfig,
    abs_max_quantize_grouped_with_zero_point,
    pack_int4,
    unpack_int4,
)

Tensor = torch.Tensor


def int4_block_size(config: Any, mode: str | None) -> int | None:
    """Keras's `get_block_size_for_layer`: the config's, else the policy's (`"int4/128"`).

    `None` means per channel (Keras's -1).
    """
    if isinstance(config, Int4QuantizationConfig):
        block_size = config.block_size
    elif mode is not None and mode.startswith("int4/"):
        block_size = int(mode.split("/")[1])
    else:
        block_size = None
    return None if block_size == -1 else block_size


def default_int4_quantizer(group_axis: int) -> AbsMaxQuantizer:
    """The per-channel weight quantizer Keras uses by default: abs-max over `group_axis`."""
    return AbsMaxQuantizer(axis=group_axis, value_range=(-8, 7), output_dtype="int8")


def quantize_int4(
    matrix: Tensor, block_size: int | None, group_axis: int, quantizer: Any
) -> tuple[Tensor, Tensor, Tensor | None]:
    """A float `(rows, columns)` matrix -> `(packed int8, scale, zero point or None)`.

    Per channel, `quantizer(matrix)` gives the values and the scale (its reduced axis is
    squeezed); with a block size, groups of `block_size` along `group_axis` are quantized
    with a zero point (Keras's `abs_max_quantize_grouped_with_zero_point`).
    """
    if block_size is None:
        values, scale = quantizer(matrix)
        zero = None
        scale = scale.squeeze(group_axis)
    elif group_axis == 0:
        values, scale, zero = abs_max_quantize_grouped_with_zero_point(matrix, block_size)
    else:
        values, scale, zero = abs_max_quantize_grouped_with_zero_point(matrix.t(), block_size)
        values, scale, zero = values.t(), scale.t(), zero.t()
    packed, _, _ = pack_int4(values.contiguous(), axis=-1)
    return packed, scale, zero


def dequantize_int4(
    values: Tensor, scale: Tensor, zero: Tensor | None, g_idx: Tensor | None, group_axis: int
) -> Tensor:
    """Unpacked int4 `values` -> float: `values / scale` per channel, else Keras's
    `dequantize_with_sz_map`: `(values - zero[g_idx]) * scale[g_idx]` along `group_axis`."""
    if zero is None:
        return values.to(scale.dtype) / (scale if group_axis == 0 else scale[:, None])
    groups = g_idx.to(torch.int64)
    scale = scale.index_select(group_axis, groups)
    zero = zero.index_select(group_axis, groups).to(scale.dtype)
    return (values.to(scale.dtype) - zero) * scale


def build_int4(layer: Any) -> None:
    """Create the int4 variables of `layer` (Keras's `_int4_build`), in Keras's order."""
    rows, columns = layer._int4_matrix_shape()
    axis = layer._int4_group_axis
    block_size = layer._int4_block_size
    layer.inputs_quantizer = layer._int4_inputs_quantizer()
    name = layer._weight_name
    layer._kernel = layer._add_named_weight(
        name, shape=(rows, (columns + 1) // 2), initializer="zeros", dtype="int8"
    )
    channels, reduced = (columns, rows) if axis == 0 else (rows, columns)
    shape: tuple[int, ...] = (channels,)
    if block_size is not None:
        groups = -(-reduced // block_size)
        shape = (groups, channels) if axis == 0 else (channels, groups)
    scale = layer._add_named_weight(f"{name}_scale", shape=shape, initializer="ones")
    setattr(layer, f"{name}_scale", scale)
    if block_size is not None:
        zero = layer._add_named_weight(
            f"{name}_zero", shape=shape, initializer="zeros", dtype="int8"
        )
        g_idx = layer._add_named_weight(
            "g_idx", shape=(reduced,), initializer="zeros", dtype="float32"
        )
        g_idx.assign(torch.div(torch.arange(reduced), block_size, rounding_mode="floor"))
        setattr(layer, f"{name}_zero", zero)
        layer.g_idx = g_idx


def unpacked_int4(layer: Any) -> Tensor:
    """The layer's int4 values unpacked to its `(rows, columns)` matrix (int8)."""
    _, columns = layer._int4_matrix_shape()
    return unpack_int4(layer._kernel.tensor, columns, axis=-1)


def dequantized_int4(layer: Any) -> Tensor:
    """The layer's float weight from its int4 variables, as a `(rows, columns)` matrix."""
    name = layer._weight_name
    zero = getattr(layer, f"{name}_zero", None)
    g_idx = getattr(layer, "g_idx", None)
    return dequantize_int4(
        unpacked_int4(layer),
        getattr(layer, f"{name}_scale").tensor,
        None if zero is None else zero.tensor,
        None if g_idx is None else g_idx.tensor,
        layer._int4_group_axis,
    )


class Int4Weight:
    """The int4 hooks of `KernelAdaptation`: Dense's behaviour, which other layers override.

    `EinsumDense` overrides `_int4_matrix_shape` (the kernel as (reduced, other) axes),
    `_int4_weight_quantizer` and `_int4_product`; `Embedding` sets `_int4_group_axis = 1`
    and has no inputs quantizer.
    """

    _int4_group_axis: ClassVar[int] = 0

    def _int4_matrix_shape(self) -> tuple[int, int]:
        """The 2-D `(rows, columns)` shape the int4 weight is quantized and packed as."""
        rows, columns = self._weight_shape()
        return rows, columns

    def _int4_inputs_quantizer(self) -> Any:
        return QuantizationConfig.activation_quantizer_or_default(self.quantization_config, None)

    def _int4_weight_quantizer(self, config: Any) -> Any:
        default = default_int4_quantizer(self._int4_group_axis)
        return QuantizationConfig.weight_quantizer_or_default(config, default)

    def _quantize_int4(self, weight: Tensor, config: Any) -> tuple[Tensor, Tensor, Any]:
        matrix = weight.reshape(self._int4_matrix_shape())
        quantizer = self._int4_weight_quantizer(config)
        return quantize_int4(matrix, self._int4_block_size, self._int4_group_axis, quantizer)

    def _int4_product(self, inputs: Tensor) -> Tensor:
        """Dense's int4 product (Keras's `_int4_call`); gradients reach the inputs only."""
        if self._int4_block_size is not None:
            return torch.matmul(inputs, self._float_weight().to(inputs.dtype))
        values, scale = unpacked_int4(self), self._scale().tensor

        def dequantized() -> Tensor:
            return torch.matmul(inputs, values.to(inputs.dtype) / scale)

        if self.inputs_quantizer is None:
            x = torch.matmul(inputs, values.to(inputs.dtype)) / scale
        else:
            quantized, inputs_scale = self.inputs_quantizer(inputs, axis=-1)
            x = int8_matmul(quantized, values).to(inputs.dtype) / (scale * inputs_scale)
        return straight_through(x, dequantized)
