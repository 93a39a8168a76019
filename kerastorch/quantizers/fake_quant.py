"""`fake_quant_with_min_max_vars`: TensorFlow's fake quantization, trainable range included.

Example:
    >>> import torch
    >>> fake_quant_with_min_max_vars(torch.tensor([0.3, 7.0]), 0.0, 1.0).tolist()
    [0.3019607961177826, 1.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor

Tensor = torch.Tensor


def _nudge(lo: Tensor, hi: Tensor, num_bits: int, narrow_range: bool) -> tuple[Tensor, ...]:
    """Keras's `adjust_and_nudge`: the range moved so that 0.0 is exactly representable."""
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    scale = (hi - lo) / (quant_max - quant_min)
    inv_scale = (quant_max - quant_min) / (hi - lo)
    zero_point = torch.round(torch.clamp(quant_min - lo / scale, quant_min, quant_max))
    return (quant_min - zero_point) * scale, (quant_max - zero_point) * scale, scale, inv_scale


class _FakeQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor, lo: Tensor, hi: Tensor, num_bits: int, narrow: bool,
                axis: int | None) -> Tensor:  # fmt: skip
        compute = torch.promote_types(lo.dtype, torch.float32)
        nudged_min, nudged_max, scale, inv_scale = _nudge(
            lo.to(compute), hi.to(compute), num_bits, narrow
        )
        quant_zero = torch.floor(-nudged_min * inv_scale + 0.5)
        clamped = torch.clamp(x.to(compute), nudged_min, nudged_max)
        shifted = clamped - nudged_min
        result = torch.floor(shifted * inv_scale - quant_zero + 0.5) * scale
        ctx.save_for_backward(x, nudged_min, nudged_max)
        ctx.shapes, ctx.axis = (lo.shape, hi.shape), axis
        return result.to(x.dtype)

    @staticmethod
    def backward(ctx: Any, upstream: Tensor) -> tuple:
        x, nudged_min, nudged_max = ctx.saved_tensors
        zero = torch.zeros_like(upstream)
        dx = torch.where((x >= nudged_min) & (x <= nudged_max), upstream, zero)
        axes = [i for i in range(upstream.ndim) if i != ctx.axis]
        grads = []
        for mask, shape in ((x <= nudged_min, ctx.shapes[0]), (x >= nudged_max, ctx.shapes[1])):
            g = torch.where(mask, upstream, zero)
            g = g.sum(dim=axes) if ctx.axis is not None else g.sum()
            grads.append(g.reshape(shape))
        return dx, grads[0], grads[1], None, None, None


def fake_quant_with_min_max_vars(
    inputs: Any,
    min_vals: Any,
    max_vals: Any,
    num_bits: int = 8,
    narrow_range: bool = False,
    axis: int | None = None,
) -> Tensor:
    """Quantize `inputs` to `num_bits` within `[min_vals, max_vals]` and dequantize.

    Values are clamped to the nudged range (0.0 exactly representable), rounded to its
    grid and returned as floats. Gradients reach `inputs` inside the range and `min_vals` /
    `max_vals` from the values clamped to them, as Keras defines them.

    Args:
        inputs: float tensor.
        min_vals / max_vals: scalars, or per-channel tensors along `axis`.
        num_bits: the quantization bit width.
        narrow_range: use `[1, 2**num_bits - 1]` instead of `[0, 2**num_bits - 1]`.
        axis: the channel axis of per-channel ranges (`None`: per tensor).
    """
    x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
    lo = min_vals if isinstance(min_vals, Tensor) else convert_to_tensor(min_vals)
    hi = max_vals if isinstance(max_vals, Tensor) else convert_to_tensor(max_vals)
    if axis is not None:
        axis = axis % x.ndim
    return _FakeQuant.apply(x, lo, hi, int(num_bits), bool(narrow_range), axis)


__all__ = ["fake_quant_with_min_max_vars"]
