"""Argument checks shared by the image ops, with Keras's messages prefixed by the op's name.

Example:
    >>> import torch
    >>> check_rank("resize", torch.zeros(2, 3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: resize: Invalid images rank: expected rank 3 (single image) or rank 4 ...
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import torch


def check_rank(op: str, images: torch.Tensor, name: str = "images") -> None:
    """Raise unless `images` is one image (rank 3) or a batch of images (rank 4)."""
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{op}: Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received input with shape: {name}.shape={tuple(images.shape)}"
        )


def check_choice(op: str, argument: str, value: Any, allowed: Collection[str]) -> None:
    """Raise unless `value` is one of `allowed`, naming the op and the argument."""
    if value not in allowed:
        raise ValueError(
            f"{op}: Invalid value for argument `{argument}`. Expected one of "
            f"{tuple(allowed)}. Received: {argument}={value!r}"
        )


def check_float(op: str, images: torch.Tensor) -> None:
    """Raise unless `images` has a floating dtype."""
    if not images.is_floating_point():
        dtype = str(images.dtype).removeprefix("torch.")
        raise ValueError(
            f"{op}: Invalid images dtype: expected float dtype. Received: images.dtype={dtype}"
        )


__all__ = ["check_choice", "check_float", "check_rank"]
