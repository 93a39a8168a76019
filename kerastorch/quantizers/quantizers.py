"""Quantizers: abs-max int8/int4 quantization, int4 packing and float8 scaling helpers.

All functions take and return torch tensors (NumPy arrays and Variables are converted) and
compute in torch on the tensors' device, giving the same values as Keras's NumPy path
(`to_numpy=True` computes the same numbers; it is accepted for compatibility).

Example:
    >>> import torch
    >>> q, scale = abs_max_quantize(torch.tensor([[1.0, -2.0], [0.5, 4.0]]), axis=-1)
    >>> q.tolist(), q.dtype
    ([[64, -127], [16, 127]], torch.int8)
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import config
from kerastorch.common.dtypes import standardize_dtype, to_torch_dtype
from kerastorch.ops.conversion import convert_to_tensor

Tensor = torch.Tensor

# The largest finite value of each float8 format (ml_dtypes.finfo(dtype).max).
FLOAT8_MAX = {"float8_e4m3fn": 448.0, "float8_e5m2": 57344.0}


def _tensor(x: Any) -> Tensor:
    value = getattr(x, "value", x)  # a Variable
    return value if isinstance(value, Tensor) else convert_to_tensor(value)


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim for a in axes) if ndim else ()


class Quantizer:
    """Base class of quantizers: `quantizer(x)` returns a quantized `x`.

    Args:
        output_dtype: the dtype of the quantized values.
    """

    _keras_module = "keras.quantizers"

    def __init__(self, output_dtype: str = "int8"):
        self.output_dtype = output_dtype

    def __call__(self, x: Any) -> Any:
        return x

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Quantizer:
        return cls(**config)

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"{self} does not implement get_config()")


def abs_max_quantize(
    inputs: Any,
    axis: int | tuple[int, ...],
    value_range: tuple[int, int] = (-127, 127),
    dtype: str = "int8",
    epsilon: float | None = None,
    to_numpy: bool = False,
) -> tuple[Tensor, Tensor]:
    """Quantize with the absolute maximum along `axis` (kept as size-1 dims in the scale).

    `scale = value_range[1] / (max(|inputs|, axis) + epsilon)`;
    `outputs = clip(round(inputs * scale), *value_range)` cast to `dtype`.

    Args:
        inputs: the tensor to quantize.
        axis: the axis or axes the maximum is taken over.
        value_range: `(min, max)` of the quantized values.
        dtype: the dtype of the quantized values.
        epsilon: added to the maximum (default `config.epsilon()`).
        to_numpy: accepted for Keras compatibility (same numbers either way).

    Returns:
        `(quantized, scale)`; `scale` has the dtype of `inputs`.

    Example:
        >>> import torch
        >>> _, scale = abs_max_quantize(torch.tensor([[2.0, -4.0]]), axis=0)
        >>> [round(v, 3) for v in scale.flatten().tolist()]
        [63.5, 31.75]
    """
    del to_numpy
    x = _tensor(inputs)
    eps = config.epsilon() if epsilon is None else epsilon
    amax = torch.amax(x.abs(), dim=_axes(axis, x.ndim), keepdim=True)
    # A true division (torch's `scalar / tensor` multiplies by a reciprocal: 1 ulp off).
    scale = torch.div(torch.tensor(float(value_range[1]), dtype=amax.dtype), amax + eps)
    scale = scale.to(x.dtype)
    outputs = torch.clamp(torch.round(x * scale), value_range[0], value_range[1])
    return outputs.to(to_torch_dtype(dtype)), scale


def abs_max_quantize_grouped_with_zero_point(
    inputs: Any,
    block_size: int,
    value_range: tuple[int, int] = (-8, 7),
    dtype: str = "int8",
    epsilon: float | None = None,
    to_numpy: bool = False,
) -> tuple[Tensor, Tensor, Tensor]:
    """Asymmetric quantization of a 2-D `(input_dim, output_dim)` tensor in groups of rows.

    The rows are split into `ceil(input_dim / block_size)` groups (the last zero-padded);
    each group and column gets `scale = (max - min + epsilon) / (qmax - qmin)` and a zero
    point `clip(round(-min / scale) + qmin)`.

    Returns:
        `(quantized (input_dim, output_dim), scale (n_groups, output_dim), zero_point
        (n_groups, output_dim) int8)`.

    Example:
        >>> import torch
        >>> q, scale, zero = abs_max_quantize_grouped_with_zero_point(
        ...     torch.tensor([[0.0], [1.0], [2.0]]), block_size=2)
        >>> q.flatten().tolist(), zero.flatten().tolist()
        ([-8, 7, 7], [-8, -8])
    """
    del to_numpy
    x = _tensor(inputs)
    eps = config.epsilon() if epsilon is None else epsilon
    input_dim, output_dim = x.shape
    n_groups = -(-input_dim // block_size)
    qmin, qmax = value_range
    padded = torch.cat([x, x.new_zeros(n_groups * block_size - input_dim, output_dim)])
    groups = padded.reshape(n_groups, block_size, output_dim)
    low = groups.amin(dim=1, keepdim=True)
    high = groups.amax(dim=1, keepdim=True)
    scale = (high - low + eps) / (qmax - qmin)
    zero = torch.clamp(torch.round(-low / scale) + qmin, qmin, qmax)
    outputs = torch.clamp(torch.round(groups / scale) + zero, qmin, qmax)
    outputs = outputs.to(to_torch_dtype(dtype)).reshape(-1, output_dim)[:input_dim]
    return outputs, scale.squeeze(1), zero.squeeze(1).to(torch.int8)


class AbsMaxQuantizer(Quantizer):
    """Abs-max quantizer: `quantizer(x, axis=None)` -> `(quantized, scale)`.

    Args:
        axis: deprecated default axis (give it to `__call__`); `-1` when neither is given.
        value_range: `(min, max)` of the quantized values.
        epsilon: added to the maximum.
        output_dtype: the dtype of the quantized values.

    Example:
        >>> import torch
        >>> q, s = AbsMaxQuantizer()(torch.tensor([[0.5, -1.0]]))
        >>> q.tolist()
        [[63, -127]]
    """

    def __init__(
        self,
        axis: int | tuple[int, ...] | None = None,
        value_range: tuple[int, int] = (-127, 127),
        epsilon: float | None = None,
        output_dtype: str = "int8",
    ):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = tuple(value_range)
        self.epsilon = config.epsilon() if epsilon is None else epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the "
                f"interval [-128, 127]. Received: value_range={value_range}"
            )

    def __call__(
        self, x: Any, axis: int | tuple[int, ...] | None = None, to_numpy: bool = False
    ) -> tuple[Tensor, Tensor]:
        axis = self.axis if axis is None else axis
        return abs_max_quantize(
            x, -1 if axis is None else axis, self.value_range, self.output_dtype, self.epsilon
        )

    def get_config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            cfg["axis"] = self.axis
        return cfg


def compute_float8_scale(amax: Any, scale: Any, dtype_max: float, margin: int = 0) -> Tensor:
    """The new float8 scale from the running `amax` (NVIDIA Transformer Engine's rule).

    Example:
        >>> import torch
        >>> compute_float8_scale(torch.tensor(2.0), torch.tensor(1.0), 448.0).item()
        0.004464285913854837
    """
    amax, scale = _tensor(amax), _tensor(scale)
    inverse = torch.reciprocal(scale)
    factor = dtype_max / amax / (2**margin)
    factor = torch.where(amax > 0.0, factor, inverse)
    factor = torch.where(torch.isfinite(amax), factor, inverse)
    return torch.reciprocal(factor)


def compute_float8_amax_history(x: Any, amax_history: Any) -> Tensor:
    """Roll `amax_history` by one and put `max(|x|)` first.

    Example:
        >>> import torch
        >>> compute_float8_amax_history(torch.tensor([-3.0, 1.0]), torch.tensor([1.0, 2.0]))
        tensor([3., 1.])
    """
    x, history = _tensor(x), _tensor(amax_history)
    rolled = torch.roll(history, shifts=-1)
    return torch.cat([x.abs().max().to(history.dtype).reshape(1), rolled[1:]])


def quantize_and_dequantize(
    inputs: Any, scale: Any, quantized_dtype: str, compute_dtype: str
) -> Tensor:
    """Round-trip `inputs / scale` through `quantized_dtype` (a float8 type) and rescale.

    Example:
        >>> import torch
        >>> quantize_and_dequantize(torch.tensor([1.1, 500.0]), torch.tensor(1.0),
        ...                         "float8_e4m3fn", "float32")
        tensor([  1.1250, 448.0000])
    """
    quantized_dtype = standardize_dtype(quantized_dtype)
    if quantized_dtype not in FLOAT8_MAX:
        raise ValueError(
            "quantize_and_dequantize: `quantized_dtype` must be one of "
            f"{sorted(FLOAT8_MAX)}. Received: quantized_dtype={quantized_dtype}"
        )
    dtype = to_torch_dtype(compute_dtype)
    limit = FLOAT8_MAX[quantized_dtype]
    scale = _tensor(scale).to(dtype)
    x = torch.clamp(_tensor(inputs) / scale, -limit, limit).to(to_torch_dtype(quantized_dtype))
    return x.to(dtype) * scale


def pack_int4(arr: Any, axis: int = 0, dtype: str = "int8") -> tuple[Tensor, tuple, int]:
    """Pack int4 values (int8 in `[-8, 7]`) two per byte along `axis`.

    The first of each pair goes in the low nibble, the second in the high nibble; an odd
    length is padded with a zero.

    Returns:
        `(packed, packed_shape, original_length)`.

    Example:
        >>> import torch
        >>> packed, shape, n = pack_int4(torch.tensor([[-3, 7], [2, -8], [1, 0]],
        ...                                           dtype=torch.int8))
        >>> packed.tolist(), n
        ([[45, -121], [1, 0]], 3)
    """
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")
    x = _tensor(arr)
    if standardize_dtype(x.dtype) != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {standardize_dtype(x.dtype)}.")
    x = torch.movedim(x, axis, 0)
    n = x.shape[0]
    if n % 2:
        x = torch.cat([x, torch.zeros_like(x[:1])])
    low, high = x[::2] & 0x0F, x[1::2] & 0x0F
    packed = torch.movedim((low | (high << 4)).to(x.dtype), 0, axis)
    return packed, tuple(packed.shape), n


def unpack_int4(packed: Any, orig_len: int, axis: int = 0, dtype: str = "int8") -> Tensor:
    """Undo `pack_int4`: int8 (or uint8) values along `axis`, `orig_len` long.

    Example:
        >>> import torch
        >>> unpack_int4(torch.tensor([[45, -121], [1, 0]], dtype=torch.int8), 3).tolist()
        [[-3, 7], [2, -8], [1, 0]]
    """
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")
    x = _tensor(packed)
    if standardize_dtype(x.dtype) not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {x.dtype}")
    x = torch.movedim(x, axis, 0)
    low, high = x & 0x0F, (x >> 4) & 0x0F
    if dtype == "int8":
        low, high = (low ^ 8) - 8, (high ^ 8) - 8
    target = to_torch_dtype(dtype)
    stacked = torch.stack([low.to(target), high.to(target)], dim=1)
    unpacked = stacked.reshape(-1, *x.shape[1:])[:orig_len]
    return torch.movedim(unpacked, 0, axis)


__all__ = [
    "AbsMaxQuantizer",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "pack_int4",
    "quantize_and_dequantize",
    "unpack_int4",
]
