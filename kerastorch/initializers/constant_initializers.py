"""The deterministic initializers: `Constant`, `Zeros`, `Ones` and `Identity`.

Example:
    >>> Ones()((2, 2))
    tensor([[1., 1.],
            [1., 1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from kerastorch.common import serialization
from kerastorch.initializers.initializer import Initializer, Shape, as_shape, place, torch_dtype

__all__ = ["Constant", "Identity", "Ones", "Zeros"]


class Constant(Initializer):
    """Fill with a constant `value` (a scalar, or an array broadcastable to the shape).

    Example:
        >>> Constant(3.0)((2,))
        tensor([3., 3.])
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = torch_dtype(dtype)
        value = torch.as_tensor(np.asarray(self.value)).to(dtype)
        return place(value * torch.ones(as_shape(shape), dtype=dtype))

    def get_config(self) -> dict[str, Any]:
        return {"value": serialization.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Constant:
        # `.get("value")`: Keras 3.15 raises KeyError on `initializers.get("constant")`.
        return cls(serialization.deserialize_keras_object(config.get("value", 0.0)))


class Zeros(Initializer):
    """Fill with 0 (any numeric or boolean dtype)."""

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return place(torch.zeros(as_shape(shape), dtype=torch_dtype(dtype)))


class Ones(Initializer):
    """Fill with 1 (any numeric or boolean dtype)."""

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return place(torch.ones(as_shape(shape), dtype=torch_dtype(dtype)))


class Identity(Initializer):
    """`gain` times the identity matrix (2D shapes only; rectangular is allowed).

    Unlike Keras 3.15, whose config drops it, `gain` is part of the config.

    Example:
        >>> Identity(gain=2.0)((2, 3))
        tensor([[2., 0., 0.],
                [0., 2., 0.]])
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        shape = as_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dtype = torch_dtype(dtype)
        return place((self.gain * torch.eye(*shape, dtype=dtype)).to(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}
