"""Layout conversions between torch's storage and Keras's views of a weight.

A layer stores a weight in torch's layout and shows it in Keras's (DESIGN §2): these are the
`to_keras` / `from_keras` functions that a `Variable` view applies.

Example:
    >>> import torch
    >>> to_keras, from_keras = permutation((2, 3, 1, 0))  # Conv2D: (out, in, kh, kw) -> Keras
    >>> to_keras(torch.zeros(8, 3, 5, 5)).shape
    torch.Size([5, 5, 3, 8])
    >>> transpose(torch.zeros(2, 3)).shape  # Dense: torch (out, in) <-> Keras (in, out)
    torch.Size([3, 2])
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch

Transform = Callable[[torch.Tensor], torch.Tensor]


def transpose(t: torch.Tensor) -> torch.Tensor:
    """Swap the two axes of a matrix (Dense kernel: torch `(out, in)` <-> Keras `(in, out)`)."""
    return t.T


def _permute(t: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    return t.permute(*dims)


def permutation(dims: tuple[int, ...]) -> tuple[Transform, Transform]:
    """`(to_keras, from_keras)` for a weight whose Keras layout is `torch_value.permute(dims)`.

    The functions are picklable (`functools.partial` of a module-level function), so models
    holding such variables still work with `torch.save(model)`.
    """
    inverse = tuple(int(i) for i in np.argsort(dims))
    return functools.partial(_permute, dims=tuple(dims)), functools.partial(_permute, dims=inverse)
