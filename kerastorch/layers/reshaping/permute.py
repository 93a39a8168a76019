"""`Permute`: reorders the non-batch axes of the inputs (a zero-copy view).

Example:
    >>> import torch
    >>> Permute((2, 1))(torch.zeros(4, 10, 64)).shape
    torch.Size([4, 64, 10])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of the inputs according to `dims` (1-based; the batch stays first).

    Args:
        dims: a permutation of `1..rank-1`, e.g. `(2, 1)` swaps the two non-batch axes.
        **kwargs: base layer arguments.

    Input shape:
        `(batch, d1, ..., dn)` with `n = len(dims)`. Output shape: the axes reordered.

    Example:
        >>> import kerastorch as keras
        >>> Permute((2, 1))(keras.Input((10, 64))).shape
        (None, 64, 10)
    """

    def __init__(self, dims: tuple[int, ...] | list[int], **kwargs: Any):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.permute(0, *self.dims)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": self.dims}
