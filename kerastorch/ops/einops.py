"""Keras's `rearrange` (einops notation) on torch tensors: reshape, transpose, reshape.

Example:
    >>> import torch
    >>> rearrange(torch.zeros(2, 3, 4), "b h w -> b (h w)").shape
    torch.Size([2, 12])
    >>> rearrange(torch.zeros(2, 12), "b (h w) -> w b h", h=3).shape
    torch.Size([4, 2, 3])
"""

from __future__ import annotations

import math
import re
from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op


def _groups(side: str) -> list[list[str]]:
    groups = []
    for token in re.findall(r"\([^)]*\)|\S+", side):
        groups.append(token[1:-1].split() if token.startswith("(") else [token])
    return groups


@keras_op("einops", tensors=("tensor",))
def rearrange(tensor: Any, pattern: str, **axes_lengths: int) -> torch.Tensor:
    """`tensor` rearranged by an einops `pattern` such as `"b (h w) c -> b h w c"`."""
    tensor = convert_to_tensor(tensor)
    if "->" not in pattern:
        raise ValueError(f"rearrange: `pattern` must contain '->'. Received: pattern={pattern!r}")
    source, target = (_groups(side) for side in pattern.split("->"))
    if len(source) != tensor.ndim:
        raise ValueError(
            f"rearrange: the pattern's input side has {len(source)} axes but the tensor has "
            f"{tensor.ndim}. Received: pattern={pattern!r}, shape={tuple(tensor.shape)}"
        )
    sizes = dict(axes_lengths.pop("axes_lengths", {}), **axes_lengths)  # a node's config nests
    for group, size in zip(source, tensor.shape, strict=True):
        unknown = [a for a in group if a not in sizes]
        known = math.prod(sizes[a] for a in group if a in sizes)
        if len(unknown) > 1:
            raise ValueError(f"rearrange: cannot infer the sizes of {unknown} in {pattern!r}.")
        if unknown:
            sizes[unknown[0]] = size // known
    names = [a for group in source for a in group]
    if sorted(names) != sorted(a for group in target for a in group):
        raise ValueError(
            f"rearrange: both sides of `pattern` must name the same axes. Received: {pattern!r}"
        )
    expanded = tensor.reshape([sizes[a] for a in names])
    order = [names.index(a) for group in target for a in group]
    moved = expanded.permute(order)
    return moved.reshape([math.prod(sizes[a] for a in group) for group in target])


__all__ = ["rearrange"]
