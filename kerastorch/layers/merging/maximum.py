"""`Maximum`: Element-wise maximum of a list of inputs; masked-out values defer to the others.

Example:
    >>> import torch
    >>> maximum([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
    tensor([[3., 5.]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Element-wise maximum of a list of inputs; masked-out values defer to the others.

    Inputs of different ranks or with size-1 axes broadcast as in Keras.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4,)), keras.Input((4,))
        >>> Maximum()([a, b]).shape
        (None, 4)
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return self._apply_merge_op_and_or_mask(torch.maximum, inputs)


def maximum(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional interface to the `Maximum` layer: `Maximum(**kwargs)(inputs)`."""
    return Maximum(**kwargs)(inputs)
