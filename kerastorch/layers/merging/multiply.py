"""`Multiply`: Element-wise product of a list of inputs; masked-out values count as 1.

Example:
    >>> import torch
    >>> multiply([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
    tensor([[ 3., 10.]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Element-wise product of a list of inputs; masked-out values count as 1.

    Inputs of different ranks or with size-1 axes broadcast as in Keras.

    Args:
        **kwargs: base layer arguments.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4,)), keras.Input((4,))
        >>> Multiply()([a, b]).shape
        (None, 4)
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        has_output_mask = all(m is not None for m in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks, strict=False):
            if mask is not None:
                mask = mask.unsqueeze(-1).expand(x.shape)
                x = torch.where(mask, x, torch.ones((), dtype=x.dtype, device=x.device))
                if has_output_mask:
                    output_mask = mask if output_mask is None else output_mask | mask
            output = x if output is None else output * x
        if has_output_mask:
            # Positions masked in every input are 0, as masking rules expect.
            output = torch.where(
                output_mask, output, torch.zeros((), dtype=output.dtype, device=output.device)
            )
            output._keras_mask = output_mask.any(dim=-1)
        return output


def multiply(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`."""
    return Multiply(**kwargs)(inputs)
