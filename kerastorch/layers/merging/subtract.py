"""`Subtract`: Element-wise difference `inputs[0] - inputs[1]` of exactly two inputs.

Example:
    >>> import torch
    >>> subtract([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
    tensor([[-2.,  3.]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Element-wise difference `inputs[0] - inputs[1]` of exactly two inputs.

    Inputs of different ranks or with size-1 axes broadcast as in Keras.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4,)), keras.Input((4,))
        >>> Subtract()([a, b]).shape
        (None, 4)
    """

    def build(self, input_shape: list[tuple[int | None, ...]]) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if len(inputs) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: inputs={inputs}"
            )
        return inputs[0] - inputs[1]


def subtract(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional interface to the `Subtract` layer: `Subtract(**kwargs)(inputs)`."""
    return Subtract(**kwargs)(inputs)
