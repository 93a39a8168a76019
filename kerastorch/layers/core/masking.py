"""`Masking`: mask the timesteps whose features all equal `mask_value`.

Example:
    >>> import torch
    >>> y = Masking()(torch.tensor([[[1.0, 2.0], [0.0, 0.0]]]))
    >>> y._keras_mask.tolist()
    [[True, False]]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.common.serialization import deserialize_keras_object
from kerastorch.layers.layer import Layer

Tensor = torch.Tensor


class Masking(Layer):
    """Output `inputs` with masked timesteps zeroed, and the mask `any(inputs != mask_value)`.

    A timestep (an entry of every axis but the last) is masked when all of its features
    equal `mask_value`; downstream layers that support masking (LSTM, GRU, attention, ...)
    skip it.

    Args:
        mask_value: the padding value. Defaults to 0.0.

    Input shape:
        `(batch, timesteps, features)` (any rank >= 2).
    Output shape:
        same as the input; the output carries `_keras_mask` of shape `inputs.shape[:-1]`.

    Example:
        >>> import kerastorch as keras
        >>> Masking(mask_value=-1.0)(keras.Input((5, 3))).shape
        (None, 5, 3)
    """

    def __init__(self, mask_value: Any = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config", None):
            mask_value = deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True  # no weights, as Keras's `_build_at_init`

    def call(self, inputs: Tensor) -> Tensor:
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)  # (..., 1)
        return torch.where(keep, inputs, torch.zeros((), dtype=inputs.dtype, device=inputs.device))

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return (inputs != self.mask_value).any(dim=-1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
