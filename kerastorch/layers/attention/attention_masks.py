"""Keras's attention masks: the inputs' Keras masks, causal and sliding-window masks, ANDed.

Shared by the attention layers that take `query_mask` / `value_mask` / `key_mask`,
`attention_mask`, `use_causal_mask` and a `sliding_window` (Keras's
`_compute_attention_mask`).

Example:
    >>> import torch
    >>> q = torch.zeros(1, 3, 2)
    >>> combined_attention_mask(q, q, use_causal_mask=True, sliding_window=2)[0].int().tolist()
    [[1, 0, 0], [1, 1, 0], [0, 1, 1]]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.attention.attention_utils import causal_mask

Tensor = torch.Tensor


def keras_mask_of(x: Tensor, given: Any) -> Tensor | None:
    """The mask argument as Keras fills it: the given one (an array or list becomes a tensor
    on `x`'s device), else the tensor's `_keras_mask`."""
    if given is None:
        return getattr(x, "_keras_mask", None)
    return given if isinstance(given, Tensor) else torch.as_tensor(given, device=x.device)


def sliding_window_mask(q_len: int, v_len: int, window: int, device: torch.device) -> Tensor:
    """`(1, q_len, v_len)` booleans, True where `|row - column| < window` (a symmetric band)."""
    rows = torch.arange(q_len, device=device).view(1, q_len, 1)
    cols = torch.arange(v_len, device=device).view(1, 1, v_len)
    return (rows - cols).abs() < window


def combined_attention_mask(
    query: Tensor,
    value: Tensor,
    query_mask: Tensor | None = None,
    value_mask: Tensor | None = None,
    key_mask: Tensor | None = None,
    attention_mask: Tensor | None = None,
    use_causal_mask: bool = False,
    sliding_window: int | None = None,
) -> Tensor | None:
    """AND of the query `(B, T, 1)`, value/key `(B, 1, S)`, causal, window and given masks.

    Args:
        query: `(B, T, ...)`, the (unprojected) query.
        value: `(B, S, ...)`, the (unprojected) value.
        query_mask / value_mask / key_mask: `(B, T)` / `(B, S)` / `(B, S)` masks, or None.
        attention_mask: `(B, T, S)` (or broadcastable) mask, or None.
        use_causal_mask: AND a lower-triangular `(1, T, S)` mask.
        sliding_window: AND a `(1, T, S)` band of this half-width (plus one), or None.

    Returns:
        A boolean mask broadcastable to `(B, T, S)`, or None when no mask applies.
    """
    auto = None
    if query_mask is not None:
        auto = query_mask.to(torch.bool).unsqueeze(-1)
    for mask in (value_mask, key_mask):
        if mask is not None:
            mask = mask.to(torch.bool).unsqueeze(-2)
            auto = mask if auto is None else auto & mask
    q_len, v_len = query.shape[1], value.shape[1]
    if use_causal_mask:
        mask = causal_mask(q_len, v_len, query.device)
        auto = mask if auto is None else auto & mask
    if sliding_window is not None:
        mask = sliding_window_mask(q_len, v_len, sliding_window, query.device)
        auto = mask if auto is None else auto & mask
    if attention_mask is not None:
        attention_mask = torch.as_tensor(attention_mask, device=query.device).to(torch.bool)
    if auto is not None:
        attention_mask = auto if attention_mask is None else attention_mask & auto
    return attention_mask


def softmax_mask_value(dtype: torch.dtype) -> float:
    """Keras's Softmax layer puts -1e9 (-3e4 in float16) on masked positions."""
    return -3e4 if dtype == torch.float16 else -1e9
