"""`AutoContrast`: stretches each image channel over the whole value range.

Example:
    >>> import torch
    >>> x = torch.tensor([[[[0.0], [1.0]], [[2.0], [3.0]]]])  # (1, 2, 2, 1)
    >>> AutoContrast(value_range=(0, 255))(x).flatten().tolist()
    [0.0, 85.0, 170.0, 255.0]
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import (
    check_value_range,
    transform_value_range,
)


class AutoContrast(BaseImagePreprocessingLayer):
    """Maps each channel's `[min, max]` onto `value_range` (training and inference).

    Per image and channel, the values are moved to `(0, 255)`, stretched by
    `255 / (max - min)`, clipped and moved back; constant channels (where the stretch
    gives NaN) keep their values.

    As in Keras, the minimum and maximum are taken over axes 1 and 2 of the batched
    input whatever the `data_format` (so for `"channels_first"` images, over the channels
    and the rows).

    Args:
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        **kwargs: base layer arguments (`data_format`, `name`, `dtype`, ...).

    Example:
        >>> import torch
        >>> y = AutoContrast(value_range=(0, 1))(torch.rand(2, 4, 4, 3) * 0.5)
        >>> y.amin(dim=(1, 2)).tolist(), y.amax(dim=(1, 2)).round().tolist()
        ([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range: tuple[float, float] = (0, 255), **kwargs: Any):
        super().__init__(**kwargs)
        self.value_range = check_value_range(value_range)

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images, unbatched = self._to_nchw(self._to_float(inputs))
        # Keras reduces over axes 1 and 2 of its own layout: (H, W) or, channels first, (C, H).
        dims = (2, 3) if self.data_format == "channels_last" else (1, 2)
        x = transform_value_range(images, self.value_range, (0, 255))
        low = x.amin(dim=dims, keepdim=True)
        high = x.amax(dim=dims, keepdim=True)
        scale = 255.0 / (high - low)
        x = (x * scale - low * scale).clamp(0.0, 255.0)
        x = transform_value_range(x, (0, 255), self.value_range)
        x = torch.where(torch.isnan(x), images, x)
        return self._from_nchw(x, unbatched)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "value_range": self.value_range}
