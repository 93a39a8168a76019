"""`Merge`: the base of the layers that combine a list of tensors (`Add`, `Concatenate`, ...).

It checks the input shapes when the layer is built (so a bad functional graph fails where
it is written, with Keras's message), applies Keras's broadcasting rules (inputs of lower
rank get size-1 axes inserted after the batch axis) and combines the inputs' masks.

Example:
    >>> import torch
    >>> from kerastorch.layers.merging.add import Add
    >>> Add()([torch.ones(2, 3), torch.ones(2, 3)])
    tensor([[2., 2., 2.],
            [2., 2., 2.]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from kerastorch.layers.layer import Layer
from kerastorch.variables import Variable

Shape = tuple[int | None, ...]


class Merge(Layer):
    """Base class of merge layers: subclasses implement `_merge_function(inputs)`.

    Args:
        **kwargs: base layer arguments.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    # -- build: shape checks ----------------------------------------------------------------
    def build(self, input_shape: list[Shape]) -> None:
        if not isinstance(input_shape, (list, tuple)) or not isinstance(
            input_shape[0], (list, tuple)
        ):
            raise ValueError(
                "A merge layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. "
                f"Received tensors with shapes {list(input_shape)}"
            )
        self._output_non_batch_shape(input_shape)  # raises on incompatible shapes
        self._reshape_required = len({len(s) for s in input_shape}) != 1

    def _output_non_batch_shape(self, input_shapes: list[Shape]) -> Shape | None:
        output_shape = None if input_shapes[0] is None else tuple(input_shapes[0][1:])
        for shape in input_shapes[1:]:
            shape = None if shape is None else tuple(shape[1:])
            output_shape = _broadcast_shapes(output_shape, shape)
        return output_shape

    # -- call -------------------------------------------------------------------------------
    def call(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                "A merge layer should be called on a list of inputs. "
                f"Received: inputs={inputs} (not a list of tensors)"
            )
        if self._reshape_required:
            # Keras's rule: lower-rank inputs get size-1 axes inserted after the batch axis.
            max_ndim = max(x.ndim for x in inputs)
            inputs = [
                x.reshape(x.shape[0], *([1] * (max_ndim - x.ndim)), *x.shape[1:])
                if x.ndim < max_ndim
                else x
                for x in inputs
            ]
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape: list[Shape], **kwargs: Any) -> Shape:
        output_shape = self._output_non_batch_shape(input_shape)
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch, *output_shape)

    # -- masks ------------------------------------------------------------------------------
    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> torch.Tensor | None:
        if previous_mask is None:
            return None
        masks = check_mask_list(inputs, previous_mask)
        if any(m is None for m in masks):
            return None
        output_mask = masks[0]
        for m in masks[1:]:
            output_mask = torch.logical_or(output_mask, m)
        return output_mask

    def _apply_merge_op_and_or_mask(
        self, op: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], inputs: list
    ) -> torch.Tensor:
        """Combine with `op`, where masked-out values of one input defer to the others
        (Keras's rule for `Maximum` / `Minimum`)."""
        output, output_mask = None, None
        for x in inputs:
            mask = getattr(x, "_keras_mask", None)
            if mask is not None:
                mask = mask.unsqueeze(-1).expand(x.shape)
            if output is None:
                output, output_mask = x, mask
                continue
            if mask is not None:
                x = torch.where(mask, x, output)
            if output_mask is not None:
                output = torch.where(output_mask, output, x)
            if mask is not None and output_mask is not None:
                output_mask = torch.logical_or(output_mask, mask)
            else:
                output_mask = None
            output = op(output, x)
        if output_mask is not None:
            output._keras_mask = output_mask.any(dim=-1)
        return output

    def get_config(self) -> dict[str, Any]:
        return super().get_config()


def _broadcast_shapes(shape1: Shape | None, shape2: Shape | None) -> Shape | None:
    """Keras's element-wise output shape of two non-batch shapes (trailing axes aligned)."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        return _broadcast_shapes(shape2, shape1)
    if not shape2:
        return shape1
    output = list(shape1[: -len(shape2)])
    for i, j in zip(shape1[-len(shape2) :], shape2, strict=False):
        if i is None or j is None:
            output.append(None)
        elif i == 1:
            output.append(j)
        elif j == 1 or i == j:
            output.append(i)
        else:
            raise ValueError(
                f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}"
            )
    return tuple(output)


def check_mask_list(inputs: Any, mask: Any) -> list[Any]:
    if not isinstance(mask, (tuple, list)):
        raise ValueError(f"`mask` should be a list. Received: mask={mask}")
    if not isinstance(inputs, (tuple, list)):
        raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")
    if len(mask) != len(inputs):
        raise ValueError(
            "The lists `inputs` and `mask` should have the same length. Received: "
            f"inputs={inputs} of length {len(inputs)}, and mask={mask} of length {len(mask)}"
        )
    return [as_tensor(m) for m in mask]


def as_tensor(x: Any) -> Any:
    """A NumPy array or a `Variable` as a torch tensor (masks and inputs given eagerly, as
    Keras accepts them); anything else (tensors, symbolic tensors, `None`) unchanged."""
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, (np.ndarray, np.generic)):
        return torch.as_tensor(x)
    return x
