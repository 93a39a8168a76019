"""`Flatten`: `(batch, d1, d2, ...)` -> `(batch, d1 * d2 * ...)`, in Keras's element order.

With `channels_last` (the default) this is a plain reshape, a view of contiguous inputs.
With `channels_first` the channel axis is first moved last, as Keras does, so the flat
vector is ordered as for channels_last data and weights of a following `Dense` layer keep
their meaning across data formats.

Example:
    >>> import torch
    >>> Flatten()(torch.zeros(2, 3, 4)).shape
    torch.Size([2, 12])
"""

from __future__ import annotations

import math
from typing import Any

import torch

from kerastorch import config
from kerastorch.layers.input_spec import InputSpec
from kerastorch.layers.layer import Layer


class Flatten(Layer):
    """Flattens every axis but the batch axis.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (the ordering of the input's
            axes; `None`: `backend.image_data_format()`).
        **kwargs: base layer arguments.

    Input shape:
        `(batch, ...)`, rank >= 1. Output shape: `(batch, product of the other sizes)`;
        a rank-1 input gives `(batch, 1)`.

    Example:
        >>> import kerastorch as keras
        >>> Flatten()(keras.Input((4, 5, 3))).shape
        (None, 60)
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.ndim == 1:
            return inputs.reshape(inputs.shape[0], 1)
        if self._channels_first and inputs.ndim > 2:
            inputs = inputs.movedim(1, -1)  # (batch, ..., channels)
        return inputs.reshape(inputs.shape[0], math.prod(inputs.shape[1:]))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
