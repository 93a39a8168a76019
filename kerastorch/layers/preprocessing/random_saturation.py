"""`RandomSaturation`: scales the saturation of each image by a random factor, in training.

Example:
    >>> import torch
    >>> y = RandomSaturation((0.0, 0.0), value_range=(0, 1))(torch.rand(2, 4, 4, 3))
    >>> bool(torch.allclose(y[..., 0], y[..., 2]))  # factor 0: fully desaturated
    True
"""

from __future__ import annotations

from typing import Any

import torch

from kerastorch.config import epsilon
from kerastorch.layers.preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from kerastorch.layers.preprocessing.image_value_range import check_value_range
from kerastorch.ops.image.color import hsv_to_rgb, rgb_to_hsv


class RandomSaturation(BaseImagePreprocessingLayer):
    """Multiplies the HSV saturation of each image by a random amount (training only).

    Per image, `f` is drawn in `factor` and the saturation is multiplied by
    `f / (1 - f + epsilon)` and clipped to `value_range`: `f = 0.5` keeps the image,
    `0` makes it gray, values near `1` saturate it fully. As in Keras, a single number
    `f` means the range `(-f, f)` (negative factors clip to gray), and the HSV conversion
    runs on the raw values (no rescaling by `value_range`).

    Args:
        factor: a float in `[0, 1]` or a pair `(lower, upper)` in `[-1, 1]`.
        value_range: `(low, high)` of the input values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: int, makes the factors reproducible.
        **kwargs: base layer arguments.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 4, 4, 3) * 255
        >>> bool(torch.equal(RandomSaturation(0.5)(x, training=False), x))
        True
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.value_range = check_value_range(value_range)
        self.seed = seed

    def call(self, inputs: torch.Tensor, training: bool | None = True) -> torch.Tensor:
        images = self._to_float(inputs)
        if not self._is_training(training):
            return images
        x, unbatched = self._to_nchw(images)
        x = self._augment(x, self._sample(x.shape[0], x.device))
        return self._from_nchw(x, unbatched)

    def _sample(self, batch: int, device: torch.device) -> dict[str, torch.Tensor]:
        """Keras's transformation: the saturation multiplier of each image, `(batch,)`."""
        factor = self._uniform((batch,), *self.factor, device)
        return {"factor": factor / (1 - factor + epsilon())}

    def _augment(self, x: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
        """Scale the saturation of NCHW images."""
        hsv = rgb_to_hsv(x, data_format="channels_first")
        saturation = hsv[:, 1] * params["factor"].to(x.dtype).view(-1, 1, 1)
        saturation = saturation.clamp(self.value_range[0], self.value_range[1])
        hsv = torch.stack([hsv[:, 0], saturation, hsv[:, 2]], dim=1)
        return hsv_to_rgb(hsv, data_format="channels_first")

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": self.factor,
            "value_range": self.value_range,
            "seed": self.seed,
        }
