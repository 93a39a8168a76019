"""`Minimum`: Element-wise minimum of a list of inputs; masked-out values defer to the others.

Example:
    >>> import torch
    >>> minimum([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
    tensor([[1., 2.]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge


class Minimum(Merge):
    """Element-wise minimum of a list of inputs; masked-out values defer to the others.

    Inputs of different ranks or with size-1 axes broadcast as in Keras.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4,)), keras.Input((4,))
        >>> Minimum()([a, b]).shape
        (None, 4)
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return self._apply_merge_op_and_or_mask(torch.minimum, inputs)


def minimum(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional interface to the `Minimum` layer: `Minimum(**kwargs)(inputs)`."""
    return Minimum(**kwargs)(inputs)
