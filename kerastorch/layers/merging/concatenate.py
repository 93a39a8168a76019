"""`Concatenate`: joins a list of tensors along `axis` (`torch.cat`).

Example:
    >>> import torch
    >>> concatenate([torch.zeros(2, 3), torch.ones(2, 1)]).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.merging.base_merge import Merge, Shape, as_tensor, check_mask_list


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`; every other axis must match.

    Args:
        axis: the concatenation axis. Defaults to `-1`.
        **kwargs: base layer arguments.

    Input shape:
        A list of tensors, equal in every axis but `axis`.
    Output shape:
        The common shape, with the sizes along `axis` summed.

    Example:
        >>> import kerastorch as keras
        >>> a, b = keras.Input((4, 5)), keras.Input((4, 3))
        >>> Concatenate()([a, b]).shape
        (None, 4, 8)
    """

    def __init__(self, axis: int = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape: list[Shape]) -> None:
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) < 1
            or not isinstance(input_shape[0], (tuple, list))
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        if all(shape is None for shape in input_shape):
            return
        # Every shape without the concatenation axis; the rest must agree (None matches all).
        reduced = set()
        for shape in input_shape:
            shape = list(shape)
            if -len(shape) <= self.axis < len(shape):
                del shape[self.axis]
            reduced.add(tuple(shape))
        if len(reduced) == 1:
            return
        message = (
            "A `Concatenate` layer requires inputs with matching shapes except for the "
            f"concatenation axis. Received: input_shape={list(input_shape)}"
        )
        ranks = {len(shape) for shape in reduced}
        if len(ranks) != 1:
            raise ValueError(message)
        for axis in range(ranks.pop()):
            if len({shape[axis] for shape in reduced if shape[axis] is not None}) > 1:
                raise ValueError(message)

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(inputs, dim=self.axis)

    def compute_output_shape(self, input_shape: list[Shape], **kwargs: Any) -> Shape:
        if not isinstance(input_shape, (tuple, list)) or not isinstance(
            input_shape[0], (tuple, list)
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape}"
            )
        output_shape = list(input_shape[0])
        for shape in input_shape[1:]:
            if output_shape[self.axis] is None or shape[self.axis] is None:
                output_shape[self.axis] = None
                break
            output_shape[self.axis] += shape[self.axis]
        return tuple(output_shape)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> torch.Tensor | None:
        if previous_mask is None:
            return None
        masks = check_mask_list(inputs, previous_mask)
        if all(m is None for m in masks):
            return None
        full = []
        for x, mask in zip([as_tensor(x) for x in inputs], masks, strict=False):
            if mask is None:
                full.append(torch.ones_like(x, dtype=torch.bool))
            elif mask.ndim < x.ndim:
                full.append(mask.unsqueeze(-1).expand(x.shape))
            else:
                full.append(mask)
        return torch.cat(full, dim=self.axis).any(dim=-1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs: list[Any], axis: int = -1, **kwargs: Any) -> Any:
    """Functional interface to the `Concatenate` layer: `Concatenate(axis, **kwargs)(inputs)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
