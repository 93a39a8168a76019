"""`value_range` helpers shared by the colour augmentation layers (Keras's semantics).

Keras's colour layers take `value_range=(low, high)`, the range of the incoming pixel
values; several of them work internally in `(0, 255)` (or `(0, 1)`) and map back.

Example:
    >>> import torch
    >>> transform_value_range(torch.tensor([0.0, 0.5, 1.0]), (0, 1), (0, 255)).tolist()
    [0.0, 127.5, 255.0]
    >>> check_value_range((255, 0))
    [0, 255]
"""

from __future__ import annotations

from typing import Any

import torch

_VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


def check_value_range(value_range: Any) -> list[float]:
    """Keras's `_set_value_range`: a pair of numbers, returned sorted as a list.

    Raises:
        ValueError: when `value_range` is not a list or tuple of two numbers.
    """
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(_VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
    return sorted(value_range)


def transform_value_range(
    images: torch.Tensor, original_range: Any, target_range: Any
) -> torch.Tensor:
    """Map `images` linearly from `original_range` to `target_range` (Keras's formula).

    A no-op (the same tensor) when the two ranges are equal.
    """
    if original_range[0] == target_range[0] and original_range[1] == target_range[1]:
        return images
    low, high = float(original_range[0]), float(original_range[1])
    t_low, t_high = float(target_range[0]), float(target_range[1])
    return (images - low) / (high - low) * (t_high - t_low) + t_low
