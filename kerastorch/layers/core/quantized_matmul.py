"""Products with quantized weights: the int8 matmul and the straight-through gradient.

Example:
    >>> import torch
    >>> x = torch.tensor([[1, -2]], dtype=torch.int8)
    >>> int8_matmul(x, torch.tensor([[3], [4]], dtype=torch.int8))
    tensor([[-5.]])
"""

from __future__ import annotations

from typing import Any

import torch

Tensor = torch.Tensor


def int8_matmul(x: Tensor, kernel: Tensor) -> Tensor:
    """`x @ kernel` of two int8 tensors (`x` of any rank, `kernel` 2-D) as float32."""
    lead, k = x.shape[:-1], x.shape[-1]
    x2 = x.reshape(-1, k)
    m, n = x2.shape[0], kernel.shape[1]
    if x.is_cuda and m > 16 and k >= 16 and k % 8 == 0 and n % 8 == 0:
        try:
            return torch._int_mm(x2, kernel).to(torch.float32).reshape(*lead, n)
        except RuntimeError:  # a cuBLAS without this layout: the float path below
            pass
    return torch.matmul(x2.to(torch.float32), kernel.to(torch.float32)).reshape(*lead, n)


def straight_through(quantized_out: Tensor, float_out: Any) -> Tensor:
    """`quantized_out` forward; gradients of `float_out()` (the dequantized product) backward."""
    if not torch.is_grad_enabled():
        return quantized_out
    reference = float_out()
    if not reference.requires_grad:
        return quantized_out
    return quantized_out.detach() + (reference - reference.detach())
