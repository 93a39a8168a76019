"""`Softmax`: softmax over one or several axes, with Keras's mask handling.

Example:
    >>> import torch
    >>> Softmax()(torch.zeros(1, 4))
    tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch import activations
from kerastorch.layers.layer import Layer


def _large_negative_number(dtype: torch.dtype) -> float:
    """The fill value of masked positions: small enough to vanish, finite in `dtype`."""
    return -3e4 if dtype == torch.float16 else -1e9


class Softmax(Layer):
    """Softmax activation layer.

    Args:
        axis: int, or list/tuple of ints: the axis (axes) to normalize over. Defaults to `-1`.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: the logits.
        mask: optional boolean (or 0/1) tensor broadcastable to `inputs`; `True`/1 keeps a
            position, `False`/0 masks it out (its output is 0). Taken from the inputs' Keras
            mask when not given.

    Input shape:
        Any. Output shape: same as the input.

    Example:
        >>> import torch
        >>> Softmax()(torch.zeros(1, 3), mask=torch.tensor([[True, True, False]]))
        tensor([[0.5000, 0.5000, 0.0000]])
    """

    def __init__(self, axis: int | list[int] | tuple[int, ...] = -1, **kwargs: Any):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is not None:
            mask = self._check_mask(inputs, mask)
            inputs = torch.where(mask, inputs, _large_negative_number(inputs.dtype))
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                axes = tuple(self.axis)
                outputs = torch.exp(inputs - torch.logsumexp(inputs, dim=axes, keepdim=True))
            else:
                outputs = activations.softmax(inputs, axis=self.axis[0])
        else:
            outputs = activations.softmax(inputs, axis=self.axis)
        if mask is not None:
            outputs = torch.where(mask, outputs, 0.0)
        return outputs

    def _check_mask(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        mask = torch.as_tensor(mask, device=inputs.device)
        if mask.ndim > inputs.ndim:
            raise ValueError(
                f"Layer '{self.name}' (Softmax): the `mask` must be broadcastable to `inputs` "
                f"and must not have more dimensions. Received: inputs.shape="
                f"{tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}"
            )
        for m_dim, i_dim in zip(reversed(mask.shape), reversed(inputs.shape), strict=False):
            if m_dim not in (1, i_dim):
                raise ValueError(
                    f"Layer '{self.name}' (Softmax): the `mask` must be broadcastable to "
                    "`inputs`. Each mask dimension must be 1 or match the corresponding input "
                    f"dimension. Received: inputs.shape={tuple(inputs.shape)}, "
                    f"mask.shape={tuple(mask.shape)}"
                )
        if mask.dtype != torch.bool:
            mask = mask > 0.5
        return mask

    def compute_output_shape(self, input_shape: tuple, **kwargs: Any) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
