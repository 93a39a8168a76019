"""Shared by the categorical layers: integer indices -> one-hot / multi-hot / count tensors.

Keras's `numerical_utils.encode_categorical_inputs`, on torch tensors, without host syncs:
indices outside `[0, depth)` (e.g. a mask value) give all-zero rows instead of an error.

Example:
    >>> import torch
    >>> encode_categorical(torch.tensor([[0, 2], [1, 1]]), "count", 3, torch.float32).tolist()
    [[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]]
"""

from __future__ import annotations

import torch


def one_hot(indices: torch.Tensor, depth: int, dtype: torch.dtype) -> torch.Tensor:
    """`(..., depth)` one-hot rows; out-of-range indices give zero rows."""
    classes = torch.arange(depth, device=indices.device)
    return (indices.long().unsqueeze(-1) == classes).to(dtype)


def encode_categorical(
    indices: torch.Tensor,
    output_mode: str,
    depth: int,
    dtype: torch.dtype,
    sparse: bool = False,
    count_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Encode integer `indices` as Keras does for `output_mode`.

    - `"int"`: the indices, cast to `dtype`.
    - `"one_hot"`: one row per index; a trailing axis of size 1 is replaced by `depth`.
    - `"multi_hot"` / `"count"`: rank-1 inputs are one sample; otherwise axis 1 is reduced
      (Keras's rule), giving `(batch, ..., depth)`. `count_weights` weights the counts.
    """
    if output_mode == "int":
        return indices.to(dtype)
    if indices.ndim == 0:
        indices = indices.unsqueeze(-1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        out = one_hot(indices, depth, dtype)
    else:
        axis = 1 if indices.ndim > 1 else 0
        if output_mode == "multi_hot":
            out = one_hot(indices, depth, dtype).amax(dim=axis)
        else:
            if count_weights is not None:
                dtype = count_weights.dtype
            encoded = one_hot(indices, depth, dtype)
            if count_weights is not None:
                encoded = encoded * count_weights.unsqueeze(-1)
            out = encoded.sum(dim=axis)
    return out.to_sparse() if sparse else out
