"""`Add`: Element-wise sum of a list of inputs of the same shape.

Example:
    >>> import torch
    >>> add([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
    tensor([[4., 7.]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge


class Add(Merge):
    """Element-wise sum of a list of inputs of the same shape.

    Inputs of different ranks or with size-1 axes broadcast as in Keras.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4,)), keras.Input((4,))
        >>> Add()([a, b]).shape
        (None, 4)
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output


def add(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional interface to the `Add` layer: `Add(**kwargs)(inputs)`."""
    return Add(**kwargs)(inputs)
