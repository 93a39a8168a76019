"""`Reshape`: reshapes each sample to `target_shape` (one `-1` may be inferred).

Example:
    >>> import torch
    >>> Reshape((-1, 2))(torch.zeros(3, 8)).shape
    torch.Size([3, 4, 2])
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch.layers.layer import Layer


class Reshape(Layer):
    """Reshapes inputs to `(batch, *target_shape)`; a view whenever torch can make one.

    Args:
        target_shape: the new shape of a sample (batch excluded); at most one `-1`, which
            is inferred from the input size.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, ...)`. Output shape: `(batch, *target_shape)`.

    Example:
        >>> import kerastorch as keras
        >>> Reshape((3, -1))(keras.Input((12,))).shape
        (None, 3, 4)
    """

    def __init__(self, target_shape: tuple[int, ...] | list[int], **kwargs: Any):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        _validate_target_shape(target_shape)
        self.target_shape = target_shape
        self.built = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        shape = _resolve_target_shape(tuple(inputs.shape[1:]), self.target_shape)
        return inputs.reshape(inputs.shape[0], *shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": self.target_shape}


def _validate_target_shape(target_shape: tuple[Any, ...]) -> None:
    for dim in target_shape:
        if isinstance(dim, int) and dim < -1:
            raise ValueError(
                "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                f"single unknown dimension. Received: target_shape={target_shape}."
            )
    if sum(1 for dim in target_shape if dim == -1) > 1:
        raise ValueError(
            "There must be at most one unknown dimension (-1) in `target_shape`. "
            f"Received: target_shape={target_shape}."
        )


def _resolve_target_shape(
    input_shape: tuple[int, ...], target_shape: tuple[int, ...]
) -> tuple[int, ...]:
    """`target_shape` with its `-1` replaced, raising Keras's errors on a size mismatch."""
    input_size = math.prod(input_shape)
    if -1 not in target_shape:
        if input_size != math.prod(target_shape):
            raise ValueError(
                "The total size of the tensor must be unchanged. Received: "
                f"input_shape={input_shape}, target_shape={target_shape}"
            )
        return target_shape
    known = math.prod(d for d in target_shape if d != -1)
    if known == 0 or input_size % known != 0:
        raise ValueError(
            "The total size of the tensor must be unchanged, however, the input size cannot by "
            "divided by the specified dimensions in target_shape. Received: "
            f"input_shape={input_shape}, target_shape={target_shape}"
        )
    return tuple(input_size // known if d == -1 else d for d in target_shape)
