"""`dot_product_attention`: Keras's scaled dot-product attention on torch's fused kernel.

Inputs are in Keras's layout `(batch, seq, heads, head_dim)`; they are moved to torch's
`(batch, heads, seq, head_dim)` for `torch.nn.functional.scaled_dot_product_attention`.
Fewer key/value heads than query heads is grouped-query attention: SDPA's own (`enable_gqa`,
no copies of the key/value heads) without a mask, repeated heads with one. A boolean `mask`
becomes an additive one with Keras's large negative value (so a fully masked row averages
all values, as in Keras); `is_causal` with a `mask` applies both.

Flash attention: `flash_attention=None` follows `config.is_flash_attention_enabled()`;
when that is `None` too, torch picks its kernel. `True` requires torch's flash kernel
(a `RuntimeError` where the inputs or device cannot use it); `False` excludes it.

Example:
    >>> import torch
    >>> q = torch.zeros(1, 3, 2, 4)  # (batch, seq, heads, dim)
    >>> dot_product_attention(q, q, torch.ones(1, 3, 2, 4)).shape
    torch.Size([1, 3, 2, 4])
"""

from __future__ import annotations

import contextlib
from typing import Any

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from kerastorch import config
from kerastorch.common.dtypes import to_torch_dtype
from kerastorch.common.promotion import result_type
from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op

Tensor = torch.Tensor

__all__ = ["dot_product_attention"]

_NOT_FLASH = [SDPBackend.MATH, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.CUDNN_ATTENTION]


def _large_negative(dtype: torch.dtype) -> float:
    """Keras's additive mask value: 70% of the dtype's largest finite magnitude."""
    return -0.7 * (65500.0 if dtype == torch.float16 else 3.38953e38)


def _kernel(
    flash: bool | None, q: Tensor, k: Tensor, v: Tensor, mask: Any, causal: bool, gqa: bool
):
    """The `sdpa_kernel` context for the requested flash-attention setting."""
    if flash is None:
        return contextlib.nullcontext()
    if not flash:
        return sdpa_kernel(_NOT_FLASH)
    params = torch.backends.cuda.SDPAParams(q, k, v, mask, 0.0, causal, gqa)
    if not torch.backends.cuda.can_use_flash_attention(params, False):
        raise RuntimeError(
            "dot_product_attention: flash attention is not supported with the provided inputs "
            f"(device {q.device.type}, dtype {q.dtype}; it needs CUDA and float16/bfloat16). "
            "Pass flash_attention=None or False."
        )
    return sdpa_kernel([SDPBackend.FLASH_ATTENTION])


@keras_op("nn", tensors=("query", "key", "value", "bias", "mask", "scale"))
def dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    bias: Any = None,
    mask: Any = None,
    scale: float | None = None,
    is_causal: bool = False,
    flash_attention: bool | None = None,
    attn_logits_soft_cap: float | None = None,
) -> Tensor:
    """`softmax(query @ key^T * scale + bias) @ value`, per head.

    Args:
        query: `(batch, T, heads, head_dim)`.
        key: `(batch, S, kv_heads, head_dim)`; `heads` must be a multiple of `kv_heads`.
        value: the shape of `key`.
        bias: Optional additive bias, broadcastable to `(batch, heads, T, S)`.
        mask: Optional boolean mask (True = attend), broadcastable to `(batch, heads, T, S)`;
            not together with `bias`.
        scale: The logits' scale; default `1 / sqrt(head_dim)`.
        is_causal: Apply a causal mask.
        flash_attention: `None` (see the module doc), `True` or `False`.
        attn_logits_soft_cap: JAX-on-TPU only in Keras: any value raises `ValueError`.

    Returns:
        `(batch, T, heads, head_dim)`, of the promoted dtype of query, key and value.
    """
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "dot_product_attention: `attn_logits_soft_cap` is only supported for JAX on TPU. "
            f"Set attn_logits_soft_cap=None. Received: attn_logits_soft_cap={attn_logits_soft_cap}"
        )
    q, k, v = convert_to_tensor(query), convert_to_tensor(key), convert_to_tensor(value)
    if q.dim() != 4 or k.dim() != 4 or v.dim() != 4:
        raise ValueError(
            "dot_product_attention: only 4D inputs (batch, seq, heads, dim) are supported. "
            f"Received: query.shape={tuple(q.shape)}, key.shape={tuple(k.shape)}, "
            f"value.shape={tuple(v.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError(
            "dot_product_attention: pass only one of `bias` and `mask`. Received both."
        )
    dtype = to_torch_dtype(result_type(q.dtype, k.dtype, v.dtype))
    q, k, v = q.to(dtype), k.to(dtype), v.to(dtype)
    attn_mask = None
    if mask is not None:
        mask = convert_to_tensor(mask).to(torch.bool)
        if is_causal:
            causal = torch.ones(q.shape[1], k.shape[1], dtype=torch.bool, device=mask.device)
            mask = mask & causal.tril()
            is_causal = False
        attn_mask = torch.where(mask, 0.0, _large_negative(dtype)).to(dtype)
    elif bias is not None:
        attn_mask = convert_to_tensor(bias).to(dtype)
    q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
    heads, kv_heads = q.shape[1], k.shape[1]
    grouped = kv_heads != heads
    if grouped and heads % kv_heads:
        raise ValueError(
            "dot_product_attention: the query heads must be a multiple of the key/value "
            f"heads. Received: query heads={heads}, key heads={kv_heads}"
        )
    if flash_attention is None:
        flash_attention = config.is_flash_attention_enabled()
    if grouped and (attn_mask is not None or flash_attention is False):
        # SDPA's grouped-query mode runs only on the flash and math kernels (and flash takes
        # no mask): repeated heads keep the memory-efficient kernel available instead.
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        grouped = False
    with _kernel(flash_attention, q, k, v, attn_mask, is_causal, grouped):
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale, enable_gqa=grouped
        )
    return out.transpose(1, 2)
