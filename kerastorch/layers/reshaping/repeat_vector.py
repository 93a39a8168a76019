"""`RepeatVector`: `(batch, features)` -> `(batch, n, features)`.

Example:
    >>> import torch
    >>> RepeatVector(3)(torch.zeros(2, 5)).shape
    torch.Size([2, 3, 5])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats the input `n` times along a new axis 1.

    Args:
        n: positive int, the number of repetitions.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, features)`. Output shape: `(batch, n, features)`.

    Example:
        >>> import kerastorch as keras
        >>> RepeatVector(3)(keras.Input((32,))).shape
        (None, 3, 32)
    """

    def __init__(self, n: int, **kwargs: Any):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.unsqueeze(1).repeat(1, self.n, 1)  # (batch, n, features)

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}
