"""Bitwise ops of `keras.ops.numpy` on integer and bool tensors: `bitwise_and`, `left_shift`, ...

Example:
    >>> import torch
    >>> from kerastorch.ops.numpy.bitwise import bitwise_and, left_shift
    >>> bitwise_and(torch.tensor([6], dtype=torch.int8), 3).tolist()
    [2]
    >>> left_shift(torch.tensor([1, 2]), 2).tolist()
    [4, 8]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.ops.conversion import convert_to_tensor
from kerastorch.ops.keras_op import keras_op
from kerastorch.ops.numpy.operands import tensors


@keras_op("numpy", tensors=("x", "y"))
def bitwise_and(x: Any, y: Any) -> torch.Tensor:
    """`x & y`, bit by bit."""
    return torch.bitwise_and(*tensors(x, y))


@keras_op("numpy", tensors=("x", "y"))
def bitwise_or(x: Any, y: Any) -> torch.Tensor:
    """`x | y`, bit by bit."""
    return torch.bitwise_or(*tensors(x, y))


@keras_op("numpy", tensors=("x", "y"))
def bitwise_xor(x: Any, y: Any) -> torch.Tensor:
    """`x ^ y`, bit by bit."""
    return torch.bitwise_xor(*tensors(x, y))


@keras_op("numpy")
def bitwise_invert(x: Any) -> torch.Tensor:
    """`~x`, bit by bit (logical not for bools)."""
    return torch.bitwise_not(convert_to_tensor(x))


@keras_op("numpy")
def bitwise_not(x: Any) -> torch.Tensor:
    """`~x`, bit by bit (the same as `bitwise_invert`)."""
    return torch.bitwise_not(convert_to_tensor(x))


def _shift_operands(x: Any, y: Any) -> tuple[torch.Tensor, Any]:
    """A Python int shift stays a Python int, as in Keras."""
    if isinstance(y, int) and not isinstance(y, bool):
        return convert_to_tensor(x), y
    a, b = tensors(x, y)
    return a, b


@keras_op("numpy", tensors=("x", "y"))
def bitwise_left_shift(x: Any, y: Any) -> torch.Tensor:
    """`x << y`, elementwise."""
    return torch.bitwise_left_shift(*_shift_operands(x, y))


@keras_op("numpy", tensors=("x", "y"))
def left_shift(x: Any, y: Any) -> torch.Tensor:
    """`x << y`, elementwise (the same as `bitwise_left_shift`)."""
    return torch.bitwise_left_shift(*_shift_operands(x, y))


@keras_op("numpy", tensors=("x", "y"))
def bitwise_right_shift(x: Any, y: Any) -> torch.Tensor:
    """`x >> y`, elementwise (arithmetic shift for signed integers)."""
    return torch.bitwise_right_shift(*_shift_operands(x, y))


@keras_op("numpy", tensors=("x", "y"))
def right_shift(x: Any, y: Any) -> torch.Tensor:
    """`x >> y`, elementwise (the same as `bitwise_right_shift`)."""
    return torch.bitwise_right_shift(*_shift_operands(x, y))


__all__ = [
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "left_shift",
    "right_shift",
]
