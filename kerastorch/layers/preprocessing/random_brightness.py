"""`RandomBrightness`: adds a random offset to each image, in training.

Example:
    >>> import torch
    >>> layer = RandomBrightness(0.2, value_range=(0, 1), seed=0)
    >>> y = layer(torch.rand(2, 8, 8, 3), training=True)
    >>> bool(((y >= 0) & (y <= 1)).all())
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)

_VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


class RandomBrightness(BaseImagePreprocessingLayer):
    """Shifts the brightness of each image by a random amount (training only).

    A delta `d` is drawn per image in `[lower, upper] * (max - min)` of `value_range`;
    `outputs = clip(inputs + d, min, max)`.

    Args:
        factor: a float `f` in `[0, 1]` (deltas in `[-f, f]` of the value range) or a pair
            `(lower, upper)` in `[-1, 1]`.
        value_range: `(min, max)` of the image values (default `(0, 255)`); stored sorted,
            as a list.
        seed: int, makes the deltas reproducible.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: base layer arguments.

    Images are computed in the compute dtype (float32), also for integer inputs (Keras
    adds the delta in the input's integer dtype, which truncates it).

    Example:
        >>> import torch
        >>> RandomBrightness((0.1, 0.1), value_range=(0, 1))(torch.zeros(1, 2, 2, 1)).max().item()
        0.10000000149011612
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] | list[float] = (0, 255),
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, **kwargs)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(_VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        low, high = self.value_range
        delta = self._uniform((x.shape[0], 1, 1, 1), self.factor[0], self.factor[1], x.device)
        x = (x + (delta * (high - low)).to(x.dtype)).clamp(low, high)
        return self._from_nchw(x, unbatched)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
